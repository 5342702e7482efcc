"""Decisions under control: what is open, done or cancelled, when it falls due, and the lists `protokol due` prints.

Pure functions of an archive and `today`. The work is split so that a cache can keep the expensive part:
- `index_protocol` turns one protocol into a Meeting and its Entries: every decision with its inherited deadline and
  executors, its deadline phrase already parsed, its own control marks and references. Nothing here depends on
  today, so entries are computed once per file version (cache.py keeps them).
- `evaluate` applies control marks and the references of later protocols (acts_on) in date order and works out one
  decision's effective status and due date as of `today`: it is the definition of the rules below.
- `select` filters, sorts and groups. It must not evaluate 100,000 decisions to print 50, so each file is kept as a
  FileIndex: a compact summary of its items (ints in a bytes array: status and due date as far as the file itself
  says, which is all there is for most of them) that `select` filters on, and the entries themselves pickled one by
  one, unpickled only for candidates. A candidate is then evaluated by `evaluate`, so the summary only has to be
  right about what it excludes: items acted on by references and open recurring items are always candidates.

The rules (docs/due.md):
- events on a decision are its own control marks and the references of later, final protocols; control marks and
  references on a decision with items apply to every item; the last event by date decides the status (on the same
  day the file's own mark wins, being the more specific record); a mark with no date counts from the meeting day;
- the effective due date is the last extension's `to` (by the day it was decided), else the explicit `due:`, else
  the deadline's date; a recurring decision is due on its current occurrence: the first one after the last closed
  occurrence, or, while no occurrence was ever closed, the next one on or after today (the deadline grammar's
  reading of «ежемесячно до 10 числа»: a standing order nobody tracks is never overdue; once occurrences are closed
  with `protokol done`, a missed one is); an occurrence closed and reopened (`history`: done, its `date` the
  occurrence) counts as tracked: with none closed now, the earliest reopened one is due;
- references from draft protocols do not count (the meeting has not decided them yet); a reference acting on an
  unknown decision or on a decision of a later meeting is ignored (`check` reports it).
"""

from __future__ import annotations

import re
from array import array
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from itertools import chain
from typing import TYPE_CHECKING, NamedTuple

from .i18n import _
from .problems import ERROR, Problem

if TYPE_CHECKING:
    from . import model as m

STATUSES = ("open", "done", "cancelled")
UNDATED_KINDS = ("ongoing", "as_needed")
# kinds of deadline an entry may have: deadlines.KINDS plus "unknown" (a phrase no rule reads and no `due:`)
KINDS = ("date", "recurring", "ongoing", "as_needed", "none", "unknown")
ACTION_STATUS = {"done": "done", "cancel": "cancelled", "reopen": "open"}
_KIND = {k: i for i, k in enumerate(KINDS)}
_STATUS = {s: i for i, s in enumerate(STATUSES)}
_RECURRING = _KIND["recurring"]
_UNSURE = 3  # a status in Resolution: references of one day compete, only `evaluate` can tell
# ints per item in FileIndex.leaves: entry position, kind, status and due date (ordinal, 0: none) as the file's own
# marks make them, then what a reference has to be weighed against: the day of the last status mark, the day and
# date of the last extension, the due date as written
ROW = 8


class Marks(NamedTuple):
    """A decision's own control marks (model.Control) as plain values."""

    status: str = "open"
    date: date | None = None
    report: str | None = None
    reason: str | None = None
    controller: str | None = None
    extensions: tuple[tuple[date, str | None, date | None, str | None], ...] = ()  # (to, reason, on, by)
    closed: tuple[date, ...] = ()
    # earlier closings undone by reopening: (status, date, reason, report, reopened); kept, never evaluated
    history: tuple[tuple[str, date | None, str | None, str | None, date | None], ...] = ()


class Act(NamedTuple):
    """A reference of this decision to an earlier one (model.Reference)."""

    target: str  # the earlier decision's id
    action: str  # done | cancel | extend | reopen
    to: date | None
    line: int
    col: int


class Meeting(NamedTuple):
    """What the lists need of a protocol."""

    id: str
    file: str
    date: date
    number: str | None
    title: str
    draft: bool


