"""The semantic diff of protocols: what changed in meaning between two versions, as change records (no git, no I/O).

Decisions are matched by their key within a protocol (so a renamed file keeps its decisions), participants by a
spelling-insensitive name key, agenda items by number. A change that only touches layout or comments gives no record.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from . import model as m
from .deadlines import DeadlineError, SchoolYear, parse_deadline
from .i18n import _
from .names import name_key
from .rudates import format_date

HEADER_FIELDS = ("kind", "status", "organization", "number", "date", "time", "place", "venue", "format", "link", "title")
AGENDA_FIELDS = ("heading", "speakers", "heard", "spoke", "discussed", "decided_intro", "votes")
DECISION_FIELDS = ("text", "deadline", "due", "responsible", "note", "acts_on")
CONTROL_FIELDS = ("report", "reason", "controller", "extensions", "closed", "occurrences", "history")  # status and date: _control_status
CONTENT_FIELDS = ("sections", "signatures", "certification", "appendix")


@dataclass(frozen=True)
class Change:
    """One change in meaning. `kind` names what happened; `subject` is what it happened to (a decision or agenda key,
    a participant's name); `field` which part; `old`/`new` the values (text, dates, lists of text)."""

    kind: str
    subject: str = ""
    field: str = ""
    old: object = None
    new: object = None
    old_due: date | None = None
    new_due: date | None = None
    old_on: date | None = None  # for control.status: the day of the old and the new status (`date` of the marks)
    new_on: date | None = None

    def path(self) -> str:
        """A short language-neutral name of what changed: «title», «agenda[2].title», «decision[2.1].deadline»."""
        k = self.kind
        if k.startswith("participant"):
            return f"participants.{self.field}"
        if k in ("agenda-added", "agenda-removed"):
            return f"agenda[{self.subject}]"
        if k.startswith("agenda"):
            return f"agenda[{self.subject}].{'title' if k == 'agenda-retitled' else self.field}"
        if k in ("decision-added", "decision-removed"):
            return f"decision[{self.subject}]"
        if k == "decision-changed":
            return f"decision[{self.subject}].{self.field}"
        if k.startswith("signed"):
            return "signed"
        if k == "amendment-added":
            return "amendments"
        return self.field or k

    def as_dict(self) -> dict:
        return {"kind": self.kind, "subject": self.subject, "field": self.field, "old": _plain(self.old),
                "new": _plain(self.new), "old_due": _plain(self.old_due), "new_due": _plain(self.new_due),
                "old_on": _plain(self.old_on), "new_on": _plain(self.new_on),
                "path": self.path()}


@dataclass(frozen=True)
class FileDiff:
    """The changes of one protocol file between two versions."""

    status: str  # added | removed | changed | renamed
    path: str | None  # the new path (None when removed)
    old_path: str | None  # the old path (None when added)
    id: str = ""
    old_id: str = ""
    heading: str = ""  # «№ 3 от 14.05.2024 совещания …», from the newest readable version
    changes: tuple[Change, ...] = ()
    problems: tuple[str, ...] = ()  # why a version could not be read (then it has no changes of meaning)

    def as_dict(self) -> dict:
        return {"status": self.status, "path": self.path, "old_path": self.old_path, "id": self.id, "old_id": self.old_id,
                "heading": self.heading, "problems": list(self.problems), "changes": [c.as_dict() for c in self.changes]}


@dataclass(frozen=True)
class Context:
    """What turns a Срок phrase into a day: the archive's calendar settings. A change shows a deadline as the meeting
    set it, so a recurring one is shown by its first occurrence, counted from the meeting's date: a reader of an old
    change sees the day it meant then, not the next occurrence counted from `today` (the day of the comparison,
    which no due date shown depends on)."""

    today: date
    school_year: SchoolYear = SchoolYear()
    extra_holidays: frozenset = frozenset()
    extra_workdays: frozenset = frozenset()

    def due(self, text: str | None, meeting: date, explicit: date | None = None) -> date | None:
        if explicit is not None:
            return explicit
        if text is None:
            return None
        try:
            return parse_deadline(text, meeting, meeting, self.school_year, self.extra_holidays, self.extra_workdays).due
        except DeadlineError:
            return None


# --- diffing ---------------------------------------------------------------------------------------------------------

def diff_texts(pairs, ctx: Context) -> list[FileDiff]:
    """Each pair is (old_path, old_text, new_path, new_text); a missing side is (None, None). Texts are bytes or str."""
    from .load import protocol_from_text
    from .problems import ERROR

    out = []
    for old_path, old_text, new_path, new_text in pairs:
        old = new = None
        problems: list[str] = []
        for side, path, text in (("old", old_path, old_text), ("new", new_path, new_text)):
            if path is None:
                continue
            protocol, found = protocol_from_text(text if text is not None else b"", path)
            errors = [p for p in found if p.severity == ERROR]
            if protocol is None or errors:
                first = errors[0] if errors else None
                label = _("before") if side == "old" else _("after")
                problems.append(f"{label}: {path}:{first.line}:{first.col}: {first.message}" if first
                                else f"{label}: {path}")
                protocol = None
            if side == "old":
                old = protocol
            else:
                new = protocol
        status = ("added" if old_path is None else "removed" if new_path is None
                  else "renamed" if old_path != new_path else "changed")
        changes: list[Change] = []
        if not problems:
            changes = diff_protocols(old, new, ctx)
        shown = new or old
        out.append(FileDiff(status, new_path, old_path, id=new.id if new else _stem(new_path),
                            old_id=old.id if old else _stem(old_path), heading=heading(shown) if shown else "",
                            changes=tuple(changes), problems=tuple(problems)))
    return out


def diff_archives(old: dict[str, m.Protocol], new: dict[str, m.Protocol], ctx: Context) -> list[FileDiff]:
    """Two archives given as id -> Protocol, paired by id."""
    out = []
    for pid in sorted(set(old) | set(new)):
        a, b = old.get(pid), new.get(pid)
        changes = diff_protocols(a, b, ctx)
        if a is not None and b is not None and not changes:
            continue
        status = "added" if a is None else "removed" if b is None else "changed"
        out.append(FileDiff(status, b.path if b else None, a.path if a else None, pid if b else "", pid if a else "",
                            heading(b or a), tuple(changes)))
    return out


def diff_protocols(old: m.Protocol | None, new: m.Protocol | None, ctx: Context | date) -> list[Change]:
    """What changed from `old` to `new` (either may be None: a protocol added or removed)."""
    if isinstance(ctx, date):
        ctx = Context(ctx)
    if old is None and new is None:
        return []
    if old is None:
        return [Change("protocol-added", new.id, new=heading(new))]
    if new is None:
        return [Change("protocol-removed", old.id, old=heading(old))]
    out: list[Change] = []
    for name in HEADER_FIELDS:
        a, b = getattr(old, name), getattr(new, name)
        if a != b:
            out.append(Change("header", name, name, a, b))
    out += _participants(old.participants, new.participants)
    out += _agenda(old, new)
    out += _decisions(old, new, ctx)
    for name in CONTENT_FIELDS:
        a, b = getattr(old, name), getattr(new, name)
        if a != b:
            out.append(Change("content-changed", name, name, _content_text(name, a), _content_text(name, b)))
    out += _signing(old, new)
    return out


def heading(p: m.Protocol) -> str:
    number = f"№ {p.number} " if p.number else ""
    return f"{number}от {format_date(p.date, 'numeric')} {p.title}"


def _participants(old: m.Participants, new: m.Participants) -> list[Change]:
    out = []
    for role in ("chair", "secretary"):
        a, b = getattr(old, role), getattr(new, role)
        if a == b:
            continue
        if a is None or b is None:
            kind = "participant-added" if a is None else "participant-removed"
            who = b or a
            out.append(Change(kind, who.name, role, None if a is None else _person(a), None if b is None else _person(b)))
        elif name_key(a.name) != name_key(b.name) or a.name != b.name:
            out.append(Change("participant-changed", b.name, role, _person(a), _person(b)))
        elif a.position != b.position:
            out.append(Change("participant-changed", b.name, role, a.position, b.position))
    for role in ("present", "invited", "absent"):
        a, b = _attendees(getattr(old, role)), _attendees(getattr(new, role))
        for key, (label, detail) in b.items():
            if key not in a:
                out.append(Change("participant-added", label, role, None, _with(label, detail)))
            elif a[key] != (label, detail):
                out.append(Change("participant-changed", label, role, _with(*a[key]), _with(label, detail)))
        for key, (label, detail) in a.items():
            if key not in b:
                out.append(Change("participant-removed", label, role, _with(label, detail), None))
    return out


def _attendees(attendees) -> dict[str, tuple[str, str | None]]:
    """Everyone listed under a role, groups and their members flattened: key -> (name as written, position or count)."""
    found: dict[str, tuple[str, str | None]] = {}
    for a in attendees:
        if isinstance(a, m.Group):
            found.setdefault("group:" + " ".join(a.group.lower().replace("ё", "е").split()),
                             (a.group, None if a.count is None else str(a.count)))
            for member in a.members:
                found.setdefault(name_key(member.name), (member.name, member.position))
        else:
            found.setdefault(name_key(a.name), (a.name, a.position))
    return found


def _agenda(old: m.Protocol, new: m.Protocol) -> list[Change]:
    out = []
    a = {item.key: item for item in old.agenda}
    b = {item.key: item for item in new.agenda}
    for key, item in b.items():
        if key not in a:
            out.append(Change("agenda-added", key, "", None, item.title or item.heading))
            continue
        before = a[key]
        if before.title != item.title:
            out.append(Change("agenda-retitled", key, "title", before.title, item.title))
        for name in AGENDA_FIELDS:
            x, y = getattr(before, name), getattr(item, name)
            if x != y:
                out.append(Change("agenda-changed", key, name, _agenda_text(name, x), _agenda_text(name, y)))
    for key, item in a.items():
        if key not in b:
            out.append(Change("agenda-removed", key, "", item.title or item.heading, None))
    return out


def _decisions(old: m.Protocol, new: m.Protocol, ctx: Context) -> list[Change]:
    from .textconv import decision_line

    out = []
    a = {ref.decision.key: ref for ref in m.walk_decisions(old)}
    b = {ref.decision.key: ref for ref in m.walk_decisions(new)}
    for key, ref in b.items():
        d = ref.decision
        if key not in a:
            out.append(Change("decision-added", key, "", None, decision_line(d, f"{new.id}/{key}", new.date),
                              new_due=ctx.due(ref.deadline, new.date, ref.due)))
            continue
        before = a[key].decision
        for name in DECISION_FIELDS:
            x, y = getattr(before, name), getattr(d, name)
            if x == y:
                continue
            if name == "deadline":
                out.append(Change("decision-changed", key, name, x, y, ctx.due(x, old.date, before.due),
                                  ctx.due(y, new.date, d.due)))
            elif name == "acts_on":
                out.append(Change("decision-changed", key, name, _refs(x), _refs(y)))
            else:
                out.append(Change("decision-changed", key, name, x, y))
        c1, c2 = before.control or m.Control(), d.control or m.Control()
        out += _control_changes(key, c1, c2)
    for key, ref in a.items():
        if key not in b:
            out.append(Change("decision-removed", key, "", decision_line(ref.decision, f"{old.id}/{key}", old.date), None,
                              old_due=ctx.due(ref.deadline, old.date, ref.due)))
    return out


def _signing(old: m.Protocol, new: m.Protocol) -> list[Change]:
    out = []
    a, b = old.signed, new.signed
    if a != b:
        kind = "signed-added" if a is None else "signed-removed" if b is None else "signed-changed"
        out.append(Change(kind, "", "signed", _signing_text(a), _signing_text(b)))
    for amendment in new.amendments[len(old.amendments):]:
        out.append(Change("amendment-added", "", "amendments", None,
                          f"{format_date(amendment.date, 'numeric')}, {amendment.by}: {amendment.reason}"))
    return out


# --- values as text --------------------------------------------------------------------------------------------------

def _person(p: m.Person) -> str:
    return f"{p.name} ({p.position})" if p.position else p.name


def _with(label: str, detail: str | None) -> str:
    return f"{label} ({detail})" if detail else label


def _refs(refs: tuple[m.Reference, ...]) -> tuple[str, ...]:
    return tuple(f"{r.action} {r.decision}" + (f" → {format_date(r.to, 'numeric')}" if r.to else "") for r in refs)


def _control_changes(key: str, c1: m.Control, c2: m.Control) -> list[Change]:
    """The changes of a decision's control marks. Status and date are one fact, the status and its day: one record
    `control.status` with both days, shown as «status cancelled → open (reopened 01.06.2024)», or as «date of
    execution 19.05.2024 → 18.05.2024» when only the day moved. What a reopening moved into `history` (the reason,
    the report) is shown there, not as removed."""
    out = []
    if c1.status != c2.status or c1.date != c2.date:
        out.append(Change("decision-changed", key, "control.status", c1.status, c2.status, old_on=c1.date, new_on=c2.date))
    kept = c2.history[len(c1.history):] if c2.history[:len(c1.history)] == c1.history else ()
    for name in CONTROL_FIELDS:
        x, y = getattr(c1, name), getattr(c2, name)
        if x == y:
            continue
        if name in ("reason", "report") and y is None and any(getattr(h, name) == x for h in kept):
            continue  # moved into the history by reopening
        if name in ("closed", "occurrences") and _reopened(x, y, kept):
            continue  # occurrences moved into the history by reopening
        if name == "extensions":
            x, y = _extensions(x), _extensions(y)
        elif name == "history":
            x, y = _closings(x), _closings(y)
        elif name == "occurrences":
            x, y = _occurrence_records(x), _occurrence_records(y)
        out.append(Change("decision-changed", key, f"control.{name}", x, y))
    return out


def _closings(history: tuple[m.Closing, ...]) -> tuple[tuple, ...]:
    return tuple((h.status, h.date, h.reason, h.report, h.reopened, h.occurrence) for h in history)


def _reopened(before: tuple, after: tuple, kept: tuple[m.Closing, ...]) -> bool:
    """Whether closed occurrences (dates, or records) only went away, each into a closing the history kept."""
    gone = [getattr(x, "occurrence", x) for x in before if x not in after]
    moved = {h.occurrence for h in kept}
    return bool(gone) and all(x in before for x in after) and all(x in moved for x in gone)


def _occurrence_records(records: tuple[m.OccurrenceReport, ...]) -> tuple[tuple, ...]:
    return tuple((r.occurrence, r.date, r.report) for r in records)


def _extensions(extensions: tuple[m.Extension, ...]) -> tuple[str, ...]:
    return tuple(format_date(e.to, 'numeric') + (f" ({e.reason})" if e.reason else "") for e in extensions)


def _signing_text(s: m.Signing | None) -> str | None:
    return None if s is None else f"{s.by}, {format_date(s.date, 'numeric')}, sha256 {s.sha256[:12]}"


def _agenda_text(name: str, value) -> object:
    from .textconv import votes_text

    if value is None:
        return None
    if name == "speakers":
        return tuple(_person(p) for p in value)
    if name in ("heard", "spoke"):
        return tuple(", ".join(w.name for w in st.who) + (f": {st.text}" if st.text else "") for st in value)
    if name == "votes":
        return votes_text(value)
    return value


def _content_text(name: str, value) -> object:
    if value is None:
        return None
    if name in ("sections", "appendix"):
        return tuple(s.title + (f": {s.text}" if s.text else "") for s in value)
    if name == "signatures":
        return tuple(f"{s.role}: {s.name or ''}".strip() for s in value)
    if name == "certification":
        return f"{value.label}: {value.name}" + (f", {value.position}" if value.position else "")
    return str(value)


def _plain(value):
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, tuple):
        return [_plain(v) for v in value]
    return value


