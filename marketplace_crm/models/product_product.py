from odoo import fields, models


class ProductProduct(models.Model):
    _inherit = "product.product"

    marketplace_stock_state = fields.Selection(
        [("in", "In stock"), ("out", "Out of stock")],
        readonly=True,
        copy=False,
        help="Availability last seen by the back-in-stock job.",
    )
    marketplace_restock_count = fields.Integer(
        readonly=True,
        copy=False,
        help="How many times the product came back in stock after running out.",
    )

    def _marketplace_update_stock_state(self):
        """Record the availability of these products; a product seen out of
        stock and now available counts one more restock."""
        for product in self.filtered("is_storable"):
            state = "in" if product.qty_available > 0 else "out"
            if state == product.marketplace_stock_state:
                continue
            vals = {"marketplace_stock_state": state}
            if state == "in" and product.marketplace_stock_state == "out":
                vals["marketplace_restock_count"] = (
                    product.marketplace_restock_count + 1
                )
            # sudo: system-maintained availability, whoever runs the job.
            product.sudo().write(vals)
