"""Named checks of meaning, run on loaded protocols; each finds problems and returns them as values.

Every code here is documented in docs/checks.md with an example; tests/data/checks/ holds a reproducer per code.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date
from typing import TYPE_CHECKING, NamedTuple

from . import model as m
from .i18n import _
from .problems import ERROR, WARNING, Pos, Problem
from .rudates import shown_date
from .series import number_value, series_key

if TYPE_CHECKING:  # the deadline grammar is imported by the checks that read deadlines: a warm `check` runs none
    from .deadlines import SchoolYear

# code -> default severity. Loader and schema codes are listed too so that docs and tests can see every code.
CODES: dict[str, str] = {
    "file-unreadable": ERROR,
    "yaml-encoding": ERROR,
    "yaml-empty": ERROR,
    "yaml-syntax": ERROR,
    "yaml-tab": ERROR,
    "yaml-truncated": ERROR,
    "yaml-control-character": ERROR,
    "yaml-duplicate-key": ERROR,
    "yaml-alias": ERROR,
    "yaml-tag": ERROR,
    "yaml-multiple-documents": ERROR,
    "yaml-too-deep": ERROR,
    "yaml-too-large": ERROR,
    "yaml-key": ERROR,
    "yaml-not-mapping": ERROR,
    "schema-unknown-key": ERROR,
    "schema-missing-key": ERROR,
    "schema-type": ERROR,
    "schema-value": ERROR,
    "schema-date": ERROR,
    "chair-missing": ERROR,
    "secretary-missing": ERROR,
    "signatures-missing": WARNING,
    "agenda-duplicate": ERROR,
    "agenda-order": WARNING,
    "decision-duplicate": ERROR,
    "deadline-unknown": ERROR,
    "deadline-in-text": WARNING,
    "deadline-before-meeting": WARNING,
    "responsible-missing": WARNING,
    "date-filename": WARNING,
    "date-folder": WARNING,
    "date-future": WARNING,
    "control-date": ERROR,
    "protocol-duplicate-id": ERROR,
    "number-order": WARNING,
    "reference-unknown": ERROR,
    "reference-date": ERROR,
    "reference-extend": ERROR,
    "person-spelling": WARNING,
    "people-duplicate": ERROR,
    "people-group-clash": ERROR,
    "people-unknown-member": WARNING,
    "people-group-empty": WARNING,
    "signature-mismatch": ERROR,
    "due-moves-deadline": ERROR,
    "extension-undated": WARNING,
    "number-invisible": ERROR,
    "text-too-long": WARNING,
    "secretary-in-present": WARNING,
}


def _problem(p: m.Protocol, pos: Pos, code: str, message: str, hint: str = "") -> Problem:
    return Problem(p.path, pos.line or 1, pos.col or 1, CODES[code], code, message, hint)


def check_protocol(p: m.Protocol, today: date, school_year: SchoolYear | None = None) -> list[Problem]:
    from .deadlines import SchoolYear

    school_year = school_year or SchoolYear()
    found: list[Problem] = []
    found += _participants(p)
    found += _agenda_numbers(p)
    found += _decision_numbers(p)
    found += _deadlines(p, today, school_year)
    found += _dates(p, today)
    found += _signature(p)
    found += moved_deadlines(p, today, school_year)
    found += _undated_extensions(p)
    found += _numbers_invisible(p)
    found += _long_texts(p)
    return found


# Characters that print as nothing: a number holding one looks right but matches no id that anyone types.
_INVISIBLE = re.compile("[\u0000-\u001f\u007f-\u009f\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180e"
                        "\u200b-\u200f\u202a-\u202e\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0]")
LONG_TEXT = 100_000  # characters in one text: a decision or a speech is a few thousand; more is damage or a paste


def _numbers_invisible(p: m.Protocol) -> list[Problem]:
    """A protocol, agenda or decision number with an invisible character in it (a zero-width space from Word)."""
    numbered = [(p.number, p.field_pos.get("number", p.pos))]
    for item in p.agenda:
        numbered.append((item.number, item.pos))
    numbered += [(ref.decision.number, ref.decision.field_pos.get("number", ref.decision.pos)) for ref in m.walk_decisions(p)]
    found = []
    for number, pos in numbered:
        if not number or (number.isascii() and number.isprintable()):  # «1.2»: nothing to look for, quickly
            continue
        hit = _INVISIBLE.search(number)
        if hit:
            found.append(_problem(p, Pos(pos.line, pos.col), "number-invisible",
                                  _("The number {number} holds an invisible character (U+{code:04X}) at position {at}.").format(
                                      number=ascii(number), code=ord(hit[0]), at=hit.start() + 1),
                                  _("Retype the number: it looks like «{shown}» but no id typed by hand matches it.").format(
                                      shown=_INVISIBLE.sub("", number))))
    return found


def _long_texts(p: m.Protocol) -> list[Problem]:
    """Every text over LONG_TEXT characters (what a paste of a whole document or a damaged file makes)."""
    found = []
    for field, text, pos in m.free_texts(p):
        if text is not None and len(text) > LONG_TEXT:
            found.append(_problem(p, Pos(pos.line, pos.col), "text-too-long",
                                  _("The text of `{field}` is {n} characters long; a protocol's texts are a few "
                                    "thousand.").format(field=field, n=f"{len(text):,}".replace(",", " ")),
                                  _("Check that nothing was pasted by mistake; move a long attachment out of the "
                                    "protocol. Texts this long are slow to check and to render.")))
    return found


class Summary(NamedTuple):
    """What the checks across files need of a protocol: its id, file, date, decision ids and references. Made from
    a protocol (`summarize`) or from `due`'s index, so that judging one file in a large archive reads no other file."""

    id: str
    path: str
    date: date
    decisions: tuple[str, ...]  # ids of every decision, lead lines included
    acts: tuple[tuple[str, str, str, date | None, int, int], ...]  # (acting decision's id, target, action, to, line, col)
    series: str = ""  # series.series_key of the title
    number: str | None = None
    number_at: tuple[int, int] = (1, 1)  # where `number:` is written (1:1 when made from the index, which keeps no place)
    # the secretary's name and the persons in `present`, each (name, line, col) (None, (): not known, as in due's index)
    secretary: str | None = None
    present: tuple[tuple[str, int, int], ...] = ()
    # their names.name_key, made once with the summary (which `check` caches per file), not on every run
    secretary_key: str | None = None
    present_keys: tuple[str, ...] = ()