class Entry(NamedTuple):
    """One decision as `due` sees it before today is known: deadline parsed, inheritance resolved."""

    protocol: str  # the protocol's id
    key: str  # the decision's number in its id
    ancestors: tuple[str, ...]  # keys of the decisions it is an item of, nearest first
    line: int
    col: int
    text: str
    deadline: str | None  # as written (own or inherited)
    kind: str  # one of KINDS
    due: date | None  # for kind "date": the day; None otherwise
    rule: str | None  # for kind "recurring": the rule (deadlines.next_occurrence)
    responsible: tuple[str, ...]
    marks: Marks | None  # own control marks
    inherited: tuple[Marks, ...]  # control marks of its ancestors, nearest first (only those that have some)
    acts_on: tuple[Act, ...]
    is_leaf: bool
    error: tuple[int, int, str, str] | None  # (line, col, message, hint) when the deadline phrase fits no rule

    @property
    def id(self) -> str:
        return f"{self.protocol}/{self.key}"


class Ref(NamedTuple):
    """A valid reference as evaluation uses it: who acted, when, and what it did."""

    day: date  # the acting meeting's date
    by: str  # the acting decision's id
    text: str  # the acting decision's text (the reason of an extension)
    action: str
    to: date | None


# ------------------------------------------------------------------------------------------------- building entries

_NO_DEADLINE = ("none", None, None, None)  # (kind, due, rule, error)
_new_tuple = tuple.__new__

def marks_of(control: m.Control | None) -> Marks | None:
    if control is None:
        return None
    return Marks(control.status, control.date, control.report, control.reason, control.controller,
                 tuple((e.to, e.reason, e.on, e.by) for e in control.extensions), tuple(control.closed),
                 tuple((h.status, h.date, h.reason, h.report, h.reopened) for h in control.history))


def control_of(marks: Marks) -> m.Control:
    from . import model as m

    return m.Control(status=marks.status, date=marks.date, report=marks.report, reason=marks.reason,
                     controller=marks.controller,
                     extensions=tuple(m.Extension(to=t, reason=r, on=o, by=b) for t, r, o, b in marks.extensions),
                     closed=marks.closed,
                     history=tuple(m.Closing(status=st, date=d, reason=r, report=rp, reopened=ro)
                                   for st, d, r, rp, ro in marks.history))


def index_protocol(p: m.Protocol, school_year=None, extra_holidays=frozenset(), extra_workdays=frozenset()
                   ) -> tuple[Meeting, list[Entry]]:
    """A protocol's Meeting and the Entries of all its decisions (items and lead lines alike), in file order."""
    from .deadlines import DeadlineError, SchoolYear, parse_deadline

    school_year = school_year or SchoolYear()
    meeting = Meeting(p.id, p.path, p.date, p.number, p.title, p.status == "draft")
    entries: list[Entry] = []
    parsed: dict[int, tuple] = {}  # id(decision that owns the deadline) -> (kind, due, rule, error)

    def parse(owner: m.Decision, text: str | None, explicit: date | None):
        key = id(owner)
        if key in parsed:
            return parsed[key]
        kind, due, rule, error = "none", None, None, None
        if text is not None:
            try:
                dl = parse_deadline(text, p.date, p.date, school_year, extra_holidays, extra_workdays)
                kind, due, rule = dl.kind, (dl.due if dl.kind == "date" else None), dl.rule
            except DeadlineError as exc:
                kind = "unknown"
                if explicit is None:
                    pos = owner.field_pos.get("deadline", owner.pos)
                    examples = "; ".join(f"«{e}»" for e in exc.examples[:4])
                    error = (pos.line, pos.col, _("Unknown deadline '{text}': {reason}").format(text=text, reason=exc.message),
                             _("Write it in an accepted form, e.g. {examples}; or keep the text and add `due: YYYY-MM-DD`.").format(
                                 examples=examples))
        if explicit is not None:
            kind, due, rule = "date", explicit, None
        parsed[key] = (kind, due, rule, error)
        return parsed[key]

    def visit(decisions, parent_owner, parent_deadline, parent_due, parent_resp, ancestors, inherited):
        for d in decisions:
            if d.deadline is not None or d.due is not None:
                owner, deadline, due = d, d.deadline, d.due
            else:
                owner, deadline, due = parent_owner, parent_deadline, parent_due
            resp = d.responsible if d.responsible is not None else parent_resp
            kind, day, rule, error = parse(owner, deadline, due) if owner is not None else _NO_DEADLINE
            marks = marks_of(d.control) if d.control is not None else None
            acts = tuple([Act(r.decision, r.action, r.to, r.pos[0], r.pos[1]) for r in d.acts_on]) if d.acts_on else ()
            # tuple.__new__ makes the same Entry as Entry(...), without the keyword handling of its generated __new__
            entries.append(_new_tuple(Entry, (p.id, d.key, ancestors, d.pos[0], d.pos[1], d.text, deadline, kind, day,
                                              rule, resp if type(resp) is tuple else tuple(resp or ()), marks,
                                              inherited, acts, not d.items, error if owner is d else None)))
            if d.items:
                visit(d.items, owner, deadline, due, resp, (d.key, *ancestors),
                      (marks, *inherited) if marks is not None else inherited)

    for item in p.agenda:
        visit(item.decided, None, None, None, None, (), ())
    # visit refers to itself through its closure: drop that reference, or every protocol indexed would stay in
    # memory until a garbage collection (a cold `due` runs without one: cache.py)
    visit = None  # noqa: F841
    return meeting, entries


