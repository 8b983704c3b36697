import hashlib

from odoo import api, models, tools
from odoo.tools import SQL

from ..models.marketplace_access import check_group
from ..models.marketplace_batches import JobRun


class MarketplaceReportSnapshot(models.AbstractModel):
    """A report stored as a PostgreSQL materialized view.

    Reports that aggregate every confirmed order line are read from a
    snapshot instead of recomputing the joins at each click: grouping the
    snapshot stays fast on millions of lines. The snapshot is refreshed by a
    scheduled action (hourly by default), from the report's Refresh button,
    and ``CONCURRENTLY`` so that readers are never blocked. Reports that
    are cheap enough to compute at each read are plain ``_table_query``
    models instead.
    """

    _name = "marketplace.report.snapshot"
    _description = "Marketplace Report Snapshot"
    _auto = False
    #: columns to index in the snapshot, besides the unique ``id``
    _snapshot_indexes = ()

    def _query(self):
        """The snapshot's ``SELECT``, as an :class:`~odoo.tools.SQL`."""
        raise NotImplementedError

    def init(self):
        """Create the snapshot when its definition changed, without data, then
        fill it once; an update that leaves the query unchanged keeps the
        snapshot and its data as they are (no rebuild at every update)."""
        if self._abstract:
            return
        cr = self.env.cr
        query = self._query()
        signature = hashlib.sha256(
            repr(
                (cr.mogrify(query.code, query.params), self._snapshot_indexes)
            ).encode()
        ).hexdigest()
        cr.execute(
            "SELECT obj_description(c.oid, 'pg_class') FROM pg_class c "
            "WHERE c.relname = %s AND c.relkind = 'm'",
            [self._table],
        )
        row = cr.fetchone()
        if row and row[0] == signature:
            return
        tools.drop_view_if_exists(cr, self._table)
        table = SQL.identifier(self._table)
        cr.execute(
            SQL("CREATE MATERIALIZED VIEW %s AS (%s) WITH NO DATA", table, query)
        )
        cr.execute(
            SQL(
                "CREATE UNIQUE INDEX %s ON %s (id)",
                SQL.identifier(f"{self._table}_id_uniq"),
                table,
            )
        )
        for column in self._snapshot_indexes:
            cr.execute(
                SQL(
                    "CREATE INDEX %s ON %s (%s)",
                    SQL.identifier(f"{self._table}_{column}_idx"),
                    table,
                    SQL.identifier(column),
                )
            )
        cr.execute(SQL("COMMENT ON MATERIALIZED VIEW %s IS %s", table, signature))
        self._refresh_snapshot()

    def _refresh_snapshot(self):
        """Recompute the snapshot from the current data."""
        self.env.flush_all()
        cr = self.env.cr
        cr.execute(
            "SELECT ispopulated FROM pg_matviews WHERE matviewname = %s",
            [self._table],
        )
        populated = cr.fetchone()[0]
        # CONCURRENTLY (readers never blocked) needs a populated snapshot.
        cr.execute(
            SQL(
                "REFRESH MATERIALIZED VIEW %s %s",
                SQL("CONCURRENTLY") if populated else SQL(),
                SQL.identifier(self._table),
            )
        )
        self.invalidate_model()

    def action_refresh_snapshot(self):
        """The report's Refresh button: a full refresh of the snapshot, for
        the marketplace team only (any user could call it over RPC)."""
        check_group(self.env)
        self._refresh_snapshot()
        return {"type": "ir.actions.client", "tag": "soft_reload"}

    @api.model
    def _cron_refresh_snapshots(self):
        """Refresh every marketplace report snapshot, each committed on its
        own: a run stopped by its time budget goes on with the next one."""
        with JobRun(self, "report_snapshots") as job:
            job.run("_job_refresh_snapshots", self._snapshot_reports(), batch_size=1)

    @api.model
    def _refresh_all_snapshots(self):
        """Refresh every snapshot in the current transaction (the Refresh
        Report Data menu: no commit in the middle of a request)."""
        self._job_refresh_snapshots(self._snapshot_reports())

    @api.model
    def _snapshot_reports(self):
        names = self.env.registry[self._name]._inherit_children
        # sudo: only the snapshot reports' model records are read, to batch
        # the job by report; managers refresh them without ir.model rights.
        return self.env["ir.model"].sudo().search([("model", "in", list(names))])

    @api.model
    def _job_refresh_snapshots(self, reports):
        """Refresh the snapshots of ``reports`` (``ir.model`` records)."""
        for report in reports:
            self.env[report.model]._refresh_snapshot()
