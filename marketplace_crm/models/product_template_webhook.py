from odoo import api, models


class ProductTemplate(models.Model):
    _inherit = "product.template"

    @api.model_create_multi
    def create(self, vals_list):
        products = super().create(vals_list)
        products.filtered("is_published")._marketplace_emit_published()
        return products

    def write(self, vals):
        """Announce the sellers' listings that go live."""
        unpublished = (
            self.filtered(lambda p: not p.is_published)
            if vals.get("is_published")
            else self.browse()
        )
        res = super().write(vals)
        unpublished.filtered("is_published")._marketplace_emit_published()
        return res

    def _marketplace_emit_published(self):
        Webhook = self.env["marketplace.webhook"]
        for product in self.filtered("marketplace_seller_id"):
            Webhook._marketplace_emit(
                "listing.published",
                {
                    "listing_id": product.id,
                    "name": product.name,
                    "list_price": product.list_price,
                    "seller_id": product.marketplace_seller_id.id,
                },
                seller=product.marketplace_seller_id,
                company=product.company_id,
            )