# ------------------------------------------------------------------------------------------------- the compact index

def _ord(day: date | None) -> int:
    return day.toordinal() if day is not None else 0


def _day(n: int) -> date | None:
    return date.fromordinal(n) if n else None


def _flat_marks(mk: Marks) -> tuple:
    return (mk.status, _ord(mk.date), mk.report, mk.reason, mk.controller,
            tuple((_ord(t), r, _ord(o), b) for t, r, o, b in mk.extensions), tuple(_ord(x) for x in mk.closed),
            tuple((st, _ord(d), r, rp, _ord(ro)) for st, d, r, rp, ro in mk.history))


def _flat(e: Entry) -> tuple:
    """An entry as marshal stores it: tuples, strings and ints only (dates as ordinals, no protocol id)."""
    (_protocol, key, ancestors, line, col, text, deadline, kind, due, rule, responsible, marks, inherited, acts,
     is_leaf, error) = e
    return (key, ancestors, line, col, text, deadline, kind, due.toordinal() if due is not None else 0, rule,
            responsible, _flat_marks(marks) if marks else None,
            tuple([_flat_marks(x) for x in inherited]) if inherited else (),
            tuple([(a.target, a.action, _ord(a.to), a.line, a.col) for a in acts]) if acts else (), is_leaf, error)


def _unflat(protocol: str, t: tuple) -> Entry:
    def marks(mk: tuple) -> Marks:
        return Marks(mk[0], _day(mk[1]), mk[2], mk[3], mk[4],
                     tuple((_day(to), r, _day(on), b) for to, r, on, b in mk[5]), tuple(_day(x) for x in mk[6]),
                     tuple((st, _day(d), r, rp, _day(ro)) for st, d, r, rp, ro in mk[7]))

    (key, ancestors, line, col, text, deadline, kind, due, rule, responsible, own, inherited, acts, is_leaf,
     error) = t
    return Entry(protocol, key, ancestors, line, col, text, deadline, kind, _day(due), rule, responsible,
                 marks(own) if own else None, tuple(marks(x) for x in inherited),
                 tuple(Act(tg, ac, _day(to), ln, cl) for tg, ac, to, ln, cl in acts), is_leaf,
                 tuple(error) if error else None)


