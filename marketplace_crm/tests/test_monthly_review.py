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
