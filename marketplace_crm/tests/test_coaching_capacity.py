from collections import Counter
from datetime import datetime

import pytz
from freezegun import freeze_time

from odoo.tests import tagged

from ..tools.coaching_agenda import overlaps
from .common import MarketplaceCase, cron_batches_without_commit


@tagged("post_install", "-at_install")
class TestCoachingCapacity(MarketplaceCase):
    """Coaching sessions within the capacity of the pool: working hours,
    leaves, existing meetings and a daily maximum per coach; the others wait
    (served first by the next run) or get the self-booking link."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Event = cls.env["marketplace.seller.event"]
        cls.env.company.resource_calendar_id.tz = "UTC"
        group = cls.env.ref("marketplace_crm.group_marketplace_user")
        cls.coaches = cls.env["res.users"].create(
            [
                {
                    "name": f"Coach {n}",
                    "login": f"mp_coach_{n}",
                    "email": f"coach{n}@example.com",
                    "tz": "UTC",
                    "group_ids": [(6, 0, group.ids)],
                }
                for n in (1, 2)
            ]
        )
        cls._settings(pool=cls.coaches, daily_max=2, horizon=3)

    @classmethod
    def _settings(cls, pool=None, daily_max=2, horizon=3, url=""):
        params = cls.env["ir.config_parameter"].sudo()
        for key, value in (
            ("coaching_pool_ids", ",".join(map(str, pool.ids)) if pool else ""),
            ("coaching_daily_max", daily_max),
            ("coaching_horizon_days", horizon),
            ("coaching_duration_minutes", 60),
            ("coaching_booking_url", url),
        ):
            params.set_param(f"marketplace_crm.{key}", value)

    def _eligible(self, prefix, count, registered=2025, **vals):
        """``count`` sellers without any sale, followed up on 10 February;
        the first registered longest ago."""
        sellers = self.Partner.create(
            [
                {
                    "name": f"{prefix} {n:02d}",
                    "is_seller": True,
                    "is_company": True,
                    "email": f"{prefix.lower()}{n}@example.com",
                    "seller_registration_date": f"{registered}-01-{n + 1:02d}",
                    **vals,
                }
                for n in range(count)
            ]
        )
        for seller in sellers:
            self.Event._claim(
                seller,
                "inactivity_followup",
                "never",
                date=datetime(2026, 2, 10, 9, 0),
            )
        return sellers

    def _run(self, day):
        with freeze_time(day), cron_batches_without_commit(self.env):
            self.Event._cron_coaching_sessions()
            self.Event._cron_coaching_sessions()  # a second run changes nothing
        self.env.invalidate_all()

    def _coaching(self, sellers):
        return self.Event.search(
            [("seller_id", "in", sellers.ids), ("event_type", "=", "coaching")]
        )

    def _assert_no_overlap(self, users):
        for user in users:
            meetings = self.env["calendar.event"].search(
                [("partner_ids", "in", user.partner_id.ids)]
            )
            self.assertFalse(overlaps([(m.start, m.stop) for m in meetings]), user.name)

    def test_pool_capacity_daily_max_and_waiting_list(self):
        # Monday 2 March; the horizon is Tuesday to Thursday: 2 coaches,
        # 2 sessions a day each, 12 sessions for 15 sellers.
        sellers = self._eligible("Quiet", 15)
        self._run("2026-03-02 07:00:00")
        events = self._coaching(sellers)
        self.assertEqual(len(events), 15, "Everybody booked or waiting, once")
        booked = events.filtered(lambda e: e.coaching_state == "booked")
        waiting = events.filtered(lambda e: e.coaching_state == "waiting")
        self.assertEqual((len(booked), len(waiting)), (12, 3))
        # The longest inactive first: the last registered wait.
        self.assertEqual(waiting.seller_id, sellers[12:])
        self.assertFalse(waiting.calendar_event_id)
        per_coach_day = Counter(
            (e.coach_id, e.calendar_event_id.start.date()) for e in booked
        )
        self.assertEqual(set(per_coach_day.values()), {2})
        self.assertEqual(len(per_coach_day), 6)
        for event in booked:
            meeting = event.calendar_event_id
            self.assertEqual(
                meeting.partner_ids, event.seller_id | event.coach_id.partner_id
            )
            self.assertEqual(meeting.user_id, event.coach_id)
            self.assertIn(meeting.start.hour, (8, 9))
            self.assertEqual((meeting.stop - meeting.start).seconds, 3600)
            self.assertIn("calendar/join_videocall", event.note)
        self.assertEqual(
            sorted({e.calendar_event_id.start.day for e in booked}), [3, 4, 5]
        )
        self._assert_no_overlap(self.coaches)
        # The sellers get the invitation (queued), the coaches an activity
        # each and no e-mail.
        mails = self.env["mail.mail"].search(
            [
                ("model", "=", "calendar.event"),
                ("res_id", "in", booked.calendar_event_id.ids),
            ]
        )
        self.assertEqual(mails.recipient_ids, booked.seller_id)
        self.assertEqual(set(mails.mapped("state")), {"outgoing"})
        self.assertEqual(
            len(
                booked.seller_id.activity_ids.filtered(
                    lambda a: a.user_id in self.coaches
                )
            ),
            12,
        )
        # The staff's waiting list.
        action = self.env["res.config.settings"].action_marketplace_coaching_waiting()
        self.assertEqual(action["context"], "{'search_default_waiting': 1}")
        self.assertEqual(action["res_model"], self.Event._name)
        self.assertEqual(
            self.Event.search(
                [
                    ("seller_id", "in", sellers.ids),
                    ("event_type", "=", "coaching"),
                    ("coaching_state", "=", "waiting"),
                ]
            ),
            waiting,
        )

        # Tuesday: Wednesday and Thursday are full, Friday has 4 slots. The 3
        # waiting sellers come first, before newer follow-ups of sellers
        # inactive for longer.
        newcomers = self._eligible("Older", 5, registered=2024)
        self._run("2026-03-03 07:00:00")
        self.assertEqual(set(waiting.mapped("coaching_state")), {"booked"})
        self.assertEqual({e.calendar_event_id.start.day for e in waiting}, {6})
        new_events = self._coaching(newcomers)
        self.assertEqual(
            new_events.filtered(lambda e: e.coaching_state == "booked").seller_id,
            newcomers[:1],
        )
        self.assertEqual(
            new_events.filtered(lambda e: e.coaching_state == "waiting").seller_id,
            newcomers[1:],
        )
        self.assertEqual(len(self._coaching(sellers | newcomers)), 20)
        self._assert_no_overlap(self.coaches)
        per_coach_day = Counter(
            (e.coach_id, e.calendar_event_id.start.date())
            for e in self._coaching(sellers | newcomers)
            if e.calendar_event_id
        )
        self.assertLessEqual(max(per_coach_day.values()), 2)

    def test_working_hours_leaves_and_meetings_are_respected(self):
        manager = self.coaches[0]
        self._settings(pool=None, daily_max=10, horizon=3)
        calendar = self.env.company.resource_calendar_id
        resource = self.env["resource.resource"].create(
            {
                "name": manager.name,
                "user_id": manager.id,
                "calendar_id": calendar.id,
                "tz": "UTC",
            }
        )
        # Tuesday on leave, Wednesday busy until 10:30, Thursday all day out.
        self.env["resource.calendar.leaves"].create(
            {
                "name": "Leave",
                "resource_id": resource.id,
                "calendar_id": calendar.id,
                "date_from": "2026-03-03 00:00:00",
                "date_to": "2026-03-03 23:59:59",
            }
        )
        busy = self.env["calendar.event"].create(
            [
                {
                    "name": "Busy",
                    "start": "2026-03-04 07:30:00",
                    "stop": "2026-03-04 10:30:00",
                    "user_id": manager.id,
                    "partner_ids": [(6, 0, manager.partner_id.ids)],
                },
                {
                    "name": "Trade fair",
                    "allday": True,
                    "start": "2026-03-05 08:00:00",
                    "stop": "2026-03-05 18:00:00",
                    "user_id": manager.id,
                    "partner_ids": [(6, 0, manager.partner_id.ids)],
                },
            ]
        )
        sellers = self._eligible("Managed", 10, user_id=manager.id)
        self._run("2026-03-02 07:00:00")
        events = self._coaching(sellers)
        booked = events.filtered(lambda e: e.coaching_state == "booked")
        self.assertEqual(len(booked), 5)
        self.assertEqual(
            len(events.filtered(lambda e: e.coaching_state == "waiting")), 5
        )
        self.assertEqual(booked.coach_id, manager)
        # Wednesday only: 10:30 (the morning ends at 12:00), then 13:00-17:00.
        self.assertEqual(
            sorted(e.calendar_event_id.start for e in booked),
            [
                datetime(2026, 3, 4, 10, 30),
                datetime(2026, 3, 4, 13, 0),
                datetime(2026, 3, 4, 14, 0),
                datetime(2026, 3, 4, 15, 0),
                datetime(2026, 3, 4, 16, 0),
            ],
        )
        work = calendar._work_intervals_batch(
            pytz.utc.localize(datetime(2026, 3, 2)),
            pytz.utc.localize(datetime(2026, 3, 7)),
            resources=resource,
        )[resource.id]
        for meeting in booked.calendar_event_id:
            self.assertTrue(
                any(
                    start.replace(tzinfo=None) <= meeting.start
                    and meeting.stop <= stop.replace(tzinfo=None)
                    for start, stop, __ in work
                ),
                meeting.start,
            )
        self.assertFalse(booked.calendar_event_id & busy)
        self._assert_no_overlap(manager)

    def test_self_booking_link_when_the_pool_is_full(self):
        self.env["res.lang"]._activate_lang("fr_FR")
        self.env["ir.module.module"]._load_module_terms(
            ["mail", "marketplace_crm"], ["fr_FR"], overwrite=True
        )
        self._settings(
            pool=self.coaches, daily_max=0, url="https://book.example.com/coaching"
        )
        sellers = self._eligible("Linked", 2)
        sellers[0].lang = "fr_FR"
        self._run("2026-03-02 07:00:00")
        events = self._coaching(sellers)
        self.assertEqual(set(events.mapped("coaching_state")), {"link"})
        self.assertFalse(events.calendar_event_id)
        mails = self.env["mail.mail"].search(
            [("model", "=", self.Event._name), ("res_id", "in", events.ids)]
        )
        self.assertEqual(len(mails), 2, "One e-mail each, whatever the runs")
        self.assertTrue(
            all("https://book.example.com/coaching" in m.body_html for m in mails)
        )
        by_seller = {m.recipient_ids: m for m in mails}
        self.assertIn("Réservez votre séance", by_seller[sellers[0]].subject)
        self.assertIn("Book your coaching session", by_seller[sellers[1]].subject)
        # Served: they do not come back to the queue.
        self._run("2026-03-09 07:00:00")
        self.assertEqual(set(events.mapped("coaching_state")), {"link"})

    def test_a_waiting_seller_who_sells_leaves_the_list(self):
        self._settings(pool=self.coaches, daily_max=0)
        seller = self._eligible("Seller", 1)
        self._run("2026-03-02 07:00:00")
        event = self._coaching(seller)
        self.assertEqual(event.coaching_state, "waiting")
        seller.seller_last_sale_date = "2026-03-04"
        self._settings(pool=self.coaches, daily_max=2)
        self._run("2026-03-05 07:00:00")
        self.assertEqual(event.coaching_state, "cancelled")
        self.assertFalse(event.calendar_event_id)

    def test_uplift_counts_only_sellers_coached(self):
        """A seller still waiting for a slot, or who sold while waiting, was
        not coached: the Uplift report does not count them as treated."""
        sellers = self._eligible("Measured", 4)
        day = datetime(2015, 3, 2, 9, 0)
        for seller, state in zip(
            sellers, ("booked", "link", "waiting", "cancelled"), strict=True
        ):
            event = self.Event._claim(seller, "coaching", "measured", date=day)
            event.coaching_state = state
        self.env.flush_all()
        self.env["marketplace.uplift.report"].invalidate_model()
        total = self.env["marketplace.uplift.report"].search(
            [
                ("automation", "=", "coaching"),
                ("outcome", "=", "sale_30"),
                ("month", "=", "2015-03-01"),
            ]
        )
        self.assertEqual(total.treated_count, 2)

    def test_control_group_is_not_booked(self):
        params = self.env["ir.config_parameter"].sudo()
        params.set_param("marketplace_crm.holdout_coaching", "1")
        params.set_param("marketplace_crm.holdout_share_coaching", "100")
        sellers = self._eligible("Control", 3)
        self._run("2026-03-02 07:00:00")
        self.assertFalse(self._coaching(sellers))
        held_out = self.Event.search(
            [("seller_id", "in", sellers.ids), ("event_type", "=", "held_out")]
        )
        self.assertEqual(held_out.mapped("holdout_automation"), ["coaching"] * 3)

    def test_settings_show_the_pool(self):
        arch = self.env["res.config.settings"].get_views([(False, "form")])["views"][
            "form"
        ]["arch"]
        for name in (
            "marketplace_coaching_pool_ids",
            "marketplace_coaching_daily_max",
            "marketplace_coaching_duration_minutes",
            "marketplace_coaching_horizon_days",
            "marketplace_coaching_booking_url",
        ):
            self.assertIn(f'name="{name}"', arch)
        settings = self.env["res.config.settings"].create(
            {
                "marketplace_coaching_pool_ids": [(6, 0, self.coaches[1:].ids)],
                "marketplace_coaching_daily_max": 3,
            }
        )
        settings.execute()
        self.assertEqual(self.Event._coaching_pool(), self.coaches[1:])
        again = self.env["res.config.settings"].create({})
        self.assertEqual(again.marketplace_coaching_pool_ids, self.coaches[1:])
        self.assertEqual(again.marketplace_coaching_daily_max, 3)