class FileIndex:
    """One protocol file's decisions for the lists: a compact summary, and its entries read on demand.

    `state` (plain values, ints for dates, what marshal stores) is the meeting, where each entry starts in the
    segment, and `rest`, itself marshalled so that a warm `due` decodes it only for the files it needs to: every
    decision key, one per line; how many entries lie below each entry (entries are in depth-first order, so the
    items of entry i are the entries i+1 … i+size(i)); ROW ints per item (a decision without items, see ROW); the
    executors named, one per line; its references as (key, text, target, action, to, line, col); the deadline
    phrases that fit no rule. The `segment` holds the entries, each marshalled on its own; the cache keeps it in a
    file of its own and reads it only for the decisions listed.
    """

    __slots__ = ("meeting", "offsets", "_rest", "_segment", "_positions", "_entries")

    def __init__(self, state: tuple, segment, file: str = ""):
        (pid, _file, day, number, title, draft), self.offsets, self._rest = state
        self.meeting = Meeting(pid, file or _file, date.fromordinal(day), number, title, draft)
        self._segment = segment  # bytes, or an object whose read(pos, start, end) and whole(offsets) give them
        self._positions: dict[str, int] | None = None
        self._entries: dict[int, Entry] = {}

    @property
    def state(self) -> tuple:
        import marshal

        mt = self.meeting
        rest = self._rest if isinstance(self._rest, bytes) else marshal.dumps(self._rest)
        return (mt.id, mt.file, mt.date.toordinal(), mt.number, mt.title, mt.draft), self.offsets, rest

    def _part(self, i: int):
        if isinstance(self._rest, bytes):
            import marshal

            self._rest = marshal.loads(self._rest)
        return self._rest[i]

    keys = property(lambda self: self._part(0), doc="every decision key, one per line")
    sizes = property(lambda self: self._part(1), doc="how many entries lie below each entry (int32 array)")
    leaves = property(lambda self: self._part(2), doc="ROW ints per item")
    names = property(lambda self: self._part(3), doc="the executors named, one per line")
    acts = property(lambda self: self._part(4), doc="references: (key, text, target, action, to, line, col)")
    errors = property(lambda self: self._part(5), doc="(line, col, message, hint) of deadline phrases no rule reads")

    @property
    def segment(self) -> bytes:
        """All entries, marshalled (the cache's reader checks each entry's signature on the way)."""
        if not isinstance(self._segment, bytes):
            self._segment = self._segment.whole(memoryview(self.offsets).cast("i"))
        return self._segment

    def __reduce__(self):
        return (FileIndex, (self.state, self.segment))

    @classmethod
    def build(cls, meeting: Meeting, entries: list[Entry]) -> FileIndex:
        import marshal

        sizes = [0] * len(entries)
        positions: dict[str, int] = {}
        leaves = array("i")
        names: dict[str, None] = {}
        acts = []
        errors = []
        dumps = marshal.dumps
        chunks = []
        offsets = array("i", [0])
        end = 0
        for i, e in enumerate(entries):
            positions.setdefault(e.key, i)
            for key in e.ancestors:
                if key in positions:
                    sizes[positions[key]] += 1
            chunk = dumps(_flat(e))
            chunks.append(chunk)
            end += len(chunk)
            offsets.append(end)
            for name in e.responsible:
                names[name] = None
            if e.acts_on:
                acts.extend((e.key, e.text, a.target, a.action, _ord(a.to), a.line, a.col) for a in e.acts_on)
            if e.error is not None:
                errors.append(e.error)
            if e.is_leaf and e.marks is None and not e.inherited:  # no marks: open, due as written (most items)
                written = _ord(e.due)
                leaves.extend((i, _KIND[e.kind], 0, written if e.kind != "recurring" else 0, 0, 0, 0, written))
            elif e.is_leaf:
                # as far as the file says (no references, no today): exact for all but references and recurrence
                d = evaluate(e, meeting, {}, meeting.date)
                last = d.extensions[-1] if d.extensions else None
                leaves.extend((i, _KIND[e.kind], _STATUS[d.status], _ord(d.due) if e.kind != "recurring" else 0,
                               _ord(d.status_date), _ord(last[2] or meeting.date) if last else 0,
                               _ord(last[0]) if last else 0, _ord(e.due)))
        rest = ("\n".join(e.key for e in entries), array("i", sizes).tobytes(), leaves.tobytes(), "\n".join(names),
                tuple(acts), tuple(errors))
        state = ((meeting.id, meeting.file, meeting.date.toordinal(), meeting.number, meeting.title, meeting.draft),
                 offsets.tobytes(), rest)
        built = cls(state, b"".join(chunks))
        built._entries = dict(enumerate(entries))
        return built

    def with_file(self, file: str) -> FileIndex:
        """The same, its meeting's file named as the user sees it (relative to the current folder)."""
        if file != self.meeting.file:
            self.meeting = self.meeting._replace(file=file)
        return self

    def positions(self) -> dict[str, int]:
        if self._positions is None:
            self._positions = {}
            for i, k in enumerate(self.keys.split("\n") if self.keys else ()):
                self._positions.setdefault(k, i)
        return self._positions

    def entry(self, pos: int) -> Entry:
        found = self._entries.get(pos)
        if found is None:
            import marshal

            offsets = memoryview(self.offsets).cast("i")
            start, end = offsets[pos], offsets[pos + 1]
            seg = self._segment  # bytes, or the cache's reader of this file's entries
            flat = marshal.loads(seg[start:end] if isinstance(seg, bytes) else seg.read(pos, start, end))
            found = self._entries[pos] = _unflat(self.meeting.id, flat)
        return found

    def entries(self) -> list[Entry]:
        return [self.entry(i) for i in range(len(self.offsets) // 4 - 1)]

    def executors(self) -> tuple[str, ...]:
        return tuple(self.names.split("\n")) if self.names else ()

    def covered(self, pos: int) -> list[int]:
        """Positions of the leaves a mark or reference on entry `pos` applies to (itself, or all its items)."""
        sizes = memoryview(self.sizes).cast("i")
        return [i for i in range(pos, pos + sizes[pos] + 1) if sizes[i] == 0]


class Resolution:
    """Every item of the archive with the references weighed in: what `select` filters on. Independent of today,
    so the cache keeps it with the index and a warm `due` reads it instead of working it out again.

    Per item (arrays, one place per item): its file (position in Index.files), its entry position, kind, status
    (3: two references of one day compete and only `evaluate` can tell) and due date (ordinal; 0 for none and for
    recurring decisions), whether a reference reaches it. `open` lists the items that may be open, one array per
    kind of deadline (most open items are «постоянно» or have none, and the default list skips those kinds).
    """

    __slots__ = ("refs", "file", "pos", "kind", "status", "due", "reached", "open", "problems")

    def __init__(self, state: tuple):
        refs, self.file, self.pos, self.kind, self.status, self.due, self.reached, self.open, self.problems = state
        self.refs = _Refs(refs)

    @property
    def state(self) -> tuple:
        return (self.refs.raw, self.file, self.pos, self.kind, self.status, self.due, self.reached, self.open,
                self.problems)


class _Refs:
    """decision id -> [Ref], kept as plain tuples and made into Refs when asked for (most never are)."""

    __slots__ = ("raw", "_made")

    def __init__(self, raw: dict):
        self.raw = raw
        self._made: dict[str, list[Ref]] = {}

    def get(self, target: str, default=()):
        made = self._made.get(target)
        if made is None:
            found = self.raw.get(target)
            if found is None:
                return default
            made = self._made[target] = [Ref(date.fromordinal(day), by, text, action, _day(to))
                                         for day, by, text, action, to in found]
        return made

    def __bool__(self) -> bool:
        return bool(self.raw)


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


def index_file(p: m.Protocol, school_year=None, extra_holidays=frozenset(), extra_workdays=frozenset()) -> FileIndex:
    return FileIndex.build(*index_protocol(p, school_year, extra_holidays, extra_workdays))


def build_index(protocols: Iterable[m.Protocol], problems: Iterable[Problem] = (), school_year=None,
                extra_holidays=frozenset(), extra_workdays=frozenset()) -> Index:
    """An Index from loaded protocols (cache.py builds the same from its records)."""
    files = [index_file(p, school_year, extra_holidays, extra_workdays) for p in protocols]
    return Index(files, list(problems), len(files))


# ------------------------------------------------------------------------------------------------- evaluation

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
    # (status, date, reason, report, reopened), as in Marks.history
    history: tuple[tuple[str, date | None, str | None, str | None, date | None], ...] = ()

    @property
    def id(self) -> str:
        return self.entry.id


class Event(NamedTuple):
    day: date
    local: int  # 1 for the file's own control marks: they win over a reference of the same day
    status: str | None  # open | done | cancelled, or None for an extension only
    extension: tuple | None  # (to, reason, on, by)
    by: str | None


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
            ref = Ref(acting.meeting.date, f"{acting.meeting.id}/{key}", text, action, _day(to))
            refs.setdefault(target_ref, []).append(ref)
            items = reached.setdefault(target_id, {})
            for leaf in target.covered(pos):
                items.setdefault(leaf, []).append(ref)
    return refs, reached


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
                                        target.meeting.file if exists else None, ids, action, _day(to))
            if problem is not None:
                found.append((i, problem))
    return found


def resolve(index: Index) -> Resolution:
    """Weigh the references of the whole archive into every item's summary (see Resolution)."""
    refs, reached = reference_targets(index)
    files, positions, due = array("i"), array("i"), array("i")
    opened = tuple(array("i") for _kind in KINDS)
    kinds, statuses, hits = bytearray(), bytearray(), bytearray()
    for i in range(len(index.by_id)):
        f = index.file(i)
        hit = reached.get(f.meeting.id, {})
        rows = memoryview(f.leaves).cast("i")
        for r in range(0, len(rows), ROW):
            pos, kind, st, day = rows[r], rows[r + 1], rows[r + 2], rows[r + 3]
            acting = hit.get(pos)
            if acting is not None:
                weighed = _with_refs(rows[r:r + ROW], acting)
                st, day = weighed if weighed is not None else (_UNSURE, day)
            if st in (0, _UNSURE):
                opened[kind].append(len(positions))
            files.append(i)
            positions.append(pos)
            kinds.append(kind)
            statuses.append(st)
            due.append(day if kind != _RECURRING else 0)
            hits.append(acting is not None)
    problems = [(i, p.line, p.col, p.severity, p.code, p.message, p.hint) for i, p in _reference_problems(index)]
    problems += [(i, line, col, ERROR, "deadline-unknown", message, hint)
                 for i in range(len(index.by_id)) for line, col, message, hint in index.file(i).errors]
    refs_state = {t: [(r.day.toordinal(), r.by, r.text, r.action, _ord(r.to)) for r in found] for t, found in refs.items()}
    return Resolution((refs_state, files, positions, bytes(kinds), bytes(statuses), due, bytes(hits), opened, problems))


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


def evaluate(entry: Entry, meeting: Meeting, refs: dict, today: date, occurrences: dict | None = None) -> Decision:
    """The status and due date of one decision as of `today` (refs: from reference_targets). `occurrences`, when
    given, remembers next occurrences of recurring deadlines: (rule, start ordinal) -> due ordinal."""
    due = entry.due
    own = entry.marks
    status, status_date, status_by, extensions, closed, history = "open", None, None, (), (), ()
    report = reason = controller = None
    if own is not None or entry.inherited or refs:
        found = []
        for ev in _events(entry, meeting, refs):
            if ev.extension is not None:
                found.append(ev.extension)
            else:
                status, status_date, status_by = ev.status, ev.day, ev.by
        extensions = tuple(found)
        closed = tuple(sorted({d for marks in (own, *entry.inherited) if marks for d in marks.closed}))
        if (own is not None and own.history) or any(mk.history for mk in entry.inherited):
            history = tuple(sorted((h for mk in (*reversed(entry.inherited), own) if mk for h in mk.history),
                                   key=lambda h: h[4] or h[1] or meeting.date))
        first = next((mk for mk in (own, *entry.inherited) if mk is not None), None)
        report = own.report if own else None
        reason = own.reason if own else None
        controller = first.controller if first else None
        if extensions and entry.kind != "recurring":
            due = extensions[-1][0]
    if entry.kind == "recurring" and entry.rule:
        if closed:
            start = max(meeting.date, closed[-1] + timedelta(days=1))
        else:  # an occurrence closed once and reopened (history: done on that occurrence) is due again
            reopened = [h[1] for h in history if h[0] == "done" and h[1] is not None]
            start = max(meeting.date, min(reopened) if reopened else today)
        known = occurrences.get((entry.rule, start.toordinal())) if occurrences is not None else None
        if known is not None:
            due = date.fromordinal(known)
        else:
            from .deadlines import next_occurrence  # (its module compiles the whole grammar: 50 ms)

            due = next_occurrence(entry.rule, start)
            if occurrences is not None:
                occurrences[(entry.rule, start.toordinal())] = due.toordinal()
    overdue = status == "open" and due is not None and due < today
    return Decision(entry, meeting, status, due, status_date, status_by, extensions, closed, report, reason, controller,
                    overdue, (today - due).days if overdue else 0, history)


# ------------------------------------------------------------------------------------------------- the lists

@dataclass(frozen=True)
class Filter:
    before: date | None = None  # due strictly before
    after: date | None = None  # due strictly after
    overdue: bool = False
    within: int | None = None  # due within this many days from today (overdue included)
    responsible: str | None = None
    protocol: str | None = None
    status: str = "open"  # open | done | cancelled | all
    ongoing: bool = False  # add ongoing and as-needed decisions
    all: bool = False  # every decision of every kind and status


def _fold(text: str) -> str:
    return " ".join(text.casefold().replace("ё", "е").split())


def responsible_matcher(query: str):
    """A test on a list of executors: case-insensitive, е = ё, spacing and initials' dots aside; a part of a name
    matches («белова» finds «Белова И.Г.»), and so does the same person written the other way («И.Г. Белова»)."""
    from .names import name_key, parse_name

    folded = _fold(query)
    squeezed = folded.replace(" ", "")
    spelled = next((q for q in (query, query.title()) if parse_name(q)), None)  # «семёнова т.ю.» is a name too
    person = name_key(spelled) if spelled else None

    def test(executors: tuple[str, ...]) -> bool:
        for name in executors:
            f = _fold(name)
            if folded in f or squeezed in f.replace(" ", ""):
                return True
            if person is not None and person in name_key(name):
                return True
        return False

    return test


def number_key(key: str) -> tuple:
    """«2.10» after «2.9»: numeric parts compare as numbers."""
    return tuple((0, int(part), "") if part.isdigit() else (1, 0, part) for part in key.split("."))


def sort_key(d: Decision) -> tuple:
    return (d.due is None, d.due or date.max, d.meeting.date, d.meeting.id, number_key(d.entry.key))


def _keep(d: Decision, flt: Filter, status: str, horizon: date | None) -> bool:
    if status != "all" and d.status != status:
        return False
    if flt.before is None and flt.after is None and not flt.overdue and horizon is None:
        return True
    due = d.due
    return due is not None and not ((flt.before is not None and not due < flt.before)
                                    or (flt.after is not None and not due > flt.after)
                                    or (flt.overdue and not d.overdue) or (horizon is not None and due > horizon))


def select(index: Index, flt: Filter, today: date) -> list[Decision]:
    """The decisions `protokol due` lists: items (decisions without items) by the filter, sorted by due date,
    meeting date and number. Each one listed is evaluated; the summary in index.resolution only rules out the
    others, and is exact where it does (status always, the due date unless the decision recurs)."""
    res = index.resolution
    kinds = {_KIND[k] for k in (KINDS if flt.all else ("date", "recurring", "unknown", *(UNDATED_KINDS if flt.ongoing else ())))}
    status = "all" if flt.all else flt.status
    want = _STATUS.get(status)  # None: any
    horizon = today + timedelta(days=flt.within) if flt.within is not None else None
    dated = flt.before is not None or flt.after is not None or flt.overdue or horizon is not None
    before = flt.before.toordinal() if flt.before else None
    after = flt.after.toordinal() if flt.after else None
    latest = horizon.toordinal() if horizon else None
    now = today.toordinal()
    matches = responsible_matcher(flt.responsible) if flt.responsible else None
    usable: dict[int, bool] = {}
    out = []
    candidates = chain.from_iterable(res.open[k] for k in sorted(kinds)) if want == 0 else range(len(res.pos))
    for g in candidates:
        kind = res.kind[g]
        if kind not in kinds:
            continue
        fi = res.file[g]
        ok = usable.get(fi)
        if ok is None:
            ok = usable[fi] = ((flt.protocol is None or index.pids[fi] == flt.protocol) and (flt.all or not index.drafts[fi])
                               and (matches is None or matches(index.executors(fi))))
        if not ok:
            continue
        st = res.status[g]
        if st != _UNSURE:
            if want is not None and st != want:
                continue
            if dated and kind != _RECURRING:
                due = res.due[g]
                if not due or (before is not None and due >= before) or (after is not None and due <= after) \
                        or (flt.overdue and not (st == 0 and due < now)) or (latest is not None and due > latest):
                    continue
        f = index.file(fi)
        entry = f.entry(res.pos[g])
        if matches is not None and not matches(entry.responsible):
            continue
        d = evaluate(entry, f.meeting, res.refs if res.reached[g] else {}, today, index.occurrences)
        if _keep(d, flt, status, horizon):
            out.append(d)
    out.sort(key=sort_key)
    return out


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
                status_at, status = (day, 0), _STATUS[ACTION_STATUS[ref.action]]
    if ext_to:
        due = ext_to
    return status, due


def due_by(index: Index, day: date) -> list[Decision]:
    """The carry-over list of a meeting on `day` (`protokol new --carry-over`): the open decisions of protocols held
    before `day` that fall due on or before it, evaluated as of `day`: what `protokol due --today DAY --within 0d`
    lists, less the decisions of that day's own protocols. Sorted as `select` sorts."""
    return [d for d in select(index, Filter(within=0), day) if d.meeting.date < day]


def is_tracked(entry: Entry) -> bool:
    """Something to execute: an item with a deadline (own or inherited, a phrase or a `due:`) or someone responsible.
    «Информацию принять к сведению» is neither: `list`, `show` and `people` never count it as open."""
    return entry.is_leaf and (entry.deadline is not None or entry.due is not None or bool(entry.responsible))


def find(index: Index, decision_id: str, today: date) -> Decision | None:
    """One decision by id (a lead line too), evaluated as of `today`."""
    protocol_id, _sep, key = decision_id.partition("/")
    f = index.by_protocol(protocol_id)
    pos = f.positions().get(key) if f is not None else None
    if pos is None:
        return None
    return evaluate(f.entry(pos), f.meeting, index.resolution.refs, today, index.occurrences)


def group(decisions: list[Decision], by: str) -> list[tuple[str, list[Decision]]]:
    """Groups in order: by protocol (meeting order), or by executor (a decision appears under each of its executors;
    those with none under «—»). Decisions keep their order inside a group."""
    groups: dict[str, list[Decision]] = {}
    if by == "protocol":
        for d in sorted(decisions, key=lambda d: (d.meeting.date, d.meeting.id)):
            groups.setdefault(d.meeting.id, [])
        for d in decisions:
            groups[d.meeting.id].append(d)
        return list(groups.items())
    if by == "responsible":
        names: dict[str, str] = {}  # folded -> first spelling seen
        for d in decisions:
            for name in d.entry.responsible or ("—",):
                shown = names.setdefault(_fold(name), name)
                groups.setdefault(shown, []).append(d)
        return sorted(groups.items(), key=lambda kv: (kv[0] == "—", _fold(kv[0])))
    raise ValueError(f"unknown grouping {by!r}")


def parse_span(text: str) -> int | None:
    """«14d», «2w», «14» -> days; None when it is none of these."""
    found = re.fullmatch(r"\s*(\d{1,4})\s*([dwдн]?)\s*", text.lower())
    if not found:
        return None
    n = int(found[1])
    return n * 7 if found[2] in ("w", "н") else n


def iter_problems(index: Index) -> Iterator[Problem]:
    """What makes a `due` list incomplete or wrong: broken files, unknown deadlines, bad references."""
    yield from (p for p in index.problems if p.severity == ERROR)
    for i, line, col, severity, code, message, hint in index.resolution.problems:
        yield Problem(index.display(i), line, col, severity, code, message, hint)
