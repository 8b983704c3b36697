#!/usr/bin/env bash
# Load run: 50 portal sessions against Odoo with two workers (see bench/README.md).
#   bash bench/load.sh                       # 50 sessions, 90 s, --workers=2
#   LOAD_SESSIONS=20 LOAD_WORKERS=4 bash bench/load.sh
# The demo database $LOAD_TEMPLATE (created once, with demo data) is copied to
# $LOAD_DB for each run, so the run's logins and orders never reach it.
set -euo pipefail
. "$(dirname "$0")/../scripts/env.sh"

TEMPLATE="${LOAD_TEMPLATE:-marketplace_load_template}"
LOAD_DB="${LOAD_DB:-marketplace_load}"
PG=(-h "$PGHOST" -p "$PGPORT" -U "$PGUSER")
if ! psql "${PG[@]}" -d postgres -tAc "select 1 from pg_database where datname='$TEMPLATE'" | grep -q 1; then
    echo "Creating $TEMPLATE: marketplace_crm with demo data"
    odoo_cmd -d "$TEMPLATE" -i marketplace_crm --with-demo --stop-after-init \
        --log-level=warn --max-cron-threads=0 > /dev/null
fi
dropdb "${PG[@]}" --if-exists --force "$LOAD_DB"
createdb "${PG[@]}" -T "$TEMPLATE" "$LOAD_DB"
FILESTORE="$HOME/.local/share/Odoo/filestore"
rm -rf "$FILESTORE/$LOAD_DB"
[ -d "$FILESTORE/$TEMPLATE" ] && cp -r "$FILESTORE/$TEMPLATE" "$FILESTORE/$LOAD_DB"

mkdir -p "$ROOT/bench/results"
OUT="$ROOT/bench/results/$(date +%Y%m%d-%H%M%S)-load.md"
"$PYTHON" "$ROOT/bench/load.py" --database "$LOAD_DB" --addons-path "$(odoo_addons_path)" \
    --db-host "$PGHOST" --db-port "$PGPORT" --db-user "$PGUSER" \
    --sessions "${LOAD_SESSIONS:-50}" --workers "${LOAD_WORKERS:-2}" \
    --duration "${LOAD_DURATION:-90}" --output "$OUT"
echo "Written to $OUT (server log: ${OUT%.md}.log)"
