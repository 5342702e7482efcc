"""The protocol format as one declarative spec (spec.py's types): it validates a positioned tree, builds the model,
gives decisions their ids and exports JSON Schema.

Keeping these in one place means docs/format.md, `protokol schema` and the loader cannot drift apart.
"""

from __future__ import annotations

from . import model as m
from .making import _with, builds
from .spec import Date, Either, Enum, F, Int, Record, Responsible, Seq, T, Text, Unclean, _json_with_refs

# --- the format -------------------------------------------------------------------------------------------------

PERSON = Record(
    "person",
    {
        "name": F(Text(), "Name in the nominative case as written: «Комарова Т. Ю.» or «Н.В. Кармазина».", required=True),
        "position": F(Text(), "Position (должность) in the nominative case."),
        "gender": F(Enum(("m", "f")), "m or f, only for surnames whose ending gives no gender («Черных», «Кравец»)."),
        "note": F(Text(), "Anything else written next to the person."),
    },
    builds(m.Person),
    doc="A person: a plain name, or a mapping with name and position.",
    shorthand=Text(),
    shorthand_key="name",
)

GROUP = Record(
    "group",
    {
        "group": F(Text(), "The group's name as written: «Директора школ», «руководители ОУ».", required=True),
        "members": F(Seq(PERSON), "The persons in the group, when they are listed."),
        "count": F(Int(minimum=0), "How many people, when the protocol gives a number («– 15 человек»)."),
        "note": F(Text(), "Anything else written about the group."),
    },
    builds(m.Group),
    doc="A group of participants: named, with members and/or a head count.",
)

ATTENDEE = Either({"group": GROUP}, PERSON, doc="A person or a group.")

PARTICIPANTS = Record(
    "participants",
    {
        "chair": F(PERSON, "Председатель. Write `chair: null` when the original protocol names none.", nullable=True),
        "secretary": F(PERSON, "Секретарь. Write `secretary: null` when the original names none.", nullable=True),
        "present": F(Seq(ATTENDEE), "Присутствовали: persons and groups."),
        "invited": F(Seq(ATTENDEE), "Приглашённые."),
        "absent": F(Seq(ATTENDEE), "Отсутствовали."),
    },
    builds(m.Participants),
)

STATEMENT = Record(
    "statement",
    {
        "who": F(Seq(PERSON, single_ok=True), "The speaker (or several), in the nominative.", required=True),
        "role": F(Text(), "How the speaker is described after the name, printed as written («заместителя заведующего …»)."),
        "text": F(Text(), "What was said (multi-line text keeps its lines)."),
    },
    builds(m.Statement),
)

VOTES = Record(
    "votes",
    {
        "for": F(Int(), "«за»."),
        "against": F(Int(), "«против» (write 0 for «нет»)."),
        "abstained": F(Int(), "«воздержались»."),
        "text": F(Text(), "The vote as written when it is not three numbers («единогласно»)."),
    },
    builds(m.Votes),
    doc="ГОЛОСОВАЛИ.",
)

EXTENSION = Record(
    "extension",
    {
        "to": F(Date(), "The new due date.", required=True),
        "reason": F(Text(), "Why the deadline moved."),
        "on": F(Date(), "When the extension was decided."),
        "by": F(Text(), "The id of the later decision that extended it."),
    },
    builds(m.Extension),
)

CLOSING = Record(
    "closing",
    {
        "status": F(Enum(("done", "cancelled")), "How it was closed: done, or cancelled (снято с контроля).", required=True),
        "date": F(Date(), "When it was done or cancelled."),
        "reason": F(Text(), "Why it was cancelled."),
        "report": F(Text(), "The report of that execution."),
        "reopened": F(Date(), "When it was reopened."),
        "occurrence": F(Date(), "Of a recurring decision: the occurrence (its due date) that was closed."),
    },
    builds(m.Closing),
    doc="An earlier closing that `protokol reopen` undid: what `status`, `date`, `reason` and `report` said then.",
)

