"""What the pages of the site show, as plain records: pure functions of the protocols, the decisions as `protokol
due` evaluates them on `today`, and the people directory. No I/O, no clock; the templates word it in Russian."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from .. import model as m
from ..overview import ProtocolRow, protocol_rows, protocol_view
from ..selection import group
from ..series import series_key
from ..status import Decision
from .slugs import slugs

# The sections of due.html: (name, the last day it takes as days from today; None: no end).
BUCKETS = (("overdue", -1), ("week", 7), ("month", 30), ("later", None))


def bucket(d: Decision, today: date) -> str:
    """overdue; due within 7 days; within 30 days; later (or with no day known)."""
    if d.overdue:
        return "overdue"
    for name, days in BUCKETS[1:-1]:
        if d.due is not None and d.due <= today + timedelta(days=days):
            return name
    return "later"


def series_name(title: str) -> str:
    return " ".join(title.split()).rstrip(".")


@dataclass(frozen=True)
class Person:
    name: str  # as first written
    slug: str
    decisions: tuple[Decision, ...]
    group: bool = False  # a group of people.yaml, not one executor


def people(due: list[Decision], groups: dict[str, tuple[str, ...]] | None = None) -> list[Person]:
    """Each executor of the listed decisions (spellings folded as `due --group-by responsible` folds them) with
    their decisions, then each group of people.yaml with the decisions of its members; slugs distinct."""
    by_name = [(name, members) for name, members in group(due, "responsible") if name != "—"]
    group_rows: list[tuple[str, list[Decision]]] = []
    for name, member_names in (groups or {}).items():
        keys = {series_key(x) for x in member_names}
        found = [d for d in due if any(series_key(r) in keys for r in d.entry.responsible)]
        group_rows.append((name, found))
    named = slugs([name for name, _m in by_name] + [name for name, _m in group_rows])
    out = [Person(name, named[name], tuple(members)) for name, members in by_name]
    out += [Person(name, named[name], tuple(members), True) for name, members in group_rows]
    return out


@dataclass(frozen=True)
class DueRow:
    decision: Decision
    bucket: str
    series: str
    executors: tuple[tuple[str, str], ...]  # (name, slug)
    groups: tuple[str, ...]


def due_rows(due: list[Decision], today: date, persons: list[Person]) -> list[DueRow]:
    """The decisions of due.html in `protokol due`'s order, each with its section, series, executors and groups."""
    slug_of: dict[str, dict[str, str]] = {}  # decision id -> executor name -> slug
    groups_of: dict[str, list[str]] = {}
    for person in persons:
        for d in person.decisions:
            if person.group:
                groups_of.setdefault(d.id, []).append(person.name)
            else:
                slug_of.setdefault(d.id, {})[person.name] = person.slug
    rows = []
    for d in due:
        executors = tuple(slug_of.get(d.id, {}).items())
        rows.append(DueRow(d, bucket(d, today), series_name(d.meeting.title), executors,
                           tuple(groups_of.get(d.id, ()))))
    return rows


def executor_slugs(persons: list[Person]) -> dict[str, str]:
    """Every spelling of an executor's name in the listed decisions -> the slug of their page."""
    out: dict[str, str] = {}
    for person in persons:
        if person.group:
            continue
        for d in person.decisions:
            for name in d.entry.responsible:
                if series_key(name) == series_key(person.name) or name == person.name:
                    out.setdefault(name, person.slug)
    return out


@dataclass(frozen=True)
class YearRows:
    year: int
    series: tuple[tuple[str, tuple[ProtocolRow, ...]], ...]


def protocol_index(protocols: Iterable[m.Protocol], statuses: dict[str, Decision]) -> list[YearRows]:
    """index.html: the protocols by year (latest first), then series (by title), then date."""
    by_year: dict[int, dict[str, list[ProtocolRow]]] = {}
    titles: dict[str, str] = {}
    for row in protocol_rows(protocols, statuses):
        key = series_key(row.title)
        titles.setdefault(key, series_name(row.title))
        by_year.setdefault(row.date.year, {}).setdefault(key, []).append(row)
    return [YearRows(year, tuple((titles[k], tuple(rows)) for k, rows in sorted(by_year[year].items())))
            for year in sorted(by_year, reverse=True)]


@dataclass(frozen=True)
class DecisionInfo:
    id: str
    key: str
    depth: int
    text: str
    state: str | None  # None: not tracked (a lead line, «принять к сведению»)
    decision: Decision | None


def protocol_decisions(p: m.Protocol, statuses: dict[str, Decision]) -> list[DecisionInfo]:
    """Every decision of a protocol with its state and, where tracked, what `due` knows of it."""
    out = []
    for item in protocol_view(p, statuses).items:
        for line in item.decisions:
            found = statuses.get(line.ref.id) if line.state is not None else None
            out.append(DecisionInfo(line.ref.id, line.ref.decision.key, line.depth, line.ref.decision.text.strip(),
                                    line.state, found))
    return out


def decision_key(d: Decision) -> tuple:
    """What a protocol page shows of a decision's status, for the page's key: it changes when any of it does."""
    return (d.id, d.status, d.overdue, d.due, d.entry.deadline, d.entry.responsible, d.status_date, d.status_by,
            d.extensions, d.closed, d.report, d.reason, d.controller, d.history)
