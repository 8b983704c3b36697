from datetime import timedelta

from odoo import api, fields, models
from odoo.tools import SQL

from .marketplace_helpers import fill_partner_company, send_template
from .marketplace_quality_params import (
    METRIC_SELECTION,
    QUALITY_METRICS,
    metric_levels,
    quality_param,
)

CROSSING_STATES = [
    ("open", "Open"),
    ("recovered", "Back under the level"),
    ("suspended", "Seller suspended"),
    ("exempted", "Seller exempted"),
    ("closed", "Closed"),
]


class MarketplaceQualityCrossing(models.Model):
    """A seller's metric reached its alert or limit level: one row per
    crossing, open until the metric is back under the level. The seller is
    told once per crossing; a limit crossing carries the grace period at the
    end of which the seller is suspended if it is still open."""

    _name = "marketplace.quality.crossing"
    _description = "Seller Quality Crossing"
    _order = "date desc, id desc"
    _rec_name = "metric"

    seller_id = fields.Many2one(
        "res.partner", required=True, index=True, ondelete="cascade", readonly=True
    )
    metric = fields.Selection(METRIC_SELECTION, required=True, readonly=True)
    level = fields.Selection(
        [("alert", "Alert"), ("limit", "Limit")], required=True, readonly=True
    )
    value = fields.Float(readonly=True, digits=(7, 2))
    threshold = fields.Float(readonly=True, digits=(7, 2))
    date = fields.Datetime(
        "Crossed on", required=True, readonly=True, default=fields.Datetime.now
    )
    date_end = fields.Datetime("Ended on", readonly=True)
    grace_until = fields.Date(readonly=True)
    state = fields.Selection(
        CROSSING_STATES, default="open", required=True, readonly=True, index=True
    )
    company_id = fields.Many2one(
        "res.company",
        required=True,
        index=True,
        readonly=True,
        help="The seller's figures company when the level was crossed.",
    )

    _one_open_crossing = models.UniqueIndex(
        "(seller_id, metric, level) WHERE state = 'open'",
        "This metric already crossed this level for this seller.",
    )

    @api.model_create_multi
    def create(self, vals_list):
        """A crossing belongs to its seller's figures company."""
        fill_partner_company(self.env, vals_list)
        return super().create(vals_list)

    # ------------------------------------------------------------ texts
    def _metric_label(self):
        self.ensure_one()
        return dict(self._fields["metric"]._description_selection(self.env))[
            self.metric
        ]

    def _format_value(self, value):
        self.ensure_one()
        if self.metric == "response":
            return self.env._("%s hours", round(value, 1))
        if self.metric == "rating":
            return self.env._("%s / 5", round(value, 2))
        return f"{round(value, 2)} %"

    def _advice(self):
        """What the seller can do about this metric."""
        self.ensure_one()
        return {
            "dispute": self.env._(
                "Describe your products precisely and answer buyers before they "
                "open a dispute."
            ),
            "refund": self.env._(
                "Check the condition of your items before shipping and solve "
                "problems with buyers directly."
            ),
            "cancel": self.env._(
                "Keep your stock up to date so that you never have to cancel a "
                "confirmed order."
            ),
            "late": self.env._(
                "Ship before the promised date, or promise a date you can keep."
            ),
            "response": self.env._(
                "Answer your buyers' tickets within a day, including week-ends."
            ),
            "rating": self.env._(
                "Read your buyers' feedback and fix what they point out."
            ),
        }[self.metric]

    def _describe(self):
        self.ensure_one()
        return self.env._(
            "%(metric)s: %(value)s (limit %(threshold)s)",
            metric=self._metric_label(),
            value=self._format_value(self.value),
            threshold=self._format_value(self.threshold),
        )

    @api.depends("metric", "level")
    @api.depends_context("lang")
    def _compute_display_name(self):
        levels = dict(self._fields["level"]._description_selection(self.env))
        for crossing in self:
            crossing.display_name = self.env._(
                "%(metric)s: %(level)s",
                metric=crossing._metric_label(),
                level=levels.get(crossing.level, ""),
            )

    def _suspension_reason(self):
        """Why the seller of this crossing is suspended, in the language of
        the one reading it (the e-mail renders in the seller's): each limit
        crossing that led to the suspension, described."""
        self.ensure_one()
        crossings = (
            self.seller_id.quality_crossing_ids.filtered(
                lambda c: c.state == "suspended" and c.level == "limit"
            )
            or self
        )
        return "; ".join(crossing._describe() for crossing in crossings)

    # ------------------------------------------------------------ crossings
    @api.model
    def _apply_level_changes(self, changes):
        """Act on the sellers whose crossed levels changed in the refresh:
        ``{seller id: (old alerts, alerts, old limits, limits)}`` (sets of
        metric keys). New crossings are recorded and notified once, ended
        ones are closed."""
        if not changes:
            return
        Partner = self.env["res.partner"]
        levels = metric_levels(self.env)
        open_rows = self.search(
            [("seller_id", "in", list(changes)), ("state", "=", "open")]
        )
        today = fields.Date.context_today(self)
        grace_days = quality_param(self.env, "quality_grace_days")
        for seller_id, (__, alerts, ___, limits) in changes.items():
            seller = Partner.browse(seller_id)
            mine = open_rows.filtered(lambda c, s=seller_id: c.seller_id.id == s)
            ended = mine.filtered(
                lambda c, a=alerts, lim=limits: (
                    c.metric not in (a if c.level == "alert" else lim)
                )
            )
            ended._close(seller)
            new_limits = self._open(
                seller,
                "limit",
                limits
                - set(mine.filtered(lambda c: c.level == "limit").mapped("metric")),
                levels,
                grace_until=today + timedelta(days=grace_days),
            )
            new_alerts = self._open(
                seller,
                "alert",
                alerts
                - set(mine.filtered(lambda c: c.level == "alert").mapped("metric")),
                levels,
            )
            # A metric that jumps over both levels at once gets one message:
            # the limit's, which says more.
            limit_metrics = set(new_limits.mapped("metric"))
            new_alerts.filtered(
                lambda c, m=limit_metrics: c.metric not in m
            )._notify_alert()
            new_limits._notify_limit()
            seller._quality_sync_grace()

    @api.model
    def _open(self, seller, level, metrics, levels, grace_until=False):
        """Record the crossings of these metrics, skipping any already open
        (a concurrent run): returns the rows created here."""
        created = self.browse()
        for metric in sorted(metrics):
            threshold = levels[metric][0 if level == "alert" else 1]
            fname = {key: fname for key, fname, *__ in QUALITY_METRICS}[metric]
            self.env.cr.execute(
                SQL(
                    """
                    INSERT INTO marketplace_quality_crossing
                           (seller_id, metric, level, value, threshold, date,
                            grace_until, state, company_id, create_uid,
                            create_date, write_uid, write_date)
                    VALUES (%(seller)s, %(metric)s, %(level)s, %(value)s,
                            %(threshold)s, %(now)s, %(grace)s, 'open',
                            %(company)s, %(uid)s, %(now)s, %(uid)s, %(now)s)
                    ON CONFLICT (seller_id, metric, level) WHERE state = 'open'
                    DO NOTHING
                    RETURNING id
                    """,
                    seller=seller.id,
                    metric=metric,
                    level=level,
                    value=seller[fname],
                    threshold=threshold,
                    now=fields.Datetime.now(),
                    grace=grace_until or None,
                    company=seller.marketplace_company_id.id,
                    uid=self.env.uid,
                )
            )
            created |= self.browse([row[0] for row in self.env.cr.fetchall()])
        if created:
            seller.invalidate_recordset(["quality_crossing_ids"])
        return created

    def _close(self, seller):
        """The metric is back under the level, or the seller left the
        programme for now (exempted, suspended, no longer evaluated)."""
        if not self:
            return
        if seller.quality_exempt_until:
            state = "exempted"
        elif seller.seller_suspended:
            state = "closed"
        else:
            state = "recovered"
        recovered_limits = self.filtered(lambda c: c.level == "limit")
        self.write({"state": state, "date_end": fields.Datetime.now()})
        if state == "recovered" and recovered_limits:
            seller.message_post(
                body=self.env._(
                    "Back under the limit: %s. The grace period ends.",
                    ", ".join(c._metric_label() for c in recovered_limits),
                ),
                subtype_xmlid="mail.mt_note",
            )

    def _claim_suspension(self):
        """Mark these open limit crossings as the cause of a suspension,
        skipping any another run claimed first; return the claimed ones."""
        if not self:
            return self
        self.flush_recordset(["state"])
        self.env.cr.execute(
            "UPDATE marketplace_quality_crossing SET state = 'suspended', "
            "date_end = NOW() AT TIME ZONE 'UTC' "
            "WHERE id IN %s AND state = 'open' RETURNING id",
            [tuple(self.ids)],
        )
        claimed = self.browse([row[0] for row in self.env.cr.fetchall()])
        claimed.invalidate_recordset(["state", "date_end"])
        return claimed

    # ------------------------------------------------------------ notifications
    def _send_template(self, xmlid):
        # sudo: the e-mail goes to the seller whoever runs the job.
        send_template(self.env(su=True), xmlid, self)

    def _notify_alert(self):
        """E-mail the seller and give the account manager an activity."""
        self._send_template("marketplace_crm.mail_template_seller_quality_alert")
        for crossing in self:
            crossing._schedule_manager_activity(
                self.env._(
                    "Quality alert: %(metric)s of %(seller)s",
                    metric=crossing._metric_label(),
                    seller=crossing.seller_id.display_name,
                )
            )
            self.env["marketplace.seller.event"]._claim(
                crossing.seller_id, "quality_alert", f"crossing:{crossing.id}"
            )

    def _notify_limit(self):
        self._send_template("marketplace_crm.mail_template_seller_quality_limit")
        for crossing in self:
            crossing._schedule_manager_activity(
                self.env._(
                    "Quality limit: %(metric)s of %(seller)s, grace period until "
                    "%(date)s",
                    metric=crossing._metric_label(),
                    seller=crossing.seller_id.display_name,
                    date=crossing.grace_until,
                )
            )
            self.env["marketplace.seller.event"]._claim(
                crossing.seller_id, "quality_grace", f"crossing:{crossing.id}"
            )

    def _schedule_manager_activity(self, summary):
        self.ensure_one()
        seller = self.seller_id
        seller.activity_schedule(
            "mail.mail_activity_data_todo",
            user_id=seller._quality_manager().id,
            summary=summary,
            note=self.env._(
                "%(metric)s is %(value)s (level %(threshold)s) over the last "
                "%(days)s days. %(advice)s",
                metric=self._metric_label(),
                value=self._format_value(self.value),
                threshold=self._format_value(self.threshold),
                days=quality_param(self.env, "quality_window_days"),
                advice=self._advice(),
            ),
        )

    # ------------------------------------------------------------ template helpers
    def _window_days(self):
        return quality_param(self.env, "quality_window_days")

    def _limit(self):
        self.ensure_one()
        return metric_levels(self.env)[self.metric][1]
