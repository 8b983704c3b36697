from odoo import fields, models
from odoo.tools import SQL

from .marketplace_claim import claim_ids


class ProductProduct(models.Model):
    _inherit = "product.product"

    marketplace_stock_state = fields.Selection(
        [("in", "In stock"), ("out", "Out of stock")],
        readonly=True,
        copy=False,
        help="Availability last seen by the back-in-stock job.",
    )
    marketplace_restock_count = fields.Integer(
        readonly=True,
        copy=False,
        help="How many times the product came back in stock after running out.",
    )

    def _marketplace_update_stock_state(self):
        """Record the availability of these products; a product seen out of
        stock and now available counts one more restock.

        Several workers may run this at once: each product's change is
        claimed in SQL (see ``claim_ids``), so a restock is counted once and
        the worker that loses the claim skips the product quietly."""
        changes = {"in": [], "out": []}
        for product in self.filtered("is_storable"):
            state = "in" if product.qty_available > 0 else "out"
            if state != product.marketplace_stock_state:
                changes[state].append(product.id)
        changed = self.browse()
        fnames = ["marketplace_stock_state", "marketplace_restock_count"]
        self.flush_recordset(fnames)
        for state, ids in changes.items():
            if ids:
                changed |= self.browse(
                    claim_ids(self.env, self._marketplace_stock_state_claim(state, ids))
                )
        changed.invalidate_recordset(fnames)
        return changed

    def _marketplace_stock_state_claim(self, state, ids):
        return SQL(
            """
            UPDATE product_product p
               SET marketplace_stock_state = %(state)s,
                   marketplace_restock_count = COALESCE(p.marketplace_restock_count, 0)
                       + CASE WHEN %(state)s = 'in'
                               AND p.marketplace_stock_state = 'out'
                              THEN 1 ELSE 0 END,
                   write_uid = %(uid)s,
                   write_date = NOW() AT TIME ZONE 'UTC'
             WHERE p.id IN (SELECT id FROM product_product
                             WHERE id = ANY(%(ids)s)
                               AND marketplace_stock_state IS DISTINCT FROM %(state)s
                               FOR UPDATE SKIP LOCKED)
         RETURNING p.id
            """,
            state=state,
            ids=ids,
            uid=self.env.uid,
        )
