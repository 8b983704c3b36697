from datetime import timedelta

from freezegun import freeze_time

from odoo import fields
from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import MarketplaceCase, cron_batches_without_commit

REPORTS = (
    "marketplace.sales.report",
    "marketplace.buyer.conversion.report",
    "marketplace.ticket.report",
    "marketplace.seller.performance.report",
    "marketplace.seller.outcome.report",
)


@tagged("post_install", "-at_install")
class TestMultiCompany(MarketplaceCase):
    """Two companies with different currencies, one seller selling in both:
    each company sees its own sales, disputes, contracts and report rows."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_a = cls.env.company
        other = (
            cls.env.ref("base.EUR")
            if cls.company_a.currency_id != cls.env.ref("base.EUR")
            else cls.env.ref("base.USD")
        )
        other.active = True
        cls.company_b = cls.env["res.company"].create(
            {"name": "Marketplace B", "currency_id": other.id}
        )
        cls.pricelist_b = cls.env["product.pricelist"].create(
            {
                "name": "Prices B",
                "currency_id": other.id,
                "company_id": cls.company_b.id,
            }
        )
        cls.user_a = cls.env["res.users"].create(
            {
                "name": "Staff of A",
                "login": "mp_staff_company_a",
                "company_id": cls.company_a.id,
                "company_ids": [(6, 0, cls.company_a.ids)],
                "group_ids": [
                    (6, 0, cls.env.ref("marketplace_crm.group_marketplace_user").ids)
                ],
            }
        )
        # A seller shared by both companies, and the buyers of each.
        cls.seller = cls._create_validated_seller("Two Companies Atelier")
        cls.bowl = cls._create_product(cls.seller, "Shared bowl", 100)
        cls.buyer_a = cls.Partner.create({"name": "Buyer of A"})
        cls.buyer_b = cls.Partner.create(
            {"name": "Buyer of B", "company_id": cls.company_b.id}
        )

    def _order_a(self, price=100.0):
        return self._create_order(self.buyer_a, [(self.bowl, 1, price)])

    def _order_b(self, price=300.0, buyer=None):
        order = (
            self.env["sale.order"]
            .with_company(self.company_b)
            .create(
                {
                    "partner_id": (buyer or self.buyer_b).id,
                    "company_id": self.company_b.id,
                    "pricelist_id": self.pricelist_b.id,
                    "order_line": [
                        (
                            0,
                            0,
                            {
                                "product_id": self.bowl.id,
                                "product_uom_qty": 1,
                                "price_unit": price,
                            },
                        )
                    ],
                }
            )
        )
        order.action_confirm()
        return order

    # ------------------------------------------------------------ figures
    def test_figures_count_the_figures_company_alone(self):
        with freeze_time("2026-03-10 10:00:00"):
            self._order_a(100.0)
            self._order_b(300.0)
            self._order_b(50.0)
            seller = self.seller
            # A shared seller is counted in the main company, in its currency.
            self.assertEqual(seller.marketplace_company_id, self.company_a)
            self.assertEqual(seller.marketplace_currency_id, self.company_a.currency_id)
            self.assertEqual(seller.seller_sale_count_month, 1)
            self.assertEqual(seller.seller_sale_amount_month, 100.0)
            self.assertEqual(seller.seller_sale_count_30d, 1)
            self.assertEqual(seller.seller_sale_amount_30d, 100.0)
            # The daily job gives the same figures.
            seller._refresh_marketplace_figures()
            self.assertEqual(seller.seller_sale_amount_30d, 100.0)
            # The staff of A, working in A, see the same.
            as_a = seller.with_user(self.user_a)
            self.assertEqual(as_a.seller_sale_amount_month, 100.0)
            self.assertEqual(as_a.marketplace_currency_id, self.company_a.currency_id)

            # Moved to company B, the seller is counted in B, in B's currency.
            seller.company_id = self.company_b
            self.assertEqual(seller.marketplace_company_id, self.company_b)
            self.assertEqual(seller.marketplace_currency_id, self.company_b.currency_id)
            self.assertEqual(seller.seller_sale_count_month, 2)
            self.assertEqual(seller.seller_sale_amount_month, 350.0)
            seller._refresh_marketplace_figures()
            self.assertEqual(seller.seller_sale_amount_month, 350.0)

    def test_segment_follows_the_figures_company(self):
        """Sales in B do not make a seller counted in A a high performer."""
        self.env["ir.config_parameter"].set_param(
            "marketplace_crm.high_performer_amount", "1000"
        )
        self.env["ir.config_parameter"].set_param(
            "marketplace_crm.high_performer_count", "0"
        )
        with freeze_time("2026-03-10 10:00:00"):
            self._order_a(100.0)
            self._order_b(5000.0)
            self.seller._refresh_marketplace_figures()
            self.assertEqual(self.seller.seller_segment, "active")
            self._order_a(1000.0)
            self.assertEqual(self.seller.seller_segment, "high_performer")

    def test_monthly_review_counts_the_figures_company(self):
        with freeze_time("2026-02-10 10:00:00"):
            self._order_a(100.0)
            self._order_b(300.0)
        Review = self.env["marketplace.seller.review"]
        (vals,) = Review._review_values(self.seller, fields.Date.to_date("2026-02-01"))
        self.assertEqual((vals["sales_amount"], vals["sales_count"]), (100.0, 1))
        self.assertEqual(vals["company_id"], self.company_a.id)

    # ------------------------------------------------------------ isolation
    def _records_of_b(self):
        """One of each marketplace record in company B."""
        with freeze_time(fields.Datetime.now() - timedelta(days=1)):
            order_b = self._order_b(300.0)
        dispute = self.env["marketplace.dispute"].create(
            {
                "buyer_id": self.buyer_b.id,
                "seller_id": self.seller.id,
                "order_id": order_b.id,
                "dispute_type": "damaged",
                "amount": 300,
            }
        )
        carrier = self.Partner.create(
            {
                "name": "Carrier of B",
                "is_logistics_partner": True,
                "company_id": self.company_b.id,
            }
        )
        contract = (
            self.env["marketplace.partner.contract"]
            .with_company(self.company_b)
            .create(
                {
                    "name": "Delivery in B",
                    "partner_id": carrier.id,
                    "date_end": fields.Date.today() + timedelta(days=100),
                }
            )
        )
        team_b = self.env["helpdesk.ticket.team"].create(
            {"name": "Support B", "company_id": self.company_b.id}
        )
        ticket = self.env["helpdesk.ticket"].create(
            {
                "name": "Parcel lost in B",
                "description": "x",
                "team_id": team_b.id,
                "company_id": self.company_b.id,
            }
        )
        self.env["marketplace.seller.event"]._claim(
            self.seller, "inactivity_followup", "mc-b"
        )
        with cron_batches_without_commit(self.env):
            self.env["marketplace.report.snapshot"]._cron_refresh_snapshots()
        self.env.flush_all()
        return order_b, dispute, contract, ticket

    def test_users_of_a_see_nothing_of_b(self):
        order_a = self._order_a(100.0)
        order_b, dispute, contract, ticket = self._records_of_b()
        self.assertEqual(dispute.company_id, self.company_b, "The order's company")
        self.assertEqual(contract.company_id, self.company_b)
        self.assertFalse(contract.team_id, "The incident team serves company A")

        env_a = self.env(user=self.user_a)
        Part = env_a["marketplace.order.seller"]
        self.assertEqual(
            Part.search([("seller_id", "=", self.seller.id)]).order_id, order_a
        )
        self.assertFalse(Part.search([("order_id", "=", order_b.id)]))
        self.assertFalse(env_a["marketplace.dispute"].search([("id", "=", dispute.id)]))
        self.assertFalse(
            env_a["marketplace.partner.contract"].search([("id", "=", contract.id)])
        )
        self.assertFalse(env_a["helpdesk.ticket"].search([("id", "=", ticket.id)]))

        # Every report: company B has rows, none of them reach A's users.
        for model in REPORTS:
            with self.subTest(report=model):
                domain = [("company_id", "=", self.company_b.id)]
                self.assertTrue(self.env[model].search_count(domain), "B has rows")
                self.assertFalse(env_a[model].search_count(domain))
                self.assertFalse(
                    env_a[model]
                    .search([])
                    .filtered(lambda row: row.company_id == self.company_b)
                )
        # ... while A's rows are there for them.
        self.assertTrue(
            env_a["marketplace.sales.report"].search_count(
                [("order_id", "=", order_a.id)]
            )
        )
        performance = env_a["marketplace.seller.performance.report"].search(
            [("seller_id", "=", self.seller.id)]
        )
        self.assertEqual(performance.company_id, self.company_a)
        self.assertEqual(performance.amount, 100.0)

    # ------------------------------------------------------------ check_company
    def test_links_across_companies_are_refused(self):
        order_b = self._order_b(300.0)
        with self.assertRaises(UserError):
            self.env["marketplace.dispute"].create(
                {
                    "buyer_id": self.buyer_a.id,
                    "seller_id": self.seller.id,
                    "order_id": order_b.id,
                    "company_id": self.company_a.id,
                }
            )
        with self.assertRaises(UserError):
            self.env["marketplace.dispute"].create(
                {
                    "buyer_id": self.buyer_b.id,
                    "seller_id": self.seller.id,
                    "company_id": self.company_a.id,
                }
            )
        dispute_a = self.env["marketplace.dispute"].create(
            {"buyer_id": self.buyer_a.id, "seller_id": self.seller.id}
        )
        self.assertEqual(dispute_a.company_id, self.company_a)
        with self.assertRaises(UserError):
            dispute_a.write({"order_id": order_b.id, "company_id": self.company_a.id})
        carrier_b = self.Partner.create(
            {
                "name": "Carrier of B",
                "is_logistics_partner": True,
                "company_id": self.company_b.id,
            }
        )
        Contract = self.env["marketplace.partner.contract"]
        with self.assertRaises(UserError):
            Contract.create(
                {
                    "name": "Cross-company",
                    "partner_id": carrier_b.id,
                    "company_id": self.company_a.id,
                    "date_end": fields.Date.today() + timedelta(days=10),
                }
            )
        contract_a = Contract.create(
            {
                "name": "Delivery in A",
                "partner_id": self.Partner.create(
                    {"name": "Carrier of A", "is_logistics_partner": True}
                ).id,
                "date_end": fields.Date.today() + timedelta(days=10),
            }
        )
        team_b = self.env["helpdesk.ticket.team"].create(
            {"name": "Support B", "company_id": self.company_b.id}
        )
        with self.assertRaises(UserError):
            contract_a.team_id = team_b
        with self.assertRaises(UserError):
            self.env["helpdesk.ticket"].create(
                {
                    "name": "Cross-company",
                    "description": "x",
                    "team_id": team_b.id,
                    "company_id": self.company_b.id,
                    "marketplace_contract_id": contract_a.id,
                }
            )
