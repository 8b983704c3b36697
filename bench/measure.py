"""Measure marketplace_crm on a generated database (see generate.py).

Through the ORM, side by side with hand-written SQL on the same tables:

1. the full refresh of the sellers' figures and segments, run as the
   scheduler runs it (the ``ir.cron`` record, committed per batch), with the
   queries and time of each batch and the peak memory of the process, then
   checks the stored figures equal the SQL ones;
2. the queries of confirming one order for a seller with 10 orders and for
   one with 10,000;
3. the grouped reads of the monthly-revenue-by-category and the
   seller-performance reports.

Prints a table and writes it to bench/results/<timestamp>.md.

Usage: python bench/measure.py -d DB --addons-path=... [other Odoo options]
"""

import os
import resource
import statistics
import sys
import time
from datetime import date, datetime, timedelta
from unittest.mock import patch

from generate import PRODUCTS_PER_SELLER, TRACKED_SELLERS
from odoo_env import environment, load_registry

RESULTS_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "results")
MAX_RATIO = 3.0
MAX_MEMORY_MB = 1024
MAX_REPORT_SECONDS = 2.0
REPEAT = 3

FIGURES = (
    "seller_sale_count_month",
    "seller_sale_amount_month",
    "seller_sale_count_prev_month",
    "seller_sale_amount_prev_month",
    "seller_sale_count_30d",
    "seller_sale_amount_30d",
    "seller_last_sale_date",
)

# The sellers' figures for %(ids)s (all sellers when NULL), written by hand:
# a sale is a confirmed order holding the seller's products, its value the
# untaxed subtotal of those lines in company currency (order's rate).
SQL_FIGURES = """
WITH sales AS (
    SELECT pt.marketplace_seller_id AS seller_id, so.id AS order_id,
           so.date_order::date AS day,
           ROUND(SUM(sol.price_subtotal
                     / COALESCE(NULLIF(so.currency_rate, 0), 1)), 2) AS amount
      FROM sale_order so
      JOIN sale_order_line sol ON sol.order_id = so.id
      JOIN product_product pp ON pp.id = sol.product_id
      JOIN product_template pt ON pt.id = pp.product_tmpl_id
     WHERE so.state = 'sale' AND pt.marketplace_seller_id IS NOT NULL
       AND so.date_order::date <= %(today)s
       AND (%(ids)s::int[] IS NULL OR pt.marketplace_seller_id = ANY(%(ids)s))
  GROUP BY 1, 2, 3
)
SELECT seller_id,
       COUNT(*) FILTER (WHERE day >= %(month)s),
       ROUND(COALESCE(SUM(amount) FILTER (WHERE day >= %(month)s), 0), 2),
       COUNT(*) FILTER (WHERE day >= %(prev)s AND day < %(month)s),
       ROUND(COALESCE(SUM(amount) FILTER (WHERE day >= %(prev)s
                                            AND day < %(month)s), 0), 2),
       COUNT(*) FILTER (WHERE day >= %(rolling)s),
       ROUND(COALESCE(SUM(amount) FILTER (WHERE day >= %(rolling)s), 0), 2),
       MAX(day)
  FROM sales
 GROUP BY seller_id
"""

SQL_REVENUE_BY_CATEGORY = """
SELECT date_trunc('month', so.date_order) AS month, pt.categ_id,
       SUM(sol.price_subtotal / COALESCE(NULLIF(so.currency_rate, 0), 1))
  FROM sale_order_line sol
  JOIN sale_order so ON so.id = sol.order_id
  JOIN product_product pp ON pp.id = sol.product_id
  JOIN product_template pt ON pt.id = pp.product_tmpl_id
 WHERE so.state = 'sale' AND pt.marketplace_seller_id IS NOT NULL
 GROUP BY 1, 2
"""

SQL_PERFORMANCE_BY_SEGMENT = """
SELECT date_trunc('month', so.date_order) AS month, p.seller_segment,
       SUM(sol.price_subtotal / COALESCE(NULLIF(so.currency_rate, 0), 1)),
       COUNT(DISTINCT (so.id, pt.marketplace_seller_id))
  FROM sale_order_line sol
  JOIN sale_order so ON so.id = sol.order_id
  JOIN product_product pp ON pp.id = sol.product_id
  JOIN product_template pt ON pt.id = pp.product_tmpl_id
  JOIN res_partner p ON p.id = pt.marketplace_seller_id
 WHERE so.state = 'sale'
 GROUP BY 1, 2
"""


