"""Fill a marketplace_crm database (installed without demo data) with a large
marketplace, in SQL: sellers, buyers, their products in product categories
and confirmed sale orders over 24 months, a few of them in another currency.

One record of each kind is first created through the ORM (a "template"); the
bulk rows are copies of it made with ``INSERT ... SELECT generate_series``,
overriding the columns that vary. Every column the ORM filled on the template
(required fields, computed stored fields) is therefore filled on the copies.

Sizes come from the environment, scaled by ``BENCH_SCALE`` (default 1)::

    BENCH_SELLERS=100000 BENCH_BUYERS=200000 BENCH_LINES=1000000
    BENCH_MONTHS=24 BENCH_SCALE=0.01

Usage: python bench/generate.py -d DB --addons-path=... [other Odoo options]
"""

import os
import sys
import time
from datetime import date, timedelta

from odoo_env import environment, load_registry

LINES_PER_ORDER = 2.5
PRODUCTS_PER_SELLER = 3
CATEGORY_COUNT = 40
FOREIGN_ORDER_SHARE = 0.01  # orders in the foreign currency
CANCELLED_SHARE = 0.03
DRAFT_SHARE = 0.02
# The two sellers whose confirmation cost is compared: (name, confirmed orders).
TRACKED_SELLERS = (("Bench Seller 10 orders", 10), ("Bench Seller 10000 orders", 10000))


def sizes():
    """The sizes to generate, from the environment."""
    scale = float(os.environ.get("BENCH_SCALE", "1"))

    def size(name, default):
        return max(int(int(os.environ.get(name, default)) * scale), 1)

    lines = size("BENCH_LINES", 1_000_000)
    return {
        "sellers": size("BENCH_SELLERS", 100_000),
        "buyers": size("BENCH_BUYERS", 200_000),
        "lines": lines,
        "orders": max(int(lines / LINES_PER_ORDER), 1),
        "months": int(os.environ.get("BENCH_MONTHS", "24")),
    }


def step(title):
    """Print a step and return a function printing its duration."""
    print(f"  {title}...", end="", flush=True)
    start = time.monotonic()
    return lambda: print(f" {time.monotonic() - start:.1f} s", flush=True)


def columns(cr, table):
    cr.execute(
        "SELECT column_name FROM information_schema.columns "
        "WHERE table_name = %s ORDER BY ordinal_position",
        [table],
    )
    return [row[0] for row in cr.fetchall()]


def clone(cr, table, template_id, overrides, source, params=None):
    """Insert copies of the row ``template_id`` of ``table``.

    ``source`` is the FROM clause producing one row per copy; it must expose
    the template as ``t``. ``overrides`` maps a column to its SQL expression.
    """
    cols = columns(cr, table)
    unknown = set(overrides) - set(cols)
    if unknown:
        raise ValueError(f"{table} has no column {', '.join(sorted(unknown))}")
    exprs = [overrides.get(col, f't."{col}"') for col in cols]
    col_list = ", ".join(f'"{col}"' for col in cols)
    query = (
        f"INSERT INTO {table} ({col_list}) SELECT {', '.join(exprs)} "
        f"FROM {source} WHERE t.id = {int(template_id)}"
    )
    cr.execute(query, params or {})
    return cr.rowcount


def next_id(cr, table):
    cr.execute(f"SELECT COALESCE(MAX(id), 0) FROM {table}")
    return cr.fetchone()[0]


def reset_sequence(cr, table):
    cr.execute(
        f"SELECT setval('{table}_id_seq', (SELECT COALESCE(MAX(id), 1) FROM {table}))"
    )


