"""Measure the coaching job on many eligible sellers.

Run after bench/run.sh (same database, see bench/README.md), or on any
database where marketplace_crm is installed:

    python3 bench/measure_coaching.py --database marketplace_bench \
        --addons-path "$(odoo_addons_path)" --db-user "$PGUSER" --output out.md \
        --sellers 20000 --coaches 10

Seeds ``--sellers`` sellers without a sale whose inactivity follow-up is 20
days old (so all are due for coaching) and a pool of ``--coaches`` coaches on
the standard working calendar, each with a two-hour meeting every working
day and one of them on leave for two days; then runs
``_cron_coaching_sessions`` as a cron worker does (committing per batch)
twice: the first run books the pool full and lists the others, the second
finds nothing new to book. Checks that no coach has overlapping meetings,
that no coach has more sessions a day than the maximum, and that every seller
is booked, waiting or offered the link, once. Removes what it created.
Exits non-zero when a check fails.
"""

import argparse
import datetime
import sys
import time
from pathlib import Path

from measure import bench_setup, measure, peak_rss_mb

import odoo
from odoo import api

PREFIX = "Bench Coaching"

SEED = """
INSERT INTO res_partner (name, complete_name, type, active, is_company, autopost_bills,
                         is_seller, seller_registration_date, verification_state,
                         shop_name, email, lang, create_date, write_date)
SELECT %(prefix)s || ' ' || n, %(prefix)s || ' ' || n, 'contact', true, true, 'ask',
       true, (now() - interval '30 months' + (n %% 500 || ' days')::interval)::date,
       'validated', 'Coaching shop ' || n, 'bench.coaching.' || n || '@example.com',
       CASE WHEN n %% 3 = 0 THEN 'fr_FR' ELSE 'en_US' END, now(), now()
  FROM generate_series(1, %(sellers)s) n;
UPDATE res_partner SET commercial_partner_id = id
 WHERE commercial_partner_id IS NULL AND name LIKE %(like)s;
INSERT INTO marketplace_seller_event (seller_id, event_type, episode, date,
                                      create_uid, create_date, write_uid, write_date)
SELECT id, 'inactivity_followup', 'never', now() - interval '20 days', 1, now(), 1, now()
  FROM res_partner WHERE name LIKE %(like)s;
ANALYZE res_partner;
ANALYZE marketplace_seller_event;
"""

CLEANUP = """
DELETE FROM mail_message WHERE model = 'calendar.event' AND res_id IN (
    SELECT calendar_event_id FROM marketplace_seller_event e
      JOIN res_partner p ON p.id = e.seller_id
     WHERE p.name LIKE %(like)s AND calendar_event_id IS NOT NULL);
DELETE FROM mail_activity WHERE res_model = 'res.partner' AND res_id IN (
    SELECT id FROM res_partner WHERE name LIKE %(like)s);
DELETE FROM calendar_event WHERE id IN (
    SELECT e.id FROM calendar_event e
      JOIN calendar_event_res_partner_rel rel ON rel.calendar_event_id = e.id
      JOIN res_users u ON u.partner_id = rel.res_partner_id
     WHERE u.login LIKE 'bench_coach_%%');
DELETE FROM resource_calendar_leaves WHERE name = 'Bench coaching leave';
DELETE FROM marketplace_seller_event WHERE seller_id IN (
    SELECT id FROM res_partner WHERE name LIKE %(like)s);
DELETE FROM res_partner WHERE name LIKE %(like)s;
"""

OVERLAPS = """
SELECT count(*)
  FROM calendar_event a
  JOIN calendar_event_res_partner_rel ra ON ra.calendar_event_id = a.id
  JOIN calendar_event_res_partner_rel rb ON rb.res_partner_id = ra.res_partner_id
  JOIN calendar_event b ON b.id = rb.calendar_event_id AND b.id > a.id
 WHERE ra.res_partner_id IN %(partners)s AND a.active AND b.active
   AND a.start < b.stop AND b.start < a.stop
"""

PER_DAY = """
SELECT COALESCE(max(n), 0) FROM (
    SELECT e.coach_id, c.start::date, count(*) AS n
      FROM marketplace_seller_event e
      JOIN calendar_event c ON c.id = e.calendar_event_id
     WHERE e.event_type = 'coaching' AND e.coach_id IN %(coaches)s
  GROUP BY 1, 2) per_day
"""

STATES = """
SELECT COALESCE(c.coaching_state, 'none'), count(*), count(DISTINCT f.seller_id)
  FROM marketplace_seller_event f
  JOIN res_partner p ON p.id = f.seller_id
  LEFT JOIN marketplace_seller_event c
    ON c.seller_id = f.seller_id AND c.event_type = 'coaching' AND c.episode = f.episode
 WHERE f.event_type = 'inactivity_followup' AND p.name LIKE %(like)s
 GROUP BY 1 ORDER BY 1
"""


def extra_arguments(argv):
    parser = argparse.ArgumentParser(add_help=False)
    parser.add_argument("--sellers", type=int, default=20000)
    parser.add_argument("--coaches", type=int, default=10)
    parser.add_argument("--daily-max", type=int, default=6)
    parser.add_argument("--horizon", type=int, default=21)
    args, rest = parser.parse_known_args(argv)
    sys.argv = [sys.argv[0], *rest]
    return args