OCCURRENCE = Record(
    "occurrence",
    {
        "occurrence": F(Date(), "The occurrence: the day it fell due.", required=True),
        "date": F(Date(), "The day it was reported (done)."),
        "report": F(Text(), "The report on this occurrence."),
    },
    builds(m.OccurrenceReport),
    doc="A closed occurrence of a recurring decision, written by `protokol done`: each keeps its own report.",
)

CONTROL = Record(
    "control",
    {
        "status": F(Enum(("open", "done", "cancelled")), "open (default), done, or cancelled (снято с контроля)."),
        "date": F(Date(), "When it was done, cancelled or reopened."),
        "report": F(Text(), "The executor's report or a note on execution."),
        "reason": F(Text(), "Why it was cancelled."),
        "controller": F(Text(), "Who controls execution (контролёр)."),
        "extensions": F(Seq(EXTENSION), "Deadline extensions, oldest first."),
        "closed": F(Seq(Date()), "Closed occurrences of a recurring decision (their dates; the older form, read as "
                    "before: one `report` for all)."),
        "occurrences": F(Seq(OCCURRENCE), "Closed occurrences of a recurring decision, each with the day and text of "
                         "its report (what `protokol done` writes)."),
        "history": F(Seq(CLOSING), "Earlier closings undone by `protokol reopen`, oldest first."),
    },
    builds(m.Control),
    doc="Control marks, written by `protokol done/extend/cancel`; not part of the signed content.",
)

REFERENCE = Record(
    "reference",
    {
        "decision": F(Text(pattern=r"[^/\s]+/\d+(\.\d+)*", example="2024-02-14-3/1.1"), "The earlier decision's id.", required=True),
        "action": F(Enum(("done", "cancel", "extend", "reopen")), "What this decision does to it.", required=True),
        "to": F(Date(), "The new due date (for extend)."),
    },
    builds(m.Reference),
    doc="This decision acts on an earlier one: closes, cancels, extends or reopens it.",
)


DECISION_FIELDS: dict[str, F] = {
    "text": F(Text(), "The decision as written.", required=True),
    "number": F(Text(), "The number as printed («1.1», «2»); `-` for a bullet; omit to number automatically."),
    "deadline": F(Text(), "Срок, as written («до 15.10.2023 года», «постоянно») or an ISO date."),
    "due": F(Date(), "The due date, when the deadline phrase is one no rule understands."),
    "responsible": F(Responsible(), "Отв.: who executes; [] when the protocol names nobody."),
    "note": F(Text(), "A remark kept with the decision."),
    "control": F(CONTROL, "Control marks (status, done date, extensions)."),
    "acts_on": F(Seq(REFERENCE), "Earlier decisions this one closes, cancels or extends."),
}
DECISION = Record("decision", DECISION_FIELDS, builds(m.Decision), doc="A decision; `items` are its sub-items.")
DECISION_FIELDS["items"] = F(Seq(DECISION), "Sub-items; they inherit deadline and responsible unless they have their own.")

SECTION = Record(
    "section",
    {"title": F(Text(), "The heading as written («Цель», «Задачи»).", required=True),
     "text": F(Text(), "The section's text; lists keep their lines.")},
    builds(m.Section),
)

AGENDA_ITEM = Record(
    "agenda item",
    {
        "number": F(Text(), "The number as printed; omit for an unnumbered question."),
        "title": F(Text(), "The question as listed in the agenda."),
        "heading": F(Text(), "The title as repeated above the discussion, when it differs."),
        "speakers": F(Seq(PERSON, single_ok=True), "Докладчики named in the agenda."),
        "heard": F(Seq(STATEMENT, single_ok=True), "СЛУШАЛИ."),
        "spoke": F(Seq(STATEMENT, single_ok=True), "ВЫСТУПИЛИ."),
        "discussed": F(Text(), "ОБСУДИЛИ."),
        "decided_intro": F(Text(), "The sentence after РЕШИЛИ: that leads into the numbered decisions."),
        "decided": F(Seq(DECISION), "РЕШИЛИ (ПОСТАНОВИЛИ): the decisions."),
        "votes": F(VOTES, "ГОЛОСОВАЛИ."),
    },
    builds(m.AgendaItem),
)

