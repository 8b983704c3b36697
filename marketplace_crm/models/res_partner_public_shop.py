from odoo import models
from odoo.fields import Domain

# Largest id PostgreSQL accepts for an integer column: a longer number in a
# URL is garbage, not a seller.
MAX_ID = 2**31 - 1


class ResPartner(models.Model):
    """The public face of a seller's shop: who sells a product, on the
    product page and on the shop's own page. Only validated sellers who are
    not suspended are shown, and only their public fields."""

    _inherit = "res.partner"

    def _marketplace_is_public_shop(self):
        """Whether buyers may see this shop: a validated, active seller."""
        self.ensure_one()
        # sudo: the visitor may be the public user; only the seller's status
        # is read here, to decide whether the shop is shown at all.
        seller = self.sudo()
        return bool(
            seller.exists()
            and seller.active
            and seller.is_seller
            and seller.verification_state == "validated"
            and not seller.seller_suspended
        )

    def _marketplace_shop_slug(self):
        """The URL slug of the shop: its name and the seller's id."""
        self.ensure_one()
        # sudo: the shop name is public once the shop is (see callers).
        seller = self.sudo()
        return self.env["ir.http"]._slug((seller.id, seller.shop_name or seller.name))

    def _marketplace_shop_url(self):
        self.ensure_one()
        return f"/marketplace/seller/{self._marketplace_shop_slug()}"

    def _marketplace_public_profile(self):
        """What buyers may know of this shop, as a dict, or None when the shop
        is not public. Only these fields leave the sudo() below: never the
        seller's e-mail, address, bank accounts or documents."""
        if len(self) != 1 or not self._marketplace_is_public_shop():
            return None
        # sudo: public shop fields of a validated seller, for any visitor.
        seller = self.sudo()
        return {
            "id": seller.id,
            "name": seller.shop_name or seller.name,
            "description": seller.shop_description or "",
            "city": seller.city or "",
            "country": seller.country_id.name or "",
            "rating_avg": seller.seller_rating_avg,
            "rating_count": seller.seller_rating_count,
            "has_logo": bool(seller.shop_logo),
            "top_seller": seller._is_top_seller(),
            "logo_url": f"/marketplace/seller/{seller.id}/logo",
            "url": self._marketplace_shop_url(),
        }

    def _marketplace_published_listings(self, website):
        """The shop's products published on ``website``, read with the
        visitor's own rights (the website's rules hide everything else)."""
        self.ensure_one()
        domain = Domain.AND(
            [
                website.website_domain(),
                website._product_domain(),
                [
                    ("marketplace_seller_id", "=", self.id),
                    ("is_published", "=", True),
                ],
            ]
        )
        return self.env["product.template"].search(
            domain, order="website_sequence, name, id"
        )

    def _marketplace_public_shop_from_slug(self, slug):
        """The public shop a URL slug points to, or an empty recordset for a
        garbage slug, an unknown id or a seller buyers may not see."""
        __, seller_id = self.env["ir.http"]._unslug(slug or "")
        if not seller_id or not 0 < seller_id <= MAX_ID:
            return self.browse()
        seller = self.browse(seller_id)
        return seller if seller._marketplace_is_public_shop() else self.browse()
