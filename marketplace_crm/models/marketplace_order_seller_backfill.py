import logging

from odoo import api, models
from odoo.exceptions import AccessError
from odoo.tools import SQL

_logger = logging.getLogger(__name__)

# The missing parts of the confirmed orders with ids in [%(low)s, %(high)s]
# (and among %(orders)s, a filter on ``so``), computed as confirmation does:
# the seller's lines, their untaxed value converted to the company currency
# at the order's rate and rounded like the stored amount (to the company
# currency's rounding). Existing parts are left alone.
_PARTS_INSERT = """
INSERT INTO marketplace_order_seller
       (order_id, seller_id, partner_id, company_id, date_order, state,
        amount, line_count, rating_request_sent,
        create_uid, write_uid, create_date, write_date)
SELECT so.id, pt.marketplace_seller_id, so.partner_id, so.company_id,
       so.date_order, so.state,
       ROUND(SUM(sol.price_subtotal / COALESCE(NULLIF(so.currency_rate, 0), 1.0))
             / cur.rounding) * cur.rounding,
       COUNT(*), FALSE,
       %(uid)s, %(uid)s, NOW() AT TIME ZONE 'UTC', NOW() AT TIME ZONE 'UTC'
  FROM sale_order so
  JOIN sale_order_line sol ON sol.order_id = so.id
  JOIN product_product pp ON pp.id = sol.product_id
  JOIN product_template pt ON pt.id = pp.product_tmpl_id
  JOIN res_company co ON co.id = so.company_id
  JOIN res_currency cur ON cur.id = co.currency_id
 WHERE so.state = 'sale'
   AND so.id BETWEEN %(low)s AND %(high)s
   AND %(orders)s
   AND pt.marketplace_seller_id IS NOT NULL
 GROUP BY so.id, pt.marketplace_seller_id, cur.rounding
    ON CONFLICT (order_id, seller_id) DO NOTHING
RETURNING seller_id
"""


class MarketplaceOrderSeller(models.Model):
    """Set-based creation of the parts of orders confirmed before the addon
    (or before a product had its seller): install, upgrade, bulk seller
    assignment and the managers' "Backfill sales history" action."""

    _inherit = "marketplace.order.seller"

    @api.model
    def _marketplace_backfill(self, product_templates=None, batch_size=200000):
        """Create every missing part of the confirmed orders (of the orders
        holding ``product_templates`` when given), flag their customers as
        buyers with their purchase dates, and refresh the figures of the
        sellers concerned. One INSERT per ``batch_size`` orders, no ORM record
        created, so no chatter message or follower either; historic parts are
        never asked for a rating (see ``rating_request_max_age_days``).

        Returns the number of parts created.
        """
        self.env.flush_all()
        orders = SQL("TRUE")
        if product_templates is not None:
            if not product_templates:
                return 0
            order_ids = SQL(
                "SELECT l.order_id FROM sale_order_line l"
                " JOIN product_product v ON v.id = l.product_id"
                " WHERE v.product_tmpl_id = ANY(%s)",
                product_templates.ids,
            )
            orders = SQL("so.id IN (%s)", order_ids)
        cr = self.env.cr
        cr.execute(
            SQL(
                "SELECT MIN(so.id), MAX(so.id) FROM sale_order so"
                " WHERE so.state = 'sale' AND %s",
                orders,
            )
        )
        low, high = cr.fetchone()
        created, sellers = 0, set()
        if low is not None:
            for start in range(low, high + 1, batch_size):
                cr.execute(
                    SQL(
                        _PARTS_INSERT,
                        uid=self.env.uid,
                        low=start,
                        high=start + batch_size - 1,
                        orders=orders,
                    )
                )
                rows = cr.fetchall()
                created += len(rows)
                sellers.update(row[0] for row in rows)
        if created:
            self.invalidate_model()
            self.env["sale.order"].invalidate_model(["marketplace_order_seller_ids"])
            _logger.info("Backfill: %s order parts created", created)
        if product_templates is not None:
            # The sellers who had these products before keep parts on the
            # same orders: their figures move too.
            cr.execute(
                SQL(
                    "SELECT DISTINCT seller_id FROM marketplace_order_seller"
                    " WHERE order_id IN (%s)",
                    order_ids,
                )
            )
            sellers.update(row[0] for row in cr.fetchall())
        Partner = self.env["res.partner"]
        if product_templates is None:
            # A seller given to a product changes no one's purchases.
            Partner._marketplace_backfill_buyers()
        ids = sorted(sellers)
        for start in range(0, len(ids), 20000):
            Partner.browse(ids[start : start + 20000])._refresh_marketplace_figures()
        return created

    @api.model
    def action_marketplace_backfill(self):
        """Managers' "Backfill sales history": after an import of orders or of
        product sellers made outside the marketplace's own screens."""
        if not self.env.user.has_group("marketplace_crm.group_marketplace_manager"):
            raise AccessError(
                self.env._("Only marketplace managers can backfill the sales history.")
            )
        # sudo: the parts and buyer flags are system-maintained; the caller
        # was checked to be a marketplace manager above.
        created = self.sudo()._marketplace_backfill()
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success",
                "title": self.env._("Sales history"),
                "message": self.env._(
                    "%(count)s missing order parts created; buyers and sellers' "
                    "figures are up to date.",
                    count=created,
                ),
                "next": {"type": "ir.actions.client", "tag": "soft_reload"},
            },
        }
