from datetime import date, datetime, time, timedelta

from odoo.tests import tagged
from odoo.tools import SQL, is_html_empty

from ..models.marketplace_promised_date import add_working_days, promised_day_sql
from .quality_common import QualityCase

MONDAY = date(2026, 11, 2)


@tagged("post_install", "-at_install")
class TestPromisedDate(QualityCase):
    """Lateness is measured against the day the seller promised to ship:
    the order's delivery date, else the handling time of the products or
    the seller in working days, else the default of Settings."""

    def _order_on(self, day, hour=10, **vals):
        order = self._create_order(self.buyer, [(self.product, 1, 50.0)])
        order.write({"date_order": datetime.combine(day, time(hour)), **vals})
        return order

    def _part(self, order):
        return order.marketplace_order_seller_ids.filtered(
            lambda p: p.seller_id == self.seller
        )

    def _sql_promised(self, orders):
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """SELECT so.id, %s FROM sale_order so
                     JOIN res_partner sp ON sp.id = %s
                    WHERE so.id = ANY(%s)""",
                promised_day_sql("so", "sp", 2),
                self.seller.id,
                [o.id for o in orders],
            )
        )
        return dict(self.env.cr.fetchall())

    def test_working_days_counted_by_hand(self):
        # Mon+2 = Wed, Thu+2 = Mon, Fri+2 = Tue, Sat and Sun count from Friday.
        expected = {0: 2, 3: 4, 4: 4, 5: 3, 6: 2}
        for offset, days_later in expected.items():
            day = MONDAY + timedelta(days=offset)
            self.assertEqual(
                add_working_days(day, 2), day + timedelta(days=days_later), day
            )
        self.assertEqual(add_working_days(MONDAY, 5), MONDAY + timedelta(days=7))
        self.assertEqual(add_working_days(MONDAY, 0), MONDAY)

    def test_python_and_sql_agree_on_every_weekday_and_source(self):
        orders = [self._order_on(MONDAY + timedelta(days=d)) for d in range(7)]
        orders.append(
            self._order_on(MONDAY, commitment_date=datetime(2026, 11, 20, 9, 0))
        )
        for handling, delay in ((0, 0), (0, 4), (6, 1), (1, 0)):
            self.seller.seller_handling_time = handling
            self.template.sale_delay = delay
            for order in orders:
                self._part(order).invalidate_recordset(["promised_date"])
            sql = self._sql_promised(orders)
            for order in orders:
                self.assertEqual(
                    self._part(order).promised_date,
                    sql[order.id],
                    f"handling {handling}, lead time {delay}, {order.date_order}",
                )
        self.assertEqual(self._part(orders[-1]).promised_date, date(2026, 11, 20))

    def test_next_morning_shipper_is_never_late(self):
        """A seller who ships the morning after each order, with no promised
        date and products without a lead time (Odoo's defaults), ships on
        time; one who ships after the default handling time is late."""
        self.assertFalse(self.template.sale_delay)
        for order in self.orders:
            picking = self._ship(order, late=False)
            self.env.cr.execute(
                "UPDATE stock_picking SET date_done = %s WHERE id = %s",
                [order.date_order + timedelta(days=1), picking.id],
            )
        self.env.invalidate_all()
        self.seller._refresh_seller_quality()
        self.assertEqual(self.seller.quality_late_rate, 0.0)
        self.assertEqual(self.seller._quality_metrics_orm()["quality_late_rate"], 0.0)
        last = self.orders[-1]
        self._part(last).invalidate_recordset(["promised_date"])
        promised = self._part(last).promised_date
        self.env.cr.execute(
            "UPDATE stock_picking SET date_done = %s WHERE sale_id = %s",
            [datetime.combine(promised + timedelta(days=1), time(8)), last.id],
        )
        self.env.invalidate_all()
        self.seller._refresh_seller_quality()
        self.assertEqual(self.seller.quality_late_rate, 25.0)

    def test_buyer_and_seller_see_the_promised_date(self):
        order = self._order_on(MONDAY)
        part = self._part(order)
        self.assertEqual(part.promised_date, MONDAY + timedelta(days=2))
        html = self.env["ir.qweb"]._render(
            "sale.sale_order_portal_content",
            {
                "sale_order": order,
                "report_type": "html",
                "is_html_empty": is_html_empty,
            },
        )
        self.assertIn("Quality Atelier", str(html))
        self.assertRegex(str(html), r"ships by\s*<span[^>]*>11/04/2026</span>")
