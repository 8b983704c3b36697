from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from .marketplace_access import check_group
from .marketplace_claim import claim_ids
from .marketplace_helpers import staff_user
from .marketplace_params import get_param

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
    _check_company_auto = True

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
        check_company=True,
    )
    seller_id = fields.Many2one(
        "res.partner",
        required=True,
        index=True,
        tracking=True,
        ondelete="restrict",
        domain=[("is_seller", "=", True)],
        check_company=True,
    )
    order_id = fields.Many2one(
        "sale.order",
        index="btree_not_null",
        tracking=True,
        ondelete="set null",
        check_company=True,
    )
    dispute_type = fields.Selection(
        DISPUTE_TYPES, "Type", required=True, default="other", tracking=True
    )
    company_id = fields.Many2one(
        "res.company",
        required=True,
        compute="_compute_company_id",
        store=True,
        readonly=False,
        precompute=True,
        index=True,
        help="The company of the disputed order.",
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
    ticket_id = fields.Many2one(
        "helpdesk.ticket",
        index="btree_not_null",
        copy=False,
        tracking=True,
        check_company=True,
    )
    critical_notified = fields.Boolean(
        readonly=True,
        copy=False,
        help="The support team has been told this dispute is critical.",
    )

    @api.depends("order_id")
    def _compute_company_id(self):
        """A dispute belongs to the company of its order (the current one
        when it has no order)."""
        for dispute in self:
            dispute.company_id = (
                dispute.order_id.company_id or dispute.company_id or self.env.company
            )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("name", "/") == "/":
                vals["name"] = self.env["ir.sequence"].next_by_code(
                    "marketplace.dispute"
                ) or self.env._("New")
        disputes = super().create(vals_list)
        disputes._notify_if_critical()
        return disputes

    def write(self, vals):
        if "state" in vals:
            self._check_state_transition(vals["state"])
            if vals["state"] in ("resolved", "closed"):
                if not (vals.get("outcome") or all(self.mapped("outcome"))):
                    raise UserError(
                        self.env._(
                            "Set the outcome before resolving or closing a dispute."
                        )
                    )
                vals.setdefault("resolution_date", fields.Datetime.now())
            else:
                vals.setdefault("resolution_date", False)
        res = super().write(vals)
        if "state" in vals and not self.env.context.get("marketplace_dispute_sync"):
            self._sync_ticket_stage()
        if {"is_critical", "amount", "priority"} & set(vals) and not (
            self.env.context.get("marketplace_critical_claimed")
        ):
            self._notify_if_critical()
        return res

    def _move_to_state(self, target, vals=None):
        """Move to ``target``, through "open" when the direct move is not
        allowed (a closed dispute reopened by its ticket)."""
        for dispute in self:
            if target not in DISPUTE_TRANSITIONS[dispute.state] and target != "open":
                dispute.write({"state": "open"})
            dispute.write(dict(vals or {}, state=target))

    def _sync_ticket_stage(self):
        """Move the ticket of each dispute to the stage of its new state."""
        for dispute in self.filtered("ticket_id"):
            # sudo: the ticket follows its dispute whoever moves the dispute.
            ticket = dispute.ticket_id.sudo()
            if ticket._dispute_state_for_stage() == dispute.state:
                continue
            stage = ticket._stage_for_dispute_state(dispute.state)
            if stage:
                ticket.with_context(marketplace_dispute_sync=True).stage_id = stage

    # ------------------------------------------------------------ critical
    def _is_critical_now(self):
        self.ensure_one()
        amount = get_param(self.env, "critical_dispute_amount")
        priority = get_param(self.env, "critical_dispute_priority")
        return (
            self.is_critical
            or (
                amount
                and (self.currency_id or self.env.company.currency_id).compare_amounts(
                    self.amount, amount
                )
                >= 0
            )
            or (priority and int(self.priority or 0) >= priority)
        )

    def _notify_if_critical(self):
        """Tell the support team at once about disputes that became critical,
        exactly once per dispute (the flag is claimed in SQL, so two
        transactions cannot both notify)."""
        candidates = self.filtered(
            lambda d: (
                not d.critical_notified
                and d.state in ("open", "under_review")
                and d._is_critical_now()
            )
        )
        claimed = candidates._claim_critical_notification()
        # Through the ORM: tracking and Automation Rules see the change.
        claimed.filtered(lambda d: not d.is_critical).with_context(
            marketplace_critical_claimed=True
        ).write({"is_critical": True})
        for dispute in claimed:
            dispute._notify_critical_team()

    def _claim_critical_notification(self):
        """Flag these disputes as critical and notified; return those this
        transaction claimed (a concurrent worker gets none of them)."""
        if not self:
            return self
        self.flush_recordset(["critical_notified"])
        claimed = self.browse(
            claim_ids(
                self.env,
                SQL(
                    """
                    UPDATE marketplace_dispute
                       SET critical_notified = TRUE
                     WHERE id IN (SELECT id FROM marketplace_dispute
                                   WHERE id = ANY(%s)
                                     AND critical_notified IS NOT TRUE
                                     FOR UPDATE SKIP LOCKED)
                 RETURNING id
                    """,
                    self.ids,
                ),
            )
        )
        claimed.invalidate_recordset(["critical_notified"])
        return claimed

    def _notify_critical_team(self):
        self.ensure_one()
        team = (
            self.ticket_id.team_id
            or self.env["helpdesk.ticket.team"]._marketplace_default_team()
        )
        responsible = staff_user(self.env, team.user_id, self.user_id)
        summary = self.env._("Critical dispute %s", self.name)
        body = self.env._(
            "Critical dispute %(dispute)s: %(buyer)s against %(seller)s, "
            "%(amount)s at stake.",
            dispute=self.name,
            buyer=self.buyer_id.display_name,
            seller=self.seller_id.display_name,
            amount=self.currency_id.format(self.amount),
        )
        self.activity_schedule(
            "mail.mail_activity_data_todo",
            user_id=responsible.id,
            summary=summary,
            note=body,
        )
        if team:
            # sudo: whoever raises the dispute (a portal buyer's ticket
            # included), the team is told; the note is internal, so portal
            # users following or reading the team never see it.
            team = team.sudo()
            team.message_post(
                body=body,
                subject=summary,
                message_type="comment",
                subtype_xmlid="mail.mt_note",
                partner_ids=team._marketplace_staff_recipients(responsible).ids,
            )

    def _check_state_transition(self, new_state):
        labels = dict(DISPUTE_STATES)
        for dispute in self:
            if (
                dispute.state != new_state
                and new_state not in DISPUTE_TRANSITIONS[dispute.state]
            ):
                raise UserError(
                    self.env._(
                        "Dispute %(name)s cannot go from “%(old)s” to “%(new)s”.",
                        name=dispute.name,
                        old=labels[dispute.state],
                        new=labels[new_state],
                    )
                )

    def action_review(self):
        check_group(self.env)
        self.write({"state": "under_review"})

    def action_resolve(self):
        check_group(self.env)
        self.write({"state": "resolved"})

    def action_close(self):
        check_group(self.env)
        self.write({"state": "closed"})

    def action_reopen(self):
        check_group(self.env)
        self.write({"state": "open"})
