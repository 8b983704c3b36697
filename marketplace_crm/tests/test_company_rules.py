"""Every marketplace model and report, with records in two companies: each
user reads the rows of the companies they work in, never the other's.

The models are enumerated from the registry (every model of the addon whose
name starts with ``marketplace.``), so that a model added later without a
company and its rule, or without a record factory here, fails this suite.
"""

from datetime import timedelta

from freezegun import freeze_time

from odoo import fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import HttpCase, tagged

from ..models.marketplace_quality_params import metric_levels
from .common import MarketplaceCase, cron_batches_without_commit

# Models of the addon that hold no company's data, each with its reason. A
# model is only listed here when it cannot belong to a company.
TECHNICAL_MODELS = {
    "marketplace.job.cursor": "the scheduled jobs' progress marks (job name and "
    "last id), read by the system group alone; no business data",
    "marketplace.webhook.event": "the catalogue of event codes a webhook may "
    "subscribe to, shipped as data and the same for every company",
}

# Models whose records may have no company: shared by every company, and read
# by every company's users (besides each company's own).
SHARED_MODELS = {
    # A seller shared by all companies shares their documents.
    "marketplace.seller.document",
    # A buyer shared by all companies is counted once, without a company.
    "marketplace.buyer.conversion.report",
    # A document type without a company is asked of every seller.
    "marketplace.document.type",
}

PASSWORD = "Company-Rules-2026!"


def addon_models(env):
    """The marketplace models and reports of the addon, without transient and
    abstract models."""
    model_ids = (
        env["ir.model.data"]
        .search([("module", "=", "marketplace_crm"), ("model", "=", "ir.model")])
        .mapped("res_id")
    )
    names = env["ir.model"].browse(model_ids).mapped("model")
    return sorted(
        name
        for name in names
        if name.startswith("marketplace.")
        and name in env
        and not env[name]._transient
        and not env[name]._abstract
    )


