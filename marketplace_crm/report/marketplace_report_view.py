from odoo import models, tools
from odoo.tools import SQL


class MarketplaceReportView(models.AbstractModel):
    """A report read from a PostgreSQL view of ``_query()``, recreated when
    the module is installed or updated."""

    _name = "marketplace.report.view"
    _description = "Marketplace Report View"
    _auto = False

    def _query(self):
        raise NotImplementedError

    def init(self):
        if self._abstract:
            return
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL(
                "CREATE OR REPLACE VIEW %s AS (%s)",
                SQL.identifier(self._table),
                self._query(),
            )
        )
