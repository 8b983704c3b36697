"""Measure marketplace_crm on a generated marketplace (see bench/generate.sql).

Run through bench/run.sh. Prints a Markdown table of SQL query counts and
timings, the ORM path side by side with a hand-written SQL baseline, and
writes it to bench/results/.
"""

import argparse
import contextlib
import datetime
import os
import resource
import statistics
import sys
import time
from pathlib import Path

from freezegun import freeze_time

import odoo
from odoo import api
from odoo.modules.registry import Registry
from odoo.tools import config


def CLOCK():
    """Real monotonic seconds: freezegun, which runs the job "tomorrow",
    replaces time.perf_counter and time.monotonic but not clock_gettime."""
    return time.clock_gettime(time.CLOCK_MONOTONIC)


BASELINE_FIGURES = """
WITH sales AS (
    SELECT pt.marketplace_seller_id AS seller_id, so.id AS order_id,
           so.date_order::date AS day,
           ROUND(SUM(sol.price_subtotal / so.currency_rate), 2) AS amount
      FROM sale_order_line sol
      JOIN sale_order so ON so.id = sol.order_id
      JOIN product_product pp ON pp.id = sol.product_id
      JOIN product_template pt ON pt.id = pp.product_tmpl_id
     WHERE so.state = 'sale' AND pt.marketplace_seller_id IS NOT NULL
       AND so.date_order::date <= %(today)s
  GROUP BY 1, 2, 3
)
SELECT seller_id,
       COUNT(*) FILTER (WHERE day >= %(month)s),
       COALESCE(SUM(amount) FILTER (WHERE day >= %(month)s), 0),
       COUNT(*) FILTER (WHERE day >= %(prev)s AND day < %(month)s),
       COALESCE(SUM(amount) FILTER (WHERE day >= %(prev)s AND day < %(month)s), 0),
       COUNT(*) FILTER (WHERE day >= %(rolling)s),
       COALESCE(SUM(amount) FILTER (WHERE day >= %(rolling)s), 0),
       MAX(day)
  FROM sales
 GROUP BY seller_id
"""

BASELINE_REVENUE_BY_CATEGORY = """
SELECT date_trunc('month', so.date_order)::date, pt.categ_id,
       SUM(sol.price_subtotal / COALESCE(NULLIF(so.currency_rate, 0), 1.0))
  FROM sale_order_line sol
  JOIN sale_order so ON so.id = sol.order_id
  JOIN product_product pp ON pp.id = sol.product_id
  JOIN product_template pt ON pt.id = pp.product_tmpl_id
 WHERE so.state = 'sale' AND pt.marketplace_seller_id IS NOT NULL
 GROUP BY 1, 2
"""

BASELINE_SELLER_PERFORMANCE = """
SELECT date_trunc('month', so.date_order)::date, p.seller_segment,
       SUM(sol.price_subtotal / COALESCE(NULLIF(so.currency_rate, 0), 1.0)),
       COUNT(DISTINCT so.id)
  FROM sale_order_line sol
  JOIN sale_order so ON so.id = sol.order_id
  JOIN product_product pp ON pp.id = sol.product_id
  JOIN product_template pt ON pt.id = pp.product_tmpl_id
  JOIN res_partner p ON p.id = pt.marketplace_seller_id
 WHERE so.state = 'sale'
 GROUP BY 1, 2
"""

# Active sellers per month and follow-ups answered by a sale within 15 and 30
# days, straight from the order lines (the seller outcomes report).
BASELINE_SELLER_OUTCOMES = """
WITH active AS (
    SELECT DISTINCT pt.marketplace_seller_id AS seller_id,
           date_trunc('month', so.date_order)::date AS month
      FROM sale_order_line sol
      JOIN sale_order so ON so.id = sol.order_id
      JOIN product_product pp ON pp.id = sol.product_id
      JOIN product_template pt ON pt.id = pp.product_tmpl_id
     WHERE so.state = 'sale' AND pt.marketplace_seller_id IS NOT NULL
), followups AS (
    SELECT e.id, e.date, MIN(so.date_order) AS sold_at
      FROM marketplace_seller_event e
 LEFT JOIN product_template pt ON pt.marketplace_seller_id = e.seller_id
 LEFT JOIN product_product pp ON pp.product_tmpl_id = pt.id
 LEFT JOIN sale_order_line sol ON sol.product_id = pp.id
 LEFT JOIN sale_order so ON so.id = sol.order_id AND so.state = 'sale'
       AND so.date_order > e.date AND so.date_order <= e.date + INTERVAL '30 days'
     WHERE e.event_type = 'inactivity_followup'
  GROUP BY e.id, e.date
)
SELECT month, COUNT(*), NULL, NULL FROM active GROUP BY month
UNION ALL
SELECT date_trunc('month', date)::date, COUNT(*),
       COUNT(*) FILTER (WHERE sold_at <= date + INTERVAL '15 days'), COUNT(sold_at)
  FROM followups GROUP BY 1
"""

