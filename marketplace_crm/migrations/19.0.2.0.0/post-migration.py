"""19.0.2.0.0: every confirmed order has its sellers' parts and every past
customer is a buyer (earlier versions missed the orders confirmed before the
addon or before a product had its seller); core's back-in-stock notifications
replace the addon's own job."""

from odoo import SUPERUSER_ID, api

OBSOLETE_RECORDS = (
    "marketplace_crm.ir_cron_back_in_stock_alerts",
    "marketplace_crm.mail_template_back_in_stock",
)


def migrate(cr, version):
    env = api.Environment(cr, SUPERUSER_ID, {})
    for xmlid in OBSOLETE_RECORDS:
        record = env.ref(xmlid, raise_if_not_found=False)
        if record:
            record.unlink()
    env["marketplace.order.seller"]._marketplace_backfill()
    env["product.product"]._marketplace_subscribe_sold_out_wishlists()
