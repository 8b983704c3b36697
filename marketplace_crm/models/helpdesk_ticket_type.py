from odoo import fields, models

TICKET_PRIORITIES = [("0", "Low"), ("1", "Medium"), ("2", "High"), ("3", "Very High")]


class HelpdeskTicketType(models.Model):
    """Marketplace meaning of a ticket type: what the rules of priority,
    dispute link and SLA read. Admins add types freely; a type without a
    marketplace kind behaves as "other"."""

    _inherit = "helpdesk.ticket.type"

    marketplace_kind = fields.Selection(
        [
            ("dispute", "Dispute"),
            ("refund", "Refund"),
            ("technical", "Technical question"),
            ("incident", "Partner incident"),
            ("other", "Other"),
        ],
        default="other",
        required=True,
        help="Dispute tickets open a marketplace dispute; incident tickets "
        "follow the SLA of the partner's contract.",
    )
    default_priority = fields.Selection(
        TICKET_PRIORITIES,
        default="1",
        required=True,
        help="Lowest priority of a ticket of this type; the urgency chosen on "
        "the ticket can raise it.",
    )
