"""The rules of `protokol due`: a decision's effective status and due date as of `today`.

`evaluate` applies control marks and the references of later protocols (acts_on) in date order and works out one
decision's effective status and due date: it is the definition of the rules below. `resolve` weighs the references of
the whole archive into the summary of every item (index.Resolution), which is what `select` (selection.py) filters
on; the summary only has to be right about what it excludes: items acted on by references and open recurring items
are always candidates, evaluated one by one. Pure functions of an archive's index and `today`.

The rules (docs/due.md):
- events on a decision are its own control marks and the references of later, final protocols; control marks and
  references on a decision with items apply to every item; the last event by date decides the status (on the same
  day the file's own mark wins, being the more specific record); a mark with no date counts from the meeting day;
- the effective due date is the last extension's `to` (by the day it was decided), else the explicit `due:`, else
  the deadline's date; a recurring decision is due on its current occurrence: the earliest one not closed, counting
  from the first occurrence after the meeting (recurrence.py: an occurrence begins the day after the previous one
  falls due), so a missed occurrence is overdue like any other decision. With the setting `recurring_untracked:
  never_overdue` (archives imported with years of unmarked history) a standing order none of whose occurrences was
  ever closed is due on the next occurrence on or after today and never overdue; once one is closed (or closed and
  reopened: `history`), occurrences count from the earliest such one;
- references from draft protocols do not count (the meeting has not decided them yet); a reference acting on an
  unknown decision or on a decision of a later meeting is ignored (`check` reports it).
"""

from __future__ import annotations

from array import array
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING, NamedTuple

from .index import (
    KINDS,
    MARKED,
    RANK,
    RECURRING,
    ROW,
    STATUS_CODE,
    UNSURE,
    Entry,
    FileIndex,
    Marks,
    Meeting,
    Ref,
    Resolution,
    day_of,
    index_protocol,
    ordinal,
)
from .problems import ERROR, Problem
from .rowparts import arrange

if TYPE_CHECKING:
    from . import model as m

ACTION_STATUS = {"done": "done", "cancel": "cancelled", "reopen": "open"}


@dataclass(frozen=True)
class Occurrence:
    """One occurrence of a recurring decision: the day it falls due, the day it was reported (None: not closed, or
    closed in the older `closed:` form that kept no date) and the report. `closed` tells the two None apart."""

    due: date
    done: date | None = None
    report: str | None = None
    closed: bool = False

    def __post_init__(self):
        if self.done is not None and not self.closed:
            object.__setattr__(self, "closed", True)


@dataclass(frozen=True)
class Decision:
    """A decision as of `today`: the entry, its meeting, and what control and references made of it."""

    entry: Entry
    meeting: Meeting
    status: str  # open | done | cancelled
    due: date | None  # effective: extended, or the current occurrence of a recurring decision
    status_date: date | None = None  # when it was done, cancelled or reopened
    status_by: str | None = None  # the id of the later decision that changed the status, if one did
    extensions: tuple[tuple[date, str | None, date | None, str | None], ...] = ()  # (to, reason, on, by), in order
    closed: tuple[date, ...] = ()  # closed occurrences of a recurring decision
    report: str | None = None
    reason: str | None = None
    controller: str | None = None
    overdue: bool = False
    days_overdue: int = 0
    # earlier closings undone by reopening, its own and its lead lines', by the day of reopening:
    # (status, date, reason, report, reopened, occurrence), as in Marks.history
    history: tuple[tuple[str, date | None, str | None, str | None, date | None, date | None], ...] = ()
    # closed occurrences of a recurring decision, each (occurrence, date of the report, report), by occurrence
    records: tuple[tuple[date, date | None, str | None], ...] = ()
    tracked_from: date | None = None  # the first occurrence under control; None: a standing order never overdue

    @property
    def id(self) -> str:
        return self.entry.id

    @property
    def occurrences(self) -> tuple[Occurrence, ...]:
        """The occurrences of a recurring decision from the first under control up to the current one (the one it is
        due on; for a decision done or cancelled as a whole, the last one due by then), and any closed later: each
        with the day and text of its report when closed. () for a decision that does not recur."""
        if self.entry.kind != "recurring" or not self.entry.rule or self.due is None:
            return ()
        from .recurrence import occurrences_until

        first = self.tracked_from or self.due
        until = self.due
        if self.status != "open" and self.status_date is not None:
            until = min(until, self.status_date)
        if self.records:
            until = max(until, self.records[-1][0])
        by_day = {r[0]: r for r in self.records}
        dues = [x for x in occurrences_until(self.entry.rule, first, until) if x <= until or x in by_day]
        found = [Occurrence(x, *by_day[x][1:], closed=True) if x in by_day else Occurrence(x) for x in dues]
        found += [Occurrence(x, *r[1:], closed=True) for x, r in by_day.items() if x < first]  # closed by hand earlier
        return tuple(sorted(found, key=lambda o: o.due))


