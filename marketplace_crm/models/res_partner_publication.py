from odoo import models


class ResPartner(models.Model):
    _inherit = "res.partner"

    def _unpublish_products_of_blocked_sellers(self):
        """Blocking a seller unpublishes their archived listings too (the
        search of the base method skips archived products)."""
        res = super()._unpublish_products_of_blocked_sellers()
        blocked = self.filtered(lambda p: p.is_seller and not p._can_publish_listings())
        self.env["product.template"]._marketplace_unpublish_for_sellers(blocked)
        return res
