from datetime import timedelta
from fractions import Fraction

from odoo import api, fields, models
from odoo.tools import SQL, format_date

from .marketplace_batches import MAIL_CHANNEL, JobRun
from .marketplace_claim import claim_ids
from .marketplace_helpers import send_template
from .marketplace_order_seller import sale_condition
from .marketplace_params import get_param
from .res_partner_sales_figures import MAIN_COMPANY_SQL


class MarketplaceSellerReview(models.Model):
    """The monthly performance review of a seller: the month's sales and
    rating against the month before, and the recommendations sent when they
    declined. One review per seller and month."""

    _name = "marketplace.seller.review"
    _description = "Seller Monthly Review"
    _order = "month desc, id desc"
    _rec_name = "month"

    seller_id = fields.Many2one(
        "res.partner", required=True, index=True, ondelete="cascade", readonly=True
    )
    month = fields.Date(
        required=True, readonly=True, help="First day of the month reviewed."
    )
    company_id = fields.Many2one(
        "res.company",
        readonly=True,
        help="The seller's figures company: the review counts its orders alone.",
    )
    currency_id = fields.Many2one("res.currency", compute="_compute_currency_id")

    def _compute_currency_id(self):
        """The currency of the review's company, else of the seller's figures."""
        for review in self:
            review.currency_id = (
                review.company_id.currency_id
                or review.seller_id.marketplace_currency_id
            )

    month_label = fields.Char("Month Reviewed", compute="_compute_month_label")
    sales_amount = fields.Monetary("Sales", readonly=True)
    previous_sales_amount = fields.Monetary("Sales the Month Before", readonly=True)
    sales_count = fields.Integer("Orders", readonly=True)
    previous_sales_count = fields.Integer("Orders the Month Before", readonly=True)
    sales_change = fields.Float("Sales Change (%)", readonly=True)
    rating_avg = fields.Float("Rating", readonly=True)
    previous_rating_avg = fields.Float("Rating the Month Before", readonly=True)
    declined = fields.Boolean(readonly=True)
    recommendations = fields.Text(readonly=True)

    _unique_month = models.Constraint(
        "UNIQUE(seller_id, month)", "A seller is reviewed once a month."
    )

    @api.depends("month")
    def _compute_month_label(self):
        """The month reviewed, as "October 2026" in the user's language
        (the date of its first day would read "Oct 1")."""
        for review in self:
            review.month_label = (
                format_date(self.env, review.month, date_format="MMMM y")
                if review.month
                else False
            )

    # ------------------------------------------------------------ job
    @api.model
    def _cron_monthly_reviews(self, batch_size=200):
        """Review last month for every validated seller not reviewed yet."""
        today = fields.Date.context_today(self)
        month = (today.replace(day=1) - timedelta(days=1)).replace(day=1)
        done = self.search([("month", "=", month)]).seller_id
        sellers = self.env["res.partner"].search(
            [
                ("is_seller", "=", True),
                ("verification_state", "=", "validated"),
                ("seller_suspended", "=", False),
                ("id", "not in", done.ids),
            ],
            order="id",
        )
        with JobRun(self, "monthly_reviews") as job:
            job.run(
                "_job_monthly_reviews",
                sellers,
                month.isoformat(),
                batch_size=batch_size,
                channel=MAIL_CHANNEL,
                description=self.env._("Monthly reviews"),
            )

    @api.model
    def _job_monthly_reviews(self, sellers, month):
        """Review ``month`` (ISO date of its first day) for a batch of sellers,
        and send the review to those who declined (in the cron or a queue
        job)."""
        month = fields.Date.to_date(month)
        to_send = self.browse()
        for vals in self._review_values(sellers, month):
            review = self._create_once(vals)
            if review.declined and not self.env["marketplace.holdout"]._hold_out(
                "monthly_review", review.seller_id, review.month.isoformat()
            ):
                to_send |= review
        to_send._send_review()

    @api.model
    def _create_once(self, vals):
        """Create the review unless another run already did: the (seller,
        month) row is claimed first under its unique key, then filled; a
        concurrent run gets nothing (see ``claim_ids``)."""
        self.flush_model(["seller_id", "month"])
        ids = claim_ids(
            self.env,
            SQL(
                """
                INSERT INTO marketplace_seller_review
                       (seller_id, month, company_id, create_uid, create_date,
                        write_uid, write_date)
                VALUES (%(seller)s, %(month)s, %(company)s, %(uid)s,
                        NOW() AT TIME ZONE 'UTC',
                        %(uid)s, NOW() AT TIME ZONE 'UTC')
                ON CONFLICT (seller_id, month) DO NOTHING
                RETURNING id
                """,
                seller=vals["seller_id"],
                month=vals["month"],
                company=vals.get("company_id"),
                uid=self.env.uid,
            ),
        )
        review = self.browse(ids)
        if review:
            review.seller_id.invalidate_recordset(["seller_review_ids"])
        review.write({k: v for k, v in vals.items() if k not in ("seller_id", "month")})
        return review

    @api.model
    def _review_values(self, sellers, month):
        """Values of the reviews of ``sellers`` for ``month``, in two queries."""
        previous = (month - timedelta(days=1)).replace(day=1)
        following = (month + timedelta(days=32)).replace(day=1)
        # The sellers' parts of confirmed orders: the same sales as their
        # figures (those of their figures company), read from the parts'
        # (seller, date) index.
        self.env["marketplace.order.seller"].flush_model(
            ["seller_id", "company_id", "date_order", "state", "amount", "line_count"]
        )
        sellers.flush_recordset(["company_id"])
        self.env.cr.execute(
            SQL(
                """
                SELECT os.seller_id, date_trunc('month', os.date_order)::date,
                       SUM(os.amount), COUNT(*)
                  FROM marketplace_order_seller os
                  JOIN res_partner p ON p.id = os.seller_id
                 WHERE %(sale)s
                   AND os.seller_id IN %(ids)s
                   AND os.company_id = COALESCE(p.company_id, %(main_company)s)
                   AND os.date_order >= %(previous)s
                   AND os.date_order < %(following)s
              GROUP BY 1, 2
                """,
                sale=sale_condition("os"),
                ids=tuple(sellers.ids),
                main_company=SQL(MAIN_COMPANY_SQL),
                previous=previous,
                following=following,
            )
        )
        sales = {(row[0], row[1]): row[2:] for row in self.env.cr.fetchall()}
        ratings = {
            (partner.id, fields.Date.to_date(day).replace(day=1)): avg
            for partner, day, avg in self.env["rating.rating"]
            .sudo()  # sudo: figures of the seller's own ratings, for the review
            ._read_group(
                [
                    ("res_model", "=", "marketplace.order.seller"),
                    ("rated_partner_id", "in", sellers.ids),
                    ("consumed", "=", True),
                    ("rating", ">", 0),
                    ("write_date", ">=", previous),
                    ("write_date", "<", following),
                ],
                ["rated_partner_id", "write_date:month"],
                ["rating:avg"],
            )
        }
        threshold = get_param(self.env, "review_decline_percent")
        for seller in sellers:
            amount, count = sales.get((seller.id, month), (0.0, 0))
            prev_amount, prev_count = sales.get((seller.id, previous), (0.0, 0))
            rating = ratings.get((seller.id, month), 0.0)
            prev_rating = ratings.get((seller.id, previous), 0.0)
            if not (count or prev_count or rating or prev_rating):
                # Nothing sold nor rated in either month: a row of zeros
                # would review nothing (the inactivity follow-up takes care
                # of such sellers).
                continue
            change = (
                100.0 * (amount - prev_amount) / prev_amount if prev_amount else 0.0
            )
            declined = bool(
                self._sales_declined(
                    amount, prev_amount, threshold, seller.marketplace_currency_id
                )
                or self._rating_declined(rating, prev_rating)
            )
            vals = {
                "seller_id": seller.id,
                "company_id": seller.marketplace_company_id.id,
                "month": month,
                "sales_amount": amount,
                "previous_sales_amount": prev_amount,
                "sales_count": count,
                "previous_sales_count": prev_count,
                "sales_change": change,
                "rating_avg": rating,
                "previous_rating_avg": prev_rating,
                "declined": declined,
            }
            if declined:
                vals["recommendations"] = "\n".join(self._seller_advice(seller, vals))
            yield vals

    @staticmethod
    def _sales_declined(amount, previous_amount, threshold, currency):
        """Sales fell by ``threshold`` percent or more: compared exactly, on
        whole units of the currency's rounding (cents) and the threshold as
        a decimal fraction, so that 314.40 -> 251.52 is a 20 % decline."""
        rounding = Fraction(str(currency.rounding or 0.01))
        now = round(Fraction(str(amount or 0.0)) / rounding)
        before = round(Fraction(str(previous_amount or 0.0)) / rounding)
        if before <= 0:
            return False
        return (before - now) * 100 >= Fraction(str(threshold)) * before

    @staticmethod
    def _rating_declined(rating, previous_rating):
        """Half a star or more lost from one month to the next."""
        return bool(rating and previous_rating and rating <= previous_rating - 0.5)

    @api.model
    def _seller_advice(self, seller, figures):
        """The advice in the seller's language, whatever the job's: it is
        stored on the review and sent to the seller as it is."""
        in_lang = self.with_context(lang=seller.lang or self.env.lang)
        return in_lang._recommendations(seller.with_env(in_lang.env), figures)

    @api.model
    def _recommendations(self, seller, figures):
        """Advice that follows from the seller's own figures and listings."""
        advice = []
        Product = self.env["product.template"].sudo()  # sudo: listings' figures
        listings = Product.search(
            [("marketplace_seller_id", "=", seller.id), ("is_published", "=", True)]
        )
        if listings:
            categories = listings.categ_id
            peers = Product.search(
                [
                    ("categ_id", "in", categories.ids),
                    ("is_published", "=", True),
                    ("marketplace_seller_id", "!=", seller.id),
                ]
            )
            own_price = sum(listings.mapped("list_price")) / len(listings)
            peer_price = peers and sum(peers.mapped("list_price")) / len(peers)
            currency = seller.marketplace_currency_id
            if peer_price and currency.compare_amounts(own_price, 1.2 * peer_price) > 0:
                advice.append(
                    self.env._(
                        "Price adjustment: your products cost %(own)s on average, "
                        "%(pct)s %% more than similar products (%(peer)s).",
                        own=seller.marketplace_currency_id.format(own_price),
                        peer=seller.marketplace_currency_id.format(peer_price),
                        pct=round(100 * (own_price / peer_price - 1)),
                    )
                )
            without_photo = listings.filtered(lambda p: not p.image_1920)
            if without_photo:
                advice.append(
                    self.env._(
                        "Better photos: %(count)s of your %(total)s listings have no "
                        "photo; add daylight photos, one of them in use.",
                        count=len(without_photo),
                        total=len(listings),
                    )
                )
        rating, previous_rating = figures["rating_avg"], figures["previous_rating_avg"]
        if self._rating_declined(rating, previous_rating):
            advice.append(
                self.env._(
                    "Descriptions: your rating went from %(before).1f to %(now).1f; "
                    "read the latest feedback and make sizes, materials and "
                    "delivery times explicit.",
                    before=previous_rating,
                    now=rating,
                )
            )
        if not advice or (rating or previous_rating or 0) >= 4:
            advice.append(
                self.env._(
                    "Newsletter feature: buyers rate you %(rating).1f / 5; ask us to "
                    "feature your shop in the next newsletter.",
                    rating=rating or previous_rating or seller.seller_rating_avg,
                )
            )
        return advice

    def _send_review(self):
        send_template(self.env, "marketplace_crm.mail_template_monthly_review", self)

    def _recommendation_lines(self):
        self.ensure_one()
        return [line for line in (self.recommendations or "").splitlines() if line]
