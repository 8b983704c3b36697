"""The marketplace REST API (OCA ``fastapi``), mounted on /marketplace/api.

Every call is authenticated by the key of an integration
(``marketplace.api.client``) and runs as the key's user: the access rights
and record rules of that user decide what it may read, exactly as on the
portal. Records are always located with that user's environment; the few
writes a portal user may not make through the ORM (their own profile,
listing, dispute...) are then made in a ``sudo()`` narrowed to the record
just located and to whitelisted fields, like the portal controllers do.
"""

import base64
import functools
from typing import Annotated, Literal

from fastapi import (
    APIRouter,
    Depends,
    File,
    Form,
    Path,
    Query,
    Response,
    UploadFile,
    status,
)
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.routing import APIRoute
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from werkzeug.exceptions import default_exceptions

from odoo import fields, tools
from odoo.api import Environment
from odoo.exceptions import UserError, ValidationError
from odoo.http import request

from odoo.addons.fastapi.dependencies import odoo_env

from ..models.marketplace_input import clean_text
from . import schemas

API_VERSION = "1.0.0"
OPENAPI_TAGS = [
    {"name": "sellers", "description": "Registration, profile and verification."},
    {"name": "listings", "description": "The seller's products and their stock."},
    {"name": "orders", "description": "Order parts of a seller; buyers' ratings."},
    {"name": "disputes", "description": "Disputes, for their buyer and seller."},
    {"name": "tickets", "description": "Support tickets of the key's user."},
]
ERRORS = {
    400: {"description": "Refused value (markup in a text, invalid file...)"},
    401: {"description": "Missing, invalid, expired or revoked API key"},
    403: {"description": "The key's user may not do this"},
    429: {"description": "Rate limit of the integration reached (see Retry-After)"},
}
NOT_FOUND = {404: {"description": "No such record visible to the key's user"}}

bearer = HTTPBearer(
    auto_error=False,
    description="The key of an integration (Marketplace > Configuration > "
    "API Integrations), sent as `Authorization: Bearer <key>`.",
)


class MarketplaceRoute(APIRoute):
    """Invalid requests (422) are answered as client errors, like the others
    (see ``_error``), rather than logged by Odoo as server failures."""

    def get_route_handler(self):
        handler = super().get_route_handler()

        async def route_handler(request):
            try:
                return await handler(request)
            except RequestValidationError as exc:
                raise _error(422, jsonable_encoder(exc.errors())) from exc

        return route_handler


router = APIRouter(responses=ERRORS, route_class=MarketplaceRoute)


# ------------------------------------------------------------------ dependencies
def _error(code, detail, headers=None):
    """A client error, answered as ``{"detail": ...}`` with this status.

    Raised as a werkzeug exception: Odoo treats it as a client error (no
    error log) and rolls the transaction back."""
    error = default_exceptions[code](description=detail)
    error.headers = headers or {}
    return error


def api_client(
    env: Annotated[Environment, Depends(odoo_env)],
    response: Response,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
):
    """The integration of the bearer key, within its rate limit."""
    client = env["marketplace.api.client"]._authenticate(
        credentials.credentials if credentials else None
    )
    if not client:
        raise _error(
            status.HTTP_401_UNAUTHORIZED,
            env._("Invalid or missing API key."),
            headers={"WWW-Authenticate": "Bearer"},
        )
    allowed, limit, remaining, retry_after = client._consume_rate_limit()
    if limit:
        response.headers["X-RateLimit-Limit"] = str(limit)
        response.headers["X-RateLimit-Remaining"] = str(remaining)
    if not allowed:
        raise _error(
            status.HTTP_429_TOO_MANY_REQUESTS,
            env._("Rate limit reached: at most %s calls per minute.", limit),
            headers={"Retry-After": str(retry_after), "X-RateLimit-Limit": str(limit)},
        )
    return client


def api_env(
    client: Annotated[object, Depends(api_client)],
    env: Annotated[Environment, Depends(odoo_env)],
) -> Environment:
    """The environment of the key's user: its rights and record rules apply."""
    user = client.user_id
    if request:
        # The whole request runs as the key's user, like a portal request of
        # that user (the transaction's hooks included), not as the runner.
        request.update_env(user=user.id)
    return env(user=user.id, su=False)


