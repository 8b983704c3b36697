#!/usr/bin/env bash
# Performance benchmark of marketplace_crm (see bench/README.md): a fresh
# database with the addon and no demo data, filled by bench/generate.py, then
# measured by bench/measure.py. Sizes: BENCH_SCALE (e.g. 0.01 for a smoke run),
# BENCH_SELLERS, BENCH_BUYERS, BENCH_LINES, BENCH_MONTHS. BENCH_DB names the
# database (default mp_bench); BENCH_KEEP_DATA=1 measures it again without
# regenerating.
set -euo pipefail
. "$(dirname "$0")/../scripts/env.sh"

BENCH_DB="${BENCH_DB:-mp_bench}"
ODOO_ARGS=(-d "$BENCH_DB" --addons-path="$(odoo_addons_path)" --db_host="$PGHOST"
           --db_port="$PGPORT" --db_user="$PGUSER" --log-level=warn --max-cron-threads=0)
cd "$ROOT/bench"

if [ "${BENCH_KEEP_DATA:-0}" != 1 ]; then
    mkdir -p "$ROOT/bench/results"
    echo "==> Installing marketplace_crm without demo data in $BENCH_DB"
    dropdb -h "$PGHOST" -p "$PGPORT" -U "$PGUSER" --if-exists "$BENCH_DB"
    rm -rf "$HOME/.local/share/Odoo/filestore/$BENCH_DB"
    odoo_cmd -d "$BENCH_DB" -i marketplace_crm --stop-after-init --log-level=warn \
        --max-cron-threads=0 > "$ROOT/bench/results/install.log" 2>&1 \
        || { tail -n 40 "$ROOT/bench/results/install.log"; echo "ERROR: installation failed" >&2; exit 1; }
    echo "==> Generating the data"
    "$PYTHON" generate.py "${ODOO_ARGS[@]}"
fi
echo "==> Measuring"
exec "$PYTHON" measure.py "${ODOO_ARGS[@]}"
