from odoo import fields, models
from odoo.tools import SQL


class MarketplaceSalesReport(models.Model):
    """Confirmed order lines of marketplace products, in company currency:
    monthly revenue by product category, by seller and by seller segment."""

    _name = "marketplace.sales.report"
    _description = "Marketplace Sales Analysis"
    _inherit = "marketplace.report.snapshot"
    _auto = False
    _snapshot_indexes = ("date", "categ_id", "seller_id")
    _rec_name = "date"
    _order = "date desc"

    date = fields.Date("Order Date", readonly=True)
    order_id = fields.Many2one("sale.order", readonly=True)
    buyer_id = fields.Many2one("res.partner", readonly=True)
    seller_id = fields.Many2one("res.partner", readonly=True)
    seller_segment = fields.Selection(
        lambda self: self.env["res.partner"]._fields["seller_segment"].selection,
        readonly=True,
    )
    product_id = fields.Many2one("product.product", readonly=True)
    categ_id = fields.Many2one("product.category", "Product Category", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one(related="company_id.currency_id", readonly=True)
    quantity = fields.Float(readonly=True)
    amount = fields.Monetary("Revenue", readonly=True, currency_field="currency_id")

    def _query(self):
        return SQL(
            """
            SELECT sol.id AS id,
           so.date_order::date AS date,
           so.id AS order_id,
           so.partner_id AS buyer_id,
           pt.marketplace_seller_id AS seller_id,
           seller.seller_segment AS seller_segment,
           sol.product_id AS product_id,
           pt.categ_id AS categ_id,
           so.company_id AS company_id,
           sol.product_uom_qty AS quantity,
           sol.price_subtotal / COALESCE(NULLIF(so.currency_rate, 0), 1.0) AS amount
              FROM sale_order_line sol
              JOIN sale_order so ON so.id = sol.order_id
              JOIN product_product pp ON pp.id = sol.product_id
              JOIN product_template pt ON pt.id = pp.product_tmpl_id
              JOIN res_partner seller ON seller.id = pt.marketplace_seller_id
             WHERE so.state = 'sale'
            """
        )
