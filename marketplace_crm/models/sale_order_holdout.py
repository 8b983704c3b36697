from odoo import models


class SaleOrder(models.Model):
    _inherit = "sale.order"

    def _filter_can_send_abandoned_cart_mail(self):
        """Carts of buyers in the abandoned-cart control group get no recovery
        e-mail; website_sale then marks them as handled, so they are held out
        once. The buyer's episode is the cart, in the cart's company."""
        carts = super()._filter_can_send_abandoned_cart_mail()
        Holdout = self.env["marketplace.holdout"]
        return carts.filtered(
            lambda cart: (
                not Holdout._hold_out(
                    "abandoned_cart",
                    cart.partner_id.commercial_partner_id,
                    f"cart-{cart.id}",
                    company=cart.company_id,
                )
            )
        )
