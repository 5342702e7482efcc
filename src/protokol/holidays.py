"""Russian non-working days (Labour Code art. 112) and working-day arithmetic for deadlines and discipline reports.

Why the calendar is computed from rules and not read from a table of real years:
the actual calendar of a year is fixed by a Government decree (постановление Правительства о переносе выходных дней)
published only a few months ahead, and it moves weekends around freely (a Saturday becomes a working day, a January
weekend is shifted to May or December). A shipped table would be wrong for every year after the release and would
silently age. The rules of art. 112 are stable, so we compute them for any year, and the archive's settings pass each
decree's transfers in as ``extra_holidays`` / ``extra_workdays``; those two sets always win over the rules.

The rules (federal law of 23.04.2012 N 35-FZ onwards, i.e. from 2013):
* non-working public holidays: 1-6 and 8 January (New Year holidays), 7 January (Christmas), 23 February, 8 March,
  1 May, 9 May, 12 June, 4 November;
* when a holiday falls on a Saturday or Sunday, the day off moves to the next working day after the holiday,
  EXCEPT for the January holidays: their weekend days are moved by the yearly decree instead (art. 112 part 2),
  so the rules alone never move them.
For 2005-2012 January had 1-5 and 7 January as holidays; older calendars are not modelled (the same rules are used).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from functools import lru_cache

__all__ = [
    "HOLIDAYS",
    "add_working_days",
    "days_off",
    "is_working_day",
    "public_holidays",
    "working_days_between",
]

# (month, day) of the non-working public holidays in force since 2013.
HOLIDAYS: tuple[tuple[int, int], ...] = (
    (1, 1), (1, 2), (1, 3), (1, 4), (1, 5), (1, 6), (1, 7), (1, 8),
    (2, 23), (3, 8), (5, 1), (5, 9), (6, 12), (11, 4),
)
_JANUARY_BEFORE_2013 = ((1, 1), (1, 2), (1, 3), (1, 4), (1, 5), (1, 7))


@lru_cache(maxsize=256)
def public_holidays(year: int) -> frozenset[date]:
    """The non-working public holidays of `year` themselves (without the days off they move)."""
    days = HOLIDAYS if year >= 2013 else _JANUARY_BEFORE_2013 + tuple(md for md in HOLIDAYS if md[0] != 1)
    return frozenset(date(year, m, d) for m, d in days)


@lru_cache(maxsize=256)
def days_off(year: int) -> frozenset[date]:
    """Every weekday-independent day off of `year` by the rules: the holidays plus the days moved off weekends."""
    holidays = public_holidays(year)
    moved: set[date] = set()
    for h in sorted(holidays):
        if h.month == 1 or h.weekday() < 5:
            continue  # January weekends are moved only by decree (art. 112 part 2)
        d = h + timedelta(days=1)
        while d.weekday() >= 5 or d in holidays or d in moved:
            d += timedelta(days=1)
        moved.add(d)
    return holidays | frozenset(moved)


def is_working_day(day: date, extra_holidays: Iterable[date] = frozenset(),
                   extra_workdays: Iterable[date] = frozenset()) -> bool:
    """True when `day` is a working day; `extra_workdays` (a working Saturday by decree) wins over everything."""
    if day in extra_workdays:
        return True
    if day in extra_holidays or day.weekday() >= 5:
        return False
    return day not in days_off(day.year)


def add_working_days(start: date, n: int, extra_holidays: Iterable[date] = frozenset(),
                     extra_workdays: Iterable[date] = frozenset()) -> date:
    """The `n`-th working day after `start` (`start` itself is not counted; negative `n` counts backwards)."""
    extra_holidays, extra_workdays = frozenset(extra_holidays), frozenset(extra_workdays)
    step = timedelta(days=1 if n >= 0 else -1)
    d, left = start, abs(n)
    while left:
        d += step
        if is_working_day(d, extra_holidays, extra_workdays):
            left -= 1
    return d


def working_days_between(start: date, end: date, extra_holidays: Iterable[date] = frozenset(),
                         extra_workdays: Iterable[date] = frozenset()) -> int:
    """Working days in (start, end]; negative when `end` is before `start` (a delay of -2 means two days early)."""
    if end < start:
        return -working_days_between(end, start, extra_holidays, extra_workdays)
    extra_holidays, extra_workdays = frozenset(extra_holidays), frozenset(extra_workdays)
    count, d = 0, start
    while d < end:
        d += timedelta(days=1)
        if is_working_day(d, extra_holidays, extra_workdays):
            count += 1
    return count
