#!/usr/bin/env bash
# Benchmark marketplace_crm on a generated marketplace: 100,000 sellers,
# 200,000 buyers and 1,000,000 confirmed order lines over 24 months by default.
#   BENCH_SCALE=0.01 bash bench/run.sh   # a quick run on 1 % of the data
#   BENCH_REUSE=1 bash bench/run.sh      # measure again on the existing database
#   BENCH_ONLY=quality bash bench/run.sh # only the seller quality job (or
#                                        # refresh, jobs, coaching, import, load)
# The figures land in bench/results/<date>.md (see bench/README.md).
set -euo pipefail
. "$(dirname "$0")/../scripts/env.sh"

BENCH_DB="${BENCH_DB:-marketplace_bench}"
SCALE="${BENCH_SCALE:-1}"
scaled() { "$PYTHON" -c "print(max(1, int($1 * $SCALE)))"; }
SELLERS="$(scaled 100000)"
BUYERS="$(scaled 200000)"
LINES="$(scaled 1000000)"
MONTHS="${BENCH_MONTHS:-24}"
PSQL=(psql -h "$PGHOST" -p "$PGPORT" -U "$PGUSER" -q -X)

if [ "${BENCH_REUSE:-0}" != 1 ]; then
    echo "Creating $BENCH_DB: marketplace_crm without demo data"
    dropdb -h "$PGHOST" -p "$PGPORT" -U "$PGUSER" --if-exists --force "$BENCH_DB"
    odoo_cmd -d "$BENCH_DB" -i marketplace_crm --stop-after-init --log-level=warn \
        --max-cron-threads=0 > /dev/null
    CURRENCY="$("${PSQL[@]}" -d "$BENCH_DB" -Atc \
        "SELECT res_id FROM ir_model_data WHERE module = 'base' AND name = 'EUR'")"
    echo "Generating $SELLERS sellers, $BUYERS buyers, $LINES order lines over $MONTHS months"
    start=$(date +%s)
    "${PSQL[@]}" -d "$BENCH_DB" -v sellers="$SELLERS" -v buyers="$BUYERS" -v lines="$LINES" \
        -v months="$MONTHS" -v currency="$CURRENCY" -f "$ROOT/bench/generate.sql"
    echo "Generated in $(( $(date +%s) - start )) s"
else
    echo "Updating marketplace_crm in $BENCH_DB"
    odoo_cmd -d "$BENCH_DB" -u marketplace_crm --stop-after-init --log-level=warn \
        --max-cron-threads=0 > /dev/null
    # An earlier run's backfill measure deletes and recreates every order
    # part, then rolls back: millions of dead rows that the refresh would
    # read through (seen: 877 MB instead of 105 MB, 3x slower batches).
    "${PSQL[@]}" -d "$BENCH_DB" -c "VACUUM ANALYZE marketplace_order_seller, res_partner"
fi

mkdir -p "$ROOT/bench/results"
OUT="$ROOT/bench/results/$(date +%Y%m%d-%H%M%S).md"
# Each script exits non-zero when one of its limits is exceeded; the next
# ones still run, and this script then fails. BENCH_ONLY=<name> runs one:
# refresh (measure.py), quality, jobs, coaching, import, load.
status=0
ONLY="${BENCH_ONLY:-}"
measure() {
    [ -z "$ONLY" ] || [ "$ONLY" = "$1" ] || return 0
    "$PYTHON" "$ROOT/bench/$2" --database "$BENCH_DB" --addons-path "$(odoo_addons_path)" \
        --db-host "$PGHOST" --db-port "$PGPORT" --db-user "$PGUSER" --output "$3" "${@:4}" || status=1
    echo "Written to $3"
}
measure refresh measure.py "$OUT"
# The daily seller quality job, on the same data (see bench/README.md).
measure quality measure_quality.py "${OUT%.md}-quality.md"
# The long scheduled jobs, in the scheduler and on 1 and 2 job workers
# (see bench/README.md; BENCH_JOB_BATCH, BENCH_SEGMENT_BATCH: batch sizes).
measure jobs measure_jobs.py "${OUT%.md}-jobs.md"
# The coaching job: 20,000 sellers due for coaching and a pool of 10 coaches
# by default (see bench/README.md).
measure coaching measure_coaching.py "${OUT%.md}-coaching.md" \
    --sellers "$(scaled 20000)" --coaches "${BENCH_COACHES:-10}"
# Sellers given to many products by import (measure.py does 2,000 of them;
# BENCH_IMPORT_PRODUCTS sets the number here). Only with BENCH_ONLY=import.
[ "$ONLY" = import ] && measure import measure_import.py "${OUT%.md}-import.md"
# The load run: 50 portal sessions against Odoo with workers, on a copy of
# the demo database (its own databases; see bench/README.md, "Load run").
if [ -z "$ONLY" ] || [ "$ONLY" = load ]; then
    bash "$ROOT/bench/load.sh" || status=1
fi
exit $status
