"""The date by which a seller promised to ship an order: the one rule that
the late-shipment rate, the seller's and the buyer's pages all read.

An order part's promised shipping day is:

1. the order's commitment date (*Delivery Date* agreed with the buyer), else
2. the order day plus the seller's handling time in working days (Monday to
   Friday), the handling time being the longest *Customer Lead Time* of the
   seller's products in the order or the seller's own handling time,
   whichever is longer, else
3. the marketplace's default handling time (Settings, 2 working days).

An order placed on a weekend counts from the Friday before (its first
working day is the Monday). A shipment is late when it is done after the
promised day (the day, not the hour).

``promised_day`` is the rule in Python; ``promised_day_sql`` its twin for the
set-based quality refresh, held to it by ``test_promised_date``.
"""

import math
from datetime import timedelta

from odoo.tools import SQL


def add_working_days(day, days):
    """``day`` plus ``days`` working days (Monday to Friday)."""
    if days <= 0:
        return day
    weekday = day.isoweekday()
    start = day - timedelta(days=max(weekday - 5, 0))
    weekday = min(weekday, 5)
    return start + timedelta(days=days + 2 * ((weekday - 1 + days) // 5))


def handling_days(product_delays, seller_days, default_days):
    """Working days the seller has to ship: the longest of the products'
    lead times and the seller's handling time, else the default."""
    days = max([math.ceil(d or 0) for d in product_delays] + [seller_days or 0])
    return days if days > 0 else default_days


def promised_day(date_order, commitment_date, days):
    """The promised shipping day of an order placed at ``date_order``."""
    if commitment_date:
        return commitment_date.date()
    return add_working_days(date_order.date(), days)


def promised_day_sql(order, seller, default_days):
    """``promised_day`` in SQL for the sale order aliased ``order`` and the
    seller (``res_partner``) aliased ``seller``: a ``date`` expression."""
    order_a = SQL.identifier(order)
    seller_a = SQL.identifier(seller)
    days = SQL(
        """COALESCE(NULLIF(GREATEST(
               (SELECT COALESCE(MAX(CEIL(COALESCE(t.sale_delay, 0))), 0)
                  FROM sale_order_line l
                  JOIN product_product pp ON pp.id = l.product_id
                  JOIN product_template t ON t.id = pp.product_tmpl_id
                 WHERE l.order_id = %(order)s.id
                   AND t.marketplace_seller_id = %(seller)s.id),
               COALESCE(%(seller)s.seller_handling_time, 0)), 0), %(default)s)::int""",
        order=order_a,
        seller=seller_a,
        default=default_days,
    )
    day = SQL("%s.date_order::date", order_a)
    weekday = SQL("EXTRACT(ISODOW FROM %s)::int", day)
    return SQL(
        """CASE WHEN %(order)s.commitment_date IS NOT NULL
                THEN %(order)s.commitment_date::date
                WHEN %(days)s <= 0 THEN %(day)s
                ELSE %(day)s - GREATEST(%(weekday)s - 5, 0)
                     + %(days)s + 2 * ((LEAST(%(weekday)s, 5) - 1 + %(days)s) / 5)
           END""",
        order=order_a,
        days=days,
        day=day,
        weekday=weekday,
    )
