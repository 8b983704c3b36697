import re
from datetime import datetime

from dateutil.relativedelta import relativedelta

from odoo import fields
from odoo.tests import HttpCase, tagged

from .common import register_seller


@tagged("post_install", "-at_install")
class TestSellerPerformancePage(HttpCase):
    """ "My shop" shows the seller's own performance as server-drawn charts,
    and nothing of another seller's."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Partner = cls.env["res.partner"]
        cls.seller_a = register_seller(
            cls.env,
            {"name": "Ada", "email": "ada@example.com", "shop_name": "Ada Pottery"},
        )
        cls.seller_b = register_seller(
            cls.env,
            {"name": "Bea", "email": "bea@example.com", "shop_name": "Bea Looms"},
        )
        for seller, login in ((cls.seller_a, "ada"), (cls.seller_b, "bea")):
            seller.user_ids.write({"login": login, "password": f"{login}-pass"})
        Product = cls.env["product.product"]
        cls.product_a = Product.create(
            {
                "name": "Ada bowl",
                "marketplace_seller_id": cls.seller_a.id,
                "list_price": 10,
            }
        )
        cls.product_b = Product.create(
            {
                "name": "Bea rug",
                "marketplace_seller_id": cls.seller_b.id,
                "list_price": 10,
            }
        )
        cls.buyer = Partner.create({"name": "Chart Buyer"})
        today = fields.Date.today()
        # Ada sells 123 two months ago and 456 this month; Bea 98765 last month.
        cls.order_a1 = cls._sell(cls.product_a, 123.0, today - relativedelta(months=2))
        cls._sell(cls.product_a, 456.0, today)
        cls._sell(cls.product_b, 98765.0, today - relativedelta(months=1))
        cls.env["marketplace.dispute"].create(
            {
                "buyer_id": cls.buyer.id,
                "seller_id": cls.seller_a.id,
                "order_id": cls.order_a1.id,
            }
        )
        Review = cls.env["marketplace.seller.review"]
        month = (today - relativedelta(months=1)).replace(day=1)
        Review.create(
            {
                "seller_id": cls.seller_a.id,
                "month": month,
                "declined": True,
                "recommendations": "Better photos: Ada, add daylight photos.",
            }
        )
        Review.create(
            {
                "seller_id": cls.seller_b.id,
                "month": month,
                "declined": True,
                "recommendations": "Price adjustment: Bea's secret advice.",
            }
        )

    @classmethod
    def _sell(cls, product, price, day):
        order = cls.env["sale.order"].create(
            {
                "partner_id": cls.buyer.id,
                "order_line": [(0, 0, {"product_id": product.id, "price_unit": price})],
            }
        )
        order.action_confirm()
        order.date_order = datetime.combine(day, datetime.min.time()).replace(hour=10)
        return order

    def test_my_shop_shows_own_charts_only(self):
        self.authenticate("ada", "ada-pass")
        page = self.url_open("/my/seller").text
        start = page.index('id="seller_performance"')
        section = page[start : page.index("</section>", start)]
        bars = re.findall(
            r'<rect class="o_mp_sales_bar"[^>]*height="([0-9.]+)"', section
        )
        self.assertEqual(len(bars), 12, "One bar per month of the last 12")
        heights = [float(h) for h in bars]
        self.assertEqual(heights[-1], max(heights), "This month is the best")
        self.assertGreater(heights[-3], 0)
        self.assertEqual(heights[-2], 0.0, "Bea's sale is not Ada's")
        self.assertIn("456.00", section)
        self.assertNotIn("98,765", section)
        self.assertNotIn("98765", section)
        self.assertIn("Rating over the last 12 months", section)
        self.assertIn("No rating in the last 12 months yet.", section)
        # One dispute for two sales: 50 per 100 sales.
        own = re.search(
            r'id="seller_dispute_rate">.*?o_mp_own">([0-9.]+)<', section, re.DOTALL
        )
        self.assertEqual(own.group(1), "50.0")
        self.assertIn("Better photos: Ada, add daylight photos.", section)
        self.assertNotIn("Bea", section)

    def test_held_out_review_advice_is_not_shown(self):
        month = (fields.Date.today() - relativedelta(months=1)).replace(day=1)
        self.env["marketplace.seller.event"]._claim_held_out(
            self.seller_a, "monthly_review", month.isoformat()
        )
        self.authenticate("ada", "ada-pass")
        page = self.url_open("/my/seller").text
        self.assertIn('id="seller_performance"', page)
        self.assertNotIn("Better photos: Ada", page)
        self.assertNotIn('id="seller_review_advice"', page)

    def test_labels_are_escaped(self):
        svg = self.seller_a.with_context(lang="en_US")._marketplace_sales_svg(
            self.seller_a._marketplace_performance_months(), {}
        )
        self.assertEqual(str(svg).count("<rect"), 12)
        self.assertNotIn("<script", str(svg))
        title = self.seller_a.with_context(lang="en_US")._marketplace_rating_svg(
            self.seller_a._marketplace_performance_months(), {}
        )
        self.assertIn("<title>Rating over the last 12 months</title>", str(title))

    def test_performance_in_the_browser(self):
        self.start_tour("/my/seller", "marketplace_seller_performance", login="ada")