def seed_coaches(env, count):
    """The pool: ``count`` internal users on the company's working calendar,
    each busy two hours every working day, the first on leave two days."""
    Users = env["res.users"].with_context(no_reset_password=True)
    group = env.ref("marketplace_crm.group_marketplace_user")
    coaches = Users.search([("login", "like", "bench_coach_")], order="id")
    for n in range(len(coaches), count):
        coaches |= Users.create(
            {
                "name": f"Bench Coach {n + 1}",
                "login": f"bench_coach_{n + 1}",
                "email": f"bench.coach.{n + 1}@example.com",
                "tz": "Europe/Brussels",
                "group_ids": [(6, 0, group.ids)],
            }
        )
    coaches = coaches[:count]
    calendar = env.company.resource_calendar_id
    today = datetime.date.today()
    meetings = []
    for day in range(1, 30):
        date = today + datetime.timedelta(days=day)
        if date.weekday() >= 5:
            continue
        for coach in coaches:
            start = datetime.datetime.combine(date, datetime.time(9, 0))
            meetings.append(
                {
                    "name": "Bench team meeting",
                    "start": start,
                    "stop": start + datetime.timedelta(hours=2),
                    "user_id": coach.id,
                    "partner_ids": [(6, 0, coach.partner_id.ids)],
                }
            )
    env["calendar.event"].with_context(no_mail_to_attendees=True).create(meetings)
    resource = coaches[0].resource_ids[:1] or env["resource.resource"].create(
        {"name": coaches[0].name, "user_id": coaches[0].id, "calendar_id": calendar.id}
    )
    env["resource.calendar.leaves"].create(
        {
            "name": "Bench coaching leave",
            "resource_id": resource.id,
            "calendar_id": calendar.id,
            "date_from": datetime.datetime.combine(
                today + datetime.timedelta(days=2), datetime.time.min
            ),
            "date_to": datetime.datetime.combine(
                today + datetime.timedelta(days=3), datetime.time.max
            ),
        }
    )
    return coaches


def set_params(env, coaches, extra):
    params = env["ir.config_parameter"].sudo()
    for key, value in (
        ("coaching_pool_ids", ",".join(map(str, coaches.ids))),
        ("coaching_daily_max", extra.daily_max),
        ("coaching_horizon_days", extra.horizon),
        ("coaching_duration_minutes", 60),
        ("coaching_booking_url", ""),
        ("coaching_delay_days", 15),
    ):
        params.set_param(f"marketplace_crm.{key}", value)


def main():
    extra = extra_arguments(sys.argv[1:])
    args, registry, out, lines = bench_setup(__doc__)
    like = {"like": f"{PREFIX} %", "prefix": PREFIX}
    failures = []
    with registry.cursor() as cr:
        env = api.Environment(cr, odoo.SUPERUSER_ID, {})
        cr.execute(CLEANUP, like)
        # A third of the sellers write in French: their meetings are titled
        # in French.
        env["res.lang"]._activate_lang("fr_FR")
        coaches = seed_coaches(env, extra.coaches)
        set_params(env, coaches, extra)
        cr.execute(SEED, {**like, "sellers": extra.sellers})
        cr.commit()
        out(f"# Coaching job, {datetime.datetime.now():%Y-%m-%d %H:%M}")
        out()
        out(
            f"{extra.sellers:,} sellers due for coaching; a pool of {len(coaches)} "
            f"coaches (standard 40-hour calendar, a 2-hour meeting every working "
            f"day, one coach on leave 2 days), at most {extra.daily_max} sessions "
            f"a coach and day, {extra.horizon}-day horizon."
        )
        out()
        out(
            "| run | seconds | CPU seconds (Odoo) | SQL queries | queries per seller "
            "| booked | waiting |"
        )
        out("|---|---:|---:|---:|---:|---:|---:|")
        Event = env["marketplace.seller.event"]
        try:
            for label in ("first", "again"):
                booked_before = Event.search_count(
                    [("event_type", "=", "coaching"), ("coaching_state", "=", "booked")]
                )
                cpu = time.process_time()
                with measure(cr) as run:
                    Event._cron_coaching_sessions()
                cpu = time.process_time() - cpu
                cr.commit()
                cr.execute(STATES, like)
                states = {state: count for state, count, __ in cr.fetchall()}
                booked = (
                    Event.search_count(
                        [
                            ("event_type", "=", "coaching"),
                            ("coaching_state", "=", "booked"),
                        ]
                    )
                    - booked_before
                )
                out(
                    f"| {label} | {run['seconds']:.1f} | {cpu:.1f} | {run['queries']:,} "
                    f"| {run['queries'] / extra.sellers:.1f} | {booked:,} "
                    f"| {states.get('waiting', 0):,} |"
                )
            cr.execute(OVERLAPS, {"partners": tuple(coaches.partner_id.ids)})
            (overlapping,) = cr.fetchone()
            cr.execute(PER_DAY, {"coaches": tuple(coaches.ids)})
            (per_day,) = cr.fetchone()
            cr.execute(STATES, like)
            rows = cr.fetchall()
            out()
            out(
                "- sellers by coaching state: "
                + ", ".join(f"{state} {count:,}" for state, count, __ in rows)
            )
            out(f"- overlapping meetings of a coach: **{overlapping}**")
            out(
                f"- most sessions of a coach on one day: {per_day} "
                f"(maximum {extra.daily_max})"
            )
            out(f"- peak memory of the process: {peak_rss_mb():.0f} MB")
            if overlapping:
                failures.append("overlaps")
            if per_day > extra.daily_max:
                failures.append("daily maximum")
            if any(state == "none" for state, *__ in rows):
                failures.append("sellers neither booked nor waiting")
            if any(count != sellers for __, count, sellers in rows):
                failures.append("a seller coached twice")
            out(
                f"- checks: {'failed: ' + ', '.join(failures) if failures else 'all passed'}"
            )
        finally:
            cr.rollback()
            cr.execute(CLEANUP, like)
            cr.commit()
    Path(args.output).write_text("\n".join(lines) + "\n")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
