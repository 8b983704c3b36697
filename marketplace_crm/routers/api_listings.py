"""The listings of the marketplace REST API: the seller's products, their
publication and their stock."""

from typing import Annotated

from fastapi import APIRouter, Path, status

from odoo.exceptions import ValidationError

from . import schemas
from .api_common import (
    ERRORS,
    NOT_FOUND,
    ApiEnv,
    MarketplaceRoute,
    _error,
    _flushing,
    _none,
    _one,
    _seller,
    _text,
)

router = APIRouter(responses=ERRORS, route_class=MarketplaceRoute)


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
