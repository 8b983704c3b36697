from datetime import timedelta

from freezegun import freeze_time

from odoo import fields
from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common import cron_batches_without_commit
from .quality_common import QualityCase


@tagged("post_install", "-at_install")
class TestSellerQualityLevels(QualityCase):
    """Each metric against its alert and limit levels, at the boundary."""

    def assertBoundaries(self, metric, value, higher_worse=True):
        """With the metric at ``value``, a level just under, at and just over
        it: the alert (e-mail + activity) and the limit (grace period) are
        crossed exactly as the rule says (``>=``, or ``<`` for the rating)."""
        for level, kind in (
            (lvl, k) for lvl in (-0.01, 0.0, 0.01) for k in ("alert", "limit")
        ):
            threshold = round(value + level, 2)
            crossed = threshold <= value if higher_worse else value < threshold
            with self.subTest(level=kind, threshold=threshold), self._undone():
                self._set_params(**{f"quality_{metric}_{kind}": threshold})
                self.seller._refresh_seller_quality()
                self.assertEqual(
                    round(self.seller[self._fname(metric)], 2), value, "metric value"
                )
                keys = (
                    self.seller.quality_alert_keys
                    if kind == "alert"
                    else self.seller.quality_limit_keys
                )
                self.assertEqual(metric in (keys or "").split(","), crossed)
                self.assertEqual(
                    len(self._open_crossings(metric=metric, level=kind)), int(crossed)
                )
                if kind == "alert":
                    self.assertEqual(
                        bool(self._mails("Quality alert on your shop")), crossed
                    )
                    activities = self.seller.activity_ids.filtered(
                        lambda a: a.summary and a.summary.startswith("Quality alert")
                    )
                    self.assertEqual(bool(activities), crossed)
                else:
                    self.assertEqual(bool(self._mails("to improve")), crossed)
                    self.assertEqual(
                        self.seller.quality_grace_until,
                        crossed
                        and fields.Date.context_today(self.seller) + timedelta(days=7),
                    )
                self._set_params(**{f"quality_{metric}_{kind}": 0})

    def _fname(self, metric):
        return {
            "dispute": "quality_dispute_rate",
            "refund": "quality_refund_rate",
            "cancel": "quality_cancel_rate",
            "late": "quality_late_rate",
            "response": "quality_response_hours",
            "rating": "quality_rating_avg",
        }[metric]

    def test_dispute_rate_boundaries(self):
        self._dispute(self.orders[0])
        self.assertBoundaries("dispute", 25.0)

    def test_refund_rate_boundaries(self):
        self._dispute(self.orders[0]).write(
            {"state": "resolved", "outcome": "partial_refund"}
        )
        # A dispute the seller won is no refund.
        self._dispute(self.orders[1]).write(
            {"state": "closed", "outcome": "seller_favoured"}
        )
        self.assertBoundaries("refund", 25.0)

    def test_cancellation_rate_boundaries(self):
        self.orders[0]._action_cancel()
        self.assertBoundaries("cancel", 25.0)

    def test_late_shipment_rate_boundaries(self):
        self._ship(self.orders[0], late=True)
        self._ship(self.orders[1], late=False)
        # Two shipped orders, one late; the others are not shipped yet.
        self.assertBoundaries("late", 50.0)

    def test_first_response_boundaries(self):
        ticket = self.env["helpdesk.ticket"].create(
            {
                "name": "Where is my bowl?",
                "description": "<p>Not received.</p>",
                "buyer_id": self.buyer.id,
                "seller_id": self.seller.id,
                "partner_id": self.buyer.id,
            }
        )
        message = ticket.message_post(
            body="Shipped yesterday.",
            author_id=self.seller.id,
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )
        message.date = ticket.create_date + timedelta(hours=10)
        self.assertBoundaries("response", 10.0)

    def test_rating_boundaries(self):
        parts = self.env["marketplace.order.seller"].search(
            [("seller_id", "=", self.seller.id)]
        )
        parts[0].rating_apply(2)
        parts[1].rating_apply(4)
        self.assertBoundaries("rating", 3.0, higher_worse=False)

    def test_minimum_order_count(self):
        self._dispute(self.orders[0])
        self._set_params(quality_dispute_alert=20)
        for minimum, evaluated in ((3, True), (4, True), (5, False)):
            with self.subTest(minimum=minimum), self._undone():
                self._set_params(quality_min_orders=minimum)
                self.seller._refresh_seller_quality()
                self.assertEqual(self.seller.quality_order_count, 4)
                self.assertEqual(
                    bool(self._open_crossings(metric="dispute")), evaluated
                )
                self.assertEqual(
                    self.seller.seller_quality_tier,
                    "good" if evaluated else "unrated",
                )

    def test_alert_once_per_crossing(self):
        self._set_params(quality_dispute_alert=20)
        dispute = self._dispute(self.orders[0])
        self.seller._refresh_seller_quality()
        self.seller._refresh_seller_quality()
        self.assertEqual(len(self._mails("Quality alert on your shop")), 1)
        crossing = self._open_crossings(metric="dispute")
        self.assertEqual(len(crossing), 1)
        self.assertIn("25.0 %", self._mails("Quality alert on your shop").body_html)
        # Back under the level: the crossing ends; a new one is a new e-mail.
        dispute.order_id = False
        self.seller._refresh_seller_quality()
        self.assertEqual(crossing.state, "recovered")
        self._dispute(self.orders[1])
        self.seller._refresh_seller_quality()
        self.assertEqual(len(self._mails("Quality alert on your shop")), 2)
        self.assertEqual(len(self._open_crossings(metric="dispute")), 1)