class Event(NamedTuple):
    day: date
    local: int  # 1 for the file's own control marks: they win over a reference of the same day
    status: str | None  # open | done | cancelled, or None for an extension only
    extension: tuple | None  # (to, reason, on, by)
    by: str | None


def evaluate(entry: Entry, meeting: Meeting, refs: dict, today: date, occurrences: dict | None = None,
             never_overdue: bool = False) -> Decision:
    """The status and due date of one decision as of `today` (refs: from reference_targets). `occurrences`, when
    given, remembers next occurrences of recurring deadlines: (rule, start ordinal) -> due ordinal. `never_overdue`:
    the setting `recurring_untracked: never_overdue` (see the rules above)."""
    due = entry.due
    own = entry.marks
    status, status_date, status_by, extensions, closed, history, records = "open", None, None, (), (), (), ()
    report = reason = controller = None
    if own is not None or entry.inherited or refs:
        found = []
        for ev in _events(entry, meeting, refs):
            if ev.extension is not None:
                found.append(ev.extension)
            else:
                status, status_date, status_by = ev.status, ev.day, ev.by
        extensions = tuple(found)
        records = _records(own, entry.inherited)
        closed = tuple(r[0] for r in records)
        if (own is not None and own.history) or any(mk.history for mk in entry.inherited):
            history = tuple(sorted((h for mk in (*reversed(entry.inherited), own) if mk for h in mk.history),
                                   key=lambda h: h[4] or h[1] or meeting.date))
        first = next((mk for mk in (own, *entry.inherited) if mk is not None), None)
        report = own.report if own else None
        reason = own.reason if own else None
        controller = first.controller if first else None
        if extensions and entry.kind != "recurring":
            due = extensions[-1][0]
    tracked_from = None
    if entry.kind == "recurring" and entry.rule:
        due, tracked_from = _current_occurrence(entry.rule, meeting.date, closed, history, today, occurrences,
                                                never_overdue)
    overdue = status == "open" and due is not None and due < today
    return Decision(entry, meeting, status, due, status_date, status_by, extensions, closed, report, reason, controller,
                    overdue, (today - due).days if overdue else 0, history, records, tracked_from)


def _records(own: Marks | None, inherited: tuple[Marks, ...]) -> tuple[tuple[date, date | None, str | None], ...]:
    """Every closed occurrence as (occurrence, date of the report, report), by occurrence. The new form keeps each
    record; the older `closed:` form kept only dates and one `report`, that of the last `done`: it goes with the
    latest of those dates (with the marks' `date` when they say the decision is done), the others have neither."""
    found: dict[date, tuple] = {}
    for mk in (*reversed(inherited), own):  # the nearest marks win
        if mk is None:
            continue
        if mk.closed:
            last = max(mk.closed)
            for day in mk.closed:
                found[day] = ((day, mk.date if mk.status == "done" else None, mk.report) if day == last
                              else (day, None, None))
        for rec in mk.occurrences:
            found[rec[0]] = rec
    return tuple(found[d] for d in sorted(found))


