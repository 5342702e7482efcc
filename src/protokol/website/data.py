"""What the pages of the site show, as plain records: pure functions of the protocols, the decisions as `protokol
due` evaluates them on `today`, and the people directory. No I/O, no clock; the templates word it in Russian."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from .. import model as m
from ..overview import ProtocolRow, protocol_view
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
    name: str  # the directory's spelling, or the executor as first written
    slug: str
    decisions: tuple[Decision, ...]
    group: bool = False  # a group of people.yaml («руководители ОО»), named in decisions as one executor


class People:
    """Who answers for the listed decisions, as the reports count them (people.accountable: spellings and aliases
    one person, co-executors apart, a group one row), each with a page and a slug; and who answers for any decision."""

    def __init__(self, due: list[Decision], directory):
        from ..people import GroupEntry

        self.directory = directory
        self._memo: dict[tuple[str, ...], tuple] = {}
        self._one: dict[str, tuple] = {}
        rows: dict[str, tuple[object, list[Decision]]] = {}
        for d in due:
            for one in self.accountable(d.entry.responsible):
                rows.setdefault(one.key, (one, []))[1].append(d)
        ordered = sorted(rows.values(), key=lambda row: (isinstance(row[0].entry, GroupEntry), series_key(row[0].name)))
        named = slugs([one.key for one, _ds in ordered], [one.name for one, _ds in ordered])
        self.persons = [Person(one.name, named[one.key], tuple(ds), isinstance(one.entry, GroupEntry))
                        for one, ds in ordered]
        self.slug_by_key = {one.key: named[one.key] for one, _ds in ordered}
        self._groups = self._group_members(ordered)

    def accountable(self, responsible: tuple[str, ...]) -> tuple:
        """people.accountable, remembered for each executor as written (an archive writes a few hundred)."""
        found = self._memo.get(responsible)
        if found is None:
            rows: dict[str, object] = {}
            for written in responsible:
                for one in self._written(written):
                    rows.setdefault(one.key, one)
            found = self._memo[responsible] = tuple(rows.values())
        return found

    def _written(self, written: str) -> tuple:
        found = self._one.get(written)
        if found is None:
            from ..people import accountable

            found = self._one[written] = accountable((written,), self.directory)
        return found

    def executors(self, d: Decision) -> list[tuple[str, str | None]]:
        """(name, slug of their page or None) of each who answers for `d`."""
        return [(one.name, self.slug_by_key.get(one.key)) for one in self.accountable(d.entry.responsible)]

    def groups_of(self, d: Decision) -> list[str]:
        """The slugs of the groups `d` is named to, itself or through a member of theirs."""
        keys = {one.key for one in self.accountable(d.entry.responsible)}
        return [slug for slug, members in self._groups.items() if keys & members]

    def _group_members(self, ordered) -> dict[str, set[str]]:
        from ..people import GroupEntry

        out = {}
        for one, _ds in ordered:
            if isinstance(one.entry, GroupEntry):
                members = {one.key}
                for member in one.entry.members:
                    members.update(x.key for x in self.accountable((member.name,)))
                out[self.slug_by_key[one.key]] = members
        return out


@dataclass(frozen=True)
class DueRow:
    decision: Decision
    bucket: str
    series: str
    executors: tuple[tuple[str, str | None], ...]  # (name, slug)
    groups: tuple[str, ...]  # slugs


def due_rows(due: list[Decision], today: date, people: People) -> list[DueRow]:
    """The decisions of due.html in `protokol due`'s order, each with its section, series, executors and groups."""
    return [DueRow(d, bucket(d, today), series_name(d.meeting.title), tuple(people.executors(d)),
                   tuple(people.groups_of(d))) for d in due]


@dataclass(frozen=True)
class YearRows:
    year: int
    series: tuple[tuple[str, tuple[ProtocolRow, ...]], ...]


def protocol_index(rows: Iterable[ProtocolRow]) -> list[YearRows]:
    """index.html: the protocols (rows in `protokol list`'s order) by year (latest first), then series (by title),
    then date."""
    by_year: dict[int, dict[str, list[ProtocolRow]]] = {}
    titles: dict[str, str] = {}
    for row in rows:
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
