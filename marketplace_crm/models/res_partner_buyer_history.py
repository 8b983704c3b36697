from odoo import api, models

# Every customer with a confirmed order is a buyer, with the dates of their
# first and last confirmed purchases (of their commercial entity, as
# confirmation maintains them); only the rows that change are written.
_BUYERS_UPDATE = """
UPDATE res_partner p
   SET is_buyer = TRUE,
       buyer_first_order_date = d.first_day,
       buyer_last_order_date = d.last_day
  FROM (SELECT c.commercial_partner_id AS id,
               MIN(so.date_order)::date AS first_day,
               MAX(so.date_order)::date AS last_day
          FROM sale_order so
          JOIN res_partner c ON c.id = so.partner_id
         WHERE so.state = 'sale'
      GROUP BY c.commercial_partner_id) d
 WHERE p.id = d.id
   AND (p.is_buyer IS NOT TRUE
        OR (p.buyer_first_order_date, p.buyer_last_order_date)
           IS DISTINCT FROM (d.first_day, d.last_day))
RETURNING p.id
"""

BUYER_HISTORY_FIELDS = ["is_buyer", "buyer_first_order_date", "buyer_last_order_date"]


class ResPartner(models.Model):
    _inherit = "res.partner"

    @api.model
    def _marketplace_backfill_buyers(self, batch_size=20000):
        """Flag every past customer as a buyer with their first and last
        purchase dates, in one UPDATE, then refresh their segments set-based.
        Returns the partners changed."""
        self.env["sale.order"].flush_model(["state", "date_order", "partner_id"])
        self.flush_model(["commercial_partner_id", *BUYER_HISTORY_FIELDS])
        self.env.cr.execute(_BUYERS_UPDATE)
        ids = sorted(row[0] for row in self.env.cr.fetchall())
        changed = self.browse(ids)
        if changed:
            changed.invalidate_recordset(BUYER_HISTORY_FIELDS)
            changed.modified(BUYER_HISTORY_FIELDS)
            for start in range(0, len(ids), batch_size):
                changed[start : start + batch_size]._refresh_marketplace_figures()
        return changed