def _next(rule: str, start: date, occurrences: dict | None) -> date:
    known = occurrences.get((rule, start.toordinal())) if occurrences is not None else None
    if known is not None:
        return date.fromordinal(known)
    from .deadlines import next_occurrence  # (its module compiles the whole grammar: 50 ms)

    due = next_occurrence(rule, start)
    if occurrences is not None:
        occurrences[(rule, start.toordinal())] = due.toordinal()
    return due


def _current_occurrence(rule: str, meeting: date, closed: tuple[date, ...], history: tuple, today: date,
                        occurrences: dict | None, never_overdue: bool) -> tuple[date, date | None]:
    """(the earliest occurrence not closed, the first occurrence under control) of a recurring decision."""
    if never_overdue:
        # a closing undone by reopening: `occurrence`, or in the older form its `date`, names the occurrence
        reopened = [h[5] or h[1] for h in history if h[0] == "done" and (h[5] or h[1]) is not None]
        marked = [*closed, *reopened]
        if not marked:
            return _next(rule, max(meeting, today), occurrences), None
        start = max(meeting, min(marked))
    else:
        start = meeting
    first = due = _next(rule, start, occurrences)
    if closed:
        done = set(closed)
        while due in done:
            due = _next(rule, due + timedelta(days=1), occurrences)
    return due, first


def _events(entry: Entry, meeting: Meeting, refs: dict) -> list[Event]:
    events: list[Event] = []
    for marks in (entry.marks, *entry.inherited):
        if marks is None:
            continue
        if marks.status != "open" or marks.date is not None:
            events.append(Event(marks.date or meeting.date, 1, marks.status, None, None))
        for ext in marks.extensions:
            events.append(Event(ext[2] or meeting.date, 1, None, ext, ext[3]))
    if refs:
        for key in (entry.key, *entry.ancestors):
            for ref in refs.get(f"{entry.protocol}/{key}", ()):
                if ref.action == "extend":
                    if ref.to is not None:
                        events.append(Event(ref.day, 0, None, (ref.to, ref.text, ref.day, ref.by), ref.by))
                else:
                    events.append(Event(ref.day, 0, ACTION_STATUS[ref.action], None, ref.by))
    events.sort(key=lambda ev: (ev.day, ev.local))
    return events


def reference_targets(index: Index) -> tuple[dict[str, list[Ref]], dict[str, dict[int, list[Ref]]]]:
    """The valid references of final protocols: decision id -> Refs acting on it, and protocol id -> the items
    they reach (directly or through a lead line) -> those Refs."""
    refs: dict[str, list[Ref]] = {}
    reached: dict[str, dict[int, list[Ref]]] = {}
    for i in range(len(index.by_id)):
        acting = index.file(i)
        if not acting.acts or acting.meeting.draft:
            continue
        for key, text, target_ref, action, to, _line, _col in acting.acts:
            target_id, _sep, target_key = target_ref.partition("/")
            target = index.by_protocol(target_id)
            if target is None or target.meeting.date > acting.meeting.date:
                continue
            pos = target.positions().get(target_key)
            if pos is None:
                continue
            ref = Ref(acting.meeting.date, f"{acting.meeting.id}/{key}", text, action, day_of(to))
            refs.setdefault(target_ref, []).append(ref)
            items = reached.setdefault(target_id, {})
            for leaf in target.covered(pos):
                items.setdefault(leaf, []).append(ref)
    return refs, reached


