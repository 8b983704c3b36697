"""The seller quality programme on the seller: service metrics over a rolling
window, an explainable health score and tier, alert and limit crossings with
a grace period, automatic suspension and its reversal, staff exemptions.

Metric definitions (window: the last N days of Settings, default 90):

* **orders**: the seller's order parts (``marketplace.order.seller``, one per
  confirmed order and seller) dated in the window, confirmed or cancelled
  after confirmation;
* **dispute rate**: orders with a dispute against the seller on that order,
  per order (%);
* **refund rate**: orders whose dispute was resolved or closed with a full or
  partial refund, per order (%);
* **cancellation rate**: orders cancelled after confirmation, per order (%).
  The order part only exists once the order was confirmed: a cart or
  quotation the buyer drops never counts; an order cancelled after
  confirmation does, since on the marketplace it is the seller who could not
  serve it;
* **late-shipment rate**: among the orders with a done outgoing delivery
  holding the seller's products, those whose delivery was done after its
  promised date (the delivery's deadline, from the promised date of the
  order, or else its scheduled date) (%);
* **first response time**: over the buyers' tickets about the seller opened
  in the window, the hours from the ticket's creation to the seller's first
  message on it (a contact of the seller as author); a ticket the seller has
  not answered counts the hours elapsed so far;
* **average rating**: of the buyers' ratings of the orders of the window.

A metric *crosses* its level at ``value >= level`` (at ``value < level`` for
the rating, where lower is worse); a level of 0 disables it. Sellers with
fewer orders than the minimum, not validated, suspended or exempted are not
evaluated (no crossing).
"""

import math
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import SQL

from .marketplace_quality_params import (
    QUALITY_METRICS,
    QUALITY_TIERS,
    metric_levels,
    quality_param,
)

