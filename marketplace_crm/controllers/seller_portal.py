from werkzeug.exceptions import NotFound

from odoo import http
from odoo.exceptions import UserError, ValidationError
from odoo.http import request

from odoo.addons.portal.controllers.portal import CustomerPortal

from ..models.marketplace_input import character_problem
from ..models.marketplace_params import get_param

FORM_ERRORS = (UserError, ValidationError)


def request_seller():
    """The logged-in user's seller contact (in sudo), or an empty recordset."""
    partner = request.env.user.partner_id.commercial_partner_id
    # sudo: portal users may not read the marketplace fields of their own
    # contact through the ORM; only this user's partner is read.
    partner = partner.sudo()
    if partner.is_seller and not request.env.user._is_public():
        return partner
    return partner.browse()


def found_or_404(records):
    """``records``, or a 404 when there is none (not the caller's, or gone)."""
    if not records:
        raise NotFound()
    return records


def uploaded(name):
    """(bytes, file name) of an uploaded file of the request, or (None, None)."""
    upload = request.httprequest.files.get(name)
    if not upload or not upload.filename:
        return None, None
    return upload.read(), upload.filename


class SellerRegistration(http.Controller):
    """The public "Sell with us" page: a visitor asks for a seller shop, a
    logged-in customer turns their own account into one."""

    @http.route(
        "/marketplace/sell", type="http", auth="public", website=True, sitemap=True
    )
    def seller_registration(self, **post):
        user = request.env.user
        values = {"post": post, "error": None, "done": False, "user": user}
        if not user._is_public():
            return self._own_account_registration(user, values, post)
        if request.httprequest.method == "POST":
            # sudo: the public visitor files a request; the job handles it.
            Registration = request.env["marketplace.seller.registration"].sudo()
            try:
                # The captcha of an installed captcha module (reCAPTCHA,
                # Turnstile...); without one, Odoo's hook accepts.
                request.env["ir.http"]._verify_request_recaptcha_token(
                    "marketplace_seller_registration"
                )
                data = Registration._check_form(post)
            except FORM_ERRORS as error:
                values["error"] = error.args[0]
            else:
                # Beyond the rate limit nothing is stored: the same answer.
                Registration._submit(
                    data,
                    client_key=Registration._client_key(self._client_address()),
                )
                values["done"] = True
        return request.render("marketplace_crm.seller_registration_page", values)

    def _client_address(self):
        """The address of the client, for the rate limit (behind a proxy,
        Odoo's proxy mode gives the client's)."""
        return request.httprequest.remote_addr

    def _own_account_registration(self, user, values, post):
        partner = user.partner_id.commercial_partner_id
        if partner.sudo().is_seller:  # sudo: the user's own contact
            return request.redirect("/my/seller")
        if request.httprequest.method == "POST":
            try:
                if not user._is_portal():
                    raise UserError(
                        request.env._(
                            "Staff accounts cannot open a seller shop: register "
                            "with another e-mail address."
                        )
                    )
                # sudo: the shop values only come from the checked form.
                Registration = request.env["marketplace.seller.registration"].sudo()
                data = Registration._check_form(
                    dict(post, name=partner.name, email=partner.email)
                )
                # sudo: a portal user may not write the marketplace fields of
                # their own contact; only that contact becomes a seller.
                partner.sudo()._marketplace_become_seller(data)
            except FORM_ERRORS as error:
                values["error"] = error.args[0]
            else:
                return request.redirect("/my/seller")
        return request.render("marketplace_crm.seller_registration_page", values)


