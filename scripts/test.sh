#!/usr/bin/env bash
# Run every test of marketplace_crm on a fresh database: install the addon
# with its demo data, then run its at_install, post_install and browser tests
# with pytest-odoo (an HTTP server is started for HttpCase and tours).
# Extra arguments go to pytest (e.g. -k seller).
set -euo pipefail
. "$(dirname "$0")/env.sh"

LOG_DIR="${LOG_DIR:-$ROOT/.test-logs}"
mkdir -p "$LOG_DIR"

# REUSE_DB=1 (for quick iterations while developing) updates the addon in the
# existing test database instead of starting from a fresh one.
if [ "${REUSE_DB:-0}" = 1 ]; then
    INSTALL=(-u marketplace_crm)
else
    INSTALL=(-i marketplace_crm --with-demo)
    dropdb -h "$PGHOST" -p "$PGPORT" -U "$PGUSER" --if-exists "$TEST_DB"
    rm -rf "$HOME/.local/share/Odoo/filestore/$TEST_DB"
fi
echo "Installing marketplace_crm with demo data in $TEST_DB"
if ! odoo_cmd -d "$TEST_DB" "${INSTALL[@]}" --stop-after-init \
        --log-level=warn --max-cron-threads=0 > "$LOG_DIR/install.log" 2>&1; then
    tail -n 60 "$LOG_DIR/install.log"
    echo "ERROR: installation of marketplace_crm failed (full log: $LOG_DIR/install.log)" >&2
    exit 1
fi
if grep -E " (ERROR|CRITICAL) |demo data failed" "$LOG_DIR/install.log"; then
    echo "ERROR: installation logged errors (full log: $LOG_DIR/install.log)" >&2
    exit 1
fi

cd "$ROOT"
exec "$PYTHON" -m pytest marketplace_crm/tests \
    --odoo-database="$TEST_DB" --odoo-http --odoo-log-level=warn \
    --odoo-addons-path="$(odoo_addons_path)" \
    --odoo-extra="max-cron-threads=0" --odoo-extra="http-port=$HTTP_PORT" --odoo-extra="http-interface=127.0.0.1" --odoo-extra="db_host=$PGHOST" --odoo-extra="db_port=$PGPORT" --odoo-extra="db_user=$PGUSER" \
    -p no:cacheprovider "$@"
