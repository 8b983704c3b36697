"""The support of the marketplace REST API: disputes and tickets, with their
public comments."""

from fastapi import status

from odoo import tools

from ..models.marketplace_input_numbers import amount_over_total, order_part_total
from . import api_common as common
from . import schemas

router = common.new_router()


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
            author=common.none(message.author_id.name),
            date=message.date,
            body=tools.html2plaintext(message.body or ""),
        )
        for message in messages
    ]


def _post_comment(env, record, body):
    text = common.text(body.body, "body", required=True, max_length=5000)
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
        order_id=common.none(dispute.order_id.id),
        amount=dispute.amount,
        is_critical=dispute.is_critical,
        outcome=common.none(dispute.outcome),
        created_on=dispute.create_date,
        comments=_comments(dispute) if with_comments else [],
    )


def _visible_dispute(env, dispute_id):
    return common.visible(env["marketplace.dispute"], dispute_id, env._("Dispute"))


def _check_disputed_amount(env, part, amount):
    """The amount at stake is at most what the buyer paid the seller for
    this order (the rule of the portal's ticket form), a 422 otherwise."""
    # sudo: the order lines of an order part located with the key user's
    # rights (a buyer's own purchase); only their total is read.
    part_sudo = part.sudo()
    message = amount_over_total(
        env, amount, order_part_total(part_sudo), part_sudo.currency_id
    )
    if message:
        raise common.error(
            status.HTTP_422_UNPROCESSABLE_CONTENT,
            [{"loc": ["body", "amount"], "msg": message, "type": "amount_over_total"}],
        )


@router.get("/disputes", tags=["disputes"], response_model=list[schemas.Dispute])
def list_disputes(env: common.ApiEnv, paging: common.Page):
    """The disputes the key's user is a party to."""
    return [_dispute(d) for d in env["marketplace.dispute"].search([], **paging)]


@router.get(
    "/disputes/{dispute_id}",
    tags=["disputes"],
    response_model=schemas.Dispute,
    responses=common.NOT_FOUND,
)
def read_dispute(dispute_id: common.RecordId, env: common.ApiEnv):
    return _dispute(_visible_dispute(env, dispute_id), with_comments=True)


@router.post(
    "/disputes",
    tags=["disputes"],
    status_code=status.HTTP_201_CREATED,
    response_model=schemas.Dispute,
    responses={**common.NOT_FOUND, 409: {"description": "A dispute is already open"}},
)
@common.flushing
def open_dispute(body: schemas.DisputeCreate, env: common.ApiEnv):
    """The buyer opens a dispute against a seller of one of their orders."""
    me = common.caller(env)
    part = common.one(
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
        raise common.error(
            status.HTTP_409_CONFLICT, env._("A dispute on this order is already open.")
        )
    _check_disputed_amount(env, part, body.amount)
    description = common.text(
        body.description, "description", required=True, max_length=5000
    )
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
    responses=common.NOT_FOUND,
)
@common.flushing
def comment_dispute(
    dispute_id: common.RecordId,
    body: schemas.CommentCreate,
    env: common.ApiEnv,
):
    return _post_comment(env, _visible_dispute(env, dispute_id), body)


# ------------------------------------------------------------------ tickets
def _ticket(ticket, with_comments=False):
    return schemas.Ticket(
        id=ticket.id,
        number=ticket.number or "",
        title=ticket.name,
        stage=common.none(ticket.stage_id.name),
        closed=ticket.closed,
        order_id=common.none(ticket.sale_order_id.id),
        created_on=ticket.create_date,
        comments=_comments(ticket) if with_comments else [],
    )


def _visible_ticket(env, ticket_id):
    return common.visible(env["helpdesk.ticket"], ticket_id, env._("Ticket"))


@router.get("/tickets", tags=["tickets"], response_model=list[schemas.Ticket])
def list_tickets(env: common.ApiEnv, paging: common.Page):
    """The tickets the key's user may read (their own, as on the portal)."""
    return [_ticket(t) for t in env["helpdesk.ticket"].search([], **paging)]


@router.get(
    "/tickets/{ticket_id}",
    tags=["tickets"],
    response_model=schemas.Ticket,
    responses=common.NOT_FOUND,
)
def read_ticket(ticket_id: common.RecordId, env: common.ApiEnv):
    return _ticket(_visible_ticket(env, ticket_id), with_comments=True)


@router.post(
    "/tickets",
    tags=["tickets"],
    status_code=status.HTTP_201_CREATED,
    response_model=schemas.Ticket,
    responses=common.NOT_FOUND,
)
@common.flushing
def open_ticket(body: schemas.TicketCreate, env: common.ApiEnv):
    """Open a support ticket, about one of the user's orders if given."""
    user = env.user
    vals = {
        "name": common.text(body.title, "title", required=True, max_length=200),
        "description": tools.plaintext2html(
            common.text(body.description, "description", required=True, max_length=5000)
        ),
        "partner_id": user.partner_id.id,
        "partner_name": user.partner_id.name,
        "partner_email": user.partner_id.email,
    }
    if body.order_id:
        order = common.visible(
            env["sale.order"],
            body.order_id,
            env._("Order"),
            [("partner_id", "child_of", common.caller(env).id)],
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
    responses=common.NOT_FOUND,
)
@common.flushing
def comment_ticket(
    ticket_id: common.RecordId,
    body: schemas.CommentCreate,
    env: common.ApiEnv,
):
    return _post_comment(env, _visible_ticket(env, ticket_id), body)
