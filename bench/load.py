"""Load run: concurrent portal sessions against Odoo served with workers.

Run through bench/load.sh (see bench/README.md, "Load"). The database is a
copy of the demo database: every validated seller of the demo gets a portal
login, as do a few buyers. The script starts Odoo as production would (``--
workers``, one cron worker, the websocket process), then opens the sessions:
sellers on ``/my``, ``/my/seller``, ``/my/orders``, buyers (some logged in,
some anonymous) on ``/shop``, product pages and public seller pages, each
waiting a "think time" between two pages like a person does. Halfway, the
daily segment refresh is triggered and runs in the cron worker beside the
sessions. Every request's time and outcome is recorded; the report gives
the counts, errors and latency percentiles, overall and per page.
"""

import argparse
import random
import re
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

import requests

import odoo
from odoo import api
from odoo.modules.registry import Registry
from odoo.tools import config

PASSWORD = "load-run-password"
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def prepare(database):
    """Portal logins for the demo's validated sellers and for ten buyers,
    and the pages each kind of session visits."""
    registry = Registry(database)
    with registry.cursor() as cr:
        env = api.Environment(cr, odoo.SUPERUSER_ID, {})
        portal = env.ref("base.group_portal")
        sellers = env["res.partner"].search(
            [
                ("is_seller", "=", True),
                ("verification_state", "=", "validated"),
                ("seller_suspended", "=", False),
            ]
        )
        buyers = env["res.partner"].search(
            [("is_buyer", "=", True), ("is_seller", "=", False)], limit=10
        )
        logins = {"seller": [], "buyer": []}
        for kind, partners in (("seller", sellers), ("buyer", buyers)):
            for partner in partners:
                user = partner.user_ids[:1]
                if not user:
                    user = (
                        env["res.users"]
                        .with_context(no_reset_password=True)
                        .create(
                            {
                                "partner_id": partner.id,
                                "login": f"load-{kind}-{partner.id}@example.com",
                                "group_ids": [(6, 0, [portal.id])],
                            }
                        )
                    )
                user.password = PASSWORD
                logins[kind].append(user.login)
        products = env["product.template"].search(
            [("is_published", "=", True), ("marketplace_seller_id", "!=", False)]
        )
        product_pages = [product.website_url for product in products]
        shop_pages = [
            url for url in (s._marketplace_shop_url() for s in sellers) if url
        ]
        cr.commit()
    pages = {
        "seller": ["/my", "/my/seller", "/my/orders"],
        "buyer": ["/shop", "/shop?page=2", *product_pages, *shop_pages],
    }
    return logins, pages


def trigger_refresh(database):
    """Ask the cron worker to run the daily refresh now (as Odoo's cron
    triggers do: a row in ir_cron_trigger and a NOTIFY)."""
    registry = Registry(database)
    with registry.cursor() as cr:
        env = api.Environment(cr, odoo.SUPERUSER_ID, {})
        env.ref("marketplace_crm.ir_cron_refresh_marketplace_segments")._trigger()
        cr.commit()


class Session(threading.Thread):
    def __init__(self, base, kind, login, pages, deadline, think, results):
        super().__init__(daemon=True)
        self.base, self.kind, self.login = base, kind, login
        self.pages, self.deadline, self.think = pages, deadline, think
        self.results = results
        self.http = requests.Session()

    def get(self, path, **kwargs):
        start = time.monotonic()
        error = None
        try:
            response = self.http.get(self.base + path, timeout=120, **kwargs)
            status = response.status_code
            if status >= 400:
                error = f"HTTP {status}"
        except requests.RequestException as exc:
            status, error, response = 0, type(exc).__name__, None
        self.results.append(
            (self.kind, path.split("?")[0], time.monotonic() - start, error)
        )
        return response

    def log_in(self):
        page = self.get("/web/login")
        token = CSRF.search(page.text).group(1) if page is not None else ""
        start = time.monotonic()
        response = self.http.post(
            self.base + "/web/login",
            data={"login": self.login, "password": PASSWORD, "csrf_token": token},
            timeout=120,
        )
        error = None if response.ok and "session_id" in self.http.cookies else "login"
        self.results.append(
            (self.kind, "/web/login (POST)", time.monotonic() - start, error)
        )

    def run(self):
        if self.login:
            self.log_in()
        while time.monotonic() < self.deadline:
            self.get(random.choice(self.pages))
            time.sleep(random.uniform(*self.think))


REQUEST_LINE = re.compile(
    r'"(GET|POST) (\S+) HTTP/[\d.]+" (\d+) \S+ (\d+) ([\d.]+) ([\d.]+)'
)


def server_times(log_path, since):
    """Per request, as Odoo logged it: path, queries, seconds in the
    server (SQL + Python), from the lines logged after ``since``."""
    rows = []
    with open(log_path) as log:
        for line in log:
            match = REQUEST_LINE.search(line)
            if match and line[:19] >= since:
                __, path, __, queries, sql, other = match.groups()
                rows.append(
                    (path.split("?")[0], int(queries), float(sql) + float(other))
                )
    return rows


def percentile(values, share):
    values = sorted(values)
    return values[min(len(values) - 1, round(share * (len(values) - 1)))]


def page_key(path):
    if path.startswith("/shop/") and path != "/shop/cart":
        return "/shop/<product>"
    if path.startswith("/marketplace/seller/"):
        return "/marketplace/seller/<slug>"
    return path


