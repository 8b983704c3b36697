from datetime import timedelta

from odoo import api, fields, models
from odoo.tools import SQL

from .marketplace_order_seller import sale_condition

# The sales figures of the sellers among the partners %(partners)s (a filter
# on ``p``), from their parts of confirmed orders (marketplace.order.seller,
# %(sellers)s a filter on its ``seller_id``, read from its (seller, date)
# index alone): one row per partner, zero figures for a seller without
# sales, ``seller`` false for a partner who is no seller.
#
# Each seller's figures are those of one company, their figures company
# (see ``_compute_marketplace_company_id``): the seller's own company, else
# the main company %(main_company)s. The parts are summed per (seller,
# company) and only the figures company's row is kept, so that amounts of
# different currencies are never added up.
FIGURES_CTE = """
figures AS (
    SELECT seller_id, company_id,
           COUNT(*) FILTER (WHERE day >= %(month)s) AS cm,
           SUM(amount) FILTER (WHERE day >= %(month)s) AS am,
           COUNT(*) FILTER (WHERE day >= %(prev)s AND day < %(month)s) AS cp,
           SUM(amount) FILTER (WHERE day >= %(prev)s AND day < %(month)s) AS ap,
           COUNT(*) FILTER (WHERE day >= %(rolling)s) AS cr,
           SUM(amount) FILTER (WHERE day >= %(rolling)s) AS ar,
           MAX(day) AS last_day
      FROM (SELECT seller_id, company_id, date_order::date AS day, amount
              FROM marketplace_order_seller
             WHERE %(sellers)s
               AND %(sale)s
               AND date_order::date <= %(today)s) parts
  GROUP BY seller_id, company_id
), new AS (
    SELECT p.id, p.is_seller IS TRUE AS seller,
           COALESCE(f.cm, 0) AS cm, ROUND(COALESCE(f.am, 0), 2) AS am,
           COALESCE(f.cp, 0) AS cp, ROUND(COALESCE(f.ap, 0), 2) AS ap,
           COALESCE(f.cr, 0) AS cr, ROUND(COALESCE(f.ar, 0), 2) AS ar,
           f.last_day
      FROM res_partner p
 LEFT JOIN figures f
        ON f.seller_id = p.id
       AND f.company_id = COALESCE(p.company_id, %(main_company)s)
     WHERE %(partners)s
)
"""

FIGURES_CHANGED = """
(p.seller_sale_count_month, p.seller_sale_amount_month,
 p.seller_sale_count_prev_month, p.seller_sale_amount_prev_month,
 p.seller_sale_count_30d, p.seller_sale_amount_30d, p.seller_last_sale_date)
IS DISTINCT FROM (new.cm, new.am, new.cp, new.ap, new.cr, new.ar, new.last_day)
"""

# The main company: the first one created (``base.main_company``), whose
# figures a seller shared by all companies shows.
MAIN_COMPANY_SQL = "(SELECT MIN(id) FROM res_company)"

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
    marketplace_company_id = fields.Many2one(
        "res.company",
        "Figures Company",
        compute="_compute_marketplace_company_id",
        help="The company whose orders the sales figures and the segment count: "
        "the seller's company, or the main company for a seller shared by all "
        "companies. Amounts are in its currency.",
    )
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
    @api.depends("company_id")
    def _compute_marketplace_company_id(self):
        """The figures company of each partner (see ``FIGURES_CTE``).

        Figures are kept for one company per seller rather than per company
        (company-dependent fields): the segment, stored, indexed and tracked,
        follows from them and can only have one value, and the daily refresh
        stays one set-based UPDATE per batch. A seller who sells for several
        companies is given a company to be counted in it alone.
        """
        main = self._marketplace_main_company()
        for partner in self:
            partner.marketplace_company_id = partner.company_id or main

    @api.depends("marketplace_company_id")
    def _compute_marketplace_currency_id(self):
        for partner in self:
            partner.marketplace_currency_id = partner.marketplace_company_id.currency_id

    @api.model
    def _marketplace_main_company(self):
        """The main company (``MAIN_COMPANY_SQL``)."""
        # sudo: the main company is the same whatever companies the user may
        # access; only its id and currency are read.
        return (
            self.env["res.company"]
            .sudo()
            .with_context(active_test=False)
            .search([], order="id", limit=1)
            .sudo(False)
        )

    def write(self, vals):
        """A seller moved to another company is counted in that one."""
        moved = self.browse()
        if "company_id" in vals:
            moved = self.filtered(
                lambda p: p.is_seller and p.company_id.id != vals["company_id"]
            )
        res = super().write(vals)
        if moved:
            moved._refresh_marketplace_figures()
        return res

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
        Only the orders of the seller's figures company count
        (``marketplace_company_id``), so the amounts share its currency.
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
            ["seller_id", "company_id", "date_order", "state", "amount", "line_count"]
        )
        self.flush_model(["is_seller", "company_id", *self.SELLER_FIGURES])

    def _marketplace_refresh_params(self):
        """Dates (and the definition of a sale) the figures depend on."""
        today = fields.Date.context_today(self)
        month = today.replace(day=1)
        return {
            "sale": sale_condition(),
            "main_company": SQL(MAIN_COMPANY_SQL),
            "today": today,
            "month": month,
            "prev": (month - timedelta(days=1)).replace(day=1),
            "rolling": today - timedelta(days=29),
        }
