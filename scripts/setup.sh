#!/usr/bin/env bash
# Idempotent set-up of a Debian/Ubuntu machine for marketplace_crm:
# PostgreSQL (started, with a role for Odoo), the system libraries Odoo needs,
# Chromium for the browser tours, Odoo 19.0 (the importable one, else the
# official 19.0 source) and the pinned Python packages.
set -euo pipefail
. "$(dirname "$0")/env.sh"

say() { printf '\n==> %s\n' "$*"; }
die() { printf '\nERROR: %s\n' "$*" >&2; exit 1; }

SUDO=""
if [ "$(id -u)" != 0 ]; then
    command -v sudo >/dev/null || die "run as root or install sudo"
    SUDO="sudo"
fi

apt_missing() {
    local missing=()
    for pkg in "$@"; do
        dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
    done
    printf '%s\n' "${missing[@]}"
}

say "System packages"
PKGS=(postgresql postgresql-client libpq-dev libldap2-dev libsasl2-dev libxml2-dev libxslt1-dev
      libjpeg-dev zlib1g-dev libffi-dev build-essential git gettext chromium fonts-liberation)
mapfile -t MISSING < <(apt_missing "${PKGS[@]}")
if [ "${#MISSING[@]}" -gt 0 ] && [ -n "${MISSING[0]}" ]; then
    command -v apt-get >/dev/null || die "apt-get not found: install ${MISSING[*]} by hand"
    $SUDO apt-get update -qq || die "apt-get update failed: check the network or the apt sources"
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${MISSING[@]}" >/dev/null \
        || die "could not install ${MISSING[*]} with apt-get"
fi

say "PostgreSQL"
if ! pg_isready -h "$PGHOST" -p "$PGPORT" -q; then
    if command -v pg_ctlcluster >/dev/null; then
        version="$(ls /etc/postgresql | sort -V | tail -n 1)"
        $SUDO pg_ctlcluster --skip-systemctl-redirect "$version" main start \
            || die "could not start PostgreSQL $version (pg_ctlcluster $version main start)"
    else
        die "PostgreSQL is not running on $PGHOST:$PGPORT and pg_ctlcluster is missing"
    fi
    for _ in $(seq 1 30); do pg_isready -h "$PGHOST" -p "$PGPORT" -q && break; sleep 1; done
fi
pg_isready -h "$PGHOST" -p "$PGPORT" -q || die "PostgreSQL does not answer on $PGHOST:$PGPORT"
if ! psql -h "$PGHOST" -p "$PGPORT" -U "$PGUSER" -d postgres -tAc "select 1" >/dev/null 2>&1; then
    # Create the role through the postgres superuser (peer auth on the socket).
    if [ "$(id -u)" = 0 ]; then AS_PG=(runuser -u postgres --); else AS_PG=(sudo -u postgres); fi
    "${AS_PG[@]}" psql -qc "CREATE ROLE \"$PGUSER\" LOGIN SUPERUSER" \
        || die "could not create the PostgreSQL role $PGUSER"
    psql -h "$PGHOST" -p "$PGPORT" -U "$PGUSER" -d postgres -tAc "select 1" >/dev/null 2>&1 \
        || die "role $PGUSER cannot log in on $PGHOST:$PGPORT: allow it in pg_hba.conf (trust or a password in ~/.pgpass)"
fi

say "Odoo 19.0"
if "$PYTHON" -c "import odoo.release as r, sys; sys.exit(r.version_info[:2] != (19, 0))" 2>/dev/null; then
    echo "using the importable Odoo: $("$PYTHON" -c 'import odoo.release as r; print(r.version)')"
else
    if [ ! -d "$ODOO_SRC/.git" ]; then
        git clone --depth 1 --branch 19.0 https://github.com/odoo/odoo.git "$ODOO_SRC" \
            || die "could not clone Odoo 19.0 into $ODOO_SRC"
    fi
    echo 'setuptools<81' > /tmp/odoo-build-constraints.txt
    PIP_CONSTRAINT=/tmp/odoo-build-constraints.txt "$PYTHON" -m pip install -q -r "$ODOO_SRC/requirements.txt" \
        || die "could not install Odoo's requirements"
    PIP_CONSTRAINT=/tmp/odoo-build-constraints.txt "$PYTHON" -m pip install -q --no-deps -e "$ODOO_SRC" \
        || die "could not install Odoo from $ODOO_SRC"
fi

say "Python packages"
# Odoo's own pins are the constraints, so no wheel lifts lxml & co.
CONSTRAINTS="$(mktemp)"
"$PYTHON" - > "$CONSTRAINTS" <<'PY'
import os, odoo
for base in odoo.__path__:
    req = os.path.join(os.path.dirname(os.path.abspath(base)), "requirements.txt")
    if os.path.isfile(req):
        print(open(req).read())
        break
PY
"$PYTHON" -m pip install -q -c "$CONSTRAINTS" -r "$ROOT/requirements.txt" -r "$ROOT/requirements-dev.txt" \
    || die "pip could not install requirements.txt and requirements-dev.txt"
rm -f "$CONSTRAINTS"
"$PYTHON" -c "import importlib.util as u, sys; sys.exit(not all(u.find_spec(m) for m in ('odoo.addons.helpdesk_mgmt', 'pytest_odoo', 'websocket')))" \
    || die "the OCA addons or the test tools do not import"
command -v chromium >/dev/null || die "chromium is missing: apt-get install chromium"

say "Lint tools (.venv-lint)"
if [ ! -x "$ROOT/.venv-lint/bin/pre-commit" ] || ! cmp -s "$ROOT/requirements-lint.txt" "$ROOT/.venv-lint/requirements-lint.txt"; then
    "$PYTHON" -m venv "$ROOT/.venv-lint" || die "could not create .venv-lint (apt-get install python3-venv)"
    "$ROOT/.venv-lint/bin/pip" install -q -r "$ROOT/requirements-lint.txt" \
        || die "could not install requirements-lint.txt into .venv-lint"
    cp "$ROOT/requirements-lint.txt" "$ROOT/.venv-lint/requirements-lint.txt"
fi

say "Ready. Addons path: $(odoo_addons_path)"