class Measure:
    """Time and query count of a block run on cursor ``cr``."""

    def __init__(self, cr):
        self.cr = cr
        self.seconds = self.queries = 0

    def __enter__(self):
        self._queries = self.cr.sql_log_count
        self._start = time.monotonic()
        return self

    def __exit__(self, *exc):
        self.seconds = time.monotonic() - self._start
        self.queries = self.cr.sql_log_count - self._queries


def peak_rss_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def windows():
    today = date.today()
    month = today.replace(day=1)
    return {
        "today": today,
        "month": month,
        "prev": (month - timedelta(days=1)).replace(day=1),
        "rolling": today - timedelta(days=29),
    }


def sql_figures(cr, ids=None):
    cr.execute(SQL_FIGURES, dict(windows(), ids=ids))
    return {row[0]: row[1:] for row in cr.fetchall()}


class Bench:
    def __init__(self, registry):
        self.registry = registry
        self.rows = []  # (measure, ORM, ORM queries, SQL, SQL queries, rule, ok)
        self.notes = []

    def row(self, label, orm, sql=None, rule="", ok=None):
        self.rows.append((label, orm, sql, rule, ok))

    # ------------------------------------------------------------------ refresh
    def run_cron(self, env):
        """Run the refresh job as the scheduler does; per-batch queries/time."""
        cron_model = type(env["ir.cron"])
        original = cron_model._commit_progress
        batches = []
        last = {}

        def commit_progress(cron, processed=0, *, remaining=None, deactivate=False):
            cr = cron.env.cr
            now = time.monotonic()
            if processed:
                batches.append(
                    (processed, cr.sql_log_count - last["q"], now - last["t"])
                )
            res = original(cron, processed, remaining=remaining, deactivate=deactivate)
            last.update(q=cr.sql_log_count, t=time.monotonic())
            return res

        job = env.ref("marketplace_crm.ir_cron_refresh_marketplace_segments")
        env.cr.commit()
        with patch.object(cron_model, "_commit_progress", commit_progress):
            start = time.monotonic()
            job.method_direct_trigger()
            seconds = time.monotonic() - start
        return seconds, batches

    def measure_refresh(self):
        with environment(self.registry) as env:
            cr = env.cr
            sellers = env["res.partner"].search_count([("is_seller", "=", True)])
            buyers = env["res.partner"].search_count([("is_buyer", "=", True)])
            # Start from blank figures and segments: every row is written.
            cr.execute(
                "UPDATE res_partner SET seller_sale_count_month = 0, "
                "seller_sale_amount_month = 0, seller_sale_count_prev_month = 0, "
                "seller_sale_amount_prev_month = 0, seller_sale_count_30d = 0, "
                "seller_sale_amount_30d = 0, seller_last_sale_date = NULL, "
                "seller_segment = NULL, buyer_segment = NULL "
                "WHERE is_seller OR is_buyer"
            )
            cr.commit()
            sql_figures(cr)  # warm the caches for both sides
            sql_times = []
            for __ in range(REPEAT):
                with Measure(cr) as sql:
                    expected = sql_figures(cr)
                sql_times.append(sql.seconds)
            sql_seconds = statistics.median(sql_times)
            rss_before = peak_rss_mb()
            runs = []
            for run in ("first run, every row written", "second run, nothing changed"):
                seconds, batches = self.run_cron(env)
                runs.append((run, seconds, batches))
            rss_after = peak_rss_mb()
            env.invalidate_all()
            mismatches = self.compare_figures(env, expected)
            wrong_segments, sample = self.compare_segments(env)
            cr.execute(
                "SELECT COUNT(*) FILTER (WHERE is_seller AND seller_segment IS NULL), "
                "COUNT(*) FILTER (WHERE is_buyer AND buyer_segment IS NULL) "
                "FROM res_partner"
            )
            no_seller_segment, no_buyer_segment = cr.fetchone()
        self.notes.append(
            f"Refresh of {sellers:,} sellers and {buyers:,} buyers "
            f"(the job processes both, in batches of 1,000 partners)."
        )
        for run, seconds, batches in runs:
            seller_batches = [b for b in batches[: -(-sellers // 1000)]]
            queries = sorted({q for __, q, __ in batches})
            ratio = seconds / sql_seconds
            self.row(
                f"Full refresh, {run}",
                f"{seconds:.2f} s, {sum(q for __, q, __ in batches)} queries "
                f"in {len(batches)} batches",
                f"{sql_seconds:.2f} s, 1 query",
                f"≤ {MAX_RATIO:.0f}× SQL",
                ratio <= MAX_RATIO,
            )
            self.notes.append(
                f"{run}: {ratio:.2f}× the SQL query; queries per batch: "
                f"{', '.join(map(str, queries))} (first batches: "
                + ", ".join(f"{q} q/{t:.2f} s" for __, q, t in seller_batches[:3])
                + f"; seller batches {sum(t for __, __, t in seller_batches):.2f} s, "
                f"buyer batches "
                f"{sum(t for __, __, t in batches[len(seller_batches) :]):.2f} s)"
            )
            self.row(
                f"Queries per batch, {run}",
                " / ".join(str(q) for __, q, __ in batches[:4])
                + (" ..." if len(batches) > 4 else ""),
                "",
                "constant",
                len(queries) <= 2,
            )
        self.row(
            "Peak memory (RSS of the process, with Odoo)",
            f"{rss_after:.0f} MB (before the refresh: {rss_before:.0f} MB)",
            "",
            f"< {MAX_MEMORY_MB} MB",
            rss_after < MAX_MEMORY_MB,
        )
        self.row(
            "Stored figures equal to the SQL ones",
            f"{mismatches} seller(s) differ; segments missing: "
            f"{no_seller_segment} seller(s), {no_buyer_segment} buyer(s)",
            f"{len(expected):,} sellers with sales",
            "equal",
            not mismatches and not no_seller_segment and not no_buyer_segment,
        )
        self.row(
            "Stored segments equal to the ORM computes",
            f"{wrong_segments} of {sample:,} sampled partners differ",
            "",
            "equal",
            not wrong_segments,
        )

    def compare_segments(self, env, size=5000):
        """Recompute the segments of a sample of partners with the ORM
        computes (in cache only) and compare them with the stored ones."""
        cr = env.cr
        cr.execute(
            "SELECT id, seller_segment, buyer_segment FROM res_partner "
            "WHERE is_seller OR is_buyer ORDER BY md5(id::text) LIMIT %s",
            [size],
        )
        stored = {row[0]: row[1:] for row in cr.fetchall()}
        partners = env["res.partner"].browse(list(stored))
        partners._compute_seller_segment()
        partners._compute_buyer_segment()
        wrong = sum(
            (p.seller_segment or None, p.buyer_segment or None) != stored[p.id]
            for p in partners
        )
        cr.rollback()
        return wrong, len(stored)

    def compare_figures(self, env, expected):
        env.cr.execute(
            f"SELECT id, {', '.join(FIGURES)} FROM res_partner WHERE is_seller"
        )
        mismatches = 0
        blank = (0, 0, 0, 0, 0, 0, None)
        for row in env.cr.fetchall():
            stored = tuple(row[1:])
            want = expected.get(row[0], blank)
            if any(
                (a or 0) != (b or 0) if not isinstance(b, float) else abs(a - b) > 0.005
                for a, b in zip(stored, want, strict=True)
            ):
                mismatches += 1
                if mismatches <= 3:
                    self.notes.append(f"differs: seller {row[0]} {stored} != {want}")
        return mismatches

    # ------------------------------------------------------------------ confirm
    def measure_confirmation(self):
        with environment(self.registry, {"tracking_disable": True}) as env:
            cr = env.cr
            buyer = env["res.partner"].search([("is_buyer", "=", True)], limit=1)
            # A first confirmation fills the caches (parameters, sequence...).
            product = env["product.product"].search(
                [("product_tmpl_id.marketplace_seller_id", "!=", False)], limit=1
            )
            env["sale.order"].create(
                {
                    "partner_id": buyer.id,
                    "order_line": [(0, 0, {"product_id": product.id})],
                }
            ).action_confirm()
            env.flush_all()
            counts = []
            for name, __ in TRACKED_SELLERS:
                seller = env["res.partner"].search([("name", "=", name)], limit=1)
                product = env["product.product"].search(
                    [("product_tmpl_id.marketplace_seller_id", "=", seller.id)],
                    limit=1,
                )
                order = env["sale.order"].create(
                    {
                        "partner_id": buyer.id,
                        "order_line": [
                            (0, 0, {"product_id": product.id, "price_unit": 25.0})
                        ],
                    }
                )
                env.flush_all()
                env.invalidate_all()
                with Measure(cr) as confirm:
                    order.action_confirm()
                    env.flush_all()
                env.invalidate_all()
                with Measure(cr) as update:
                    seller._refresh_seller_sales_figures()
                    env.flush_all()
                with Measure(cr) as sql:
                    sql_figures(cr, [seller.id])
                cr.execute(
                    "SELECT COUNT(DISTINCT so.id) FROM sale_order so "
                    "JOIN sale_order_line sol ON sol.order_id = so.id "
                    "JOIN product_product pp ON pp.id = sol.product_id "
                    "JOIN product_template pt ON pt.id = pp.product_tmpl_id "
                    "WHERE so.state = 'sale' AND pt.marketplace_seller_id = %s",
                    [seller.id],
                )
                orders = cr.fetchone()[0]
                counts.append((confirm.queries, update.queries))
                self.row(
                    f"Confirm one order, seller with {orders:,} orders",
                    f"action_confirm {confirm.queries} queries "
                    f"{confirm.seconds * 1000:.0f} ms; seller update "
                    f"{update.queries} queries {update.seconds * 1000:.1f} ms",
                    f"{sql.seconds * 1000:.1f} ms, 1 query",
                    "same count",
                    None,
                )
            same = len(set(counts)) == 1
            self.rows[-1] = self.rows[-1][:4] + (same,)
            self.rows[-2] = self.rows[-2][:4] + (same,)
            cr.rollback()  # leave the data as generated

    # ------------------------------------------------------------------ reports
    def measure_report(self, label, model, groupby, aggregates, sql_query):
        with environment(self.registry) as env:
            cr = env.cr
            report = env[model]
            orm, sql = [], []
            for __ in range(REPEAT):
                env.invalidate_all()
                with Measure(cr) as m:
                    groups = report.formatted_read_group([], groupby, aggregates)
                orm.append(m)
                with Measure(cr) as s:
                    cr.execute(sql_query)
                    sql_rows = cr.fetchall()
                sql.append(s)
            orm_s = statistics.median(m.seconds for m in orm)
            sql_s = statistics.median(s.seconds for s in sql)
            self.row(
                f"{label} ({', '.join(groupby)}: {len(groups)} groups)",
                f"{orm_s:.2f} s, {orm[0].queries} queries "
                f"(first {orm[0].seconds:.2f} s)",
                f"{sql_s:.2f} s, 1 query ({len(sql_rows)} rows)",
                f"≤ {MAX_REPORT_SECONDS:.0f} s",
                max(m.seconds for m in orm) <= MAX_REPORT_SECONDS,
            )

    def measure_reports(self):
        self.measure_report(
            "Monthly revenue by category",
            "marketplace.sales.report",
            ["date:month", "categ_id"],
            ["amount:sum"],
            SQL_REVENUE_BY_CATEGORY,
        )
        self.measure_report(
            "Seller performance by month and segment",
            "marketplace.seller.performance.report",
            ["month:month", "seller_segment"],
            ["amount:sum", "order_count:sum", "rating_avg:avg", "dispute_rate:avg"],
            SQL_PERFORMANCE_BY_SEGMENT,
        )

    # ------------------------------------------------------------------ output
    def sizes(self):
        with environment(self.registry) as env:
            cr = env.cr
            cr.execute(
                "SELECT (SELECT COUNT(*) FROM res_partner WHERE is_seller), "
                "(SELECT COUNT(*) FROM res_partner WHERE is_buyer), "
                "(SELECT COUNT(*) FROM sale_order), "
                "(SELECT COUNT(*) FROM sale_order_line), "
                "(SELECT COUNT(*) FROM sale_order WHERE currency_rate <> 1), "
                "(SELECT COUNT(*) FROM product_template "
                " WHERE marketplace_seller_id IS NOT NULL)"
            )
            return cr.fetchone()

    def report(self, sizes, total):
        sellers, buyers, orders, lines, foreign, products = sizes
        out = [
            f"# marketplace_crm benchmark, {datetime.now():%Y-%m-%d %H:%M}",
            "",
            (
                f"Data: {sellers:,} sellers, {buyers:,} buyers, {products:,} "
                f"products, {orders:,} sale orders ({foreign:,} in another "
                f"currency), {lines:,} order lines. Machine: {os.cpu_count()} "
                f"CPU(s). Products per seller: {PRODUCTS_PER_SELLER}."
            ),
            "",
            "| Measure | ORM | Hand-written SQL | Requirement | Met |",
            "|---|---|---|---|---|",
        ]
        for label, orm, sql, rule, ok in self.rows:
            met = "" if ok is None else ("yes" if ok else "**NO**")
            out.append(f"| {label} | {orm} | {sql or ''} | {rule} | {met} |")
        out += ["", *[f"- {note}" for note in self.notes]]
        out.append(f"- Benchmark run in {total:.0f} s.")
        return "\n".join(out) + "\n"


def main(argv):
    registry = load_registry(argv)
    start = time.monotonic()
    bench = Bench(registry)
    bench.measure_refresh()
    bench.measure_confirmation()
    bench.measure_reports()
    text = bench.report(bench.sizes(), time.monotonic() - start)
    print(text)
    os.makedirs(RESULTS_DIR, exist_ok=True)
    path = os.path.join(RESULTS_DIR, f"{datetime.now():%Y%m%d-%H%M%S}.md")
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(text)
    print(f"Written to {path}")
    failed = [row[0] for row in bench.rows if row[4] is False]
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