_QUALITY_UPDATE = """
WITH parts AS (
    SELECT id, seller_id, order_id, state
      FROM marketplace_order_seller
     WHERE %(sellers)s
       AND date_order >= %(start)s AND date_order <= %(now)s
       AND line_count > 0
       AND state IN ('sale', 'cancel')
), flags AS (
    SELECT parts.seller_id,
           parts.state = 'cancel' AS cancelled,
           EXISTS (SELECT 1 FROM marketplace_dispute d
                    WHERE d.order_id = parts.order_id
                      AND d.seller_id = parts.seller_id) AS disputed,
           EXISTS (SELECT 1 FROM marketplace_dispute d
                    WHERE d.order_id = parts.order_id
                      AND d.seller_id = parts.seller_id
                      AND d.state IN ('resolved', 'closed')
                      AND d.outcome IN ('buyer_refunded', 'partial_refund'))
               AS refunded,
           ship.shipped, ship.late,
           (SELECT AVG(r.rating) FROM rating_rating r
             WHERE r.res_model = 'marketplace.order.seller' AND r.res_id = parts.id
               AND r.consumed AND r.rating > 0) AS rating
      FROM parts
 LEFT JOIN LATERAL (
        SELECT TRUE AS shipped,
               BOOL_OR(pk.date_done > COALESCE(pk.date_deadline, pk.scheduled_date))
                   AS late
          FROM stock_picking pk
          JOIN stock_picking_type pt ON pt.id = pk.picking_type_id
         WHERE pk.sale_id = parts.order_id
           AND parts.state = 'sale'
           AND pk.state = 'done'
           AND pt.code = 'outgoing'
           AND EXISTS (SELECT 1
                         FROM stock_move m
                         JOIN product_product pp ON pp.id = m.product_id
                         JOIN product_template t ON t.id = pp.product_tmpl_id
                        WHERE m.picking_id = pk.id
                          AND t.marketplace_seller_id = parts.seller_id)
        HAVING COUNT(*) > 0
      ) ship ON TRUE
), agg AS (
    SELECT seller_id,
           COUNT(*) AS orders,
           COUNT(*) FILTER (WHERE disputed) AS disputed,
           COUNT(*) FILTER (WHERE refunded) AS refunded,
           COUNT(*) FILTER (WHERE cancelled) AS cancelled,
           COUNT(*) FILTER (WHERE shipped) AS shipped,
           COUNT(*) FILTER (WHERE late) AS late,
           AVG(rating) AS rating,
           COUNT(rating) AS rated
      FROM flags
  GROUP BY seller_id
), tickets AS (
    SELECT t.seller_id,
           COUNT(*) AS tickets,
           AVG(EXTRACT(EPOCH FROM (COALESCE(fr.answered, %(now)s) - t.create_date))
               / 3600.0) AS hours
      FROM helpdesk_ticket t
 LEFT JOIN LATERAL (
        SELECT MIN(m.date) AS answered
          FROM mail_message m
          JOIN res_partner a ON a.id = m.author_id
         WHERE m.model = 'helpdesk.ticket' AND m.res_id = t.id
           AND m.message_type IN ('comment', 'email')
           AND a.commercial_partner_id = t.seller_id
           AND m.date >= t.create_date
      ) fr ON TRUE
     WHERE %(ticket_sellers)s
       AND t.buyer_id IS NOT NULL
       AND t.create_date >= %(start)s AND t.create_date <= %(now)s
  GROUP BY t.seller_id
), metrics AS (
    SELECT p.id,
           COALESCE(a.orders, 0) AS orders,
           ROUND(COALESCE(100.0 * a.disputed / NULLIF(a.orders, 0), 0), 2) AS dispute,
           ROUND(COALESCE(100.0 * a.refunded / NULLIF(a.orders, 0), 0), 2) AS refund,
           ROUND(COALESCE(100.0 * a.cancelled / NULLIF(a.orders, 0), 0), 2) AS cancel,
           ROUND(COALESCE(100.0 * a.late / NULLIF(a.shipped, 0), 0), 2) AS late,
           COALESCE(tk.tickets, 0) AS tickets,
           ROUND(COALESCE(tk.hours, 0)::numeric, 2) AS response,
           ROUND(COALESCE(a.rating, 0)::numeric, 2) AS rating,
           COALESCE(a.rated, 0) AS rated,
           p.seller_suspended IS TRUE AS suspended,
           p.verification_state IS NOT DISTINCT FROM 'validated' AS validated,
           COALESCE(p.quality_exempt_until >= %(today)s, FALSE) AS exempt,
           p.kyc_reverification_required IS TRUE AS kyc,
           COALESCE(p.quality_alert_keys, '') AS old_alerts,
           COALESCE(p.quality_limit_keys, '') AS old_limits
      FROM res_partner p
 LEFT JOIN agg a ON a.seller_id = p.id
 LEFT JOIN tickets tk ON tk.seller_id = p.id
     WHERE %(partners)s AND p.is_seller
), crossed AS (
    SELECT metrics.*,
           ROUND((
               %(w_dispute)s * CASE WHEN %(l_dispute)s > 0
                   THEN GREATEST(0, 1 - dispute / %(l_dispute)s) ELSE 1 END
             + %(w_refund)s * CASE WHEN %(l_refund)s > 0
                   THEN GREATEST(0, 1 - refund / %(l_refund)s) ELSE 1 END
             + %(w_cancel)s * CASE WHEN %(l_cancel)s > 0
                   THEN GREATEST(0, 1 - cancel / %(l_cancel)s) ELSE 1 END
             + %(w_late)s * CASE WHEN %(l_late)s > 0
                   THEN GREATEST(0, 1 - late / %(l_late)s) ELSE 1 END
             + %(w_response)s * CASE WHEN %(l_response)s > 0
                   THEN GREATEST(0, 1 - response / %(l_response)s) ELSE 1 END
             + %(w_rating)s * CASE WHEN rated = 0 OR %(l_rating)s >= 5 THEN 1
                   ELSE LEAST(1, GREATEST(0, (rating - %(l_rating)s)
                                              / (5 - %(l_rating)s))) END
           )::numeric)::integer AS score,
           orders >= %(min_orders)s AS evaluated,
           CONCAT_WS(',',
               CASE WHEN %(a_dispute)s > 0
                         AND dispute >= %(a_dispute)s THEN 'dispute' END,
               CASE WHEN %(a_refund)s > 0 AND refund >= %(a_refund)s THEN 'refund' END,
               CASE WHEN %(a_cancel)s > 0 AND cancel >= %(a_cancel)s THEN 'cancel' END,
               CASE WHEN %(a_late)s > 0 AND late >= %(a_late)s THEN 'late' END,
               CASE WHEN %(a_response)s > 0 AND tickets > 0
                         AND response >= %(a_response)s THEN 'response' END,
               CASE WHEN rated > 0 AND rating < %(a_rating)s THEN 'rating' END
           ) AS raw_alerts,
           CONCAT_WS(',',
               CASE WHEN %(l_dispute)s > 0
                         AND dispute >= %(l_dispute)s THEN 'dispute' END,
               CASE WHEN %(l_refund)s > 0 AND refund >= %(l_refund)s THEN 'refund' END,
               CASE WHEN %(l_cancel)s > 0 AND cancel >= %(l_cancel)s THEN 'cancel' END,
               CASE WHEN %(l_late)s > 0 AND late >= %(l_late)s THEN 'late' END,
               CASE WHEN %(l_response)s > 0 AND tickets > 0
                         AND response >= %(l_response)s THEN 'response' END,
               CASE WHEN rated > 0 AND rating < %(l_rating)s THEN 'rating' END
           ) AS raw_limits
      FROM metrics
), new AS (
    SELECT crossed.*,
           CASE WHEN evaluated AND validated AND NOT suspended AND NOT exempt
                THEN raw_alerts ELSE '' END AS alerts,
           CASE WHEN evaluated AND validated AND NOT suspended AND NOT exempt
                THEN raw_limits ELSE '' END AS limits,
           CASE
               WHEN suspended THEN 'suspended'
               WHEN NOT validated OR NOT evaluated THEN 'unrated'
               WHEN raw_limits <> '' OR kyc OR score < %(risk_score)s THEN 'at_risk'
               WHEN raw_alerts = '' AND score >= %(top_score)s THEN 'top'
               ELSE 'good'
           END AS tier
      FROM crossed
)
UPDATE res_partner p
   SET quality_order_count = new.orders,
       quality_dispute_rate = new.dispute,
       quality_refund_rate = new.refund,
       quality_cancel_rate = new.cancel,
       quality_late_rate = new.late,
       quality_ticket_count = new.tickets,
       quality_response_hours = new.response,
       quality_rating_avg = new.rating,
       quality_rating_count = new.rated,
       quality_score = new.score,
       seller_quality_tier = new.tier,
       quality_alert_keys = new.alerts,
       quality_limit_keys = new.limits
  FROM new
 WHERE p.id = new.id
   AND (p.quality_order_count, p.quality_dispute_rate, p.quality_refund_rate,
        p.quality_cancel_rate, p.quality_late_rate, p.quality_ticket_count,
        p.quality_response_hours, p.quality_rating_avg, p.quality_rating_count,
        p.quality_score, p.seller_quality_tier, p.quality_alert_keys,
        p.quality_limit_keys)
       IS DISTINCT FROM
       (new.orders, new.dispute, new.refund, new.cancel, new.late, new.tickets,
        new.response, new.rating, new.rated, new.score, new.tier, new.alerts,
        new.limits)
RETURNING p.id, new.old_alerts, new.alerts, new.old_limits, new.limits
"""

