import threading
from contextlib import closing
from datetime import date, timedelta

from freezegun import freeze_time

from odoo import SUPERUSER_ID, api
from odoo.sql_db import db_connect
from odoo.tests import TransactionCase, tagged

from .common import MarketplaceCase, cron_batches_without_commit


@tagged("post_install", "-at_install")
class TestSellerAutomations(MarketplaceCase):
    """Profile reminders, inactivity follow-ups, coaching and reactivation,
    as time passes, each exactly once."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Event = cls.env["marketplace.seller.event"]
        cls.buyer = cls.Partner.create({"name": "Automation Buyer"})
        cls.manager = cls.env["res.users"].create(
            {
                "name": "Account Manager",
                "login": "mp_account_manager",
                "tz": "UTC",
                "email": "am@example.com",
                "group_ids": [
                    (6, 0, cls.env.ref("marketplace_crm.group_marketplace_user").ids)
                ],
            }
        )
        (
            cls.manager.resource_calendar_id | cls.env.company.resource_calendar_id
        ).tz = "UTC"

    def _run(self, method, day):
        with freeze_time(day), cron_batches_without_commit(self.env):
            getattr(self.Event, method)()
            getattr(self.Event, method)()  # a second run changes nothing

    def _events(self, seller, event_type):
        return self.Event.search(
            [("seller_id", "in", seller.ids), ("event_type", "=", event_type)]
        )

    def _mails(self, seller, subject):
        return self.env["mail.mail"].search(
            [
                ("model", "=", "res.partner"),
                ("res_id", "in", seller.ids),
                ("subject", "ilike", subject),
            ]
        )

    def test_profile_reminders(self):
        with freeze_time("2026-03-02 09:00:00"):
            seller = self._create_seller("Slow Starter", email="slow@example.com")
            listed = self._create_seller("Quick Starter", email="quick@example.com")
            self._create_product(listed, "Bowl", 10)
        self._run("_cron_profile_reminders", "2026-03-06 09:00:00")  # 4 days
        self.assertFalse(self._events(seller, "profile_reminder"))
        self._run("_cron_profile_reminders", "2026-03-07 09:00:00")  # 5 days
        self.assertEqual(len(self._events(seller, "profile_reminder")), 1)
        self.assertEqual(len(self._mails(seller, "waiting for its first product")), 1)
        self.assertFalse(self._events(listed, "profile_reminder"), "Has a product")
        self.assertFalse(self._events(seller, "profile_reminder_2"))
        self._run("_cron_profile_reminders", "2026-03-14 10:00:00")  # 7 days later
        self.assertEqual(len(self._events(seller, "profile_reminder_2")), 1)
        self.assertEqual(len(self._mails(seller, "Need a hand")), 1)
        self._run("_cron_profile_reminders", "2026-04-14 10:00:00")
        self.assertEqual(len(self._mails(seller, "waiting for its first product")), 1)
        self.assertEqual(len(self._mails(seller, "Need a hand")), 1)

    def test_second_reminder_can_be_switched_off(self):
        self.env["ir.config_parameter"].sudo().set_param(
            "marketplace_crm.profile_second_reminder_days", 0
        )
        with freeze_time("2026-03-02 09:00:00"):
            seller = self._create_seller("No Second", email="nosecond@example.com")
        self._run("_cron_profile_reminders", "2026-03-08 09:00:00")
        self._run("_cron_profile_reminders", "2026-05-08 09:00:00")
        self.assertTrue(self._events(seller, "profile_reminder"))
        self.assertFalse(self._events(seller, "profile_reminder_2"))

    def test_followup_coaching_and_reactivation(self):
        with freeze_time("2026-01-05 09:00:00"):
            seller = self._create_validated_seller(
                "Quiet Shop", email="quiet@example.com", user_id=self.manager.id
            )
            product = self._create_product(seller, "Candle", 15)
            self._create_order(self.buyer, [(product, 1, 15.0)])
        # 29 days without a sale: nothing; 30 days: the guide, once.
        self._run("_cron_inactivity_followups", "2026-02-03 09:00:00")
        self.assertFalse(self._events(seller, "inactivity_followup"))
        self._run("_cron_inactivity_followups", "2026-02-04 09:00:00")
        followup = self._events(seller, "inactivity_followup")
        self.assertEqual(len(followup), 1)
        self.assertEqual(followup.episode, "2026-01-05")
        self.assertEqual(len(self._mails(seller, "Make your listings shine")), 1)
        # A mass e-mail of a job: queued, recorded by the lifecycle event,
        # not posted in the seller's chatter.
        posted = self.env["mail.message"].search(
            [
                ("model", "=", "res.partner"),
                ("res_id", "=", seller.id),
                ("subject", "ilike", "Make your listings shine"),
                ("message_type", "!=", "email_outgoing"),
            ]
        )
        self.assertFalse(posted)
        # 14 days after the follow-up: no coaching yet; 15 days: one session.
        self._run("_cron_coaching_sessions", "2026-02-18 08:00:00")
        self.assertFalse(self._events(seller, "coaching"))
        self._run("_cron_coaching_sessions", "2026-02-19 09:30:00")  # a Thursday
        coaching = self._events(seller, "coaching")
        self.assertEqual(len(coaching), 1)
        meeting = coaching.calendar_event_id
        self.assertEqual(meeting.partner_ids, seller | self.manager.partner_id)
        self.assertEqual(meeting.user_id, self.manager)
        self.assertIn("calendar/join_videocall", meeting.videocall_location)
        # The next working hour from the next day: Friday 8:00 UTC.
        self.assertEqual(meeting.start.date(), date(2026, 2, 20))
        self.assertEqual(meeting.start.hour, 8)
        self.assertTrue(
            seller.activity_ids.filtered(
                lambda a: a.user_id == self.manager and "Coach" in a.summary
            )
        )
        # A new sale ends the episode: reactivation recorded, and a new
        # episode gets its own follow-up 30 days later.
        with freeze_time("2026-02-25 10:00:00"):
            self._create_order(self.buyer, [(product, 1, 15.0)])
        self._run("_cron_inactivity_followups", "2026-02-26 09:00:00")
        reactivation = self._events(seller, "reactivation")
        self.assertEqual(len(reactivation), 1)
        self.assertEqual(reactivation.date.date(), date(2026, 2, 25))
        self._run("_cron_inactivity_followups", "2026-03-27 09:00:00")
        self.assertEqual(len(self._events(seller, "inactivity_followup")), 2)
        self.assertEqual(len(self._mails(seller, "Make your listings shine")), 2)
        # The timeline on the seller shows it all.
        self.assertEqual(
            sorted(seller.seller_event_ids.mapped("event_type")),
            ["coaching", "inactivity_followup", "inactivity_followup", "reactivation"],
        )

    def test_reactivations_of_many_sellers_at_once(self):
        """One pass records a reactivation for each seller who sold on or
        after their follow-up, whatever their episode ("never" included),
        and none for those still inactive; a second pass adds nothing."""
        with freeze_time("2026-01-05 09:00:00"):
            back = self._create_validated_seller("Back Again", email="back@example.com")
            quiet = self._create_validated_seller("Still Quiet", email="q@example.com")
            first = self._create_validated_seller(
                "First Sale", email="first@example.com"
            )
            products = {
                seller: self._create_product(seller, f"Item of {seller.name}", 12)
                for seller in (back, quiet, first)
            }
            for seller in (back, quiet):
                self._create_order(self.buyer, [(products[seller], 1, 12.0)])
        self._run("_cron_inactivity_followups", "2026-02-04 09:00:00")
        followups = self._events(back | quiet | first, "inactivity_followup")
        self.assertEqual(
            sorted(followups.mapped(lambda e: (e.seller_id.name, e.episode))),
            [
                ("Back Again", "2026-01-05"),
                ("First Sale", "never"),
                ("Still Quiet", "2026-01-05"),
            ],
        )
        self.assertEqual(
            len(self._mails(back | quiet | first, "Make your listings shine")), 3
        )
        with freeze_time("2026-02-20 10:00:00"):
            self._create_order(self.buyer, [(products[back], 1, 12.0)])
        with freeze_time("2026-03-01 10:00:00"):
            self._create_order(self.buyer, [(products[first], 2, 12.0)])
        self._run("_cron_inactivity_followups", "2026-03-02 09:00:00")
        reactivations = self._events(back | quiet | first, "reactivation")
        self.assertEqual(
            sorted(
                reactivations.mapped(
                    lambda e: (e.seller_id.name, e.episode, str(e.date))
                )
            ),
            [
                ("Back Again", "2026-01-05", "2026-02-20 12:00:00"),
                ("First Sale", "never", "2026-03-01 12:00:00"),
            ],
        )
        self.assertIn("reactivation", back.seller_event_ids.mapped("event_type"))
        self.assertNotIn("reactivation", quiet.seller_event_ids.mapped("event_type"))

    def test_coaching_skips_busy_hours(self):
        self.env["calendar.event"].create(
            {
                "name": "Busy",
                "start": "2026-02-20 08:00:00",
                "stop": "2026-02-20 10:00:00",
                "user_id": self.manager.id,
                "partner_ids": [(6, 0, self.manager.partner_id.ids)],
            }
        )
        with freeze_time("2026-02-19 09:30:00"):
            agendas = self.Event._coaching_agendas(self.manager, timedelta(hours=1))
        slot = agendas[self.manager.id].next_start()
        self.assertEqual(slot.isoformat(), "2026-02-20T10:00:00")

    def test_claim_is_exactly_once(self):
        seller = self._create_seller("Claimed")
        first = self.Event._claim(seller, "profile_reminder", "registration")
        again = self.Event._claim(seller, "profile_reminder", "registration")
        self.assertTrue(first)
        self.assertFalse(again)
        other = self.Event._claim(seller, "inactivity_followup", "never")
        self.assertTrue(other)


@tagged("post_install", "-at_install")
class TestClaimConcurrency(TransactionCase):
    """Two workers claiming the same event at once: the second waits on the
    unique index and gets nothing. Runs on two real connections against a
    committed demo seller, and removes what it committed."""

    def test_two_cursors_claim_once(self):
        seller_id = self.env.ref("marketplace_crm.seller_papier_plie").id
        episode = "concurrency-test"
        results = {}
        with (
            closing(db_connect(self.env.cr.dbname).cursor()) as cr1,
            closing(db_connect(self.env.cr.dbname).cursor()) as cr2,
        ):
            try:
                env1 = api.Environment(cr1, SUPERUSER_ID, {})
                env2 = api.Environment(cr2, SUPERUSER_ID, {})
                seller1 = env1["res.partner"].browse(seller_id)
                seller2 = env2["res.partner"].browse(seller_id)
                results["first"] = (
                    env1["marketplace.seller.event"]
                    ._claim(seller1, "coaching", episode)
                    .ids
                )

                def second():
                    results["second"] = (
                        env2["marketplace.seller.event"]
                        ._claim(seller2, "coaching", episode)
                        .ids
                    )

                worker = threading.Thread(target=second)
                worker.start()
                worker.join(timeout=1)
                self.assertTrue(
                    worker.is_alive(), "The second claim waits for the first"
                )
                cr1.commit()
                worker.join(timeout=10)
                cr2.commit()
            finally:
                cr1.rollback()
                cr1.execute(
                    "DELETE FROM marketplace_seller_event WHERE episode = %s", [episode]
                )
                cr1.commit()
        self.assertEqual(len(results["first"]), 1)
        self.assertEqual(results["second"], [])
