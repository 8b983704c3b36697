"""Measure the daily seller quality job on a generated marketplace.

Run after bench/run.sh (same database, see bench/README.md):

    python3 bench/measure_quality.py --database marketplace_bench \
        --addons-path "$(odoo_addons_path)" --db-user "$PGUSER" --output out.md

Seeds disputes (one order part in 20 of the window, one in 3 of them
refunded) and ratings (one part in 10), runs ``_cron_refresh_seller_quality``
as a cron worker does (committing per batch), then a hand-written SQL query
computing the same order counts and dispute, refund, cancellation and rating
figures from the order lines, compares them seller by seller, and removes
the seeds. Exits non-zero when the job is over 3x the SQL, when a figure
differs, or when the queries per batch vary.
"""

import datetime
import statistics
import sys
from pathlib import Path

from measure import bench_setup, measure, peak_rss_mb

import odoo
from odoo import api

SEED = """
INSERT INTO marketplace_dispute (name, buyer_id, seller_id, order_id, dispute_type,
                                 company_id, priority, state, outcome, is_critical,
                                 create_uid, write_uid, create_date, write_date)
SELECT 'BENCHQ/' || s.id, s.partner_id, s.seller_id, s.order_id, 'other', s.company_id,
       '1',
       CASE WHEN s.id %% 3 = 0 THEN 'resolved' ELSE 'open' END,
       CASE WHEN s.id %% 3 = 0 THEN 'partial_refund' END,
       FALSE, 1, 1, now(), now()
  FROM marketplace_order_seller s
 WHERE s.date_order >= %(start)s AND s.id %% 20 = 0;

INSERT INTO rating_rating (res_model, res_model_id, res_id, rated_partner_id, partner_id,
                           rating, consumed, access_token, feedback,
                           create_uid, write_uid, create_date, write_date)
SELECT 'marketplace.order.seller',
       (SELECT id FROM ir_model WHERE model = 'marketplace.order.seller'),
       s.id, s.seller_id, s.partner_id, 1 + s.id %% 5, TRUE, 'benchq' || s.id, 'BENCHQ',
       1, 1, now(), now()
  FROM marketplace_order_seller s
 WHERE s.date_order >= %(start)s AND s.id %% 10 = 0;
ANALYZE marketplace_dispute;
ANALYZE rating_rating;
"""

CLEANUP = """
DELETE FROM marketplace_dispute WHERE name LIKE 'BENCHQ/%%';
DELETE FROM rating_rating WHERE feedback = 'BENCHQ';
"""

# The same figures, by hand, from the order lines (not the order parts).
BASELINE = """
WITH parts AS (
    SELECT pt.marketplace_seller_id AS seller_id, so.id AS order_id, so.state
      FROM sale_order_line sol
      JOIN sale_order so ON so.id = sol.order_id
      JOIN product_product pp ON pp.id = sol.product_id
      JOIN product_template pt ON pt.id = pp.product_tmpl_id
     WHERE so.state IN ('sale', 'cancel') AND pt.marketplace_seller_id IS NOT NULL
       AND so.date_order >= %(start)s AND so.date_order <= %(now)s
  GROUP BY 1, 2, 3
), disputes AS (
    SELECT seller_id, order_id,
           BOOL_OR(state IN ('resolved', 'closed')
                   AND outcome IN ('buyer_refunded', 'partial_refund')) AS refunded
      FROM marketplace_dispute WHERE order_id IS NOT NULL
  GROUP BY 1, 2
), ratings AS (
    SELECT s.seller_id, AVG(r.rating) AS rating
      FROM rating_rating r
      JOIN marketplace_order_seller s ON s.id = r.res_id
     WHERE r.res_model = 'marketplace.order.seller' AND r.consumed AND r.rating > 0
       AND s.date_order >= %(start)s AND s.date_order <= %(now)s
  GROUP BY s.seller_id, s.id
)
SELECT parts.seller_id, COUNT(*),
       ROUND(100.0 * COUNT(d.order_id) / COUNT(*), 2),
       ROUND(100.0 * COUNT(*) FILTER (WHERE d.refunded) / COUNT(*), 2),
       ROUND(100.0 * COUNT(*) FILTER (WHERE parts.state = 'cancel') / COUNT(*), 2),
       (SELECT ROUND(AVG(rating)::numeric, 2) FROM ratings r
         WHERE r.seller_id = parts.seller_id)
  FROM parts
 LEFT JOIN disputes d ON d.seller_id = parts.seller_id AND d.order_id = parts.order_id
 GROUP BY parts.seller_id
"""


