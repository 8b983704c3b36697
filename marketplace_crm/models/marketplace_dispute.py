from odoo import _, api, fields, models
from odoo.exceptions import UserError

DISPUTE_TYPES = [
    ("not_delivered", "Not delivered"),
    ("not_as_described", "Not as described"),
    ("damaged", "Damaged"),
    ("refund_request", "Refund request"),
    ("other", "Other"),
]
DISPUTE_STATES = [
    ("open", "Open"),
    ("under_review", "Under Review"),
    ("resolved", "Resolved"),
    ("closed", "Closed"),
]
DISPUTE_OUTCOMES = [
    ("buyer_refunded", "Buyer refunded"),
    ("seller_favoured", "Seller favoured"),
    ("partial_refund", "Partial refund"),
    ("withdrawn", "Withdrawn"),
]
# Allowed moves of the dispute state (from -> to).
DISPUTE_TRANSITIONS = {
    "open": {"under_review", "resolved", "closed"},
    "under_review": {"open", "resolved", "closed"},
    "resolved": {"under_review", "closed"},
    "closed": {"open"},
}


class MarketplaceDispute(models.Model):
    _name = "marketplace.dispute"
    _description = "Marketplace Dispute"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "priority desc, create_date desc, id desc"
    _rec_name = "name"

    name = fields.Char(
        "Reference",
        required=True,
        readonly=True,
        copy=False,
        default="/",
        index="trigram",
    )
    buyer_id = fields.Many2one(
        "res.partner",
        required=True,
        index=True,
        tracking=True,
        ondelete="restrict",
    )
    seller_id = fields.Many2one(
        "res.partner",
        required=True,
        index=True,
        tracking=True,
        ondelete="restrict",
        domain=[("is_seller", "=", True)],
    )
    order_id = fields.Many2one(
        "sale.order",
        index="btree_not_null",
        tracking=True,
        ondelete="set null",
    )
    dispute_type = fields.Selection(
        DISPUTE_TYPES, "Type", required=True, default="other", tracking=True
    )
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    amount = fields.Monetary("Disputed Amount", tracking=True)
    priority = fields.Selection(
        [("0", "Low"), ("1", "Medium"), ("2", "High"), ("3", "Urgent")],
        default="1",
        tracking=True,
    )
    is_critical = fields.Boolean("Critical", tracking=True, index=True)
    state = fields.Selection(
        DISPUTE_STATES, default="open", required=True, tracking=True, index=True
    )
    outcome = fields.Selection(DISPUTE_OUTCOMES, tracking=True)
    resolution_date = fields.Datetime(readonly=True, copy=False, tracking=True)
    resolution_notes = fields.Html()
    description = fields.Html()
    user_id = fields.Many2one(
        "res.users", "Handled by", tracking=True, default=lambda self: self.env.user
    )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("name", "/") == "/":
                vals["name"] = self.env["ir.sequence"].next_by_code(
                    "marketplace.dispute"
                ) or _("New")
        return super().create(vals_list)

    def write(self, vals):
        if "state" in vals:
            self._check_state_transition(vals["state"])
            if vals["state"] in ("resolved", "closed"):
                if not (vals.get("outcome") or all(self.mapped("outcome"))):
                    raise UserError(
                        _("Set the outcome before resolving or closing a dispute.")
                    )
                vals.setdefault("resolution_date", fields.Datetime.now())
            else:
                vals.setdefault("resolution_date", False)
        return super().write(vals)

    def _check_state_transition(self, new_state):
        labels = dict(DISPUTE_STATES)
        for dispute in self:
            if (
                dispute.state != new_state
                and new_state not in DISPUTE_TRANSITIONS[dispute.state]
            ):
                raise UserError(
                    _(
                        "Dispute %(name)s cannot go from “%(old)s” to “%(new)s”.",
                        name=dispute.name,
                        old=labels[dispute.state],
                        new=labels[new_state],
                    )
                )

    def action_review(self):
        self.write({"state": "under_review"})

    def action_resolve(self):
        self.write({"state": "resolved"})

    def action_close(self):
        self.write({"state": "closed"})

    def action_reopen(self):
        self.write({"state": "open"})
