"""What `list`, `show` and `people` report, as plain records: pure functions of loaded protocols, the settings and
an explicit `today`. The CLI prints them; the coming website and reports print the same records."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from . import model as m
from .carryover import decision_index
from .selection import Filter, is_tracked, select
from .series import number_value
from .status import Decision


def decision_statuses(protocols: Iterable[m.Protocol], settings, today: date) -> dict[str, Decision]:
    """Every decision item (drafts' too) as `protokol due --all` evaluates it as of `today`: id -> Decision.
    Status and due date follow the rules of `due` (control marks, later protocols' references, recurrence)."""
    index = decision_index(protocols, settings.school_year(), settings.extra_days(),
                           settings.recurring_untracked == "never_overdue")
    return {d.id: d for d in select(index, Filter(all=True), today)}


def open_decision_ids(statuses: dict[str, Decision]) -> set[str]:
    """The ids of decisions that are open and are something to execute (selection.is_tracked)."""
    return {d.id for d in statuses.values() if d.status == "open" and is_tracked(d.entry)}


# --- list ------------------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class ProtocolRow:
    id: str
    path: str
    date: date
    number: str | None
    title: str
    kind: str
    status: str
    signed: m.Signing | None
    open_decisions: int
    decisions: int

    def as_json(self) -> dict:
        """The row of `protokol list --format json` (a documented contract: docs/archive.md)."""
        return {
            "id": self.id, "path": self.path, "date": self.date.isoformat(), "number": self.number,
            "title": self.title, "kind": self.kind, "status": self.status,
            "signed": {"by": self.signed.by, "date": self.signed.date.isoformat()} if self.signed else None,
            "decisions": {"open": self.open_decisions, "total": self.decisions},
        }


def protocol_rows(protocols: Iterable[m.Protocol], statuses: dict[str, Decision],
                  year: int | None = None) -> list[ProtocolRow]:
    """The protocols by meeting date and number, each with its open and total decision items."""
    opened = open_counts(statuses)
    return sort_rows(protocol_row(p, opened) for p in protocols if year is None or p.date.year == year)


def open_counts(statuses: dict[str, Decision]) -> dict[str, int]:
    """Protocol id -> how many of its decisions are open (open_decision_ids)."""
    opened: dict[str, int] = {}
    for decision_id in open_decision_ids(statuses):
        pid = statuses[decision_id].meeting.id
        opened[pid] = opened.get(pid, 0) + 1
    return opened


def protocol_row(p: m.Protocol, opened: dict[str, int]) -> ProtocolRow:
    """One protocol's row of `list` (the site makes them one protocol at a time, never holding all protocols)."""
    leaves = sum(1 for ref in m.walk_decisions(p) if ref.is_leaf)
    return ProtocolRow(p.id, p.path, p.date, p.number, p.title, p.kind, p.status, p.signed, opened.get(p.id, 0),
                       leaves)


def sort_rows(rows: Iterable[ProtocolRow]) -> list[ProtocolRow]:
    """By meeting date and number, as `list` prints them."""
    return sorted(rows, key=lambda r: (r.date, number_value(r.number) or 0, r.id))


# --- show ------------------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class DecisionLine:
    """One decision of a protocol as `show` lists it. `state` is None for what is not tracked (a lead line,
    «принять к сведению»), else open, overdue, done or cancelled."""
    ref: m.DecisionRef
    depth: int
    state: str | None
    due: date | None


@dataclass(frozen=True)
class ItemView:
    item: m.AgendaItem
    decisions: tuple[DecisionLine, ...]


@dataclass(frozen=True)
class ProtocolView:
    protocol: m.Protocol
    items: tuple[ItemView, ...]
    counts: dict[str, int] = field(default_factory=dict)  # open, overdue, done, cancelled


def _state(found: Decision | None) -> str | None:
    if found is None or not is_tracked(found.entry):
        return None
    if found.status in ("done", "cancelled"):
        return found.status
    return "overdue" if found.overdue else "open"


def protocol_view(p: m.Protocol, statuses: dict[str, Decision]) -> ProtocolView:
    """A protocol with each decision's state as of the day `statuses` were evaluated, and the counts of each state."""
    counts = {"open": 0, "overdue": 0, "done": 0, "cancelled": 0}
    children: dict[str, list[DecisionLine]] = {}
    for ref in m.walk_decisions(p):
        found = statuses.get(ref.id)
        state = _state(found)
        if state is not None:
            counts[state] += 1
        line = DecisionLine(ref, ref.decision.key.count("."), state, found.due if state is not None else None)
        children.setdefault(ref.item.key, []).append(line)
    items = tuple(ItemView(item, tuple(children.get(item.key, ()))) for item in p.agenda)
    return ProtocolView(p, items, counts)


# --- people ----------------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class GroupRow:
    """A group of executors of people.yaml, as `protokol people` lists it after the persons."""

    name: str
    members: tuple[str, ...]  # the directory's spelling of each member, or the name as written where it knows none
    email: str | None
    open_decisions: frozenset[str]  # the open decisions naming the group as an executor


def group_rows(protocols: Iterable[m.Protocol], directory, open_ids: set[str]) -> list[GroupRow]:
    """Every group of the directory (people.Directory), in its order, with its members, its address and the open
    decisions it answers for as `report discipline` and `remind` count them (people.accountable)."""
    from .people import GroupEntry, accountable_by

    who = accountable_by(directory)
    named: dict[GroupEntry, set[str]] = {}
    for p in protocols:
        for ref in m.walk_decisions(p):
            if ref.id in open_ids and ref.responsible:
                for one in who(ref.responsible):
                    if isinstance(one.entry, GroupEntry):
                        named.setdefault(one.entry, set()).add(ref.id)
    return [GroupRow(g.name, tuple(x if isinstance(x, str) else x.name for x in directory.members(g)), g.email,
                     frozenset(named.get(g, ()))) for g in directory.groups]
