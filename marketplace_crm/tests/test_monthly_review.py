from freezegun import freeze_time

from odoo.tests import tagged

from .common import MarketplaceCase, cron_batches_without_commit


@tagged("post_install", "-at_install")
class TestMonthlyReview(MarketplaceCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Review = cls.env["marketplace.seller.review"]
        cls.buyer = cls.Partner.create({"name": "Review Buyer"})
        categ = cls.env["product.category"].create({"name": "Review Ceramics"})
        cls.seller = cls._create_validated_seller(
            "Review Seller", email="review@example.com"
        )
        cls.steady = cls._create_validated_seller(
            "Steady Seller", email="steady@example.com"
        )
        cls.peer = cls._create_validated_seller("Peer Seller")
        cls.bowl = cls._create_product(cls.seller, "Pricey bowl", 90, categ_id=categ.id)
        cls.mug = cls._create_product(cls.steady, "Mug", 20, categ_id=categ.id)
        cls.peer_bowl = cls._create_product(
            cls.peer, "Peer bowl", 40, categ_id=categ.id
        )
        (cls.bowl | cls.mug | cls.peer_bowl).product_tmpl_id.is_published = True
        with freeze_time("2026-04-12 10:00:00"):
            cls._create_order(cls.buyer, [(cls.bowl, 10, 90.0)])  # 900 in April
            cls._create_order(cls.buyer, [(cls.mug, 5, 20.0)])
        with freeze_time("2026-05-12 10:00:00"):
            cls._create_order(cls.buyer, [(cls.bowl, 3, 90.0)])  # 270 in May: -70 %
            cls._create_order(cls.buyer, [(cls.mug, 6, 20.0)])

    def _run(self, day):
        with freeze_time(day), cron_batches_without_commit(self.env):
            self.Review._cron_monthly_reviews()
            self.Review._cron_monthly_reviews()

    def _mails(self, seller):
        return self.env["mail.mail"].search(
            [
                ("model", "=", "marketplace.seller.review"),
                ("recipient_ids", "in", seller.ids),
            ]
        )

    def test_decline_sends_personalised_review_once(self):
        self._run("2026-06-01 06:00:00")
        review = self.Review.search([("seller_id", "=", self.seller.id)])
        self.assertEqual(len(review), 1)
        self.assertEqual(str(review.month), "2026-05-01")
        self.assertEqual(
            (review.sales_amount, review.previous_sales_amount), (270.0, 900.0)
        )
        self.assertAlmostEqual(review.sales_change, -70.0)
        self.assertTrue(review.declined)
        # Its advice follows from its figures: 90 against an average of 30
        # for the other published products of the category (20 and 40), and
        # a listing without a photo.
        self.assertIn("Price adjustment", review.recommendations)
        self.assertIn("200 %", review.recommendations)
        self.assertIn("Better photos: 1 of your 1 listings", review.recommendations)
        mails = self._mails(self.seller)
        self.assertEqual(len(mails), 1)
        self.assertIn("Price adjustment", mails.body_html)
        # The steady seller is reviewed, but not written to.
        steady = self.Review.search([("seller_id", "=", self.steady.id)])
        self.assertFalse(steady.declined)
        self.assertFalse(self._mails(self.steady))
        # Later in June: nothing more; the review stays on the seller.
        self._run("2026-06-20 06:00:00")
        self.assertEqual(len(self._mails(self.seller)), 1)
        self.assertEqual(self.seller.seller_review_ids, review)


@tagged("post_install", "-at_install")
class TestMonthlyReviewThreshold(MarketplaceCase):
    """A decline of exactly the threshold is a decline: amounts compare in
    cents, not in floating point (314.40 -> 251.52 is -19.99999999999999 %
    in floats)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Review = cls.env["marketplace.seller.review"]
        cls.buyer = cls.Partner.create({"name": "Threshold Buyer"})
        cls.env["ir.config_parameter"].set_param(
            "marketplace_crm.review_decline_percent", "20"
        )
        cls.sellers = {}
        for may in (251.51, 251.52, 251.53):
            seller = cls._create_validated_seller(
                f"Seller {may}", email=f"s{round(may * 100)}@example.com"
            )
            product = cls._create_product(seller, f"Jug {may}", 10)
            with freeze_time("2026-04-10 10:00:00"):
                cls._create_order(cls.buyer, [(product, 1, 314.40)])
            with freeze_time("2026-05-10 10:00:00"):
                cls._create_order(cls.buyer, [(product, 1, may)])
            cls.sellers[may] = seller

    def test_decline_of_exactly_the_threshold_is_flagged(self):
        # The float computation misses the exact boundary.
        self.assertGreater(100.0 * (251.52 - 314.40) / 314.40, -20.0)
        with freeze_time("2026-06-01 06:00:00"), cron_batches_without_commit(self.env):
            self.Review._cron_monthly_reviews()
        declined = {
            may: self.Review.search([("seller_id", "=", seller.id)]).declined
            for may, seller in self.sellers.items()
        }
        # One cent below the boundary, on it, one cent above.
        self.assertEqual(declined, {251.51: True, 251.52: True, 251.53: False})
        mails = self.env["mail.mail"].search(
            [
                ("model", "=", "marketplace.seller.review"),
                ("recipient_ids", "in", [s.id for s in self.sellers.values()]),
            ]
        )
        self.assertEqual(
            sorted(mails.recipient_ids.mapped("email")),
            ["s25151@example.com", "s25152@example.com"],
        )

    def test_sales_declined_in_cents(self):
        eur = self.env.ref("base.EUR")
        declined = self.Review._sales_declined
        self.assertTrue(declined(251.52, 314.40, 20.0, eur))
        self.assertTrue(declined(251.51, 314.40, 20.0, eur))
        self.assertFalse(declined(251.53, 314.40, 20.0, eur))
        self.assertTrue(declined(80.0, 100.0, 20.0, eur))
        self.assertFalse(declined(80.01, 100.0, 20.0, eur))
        # No sales the month before: nothing to decline from.
        self.assertFalse(declined(0.0, 0.0, 20.0, eur))
        # A threshold with decimals is exact too: 12.5 % of 80.00 is 10.00.
        self.assertTrue(declined(70.0, 80.0, 12.5, eur))
        self.assertFalse(declined(70.01, 80.0, 12.5, eur))
