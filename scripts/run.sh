#!/usr/bin/env bash
# Create (or update) the demo database with marketplace_crm and serve Odoo
# on http://localhost:$HTTP_PORT as production runs it: WORKERS (default 2)
# HTTP worker processes, a cron worker, the websocket process and queue_job's
# job runner (server-wide module), which sends webhooks and runs the long jobs
# on job workers. WORKERS=0 serves from one threaded process (the job runner
# then runs as a thread). Extra arguments go to Odoo.
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
# queue_job's channels: two jobs at once (webhooks, batches of the long jobs).
export ODOO_QUEUE_JOB_CHANNELS="${ODOO_QUEUE_JOB_CHANNELS:-root:2}"
exec "$PYTHON" "$ROOT/scripts/odoo_main.py" --addons-path="$(odoo_addons_path)" -d "$RUN_DB" \
    --db_host="$PGHOST" --db_port="$PGPORT" --db_user="$PGUSER" \
    --http-interface=127.0.0.1 --http-port="$HTTP_PORT" --db-filter="^$RUN_DB\$" \
    --workers="${WORKERS:-2}" --max-cron-threads=1 --load=base,web,queue_job "$@"
