from freezegun import freeze_time

from odoo import http
from odoo.tests import HttpCase, tagged

from .common import MarketplaceCase, cron_batches_without_commit


@tagged("post_install", "-at_install")
class TestSellerRating(MarketplaceCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.seller = cls._create_validated_seller("Rated Seller", user_id=cls.staff.id)
        cls.other = cls._create_validated_seller("Second Seller")
        cls.bowl = cls._create_product(cls.seller, "Bowl", 20)
        cls.cup = cls._create_product(cls.other, "Cup", 10)
        cls.buyer = cls.Partner.create(
            {"name": "Rating Buyer", "email": "rb@example.com"}
        )
        params = cls.env["ir.config_parameter"].sudo()
        params.set_param("marketplace_crm.low_rating_threshold", 3.0)
        params.set_param("marketplace_crm.low_rating_min_count", 2)

    def _rate(self, seller, score):
        order = self._create_order(self.buyer, [(self.bowl, 1, 20.0)])
        part = order.marketplace_order_seller_ids.filtered(
            lambda p: p.seller_id == seller
        )
        part.rating_apply(score)
        return part

    def test_one_part_per_order_and_seller(self):
        order = self._create_order(
            self.buyer, [(self.bowl, 1, 20.0), (self.cup, 2, 10.0)]
        )
        parts = order.marketplace_order_seller_ids
        self.assertEqual(parts.seller_id, self.seller | self.other)
        self.assertEqual(parts.partner_id, self.buyer)
        # Confirming again (e.g. after a relock) creates no duplicate.
        self.env["marketplace.order.seller"]._create_for_orders(order)
        self.assertEqual(len(order.marketplace_order_seller_ids), 2)

    def test_average_and_count(self):
        self._rate(self.seller, 5)
        self._rate(self.seller, 3)
        self.assertEqual(self.seller.seller_rating_count, 2)
        self.assertAlmostEqual(self.seller.seller_rating_avg, 4.0)
        self.assertEqual(self.other.seller_rating_count, 0)

    def test_low_rating_alert_once_per_crossing(self):
        activities = self.env["mail.activity"]
        self._rate(self.seller, 1)
        self.assertFalse(self.seller.seller_low_rating_alert, "Below the minimum count")
        self._rate(self.seller, 1)
        self.assertTrue(self.seller.seller_low_rating_alert)
        alerts = activities.search(
            [
                ("res_id", "=", self.seller.id),
                ("res_model", "=", "res.partner"),
                ("summary", "ilike", "rating"),
            ]
        )
        self.assertEqual(len(alerts), 1)
        self.assertEqual(alerts.user_id, self.staff, "The account manager is alerted")
        # Still low: no second alert.
        self._rate(self.seller, 1)
        self.seller._refresh_seller_rating()
        alerts = activities.search(
            [
                ("res_id", "=", self.seller.id),
                ("res_model", "=", "res.partner"),
                ("summary", "ilike", "rating"),
            ]
        )
        self.assertEqual(len(alerts), 1)
        # Back above the threshold re-arms the alert; falling again alerts again.
        for __ in range(6):
            self._rate(self.seller, 5)
        self.assertFalse(self.seller.seller_low_rating_alert)
        for __ in range(10):
            self._rate(self.seller, 1)
        self.assertTrue(self.seller.seller_low_rating_alert)
        alerts = activities.search(
            [
                ("res_id", "=", self.seller.id),
                ("res_model", "=", "res.partner"),
                ("summary", "ilike", "rating"),
            ]
        )
        self.assertEqual(len(alerts), 2)

    def test_rating_request_sent_once_after_delay(self):
        self.env["ir.config_parameter"].sudo().set_param(
            "marketplace_crm.rating_request_delay_days", 3
        )
        with freeze_time("2026-03-01 10:00:00"):
            order = self._create_order(
                self.buyer, [(self.bowl, 1, 20.0), (self.cup, 1, 10.0)]
            )
        parts = order.marketplace_order_seller_ids
        Part = self.env["marketplace.order.seller"]
        with freeze_time("2026-03-02 10:00:00"), cron_batches_without_commit(self.env):
            Part._cron_send_rating_requests()
            self.assertFalse(any(parts.mapped("rating_request_sent")), "Too early")
        with freeze_time("2026-03-05 10:00:00"), cron_batches_without_commit(self.env):
            Part._cron_send_rating_requests()
            Part._cron_send_rating_requests()
        self.assertTrue(all(parts.mapped("rating_request_sent")))
        for part in parts:
            mails = self.env["mail.message"].search(
                [
                    ("model", "=", part._name),
                    ("res_id", "=", part.id),
                    ("subject", "ilike", "How was your purchase"),
                ]
            )
            self.assertEqual(
                len(mails), 1, "One request per order and seller, even run twice"
            )
            self.assertIn("/rate/", mails.body)


@tagged("post_install", "-at_install")
class TestPortalRating(HttpCase):
    def test_buyer_rates_seller_from_portal_order_page(self):
        seller = self.env.ref("marketplace_crm.seller_atelier_lin")
        product = self.env.ref("marketplace_crm.product_lin_towel")
        buyer_user = self.env["res.users"].create(
            {
                "name": "Portal Buyer",
                "login": "portal_rating_buyer",
                "password": "portal_rating_buyer",
                "email": "prb@example.com",
                "group_ids": [(6, 0, [self.env.ref("base.group_portal").id])],
            }
        )
        other_user = self.env["res.users"].create(
            {
                "name": "Other Portal",
                "login": "portal_rating_other",
                "password": "portal_rating_other",
                "group_ids": [(6, 0, [self.env.ref("base.group_portal").id])],
            }
        )
        order = self.env["sale.order"].create(
            {
                "partner_id": buyer_user.partner_id.id,
                "order_line": [
                    (0, 0, {"product_id": product.id, "product_uom_qty": 1})
                ],
            }
        )
        order.action_confirm()
        part = order.marketplace_order_seller_ids
        self.assertEqual(part.seller_id, seller)

        # Another portal user cannot see the order, nor its rating links.
        self.authenticate("portal_rating_other", "portal_rating_other")
        page = self.url_open(f"/my/orders/{order.id}")
        self.assertNotIn("Rate your sellers", page.text)
        self.assertFalse(
            self.env["marketplace.order.seller"]
            .with_user(other_user)
            .search([("id", "=", part.id)])
        )

        self.authenticate("portal_rating_buyer", "portal_rating_buyer")
        page = self.url_open(f"/my/orders/{order.id}")
        self.assertEqual(page.status_code, 200)
        self.assertIn("Rate your sellers", page.text)
        self.assertIn(seller.shop_name, page.text)
        token = part.rating_ids.filtered(lambda r: not r.consumed)[:1].access_token
        self.assertTrue(token)
        self.assertIn(f"/rate/{token}/5", page.text)
        before = seller.seller_rating_count
        response = self.url_open(
            f"/rate/{token}/submit_feedback",
            data={"rate": 5, "csrf_token": http.Request.csrf_token(self)},
        )
        self.assertEqual(response.status_code, 200)
        seller.invalidate_recordset()
        self.assertEqual(seller.seller_rating_count, before + 1)
        page = self.url_open(f"/my/orders/{order.id}")
        self.assertIn("you rated this seller", page.text)
