#!/usr/bin/env bash
# Regenerate marketplace_crm/i18n/marketplace_crm.pot from a database where the
# addon is installed (the test database by default), then merge it into fr.po
# so new terms appear untranslated there.
set -euo pipefail
. "$(dirname "$0")/env.sh"
DB="${I18N_DB:-$TEST_DB}"
mkdir -p "$ROOT/marketplace_crm/i18n"
# "i18n export" reads the connection from a configuration file only.
CONF="$(mktemp)"
trap 'rm -f "$CONF"' EXIT
printf '[options]\naddons_path = %s\ndb_host = %s\ndb_port = %s\ndb_user = %s\n' \
    "$(odoo_addons_path)" "$PGHOST" "$PGPORT" "$PGUSER" > "$CONF"
"$PYTHON" "$ROOT/scripts/odoo_main.py" i18n export -c "$CONF" -d "$DB" marketplace_crm
POT="$ROOT/marketplace_crm/i18n/marketplace_crm.pot"
PO="$ROOT/marketplace_crm/i18n/fr.po"
[ -s "$POT" ] || { echo "ERROR: $POT was not written" >&2; exit 1; }
if [ -f "$PO" ] && command -v msgmerge >/dev/null; then
    msgmerge --quiet --no-fuzzy-matching --update --backup=none "$PO" "$POT"
fi
echo "Wrote $POT"
# OCA's po formatting, as the pre-commit hook checks it.
if [ -x "$ROOT/.venv-lint/bin/oca-checks-po" ]; then
    "$ROOT/.venv-lint/bin/oca-checks-po" --fix --no-exit "$POT" "$PO" > /dev/null 2>&1 || true
fi
