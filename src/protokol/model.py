"""The records of an archive: Protocol, Participants, AgendaItem, Decision and friends. Immutable, positioned, no I/O.

Positions (`pos`, `field_pos`) never take part in equality: two protocols are equal when they say the same thing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from .problems import Pos

_NOPOS = Pos()


def _pos():
    return field(default=_NOPOS, compare=False, repr=False)


def _field_pos():
    return field(default_factory=dict, compare=False, repr=False)


@dataclass(frozen=True)
class Person:
    name: str
    position: str | None = None
    gender: str | None = None  # "m" / "f": only for surnames whose ending tells nothing («Черных»)
    note: str | None = None
    pos: Pos = _pos()


@dataclass(frozen=True)
class Group:
    """A named group («Директора школ»), optionally with members and/or a head count («– 15 человек»)."""

    group: str
    members: tuple[Person, ...] = ()
    count: int | None = None
    note: str | None = None
    pos: Pos = _pos()


@dataclass(frozen=True)
class Participants:
    chair: Person | None = None
    secretary: Person | None = None
    present: tuple[Person | Group, ...] = ()
    invited: tuple[Person | Group, ...] = ()
    absent: tuple[Person | Group, ...] = ()
    not_recorded: frozenset[str] = frozenset()  # keys written as null on purpose: «the original names no chair»
    pos: Pos = _pos()


@dataclass(frozen=True)
class Statement:
    """One speaker's part under СЛУШАЛИ or ВЫСТУПИЛИ: who (one or more), how they are described there, what was said."""

    who: tuple[Person, ...] = ()
    role: str | None = None  # printed after the name as written («заместителя заведующего отделом образования»)
    text: str | None = None
    pos: Pos = _pos()


@dataclass(frozen=True)
class Votes:
    for_: int | None = None
    against: int | None = None
    abstained: int | None = None
    text: str | None = None  # as written when it is not three numbers («единогласно»)
    pos: Pos = _pos()


@dataclass(frozen=True)
class Extension:
    to: date
    reason: str | None = None
    on: date | None = None  # when the extension was decided
    by: str | None = None  # a decision id when a later protocol extended it
    pos: Pos = _pos()


@dataclass(frozen=True)
class Closing:
    """An earlier closing of a decision (done or cancelled) that `reopen` undid, kept in the control marks' history."""

    status: str  # done | cancelled
    date: date | None = None  # when it was done or cancelled
    reason: str | None = None  # why it was cancelled
    report: str | None = None  # the report of that execution
    reopened: date | None = None  # when it was reopened
    occurrence: date | None = None  # of a recurring decision: the occurrence (its due date) that was closed
    pos: Pos = _pos()


@dataclass(frozen=True)
class OccurrenceReport:
    """A closed occurrence of a recurring decision: which one (its due date), the day of the report, the report."""

    occurrence: date
    date: date | None = None  # the day it was reported (done)
    report: str | None = None
    pos: Pos = _pos()


@dataclass(frozen=True)
class Control:
    """Control marks: execution of a decision, recorded after the meeting and kept apart from the signed content."""

    status: str = "open"  # open | done | cancelled
    date: date | None = None  # when it was done or cancelled
    report: str | None = None  # the executor's report / note
    reason: str | None = None  # why cancelled
    controller: str | None = None
    extensions: tuple[Extension, ...] = ()
    closed: tuple[date, ...] = ()  # closed occurrences of a recurring decision (the old form: no date, no report)
    occurrences: tuple[OccurrenceReport, ...] = ()  # closed occurrences, each with its own report (the new form)
    history: tuple[Closing, ...] = ()  # earlier closings undone by reopening, oldest first
    pos: Pos = _pos()
    field_pos: dict = _field_pos()


@dataclass(frozen=True)
class Reference:
    """A decision acting on an earlier one: «пункт 2.4 протокола № 3 … продлить до 31.05.2024»."""

    decision: str  # the earlier decision's id
    action: str  # done | cancel | extend | reopen
    to: date | None = None  # new due date for extend
    pos: Pos = _pos()


@dataclass(frozen=True)
class Decision:
    text: str
    number: str | None = None  # as printed («1.1», «2»); "-" for a bullet; None: numbered automatically
    key: str = ""  # the number in its id (<protocol id>/<key>), computed from the structure
    deadline: str | None = None  # as written (or an ISO date)
    due: date | None = None  # explicit due date, given next to a phrase no rule understands
    responsible: tuple[str, ...] | None = None  # None: inherited from the parent; (): nobody named, on purpose
    items: tuple[Decision, ...] = ()
    note: str | None = None
    control: Control | None = None
    acts_on: tuple[Reference, ...] = ()
    pos: Pos = _pos()
    field_pos: dict = _field_pos()


