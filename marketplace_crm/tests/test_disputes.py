from odoo.exceptions import UserError
from odoo.tests import HttpCase, tagged
from odoo.tests.common import JsonRpcException

from .common import MarketplaceCase


@tagged("post_install", "-at_install")
class TestDisputes(MarketplaceCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.seller = cls._create_validated_seller("Disputed Seller")
        cls.buyer = cls.Partner.create({"name": "Unhappy Buyer"})
        cls.product = cls._create_product(cls.seller, "Vase", 80)
        cls.orders = [
            cls._create_order(cls.buyer, [(cls.product, 1, 80.0)]) for __ in range(4)
        ]

    def _dispute(self, **vals):
        return self.env["marketplace.dispute"].create(
            {
                "buyer_id": self.buyer.id,
                "seller_id": self.seller.id,
                "order_id": self.orders[0].id,
                "dispute_type": "damaged",
                "amount": 80,
                **vals,
            }
        )

    def test_reference_and_transitions(self):
        dispute = self._dispute()
        self.assertTrue(dispute.name.startswith("DSP/"))
        self.assertEqual(dispute.state, "open")
        dispute.action_review()
        self.assertEqual(dispute.state, "under_review")
        with self.assertRaisesRegex(UserError, "outcome"):
            dispute.action_resolve()
        dispute.outcome = "partial_refund"
        dispute.action_resolve()
        self.assertEqual(dispute.state, "resolved")
        self.assertTrue(dispute.resolution_date)
        dispute.action_close()
        with self.assertRaisesRegex(UserError, "cannot go from"):
            dispute.write({"state": "under_review"})
        dispute.action_reopen()
        self.assertEqual(dispute.state, "open")
        self.assertFalse(dispute.resolution_date)

    def test_critical_claim_fires_automation_rules_and_tracking(self):
        """The dispute that the critical-amount rule makes critical is marked
        through the ORM: its Automation Rule runs and the change is tracked."""
        self.env["ir.config_parameter"].sudo().set_param(
            "marketplace_crm.critical_dispute_amount", 500
        )
        rule = self.env["base.automation"].create(
            {
                "name": "Escalate critical disputes",
                "model_id": self.env.ref(
                    "marketplace_crm.model_marketplace_dispute"
                ).id,
                "trigger": "on_create_or_write",
                "trigger_field_ids": [
                    (
                        6,
                        0,
                        self.env.ref(
                            "marketplace_crm.field_marketplace_dispute__is_critical"
                        ).ids,
                    )
                ],
                "filter_domain": "[('is_critical', '=', True)]",
            }
        )
        self.env["ir.actions.server"].create(
            {
                "name": "Note",
                "model_id": rule.model_id.id,
                "base_automation_id": rule.id,
                "state": "code",
                "code": "record.write({'description': 'escalated by rule'})",
            }
        )
        small = self._dispute(amount=80)
        self.assertFalse(small.is_critical)
        # The dispute was opened earlier: its creation is committed.
        self.env.flush_all()
        self.env.cr.precommit.run()
        small.amount = 900  # crosses the critical amount
        self.assertTrue(small.is_critical)
        self.assertIn("escalated by rule", small.description or "")
        self.env.flush_all()
        self.env.cr.precommit.run()
        tracked = self.env["mail.tracking.value"].search(
            [
                ("field_id.name", "=", "is_critical"),
                ("mail_message_id.model", "=", "marketplace.dispute"),
                ("mail_message_id.res_id", "=", small.id),
            ]
        )
        self.assertTrue(tracked)

    def test_history_on_partners(self):
        self._dispute(outcome="buyer_refunded", state="resolved")
        self._dispute(outcome="seller_favoured", state="closed")
        self._dispute()
        for partner in (self.seller, self.buyer):
            partner.invalidate_recordset()
            self.assertEqual(partner.dispute_count, 3)
            self.assertEqual(partner.dispute_open_count, 1)
            self.assertEqual(partner.dispute_refunded_count, 1)
            self.assertEqual(partner.dispute_seller_favoured_count, 1)
            # 3 disputes over 4 confirmed orders.
            self.assertAlmostEqual(partner.dispute_rate, 75.0)
        action = self.seller.action_view_disputes()
        self.assertEqual(
            self.env["marketplace.dispute"].search_count(action["domain"]), 3
        )


@tagged("post_install", "-at_install")
class TestDisputeAccess(HttpCase):
    def setUp(self):
        super().setUp()
        portal = self.env.ref("base.group_portal")
        self.alice = self.env["res.users"].create(
            {
                "name": "Alice",
                "login": "dispute_alice",
                "password": "dispute_alice",
                "group_ids": [(6, 0, [portal.id])],
            }
        )
        self.bob = self.env["res.users"].create(
            {
                "name": "Bob",
                "login": "dispute_bob",
                "password": "dispute_bob",
                "group_ids": [(6, 0, [portal.id])],
            }
        )
        seller = self.env.ref("marketplace_crm.seller_atelier_lin")
        Dispute = self.env["marketplace.dispute"]
        self.alice_dispute = Dispute.create(
            {
                "buyer_id": self.alice.partner_id.id,
                "seller_id": seller.id,
                "dispute_type": "other",
            }
        )
        self.bob_dispute = Dispute.create(
            {
                "buyer_id": self.bob.partner_id.id,
                "seller_id": seller.id,
                "dispute_type": "other",
            }
        )

    def _rpc(self, method, args, kwargs=None):
        return self.make_jsonrpc_request(
            f"/web/dataset/call_kw/marketplace.dispute/{method}",
            {
                "model": "marketplace.dispute",
                "method": method,
                "args": args,
                "kwargs": kwargs or {},
            },
        )

    def test_portal_user_reads_only_own_disputes(self):
        self.authenticate("dispute_alice", "dispute_alice")
        found = self._rpc("search_read", [[]], {"fields": ["name"]})
        self.assertEqual([row["id"] for row in found], [self.alice_dispute.id])
        with self.assertRaises(JsonRpcException):
            self._rpc("read", [[self.bob_dispute.id], ["name", "amount"]])
        with self.assertRaises(JsonRpcException):
            self._rpc("write", [[self.alice_dispute.id], {"state": "closed"}])

    def test_staff_read_every_dispute(self):
        agent = self.env.ref("marketplace_crm.user_mp_agent")
        found = (
            self.env["marketplace.dispute"]
            .with_user(agent)
            .search([("id", "in", (self.alice_dispute | self.bob_dispute).ids)])
        )
        self.assertEqual(found, self.alice_dispute | self.bob_dispute)
