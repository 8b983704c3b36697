"""19.0.2.1.0: the reports computed at each read are ``_table_query`` models;
the PostgreSQL views earlier versions created for them are dropped (nothing
reads them any more, and a stale view would block changes to the columns it
selects)."""

from odoo.tools import drop_view_if_exists

OBSOLETE_VIEWS = (
    "marketplace_buyer_conversion_report",
    "marketplace_ticket_report",
    "marketplace_seller_outcome_report",
    "marketplace_uplift_report",
)


def migrate(cr, version):
    for view in OBSOLETE_VIEWS:
        drop_view_if_exists(cr, view)
