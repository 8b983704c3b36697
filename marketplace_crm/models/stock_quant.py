from odoo import models

_WATCHED = "marketplace_stock_changed_products"


class StockQuant(models.Model):
    _inherit = "stock.quant"

    def _update_available_quantity(self, product_id, location_id, *args, **kwargs):
        """Every change of quantity or reservation passes here: note the
        product, for the back-in-stock subscriptions at commit."""
        result = super()._update_available_quantity(
            product_id, location_id, *args, **kwargs
        )
        precommit = self.env.cr.precommit
        watched = precommit.data.setdefault(_WATCHED, set())
        if not watched:
            precommit.add(self._marketplace_stock_moved)
        watched.add(product_id.id)
        return result

    def _marketplace_stock_moved(self):
        ids = self.env.cr.precommit.data.pop(_WATCHED, set())
        # sudo: subscriptions follow the stock whoever moved it.
        self.env["product.product"].sudo().browse(
            sorted(ids)
        )._marketplace_stock_changed()
