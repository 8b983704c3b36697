#!/usr/bin/env bash
# Regenerate marketplace_crm/i18n/marketplace_crm.pot from a database where the
# addon is installed (the test database by default), then merge it into fr.po
# so new terms appear untranslated there.
set -euo pipefail
. "$(dirname "$0")/env.sh"
DB="${I18N_DB:-$TEST_DB}"
"$PYTHON" -m odoo --addons-path="$(odoo_addons_path)" i18n export -d "$DB" marketplace_crm \
    2>&1 | grep -v "addons path is not a directory" || true
POT="$ROOT/marketplace_crm/i18n/marketplace_crm.pot"
PO="$ROOT/marketplace_crm/i18n/fr.po"
[ -s "$POT" ] || { echo "ERROR: $POT was not written" >&2; exit 1; }
if [ -f "$PO" ] && command -v msgmerge >/dev/null; then
    msgmerge --quiet --no-fuzzy-matching --update --backup=none "$PO" "$POT"
fi
echo "Wrote $POT"
