"""The decision index: what `protokol due` keeps of each protocol file, before today is known.

`index_protocol` turns one protocol into a Meeting and its Entries: every decision with its inherited deadline and
executors, its deadline phrase already parsed, its own control marks and references. Nothing here depends on today,
so entries are computed once per file version (cache.py keeps them).

`select` (selection.py) must not evaluate 100,000 decisions to print 50, so each file is kept as a FileIndex: a
compact summary of its items (ints in a bytes array: status and due date as far as the file itself says, which is all
there is for most of them) that `select` filters on, and the entries themselves marshalled one by one, read only for
candidates. The summary of an item with control marks is worked out by the rules (status.py), which hand it to
`FileIndex.build`; `Resolution` keeps the summary once the references of the whole archive are weighed in.
"""

from __future__ import annotations

from array import array
from collections.abc import Callable
from datetime import date
from marshal import loads as _loads
from typing import TYPE_CHECKING, NamedTuple

from .i18n import _
from .rowparts import csv_parts, encoded, json_parts, ranks, table_parts

if TYPE_CHECKING:
    from . import model as m

STATUSES = ("open", "done", "cancelled")
# kinds of deadline an entry may have: deadlines.KINDS plus "unknown" (a phrase no rule reads and no `due:`);
# by_regulation comes last so that the codes of the others stay as they were
KINDS = ("date", "recurring", "ongoing", "as_needed", "none", "unknown", "by_regulation")
KIND_CODE = {k: i for i, k in enumerate(KINDS)}
STATUS_CODE = {s: i for i, s in enumerate(STATUSES)}
RECURRING = KIND_CODE["recurring"]
UNSURE = 3  # a status in Resolution: references of one day compete, only `evaluate` can tell
# ints per item in FileIndex.leaves: entry position, kind, status and due date (ordinal, 0: none) as the file's own
# marks make them, then what a reference has to be weighed against: the day of the last status mark, the day and
# date of the last extension, the due date as written; then the item's place among the file's items by number
# (number_key) and whether it has control marks (its own or a lead line's): the order and the plain rows of `due`
ROW = 10
RANK, MARKED = 8, 9
FLAT_RESPONSIBLE = 9  # where _flat keeps the executors
ROW_PARTS = (3, 3, 4)  # strings prepared per entry for JSON, CSV and the table (rowparts)


class Marks(NamedTuple):
    """A decision's own control marks (model.Control) as plain values."""

    status: str = "open"
    date: date | None = None
    report: str | None = None
    reason: str | None = None
    controller: str | None = None
    extensions: tuple[tuple[date, str | None, date | None, str | None], ...] = ()  # (to, reason, on, by)
    closed: tuple[date, ...] = ()  # closed occurrences, the old form (no date, no report of their own)
    # earlier closings undone by reopening: (status, date, reason, report, reopened, occurrence)
    history: tuple[tuple[str, date | None, str | None, str | None, date | None, date | None], ...] = ()
    occurrences: tuple[tuple[date, date | None, str | None], ...] = ()  # closed occurrences: (occurrence, date, report)


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
    paper: str | None = None  # of a protocol encoded from paper: where it stands there («п. 2, 1-й подпункт»)

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
                 tuple((h.status, h.date, h.reason, h.report, h.reopened, h.occurrence) for h in control.history),
                 tuple((o.occurrence, o.date, o.report) for o in control.occurrences))


def control_of(marks: Marks) -> m.Control:
    from . import model as m

    return m.Control(status=marks.status, date=marks.date, report=marks.report, reason=marks.reason,
                     controller=marks.controller,
                     extensions=tuple(m.Extension(to=t, reason=r, on=o, by=b) for t, r, o, b in marks.extensions),
                     closed=marks.closed,
                     history=tuple(m.Closing(status=st, date=d, reason=r, report=rp, reopened=ro, occurrence=oc)
                                   for st, d, r, rp, ro, oc in marks.history),
                     occurrences=tuple(m.OccurrenceReport(occurrence=o, date=d, report=r) for o, d, r in marks.occurrences))


def index_protocol(p: m.Protocol, school_year=None, extra_holidays=frozenset(), extra_workdays=frozenset()
                   ) -> tuple[Meeting, list[Entry]]:
    """A protocol's Meeting and the Entries of all its decisions (items and lead lines alike), in file order."""
    from .deadlines import DeadlineError, SchoolYear, parse_deadline
    from .schema import paper_positions

    school_year = school_year or SchoolYear()
    meeting = Meeting(p.id, p.path, p.date, p.number, p.title, p.status == "draft")
    entries: list[Entry] = []
    paper = paper_positions(p) if p.original == "paper" else {}
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
                                              inherited, acts, not d.items, error if owner is d else None,
                                              paper.get(d.key))))
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

def ordinal(day: date | None) -> int:
    return day.toordinal() if day is not None else 0


def day_of(n: int) -> date | None:
    return date.fromordinal(n) if n else None