BASELINE_BUYER_CONVERSION = """
SELECT date_trunc('month', create_date)::date,
       AVG(CASE WHEN buyer_first_order_date IS NOT NULL THEN 100.0 ELSE 0.0 END)
  FROM res_partner
 WHERE is_buyer AND active
 GROUP BY 1
"""

# The sellers' parts of every confirmed order, by hand (as generate.sql).
BASELINE_PARTS_INSERT = """
INSERT INTO marketplace_order_seller (order_id, seller_id, partner_id, company_id, date_order,
                                      state, amount, line_count, rating_request_sent,
                                      create_uid, write_uid, create_date, write_date)
SELECT so.id, pt.marketplace_seller_id, so.partner_id, so.company_id, so.date_order, so.state,
       ROUND(SUM(sol.price_subtotal / COALESCE(NULLIF(so.currency_rate, 0), 1.0)), 2), COUNT(*),
       false, 1, 1, now(), now()
  FROM sale_order_line sol
  JOIN sale_order so ON so.id = sol.order_id
  JOIN product_product pp ON pp.id = sol.product_id
  JOIN product_template pt ON pt.id = pp.product_tmpl_id
 WHERE so.state = 'sale' AND pt.marketplace_seller_id IS NOT NULL
 GROUP BY so.id, pt.marketplace_seller_id
"""

PARTS_SUMMARY = """
SELECT COUNT(*), SUM(amount), SUM(line_count), COUNT(DISTINCT seller_id)
  FROM marketplace_order_seller
"""

# One inactivity follow-up for every tenth seller, at a date of the last 24
# months, so that the outcomes report has follow-ups to look sales up for.
BENCH_FOLLOWUPS = """
INSERT INTO marketplace_seller_event
       (seller_id, event_type, episode, date, create_date, write_date)
SELECT id, 'inactivity_followup', 'bench', NOW() - (id % 700) * INTERVAL '1 day',
       NOW(), NOW()
  FROM res_partner
 WHERE is_seller AND id % 10 = 0
"""


def peak_rss_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


@contextlib.contextmanager
def measure(cr):
    """Yield a dict filled with the queries and seconds spent in the block."""
    result = {}
    queries, start = cr.sql_log_count, CLOCK()
    yield result
    result["seconds"] = CLOCK() - start
    result["queries"] = cr.sql_log_count - queries


def window_params(today):
    month = today.replace(day=1)
    return {
        "today": today,
        "month": month,
        "prev": (month - datetime.timedelta(days=1)).replace(day=1),
        "rolling": today - datetime.timedelta(days=29),
    }


@contextlib.contextmanager
def count_written(env):
    """Count the partners the job rewrote: each batch returns the partners
    whose figures or segments its UPDATE changed."""
    model = type(env["res.partner"])
    original = model._refresh_marketplace_figures
    counter = {"rows": 0}

    def _refresh_marketplace_figures(self):
        changed = original(self)
        counter["rows"] += len(changed)
        return changed

    model._refresh_marketplace_figures = _refresh_marketplace_figures
    try:
        yield counter
    finally:
        model._refresh_marketplace_figures = original


