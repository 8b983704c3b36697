import json

from odoo.tests import HttpCase, tagged
from odoo.tests.common import JsonRpcException

from .portal_form import form_tokens, portal_user

STAFF_TEXTS = ("Critical dispute", "fell to", "SLA deadline")


@tagged("post_install", "-at_install")
class TestStaffMessagesStayInternal(HttpCase):
    """Alerts meant for the marketplace team (critical disputes, low ratings,
    SLA breaches) are internal notes or activities: no portal user, buyer or
    seller, reads them through the ORM or the chatter routes."""

    def setUp(self):
        super().setUp()
        self.env["ir.config_parameter"].sudo().set_param(
            "marketplace_crm.critical_dispute_amount", 1000
        )
        self.seller = self.env.ref("marketplace_crm.seller_terre_feu")
        self.seller_user = portal_user(
            self.env,
            "staffmsg_seller",
            partner=self.env["res.partner"].create(
                {"name": "Shop Keeper", "parent_id": self.seller.id, "type": "contact"}
            ),
        )
        self.buyer_user = portal_user(self.env, "staffmsg_buyer")
        product = self.env["product.product"].search(
            [("marketplace_seller_id", "=", self.seller.id)], limit=1
        )
        self.order = self.env["sale.order"].create(
            {
                "partner_id": self.buyer_user.partner_id.id,
                "order_line": [(0, 0, {"product_id": product.id, "price_unit": 1500})],
            }
        )
        self.order.action_confirm()
        self.team = self.env.ref("marketplace_crm.helpdesk_team_marketplace")

    def _open_critical_dispute_as_buyer(self):
        self.authenticate("staffmsg_buyer", "staffmsg_buyer")
        tokens = form_tokens(self)
        response = self.url_open(
            "/submitted/ticket",
            data={
                **tokens,
                "type": self.env.ref("marketplace_crm.helpdesk_type_dispute").id,
                "sale_order": self.order.id,
                "amount": "1500",
                "subject": "Broken stoneware",
                "description": "Every plate is cracked.",
            },
        )
        self.assertEqual(response.status_code, 200)
        ticket = self.env["helpdesk.ticket"].search([("name", "=", "Broken stoneware")])
        self.assertEqual(len(ticket), 1)
        self.assertTrue(ticket.dispute_id.critical_notified)
        return ticket

    def _readable_texts(self, user, threads):
        """Everything ``user`` reads of the messages: every message the ORM
        lets them search, and the chatter of ``threads`` over HTTP."""
        found = (
            self.env["mail.message"]
            .with_user(user)
            .search_read([], ["body", "subject", "is_internal", "subtype_id"])
        )
        self.authenticate(user.login, user.login)
        for thread in threads:
            try:
                result = self.make_jsonrpc_request(
                    "/mail/thread/messages",
                    {"thread_model": thread._name, "thread_id": thread.id},
                )
            except JsonRpcException:
                continue  # not even allowed to open the thread
            found.append({"http": json.dumps(result)})
        return found

    def test_no_portal_user_reads_a_staff_alert(self):
        ticket = self._open_critical_dispute_as_buyer()
        dispute = ticket.dispute_id
        # Other staff alerts: a low rating and an SLA breach.
        self.seller._notify_low_rating(3.0)
        ticket._escalate_sla_breach()
        # The team got its alert, as an internal note.
        agent = self.env.ref("marketplace_crm.user_mp_agent")
        alert = (
            self.env["mail.message"]
            .with_user(agent)
            .search(
                [
                    ("model", "=", "helpdesk.ticket.team"),
                    ("res_id", "=", self.team.id),
                    ("body", "ilike", dispute.name),
                ]
            )
        )
        self.assertEqual(len(alert), 1)
        self.assertTrue(alert.subtype_id.internal, "The alert is an internal note")
        self.assertIn("Critical dispute", alert.body)
        threads = [self.team, dispute, ticket, self.seller, self.order]
        for user in (self.buyer_user, self.seller_user):
            found = self._readable_texts(user, threads)
            self.assertTrue(found, "The user reads some messages (their own ticket)")
            for message in found:
                self.assertFalse(message.get("is_internal"), message)
                text = json.dumps(message, default=str)
                for staff_text in STAFF_TEXTS:
                    self.assertNotIn(staff_text, text, f"{user.login}: {message}")
                self.assertNotIn(dispute.name + ":", text)

    def test_team_alert_reaches_internal_followers_only(self):
        """Portal followers of the team are not e-mailed the alert."""
        self.team.message_subscribe(
            partner_ids=(self.seller_user | self.buyer_user).partner_id.ids
        )
        ticket = self._open_critical_dispute_as_buyer()
        alert = self.env["mail.message"].search(
            [
                ("model", "=", "helpdesk.ticket.team"),
                ("res_id", "=", self.team.id),
                ("body", "ilike", ticket.dispute_id.name),
            ]
        )
        self.assertEqual(len(alert), 1)
        self.assertFalse(
            alert.notification_ids.res_partner_id
            & (self.seller_user | self.buyer_user).partner_id
        )
        self.assertFalse(
            alert.partner_ids.user_ids.filtered("share"), "Only staff are addressed"
        )