ApiEnv = Annotated[Environment, Depends(api_env)]


def _me(env):
    """The commercial contact of the key's user (read with its rights)."""
    return env.user.partner_id.commercial_partner_id


def _seller(env):
    seller = _me(env)
    if not seller.is_seller:
        raise _error(
            status.HTTP_403_FORBIDDEN, env._("The key's user is not a seller.")
        )
    return seller


def _one(records, what):
    """The records found, or a 404 naming ``what`` (a translated noun)."""
    if not records:
        raise _error(
            status.HTTP_404_NOT_FOUND,
            records.env._("%s not found.", what),
        )
    return records


class _ApiMessages:
    """The text checks' messages for the API: they name the API's own field
    names, which are English, like the rest of its contract."""

    @staticmethod
    def _(source, *args, **kwargs):
        return source % (args or kwargs) if (args or kwargs) else source


def _text(value, label, required=False, max_length=255):
    """Checked text (no markup), a 400 error otherwise."""
    try:
        return clean_text(
            _ApiMessages, value, label, required=required, max_length=max_length
        )
    except UserError as error:
        raise _error(status.HTTP_400_BAD_REQUEST, error.args[0]) from error


def _none(value):
    return value or None


def _flushing(func):
    """Write the endpoint's changes as the key's user before answering: the
    fastapi dispatcher flushes what is left as the API runner, who may read
    almost nothing (not even a currency's rounding)."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        result = func(*args, **kwargs)
        kwargs["env"].flush_all()
        return result

    return wrapper


# ------------------------------------------------------------------ sellers
def _profile(seller):
    return schemas.SellerProfile(
        id=seller.id,
        name=seller.name,
        email=_none(seller.email),
        phone=_none(seller.phone),
        shop_name=_none(seller.shop_name),
        shop_description=_none(seller.shop_description),
        street=_none(seller.street),
        city=_none(seller.city),
        zip=_none(seller.zip),
        country_code=_none(seller.country_id.code),
        registration_date=_none(seller.seller_registration_date),
        verification_state=seller.verification_state or "draft",
        profile_completeness=seller.profile_completeness,
    )


@router.post(
    "/sellers",
    tags=["sellers"],
    status_code=status.HTTP_201_CREATED,
    response_model=schemas.SellerRegistered,
)
@_flushing
def register_seller(body: schemas.SellerRegistration, env: ApiEnv):
    """Register a seller (operator integrations: the key of a marketplace
    staff user). The seller gets a portal account and the invitation e-mail,
    as from the public registration form."""
    if not env.user.has_group("marketplace_crm.group_marketplace_user"):
        raise _error(
            status.HTTP_403_FORBIDDEN,
            env._("Only the marketplace team registers sellers."),
        )
    email = tools.email_normalize(body.email)
    if not email:
        raise _error(status.HTTP_400_BAD_REQUEST, env._("Invalid e-mail address."))
    data = {
        "name": _text(body.name, "name", required=True, max_length=128),
        "email": email,
        "phone": _text(body.phone, "phone", max_length=32),
        "shop_name": _text(body.shop_name, "shop_name", required=True, max_length=128),
        "shop_description": _text(
            body.shop_description, "shop_description", max_length=2000
        ),
    }
    partner = env["res.partner"]._marketplace_register_seller(data)
    partner = env["res.partner"].browse(partner.id)
    if not partner.is_seller:
        raise _error(
            status.HTTP_409_CONFLICT, env._("This address belongs to a staff member.")
        )
    return schemas.SellerRegistered(
        id=partner.id, verification_state=partner.verification_state
    )


@router.get("/sellers/me", tags=["sellers"], response_model=schemas.SellerProfile)
def read_profile(env: ApiEnv):
    """The profile of the key's seller."""
    return _profile(_seller(env))