QUALITY_FIELDS = [
    "quality_order_count",
    "quality_dispute_rate",
    "quality_refund_rate",
    "quality_cancel_rate",
    "quality_late_rate",
    "quality_ticket_count",
    "quality_response_hours",
    "quality_rating_avg",
    "quality_rating_count",
    "quality_score",
    "seller_quality_tier",
    "quality_alert_keys",
    "quality_limit_keys",
]


def _keys(text):
    return set(filter(None, (text or "").split(",")))


class ResPartner(models.Model):
    _inherit = "res.partner"

    # --- metrics (written by the daily refresh) --------------------------------
    quality_order_count = fields.Integer("Orders (quality window)", readonly=True)
    quality_dispute_rate = fields.Float(
        "Dispute Rate (window, %)", readonly=True, digits=(5, 2), aggregator="avg"
    )
    quality_refund_rate = fields.Float(
        "Refund Rate (%)", readonly=True, digits=(5, 2), aggregator="avg"
    )
    quality_cancel_rate = fields.Float(
        "Cancellation Rate (%)", readonly=True, digits=(5, 2), aggregator="avg"
    )
    quality_late_rate = fields.Float(
        "Late Shipment Rate (%)", readonly=True, digits=(5, 2), aggregator="avg"
    )
    quality_ticket_count = fields.Integer("Buyer Tickets (window)", readonly=True)
    quality_response_hours = fields.Float(
        "First Response Time (hours)", readonly=True, digits=(7, 2), aggregator="avg"
    )
    quality_rating_avg = fields.Float(
        "Average Rating (window)", readonly=True, digits=(3, 2), aggregator="avg"
    )
    quality_rating_count = fields.Integer("Ratings (window)", readonly=True)
    quality_score = fields.Integer(
        "Health Score",
        readonly=True,
        aggregator="avg",
        help="0 to 100: each metric gives its weight in points when it is at "
        "0 (5 stars for the rating), none at its limit level.",
    )
    seller_quality_tier = fields.Selection(
        QUALITY_TIERS,
        "Quality Tier",
        readonly=True,
        index=True,
        help="Top seller: evaluated, no metric at its alert level and a health "
        "score at or above the top score. At risk: a metric at its limit, a "
        "document to re-verify or a score below the at-risk score. Suspended: "
        "the seller cannot sell. Not rated yet: fewer orders than the minimum, "
        "or not validated.",
    )
    quality_alert_keys = fields.Char(readonly=True, copy=False)
    quality_limit_keys = fields.Char(readonly=True, copy=False)
    quality_score_explanation = fields.Html(
        "Score Details", compute="_compute_quality_score_explanation", sanitize=False
    )

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
    quality_exempt_reason = fields.Char("Exemption Reason", copy=False, tracking=True)
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

    # ------------------------------------------------------------ the score
    def _quality_factors(self):
        """The health score explained: one dict per metric with its value,
        levels, weight and points (the SQL refresh computes the same)."""
        self.ensure_one()
        levels = metric_levels(self.env)
        labels = dict(
            self.env["marketplace.quality.crossing"]
            ._fields["metric"]
            ._description_selection(self.env)
        )
        factors = []
        for key, fname, weight, higher_worse in QUALITY_METRICS:
            alert, limit = levels[key]
            value = self[fname]
            if higher_worse:
                ratio = max(0.0, 1 - value / limit) if limit > 0 else 1.0
            elif not self.quality_rating_count or limit >= 5:
                ratio = 1.0
            else:
                ratio = min(1.0, max(0.0, (value - limit) / (5 - limit)))
            factors.append(
                {
                    "key": key,
                    "label": labels[key],
                    "value": value,
                    "unit": "%"
                    if key not in ("response", "rating")
                    else (" h" if key == "response" else " / 5"),
                    "alert": alert,
                    "limit": limit,
                    "weight": weight,
                    "points": weight * ratio,
                    "status": self._quality_metric_status(key, value, alert, limit),
                }
            )
        return factors

    def _quality_metric_status(self, key, value, alert, limit):
        """ "limit", "alert" or "ok" for this value (see the module docstring)."""
        if key == "rating":
            if not self.quality_rating_count:
                return "ok"
            return "limit" if value < limit else "alert" if value < alert else "ok"
        if key == "response" and not self.quality_ticket_count:
            return "ok"
        if limit > 0 and value >= limit:
            return "limit"
        if alert > 0 and value >= alert:
            return "alert"
        return "ok"

    @api.model
    def _quality_round_score(self, points):
        return math.floor(points + 0.5)

    @api.depends(*[fname for __, fname, *___ in QUALITY_METRICS], "quality_score")
    def _compute_quality_score_explanation(self):
        for partner in self:
            if not partner.is_seller:
                partner.quality_score_explanation = False
                continue
            partner.quality_score_explanation = self.env["ir.qweb"]._render(
                "marketplace_crm.seller_quality_factors",
                {"seller": partner, "factors": partner._quality_factors()},
            )

    # ------------------------------------------------------------ refresh
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
        ids = [row[0] for row in self.env.cr.fetchall()]
        cron = self.env["ir.cron"]
        cron._commit_progress(remaining=len(ids))
        for start in range(0, len(ids), batch_size):
            batch = self.browse(ids[start : start + batch_size])
            batch._refresh_seller_quality()
            cron._commit_progress(len(batch))
        self._quality_apply_grace_ends()
        return True

    def _refresh_seller_quality(self):
        """Recompute the quality metrics, score and tier of these sellers in
        one statement, then act on the crossings it reports."""
        if not self:
            return self
        self._flush_quality_inputs()
        # JIT off for this transaction, in the same round trip: compiling the
        # statement's many expressions cost PostgreSQL seconds per batch, ten
        # times the statement itself (bench/README.md).
        self.env.cr.execute(
            SQL(
                "SET LOCAL jit = off; %s",
                SQL(
                    _QUALITY_UPDATE, **self._quality_filters(), **self._quality_params()
                ),
            )
        )
        rows = self.env.cr.fetchall()
        changed = self.browse(row[0] for row in rows)
        if changed:
            changed.invalidate_recordset(QUALITY_FIELDS)
            changed.modified(QUALITY_FIELDS)
        # sudo: the crossings are system records; staff who suspend or
        # reinstate a seller (and the job) move them, only these sellers'.
        self.env["marketplace.quality.crossing"].sudo()._apply_level_changes(
            {
                row[0]: (_keys(row[1]), _keys(row[2]), _keys(row[3]), _keys(row[4]))
                for row in rows
                if (row[1], row[3]) != (row[2], row[4])
            }
        )
        return changed

    def _quality_filters(self):
        ids = sorted(self.ids)
        low, high = ids[0], ids[-1]
        if len(ids) * 4 < high - low + 1:
            return {
                "partners": SQL("p.id = ANY(%s)", ids),
                "sellers": SQL("seller_id = ANY(%s)", ids),
                "ticket_sellers": SQL("t.seller_id = ANY(%s)", ids),
            }
        return {
            "partners": SQL(
                "p.id BETWEEN %s AND %s AND p.id = ANY(%s)", low, high, ids
            ),
            "sellers": SQL("seller_id BETWEEN %s AND %s", low, high),
            "ticket_sellers": SQL("t.seller_id BETWEEN %s AND %s", low, high),
        }

    def _quality_window(self):
        """(start, now) of the rolling window, naive UTC datetimes."""
        now = fields.Datetime.now()
        days = quality_param(self.env, "quality_window_days")
        return now - timedelta(days=days), now

    def _quality_params(self):
        start, now = self._quality_window()
        params = {
            "start": start,
            "now": now,
            "today": fields.Date.context_today(self),
            "min_orders": quality_param(self.env, "quality_min_orders"),
            "top_score": quality_param(self.env, "quality_top_score"),
            "risk_score": quality_param(self.env, "quality_risk_score"),
        }
        levels = metric_levels(self.env)
        for key, __, weight, ___ in QUALITY_METRICS:
            params[f"w_{key}"] = weight
            params[f"a_{key}"] = float(levels[key][0])
            params[f"l_{key}"] = float(levels[key][1])
        return params

    def _flush_quality_inputs(self):
        self.env["marketplace.order.seller"].flush_model()
        self.env["marketplace.dispute"].flush_model(
            ["order_id", "seller_id", "state", "outcome"]
        )
        self.env["rating.rating"].flush_model()
        self.env["stock.picking"].flush_model()
        self.env["stock.move"].flush_model(["picking_id", "product_id"])
        self.env["helpdesk.ticket"].flush_model(["seller_id", "buyer_id"])
        self.env["mail.message"].flush_model()
        self.flush_model()

    # ------------------------------------------------------------ single seller
    def _quality_metrics_orm(self):
        """The metrics of one seller read through the ORM, record by record:
        the reference the set-based refresh is checked against."""
        self.ensure_one()
        # sudo: the metrics are system-maintained; every record read is the
        # seller's own (order parts, disputes, deliveries, tickets).
        env = self.sudo().env
        start, now = self._quality_window()
        parts = env["marketplace.order.seller"].search(
            [
                ("seller_id", "=", self.id),
                ("date_order", ">=", start),
                ("date_order", "<=", now),
                ("line_count", ">", 0),
                ("state", "in", ("sale", "cancel")),
            ]
        )
        disputes = env["marketplace.dispute"].search(
            [("seller_id", "=", self.id), ("order_id", "in", parts.order_id.ids)]
        )
        refunded = disputes.filtered(
            lambda d: (
                d.state in ("resolved", "closed")
                and d.outcome in ("buyer_refunded", "partial_refund")
            )
        )
        shipped = late = 0
        for part in parts.filtered(lambda p: p.state == "sale"):
            pickings = (
                env["stock.picking"]
                .search(
                    [
                        ("sale_id", "=", part.order_id.id),
                        ("state", "=", "done"),
                        ("picking_type_id.code", "=", "outgoing"),
                    ]
                )
                .filtered(
                    lambda pk, seller=self: (
                        seller
                        in pk.move_ids.product_id.product_tmpl_id.marketplace_seller_id
                    )
                )
            )
            if pickings:
                shipped += 1
                late += any(
                    pk.date_done > (pk.date_deadline or pk.scheduled_date)
                    for pk in pickings
                )
        ratings = env["rating.rating"].search(
            [
                ("res_model", "=", "marketplace.order.seller"),
                ("res_id", "in", parts.ids),
                ("consumed", "=", True),
                ("rating", ">", 0),
            ]
        )
        tickets = (
            env["helpdesk.ticket"]
            .with_context(active_test=False)
            .search(
                [
                    ("seller_id", "=", self.id),
                    ("buyer_id", "!=", False),
                    ("create_date", ">=", start),
                    ("create_date", "<=", now),
                ]
            )
        )
        hours = []
        for ticket in tickets:
            answers = ticket.message_ids.filtered(
                lambda m, t=ticket: (
                    m.message_type in ("comment", "email")
                    and m.author_id.commercial_partner_id == self
                    and m.date >= t.create_date
                )
            )
            answered = min(answers.mapped("date"), default=now)
            hours.append((answered - ticket.create_date).total_seconds() / 3600)
        orders = len(parts)
        by_part = {}
        for rating in ratings:
            by_part.setdefault(rating.res_id, []).append(rating.rating)
        part_avgs = [sum(v) / len(v) for v in by_part.values()]

        def rate(count, total):
            return round(100.0 * count / total, 2) if total else 0.0

        return {
            "quality_order_count": orders,
            "quality_dispute_rate": rate(len(set(disputes.order_id.ids)), orders),
            "quality_refund_rate": rate(len(set(refunded.order_id.ids)), orders),
            "quality_cancel_rate": rate(
                len(parts.filtered(lambda p: p.state == "cancel")), orders
            ),
            "quality_late_rate": rate(late, shipped),
            "quality_ticket_count": len(tickets),
            "quality_response_hours": round(sum(hours) / len(hours), 2)
            if hours
            else 0.0,
            "quality_rating_avg": round(sum(part_avgs) / len(part_avgs), 2)
            if part_avgs
            else 0.0,
            "quality_rating_count": len(part_avgs),
        }

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

    # ------------------------------------------------------------ drill-downs
    def _quality_parts_domain(self):
        start, now = self._quality_window()
        return [
            ("seller_id", "=", self.id),
            ("date_order", ">=", start),
            ("date_order", "<=", now),
            ("line_count", ">", 0),
            ("state", "in", ("sale", "cancel")),
        ]

    def _quality_action(self, name, model, domain):
        return {
            "type": "ir.actions.act_window",
            "name": name,
            "res_model": model,
            "view_mode": "list,form",
            "domain": domain,
            "context": {"create": False},
        }

    def action_quality_view_orders(self):
        self.ensure_one()
        name = self.env._("Orders of the quality window")
        return self._quality_action(
            name,
            "marketplace.order.seller",
            self._quality_parts_domain(),
        )

    def action_quality_view_cancellations(self):
        self.ensure_one()
        name = self.env._("Cancelled orders")
        return self._quality_action(
            name,
            "marketplace.order.seller",
            [*self._quality_parts_domain(), ("state", "=", "cancel")],
        )

    def _quality_window_orders(self):
        # sudo: staff drill down into the orders behind a metric.
        return (
            self.env["marketplace.order.seller"]
            .sudo()
            .search(self._quality_parts_domain())
            .order_id
        )

    def action_quality_view_disputes(self):
        self.ensure_one()
        name = self.env._("Disputes of the quality window")
        return self._quality_action(
            name,
            "marketplace.dispute",
            [
                ("seller_id", "=", self.id),
                ("order_id", "in", self._quality_window_orders().ids),
            ],
        )

    def action_quality_view_refunds(self):
        self.ensure_one()
        name = self.env._("Refunded disputes")
        return self._quality_action(
            name,
            "marketplace.dispute",
            [
                ("seller_id", "=", self.id),
                ("order_id", "in", self._quality_window_orders().ids),
                ("state", "in", ("resolved", "closed")),
                ("outcome", "in", ("buyer_refunded", "partial_refund")),
            ],
        )

    def action_quality_view_deliveries(self):
        self.ensure_one()
        name = self.env._("Deliveries of the quality window")
        return self._quality_action(
            name,
            "stock.picking",
            [
                ("sale_id", "in", self._quality_window_orders().ids),
                ("state", "=", "done"),
                ("picking_type_id.code", "=", "outgoing"),
                (
                    "move_ids.product_id.product_tmpl_id.marketplace_seller_id",
                    "=",
                    self.id,
                ),
            ],
        )

    def action_quality_view_tickets(self):
        self.ensure_one()
        start, now = self._quality_window()
        name = self.env._("Buyer tickets of the quality window")
        return self._quality_action(
            name,
            "helpdesk.ticket",
            [
                ("seller_id", "=", self.id),
                ("buyer_id", "!=", False),
                ("create_date", ">=", start),
                ("create_date", "<=", now),
            ],
        )

    def action_quality_view_ratings(self):
        self.ensure_one()
        # sudo: see _quality_window_orders.
        parts = (
            self.env["marketplace.order.seller"]
            .sudo()
            .search(self._quality_parts_domain())
        )
        name = self.env._("Ratings of the quality window")
        return self._quality_action(
            name,
            "rating.rating",
            [
                ("res_model", "=", "marketplace.order.seller"),
                ("res_id", "in", parts.ids),
                ("consumed", "=", True),
            ],
        )

    def action_quality_refresh(self):
        """Staff refresh one seller's quality figures now."""
        self._refresh_seller_quality()
        return True

    # ------------------------------------------------------------ public badge
    def _is_top_seller(self):
        """Whether the public pages show the Top seller badge."""
        self.ensure_one()
        # sudo: the tier is public information shown on the website.
        seller = self.sudo()
        return (
            seller.is_seller
            and seller.seller_quality_tier == "top"
            and not seller.seller_suspended
        )

    @api.model
    def _quality_tier_label(self, tier):
        return dict(
            self._fields["seller_quality_tier"]._description_selection(self.env)
        ).get(tier, "")

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
