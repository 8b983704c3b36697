"""The seller quality programme on the seller: the service metrics over a
rolling window, refreshed in one set-based statement per batch of sellers
(which also writes the health score, the tier and the levels crossed).

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
  holding the seller's products, those whose delivery was done after the
  day the seller promised to ship (``marketplace_promised_date``: the
  order's delivery date, else the handling time of the products or the
  seller in working days, else the default of Settings) (%);
* **first response time**: over the buyers' tickets about the seller opened
  in the window, the hours from the ticket's creation to the seller's first
  message on it (a contact of the seller as author); a ticket the seller has
  not answered counts the hours elapsed so far;
* **average rating**: of the buyers' ratings of the orders of the window.

The levels a metric crosses and what follows are in
``res_partner_quality_rules``; the score and the tier in
``res_partner_quality_score``.
"""

from datetime import timedelta

from odoo import fields, models
from odoo.tools import SQL

from .marketplace_promised_date import promised_day_sql
from .marketplace_quality_params import QUALITY_METRICS, metric_levels, quality_param

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
               BOOL_OR(pk.date_done::date > %(promised)s) AS late
          FROM stock_picking pk
          JOIN stock_picking_type pt ON pt.id = pk.picking_type_id
          JOIN sale_order so ON so.id = parts.order_id
          JOIN res_partner sp ON sp.id = parts.seller_id
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
    seller_handling_time = fields.Integer(
        "Handling Time (working days)",
        help="Working days this seller takes to ship an order, when longer "
        "than the customer lead time of the products ordered. 0: the "
        "marketplace's default handling time (Settings).",
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
    # the metrics at their alert and limit levels, comma-separated keys
    quality_alert_keys = fields.Char(readonly=True, copy=False)
    quality_limit_keys = fields.Char(readonly=True, copy=False)

    # ------------------------------------------------------------ refresh
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
            "promised": promised_day_sql(
                "so", "sp", quality_param(self.env, "quality_handling_days")
            ),
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
        self.env["sale.order"].flush_model(["date_order", "commitment_date"])
        self.env["sale.order.line"].flush_model(["order_id", "product_id"])
        self.env["product.template"].flush_model(["sale_delay"])
        self.env["stock.move"].flush_model(["picking_id", "product_id"])
        self.env["helpdesk.ticket"].flush_model(["seller_id", "buyer_id"])
        self.env["mail.message"].flush_model()
        self.flush_model()