@router.patch("/sellers/me", tags=["sellers"], response_model=schemas.SellerProfile)
@_flushing
def update_profile(body: schemas.SellerProfileUpdate, env: ApiEnv):
    """Update the seller's own profile (only the fields sent)."""
    seller = _seller(env)
    given = body.model_dump(exclude_unset=True)
    vals = {}
    for fname in ("shop_name", "shop_description", "phone", "street", "city", "zip"):
        if fname in given:
            vals[fname] = _text(
                given[fname],
                fname,
                required=fname == "shop_name",
                max_length=2000 if fname == "shop_description" else 128,
            )
    if "country_code" in given:
        country = env["res.country"].search(
            [("code", "=", (given["country_code"] or "").upper())], limit=1
        )
        if given["country_code"] and not country:
            raise _error(status.HTTP_400_BAD_REQUEST, env._("Unknown country code."))
        vals["country_id"] = country.id
    # sudo: portal users may not write partners through the ORM; this is the
    # key user's own commercial contact, with the whitelisted fields above.
    seller.sudo().write(vals)
    seller.sudo()._marketplace_onboarding_sync()
    return _profile(seller)


def _document(doc):
    return schemas.DocumentInfo(
        id=doc.id,
        document_type=doc.document_type_id.name,
        file_name=_none(doc.file_name),
        expiry_date=_none(doc.expiry_date),
        is_expired=doc.is_expired,
        uploaded_on=doc.create_date,
    )


@router.post(
    "/sellers/me/documents",
    tags=["sellers"],
    status_code=status.HTTP_201_CREATED,
    response_model=schemas.DocumentInfo,
)
@_flushing
def upload_document(
    env: ApiEnv,
    document_type_id: Annotated[int, Form()],
    file: Annotated[UploadFile, File(description="PDF, JPG or PNG")],
    expiry_date: Annotated[str | None, Form(description="YYYY-MM-DD")] = None,
):
    """Upload a verification document (multipart form)."""
    seller = _seller(env)
    # sudo: the document type picked, reference data only.
    doc_type = _one(
        env["marketplace.document.type"].sudo().search([("id", "=", document_type_id)]),
        env._("Document type"),
    )
    try:
        expiry = fields.Date.to_date(expiry_date) if expiry_date else False
    except ValueError as error:
        raise _error(
            status.HTTP_400_BAD_REQUEST, env._("The expiry date is not a valid date.")
        ) from error
    content = file.file.read()
    if not content:
        raise _error(status.HTTP_400_BAD_REQUEST, env._("The file is empty."))
    # sudo: a document of the key user's own seller contact; the model checks
    # its type, size and expiry date.
    doc = (
        env["marketplace.seller.document"]
        .sudo()
        .create(
            {
                "partner_id": seller.id,
                "document_type_id": doc_type.id,
                "file": base64.b64encode(content),
                "file_name": _text(file.filename, "file_name", max_length=255),
                "expiry_date": expiry,
            }
        )
    )
    seller.sudo()._marketplace_onboarding_sync()
    return _document(doc)


def _verification(seller):
    return schemas.VerificationStatus(
        verification_state=seller.verification_state or "draft",
        rejection_reason=_none(seller.verification_rejection_reason),
        decided_on=_none(seller.verification_date),
        suspended=seller.seller_suspended,
        profile_completeness=seller.profile_completeness,
        missing_items=_none(seller.profile_missing_items),
        # sudo: portal users have no access to the documents through the ORM
        # (closed to RPC); these are the seller's own, metadata only.
        documents=[
            _document(doc)
            for doc in seller.env["marketplace.seller.document"]
            .sudo()
            .search([("partner_id", "=", seller.id)])
        ],
    )


@router.get(
    "/sellers/me/verification",
    tags=["sellers"],
    response_model=schemas.VerificationStatus,
)
def read_verification(env: ApiEnv):
    """Verification status, what the profile still lacks, and the documents."""
    return _verification(_seller(env))


@router.post(
    "/sellers/me/verification",
    tags=["sellers"],
    response_model=schemas.VerificationStatus,
)
@_flushing
def submit_verification(env: ApiEnv):
    """Submit the complete profile to the marketplace team."""
    seller = _seller(env)
    if seller.verification_state not in ("draft", "rejected"):
        raise _error(
            status.HTTP_409_CONFLICT,
            env._("The profile is already submitted or decided."),
        )
    # sudo: the seller submits their own profile, as from the portal.
    seller.sudo().action_submit_verification()
    return _verification(seller)


