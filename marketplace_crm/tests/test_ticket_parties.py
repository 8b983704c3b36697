from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import MarketplaceCase
from .portal_form import portal_user


@tagged("post_install", "-at_install")
class TestTicketParties(MarketplaceCase):
    """Who is the buyer and who the seller of a ticket about an order: the
    order's customer and the seller of the order's part, whoever opens it."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.shop_buying = cls._create_validated_seller("Buying Shop")
        cls.shop_selling = cls._create_validated_seller("Selling Shop")
        product = cls._create_product(cls.shop_selling, "Oak board", 70)
        cls.order = cls._create_order(cls.shop_buying, [(product, 1, 70.0)])
        cls.type_dispute = cls.env.ref("marketplace_crm.helpdesk_type_dispute")
        cls.buying_contact = cls.Partner.create(
            {"name": "Buying Clerk", "parent_id": cls.shop_buying.id}
        )
        cls.selling_user = portal_user(
            cls.env,
            "parties_seller",
            partner=cls.Partner.create(
                {"name": "Selling Clerk", "parent_id": cls.shop_selling.id}
            ),
        )

    def _ticket(self, contact, **vals):
        return self.env["helpdesk.ticket"].create(
            {
                "name": "About my order",
                "description": "x",
                "partner_id": contact.id,
                "type_id": self.type_dispute.id,
                "sale_order_id": self.order.id,
                **vals,
            }
        )

    def test_seller_who_bought_is_the_buyer(self):
        ticket = self._ticket(self.buying_contact)
        self.assertEqual(ticket.buyer_id, self.shop_buying)
        self.assertEqual(ticket.seller_id, self.shop_selling)
        self.assertEqual(ticket.dispute_id.buyer_id, self.shop_buying)
        self.assertEqual(ticket.dispute_id.seller_id, self.shop_selling)

    def test_seller_of_the_order_is_the_seller(self):
        ticket = self._ticket(self.selling_user.partner_id)
        self.assertEqual(ticket.buyer_id, self.shop_buying)
        self.assertEqual(ticket.seller_id, self.shop_selling)

    def test_without_order_the_contact_role_decides(self):
        ticket = self._ticket(self.buying_contact, sale_order_id=False)
        self.assertEqual(ticket.seller_id, self.shop_buying)
        self.assertFalse(ticket.buyer_id)
        buyer = self.Partner.create({"name": "Plain Buyer"})
        ticket = self._ticket(buyer, sale_order_id=False)
        self.assertEqual(ticket.buyer_id, buyer)
        self.assertFalse(ticket.seller_id)

    def test_given_parties_are_kept(self):
        other = self._create_validated_seller("Named Seller")
        ticket = self._ticket(self.buying_contact, seller_id=other.id)
        self.assertEqual(ticket.seller_id, other)
        self.assertEqual(ticket.buyer_id, self.shop_buying)

    def test_portal_seller_reads_own_order_parts_names(self):
        parts = (
            self.env["marketplace.order.seller"].with_user(self.selling_user).search([])
        )
        self.assertEqual(parts, self.order.marketplace_order_seller_ids)
        self.assertEqual(
            parts.mapped("display_name"),
            [f"{self.order.name} - {self.shop_selling.display_name}"],
        )
        rows = parts.read(["display_name", "amount"])
        self.assertEqual(
            rows[0]["amount"], self.order.marketplace_order_seller_ids.amount
        )
        self.assertTrue(rows[0]["amount"])
        # The buyer's order itself stays out of reach.
        with self.assertRaises(AccessError):
            self.order.with_user(self.selling_user).read(["name"])
