from odoo import api, models
from odoo.exceptions import ValidationError


class ProductTemplate(models.Model):
    _inherit = "product.template"

    @api.constrains("is_published", "marketplace_seller_id")
    def _check_marketplace_seller_can_publish(self):
        """The publication gate says why a validated seller waiting for the
        re-verification of an expired document cannot publish."""
        for product in self:
            seller = product.marketplace_seller_id
            if (
                product.is_published
                and seller.kyc_reverification_required
                and seller.verification_state == "validated"
                and not seller.seller_suspended
                and not seller._can_publish_listings()
            ):
                raise ValidationError(
                    self.env._(
                        "“%(product)s” cannot be published: a verification "
                        "document of %(seller)s expired. The listings are "
                        "published again once the new document is approved.",
                        product=product.display_name,
                        seller=seller.display_name,
                    )
                )
        return super()._check_marketplace_seller_can_publish()