def create_templates(env, months):
    """The ORM-made records the bulk rows copy, plus categories and currency."""
    today = date.today()
    company = env.company
    foreign = (
        env.ref("base.EUR")
        if company.currency_id.name != "EUR"
        else env.ref("base.USD")
    )
    foreign.active = True
    env["res.currency.rate"].create(
        [
            {
                "name": (today.replace(day=1) - timedelta(days=31 * m)).replace(day=1),
                "rate": round(0.85 + 0.01 * (m % 10), 4),
                "currency_id": foreign.id,
                "company_id": company.id,
            }
            for m in range(months + 1)
        ]
    )
    pricelist = env["product.pricelist"].create(
        {"name": f"Bench {foreign.name}", "currency_id": foreign.id}
    )
    root = env["product.category"].create({"name": "Bench Crafts"})
    categories = env["product.category"].create(
        [
            {"name": f"Craft {n:02d}", "parent_id": root.id}
            for n in range(CATEGORY_COUNT)
        ]
    )
    seller = env["res.partner"].create(
        {
            "name": "Bench template seller",
            "is_company": True,
            "is_seller": True,
            "email": "template.seller@example.com",
            "shop_name": "Template shop",
        }
    )
    buyer = env["res.partner"].create(
        {"name": "Bench template buyer", "email": "template.buyer@example.com"}
    )
    product = env["product.product"].create(
        {
            "name": "Bench template product",
            "type": "consu",
            "list_price": 10.0,
            "categ_id": categories[0].id,
            "marketplace_seller_id": seller.id,
        }
    )
    order = env["sale.order"].create(
        {
            "partner_id": buyer.id,
            "order_line": [(0, 0, {"product_id": product.id, "price_unit": 10.0})],
        }
    )
    order.action_confirm()
    env.flush_all()
    return {
        "seller": seller.id,
        "buyer": buyer.id,
        "template": product.product_tmpl_id.id,
        "product": product.id,
        "order": order.id,
        "line": order.order_line.id,
        "order_seller": order.marketplace_order_seller_ids.id,
        "categories": categories.ids,
        "foreign": foreign.id,
        "pricelist": pricelist.id,
        "company_currency": company.currency_id.id,
    }


def generate_partners(cr, tpl, size):
    done = step(f"{size['sellers']:,} sellers and {size['buyers']:,} buyers")
    days = size["months"] * 30
    seller_base = next_id(cr, "res_partner")
    tracked = len(TRACKED_SELLERS)
    # Sellers: 85 % validated, the rest new, pending, suspended or rejected.
    clone(
        cr,
        "res_partner",
        tpl["seller"],
        {
            "id": "%(base)s + g",
            "name": "'Bench Seller ' || g",
            "complete_name": "'Bench Seller ' || g",
            "commercial_partner_id": "%(base)s + g",
            "email": "'seller' || g || '@example.com'",
            "email_normalized": "'seller' || g || '@example.com'",
            "shop_name": "'Shop ' || g",
            "verification_state": "CASE WHEN g %% 20 = 1 THEN 'draft' "
            "WHEN g %% 20 = 2 THEN 'pending' WHEN g %% 20 = 3 THEN 'rejected' "
            "ELSE 'validated' END",
            "seller_suspended": "g %% 20 = 4",
            "seller_registration_date": "CURRENT_DATE - (%(days)s + 30 - g %% 30)",
            "verification_date": "(CURRENT_DATE - (%(days)s - g %% 30))::timestamp",
            "create_date": "(CURRENT_DATE - (%(days)s + 30 - g %% 30))::timestamp",
            "write_date": "(CURRENT_DATE - (%(days)s + 30 - g %% 30))::timestamp",
        },
        "res_partner t, generate_series(1, %(count)s) g",
        {"base": seller_base, "count": size["sellers"] + tracked, "days": days},
    )
    # The last ``tracked`` sellers are the ones whose confirmation is measured.
    for offset, (name, __) in enumerate(TRACKED_SELLERS):
        cr.execute(
            "UPDATE res_partner SET name = %s, complete_name = %s, "
            "verification_state = 'validated', seller_suspended = FALSE WHERE id = %s",
            [name, name, seller_base + size["sellers"] + 1 + offset],
        )
    buyer_base = next_id(cr, "res_partner")
    clone(
        cr,
        "res_partner",
        tpl["buyer"],
        {
            "id": "%(base)s + g",
            "name": "'Bench Buyer ' || g",
            "complete_name": "'Bench Buyer ' || g",
            "commercial_partner_id": "%(base)s + g",
            "email": "'buyer' || g || '@example.com'",
            "email_normalized": "'buyer' || g || '@example.com'",
            "is_buyer": "TRUE",
            "customer_rank": "1",
            "create_date": "(CURRENT_DATE - (%(days)s + 30 - g %% 30))::timestamp",
            "write_date": "(CURRENT_DATE - (%(days)s + 30 - g %% 30))::timestamp",
        },
        "res_partner t, generate_series(1, %(count)s) g",
        {"base": buyer_base, "count": size["buyers"], "days": days},
    )
    reset_sequence(cr, "res_partner")
    done()
    return seller_base, buyer_base


