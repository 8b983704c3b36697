from odoo import api, models

# Line changes that move the sales figures of the line's seller.
FIGURE_FIELDS = {
    "product_id",
    "product_uom_qty",
    "price_unit",
    "discount",
    "tax_ids",
    "order_id",
}


class SaleOrderLine(models.Model):
    _inherit = "sale.order.line"

    @api.model_create_multi
    def create(self, vals_list):
        lines = super().create(vals_list)
        lines.order_id._create_marketplace_parts()
        lines._refresh_confirmed_sellers()
        return lines

    def write(self, vals):
        if not FIGURE_FIELDS & set(vals):
            return super().write(vals)
        sellers = self._confirmed_sellers()
        res = super().write(vals)
        if {"product_id", "order_id"} & set(vals):
            self.order_id._create_marketplace_parts()
        (sellers | self._confirmed_sellers())._refresh_seller_sales_figures()
        return res

    def unlink(self):
        sellers = self._confirmed_sellers()
        res = super().unlink()
        sellers._refresh_seller_sales_figures()
        return res

    def _confirmed_sellers(self):
        """Sellers of these lines whose order is confirmed (their figures count)."""
        lines = self.filtered(lambda line: line.order_id.state == "sale")
        return lines.product_id.product_tmpl_id.marketplace_seller_id

    def _refresh_confirmed_sellers(self):
        self._confirmed_sellers()._refresh_seller_sales_figures()
