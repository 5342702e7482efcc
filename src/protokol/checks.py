"""Named checks of meaning, run on loaded protocols; each finds problems and returns them as values.

Every code here is documented in docs/checks.md with an example; tests/data/checks/ holds a reproducer per code.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date

from . import model as m
from .deadlines import DeadlineError, SchoolYear, find_deadline_in_text, parse_deadline
from .i18n import _
from .problems import ERROR, WARNING, Pos, Problem

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
    "agenda-duplicate": ERROR,
    "agenda-order": WARNING,
    "decision-duplicate": ERROR,
    "deadline-unknown": ERROR,
    "deadline-in-text": WARNING,
    "responsible-missing": WARNING,
    "date-filename": WARNING,
    "date-folder": WARNING,
    "date-future": WARNING,
    "control-date": ERROR,
    "protocol-duplicate-id": ERROR,
}


def _problem(p: m.Protocol, pos: Pos, code: str, message: str, hint: str = "") -> Problem:
    return Problem(p.path, pos.line or 1, pos.col or 1, CODES[code], code, message, hint)


_DEFAULT_SCHOOL_YEAR = SchoolYear()


def check_protocol(p: m.Protocol, today: date, school_year: SchoolYear = _DEFAULT_SCHOOL_YEAR) -> list[Problem]:
    found: list[Problem] = []
    found += _participants(p)
    found += _agenda_numbers(p)
    found += _decision_numbers(p)
    found += _deadlines(p, today, school_year)
    found += _dates(p, today)
    return found


def check_archive(protocols: Iterable[m.Protocol]) -> list[Problem]:
    """Checks across files: ids must be unique in an archive."""
    seen: dict[str, m.Protocol] = {}
    found = []
    for p in protocols:
        if p.id in seen:
            found.append(_problem(p, Pos(1, 1), "protocol-duplicate-id",
                                  _("Protocol id '{id}' is also used by {other}.").format(id=p.id, other=seen[p.id].path),
                                  _("Ids come from file names: rename one of the files.")))
        else:
            seen[p.id] = p
    return found


def _participants(p: m.Protocol) -> list[Problem]:
    found = []
    parts = p.participants
    for role, code in (("chair", "chair-missing"), ("secretary", "secretary-missing")):
        if getattr(parts, role) is None and role not in parts.not_recorded:
            label = _("chair (председатель)") if role == "chair" else _("secretary (секретарь)")
            found.append(_problem(p, parts.pos or p.pos, code, _("The protocol names no {who}.").format(who=label),
                                  _("Add `{role}: Фамилия И.О.` under participants, or `{role}: null` if the original protocol names none.").format(role=role)))
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
    found = []
    for ref in m.walk_decisions(p):
        d = ref.decision
        if d.deadline is not None and d.due is None:
            try:
                parse_deadline(d.deadline, p.date, today, school_year)
            except DeadlineError as exc:
                pos = d.field_pos.get("deadline", d.pos)
                found.append(_problem(p, Pos(pos.line, pos.col), "deadline-unknown",
                                      _("Unknown deadline '{text}': {reason}").format(text=d.deadline, reason=exc.message),
                                      _("Write it in an accepted form, e.g. {examples}; or keep the text and add `due: YYYY-MM-DD`.").format(
                                          examples="; ".join(f"«{e}»" for e in exc.examples[:4]))))
        if ref.is_leaf and ref.deadline is None and ref.due is None:
            hit = find_deadline_in_text(d.text)
            if hit:
                found.append(_problem(p, d.field_pos.get("text", d.pos), "deadline-in-text",
                                      _("The decision's text holds a deadline «{phrase}» but it has no `deadline`.").format(phrase=hit[2]),
                                      _("Add `deadline: {phrase}` so that `protokol due` tracks it.").format(phrase=hit[2])))
        if ref.is_leaf and (ref.deadline is not None or ref.due is not None) and not ref.responsible and d.responsible != () \
                and not _inherits_nobody(p, d):
            found.append(_problem(p, d.pos, "responsible-missing",
                                  _("Decision {id} has a deadline but no one responsible.").format(id=ref.id),
                                  _("Add `responsible: …` (Отв.), or `responsible: []` if the protocol names nobody.")))
    return found


def _inherits_nobody(p: m.Protocol, target: m.Decision) -> bool:
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


_YEAR_DIR = re.compile(r"(19|20)\d\d")
_DATE_PREFIX = re.compile(r"(\d{4})-(\d{2})-(\d{2})")


def _dates(p: m.Protocol, today: date) -> list[Problem]:
    found = []
    date_pos = p.field_pos.get("date", p.pos)
    prefix = _DATE_PREFIX.match(p.id)
    if prefix and prefix.group(0) != p.date.isoformat():
        found.append(_problem(p, date_pos, "date-filename",
                              _("The file name says {name} but the meeting date is {date}.").format(name=prefix.group(0), date=p.date.isoformat()),
                              _("Rename the file or correct `date:`; ids (and so decision ids) come from the file name.")))
    parts = p.path.replace("\\", "/").split("/")
    if len(parts) >= 2 and _YEAR_DIR.fullmatch(parts[-2]) and int(parts[-2]) != p.date.year:
        found.append(_problem(p, date_pos, "date-folder",
                              _("The file is in folder {folder} but the meeting was in {year}.").format(folder=parts[-2], year=p.date.year),
                              _("Move it to protocols/{year}/.").format(year=p.date.year)))
    if p.date > today and p.status != "draft":
        found.append(_problem(p, date_pos, "date-future",
                              _("The meeting date {date} is in the future.").format(date=p.date.isoformat()),
                              _("Check the year; a protocol being prepared ahead can say `status: draft`.")))
    for ref in m.walk_decisions(p):
        c = ref.decision.control
        if c is None:
            continue
        dates = [("date", c.date)] + [("extensions", e.on) for e in c.extensions] + [("extensions", e.to) for e in c.extensions]
        for key, value in dates:
            if value is not None and value < p.date:
                found.append(_problem(p, c.field_pos.get(key, c.pos), "control-date",
                                      _("Control date {value} of decision {id} is before the meeting ({date}).").format(
                                          value=value.isoformat(), id=ref.id, date=p.date.isoformat()),
                                      _("A decision cannot be executed or extended before it was taken: check the year.")))
    return found
