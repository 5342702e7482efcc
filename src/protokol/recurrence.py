"""Recurring deadlines: the rule strings ("monthly:10", "quarterly", "weekly:4", …) and the next day each falls due,
with the calendar arithmetic deadline phrases share (month ends, adding months)."""

from __future__ import annotations

import calendar
import re
from datetime import date, timedelta


def _last_day(y: int, m: int) -> int:
    return calendar.monthrange(y, m)[1]


def _month_end(y: int, m: int) -> date:
    return date(y, m, _last_day(y, m))


def _add_months(d: date, n: int) -> date:
    """`d` plus `n` months, clamped to the month's end (31 Jan + 1 month = 29 Feb 2024)."""
    total = d.year * 12 + d.month - 1 + n
    y, m = divmod(total, 12)
    return date(y, m + 1, min(d.day, _last_day(y, m + 1)))


_RULE_RX = re.compile(r"(?P<kind>daily|weekly|monthly|quarterly|halfyearly|yearly)(?::(?P<arg>\d{1,2}|\d{2}-\d{2}))?")


def next_occurrence(rule: str, on_or_after: date) -> date:
    """The first day on or after `on_or_after` on which a recurring deadline `rule` falls due."""
    m = _RULE_RX.fullmatch(rule or "")
    if not m:
        raise ValueError(f"unknown recurrence rule {rule!r}")
    kind, arg, d = m.group("kind"), m.group("arg"), on_or_after
    if kind == "daily" and arg is None:
        return d
    if kind == "weekly":
        wd = 4 if arg is None else int(arg)
        if "-" in (arg or "") or not 0 <= wd <= 6:
            raise ValueError(f"weekday must be 0..6 in {rule!r}")
        return d + timedelta(days=(wd - d.weekday()) % 7)
    if kind == "monthly":
        if arg is None:
            return _month_end(d.year, d.month)
        day = _rule_day(arg, rule)
        this = date(d.year, d.month, min(day, _last_day(d.year, d.month)))
        if this >= d:
            return this
        nxt = _add_months(date(d.year, d.month, 1), 1)
        return date(nxt.year, nxt.month, min(day, _last_day(nxt.year, nxt.month)))
    if kind == "halfyearly" and arg is None:
        return _month_end(d.year, 6 if d.month <= 6 else 12)
    if kind == "quarterly":
        if arg is None:
            return _month_end(d.year, (d.month + 2) // 3 * 3)
        day = _rule_day(arg, rule)
        for y in (d.year, d.year + 1):
            for mo in (1, 4, 7, 10):
                cand = date(y, mo, min(day, _last_day(y, mo)))
                if cand >= d:
                    return cand
    if kind == "yearly":
        if arg is None:
            return date(d.year, 12, 31)
        if "-" not in arg:
            raise ValueError(f"yearly rule needs MM-DD in {rule!r}")
        mo, day = (int(x) for x in arg.split("-"))
        if not 1 <= mo <= 12 or not 1 <= day <= _last_day(2024, mo):
            raise ValueError(f"no such day in {rule!r}")
        for y in (d.year, d.year + 1, d.year + 2):
            cand = date(y, mo, min(day, _last_day(y, mo)))  # 29 February falls on the 28th in common years
            if cand >= d:
                return cand
    raise ValueError(f"unknown recurrence rule {rule!r}")


def _rule_day(arg: str, rule: str) -> int:
    if "-" in arg or not 1 <= int(arg) <= 31:
        raise ValueError(f"day must be 1..31 in {rule!r}")
    return int(arg)


# ------------------------------------------------------------------------------------------------- occurrences
# An occurrence of a recurring deadline *begins* the day after the previous occurrence's due date; the first one
# begins at the meeting. So «ежеквартально» decided on 14.02.2024 has Q1 (due 31.03) begin on 14.02 and Q2 (due 30.06)
# begin on 01.04, and «ежемесячно до 10 числа» has the occurrence due on the 10th begin on the 11th of the month before.

def occurrences_until(rule: str, meeting: date, until: date) -> list[date]:
    """The due dates of the occurrences from the first (on or after the meeting) up to the first one due on or
    after `until`, that one included."""
    dues = [next_occurrence(rule, meeting)]
    while dues[-1] < until:
        dues.append(next_occurrence(rule, dues[-1] + timedelta(days=1)))
    return dues


def begins(rule: str, meeting: date, due: date) -> date:
    """The day the occurrence due on `due` begins: the day after the previous one's due date, or the meeting."""
    dues = occurrences_until(rule, meeting, due)
    i = dues.index(due) if due in dues else len(dues) - 1
    return dues[i - 1] + timedelta(days=1) if i > 0 else meeting


def is_occurrence(rule: str, meeting: date, day: date) -> bool:
    """Whether the rule falls due on `day`, at or after the meeting."""
    return day >= meeting and next_occurrence(rule, day) == day