def full_refresh(env, rows):
    """The scheduled job, as a cron worker runs it, with per-batch figures."""
    cron_model = type(env["ir.cron"])
    original = cron_model._commit_progress
    batches = []
    state = {"queries": env.cr.sql_log_count, "time": CLOCK()}

    def _commit_progress(self, processed=0, *, remaining=None, deactivate=False):
        res = original(self, processed, remaining=remaining, deactivate=deactivate)
        if processed:
            batches.append(
                (
                    env.cr.sql_log_count - state["queries"],
                    CLOCK() - state["time"],
                )
            )
        state.update(queries=env.cr.sql_log_count, time=CLOCK())
        return res

    cron_model._commit_progress = _commit_progress
    try:
        # A job starts from its first batch (no cursor left by a run stopped
        # earlier) and ends with a commit, as in the scheduler.
        env.cr.execute("DELETE FROM marketplace_job_cursor")
        env.cr.commit()
        with measure(env.cr) as m:
            env["res.partner"]._cron_refresh_marketplace_segments()
            env.cr.commit()
    finally:
        cron_model._commit_progress = original
    m["batches"] = batches
    rows.append(m)
    return m


def stored_figures(env):
    env.cr.execute(
        """SELECT id, seller_sale_count_month, seller_sale_amount_month,
                  seller_sale_count_prev_month, seller_sale_amount_prev_month,
                  seller_sale_count_30d, seller_sale_amount_30d, seller_last_sale_date
             FROM res_partner WHERE is_seller"""
    )
    return {
        row[0]: tuple(
            float(v) if isinstance(v, (int, float)) or hasattr(v, "as_tuple") else v
            for v in row[1:]
        )
        for row in env.cr.fetchall()
    }


def baseline_figures(env, params):
    env.cr.execute(BASELINE_FIGURES, params)
    return {
        row[0]: tuple(
            float(v) if v is not None and not isinstance(v, datetime.date) else v
            for v in row[1:]
        )
        for row in env.cr.fetchall()
    }


def compare(stored, baseline):
    empty = (0.0, 0.0, 0.0, 0.0, 0.0, 0.0, None)
    mismatches = [
        sid for sid, figures in stored.items() if baseline.get(sid, empty) != figures
    ]
    return mismatches


def confirm_one(env, seller_name):
    """Queries to confirm a one-line order of a seller's product, and the part
    spent on updating that seller."""
    Partner = env["res.partner"]
    seller = Partner.search([("name", "=", seller_name)], limit=1)
    product = env["product.product"].search(
        [("product_tmpl_id.marketplace_seller_id", "=", seller.id)], limit=1
    )
    buyer = Partner.search([("is_buyer", "=", True)], limit=1)
    order = env["sale.order"].create(
        {
            "partner_id": buyer.id,
            "order_line": [(0, 0, {"product_id": product.id, "product_uom_qty": 1})],
        }
    )
    env.flush_all()
    env.invalidate_all()
    with measure(env.cr) as confirm:
        order.action_confirm()
        env.flush_all()
    env.invalidate_all()
    with measure(env.cr) as update:
        seller._refresh_seller_sales_figures()
        env.flush_all()
    orders = seller.seller_sale_count_30d
    env.cr.rollback()
    return confirm, update, orders


def read_group(env, model, groupby, aggregates):
    env.invalidate_all()
    with measure(env.cr) as m:
        groups = env[model]._read_group([], groupby, aggregates)
    m["groups"] = len(groups)
    return m


def sql(env, query, params=None):
    with measure(env.cr) as m:
        env.cr.execute(query, params)
        m["groups"] = len(env.cr.fetchall())
    return m


def history_backfill(env, out):
    """Install on a living marketplace: every part missing, the addon's
    backfill against one hand-written INSERT ... SELECT (rolled back)."""
    cr = env.cr
    cr.execute(PARTS_SUMMARY)
    expected = cr.fetchone()
    cr.execute("DELETE FROM marketplace_order_seller")
    with measure(cr) as base:
        cr.execute(BASELINE_PARTS_INSERT)
    cr.execute("DELETE FROM marketplace_order_seller")
    env.invalidate_all()
    with measure(cr) as backfill:
        created = env["marketplace.order.seller"]._marketplace_backfill()
    cr.execute(PARTS_SUMMARY)
    restored = cr.fetchone()
    ratio = backfill["seconds"] / base["seconds"] if base["seconds"] else float("inf")
    out("## History backfill (install or upgrade on a marketplace with sales)")
    out()
    out(
        "| run | parts created | SQL queries | seconds | hand-written INSERT seconds | ratio |"
    )
    out("|---|---:|---:|---:|---:|---:|")
    out(
        f"| every part missing | {created:,} | {backfill['queries']} "
        f"| {backfill['seconds']:.2f} | {base['seconds']:.2f} | {ratio:.2f}× |"
    )
    out()
    out(
        "- includes flagging every past customer as a buyer (one UPDATE) and the "
        "figures and segments of every seller concerned (one UPDATE per 20,000)"
    )
    out(
        f"- parts, amounts, lines and sellers equal to the ones confirmation made: "
        f"{'yes' if restored == expected else f'NO {restored} != {expected}'}"
    )
    out()
    cr.rollback()
    env.invalidate_all()
    return ratio, restored == expected


