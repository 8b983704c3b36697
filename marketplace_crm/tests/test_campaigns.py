from datetime import timedelta

from odoo import fields
from odoo.tests import tagged
from odoo.tools.safe_eval import safe_eval

from .common import MarketplaceCase


@tagged("post_install", "-at_install")
class TestCampaigns(MarketplaceCase):
    """Self-updating segment targets, draft mailings, abandoned carts and the
    example automation rules."""

    def _targets(self, xmlid):
        mailing = self.env.ref(f"marketplace_crm.{xmlid}")
        self.assertEqual(mailing.state, "draft")
        self.assertEqual(mailing.mailing_model_real, "res.partner")
        return self.Partner.search(safe_eval(mailing.mailing_domain))

    def test_each_segment_has_a_draft_mailing_that_follows_it(self):
        seller = self._create_seller("Campaign Seller")
        self.assertIn(seller, self._targets("mailing_new_sellers"))
        self.assertNotIn(seller, self._targets("mailing_inactive_sellers"))
        seller.seller_segment = "inactive"
        self.assertIn(seller, self._targets("mailing_inactive_sellers"))
        self.assertNotIn(seller, self._targets("mailing_new_sellers"))
        seller.seller_segment = "high_performer"
        self.assertIn(seller, self._targets("mailing_high_performers"))
        buyer = self.Partner.create({"name": "Gone Buyer", "is_buyer": True})
        buyer.write(
            {"buyer_last_order_date": fields.Date.today() - timedelta(days=400)}
        )
        self.assertEqual(buyer.buyer_segment, "inactive")
        self.assertIn(buyer, self._targets("mailing_inactive_buyers"))
        self.assertNotIn(buyer, self._targets("mailing_active_buyers"))

    def test_prospects_are_nurtured_and_active_buyers_rewarded(self):
        buyer = self.Partner.create({"name": "New Visitor", "is_buyer": True})
        self.assertEqual(buyer.buyer_segment, "prospect")
        self.assertIn(buyer, self._targets("mailing_prospects"))
        self.assertNotIn(buyer, self._targets("mailing_active_buyers"))
        buyer.buyer_last_order_date = fields.Date.today() - timedelta(days=3)
        self.assertEqual(buyer.buyer_segment, "active")
        self.assertIn(buyer, self._targets("mailing_active_buyers"))
        self.assertNotIn(buyer, self._targets("mailing_prospects"))
        self.assertNotIn(buyer, self._targets("mailing_inactive_buyers"))

    def test_prospects_with_an_abandoned_cart(self):
        prospect = self.Partner.create(
            {"name": "Cart Prospect", "email": "cart@example.com"}
        )
        seller = self._create_validated_seller("Cart Seller")
        product = self._create_product(seller, "Vase", 40)
        website = self.env["website"].get_current_website()
        cart = self.env["sale.order"].create(
            {
                "partner_id": prospect.id,
                "website_id": website.id,
                "order_line": [
                    (0, 0, {"product_id": product.id, "product_uom_qty": 1})
                ],
            }
        )
        self.assertNotIn(
            prospect, self._targets("mailing_abandoned_carts"), "Too recent"
        )
        cart.date_order = fields.Datetime.now() - timedelta(
            hours=(website.cart_abandoned_delay or 1.0) + 1
        )
        cart.flush_recordset()
        prospect.invalidate_recordset()
        self.assertTrue(prospect.has_abandoned_cart)
        self.assertEqual(prospect.buyer_segment, "prospect")
        self.assertIn(prospect, self._targets("mailing_abandoned_carts"))
        # website_sale's recovery e-mail goes out, once.
        website.send_abandoned_cart_email_activation_time = cart.date_order - timedelta(
            days=1
        )
        self.assertTrue(website.send_abandoned_cart_email)
        self.env["website"]._send_abandoned_cart_email()
        self.env["website"]._send_abandoned_cart_email()
        self.assertTrue(cart.cart_recovery_email_sent)
        recovery = self.env["mail.mail"].search(
            [("model", "=", "sale.order"), ("res_id", "=", cart.id)]
        )
        self.assertEqual(len(recovery), 1)
        cart.action_confirm()
        self.assertNotIn(prospect, self._targets("mailing_abandoned_carts"))

    def test_example_automation_rules_are_off_and_work_when_switched_on(self):
        rule = self.env.ref("marketplace_crm.automation_critical_dispute_review")
        self.assertFalse(rule.active)
        seller = self._create_validated_seller("Rule Seller")
        buyer = self.Partner.create({"name": "Rule Buyer"})
        Dispute = self.env["marketplace.dispute"]
        before = Dispute.create(
            {"buyer_id": buyer.id, "seller_id": seller.id, "is_critical": True}
        )
        self.assertEqual(before.state, "open")
        rule.active = True
        after = Dispute.create(
            {"buyer_id": buyer.id, "seller_id": seller.id, "is_critical": True}
        )
        self.assertEqual(after.state, "under_review")
        congratulate = self.env.ref(
            "marketplace_crm.automation_high_performer_congratulate"
        )
        self.assertFalse(congratulate.active)
        congratulate.active = True
        seller.user_id = self.staff
        seller.seller_segment = "high_performer"
        self.assertTrue(
            seller.activity_ids.filtered(
                lambda a: a.summary == "Congratulate a new high performer"
            )
        )
