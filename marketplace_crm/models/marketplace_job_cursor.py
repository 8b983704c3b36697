from psycopg2.errors import LockNotAvailable, SerializationFailure

from odoo import api, fields, models
from odoo.tools import SQL

from .marketplace_claim import claim_ids


class MarketplaceJobCursor(models.Model):
    """Where a step of a scheduled job stands: the id of the last record it
    handled. The next run goes on after it; the rows of a job are removed
    when the job ends. Written in SQL, in the transaction of the batch it
    follows (see ``marketplace_batches.run_in_batches``).

    The row is also what lets two processes run the same job at once (Odoo
    locks the job's ``ir.cron`` row only against a second run by the
    scheduler or "Run Manually"; a shell, a server action or another worker
    may call the job's method meanwhile): a process takes a step's row before
    each batch, and only while it is where the process left it. The first
    process to move it goes on; the other finds it moved (or held, or
    removed by the end of the job) and stops quietly, its work being done by
    the first. A lost race is never logged as an error."""

    _name = "marketplace.job.cursor"
    _description = "Marketplace Job Resume Point"
    _rec_name = "job"

    job = fields.Char(required=True, readonly=True)
    last_id = fields.Integer("Last Record Handled", readonly=True)

    _unique_job = models.Constraint("UNIQUE(job)", "A job has one resume point.")

    @api.model
    def _position(self, job):
        """The id after which the step ``job`` goes on (0: from the start)."""
        self.env.cr.execute(
            SQL(
                "SELECT last_id FROM %s WHERE job = %s",
                SQL.identifier(self._table),
                job,
            )
        )
        row = self.env.cr.fetchone()
        return row[0] if row else 0

    @api.model
    def _start(self, job):
        """Make sure the step ``job`` has its row, and return where it stands
        (0: from the start), or None when a concurrent process created the
        row since this transaction began: that process runs the step."""
        cr = self.env.cr
        try:
            with cr.savepoint(flush=False):
                cr.execute(
                    SQL(
                        """
                        INSERT INTO %(table)s (job, last_id, create_uid,
                                               create_date, write_uid, write_date)
                        VALUES (%(job)s, 0, %(uid)s, NOW() AT TIME ZONE 'UTC',
                                %(uid)s, NOW() AT TIME ZONE 'UTC')
                        ON CONFLICT (job) DO NOTHING
                        RETURNING id
                        """,
                        table=SQL.identifier(self._table),
                        job=job,
                        uid=self.env.uid,
                    ),
                    log_exceptions=False,
                )
                created = cr.fetchone()
        except (SerializationFailure, LockNotAvailable):
            return None
        return 0 if created else self._position(job)

    @api.model
    def _take(self, job, expected):
        """Hold the step ``job`` until the end of the transaction, if it is
        still where this process left it (``expected``, the last id it read
        or wrote). False when another process holds it, moved it, or ended
        the job (row removed): this process must stop there.

        A transaction-level advisory lock keeps two processes from handling
        a batch of the step at once; the row, locked and read in a savepoint
        that does not log, tells whether another process moved it, even
        after this transaction's snapshot was taken (a serialization failure
        under repeatable read)."""
        cr = self.env.cr
        try:
            with cr.savepoint(flush=False):
                cr.execute(
                    SQL(
                        "SELECT pg_try_advisory_xact_lock(hashtext(%s), hashtext(%s))",
                        self._name,
                        job,
                    ),
                    log_exceptions=False,
                )
                if not cr.fetchone()[0]:
                    return False
                cr.execute(
                    SQL(
                        "SELECT last_id FROM %s WHERE job = %s FOR NO KEY UPDATE",
                        SQL.identifier(self._table),
                        job,
                    ),
                    log_exceptions=False,
                )
                row = cr.fetchone()
        except (SerializationFailure, LockNotAvailable):
            return False
        return bool(row) and row[0] == expected

    @api.model
    def _advance(self, job, last_id):
        """Move the step ``job`` on to ``last_id``; its row is held by this
        transaction (``_take``)."""
        self.env.cr.execute(
            SQL(
                """
                UPDATE %(table)s
                   SET last_id = %(last)s, write_uid = %(uid)s,
                       write_date = NOW() AT TIME ZONE 'UTC'
                 WHERE job = %(job)s
                """,
                table=SQL.identifier(self._table),
                job=job,
                last=last_id,
                uid=self.env.uid,
            )
        )

    @api.model
    def _reset(self, job):
        """Forget where the steps of ``job`` (``<job>:<step>``) stopped. A
        row moved meanwhile by a concurrent run of the job is left to it."""
        claim_ids(
            self.env,
            SQL(
                "DELETE FROM %s WHERE job LIKE %s RETURNING id",
                SQL.identifier(self._table),
                f"{job}:%",
            ),
        )
