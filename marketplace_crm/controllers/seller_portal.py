import base64
import math
import re

from werkzeug.exceptions import NotFound

from odoo import _, fields, http, tools
from odoo.exceptions import UserError, ValidationError
from odoo.http import request
from odoo.tools.mimetypes import guess_mimetype

from odoo.addons.portal.controllers.portal import CustomerPortal

from ..models.marketplace_params import get_param

# Text that looks like markup (a tag or a script) is refused, not stored.
MARKUP = re.compile(r"<\s*/?\s*[a-zA-Z!]|javascript:", re.IGNORECASE)
IMAGE_MIMETYPES = ("image/jpeg", "image/png")
PROFILE_FIELDS = ("shop_name", "shop_description", "street", "city", "zip")
PRODUCT_TEXT_FIELDS = ("name", "description_sale")


def clean_text(value, label, required=False, max_length=255):
    """Stripped text, or raise a translated UserError for what the form shows."""
    value = (value or "").strip()
    if required and not value:
        raise UserError(_("%s is required.", label))
    if MARKUP.search(value):
        raise UserError(_("%s may not contain HTML or scripts.", label))
    if len(value) > max_length:
        raise UserError(
            _(
                "%(label)s is too long (%(max)s characters at most).",
                label=label,
                max=max_length,
            )
        )
    return value


def record_id(value):
    """The id a form sent for a select, or 0 for anything else."""
    value = str(value or "").strip()
    return int(value) if value.isdigit() else 0


def read_upload(upload, label, mimetypes, max_mb):
    """The uploaded file as base64, checked by content and size, or None."""
    if not upload or not upload.filename:
        return None
    raw = upload.read()
    if max_mb and len(raw) > max_mb * 1024 * 1024:
        raise UserError(
            _("%(label)s: the file exceeds %(max)s MB.", label=label, max=max_mb)
        )
    if guess_mimetype(raw) not in mimetypes:
        raise UserError(_("%s: this type of file is not accepted.", label))
    return base64.b64encode(raw)


class SellerRegistration(http.Controller):
    """The public seller registration form of the marketplace website."""

    @http.route(
        "/marketplace/sell", type="http", auth="public", website=True, sitemap=True
    )
    def seller_registration(self, **post):
        values = {"post": post, "error": None, "done": False}
        if request.httprequest.method == "POST":
            try:
                data = self._check_registration(post)
            except UserError as error:
                values["error"] = error.args[0]
            else:
                request.env["res.partner"]._marketplace_register_seller(data)
                values["done"] = True
        return request.render("marketplace_crm.seller_registration_page", values)

    def _check_registration(self, post):
        email = tools.email_normalize(post.get("email") or "")
        data = {
            "name": clean_text(
                post.get("name"), _("Your name"), required=True, max_length=128
            ),
            "shop_name": clean_text(
                post.get("shop_name"), _("Shop name"), required=True, max_length=128
            ),
            "phone": clean_text(post.get("phone"), _("Phone"), max_length=32),
            "shop_description": clean_text(
                post.get("shop_description"), _("Shop description"), max_length=2000
            ),
        }
        if not email:
            raise UserError(_("Enter a valid e-mail address."))
        data["email"] = email
        return data


