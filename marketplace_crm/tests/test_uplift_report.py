import random
from datetime import datetime, timedelta

from odoo.tests import TransactionCase, tagged

from ..report.marketplace_uplift_report import newcombe_interval, wilson_interval
from .common import MarketplaceCase


@tagged("post_install", "-at_install")
class TestNewcombeInterval(TransactionCase):
    def test_published_values(self):
        """Newcombe (1998), Statistics in Medicine 17:873-890, table II,
        method 10 (hybrid score interval), examples (a) to (h)."""
        published = [
            ((56, 70, 48, 80), 0.2000, 0.0524, 0.3339),
            ((9, 10, 3, 10), 0.6000, 0.1705, 0.8090),
            ((6, 7, 2, 7), 0.5714, 0.0582, 0.8062),
            ((5, 56, 0, 29), 0.0893, -0.0381, 0.1926),
            ((0, 10, 0, 20), 0.0, -0.1611, 0.2775),
            ((0, 10, 0, 10), 0.0, -0.2775, 0.2775),
            ((10, 10, 0, 20), 1.0, 0.6791, 1.0000),
            ((10, 10, 0, 10), 1.0, 0.6075, 1.0000),
        ]
        for counts, difference, low, high in published:
            with self.subTest(counts=counts):
                got = newcombe_interval(*counts)
                self.assertAlmostEqual(got[0], difference, places=4)
                self.assertAlmostEqual(got[1], low, places=4)
                self.assertAlmostEqual(got[2], high, places=4)

    def test_wilson_interval(self):
        # Newcombe (1998) 1-sample companion paper, 81/263: 0.2553 to 0.3662.
        low, high = wilson_interval(81, 263)
        self.assertAlmostEqual(low, 0.2553, places=4)
        self.assertAlmostEqual(high, 0.3662, places=4)
        self.assertEqual(wilson_interval(0, 0), (0.0, 1.0))


