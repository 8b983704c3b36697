import inspect

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
    # Settings: only administrators may write res.config.settings.
    "get_values",
    "set_values",
}

# Public methods that do work and check the group first, by a call of
# ``check_group`` (or the data-rights staff check) at their start; their
# refusals are tested with their features (API, webhooks, quality, data
# rights). This test holds each of them to that first line.
GUARDED_AT_START = {
    "action_retry",
    "action_revoke_key",
    "action_generate_key",
    "action_regenerate_secret",
    "action_send_test",
    "action_quality_refresh",
    "action_kyc_approve",
    "action_confirm_suspension",
    "action_reinstate",
    "action_marketplace_backfill",
    "action_marketplace_export_data",
    "action_marketplace_anonymise",
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
                    "action_open_reject_wizard",
                )
            ],
            (
                "res.partner.action_reject_seller",
                lambda u: self.seller.with_user(u).action_reject_seller("Nope"),
            ),
        ]

    def test_every_public_method_is_classified(self):
        """A new public method of the addon must be guarded (and listed in
        ``_guarded_calls``) or do no work (``NO_WORK``)."""
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
            found - guarded - NO_WORK - GUARDED_AT_START, set(), "Unclassified methods"
        )
        for name in GUARDED_AT_START:
            sources = [
                inspect.getsource(getattr(cls, name))
                for model in self.env.registry.values()
                for cls in type(self.env[model._name]).mro()
                if cls.__module__.startswith("odoo.addons.marketplace_crm.")
                and name in vars(cls)
            ]
            with self.subTest(method=name):
                self.assertTrue(sources)
                self.assertTrue(
                    all(
                        "check_group(" in src
                        or "_check_marketplace_data_rights_staff(" in src
                        or "has_group(" in src
                        for src in sources
                    ),
                    f"{name} checks the group",
                )
        self.assertEqual(guarded - found, set(), "Guarded list out of date")

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
