from datetime import timedelta

from freezegun import freeze_time

from odoo import fields
from odoo.tests import tagged

from .common import MarketplaceCase, cron_batches_without_commit


@tagged("post_install", "-at_install")
class TestHoldout(MarketplaceCase):
    """Control groups: a deterministic random share of each measured growth
    automation's records gets nothing, recorded once per episode."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Holdout = cls.env["marketplace.holdout"]
        cls.Event = cls.env["marketplace.seller.event"]
        cls.BuyerEvent = cls.env["marketplace.buyer.event"]

    def _measure(self, automation, share, enabled=True):
        params = self.env["ir.config_parameter"].sudo()
        params.set_param(f"marketplace_crm.holdout_{automation}", enabled)
        params.set_param(f"marketplace_crm.holdout_share_{automation}", share)

    def _seller_mails(self, seller, subject):
        return self.env["mail.mail"].search(
            [
                ("model", "=", "res.partner"),
                ("res_id", "=", seller.id),
                ("subject", "ilike", subject),
            ]
        )

    def _held_out(self, seller, automation):
        return self.Event.search(
            [
                ("seller_id", "=", seller.id),
                ("event_type", "=", "held_out"),
                ("holdout_automation", "=", automation),
            ]
        )

    def test_assignment_is_deterministic_and_respects_the_share(self):
        self._measure("inactivity_followup", 10)

        def draw(episode):
            return [
                self.Holdout._is_control("inactivity_followup", record_id, episode)
                for record_id in range(1, 20001)
            ]

        first = draw("2026-01-05")
        self.assertEqual(first, draw("2026-01-05"), "Same draw on every run")
        # 10 % of 20,000 within 5 standard deviations (0.2 %).
        self.assertAlmostEqual(sum(first) / len(first), 0.10, delta=0.011)
        other_episode = draw("2026-03-01")
        self.assertNotEqual(first, other_episode, "Each episode draws again")
        self.assertAlmostEqual(sum(other_episode) / 20000, 0.10, delta=0.011)
        self._measure("inactivity_followup", 30)
        wider = draw("2026-01-05")
        self.assertAlmostEqual(sum(wider) / 20000, 0.30, delta=0.017)
        self.assertTrue(
            all(w for f, w in zip(first, wider, strict=True) if f),
            "Raising the share only adds records to the control group",
        )
        self._measure("inactivity_followup", 30, enabled=False)
        self.assertFalse(any(draw("2026-01-05")), "Not measured: nobody held out")

    def test_control_group_gets_no_reminder_and_one_held_out_event(self):
        self._measure("profile_reminder", 50)
        with freeze_time("2026-03-02 09:00:00"):
            sellers = [
                self._create_seller(f"Holdout Starter {n}", email=f"h{n}@example.com")
                for n in range(24)
            ]
        for day in ("2026-03-07 09:00:00", "2026-03-08 09:00:00", "2026-03-20 10:00"):
            with freeze_time(day), cron_batches_without_commit(self.env):
                self.Event._cron_profile_reminders()
                self.Event._cron_profile_reminders()
        control = [
            s
            for s in sellers
            if self.Holdout._is_control("profile_reminder", s.id, "registration")
        ]
        self.assertTrue(0 < len(control) < len(sellers), "Both groups drawn")
        for seller in sellers:
            held_out = self._held_out(seller, "profile_reminder")
            first = self._seller_mails(seller, "waiting for its first product")
            second = self._seller_mails(seller, "Need a hand")
            if seller in control:
                self.assertEqual(len(held_out), 1, "Recorded once, three runs")
                self.assertEqual(held_out.episode, "profile_reminder:registration")
                self.assertFalse(first | second, "The control group gets nothing")
                self.assertFalse(
                    seller.seller_event_ids.filtered(
                        lambda e: e.event_type.startswith("profile_reminder")
                    )
                )
            else:
                self.assertFalse(held_out)
                self.assertEqual((len(first), len(second)), (1, 1))

    def test_followup_and_coaching_held_out(self):
        buyer = self.Partner.create({"name": "Holdout Buyer"})
        with freeze_time("2026-01-05 09:00:00"):
            seller = self._create_validated_seller(
                "Held Shop", email="held@example.com"
            )
            product = self._create_product(seller, "Candle", 15)
            self._create_order(buyer, [(product, 1, 15.0)])
        self._measure("inactivity_followup", 100)

        def run(method, day):
            with freeze_time(day), cron_batches_without_commit(self.env):
                getattr(self.Event, method)()
                getattr(self.Event, method)()

        run("_cron_inactivity_followups", "2026-02-04 09:00:00")
        run("_cron_inactivity_followups", "2026-02-05 09:00:00")
        self.assertFalse(self._seller_mails(seller, "Make your listings shine"))
        held_out = self._held_out(seller, "inactivity_followup")
        self.assertEqual(held_out.mapped("episode"), ["inactivity_followup:2026-01-05"])
        run("_cron_coaching_sessions", "2026-02-25 09:30:00")
        self.assertFalse(
            seller.seller_event_ids.filtered(lambda e: e.event_type == "coaching"),
            "No follow-up, so no coaching either",
        )
        # Follow-ups measured no more, coaching measured with everybody held out.
        self._measure("inactivity_followup", 0, enabled=False)
        self._measure("coaching", 100)
        run("_cron_inactivity_followups", "2026-02-06 09:00:00")
        self.assertEqual(len(self._seller_mails(seller, "Make your listings shine")), 1)
        run("_cron_coaching_sessions", "2026-02-25 09:30:00")
        self.assertFalse(
            seller.seller_event_ids.filtered(lambda e: e.event_type == "coaching")
        )
        self.assertEqual(len(self._held_out(seller, "coaching")), 1)

    def test_only_growth_automations_are_held_out(self):
        params = self.env["ir.config_parameter"].sudo()
        for automation in ("verification", "suspension", "validation", "legal"):
            params.set_param(f"marketplace_crm.holdout_{automation}", True)
            params.set_param(f"marketplace_crm.holdout_share_{automation}", 100)
        for automation in (
            "profile_reminder",
            "inactivity_followup",
            "coaching",
            "monthly_review",
            "back_in_stock",
            "abandoned_cart",
        ):
            self._measure(automation, 100)
        seller = self._create_seller("Must Know", email="mustknow@example.com")
        for automation in ("verification", "suspension", "validation", "legal"):
            self.assertFalse(self.Holdout._hold_out(automation, seller, "x"))
        # With every growth automation fully held out, the verification
        # outcome still reaches the seller.
        seller.action_submit_verification()
        seller.with_user(self.verifier).action_validate_seller()
        self.assertEqual(len(self._seller_mails(seller, "is approved")), 1)
        self.assertFalse(self._held_out(seller, "profile_reminder"))
        self.assertFalse(self.BuyerEvent.search([("buyer_id", "=", seller.id)]))

    def test_abandoned_cart_control_group(self):
        self._measure("abandoned_cart", 100)
        seller = self._create_validated_seller("Cart Holdout Seller")
        product = self._create_product(seller, "Vase", 40)
        website = self.env["website"].get_current_website()
        buyer = self.Partner.create({"name": "Cart Holder", "email": "ch@example.com"})
        cart = self.env["sale.order"].create(
            {
                "partner_id": buyer.id,
                "website_id": website.id,
                "order_line": [(0, 0, {"product_id": product.id})],
            }
        )
        cart.date_order = fields.Datetime.now() - timedelta(
            hours=(website.cart_abandoned_delay or 1.0) + 1
        )
        website.send_abandoned_cart_email_activation_time = cart.date_order - timedelta(
            days=1
        )
        self.env["website"]._send_abandoned_cart_email()
        self.env["website"]._send_abandoned_cart_email()
        self.assertTrue(cart.cart_recovery_email_sent, "Handled, not retried")
        self.assertFalse(
            self.env["mail.mail"].search(
                [("model", "=", "sale.order"), ("res_id", "=", cart.id)]
            )
        )
        episode = self.BuyerEvent.search([("buyer_id", "=", buyer.id)])
        self.assertEqual(
            episode.mapped(lambda e: (e.automation, e.episode, e.held_out)),
            [("abandoned_cart", f"cart-{cart.id}", True)],
        )

    def test_back_in_stock_treated_and_control_recorded_once(self):
        self._measure("back_in_stock", 50)
        seller = self._create_validated_seller("Stock Holdout Seller")
        product = self._create_product(seller, "Raku bowl", 60, is_storable=True)
        website = self.env["website"].get_current_website()
        buyers = self.Partner.create(
            [{"name": f"Wisher {n}", "email": f"w{n}@example.com"} for n in range(16)]
        )
        Wishlist = self.env["product.wishlist"]
        Wishlist.create(
            [
                {"partner_id": b.id, "product_id": product.id, "website_id": website.id}
                for b in buyers
            ]
        )

        product.product_tmpl_id._marketplace_set_quantity(5)
        product.product_tmpl_id._marketplace_set_quantity(0)
        self.env.flush_all()
        product.stock_notification_partner_ids |= buyers  # sold out: subscribed
        product.product_tmpl_id._marketplace_set_quantity(5)
        Product = self.env["product.product"]
        with freeze_time("2026-07-01 10:00:00"):
            Product._send_availability_email()
            product.stock_notification_partner_ids |= buyers
            Product._send_availability_email()
        episodes = self.BuyerEvent.search([("buyer_id", "in", buyers.ids)])
        self.assertEqual(len(episodes), 16, "One episode per buyer, two runs")
        self.assertEqual(
            set(episodes.mapped("episode")),
            {f"product-{product.id}-restock-2026-07-01"},
        )
        control = episodes.filtered("held_out").buyer_id
        self.assertTrue(control and control != buyers, "Both groups drawn")
        for buyer in buyers:
            alerts = self.env["mail.mail"].search(
                [
                    ("email_to", "ilike", buyer.email),
                    ("subject", "ilike", "now available"),
                ]
            )
            self.assertEqual(len(alerts), 0 if buyer in control else 2)

    def test_episode_treated_before_measuring_stays_treated(self):
        seller = self._create_seller("Early Bird", email="early@example.com")
        self.Event._claim(seller, "profile_reminder", "registration")
        self._measure("profile_reminder", 100)
        self.assertFalse(
            self.Holdout._hold_out("profile_reminder", seller, "registration")
        )
        self.assertFalse(self._held_out(seller, "profile_reminder"))
        self.assertTrue(
            self.Holdout._hold_out("profile_reminder", seller, "another-episode")
        )
