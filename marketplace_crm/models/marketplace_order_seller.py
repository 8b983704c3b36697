from datetime import timedelta

from odoo import api, fields, models
from odoo.tools import SQL

from .marketplace_access import check_group
from .marketplace_batches import JobRun
from .marketplace_params import get_param
from .marketplace_promised_date import handling_days, promised_day
from .marketplace_quality_params import quality_param


def sale_condition(alias=None):
    """The one definition of a sale, as an SQL condition on order parts
    (``marketplace_order_seller``, optionally under ``alias``): a confirmed
    order holding at least one of the seller's lines. The figures, segments,
    reviews and reports all read their sales through it."""

    def column(name):
        return SQL.identifier(alias, name) if alias else SQL.identifier(name)

    return SQL("%s = 'sale' AND %s > 0", column("state"), column("line_count"))


class MarketplaceOrderSeller(models.Model):
    """The part of a confirmed order sold by one seller.

    Buyers rate each seller of an order once: this record carries that rating
    (Odoo's rating mechanism) and the rating request sent to the buyer.
    """

    _name = "marketplace.order.seller"
    _description = "Order Part of a Seller"
    _inherit = ["rating.mixin", "mail.thread"]
    _order = "id desc"
    _rec_names_search = ["order_id", "seller_id"]

    order_id = fields.Many2one(
        "sale.order", required=True, index=True, ondelete="cascade", readonly=True
    )
    # Indexed by _seller_date_idx below, which starts with it.
    # Not check_company: parts are made at confirmation, never chosen by a
    # user; a product's seller is checked against the product's company.
    seller_id = fields.Many2one(
        "res.partner", required=True, ondelete="restrict", readonly=True
    )
    partner_id = fields.Many2one(
        "res.partner",
        "Buyer",
        related="order_id.partner_id",
        store=True,
        index=True,
    )
    date_order = fields.Datetime(related="order_id.date_order", store=True)
    company_id = fields.Many2one(related="order_id.company_id", store=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    state = fields.Selection(related="order_id.state", store=True, string="Status")
    amount = fields.Monetary(
        compute="_compute_amount",
        store=True,
        help="Untaxed value of the seller's lines in this order, in the company "
        "currency at the order's rate.",
    )
    line_count = fields.Integer(
        "Lines",
        compute="_compute_amount",
        store=True,
        help="Lines of the seller's products in this order; a part whose lines "
        "all moved to other sellers' products is no sale.",
    )
    rating_request_sent = fields.Boolean(readonly=True, copy=False, default=False)
    promised_date = fields.Date(
        "Ship By",
        compute="_compute_promised_date",
        help="The day the seller promised to ship: the order's delivery date, "
        "else the handling time of the products or the seller in working "
        "days, else the marketplace's default. A shipment done after it is "
        "late.",
    )

    _order_seller_unique = models.Constraint(
        "UNIQUE(order_id, seller_id)",
        "A seller is rated once per order.",
    )
    # The sellers' sales figures and the seller performance report read a
    # seller's parts by date from this index alone (index-only scans), per
    # company.
    _seller_date_idx = models.Index(
        "(seller_id, date_order) INCLUDE (state, amount, line_count, company_id)"
    )

    @api.depends(
        "order_id.date_order",
        "order_id.commitment_date",
        "order_id.order_line.product_id",
        "seller_id.seller_handling_time",
    )
    def _compute_promised_date(self):
        default = quality_param(self.env, "quality_handling_days")
        for part in self:
            # sudo: a portal seller sees the date of their part of an order
            # whose lines are the buyer's; only dates and lead times are read.
            order = part.sudo().order_id
            if not order.date_order:
                part.promised_date = False
                continue
            seller = part.sudo().seller_id
            delays = order.order_line.product_id.product_tmpl_id.filtered(
                lambda t, seller=seller: t.marketplace_seller_id == seller
            ).mapped("sale_delay")
            part.promised_date = promised_day(
                order.date_order,
                order.commitment_date,
                handling_days(delays, seller.seller_handling_time, default),
            )

    @api.depends(
        "seller_id",
        "order_id.currency_rate",
        "order_id.order_line.price_subtotal",
        "order_id.order_line.product_id",
        "order_id.order_line.product_id.product_tmpl_id.marketplace_seller_id",
    )
    def _compute_amount(self):
        for part in self:
            lines = part.order_id.order_line.filtered(
                lambda line, seller=part.seller_id: (
                    line.product_id.product_tmpl_id.marketplace_seller_id == seller
                )
            )
            rate = part.order_id.currency_rate or 1.0
            part.line_count = len(lines)
            part.amount = sum(lines.mapped("price_subtotal")) / rate

    @api.depends("order_id.name", "seller_id")
    def _compute_display_name(self):
        # sudo: a seller may read their part of an order but not the buyer's
        # order itself; only the order reference and the shop name are shown.
        for record, part in zip(self, self.sudo(), strict=True):
            record.display_name = (
                f"{part.order_id.name} - {part.seller_id.display_name}"
            )

    # ------------------------------------------------------------------ rating
    def _rating_get_partner(self):
        return self.partner_id

    def _rating_get_operator(self):
        """The rated party is the seller (a partner, not a user)."""
        return self.seller_id

    def rating_apply(self, rate, token=None, rating=None, feedback=None, **kwargs):
        """Record the buyer's rating (through their token, or directly from
        the backend or an import) and refresh the seller's average."""
        if not token and not rating:
            # Without the buyer's token: a rating entered by the marketplace
            # team (backend, import), never by a seller rating themselves.
            check_group(self.env)
            self.ensure_one()
            token = self._rating_get_access_token()
        rating = super().rating_apply(
            rate, token=token, rating=rating, feedback=feedback, **kwargs
        )
        self.seller_id._refresh_seller_rating()
        return rating

    # ------------------------------------------------------------------ creation
    @api.model
    def _create_for_orders(self, orders):
        """One record per (confirmed order, seller of its products)."""
        existing = {
            (rec.order_id.id, rec.seller_id.id)
            for rec in self.search([("order_id", "in", orders.ids)])
        }
        vals_list = []
        for order in orders:
            sellers = order.order_line.product_id.product_tmpl_id.marketplace_seller_id
            for seller in sellers:
                if (order.id, seller.id) not in existing:
                    vals_list.append({"order_id": order.id, "seller_id": seller.id})
        # No "created" message nor creator follower on the parts: nobody
        # reads a chatter per order and seller.
        return self.with_context(
            mail_create_nolog=True, mail_create_nosubscribe=True
        ).create(vals_list)

    # ------------------------------------------------------------------ cron
    @api.model
    def _cron_send_rating_requests(self, batch_size=200):
        """E-mail each buyer the rating request of each seller of their confirmed
        orders, the configured number of days after confirmation, once.

        Only orders confirmed within the request window are asked: parts of
        older orders (sales history backfilled at installation, upgrade or
        import) never trigger a request."""
        delay = get_param(self.env, "rating_request_delay_days", 3)
        max_age = get_param(self.env, "rating_request_max_age_days")
        template = self.env.ref(
            "marketplace_crm.mail_template_seller_rating_request",
            raise_if_not_found=False,
        )
        if not template or not template.active:
            return
        now = fields.Datetime.now()
        domain = [
            ("rating_request_sent", "=", False),
            ("order_id.state", "=", "sale"),
            ("date_order", "<=", now - timedelta(days=delay)),
            ("date_order", ">=", now - timedelta(days=max(max_age, 0))),
        ]
        parts = self.search(domain, order="id")
        with JobRun(self, "rating_requests") as job:
            job.run("_job_send_rating_requests", parts, template, batch_size=batch_size)

    @api.model
    def _job_send_rating_requests(self, parts, template):
        """Send the requests of a batch of parts and flag them, in the batch's
        transaction. No row lock: Odoo runs one instance of a scheduled job
        at a time (the job's row stays locked while it runs, "Run Manually"
        included), another process calling the job's method at the same
        moment stops at the step's resume point (``run_in_batches``), a run
        stopped by its time budget goes on after the last batch it
        committed, and the parts already flagged are skipped."""
        parts = parts.filtered(lambda part: not part.rating_request_sent)
        for record in parts:
            record.rating_send_request(
                template, lang=record.partner_id.lang, force_send=False
            )
        parts.rating_request_sent = True
