#!/usr/bin/env bash
# Create (or update) the demo database with marketplace_crm and serve Odoo
# on http://localhost:$HTTP_PORT. WORKERS=2 serves with two worker processes
# (and the websocket process) as in production; extra arguments go to Odoo.
set -euo pipefail
. "$(dirname "$0")/env.sh"

if psql -h "$PGHOST" -p "$PGPORT" -U "$PGUSER" -d postgres -tAc \
        "select 1 from pg_database where datname='$RUN_DB'" | grep -q 1; then
    echo "Updating marketplace_crm in the database $RUN_DB"
    odoo_cmd -d "$RUN_DB" -u marketplace_crm --stop-after-init --log-level=warn
else
    echo "Creating the database $RUN_DB with marketplace_crm and its demo data"
    odoo_cmd -d "$RUN_DB" -i marketplace_crm --with-demo --stop-after-init --log-level=warn
fi

cat <<MSG

marketplace_crm is served on http://localhost:$HTTP_PORT  (database $RUN_DB)
  Staff (admin):        admin / admin
  Marketplace user:     mp_agent / mp_agent
  Portal seller:        seller@atelier-lin.example / seller
Stop with Ctrl-C.
MSG
exec "$PYTHON" "$ROOT/scripts/odoo_main.py" --addons-path="$(odoo_addons_path)" -d "$RUN_DB" \
    --db_host="$PGHOST" --db_port="$PGPORT" --db_user="$PGUSER" \
    --http-interface=127.0.0.1 --http-port="$HTTP_PORT" --db-filter="^$RUN_DB\$" \
    --workers="${WORKERS:-0}" "$@"
