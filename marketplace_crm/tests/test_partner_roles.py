from odoo.tests import tagged

from .common import MarketplaceCase


@tagged("post_install", "-at_install")
class TestPartnerRoles(MarketplaceCase):
    def test_one_partner_holds_several_roles(self):
        seller = self._create_validated_seller("Seller Who Buys")
        other = self._create_validated_seller("Other Seller")
        product = self._create_product(other)
        self._create_order(seller, [(product, 1, 30.0)])
        self.assertTrue(seller.is_seller)
        self.assertTrue(
            seller.is_buyer, "Confirming an order makes the seller a buyer too"
        )
        self.assertEqual(seller.buyer_segment, "active")
        self.assertEqual(seller.seller_segment, "active")
        sellers = self.Partner.search(
            [("is_seller", "=", True), ("id", "=", seller.id)]
        )
        buyers = self.Partner.search([("is_buyer", "=", True), ("id", "=", seller.id)])
        self.assertEqual(sellers, seller)
        self.assertEqual(buyers, seller)

    def test_service_partner_roles(self):
        carrier = self.Partner.create(
            {
                "name": "Carrier",
                "is_logistics_partner": True,
                "is_technical_partner": True,
            }
        )
        self.assertFalse(
            carrier.seller_segment, "A partner who does not sell has no segment"
        )
        self.assertFalse(carrier.buyer_segment)
        action = self.env.ref("marketplace_crm.action_marketplace_service_partners")
        from odoo.tools.safe_eval import safe_eval

        found = self.Partner.search(safe_eval(action.domain))
        self.assertIn(carrier, found)

    def test_role_actions_show_their_kind_only(self):
        from odoo.tools.safe_eval import safe_eval

        seller = self._create_seller("Just Seller")
        buyer = self.Partner.create({"name": "Just Buyer", "is_buyer": True})
        sellers = self.Partner.search(
            safe_eval(self.env.ref("marketplace_crm.action_marketplace_sellers").domain)
        )
        buyers = self.Partner.search(
            safe_eval(self.env.ref("marketplace_crm.action_marketplace_buyers").domain)
        )
        self.assertIn(seller, sellers)
        self.assertNotIn(buyer, sellers)
        self.assertIn(buyer, buyers)
        self.assertNotIn(seller, buyers)

    def test_registration_date_set_when_becoming_seller(self):
        partner = self.Partner.create({"name": "Later Seller"})
        self.assertFalse(partner.seller_registration_date)
        partner.is_seller = True
        self.assertTrue(partner.seller_registration_date)
        self.assertEqual(partner.seller_segment, "new")
