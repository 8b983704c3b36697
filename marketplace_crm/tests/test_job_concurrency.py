"""Every scheduled job of the addon, and every job it queues for the job
workers, run twice at the same moment by two processes (two real
connections, each committing): the work is done once, as by one run, and
nothing is logged as an error.

The jobs are found, not listed: every ``ir.cron`` of the addon (its XML ids)
and every queue_job job the crons queue with the Settings switch "Run long
jobs on job workers" on, so that a job added later is covered."""

import threading
import time
from contextlib import contextmanager
from datetime import timedelta
from unittest.mock import patch

from odoo import SUPERUSER_ID, fields, models
from odoo.tests import TransactionCase, tagged

from odoo.addons.queue_job.tests.common import trap_jobs

from ..models import (
    marketplace_batches,
    marketplace_seller_event,
    marketplace_webhook_delivery,
)
from ..models.marketplace_batches import JOBS_ON_WORKERS_PARAM
from .common import PDF
from .concurrency import Database, error_lines, factories, process_env

# Bookkeeping of the runs themselves, not work: the scheduler's progress and
# next call, the jobs' resume points, the queued jobs' states.
BOOKKEEPING = {
    "ir_cron",
    "ir_cron_progress",
    "ir_cron_trigger",
    "marketplace_job_cursor",
    "queue_job",
}


@contextmanager
def handled_records():
    """The (step, id) of every record given to a step of a job that keeps a
    resume point (``run_in_batches`` with a cursor), in any thread."""
    seen = []
    lock = threading.Lock()
    original = marketplace_batches.run_in_batches

    def run_in_batches(env, records, handler, batch_size=100, resume=None):
        def counted(batch):
            result = handler(batch)
            if resume:
                with lock:
                    seen.extend((resume, record_id) for record_id in batch.ids)
            return result

        return original(env, records, counted, batch_size=batch_size, resume=resume)

    with (
        patch.object(marketplace_batches, "run_in_batches", run_in_batches),
        patch.object(marketplace_seller_event, "run_in_batches", run_in_batches),
    ):
        yield seen


def work(db, run, *args):
    """Call ``run(*args)``; return its result and what it added to (or
    removed from) each table, with how many of its rows it wrote,
    bookkeeping aside."""
    before = db.counts()
    since = db.mark()
    result = run(*args)
    after = db.counts(since)
    return result, {
        table: (count - before[table][0], written)
        for table, (count, written) in after.items()
        if (count != before[table][0] or written) and table not in BOOKKEEPING
    }


