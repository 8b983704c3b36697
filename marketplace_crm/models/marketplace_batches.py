"""The one loop of the scheduled jobs: batches, time budget, resume, fan-out.

A marketplace job selects the records it has to handle, then gives them to
``JobRun.run``, which hands them to a handler a batch at a time:

- in the cron worker (the default), each batch is committed with
  ``ir.cron._commit_progress``; when the run's time budget is spent
  (``_commit_progress`` returns 0) the job stops and Odoo runs it again at
  once. The id of the last record handled by each step of the job is kept
  (``marketplace.job.cursor``, written in the batch's own transaction) and
  the next run goes on after it: every record is handled once, even by the
  set-based refreshes that have no claim of their own. The cursors are
  removed when the job ends without being stopped;
- when the Settings switch "Run long jobs on job workers" is on and the step
  names a queue_job channel, the cron only splits the records into batches
  and queues one job per batch (same handler, same batch size), which the
  job workers run in parallel. The identity key of a job is its handler and
  its batch: a batch still waiting is never queued twice.

Either way the handlers claim their work (see ``marketplace_claim``), so a
batch handled twice does nothing the second time.

Two processes may run the same job at the same moment (the scheduler and a
shell, a server action or another worker calling the job's method): each
batch of a step first takes the step's cursor (``marketplace.job.cursor``),
which only the process that last moved it can take. The other process stops
there quietly, reporting nothing left to do: every record is handled once,
by one process, and no lost race is logged as an error
(``tests/test_job_concurrency``).
"""

from odoo.tools import str2bool

from odoo.addons.queue_job.job import identity_exact

JOBS_ON_WORKERS_PARAM = "marketplace_crm.jobs_on_workers"
CHANNEL = "root.marketplace"
MAIL_CHANNEL = "root.marketplace_mail"


def jobs_on_workers(env):
    """Whether the long jobs go to the queue_job workers (Settings)."""
    # sudo: a Settings switch read by the scheduled jobs.
    return str2bool(
        env["ir.config_parameter"].sudo().get_param(JOBS_ON_WORKERS_PARAM) or "0"
    )


class JobRun:
    """One run of the scheduled job ``name``, in a ``with`` block::

        with JobRun(self, "profile_reminders") as job:
            if not job.run("_job_profile_reminders", sellers, channel=MAIL_CHANNEL):
                return  # time budget spent: the next run goes on

    Leaving the block normally after every step ran to the end removes the
    job's cursors; a step stopped by the time budget, or an error, keeps them
    for the next run."""

    def __init__(self, model, name):
        self.model = model
        self.name = name
        self.stopped = False

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc, tb):
        if exc_type is None and not self.stopped:
            self.model.env["marketplace.job.cursor"]._reset(self.name)
        return False

    def run(self, handler, records, *args, batch_size=100, **queue):
        """Handle ``records`` a batch at a time with ``handler``: the name of
        a method of the job's model, called as ``method(batch, *args)``, or a
        function ``handler(batch)`` (run in this process only). Goes through
        queue jobs when ``queue`` names a ``channel`` (plus other
        ``with_delay`` options) and the Settings switch is on. Returns
        whether everything was handled or queued."""
        if isinstance(handler, str):
            if queue.get("channel") and jobs_on_workers(self.model.env):
                enqueue_batches(
                    self.model, handler, records, *args, batch_size=batch_size, **queue
                )
                return True
            method = getattr(self.model, handler)
            step = f"{self.name}:{handler}"
        else:
            method = handler
            step = f"{self.name}:{handler.__name__}"
        done = run_in_batches(
            self.model.env,
            records,
            lambda batch: method(batch, *args),
            batch_size=batch_size,
            resume=step,
        )
        self.stopped = self.stopped or not done
        return done


def run_in_batches(env, records, handler, batch_size=100, resume=None):
    """Call ``handler(batch)`` for each batch of ``records``, committing each
    (``ir.cron._commit_progress``). Stops when the run's time budget is spent:
    the scheduler runs the job again, which goes on with what is left: after
    the cursor ``resume`` when given (the records are then taken in id
    order), else thanks to the handler's claims. Returns whether every batch
    was handled.

    With ``resume``, each batch first takes the step's cursor
    (``marketplace.job.cursor._take``): when another process runs the same
    step at the same time and moved it first, this one stops quietly and
    reports nothing left to do, the other handling the rest."""
    cron = env["ir.cron"]
    Cursor = env["marketplace.job.cursor"]
    if resume:
        after = Cursor._start(resume)
        if after is None:
            return _lost(cron)
        records = records.browse(sorted(i for i in set(records.ids) if i > after))
    cron._commit_progress(remaining=len(records))
    for start in range(0, len(records), batch_size):
        batch = records[start : start + batch_size]
        if resume:
            if not Cursor._take(resume, after):
                return _lost(cron)
            after = batch.ids[-1]
        handler(batch)
        if resume:
            Cursor._advance(resume, after)
        if not cron._commit_progress(len(batch)):
            return False
    return True


def _lost(cron):
    """Another process runs the step: leave it the rest (nothing left for
    this run, so that the scheduler does not run it again at once)."""
    cron._commit_progress(remaining=0)
    return False


def enqueue_batches(model, method, records, *args, batch_size=100, **queue):
    """Queue one job ``model.<method>(batch, *args)`` per batch of ``records``
    (in id order, so the same records make the same batches and the same
    identity keys). ``queue``: ``with_delay`` options. Returns the number of
    jobs asked for."""
    records = records.browse(sorted(set(records.ids)))
    count = 0
    for start in range(0, len(records), batch_size):
        batch = records[start : start + batch_size]
        delayable = model.with_delay(identity_key=identity_exact, **queue)
        getattr(delayable, method)(batch, *args)
        count += 1
    model.env["ir.cron"]._commit_progress(len(records), remaining=0)
    return count
