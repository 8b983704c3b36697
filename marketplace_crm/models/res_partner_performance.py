"""A seller's own performance, as charts on "My shop".

The charts are SVG built here, on the server: every label is escaped, and the
page needs no script or external asset to draw them.
"""

from statistics import median

from dateutil.relativedelta import relativedelta
from markupsafe import Markup

from odoo import fields, models
from odoo.fields import Domain
from odoo.tools import SQL
from odoo.tools.misc import format_date

CHART_WIDTH, CHART_HEIGHT = 600, 200
MARGIN_TOP, MARGIN_BOTTOM, MARGIN_LEFT = 20, 30, 10


def _svg(label, body):
    return Markup(
        '<svg xmlns="http://www.w3.org/2000/svg" role="img" class="img-fluid" '
        'viewBox="0 0 {w} {h}" width="100%" aria-label="{label}">'
        "<title>{label}</title>{body}</svg>"
    ).format(w=CHART_WIDTH, h=CHART_HEIGHT, label=label, body=body)


class ResPartner(models.Model):
    _inherit = "res.partner"

    def _marketplace_performance_months(self):
        """First days of the last 12 months, the current one last."""
        first = fields.Date.context_today(self).replace(day=1)
        return [first - relativedelta(months=n) for n in range(11, -1, -1)]

    def _marketplace_performance(self):
        """The figures and charts of this seller's "My shop" performance
        section: this seller's own sales, ratings, disputes and last review;
        of the other sellers, only the marketplace medians."""
        self.ensure_one()
        months = self._marketplace_performance_months()
        sales = self._marketplace_monthly_sales(months[0])
        ratings = self._marketplace_monthly_ratings(months[0])
        rates = self._marketplace_dispute_rates()
        return {
            "months": months,
            "sales": [sales.get(month, 0.0) for month in months],
            "ratings": [ratings.get(month) for month in months],
            "sales_svg": self._marketplace_sales_svg(months, sales),
            "rating_svg": self._marketplace_rating_svg(months, ratings),
            **rates,
            "advice": self._marketplace_last_advice(),
        }

    # ------------------------------------------------------------ figures
    def _marketplace_monthly_sales(self, since):
        """This seller's sales per month (UTC months, as every sales figure),
        from the parts of confirmed orders."""
        # sudo: only this seller's own parts are read.
        groups = (
            self.env["marketplace.order.seller"]
            .sudo()
            .with_context(tz="UTC")
            ._read_group(
                Domain("seller_id", "=", self.id)
                & Domain("date_order", ">=", since)
                & Domain("state", "=", "sale")
                & Domain("line_count", ">", 0),
                ["date_order:month"],
                ["amount:sum"],
            )
        )
        return {month.date(): float(amount or 0.0) for month, amount in groups}

    def _marketplace_monthly_ratings(self, since):
        """The average of the buyers' ratings of this seller per month."""
        # sudo: only the ratings of this seller's own parts are read.
        groups = (
            self.env["rating.rating"]
            .sudo()
            .with_context(tz="UTC")
            ._read_group(
                Domain("res_model", "=", "marketplace.order.seller")
                & Domain("consumed", "=", True)
                & Domain("rating", ">", 0)
                & Domain("rated_partner_id", "=", self.id)
                & Domain("write_date", ">=", since),
                ["write_date:month"],
                ["rating:avg"],
            )
        )
        return {month.date(): float(avg) for month, avg in groups}

    def _marketplace_dispute_rates(self):
        """Disputes and refunds per 100 sales of this seller, and the median
        of the sellers who sold (one query; only the medians leave it)."""
        self.env["marketplace.dispute"].flush_model(["seller_id", "outcome"])
        self.env["marketplace.order.seller"].flush_model(
            ["seller_id", "state", "line_count"]
        )
        self.env.cr.execute(
            SQL(
                """
                WITH parts AS (
                    SELECT seller_id, COUNT(*) AS n
                      FROM marketplace_order_seller
                     WHERE state = 'sale' AND line_count > 0
                  GROUP BY seller_id
                ), disputes AS (
                    SELECT seller_id, COUNT(*) AS n,
                           COUNT(*) FILTER (WHERE outcome IN
                               ('buyer_refunded', 'partial_refund')) AS refunds
                      FROM marketplace_dispute
                  GROUP BY seller_id
                )
                SELECT p.seller_id,
                       100.0 * COALESCE(d.n, 0) / p.n,
                       100.0 * COALESCE(d.refunds, 0) / p.n
                  FROM parts p
             LEFT JOIN disputes d ON d.seller_id = p.seller_id
                """
            )
        )
        rows = self.env.cr.fetchall()
        own = next((row for row in rows if row[0] == self.id), (self.id, 0.0, 0.0))
        return {
            "dispute_rate": float(own[1]),
            "refund_rate": float(own[2]),
            "median_dispute_rate": float(median(r[1] for r in rows)) if rows else 0.0,
            "median_refund_rate": float(median(r[2] for r in rows)) if rows else 0.0,
        }

    def _marketplace_last_advice(self):
        """The advice of the last monthly review e-mailed to the seller (a
        review withheld for the control group was not sent: no advice)."""
        reviews = self.env["marketplace.seller.review"].search(
            [("seller_id", "=", self.id), ("declined", "=", True)],
            order="month desc",
        )
        held_out = set(
            self.env["marketplace.seller.event"]
            .search(
                [
                    ("seller_id", "=", self.id),
                    ("event_type", "=", "held_out"),
                    ("holdout_automation", "=", "monthly_review"),
                ]
            )
            .mapped("episode")
        )
        for review in reviews:
            if f"monthly_review:{review.month.isoformat()}" not in held_out:
                return {"month": review.month, "lines": review._recommendation_lines()}
        return {}

    # ------------------------------------------------------------ charts
    def _marketplace_month_label(self, month):
        return format_date(self.env, month, date_format="MMM")

    def _marketplace_sales_svg(self, months, sales):
        """Twelve bars, one per month, labelled with the month."""
        top = max(sales.values(), default=0.0) or 1.0
        slot = (CHART_WIDTH - MARGIN_LEFT) / len(months)
        plot_height = CHART_HEIGHT - MARGIN_TOP - MARGIN_BOTTOM
        currency = self.marketplace_currency_id
        parts = []
        for index, month in enumerate(months):
            amount = sales.get(month, 0.0)
            height = plot_height * amount / top
            x = MARGIN_LEFT + index * slot
            label = self._marketplace_month_label(month)
            parts.append(
                Markup(
                    '<rect class="o_mp_sales_bar" x="{x:.1f}" y="{y:.1f}" '
                    'width="{w:.1f}" height="{h:.1f}" fill="#714B67">'
                    "<title>{title}</title></rect>"
                    '<text x="{cx:.1f}" y="{ty}" font-size="11" '
                    'text-anchor="middle">{label}</text>'
                ).format(
                    x=x + slot * 0.15,
                    y=MARGIN_TOP + plot_height - height,
                    w=slot * 0.7,
                    h=height,
                    title=f"{label}: {currency.format(amount) if currency else amount}",
                    cx=x + slot / 2,
                    ty=CHART_HEIGHT - 10,
                    label=label,
                )
            )
        scale = Markup(
            '<line x1="{x1}" y1="{y}" x2="{x2}" y2="{y}" stroke="#ccc"/>'
            '<text class="o_mp_sales_top" x="{x1}" y="12" font-size="11">{top}</text>'
        ).format(
            x1=MARGIN_LEFT,
            x2=CHART_WIDTH,
            y=MARGIN_TOP + plot_height,
            top=currency.format(top) if currency and sales else "",
        )
        return _svg(
            self.env._("Sales by month over the last 12 months"),
            scale + Markup("").join(parts),
        )

    def _marketplace_rating_svg(self, months, ratings):
        """The monthly average rating, out of 5, as a line over 12 months."""
        slot = (CHART_WIDTH - MARGIN_LEFT) / len(months)
        plot_height = CHART_HEIGHT - MARGIN_TOP - MARGIN_BOTTOM
        points, parts = [], []
        for index, month in enumerate(months):
            x = MARGIN_LEFT + index * slot + slot / 2
            label = self._marketplace_month_label(month)
            parts.append(
                Markup(
                    '<text x="{x:.1f}" y="{y}" font-size="11" '
                    'text-anchor="middle">{label}</text>'
                ).format(x=x, y=CHART_HEIGHT - 10, label=label)
            )
            rating = ratings.get(month)
            if rating is None:
                continue
            y = MARGIN_TOP + plot_height * (1 - rating / 5)
            points.append(f"{x:.1f},{y:.1f}")
            parts.append(
                Markup(
                    '<circle class="o_mp_rating_point" cx="{x:.1f}" cy="{y:.1f}" '
                    'r="4" fill="#017E84"><title>{title}</title></circle>'
                ).format(x=x, y=y, title=f"{label}: {rating:.1f} / 5")
            )
        line = (
            Markup(
                '<polyline points="{points}" fill="none" stroke="#017E84" '
                'stroke-width="2"/>'
            ).format(points=" ".join(points))
            if len(points) > 1
            else Markup("")
        )
        axis = Markup(
            '<line x1="{x1}" y1="{y}" x2="{x2}" y2="{y}" stroke="#ccc"/>'
            '<line x1="{x1}" y1="{top}" x2="{x2}" y2="{top}" stroke="#eee"/>'
            '<text x="{x1}" y="{label_y}" font-size="11">5 / 5</text>'
        ).format(
            x1=MARGIN_LEFT,
            x2=CHART_WIDTH,
            y=MARGIN_TOP + plot_height,
            top=MARGIN_TOP,
            label_y=MARGIN_TOP - 6,
        )
        return _svg(
            self.env._("Rating over the last 12 months"),
            axis + line + Markup("").join(parts),
        )