def report(results, elapsed, args, refresh_at, served):
    lines = [
        f"# Load run, {time.strftime('%Y-%m-%d %H:%M')}",
        "",
        (
            f"{args.sessions} sessions ({args.sessions // 2} sellers logged in, the others "
            f"buyers, one in three logged in) for {args.duration} s against "
            f"`--workers={args.workers}` and one cron worker; think time "
            f"{args.think_min}-{args.think_max} s; daily refresh triggered at "
            f"{refresh_at:.0f} s; ramp-up {args.ramp} s."
        ),
        "",
        (
            "Seen by the sessions (seconds from request to full response), and in "
            "the server (SQL + Python, from Odoo's request log): the difference is "
            "time spent waiting for a free worker."
        ),
        "",
        (
            "| page | requests | errors | p50 | p95 | max | server p50 | server p95 "
            "| queries p50 |"
        ),
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    groups, server = {}, {}
    for _kind, path, seconds, error in results:
        groups.setdefault(page_key(path), []).append((seconds, error))
    for path, queries, seconds in served:
        server.setdefault(page_key(path), []).append((seconds, queries))
    everything = [(s, e) for rows in groups.values() for s, e in rows]
    all_served = [row for rows in server.values() for row in rows]
    for key, rows in [*sorted(groups.items()), ("**all**", everything)]:
        times = [s for s, __ in rows]
        errors = sum(1 for __, e in rows if e)
        own = all_served if key == "**all**" else server.get(key, [])
        own_times = [s for s, __ in own] or [0.0]
        queries = [q for __, q in own] or [0]
        lines.append(
            f"| {key} | {len(rows)} | {errors} | {statistics.median(times):.2f} | "
            f"{percentile(times, 0.95):.2f} | {max(times):.2f} | "
            f"{statistics.median(own_times):.3f} | {percentile(own_times, 0.95):.3f} | "
            f"{statistics.median(queries):.0f} |"
        )
    kinds = {}
    for __, __, __, error in results:
        if error:
            kinds[error] = kinds.get(error, 0) + 1
    lines += [
        "",
        f"Throughput: {len(results) / elapsed:.1f} requests/s; errors: {kinds or 0}.",
    ]
    return "\n".join(lines) + "\n"


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--database", required=True)
    parser.add_argument("--addons-path", required=True)
    parser.add_argument("--db-host", default="127.0.0.1")
    parser.add_argument("--db-port", default="5432")
    parser.add_argument("--db-user", default="odoo")
    parser.add_argument("--port", type=int, default=8269)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--sessions", type=int, default=50)
    parser.add_argument("--duration", type=int, default=90)
    parser.add_argument("--ramp", type=float, default=10.0)
    parser.add_argument("--think-min", type=float, default=1.0)
    parser.add_argument("--think-max", type=float, default=3.0)
    parser.add_argument("--output")
    args = parser.parse_args()
    config.parse_config(
        [
            f"--addons-path={args.addons_path}",
            f"--db_host={args.db_host}",
            f"--db_port={args.db_port}",
            f"--db_user={args.db_user}",
        ]
    )
    logins, pages = prepare(args.database)
    launcher = Path(__file__).resolve().parent.parent / "scripts" / "odoo_main.py"
    log = open(Path(args.output or "load").with_suffix(".log"), "w")  # noqa: SIM115
    server = subprocess.Popen(
        [
            sys.executable,
            str(launcher),
            f"--addons-path={args.addons_path}",
            "-d",
            args.database,
            f"--db-filter=^{args.database}$",
            f"--db_host={args.db_host}",
            f"--db_port={args.db_port}",
            f"--db_user={args.db_user}",
            "--http-interface=127.0.0.1",
            f"--http-port={args.port}",
            f"--gevent-port={args.port + 1}",
            f"--workers={args.workers}",
            "--max-cron-threads=1",
            "--log-level=warn",
            # one line per request with its queries and server time
            "--log-handler=werkzeug:INFO",
        ],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{args.port}"
    try:
        for __ in range(120):
            try:
                if requests.get(base + "/web/login", timeout=5).ok:
                    break
            except requests.RequestException:
                pass
            time.sleep(1)
        # Warm up: the asset bundles and each page once, outside the measure.
        warm = Session(base, "seller", logins["seller"][0], [], 0, (0, 0), [])
        warm.log_in()
        for path in pages["seller"] + pages["buyer"][:5]:
            warm.get(path)
        results = []
        since = time.strftime("%Y-%m-%d %H:%M:%S", time.localtime())
        start = time.monotonic()
        deadline = start + args.duration
        sessions = []
        for index in range(args.sessions):
            if index % 2 == 0:
                kind, login = (
                    "seller",
                    logins["seller"][index // 2 % len(logins["seller"])],
                )
            else:
                kind = "buyer"
                login = (
                    logins["buyer"][index % len(logins["buyer"])]
                    if index % 3 == 1
                    else None
                )
            session = Session(
                base,
                kind,
                login,
                pages[kind],
                deadline,
                (args.think_min, args.think_max),
                results,
            )
            sessions.append(session)
            session.start()
            time.sleep(args.ramp / args.sessions)
        refresh_at = args.duration / 2
        time.sleep(max(0, start + refresh_at - time.monotonic()))
        trigger_refresh(args.database)
        for session in sessions:
            session.join()
        elapsed = time.monotonic() - start
    finally:
        server.terminate()
        server.wait(timeout=60)
        log.close()
    served = server_times(log.name, since)
    text = report(results, elapsed, args, refresh_at, served)
    print(text)
    if args.output:
        Path(args.output).write_text(text)


if __name__ == "__main__":
    main()