def _stem(path: str | None) -> str:
    if path is None:
        return ""
    name = path.replace("\\", "/").rsplit("/", 1)[-1]
    for suffix in (".yaml", ".yml"):
        if name.endswith(suffix):
            return name[: -len(suffix)]
    return name


# --- what signing compares: the signed fields only ------------------------------------------------------------

def signed_part(p: m.Protocol) -> m.Protocol:
    """The protocol with what is not signed taken away, so that a semantic diff names only signed fields."""

    def strip(decisions):
        return tuple(replace(d, control=None, due=None, items=strip(d.items)) for d in decisions)

    agenda = tuple(replace(item, decided=strip(item.decided)) for item in p.agenda)
    return replace(p, agenda=agenda, signed=None, amendments=())


def changed_fields(old: m.Protocol, new: m.Protocol, today: date) -> list[str]:
    """Which signed fields differ between two versions, as short language-neutral paths
    («title», «participants.present», «agenda[2].title», «decision[2.1].deadline»); with a v2 record, the record's
    own fields too («signed.date», «amendments»), which that rule signs."""
    seen: list[str] = []
    for change in diff_protocols(signed_part(old), signed_part(new), today):
        path = change.path()
        if path not in seen:
            seen.append(path)
    a, b = old.signed, new.signed
    if any(record is not None and record.hash != "v1" for record in (a, b)):
        seen += [f"signed.{key}" for key in ("by", "date", "hash") if getattr(a, key, None) != getattr(b, key, None)]
        seen += ["amendments"] if old.amendments != new.amendments else []
    return seen
