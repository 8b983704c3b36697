from odoo import api, models, tools
from odoo.tools import SQL

from ..models.marketplace_access import check_group


class MarketplaceReportSnapshot(models.AbstractModel):
    """A report stored as a PostgreSQL materialized view.

    Reports that aggregate every confirmed order line are read from a
    snapshot instead of recomputing the joins at each click: grouping the
    snapshot stays fast on millions of lines. The snapshot is refreshed by a
    scheduled action (hourly by default), from the report's Refresh button,
    and ``CONCURRENTLY`` so that readers are never blocked.
    """

    _name = "marketplace.report.snapshot"
    _inherit = "marketplace.report.view"
    _description = "Marketplace Report Snapshot"
    _auto = False
    #: columns to index in the snapshot, besides the unique ``id``
    _snapshot_indexes = ()

    def init(self):
        if self._abstract:
            return
        cr = self.env.cr
        tools.drop_view_if_exists(cr, self._table)
        table = SQL.identifier(self._table)
        cr.execute(
            SQL("CREATE MATERIALIZED VIEW %s AS (%s) WITH DATA", table, self._query())
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

    def _refresh_snapshot(self):
        """Recompute the snapshot from the current data."""
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                "REFRESH MATERIALIZED VIEW CONCURRENTLY %s",
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
        """Refresh every marketplace report snapshot."""
        names = self.env.registry[self._name]._inherit_children
        for name in names:
            self.env[name]._refresh_snapshot()