def generate_products(cr, tpl, size, seller_base):
    count = (size["sellers"] + len(TRACKED_SELLERS)) * PRODUCTS_PER_SELLER
    done = step(f"{count:,} products in {CATEGORY_COUNT} categories")
    tmpl_base = next_id(cr, "product_template")
    clone(
        cr,
        "product_template",
        tpl["template"],
        {
            "id": "%(base)s + g",
            "name": "jsonb_build_object('en_US', 'Bench product ' || g)",
            "categ_id": "(%(categories)s::int[])[1 + g %% %(ncateg)s]",
            "marketplace_seller_id": "%(seller_base)s + 1 + (g - 1) / %(per_seller)s",
            "list_price": "5 + g %% 200",
        },
        "product_template t, generate_series(1, %(count)s) g",
        {
            "base": tmpl_base,
            "count": count,
            "categories": tpl["categories"],
            "ncateg": len(tpl["categories"]),
            "seller_base": seller_base,
            "per_seller": PRODUCTS_PER_SELLER,
        },
    )
    product_base = next_id(cr, "product_product")
    clone(
        cr,
        "product_product",
        tpl["product"],
        {"id": "%(base)s + g", "product_tmpl_id": "%(tmpl_base)s + g"},
        "product_product t, generate_series(1, %(count)s) g",
        {"base": product_base, "tmpl_base": tmpl_base, "count": count},
    )
    reset_sequence(cr, "product_template")
    reset_sequence(cr, "product_product")
    done()
    return product_base


def generate_orders(cr, tpl, size, buyer_base):
    orders = size["orders"]
    done = step(f"{orders:,} sale orders over {size['months']} months")
    order_base = next_id(cr, "sale_order")
    # One foreign-currency order in 100, rate of its month.
    cr.execute(
        """
        CREATE TEMP TABLE bench_order ON COMMIT DROP AS
        SELECT %(base)s + g AS id,
               date_trunc('second', now() - random() * %(days)s * interval '1 day')
                   AS date_order,
               %(buyer_base)s + 1 + floor(random() * %(buyers)s)::int AS partner_id,
               random() < %(foreign)s AS foreign_currency,
               CASE WHEN random() < %(cancel)s THEN 'cancel'
                    WHEN random() < %(draft)s THEN 'draft' ELSE 'sale' END AS state
          FROM generate_series(1, %(count)s) g
        """,
        {
            "base": order_base,
            "days": size["months"] * 30.4,
            "buyer_base": buyer_base,
            "buyers": size["buyers"],
            "foreign": FOREIGN_ORDER_SHARE,
            "cancel": CANCELLED_SHARE,
            "draft": DRAFT_SHARE,
            "count": orders,
        },
    )
    clone(
        cr,
        "sale_order",
        tpl["order"],
        {
            "id": "o.id",
            "name": "'BS' || lpad(o.id::text, 7, '0')",
            "partner_id": "o.partner_id",
            "partner_invoice_id": "o.partner_id",
            "partner_shipping_id": "o.partner_id",
            "state": "o.state",
            "date_order": "o.date_order",
            "create_date": "o.date_order",
            "write_date": "o.date_order",
            "access_token": "NULL",
            "currency_id": "CASE WHEN o.foreign_currency THEN %(foreign)s "
            "ELSE t.currency_id END",
            "pricelist_id": "CASE WHEN o.foreign_currency THEN %(pricelist)s "
            "ELSE t.pricelist_id END",
            "currency_rate": "CASE WHEN o.foreign_currency THEN (SELECT r.rate "
            "FROM res_currency_rate r WHERE r.currency_id = %(foreign)s "
            "AND r.name <= o.date_order::date ORDER BY r.name DESC LIMIT 1) "
            "ELSE 1.0 END",
        },
        "sale_order t, bench_order o",
        {"foreign": tpl["foreign"], "pricelist": tpl["pricelist"]},
    )
    reset_sequence(cr, "sale_order")
    done()
    return order_base


