"""The listings of the marketplace REST API: the seller's products, their
publication and their stock."""

from fastapi import status

from odoo.exceptions import ValidationError

from . import api_common as common
from . import schemas

router = common.new_router()


# ------------------------------------------------------------------ listings
def _listing(product):
    return schemas.Listing(
        id=product.id,
        name=product.name,
        description=common.none(product.description_sale),
        list_price=product.list_price,
        category_id=common.none(product.categ_id.id),
        is_published=product.is_published,
        publish_requested=product.marketplace_publish_requested,
        quantity=product._marketplace_quantity(),
    )


def _own_listing(env, seller, listing_id):
    return common.visible(
        env["product.template"].with_context(active_test=False),
        listing_id,
        env._("Listing"),
        [("marketplace_seller_id", "=", seller.id)],
    )


def _listing_vals(env, given):
    vals = {}
    if "name" in given:
        vals["name"] = common.text(given["name"], "name", required=True, max_length=128)
    if "description" in given:
        vals["description_sale"] = common.text(
            given["description"], "description", max_length=4000
        )
    if given.get("list_price") is not None:
        vals["list_price"] = given["list_price"]
    if given.get("category_id"):
        vals["categ_id"] = common.visible(
            env["product.category"], given["category_id"], env._("Category")
        ).id
    return vals


@router.get("/listings", tags=["listings"], response_model=list[schemas.Listing])
def list_listings(env: common.ApiEnv):
    """The seller's listings, published or not."""
    seller = common.seller(env)
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
@common.flushing
def create_listing(body: schemas.ListingCreate, env: common.ApiEnv):
    """Create an unpublished listing with its stock quantity."""
    seller = common.seller(env)
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
    responses=common.NOT_FOUND,
)
def read_listing(listing_id: common.RecordId, env: common.ApiEnv):
    return _listing(_own_listing(env, common.seller(env), listing_id))


@router.patch(
    "/listings/{listing_id}",
    tags=["listings"],
    response_model=schemas.Listing,
    responses=common.NOT_FOUND,
)
@common.flushing
def update_listing(
    listing_id: common.RecordId,
    body: schemas.ListingUpdate,
    env: common.ApiEnv,
):
    product = _own_listing(env, common.seller(env), listing_id)
    # sudo: the seller's own listing (located above with their rights),
    # whitelisted fields only.
    product.sudo().write(_listing_vals(env, body.model_dump(exclude_unset=True)))
    return _listing(product)


@router.post(
    "/listings/{listing_id}/publish",
    tags=["listings"],
    response_model=schemas.Listing,
    responses={
        **common.NOT_FOUND,
        409: {"description": "Refused by the publication gate"},
    },
)
@common.flushing
def publish_listing(listing_id: common.RecordId, env: common.ApiEnv):
    """Publish the listing through the publication gate: live at once for a
    validated seller, on validation for a seller waiting for it, refused
    (409) for a rejected or suspended seller."""
    product = _own_listing(env, common.seller(env), listing_id)
    try:
        with env.cr.savepoint():
            # sudo: the seller's own listing; the gate (a constraint) decides.
            product.sudo()._marketplace_request_publication()
    except ValidationError as error:
        raise common.error(status.HTTP_409_CONFLICT, error.args[0]) from error
    return _listing(product)


@router.post(
    "/listings/{listing_id}/unpublish",
    tags=["listings"],
    response_model=schemas.Listing,
    responses=common.NOT_FOUND,
)
@common.flushing
def unpublish_listing(listing_id: common.RecordId, env: common.ApiEnv):
    product = _own_listing(env, common.seller(env), listing_id)
    # sudo: the seller's own listing, unpublished.
    product.sudo().write({"is_published": False})
    return _listing(product)


@router.put(
    "/listings/{listing_id}/stock",
    tags=["listings"],
    response_model=schemas.Listing,
    responses=common.NOT_FOUND,
)
@common.flushing
def set_stock(
    listing_id: common.RecordId,
    body: schemas.StockQuantity,
    env: common.ApiEnv,
):
    """Set the quantity on hand (an inventory adjustment is recorded)."""
    product = _own_listing(env, common.seller(env), listing_id)
    # sudo: the stock of the seller's own listing, set by an inventory
    # adjustment (portal users cannot read stock or variants).
    product.sudo()._marketplace_set_quantity(body.quantity)
    return _listing(product)
