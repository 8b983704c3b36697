from odoo import api, fields, models
from odoo.tools import SQL

from .marketplace_batches import CHANNEL, JobRun
from .marketplace_claim import claim_ids
from .marketplace_params import get_param
from .res_partner_sales_figures import FIGURES_CHANGED, FIGURES_CTE, FIGURES_SET

SELLER_SEGMENTS = [
    ("new", "New"),
    ("pending", "Pending verification"),
    ("active", "Active"),
    ("inactive", "Inactive"),
    ("high_performer", "High performer"),
    ("suspended", "Suspended"),
    ("rejected", "Rejected"),
]
BUYER_SEGMENTS = [
    ("prospect", "Prospect"),
    ("active", "Active buyer"),
    ("inactive", "Inactive buyer"),
]

# The segment rules are defined once, in Python, by _get_seller_segment and
# _get_buyer_segment. The daily refresh needs them over 300,000 partners at
# once: this query is their set-based twin, used only to write the figures
# and to find the partners whose segment moves; the ORM then recomputes those
# (so tracking and Automation Rules see the change). tests/test_segment_rules
# checks over every boundary that both give the same segment.
_SEGMENTS_CTE = f"""
{FIGURES_CTE}, seg AS (
    SELECT new.*,
           CASE
               WHEN NOT new.seller THEN NULL
               WHEN p.verification_state = 'rejected' THEN 'rejected'
               WHEN p.seller_suspended THEN 'suspended'
               WHEN p.verification_state = 'draft' THEN 'new'
               WHEN p.verification_state = 'pending' THEN 'pending'
               WHEN (%(top_amount)s > 0 AND new.ar >= %(top_amount)s)
                 OR (%(top_count)s > 0 AND new.cr >= %(top_count)s)
                   THEN 'high_performer'
               WHEN %(today)s - COALESCE(new.last_day, p.verification_date::date,
                                         p.seller_registration_date)
                    >= %(inactive_days)s
                   THEN 'inactive'
               ELSE 'active'
           END AS seller_segment,
           CASE
               WHEN p.is_buyer IS NOT TRUE THEN NULL
               WHEN p.buyer_last_order_date IS NULL THEN 'prospect'
               WHEN %(today)s - p.buyer_last_order_date <= %(active_days)s
                   THEN 'active'
               ELSE 'inactive'
           END AS buyer_segment,
           new.seller AND {FIGURES_CHANGED} AS figures_changed
      FROM new
      JOIN res_partner p ON p.id = new.id
     WHERE %(target)s
)
"""

_FIGURES_AND_SEGMENTS_REFRESH = f"""
WITH {_SEGMENTS_CTE}, written AS (
    UPDATE res_partner p {FIGURES_SET}
      FROM seg AS new
     WHERE p.id = new.id AND new.figures_changed
)
SELECT seg.id,
       seg.figures_changed,
       seg.seller_segment IS DISTINCT FROM p.seller_segment,
       seg.buyer_segment IS DISTINCT FROM p.buyer_segment
  FROM seg
  JOIN res_partner p ON p.id = seg.id
 WHERE seg.figures_changed
    OR (seg.seller_segment, seg.buyer_segment)
       IS DISTINCT FROM (p.seller_segment, p.buyer_segment)
"""

_SEGMENTS_SELECT = f"""
WITH {_SEGMENTS_CTE}
SELECT id, seller_segment, buyer_segment FROM seg
"""

# What the figures and segments are computed from.
SEGMENT_INPUTS = [
    "is_seller",
    "is_buyer",
    "verification_state",
    "seller_suspended",
    "verification_date",
    "seller_registration_date",
    "buyer_last_order_date",
]