def summarize(p: m.Protocol) -> Summary:
    refs = list(m.walk_decisions(p))
    acts = tuple((ref.id, act.decision, act.action, act.to, act.pos.line, act.pos.col)
                 for ref in refs for act in ref.decision.acts_on)
    from .names import name_key

    at = p.field_pos.get("number", p.pos)
    parts = p.participants
    secretary = parts.secretary.name if parts.secretary else None
    present = tuple((x.name, x.pos.line or 1, x.pos.col or 1) for x in parts.present if isinstance(x, m.Person))
    return Summary(p.id, p.path, p.date, tuple(ref.id for ref in refs), acts, series_key(p.title), p.number,
                   (at.line or 1, at.col or 1), secretary, present,
                   name_key(secretary) if secretary is not None else None, tuple(name_key(x[0]) for x in present))


def check_archive(protocols: Iterable[m.Protocol], numbering: str = "yearly") -> list[Problem]:
    """Checks across files: ids must be unique in an archive, references must name earlier decisions, numbers must go
    up with the date within a series."""
    return check_summaries((summarize(p) for p in protocols), numbering)


def check_summaries(summaries: Iterable[Summary], numbering: str = "yearly") -> list[Problem]:
    seen: dict[str, Summary] = {}
    found = []
    for s in summaries:
        if s.id in seen:
            found.append(Problem(s.path, 1, 1, CODES["protocol-duplicate-id"], "protocol-duplicate-id",
                                 _("Protocol id '{id}' is also used by {other}.").format(id=s.id, other=seen[s.id].path),
                                 _("Ids come from file names: rename one of the files.")))
        else:
            seen[s.id] = s
    return found + _references(seen) + _number_order(seen.values(), numbering) + _secretary_left(seen.values())