@tagged("post_install", "-at_install")
class TestUpliftReport(MarketplaceCase):
    """The report on constructed histories whose true effect is known."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Event = cls.env["marketplace.seller.event"]
        cls.buyer = cls.Partner.create({"name": "Uplift Buyer"})
        # Start from an empty history: only the constructed episodes count.
        cls.env.cr.execute("DELETE FROM marketplace_seller_event")
        cls.env.cr.execute("DELETE FROM marketplace_seller_review")
        cls.sellers = cls.Partner.create(
            [{"name": f"Uplift Seller {n}", "is_seller": True} for n in range(100)]
        )
        # Twenty draft orders to hang the sellers' sales on (one part per
        # order and seller); the parts carry the state and date the report
        # reads.
        cls.orders = cls.env["sale.order"].create(
            [{"partner_id": cls.buyer.id} for __ in range(20)]
        )

    def _history(self, treated_rate, control_rate, seed):
        """2,000 inactivity episodes (20 rounds of 100 sellers, 100 days
        apart), half held out at random; a seller sells again within 30 days
        with the probability of their group."""
        rng = random.Random(seed)
        parts = []
        start = datetime(2015, 1, 10, 9, 0)
        for round_no, order in enumerate(self.orders):
            day = start + timedelta(days=100 * round_no)
            episode = day.date().isoformat()
            for seller in self.sellers:
                held_out = rng.random() < 0.5
                if held_out:
                    self.Event._claim_held_out(
                        seller, "inactivity_followup", episode, date=day
                    )
                else:
                    self.Event._claim(seller, "inactivity_followup", episode, date=day)
                if rng.random() < (control_rate if held_out else treated_rate):
                    sold = day + timedelta(days=rng.randint(1, 29), hours=3)
                    parts.append((order.id, seller.id, sold))
        self.env.flush_all()
        for order_id, seller_id, sold in parts:
            self.env.cr.execute(
                """
                INSERT INTO marketplace_order_seller
                       (order_id, seller_id, date_order, state, amount, line_count,
                        company_id)
                SELECT %s, %s, %s, 'sale', 10, 1, company_id
                  FROM sale_order WHERE id = %s
                """,
                [order_id, seller_id, sold, order_id],
            )
        self.env["marketplace.uplift.report"].invalidate_model()

    def _row(self, outcome, **domain):
        rows = self.env["marketplace.uplift.report"].search(
            [
                ("automation", "=", "inactivity_followup"),
                ("outcome", "=", outcome),
                *[(k, "=", v) for k, v in domain.items()],
            ]
        )
        return rows

    def test_true_uplift_is_found_within_the_interval(self):
        self._history(0.30, 0.20, seed=2026)
        total = self._row("sale_30", is_total=True)
        self.assertEqual(len(total), 1)
        self.assertEqual(total.treated_count + total.control_count, 2000)
        self.assertGreater(min(total.treated_count, total.control_count), 900)
        self.assertAlmostEqual(total.treated_rate, 30, delta=4)
        self.assertAlmostEqual(total.control_rate, 20, delta=4)
        self.assertLessEqual(total.ci_low, 10.0)
        self.assertGreaterEqual(total.ci_high, 10.0)
        self.assertGreater(total.ci_low, 0.0)
        self.assertEqual(total.conclusion, "uplift")
        # Shown to one decimal: the difference is computed from the counts.
        self.assertAlmostEqual(
            total.difference, total.treated_rate - total.control_rate, delta=0.11
        )
        # Month by month: twenty months of 100 episodes each.
        months = self._row("sale_30", is_total=False)
        self.assertEqual(len(months), 20)
        self.assertEqual(sum(months.mapped("treated_count")), total.treated_count)
        # No sale ever happens after 30 days: nobody is active at 90 days.
        active = self._row("active_90", is_total=True)
        self.assertEqual((active.treated_success, active.control_success), (0, 0))
        self.assertEqual(active.conclusion, "no_difference")

    def test_no_effect_interval_covers_zero(self):
        self._history(0.20, 0.20, seed=7)
        total = self._row("sale_30", is_total=True)
        self.assertEqual(total.treated_count + total.control_count, 2000)
        self.assertLess(total.ci_low, 0.0)
        self.assertGreater(total.ci_high, 0.0)
        self.assertEqual(total.conclusion, "no_difference")

    def test_not_enough_data_below_the_minimum_sample(self):
        self._history(0.30, 0.20, seed=11)
        self.env["ir.config_parameter"].sudo().set_param(
            "marketplace_crm.uplift_min_sample", 60
        )
        months = self._row("sale_30", is_total=False)
        self.assertEqual(set(months.mapped("conclusion")), {"not_enough"})
        self.assertEqual(set(months.mapped("ci_low")), {0.0})
        total = self._row("sale_30", is_total=True)
        self.assertEqual(total.conclusion, "uplift")

    def test_episodes_whose_window_is_open_are_not_counted(self):
        seller = self.sellers[0]
        now = datetime.now()
        self.Event._claim(seller, "inactivity_followup", "recent", date=now)
        self.env.flush_all()
        self.assertFalse(self._row("sale_15"), "The 15 days are not over")

    def test_export(self):
        self._history(0.30, 0.20, seed=3)
        rows = self.env["marketplace.uplift.report"].search(
            [("is_total", "=", True), ("outcome", "=", "sale_30")]
        )
        exported = rows.export_data(
            ["automation", "outcome", "treated_count", "control_count", "ci_low"]
        )["datas"]
        self.assertEqual(
            exported[0][:2], ["Inactivity follow-up", "First sale within 30 days"]
        )


@tagged("post_install", "-at_install")
class TestUpliftDemo(TransactionCase):
    def test_demo_year_of_abandoned_carts_shows_an_uplift(self):
        Episode = self.env["marketplace.buyer.event"]
        episodes = Episode.search([("automation", "=", "abandoned_cart")])
        self.assertGreaterEqual(len(episodes), 150)
        dates = episodes.mapped("date")
        self.assertGreaterEqual((max(dates) - min(dates)).days, 300, "A year")
        self.assertTrue(episodes.filtered("held_out"), "With a control group")
        total = self.env["marketplace.uplift.report"].search(
            [
                ("automation", "=", "abandoned_cart"),
                ("outcome", "=", "purchase_14"),
                ("is_total", "=", True),
            ]
        )
        self.assertEqual(total.treated_count + total.control_count, len(episodes))
        self.assertEqual(total.conclusion, "uplift")
        self.assertLess(total.ci_low, 30.0)
        self.assertGreater(total.ci_high, 30.0)