SIGNATURE = Record(
    "signature",
    {"role": F(Text(), "Председатель, Секретарь, or the position as printed.", required=True),
     "name": F(Text(), "The name as printed under the signature («Н.В. Шадеркова»).")},
    builds(m.Signature),
)

CERTIFICATION = Record(
    "certification",
    {"name": F(Text(), "И.О. Фамилия of who certifies the extract.", required=True),
     "position": F(Text(), "Their position."),
     "label": F(Text(), "The certifying word, «Верно» by default."),
     "date": F(Date(), "The date of certification.")},
    builds(m.Certification),
    doc="The certification block under an extract («Верно»).",
)

SIGNING = Record(
    "signed",
    {"by": F(Text(), "Who signed the paper protocol.", required=True),
     "date": F(Date(), "When.", required=True),
     "hash": F(Enum(("v1", "v2")), "The rule of the hash: v2 (what `protokol sign` writes) covers who signed, when and "
               "the amendments as well as the content; v1 (when absent: records signed before v2) the content only."),
     "sha256": F(Text(pattern=r"[0-9a-f]{64}", example="64 hex digits"), "SHA-256 of what was signed, by the rule in `hash`.", required=True)},
    builds(m.Signing),
    doc="Written by `protokol sign`.",
)

AMENDMENT = Record(
    "amendment",
    {"date": F(Date(), "When the correction was approved (signed).", required=True),
     "by": F(Text(), "Who approved it.", required=True),
     "reason": F(Text(), "What was corrected and why, as the office records it.", required=True),
     "previous": F(SIGNING, "The signing record the correction replaced (who signed before, when, the hash then)."),
     "fields": F(Seq(Text()), "What changed since the previous signing, as `protokol sign --amend` found it.")},
    builds(m.Amendment),
    doc="A correction of a signed protocol, written by `protokol sign --amend`; part of what a v2 hash covers.",
)

PROTOCOL_FIELDS = {
    "kind": F(Enum(("protocol", "extract")), "protocol (default) or extract (выписка из протокола)."),
    "original": F(Enum(("paper",)), "paper: the file was encoded from a paper protocol that already exists (what "
                  "`protokol import` writes). It is printed with the paper's numbering (its extracts too), and `due` "
                  "and carry-over give where each decision stands on that paper beside its id («п. 2, 1-й "
                  "подпункт»). Omit it for a protocol written with protokol: its documents print the numbers of the "
                  "ids."),
    "status": F(Enum(("draft", "final")), "draft while the protocol is being written; final (default) once it is."),
    "organization": F(Text(), "The organization, as on the letterhead; line breaks are kept."),
    "number": F(Text(), "The protocol's number (№) as printed."),
    "date": F(Date(), "The meeting date, YYYY-MM-DD.", required=True),
    "time": F(Text(), "Time as written («08:00–10:00», «14.30»)."),
    "place": F(Text(), "Place of drafting («г. Красный Холм»)."),
    "venue": F(Text(), "Место проведения."),
    "format": F(Text(), "Format as written («дистанционно по ссылке»)."),
    "link": F(Text(), "The meeting link."),
    "title": F(Text(), "The kind of meeting in the genitive («совещания с руководителями ОУ»).", required=True),
    "participants": F(PARTICIPANTS, "Chair, secretary, present, invited, absent.", required=True),
    "sections": F(Seq(SECTION), "Free sections printed before the agenda (Цель, Задачи, План…)."),
    "agenda": F(Seq(AGENDA_ITEM), "Повестка дня: the questions with what was heard and decided.", required=True),
    "signatures": F(Seq(SIGNATURE), "Signature lines, in order."),
    "certification": F(CERTIFICATION, "For an extract: the «Верно» block."),
    "appendix": F(Seq(SECTION), "Приложение: sections printed after the signatures."),
    "signed": F(SIGNING, "Signing record written by `protokol sign`."),
    "amendments": F(Seq(AMENDMENT), "Corrections made after signing, oldest first (written by `protokol sign --amend`)."),
}