def _flat_marks(mk: Marks) -> tuple:
    return (mk.status, ordinal(mk.date), mk.report, mk.reason, mk.controller,
            tuple((ordinal(t), r, ordinal(o), b) for t, r, o, b in mk.extensions), tuple(ordinal(x) for x in mk.closed),
            tuple((st, ordinal(d), r, rp, ordinal(ro), ordinal(oc)) for st, d, r, rp, ro, oc in mk.history),
            tuple((ordinal(o), ordinal(d), r) for o, d, r in mk.occurrences))


def _flat(e: Entry) -> tuple:
    """An entry as marshal stores it: tuples, strings and ints only (dates as ordinals, no protocol id)."""
    (_protocol, key, ancestors, line, col, text, deadline, kind, due, rule, responsible, marks, inherited, acts,
     is_leaf, error, paper) = e
    return (key, ancestors, line, col, text, deadline, kind, due.toordinal() if due is not None else 0, rule,
            responsible, _flat_marks(marks) if marks else None,
            tuple([_flat_marks(x) for x in inherited]) if inherited else (),
            tuple([(a.target, a.action, ordinal(a.to), a.line, a.col) for a in acts]) if acts else (), is_leaf, error,
            paper)


def _unflat(protocol: str, t: tuple) -> Entry:
    def marks(mk: tuple) -> Marks:
        return Marks(mk[0], day_of(mk[1]), mk[2], mk[3], mk[4],
                     tuple((day_of(to), r, day_of(on), b) for to, r, on, b in mk[5]), tuple(day_of(x) for x in mk[6]),
                     tuple((st, day_of(d), r, rp, day_of(ro), day_of(oc)) for st, d, r, rp, ro, oc in mk[7]),
                     tuple((day_of(o), day_of(d), r) for o, d, r in mk[8]))

    (key, ancestors, line, col, text, deadline, kind, due, rule, responsible, own, inherited, acts, is_leaf,
     error, paper) = t
    return Entry(protocol, key, ancestors, line, col, text, deadline, kind, day_of(due), rule, responsible,
                 marks(own) if own else None, tuple(marks(x) for x in inherited),
                 tuple(Act(tg, ac, day_of(to), ln, cl) for tg, ac, to, ln, cl in acts), is_leaf,
                 tuple(error) if error else None, paper)


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

    __slots__ = ("meeting", "offsets", "_rest", "_segment", "_positions", "_entries", "_offsets", "_rows")

    def __init__(self, state: tuple, segment, file: str = "", rows=(b"", b"", b"")):
        (pid, _file, day, number, title, draft), self.offsets, self._rest = state
        self.meeting = Meeting(pid, file or _file, date.fromordinal(day), number, title, draft)
        self._segment = segment  # bytes, or an object whose read(pos, start, end) and whole(offsets) give them
        self._positions: dict[str, int] | None = None
        self._entries: dict[int, Entry] = {}
        self._offsets = None
        self._rows = list(rows)  # per format: FileIndex.rows, that split at its NULs, or the cache's reader of it

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
    about = property(lambda self: self._part(6), doc="the protocol's own fields (status.about_protocol; () for none)")

    @property
    def segment(self) -> bytes:
        """All entries, marshalled (the cache's reader checks their signature on the way)."""
        if not isinstance(self._segment, bytes):
            self._segment = self._whole(self._segment)
        return self._segment

    def _whole(self, part) -> bytes:
        """A part the cache reads on demand (cachestore._Part); one found damaged makes this FileIndex take the
        one made afresh from the file (identical, the file being unchanged since the scan) and read from it."""
        from .cachestore import DamagedCache

        try:
            return part.whole()
        except DamagedCache as damaged:
            if damaged.recover is None:
                raise
            which = next((n for n, mine in enumerate(self._rows) if mine is part), None)
            fresh = damaged.recover()
            self.offsets, self._rest, self._offsets = fresh.offsets, fresh._rest, None
            self._segment, self._rows, self._entries, self._positions = fresh.segment, list(fresh._rows), {}, None
            return self.segment if which is None else self.rows[which]

    @property
    def rows(self) -> tuple[bytes, ...]:
        """What the lists prepared of every entry, one part per format (ROW_PARTS): the strings of
        rowparts.json_parts, csv_parts and table_parts of each entry in turn (empty ones for an entry that has marks
        or items), UTF-8, each followed by a NUL (which JSON, CSV and the table's cells never hold)."""
        out = []
        for n, part in enumerate(self._rows):
            if not isinstance(part, bytes | list):
                part = self._rows[n] = self._whole(part)
            out.append(part if isinstance(part, bytes) else b"".join(x + b"\0" for x in part))
        return tuple(out)

    def prepared(self, which: int) -> list[bytes]:
        """The prepared strings of every entry in part `which` (0: JSON, 1: CSV, 2: the table), ROW_PARTS[which] of
        them per entry in turn: entry `pos`'s begin at ROW_PARTS[which] * pos."""
        parts = self._rows[which]
        if type(parts) is not list:
            parts = self._rows[which] = (parts if isinstance(parts, bytes) else self._whole(parts)).split(b"\0")
        return parts

    def __reduce__(self):
        return (FileIndex, (self.state, self.segment, "", self.rows))

    @classmethod
    def build(cls, meeting: Meeting, entries: list[Entry], marked_row: Callable | None = None, about=()) -> FileIndex:
        """The index of one file (`about`: see FileIndex.about). `marked_row` gives the summary of an item with control
        marks (status.marked_row: the rules, which this module does not know): its ROW ints after the position and kind."""
        import marshal

        sizes = [0] * len(entries)
        positions: dict[str, int] = {}
        leaves = array("i")
        names: dict[str, None] = {}
        acts, errors, chunks = [], [], []
        dumps = marshal.dumps
        places = ranks([e.key for e in entries if e.is_leaf])
        leaf = end = 0
        json_rows, csv_rows, cells = parts = [[], [], []]  # strings prepared per entry, ROW_PARTS of each
        pid_json, day = encoded(meeting.id), meeting.date.isoformat()
        offsets = array("i", [0])
        blank = [[""] * width for width in ROW_PARTS]  # the parts of an entry that has marks or items
        for i, e in enumerate(entries):
            (_p, key, ancestors, line, _c, text, deadline, kind, due, rule, responsible, marks, inherited, acts_on,
             is_leaf, error, paper) = e
            positions.setdefault(key, i)
            for up in ancestors:
                if up in positions:
                    sizes[positions[up]] += 1
            chunk = dumps(_flat(e))
            chunks.append(chunk)
            end += len(chunk)
            offsets.append(end)
            for name in responsible:
                names[name] = None
            if acts_on:
                acts.extend((key, text, a.target, a.action, ordinal(a.to), a.line, a.col) for a in acts_on)
            if error is not None:
                errors.append(error)
            if is_leaf and marks is None and not inherited:  # no marks: open, due as written (most items)
                json_rows += json_parts(pid_json, day, key, line, text, deadline, kind, due, rule, responsible, paper)
                csv_rows += csv_parts(meeting.id, day, key, line, text, deadline, kind, due, responsible, paper)
                cells += table_parts(meeting.id, key, text, deadline, responsible, paper)
                written = due.toordinal() if due is not None else 0
                leaves.extend((i, KIND_CODE[kind], 0, written if kind != "recurring" else 0, 0, 0, 0, written,
                               places[leaf], 0))
                leaf += 1
                continue
            if is_leaf:
                leaves.extend((i, KIND_CODE[kind], *marked_row(e, meeting), places[leaf], 1))
                leaf += 1
            json_rows += blank[0]
            csv_rows += blank[1]
            cells += blank[2]
        rest = ("\n".join(e.key for e in entries), array("i", sizes).tobytes(), leaves.tobytes(), "\n".join(names),
                tuple(acts), tuple(errors), about)
        state = ((meeting.id, meeting.file, meeting.date.toordinal(), meeting.number, meeting.title, meeting.draft),
                 offsets.tobytes(), rest)
        # the entries themselves are not kept: read back from the segment when evaluated (few are), as from the
        # store; holding all of them cost a cold `due` in one process 75 MB
        return cls(state, b"".join(chunks), "", [("\0".join(p) + "\0").encode("utf-8") for p in parts])  # as stored

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

            seg = self.segment  # read (and verified) from the cache on first use
            offsets = memoryview(self.offsets).cast("i")
            start, end = offsets[pos], offsets[pos + 1]
            flat = marshal.loads(seg[start:end])
            found = self._entries[pos] = _unflat(self.meeting.id, flat)
        return found

    def flat(self, pos: int) -> tuple:
        """Entry `pos` as stored (index._flat: no protocol id, dates as ordinals), without making an Entry: what the
        plain rows of `due` are written from."""
        offsets = self._offsets
        if offsets is None:
            offsets = self._offsets = memoryview(self.offsets).cast("i")
        start, end = offsets[pos], offsets[pos + 1]
        seg = self._segment
        if type(seg) is not bytes:
            seg = self.segment
            offsets = self._offsets = memoryview(self.offsets).cast("i")
            start, end = offsets[pos], offsets[pos + 1]
        return _loads(seg[start:end])

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

    For the lists to come out in order without sorting them (`due`'s order: due date, meeting date, protocol id,
    number): `rank`, an item's place by meeting and number (file's place << 20 | its place in the file); `order`,
    the items whose due date and status do not depend on today (all but recurring and unsure ones, which the
    lists work out and merge in), sorted; `plain`, whether an item has neither control marks nor a reference
    reaching it (open, due as written: its row is written from its entry alone).
    """

    __slots__ = ("refs", "file", "pos", "kind", "status", "due", "reached", "open", "problems", "plain", "rank",
                 "order")

    def __init__(self, state: tuple):
        (refs, self.file, self.pos, self.kind, self.status, self.due, self.reached, self.open, self.problems,
         self.plain, self.rank, self.order) = state
        self.refs = _Refs(refs)

    @property
    def state(self) -> tuple:
        return (self.refs.raw, self.file, self.pos, self.kind, self.status, self.due, self.reached, self.open,
                self.problems, self.plain, self.rank, self.order)


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
            made = self._made[target] = [Ref(date.fromordinal(day), by, text, action, day_of(to))
                                         for day, by, text, action, to in found]
        return made

    def __bool__(self) -> bool:
        return bool(self.raw)