def _number_order(summaries: Iterable[Summary], numbering: str) -> list[Problem]:
    """Within a series (and a year, for yearly numbering), a meeting held later has no smaller number: a backdated
    protocol numbered after a later one, or a typo in a number or a date. Both protocols of such a pair are named,
    as either may be the wrong one; extracts carry their meeting's number and date, so they never differ from it."""
    groups: dict[tuple, list[tuple[date, int, Summary]]] = {}
    for s in summaries:
        n = number_value(s.number)
        if n is not None:
            groups.setdefault((s.series, s.date.year if numbering == "yearly" else None), []).append((s.date, n, s))
    found = []
    for items in groups.values():
        items.sort(key=lambda x: (x[0], x[1], x[2].id))
        for (day, n, s), (later_day, later_n, later) in zip(items, items[1:], strict=False):
            if later_day > day and later_n < n:
                message = _("Protocol № {n} of {date} ({file}) is numbered after № {other} of {other_date} "
                            "({other_file}), held later in the same series.").format(
                    n=s.number, date=shown_date(day), file=s.path, other=later.number,
                    other_date=shown_date(later_day), other_file=later.path)
                hint = _("Numbers go up with the meeting date ({numbering} numbering in protokol.yaml): check the "
                         "number and the date of both.").format(numbering=numbering)
                found += [Problem(x.path, *x.number_at, CODES["number-order"], "number-order", message, hint)
                          for x in (s, later)]
    return found


def _secretary_left(summaries: Iterable[Summary]) -> list[Problem]:
    """The slip of a changed secretary: a series lists its secretary among those present, the secretary changed
    (the field was edited, or `new --secretary` named another) and the previous one is still in `present` while the
    new one is not: a list copied from the previous meeting. Judged against the previous meeting of the series.
    The names are compared by the keys `summarize` made."""
    series: dict[str, list[Summary]] = {}
    for s in summaries:
        if s.secretary is not None:
            series.setdefault(s.series, []).append(s)
    found = []
    for items in series.values():
        items.sort(key=lambda x: (x.date, x.id))
        for before, s in zip(items, items[1:], strict=False):
            old, new = before.secretary_key, s.secretary_key
            if old == new or not s.present:
                continue
            keys = {key: (line, col) for key, (_n, line, col) in zip(s.present_keys, s.present, strict=True)}
            if old in keys and new not in keys and old in before.present_keys:
                found.append(Problem(s.path, *keys[old], CODES["secretary-in-present"], "secretary-in-present",
                                     _("{old}, the secretary of the previous meeting ({file}), is listed among those "
                                       "present; the secretary now is {new}, who is not.").format(
                                         old=before.secretary, file=before.path, new=s.secretary),
                                     _("A list copied from the previous meeting: remove {old} from `present` if she "
                                       "or he did not attend, and add {new}, as the previous meeting listed its "
                                       "secretary.").format(old=before.secretary, new=s.secretary)))
    return found


def _references(summaries: dict[str, Summary]) -> list[Problem]:
    """acts_on must name a decision that exists, taken at this meeting or an earlier one."""
    acting = [s for s in summaries.values() if s.acts]
    if not acting:
        return []
    known = {decision: s for s in summaries.values() for decision in s.decisions}
    found = []
    for s in acting:
        for acting_id, target_id, action, to, line, col in s.acts:
            target = known.get(target_id)
            problem = reference_problem(s.path, line, col, acting_id, s.date, target_id,
                                        target.date if target else None, target.path if target else None, known,
                                        action, to)
            if problem is not None:
                found.append(problem)
    return found


