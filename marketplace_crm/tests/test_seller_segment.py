from datetime import date, timedelta

from freezegun import freeze_time

from odoo.tests import tagged

from .common import MarketplaceCase, cron_batches_without_commit


@tagged("post_install", "-at_install")
class TestSellerSegment(MarketplaceCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.buyer = cls.Partner.create({"name": "Buyer", "email": "b@example.com"})

    def _refresh(self, partners):
        partners._refresh_marketplace_figures()

    def test_verification_statuses_map_to_segments(self):
        seller = self._create_seller("Status Seller")
        self.assertEqual(seller.seller_segment, "new")
        seller.action_submit_verification()
        self.assertEqual(seller.seller_segment, "pending")
        seller.with_user(self.verifier).action_reject_seller("Blurry scan")
        self.assertEqual(seller.seller_segment, "rejected")
        seller.action_submit_verification()
        seller.with_user(self.verifier).action_validate_seller()
        self.assertEqual(seller.seller_segment, "active")
        seller.action_suspend_seller()
        self.assertEqual(seller.seller_segment, "suspended")
        seller.action_reinstate_seller()
        self.assertEqual(seller.seller_segment, "active")

    def test_inactive_after_thirty_days_without_sale(self):
        with freeze_time("2026-03-02 10:00:00"):
            seller = self._create_validated_seller("Quiet Seller")
            product = self._create_product(seller, price=20)
            self._create_order(self.buyer, [(product, 1, 20.0)])
            self.assertEqual(seller.seller_last_sale_date, date(2026, 3, 2))
            self.assertEqual(seller.seller_segment, "active")
        with freeze_time("2026-03-31 10:00:00"):  # 29 days later
            self._refresh(seller)
            self.assertEqual(seller.seller_segment, "active")
        with freeze_time("2026-04-01 10:00:00"):  # 30 days later
            self._refresh(seller)
            self.assertEqual(seller.seller_segment, "inactive")
            # A new sale ends the inactivity.
            self._create_order(self.buyer, [(product, 1, 20.0)])
            self.assertEqual(seller.seller_segment, "active")

    def test_validated_seller_who_never_sold_becomes_inactive(self):
        with freeze_time("2026-01-10 09:00:00"):
            seller = self._create_validated_seller("Never Sold")
            self.assertEqual(seller.seller_segment, "active")
        with freeze_time("2026-02-09 09:00:00"):
            self._refresh(seller)
            self.assertEqual(seller.seller_segment, "inactive")

    def test_inactivity_delay_comes_from_settings(self):
        self.env["ir.config_parameter"].sudo().set_param(
            "marketplace_crm.seller_inactive_days", 10
        )
        with freeze_time("2026-05-01 09:00:00"):
            seller = self._create_validated_seller("Short Delay")
        with freeze_time("2026-05-11 09:00:00"):
            self._refresh(seller)
            self.assertEqual(seller.seller_segment, "inactive")

    def test_high_performer_by_value_and_by_count(self):
        params = self.env["ir.config_parameter"].sudo()
        params.set_param("marketplace_crm.high_performer_amount", 1000)
        params.set_param("marketplace_crm.high_performer_count", 3)
        big = self._create_validated_seller("Big Ticket")
        busy = self._create_validated_seller("Many Orders")
        vase = self._create_product(big, "Vase", 1200)
        cup = self._create_product(busy, "Cup", 5)
        self._create_order(self.buyer, [(vase, 1, 1200.0)])
        self.assertEqual(big.seller_segment, "high_performer")
        for __ in range(2):
            self._create_order(self.buyer, [(cup, 1, 5.0)])
        self.assertEqual(busy.seller_segment, "active")
        self._create_order(self.buyer, [(cup, 1, 5.0)])
        self.assertEqual(busy.seller_segment, "high_performer")
        # Thresholds at 0 disable the criterion.
        params.set_param("marketplace_crm.high_performer_count", 0)
        self._refresh(busy)
        self.assertEqual(busy.seller_segment, "active")

    def test_high_performer_falls_back_when_sales_age(self):
        self.env["ir.config_parameter"].sudo().set_param(
            "marketplace_crm.high_performer_amount", 500
        )
        with freeze_time("2026-06-01 12:00:00"):
            seller = self._create_validated_seller("Seasonal")
            product = self._create_product(seller, "Lamp", 600)
            self._create_order(self.buyer, [(product, 1, 600.0)])
            self.assertEqual(seller.seller_segment, "high_performer")
        with freeze_time("2026-06-25 12:00:00"):
            self._refresh(seller)
            self.assertEqual(seller.seller_segment, "high_performer")
        with freeze_time(date(2026, 6, 1) + timedelta(days=30)):
            self._refresh(seller)
            self.assertEqual(seller.seller_segment, "inactive")

    def test_segment_refresh_cron_is_idempotent(self):
        with freeze_time("2026-07-01 08:00:00"):
            seller = self._create_validated_seller("Cron Seller")
        with freeze_time("2026-08-15 08:00:00"):
            cron = self.env.ref("marketplace_crm.ir_cron_refresh_marketplace_segments")
            self.assertEqual(cron.code, "model._cron_refresh_marketplace_segments()")
            with cron_batches_without_commit(self.env):
                self.Partner._cron_refresh_marketplace_segments(batch_size=2)
                seller.invalidate_recordset()
                self.assertEqual(seller.seller_segment, "inactive")
                self.Partner._cron_refresh_marketplace_segments(batch_size=2)
                seller.invalidate_recordset()
                self.assertEqual(seller.seller_segment, "inactive")

    def test_scheduled_refresh_agrees_with_the_segment_computes(self):
        """The refresh sets the segments in one query; on partners of every
        kind, it stores what the segment computes give."""
        self.env["ir.config_parameter"].sudo().set_param(
            "marketplace_crm.high_performer_count", 2
        )
        with freeze_time("2026-01-05 09:00:00"):
            old = self._create_validated_seller("Old Sale Seller")
            old_product = self._create_product(old, "Old cup", 10)
            self._create_order(self.buyer, [(old_product, 1, 10.0)])
        with freeze_time("2026-03-20 09:00:00"):
            busy = self._create_validated_seller("Two Sales Seller")
            busy_product = self._create_product(busy, "Busy cup", 10)
            for __ in range(2):
                self._create_order(self.buyer, [(busy_product, 1, 10.0)])
            recent = self._create_validated_seller("Recent Seller")
            suspended = self._create_validated_seller("Suspended Seller")
            suspended.action_suspend_seller()
            rejected = self._create_seller("Rejected Seller")
            rejected.action_submit_verification()
            rejected.with_user(self.verifier).action_reject_seller("Blurry scan")
            pending = self._create_seller("Pending Seller")
            pending.action_submit_verification()
            new = self._create_seller("New Seller", complete=False)
            prospect = self.Partner.create({"name": "Prospect", "is_buyer": True})
            both = self._create_validated_seller("Seller Buyer", is_buyer=True)
            plain = self.Partner.create({"name": "Plain contact"})
        partners = (old | busy | recent | suspended | rejected | pending | new) | (
            self.buyer | prospect | both | plain
        )
        with freeze_time("2026-04-02 09:00:00"):
            partners._refresh_marketplace_figures()
            self.env.flush_all()
            stored = {p.id: (p.seller_segment, p.buyer_segment) for p in partners}
            partners._compute_seller_segment()
            partners._compute_buyer_segment()
            computed = {p.id: (p.seller_segment, p.buyer_segment) for p in partners}
        self.assertEqual(stored, computed)
        self.assertEqual(
            [stored[p.id][0] for p in (old, busy, suspended, rejected, pending, new)],
            ["inactive", "high_performer", "suspended", "rejected", "pending", "new"],
        )
        self.assertEqual(stored[recent.id][0], "active")
        self.assertEqual(stored[self.buyer.id], (False, "active"))
        self.assertEqual(stored[prospect.id], (False, "prospect"))
        self.assertEqual(stored[plain.id], (False, False))

    def test_scheduled_refresh_agrees_with_the_segment_rules(self):
        """The job writes figures and segments in SQL; every marketplace
        partner (the demo covers every segment) must end with what the
        Python rules compute for it."""
        for day in ("2026-11-20 08:00:00", "2027-03-10 08:00:00"):
            with freeze_time(day), cron_batches_without_commit(self.env):
                self.Partner._cron_refresh_marketplace_segments(batch_size=7)
                self.env.invalidate_all()
                partners = self.Partner.with_context(active_test=False).search(
                    ["|", ("is_seller", "=", True), ("is_buyer", "=", True)]
                )
                stored = {
                    p.id: (
                        p.seller_segment,
                        p.buyer_segment,
                        p.seller_sale_amount_30d,
                        p.seller_sale_count_month,
                        p.seller_last_sale_date,
                    )
                    for p in partners
                }
                self.assertGreater(len({v[0] for v in stored.values()}), 4)
                self.env.invalidate_all()
                sellers = partners.filtered("is_seller")
                sellers._refresh_seller_sales_figures()
                for fname in ("seller_segment", "buyer_segment"):
                    self.env.add_to_compute(partners._fields[fname], partners)
                partners._recompute_recordset(["seller_segment", "buyer_segment"])
                computed = {
                    p.id: (
                        p.seller_segment,
                        p.buyer_segment,
                        p.seller_sale_amount_30d,
                        p.seller_sale_count_month,
                        p.seller_last_sale_date,
                    )
                    for p in partners
                }
                self.assertEqual(stored, computed)
