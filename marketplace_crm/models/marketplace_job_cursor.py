from odoo import api, fields, models
from odoo.tools import SQL


class MarketplaceJobCursor(models.Model):
    """Where a scheduled job stopped when its time budget ran out: the id of
    the last record it handled. The next run goes on after it; the row is
    removed when the job ends. Written in SQL, in the transaction of the
    batch it follows (see ``marketplace_batches.run_in_batches``)."""

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
    def _advance(self, job, last_id):
        self.env.cr.execute(
            SQL(
                """
                INSERT INTO %(table)s (job, last_id, create_uid, create_date,
                                       write_uid, write_date)
                VALUES (%(job)s, %(last)s, %(uid)s, NOW() AT TIME ZONE 'UTC',
                        %(uid)s, NOW() AT TIME ZONE 'UTC')
                ON CONFLICT (job) DO UPDATE
                   SET last_id = EXCLUDED.last_id, write_date = EXCLUDED.write_date
                """,
                table=SQL.identifier(self._table),
                job=job,
                last=last_id,
                uid=self.env.uid,
            )
        )

    @api.model
    def _reset(self, job):
        """Forget where the steps of ``job`` (``<job>:<step>``) stopped."""
        self.env.cr.execute(
            SQL(
                "DELETE FROM %s WHERE job LIKE %s",
                SQL.identifier(self._table),
                f"{job}:%",
            )
        )
