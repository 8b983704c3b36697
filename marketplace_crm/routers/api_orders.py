"""The orders of the marketplace REST API: the order parts of a seller or a
buyer and the buyers' ratings."""

from typing import Literal

from fastapi import status

from . import api_common as common
from . import schemas

router = common.new_router()


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
        date_order=common.none(part.date_order),
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
    me = common.caller(env)
    if role == "buyer":
        return [("partner_id", "child_of", me.id)]
    return [("seller_id", "=", common.seller(env).id)]


@router.get("/orders", tags=["orders"], response_model=list[schemas.OrderPart])
def list_order_parts(
    env: common.ApiEnv,
    paging: common.Page,
    role: Literal["seller", "buyer"] = "seller",
):
    """The seller's parts of confirmed orders (or, with ``role=buyer``, the
    parts of the key user's own purchases)."""
    parts = env["marketplace.order.seller"].search(
        [*_parts_domain(env, role), ("state", "=", "sale")],
        **paging,
        order="date_order desc, id desc",
    )
    return [_part(part) for part in parts]


@router.get(
    "/orders/{part_id}",
    tags=["orders"],
    response_model=schemas.OrderPart,
    responses=common.NOT_FOUND,
)
def read_order_part(part_id: common.RecordId, env: common.ApiEnv):
    return _part(
        common.visible(env["marketplace.order.seller"], part_id, env._("Order"))
    )


@router.post(
    "/orders/{part_id}/rating",
    tags=["orders"],
    status_code=status.HTTP_201_CREATED,
    response_model=schemas.RatingResult,
    responses={**common.NOT_FOUND, 409: {"description": "Already rated"}},
)
@common.flushing
def rate_seller(
    part_id: common.RecordId, body: schemas.RatingCreate, env: common.ApiEnv
):
    """The buyer rates the seller of one of their confirmed orders, once."""
    part = common.visible(
        env["marketplace.order.seller"],
        part_id,
        env._("Order"),
        [*_parts_domain(env, "buyer"), ("state", "=", "sale")],
    )
    # sudo: ratings are written through the rating mixin in sudo, as by the
    # buyer's rating token; the part is the key user's own purchase.
    part_sudo = part.sudo()
    if part_sudo.rating_ids.filtered("consumed"):
        raise common.error(
            status.HTTP_409_CONFLICT, env._("This seller is already rated.")
        )
    feedback = common.text(body.feedback, "feedback", max_length=2000)
    part_sudo.rating_apply(body.rating, feedback=feedback or None)
    return schemas.RatingResult(
        order_part_id=part.id,
        seller_id=part_sudo.seller_id.id,
        rating=body.rating,
        seller_rating_average=part_sudo.seller_id.seller_rating_avg,
    )