@router.get(
    "/sellers/me/figures", tags=["sellers"], response_model=schemas.SellerFigures
)
def read_figures(env: ApiEnv):
    """Sales figures and ratings of the seller, as on the seller dashboard."""
    seller = _seller(env)
    listings = (
        env["product.template"]
        .with_context(active_test=False)
        .search_count([("marketplace_seller_id", "=", seller.id)])
    )
    return schemas.SellerFigures(
        currency=env.company.currency_id.name,
        sales_count_month=seller.seller_sale_count_month,
        sales_amount_month=seller.seller_sale_amount_month,
        sales_count_prev_month=seller.seller_sale_count_prev_month,
        sales_amount_prev_month=seller.seller_sale_amount_prev_month,
        sales_count_30d=seller.seller_sale_count_30d,
        sales_amount_30d=seller.seller_sale_amount_30d,
        last_sale_date=_none(seller.seller_last_sale_date),
        rating_average=seller.seller_rating_avg,
        rating_count=seller.seller_rating_count,
        listing_count=listings,
        segment=_none(seller.seller_segment),
    )


# ------------------------------------------------------------------ listings
def _listing(product):
    return schemas.Listing(
        id=product.id,
        name=product.name,
        description=_none(product.description_sale),
        list_price=product.list_price,
        category_id=_none(product.categ_id.id),
        is_published=product.is_published,
        publish_requested=product.marketplace_publish_requested,
        quantity=product._marketplace_quantity(),
    )


def _own_listing(env, seller, listing_id):
    return _one(
        env["product.template"]
        .with_context(active_test=False)
        .search([("id", "=", listing_id), ("marketplace_seller_id", "=", seller.id)]),
        env._("Listing"),
    )


def _listing_vals(env, given):
    vals = {}
    if "name" in given:
        vals["name"] = _text(given["name"], "name", required=True, max_length=128)
    if "description" in given:
        vals["description_sale"] = _text(
            given["description"], "description", max_length=4000
        )
    if given.get("list_price") is not None:
        vals["list_price"] = given["list_price"]
    if given.get("category_id"):
        vals["categ_id"] = _one(
            env["product.category"].search([("id", "=", given["category_id"])]),
            env._("Category"),
        ).id
    return vals


@router.get("/listings", tags=["listings"], response_model=list[schemas.Listing])
def list_listings(env: ApiEnv):
    """The seller's listings, published or not."""
    seller = _seller(env)
    products = (
        env["product.template"]
        .with_context(active_test=False)
        .search([("marketplace_seller_id", "=", seller.id)], order="id")
    )
    return [_listing(product) for product in products]