def bulk_assignment(env, out, products=2000):
    """Sellers given to existing products by import (``load``) and by one
    ``write``: seconds and queries per product (rolled back)."""
    cr = env.cr
    cr.execute(
        "SELECT id, marketplace_seller_id FROM product_template "
        "WHERE marketplace_seller_id IS NOT NULL ORDER BY id LIMIT %s",
        [products * 2],
    )
    rows = cr.fetchall()
    by_import, by_write = rows[:products], rows[products:]
    ids = [r[0] for r in rows]
    # The products had no seller yet: no parts for their lines.
    cr.execute(
        "UPDATE product_template SET marketplace_seller_id = NULL WHERE id = ANY(%s)",
        [ids],
    )
    cr.execute(
        "DELETE FROM marketplace_order_seller mos USING sale_order_line sol, "
        "product_product pp WHERE sol.order_id = mos.order_id "
        "AND pp.id = sol.product_id AND pp.product_tmpl_id = ANY(%s)",
        [ids],
    )
    env.invalidate_all()
    Template = env["product.template"]
    with measure(cr) as imported:
        result = Template.load(
            [".id", "marketplace_seller_id/.id"],
            [[str(t), str(s)] for t, s in by_import],
        )
        env.flush_all()
    sellers = {}
    for template_id, seller_id in by_write:
        sellers.setdefault(seller_id, []).append(template_id)
    with measure(cr) as written:
        for seller_id, template_ids in sellers.items():
            Template.browse(template_ids).write({"marketplace_seller_id": seller_id})
        env.flush_all()
    cr.execute(
        "SELECT COUNT(*) FROM product_template pt WHERE id = ANY(%s) "
        "AND marketplace_seller_id IS NOT NULL",
        [ids],
    )
    (assigned,) = cr.fetchone()
    out("## Sellers given to existing products (bulk assignment)")
    out()
    out(
        "| path | products | SQL queries | queries per product | seconds | products per second |"
    )
    out("|---|---:|---:|---:|---:|---:|")
    for label, m, count in (
        ("import (`load`)", imported, len(by_import)),
        ("`write`, one per seller (2 products each)", written, len(by_write)),
    ):
        out(
            f"| {label} | {count:,} | {m['queries']} | {m['queries'] / count:.1f} "
            f"| {m['seconds']:.2f} | {count / m['seconds']:.0f} |"
        )
    out()
    messages = result["messages"][:3]
    out(
        f"- {assigned:,} of {len(ids):,} products assigned"
        + (f"; import messages: {messages}" if messages else "")
    )
    rate = len(by_import) / imported["seconds"] if imported["seconds"] else 0
    if rate:
        out(
            f"- at this rate, 200,000 products (100,000 sellers) by import: "
            f"{200000 / rate / 60:.0f} minutes"
        )
    out()
    cr.rollback()
    env.invalidate_all()