def reference_problem(file: str, line: int, col: int, acting_id: str, acting_date: date, target_id: str,
                      target_date: date | None, target_file: str | None, known_ids=(), action: str | None = None,
                      to: date | None = None) -> Problem | None:
    """The problem with one acts_on reference, or None (status.py reports the same for `protokol due`)."""
    import difflib

    line, col = line or 1, col or 1
    if target_date is None:
        protocol_id = target_id.split("/", 1)[0]
        in_protocol = sorted(i for i in known_ids if i.startswith(protocol_id + "/"))
        if in_protocol:
            close = difflib.get_close_matches(target_id, in_protocol, n=3, cutoff=0.5)
            hint = _("Protocol {protocol} has decisions {ids}; check the number.").format(
                protocol=protocol_id, ids=", ".join(i.split("/", 1)[1] for i in (close or in_protocol[:8])))
        else:
            protocols = sorted({i.split("/", 1)[0] for i in known_ids})
            close = difflib.get_close_matches(protocol_id, protocols, n=3, cutoff=0.6)
            hint = (_("Did you mean {ids}? A protocol's id is its file name without .yaml.").format(ids=", ".join(close))
                    if close else _("A protocol's id is its file name without .yaml, e.g. 2024-02-14-3/1.1."))
        return Problem(file, line, col, CODES["reference-unknown"], "reference-unknown",
                       _("Decision {id} acts on {target}, which does not exist.").format(id=acting_id, target=target_id), hint)
    if target_date > acting_date:
        return Problem(file, line, col, CODES["reference-date"], "reference-date",
                       _("Decision {id} of {date} acts on {target}, taken later, on {target_date}.").format(
                           id=acting_id, date=shown_date(acting_date), target=target_id, target_date=shown_date(target_date)),
                       _("A meeting can act only on decisions of earlier meetings: check the protocol id ({file}).").format(
                           file=target_file))
    if action == "extend" and to is None:
        return Problem(file, line, col, CODES["reference-extend"], "reference-extend",
                       _("Decision {id} extends {target} but gives no new date.").format(id=acting_id, target=target_id),
                       _("Add `to: YYYY-MM-DD`, the date written in the protocol («продлить до …»)."))
    return None


def _participants(p: m.Protocol) -> list[Problem]:
    found = []
    parts = p.participants
    for role, code in (("chair", "chair-missing"), ("secretary", "secretary-missing")):
        if getattr(parts, role) is None and role not in parts.not_recorded:
            label = _("chair (председатель)") if role == "chair" else _("secretary (секретарь)")
            found.append(_problem(p, parts.pos or p.pos, code, _("The protocol names no {who}.").format(who=label),
                                  _("Add `{role}: Фамилия И.О.` under participants, or `{role}: null` if the original protocol names none.").format(role=role)))
    if parts.chair is None and parts.secretary is None and "signatures" not in p.field_pos and p.original != "paper":
        # render takes the signature lines from the chair and the secretary; with neither, nobody signs the paper.
        # A protocol encoded from paper (`original: paper`) is as that paper was signed, by nobody if so.
        found.append(_problem(p, parts.pos or p.pos, "signatures-missing",
                              _("Nobody signs this protocol: it has no signatures, no chair and no secretary."),
                              _("Add `signatures: [{role: Председатель, name: И.О. Фамилия}]`, name the chair or the "
                                "secretary, or write `signatures: []` if the original is signed by nobody.")))
    return found


def _agenda_numbers(p: m.Protocol) -> list[Problem]:
    found = []
    seen: dict[str, m.AgendaItem] = {}
    last = None
    for item in p.agenda:
        if item.key in seen:
            found.append(_problem(p, item.pos, "agenda-duplicate",
                                  _("Agenda item {number} appears twice (first on line {line}).").format(number=item.key, line=seen[item.key].pos.line),
                                  _("Give each question its own number; an unnumbered question takes its position as its number.")))
        seen.setdefault(item.key, item)
        if item.number and item.key.isdigit():
            if last is not None and int(item.key) <= last:
                found.append(_problem(p, item.pos, "agenda-order",
                                      _("Agenda item {number} comes after item {previous}.").format(number=item.key, previous=last),
                                      _("Keep agenda items in their printed order.")))
            last = int(item.key)
    return found


