"""The carry-over list of `protokol new`: the earlier decisions still open and due by the meeting, per series (the
meetings of one series review their own decisions), while what closed a decision is read from the whole archive: an
`acts_on` in another series' protocol closes it all the same. Which decisions are open and when they fall due is
`protokol due`'s business (status.py, selection.py): the list asks it. No clock: days come in as parameters."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from . import model as m
from .deadlines import SchoolYear, find_deadline_in_text
from .selection import due_by
from .series import in_series
from .status import Index, build_index

CARRY_OVER_TITLE = "О ходе выполнения решений предыдущих совещаний"
_NO_EXTRA_DAYS: tuple[frozenset, frozenset] = (frozenset(), frozenset())


def decision_index(protocols: Iterable[m.Protocol], school_year: SchoolYear | None = None,
                   extra_days: tuple[frozenset, frozenset] = _NO_EXTRA_DAYS, never_overdue: bool = False) -> Index:
    """The decisions of loaded protocols as `protokol due` sees them (status.Index), deadlines read with the
    archive's school year and extra holidays and workdays (settings.extra_days); `never_overdue`: the setting
    `recurring_untracked: never_overdue`."""
    holidays, workdays = extra_days
    index = build_index(protocols, (), school_year, holidays, workdays)
    index.never_overdue = never_overdue
    return index


@dataclass(frozen=True)
class Pending:
    ref: m.DecisionRef
    due: date


def carry_over(protocols: Iterable[m.Protocol], meeting: date, school_year: SchoolYear | None = None,
               extra_days: tuple[frozenset, frozenset] = _NO_EXTRA_DAYS, series: str | None = None,
               never_overdue: bool = False) -> list[Pending]:
    """Decisions of earlier meetings still open and due by `meeting`, by due date: selection.due_by, the rules of
    `protokol due` with the meeting day as today. `series` (a title) keeps those of the protocols of that series
    (in_series, as the numbering); None keeps every series. Either way the status of each decision comes from all of
    `protocols`: a later protocol of another series that closed or extended it counts."""
    protocols = list(protocols)
    refs: dict[str, m.DecisionRef] = {}
    for p in protocols:
        for ref in m.walk_decisions(p):
            refs.setdefault(ref.id, ref)  # a duplicate id: the first file wins, as in status.Index
    found = due_by(decision_index(protocols, school_year, extra_days, never_overdue), meeting)
    pending = [Pending(refs[d.id], d.due) for d in found if d.id in refs and d.due is not None]
    return pending if series is None else split_by_series(pending, series)[0]


def split_by_series(pending: Iterable[Pending], series: str | None) -> tuple[list[Pending], list[Pending]]:
    """`pending` parted into the decisions of protocols of the series of `series` (a title) and the rest, each in
    its order; None: all of them are in, none is left."""
    inside: list[Pending] = []
    outside: list[Pending] = []
    for x in pending:
        (inside if series is None or in_series(x.ref.protocol, series) else outside).append(x)
    return inside, outside


def shorten(text: str, limit: int = 160) -> str:
    """One line of at most `limit` characters, cut with «…»."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def carry_over_text(pending: Pending) -> str:
    """«Пункт 2.1 протокола № 8 от 27.08.2023 «…» снять с контроля.»: the default the meeting edits to «продлить до …».
    A decision of a protocol encoded from paper (`original: paper`) gets where it stands on that paper beside its id
    («Пункт 2.2.1 (п. 2, 1-й подпункт) …»): the id's number is printed nowhere there."""
    from .rudates import format_date
    from .schema import paper_positions

    p, d = pending.ref.protocol, pending.ref.decision
    number = f" № {p.number}" if p.number else ""
    paper = paper_positions(p).get(d.key) if p.original == "paper" else None
    text = f"Пункт {d.key}{f' ({paper})' if paper else ''} протокола{number} от {format_date(p.date, 'numeric')}"
    quote = shorten(d.text)
    if not find_deadline_in_text(quote):  # a deadline phrase in this text would make `check` ask for a `deadline:`
        text += f" «{quote}»"
    return text + " снять с контроля."
