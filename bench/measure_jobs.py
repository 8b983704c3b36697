"""Measure the long scheduled jobs, in the scheduler and on job workers.

Run after bench/run.sh (same database, see bench/README.md):

    python3 bench/measure_jobs.py --database marketplace_bench \
        --addons-path "$(odoo_addons_path)" --db-user "$PGUSER" --output out.md

Seeds what the jobs act on (an e-mail address on every generated seller,
one seller in ten registered ten days ago without a product), then for each
job (profile reminders, inactivity follow-ups, monthly reviews, segment
refresh):

- runs it in this process, as the scheduler does (Settings switch off):
  seconds, SQL queries, queries per record handled, e-mails queued;
- with the switch on, runs the cron (it only queues one job per batch),
  then performs the queued jobs with 1, then 2 worker processes, each with
  its own registry and cursor, taking pending jobs with SKIP LOCKED and
  running them through queue_job's own controller code
  (``RunJobController._acquire_job`` / ``_runjob``): wall-clock seconds from
  the start signal to the last job done, and the e-mails queued, which must
  equal the in-process run's.

What a run created (events, reviews, e-mails, queued jobs) is deleted
before the next one, so each starts from the same data; the seeds are
removed at the end. Exits non-zero when a queued run's result differs from
the in-process one.
"""

import datetime
import json
import os
import resource
import subprocess
import sys
from pathlib import Path

from measure import CLOCK, bench_setup, measure
from psycopg2.errors import SerializationFailure

import odoo
from odoo import api

SWITCH = "marketplace_crm.jobs_on_workers"
# Batch size of the e-mail jobs (default: theirs, 100 sellers, 200 for the
# reviews); a small database needs smaller batches to make several jobs.
BATCH_SIZE = int(os.environ.get("BENCH_JOB_BATCH") or 0) or None
# Batch size of the segment refresh (default: its own, 20,000 partners).
SEGMENT_BATCH_SIZE = int(os.environ.get("BENCH_SEGMENT_BATCH") or 0) or None

SEED = """
UPDATE res_partner SET email = 'seller' || id || '@bench.example.com'
 WHERE is_seller AND email IS NULL AND name LIKE 'Bench %%';
INSERT INTO res_partner (name, complete_name, type, active, is_company, autopost_bills,
                         is_seller, seller_registration_date, verification_state,
                         shop_name, email, create_date, write_date)
SELECT 'BENCHJ Unlisted ' || n, 'BENCHJ Unlisted ' || n, 'contact', true, true, 'ask',
       true, (now() - interval '10 days')::date, 'draft', 'Shop U' || n,
       'unlisted' || n || '@bench.example.com', now(), now()
  FROM generate_series(1, %(unlisted)s) n;
UPDATE res_partner SET commercial_partner_id = id
 WHERE commercial_partner_id IS NULL AND name LIKE 'BENCHJ %%';
"""

CLEANUP_SEEDS = """
DELETE FROM res_partner WHERE name LIKE 'BENCHJ %%';
"""

# (label, model, cron method, queued job method)
JOBS = [
    (
        "profile reminders",
        "marketplace.seller.event",
        "_cron_profile_reminders",
        "_job_profile_reminders",
    ),
    (
        "inactivity follow-ups",
        "marketplace.seller.event",
        "_cron_inactivity_followups",
        "_job_inactivity_followups",
    ),
    (
        "monthly reviews",
        "marketplace.seller.review",
        "_cron_monthly_reviews",
        "_job_monthly_reviews",
    ),
    (
        "segment refresh",
        "res.partner",
        "_cron_refresh_marketplace_segments",
        "_job_refresh_marketplace_segments",
    ),
]


def marks(cr):
    """The last ids of the tables the jobs add to."""
    result = {}
    for table in (
        "mail_mail",
        "mail_message",
        "mail_activity",
        "marketplace_seller_event",
        "marketplace_seller_review",
    ):
        cr.execute(f"SELECT COALESCE(MAX(id), 0) FROM {table}")
        result[table] = cr.fetchone()[0]
    return result


def outcome(cr, mark):
    """What a run added: e-mails (recipient, subject), events, reviews."""
    # The e-mails of a review are the review's: named by its seller, as the
    # review's id differs from one run to the other.
    cr.execute(
        """
        SELECT mm.model, COALESCE(r.seller_id, mm.res_id), mm.subject
          FROM mail_mail m
          JOIN mail_message mm ON mm.id = m.mail_message_id
     LEFT JOIN marketplace_seller_review r
            ON mm.model = 'marketplace.seller.review' AND r.id = mm.res_id
         WHERE m.id > %s
        """,
        [mark["mail_mail"]],
    )
    mails = sorted(cr.fetchall())
    cr.execute(
        "SELECT seller_id, event_type, episode FROM marketplace_seller_event "
        "WHERE id > %s",
        [mark["marketplace_seller_event"]],
    )
    events = sorted(cr.fetchall())
    cr.execute(
        "SELECT seller_id, month, declined FROM marketplace_seller_review WHERE id > %s",
        [mark["marketplace_seller_review"]],
    )
    reviews = sorted(cr.fetchall())
    return {"mails": mails, "events": events, "reviews": reviews}


