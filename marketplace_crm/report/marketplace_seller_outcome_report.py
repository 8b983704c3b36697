from odoo import fields, models
from odoo.tools import SQL

from ..models.marketplace_order_seller import sale_condition


class MarketplaceSellerOutcomeReport(models.Model):
    """Month by month: how many sellers sold, how many of last month's stopped
    (churn), and how many sellers followed up for inactivity sold again within
    15 and 30 days. A seller is active in a month when a confirmed order of
    that month holds one of their products (a part of that order is theirs:
    the same sales as the seller's figures, read from the parts' index)."""

    _name = "marketplace.seller.outcome.report"
    _description = "Marketplace Seller Outcomes"
    _auto = False
    _order = "month desc"
    _rec_name = "month"

    month = fields.Date(readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
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

    @property
    def _table_query(self):
        # Per company: a seller is active in a company's month when one of
        # that company's confirmed orders holds their products; a follow-up
        # counts in its own company (the seller's figures company when it
        # was sent) and a reactivation is a sale of that company.
        return SQL(
            """
            WITH sales AS (
                SELECT seller_id, company_id, date_order AS sold_at
                  FROM marketplace_order_seller
                 WHERE %(sale)s
            ), active AS (
                SELECT DISTINCT seller_id, company_id,
                       date_trunc('month', sold_at)::date AS month
                  FROM sales
            ), events AS (
                SELECT e.seller_id, e.date, e.company_id
                  FROM marketplace_seller_event e
                 WHERE e.event_type = 'inactivity_followup'
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
            ), companies AS (
                SELECT company_id FROM active
                 UNION
                SELECT company_id FROM events
            ), grid AS (
                SELECT m.month, c.company_id FROM months m CROSS JOIN companies c
            ), active_count AS (
                SELECT month, company_id, COUNT(*) AS n
                  FROM active GROUP BY month, company_id
            ), churn AS (
                SELECT g.month, g.company_id,
                       COUNT(prev.seller_id) AS previous,
                       COUNT(prev.seller_id) FILTER (WHERE cur.seller_id IS NULL)
                           AS churned
                  FROM grid g
                  JOIN active prev
                    ON prev.month = (g.month - INTERVAL '1 month')::date
                   AND prev.company_id = g.company_id
             LEFT JOIN active cur
                    ON cur.seller_id = prev.seller_id AND cur.month = g.month
                   AND cur.company_id = g.company_id
              GROUP BY g.month, g.company_id
            ), followups AS (
                -- Each follow-up looks up the seller's first sale in the 30
                -- days after it, by index on the parts (seller, date).
                SELECT date_trunc('month', e.date)::date AS month, e.company_id,
                       COUNT(*) AS n,
                       COUNT(*) FILTER (WHERE next_sale.sold_at
                                        <= e.date + INTERVAL '15 days') AS r15,
                       COUNT(next_sale.sold_at) AS r30
                  FROM events e
             LEFT JOIN LATERAL (
                       SELECT MIN(os.date_order) AS sold_at
                         FROM marketplace_order_seller os
                        WHERE os.seller_id = e.seller_id
                          AND os.date_order > e.date
                          AND os.date_order <= e.date + INTERVAL '30 days'
                          AND os.company_id = e.company_id
                          AND %(os_sale)s
                       ) next_sale ON TRUE
              GROUP BY 1, 2
            )
            SELECT ROW_NUMBER() OVER (ORDER BY g.month, g.company_id) AS id,
                   g.month,
                   g.company_id,
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
              FROM grid g
         LEFT JOIN active_count a
                ON a.month = g.month AND a.company_id = g.company_id
         LEFT JOIN churn c ON c.month = g.month AND c.company_id = g.company_id
         LEFT JOIN followups f ON f.month = g.month AND f.company_id = g.company_id
            """,
            sale=sale_condition(),
            os_sale=sale_condition("os"),
        )
