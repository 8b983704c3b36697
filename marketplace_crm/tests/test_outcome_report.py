from datetime import date

from freezegun import freeze_time

from odoo.tests import tagged

from .common import MarketplaceCase


@tagged("post_install", "-at_install")
class TestOutcomeReport(MarketplaceCase):
    """The outcome report on a constructed history whose figures are known."""

    def test_active_sellers_churn_and_reactivation(self):
        buyer = self.Partner.create({"name": "Outcome Buyer"})
        s1, s2, s3 = (self._create_validated_seller(f"Outcome {n}") for n in (1, 2, 3))
        p1, p2, p3 = (
            self._create_product(s, f"Outcome item {s.id}", 10) for s in (s1, s2, s3)
        )
        Event = self.env["marketplace.seller.event"]

        def sell(day, product):
            with freeze_time(f"{day} 10:00:00"):
                self._create_order(buyer, [(product, 1, 10.0)])

        for product in (p1, p2, p3):  # January: the three sell
            sell("2023-01-10", product)
        sell("2023-02-10", p1)  # February: only the first
        Event._claim(s2, "inactivity_followup", "outcome-2", date="2023-03-05 09:00:00")
        Event._claim(s3, "inactivity_followup", "outcome-3", date="2023-03-10 09:00:00")
        sell("2023-03-15", p2)  # 10 days after its follow-up
        sell("2023-04-01", p3)  # 22 days after its follow-up
        self.env.flush_all()
        rows = {
            row.month: row
            for row in self.env["marketplace.seller.outcome.report"].search(
                [
                    ("month", ">=", "2023-01-01"),
                    ("month", "<=", "2023-04-01"),
                    ("company_id", "=", self.env.company.id),
                ]
            )
        }
        jan, feb, mar, apr = (rows[date(2023, m, 1)] for m in (1, 2, 3, 4))
        self.assertEqual(jan.active_seller_count, 3)
        self.assertEqual(feb.active_seller_count, 1)
        self.assertEqual((feb.previous_active_count, feb.churned_count), (3, 2))
        self.assertAlmostEqual(feb.churn_rate, 200 / 3)
        self.assertEqual(mar.active_seller_count, 1)
        self.assertAlmostEqual(mar.churn_rate, 100.0)
        self.assertEqual(mar.followup_count, 2)
        self.assertEqual((mar.reactivated_15_count, mar.reactivated_30_count), (1, 2))
        self.assertAlmostEqual(mar.reactivated_15_rate, 50.0)
        self.assertAlmostEqual(mar.reactivated_30_rate, 100.0)
        self.assertEqual(apr.active_seller_count, 1)
        self.assertEqual(apr.followup_count, 0)
