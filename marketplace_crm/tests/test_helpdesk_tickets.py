from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import MarketplaceCase


@tagged("post_install", "-at_install")
class TestHelpdeskTickets(MarketplaceCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Ticket = cls.env["helpdesk.ticket"]
        cls.type_dispute = cls.env.ref("marketplace_crm.helpdesk_type_dispute")
        cls.type_refund = cls.env.ref("marketplace_crm.helpdesk_type_refund")
        cls.type_technical = cls.env.ref("marketplace_crm.helpdesk_type_technical")
        cls.type_other = cls.env.ref("marketplace_crm.helpdesk_type_other")
        cls.stage_new = cls.env.ref("helpdesk_mgmt.helpdesk_ticket_stage_new")
        cls.stage_progress = cls.env.ref(
            "helpdesk_mgmt.helpdesk_ticket_stage_in_progress"
        )
        cls.stage_done = cls.env.ref("helpdesk_mgmt.helpdesk_ticket_stage_done")
        cls.stage_cancelled = cls.env.ref(
            "helpdesk_mgmt.helpdesk_ticket_stage_cancelled"
        )
        Users = cls.env["res.users"].with_context(no_reset_password=True)
        helpdesk_user = cls.env.ref("helpdesk_mgmt.group_helpdesk_user")
        cls.agents = Users.create(
            [
                {
                    "name": f"Agent {n}",
                    "login": f"mp_agent_{n}",
                    "group_ids": [(6, 0, helpdesk_user.ids)],
                }
                for n in range(3)
            ]
        )
        cls.leader = cls.agents[0]
        cls.team = cls.env["helpdesk.ticket.team"].create(
            {
                "name": "Test Support",
                "user_ids": [(6, 0, cls.agents.ids)],
                "user_id": cls.leader.id,
            }
        )
        cls.seller = cls._create_validated_seller("Ticket Seller")
        cls.buyer = cls.Partner.create(
            {"name": "Ticket Buyer", "email": "buyer@example.com"}
        )
        cls.product = cls._create_product(cls.seller, "Ticket vase", 80)
        cls.order = cls._create_order(cls.buyer, [(cls.product, 1, 80.0)])
        cls.env["ir.config_parameter"].sudo().set_param(
            "marketplace_crm.dispute_urgent_amount", 500
        )
        cls.env["ir.config_parameter"].sudo().set_param(
            "marketplace_crm.critical_dispute_amount", 1000
        )

    def _ticket(self, **vals):
        values = {"name": "Help", "description": "<p>Help</p>", "team_id": self.team.id}
        values.update(vals)
        return self.Ticket.create(values)

    # ------------------------------------------------------------ typing & priority
    def test_priority_from_type_urgency_and_amount(self):
        self.team.assignment_method = "manual"
        other = self._ticket(type_id=self.type_other.id, urgency="0")
        self.assertEqual(other.priority, "0")
        technical = self._ticket(type_id=self.type_technical.id, urgency="2")
        self.assertEqual(technical.priority, "2", "Urgency raises the type's priority")
        refund = self._ticket(type_id=self.type_refund.id, urgency="0", amount=100)
        self.assertEqual(refund.priority, "2", "A refund starts high")
        refund.amount = 600
        self.assertEqual(refund.priority, "3", "Above the urgent amount it is urgent")
        # An admin-added type without marketplace kind behaves as "other".
        custom = self.env["helpdesk.ticket.type"].create({"name": "Shipping label"})
        self.assertEqual(custom.marketplace_kind, "other")
        ticket = self._ticket(type_id=custom.id, amount=5000)
        self.assertEqual(ticket.priority, "1")

    def test_buyer_seller_and_team_filled_in(self):
        ticket = self.Ticket.create(
            {
                "name": "Where is my vase?",
                "description": "x",
                "type_id": self.type_technical.id,
                "partner_id": self.buyer.id,
                "sale_order_id": self.order.id,
            }
        )
        self.assertEqual(ticket.buyer_id, self.buyer)
        self.assertEqual(ticket.seller_id, self.seller, "The order's only seller")
        self.assertEqual(
            ticket.team_id, self.env.ref("marketplace_crm.helpdesk_team_marketplace")
        )
        from_seller = self.Ticket.create(
            {
                "name": "Payout",
                "description": "x",
                "partner_id": self.seller.id,
                "team_id": self.team.id,
            }
        )
        self.assertEqual(from_seller.seller_id, self.seller)
        self.assertFalse(from_seller.buyer_id)

    # ------------------------------------------------------------ assignment
    def test_balanced_assignment_follows_open_load(self):
        self.team.assignment_method = "balanced"
        first = self._ticket()
        self.assertEqual(first.user_id, self.agents[0])
        second = self._ticket()
        third = self._ticket()
        self.assertEqual((second | third).user_id, self.agents[1] | self.agents[2])
        # Closing the first agent's ticket makes them the least loaded.
        first.stage_id = self.stage_done
        self.assertEqual(self._ticket().user_id, self.agents[0])
        # An agent can still reassign by hand.
        third.user_id = self.agents[0]
        self.assertEqual(third.user_id, self.agents[0])

    def test_round_robin_assignment(self):
        self.team.assignment_method = "round_robin"
        users = [self._ticket().user_id for __ in range(4)]
        self.assertEqual(
            users, [self.agents[0], self.agents[1], self.agents[2], self.agents[0]]
        )

    def test_manual_assignment_leaves_ticket_unassigned(self):
        self.team.assignment_method = "manual"
        self.assertFalse(self._ticket().user_id)

    # ------------------------------------------------------------ disputes
    def test_dispute_ticket_opens_and_follows_dispute(self):
        ticket = self._ticket(
            type_id=self.type_dispute.id,
            partner_id=self.buyer.id,
            sale_order_id=self.order.id,
            amount=80,
        )
        dispute = ticket.dispute_id
        self.assertTrue(dispute, "A dispute ticket opens a dispute")
        self.assertEqual(dispute.ticket_id, ticket)
        self.assertEqual(
            (dispute.buyer_id, dispute.seller_id, dispute.order_id),
            (self.buyer, self.seller, self.order),
        )
        self.assertEqual(dispute.state, "open")
        # Ticket -> dispute
        ticket.stage_id = self.stage_progress
        self.assertEqual(dispute.state, "under_review")
        with self.env.cr.savepoint(), self.assertRaises(UserError):
            ticket.stage_id = self.stage_done  # no outcome yet
        dispute.outcome = "partial_refund"
        ticket.stage_id = self.stage_done
        self.assertEqual(dispute.state, "resolved")
        # Dispute -> ticket
        dispute.action_review()
        self.assertEqual(ticket.stage_id, self.stage_progress)
        dispute.action_close()
        self.assertEqual(ticket.stage_id, self.stage_cancelled)
        dispute.action_reopen()
        self.assertEqual(ticket.stage_id, self.stage_new)

    def test_dispute_ticket_links_existing_dispute(self):
        existing = self.env["marketplace.dispute"].create(
            {
                "buyer_id": self.buyer.id,
                "seller_id": self.seller.id,
                "order_id": self.order.id,
            }
        )
        ticket = self._ticket(
            type_id=self.type_dispute.id,
            partner_id=self.buyer.id,
            sale_order_id=self.order.id,
        )
        self.assertEqual(ticket.dispute_id, existing)
        self.assertEqual(existing.ticket_id, ticket)

    def test_cancelled_dispute_ticket_withdraws_dispute(self):
        ticket = self._ticket(
            type_id=self.type_dispute.id,
            partner_id=self.buyer.id,
            sale_order_id=self.order.id,
        )
        ticket.stage_id = self.stage_cancelled
        self.assertEqual(ticket.dispute_id.state, "closed")
        self.assertEqual(ticket.dispute_id.outcome, "withdrawn")

    # ------------------------------------------------------------ critical
    def _critical_messages(self):
        return self.env["mail.message"].search(
            [
                ("model", "=", "helpdesk.ticket.team"),
                ("res_id", "=", self.team.id),
                ("body", "ilike", "Critical dispute"),
            ]
        )

    def test_critical_dispute_notifies_team_exactly_once(self):
        ticket = self._ticket(
            type_id=self.type_dispute.id,
            partner_id=self.buyer.id,
            sale_order_id=self.order.id,
            amount=200,
        )
        dispute = ticket.dispute_id
        self.assertFalse(dispute.critical_notified)
        self.assertFalse(self._critical_messages())
        ticket.amount = 1500  # crosses the critical amount
        self.assertTrue(dispute.critical_notified)
        self.assertTrue(dispute.is_critical)
        self.assertEqual(len(self._critical_messages()), 1)
        activities = dispute.activity_ids.filtered(
            lambda a: "Critical" in (a.summary or "")
        )
        self.assertEqual(activities.user_id, self.leader)
        # More changes never notify again.
        ticket.amount = 2500
        dispute.is_critical = True
        dispute.priority = "3"
        self.assertEqual(len(self._critical_messages()), 1)
        self.assertEqual(
            len(
                dispute.activity_ids.filtered(lambda a: "Critical" in (a.summary or ""))
            ),
            1,
        )

    def test_critical_flag_and_priority_threshold(self):
        Dispute = self.env["marketplace.dispute"]
        flagged = Dispute.create(
            {
                "buyer_id": self.buyer.id,
                "seller_id": self.seller.id,
                "is_critical": True,
            }
        )
        self.assertTrue(flagged.critical_notified)
        quiet = Dispute.create(
            {"buyer_id": self.buyer.id, "seller_id": self.seller.id, "priority": "3"}
        )
        self.assertFalse(quiet.critical_notified, "Priority rule is off by default")
        self.env["ir.config_parameter"].sudo().set_param(
            "marketplace_crm.critical_dispute_priority", "3"
        )
        urgent = Dispute.create(
            {"buyer_id": self.buyer.id, "seller_id": self.seller.id, "priority": "3"}
        )
        self.assertTrue(urgent.critical_notified)

    # ------------------------------------------------------------ partner & report
    def test_partner_shows_its_tickets(self):
        self.team.assignment_method = "manual"
        self._ticket(partner_id=self.buyer.id, type_id=self.type_technical.id)
        self._ticket(partner_id=self.seller.id, type_id=self.type_technical.id)
        self._ticket(
            buyer_id=self.buyer.id,
            seller_id=self.seller.id,
            type_id=self.type_refund.id,
        )
        self.assertEqual(self.buyer.marketplace_ticket_count, 2)
        self.assertEqual(self.seller.marketplace_ticket_count, 2)
        action = self.seller.action_view_marketplace_tickets()
        self.assertEqual(self.Ticket.search_count(action["domain"]), 2)