def resolve(index: Index) -> Resolution:
    """Weigh the references of the whole archive into every item's summary (see Resolution)."""
    refs, reached = reference_targets(index)
    files, positions, due = array("i"), array("i"), array("i")
    opened = tuple(array("i") for _kind in KINDS)
    kinds, statuses, hits, marked, ranks = bytearray(), bytearray(), bytearray(), bytearray(), array("i")
    for i in range(len(index.by_id)):
        f = index.file(i)
        hit = reached.get(f.meeting.id, {})
        rows = memoryview(f.leaves).cast("i")
        for r in range(0, len(rows), ROW):
            pos, kind, st, day = rows[r], rows[r + 1], rows[r + 2], rows[r + 3]
            acting = hit.get(pos)
            if acting is not None:
                weighed = _with_refs(rows[r:r + ROW], acting)
                st, day = weighed if weighed is not None else (UNSURE, day)
            if st in (0, UNSURE):
                opened[kind].append(len(positions))
            files.append(i)
            positions.append(pos)
            kinds.append(kind)
            statuses.append(st)
            due.append(day if kind != RECURRING else 0)
            hits.append(acting is not None)
            marked.append(rows[r + MARKED])
            ranks.append(rows[r + RANK])
    meetings = [(index.file(i).meeting.date, index.file(i).meeting.id) for i in range(len(index.by_id))]
    order = arrange(meetings, files, ranks, kinds, statuses, due, hits, marked, (RECURRING, UNSURE))
    problems = [(i, p.line, p.col, p.severity, p.code, p.message, p.hint) for i, p in _reference_problems(index)]
    problems += [(i, line, col, ERROR, "deadline-unknown", message, hint)
                 for i in range(len(index.by_id)) for line, col, message, hint in index.file(i).errors]
    refs_state = {t: [(r.day.toordinal(), r.by, r.text, r.action, ordinal(r.to)) for r in found] for t, found in refs.items()}
    return Resolution((refs_state, files, positions, bytes(kinds), bytes(statuses), due, bytes(hits), opened, problems,
                       *order))


def _with_refs(row, acting: list[Ref]) -> tuple[int, int] | None:
    """Status and due date (ordinal) of a summary row once references are weighed in, as `evaluate` does: the
    latest status event wins (the file's own mark on a tie), and so does the latest extension. None when two
    references of one day compete (then only `evaluate` knows their order)."""
    status, due = row[2], row[3]
    status_at = (row[4], 1) if row[4] else (0, -1)
    ext_at, ext_to = ((row[5], 1), row[6]) if row[5] else ((0, -1), 0)
    for ref in acting:
        day = ref.day.toordinal()
        if ref.action == "extend":
            if ref.to is None:
                continue
            if (day, 0) == ext_at:
                return None
            if (day, 0) > ext_at:
                ext_at, ext_to = (day, 0), ref.to.toordinal()
        else:
            if (day, 0) == status_at:
                return None
            if (day, 0) > status_at:
                status_at, status = (day, 0), STATUS_CODE[ACTION_STATUS[ref.action]]
    if ext_to:
        due = ext_to
    return status, due


def _reference_problems(index: Index) -> list[tuple[int, Problem]]:
    """References to decisions that do not exist, or that were taken at a later meeting than the acting one."""
    from .checks import reference_problem

    found = []
    for i in range(len(index.by_id)):
        f = index.file(i)
        for key, _text, target_ref, action, to, line, col in f.acts:
            target_id, _sep, target_key = target_ref.partition("/")
            target = index.by_protocol(target_id)
            exists = target is not None and target_key in target.positions()
            if exists:
                ids: Iterable[str] = ()
            elif target is not None:
                ids = [f"{target_id}/{k}" for k in target.positions()]
            else:
                ids = [f"{pid}/" for pid in index.by_id]
            problem = reference_problem(f.meeting.file, line, col, f"{f.meeting.id}/{key}", f.meeting.date,
                                        target_ref, target.meeting.date if exists else None,
                                        target.meeting.file if exists else None, ids, action, day_of(to))
            if problem is not None:
                found.append((i, problem))
    return found


def marked_row(e: Entry, meeting: Meeting) -> tuple[int, ...]:
    """The summary (index.ROW, after position and kind) of an item with control marks, as far as its file says (no
    references, no today): exact for all but references and recurrence."""
    d = evaluate(e, meeting, {}, meeting.date)
    last = d.extensions[-1] if d.extensions else None
    return (STATUS_CODE[d.status], ordinal(d.due) if e.kind != "recurring" else 0, ordinal(d.status_date),
            ordinal(last[2] or meeting.date) if last else 0, ordinal(last[0]) if last else 0, ordinal(e.due))