def undo(cr, mark):
    """Delete what a run added, and every queued job and resume point."""
    for table in (
        "mail_mail",
        "mail_activity",
        "mail_message",
        "marketplace_seller_event",
        "marketplace_seller_review",
    ):
        cr.execute(f"DELETE FROM {table} WHERE id > %s", [mark[table]])
    cr.execute("DELETE FROM queue_job")
    cr.execute("DELETE FROM marketplace_job_cursor")
    cr.commit()


def run_cron(env, model, method, batch_size=None):
    """Run the job as the scheduler does; count the records it handled."""
    cron_model = type(env["ir.cron"])
    original = cron_model._commit_progress
    handled = []

    def _commit_progress(self, processed=0, *, remaining=None, deactivate=False):
        handled.append(processed)
        return original(self, processed, remaining=remaining, deactivate=deactivate)

    cron_model._commit_progress = _commit_progress
    try:
        with measure(env.cr) as m:
            kwargs = {"batch_size": batch_size} if batch_size else {}
            getattr(env[model], method)(**kwargs)
            env.cr.commit()
    finally:
        cron_model._commit_progress = original
    m["handled"] = sum(handled)
    return m


def start_workers(args, count):
    """Start ``count`` worker processes; return them once each has loaded its
    registry (they then wait for the start signal on stdin)."""
    workers = []
    for __ in range(count):
        proc = subprocess.Popen(
            [sys.executable, __file__, *sys.argv[1:], "--worker"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            cwd=os.path.dirname(os.path.abspath(__file__)),
        )
        workers.append(proc)
    for proc in workers:
        line = proc.stdout.readline()
        if line.strip() != "ready":
            raise RuntimeError(f"worker failed to start: {line!r}")
    return workers


def run_workers(args, count):
    """Perform every pending job with ``count`` worker processes: wall-clock
    seconds and the jobs and queries of each worker."""
    workers = start_workers(args, count)
    start = CLOCK()
    for proc in workers:
        proc.stdin.write("go\n")
        proc.stdin.flush()
    reports = [json.loads(proc.stdout.readline()) for proc in workers]
    seconds = CLOCK() - start
    for proc in workers:
        proc.wait()
    return seconds, reports


def worker(args, registry):
    """A job worker: take the pending jobs one by one (SKIP LOCKED) and run
    them with queue_job's controller code, in this process's registry."""
    from odoo.addons.queue_job.controllers.main import RunJobController

    print("ready", flush=True)
    sys.stdin.readline()
    done = queries = 0
    busy = 0.0
    cpu = sum(resource.getrusage(resource.RUSAGE_SELF)[:2])
    with registry.cursor() as cr:
        env = api.Environment(cr, odoo.SUPERUSER_ID, {})
        while True:
            try:
                cr.execute(
                    """
                    UPDATE queue_job SET state = 'enqueued', date_enqueued = now()
                     WHERE id = (SELECT id FROM queue_job WHERE state = 'pending'
                                  ORDER BY priority, id LIMIT 1
                                    FOR UPDATE SKIP LOCKED)
                 RETURNING uuid
                    """,
                    log_exceptions=False,
                )
            except SerializationFailure:
                # The other worker took that job since this transaction began.
                cr.rollback()
                continue
            row = cr.fetchone()
            cr.commit()
            if not row:
                break
            before, start = cr.sql_log_count, CLOCK()
            job = RunJobController._acquire_job(env, row[0])
            if job:
                RunJobController._runjob(env, job)
                cr.commit()
                done += 1
            queries += cr.sql_log_count - before
            busy += CLOCK() - start
            env.invalidate_all()
    cpu = sum(resource.getrusage(resource.RUSAGE_SELF)[:2]) - cpu
    report = {"jobs": done, "queries": queries, "busy": busy, "cpu": cpu}
    print(json.dumps(report), flush=True)


def report_difference(label, expected, got, not_done):
    """Say on stderr how a queued run's result differs from the scheduler's."""
    print(f"{label}: {not_done} queued jobs not done", file=sys.stderr)
    for key in expected:
        missing = sorted(set(expected[key]) - set(got[key]))[:5]
        extra = sorted(set(got[key]) - set(expected[key]))[:5]
        if missing or extra:
            print(f"{label} {key}: missing {missing}, extra {extra}", file=sys.stderr)


def measure_job(args, registry, out, label, model, method, job_method):
    """One line per way of running the job; returns whether the queued runs
    gave the in-process result."""
    same = True
    with registry.cursor() as cr:
        env = api.Environment(cr, odoo.SUPERUSER_ID, {})
        mark = marks(cr)
        env["ir.config_parameter"].set_param(SWITCH, "False")
        cr.commit()
        size = SEGMENT_BATCH_SIZE if model == "res.partner" else BATCH_SIZE
        inline = run_cron(env, model, method, size)
        expected = outcome(cr, mark)
        undo(cr, mark)
        per = inline["queries"] / inline["handled"] if inline["handled"] else 0
        out(
            f"| {label} | in the scheduler | {inline['handled']:,} | "
            f"{inline['seconds']:.2f} | {inline['queries']:,} | {per:.1f} | "
            f"{len(expected['mails']):,} | | |"
        )
        for count in (1, 2):
            env["ir.config_parameter"].set_param(SWITCH, "True")
            cr.commit()
            env.invalidate_all()
            queue = run_cron(env, model, method, size)
            cr.execute(
                "SELECT count(*), array_agg(DISTINCT channel) FROM queue_job "
                "WHERE method_name = %s",
                [job_method],
            )
            jobs, channels = cr.fetchone()
            seconds, reports = run_workers(args, count)
            cr.commit()
            env.invalidate_all()
            got = outcome(cr, mark)
            cr.execute("SELECT count(*) FROM queue_job WHERE state != 'done'")
            (not_done,) = cr.fetchone()
            undo(cr, mark)
            env["ir.config_parameter"].set_param(SWITCH, "False")
            cr.commit()
            ok = got == expected and not not_done
            if not ok:
                report_difference(label, expected, got, not_done)
            same = same and ok
            worker_queries = sum(r["queries"] for r in reports)
            split = " / ".join(
                f"{r['jobs']} jobs {r['busy']:.1f} s ({r['cpu']:.1f} s CPU)"
                for r in reports
            )
            handled = inline["handled"] or 1
            out(
                f"| {label} | queue_job, {count} worker{'s' if count > 1 else ''} "
                f"({jobs} jobs, {', '.join(channels or [])}) | {inline['handled']:,} | "
                f"{queue['seconds']:.2f} + **{seconds:.2f}** | "
                f"{queue['queries']:,} + {worker_queries:,} | "
                f"{(queue['queries'] + worker_queries) / handled:.1f} | "
                f"{len(got['mails']):,} | {'same' if ok else 'DIFFERENT'} | {split} |"
            )
    return same


def main():
    args, registry, out, lines = bench_setup(__doc__)
    with registry.cursor() as cr:
        cr.execute("SELECT count(*) FROM res_partner WHERE is_seller")
        (sellers,) = cr.fetchone()
        cr.execute(CLEANUP_SEEDS)
        cr.execute(SEED, {"unlisted": max(1, sellers // 10)})
        cr.execute("DELETE FROM queue_job")
        cr.execute("DELETE FROM marketplace_job_cursor")
        cr.commit()
        cr.execute("SELECT count(*) FROM res_partner WHERE is_seller")
        (sellers,) = cr.fetchone()
        cr.execute("SELECT count(*) FROM res_partner WHERE is_seller OR is_buyer")
        (partners,) = cr.fetchone()
    load = os.getloadavg()
    out(f"# Scheduled jobs, {datetime.datetime.now():%Y-%m-%d %H:%M}")
    out()
    out(
        f"{sellers:,} sellers, {partners:,} sellers and buyers; {os.cpu_count()} "
        f"CPUs, load average at the start {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}."
    )
    out()
    out(
        "| job | how | records | seconds (cron + workers) | SQL queries | "
        "queries per record | e-mails queued | result | per worker: jobs, "
        "seconds in jobs (CPU) |"
    )
    out("|---|---|---:|---:|---:|---:|---:|---|---|")
    same = True
    try:
        only = os.environ.get("BENCH_JOBS")  # e.g. "monthly reviews"
        for label, model, method, job_method in JOBS:
            if only and label not in only.split(","):
                continue
            same = (
                measure_job(args, registry, out, label, model, method, job_method)
                and same
            )
    finally:
        with registry.cursor() as cr:
            cr.execute(CLEANUP_SEEDS)
            cr.execute("DELETE FROM queue_job")
            cr.execute("DELETE FROM marketplace_job_cursor")
            cr.commit()
    load = os.getloadavg()
    out()
    out(f"Load average at the end: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}.")
    Path(args.output).write_text("\n".join(lines) + "\n")
    return 0 if same else 1


if __name__ == "__main__":
    if "--worker" in sys.argv:
        sys.argv.remove("--worker")
        worker_args, worker_registry, __, __ = bench_setup(__doc__)
        worker(worker_args, worker_registry)
        sys.exit(0)
    sys.exit(main())