@router.post(
    "/listings",
    tags=["listings"],
    status_code=status.HTTP_201_CREATED,
    response_model=schemas.Listing,
)
@_flushing
def create_listing(body: schemas.ListingCreate, env: ApiEnv):
    """Create an unpublished listing with its stock quantity."""
    seller = _seller(env)
    vals = _listing_vals(env, body.model_dump())
    # sudo: portal sellers may not create products through the ORM; the
    # listing is the seller's own, with the whitelisted fields above.
    product = (
        env["product.template"]
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
    product._marketplace_set_quantity(body.quantity)
    return _listing(env["product.template"].browse(product.id))


@router.get(
    "/listings/{listing_id}",
    tags=["listings"],
    response_model=schemas.Listing,
    responses=NOT_FOUND,
)
def read_listing(listing_id: Annotated[int, Path(ge=1)], env: ApiEnv):
    return _listing(_own_listing(env, _seller(env), listing_id))


@router.patch(
    "/listings/{listing_id}",
    tags=["listings"],
    response_model=schemas.Listing,
    responses=NOT_FOUND,
)
@_flushing
def update_listing(
    listing_id: Annotated[int, Path(ge=1)], body: schemas.ListingUpdate, env: ApiEnv
):
    product = _own_listing(env, _seller(env), listing_id)
    # sudo: the seller's own listing (located above with their rights),
    # whitelisted fields only.
    product.sudo().write(_listing_vals(env, body.model_dump(exclude_unset=True)))
    return _listing(product)


@router.post(
    "/listings/{listing_id}/publish",
    tags=["listings"],
    response_model=schemas.Listing,
    responses={**NOT_FOUND, 409: {"description": "Refused by the publication gate"}},
)
@_flushing
def publish_listing(listing_id: Annotated[int, Path(ge=1)], env: ApiEnv):
    """Publish the listing through the publication gate: live at once for a
    validated seller, on validation for a seller waiting for it, refused
    (409) for a rejected or suspended seller."""
    product = _own_listing(env, _seller(env), listing_id)
    try:
        with env.cr.savepoint():
            # sudo: the seller's own listing; the gate (a constraint) decides.
            product.sudo()._marketplace_request_publication()
    except ValidationError as error:
        raise _error(status.HTTP_409_CONFLICT, error.args[0]) from error
    return _listing(product)


@router.post(
    "/listings/{listing_id}/unpublish",
    tags=["listings"],
    response_model=schemas.Listing,
    responses=NOT_FOUND,
)
@_flushing
def unpublish_listing(listing_id: Annotated[int, Path(ge=1)], env: ApiEnv):
    product = _own_listing(env, _seller(env), listing_id)
    # sudo: the seller's own listing, unpublished.
    product.sudo().write({"is_published": False})
    return _listing(product)


@router.put(
    "/listings/{listing_id}/stock",
    tags=["listings"],
    response_model=schemas.Listing,
    responses=NOT_FOUND,
)
@_flushing
def set_stock(
    listing_id: Annotated[int, Path(ge=1)], body: schemas.StockQuantity, env: ApiEnv
):
    """Set the quantity on hand (an inventory adjustment is recorded)."""
    product = _own_listing(env, _seller(env), listing_id)
    # sudo: the stock of the seller's own listing, set by an inventory
    # adjustment (portal users cannot read stock or variants).
    product.sudo()._marketplace_set_quantity(body.quantity)
    return _listing(product)


# ------------------------------------------------------------------ orders
def _part(part):
    # sudo: the order's reference and the seller's own lines of an order part
    # the record rules let the key's user read (portal users cannot read the
    # order of another buyer).
    order = part.sudo().order_id
    lines = order.order_line.filtered(
        lambda line: (
            line.product_id.product_tmpl_id.marketplace_seller_id == part.seller_id
        )
    )
    rating = part.sudo().rating_ids.filtered("consumed")[:1]
    return schemas.OrderPart(
        id=part.id,
        order_reference=order.name,
        date_order=_none(part.date_order),
        state=part.state,
        seller_id=part.seller_id.id,
        buyer_id=part.partner_id.id,
        amount=part.amount,
        currency=part.currency_id.name,
        lines=[
            schemas.OrderLine(
                product=line.product_id.display_name,
                quantity=line.product_uom_qty,
                price_subtotal=line.price_subtotal,
            )
            for line in lines
        ],
        rating=rating.rating if rating else None,
    )


def _parts_domain(env, role):
    me = _me(env)
    if role == "buyer":
        return [("partner_id", "child_of", me.id)]
    return [("seller_id", "=", _seller(env).id)]


@router.get("/orders", tags=["orders"], response_model=list[schemas.OrderPart])
def list_order_parts(
    env: ApiEnv,
    role: Literal["seller", "buyer"] = "seller",
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    offset: Annotated[int, Query(ge=0)] = 0,
):
    """The seller's parts of confirmed orders (or, with ``role=buyer``, the
    parts of the key user's own purchases)."""
    parts = env["marketplace.order.seller"].search(
        [*_parts_domain(env, role), ("state", "=", "sale")],
        limit=limit,
        offset=offset,
        order="date_order desc, id desc",
    )
    return [_part(part) for part in parts]


@router.get(
    "/orders/{part_id}",
    tags=["orders"],
    response_model=schemas.OrderPart,
    responses=NOT_FOUND,
)
def read_order_part(part_id: Annotated[int, Path(ge=1)], env: ApiEnv):
    return _part(
        _one(
            env["marketplace.order.seller"].search([("id", "=", part_id)]),
            env._("Order"),
        )
    )


@router.post(
    "/orders/{part_id}/rating",
    tags=["orders"],
    status_code=status.HTTP_201_CREATED,
    response_model=schemas.RatingResult,
    responses={**NOT_FOUND, 409: {"description": "Already rated"}},
)
@_flushing
def rate_seller(
    part_id: Annotated[int, Path(ge=1)], body: schemas.RatingCreate, env: ApiEnv
):
    """The buyer rates the seller of one of their confirmed orders, once."""
    part = _one(
        env["marketplace.order.seller"].search(
            [*_parts_domain(env, "buyer"), ("id", "=", part_id), ("state", "=", "sale")]
        ),
        env._("Order"),
    )
    # sudo: ratings are written through the rating mixin in sudo, as by the
    # buyer's rating token; the part is the key user's own purchase.
    part_sudo = part.sudo()
    if part_sudo.rating_ids.filtered("consumed"):
        raise _error(status.HTTP_409_CONFLICT, env._("This seller is already rated."))
    feedback = _text(body.feedback, "feedback", max_length=2000)
    part_sudo.rating_apply(body.rating, feedback=feedback or None)
    return schemas.RatingResult(
        order_part_id=part.id,
        seller_id=part_sudo.seller_id.id,
        rating=body.rating,
        seller_rating_average=part_sudo.seller_id.seller_rating_avg,
    )


# ------------------------------------------------------------------ comments
def _comments(record):
    # sudo: the public messages of a record the key's user may read (checked
    # by the caller); internal notes are left out.
    messages = (
        record.sudo()
        .message_ids.filtered(
            lambda m: m.message_type == "comment" and not m.subtype_id.internal
        )
        .sorted("id")
    )
    return [
        schemas.Comment(
            id=message.id,
            author=_none(message.author_id.name),
            date=message.date,
            body=tools.html2plaintext(message.body or ""),
        )
        for message in messages
    ]


def _post_comment(env, record, body):
    text = _text(body.body, "body", required=True, max_length=5000)
    # sudo: portal users may not post on records they cannot write; the key's
    # user is a party of this record (located with their rights) and the
    # message is authored by them.
    message = record.sudo().message_post(
        body=tools.plaintext2html(text),
        author_id=env.user.partner_id.id,
        message_type="comment",
        subtype_xmlid="mail.mt_comment",
    )
    return schemas.Comment(
        id=message.id,
        author=env.user.partner_id.name,
        date=message.date,
        body=text,
    )


# ------------------------------------------------------------------ disputes
def _dispute(dispute, with_comments=False):
    return schemas.Dispute(
        id=dispute.id,
        reference=dispute.name,
        state=dispute.state,
        dispute_type=dispute.dispute_type,
        buyer_id=dispute.buyer_id.id,
        seller_id=dispute.seller_id.id,
        order_id=_none(dispute.order_id.id),
        amount=dispute.amount,
        is_critical=dispute.is_critical,
        outcome=_none(dispute.outcome),
        created_on=dispute.create_date,
        comments=_comments(dispute) if with_comments else [],
    )


def _visible_dispute(env, dispute_id):
    return _one(
        env["marketplace.dispute"].search([("id", "=", dispute_id)]), env._("Dispute")
    )


@router.get("/disputes", tags=["disputes"], response_model=list[schemas.Dispute])
def list_disputes(env: ApiEnv):
    """The disputes the key's user is a party to."""
    return [_dispute(d) for d in env["marketplace.dispute"].search([], limit=200)]


@router.get(
    "/disputes/{dispute_id}",
    tags=["disputes"],
    response_model=schemas.Dispute,
    responses=NOT_FOUND,
)
def read_dispute(dispute_id: Annotated[int, Path(ge=1)], env: ApiEnv):
    return _dispute(_visible_dispute(env, dispute_id), with_comments=True)


@router.post(
    "/disputes",
    tags=["disputes"],
    status_code=status.HTTP_201_CREATED,
    response_model=schemas.Dispute,
    responses={**NOT_FOUND, 409: {"description": "A dispute is already open"}},
)
@_flushing
def open_dispute(body: schemas.DisputeCreate, env: ApiEnv):
    """The buyer opens a dispute against a seller of one of their orders."""
    me = _me(env)
    part = _one(
        env["marketplace.order.seller"].search(
            [
                ("partner_id", "child_of", me.id),
                ("order_id", "=", body.order_id),
                ("seller_id", "=", body.seller_id),
                ("state", "=", "sale"),
            ],
            limit=1,
        ),
        env._("Order"),
    )
    Dispute = env["marketplace.dispute"]
    if Dispute.search_count(
        [
            ("order_id", "=", body.order_id),
            ("seller_id", "=", body.seller_id),
            ("buyer_id", "=", me.id),
            ("state", "in", ("open", "under_review")),
        ]
    ):
        raise _error(
            status.HTTP_409_CONFLICT, env._("A dispute on this order is already open.")
        )
    description = _text(body.description, "description", required=True, max_length=5000)
    # sudo: portal buyers may not create disputes through the ORM; the buyer
    # is the key's user and the order part was located with their rights.
    dispute = Dispute.sudo().create(
        {
            "buyer_id": me.id,
            "seller_id": part.seller_id.id,
            "order_id": body.order_id,
            "dispute_type": body.dispute_type,
            "amount": body.amount,
            "description": tools.plaintext2html(description),
            "user_id": False,
        }
    )
    return _dispute(Dispute.browse(dispute.id))


@router.post(
    "/disputes/{dispute_id}/comments",
    tags=["disputes"],
    status_code=status.HTTP_201_CREATED,
    response_model=schemas.Comment,
    responses=NOT_FOUND,
)
@_flushing
def comment_dispute(
    dispute_id: Annotated[int, Path(ge=1)], body: schemas.CommentCreate, env: ApiEnv
):
    return _post_comment(env, _visible_dispute(env, dispute_id), body)


# ------------------------------------------------------------------ tickets
def _ticket(ticket, with_comments=False):
    return schemas.Ticket(
        id=ticket.id,
        number=ticket.number or "",
        title=ticket.name,
        stage=_none(ticket.stage_id.name),
        closed=ticket.closed,
        order_id=_none(ticket.sale_order_id.id),
        created_on=ticket.create_date,
        comments=_comments(ticket) if with_comments else [],
    )


def _visible_ticket(env, ticket_id):
    return _one(
        env["helpdesk.ticket"].search([("id", "=", ticket_id)]), env._("Ticket")
    )


@router.get("/tickets", tags=["tickets"], response_model=list[schemas.Ticket])
def list_tickets(env: ApiEnv):
    """The tickets the key's user may read (their own, as on the portal)."""
    return [_ticket(t) for t in env["helpdesk.ticket"].search([], limit=200)]


@router.get(
    "/tickets/{ticket_id}",
    tags=["tickets"],
    response_model=schemas.Ticket,
    responses=NOT_FOUND,
)
def read_ticket(ticket_id: Annotated[int, Path(ge=1)], env: ApiEnv):
    return _ticket(_visible_ticket(env, ticket_id), with_comments=True)


@router.post(
    "/tickets",
    tags=["tickets"],
    status_code=status.HTTP_201_CREATED,
    response_model=schemas.Ticket,
    responses=NOT_FOUND,
)
@_flushing
def open_ticket(body: schemas.TicketCreate, env: ApiEnv):
    """Open a support ticket, about one of the user's orders if given."""
    user = env.user
    vals = {
        "name": _text(body.title, "title", required=True, max_length=200),
        "description": tools.plaintext2html(
            _text(body.description, "description", required=True, max_length=5000)
        ),
        "partner_id": user.partner_id.id,
        "partner_name": user.partner_id.name,
        "partner_email": user.partner_id.email,
    }
    if body.order_id:
        order = _one(
            env["sale.order"].search(
                [
                    ("id", "=", body.order_id),
                    ("partner_id", "child_of", _me(env).id),
                ]
            ),
            env._("Order"),
        )
        vals["sale_order_id"] = order.id
    # sudo: portal users may not create tickets through the ORM (the portal
    # form creates them in sudo too); the contact is the key's user.
    ticket = env["helpdesk.ticket"].sudo().create(vals)
    return _ticket(env["helpdesk.ticket"].browse(ticket.id))


@router.post(
    "/tickets/{ticket_id}/comments",
    tags=["tickets"],
    status_code=status.HTTP_201_CREATED,
    response_model=schemas.Comment,
    responses=NOT_FOUND,
)
@_flushing
def comment_ticket(
    ticket_id: Annotated[int, Path(ge=1)], body: schemas.CommentCreate, env: ApiEnv
):
    return _post_comment(env, _visible_ticket(env, ticket_id), body)
