from datetime import date

from freezegun import freeze_time

from odoo.tests import tagged

from .common import MarketplaceCase


@tagged("post_install", "-at_install")
class TestSellerFigures(MarketplaceCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.buyer = cls.Partner.create({"name": "Figures Buyer"})
        cls.seller = cls._create_validated_seller("Figures Seller")
        cls.other = cls._create_validated_seller("Other Figures Seller")
        cls.bowl = cls._create_product(cls.seller, "Bowl", 50)
        cls.plate = cls._create_product(cls.other, "Plate", 30)

    def test_confirmed_lines_count_for_their_seller_only(self):
        with freeze_time("2026-05-20 10:00:00"):
            order = self._create_order(
                self.buyer, [(self.bowl, 2, 50.0), (self.plate, 1, 30.0)]
            )
            self.assertEqual(self.seller.seller_sale_count_month, 1)
            self.assertEqual(self.seller.seller_sale_amount_month, 100.0)
            self.assertEqual(self.other.seller_sale_amount_month, 30.0)
            self.assertEqual(self.seller.seller_last_sale_date, date(2026, 5, 20))
            # A quotation does not count.
            self._create_order(self.buyer, [(self.bowl, 5, 50.0)], confirm=False)
            self.assertEqual(self.seller.seller_sale_amount_month, 100.0)
            # Modifying a confirmed order updates its seller.
            bowl_line = order.order_line.filtered(lambda l: l.product_id == self.bowl)
            bowl_line.write({"product_uom_qty": 3, "price_unit": 40.0})
            self.assertEqual(self.seller.seller_sale_amount_month, 120.0)
            # Cancelling removes it.
            order._action_cancel()
            self.assertEqual(self.seller.seller_sale_count_month, 0)
            self.assertEqual(self.seller.seller_sale_amount_month, 0.0)
            self.assertFalse(self.seller.seller_last_sale_date)

    def test_windows_move_with_time(self):
        with freeze_time("2026-04-25 10:00:00"):
            self._create_order(self.buyer, [(self.bowl, 1, 50.0)])
        with freeze_time("2026-05-03 10:00:00"):
            self._create_order(self.buyer, [(self.bowl, 1, 80.0)])
            self.assertEqual(self.seller.seller_sale_amount_month, 80.0)
            self.assertEqual(self.seller.seller_sale_amount_prev_month, 50.0)
            self.assertEqual(self.seller.seller_sale_amount_30d, 130.0)
            self.assertEqual(self.seller.seller_sale_count_30d, 2)
        with freeze_time("2026-05-25 10:00:00"):  # April's sale left the 30 days
            self.seller._refresh_marketplace_figures()
            self.assertEqual(self.seller.seller_sale_amount_30d, 80.0)
            self.assertEqual(self.seller.seller_sale_count_30d, 1)
        with freeze_time("2026-06-02 10:00:00"):  # a new month
            self.seller._refresh_marketplace_figures()
            self.assertEqual(self.seller.seller_sale_amount_month, 0.0)
            self.assertEqual(self.seller.seller_sale_amount_prev_month, 80.0)

    def test_foreign_currency_converted_at_order_date(self):
        company = self.env.company
        usd = self.env.ref("base.USD")
        eur = self.env.ref("base.EUR")
        foreign = eur if company.currency_id == usd else usd
        foreign.active = True
        self.env["res.currency.rate"].create(
            [
                {
                    "name": "2026-01-01",
                    "rate": 2.0,
                    "currency_id": foreign.id,
                    "company_id": company.id,
                },
                {
                    "name": "2026-03-01",
                    "rate": 4.0,
                    "currency_id": foreign.id,
                    "company_id": company.id,
                },
            ]
        )
        pricelist = self.env["product.pricelist"].create(
            {"name": "Foreign", "currency_id": foreign.id}
        )
        with freeze_time("2026-02-10 10:00:00"):
            self._create_order(
                self.buyer, [(self.bowl, 1, 200.0)], pricelist_id=pricelist.id
            )
            # 200 in the foreign currency at 2 per company unit = 100.
            self.assertAlmostEqual(self.seller.seller_sale_amount_month, 100.0)

    def test_confirmation_cost_does_not_grow_with_history(self):
        """Updating a seller on confirmation costs the same queries for a seller
        with one past order as for one with many."""
        quiet = self._create_validated_seller("Few Orders")
        busy = self._create_validated_seller("Many Orders")
        quiet_product = self._create_product(quiet, "Quiet", 10)
        busy_product = self._create_product(busy, "Busy", 10)
        self._create_order(self.buyer, [(quiet_product, 1, 10.0)])
        for __ in range(30):
            self._create_order(self.buyer, [(busy_product, 1, 10.0)])
        counts = []
        # The first round fills one-time caches (defaults, routes); the
        # second is measured.
        for product in (quiet_product, busy_product) * 2:
            order = self._create_order(self.buyer, [(product, 1, 10.0)], confirm=False)
            self.env.flush_all()
            self.env.invalidate_all()
            start = self.cr.sql_log_count
            order.action_confirm()
            self.env.flush_all()
            counts.append(self.cr.sql_log_count - start)
        self.assertEqual(counts[2], counts[3], counts)
        self.assertEqual(busy.seller_sale_count_30d, 32)

    def test_lines_changed_after_confirmation_move_the_sellers(self):
        """A line of a new seller added to a confirmed order makes a sale for
        that seller, with its own order part."""
        with freeze_time("2026-05-20 10:00:00"):
            order = self._create_order(self.buyer, [(self.bowl, 1, 50.0)])
            self.assertEqual(self.other.seller_sale_count_month, 0)
            order.write(
                {
                    "order_line": [
                        (0, 0, {"product_id": self.plate.id, "price_unit": 30.0})
                    ]
                }
            )
            self.assertEqual(self.other.seller_sale_count_month, 1)
            self.assertEqual(self.other.seller_sale_amount_month, 30.0)
            self.assertEqual(
                order.marketplace_order_seller_ids.seller_id, self.seller | self.other
            )
            self.assertEqual(self.seller.seller_sale_count_month, 1)
            # Cancelling takes both back.
            order._action_cancel()
            self.assertEqual(self.other.seller_sale_count_month, 0)
            self.assertEqual(self.seller.seller_sale_count_month, 0)

    def test_product_given_to_a_seller_brings_its_sales(self):
        """Sales of a product made before it had a seller (or under another
        seller) count for the seller it is given to."""
        with freeze_time("2026-05-20 10:00:00"):
            loose = self.env["product.product"].create(
                {"name": "Unassigned jug", "list_price": 25, "type": "consu"}
            )
            self._create_order(self.buyer, [(loose, 2, 25.0)])
            self.assertEqual(self.seller.seller_sale_amount_month, 0.0)
            loose.product_tmpl_id.marketplace_seller_id = self.seller
            self.assertEqual(self.seller.seller_sale_amount_month, 50.0)
            loose.product_tmpl_id.marketplace_seller_id = self.other
            self.assertEqual(self.seller.seller_sale_amount_month, 0.0)
            self.assertEqual(self.other.seller_sale_amount_month, 50.0)
