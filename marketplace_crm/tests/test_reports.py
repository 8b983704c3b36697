from datetime import date

from freezegun import freeze_time

from odoo.tests import tagged

from .common import MarketplaceCase, cron_batches_without_commit


@tagged("post_install", "-at_install")
class TestReports(MarketplaceCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.cat_a = cls.env["product.category"].create({"name": "Report Ceramics"})
        cls.cat_b = cls.env["product.category"].create({"name": "Report Textiles"})
        cls.seller = cls._create_validated_seller("Report Seller")
        cls.bowl = cls._create_product(cls.seller, "R bowl", 10, categ_id=cls.cat_a.id)
        cls.towel = cls._create_product(
            cls.seller, "R towel", 10, categ_id=cls.cat_b.id
        )
        cls.buyer = cls.Partner.create({"name": "Report Buyer"})
        with freeze_time("2026-01-15 10:00:00"):
            cls._create_order(cls.buyer, [(cls.bowl, 2, 10.0), (cls.towel, 1, 30.0)])
        with freeze_time("2026-02-10 10:00:00"):
            cls._create_order(cls.buyer, [(cls.bowl, 1, 50.0)])
            cls._create_order(cls.buyer, [(cls.towel, 1, 5.0)], confirm=False)

    def test_monthly_revenue_by_category(self):
        Report = self.env["marketplace.sales.report"]
        domain = [("categ_id", "in", (self.cat_a | self.cat_b).ids)]
        self.assertFalse(Report.search_count(domain), "Not in the snapshot yet")
        with cron_batches_without_commit(self.env):
            self.env["marketplace.report.snapshot"]._cron_refresh_snapshots()
        groups = Report._read_group(
            domain,
            ["date:month", "categ_id"],
            ["amount:sum"],
        )
        got = {(d, c.name): amount for d, c, amount in groups}
        self.assertEqual(
            got,
            {
                (date(2026, 1, 1), "Report Ceramics"): 20.0,
                (date(2026, 1, 1), "Report Textiles"): 30.0,
                (date(2026, 2, 1), "Report Ceramics"): 50.0,
            },
        )

    def test_seller_performance(self):
        self.env["marketplace.dispute"].create(
            {
                "buyer_id": self.buyer.id,
                "seller_id": self.seller.id,
                "dispute_type": "other",
            }
        )
        self.env["marketplace.seller.performance.report"].action_refresh_snapshot()
        rows = self.env["marketplace.seller.performance.report"].search(
            [("seller_id", "=", self.seller.id)], order="month"
        )
        by_month = {r.month: r for r in rows}
        self.assertEqual(by_month[date(2026, 1, 1)].amount, 50.0)
        self.assertEqual(by_month[date(2026, 1, 1)].order_count, 1)
        self.assertEqual(by_month[date(2026, 2, 1)].amount, 50.0)
        self.assertEqual(sum(rows.mapped("dispute_count")), 1)

    def test_buyer_conversion(self):
        prospect = self.Partner.create({"name": "Never Bought", "is_buyer": True})
        rows = self.env["marketplace.buyer.conversion.report"].search(
            [("partner_id", "in", (prospect | self.buyer).ids)]
        )
        self.assertEqual(len(rows), 2)
        self.assertEqual(sorted(rows.mapped("converted_rate")), [0.0, 100.0])
        [(rate,)] = self.env["marketplace.buyer.conversion.report"]._read_group(
            [("partner_id", "in", (prospect | self.buyer).ids)],
            [],
            ["converted_rate:avg"],
        )
        self.assertEqual(rate, 50.0)

    def test_ticket_resolution_time(self):
        team = self.env["helpdesk.ticket.team"].create(
            {"name": "Report Team", "assignment_method": "manual"}
        )
        team.resource_calendar_id.tz = "UTC"
        ticket = self.env["helpdesk.ticket"].create(
            {"name": "Broken parcel", "description": "x", "team_id": team.id}
        )
        # create_date comes from the database clock: opened on a Monday 8:00.
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE helpdesk_ticket SET create_date = %s WHERE id = %s",
            ("2026-03-02 08:00:00", ticket.id),
        )
        self.env.invalidate_all()
        open_row = self.env["marketplace.ticket.report"].search(
            [("ticket_id", "=", ticket.id)]
        )
        self.assertFalse(open_row.is_closed)
        self.assertFalse(open_row.resolution_hours, "An open ticket has no time yet")
        with freeze_time("2026-03-03 14:00:00"):
            ticket.stage_id = self.env.ref("helpdesk_mgmt.helpdesk_ticket_stage_done")
            self.env.flush_all()
        self.env.invalidate_all()
        row = self.env["marketplace.ticket.report"].search(
            [("ticket_id", "=", ticket.id)]
        )
        self.assertTrue(row.is_closed)
        self.assertAlmostEqual(row.resolution_hours, 30.0)
        # The company calendar (Mon-Fri 8-12, 13-17, UTC here): Monday
        # 8:00-17:00 is 8 working hours, Tuesday 8:00-14:00 is 5.
        self.assertAlmostEqual(row.resolution_working_hours, 13.0)

    def test_dashboard_pivots_use_report_fields(self):
        import base64
        import json

        dashboard = self.env.ref("marketplace_crm.spreadsheet_dashboard_marketplace")
        data = json.loads(base64.b64decode(dashboard.spreadsheet_binary_data))
        # Scorecards and tables: one pivot per figure, on the reports.
        self.assertEqual(len(data["pivots"]), 7)
        for pivot in data["pivots"].values():
            model = self.env[pivot["model"]]
            for dim in pivot["rows"] + pivot["columns"]:
                self.assertIn(dim["fieldName"], model._fields)
            for measure in pivot["measures"]:
                if measure["fieldName"] != "__count":
                    self.assertIn(measure["fieldName"], model._fields)
        # The uplift block: one list on the uplift report, every column a
        # field of it, restricted to the all-months rows.
        self.assertEqual(len(data["lists"]), 1)
        uplift = data["lists"]["1"]
        model = self.env[uplift["model"]]
        self.assertEqual(model._name, "marketplace.uplift.report")
        for column in uplift["columns"]:
            self.assertIn(column, model._fields)
        self.assertIn(["is_total", "=", True], uplift["domain"])
        rows = model.search(uplift["domain"])
        self.assertLessEqual(
            len(rows), 6, "the dashboard shows six rows of the uplift list"
        )
