"""The segment rules hold at every boundary, and the set-based refresh (the
SQL twin the daily job uses) agrees with the rule (the Python single-record
path) on each of them."""

from datetime import datetime, timedelta

from freezegun import freeze_time

from odoo import Command
from odoo.tests import tagged

from .common import MarketplaceCase, cron_batches_without_commit

TODAY = datetime(2026, 6, 15, 12, 0)


@tagged("post_install", "-at_install")
class TestSegmentRules(MarketplaceCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        with freeze_time(TODAY):
            cls._build()

    @classmethod
    def _build(cls):
        buyer = cls.Partner.create({"name": "Rule Buyer", "email": "rb@example.com"})
        cls.buyer = buyer
        cls.prospect = cls.Partner.create({"name": "Prospect", "is_buyer": True})
        # 3 sales of 100.00, the last one 10 days ago.
        cls.selling = cls._create_validated_seller("Selling")
        product = cls._create_product(cls.selling, "Rule bowl", 100.0)
        for days in (20, 15, 10):
            order = cls._create_order(buyer, [(product, 1, 100.0)])
            # Confirmation dates the order today: back-date it.
            order.date_order = TODAY - timedelta(days=days)
        buyer._refresh_marketplace_buyer_dates()
        # Validated 20 days ago, no sale.
        cls.quiet = cls._create_validated_seller("Quiet")
        cls.quiet.verification_date = TODAY - timedelta(days=20)
        # No sale, no decision date, registered 30 days ago; and neither.
        cls.registered = cls._create_validated_seller("Registered")
        cls.registered.write(
            {
                "verification_date": False,
                "seller_registration_date": (TODAY - timedelta(days=30)).date(),
            }
        )
        cls.undated = cls._create_validated_seller("Undated")
        cls.undated.write(
            {"verification_date": False, "seller_registration_date": False}
        )
        cls.suspended = cls._create_validated_seller("Suspended")
        cls.suspended.action_suspend_seller()
        cls.rejected = cls._create_seller("Rejected")
        cls.rejected.action_submit_verification()
        cls.rejected.with_user(cls.verifier).action_reject_seller("No.")
        cls.draft = cls._create_seller("Draft, no product", complete=False)
        cls.pending = cls._create_seller("Pending")
        cls.pending.action_submit_verification()
        cls.partners = (
            cls.buyer
            | cls.prospect
            | cls.selling
            | cls.quiet
            | cls.registered
            | cls.undated
            | cls.suspended
            | cls.rejected
            | cls.draft
            | cls.pending
        )

    def _set(self, **params):
        values = {
            "seller_inactive_days": 30,
            "high_performer_amount": 0,
            "high_performer_count": 0,
            "buyer_active_days": 90,
        }
        values.update(params)
        for key, value in values.items():
            self.env["ir.config_parameter"].sudo().set_param(
                f"marketplace_crm.{key}", value
            )

    def _segments(self):
        """(SQL twin, rule, stored after the refresh) for each partner."""
        partners = self.partners
        by_sql = partners._marketplace_segments_by_sql()
        params = partners._marketplace_segment_params()
        by_rule = {
            p.id: (p._get_seller_segment(params), p._get_buyer_segment(params))
            for p in partners
        }
        partners._refresh_marketplace_figures()
        stored = {p.id: (p.seller_segment, p.buyer_segment) for p in partners}
        return by_sql, by_rule, stored

    def test_every_boundary_both_paths(self):
        P = self
        cases = [
            # (settings, partner, expected seller segment, expected buyer one)
            ({"high_performer_amount": 299.99}, P.selling, "high_performer", None),
            ({"high_performer_amount": 300.0}, P.selling, "high_performer", None),
            ({"high_performer_amount": 300.01}, P.selling, "active", None),
            ({"high_performer_amount": 0}, P.selling, "active", None),
            ({"high_performer_amount": -1}, P.selling, "active", None),
            ({"high_performer_count": 2}, P.selling, "high_performer", None),
            ({"high_performer_count": 3}, P.selling, "high_performer", None),
            ({"high_performer_count": 4}, P.selling, "active", None),
            ({"high_performer_count": -3}, P.selling, "active", None),
            ({"seller_inactive_days": 9}, P.selling, "inactive", None),
            ({"seller_inactive_days": 10}, P.selling, "inactive", None),
            ({"seller_inactive_days": 11}, P.selling, "active", None),
            ({"seller_inactive_days": 0}, P.selling, "inactive", None),
            ({"seller_inactive_days": -5}, P.selling, "inactive", None),
            ({"seller_inactive_days": 19}, P.quiet, "inactive", None),
            ({"seller_inactive_days": 20}, P.quiet, "inactive", None),
            ({"seller_inactive_days": 21}, P.quiet, "active", None),
            ({"seller_inactive_days": 30}, P.registered, "inactive", None),
            ({"seller_inactive_days": 31}, P.registered, "active", None),
            ({"seller_inactive_days": 0}, P.undated, "active", None),
            ({"high_performer_count": 1}, P.suspended, "suspended", None),
            ({"high_performer_count": 1}, P.rejected, "rejected", None),
            ({"seller_inactive_days": 0}, P.draft, "new", None),
            ({"seller_inactive_days": 0}, P.pending, "pending", None),
            ({"buyer_active_days": 9}, P.buyer, False, "inactive"),
            ({"buyer_active_days": 10}, P.buyer, False, "active"),
            ({"buyer_active_days": 11}, P.buyer, False, "active"),
            ({"buyer_active_days": -1}, P.buyer, False, "inactive"),
            ({"buyer_active_days": 0}, P.prospect, False, "prospect"),
        ]
        with freeze_time(TODAY):
            for settings, partner, seller_segment, buyer_segment in cases:
                self._set(**settings)
                by_sql, by_rule, stored = self._segments()
                with self.subTest(settings=settings, partner=partner.name):
                    for pid in self.partners.ids:
                        sql = tuple(v or False for v in by_sql[pid])
                        self.assertEqual(sql, by_rule[pid], f"partner {pid}")
                        self.assertEqual(stored[pid], by_rule[pid], f"partner {pid}")
                    self.assertEqual(by_rule[partner.id][0], seller_segment)
                    if buyer_segment:
                        self.assertEqual(by_rule[partner.id][1], buyer_segment)

    def _high_performer_rule(self, code):
        """An Automation Rule running ``code`` on each seller who becomes a
        high performer."""
        rule = self.env["base.automation"].create(
            {
                "name": "High performers",
                "model_id": self.env.ref("base.model_res_partner").id,
                "trigger": "on_create_or_write",
                "trigger_field_ids": [
                    Command.set(
                        self.env.ref(
                            "marketplace_crm.field_res_partner__seller_segment"
                        ).ids
                    )
                ],
                "filter_domain": "[('seller_segment', '=', 'high_performer')]",
            }
        )
        self.env["ir.actions.server"].create(
            {
                "name": "High performers",
                "model_id": self.env.ref("base.model_res_partner").id,
                "base_automation_id": rule.id,
                "state": "code",
                "code": code,
            }
        )

    def test_daily_job_change_fires_automation_rules_and_tracking(self):
        """A segment that moves because time passes (the daily job, set-based)
        is written through the ORM: tracking and Automation Rules see it."""
        self._high_performer_rule("record.write({'comment': 'congratulated'})")
        self.env.flush_all()
        self.env.cr.precommit.run()  # the fixtures were created earlier
        with freeze_time(TODAY):
            self._set(high_performer_count=0)
            self.partners._refresh_marketplace_figures()
            self.assertEqual(self.selling.seller_segment, "active")
            self.assertFalse(self.selling.comment)
            # An admin lowers the threshold: the daily job moves the seller.
            self._set(high_performer_count=3)
            with cron_batches_without_commit(self.env):
                self.env["res.partner"]._cron_refresh_marketplace_segments()
        self.assertEqual(self.selling.seller_segment, "high_performer")
        self.assertIn("congratulated", self.selling.comment or "")
        self.env.flush_all()
        self.env.cr.precommit.run()  # tracking messages are written at commit
        tracked = self.env["mail.tracking.value"].search(
            [
                ("field_id.name", "=", "seller_segment"),
                ("mail_message_id.model", "=", "res.partner"),
                ("mail_message_id.res_id", "=", self.selling.id),
            ]
        )
        self.assertEqual(len(tracked), 1)
        self.assertEqual(
            (tracked.old_value_char, tracked.new_value_char),
            ("Active", "High performer"),
        )
        message = tracked.mail_message_id
        self.assertEqual(message.message_type, "notification")
        self.assertEqual(message.subtype_id, self.env.ref("mail.mt_note"))
        self.assertEqual(message.author_id, self.env.user.partner_id)
        self.assertIn(message, self.selling.message_ids)

    def test_segment_moves_logged_once_each_with_other_changes_left_to_odoo(self):
        """The daily job logs the segment moves of many sellers in one batch:
        one tracking message per seller whose segment moved, none for the
        others; a seller whose Automation Rule also changed a tracked field
        keeps Odoo's own single message with both changes."""
        self._high_performer_rule(
            "record.write({'shop_name': 'Top ' + (record.name or '')})"
        )
        self.env.flush_all()
        self.env.cr.precommit.run()
        with freeze_time(TODAY):
            self._set(high_performer_count=0)
            self.partners._refresh_marketplace_figures()
            self.env.flush_all()
            self.env.cr.precommit.run()
            before = self.env["mail.tracking.value"].search(
                [], order="id desc", limit=1
            )
            segments = {p.id: p.seller_segment for p in self.partners}
            self._set(high_performer_count=3, seller_inactive_days=15)
            with cron_batches_without_commit(self.env):
                self.env["res.partner"]._cron_refresh_marketplace_segments()
        self.env.flush_all()
        self.env.cr.precommit.run()
        moved = self.partners.filtered(lambda p: p.seller_segment != segments[p.id])
        self.assertIn(self.selling, moved)
        self.assertIn(self.quiet, moved)  # logged by the batch
        quiet_value = self.env["mail.tracking.value"].search(
            [
                ("mail_message_id.model", "=", "res.partner"),
                ("mail_message_id.res_id", "=", self.quiet.id),
                ("field_id.name", "=", "seller_segment"),
            ],
            order="id desc",
            limit=1,
        )
        self.assertEqual(
            (quiet_value.old_value_char, quiet_value.new_value_char),
            ("Active", "Inactive"),
        )
        self.assertEqual(quiet_value.mail_message_id.message_type, "notification")
        tracked = self.env["mail.tracking.value"].search(
            [("id", ">", before.id), ("mail_message_id.model", "=", "res.partner")]
        )
        by_partner = {}
        for value in tracked:
            by_partner.setdefault(value.mail_message_id.res_id, []).append(
                value.field_id.name
            )
        for partner in moved:
            changes = by_partner.get(partner.id)
            self.assertEqual(
                len(
                    tracked.filtered(
                        lambda v, p=partner: v.mail_message_id.res_id == p.id
                    ).mail_message_id
                ),
                1,
                partner.name,
            )
            expected = ["seller_segment"]
            if partner.seller_segment == "high_performer":
                expected = sorted(["seller_segment", "shop_name"])
            self.assertEqual(sorted(changes), expected, partner.name)
        unmoved = self.partners - moved
        self.assertTrue(unmoved)
        self.assertFalse(set(by_partner) & set(unmoved.ids))
