from odoo.tests import HttpCase, tagged
from odoo.tests.common import JsonRpcException

from .portal_form import form_tokens


@tagged("post_install", "-at_install")
class TestHelpdeskPortal(HttpCase):
    """Buyers and sellers open and follow their own tickets from the portal,
    and never reach another customer's."""

    def setUp(self):
        super().setUp()
        portal = self.env.ref("base.group_portal")
        Users = self.env["res.users"].with_context(no_reset_password=True)
        self.alice, self.bob = Users.create(
            [
                {
                    "name": f"{n.title()} Buyer",
                    "login": f"ticket_{n}",
                    "password": f"ticket_{n}",
                    "email": f"{n}@example.com",
                    "group_ids": [(6, 0, portal.ids)],
                }
                for n in ("alice", "bob")
            ]
        )
        self.seller = self.env.ref("marketplace_crm.seller_atelier_lin")
        product = self.env["product.product"].search(
            [("marketplace_seller_id", "=", self.seller.id)], limit=1
        )
        SaleOrder = self.env["sale.order"]
        self.alice_order, self.bob_order = SaleOrder.create(
            [
                {
                    "partner_id": user.partner_id.id,
                    # 60.00: the amounts at stake below stay within the total.
                    "order_line": [
                        (
                            0,
                            0,
                            {
                                "product_id": product.id,
                                "product_uom_qty": 1,
                                "price_unit": 60,
                            },
                        )
                    ],
                }
                for user in (self.alice, self.bob)
            ]
        )
        (self.alice_order | self.bob_order).action_confirm()
        Ticket = self.env["helpdesk.ticket"]
        self.bob_ticket = Ticket.create(
            {
                "name": "Bob's secret parcel",
                "description": "<p>private</p>",
                "partner_id": self.bob.partner_id.id,
                "type_id": self.env.ref("marketplace_crm.helpdesk_type_technical").id,
            }
        )
        self.alice_ticket = Ticket.create(
            {
                "name": "Alice's question",
                "description": "<p>mine</p>",
                "partner_id": self.alice.partner_id.id,
                "type_id": self.env.ref("marketplace_crm.helpdesk_type_technical").id,
            }
        )

    def _rpc(self, model, method, args, kwargs=None):
        return self.make_jsonrpc_request(
            f"/web/dataset/call_kw/{model}/{method}",
            {"model": model, "method": method, "args": args, "kwargs": kwargs or {}},
        )

    def test_portal_buyer_opens_a_dispute_ticket(self):
        self.authenticate("ticket_alice", "ticket_alice")
        form = self.url_open("/new/ticket")
        self.assertEqual(form.status_code, 200)
        self.assertIn("Dispute", form.text, "The issue types are offered")
        self.assertIn(
            self.alice_order.name, form.text, "The buyer's orders are offered"
        )
        self.assertNotIn(self.bob_order.name, form.text)
        response = self.url_open(
            "/submitted/ticket",
            data={
                **form_tokens(self),
                "type": self.env.ref("marketplace_crm.helpdesk_type_dispute").id,
                "sale_order": self.alice_order.id,
                "amount": "45.50",
                "urgency": "2",
                "subject": "My mug arrived broken",
                "description": "The handle is off.",
            },
        )
        self.assertEqual(response.status_code, 200)
        ticket = self.env["helpdesk.ticket"].search(
            [("name", "=", "My mug arrived broken")]
        )
        self.assertTrue(response.url.endswith(f"/my/ticket/{ticket.id}"))
        self.assertIn("My mug arrived broken", response.text)
        self.assertEqual(ticket.buyer_id, self.alice.partner_id)
        self.assertEqual(ticket.seller_id, self.seller)
        self.assertEqual(ticket.sale_order_id, self.alice_order)
        self.assertEqual(ticket.amount, 45.5)
        self.assertEqual(ticket.priority, "2")
        self.assertTrue(ticket.user_id, "Assigned to an agent at once")
        self.assertEqual(ticket.dispute_id.buyer_id, self.alice.partner_id)
        self.assertIn(
            ticket.dispute_id.name, response.text, "The dispute shows on the page"
        )

    def test_portal_user_cannot_attach_another_users_order(self):
        self.authenticate("ticket_alice", "ticket_alice")
        response = self.url_open(
            "/submitted/ticket",
            data={
                **form_tokens(self),
                "type": self.env.ref("marketplace_crm.helpdesk_type_technical").id,
                "sale_order": self.bob_order.id,
                "subject": "Sneaky",
                "description": "x",
            },
        )
        self.assertEqual(response.status_code, 422)
        self.assertIn("Choose one of your orders from the list.", response.text)
        self.assertFalse(self.env["helpdesk.ticket"].search([("name", "=", "Sneaky")]))

    def test_seller_opens_a_ticket_about_an_order_they_sold(self):
        """A seller picks an order they sold (not one they bought): the
        ticket names them as the seller and the order's customer as buyer;
        an order they have no part in is refused."""
        # The demo seller's portal user is a contact of the shop.
        self.authenticate("seller@atelier-lin.example", "seller")
        form = self.url_open("/new/ticket").text
        self.assertIn(self.alice_order.name, form)
        self.assertIn(", sold)", form)
        other_seller = self.env["res.partner"].search(
            [("is_seller", "=", True), ("id", "!=", self.seller.id)], limit=1
        )
        other_product = self.env["product.product"].create(
            {"name": "Not Lin's", "marketplace_seller_id": other_seller.id}
        )
        foreign = self.env["sale.order"].create(
            {
                "partner_id": self.bob.partner_id.id,
                "order_line": [(0, 0, {"product_id": other_product.id})],
            }
        )
        foreign.action_confirm()
        technical = self.env.ref("marketplace_crm.helpdesk_type_technical").id
        refused = self.url_open(
            "/submitted/ticket",
            data={
                **form_tokens(self),
                "type": technical,
                "sale_order": foreign.id,
                "subject": "Not my sale",
                "description": "x",
            },
        )
        self.assertEqual(refused.status_code, 422)
        self.assertFalse(
            self.env["helpdesk.ticket"].search([("name", "=", "Not my sale")])
        )
        self.url_open(
            "/submitted/ticket",
            data={
                **form_tokens(self),
                "type": technical,
                "sale_order": self.alice_order.id,
                "subject": "Buyer never collected",
                "description": "The parcel came back.",
            },
        )
        ticket = self.env["helpdesk.ticket"].search(
            [("name", "=", "Buyer never collected")]
        )
        self.assertEqual(ticket.sale_order_id, self.alice_order)
        self.assertEqual(ticket.seller_id, self.seller)
        self.assertEqual(ticket.buyer_id, self.alice.partner_id)

    def test_portal_user_cannot_reach_another_users_ticket(self):
        self.authenticate("ticket_alice", "ticket_alice")
        # Routes: the list and the page.
        listing = self.url_open("/my/tickets")
        self.assertIn(self.alice_ticket.number, listing.text)
        self.assertNotIn(self.bob_ticket.number, listing.text)
        page = self.url_open(f"/my/ticket/{self.bob_ticket.id}")
        self.assertNotIn("Bob&#39;s secret parcel", page.text)
        self.assertNotIn("Bob's secret parcel", page.text)
        # Closing it through helpdesk_mgmt's route.
        closing = self.env["helpdesk.ticket.stage"].search(
            [("close_from_portal", "=", True)], limit=1
        )
        if not closing:
            closing = self.env.ref("helpdesk_mgmt.helpdesk_ticket_stage_done")
            closing.close_from_portal = True
        stage_before = self.bob_ticket.stage_id
        self.url_open(
            f"/ticket/close?ticket_id={self.bob_ticket.id}&stage_id={closing.id}"
        )
        self.bob_ticket.invalidate_recordset()
        self.assertEqual(self.bob_ticket.stage_id, stage_before)
        # Replying on the chatter.
        with self.assertRaises(JsonRpcException):
            self.make_jsonrpc_request(
                "/mail/message/post",
                {
                    "thread_model": "helpdesk.ticket",
                    "thread_id": self.bob_ticket.id,
                    "post_data": {
                        "body": "I can write here",
                        "message_type": "comment",
                    },
                },
            )
        self.assertFalse(
            self.bob_ticket.message_ids.filtered(
                lambda m: "I can write here" in (m.body or "")
            )
        )
        # JSON-RPC on the model.
        found = self._rpc("helpdesk.ticket", "search_read", [[]], {"fields": ["name"]})
        self.assertNotIn(self.bob_ticket.id, [row["id"] for row in found])
        self.assertIn(self.alice_ticket.id, [row["id"] for row in found])
        with self.assertRaises(JsonRpcException):
            self._rpc("helpdesk.ticket", "read", [[self.bob_ticket.id], ["name"]])
        with self.assertRaises(JsonRpcException):
            self._rpc(
                "helpdesk.ticket", "write", [[self.bob_ticket.id], {"name": "Mine now"}]
            )
        with self.assertRaises(JsonRpcException):
            self._rpc(
                "helpdesk.ticket",
                "message_post",
                [[self.bob_ticket.id]],
                {"body": "hi"},
            )
        self.assertEqual(self.bob_ticket.name, "Bob's secret parcel")

    def test_portal_user_follows_own_ticket(self):
        self.authenticate("ticket_alice", "ticket_alice")
        page = self.url_open(f"/my/ticket/{self.alice_ticket.id}")
        self.assertIn("Alice&#39;s question", page.text.replace("'", "&#39;"))
        self.make_jsonrpc_request(
            "/mail/message/post",
            {
                "thread_model": "helpdesk.ticket",
                "thread_id": self.alice_ticket.id,
                "post_data": {"body": "Any news?", "message_type": "comment"},
            },
        )
        self.assertTrue(
            self.alice_ticket.message_ids.filtered(
                lambda m: "Any news?" in (m.body or "")
            )
        )
