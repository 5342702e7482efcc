"""Executive discipline (справка об исполнительской дисциплине): how the decisions due in a period were carried out,
per executor, series or protocol. Pure: the archive's index, its people directory and `today` in, figures out;
docs/reports.md states the rules and the JSON contract, which these records are.

Which items count: the decision items of final protocols whose deadline in force falls in the period (both bounds
included); a recurring decision once per occurrence due in the period. The deadline in force is the last one decided
on or before the day the item was done or cancelled (for an open item: on or before today); events after today are
ignored. Each item is in exactly one category of CATEGORIES; `extended` (at least one extension in force) overlaps
them.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date

from ..holidays import working_days_between
from ..index import KIND_CODE, RECURRING, ROW, Entry, Meeting
from ..people import Accountable, Directory, accountable_by
from ..series import series_key
from ..status import Index, _events, evaluate

CATEGORIES = ("on_time", "late", "overdue", "open", "cancelled")
BY = ("responsible", "series", "protocol")
NO_EXECUTOR = "без исполнителя"  # the row of items nobody is named for: data, the archive's language (docs/reports.md)
_DATED = KIND_CODE["date"]


@dataclass(frozen=True)
class Item:
    """One counted item: a decision, or one occurrence of a recurring decision, with its category and why."""

    id: str  # the decision's id
    meeting: Meeting
    text: str
    responsible: tuple[str, ...]  # as written
    accountable: tuple[Accountable, ...]  # who answers for it (people.accountable)
    deadline: date  # in force
    written: date | None  # the deadline as the protocol set it (for an occurrence: the occurrence)
    category: str  # one of CATEGORIES
    day: date | None = None  # the day it was done (on_time, late) or cancelled
    extended: bool = False
    delay: int | None = None  # working days after the deadline up to and including the day done (late only)
    occurrence: date | None = None  # for a recurring decision: the occurrence counted

    @property
    def series(self) -> str:
        return series_key(self.meeting.title)


@dataclass(frozen=True)
class Row:
    """The figures of a row (or of the total, whose `name` is None)."""

    name: str | None
    assigned: int = 0
    on_time: int = 0
    late: int = 0
    overdue: int = 0
    open: int = 0
    cancelled: int = 0
    extended: int = 0
    on_time_pct: float | None = None
    avg_delay_workdays: float | None = None


@dataclass(frozen=True)
class Report:
    start: date
    end: date
    today: date
    by: str
    rows: tuple[Row, ...]
    total: Row
    items: tuple[Item, ...] = field(default=(), repr=False)


def figures(name: str | None, items: Iterable[Item]) -> Row:
    """A row's figures: the count per category, `extended`, the on-time share and the mean delay (docs/reports.md)."""
    counts = dict.fromkeys(CATEGORIES, 0)
    extended = 0
    delays = []
    for item in items:
        counts[item.category] += 1
        extended += item.extended
        if item.category == "late":
            delays.append(item.delay)
    judged = counts["on_time"] + counts["late"] + counts["overdue"]
    pct = round(100 * counts["on_time"] / judged, 1) if judged else None
    delay = round(sum(delays) / len(delays), 1) if delays else None
    return Row(name, sum(counts.values()), **counts, extended=extended, on_time_pct=pct, avg_delay_workdays=delay)


def discipline(index: Index, directory: Directory, start: date, end: date, today: date, by: str = "responsible",
               days: tuple[frozenset, frozenset] = (frozenset(), frozenset())) -> Report:
    """The report for the period [start, end] as of `today`; `days` are the archive's extra holidays and working
    days (settings.extra_days) for the delays in working days."""
    if by not in BY:
        raise ValueError(f"unknown grouping {by!r}")
    items = sorted(counted_items(index, directory, start, end, today, days),
                   key=lambda it: (it.deadline, it.meeting.date, it.id, it.occurrence or date.min))
    groups: dict[str, tuple[str, list[Item]]] = {}
    for item in items:
        for key, name in _row_keys(item, by):
            groups.setdefault(key, (name, []))[1].append(item)
    order = _row_order(by, items)
    rows = [figures(name, members) for _key, (name, members) in sorted(groups.items(), key=order)]
    return Report(start, end, today, by, tuple(rows), figures(None, items), tuple(items))


def _row_keys(item: Item, by: str) -> list[tuple[str, str]]:
    if by == "protocol":
        return [(item.meeting.id, item.meeting.id)]
    if by == "series":
        return [(item.series, " ".join(item.meeting.title.split()).rstrip("."))]
    return [(a.key, a.name) for a in item.accountable] or [("", NO_EXECUTOR)]