def stored(env):
    env.cr.execute(
        """SELECT id, quality_order_count, quality_dispute_rate, quality_refund_rate,
                  quality_cancel_rate, quality_rating_avg
             FROM res_partner WHERE is_seller AND quality_order_count > 0"""
    )
    return {
        row[0]: tuple(round(float(v or 0), 2) for v in row[1:])
        for row in env.cr.fetchall()
    }


def run_job(env):
    cron_model = type(env["ir.cron"])
    original = cron_model._commit_progress
    batches = []
    state = {"queries": env.cr.sql_log_count}

    def _commit_progress(self, processed=0, *, remaining=None, deactivate=False):
        res = original(self, processed, remaining=remaining, deactivate=deactivate)
        if processed:
            batches.append(env.cr.sql_log_count - state["queries"])
        state["queries"] = env.cr.sql_log_count
        return res

    cron_model._commit_progress = _commit_progress
    try:
        with measure(env.cr) as m:
            env["res.partner"]._cron_refresh_seller_quality()
    finally:
        cron_model._commit_progress = original
    m["batches"] = batches
    return m


def main():
    args, registry, out, lines = bench_setup(__doc__)

    with registry.cursor() as cr:
        env = api.Environment(cr, odoo.SUPERUSER_ID, {})
        start, now = env["res.partner"]._quality_window()
        params = {"start": start, "now": now}
        cr.execute(CLEANUP)
        cr.execute(SEED, params)
        cr.execute("UPDATE res_partner SET quality_order_count = NULL WHERE is_seller")
        cr.commit()
        cr.execute("SELECT count(*) FROM res_partner WHERE is_seller")
        (sellers,) = cr.fetchone()
        cr.execute(
            "SELECT count(*) FROM marketplace_order_seller WHERE date_order >= %s",
            [start],
        )
        (parts,) = cr.fetchone()
        out(f"# Seller quality job, {datetime.datetime.now():%Y-%m-%d %H:%M}")
        out()
        out(
            f"{sellers:,} sellers, {parts:,} order parts in the {(now - start).days}-day window."
        )
        out()
        out("| run | SQL queries | seconds | hand-written SQL seconds | ratio |")
        out("|---|---:|---:|---:|---:|")
        try:
            results = {}
            for label in ("cold", "daily"):
                cr.execute(BASELINE, params)
                with measure(cr) as base:
                    cr.execute(BASELINE, params)
                    baseline = {
                        row[0]: tuple(round(float(v or 0), 2) for v in row[1:])
                        for row in cr.fetchall()
                    }
                job = run_job(env)
                ratio = (
                    job["seconds"] / base["seconds"]
                    if base["seconds"]
                    else float("inf")
                )
                results[label] = (job, ratio)
                out(
                    f"| {label} | {job['queries']} | {job['seconds']:.2f} "
                    f"| {base['seconds']:.2f} | {ratio:.2f}× |"
                )
            mine = stored(env)
            mismatches = [sid for sid, v in baseline.items() if mine.get(sid) != v]
            mismatches += [sid for sid in mine if sid not in baseline]
            job, ratio = results["daily"]
            per_batch = job["batches"]
            out()
            out(f"- daily run / SQL: **{ratio:.2f}×** (limit 3×)")
            out(
                f"- batches: {len(per_batch)}; queries per batch: min {min(per_batch, default=0)}, "
                f"median {statistics.median(per_batch) if per_batch else 0}, "
                f"max {max(per_batch, default=0)}"
            )
            out(f"- peak memory of the process: {peak_rss_mb():.0f} MB")
            out(
                f"- stored figures equal to the SQL baseline for "
                f"{len(baseline) - len(mismatches):,} of {len(baseline):,} sellers with orders"
            )
        finally:
            cr.rollback()
            cr.execute(CLEANUP)
            cr.commit()
    Path(args.output).write_text("\n".join(lines) + "\n")
    return 1 if ratio > 3 or mismatches or len(set(per_batch[:-1])) > 1 else 0


if __name__ == "__main__":
    sys.exit(main())