@dataclass(frozen=True)
class AgendaItem:
    title: str | None = None
    number: str | None = None  # as printed; None for an unnumbered question
    key: str = ""  # number, or its position in the agenda when unnumbered
    heading: str | None = None  # the item's title as repeated above its discussion, when it differs («По 1 вопросу «…»»)
    speakers: tuple[Person, ...] = ()
    heard: tuple[Statement, ...] = ()
    spoke: tuple[Statement, ...] = ()
    discussed: str | None = None
    decided_intro: str | None = None  # the sentence after РЕШИЛИ: and before the numbered decisions
    decided: tuple[Decision, ...] = ()
    votes: Votes | None = None
    pos: Pos = _pos()


@dataclass(frozen=True)
class Section:
    """A free section: Цель, Задачи, Рабочий тезис, План работы, Предполагаемый результат, Приложение…"""

    title: str
    text: str | None = None
    pos: Pos = _pos()


@dataclass(frozen=True)
class Signature:
    role: str
    name: str | None = None
    pos: Pos = _pos()


@dataclass(frozen=True)
class Certification:
    """The «Верно» block under an extract."""

    name: str
    position: str | None = None
    label: str = "Верно"
    date: date | None = None
    pos: Pos = _pos()


@dataclass(frozen=True)
class Signing:
    """That the paper protocol was signed: who, when, and the hash of the content then."""

    by: str
    date: date
    sha256: str
    hash: str = "v1"  # the rule of the hash (signing.py): v1 the content only; v2 also who, when and the amendments
    pos: Pos = _pos()


@dataclass(frozen=True)
class Amendment:
    """A correction of a signed protocol: who approved it, when, why, and the signature it replaced."""

    date: date
    by: str
    reason: str
    previous: Signing | None = None  # the signing record in force before the correction
    fields: tuple[str, ...] = ()  # what changed, as `protokol sign --amend` found it
    pos: Pos = _pos()


@dataclass(frozen=True)
class Protocol:
    id: str
    date: date
    title: str
    kind: str = "protocol"  # protocol | extract
    original: str | None = None  # "paper": encoded from a paper protocol that already exists (keeps its numbering)
    organization: str | None = None
    number: str | None = None
    time: str | None = None
    place: str | None = None
    venue: str | None = None
    format: str | None = None
    link: str | None = None
    status: str = "final"  # draft | final
    participants: Participants = field(default_factory=Participants)
    sections: tuple[Section, ...] = ()
    agenda: tuple[AgendaItem, ...] = ()
    signatures: tuple[Signature, ...] = ()
    certification: Certification | None = None
    appendix: tuple[Section, ...] = ()
    signed: Signing | None = None
    amendments: tuple[Amendment, ...] = ()  # corrections after signing; signed with the content by a v2 hash
    path: str = field(default="", compare=False)
    pos: Pos = _pos()
    field_pos: dict = _field_pos()


@dataclass(frozen=True)
class DecisionRef:
    """A decision in its context, as queries see it: inherited deadline and responsible resolved."""

    protocol: Protocol
    decision: Decision
    item: AgendaItem
    deadline: str | None
    due: date | None
    responsible: tuple[str, ...]
    deadline_pos: Pos
    is_leaf: bool

    @property
    def id(self) -> str:
        return f"{self.protocol.id}/{self.decision.key}"


def walk_decisions(protocol: Protocol):
    """Every decision of a protocol, depth first, with deadline and responsible inherited from its parents."""

    def visit(item, decisions, deadline, due, responsible, deadline_pos):
        for d in decisions:
            own_deadline = d.deadline is not None or d.due is not None
            dl = d.deadline if own_deadline else deadline
            du = d.due if own_deadline else due
            dpos = d.field_pos.get("deadline", d.pos) if own_deadline else deadline_pos
            resp = d.responsible if d.responsible is not None else responsible
            yield DecisionRef(protocol, d, item, dl, du, resp or (), dpos, not d.items)
            yield from visit(item, d.items, dl, du, resp, dpos)

    for item in protocol.agenda:
        yield from visit(item, item.decided, None, None, None, item.pos)


def free_texts(p: Protocol):
    """(field, text, position) of the protocol's free texts: what a long paste ends up in (checks.text-too-long)."""
    yield "title", p.title, p.field_pos.get("title", p.pos)
    for section in p.sections + p.appendix:
        yield "text", section.text, section.pos
    for item in p.agenda:
        for name in ("title", "heading", "discussed", "decided_intro"):
            yield name, getattr(item, name), item.pos
        for statement in item.heard + item.spoke:
            yield "text", statement.text, statement.pos
    for ref in walk_decisions(p):
        for name in ("text", "note"):
            yield name, getattr(ref.decision, name), ref.decision.field_pos.get(name, ref.decision.pos)


def inherits_nobody(p: Protocol, target: Decision) -> bool:
    """True when an ancestor of `target` says `responsible: []` (nobody named, on purpose)."""

    def search(decisions, nobody):
        for d in decisions:
            here = nobody if d.responsible is None else d.responsible == ()
            if d is target:
                return here
            if search(d.items, here):
                return True
        return False

    return any(search(item.decided, False) for item in p.agenda)
