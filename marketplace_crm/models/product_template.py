from odoo import _, api, fields, models
from odoo.exceptions import ValidationError


class ProductTemplate(models.Model):
    _inherit = "product.template"

    marketplace_seller_id = fields.Many2one(
        "res.partner",
        index="btree_not_null",
        tracking=True,
        domain=[("is_seller", "=", True)],
        ondelete="restrict",
        help="The seller who lists this product. Only validated sellers' "
        "products can be published.",
    )

    @api.constrains("is_published", "marketplace_seller_id")
    def _check_marketplace_seller_can_publish(self):
        """The publication gate: whatever the path (form, import, RPC, website
        editor), a product of a seller who is not validated stays unpublished."""
        for product in self:
            seller = product.marketplace_seller_id
            if product.is_published and seller and not seller._can_publish_listings():
                raise ValidationError(
                    _(
                        "“%(product)s” cannot be published: its seller %(seller)s "
                        "is not validated yet (verification status: %(status)s).",
                        product=product.display_name,
                        seller=seller.display_name,
                        status=_("suspended")
                        if seller.seller_suspended
                        else dict(
                            seller._fields["verification_state"]._description_selection(
                                self.env
                            )
                        )[seller.verification_state],
                    )
                )
