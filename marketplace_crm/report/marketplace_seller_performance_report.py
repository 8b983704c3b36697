from odoo import fields, models
from odoo.tools import SQL

from ..models.marketplace_order_seller import sale_condition


class MarketplaceSellerPerformanceReport(models.Model):
    """One row per seller and month: sales (from the sellers' parts of
    confirmed orders), ratings received and disputes opened that month.
    Averages over several months are averages of the monthly figures."""

    _name = "marketplace.seller.performance.report"
    _description = "Marketplace Seller Performance"
    _inherit = "marketplace.report.snapshot"
    _auto = False
    _snapshot_indexes = ("month", "seller_id", "company_id")
    _rec_name = "seller_id"
    _order = "month desc"

    month = fields.Date(readonly=True)
    seller_id = fields.Many2one("res.partner", readonly=True)
    seller_segment = fields.Selection(
        lambda self: self.env["res.partner"]._fields["seller_segment"].selection,
        readonly=True,
    )
    user_id = fields.Many2one("res.users", "Account Manager", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one(related="company_id.currency_id", readonly=True)
    order_count = fields.Integer("Orders", readonly=True)
    amount = fields.Monetary("Revenue", readonly=True, currency_field="currency_id")
    rating_avg = fields.Float("Average Rating", readonly=True, aggregator="avg")
    rating_count = fields.Integer("Ratings", readonly=True)
    dispute_count = fields.Integer("Disputes", readonly=True)
    dispute_rate = fields.Float("Dispute Rate (%)", readonly=True, aggregator="avg")

    def _query(self):
        # One row per (seller, company, month): the sales and the ratings of
        # the parts of that company's orders, the disputes of that company;
        # the id packs the three (company and month below 2**15).
        return SQL(
            """
            WITH sales AS (
        SELECT seller_id, company_id,
               date_trunc('month', date_order)::date AS month,
               COUNT(*) AS order_count,
               SUM(amount) AS amount
          FROM marketplace_order_seller
         WHERE %(sale)s
              GROUP BY 1, 2, 3
            ), ratings AS (
        SELECT r.rated_partner_id AS seller_id, os.company_id,
               date_trunc('month', r.write_date)::date AS month,
               AVG(r.rating) AS rating_avg,
               COUNT(*) AS rating_count
          FROM rating_rating r
          JOIN marketplace_order_seller os ON os.id = r.res_id
         WHERE r.res_model = 'marketplace.order.seller' AND r.consumed
           AND r.rating > 0
              GROUP BY 1, 2, 3
            ), disputes AS (
        SELECT seller_id, company_id,
               date_trunc('month', create_date)::date AS month,
               COUNT(*) AS dispute_count
          FROM marketplace_dispute
              GROUP BY 1, 2, 3
            ), merged AS (
        SELECT COALESCE(s.seller_id, r.seller_id, d.seller_id) AS seller_id,
               COALESCE(s.company_id, r.company_id, d.company_id) AS company_id,
               COALESCE(s.month, r.month, d.month) AS month,
               COALESCE(s.order_count, 0) AS order_count,
               COALESCE(s.amount, 0) AS amount,
               r.rating_avg, COALESCE(r.rating_count, 0) AS rating_count,
               COALESCE(d.dispute_count, 0) AS dispute_count
          FROM sales s
             FULL JOIN ratings r
            ON r.seller_id = s.seller_id AND r.company_id = s.company_id
           AND r.month = s.month
             FULL JOIN disputes d
            ON d.seller_id = COALESCE(s.seller_id, r.seller_id)
           AND d.company_id = COALESCE(s.company_id, r.company_id)
           AND d.month = COALESCE(s.month, r.month)
            )
            SELECT (m.seller_id::bigint << 30) + (m.company_id::bigint << 15)
               + (EXTRACT(YEAR FROM m.month)::int * 12
                  + EXTRACT(MONTH FROM m.month)::int) AS id,
           m.seller_id, m.company_id, m.month, p.seller_segment, p.user_id,
           m.order_count, m.amount, m.rating_avg, m.rating_count, m.dispute_count,
           CASE WHEN m.order_count > 0
                THEN 100.0 * m.dispute_count / m.order_count END AS dispute_rate
              FROM merged m
              JOIN res_partner p ON p.id = m.seller_id
            """,
            sale=sale_condition(),
        )
