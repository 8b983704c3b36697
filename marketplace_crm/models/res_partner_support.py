from odoo import fields, models

from .marketplace_helpers import window_action


class ResPartner(models.Model):
    _inherit = "res.partner"

    # --- disputes ---------------------------------------------------------------
    dispute_count = fields.Integer("Disputes", compute="_compute_dispute_stats")
    dispute_open_count = fields.Integer(
        "Open Disputes", compute="_compute_dispute_stats"
    )
    dispute_refunded_count = fields.Integer(
        "Buyer Refunded", compute="_compute_dispute_stats"
    )
    dispute_partial_count = fields.Integer(
        "Partial Refunds", compute="_compute_dispute_stats"
    )
    dispute_seller_favoured_count = fields.Integer(
        "Seller Favoured", compute="_compute_dispute_stats"
    )
    dispute_withdrawn_count = fields.Integer(
        "Withdrawn", compute="_compute_dispute_stats"
    )
    dispute_rate = fields.Float(
        "Dispute Rate (%)",
        compute="_compute_dispute_stats",
        digits=(5, 1),
        help="Disputes per confirmed order, as seller and as buyer.",
    )

    # --- support ----------------------------------------------------------------
    marketplace_ticket_count = fields.Integer(
        "Marketplace Tickets", compute="_compute_support_stats"
    )
    partner_contract_count = fields.Integer(
        "Contracts", compute="_compute_support_stats"
    )
    sla_compliance_rate = fields.Float(
        "SLA Compliance (%)",
        compute="_compute_support_stats",
        digits=(5, 1),
        help="Share of the SLA targets of this partner's tickets met on time.",
    )
    has_sla_tickets = fields.Boolean(compute="_compute_support_stats")

    def _compute_dispute_stats(self):
        """Dispute history as seller or buyer, a few grouped queries for all."""
        Dispute = self.env["marketplace.dispute"]
        stats = {partner.id: {"count": 0, "open": 0} for partner in self}
        orders = dict.fromkeys(self.ids, 0)
        for role in ("seller_id", "buyer_id"):
            groups = Dispute._read_group(
                [(role, "in", self.ids)], [role, "state", "outcome"], ["__count"]
            )
            for partner, state, outcome, count in groups:
                entry = stats[partner.id]
                entry["count"] += count
                if state in ("open", "under_review"):
                    entry["open"] += count
                if outcome:
                    entry[outcome] = entry.get(outcome, 0) + count
        # sudo: counting orders only, for the rate shown to staff.
        for partner, count in (
            self.env["marketplace.order.seller"]
            .sudo()
            ._read_group([("seller_id", "in", self.ids)], ["seller_id"], ["__count"])
        ):
            orders[partner.id] += count
        for partner, count in (
            self.env["sale.order"]
            .sudo()
            ._read_group(
                [("partner_id", "in", self.ids), ("state", "=", "sale")],
                ["partner_id"],
                ["__count"],
            )
        ):
            orders[partner.id] += count
        for partner in self:
            entry = stats[partner.id]
            partner.dispute_count = entry["count"]
            partner.dispute_open_count = entry["open"]
            partner.dispute_refunded_count = entry.get("buyer_refunded", 0)
            partner.dispute_partial_count = entry.get("partial_refund", 0)
            partner.dispute_seller_favoured_count = entry.get("seller_favoured", 0)
            partner.dispute_withdrawn_count = entry.get("withdrawn", 0)
            partner.dispute_rate = (
                100.0 * entry["count"] / orders[partner.id]
                if orders[partner.id]
                else 0.0
            )

    # ------------------------------------------------------------ support
    def _compute_support_stats(self):
        Ticket = self.env["helpdesk.ticket"]
        tickets = dict.fromkeys(self.ids, 0)
        for fname in ("buyer_id", "seller_id"):
            for partner, count in Ticket._read_group(
                [(fname, "in", self.ids)], [fname], ["__count"]
            ):
                tickets[partner.id] += count
        contracts = dict(
            self.env["marketplace.partner.contract"]._read_group(
                [("partner_id", "in", self.ids)], ["partner_id"], ["__count"]
            )
        )
        rates = Ticket._sla_compliance_rates("commercial_partner_id", self)
        for partner in self:
            partner.marketplace_ticket_count = tickets[partner.id]
            partner.partner_contract_count = contracts.get(partner, 0)
            partner.sla_compliance_rate = rates.get(partner.id, 100.0)
            partner.has_sla_tickets = partner.id in rates

    def action_view_marketplace_tickets(self):
        self.ensure_one()
        return window_action(
            self.env,
            "helpdesk_mgmt.helpdesk_ticket_action",
            ["|", ("buyer_id", "=", self.id), ("seller_id", "=", self.id)],
            {
                "default_seller_id" if self.is_seller else "default_buyer_id": self.id,
                "default_partner_id": self.id,
            },
        )

    def action_view_partner_contracts(self):
        self.ensure_one()
        return window_action(
            self.env,
            "marketplace_crm.action_marketplace_partner_contract",
            [("partner_id", "=", self.id)],
            {"default_partner_id": self.id},
        )

    def action_view_disputes(self):
        self.ensure_one()
        return window_action(
            self.env,
            "marketplace_crm.action_marketplace_dispute",
            ["|", ("seller_id", "=", self.id), ("buyer_id", "=", self.id)],
            {"search_default_open": 0},
        )