@tagged("post_install", "-at_install")
class TestSellerQualityRules(QualityCase):
    """Grace period, suspension, reinstatement, exemption, tiers."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._set_params(quality_dispute_alert=10, quality_dispute_limit=20)
        cls.unpublished = cls.env["product.template"].create(
            {
                "name": "Draft bowl",
                "type": "consu",
                "marketplace_seller_id": cls.seller.id,
            }
        )

    def _run_job(self):
        with cron_batches_without_commit(self.env):
            self.env["res.partner"]._cron_refresh_seller_quality()

    def test_grace_period_then_suspension_then_reinstatement(self):
        self._dispute(self.orders[0])
        start = fields.Datetime.now()
        with freeze_time(start):
            self._run_job()
        # The seller's day as the job sees it (the user's time zone).
        today = fields.Date.context_today(self.seller)
        self.assertEqual(self.seller.quality_grace_until, today + timedelta(days=7))
        self.assertEqual(self.seller.seller_quality_tier, "at_risk")
        # The limit e-mail goes alone, not with the alert of the same metric.
        self.assertEqual(len(self._mails("to improve")), 1)
        self.assertFalse(self._mails("Quality alert on your shop"))
        with freeze_time(start + timedelta(days=6)):
            self._run_job()
        self.assertFalse(self.seller.seller_suspended)
        self.assertTrue(self.template.is_published)
        with freeze_time(start + timedelta(days=7)):
            self._run_job()
            self._run_job()
        self.assertTrue(self.seller.seller_suspended)
        self.assertTrue(self.seller.quality_suspended)
        self.assertIn("Dispute rate: 25.0 %", self.seller.quality_suspension_reason)
        self.assertFalse(self.template.is_published)
        self.assertEqual(self.seller.seller_quality_tier, "suspended")
        self.assertEqual(len(self._mails("is suspended")), 1)
        events = self.seller.seller_event_ids.filtered(
            lambda e: e.event_type == "quality_suspension"
        )
        self.assertEqual(len(events), 1)
        self.assertTrue(
            self.seller.message_ids.filtered(
                lambda m: "Suspended automatically" in (m.body or "")
            )
        )
        # The publication gate holds while suspended.
        with self.assertRaises(ValidationError), self.env.cr.savepoint():
            self.template.is_published = True
        # Reinstated: the listing published before is published again, the
        # draft one stays a draft; still over the limit, a new grace period.
        with freeze_time(start + timedelta(days=8)):
            self.seller.action_reinstate_seller()
            self.assertEqual(
                self.seller.quality_grace_until, today + timedelta(days=15)
            )
        self.assertFalse(self.seller.seller_suspended)
        self.assertFalse(self.seller.quality_suspended)
        self.assertTrue(self.template.is_published)
        self.assertFalse(self.unpublished.is_published)
        self.assertIn(
            "quality_reinstatement", self.seller.seller_event_ids.mapped("event_type")
        )

    def test_back_under_the_limit_ends_the_grace_period(self):
        dispute = self._dispute(self.orders[0])
        start = fields.Datetime.now()
        with freeze_time(start):
            self._run_job()
        self.assertTrue(self.seller.quality_grace_until)
        dispute.order_id = False
        with freeze_time(start + timedelta(days=3)):
            self._run_job()
        self.assertFalse(self.seller.quality_grace_until)
        with freeze_time(start + timedelta(days=8)):
            self._run_job()
        self.assertFalse(self.seller.seller_suspended)

    def test_manual_suspension_republishes_as_before(self):
        self.seller.with_user(self.verifier).action_suspend_seller()
        self.assertFalse(self.template.is_published)
        self.assertEqual(self.seller.seller_quality_tier, "suspended")
        self.seller.with_user(self.verifier).action_reinstate_seller()
        self.assertTrue(self.template.is_published)
        self.assertFalse(self.unpublished.is_published)

    def test_exemption_and_its_expiry(self):
        with self.assertRaises(ValidationError), self.env.cr.savepoint():
            self.seller.quality_exempt_until = fields.Date.today()
        self._dispute(self.orders[0])
        start = fields.Datetime.now()
        self.seller.write(
            {
                # The seller's day as the job sees it (the user's time zone).
                "quality_exempt_until": fields.Date.context_today(self.seller)
                + timedelta(days=3),
                "quality_exempt_reason": "New category: ceramics",
            }
        )
        with freeze_time(start):
            self._run_job()
        self.assertFalse(self._open_crossings())
        self.assertFalse(self.seller.quality_grace_until)
        with freeze_time(start + timedelta(days=3)):
            self._run_job()
        self.assertTrue(self.seller.quality_exempt_until, "still exempt that day")
        with freeze_time(start + timedelta(days=4)):
            self._run_job()
        self.assertFalse(self.seller.quality_exempt_until)
        self.assertFalse(self.seller.quality_exempt_reason)
        self.assertTrue(
            self.seller.message_ids.filtered(
                lambda m: "exemption from the quality rules ended" in (m.body or "")
            )
        )
        # The rules apply again from that run.
        self.assertEqual(
            self.seller.quality_grace_until,
            fields.Date.context_today(self.seller) + timedelta(days=11),
        )

    def test_tiers_and_badge(self):
        self.seller._refresh_seller_quality()
        self.assertEqual(self.seller.quality_score, 100)
        self.assertEqual(self.seller.seller_quality_tier, "top")
        self.assertTrue(self.seller._is_top_seller())
        badge = self.env["ir.qweb"]._render(
            "marketplace_crm.seller_top_badge", {"seller": self.seller}
        )
        self.assertIn("Top seller", str(badge))
        # An alert keeps a seller out of the top tier, whatever the score.
        self._dispute(self.orders[0])
        self._set_params(quality_dispute_alert=25, quality_dispute_limit=100)
        self.seller._refresh_seller_quality()
        self.assertEqual(self.seller.quality_score, 95)
        self.assertEqual(self.seller.seller_quality_tier, "good")
        self.assertNotIn(
            "Top seller",
            str(
                self.env["ir.qweb"]._render(
                    "marketplace_crm.seller_top_badge", {"seller": self.seller}
                )
            ),
        )
        # A high performer over a limit is at risk; a suspended one never top.
        self._set_params(quality_dispute_limit=20, high_performer_count=1)
        self.env["res.partner"].browse(self.seller.ids)._refresh_marketplace_figures()
        self.seller._refresh_seller_quality()
        self.assertEqual(self.seller.seller_segment, "high_performer")
        self.assertEqual(self.seller.seller_quality_tier, "at_risk")
        self.seller.action_suspend_seller()
        self.assertEqual(self.seller.seller_segment, "suspended")
        self.assertEqual(self.seller.seller_quality_tier, "suspended")
        self.assertFalse(self.seller._is_top_seller())

    def test_score_is_explained(self):
        self._dispute(self.orders[0])
        self._set_params(quality_dispute_alert=10, quality_dispute_limit=50)
        self.seller._refresh_seller_quality()
        factors = {f["key"]: f for f in self.seller._quality_factors()}
        self.assertAlmostEqual(factors["dispute"]["points"], 10.0)
        self.assertEqual(factors["dispute"]["status"], "alert")
        self.assertEqual(
            self.seller.quality_score,
            self.seller._quality_round_score(
                sum(f["points"] for f in factors.values())
            ),
        )
        self.assertIn('data-metric="dispute"', self.seller.quality_score_explanation)

    def test_drill_downs(self):
        self._dispute(self.orders[0])
        self.orders[1]._action_cancel()
        action = self.seller.action_quality_view_disputes()
        self.assertEqual(
            self.env["marketplace.dispute"].search(action["domain"]).order_id,
            self.orders[0],
        )
        action = self.seller.action_quality_view_cancellations()
        self.assertEqual(
            self.env["marketplace.order.seller"].search(action["domain"]).order_id,
            self.orders[1],
        )
        action = self.seller.action_quality_view_orders()
        self.assertEqual(
            len(self.env["marketplace.order.seller"].search(action["domain"])), 4
        )


@tagged("post_install", "-at_install")
class TestSellerQualitySetBased(QualityCase):
    """The set-based refresh against the record-by-record reference."""

    def test_set_based_matches_single_record(self):
        other = self._create_validated_seller("Second Quality Atelier")
        other_product = self._create_product(other, "Second bowl")
        other_orders = [
            self._create_order(self.buyer, [(other_product, 2, 20.0)])
            for __ in range(3)
        ]
        # A shared order: each seller has a part.
        shared = self._create_order(
            self.buyer, [(self.product, 1, 10.0), (other_product, 1, 10.0)]
        )
        self._dispute(self.orders[0]).write(
            {"state": "resolved", "outcome": "buyer_refunded"}
        )
        self._dispute(self.orders[1])
        self.orders[2]._action_cancel()
        self._ship(self.orders[3], late=True)
        self._ship(shared, late=False)
        self.env["marketplace.dispute"].create(
            {
                "buyer_id": self.buyer.id,
                "seller_id": other.id,
                "order_id": other_orders[0].id,
            }
        )
        Part = self.env["marketplace.order.seller"]
        for part, rate in zip(
            Part.search([("seller_id", "in", (self.seller | other).ids)]),
            (5, 4, 1, 3, 2),
            strict=False,
        ):
            if part.state == "sale":
                part.rating_apply(rate)
        ticket = self.env["helpdesk.ticket"].create(
            {
                "name": "Broken",
                "description": "<p>Broken.</p>",
                "buyer_id": self.buyer.id,
                "seller_id": self.seller.id,
            }
        )
        ticket.message_post(
            body="Sorry, a new one is on its way.",
            author_id=self.seller.id,
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        ).date = ticket.create_date + timedelta(hours=5)
        self.env["helpdesk.ticket"].create(
            {
                "name": "No answer yet",
                "description": "<p>Hello?</p>",
                "buyer_id": self.buyer.id,
                "seller_id": other.id,
            }
        )
        sellers = self.seller | other
        with freeze_time(fields.Datetime.now() + timedelta(hours=2)):
            sellers._refresh_seller_quality()
            for seller in sellers:
                expected = seller._quality_metrics_orm()
                for fname, value in expected.items():
                    with self.subTest(seller=seller.name, field=fname):
                        self.assertAlmostEqual(seller[fname], value, delta=0.011)
        self.assertEqual(self.seller.quality_order_count, 5)
        self.assertEqual(self.seller.quality_refund_rate, 20.0)
        self.assertEqual(self.seller.quality_cancel_rate, 20.0)
        self.assertEqual(self.seller.quality_late_rate, 50.0)
        self.assertEqual(self.seller.quality_ticket_count, 1)
        self.assertGreaterEqual(other.quality_response_hours, 2.0)