PROTOCOL = Record("protocol", PROTOCOL_FIELDS, builds(m.Protocol, id=""), doc="One meeting's protocol (протокол совещания).")


class Checked(T):
    """A part that is checked as `spec` checks it, but not built: quick() gives None."""

    def __init__(self, spec: T):
        self.spec = spec

    def convert(self, node, out):
        return self.spec.convert(node, out)

    def valid(self, node):
        return self.spec.valid(node)

    def quick(self, node):
        if not self.spec.valid(node):
            raise Unclean
        return None


def _lean(spec: T, unread: tuple[T, ...], whole: tuple[T, ...]) -> T:
    """`spec` with the records in `unread` checked but not built, and those in `whole` (and below them) as they are."""
    if spec in unread:
        return Checked(spec)
    if isinstance(spec, Record) and spec not in whole:
        fields = {key: F(_lean(f.type, unread, whole), f.doc, f.required, f.nullable) for key, f in spec.fields.items()}
        return Record(spec.name, fields, spec.build, spec.doc, spec.shorthand, spec.shorthand_key)
    if isinstance(spec, Seq):
        return Seq(_lean(spec.item, unread, whole), spec.doc, spec.single_ok)
    if isinstance(spec, Either):
        return Either({key: _lean(s, unread, whole) for key, s in spec.by_key.items()},
                      _lean(spec.default, unread, whole), spec.doc)
    return spec


def _checked_only(record: Record, built: tuple[str, ...]) -> Record:
    """`record` with only the fields in `built` built as they are, the others checked (None)."""
    return Record(record.name, {key: f if key in built else F(Checked(f.type), f.doc, f.required, f.nullable)
                                for key, f in record.fields.items()}, record.build, record.doc)


# What `protokol due` reads of a clean file (index.index_protocol): the meeting and the decisions, and for `export`
# (status.about_protocol) the chair, the secretary and the signing record. Its quick() checks the whole file as
# PROTOCOL's does (Unclean where that would be), but leaves the lists of participants, speeches, votes, sections,
# signatures and amendments unbuilt (None): a fifth of the reading time of a cold `due`.
_LEAN_PARTICIPANTS = _checked_only(PARTICIPANTS, ("chair", "secretary"))
LEAN_PROTOCOL = _lean(
    Record(PROTOCOL.name, {key: F(_LEAN_PARTICIPANTS, f.doc, f.required, f.nullable) if f.type is PARTICIPANTS else f
                           for key, f in PROTOCOL.fields.items()}, PROTOCOL.build, PROTOCOL.doc),
    unread=(PERSON, STATEMENT, VOTES, SECTION, SIGNATURE, CERTIFICATION, AMENDMENT),
    whole=(DECISION, _LEAN_PARTICIPANTS, SIGNING))


# The keys of agenda items and decisions (docs/format.md, Identity) are made here and nowhere else: ids are what
# `done`, references and reports name, so the importer, the text edits and with_identity must agree on them.

def printed_number(number: str | None) -> str | None:
    """A decision's number as printed, without its final dot; None for no number or a bullet (`-`, `•`)."""
    printed = number.strip().rstrip(".") if number is not None else ""
    return printed if printed and printed not in ("-", "–", "—", "•") else None


def agenda_key(number: str | None, position: int) -> str:
    """The key of an agenda item: its number as printed without the final dot, or its position (from 1)."""
    printed = number.strip().rstrip(".") if number else ""
    return printed or str(position)


def decision_key(parent: str, number: str | None, index: int) -> str:
    """The number in a decision's id. A dotted printed number is taken whole; a plain one extends the parent's;
    without one (or with a bullet) the decision's position among its siblings (from 1) extends it."""
    printed = printed_number(number)
    if printed is not None:
        return printed if "." in printed else f"{parent}.{printed}"
    return f"{parent}.{index}"