@tagged("post_install", "-at_install")
class TestJobsTwiceAtOnce(TransactionCase):
    """Each job run once, then (from the same data) twice at once: the second
    run adds nothing, the losing process logs nothing as an error. Runs on
    committed data, put back at the end."""

    def setUp(self):
        super().setUp()
        self.db = Database(self.registry)
        self.addCleanup(self.db.close)
        self.db.snapshot("pristine")
        self.addCleanup(self._put_back)

    def _put_back(self):
        self.db.restore("pristine")
        self.registry.clear_all_caches()

    def _env(self, uid=SUPERUSER_ID):
        return process_env(self.registry, uid)

    # ------------------------------------------------------------ data
    def _prepare(self, env):
        """Data with work for every job: sellers registered long ago without
        a listing, validated sellers without a sale, sellers with sales (the
        reviews, the quality programme), documents about to expire, a
        pending registration, a contract to renew, order parts to rate, an
        SLA breached, a seller past the retention period."""
        factory = factories(env)
        today = fields.Date.today()
        long_ago = today - timedelta(days=120)
        Partner = env["res.partner"]
        Event = env["marketplace.seller.event"]
        for i in range(3):
            factory._create_seller(
                f"Race unlisted {i}",
                email=f"race.unlisted{i}@example.com",
                seller_registration_date=long_ago,
            )
        buyer = Partner.create(
            {"name": "Race buyer", "email": "race.buyer@example.com"}
        )
        sellers = Partner
        for i in range(3):
            seller = factory._create_validated_seller(
                f"Race seller {i}", email=f"race.seller{i}@example.com"
            )
            product = factory._create_product(seller, f"Race bowl {i}", price=40.0)
            if i:
                factory._create_order(buyer, [(product, 1, 40.0)])
            sellers |= seller
        # Coaching: a follow-up long unanswered, and a waiting session of a
        # seller who sold since (taken off the waiting list).
        Event.create(
            {
                "seller_id": sellers[0].id,
                "event_type": "inactivity_followup",
                "episode": "never",
                "date": fields.Datetime.now() - timedelta(days=90),
            }
        )
        Event.create(
            {
                "seller_id": sellers[1].id,
                "event_type": "coaching",
                "episode": "never",
                "coaching_state": "waiting",
            }
        )
        # Documents: one about to expire, one expired.
        identity = env.ref("marketplace_crm.marketplace_document_type_identity")
        for seller, days in ((sellers[1], 3), (sellers[2], -1)):
            env["marketplace.seller.document"].create(
                {
                    "partner_id": seller.id,
                    "document_type_id": identity.id,
                    "file": PDF,
                    "file_name": "id.pdf",
                    "expiry_date": today + timedelta(days=days),
                    "kyc_state": "approved",
                }
            )
        # Two registrations waiting for the job.
        Registration = env["marketplace.seller.registration"]
        for i in range(2):
            Registration._submit(
                Registration._check_form(
                    {
                        "name": f"Race applicant {i}",
                        "email": f"race.applicant{i}@example.com",
                        "shop_name": f"Race applicant shop {i}",
                    }
                )
            )
        # A registration rejected long ago (retention).
        rejected = factory._create_seller("Race rejected", email="race.rej@example.com")
        env.flush_all()
        env.cr.execute(
            "UPDATE res_partner SET verification_state = 'rejected', "
            "verification_date = NOW() - INTERVAL '5 years' WHERE id = %s",
            [rejected.id],
        )
        # Tickets whose SLA has just passed.
        env.cr.execute(
            "UPDATE helpdesk_ticket_sla SET deadline = "
            "(NOW() AT TIME ZONE 'UTC') - INTERVAL '1 hour' "
            "WHERE state = 'in_progress'"
        )
        env.invalidate_all()

    # ------------------------------------------------------------ runs
    def _crons(self):
        data = self.env["ir.model.data"].search(
            [("module", "=", "marketplace_crm"), ("model", "=", "ir.cron")]
        )
        return self.env["ir.cron"].browse(data.mapped("res_id")).sorted("id")

    def _run_cron_twice_at_once(self, cron):
        """One process runs ``cron`` as the scheduler (or "Run Manually")
        does, its row locked; the other calls the job's method at the same
        moment, as another process would (a shell, a server action, a second
        worker). Both select their records before either handles a batch."""
        barrier = threading.Barrier(2)
        met = []
        failures = []
        local = threading.local()
        IrCron = type(self.env["ir.cron"])
        original = IrCron._commit_progress

        def _commit_progress(model, *args, **kwargs):
            result = original(model, *args, **kwargs)
            if not getattr(local, "met", False):
                local.met = True
                try:
                    barrier.wait(timeout=20)
                except threading.BrokenBarrierError:
                    met.append(False)  # the other process never got there
                else:
                    met.append(True)
            return result

        def scheduler():
            try:
                with self._env() as env:
                    job = IrCron._acquire_one_job(
                        env.cr, cron.id, include_not_ready=True
                    )
                    env["ir.cron"]._process_job(env.cr, job)
            except Exception as error:  # noqa: BLE001
                failures.append(error)

        def direct():
            try:
                with self._env(cron.user_id.id) as env:
                    env["ir.actions.server"].browse(cron.ir_actions_server_id.id).run()
            except Exception as error:  # noqa: BLE001
                failures.append(error)

        with patch.object(IrCron, "_commit_progress", _commit_progress):
            threads = [
                threading.Thread(target=scheduler),
                threading.Thread(target=direct),
            ]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(timeout=120)
        self.assertFalse(any(t.is_alive() for t in threads), f"{cron.name} ended")
        self.assertFalse(failures, f"{cron.name}: {failures}")
        return met == [True, True]

    def _run_cron_once(self, cron):
        with self._env(cron.user_id.id) as env:
            env["ir.actions.server"].browse(cron.ir_actions_server_id.id).run()

    def test_every_scheduled_job_twice_at_once(self):
        with self._env() as env:
            self._prepare(env)
        self.db.snapshot("prepared")
        crons = self._crons()
        self.assertGreaterEqual(len(crons), 13)
        for cron in crons:
            with self.subTest(job=cron.name):
                with handled_records() as handled_once:
                    __, once = work(self.db, self._run_cron_once, cron)
                self.db.restore("prepared")
                self.assertTrue(once or handled_once, f"{cron.name} has work")
                with handled_records() as handled_twice, error_lines() as errors:
                    together, twice = work(self.db, self._run_cron_twice_at_once, cron)
                self.db.restore("prepared")
                self.assertEqual(errors, [], f"{cron.name} logged no error")
                self.assertTrue(together, f"{cron.name}: both ran at once")
                self.assertEqual(twice, once, f"{cron.name} did its work once")
                self.assertEqual(
                    sorted(handled_twice),
                    sorted(handled_once),
                    f"{cron.name} handled each record once",
                )

    # ------------------------------------------------------------ queue jobs
    def _queued_jobs(self):
        """The first job of each job method the crons queue with the Settings
        switch on (trapped, so that no job worker runs them meanwhile)."""
        with self._env() as env:
            env["ir.config_parameter"].set_param(JOBS_ON_WORKERS_PARAM, "True")
        with trap_jobs() as trap:
            for cron in self._crons():
                self._run_cron_once(cron)
        first = {}
        for job in trap.enqueued_jobs:
            first.setdefault(
                (job.model_name, job.method_name),
                {
                    "uuid": job.uuid,
                    "ids": job.recordset.ids,
                    "uid": job.recordset.env.uid,
                    "args": [
                        (arg._name, arg.ids)
                        if isinstance(arg, models.BaseModel)
                        else arg
                        for arg in job.args
                    ],
                    "kwargs": job.kwargs,
                },
            )
        return first

    @staticmethod
    def _perform(env, model, method, job):
        """Run the job's method as a job worker does (in a savepoint)."""
        args = [
            env[arg[0]].browse(arg[1]) if isinstance(arg, tuple) else arg
            for arg in job["args"]
        ]
        records = (
            env[model]
            .with_user(job["uid"])
            .with_context(job_uuid=job["uuid"])
            .browse(job["ids"])
        )
        with env.cr.savepoint():
            getattr(records, method)(*args, **job["kwargs"])

    def _perform_once(self, model, method, job):
        with self._env() as env:
            self._perform(env, model, method, job)

    def _perform_twice_at_once(self, model, method, job):
        """Two job workers perform the same job (the same batch) at once, as
        when two processes queued it at the same moment."""
        barrier = threading.Barrier(2)
        failures = []

        def worker():
            try:
                with self._env() as env:
                    env.cr.execute("SELECT 1")  # the worker's transaction starts
                    barrier.wait(timeout=20)
                    self._perform(env, model, method, job)
            except Exception as error:  # noqa: BLE001
                failures.append(error)

        threads = [threading.Thread(target=worker) for __ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
        self.assertFalse(any(t.is_alive() for t in threads))
        return failures

    def test_every_queued_job_twice_at_once(self):
        with self._env() as env:
            self._prepare(env)
        self.db.snapshot("prepared")
        jobs = self._queued_jobs()
        self.db.restore("prepared")
        self.assertGreaterEqual(len(jobs), 4, "Every job worker method is queued")
        for (model, method), job in jobs.items():
            with self.subTest(job=f"{model}.{method}"):
                __, once = work(self.db, self._perform_once, model, method, job)
                self.db.restore("prepared")
                self.assertTrue(once, f"{method} has work")
                with error_lines() as errors:
                    failures, twice = work(
                        self.db, self._perform_twice_at_once, model, method, job
                    )
                self.db.restore("prepared")
                self.assertEqual(failures, [], f"{method} ended without an error")
                self.assertEqual(errors, [], f"{method} logged no error")
                self.assertEqual(twice, once, f"{method} did its work once")

    # ------------------------------------------------------------ webhooks
    def test_webhook_delivery_twice_at_once(self):
        """Two job workers send the same webhook delivery at once (its job
        queued twice): one request goes out, the delivery is done once."""
        with self._env() as env, trap_jobs():
            webhook = env["marketplace.webhook"].create(
                {"name": "Race hook", "url": "https://hooks.example.com/race"}
            )
            delivery_id = webhook._queue_delivery("ping", {"race": True}).id
        calls = []

        def post(url, data=None, headers=None, timeout=None):
            calls.append(url)
            time.sleep(0.3)  # the receiver answers slowly
            return type("Response", (), {"status_code": 200})()

        barrier = threading.Barrier(2)
        failures = []

        def worker():
            try:
                with self._env() as env:
                    env.cr.execute("SELECT 1")
                    barrier.wait(timeout=20)
                    delivery = (
                        env["marketplace.webhook.delivery"]
                        .with_context(job_uuid="race")
                        .browse(delivery_id)
                    )
                    with env.cr.savepoint():
                        delivery._send()
            except Exception as error:  # noqa: BLE001
                failures.append(error)

        with (
            patch.object(marketplace_webhook_delivery.requests, "post", post),
            error_lines() as errors,
        ):
            threads = [threading.Thread(target=worker) for __ in range(2)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(timeout=60)
        self.assertEqual((failures, errors), ([], []))
        self.assertEqual(len(calls), 1, "Sent once")
        with self._env() as env:
            delivery = env["marketplace.webhook.delivery"].browse(delivery_id)
            self.assertEqual((delivery.state, delivery.attempt_count), ("done", 1))