def _decision_numbers(p: m.Protocol) -> list[Problem]:
    found = []
    seen: dict[str, m.Decision] = {}
    for ref in m.walk_decisions(p):
        d = ref.decision
        if d.key in seen:
            found.append(_problem(p, d.pos, "decision-duplicate",
                                  _("Decision {id} appears twice (first on line {line}).").format(id=ref.id, line=seen[d.key].pos.line),
                                  _("Each decision needs its own number: fix `number:`, or omit it to number by position.")))
        else:
            seen[d.key] = d
    return found


def _deadlines(p: m.Protocol, today: date, school_year: SchoolYear) -> list[Problem]:
    from .deadlines import DeadlineError, find_deadline_in_text, parse_deadline

    found = []
    for ref in m.walk_decisions(p):
        d = ref.decision
        if d.deadline is not None and d.due is None:
            try:
                parsed = parse_deadline(d.deadline, p.date, today, school_year)
                if parsed.kind == "date" and parsed.due is not None and parsed.due < p.date:
                    pos = d.field_pos.get("deadline", d.pos)
                    found.append(_problem(p, Pos(pos.line, pos.col), "deadline-before-meeting",
                                          _("The deadline «{text}» ({due}) is before the meeting ({date}).").format(
                                              text=d.deadline, due=shown_date(parsed.due),
                                              date=shown_date(p.date)),
                                          _("Check the year: a decision cannot fall due before it was taken.")))
            except DeadlineError as exc:
                pos = d.field_pos.get("deadline", d.pos)
                found.append(_problem(p, Pos(pos.line, pos.col), "deadline-unknown",
                                      _("Unknown deadline '{text}': {reason}").format(text=d.deadline, reason=exc.message),
                                      _("Write it in an accepted form, e.g. {examples}; or keep the text and add `due: YYYY-MM-DD`.").format(
                                          examples="; ".join(f"«{e}»" for e in exc.examples[:4]))))
        if ref.is_leaf and ref.deadline is None and ref.due is None and not d.acts_on:
            # (a decision acting on an earlier one names that one's new date: «срок пункта 2.4 продлить до …»)
            hit = find_deadline_in_text(d.text)
            if hit:
                found.append(_problem(p, d.field_pos.get("text", d.pos), "deadline-in-text",
                                      _("The decision's text holds a deadline «{phrase}» but it has no `deadline`.").format(phrase=hit[2]),
                                      _("Add `deadline: {phrase}` so that `protokol due` tracks it.").format(phrase=hit[2])))
        if ref.is_leaf and (ref.deadline is not None or ref.due is not None) and not ref.responsible and d.responsible != () \
                and not m.inherits_nobody(p, d):
            found.append(_problem(p, d.pos, "responsible-missing",
                                  _("Decision {id} has a deadline but no one responsible.").format(id=ref.id),
                                  _("Add `responsible: …` (Отв.), or `responsible: []` if the protocol names nobody.")))
    return found


def _signature(p: m.Protocol) -> list[Problem]:
    """A signed protocol must still say what was signed (control marks may change; see signing.py); by a v2 hash, its
    record (who, when, amendments) must be the one `sign` wrote."""
    from .signing import signature_matches

    if signature_matches(p) is not False:
        return []
    s = p.signed
    if s.hash == "v1":
        message = _("The protocol was signed by {by} on {date}, but its content has changed since.")
    else:
        message = _("The protocol was signed by {by} on {date}, but its content or its signing record (who signed, "
                    "when, the amendments) has changed since.")
    return [_problem(p, s.pos, "signature-mismatch", message.format(by=s.by, date=shown_date(s.date)),
                     _("Undo the change (`protokol diff` shows it), or record the correction: "
                       "protokol sign {id} --by NAME --amend \"what was corrected\". A wrong name or date of signing "
                       "is corrected with --force once the hand edit is undone.").format(id=p.id))]