def _key_in_place(decisions: tuple[m.Decision, ...], parent: str) -> None:
    for index, d in enumerate(decisions, 1):
        key = d.__dict__["key"] = decision_key(parent, d.number, index)
        if d.items:
            _key_in_place(d.items, key)


def _keyed(decisions: tuple[m.Decision, ...], parent: str) -> tuple[m.Decision, ...]:
    out = []
    for index, d in enumerate(decisions, 1):
        key = decision_key(parent, d.number, index)
        out.append(_with(d, key=key, items=_keyed(d.items, key)))
    return tuple(out)


def with_identity(protocol: m.Protocol, protocol_id: str, path: str, fresh: bool = False) -> m.Protocol:
    """Give a built protocol its id and every agenda item and decision its key (see docs/format.md, Identity).

    `fresh`: the protocol was built just now and nothing else holds it or any of its records (load.py), so they
    are given their keys in place rather than copied: a tenth of reading a file for `due`."""
    if fresh:
        for position, item in enumerate(protocol.agenda, 1):
            key = item.__dict__["key"] = agenda_key(item.number, position)
            _key_in_place(item.decided, key)
        protocol.__dict__.update(id=protocol_id, path=path)
        return protocol
    agenda = []
    for position, item in enumerate(protocol.agenda, 1):
        key = agenda_key(item.number, position)
        agenda.append(_with(item, key=key, decided=_keyed(item.decided, key)))
    return _with(protocol, id=protocol_id, path=path, agenda=tuple(agenda))


def _paper_step(number: str | None, position: int, level: int) -> str:
    """One step of a paper position: «п. 2» for a numbered decision or a top-level one (printed with its position),
    «подп. а)» for a numbered sub-item, «1-й подпункт» for a dash."""
    printed = printed_number(number)
    if level == 0:
        return f"п. {printed or position}" if printed or number is None else f"{position}-й пункт"
    return f"подп. {printed}" if printed else f"{position}-й подпункт"


def paper_positions(protocol: m.Protocol) -> dict[str, str]:
    """Where each decision stands on the paper of a protocol encoded from one (`original: paper`), by decision key:
    «вопрос 2, п. 2, 1-й подпункт». On such paper decisions restart their numbering under each question and sub-items
    are dashes, so the id (2.2.1) is printed nowhere; this is what leads a reader to the item. The question is named
    only when more than one has decisions: by its number, or «2-й вопрос» when it has none (document text: Russian)."""
    positions: dict[str, str] = {}
    deciding = [item for item in protocol.agenda if item.decided]
    for position, item in enumerate(protocol.agenda, 1):
        prefix = []
        if len(deciding) > 1:
            number = item.number.strip().rstrip(".") if item.number and item.number.strip() else ""
            prefix.append(f"вопрос {number}" if number else f"{position}-й вопрос")
        _paper_visit(item.decided, prefix, 0, positions)
    return positions


def _paper_visit(decisions: tuple[m.Decision, ...], prefix: list[str], level: int, positions: dict[str, str]) -> None:
    # a module function, not a closure calling itself: that would form a reference cycle per protocol, kept until a
    # garbage collection that a cold `due` never runs (cache.collector_off)
    for index, d in enumerate(decisions, 1):
        steps = [*prefix, _paper_step(d.number, index, level)]
        positions.setdefault(d.key, ", ".join(steps))
        _paper_visit(d.items, steps, level + 1, positions)


def json_schema() -> dict:
    from . import __version__

    schema = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://protokol.invalid/schema/protokol.schema.json",
        "title": "protokol protocol file",
        "description": f"A meeting protocol (протокол совещания) kept by protokol {__version__}. Generated from the code: "
                       "do not edit, run `protokol schema > schema/protokol.schema.json`.",
    }
    defs: dict = {}
    schema.update(_json_with_refs(PROTOCOL, defs, top=True))
    schema["$defs"] = defs
    return schema


