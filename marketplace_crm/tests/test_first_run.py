from datetime import timedelta

from lxml import etree

from odoo import fields
from odoo.tests import tagged
from odoo.tools.safe_eval import safe_eval

from .common import MarketplaceCase


@tagged("post_install", "-at_install")
class TestFirstRun(MarketplaceCase):
    """What a new user sees in the first hour: the onboarding pipeline, the
    reports, the settings links, the ticket and seller forms."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.team = cls.env.ref("marketplace_crm.crm_team_seller_onboarding")
        cls.manager = cls.env["res.users"].create(
            {
                "name": "Marketplace Manager",
                "login": "mp_manager_first_run",
                "group_ids": [
                    (
                        6,
                        0,
                        [cls.env.ref("marketplace_crm.group_marketplace_manager").id],
                    )
                ],
            }
        )

    # ------------------------------------------------------------ onboarding
    def test_onboarding_action_context_names_the_team(self):
        action = self.env.ref("marketplace_crm.action_marketplace_onboarding")
        context = safe_eval(action.context)
        self.assertEqual(context["default_team_id"], self.team.id)
        self.assertEqual(context["default_type"], "opportunity")

    def test_onboarding_pipeline_shows_only_its_stages(self):
        Lead = self.env["crm.lead"]
        Stage = self.env["crm.stage"]
        own = Stage.search([("team_ids", "in", self.team.ids)])
        self.assertEqual(len(own), 5)
        columns = Lead.with_context(default_team_id=self.team.id)._read_group_stage_ids(
            Stage, []
        )
        self.assertEqual(columns, own.sorted(Stage._order))
        # The kanban of the team, as opened from CRM or from the Marketplace
        # menu: the groups are the onboarding stages, in order.
        groups = Lead.with_context(
            default_team_id=self.team.id, read_group_expand=True
        ).web_read_group(
            [("team_id", "=", self.team.id)],
            ["stage_id"],
            ["__count"],
            unfold_read_specification={"id": {}},
        )
        self.assertEqual(
            [group["stage_id"][0] for group in groups["groups"]],
            own.sorted(Stage._order).ids,
        )
        # Another team keeps CRM's shared stages.
        other = self.env["crm.team"].create({"name": "Other sales team"})
        shared = Lead.with_context(default_team_id=other.id)._read_group_stage_ids(
            Stage, []
        )
        self.assertTrue(shared.filtered(lambda stage: not stage.team_ids))
        self.assertFalse(shared & own)

    # ------------------------------------------------------------ reports
    def test_revenue_by_category_is_grouped_by_category(self):
        action = self.env.ref("marketplace_crm.action_marketplace_revenue_by_category")
        context = safe_eval(action.context or "{}")
        self.assertFalse(
            [key for key in context if key.startswith("search_default_group")],
            "a default grouping would override the category rows of the views",
        )
        Report = self.env["marketplace.sales.report"]
        for view_type in ("pivot", "graph"):
            arch = etree.fromstring(Report.get_view(view_type=view_type)["arch"])
            self.assertTrue(arch.xpath("//field[@name='categ_id']"), view_type)

    def test_days_to_first_purchase_are_never_negative(self):
        buyer = self.Partner.create({"name": "Early buyer", "is_buyer": True})
        seller = self._create_validated_seller("Report Atelier")
        product = self._create_product(seller, "Report bowl", 20.0)
        order = self._create_order(buyer, [(product, 1, 20.0)])
        # Entered after the fact: the purchase is dated before the contact.
        order.date_order = fields.Datetime.now() - timedelta(days=118)
        self.env.flush_all()
        row = self.env["marketplace.buyer.conversion.report"].search(
            [("partner_id", "=", buyer.id)]
        )
        self.assertEqual(row.registration_date, order.date_order.date())
        self.assertEqual(row.days_to_convert, 0)
        self.assertFalse(
            self.env["marketplace.buyer.conversion.report"].search_count(
                [("days_to_convert", "<", 0)]
            )
        )

    def test_outcome_totals_do_not_add_up_months(self):
        Report = self.env["marketplace.seller.outcome.report"]
        rows = Report.search([])
        self.assertGreater(len(rows), 1)
        [(total,)] = Report._read_group([], [], ["active_seller_count:avg"])
        months = rows.mapped("active_seller_count")
        self.assertAlmostEqual(total, sum(months) / len(months), places=2)
        self.assertEqual(Report._fields["active_seller_count"].aggregator, "avg")

    def test_refresh_report_data_is_shown_to_managers(self):
        menu = self.env.ref("marketplace_crm.menu_marketplace_report_refresh")
        Menu = self.env["ir.ui.menu"]
        self.assertIn(menu.id, Menu.with_user(self.manager)._visible_menu_ids())
        self.assertNotIn(menu.id, Menu.with_user(self.staff)._visible_menu_ids())
        action = self.env.ref("marketplace_crm.action_refresh_report_snapshots")
        result = action.with_user(self.manager).run()
        self.assertEqual(result["tag"], "display_notification")

    # ------------------------------------------------------------ campaigns
    def test_segment_campaigns_are_in_my_mailings(self):
        admin = self.env.ref("base.user_admin")
        mailings = self.env["mailing.mailing"].search(
            [("mailing_domain", "ilike", "segment")]
        )
        xmlids = mailings._get_external_ids()
        ours = mailings.filtered(
            lambda m: any(x.startswith("marketplace_crm.") for x in xmlids[m.id])
        )
        self.assertEqual(len(ours), 7)
        # Email Marketing opens on "My Mailings": the responsible's mailings.
        self.assertEqual(ours.user_id, admin)

    # ------------------------------------------------------------ settings
    def test_settings_links_find_the_jobs_and_templates_in_french(self):
        self.env["res.lang"]._activate_lang("fr_FR")
        settings = self.env["res.config.settings"].with_context(lang="fr_FR").create({})
        data = self.env["ir.model.data"]
        for method, model in (
            ("action_marketplace_scheduled_actions", "ir.cron"),
            ("action_marketplace_mail_templates", "mail.template"),
        ):
            action = getattr(settings, method)()
            expected = data.search(
                [("module", "=", "marketplace_crm"), ("model", "=", model)]
            )
            self.assertGreater(len(expected), 3)
            found = (
                self.env[model]
                .with_context(lang="fr_FR", active_test=False)
                .search(action["domain"])
            )
            self.assertEqual(sorted(found.ids), sorted(expected.mapped("res_id")))
            # Nothing filters on a (translated) name any more.
            self.assertNotIn("search_default_name", str(action.get("context")))

    def test_settings_show_units(self):
        arch = self.env["res.config.settings"].get_view(
            self.env.ref(
                "marketplace_crm.action_marketplace_config_settings"
            ).view_id.id
        )["arch"]
        tree = etree.fromstring(arch)
        for name, unit in (
            ("marketplace_buyer_active_days", "days"),
            ("marketplace_document_max_size_mb", "MB"),
            ("marketplace_review_decline_percent", "%"),
            ("marketplace_low_rating_threshold", "stars"),
        ):
            [field] = tree.xpath(f"//field[@name='{name}']")
            self.assertEqual(field.getnext().text, unit, name)

    # ------------------------------------------------------------ forms
    def test_assign_automatically_sits_in_the_ticket_header(self):
        arch = etree.fromstring(
            self.env["helpdesk.ticket"].get_view(view_type="form")["arch"]
        )
        [button] = arch.xpath("//button[@name='action_assign_automatically']")
        self.assertEqual(button.getparent().tag, "header")
        self.assertFalse(
            arch.xpath("//group//button[@name='action_assign_automatically']")
        )

    def test_partner_tickets_have_no_buyer(self):
        Ticket = self.env["helpdesk.ticket"]
        carrier = self.Partner.create(
            {"name": "Carrier", "is_company": True, "is_logistics_partner": True}
        )
        buyer = self.Partner.create({"name": "Ticket buyer", "is_buyer": True})
        incident = Ticket.create(
            {"name": "Lost parcels", "description": "x", "partner_id": carrier.id}
        )
        request = Ticket.create(
            {"name": "Where is my order", "description": "x", "partner_id": buyer.id}
        )
        self.assertFalse(incident.buyer_id)
        self.assertEqual(request.buyer_id, buyer)

    def test_buyer_form_has_one_tickets_button(self):
        arch = etree.fromstring(
            self.env["res.partner"].get_view(view_type="form")["arch"]
        )
        [helpdesk] = arch.xpath("//button[@name='action_view_helpdesk_tickets']")
        self.assertEqual(helpdesk.get("invisible"), "is_seller or is_buyer")
        [ours] = arch.xpath("//button[@name='action_view_marketplace_tickets']")
        self.assertIn("not is_buyer", ours.get("invisible"))

    def test_idle_seller_gets_no_monthly_review(self):
        Review = self.env["marketplace.seller.review"]
        idle = self._create_validated_seller("Idle Atelier")
        month = fields.Date.today().replace(day=1)
        self.assertEqual(list(Review._review_values(idle, month)), [])
        seller = self._create_validated_seller("Busy Atelier")
        product = self._create_product(seller, "Busy bowl", 30.0)
        self._create_order(self.Partner.create({"name": "B"}), [(product, 2, 30.0)])
        self.env.flush_all()
        [vals] = Review._review_values(seller, month)
        review = Review.create(vals)
        self.assertEqual(review.sales_amount, 60.0)
        self.assertIn(str(month.year), review.month_label)
        self.assertNotIn(" 1", review.month_label.replace(str(month.year), ""))

    def test_document_check_closes_with_the_decision(self):
        reviewer = self.verifier
        self.env["ir.config_parameter"].sudo().set_param(
            "marketplace_crm.operations_user_id", reviewer.id
        )
        check = self.env.ref("marketplace_crm.mail_activity_type_seller_verification")
        approved = self._create_seller("Approved Atelier")
        rejected = self._create_seller("Rejected Atelier")
        (approved | rejected).action_submit_verification()
        for seller in approved | rejected:
            [activity] = seller.activity_ids
            self.assertEqual(activity.activity_type_id, check)
            self.assertEqual(activity.user_id, reviewer)
        # Another staff member decides: the reviewer's activity is done.
        approved.with_user(self.manager).action_validate_seller()
        rejected.with_user(self.manager).action_reject_seller("Blurred scan.")
        self.assertFalse(approved.activity_ids)
        self.assertFalse(rejected.activity_ids)
        done = rejected.message_ids.filtered(
            lambda message: message.mail_activity_type_id == check
        )
        self.assertIn("Blurred scan.", done.body)
        # Resubmitting opens a new check.
        rejected.action_submit_verification()
        self.assertEqual(rejected.activity_ids.activity_type_id, check)