class SellerPortal(CustomerPortal):
    """The seller's pages under /my: profile, documents, verification and
    listings. Each route parses the request, calls one model method on the
    seller's own records, and renders."""

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "marketplace_seller" in counters:
            values["marketplace_seller"] = bool(self._get_seller())
        return values

    def _get_seller(self):
        return request_seller()

    def _validate_address_values(self, address_values, *args, **kwargs):
        """ "My account" and the address forms follow the characters rule of
        every form (``marketplace_input.character_problem``): the contact's
        name and e-mail end up in mail headers."""
        invalid, missing, messages = super()._validate_address_values(
            address_values, *args, **kwargs
        )
        Partner = request.env["res.partner"]
        for fname, value in address_values.items():
            if not isinstance(value, str) or fname not in Partner._fields:
                continue
            label = Partner._fields[fname].get_description(request.env)["string"]
            problem = character_problem(request.env, value, label)
            if problem:
                invalid.add(fname)
                messages.append(problem)
        return invalid, missing, messages

    def _seller_or_404(self):
        return found_or_404(request_seller())

    def _seller_products(self, seller):
        # sudo: the seller's own listings only (domain on their partner).
        return (
            request.env["product.template"]
            .sudo()
            .with_context(active_test=False)
            .search([("marketplace_seller_id", "=", seller.id)], order="id desc")
        )

    def _seller_product_or_404(self, seller, product_id):
        return found_or_404(
            self._seller_products(seller).filtered(lambda p: p.id == product_id)
        )

    def _seller_home_values(self, seller, **extra):
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "page_name": "marketplace_seller",
                "seller": seller,
                "products": self._seller_products(seller),
                "max_size_mb": get_param(request.env, "document_max_size_mb"),
                # The tickets /my/tickets lists: the user's own, by the rules.
                "ticket_count": request.env["helpdesk.ticket"].search_count([]),
                "error": None,
                "success": None,
                **seller._marketplace_portal_values(),
            }
        )
        values.update(extra)
        return values

    @http.route("/my/seller", type="http", auth="user", website=True)
    def seller_home(self, upload=None, **kw):
        seller = self._seller_or_404()
        error = None
        if upload == "too_large":
            error = request.env._(
                "The file is too large: %s MB at most.",
                get_param(request.env, "document_max_size_mb"),
            )
        return self._render_result(seller, error=error)

    def _render_result(self, seller, error=None, success=None):
        return request.render(
            "marketplace_crm.portal_seller_home",
            self._seller_home_values(seller, error=error, success=success),
        )

    def _seller_action(self, success, action):
        """Run ``action(seller)`` for the logged-in seller and render "My
        shop" with ``success``, or with the error, nothing written."""
        seller = self._seller_or_404()
        try:
            with request.env.cr.savepoint():
                action(seller)
        except FORM_ERRORS as error:
            return self._render_result(seller, error=error.args[0])
        return self._render_result(seller, success=success)

    @http.route(
        "/my/seller/profile", type="http", auth="user", website=True, methods=["POST"]
    )
    def seller_profile(self, **post):
        logo, __ = uploaded("shop_logo")
        return self._seller_action(
            request.env._("Your profile is saved."),
            lambda seller: seller._marketplace_save_profile(post, logo=logo),
        )

    @http.route(
        "/my/seller/document", type="http", auth="user", website=True, methods=["POST"]
    )
    def seller_document(self, **post):
        content, file_name = uploaded("file")
        return self._seller_action(
            request.env._("The document is uploaded."),
            lambda seller: seller._marketplace_add_document(
                post.get("document_type_id"),
                content,
                file_name,
                post.get("expiry_date"),
            ),
        )

    @http.route(
        "/my/seller/submit", type="http", auth="user", website=True, methods=["POST"]
    )
    def seller_submit(self, **post):
        return self._seller_action(
            request.env._("Thank you: the team will check your documents."),
            lambda seller: seller.action_submit_verification(),
        )

    # ------------------------------------------------------------ listings
    @http.route(
        ["/my/seller/product/new", "/my/seller/product/<int:product_id>"],
        type="http",
        auth="user",
        website=True,
    )
    def seller_product(self, product_id=None, **post):
        seller = self._seller_or_404()
        product = (
            self._seller_product_or_404(seller, product_id)
            if product_id
            # sudo: an empty record, so that a new product renders like a saved one.
            else request.env["product.template"].sudo().browse()
        )
        error = None
        if request.httprequest.method == "POST":
            image, __ = uploaded("image")
            try:
                with request.env.cr.savepoint():
                    product = product._marketplace_save_listing(
                        seller, post, image=image
                    )
            except FORM_ERRORS as error_:
                error = error_.args[0]
            else:
                return request.redirect(f"/my/seller/product/{product.id}?saved=1")
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "page_name": "marketplace_seller_product",
                "seller": seller,
                "product": product,
                "post": post,
                "error": error,
                "saved": bool(post.get("saved")),
                # sudo: product categories to choose from (reference data).
                "categories": request.env["product.category"].sudo().search([]),
            }
        )
        return request.render("marketplace_crm.portal_seller_product", values)

    @http.route(
        "/my/seller/product/<int:product_id>/publish",
        type="http",
        auth="user",
        website=True,
        methods=["POST"],
    )
    def seller_product_publish(self, product_id, **post):
        seller = self._seller_or_404()
        product = self._seller_product_or_404(seller, product_id)
        try:
            with request.env.cr.savepoint():
                live = product._marketplace_set_publication(post.get("publish") == "1")
        except FORM_ERRORS as error:
            return self._render_result(seller, error=error.args[0])
        if live is False:
            return self._render_result(
                seller,
                success=request.env._(
                    "“%s” will go live as soon as your shop is validated.",
                    product.name,
                ),
            )
        return request.redirect("/my/seller#listings")
