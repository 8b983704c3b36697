#!/usr/bin/env bash
# Shared settings for the set-up, run and test scripts. Source it, don't run it.
# Every value can be overridden from the environment.
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export ROOT
export PGHOST="${PGHOST:-127.0.0.1}"
export PGPORT="${PGPORT:-5432}"
export PGUSER="${PGUSER:-$(id -un)}"
[ "$PGUSER" = "postgres" ] && PGUSER=odoo
export ODOO_SRC="${ODOO_SRC:-$HOME/.local/src/odoo-19.0}"
export RUN_DB="${RUN_DB:-marketplace}"
export TEST_DB="${TEST_DB:-marketplace_test}"
export HTTP_PORT="${HTTP_PORT:-8069}"
PYTHON="${PYTHON:-python3}"
export PYTHON

# The addons path: this repository, Odoo's own addons and the OCA wheels'
# odoo/addons namespace folders.
odoo_addons_path() {
    "$PYTHON" - "$ROOT" <<'PY'
import os, sys
import odoo
import odoo.addons
paths = [sys.argv[1]]
for base in list(odoo.__path__):
    candidate = os.path.join(os.path.dirname(os.path.abspath(base)), "addons")
    if os.path.isdir(os.path.join(candidate, "web")):
        paths.append(candidate)
for p in odoo.addons.__path__:
    if os.path.isdir(p) and p not in paths:
        paths.append(p)
print(",".join(dict.fromkeys(os.path.abspath(p) for p in paths)))
PY
}

odoo_cmd() {
    "$PYTHON" "$ROOT/scripts/odoo_main.py" --addons-path="$(odoo_addons_path)" --http-interface=127.0.0.1 "$@" \
        --db_host="$PGHOST" --db_port="$PGPORT" --db_user="$PGUSER"
}