class SellerPortal(CustomerPortal):
    """The seller's pages under /my: profile, documents, verification and
    listings. Every write goes through the seller's own records only."""

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "marketplace_seller" in counters:
            values["marketplace_seller"] = bool(self._get_seller())
        return values

    def _get_seller(self):
        """The logged-in user's seller contact, or an empty recordset."""
        partner = request.env.user.partner_id.commercial_partner_id
        # sudo: portal users may not read the marketplace fields of their own
        # contact through the ORM; only this user's partner is read.
        partner = partner.sudo()
        return (
            partner
            if partner.is_seller and not request.env.user._is_public()
            else (partner.browse())
        )

    def _seller_or_404(self):
        seller = self._get_seller()
        if not seller:
            raise NotFound()
        return seller

    def _seller_products(self, seller):
        # sudo: the seller's own listings only (domain on their partner).
        return (
            request.env["product.template"]
            .sudo()
            .with_context(active_test=False)
            .search([("marketplace_seller_id", "=", seller.id)], order="id desc")
        )

    def _seller_recent_sales(self, seller, limit=20):
        """The latest confirmed order lines of the seller's products."""
        # sudo: the seller reads the lines of their own products only.
        return (
            request.env["sale.order.line"]
            .sudo()
            .search(
                [
                    (
                        "product_id.product_tmpl_id.marketplace_seller_id",
                        "=",
                        seller.id,
                    ),
                    ("order_id.state", "=", "sale"),
                ],
                order="id desc",
                limit=limit,
            )
        )

    def _seller_product_or_404(self, seller, product_id):
        product = self._seller_products(seller).filtered(lambda p: p.id == product_id)
        if not product:
            raise NotFound()
        return product

    def _seller_home_values(self, seller, **extra):
        Ticket = request.env["helpdesk.ticket"].sudo()  # sudo: counts of their own
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "page_name": "marketplace_seller",
                "seller": seller,
                "products": self._seller_products(seller),
                # sudo: reference data (document types, countries) to choose from.
                "document_types": request.env["marketplace.document.type"]
                .sudo()
                .search([]),
                "documents": seller.seller_document_ids,
                "open_disputes": request.env["marketplace.dispute"]
                .sudo()
                .search_count(
                    [
                        ("seller_id", "=", seller.id),
                        ("state", "in", ("open", "under_review")),
                    ]
                ),
                "ticket_count": Ticket.search_count(
                    [
                        "|",
                        ("seller_id", "=", seller.id),
                        ("partner_id", "child_of", seller.id),
                    ]
                ),
                "recent_sales": self._seller_recent_sales(seller),
                "countries": request.env["res.country"].sudo().search([]),
                "max_size_mb": get_param(request.env, "document_max_size_mb"),
                "error": None,
                "success": None,
            }
        )
        values.update(extra)
        return values

    @http.route("/my/seller", type="http", auth="user", website=True)
    def seller_home(self, **kw):
        seller = self._seller_or_404()
        return request.render(
            "marketplace_crm.portal_seller_home", self._seller_home_values(seller)
        )

    def _render_result(self, seller, error=None, success=None):
        return request.render(
            "marketplace_crm.portal_seller_home",
            self._seller_home_values(seller, error=error, success=success),
        )

    @http.route(
        "/my/seller/profile", type="http", auth="user", website=True, methods=["POST"]
    )
    def seller_profile(self, **post):
        seller = self._seller_or_404()
        try:
            with request.env.cr.savepoint():
                vals = {
                    fname: clean_text(
                        post.get(fname),
                        seller._fields[fname].get_description(request.env)["string"],
                        required=fname == "shop_name",
                        max_length=2000 if fname == "shop_description" else 128,
                    )
                    for fname in PROFILE_FIELDS
                }
                # sudo: a country the seller picked, reference data only.
                country = (
                    request.env["res.country"]
                    .sudo()
                    .browse(record_id(post.get("country_id")))
                    .exists()
                )
                vals["country_id"] = country.id or False
                logo = read_upload(
                    request.httprequest.files.get("shop_logo"),
                    _("Shop logo"),
                    IMAGE_MIMETYPES,
                    get_param(request.env, "document_max_size_mb"),
                )
                if logo:
                    vals["shop_logo"] = logo
                seller.write(vals)  # seller is the user's own partner (sudo)
                account = clean_text(
                    post.get("acc_number"), _("Bank account"), max_length=64
                )
                if account and account not in seller.bank_ids.mapped("acc_number"):
                    request.env["res.partner.bank"].sudo().create(
                        {"partner_id": seller.id, "acc_number": account}
                    )
                seller._marketplace_onboarding_sync()
        except (UserError, ValidationError) as error:
            return self._render_result(seller, error=error.args[0])
        return self._render_result(seller, success=_("Your profile is saved."))

    @http.route(
        "/my/seller/document", type="http", auth="user", website=True, methods=["POST"]
    )
    def seller_document(self, **post):
        seller = self._seller_or_404()
        try:
            with request.env.cr.savepoint():
                # sudo: the document type picked, reference data only.
                doc_type = (
                    request.env["marketplace.document.type"]
                    .sudo()
                    .browse(record_id(post.get("document_type_id")))
                    .exists()
                )
                if not doc_type:
                    raise UserError(_("Choose the type of the document."))
                upload = request.httprequest.files.get("file")
                content = read_upload(
                    upload,
                    _("Document"),
                    ("application/pdf", *IMAGE_MIMETYPES),
                    get_param(request.env, "document_max_size_mb"),
                )
                if not content:
                    raise UserError(_("Choose a file to upload."))
                expiry = post.get("expiry_date") or False
                if expiry:
                    try:
                        expiry = fields.Date.to_date(expiry)
                    except ValueError as error:
                        raise UserError(
                            _("The expiry date is not a valid date.")
                        ) from error
                # sudo: a document of the user's own seller contact.
                request.env["marketplace.seller.document"].sudo().create(
                    {
                        "partner_id": seller.id,
                        "document_type_id": doc_type.id,
                        "file": content,
                        "file_name": upload.filename,
                        "expiry_date": expiry,
                    }
                )
                seller._marketplace_onboarding_sync()
        except (UserError, ValidationError) as error:
            return self._render_result(seller, error=error.args[0])
        return self._render_result(seller, success=_("The document is uploaded."))

    @http.route(
        "/my/seller/submit", type="http", auth="user", website=True, methods=["POST"]
    )
    def seller_submit(self, **post):
        seller = self._seller_or_404()
        try:
            with request.env.cr.savepoint():
                seller.action_submit_verification()
        except (UserError, ValidationError) as error:
            return self._render_result(seller, error=error.args[0])
        return self._render_result(
            seller, success=_("Thank you: the team will check your documents.")
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
            try:
                with request.env.cr.savepoint():
                    product = self._save_product(seller, product, post)
            except (UserError, ValidationError) as error_:
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

    def _save_product(self, seller, product, post):
        vals = {
            "name": clean_text(
                post.get("name"), _("Name"), required=True, max_length=128
            ),
            "description_sale": clean_text(
                post.get("description_sale"), _("Description"), max_length=4000
            ),
        }
        try:
            vals["list_price"] = float(post.get("list_price") or 0.0)
            quantity = float(post.get("quantity") or 0.0)
        except ValueError as error:
            raise UserError(_("Price and quantity must be numbers.")) from error
        if not (math.isfinite(vals["list_price"]) and math.isfinite(quantity)):
            raise UserError(_("Price and quantity must be numbers."))
        if vals["list_price"] < 0 or quantity < 0:
            raise UserError(_("Price and quantity cannot be negative."))
        # sudo: the category picked, reference data only.
        category = (
            request.env["product.category"]
            .sudo()
            .browse(record_id(post.get("categ_id")))
            .exists()
        )
        if category:
            vals["categ_id"] = category.id
        image = read_upload(
            request.httprequest.files.get("image"),
            _("Image"),
            IMAGE_MIMETYPES,
            get_param(request.env, "document_max_size_mb"),
        )
        if image:
            vals["image_1920"] = image
        # sudo: the seller's own product (checked by the caller), whitelisted fields.
        if product:
            product.write(vals)
        else:
            product = (
                request.env["product.template"]
                .sudo()
                .create(
                    dict(
                        vals,
                        type="consu",
                        is_storable=True,
                        marketplace_seller_id=seller.id,
                    )
                )
            )
        product._marketplace_set_quantity(quantity)
        return product

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
                if post.get("publish") != "1":
                    product.is_published = False
                elif not product._marketplace_request_publication():
                    return self._render_result(
                        seller,
                        success=_(
                            "“%s” will go live as soon as your shop is validated.",
                            product.name,
                        ),
                    )
        except (UserError, ValidationError) as error:
            return self._render_result(seller, error=error.args[0])
        return request.redirect("/my/seller#listings")
