import inspect
import re

from lxml import etree

from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import MarketplaceCase
from .portal_form import portal_user

# Public methods of the addon's models that do no work for the caller: the
# ORM overrides (the record rules and access rights apply) and the buttons
# that only return a window action to open.
NO_WORK = {
    "create",
    "write",
    "unlink",
    "default_get",
    "action_open_dispute",
    "action_view_marketplace_tickets",
    "action_view_partner_contracts",
    "action_view_seller_products",
    "action_view_disputes",
    "action_view_seller_documents",
    "action_view_deliveries",
    "action_quality_view_disputes",
    "action_quality_view_refunds",
    "action_quality_view_tickets",
    "action_quality_view_cancellations",
    "action_quality_view_ratings",
    "action_quality_view_deliveries",
    "action_quality_view_orders",
    "action_marketplace_mail_templates",
    "action_marketplace_scheduled_actions",
    "action_marketplace_coaching_waiting",
    "load",
    "send_mail",
    # Settings: only administrators may write res.config.settings.
    "get_values",
    "set_values",
}

USER = "marketplace_crm.group_marketplace_user"
MANAGER = "marketplace_crm.group_marketplace_manager"
VERIFIER = "marketplace_crm.group_marketplace_verifier"
HELPDESK = "helpdesk_mgmt.group_helpdesk_user"

# Public methods that do work, with the group each requires: they check it
# themselves, by a call of ``check_group`` (or the data-rights staff check)
# at their start, since any user may call them over RPC whatever the
# buttons show. Refusals to users outside the marketplace team are tested
# here (``_guarded_calls``) or with their features (API, webhooks, quality,
# data rights); every MANAGER method is called here by a marketplace user
# (an agent) and must be refused.
REQUIRED_GROUP = {
    # Reports, disputes, tickets, ratings, verification and its wizard.
    "action_refresh_snapshot": USER,
    "action_review": USER,
    "action_resolve": USER,
    "action_close": USER,
    "action_reopen": USER,
    "action_assign_automatically": HELPDESK,
    "rating_apply": USER,
    "action_reject": VERIFIER,
    "action_submit_verification": USER,
    # Decisions on sellers: the Seller verification role.
    "action_open_reject_wizard": VERIFIER,
    "action_validate_seller": VERIFIER,
    "action_reject_seller": VERIFIER,
    "action_suspend_seller": VERIFIER,
    "action_reinstate_seller": VERIFIER,
    "action_reset_verification": VERIFIER,
    "action_marketplace_resend_invitation": USER,
    # Quality programme and KYC.
    "action_quality_refresh": USER,
    "action_kyc_approve": VERIFIER,
    "action_confirm_suspension": VERIFIER,
    "action_reinstate": VERIFIER,
    # Data rights.
    "action_marketplace_export_data": USER,
    "action_marketplace_anonymise": MANAGER,
    # Configuration: API integrations, webhooks, sales history.
    "action_generate_key": MANAGER,
    "action_revoke_key": MANAGER,
    "action_regenerate_secret": MANAGER,
    "action_send_test": MANAGER,
    "action_retry": MANAGER,
    "action_marketplace_backfill": MANAGER,
}


