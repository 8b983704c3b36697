from collections import Counter, defaultdict
from datetime import datetime, time, timedelta

import pytz

from odoo import api, fields, models
from odoo.tools import SQL

from ..tools.coaching_agenda import CoachAgenda, CoachingPlanner, free_slots
from .marketplace_helpers import staff_user
from .marketplace_params import get_param


def to_utc(value):
    """A timezone-aware datetime as naive UTC (how Odoo stores datetimes)."""
    return value.astimezone(pytz.utc).replace(tzinfo=None)


class MarketplaceSellerEvent(models.Model):
    """The coaching pool and its free slots, read once per run: working hours
    and leaves from each coach's working calendar (``resource``), and their
    calendar events over the booking horizon in one query."""

    _inherit = "marketplace.seller.event"

    @api.model
    def _coaching_pool(self):
        """The coaches of the Settings (active internal users), or none: the
        sellers' account managers then coach their own sellers."""
        raw = get_param(self.env, "coaching_pool_ids", "")
        ids = [int(part) for part in raw.split(",") if part.strip().isdigit()]
        return (
            self.env["res.users"]
            .browse(ids)
            .exists()
            .filtered(lambda u: u.active and not u.share)
        )

    @api.model
    def _coaching_planner(self, sellers):
        """The planner of a run booking ``sellers``: the agenda of every coach
        they may be booked with."""
        pool = self._coaching_pool()
        default_coach = (
            self.env["res.users"]
            .browse(get_param(self.env, "coaching_user_id"))
            .exists()
        )
        # The default coach (or the administrator) for sellers without an
        # active internal account manager, looked up once for all.
        fallback = staff_user(self.env, default_coach)
        manager_of = {
            seller.id: (
                seller.user_id.id
                if seller.user_id.active and not seller.user_id.share
                else fallback.id
            )
            for seller in sellers
        }
        coaches = pool or self.env["res.users"].browse(sorted(set(manager_of.values())))
        duration = timedelta(
            minutes=max(get_param(self.env, "coaching_duration_minutes"), 5)
        )
        return CoachingPlanner(
            self._coaching_agendas(coaches, duration), pool.ids, manager_of, duration
        )

    @api.model
    def _coaching_agendas(self, coaches, duration):
        """``{coach id: CoachAgenda}``: the free slots of ``coaches`` from
        tomorrow (their time) over the booking horizon."""
        horizon = max(get_param(self.env, "coaching_horizon_days"), 1)
        daily_max = max(get_param(self.env, "coaching_daily_max"), 0)
        now = pytz.utc.localize(fields.Datetime.now())
        window = (now, now + timedelta(days=horizon + 2))
        busy = self._coaching_busy(coaches, *map(to_utc, window))
        by_calendar = defaultdict(lambda: self.env["res.users"])
        for coach in coaches:
            by_calendar[self._coaching_calendar(coach)] |= coach
        # Without any working calendar, a coach has no slot.
        agendas = {
            coach.id: CoachAgenda(coach.id, [], {}, daily_max)
            for coach in by_calendar.pop(self.env["resource.calendar"], [])
        }
        for calendar, users in by_calendar.items():
            resources = users.resource_ids
            work = calendar._work_intervals_batch(*window, resources=resources)
            for coach in users:
                resource = coach.resource_ids.filtered(
                    lambda r, calendar=calendar: r.calendar_id == calendar
                )[:1]
                tz = pytz.timezone(resource.tz or calendar.tz or coach.tz or "UTC")
                first = tz.localize(
                    datetime.combine(now.astimezone(tz).date(), time.min)
                ) + timedelta(days=1)
                last = to_utc(first + timedelta(days=horizon))
                intervals = [
                    (to_utc(start), to_utc(stop))
                    for start, stop, __ in work[resource.id]
                ]
                blocked, sessions = self._coaching_blocked(
                    busy[coach.partner_id.id], tz
                )
                slots = [
                    slot
                    for slot in free_slots(intervals, blocked, duration, tz.zone)
                    if to_utc(first) <= slot[0] and slot[0] + duration <= last
                ]
                agendas[coach.id] = CoachAgenda(coach.id, slots, sessions, daily_max)
        return agendas

    @api.model
    def _coaching_calendar(self, coach):
        return coach.resource_calendar_id or coach.company_id.resource_calendar_id

    @api.model
    def _coaching_busy(self, coaches, start, stop):
        """``{partner id: [(start, stop, all day, is a coaching session)]}``:
        the busy calendar events the coaches attend between ``start`` and
        ``stop`` (naive UTC), in one query."""
        busy = defaultdict(list)
        if not coaches:
            return busy
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """
                SELECT rel.res_partner_id, e.start, e.stop, e.allday,
                       EXISTS (SELECT 1 FROM marketplace_seller_event s
                                WHERE s.calendar_event_id = e.id
                                  AND s.event_type = 'coaching')
                  FROM calendar_event e
                  JOIN calendar_event_res_partner_rel rel
                    ON rel.calendar_event_id = e.id
                 WHERE rel.res_partner_id IN %(partners)s
                   AND e.active AND e.show_as = 'busy'
                   AND e.stop > %(start)s - INTERVAL '1 day'
                   AND e.start < %(stop)s
                """,
                partners=tuple(coaches.partner_id.ids),
                start=start,
                stop=stop,
            )
        )
        for partner_id, *row in self.env.cr.fetchall():
            busy[partner_id].append(tuple(row))
        return busy

    @api.model
    def _coaching_blocked(self, events, tz):
        """The blocked intervals (naive UTC) of a coach's ``events`` (whole
        local days for all-day events), and their coaching sessions per local
        day."""
        blocked, sessions = [], Counter()
        for start, stop, allday, coaching in events:
            if allday:
                start = to_utc(tz.localize(datetime.combine(start.date(), time.min)))
                stop = to_utc(
                    tz.localize(datetime.combine(stop.date(), time.min))
                    + timedelta(days=1)
                )
            blocked.append((start, stop))
            if coaching:
                sessions[pytz.utc.localize(start).astimezone(tz).date()] += 1
        return blocked, sessions
