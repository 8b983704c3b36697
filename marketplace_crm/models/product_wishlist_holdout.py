from odoo import models


class ProductWishlist(models.Model):
    _inherit = "product.wishlist"

    def _hold_out_alert(self):
        """True when this buyer is in the back-in-stock control group for the
        product's current restock: the alert is claimed but not sent."""
        self.ensure_one()
        episode = (
            f"product-{self.product_id.id}-restock-{self.marketplace_alerted_restock}"
        )
        return self.env["marketplace.holdout"]._hold_out(
            "back_in_stock", self.partner_id.commercial_partner_id, episode
        )
