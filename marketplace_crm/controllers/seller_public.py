from odoo import http
from odoo.http import request


class MarketplaceSellerPublic(http.Controller):
    """The public page of a seller's shop, linked from its product pages:
    logo, description, rating and published listings. Shown only for
    validated sellers who are not suspended; anything else is a 404, whatever
    the slug says."""

    @http.route(
        "/marketplace/seller/<string:slug>",
        type="http",
        auth="public",
        website=True,
        sitemap=False,
        readonly=True,
    )
    def marketplace_seller_page(self, slug, **kwargs):
        seller = request.env["res.partner"]._marketplace_public_shop_from_slug(slug)
        if not seller:
            raise request.not_found()
        canonical = seller._marketplace_shop_slug()
        if slug != canonical:
            # Old shop name or hand-typed slug: send to the current address.
            return request.redirect(seller._marketplace_shop_url(), code=301)
        website = request.website
        listings = seller._marketplace_published_listings(website)
        return request.render(
            "marketplace_crm.seller_public_page",
            {
                "shop": seller._marketplace_public_profile(),
                "listings": listings,
                "listing_prices": listings._get_sales_prices(website),
            },
        )

    @http.route(
        "/marketplace/seller/<int:seller_id>/logo",
        type="http",
        auth="public",
        readonly=True,
    )
    def marketplace_seller_logo(self, seller_id, **kwargs):
        """The shop logo, for public shops only (the partner itself is not
        readable by visitors, so /web/image cannot serve it)."""
        Partner = request.env["res.partner"]
        seller = Partner._marketplace_public_shop_from_slug(str(seller_id))
        if not seller:
            raise request.not_found()
        # sudo: the logo of a public shop, checked just above; nothing else
        # of the partner is read.
        stream = request.env["ir.binary"]._get_image_stream_from(
            seller.sudo(), "shop_logo", placeholder="web/static/img/placeholder.png"
        )
        return stream.get_response(max_age=3600)
