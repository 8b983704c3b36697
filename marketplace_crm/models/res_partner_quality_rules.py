"""The seller quality programme on the seller: the rules.

A metric *crosses* its level at ``value >= level`` (at ``value < level`` for
the rating, where lower is worse); a level of 0 disables it. Sellers with
fewer orders than the minimum, not validated, suspended or exempted are not
evaluated (no crossing).

A metric at its limit starts a grace period, at whose end the seller is
suspended automatically (listings withheld, published again on
reinstatement); staff may exempt a seller until a date. The daily job
refreshes the metrics and applies these rules.
"""

from odoo import api, fields, models
from odoo.exceptions import ValidationError

from .marketplace_batches import JobRun
from .marketplace_quality_params import quality_param


class ResPartner(models.Model):
    _inherit = "res.partner"

    # --- rules -----------------------------------------------------------------
    quality_grace_until = fields.Date(
        "Grace Period Until",
        readonly=True,
        copy=False,
        tracking=True,
        index="btree_not_null",
        help="A metric is at its limit: the seller is suspended at this date "
        "unless it is back under the limit.",
    )
    quality_suspended = fields.Boolean(
        "Suspended by the Quality Programme", readonly=True, copy=False, tracking=True
    )
    quality_suspension_reason = fields.Text(readonly=True, copy=False, tracking=True)
    quality_exempt_until = fields.Date(
        "Exempt Until",
        copy=False,
        tracking=True,
        help="No quality alert or suspension until this date (included).",
    )
    quality_exempt_reason = fields.Char(
        "Exemption Reason",
        copy=False,
        tracking=True,
        help="Internal: for the team, never shown to the seller (who sees the "
        "end date of the exemption only).",
    )
    quality_withheld_product_ids = fields.Many2many(
        "product.template",
        "res_partner_quality_withheld_rel",
        "partner_id",
        "product_tmpl_id",
        "Withheld Listings",
        readonly=True,
        copy=False,
        help="Listings unpublished by a suspension or a re-verification, "
        "published again when the seller may sell again.",
    )
    quality_crossing_ids = fields.One2many(
        "marketplace.quality.crossing", "seller_id", "Quality Crossings", readonly=True
    )
    quality_appeal_ids = fields.One2many(
        "marketplace.quality.appeal", "seller_id", "Appeals", readonly=True
    )
    kyc_reverification_required = fields.Boolean(
        "Re-verification Required",
        readonly=True,
        copy=False,
        tracking=True,
        index=True,
        help="A required verification document expired: the seller must send "
        "a new one, approved by the team.",
    )

    @api.constrains("quality_exempt_until", "quality_exempt_reason")
    def _check_quality_exemption(self):
        for partner in self:
            if (
                partner.quality_exempt_until
                and not (partner.quality_exempt_reason or "").strip()
            ):
                raise ValidationError(
                    self.env._("An exemption from the quality rules needs a reason.")
                )

    # ------------------------------------------------------------ daily job
    @api.model
    def _cron_refresh_seller_quality(self, batch_size=5000):
        """Daily quality job: end the exemptions that expired, refresh every
        seller's metrics, score and tier (one UPDATE per batch of sellers,
        committed per batch), handle the alert and limit crossings of the
        sellers whose levels changed, then suspend the sellers whose grace
        period ended with a metric still at its limit. Safe to run twice: the
        UPDATE writes only what changed and the crossings are claimed once."""
        self._quality_end_expired_exemptions()
        self.env.flush_all()
        self.env.cr.execute("SELECT id FROM res_partner WHERE is_seller ORDER BY id")
        sellers = self.browse([row[0] for row in self.env.cr.fetchall()])
        with JobRun(self, "seller_quality") as job:
            # In this process only: the grace ends follow the whole refresh.
            if job.run("_job_refresh_seller_quality", sellers, batch_size=batch_size):
                self._quality_apply_grace_ends()
        return True

    @api.model
    def _job_refresh_seller_quality(self, sellers):
        sellers._refresh_seller_quality()

    # ------------------------------------------------------------ exemptions
    @api.model
    def _quality_end_expired_exemptions(self):
        """Exemptions whose end date passed are removed (tracked)."""
        today = fields.Date.context_today(self)
        expired = self.search(
            [
                ("quality_exempt_until", "!=", False),
                ("quality_exempt_until", "<", today),
            ]
        )
        for seller in expired:
            seller.message_post(
                body=self.env._(
                    "The exemption from the quality rules ended on %(date)s "
                    "(reason: %(reason)s).",
                    date=seller.quality_exempt_until,
                    reason=seller.quality_exempt_reason,
                ),
                subtype_xmlid="mail.mt_note",
            )
        expired.write({"quality_exempt_until": False, "quality_exempt_reason": False})
        return expired

    # ------------------------------------------------------------ grace and suspension
    @api.model
    def _quality_apply_grace_ends(self):
        """Suspend the sellers whose grace period ended with a metric still at
        its limit, once per crossing (the crossings are claimed in SQL)."""
        Crossing = self.env["marketplace.quality.crossing"]
        today = fields.Date.context_today(self)
        due = Crossing.search(
            [
                ("level", "=", "limit"),
                ("state", "=", "open"),
                ("grace_until", "<=", today),
                ("seller_id.seller_suspended", "=", False),
                "|",
                ("seller_id.quality_exempt_until", "=", False),
                ("seller_id.quality_exempt_until", "<", today),
            ]
        )
        claimed = due._claim_suspension()
        for seller in claimed.seller_id:
            seller._quality_suspend(
                claimed.filtered(lambda c, s=seller: c.seller_id == s)
            )
        return claimed

    def _quality_suspend(self, crossings):
        """Suspend this seller for these limit crossings: listings unpublished
        through the publication gate, the seller told why, history kept."""
        self.ensure_one()
        reason = "\n".join(crossing._describe() for crossing in crossings)
        self.with_context(marketplace_quality_suspension=True).action_suspend_seller()
        self.write(
            {
                "quality_suspended": True,
                "quality_suspension_reason": reason,
                "quality_grace_until": False,
            }
        )
        self.env["marketplace.seller.event"]._claim(
            self, "quality_suspension", f"crossings:{','.join(map(str, crossings.ids))}"
        )
        self.message_post(
            body=self.env._(
                "Suspended automatically by the quality programme: %s", reason
            ),
            subtype_xmlid="mail.mt_note",
        )
        crossings[:1]._send_template(
            "marketplace_crm.mail_template_seller_quality_suspended"
        )

    def action_suspend_seller(self):
        """Remember the published listings before the suspension unpublishes
        them, so a reinstatement publishes them again."""
        for seller in self.filtered(lambda s: s.is_seller and not s.seller_suspended):
            seller._quality_withhold_listings()
        res = super().action_suspend_seller()
        self._refresh_seller_quality()
        return res

    def action_reinstate_seller(self):
        """Reinstate: the listings withheld by the suspension are published
        again, the quality suspension ends (a metric still at its limit
        starts a new grace period at the next refresh)."""
        quality = self.filtered("quality_suspended")
        res = super().action_reinstate_seller()
        if quality:
            quality.write(
                {"quality_suspended": False, "quality_suspension_reason": False}
            )
            for seller in quality:
                self.env["marketplace.seller.event"]._claim(
                    seller,
                    "quality_reinstatement",
                    fields.Datetime.to_string(fields.Datetime.now()),
                )
        self._quality_release_listings()
        self._refresh_seller_quality()
        return res

    def _quality_withhold_listings(self):
        """Keep the published listings of this seller to publish them again."""
        self.ensure_one()
        # sudo: staff or the job block the seller; only this seller's
        # published listings are read.
        published = (
            self.env["product.template"]
            .sudo()
            .search(
                [("marketplace_seller_id", "=", self.id), ("is_published", "=", True)]
            )
        )
        if published:
            self.sudo().quality_withheld_product_ids = [
                (4, pid) for pid in published.ids
            ]

    def _quality_release_listings(self):
        """Publish again the withheld listings of the sellers who may sell."""
        for seller in self:
            if not seller._can_publish_listings():
                continue
            # sudo: see _quality_withhold_listings.
            products = seller.sudo().quality_withheld_product_ids.filtered(
                lambda p, s=seller: p.marketplace_seller_id == s and p.active
            )
            products.write({"is_published": True})
            seller.sudo().quality_withheld_product_ids = [(5, 0, 0)]

    # ------------------------------------------------------------ publication gate
    def _can_publish_listings(self):
        """A seller whose documents must be re-verified keeps or loses the
        right to publish as set in Settings."""
        return super()._can_publish_listings() and not (
            self.kyc_reverification_required
            and quality_param(self.env, "kyc_expiry_listings") == "unpublish"
        )

    # ------------------------------------------------------------ managers
    def _quality_manager(self):
        """Who follows this seller's quality: the account manager, else the
        configured quality user, else the administrator."""
        self.ensure_one()
        user_id = quality_param(self.env, "quality_user_id")
        # sudo: the configured staff user, looked up whoever triggers it.
        return (
            self.user_id
            or self.env["res.users"].sudo().browse(user_id).exists()
            or self.env.ref("base.user_admin")
        )

    def _quality_sync_grace(self):
        """The grace period shown on the seller: the earliest end among the
        open limit crossings."""
        for seller in self:
            ends = seller.quality_crossing_ids.filtered(
                lambda c: c.level == "limit" and c.state == "open"
            ).mapped("grace_until")
            grace = min(ends) if ends else False
            if seller.quality_grace_until != grace:
                seller.quality_grace_until = grace
