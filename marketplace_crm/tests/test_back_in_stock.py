from odoo.tests import tagged

from .common import MarketplaceCase, cron_batches_without_commit


@tagged("post_install", "-at_install")
class TestBackInStock(MarketplaceCase):
    def test_wishlist_alert_once_per_restock(self):
        seller = self._create_validated_seller("Stock Seller")
        product = self._create_product(seller, "Raku vase", 60, is_storable=True)
        template = product.product_tmpl_id
        buyer = self.Partner.create(
            {"name": "Wishful Buyer", "email": "wish@example.com"}
        )
        other = self.Partner.create(
            {"name": "Other Buyer", "email": "other@example.com"}
        )
        website = self.env["website"].get_current_website()
        Wishlist = self.env["product.wishlist"]
        Wishlist.create(
            [
                {"partner_id": p.id, "product_id": product.id, "website_id": website.id}
                for p in (buyer, other)
            ]
        )

        def run():
            with cron_batches_without_commit(self.env):
                Wishlist._cron_back_in_stock_alerts()
                Wishlist._cron_back_in_stock_alerts()

        def alerts(partner):
            return self.env["mail.mail"].search(
                [
                    ("model", "=", "product.wishlist"),
                    ("recipient_ids", "in", partner.ids),
                    ("subject", "ilike", "back in stock"),
                ]
            )

        run()  # out of stock: nothing to say
        self.assertEqual(product.marketplace_stock_state, "out")
        self.assertFalse(alerts(buyer))
        template._marketplace_set_quantity(5)
        run()
        self.assertEqual(len(alerts(buyer)), 1)
        self.assertEqual(len(alerts(other)), 1)
        template._marketplace_set_quantity(0)
        run()
        template._marketplace_set_quantity(2)
        run()  # a second restock: a second alert
        self.assertEqual(len(alerts(buyer)), 2)
        self.assertEqual(product.marketplace_restock_count, 2)

    def test_always_available_product_sends_nothing(self):
        seller = self._create_validated_seller("Stocked Seller")
        template = self._create_product(
            seller, "Linen towel", is_storable=True
        ).product_tmpl_id
        template._marketplace_set_quantity(10)
        buyer = self.Partner.create({"name": "Calm Buyer", "email": "calm@example.com"})
        self.env["product.wishlist"].create(
            {
                "partner_id": buyer.id,
                "product_id": template.product_variant_id.id,
                "website_id": self.env["website"].get_current_website().id,
            }
        )
        with cron_batches_without_commit(self.env):
            self.env["product.wishlist"]._cron_back_in_stock_alerts()
        self.assertEqual(template.product_variant_id.marketplace_stock_state, "in")
        self.assertFalse(
            self.env["mail.mail"].search(
                [("model", "=", "product.wishlist"), ("recipient_ids", "in", buyer.ids)]
            )
        )
