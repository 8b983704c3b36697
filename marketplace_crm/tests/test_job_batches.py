from contextlib import contextmanager
from unittest.mock import patch

from freezegun import freeze_time

from odoo.tests import tagged

from odoo.addons.queue_job.job import Job
from odoo.addons.queue_job.tests.common import trap_jobs

from .common import MarketplaceCase, cron_batches_without_commit

DAY = "2026-03-20 09:00:00"


@contextmanager
def time_budget(env, batches):
    """Each batch's commit only flushes, and reports the run's time budget
    spent once ``batches`` batches are committed: the job must stop there."""
    state = {"left": batches}

    def _commit_progress(self, processed=0, *, remaining=None, deactivate=False):
        self.env.flush_all()
        if processed:
            state["left"] -= 1
        return 60.0 if state["left"] > 0 else 0.0

    with patch.object(type(env["ir.cron"]), "_commit_progress", _commit_progress):
        yield


@contextmanager
def spy(model, method, seen):
    """Record the ids of every batch ``model.<method>(batch, ...)`` handles."""
    original = getattr(type(model), method)

    def handler(self, records, *args):
        seen.extend(records.ids)
        return original(self, records, *args)

    with patch.object(type(model), method, handler):
        yield


@tagged("post_install", "-at_install")
class TestJobBatches(MarketplaceCase):
    """The scheduled jobs stop when their time budget is spent and go on
    where they stopped; with the Settings switch on, the long ones queue one
    job per batch, never twice, with the same result."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Event = cls.env["marketplace.seller.event"]
        cls.Cursor = cls.env["marketplace.job.cursor"]
        with freeze_time("2026-03-01 09:00:00"):
            cls.new_sellers = cls.Partner.browse(
                [
                    cls._create_seller(
                        f"Unlisted {i}", email=f"unlisted{i}@example.com"
                    ).id
                    for i in range(5)
                ]
            )

    def setUp(self):
        super().setUp()
        self.reminded_before = self._reminded(everyone=True)
        self.last_mail = self.env["mail.mail"].search([], order="id desc", limit=1)

    def _reminded(self, everyone=False):
        """The sellers sent the profile reminder (by the test only)."""
        sellers = self.Event.search([("event_type", "=", "profile_reminder")]).seller_id
        return sellers if everyone else sellers - self.reminded_before

    def _reminder_mails(self):
        return self.env["mail.mail"].search(
            [
                ("id", ">", self.last_mail.id),
                ("model", "=", "res.partner"),
                ("subject", "ilike", "first product"),
            ]
        )

    def _switch_on(self):
        self.env["ir.config_parameter"].sudo().set_param(
            "marketplace_crm.jobs_on_workers", "True"
        )

    # ------------------------------------------------------------ time budget
    def test_profile_reminders_stop_and_resume(self):
        seen = []
        with (
            freeze_time(DAY),
            spy(self.Event, "_job_profile_reminders", seen),
        ):
            with time_budget(self.env, batches=1):
                self.Event._cron_profile_reminders(batch_size=2)
            self.assertEqual(len(seen), 2, "Stopped after its first batch")
            self.assertEqual(len(self._reminded()), 2)
            self.assertTrue(self.Cursor.search([]), "Where it stopped is kept")
            with cron_batches_without_commit(self.env):
                self.Event._cron_profile_reminders(batch_size=2)
        self.assertEqual(len(seen), len(set(seen)), "No seller handled twice")
        self.assertLessEqual(self.new_sellers, self._reminded())
        self.assertEqual(set(seen), set(self._reminded().ids))
        mails = self._reminder_mails()
        self.assertEqual(sorted(mails.mapped("res_id")), sorted(set(seen)))
        self.assertFalse(self.Cursor.search([]), "The finished job forgets it")

    def test_segment_refresh_stop_and_resume(self):
        """The set-based refresh has no claim: the cursor alone makes the
        next run go on after the last batch committed."""
        Partner = self.env["res.partner"]
        seen = []
        with freeze_time(DAY), spy(Partner, "_job_refresh_marketplace_segments", seen):
            with time_budget(self.env, batches=2):
                Partner._cron_refresh_marketplace_segments(batch_size=7)
            self.assertEqual(len(seen), 14)
            with time_budget(self.env, batches=1):
                Partner._cron_refresh_marketplace_segments(batch_size=7)
            self.assertEqual(len(seen), 21)
            with cron_batches_without_commit(self.env):
                Partner._cron_refresh_marketplace_segments(batch_size=7)
            everyone = (
                Partner.with_context(active_test=False)
                .search(["|", ("is_seller", "=", True), ("is_buyer", "=", True)])
                .ids
            )
            self.assertEqual(sorted(seen), sorted(everyone), "Each partner once")
            # The next day's run starts from the beginning again.
            seen.clear()
            with cron_batches_without_commit(self.env):
                Partner._cron_refresh_marketplace_segments(batch_size=7)
            self.assertEqual(sorted(seen), sorted(everyone))

    def test_budget_spent_in_the_first_step_skips_the_next(self):
        """The inactivity job refreshes the segments before the follow-ups:
        stopped during the refresh, it sends nothing until the refresh is
        done, and does not refresh again afterwards."""
        refreshed, followed = [], []
        with (
            freeze_time(DAY),
            spy(self.Event, "_job_refresh_figures", refreshed),
            spy(self.Event, "_job_inactivity_followups", followed),
        ):
            with time_budget(self.env, batches=1):
                self.Event._cron_inactivity_followups(batch_size=1)
            self.assertTrue(refreshed)
            self.assertFalse(followed)
            count = len(refreshed)
            with time_budget(self.env, batches=1):
                self.Event._cron_inactivity_followups(batch_size=1)
            self.assertEqual(len(refreshed), count, "Refresh done, not repeated")
            self.assertEqual(len(followed), 1)

    # ------------------------------------------------------------ job workers
    def test_switch_off_runs_in_the_scheduler(self):
        with freeze_time(DAY), cron_batches_without_commit(self.env):
            with trap_jobs() as trap:
                self.Event._cron_profile_reminders(batch_size=2)
            trap.assert_jobs_count(0)
        self.assertLessEqual(self.new_sellers, self._reminded())

    def test_batches_are_queued_once(self):
        self._switch_on()
        jobs = self.env["queue.job"].search
        domain = [("method_name", "=", "_job_profile_reminders")]
        with freeze_time(DAY), cron_batches_without_commit(self.env):
            self.Event._cron_profile_reminders(batch_size=2)
            queued = jobs(domain)
            self.assertTrue(queued)
            self.assertFalse(self._reminded(), "Nothing sent by the scheduler")
            self.Event._cron_profile_reminders(batch_size=2)
        self.assertEqual(jobs(domain), queued, "The same batches, not queued again")
        self.assertEqual(set(queued.mapped("channel")), {"root.marketplace_mail"})
        self.assertTrue(all(queued.mapped("identity_key")))
        batches = [job.args[0].ids for job in queued]
        ids = [i for batch in batches for i in batch]
        self.assertEqual(len(ids), len(set(ids)), "A seller in one batch only")
        self.assertTrue(all(len(batch) <= 2 for batch in batches))
        self.assertLessEqual(set(self.new_sellers.ids), set(ids))
        # The job workers run them.
        with freeze_time(DAY):
            for job in queued:
                Job.load(self.env, job.uuid).perform()
        self.assertEqual(sorted(self._reminded().ids), sorted(ids))
        self.assertEqual(sorted(self._reminder_mails().mapped("res_id")), sorted(ids))

    def _result_of(self, run):
        """What ``run()`` did: events and e-mails created, segments moved."""
        events, mails = self.Event.search([]), self.env["mail.mail"].search([])
        sellers = self.env["res.partner"].search([("is_seller", "=", True)])
        with freeze_time(DAY), cron_batches_without_commit(self.env):
            run()
        self.env.invalidate_all()
        return (
            {
                (e.seller_id.id, e.event_type, e.episode)
                for e in self.Event.search([]) - events
            },
            {(m.res_id, m.subject) for m in self.env["mail.mail"].search([]) - mails},
            {(s.id, s.seller_segment) for s in sellers},
        )

    def _same_outcome_queued(self, cron, method):
        """Run ``cron`` in the scheduler, undo it, then with the switch on and
        its queued jobs performed: the same events, e-mails and segments."""
        with self.env.cr.savepoint(flush=True) as savepoint:
            in_process = self._result_of(cron)
            self.env.flush_all()
            savepoint.close(rollback=True)
        self.env.invalidate_all()
        self._switch_on()

        def queued():
            with trap_jobs() as trap:
                cron()
                self.assertTrue(trap.enqueued_jobs)
                self.assertTrue(
                    all(job.method_name == method for job in trap.enqueued_jobs)
                )
                trap.perform_enqueued_jobs()

        self.assertEqual(self._result_of(queued), in_process)
        return in_process

    def test_profile_reminders_queued_same_result(self):
        events, __, __ = self._same_outcome_queued(
            lambda: self.Event._cron_profile_reminders(batch_size=2),
            "_job_profile_reminders",
        )
        self.assertTrue(events, "The job had work to do")

    def test_inactivity_followups_queued_same_result(self):
        with freeze_time("2026-01-05 09:00:00"):
            for i in range(3):
                self._create_validated_seller(f"Quiet {i}", email=f"q{i}@example.com")
        events, __, __ = self._same_outcome_queued(
            lambda: self.Event._cron_inactivity_followups(batch_size=2),
            "_job_inactivity_followups",
        )
        self.assertTrue(events, "The job had work to do")

    def test_segment_refresh_queued_same_result(self):
        with freeze_time("2026-01-05 09:00:00"):
            seller = self._create_validated_seller("Quiet", email="quiet@example.com")
            self.env.flush_all()
        self.assertNotEqual(seller.seller_segment, "inactive")
        Partner = self.env["res.partner"]
        __, __, segments = self._same_outcome_queued(
            lambda: Partner._cron_refresh_marketplace_segments(batch_size=7),
            "_job_refresh_marketplace_segments",
        )
        self.assertIn((seller.id, "inactive"), segments, "No sale for 74 days")

    def test_settings_switch(self):
        """The switch in Settings is what sends the jobs to the workers."""
        settings = self.env["res.config.settings"].create(
            {"marketplace_jobs_on_workers": True}
        )
        settings.execute()
        with freeze_time(DAY), cron_batches_without_commit(self.env):
            with trap_jobs() as trap:
                self.Event._cron_profile_reminders(batch_size=2)
            trap.assert_jobs_count(3, only=self.Event._job_profile_reminders)
            self.assertFalse(self._reminded(), "Left to the job workers")
            settings.marketplace_jobs_on_workers = False
            settings.execute()
            with trap_jobs() as trap:
                self.Event._cron_profile_reminders(batch_size=2)
            trap.assert_jobs_count(0)
        self.assertLessEqual(self.new_sellers, self._reminded())
