from datetime import timedelta

from odoo import fields, models
from odoo.tools import SQL

from .marketplace_order_seller import sale_condition

# The sales figures of the sellers among the partners %(partners)s (a filter
# on ``p``), from their parts of confirmed orders (marketplace.order.seller,
# %(sellers)s a filter on its ``seller_id``, read from its (seller, date)
# index alone): one row per partner, zero figures for a seller without
# sales, ``seller`` false for a partner who is no seller.
FIGURES_CTE = """
figures AS (
    SELECT seller_id,
           COUNT(*) FILTER (WHERE day >= %(month)s) AS cm,
           SUM(amount) FILTER (WHERE day >= %(month)s) AS am,
           COUNT(*) FILTER (WHERE day >= %(prev)s AND day < %(month)s) AS cp,
           SUM(amount) FILTER (WHERE day >= %(prev)s AND day < %(month)s) AS ap,
           COUNT(*) FILTER (WHERE day >= %(rolling)s) AS cr,
           SUM(amount) FILTER (WHERE day >= %(rolling)s) AS ar,
           MAX(day) AS last_day
      FROM (SELECT seller_id, date_order::date AS day, amount
              FROM marketplace_order_seller
             WHERE %(sellers)s
               AND %(sale)s
               AND date_order::date <= %(today)s) parts
  GROUP BY seller_id
), new AS (
    SELECT p.id, p.is_seller IS TRUE AS seller,
           COALESCE(f.cm, 0) AS cm, ROUND(COALESCE(f.am, 0), 2) AS am,
           COALESCE(f.cp, 0) AS cp, ROUND(COALESCE(f.ap, 0), 2) AS ap,
           COALESCE(f.cr, 0) AS cr, ROUND(COALESCE(f.ar, 0), 2) AS ar,
           f.last_day
      FROM res_partner p
 LEFT JOIN figures f ON f.seller_id = p.id
     WHERE %(partners)s
)
"""

FIGURES_CHANGED = """
(p.seller_sale_count_month, p.seller_sale_amount_month,
 p.seller_sale_count_prev_month, p.seller_sale_amount_prev_month,
 p.seller_sale_count_30d, p.seller_sale_amount_30d, p.seller_last_sale_date)
IS DISTINCT FROM (new.cm, new.am, new.cp, new.ap, new.cr, new.ar, new.last_day)
"""

# Writes the figures of ``new`` (a row of the CTE above) on ``p``.
FIGURES_SET = """
   SET seller_sale_count_month = new.cm,
       seller_sale_amount_month = new.am,
       seller_sale_count_prev_month = new.cp,
       seller_sale_amount_prev_month = new.ap,
       seller_sale_count_30d = new.cr,
       seller_sale_amount_30d = new.ar,
       seller_last_sale_date = new.last_day
"""

# The figures of these sellers, written where they changed (an order moved);
# returns the changed sellers.
_SELLER_FIGURES_UPDATE = f"""
WITH {FIGURES_CTE}
UPDATE res_partner p {FIGURES_SET}
  FROM new
 WHERE p.id = new.id AND new.seller AND {FIGURES_CHANGED}
RETURNING p.id
"""


class ResPartner(models.Model):
    _inherit = "res.partner"

    # --- seller figures (filled by the sales statistics) -----------------------
    marketplace_currency_id = fields.Many2one(
        "res.currency", compute="_compute_marketplace_currency_id"
    )
    seller_sale_count_month = fields.Integer("Sales This Month", readonly=True)
    seller_sale_amount_month = fields.Monetary(
        "Sales Value This Month",
        currency_field="marketplace_currency_id",
        readonly=True,
    )
    seller_sale_count_prev_month = fields.Integer("Sales Last Month", readonly=True)
    seller_sale_amount_prev_month = fields.Monetary(
        "Sales Value Last Month",
        currency_field="marketplace_currency_id",
        readonly=True,
    )
    seller_sale_count_30d = fields.Integer("Sales (30 days)", readonly=True)
    seller_sale_amount_30d = fields.Monetary(
        "Sales Value (30 days)", currency_field="marketplace_currency_id", readonly=True
    )
    seller_last_sale_date = fields.Date("Last Sale", readonly=True, index=True)

    # ------------------------------------------------------------------ computes
    def _compute_marketplace_currency_id(self):
        self.marketplace_currency_id = self.env.company.currency_id

    # ------------------------------------------------------------------ sellers
    SELLER_FIGURES = (
        "seller_sale_count_month",
        "seller_sale_amount_month",
        "seller_sale_count_prev_month",
        "seller_sale_amount_prev_month",
        "seller_sale_count_30d",
        "seller_sale_amount_30d",
        "seller_last_sale_date",
    )

    def _refresh_seller_sales_figures(self):
        """Recompute the sales figures of the sellers among these partners
        from their parts of confirmed orders: one query whatever their number
        of orders, and only the rows whose figures changed are written.

        A sale is a confirmed order holding the seller's products; its value
        is the untaxed subtotal of those lines converted to the company
        currency at the order's rate (``sale.order.currency_rate``, taken at
        the order date), kept on the order part (``marketplace.order.seller``).
        Returns the sellers whose figures changed.
        """
        if not self:
            return self
        return self._marketplace_update(_SELLER_FIGURES_UPDATE, self.SELLER_FIGURES)

    def _marketplace_update(self, query, fnames):
        """Run one of the figures UPDATE queries above on these partners and
        tell the ORM which stored fields of which partners it changed."""
        self._flush_marketplace_inputs()
        self.env.cr.execute(
            SQL(
                query,
                **self._marketplace_partner_filters(),
                **self._marketplace_refresh_params(),
            )
        )
        changed = self.browse(row[0] for row in self.env.cr.fetchall())
        if changed:
            changed.invalidate_recordset(list(fnames))
            changed.modified(list(fnames))
        return changed

    def _marketplace_partner_filters(self):
        """SQL filters selecting these partners (``partners``, ``target``)
        and their order parts (``sellers``).

        A dense set (a batch of the job: every marketplace partner of an id
        range) is read by range, which PostgreSQL serves from the indexes in
        order; a few scattered partners (the sellers of one order) by id.
        """
        ids = sorted(self.ids)
        low, high = ids[0], ids[-1]
        if len(ids) * 4 < high - low + 1:
            return {
                "partners": SQL("p.id = ANY(%s)", ids),
                "sellers": SQL("seller_id = ANY(%s)", ids),
                "target": SQL("TRUE"),
            }
        return {
            "partners": SQL(
                "p.id BETWEEN %s AND %s AND p.id = ANY(%s)", low, high, ids
            ),
            "sellers": SQL("seller_id BETWEEN %s AND %s", low, high),
            "target": SQL("p.id BETWEEN %s AND %s", low, high),
        }

    def _flush_marketplace_inputs(self):
        """Write to the database what the figures queries read."""
        self.env["marketplace.order.seller"].flush_model(
            ["seller_id", "date_order", "state", "amount", "line_count"]
        )
        self.flush_model(["is_seller", *self.SELLER_FIGURES])

    def _marketplace_refresh_params(self):
        """Dates (and the definition of a sale) the figures depend on."""
        today = fields.Date.context_today(self)
        month = today.replace(day=1)
        return {
            "sale": sale_condition(),
            "today": today,
            "month": month,
            "prev": (month - timedelta(days=1)).replace(day=1),
            "rolling": today - timedelta(days=29),
        }
