from odoo import api, fields, models


class ProductWishlist(models.Model):
    """Back-in-stock alerts: a buyer who wishes for a product is subscribed
    to core's back-in-stock notification whenever the product has no stock
    (see product.product), unless they refused it: core's job e-mails them
    once per restock."""

    _inherit = "product.wishlist"

    marketplace_stock_alert = fields.Boolean(
        "Back-in-stock E-mail",
        default=True,
        help="E-mail the buyer when this product is available again after "
        "selling out. Buyers whose address is on the mail blacklist never "
        "receive it.",
    )

    @api.model_create_multi
    def create(self, vals_list):
        lines = super().create(vals_list)
        # Wishlisted while sold out: announced at the next restock.
        lines.product_id.filtered(
            lambda p: p._marketplace_out_of_stock()
        )._marketplace_subscribe_wishlists()
        return lines

    def write(self, vals):
        res = super().write(vals)
        if vals.get("marketplace_stock_alert") is False:
            for line in self.filtered("partner_id"):
                # sudo: the buyer withdraws their own subscription.
                line.product_id.sudo().stock_notification_partner_ids -= line.partner_id
        return res

    def _marketplace_accepts_stock_alert(self):
        """The buyer of this line accepts the back-in-stock e-mail."""
        self.ensure_one()
        partner = self.partner_id
        return bool(
            self.marketplace_stock_alert
            and partner.email
            and not partner._marketplace_refusing_emails()
        )
