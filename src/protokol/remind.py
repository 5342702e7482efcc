"""What `protokol remind` tells each executor: the open decisions they owe, overdue or due within the window, per
recipient with an address, and the executors nobody can be written to. Pure: the decisions (`selection.select`),
the people directory and the sent-log's entries of the day in, a `Plan` out; no clock, no mail.

An executor is matched as written in a decision through the directory (people.yaml): a person's `email:`; a group's
own `email:`, else each member's; a body with a person in brackets («Управление образования (Белова И.Г.)») is that
person. Co-executors each receive the decision. The sent-log makes a run idempotent per day: a (decision, executor)
pair recorded today is not sent again unless forced.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date

from .names import name_key
from .status import Decision


@dataclass(frozen=True)
class Recipient:
    """Who an executor as written stands for: a person or a group with its own address, or one without any."""

    name: str
    address: str | None
    via: str | None = field(default=None, compare=False)  # the group without an address of its own it belongs to


@dataclass(frozen=True)
class Reminder:
    """One message: a recipient and the decisions they owe, overdue first."""

    name: str
    address: str
    overdue: tuple[Decision, ...]
    upcoming: tuple[Decision, ...]

    @property
    def decisions(self) -> tuple[Decision, ...]:
        return self.overdue + self.upcoming


@dataclass(frozen=True)
class Unaddressed:
    """An executor with decisions to be reminded of and no address to write to (the summary lists them)."""

    name: str
    decisions: tuple[Decision, ...]


@dataclass(frozen=True)
class Plan:
    reminders: tuple[Reminder, ...] = ()
    unaddressed: tuple[Unaddressed, ...] = ()
    already: int = 0  # (decision, executor) pairs left out because the sent-log has them for today

    @property
    def empty(self) -> bool:
        return not self.reminders and not self.unaddressed


Recipients = Callable[[tuple[str, ...]], list[Recipient]]


def recipients_in(directory) -> Recipients:
    """Who the executors of a decision, as written, are to be written to, by the people directory: the one place
    that turns people.accountable (the matching the reports count by) into addresses. A person: their `email:`; a
    group: its own `email:`, else each member's; an executor the directory does not know: no address."""
    from .people import Entry, GroupEntry, accountable

    def of(responsible: tuple[str, ...]) -> list[Recipient]:
        out: list[Recipient] = []
        for one in accountable(responsible, directory):
            entry = one.entry
            if isinstance(entry, GroupEntry) and not entry.email and entry.members:
                out += [Recipient(m.name, m.email, entry.name) if isinstance(m, Entry) else Recipient(m, None, entry.name)
                        for m in directory.members(entry)]
            else:
                out.append(Recipient(one.name, entry.email if entry is not None else None))
        return list(dict.fromkeys(out))  # a person named and in a named group: once

    return of


def plan(decisions: Iterable[Decision], recipients: Recipients, today: date, sent: frozenset = frozenset(),
         only: Iterable[str] = ()) -> Plan:
    """Per recipient, the decisions of `decisions` they owe as of `today` (those due before it count as overdue).
    `sent`: (decision id, recipient name) pairs recorded in the sent-log today, left out. `only`: names (or
    addresses) the run is limited to, a group standing for its members; empty: everyone."""
    wanted = {name_key(n) for n in only}
    owed: dict[tuple[str, str | None], list[Decision]] = {}
    already = 0
    for d in decisions:
        for r in recipients(d.entry.responsible):
            if wanted and not _chosen(r, wanted):
                continue
            if (d.id, r.name) in sent:
                already += 1
                continue
            owed.setdefault((r.name, r.address), []).append(d)
    reminders, unaddressed = [], []
    for (name, address), items in sorted(owed.items(), key=lambda kv: (name_key(kv[0][0]), kv[0][1] or "")):
        if address is None:
            unaddressed.append(Unaddressed(name, tuple(items)))
        else:
            late = tuple(d for d in items if _late(d, today))
            reminders.append(Reminder(name, address, late, tuple(d for d in items if not _late(d, today))))
    return Plan(tuple(reminders), tuple(unaddressed), already)


def _late(d: Decision, today: date) -> bool:
    return d.due is not None and d.due < today


def _chosen(r: Recipient, wanted: set[str]) -> bool:
    return any(name_key(x) in wanted for x in (r.name, r.address or "", r.via or ""))


def unknown_names(names: Iterable[str], decisions: Iterable[Decision], recipients: Recipients, known: Callable[[str], bool]) -> list[str]:
    """The `--to` names that are neither in the directory (`known`) nor a recipient of any of `decisions`."""
    found = {name_key(x) for d in decisions for r in recipients(d.entry.responsible) for x in (r.name, r.address or "")}
    return [n for n in names if not known(n) and name_key(n) not in found]