@tagged("post_install", "-at_install")
class TestPublicMethodAccess(MarketplaceCase):
    """Every public method of the addon that does work refuses portal users
    and internal users outside the marketplace team, whatever the records:
    any public method can be called over RPC."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.seller = cls._create_validated_seller("Guarded Seller")
        cls.buyer = cls.Partner.create({"name": "Guarded Buyer"})
        product = cls._create_product(cls.seller, "Guarded bowl", 40)
        cls.order = cls._create_order(cls.buyer, [(product, 1, 40.0)])
        cls.part = cls.order.marketplace_order_seller_ids
        cls.dispute = cls.env["marketplace.dispute"].create(
            {"buyer_id": cls.buyer.id, "seller_id": cls.seller.id, "amount": 40}
        )
        cls.ticket = cls.env["helpdesk.ticket"].create(
            {"name": "Guarded ticket", "description": "x", "partner_id": cls.buyer.id}
        )
        cls.wizard = cls.env["marketplace.seller.reject"].create(
            {"partner_ids": [(6, 0, cls.seller.ids)], "reason": "No"}
        )
        cls.portal_seller = portal_user(
            cls.env,
            "guard_seller",
            partner=cls.Partner.create({"name": "Keeper", "parent_id": cls.seller.id}),
        )
        cls.portal_buyer = portal_user(cls.env, "guard_buyer", partner=cls.buyer)
        cls.employee = cls.env["res.users"].create(
            {
                "name": "Plain Employee",
                "login": "guard_employee",
                "group_ids": [
                    (
                        6,
                        0,
                        (
                            cls.env.ref("base.group_user")
                            | cls.env.ref("base.group_partner_manager")
                        ).ids,
                    )
                ],
            }
        )
        cls._manager_fixtures()

    @classmethod
    def _manager_fixtures(cls):
        cls.manager = cls.env["res.users"].create(
            {
                "name": "Guard Manager",
                "login": "guard_manager",
                "group_ids": [(6, 0, cls.env.ref(MANAGER).ids)],
            }
        )
        cls.client = cls.env["marketplace.api.client"].create(
            {"name": "Guarded integration", "user_id": cls.portal_buyer.id}
        )
        cls.client.action_generate_key()
        cls.webhook = cls.env["marketplace.webhook"].create(
            {
                "name": "Guarded hook",
                "url": "https://hooks.example.com/guarded",
                "event_ids": [
                    (6, 0, cls.env["marketplace.webhook.event"].search([]).ids)
                ],
            }
        )
        cls.delivery = cls.env["marketplace.webhook.delivery"].create(
            {
                "webhook_id": cls.webhook.id,
                "event": "ping",
                "payload": "{}",
                "state": "failed",
                "attempt_count": 3,
            }
        )

    def _manager_calls(self):
        """{method: callable taking a user} of every MANAGER method."""
        return {
            "action_generate_key": lambda u: self.client.with_user(
                u
            ).action_generate_key(),
            "action_revoke_key": lambda u: self.client.with_user(u).action_revoke_key(),
            "action_regenerate_secret": lambda u: self.webhook.with_user(
                u
            ).action_regenerate_secret(),
            "action_send_test": lambda u: self.webhook.with_user(u).action_send_test(),
            "action_retry": lambda u: self.delivery.with_user(u).action_retry(),
            "action_marketplace_backfill": lambda u: (
                self.env["marketplace.order.seller"]
                .with_user(u)
                .action_marketplace_backfill()
            ),
            # Last: it archives the integration's user.
            "action_marketplace_anonymise": lambda u: self.buyer.with_user(
                u
            ).action_marketplace_anonymise(),
        }

    def _manager_state(self):
        """What the MANAGER methods change, read back from the database."""
        for record in (self.seller, self.buyer, self.client, self.webhook):
            record.invalidate_recordset()
        self.delivery.invalidate_recordset()
        return (
            self.seller.verification_state,
            self.buyer.name,
            self.buyer.marketplace_anonymised,
            self.client.apikey_id,
            self.client.key_prefix,
            self.webhook.sudo().secret,
            self.delivery.state,
            self.delivery.attempt_count,
            self.env["marketplace.webhook.delivery"].search_count(
                [("webhook_id", "=", self.webhook.id)]
            ),
        )

    def _guarded_calls(self):
        """(label, callable taking a user) of every public method doing work."""
        return [
            (
                f"{report}.action_refresh_snapshot",
                lambda u, r=report: self.env[r].with_user(u).action_refresh_snapshot(),
            )
            for report in (
                "marketplace.sales.report",
                "marketplace.seller.performance.report",
            )
        ] + [
            *[
                (
                    f"marketplace.dispute.{name}",
                    lambda u, n=name: getattr(self.dispute.with_user(u), n)(),
                )
                for name in (
                    "action_review",
                    "action_resolve",
                    "action_close",
                    "action_reopen",
                )
            ],
            (
                "helpdesk.ticket.action_assign_automatically",
                lambda u: self.ticket.with_user(u).action_assign_automatically(),
            ),
            (
                "marketplace.order.seller.rating_apply",
                lambda u: self.part.with_user(u).rating_apply(5),
            ),
            (
                "marketplace.seller.reject.action_reject",
                lambda u: self.wizard.with_user(u).action_reject(),
            ),
            *[
                (
                    f"res.partner.{name}",
                    lambda u, n=name: getattr(self.seller.with_user(u), n)(),
                )
                for name in (
                    "action_submit_verification",
                    "action_validate_seller",
                    "action_reset_verification",
                    "action_suspend_seller",
                    "action_reinstate_seller",
                )
            ],
            (
                "res.partner.action_reject_seller",
                lambda u: self.seller.with_user(u).action_reject_seller("Nope"),
            ),
        ]

    def test_every_public_method_is_classified(self):
        """A new public method of the addon must be guarded (listed in
        ``REQUIRED_GROUP`` with the group it requires) or do no work
        (``NO_WORK``)."""
        guarded = {label.rsplit(".", 1)[1] for label, __ in self._guarded_calls()}
        found = set()
        for model in self.env.registry.values():
            mro = type(self.env[model._name]).mro()
            for cls in mro:
                if not cls.__module__.startswith("odoo.addons.marketplace_crm."):
                    continue
                for name, member in vars(cls).items():
                    if name.startswith("_") or not inspect.isfunction(member):
                        continue
                    if any(
                        getattr(getattr(c, name, None), "_api_private", False)
                        for c in mro
                    ):
                        continue  # not callable over RPC (e.g. init)
                    found.add(name)
        self.assertEqual(
            found - NO_WORK - set(REQUIRED_GROUP), set(), "Unclassified methods"
        )
        self.assertEqual(
            set(REQUIRED_GROUP) - found, set(), "Classification out of date"
        )
        for name, group in REQUIRED_GROUP.items():
            # The override run first (the most derived class defining the
            # method) checks the group, for the manager ones that group.
            sources = []
            for model in self.env.registry.values():
                mro = type(self.env[model._name]).mro()
                if not any(
                    c.__module__.startswith("odoo.addons.marketplace_crm.")
                    and name in vars(c)
                    for c in mro
                ):
                    continue
                first = next(c for c in mro if name in vars(c))
                sources.append(inspect.getsource(getattr(first, name)))
            with self.subTest(method=name):
                self.assertTrue(sources)
                for src in sources:
                    self.assertTrue(
                        "check_group(" in src
                        or "_check_marketplace_data_rights_staff(" in src
                        or "has_group(" in src,
                        f"{name} checks the group",
                    )
                    if group == MANAGER:
                        self.assertRegex(
                            src, "MARKETPLACE_MANAGER|group_marketplace_manager"
                        )
                    if group == VERIFIER:
                        self.assertRegex(src, "VERIFIER|group_marketplace_verifier")
        self.assertLessEqual(guarded, set(REQUIRED_GROUP))

    def test_refused_to_portal_and_plain_internal_users(self):
        state = (self.dispute.state, self.seller.verification_state)
        for user in (self.portal_seller, self.portal_buyer, self.employee):
            for label, call in self._guarded_calls():
                with (
                    self.subTest(user=user.login, method=label),
                    self.assertRaises(AccessError),
                    self.env.cr.savepoint(),
                ):
                    call(user)
        self.dispute.invalidate_recordset()
        self.seller.invalidate_recordset()
        self.assertEqual((self.dispute.state, self.seller.verification_state), state)
        self.assertFalse(self.seller.seller_suspended)
        self.assertFalse(self.part.rating_ids.filtered("consumed"))

    def test_marketplace_team_may_call_them(self):
        staff = self.staff
        result = self.env["marketplace.sales.report"].with_user(staff)
        self.assertEqual(
            result.action_refresh_snapshot()["tag"], "soft_reload", "Refreshed"
        )
        self.dispute.with_user(staff).action_review()
        self.assertEqual(self.dispute.state, "under_review")
        # Decisions on sellers: the seller verification team
        # (test_seller_decisions refuses them to the other marketplace users).
        self.seller.with_user(self.verifier).action_suspend_seller()
        self.assertTrue(self.seller.seller_suspended)
        self.part.with_user(staff).rating_apply(4)
        self.assertEqual(self.seller.seller_rating_count, 1)

    # ------------------------------------------------------------ managers only
    def test_manager_buttons_require_the_manager_group(self):
        """Every button of the addon's views shown to managers only (a
        ``groups`` attribute on it or around it, or a view of a model agents
        cannot read) and every manager-only server action calls a method
        classified MANAGER: the method checks what the view hides."""
        agent = self.staff
        View = self.env["ir.ui.view"]
        views = View.browse(
            self.env["ir.model.data"]
            .search([("module", "=", "marketplace_crm"), ("model", "=", "ir.ui.view")])
            .mapped("res_id")
        )
        manager_only = set()
        for view in views:
            model_hidden = view.model in self.env and not self.env[
                view.model
            ].with_user(agent).has_access("read")
            for button in etree.fromstring(view.arch_db).iter("button"):
                if button.get("type") != "object":
                    continue
                groups = " ".join(
                    node.get("groups", "") for node in (button, *button.iterancestors())
                )
                if model_hidden or "group_marketplace_manager" in groups:
                    manager_only.add(button.get("name"))
        actions = self.env["ir.actions.server"].search(
            [("group_ids", "in", self.env.ref(MANAGER).ids), ("state", "=", "code")]
        )
        for action in actions:
            manager_only.update(
                name
                for name in re.findall(r"\b(?:model|records?)\.(\w+)\(", action.code)
                if not name.startswith("_")
            )
        self.assertIn("action_marketplace_anonymise", manager_only)
        self.assertIn("action_marketplace_backfill", manager_only)
        self.assertIn("action_generate_key", manager_only, "Model agents cannot read")
        for name in sorted(manager_only - NO_WORK):
            with self.subTest(method=name):
                self.assertEqual(REQUIRED_GROUP.get(name), MANAGER)

    def test_manager_methods_refused_to_agents(self):
        """A marketplace user (agent) calling any MANAGER method, as RPC
        would, gets an AccessError and nothing changes; a manager may."""
        calls = self._manager_calls()
        self.assertEqual(
            set(calls), {n for n, group in REQUIRED_GROUP.items() if group == MANAGER}
        )
        self.dispute.write({"state": "closed", "outcome": "withdrawn"})
        before = self._manager_state()
        for name, call in calls.items():
            with (
                self.subTest(method=name),
                self.assertRaises(AccessError),
                self.env.cr.savepoint(),
            ):
                call(self.staff)
        self.assertEqual(self._manager_state(), before)
        for name, call in calls.items():
            with self.subTest(method=name, user="manager"), self.env.cr.savepoint():
                call(self.manager)
        after = self._manager_state()
        self.assertTrue(after[2], "Anonymised by the manager")
        self.assertNotEqual(after[5], before[5], "New secret")