def moved_deadlines(p: m.Protocol, today: date, school_year: SchoolYear, as_signed: bool = False) -> list[Problem]:
    """In a signed protocol (or one about to be, `as_signed`), a `due` next to a deadline phrase that gives a day of
    its own, and another day: `due` is left out of the hash (it is for phrases no rule understands), so it would move a
    signed deadline unseen."""
    from .deadlines import DeadlineError, parse_deadline

    if p.signed is None and not as_signed:
        return []
    found = []
    for ref in m.walk_decisions(p):
        d = ref.decision
        if d.deadline is None or d.due is None:
            continue
        try:
            parsed = parse_deadline(d.deadline, p.date, today, school_year)
        except DeadlineError:
            continue  # what `due` is for
        if parsed.kind == "date" and parsed.due is not None and parsed.due != d.due:
            found.append(_problem(p, d.field_pos.get("due", d.pos), "due-moves-deadline",
                                  _("Decision {id} is due {due} by its signed deadline «{text}», but `due:` says {given}.").format(
                                      id=ref.id, due=shown_date(parsed.due), text=d.deadline, given=d.due.isoformat()),
                                  _("Remove `due:` (it is for phrases no rule understands). A deadline moved after "
                                    "signing is recorded with protokol extend {id} --to DATE --reason \"…\".").format(id=ref.id)))
    return found


def _undated_extensions(p: m.Protocol) -> list[Problem]:
    """An extension in the control marks without the day it was decided (`on`) or why (`reason`), as `protokol extend`
    always writes them; one made by a later protocol (`by`) is dated and explained by that protocol."""
    found = []
    for ref in m.walk_decisions(p):
        c = ref.decision.control
        for e in c.extensions if c is not None else ():
            missing = [key for key, value in (("on", e.on), ("reason", e.reason)) if value is None and e.by is None]
            if missing:
                found.append(_problem(p, e.pos if e.pos.line else c.pos, "extension-undated",
                                      _("The extension of decision {id} to {to} has no {keys}: nothing says when or why "
                                        "the deadline was moved.").format(id=ref.id, to=shown_date(e.to),
                                                                          keys=", ".join(missing)),
                                      _("Add `on: YYYY-MM-DD` and `reason: …` to it; `protokol extend` writes both.")))
    return found


_YEAR_DIR = re.compile(r"(19|20)\d\d")
_DATE_PREFIX = re.compile(r"(\d{4})-(\d{2})-(\d{2})")


def _dates(p: m.Protocol, today: date) -> list[Problem]:
    found = []
    date_pos = p.field_pos.get("date", p.pos)
    prefix = _DATE_PREFIX.match(p.id)
    if prefix and prefix.group(0) != p.date.isoformat():
        found.append(_problem(p, date_pos, "date-filename",
                              _("The file name says {name} but the meeting date is {date}.").format(name=prefix.group(0), date=shown_date(p.date)),
                              _("Rename the file or correct `date:`; ids (and so decision ids) come from the file name.")))
    parts = p.path.replace("\\", "/").split("/")
    if len(parts) >= 2 and _YEAR_DIR.fullmatch(parts[-2]) and int(parts[-2]) != p.date.year:
        found.append(_problem(p, date_pos, "date-folder",
                              _("The file is in folder {folder} but the meeting was in {year}.").format(folder=parts[-2], year=p.date.year),
                              _("Move it to protocols/{year}/.").format(year=p.date.year)))
    if p.date > today and p.status != "draft":
        found.append(_problem(p, date_pos, "date-future",
                              _("The meeting date {date} is in the future.").format(date=shown_date(p.date)),
                              _("Check the year; a protocol being prepared ahead can say `status: draft`.")))
    for ref in m.walk_decisions(p):
        c = ref.decision.control
        if c is None:
            continue
        dates = [("date", c.date)] + [("extensions", e.on) for e in c.extensions] + [("extensions", e.to) for e in c.extensions]
        dates += [("history", day) for h in c.history for day in (h.date, h.reopened)]
        for key, value in dates:
            if value is not None and value < p.date:
                found.append(_problem(p, c.field_pos.get(key, c.pos), "control-date",
                                      _("Control date {value} of decision {id} is before the meeting ({date}).").format(
                                          value=shown_date(value), id=ref.id, date=shown_date(p.date)),
                                      _("A decision cannot be executed or extended before it was taken: check the year.")))
    return found