class Index:
    """Every decision of an archive, ready for evaluation; `problems` are the loader's (broken files).

    Made from FileIndex objects, or (Index.lazy, by the cache) from the protocol ids and a function that makes the
    FileIndex of file i when it is first used: a warm `due` touches only the files of the decisions it lists."""

    def __init__(self, files: list[FileIndex], problems: list[Problem], count: int = 0,
                 resolution: Resolution | None = None):
        self._files: list[FileIndex | None] = []
        self.by_id: dict[str, int] = {}
        for f in files:
            if f.meeting.id in self.by_id:
                continue  # a duplicate id: `check` reports it; the first file wins
            self.by_id[f.meeting.id] = len(self._files)
            self._files.append(f)
        self.pids = list(self.by_id)
        self.drafts = bytes(bool(f.meeting.draft) for f in self._files)
        self._loader = None
        self.problems = problems
        self.count = count
        self._resolution = resolution
        self.occurrences: dict[tuple[str, int], int] = {}  # next occurrences worked out (the cache keeps them)
        self.never_overdue = False  # the setting `recurring_untracked: never_overdue` (evaluate)

    @classmethod
    def lazy(cls, pids: list[str], drafts: bytes, loader, problems: list[Problem], count: int,
             resolution: Resolution) -> Index:
        index = cls([], problems, count, resolution)
        index.pids, index.drafts, index._loader = pids, drafts, loader
        index.by_id = {pid: i for i, pid in enumerate(pids)}
        index._files = [None] * len(pids)
        return index

    def file(self, i: int) -> FileIndex:
        f = self._files[i]
        if f is None:
            f = self._files[i] = self._loader(i)
        return f

    def by_protocol(self, pid: str) -> FileIndex | None:
        i = self.by_id.get(pid)
        return self.file(i) if i is not None else None

    def display(self, i: int) -> str:
        return self.file(i).meeting.file

    def executors(self, i: int) -> tuple[str, ...]:
        return self.file(i).executors()

    @property
    def files(self) -> list[FileIndex]:
        return [self.file(i) for i in range(len(self._files))]

    @property
    def meetings(self) -> dict[str, Meeting]:
        return {pid: self.file(i).meeting for pid, i in self.by_id.items()}

    @property
    def entries(self) -> list[Entry]:
        """All entries (reads everything: for tests and small archives)."""
        return [e for f in self.files for e in f.entries()]

    @property
    def resolution(self) -> Resolution:
        if self._resolution is None:
            self._resolution = resolve(self)
        return self._resolution


def about_protocol(p: m.Protocol) -> tuple:
    """What `export` lists of a protocol beyond its Meeting, kept with its index so that a warm export reads no
    protocol file: (kind, organization, chair, secretary, signed by, signed on (ordinal, 0: not signed), the agenda as
    ((key, title), …)); plain values, as marshal stores them."""
    parts, signed = p.participants, p.signed
    return (p.kind, p.organization, parts.chair.name if parts.chair else None,
            parts.secretary.name if parts.secretary else None, signed.by if signed else None,
            signed.date.toordinal() if signed else 0, tuple((item.key, item.title) for item in p.agenda))


def index_file(p: m.Protocol, school_year=None, extra_holidays=frozenset(), extra_workdays=frozenset()) -> FileIndex:
    return FileIndex.build(*index_protocol(p, school_year, extra_holidays, extra_workdays), marked_row,
                           about_protocol(p))


def build_index(protocols: Iterable[m.Protocol], problems: Iterable[Problem] = (), school_year=None,
                extra_holidays=frozenset(), extra_workdays=frozenset()) -> Index:
    """An Index from loaded protocols (cache.py builds the same from its records)."""
    files = [index_file(p, school_year, extra_holidays, extra_workdays) for p in protocols]
    return Index(files, list(problems), len(files))


def iter_problems(index: Index) -> Iterator[Problem]:
    """What makes a `due` list incomplete or wrong: broken files, unknown deadlines, bad references."""
    yield from (p for p in index.problems if p.severity == ERROR)
    for i, line, col, severity, code, message, hint in index.resolution.problems:
        yield Problem(index.display(i), line, col, severity, code, message, hint)
