from odoo import api, fields, models
from odoo.exceptions import UserError

from .helpdesk_ticket_type import TICKET_PRIORITIES
from .marketplace_access import check_group
from .marketplace_params import get_param

URGENCIES = [("0", "Low"), ("1", "Normal"), ("2", "High"), ("3", "Blocking")]


class HelpdeskTicket(models.Model):
    """Marketplace tickets: buyer, seller and order, a priority set from the
    urgency and the type, automatic assignment, the dispute link, the partner
    contract with its SLA, and the resolution time kept for reporting."""

    _inherit = "helpdesk.ticket"
    _check_company_auto = True

    marketplace_kind = fields.Selection(
        related="type_id.marketplace_kind", store=True, string="Issue Kind"
    )
    buyer_id = fields.Many2one(
        "res.partner",
        index="btree_not_null",
        tracking=True,
        ondelete="set null",
        check_company=True,
    )
    seller_id = fields.Many2one(
        "res.partner",
        index="btree_not_null",
        tracking=True,
        ondelete="set null",
        domain=[("is_seller", "=", True)],
        check_company=True,
    )
    sale_order_id = fields.Many2one(
        "sale.order",
        "Order",
        index="btree_not_null",
        tracking=True,
        check_company=True,
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    amount = fields.Monetary(
        "Amount at Stake", help="Disputed or refunded amount, in company currency."
    )
    urgency = fields.Selection(URGENCIES, default="1", required=True, tracking=True)
    priority = fields.Selection(
        TICKET_PRIORITIES,
        compute="_compute_priority",
        store=True,
        readonly=False,
        tracking=True,
    )
    dispute_id = fields.Many2one(
        "marketplace.dispute",
        index="btree_not_null",
        copy=False,
        tracking=True,
        check_company=True,
    )
    marketplace_contract_id = fields.Many2one(
        "marketplace.partner.contract",
        "Partner Contract",
        index="btree_not_null",
        tracking=True,
        check_company=True,
    )
    resolution_hours = fields.Float(
        "Resolution Time (hours)",
        compute="_compute_resolution_time",
        store=True,
        aggregator="avg",
        help="Calendar hours from creation to closing.",
    )
    resolution_working_hours = fields.Float(
        "Resolution Time (working hours)",
        compute="_compute_resolution_time",
        store=True,
        aggregator="avg",
        help="Working hours of the team's calendar from creation to closing.",
    )
    marketplace_form_token = fields.Char(
        readonly=True,
        copy=False,
        help="Token of the portal form this ticket came from: sending the same "
        "form twice (a double click) opens one ticket.",
    )

    _marketplace_form_token_unique = models.Constraint(
        "UNIQUE(marketplace_form_token)",
        "This ticket form was already sent.",
    )

    # ------------------------------------------------------------ computes
    @api.depends("type_id.default_priority", "urgency", "amount", "marketplace_kind")
    def _compute_priority(self):
        urgent_amount = get_param(self.env, "dispute_urgent_amount")
        for ticket in self:
            levels = [ticket.urgency or "1", ticket.type_id.default_priority or "0"]
            if (
                ticket.marketplace_kind in ("dispute", "refund")
                and urgent_amount
                and (
                    ticket.currency_id or ticket.env.company.currency_id
                ).compare_amounts(ticket.amount, urgent_amount)
                >= 0
            ):
                levels.append("3")
            ticket.priority = max(levels)

    @api.depends("create_date", "closed_date", "stage_id.closed", "team_id")
    def _compute_resolution_time(self):
        for ticket in self:
            start, end = ticket.create_date, ticket.closed_date
            if not (ticket.stage_id.closed and start and end and end >= start):
                ticket.resolution_hours = ticket.resolution_working_hours = 0.0
                continue
            ticket.resolution_hours = (end - start).total_seconds() / 3600
            calendar = (
                ticket.team_id.resource_calendar_id
                or ticket.company_id.resource_calendar_id
            )
            ticket.resolution_working_hours = (
                calendar.get_work_hours_count(start, end, compute_leaves=False)
                if calendar
                else ticket.resolution_hours
            )

    # ------------------------------------------------------------ CRUD
    @api.model
    def default_get(self, fields):
        """helpdesk_mgmt gives every ticket the priority "Medium" by default,
        which would bypass the computed priority: keep only a priority the
        caller asked for."""
        defaults = super().default_get(fields)
        if "default_priority" not in self.env.context:
            defaults.pop("priority", None)
        return defaults

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._marketplace_complete_vals(vals)
        tickets = super().create(vals_list)
        tickets.filtered(lambda t: not t.user_id)._assign_automatically()
        tickets._ensure_marketplace_dispute()
        return tickets

    def write(self, vals):
        stage_changed = "stage_id" in vals
        res = super().write(vals)
        if {"type_id", "buyer_id", "seller_id", "sale_order_id"} & set(vals):
            self._ensure_marketplace_dispute()
        if "marketplace_contract_id" in vals:
            for ticket in self:
                ticket.refresh_sla()
        if stage_changed and not self.env.context.get("marketplace_dispute_sync"):
            self._sync_dispute_state()
        if {"amount", "priority"} & set(vals) and not self.env.context.get(
            "marketplace_dispute_sync"
        ):
            self._push_amount_to_dispute(vals)
        return res

    @api.model
    def _marketplace_complete_vals(self, vals):
        """Fill the buyer, the seller and the team a new ticket lacks, from its
        contact, its order, its type and its contract."""
        vals.update(self._marketplace_parties(vals))
        if not vals.get("team_id"):
            ticket_type = self.env["helpdesk.ticket.type"].browse(vals.get("type_id"))
            contract = self.env["marketplace.partner.contract"].browse(
                vals.get("marketplace_contract_id")
            )
            team = (
                contract.team_id
                or ticket_type.team_ids[:1]
                or self.env["helpdesk.ticket.team"]._marketplace_default_team()
            )
            if team:
                vals["team_id"] = team.id
                vals.setdefault("stage_id", team._get_applicable_stages()[:1].id)
        return vals

    @api.model
    def _marketplace_parties(self, vals):
        """The buyer and the seller a new ticket lacks.

        About an order, the buyer is the order's customer and the seller the
        seller of the order's part (the contact themselves when they sold in
        it): a seller who bought something and complains about it is the
        buyer, the shop they bought from the seller. Without an order, the
        contact is the seller if they sell, the buyer otherwise; a logistics
        or technical partner's incident has no buyer."""
        parties = {}
        contact = (
            self.env["res.partner"].browse(vals.get("partner_id")).commercial_partner_id
        )
        order = self.env["sale.order"].browse(vals.get("sale_order_id"))
        if not order:
            if contact and not (vals.get("buyer_id") or vals.get("seller_id")):
                if contact.is_seller:
                    parties["seller_id"] = contact.id
                elif not (contact.is_logistics_partner or contact.is_technical_partner):
                    parties["buyer_id"] = contact.id
            return parties
        # sudo: the order's customer and sellers are needed even when a seller
        # opens the ticket about an order they may not read in full.
        order = order.sudo()
        buyer = order.partner_id.commercial_partner_id
        sellers = order.marketplace_order_seller_ids.seller_id
        if not vals.get("buyer_id"):
            parties["buyer_id"] = buyer.id
        if not vals.get("seller_id"):
            if contact in sellers and contact != buyer:
                parties["seller_id"] = contact.id
            elif len(sellers - buyer) == 1:
                parties["seller_id"] = (sellers - buyer).id
        return parties

    # ------------------------------------------------------------ assignment
    def _assign_automatically(self):
        """Give each ticket to an agent of its team, by the team's method."""
        for ticket in self:
            if ticket.team_id:
                user = ticket.team_id._pick_assignee()
                if user:
                    ticket.user_id = user

    def action_assign_automatically(self):
        check_group(self.env, "helpdesk_mgmt.group_helpdesk_user")
        self.filtered(lambda t: not t.stage_id.closed)._assign_automatically()

    # ------------------------------------------------------------ disputes
    def _ensure_marketplace_dispute(self):
        """Open (or link) the marketplace dispute of dispute tickets that have
        a buyer and a seller."""
        Dispute = self.env["marketplace.dispute"]
        for ticket in self:
            if ticket.marketplace_kind != "dispute" or ticket.dispute_id:
                continue
            if not (ticket.buyer_id and ticket.seller_id):
                continue
            # sudo: a buyer's portal ticket opens the dispute on their behalf;
            # the values come from the ticket, never from the request.
            dispute = ticket._find_open_dispute() or Dispute.sudo().with_context(
                marketplace_dispute_sync=True
            ).create(ticket._prepare_dispute_vals())
            dispute.with_context(marketplace_dispute_sync=True).ticket_id = ticket
            ticket.with_context(marketplace_dispute_sync=True).dispute_id = dispute
            dispute._notify_if_critical()

    def action_open_dispute(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "marketplace.dispute",
            "res_id": self.dispute_id.id,
            "view_mode": "form",
        }

    def _find_open_dispute(self):
        """An open dispute of the same order, buyer and seller that no ticket
        follows yet (a dispute staff opened before the ticket came in)."""
        self.ensure_one()
        if not self.sale_order_id:
            return self.env["marketplace.dispute"]
        # sudo: see _ensure_marketplace_dispute.
        return (
            self.env["marketplace.dispute"]
            .sudo()
            .search(
                [
                    ("ticket_id", "=", False),
                    ("order_id", "=", self.sale_order_id.id),
                    ("buyer_id", "=", self.buyer_id.id),
                    ("seller_id", "=", self.seller_id.id),
                    ("state", "in", ("open", "under_review")),
                ],
                limit=1,
            )
        )

    def _prepare_dispute_vals(self):
        self.ensure_one()
        return {
            "buyer_id": self.buyer_id.id,
            "seller_id": self.seller_id.id,
            "order_id": self.sale_order_id.id,
            "amount": self.amount,
            "priority": self.priority,
            "description": self.description,
            "company_id": self.company_id.id,
            "user_id": self.user_id.id,
        }

    def _push_amount_to_dispute(self, vals):
        for ticket in self.filtered("dispute_id"):
            dispute_vals = {}
            if "amount" in vals:
                dispute_vals["amount"] = ticket.amount
            if "priority" in vals:
                dispute_vals["priority"] = ticket.priority
            ticket.dispute_id.with_context(marketplace_dispute_sync=True).write(
                dispute_vals
            )

    def _dispute_state_for_stage(self):
        """The dispute state that this ticket's stage stands for."""
        self.ensure_one()
        stage = self.stage_id
        if stage.closed:
            done = self.env.ref(
                "helpdesk_mgmt.helpdesk_ticket_stage_done", raise_if_not_found=False
            )
            return "resolved" if stage == done else "closed"
        if stage == self.team_id._get_applicable_stages()[:1] or stage.unattended:
            return "open"
        return "under_review"

    def _sync_dispute_state(self):
        for ticket in self.filtered("dispute_id"):
            dispute = ticket.dispute_id
            target = ticket._dispute_state_for_stage()
            if dispute.state == target:
                continue
            vals = {}
            if target in ("resolved", "closed") and not dispute.outcome:
                if target == "resolved":
                    raise UserError(
                        self.env._(
                            "Set the outcome of dispute %(dispute)s before closing "
                            "ticket %(ticket)s.",
                            dispute=dispute.name,
                            ticket=ticket.number,
                        )
                    )
                vals["outcome"] = "withdrawn"
            dispute.with_context(marketplace_dispute_sync=True)._move_to_state(
                target, vals
            )

    def _stage_for_dispute_state(self, state):
        """The stage of this ticket's team that stands for a dispute state."""
        self.ensure_one()
        stages = self.team_id._get_applicable_stages().sorted("sequence")
        if state == "open":
            return stages[:1]
        if state == "under_review":
            return stages.filtered(lambda s: not s.closed and not s.unattended)[:1]
        done = self.env.ref(
            "helpdesk_mgmt.helpdesk_ticket_stage_done", raise_if_not_found=False
        )
        closed = stages.filtered("closed")
        if state == "resolved" and done in closed:
            return done
        return (
            (closed - done)[:1] if state == "closed" and closed - done else closed[:1]
        )
