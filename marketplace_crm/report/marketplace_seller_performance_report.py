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
    _snapshot_indexes = ("month", "seller_id")
    _rec_name = "seller_id"
    _order = "month desc"

    month = fields.Date(readonly=True)
    seller_id = fields.Many2one("res.partner", readonly=True)
    seller_segment = fields.Selection(
        lambda self: self.env["res.partner"]._fields["seller_segment"].selection,
        readonly=True,
    )
    user_id = fields.Many2one("res.users", "Account Manager", readonly=True)
    order_count = fields.Integer("Orders", readonly=True)
    amount = fields.Float("Revenue", readonly=True)
    rating_avg = fields.Float("Average Rating", readonly=True, aggregator="avg")
    rating_count = fields.Integer("Ratings", readonly=True)
    dispute_count = fields.Integer("Disputes", readonly=True)
    dispute_rate = fields.Float("Dispute Rate (%)", readonly=True, aggregator="avg")

    def _query(self):
        return SQL(
            """
            WITH sales AS (
        SELECT seller_id,
               date_trunc('month', date_order)::date AS month,
               COUNT(*) AS order_count,
               SUM(amount) AS amount
          FROM marketplace_order_seller
         WHERE %(sale)s
              GROUP BY 1, 2
            ), ratings AS (
        SELECT rated_partner_id AS seller_id,
               date_trunc('month', write_date)::date AS month,
               AVG(rating) AS rating_avg,
               COUNT(*) AS rating_count
          FROM rating_rating
         WHERE res_model = 'marketplace.order.seller' AND consumed AND rating > 0
              GROUP BY 1, 2
            ), disputes AS (
        SELECT seller_id, date_trunc('month', create_date)::date AS month,
               COUNT(*) AS dispute_count
          FROM marketplace_dispute
              GROUP BY 1, 2
            ), merged AS (
        SELECT COALESCE(s.seller_id, r.seller_id, d.seller_id) AS seller_id,
               COALESCE(s.month, r.month, d.month) AS month,
               COALESCE(s.order_count, 0) AS order_count,
               COALESCE(s.amount, 0) AS amount,
               r.rating_avg, COALESCE(r.rating_count, 0) AS rating_count,
               COALESCE(d.dispute_count, 0) AS dispute_count
          FROM sales s
             FULL JOIN ratings r ON r.seller_id = s.seller_id AND r.month = s.month
             FULL JOIN disputes d
            ON d.seller_id = COALESCE(s.seller_id, r.seller_id)
           AND d.month = COALESCE(s.month, r.month)
            )
            SELECT (m.seller_id::bigint << 20) + (EXTRACT(YEAR FROM m.month)::int * 12
               + EXTRACT(MONTH FROM m.month)::int) AS id,
           m.seller_id, m.month, p.seller_segment, p.user_id,
           m.order_count, m.amount, m.rating_avg, m.rating_count, m.dispute_count,
           CASE WHEN m.order_count > 0
                THEN 100.0 * m.dispute_count / m.order_count END AS dispute_rate
              FROM merged m
              JOIN res_partner p ON p.id = m.seller_id
            """,
            sale=sale_condition(),
        )