def generate_lines(cr, tpl, size, order_base, product_base):
    tracked = len(TRACKED_SELLERS)
    tracked_lines = min(
        sum(count for __, count in TRACKED_SELLERS), size["orders"] // 2
    )
    regular = max(size["lines"] - tracked_lines, size["orders"])
    done = step(f"{regular + tracked_lines:,} sale order lines")
    products = size["sellers"] * PRODUCTS_PER_SELLER
    line_base = next_id(cr, "sale_order_line")
    line_cols = {
        "id": "l.id",
        "order_id": "so.id",
        "order_partner_id": "so.partner_id",
        "currency_id": "so.currency_id",
        "state": "so.state",
        "product_id": "l.product_id",
        "name": "'Bench product line'",
        "product_uom_qty": "l.qty",
        "price_unit": "l.price",
        "technical_price_unit": "l.price",
        "price_subtotal": "l.qty * l.price",
        "price_total": "l.qty * l.price",
        "price_reduce_taxexcl": "l.price",
        "price_reduce_taxinc": "l.price",
        "price_tax": "0",
        "qty_to_invoice": "CASE WHEN so.state = 'sale' THEN l.qty ELSE 0 END",
        "untaxed_amount_to_invoice": "CASE WHEN so.state = 'sale' "
        "THEN l.qty * l.price ELSE 0 END",
        "invoice_status": "CASE WHEN so.state = 'sale' THEN 'to invoice' ELSE 'no' END",
        "create_date": "so.date_order",
        "write_date": "so.date_order",
    }
    # Regular lines: every order gets 2 or 3 lines of random products.
    cr.execute(
        """
        CREATE TEMP TABLE bench_line ON COMMIT DROP AS
        SELECT %(base)s + g AS id,
               %(order_base)s + 1 + (g - 1) %% %(orders)s AS order_id,
               %(product_base)s + 1 + floor(random() * %(products)s)::int
                   AS product_id,
               1 + floor(random() * 4)::int AS qty,
               round((5 + random() * 195)::numeric, 2) AS price
          FROM generate_series(1, %(count)s) g
        """,
        {
            "base": line_base,
            "order_base": order_base,
            "orders": size["orders"],
            "product_base": product_base,
            "products": products,
            "count": regular,
        },
    )
    # The tracked sellers: one line in each of their confirmed orders.
    first = 0
    for offset, (__, count) in enumerate(TRACKED_SELLERS):
        count = min(count, max(tracked_lines - first, 0))
        cr.execute(
            """
            INSERT INTO bench_line
            SELECT %(base)s + %(regular)s + rn,
                   id, %(product)s, 1, 25.0
              FROM (SELECT id, row_number() OVER (ORDER BY id) AS rn
                      FROM sale_order WHERE id > %(order_base)s AND state = 'sale'
                  ORDER BY id OFFSET %(first)s LIMIT %(count)s) o
            """,
            {
                "base": line_base,
                "regular": regular,
                "first": first,
                "count": count,
                "order_base": order_base,
                "product": product_base
                + (size["sellers"] + offset) * PRODUCTS_PER_SELLER
                + 1,
            },
        )
        first += count
    count = clone(
        cr,
        "sale_order_line",
        tpl["line"],
        line_cols,
        "sale_order_line t, bench_line l JOIN sale_order so ON so.id = l.order_id",
    )
    del tracked
    reset_sequence(cr, "sale_order_line")
    done()
    return count


