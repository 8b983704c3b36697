from odoo import fields, models
from odoo.tools import SQL


class MarketplaceSellerOutcomeReport(models.Model):
    """Month by month: how many sellers sold, how many of last month's stopped
    (churn), and how many sellers followed up for inactivity sold again within
    15 and 30 days. A seller is active in a month when a confirmed order of
    that month holds one of their products (a part of that order is theirs:
    the same sales as the seller's figures, read from the parts' index)."""

    _name = "marketplace.seller.outcome.report"
    _description = "Marketplace Seller Outcomes"
    _inherit = "marketplace.report.view"
    _auto = False
    _order = "month desc"
    _rec_name = "month"

    month = fields.Date(readonly=True)
    # A seller active in two months counts in each: over several months the
    # meaningful figure is the average number of active sellers per month.
    active_seller_count = fields.Integer(
        "Active Sellers",
        readonly=True,
        aggregator="avg",
        help="Sellers with a confirmed sale in the month; over several months, "
        "the average per month.",
    )
    previous_active_count = fields.Integer(
        "Active the Month Before",
        readonly=True,
        aggregator="avg",
        help="Sellers with a confirmed sale the month before; over several "
        "months, the average per month.",
    )
    churned_count = fields.Integer("Churned Sellers", readonly=True)
    churn_rate = fields.Float("Churn Rate (%)", readonly=True, aggregator="avg")
    followup_count = fields.Integer("Follow-ups", readonly=True)
    reactivated_15_count = fields.Integer("Reactivated within 15 Days", readonly=True)
    reactivated_30_count = fields.Integer("Reactivated within 30 Days", readonly=True)
    reactivated_15_rate = fields.Float(
        "Reactivated within 15 Days (%)", readonly=True, aggregator="avg"
    )
    reactivated_30_rate = fields.Float(
        "Reactivated within 30 Days (%)", readonly=True, aggregator="avg"
    )

    def _query(self):
        return SQL(
            """
            WITH sales AS (
                SELECT seller_id, date_order AS sold_at
                  FROM marketplace_order_seller
                 WHERE state = 'sale' AND line_count > 0
            ), active AS (
                SELECT DISTINCT seller_id, date_trunc('month', sold_at)::date AS month
                  FROM sales
            ), months AS (
                SELECT generate_series(
                           MIN(month),
                           date_trunc('month', NOW() AT TIME ZONE 'UTC')::date,
                           INTERVAL '1 month'
                       )::date AS month
                  FROM (SELECT month FROM active
                        UNION ALL
                        SELECT date_trunc('month', date)::date
                          FROM marketplace_seller_event) AS known
            ), active_count AS (
                SELECT month, COUNT(*) AS n FROM active GROUP BY month
            ), churn AS (
                SELECT m.month,
                       COUNT(prev.seller_id) AS previous,
                       COUNT(prev.seller_id) FILTER (WHERE cur.seller_id IS NULL)
                           AS churned
                  FROM months m
                  JOIN active prev ON prev.month = (m.month - INTERVAL '1 month')::date
             LEFT JOIN active cur
                    ON cur.seller_id = prev.seller_id AND cur.month = m.month
              GROUP BY m.month
            ), followups AS (
                -- Each follow-up looks up the seller's first sale in the 30
                -- days after it, by index on the parts (seller, date).
                SELECT date_trunc('month', e.date)::date AS month,
                       COUNT(*) AS n,
                       COUNT(*) FILTER (WHERE next_sale.sold_at
                                        <= e.date + INTERVAL '15 days') AS r15,
                       COUNT(next_sale.sold_at) AS r30
                  FROM marketplace_seller_event e
             LEFT JOIN LATERAL (
                       SELECT MIN(os.date_order) AS sold_at
                         FROM marketplace_order_seller os
                        WHERE os.seller_id = e.seller_id
                          AND os.date_order > e.date
                          AND os.date_order <= e.date + INTERVAL '30 days'
                          AND os.state = 'sale' AND os.line_count > 0
                       ) next_sale ON TRUE
                 WHERE e.event_type = 'inactivity_followup'
              GROUP BY 1
            )
            SELECT ROW_NUMBER() OVER (ORDER BY m.month) AS id,
                   m.month,
                   COALESCE(a.n, 0) AS active_seller_count,
                   COALESCE(c.previous, 0) AS previous_active_count,
                   COALESCE(c.churned, 0) AS churned_count,
                   CASE WHEN c.previous > 0
                        THEN 100.0 * c.churned / c.previous ELSE 0 END AS churn_rate,
                   COALESCE(f.n, 0) AS followup_count,
                   COALESCE(f.r15, 0) AS reactivated_15_count,
                   COALESCE(f.r30, 0) AS reactivated_30_count,
                   CASE WHEN f.n > 0 THEN 100.0 * f.r15 / f.n ELSE 0 END
                       AS reactivated_15_rate,
                   CASE WHEN f.n > 0 THEN 100.0 * f.r30 / f.n ELSE 0 END
                       AS reactivated_30_rate
              FROM months m
         LEFT JOIN active_count a ON a.month = m.month
         LEFT JOIN churn c ON c.month = m.month
         LEFT JOIN followups f ON f.month = m.month
            """
        )