class CompanyRecordsMixin:
    """Two companies, their staff, and one set of every marketplace record in
    each, made by the factories below."""

    @classmethod
    def _setup_companies(cls):
        cls.company_a = cls.env.company
        cls.company_b = cls.env["res.company"].create(
            {"name": "Marketplace B", "currency_id": cls.company_a.currency_id.id}
        )
        cls.companies = cls.company_a | cls.company_b
        user_group = cls.env.ref("marketplace_crm.group_marketplace_user")
        manager_group = cls.env.ref("marketplace_crm.group_marketplace_manager")

        def user(login, group, companies):
            return (
                cls.env["res.users"]
                .with_context(no_reset_password=True)
                .create(
                    {
                        "name": login.replace("_", " ").title(),
                        "login": login,
                        "password": PASSWORD,
                        "email": f"{login}@example.com",
                        "company_id": companies[0].id,
                        "company_ids": [(6, 0, companies.ids)],
                        "group_ids": [(6, 0, group.ids)],
                    }
                )
            )

        cls.agent_a = user("mc_agent_a", user_group, cls.company_a)
        cls.manager_a = user("mc_manager_a", manager_group, cls.company_a)
        cls.manager_ab = user("mc_manager_ab", manager_group, cls.companies)
        cls.agent_b = user("mc_agent_b", user_group, cls.company_b)
        cls.manager_b = user("mc_manager_b", manager_group, cls.company_b)
        # (user, companies selected): the manager allowed in both works in A.
        cls.readers = [
            (cls.agent_a, cls.company_a),
            (cls.manager_a, cls.company_a),
            (cls.manager_ab, cls.company_a),
            (cls.agent_b, cls.company_b),
            (cls.manager_b, cls.company_b),
        ]
        cls.env["ir.config_parameter"].set_param(
            "marketplace_crm.holdout_abandoned_cart", "1"
        )
        cls.data = {company: cls._company_data(company) for company in cls.companies}

    @classmethod
    def _company_data(cls, company):
        """A seller, a buyer, a confirmed order and a cart of ``company``."""
        tag = company.name[-1]
        env = cls.env(context=dict(cls.env.context, allowed_company_ids=company.ids))
        seller = cls._create_seller(f"Atelier {tag}", company_id=company.id)
        buyer = env["res.partner"].create(
            {"name": f"Buyer {tag}", "company_id": company.id, "email": "b@ex.com"}
        )
        product = env["product.product"].create(
            {
                "name": f"Bowl {tag}",
                "list_price": 40.0,
                "type": "consu",
                "marketplace_seller_id": seller.id,
                "company_id": company.id,
            }
        )
        pricelist = env["product.pricelist"].create(
            {
                "name": f"Prices {tag}",
                "currency_id": company.currency_id.id,
                "company_id": company.id,
            }
        )

        def order(confirm):
            so = env["sale.order"].create(
                {
                    "partner_id": buyer.id,
                    "company_id": company.id,
                    "pricelist_id": pricelist.id,
                    "order_line": [
                        (0, 0, {"product_id": product.id, "price_unit": 40.0})
                    ],
                }
            )
            if confirm:
                so.action_confirm()
            return so

        with cls._frozen_days_ago(3):
            sale = order(True)
        team = env["helpdesk.ticket.team"].create(
            {"name": f"Support {tag}", "company_id": company.id}
        )
        return {
            "env": env,
            "seller": seller,
            "buyer": buyer,
            "product": product,
            "order": sale,
            "cart": order(False),
            "team": team,
            "staff": cls.agent_a if company == cls.company_a else cls.agent_b,
        }

    @classmethod
    def _frozen_days_ago(cls, days):
        return freeze_time(fields.Datetime.now() - timedelta(days=days))

    # ------------------------------------------------------------ factories
    # One per model: the records of ``company``, made as the product makes
    # them (jobs' claims, the holdout, confirmation...) where it can.
    @classmethod
    def _make_order_seller(cls, company, data):
        return data["order"].marketplace_order_seller_ids

    @classmethod
    def _make_dispute(cls, company, data):
        return cls.env["marketplace.dispute"].create(
            {
                "buyer_id": data["buyer"].id,
                "seller_id": data["seller"].id,
                "order_id": data["order"].id,
                "dispute_type": "damaged",
                "amount": 10,
            }
        )

    @classmethod
    def _make_partner_contract(cls, company, data):
        carrier = cls.env["res.partner"].create(
            {
                "name": f"Carrier of {company.name}",
                "is_logistics_partner": True,
                "company_id": company.id,
            }
        )
        return (
            data["env"]["marketplace.partner.contract"]
            .with_company(company)
            .create(
                {
                    "name": f"Delivery of {company.name}",
                    "partner_id": carrier.id,
                    "date_end": fields.Date.today() + timedelta(days=100),
                }
            )
        )

    @classmethod
    def _make_seller_registration(cls, company, data):
        return cls.env["marketplace.seller.registration"].create(
            {
                "name": f"Applicant of {company.name}",
                "email": f"applicant{company.id}@example.com",
                "shop_name": "Future shop",
                "company_id": company.id,
            }
        )

    @classmethod
    def _make_seller_review(cls, company, data):
        Review = cls.env["marketplace.seller.review"]
        month = data["order"].date_order.date().replace(day=1)
        (vals,) = Review._review_values(data["seller"], month)
        return Review.create(vals)

    @classmethod
    def _make_seller_document(cls, company, data):
        return data["seller"].seller_document_ids

    @classmethod
    def _make_document_type(cls, company, data):
        return cls.env["marketplace.document.type"].create(
            {"name": f"Licence of {company.name}", "company_id": company.id}
        )

    @classmethod
    def _make_seller_event(cls, company, data):
        # Old enough for the uplift report to measure it.
        return cls.env["marketplace.seller.event"]._claim(
            data["seller"],
            "profile_reminder",
            "registration",
            date=fields.Datetime.now() - timedelta(days=40),
        )

    @classmethod
    def _make_buyer_event(cls, company, data):
        cart = data["cart"]
        cls.env["marketplace.holdout"]._hold_out(
            "abandoned_cart",
            data["buyer"],
            f"cart-{cart.id}",
            date=fields.Datetime.now() - timedelta(days=20),
            company=cart.company_id,
        )
        return cls.env["marketplace.buyer.event"].search(
            [("buyer_id", "=", data["buyer"].id)]
        )

    @classmethod
    def _make_quality_crossing(cls, company, data):
        return cls.env["marketplace.quality.crossing"]._open(
            data["seller"], "alert", {"dispute"}, metric_levels(cls.env)
        )

    @classmethod
    def _make_quality_appeal(cls, company, data):
        appeal = cls.env["marketplace.quality.appeal"].create(
            {"seller_id": data["seller"].id, "explanation": "My parcels were late."}
        )
        appeal._after_submission()
        return appeal

    @classmethod
    def _make_webhook(cls, company, data):
        return cls.env["marketplace.webhook"].create(
            {
                "name": f"Hook of {company.name}",
                "url": "https://example.com/hook",
                "event_ids": [
                    (6, 0, cls.env["marketplace.webhook.event"].search([]).ids)
                ],
                "company_id": company.id,
            }
        )

    @classmethod
    def _make_webhook_delivery(cls, company, data):
        webhook = cls.records["marketplace.webhook"][company]
        return cls.env["marketplace.webhook.delivery"].create(
            {"webhook_id": webhook.id, "event": "ping", "payload": "{}"}
        )

    @classmethod
    def _make_api_client(cls, company, data):
        return cls.env["marketplace.api.client"].create(
            {
                "name": f"Tool of {company.name}",
                "user_id": data["staff"].id,
                "company_id": company.id,
            }
        )

    @classmethod
    def _make_ticket(cls, company, data):
        """Not a marketplace model: the ticket report's source."""
        return cls.env["helpdesk.ticket"].create(
            {
                "name": f"Parcel lost in {company.name}",
                "description": "Lost.",
                "team_id": data["team"].id,
                "company_id": company.id,
            }
        )

    @classmethod
    def _report_rows(cls, company, data, model):
        """A report's rows of ``company``, computed from the records above."""
        return cls.env[model].search([("company_id", "=", company.id)])

    FACTORIES = {
        "marketplace.order.seller": "_make_order_seller",
        "marketplace.dispute": "_make_dispute",
        "marketplace.partner.contract": "_make_partner_contract",
        "marketplace.seller.registration": "_make_seller_registration",
        "marketplace.seller.review": "_make_seller_review",
        "marketplace.seller.document": "_make_seller_document",
        "marketplace.document.type": "_make_document_type",
        "marketplace.seller.event": "_make_seller_event",
        "marketplace.buyer.event": "_make_buyer_event",
        "marketplace.quality.crossing": "_make_quality_crossing",
        "marketplace.quality.appeal": "_make_quality_appeal",
        "marketplace.webhook": "_make_webhook",
        "marketplace.webhook.delivery": "_make_webhook_delivery",
        "marketplace.api.client": "_make_api_client",
        # Reports: their rows come from the records made above.
        "marketplace.sales.report": "_report_rows",
        "marketplace.seller.performance.report": "_report_rows",
        "marketplace.buyer.conversion.report": "_report_rows",
        "marketplace.ticket.report": "_report_rows",
        "marketplace.seller.outcome.report": "_report_rows",
        "marketplace.uplift.report": "_report_rows",
    }

    @classmethod
    def _make_records(cls):
        """``cls.records[model][company]``: the records of every factory."""
        cls.records = {}
        models = [m for m in addon_models(cls.env) if m in cls.FACTORIES]
        reports = [m for m in models if cls.FACTORIES[m] == "_report_rows"]
        for model in [m for m in models if m not in reports]:
            cls.records[model] = {
                company: getattr(cls, cls.FACTORIES[model])(company, data)
                for company, data in cls.data.items()
            }
        for company, data in cls.data.items():
            cls._make_ticket(company, data)
        with cron_batches_without_commit(cls.env):
            cls.env["marketplace.report.snapshot"]._cron_refresh_snapshots()
        cls.env.flush_all()
        for model in reports:
            cls.records[model] = {
                company: cls._report_rows(company, data, model)
                for company, data in cls.data.items()
            }

    def _expected(self, model, companies):
        """The factory records a user working in ``companies`` must read."""
        return self.env[model].union(
            *(self.records[model][company] for company in companies)
        )