def finish_orders(cr, tpl, order_base):
    done = step("order totals, order parts per seller, buyer purchase dates")
    cr.execute(
        """
        UPDATE sale_order so
           SET amount_untaxed = s.total, amount_total = s.total, amount_tax = 0
          FROM (SELECT order_id, SUM(price_subtotal) AS total
                  FROM sale_order_line WHERE order_id > %(base)s
              GROUP BY order_id) s
         WHERE so.id = s.order_id
        """,
        {"base": order_base},
    )
    # The per-seller parts confirmation creates (sales figures, ratings),
    # also for the orders cancelled after confirmation.
    base = next_id(cr, "marketplace_order_seller")
    cr.execute(
        """
        CREATE TEMP TABLE bench_order_seller ON COMMIT DROP AS
        SELECT %(base)s + row_number() OVER () AS id, x.*
          FROM (SELECT sol.order_id, pt.marketplace_seller_id AS seller_id,
                       ROUND(SUM(sol.price_subtotal
                                 / COALESCE(NULLIF(so.currency_rate, 0), 1)), 2)
                           AS amount,
                       COUNT(*) AS line_count
                  FROM sale_order_line sol
                  JOIN sale_order so ON so.id = sol.order_id
                  JOIN product_product pp ON pp.id = sol.product_id
                  JOIN product_template pt ON pt.id = pp.product_tmpl_id
                 WHERE so.id > %(order_base)s AND so.state IN ('sale', 'cancel')
              GROUP BY 1, 2) x
        """,
        {"base": base, "order_base": order_base},
    )
    clone(
        cr,
        "marketplace_order_seller",
        tpl["order_seller"],
        {
            "id": "x.id",
            "order_id": "x.order_id",
            "seller_id": "x.seller_id",
            "state": "so.state",
            "amount": "x.amount",
            "line_count": "x.line_count",
            "partner_id": "so.partner_id",
            "date_order": "so.date_order",
            "create_date": "so.date_order",
            "write_date": "so.date_order",
            "rating_request_sent": "TRUE",
        },
        "marketplace_order_seller t, bench_order_seller x "
        "JOIN sale_order so ON so.id = x.order_id",
    )
    reset_sequence(cr, "marketplace_order_seller")
    # Purchase dates, as confirmation keeps them.
    cr.execute(
        """
        UPDATE res_partner p
           SET buyer_first_order_date = d.first, buyer_last_order_date = d.last
          FROM (SELECT partner_id, MIN(date_order)::date AS first,
                       MAX(date_order)::date AS last
                  FROM sale_order WHERE state = 'sale' GROUP BY partner_id) d
         WHERE p.id = d.partner_id
        """
    )
    done()


def main(argv):
    registry = load_registry(argv)
    size = sizes()
    print(
        "Generating {sellers:,} sellers, {buyers:,} buyers, {orders:,} orders, "
        "{lines:,} order lines over {months} months".format(**size)
    )
    start = time.monotonic()
    with environment(registry, {"tracking_disable": True}) as env:
        done = step("ORM templates, categories, currency rates")
        tpl = create_templates(env, size["months"])
        done()
    with registry.cursor() as cr:
        cr.execute("SELECT setseed(0.42)")
        # The rows are consistent by construction: skip the per-row foreign
        # key triggers (needs a superuser role, as the test databases do).
        cr.execute("SET LOCAL session_replication_role = replica")
        seller_base, buyer_base = generate_partners(cr, tpl, size)
        product_base = generate_products(cr, tpl, size, seller_base)
        order_base = generate_orders(cr, tpl, size, buyer_base)
        generate_lines(cr, tpl, size, order_base, product_base)
        finish_orders(cr, tpl, order_base)
    done = step("VACUUM ANALYZE")
    with registry.cursor() as cr:
        cr._cnx.autocommit = True
        for table in (
            "res_partner",
            "product_template",
            "product_product",
            "sale_order",
            "sale_order_line",
            "marketplace_order_seller",
        ):
            cr.execute(f"VACUUM ANALYZE {table}")
        cr._cnx.autocommit = False
    done()
    print(f"Generated in {time.monotonic() - start:.0f} s")


if __name__ == "__main__":
    main(sys.argv[1:])
