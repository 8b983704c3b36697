from datetime import date

from freezegun import freeze_time

from odoo.tests import tagged

from .common import MarketplaceCase


@tagged("post_install", "-at_install")
class TestBuyerSegment(MarketplaceCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.seller = cls._create_validated_seller("Buyer Seg Seller")
        cls.product = cls._create_product(cls.seller, price=40)

    def test_cart_makes_a_prospect(self):
        buyer = self.Partner.create({"name": "Browsing Buyer"})
        website = self.env["website"].search([], limit=1)
        self._create_order(
            buyer, [(self.product, 1, 40.0)], confirm=False, website_id=website.id
        )
        self.assertTrue(buyer.is_buyer)
        self.assertEqual(buyer.buyer_segment, "prospect")

    def test_public_user_cart_is_not_a_prospect(self):
        website = self.env["website"].search([], limit=1)
        public = website.user_id.partner_id
        self._create_order(
            public, [(self.product, 1, 40.0)], confirm=False, website_id=website.id
        )
        self.assertFalse(public.is_buyer)

    def test_active_then_inactive_then_active_again(self):
        buyer = self.Partner.create({"name": "Loyal Buyer", "is_buyer": True})
        self.assertEqual(buyer.buyer_segment, "prospect")
        with freeze_time("2026-01-15 10:00:00"):
            self._create_order(buyer, [(self.product, 1, 40.0)])
            self.assertEqual(buyer.buyer_first_order_date, date(2026, 1, 15))
            self.assertEqual(buyer.buyer_segment, "active")
        with freeze_time("2026-04-15 10:00:00"):  # 90 days later: still active
            buyer._refresh_marketplace_figures()
            self.assertEqual(buyer.buyer_segment, "active")
        with freeze_time("2026-04-16 10:00:00"):  # 91 days
            buyer._refresh_marketplace_figures()
            self.assertEqual(buyer.buyer_segment, "inactive")
            self._create_order(buyer, [(self.product, 1, 40.0)])
            self.assertEqual(buyer.buyer_segment, "active")
            self.assertEqual(buyer.buyer_first_order_date, date(2026, 1, 15))
            self.assertEqual(buyer.buyer_last_order_date, date(2026, 4, 16))

    def test_cancelled_only_order_makes_a_prospect_again(self):
        buyer = self.Partner.create({"name": "Hesitant Buyer"})
        order = self._create_order(buyer, [(self.product, 1, 40.0)])
        self.assertEqual(buyer.buyer_segment, "active")
        order._action_cancel()
        self.assertEqual(buyer.buyer_segment, "prospect")
        self.assertFalse(buyer.buyer_last_order_date)

    def test_contact_purchase_counts_for_the_company(self):
        company = self.Partner.create({"name": "Buying Company", "is_company": True})
        contact = self.Partner.create({"name": "Employee", "parent_id": company.id})
        self._create_order(contact, [(self.product, 1, 40.0)])
        self.assertTrue(company.is_buyer)
        self.assertEqual(company.buyer_segment, "active")

    def test_active_window_comes_from_settings(self):
        self.env["ir.config_parameter"].sudo().set_param(
            "marketplace_crm.buyer_active_days", 7
        )
        buyer = self.Partner.create({"name": "Short Window"})
        with freeze_time("2026-02-01 10:00:00"):
            self._create_order(buyer, [(self.product, 1, 40.0)])
        with freeze_time("2026-02-09 10:00:00"):
            buyer._refresh_marketplace_figures()
            self.assertEqual(buyer.buyer_segment, "inactive")
