"""The sellers of the marketplace REST API: registration, profile,
verification documents and sales figures."""

from typing import Annotated

from fastapi import File, Form, UploadFile, status

from odoo import fields, tools

from ..models.marketplace_input_numbers import MAX_ID
from . import api_common as common
from . import schemas

router = common.new_router()


# ------------------------------------------------------------------ sellers
def _profile(seller):
    return schemas.SellerProfile(
        id=seller.id,
        name=seller.name,
        email=common.none(seller.email),
        phone=common.none(seller.phone),
        shop_name=common.none(seller.shop_name),
        shop_description=common.none(seller.shop_description),
        street=common.none(seller.street),
        city=common.none(seller.city),
        zip=common.none(seller.zip),
        country_code=common.none(seller.country_id.code),
        registration_date=common.none(seller.seller_registration_date),
        verification_state=seller.verification_state or "draft",
        profile_completeness=seller.profile_completeness,
    )


@router.post(
    "/sellers",
    tags=["sellers"],
    status_code=status.HTTP_201_CREATED,
    response_model=schemas.SellerRegistered,
)
@common.flushing
def register_seller(body: schemas.SellerRegistration, env: common.ApiEnv):
    """Register a seller (operator integrations: the key of a marketplace
    staff user). The seller gets a portal account and the invitation e-mail,
    as from the public registration form."""
    if not env.user.has_group("marketplace_crm.group_marketplace_user"):
        raise common.error(
            status.HTTP_403_FORBIDDEN,
            env._("Only the marketplace team registers sellers."),
        )
    email = tools.email_normalize(body.email)
    if not email:
        raise common.error(
            status.HTTP_400_BAD_REQUEST, env._("Invalid e-mail address.")
        )
    data = {
        "name": common.text(body.name, "name", required=True, max_length=128),
        "email": email,
        "phone": common.text(body.phone, "phone", max_length=32),
        "shop_name": common.text(
            body.shop_name, "shop_name", required=True, max_length=128
        ),
        "shop_description": common.text(
            body.shop_description, "shop_description", max_length=2000
        ),
    }
    # sudo: only to see whether the address is known, as the registration
    # job does; a known contact or user is never turned into a seller here.
    if env["res.partner"].sudo().with_context(active_test=False).search_count(
        [("email_normalized", "=", email)], limit=1
    ) or env["res.users"].sudo().with_context(active_test=False).search_count(
        [("login", "=ilike", email)], limit=1
    ):
        raise common.error(
            status.HTTP_409_CONFLICT,
            env._("This address already has an account: its owner opens the shop."),
        )
    partner = env["res.partner"]._marketplace_create_seller(data)
    partner = env["res.partner"].browse(partner.id)
    return schemas.SellerRegistered(
        id=partner.id, verification_state=partner.verification_state
    )


@router.get("/sellers/me", tags=["sellers"], response_model=schemas.SellerProfile)
def read_profile(env: common.ApiEnv):
    """The profile of the key's seller."""
    return _profile(common.seller(env))


@router.patch("/sellers/me", tags=["sellers"], response_model=schemas.SellerProfile)
@common.flushing
def update_profile(body: schemas.SellerProfileUpdate, env: common.ApiEnv):
    """Update the seller's own profile (only the fields sent)."""
    seller = common.seller(env)
    given = body.model_dump(exclude_unset=True)
    vals = {}
    for fname in ("shop_name", "shop_description", "phone", "street", "city", "zip"):
        if fname in given:
            vals[fname] = common.text(
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
            raise common.error(
                status.HTTP_400_BAD_REQUEST, env._("Unknown country code.")
            )
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
        file_name=common.none(doc.file_name),
        expiry_date=common.none(doc.expiry_date),
        is_expired=doc.is_expired,
        uploaded_on=doc.create_date,
    )


@router.post(
    "/sellers/me/documents",
    tags=["sellers"],
    status_code=status.HTTP_201_CREATED,
    response_model=schemas.DocumentInfo,
)
@common.flushing
def upload_document(
    env: common.ApiEnv,
    document_type_id: Annotated[int, Form(ge=1, le=MAX_ID)],
    file: Annotated[UploadFile, File(description="PDF, JPG or PNG")],
    expiry_date: Annotated[str | None, Form(description="YYYY-MM-DD")] = None,
):
    """Upload a verification document (multipart form)."""
    seller = common.seller(env)
    # sudo: the document type picked, reference data only.
    doc_type = common.visible(
        env["marketplace.document.type"].sudo(),
        document_type_id,
        env._("Document type"),
    )
    try:
        expiry = fields.Date.to_date(expiry_date) if expiry_date else False
    except ValueError as error:
        raise common.error(
            status.HTTP_400_BAD_REQUEST, env._("The expiry date is not a valid date.")
        ) from error
    content = file.file.read()
    if not content:
        raise common.error(status.HTTP_400_BAD_REQUEST, env._("The file is empty."))
    # sudo: a document of the key user's own seller contact, through the
    # portal's rule (type, size, name; the same file sent twice, even at the
    # same moment, is stored once).
    doc = seller.sudo()._marketplace_add_document(
        doc_type.id, content, common.file_name(file.filename), expiry
    )
    seller.sudo()._marketplace_onboarding_sync()
    return _document(doc)


def _verification(seller):
    return schemas.VerificationStatus(
        verification_state=seller.verification_state or "draft",
        rejection_reason=common.none(seller.verification_rejection_reason),
        decided_on=common.none(seller.verification_date),
        suspended=seller.seller_suspended,
        profile_completeness=seller.profile_completeness,
        missing_items=common.none(seller.profile_missing_items),
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
def read_verification(env: common.ApiEnv):
    """Verification status, what the profile still lacks, and the documents."""
    return _verification(common.seller(env))


@router.post(
    "/sellers/me/verification",
    tags=["sellers"],
    response_model=schemas.VerificationStatus,
)
@common.flushing
def submit_verification(env: common.ApiEnv):
    """Submit the complete profile to the marketplace team."""
    seller = common.seller(env)
    if seller.verification_state not in ("draft", "rejected"):
        raise common.error(
            status.HTTP_409_CONFLICT,
            env._("The profile is already submitted or decided."),
        )
    # sudo: the seller submits their own profile, as from the portal.
    seller.sudo().action_submit_verification()
    return _verification(seller)


@router.get(
    "/sellers/me/figures", tags=["sellers"], response_model=schemas.SellerFigures
)
def read_figures(env: common.ApiEnv):
    """Sales figures and ratings of the seller, as on the seller dashboard."""
    seller = common.seller(env)
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
        last_sale_date=common.none(seller.seller_last_sale_date),
        rating_average=seller.seller_rating_avg,
        rating_count=seller.seller_rating_count,
        listing_count=listings,
        segment=common.none(seller.seller_segment),
    )
