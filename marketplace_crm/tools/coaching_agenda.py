"""Free coaching slots of a pool of coaches, and their assignment.

Plain Python over data read once per run (see
``marketplace_seller_event_coaching.py``): the working intervals of each
coach, their busy intervals (calendar events, leaves already removed from the
working intervals) and the coaching sessions they already have per day. Every
datetime here is naive UTC, except the day a slot counts against, which is
the coach's local date.
"""

from collections import Counter
from itertools import pairwise

import pytz


def subtract(intervals, busy):
    """``intervals`` minus ``busy``, both lists of ``(start, stop)``;
    ``intervals`` sorted and disjoint, ``busy`` in any order."""
    busy = sorted(busy)
    result = []
    for start, stop in intervals:
        for busy_start, busy_stop in busy:
            if busy_stop <= start or busy_start >= stop:
                continue
            if busy_start > start:
                result.append((start, busy_start))
            start = max(start, busy_stop)
            if start >= stop:
                break
        if start < stop:
            result.append((start, stop))
    return result


def free_slots(intervals, busy, duration, tz):
    """Consecutive slots of ``duration`` (a timedelta) in the free part of
    ``intervals``, as ``(start, local_day)`` in chronological order: a slot
    starts where the free time starts, so a meeting ending at 10:40 leaves a
    slot at 10:40, not at 11:00."""
    tz = pytz.timezone(tz or "UTC")
    slots = []
    for start, stop in subtract(intervals, busy):
        while start + duration <= stop:
            local_day = pytz.utc.localize(start).astimezone(tz).date()
            slots.append((start, local_day))
            start += duration
    return slots


class CoachAgenda:
    """The free slots of one coach, taken in chronological order, never more
    than ``daily_max`` coaching sessions a (local) day."""

    def __init__(self, coach_id, slots, sessions_per_day, daily_max):
        self.coach_id = coach_id
        self.slots = slots
        self.sessions_per_day = Counter(sessions_per_day)
        self.daily_max = daily_max
        self.taken = 0
        self._index = 0

    def next_start(self):
        """The start of the next slot this coach can take, or None."""
        while self._index < len(self.slots):
            start, day = self.slots[self._index]
            if self.sessions_per_day[day] < self.daily_max:
                return start
            self._index += 1
        return None

    def take(self):
        """Book the next slot (see ``next_start``) and return its start."""
        start, day = self.slots[self._index]
        self._index += 1
        self.sessions_per_day[day] += 1
        self.taken += 1
        return start


def pick(agendas, preferred=None):
    """Among ``agendas``, the one with the earliest free slot; on equal
    starts the ``preferred`` coach, then the coach with the fewest sessions
    taken in this run, so that a pool shares the load. None when all are full.
    """
    best, best_key = None, None
    for agenda in agendas:
        start = agenda.next_start()
        if start is None:
            continue
        key = (start, agenda.coach_id != preferred, agenda.taken, agenda.coach_id)
        if best_key is None or key < best_key:
            best, best_key = agenda, key
    return best


def overlaps(meetings):
    """Pairs of overlapping ``(start, stop)`` among ``meetings`` of one
    coach (what the tests and the benchmark check is empty)."""
    ordered = sorted(meetings)
    return [
        (first, second) for first, second in pairwise(ordered) if second[0] < first[1]
    ]


class CoachingPlanner:
    """The agendas of a run: a configured pool shares every seller (the
    seller's account manager first on equal starts); without a pool, each
    seller is coached by their account manager (or the default coach)."""

    def __init__(self, agendas, pool_ids, manager_of, duration):
        self.agendas = agendas
        self.pool = [agendas[coach_id] for coach_id in pool_ids if coach_id in agendas]
        self.manager_of = manager_of
        self.duration = duration

    def candidates(self, seller):
        """The agendas ``seller`` may be booked in, and the preferred coach."""
        manager = self.manager_of.get(seller.id)
        if self.pool:
            return self.pool, manager
        return [self.agendas[manager]] if manager in self.agendas else [], manager