def _row_order(by: str, items: list[Item]):
    """Rows by meeting date (protocols), by name (series), by surname (executors: the identity key puts it first),
    with the row of items nobody is named for last."""
    if by == "protocol":
        dates = {item.meeting.id: item.meeting.date for item in items}
        return lambda pair: (dates[pair[0]], pair[0])
    return lambda pair: (pair[0] == "", _natural(pair[0].partition(":")[2] or pair[0]))


def _natural(text: str) -> tuple:
    """«округа № 2» before «округа № 10»."""
    return tuple((0, int(part), "") if part.isdigit() else (1, 0, part) for part in re.split(r"(\d+)", text) if part)


def counted_items(index: Index, directory: Directory, start: date, end: date, today: date,
                  days: tuple[frozenset, frozenset] = (frozenset(), frozenset())) -> Iterator[Item]:
    """Every item counted for the period: the dated items of final protocols whose deadline in force falls in it, and
    the occurrences of recurring decisions due in it."""
    res = index.resolution
    first, last = start.toordinal(), end.toordinal()
    who = accountable_by(directory)
    g = 0
    for fi in range(len(index.pids)):
        if index.drafts[fi]:
            g += _count_items(index, fi)
            continue
        f = index.file(fi)
        rows = memoryview(f.leaves).cast("i")
        for r in range(0, len(rows), ROW):
            pos, kind, written, ext_day = rows[r], rows[r + 1], rows[r + 7], rows[r + 5]
            reached = res.reached[g]
            g += 1
            if kind == _DATED:
                # neither an extension nor a reference: the deadline in force is the one written
                if not reached and not ext_day and not first <= written <= last:
                    continue
                refs = res.refs if reached else {}
                item = dated_item(f.entry(pos), f.meeting, refs, today, who, days)
                if item is not None and start <= item.deadline <= end:
                    yield item
            elif kind == RECURRING:
                refs = res.refs if reached else {}
                for item in recurring_items(f.entry(pos), f.meeting, refs, today, who, days, index.occurrences,
                                            index.never_overdue):
                    if start <= item.deadline <= end:
                        yield item


def _count_items(index: Index, fi: int) -> int:
    return len(index.file(fi).leaves) // (4 * ROW)


def dated_item(entry: Entry, meeting: Meeting, refs, today: date, who: Callable,
               days: tuple[frozenset, frozenset]) -> Item | None:
    """A dated item as of `today`: its status from the events up to today, its deadline in force on the day it was
    done or cancelled (today while open), and its category."""
    if entry.due is None:
        return None
    status, day, extensions = "open", None, []
    for ev in _events(entry, meeting, refs):
        if ev.day > today:
            break  # events are sorted by day
        if ev.extension is not None:
            extensions.append(ev)
        else:
            status, day = ev.status, ev.day
    if status == "open":
        day = None
    until = day or today
    in_force = [ev.extension[0] for ev in extensions if ev.day <= until]
    deadline = in_force[-1] if in_force else entry.due
    if status == "cancelled":
        category, delay = "cancelled", None
    elif status == "done":
        late = day > deadline
        category = "late" if late else "on_time"
        delay = working_days_between(deadline, day, *days) if late else None
    else:
        category, delay = ("overdue" if deadline < today else "open"), None
    return Item(entry.id, meeting, entry.text, entry.responsible, who(entry.responsible), deadline,
                entry.due, category, day, bool(in_force), delay)


def recurring_items(entry: Entry, meeting: Meeting, refs, today: date, who: Callable,
                    days: tuple[frozenset, frozenset] = (frozenset(), frozenset()), occurrences: dict | None = None,
                    never_overdue: bool = False) -> list[Item]:
    """The occurrences of a recurring decision as items (status.Decision.occurrences: from the first under control
    up to the current one): each closed one on time or late by the day of its report, an open one overdue or open by
    today, cancelled when the decision was cancelled before it fell due. A report dated after today is not yet made;
    one closed in the older `closed:` form, which kept no day, counts as closed on its day. All the counting of
    recurring decisions is here."""
    decision = evaluate(entry, meeting, refs, today, occurrences, never_overdue)
    answer = who(entry.responsible)
    cancelled = decision.status_date if decision.status == "cancelled" else None
    items = []
    for occurrence in decision.occurrences:
        due, done = occurrence.due, occurrence.done
        if occurrence.closed and done is None:
            done = due
        if done is not None and done <= today:
            category = "on_time" if done <= due else "late"
        elif cancelled is not None and cancelled <= due:
            category, done = "cancelled", cancelled
        else:
            category, done = ("overdue" if due < today else "open"), None
        delay = working_days_between(due, done, *days) if category == "late" else None
        items.append(Item(entry.id, meeting, entry.text, entry.responsible, answer, due, due, category, done, False,
                          delay, due))
    return items