class ResPartner(models.Model):
    _inherit = "res.partner"

    # --- segments ---------------------------------------------------------------
    seller_segment = fields.Selection(
        SELLER_SEGMENTS,
        compute="_compute_seller_segment",
        store=True,
        index=True,
        tracking=True,
        help="New: registered, verification not submitted. Pending: waiting for the "
        "team. Active: validated and selling. Inactive: no sale for the configured "
        "number of days. High performer: sales of the last 30 days above the "
        "configured value or count. Suspended and Rejected: cannot sell.",
    )
    buyer_segment = fields.Selection(
        BUYER_SEGMENTS,
        compute="_compute_buyer_segment",
        store=True,
        index=True,
        help="Prospect: no confirmed purchase yet. Active: a confirmed purchase "
        "within the configured number of days. Inactive: bought before, nothing since.",
    )

    @api.depends(
        "is_seller",
        "verification_state",
        "seller_suspended",
        "seller_last_sale_date",
        "seller_sale_amount_30d",
        "seller_sale_count_30d",
        "verification_date",
        "seller_registration_date",
    )
    def _compute_seller_segment(self):
        params = self._marketplace_segment_params()
        for partner in self:
            partner.seller_segment = partner._get_seller_segment(params)

    @api.depends("is_buyer", "buyer_last_order_date")
    def _compute_buyer_segment(self):
        params = self._marketplace_segment_params()
        for partner in self:
            partner.buyer_segment = partner._get_buyer_segment(params)

    @api.model
    def _marketplace_segment_params(self):
        """Today and the thresholds of the segment rules, read once for both
        the single-record and the set-based paths. A threshold of 0 or less
        disables its high-performer criterion; day counts below 0 count as 0."""
        return {
            "today": fields.Date.context_today(self),
            "inactive_days": max(0, get_param(self.env, "seller_inactive_days")),
            "top_amount": max(0.0, get_param(self.env, "high_performer_amount")),
            "top_count": max(0, get_param(self.env, "high_performer_count")),
            "active_days": max(0, get_param(self.env, "buyer_active_days")),
        }

    def _get_seller_segment(self, params):
        """The segment of one seller: the rule (``params`` as given by
        :meth:`_marketplace_segment_params`)."""
        self.ensure_one()
        if not self.is_seller:
            return False
        if self.verification_state == "rejected":
            return "rejected"
        if self.seller_suspended:
            return "suspended"
        if self.verification_state == "draft":
            return "new"
        if self.verification_state == "pending":
            return "pending"
        top_amount, top_count = params["top_amount"], params["top_count"]
        currency = self.marketplace_currency_id
        if (
            top_amount > 0
            and currency.compare_amounts(self.seller_sale_amount_30d, top_amount) >= 0
        ) or (top_count > 0 and self.seller_sale_count_30d >= top_count):
            return "high_performer"
        since = (
            self.seller_last_sale_date
            or (self.verification_date and self.verification_date.date())
            or self.seller_registration_date
        )
        if since and (params["today"] - since).days >= params["inactive_days"]:
            return "inactive"
        return "active"

    def _get_buyer_segment(self, params):
        """The segment of one buyer: the rule."""
        self.ensure_one()
        if not self.is_buyer:
            return False
        if not self.buyer_last_order_date:
            return "prospect"
        if (params["today"] - self.buyer_last_order_date).days <= params["active_days"]:
            return "active"
        return "inactive"

    # ------------------------------------------------------------------ refresh
    @api.model
    def _cron_refresh_marketplace_segments(self, batch_size=20000):
        """Refresh every seller's sales figures and every seller's and buyer's
        segment, as time passes even when no record changes.

        Set-based: each batch of ``batch_size`` partners is read by one query,
        which writes the figures that changed and names the partners whose
        segment moves; those few are recomputed through the ORM. Each batch is
        committed; a run stopped by its time budget goes on where it stopped.
        Running it twice, or in two workers at once, writes the same values.
        """
        self.env.flush_all()
        self.env.cr.execute(
            "SELECT id FROM res_partner WHERE is_seller OR is_buyer ORDER BY id"
        )
        partners = self.browse([row[0] for row in self.env.cr.fetchall()])
        with JobRun(self, "marketplace_segments") as job:
            job.run(
                "_job_refresh_marketplace_segments",
                partners,
                batch_size=batch_size,
                channel=CHANNEL,
                description=self.env._("Refresh of the marketplace segments"),
            )
        return True

    @api.model
    def _job_refresh_marketplace_segments(self, partners):
        """A batch of the segment refresh (in the cron or a queue job). On
        the job workers, two jobs may hold the same batch at once (queued by
        two processes at the same moment): the partners another worker is
        refreshing, or refreshed since this one started, are left to it."""
        if self.env.context.get("job_uuid") and partners:
            partners = partners.browse(
                claim_ids(
                    self.env,
                    SQL(
                        "SELECT id FROM res_partner WHERE id IN %s ORDER BY id "
                        "FOR NO KEY UPDATE SKIP LOCKED",
                        tuple(partners.ids),
                    ),
                )
            )
        partners._refresh_marketplace_figures()

    def _marketplace_refresh_params(self):
        params = super()._marketplace_refresh_params()
        params.update(self._marketplace_segment_params())
        return params

    def _flush_marketplace_inputs(self):
        res = super()._flush_marketplace_inputs()
        self.flush_model([*SEGMENT_INPUTS, "seller_segment", "buyer_segment"])
        return res

    def _refresh_marketplace_figures(self):
        """Refresh the sales figures and the segments of these partners;
        returns the partners whose figures or segment changed.

        One query writes the figures that changed and finds the partners whose
        segment moves (time passes, a threshold changed); only those segments
        are recomputed, through the ORM, so that tracking and Automation Rules
        see each change.
        """
        if not self:
            return self
        self._flush_marketplace_inputs()
        self.env.cr.execute(
            SQL(
                _FIGURES_AND_SEGMENTS_REFRESH,
                **self._marketplace_partner_filters(),
                **self._marketplace_refresh_params(),
            )
        )
        rows = self.env.cr.fetchall()
        figures = self.browse(row[0] for row in rows if row[1])
        if figures:
            figures.invalidate_recordset(list(self.SELLER_FIGURES))
            figures.modified(list(self.SELLER_FIGURES))
        for fname, column in (("seller_segment", 2), ("buyer_segment", 3)):
            field = self._fields[fname]
            # Only the partners whose segment moves are recomputed.
            self.env.remove_to_compute(field, self)
            self.env.add_to_compute(field, self.browse(r[0] for r in rows if r[column]))
        self._recompute_recordset(["seller_segment", "buyer_segment"])
        self.browse(r[0] for r in rows if r[2])._log_segment_moves()
        return self.browse(row[0] for row in rows)

    def _log_segment_moves(self):
        """Write the tracking messages of these partners' seller segment moves
        now, in one batch (``_message_log_batch``, then their tracking values
        in one INSERT), instead of one message per partner at commit.

        The recompute above prepared Odoo's tracking (the segment before the
        move); the partners whose only pending tracked change is the segment
        are taken out of it and logged here as Odoo would log them (a note by
        the current user with one tracking value). Any other tracked change
        of a partner (an Automation Rule's write, say) is left to Odoo."""
        pending = self.env.cr.precommit.data.get(f"mail.tracking.{self._name}") or {}
        initial = {
            partner_id: pending.pop(partner_id)["seller_segment"]
            for partner_id in self.ids
            if set(pending.get(partner_id) or ()) == {"seller_segment"}
        }
        moved = self.browse(initial).filtered(
            lambda p: p.seller_segment != initial[p.id]
        )
        if not moved:
            return
        col_info = self.fields_get(["seller_segment"], ["string", "type", "selection"])[
            "seller_segment"
        ]
        Tracking = self.env["mail.tracking.value"]
        # sudo: tracking messages are logged as the ORM logs them (sudo);
        # Odoo's batch log takes no tracking values, added below.
        messages = moved.sudo()._message_log_batch({})
        message_of = {message.res_id: message.id for message in messages}
        # Their tracking values in one INSERT (not one per message).
        Tracking.sudo().create(
            [
                dict(
                    Tracking._create_tracking_values(
                        initial[partner.id],
                        partner.seller_segment,
                        "seller_segment",
                        col_info,
                        partner,
                    ),
                    mail_message_id=message_of[partner.id],
                )
                for partner in moved
            ]
        )

    def _marketplace_segments_by_sql(self):
        """{partner id: (seller segment, buyer segment)} as the set-based
        refresh computes them, writing nothing: what holds the SQL twin to
        the rule in the tests."""
        self._flush_marketplace_inputs()
        self.env.cr.execute(
            SQL(
                _SEGMENTS_SELECT,
                **self._marketplace_partner_filters(),
                **self._marketplace_refresh_params(),
            )
        )
        return {row[0]: (row[1], row[2]) for row in self.env.cr.fetchall()}