@tagged("post_install", "-at_install")
class TestCompanyRules(CompanyRecordsMixin, MarketplaceCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_companies()
        cls._make_records()

    def test_every_model_is_enumerated_and_has_a_factory(self):
        models = addon_models(self.env)
        # The enumeration finds the addon's models (not a silent empty list).
        self.assertIn("marketplace.seller.event", models)
        self.assertIn("marketplace.uplift.report", models)
        missing = [
            m for m in models if m not in self.FACTORIES and m not in TECHNICAL_MODELS
        ]
        self.assertFalse(
            missing,
            "Each marketplace model needs a company, a company rule and a "
            "record factory in this test (or a reason in TECHNICAL_MODELS).",
        )
        for model in set(models) - set(TECHNICAL_MODELS):
            with self.subTest(model=model):
                self.assertIn("company_id", self.env[model]._fields)
                rules = self.env["ir.rule"].search(
                    [("model_id.model", "=", model), ("global", "=", True)]
                )
                self.assertTrue(
                    any("company_ids" in (r.domain_force or "") for r in rules),
                    "A global rule on company_ids",
                )

    def test_each_company_has_its_records(self):
        for model, by_company in self.records.items():
            for company, records in by_company.items():
                with self.subTest(model=model, company=company.name):
                    self.assertTrue(records, "The factory made records")
                    self.assertEqual(records.company_id, company)

    def test_users_read_only_their_companies_rows(self):
        """As each user, through search, search_count and read_group, on
        the factories' records and on the whole table."""
        for model in self.records:
            all_ids = self._expected(model, self.companies).ids
            for user, company in self.readers:
                Model = (
                    self.env[model]
                    .with_user(user)
                    .with_context(allowed_company_ids=company.ids)
                )
                with self.subTest(model=model, user=user.login):
                    if not Model.has_access("read"):
                        self.assertNotIn(
                            user, (self.manager_a, self.manager_ab, self.manager_b)
                        )
                        continue
                    self._assert_reads_only(Model, company, all_ids)
            # Each model is read by the managers at least.
            self.assertTrue(
                self.env[model].with_user(self.manager_a).has_access("read")
            )

    def _assert_reads_only(self, Model, company, all_ids):
        model = Model._name
        allowed = {company.id} | ({False} if model in SHARED_MODELS else set())
        mine = self._expected(model, company)
        domain = [("id", "in", all_ids)]
        self.assertEqual(sorted(Model.search(domain).ids), sorted(mine.ids))
        self.assertEqual(Model.search_count(domain), len(mine))
        groups = Model.formatted_read_group(domain, ["company_id"], ["__count"])
        self.assertEqual(
            {g["company_id"][0] if g["company_id"] else False for g in groups},
            {company.id},
        )
        self.assertEqual(sum(g["__count"] for g in groups), len(mine))
        # The whole table, demo data included.
        self.assertEqual(set(Model.search([]).company_id.ids), {company.id})
        for group in Model.formatted_read_group([], ["company_id"], ["__count"]):
            self.assertIn(group["company_id"] and group["company_id"][0], allowed)
        others = self._expected(model, self.companies - company)
        with self.assertRaises(AccessError):
            Model.browse(others.ids).read(["company_id"])

    def test_appeal_review_activity_stays_in_its_company(self):
        appeals = self.records["marketplace.quality.appeal"]
        activities = self.env["mail.activity"].search(
            [
                ("res_model", "=", "marketplace.quality.appeal"),
                (
                    "res_id",
                    "in",
                    self._expected("marketplace.quality.appeal", self.companies).ids,
                ),
            ]
        )
        self.assertEqual(len(activities), 2)
        for user, company in self.readers:
            with self.subTest(user=user.login):
                seen = (
                    self.env["mail.activity"]
                    .with_user(user)
                    .with_context(allowed_company_ids=company.ids)
                    .search([("id", "in", activities.ids)])
                )
                self.assertEqual(set(seen.mapped("res_id")), set(appeals[company].ids))

    # ------------------------------------------------------------ which company
    def test_shared_seller_records_belong_to_the_figures_company(self):
        """A seller shared by every company has its lifecycle events,
        crossings and appeals in its figures company (the main one), whatever
        company the job or the user runs in; a seller of B has them in B."""
        shared = self._create_seller("Shared Atelier")
        env_b = self.env(
            context=dict(self.env.context, allowed_company_ids=self.companies[::-1].ids)
        )
        self.assertEqual(env_b.company, self.company_b)
        for seller, company in (
            (shared, self.company_a),
            (self.data[self.company_b]["seller"], self.company_b),
        ):
            with self.subTest(seller=seller.name):
                event = env_b["marketplace.seller.event"]._claim(
                    seller.with_env(env_b), "inactivity_followup", "never"
                )
                crossing = env_b["marketplace.quality.crossing"]._open(
                    seller.with_env(env_b), "alert", {"refund"}, metric_levels(env_b)
                )
                appeal = env_b["marketplace.quality.appeal"].create(
                    {"seller_id": seller.id, "explanation": "Why?"}
                )
                held = env_b["marketplace.seller.event"]._claim_held_out(
                    seller.with_env(env_b), "coaching", "never"
                )
                for record in (event, crossing, appeal, held):
                    self.assertEqual(record.company_id, company)

    def test_buyer_episode_belongs_to_the_cart_company(self):
        """A buyer shared by both companies: each cart's episode is counted
        in the cart's company."""
        buyer = self.env["res.partner"].create({"name": "Shared buyer"})
        Holdout = self.env["marketplace.holdout"]
        for company in self.companies:
            Holdout._hold_out(
                "abandoned_cart", buyer, f"cart-shared-{company.id}", company=company
            )
        episodes = self.env["marketplace.buyer.event"].search(
            [("buyer_id", "=", buyer.id)]
        )
        self.assertEqual(
            {(e.episode, e.company_id) for e in episodes},
            {(f"cart-shared-{c.id}", c) for c in self.companies},
        )

    def test_uplift_report_counts_each_company_apart(self):
        Report = self.env["marketplace.uplift.report"]
        Event = self.env["marketplace.seller.event"]
        Episode = self.env["marketplace.buyer.event"]
        ended = fields.Datetime.now() - timedelta(days=30)
        for company in self.companies:
            with self.subTest(company=company.name):
                reminders = Event.search_count(
                    [
                        ("company_id", "=", company.id),
                        ("event_type", "=", "profile_reminder"),
                        ("date", "<=", ended),
                    ]
                )
                carts = Episode.search(
                    [
                        ("company_id", "=", company.id),
                        ("automation", "=", "abandoned_cart"),
                        ("date", "<=", fields.Datetime.now() - timedelta(days=14)),
                    ]
                )
                (row,) = Report.search(
                    [
                        ("company_id", "=", company.id),
                        ("automation", "=", "profile_reminder"),
                        ("outcome", "=", "sale_30"),
                        ("is_total", "=", True),
                    ]
                )
                self.assertEqual(row.treated_count, reminders)
                (row,) = Report.search(
                    [
                        ("company_id", "=", company.id),
                        ("automation", "=", "abandoned_cart"),
                        ("is_total", "=", True),
                    ]
                )
                self.assertEqual(row.treated_count + row.control_count, len(carts))
        # Company B has exactly its own factory's episode, none of A's.
        (row,) = Report.search(
            [
                ("company_id", "=", self.company_b.id),
                ("automation", "=", "profile_reminder"),
                ("outcome", "=", "sale_30"),
                ("is_total", "=", True),
            ]
        )
        self.assertEqual(row.treated_count, 1)

    def test_webhooks_receive_the_events_of_their_company(self):
        Delivery = self.env["marketplace.webhook.delivery"]
        hooks = self.records["marketplace.webhook"]
        before = Delivery.search([])
        data = self.data[self.company_b]
        self._make_dispute(self.company_b, data)
        new = Delivery.search([]) - before
        self.assertEqual(new.mapped("event"), ["dispute.opened"])
        self.assertEqual(new.webhook_id, hooks[self.company_b])
        # A seller shared by every company: every company's webhooks.
        shared = self._create_seller("Shared Atelier")
        before = Delivery.search([])
        shared.action_submit_verification()
        shared.action_validate_seller()
        new = Delivery.search([("event", "=", "seller.validated")]) - before
        self.assertEqual(new.webhook_id, hooks[self.company_a] | hooks[self.company_b])

    def test_links_across_companies_are_refused(self):
        """A webhook of A cannot be bound to a seller of B, nor an integration
        of A run as a user who may not work in A."""
        seller_b = self.data[self.company_b]["seller"]
        with self.assertRaises(UserError), self.env.cr.savepoint():
            self.env["marketplace.webhook"].create(
                {
                    "name": "Cross-company",
                    "url": "https://example.com/hook",
                    "event_ids": [
                        (6, 0, self.env["marketplace.webhook.event"].search([]).ids)
                    ],
                    "seller_id": seller_b.id,
                    "company_id": self.company_a.id,
                }
            )
        with self.assertRaises(UserError), self.env.cr.savepoint():
            self.env["marketplace.api.client"].create(
                {
                    "name": "Cross-company",
                    "user_id": self.agent_b.id,
                    "company_id": self.company_a.id,
                }
            )


@tagged("post_install", "-at_install")
class TestCompanyRulesRpc(CompanyRecordsMixin, MarketplaceCase, HttpCase):
    """The same through the web client's JSON-RPC, with the company selection
    of a session (``allowed_company_ids`` and the ``cids`` cookie)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_companies()
        cls._make_records()

    def test_web_search_read_as_each_user(self):
        for user, company in self.readers:
            self.authenticate(user.login, PASSWORD)
            for model in self.records:
                if not self.env[model].with_user(user).has_access("read"):
                    continue
                all_ids = self._expected(model, self.companies).ids
                with self.subTest(model=model, user=user.login):
                    result = self.make_jsonrpc_request(
                        f"/web/dataset/call_kw/{model}/web_search_read",
                        {
                            "model": model,
                            "method": "web_search_read",
                            "args": [],
                            "kwargs": {
                                "domain": [("id", "in", all_ids)],
                                "specification": {"company_id": {}},
                                "context": {"allowed_company_ids": company.ids},
                            },
                        },
                        cookies={"cids": str(company.id)},
                    )
                    self.assertEqual(
                        sorted(r["id"] for r in result["records"]),
                        sorted(self._expected(model, company).ids),
                    )
                    self.assertEqual(
                        result["length"], len(self._expected(model, company))
                    )