def bench_setup(description):
    """Parse the benchmark's arguments, configure Odoo and open the
    registry. Returns (args, registry, out, lines): ``out`` prints a line of
    the report and keeps it in ``lines``."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--database", required=True)
    parser.add_argument("--addons-path", required=True)
    parser.add_argument("--db-host", default="127.0.0.1")
    parser.add_argument("--db-port", default="5432")
    parser.add_argument("--db-user", required=True)
    parser.add_argument("--output", required=True)
    args = parser.parse_args()
    config.parse_config(
        [
            "--addons-path",
            args.addons_path,
            "--db_host",
            args.db_host,
            "--db_port",
            args.db_port,
            "--db_user",
            args.db_user,
            "--log-level",
            "warn",
        ]
    )
    lines = []

    def out(text=""):
        print(text)
        lines.append(text)

    return args, Registry(args.database), out, lines


def main():
    args, registry, out, lines = bench_setup(__doc__)

    with registry.cursor() as cr:
        env = api.Environment(cr, odoo.SUPERUSER_ID, {})
        # BENCH_TODAY=YYYY-MM-DD: the day of the "cold" run (the "daily" run
        # is the next day; the day after a month's last day rolls the
        # month's figures of every seller over).
        today = (
            datetime.date.fromisoformat(os.environ["BENCH_TODAY"])
            if os.environ.get("BENCH_TODAY")
            else datetime.date.today()
        )
        params = window_params(today)
        cr.execute(
            "SELECT count(*) FILTER (WHERE is_seller), count(*) FILTER (WHERE is_buyer) FROM res_partner"
        )
        sellers, buyers = cr.fetchone()
        cr.execute("SELECT count(*) FROM sale_order_line")
        (order_lines,) = cr.fetchone()
        cr.execute("SELECT count(*) FROM sale_order WHERE state = 'sale'")
        (orders,) = cr.fetchone()
        out(f"# marketplace_crm benchmark, {datetime.datetime.now():%Y-%m-%d %H:%M}")
        out()
        out(
            f"Data: {sellers:,} sellers, {buyers:,} buyers, {orders:,} confirmed orders, "
            f"{order_lines:,} order lines."
        )
        out()

        # 1. Full refresh vs the hand-written query (warm the cache first).
        # "cold": every stored figure and segment is blank, so every row is
        # written (the first run after a data load); "daily": the next day's
        # run, where the windows move and only the changed rows are written.
        out("## Full refresh of every seller's figures and segments")
        out()
        out(
            "| run | rows written | SQL queries | seconds | hand-written SQL seconds | ratio |"
        )
        out("|---|---:|---:|---:|---:|---:|")
        cr.execute(
            "UPDATE res_partner SET seller_segment = NULL, buyer_segment = NULL, "
            "seller_sale_count_month = NULL, seller_sale_amount_month = NULL, "
            "seller_sale_count_prev_month = NULL, seller_sale_amount_prev_month = NULL, "
            "seller_sale_count_30d = NULL, seller_sale_amount_30d = NULL, "
            "seller_last_sale_date = NULL WHERE is_seller OR is_buyer"
        )
        cr.commit()
        runs = {}
        for label, day in (
            ("cold", today),
            ("daily", today + datetime.timedelta(days=1)),
        ):
            params = window_params(day)
            with freeze_time(day):
                baseline_figures(env, params)
                with measure(cr) as base:
                    baseline = baseline_figures(env, params)
                with count_written(env) as counter:
                    refresh = full_refresh(env, [])
                written = counter["rows"]
            stored = stored_figures(env)
            mismatches = compare(stored, baseline)
            ratio = (
                refresh["seconds"] / base["seconds"]
                if base["seconds"]
                else float("inf")
            )
            runs[label] = (refresh, ratio, mismatches, len(stored))
            out(
                f"| {label} | {written:,} | {refresh['queries']} | {refresh['seconds']:.2f} "
                f"| {base['seconds']:.2f} | {ratio:.2f}× |"
            )
        out()
        refresh, ratio, mismatches, sellers_checked = runs["daily"]
        per_batch = [q for q, __ in refresh["batches"]]
        out(
            f"- daily run / SQL: **{ratio:.2f}×** (limit 3×); first run after a load: "
            f"{runs['cold'][1]:.2f}×"
        )
        out(
            f"- batches: {len(per_batch)}; queries per batch: min {min(per_batch, default=0)}, "
            f"median {statistics.median(per_batch) if per_batch else 0}, max {max(per_batch, default=0)}"
        )
        out(f"- peak memory of the process: {peak_rss_mb():.0f} MB (limit 1 GB)")
        out(
            f"- stored figures equal to the SQL baseline for {sellers_checked - len(mismatches):,} "
            f"of {sellers_checked:,} sellers (and {sellers_checked - len(runs['cold'][2]):,} "
            "after the cold run)"
        )
        mismatches = mismatches + runs["cold"][2]
        out()

        # 2. Confirming one order.
        out("## Confirming one order")
        out()
        out(
            "| seller | orders in 30 days after | queries to confirm | queries to update the seller | seconds (update) |"
        )
        out("|---|---:|---:|---:|---:|")
        confirm_one(env, "Bench Seller 1")  # warm the caches (sequences, parameters)
        for name in ("Bench Special 10", "Bench Special 10000"):
            confirm, update, count = confirm_one(env, name)
            cr.execute(
                "SELECT count(*) FROM sale_order_line sol JOIN product_product pp ON pp.id = sol.product_id "
                "JOIN product_template pt ON pt.id = pp.product_tmpl_id JOIN res_partner p "
                "ON p.id = pt.marketplace_seller_id WHERE p.name = %s",
                [name],
            )
            (history,) = cr.fetchone()
            out(
                f"| {name} ({history:,} order lines) | {count} | {confirm['queries']} | {update['queries']} "
                f"| {update['seconds']:.3f} |"
            )
        out()

        # 3. Reports.
        out("## Reports (`_read_group` over every confirmed line)")
        out()
        with measure(cr) as snap:
            env["marketplace.report.snapshot"]._cron_refresh_snapshots()
        cr.commit()
        out(
            f"Report snapshots refreshed (hourly job) in {snap['seconds']:.2f} s, "
            f"{snap['queries']} queries."
        )
        out()
        out("| report | groups | SQL queries | seconds | hand-written SQL seconds |")
        out("|---|---:|---:|---:|---:|")
        read_group(
            env, "marketplace.sales.report", ["date:month", "categ_id"], ["amount:sum"]
        )
        rev = read_group(
            env, "marketplace.sales.report", ["date:month", "categ_id"], ["amount:sum"]
        )
        rev_sql = sql(env, BASELINE_REVENUE_BY_CATEGORY)
        out(
            f"| monthly revenue by product category | {rev['groups']} | {rev['queries']} "
            f"| {rev['seconds']:.2f} | {rev_sql['seconds']:.2f} |"
        )
        perf = read_group(
            env,
            "marketplace.seller.performance.report",
            ["month:month", "seller_segment"],
            ["amount:sum", "order_count:sum"],
        )
        perf_sql = sql(env, BASELINE_SELLER_PERFORMANCE)
        out(
            f"| seller performance by month and segment | {perf['groups']} | {perf['queries']} "
            f"| {perf['seconds']:.2f} | {perf_sql['seconds']:.2f} |"
        )
        out()

        # 4. Reports computed at each read (_table_query), with generated
        # follow-ups.
        cr.execute(BENCH_FOLLOWUPS)
        followups = cr.rowcount
        out(
            "## Live reports (computed at each read; "
            f"{followups:,} inactivity follow-ups added)"
        )
        out()
        out("| report | groups | SQL queries | seconds | hand-written SQL seconds |")
        out("|---|---:|---:|---:|---:|")
        outcome = read_group(
            env,
            "marketplace.seller.outcome.report",
            ["month:month"],
            [
                "active_seller_count:sum",
                "followup_count:sum",
                "reactivated_15_count:sum",
            ],
        )
        outcome_sql = sql(env, BASELINE_SELLER_OUTCOMES)
        out(
            f"| seller outcomes by month | {outcome['groups']} | {outcome['queries']} "
            f"| {outcome['seconds']:.2f} | {outcome_sql['seconds']:.2f} |"
        )
        conversion = read_group(
            env,
            "marketplace.buyer.conversion.report",
            ["registration_date:month"],
            ["converted_rate:avg"],
        )
        conversion_sql = sql(env, BASELINE_BUYER_CONVERSION)
        out(
            f"| buyer conversion by month of registration | {conversion['groups']} "
            f"| {conversion['queries']} | {conversion['seconds']:.2f} "
            f"| {conversion_sql['seconds']:.2f} |"
        )
        out()
        cr.rollback()

        # 5. History backfill and bulk seller assignment.
        backfill_ratio, backfill_equal = history_backfill(env, out)
        bulk_assignment(env, out)

    Path(args.output).write_text("\n".join(lines) + "\n")
    failed = (
        ratio > 3
        or mismatches
        or len(set(per_batch[:-1])) > 1
        or max(rev["seconds"], perf["seconds"]) > 2
        or backfill_ratio > 3
        or not backfill_equal
    )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
