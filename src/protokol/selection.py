"""The lists of `protokol due`, `list`, `show` and `people`: filters, sorting and grouping over the index.

`select` must not evaluate 100,000 decisions to print 50: it filters on the summary the rules keep of every item
(index.Resolution, from status.resolve) and evaluates only the candidates (status.evaluate). Pure functions of an
archive's index and `today`.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from itertools import chain

from .index import FLAT_RESPONSIBLE, KIND_CODE, KINDS, RECURRING, STATUS_CODE, UNSURE, Entry
from .rowparts import DUE_SHIFT, NO_DUE, number_key
from .status import Decision, Index, evaluate

UNDATED_KINDS = ("ongoing", "as_needed", "by_regulation")


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


class Query:
    """A Filter made ready for the summary (index.Resolution): which items are candidates, without evaluating them."""

    def __init__(self, index: Index, flt: Filter, today: date):
        self.index, self.flt, self.today = index, flt, today
        self.kinds = {KIND_CODE[k] for k in (KINDS if flt.all else ("date", "recurring", "unknown", *(UNDATED_KINDS if flt.ongoing else ())))}
        self.status = "all" if flt.all else flt.status
        self.want = STATUS_CODE.get(self.status)  # None: any
        self.horizon = today + timedelta(days=flt.within) if flt.within is not None else None
        self.matches = responsible_matcher(flt.responsible) if flt.responsible else None

    def candidates(self, items) -> Iterator[int]:
        """The items of `items` (positions in the resolution) that the summary does not rule out."""
        index, flt, res, kinds, want = self.index, self.flt, self.index.resolution, self.kinds, self.want
        dated = flt.before is not None or flt.after is not None or flt.overdue or self.horizon is not None
        before = flt.before.toordinal() if flt.before else None
        after = flt.after.toordinal() if flt.after else None
        latest = self.horizon.toordinal() if self.horizon else None
        now = self.today.toordinal()
        matches = self.matches
        rows = getattr(index, "rows", None)  # the cache's prepared rows know the recurring items' due dates
        known = rows.recurring_due() if rows is not None and dated else None
        usable: dict[int, bool] = {}
        for g in items:
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
            if st != UNSURE:
                if want is not None and st != want:
                    continue
                if dated and (kind != RECURRING or (known is not None and known[g])):
                    due = res.due[g] if kind != RECURRING else known[g]
                    if not due or (before is not None and due >= before) or (after is not None and due <= after) \
                            or (flt.overdue and not (st == 0 and due < now)) or (latest is not None and due > latest):
                        continue
            yield g

    def decision(self, g: int) -> Decision | None:
        """Item `g` evaluated, or None when the filter leaves it out."""
        index, res = self.index, self.index.resolution
        f = index.file(res.file[g])
        entry = f.entry(res.pos[g])
        if self.matches is not None and not self.matches(entry.responsible):
            return None
        d = evaluate(entry, f.meeting, res.refs if res.reached[g] else {}, self.today, index.occurrences,
                     index.never_overdue)
        return d if _keep(d, self.flt, self.status, self.horizon) else None


def select(index: Index, flt: Filter, today: date) -> list[Decision]:
    """The decisions `protokol due` lists: items (decisions without items) by the filter, sorted by due date,
    meeting date and number. Each one listed is evaluated; the summary in index.resolution only rules out the
    others, and is exact where it does (status always, the due date unless the decision recurs)."""
    query = Query(index, flt, today)
    res = index.resolution
    kinds = query.kinds
    candidates = chain.from_iterable(res.open[k] for k in sorted(kinds)) if query.want == 0 else range(len(res.pos))
    out = [d for d in map(query.decision, query.candidates(candidates)) if d is not None]
    out.sort(key=sort_key)
    return out


def stream(index: Index, flt: Filter, today: date) -> Iterator[Decision | int]:
    """What `select` lists, in the same order, one at a time and without sorting: the items whose due date does
    not depend on today come in the order the index keeps (Resolution.order), and the few whose date does
    (recurring decisions, and those two references of one day leave unsure) are evaluated and merged in. A plain
    item (no control marks, no reference: open and due as written) comes as its position in the resolution, for
    its row to be written from what the index prepared (report.due.PlainRows) without evaluating it; the others
    as Decisions."""
    query = Query(index, flt, today)
    return _merge(_static(query), _moving(query))


def _moving(query: Query, recurring: bool = True) -> list[tuple[int, Decision]]:
    """(sort key, Decision) of the items whose due date depends on today (the recurring ones only if `recurring`),
    sorted."""
    res = query.index.resolution
    items = chain.from_iterable(res.open[k] for k in sorted(query.kinds)) if query.want == 0 else range(len(res.pos))
    moving = (g for g in items if (recurring and res.kind[g] == RECURRING) or res.status[g] == UNSURE)
    merged = []
    for g in query.candidates(moving):
        d = query.decision(g)
        if d is not None:
            merged.append((((d.due.toordinal() if d.due else NO_DUE) << DUE_SHIFT) | res.rank[g], d))
    merged.sort(key=lambda kd: kd[0])
    return merged


def unprepared(index: Index, today: date, recurring: bool) -> list[tuple[int, Decision]]:
    """(sort key, Decision) of the items of the default list (Filter()) that the archive-wide prepared rows
    (rowblob) leave out, in order: those two references of one day leave unsure, and the recurring ones when
    `recurring` (their occurrence moves with today under `recurring_untracked: never_overdue`)."""
    return _moving(Query(index, Filter(), today), recurring)


def _static(query: Query) -> Iterator[tuple[int, Decision | int]]:
    index, res, matches = query.index, query.index.resolution, query.matches
    plain, due, rank, pos, files = res.plain, res.due, res.rank, res.pos, res.file
    for g in query.candidates(res.order):
        key = ((due[g] or NO_DUE) << DUE_SHIFT) | rank[g]
        if plain[g]:
            if matches is None or matches(index.file(files[g]).flat(pos[g])[FLAT_RESPONSIBLE]):
                yield key, g
        else:
            d = query.decision(g)
            if d is not None:
                yield key, d


def _merge(static: Iterator, merged: list) -> Iterator:
    """The static stream with the sorted `merged` (key, Decision) pairs put in their places."""
    if not merged:
        for _key, item in static:
            yield item
        return
    i = 0
    for key, item in static:
        while i < len(merged) and merged[i][0] < key:
            yield merged[i][1]
            i += 1
        yield item
    for _key, d in merged[i:]:
        yield d


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
    return evaluate(f.entry(pos), f.meeting, index.resolution.refs, today, index.occurrences, index.never_overdue)


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
