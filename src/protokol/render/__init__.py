"""The view step of rendering: Protocol + Settings + options -> a plain dict that templates print without thinking.

Everything a template would otherwise compute lives here, tested once for every format: printed decision labels,
which Срок/Отв. lines appear where, speakers in the accusative, Russian dates, the participants threshold, the
extract's selection and its certification. Pure: no I/O, no clock; pytrovich is loaded only when a name is declined.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date

from .. import model as m
from ..i18n import _
from ..names import gender_index, heard_gender, heard_name
from ..problems import WARNING, Pos, Problem
from ..rudates import format_date

__all__ = ["RenderOptions", "build_view", "agenda_keys", "parse_certify_by", "people_count", "initials_first",
           "printed_name"]

BULLET = "–"
_BULLETS = ("-", "–", "—", "•")
_ISO = re.compile(r"\d{4}-\d{2}-\d{2}")


@dataclass(frozen=True)
class RenderOptions:
    form: str = "full"  # full | short (questions, speakers and decisions only)
    extract: bool = False  # render an extract (выписка) even from a full protocol
    items: tuple[str, ...] | None = None  # agenda item keys kept in an extract; None: all
    certify_by: m.Person | None = None  # overrides the protocol's and the settings' certifier
    certify_date: date | None = None


def agenda_keys(protocol: m.Protocol) -> list[str]:
    """The keys an extract's --items may name: each item's number as printed, or its position when unnumbered."""
    return [item.key for item in protocol.agenda]


def parse_certify_by(text: str) -> m.Person:
    """«Фамилия И.О., должность» -> a Person; the position is everything after the first comma."""
    name, _sep, position = text.partition(",")
    return m.Person(name=name.strip(), position=position.strip() or None)


def people_count(n: int) -> str:
    """«15 человек», «4 человека», «21 человек», «22 человека»."""
    word = "человека" if n % 10 in (2, 3, 4) and n % 100 not in (12, 13, 14) else "человек"
    return f"{n} {word}"


def initials_first(name: str) -> str:
    """«Морозова О.Д.» -> «О.Д. Морозова» (the form under a signature); text that is not a name stays as written."""
    from ..names import parse_name

    parts = parse_name(name)
    if parts is None:
        return name
    return "".join(f"{i}." for i in parts.initials) + " " + parts.surname


def printed_name(name: str) -> str:
    """A person's name as every output prints it: initials bound to each other and to the surname by non-breaking
    spaces («Шилова Е. Б.» → «Шилова\u00a0Е.\u00a0Б.»), so that no line breaks between «Е.» and «Б.». The one place
    the view applies it: participants, speakers, СЛУШАЛИ/ВЫСТУПИЛИ, «Отв.:», signatures and the certification.
    Text that is not a name with initials stays as written."""
    from ..names import nonbreaking

    return nonbreaking(name)


def _join_names(names: list[str]) -> str:
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " и " + names[-1]


def _lines(text: str | None) -> list[str]:
    """The non-empty lines of a multi-line text, right-stripped (leading spaces are kept: they can mean nesting)."""
    if not text:
        return []
    return [line.rstrip() for line in text.split("\n") if line.strip()]


def _label(number: str | None, position: int, level: int) -> str:
    """How a decision's number prints: as written with a final dot; a bullet; or its position at the top level."""
    if number is not None and number.strip():
        printed = number.strip()
        if printed in _BULLETS:
            return BULLET
        return printed if printed.endswith((".", ")")) else printed + "."
    return f"{position}." if level == 0 else BULLET


def _key_label(key: str) -> str:
    """How a decision of a protocol written with protokol prints: the number of its id, which `due`, carry-over and
    `acts_on` cite («2.2.1.»), so that whatever the tool cites can be found on the paper."""
    return key if key.endswith((".", ")")) else key + "."


def _item_label(number: str | None) -> str:
    if number is None or not number.strip():
        return ""
    printed = number.strip()
    return printed if printed.endswith((".", ")")) else printed + "."


_WORDS = re.compile(r"[0-9A-Za-zА-Яа-яЁё]+")


def _fold(text: str) -> str:
    return text.casefold().replace("ё", "е")


def _names_all(executors: tuple[str, ...], text: str) -> bool:
    """Does the decision's own text already name every executor? («Руководителям ОО продолжить…», «Администрациям ОУ:»)

    A lead line in the dative names the executors of what follows; the originals then print no «Отв.:» line, and
    neither do we. Words are compared by stem (all but the ending), short words (abbreviations: ОО, МОУ) exactly.
    """
    words = [_fold(w) for w in _WORDS.findall(text)]
    if not executors or not words:
        return False
    for executor in executors:
        tokens = [t for t in (_fold(w) for w in _WORDS.findall(executor)) if len(t) > 1]
        if not tokens:
            return False
        for token in tokens:
            if len(token) <= 4:
                if token not in words:
                    return False
            else:
                stem = token[:-2] if len(token) >= 6 else token[:-1]
                if not any(w.startswith(stem) for w in words):
                    return False
    return True


class _Builder:
    def __init__(self, protocol: m.Protocol, settings, options: RenderOptions, known: dict[str, str], directory=None):
        self.p = protocol
        self.settings = settings
        self.options = options
        self.problems: list[Problem] = []
        self.genders = {**known, **self._gender_index()}
        # people.yaml's positions for the persons a protocol names alone (docs/archive.md, People)
        self.known = directory.resolve if directory else (lambda person: person)

    # ---------------------------------------------------------------- helpers

    def date(self, d: date) -> str:
        return format_date(d, self.settings.date_style)

    def _gender_index(self) -> dict[str, str]:
        return gender_index(self.p)

    def accusative(self, person: m.Person) -> str:
        from ..names import decline, guess_gender, parse_name

        gender = heard_gender(person, self.genders)
        if gender is None and parse_name(person.name) is not None and guess_gender(person.name) is None:
            as_m, as_f = decline(person.name, "accusative", "m"), decline(person.name, "accusative", "f")
            if as_m != as_f:
                pos = person.pos if person.pos.line else Pos()
                self.problems.append(Problem(
                    self.p.path, pos.line or 1, pos.col or 1, WARNING, "render-name-gender",
                    _("Cannot tell from the surname whether '{name}' is a man or a woman; "
                      "it is printed undeclined after СЛУШАЛИ.").format(name=person.name),
                    _("Write the person as {{name: {name}, gender: m}} (or f) here or in the participants.").format(
                        name=person.name)))
        return heard_name(person, self.genders)

    @staticmethod
    def person_line(person: m.Person) -> str:
        text = printed_name(person.name)
        if person.position:
            text += f", {person.position}"
        if person.note:
            text += f" ({person.note})"
        return text

    # ---------------------------------------------------------------- participants

    def attendance(self, entries: tuple, threshold: int | None) -> dict | None:
        if not entries:
            return None
        rows: list[dict] = []
        named = heads = 0
        for entry in entries:
            if isinstance(entry, m.Person):
                rows.append(self._person_row(self.known(entry), "person"))
                named += 1
                heads += 1
                continue
            members = tuple(self.known(p) for p in entry.members)
            count = entry.count if entry.count is not None else len(members)
            named += len(members)
            heads += count
            text = entry.group.rstrip()
            if entry.count is not None:
                text += f" – {people_count(entry.count)}"
            if entry.note:
                text += f" ({entry.note})"
            inline = bool(members) and not any(p.position or p.note for p in members)
            if inline:
                # a list of bare names reads best on one line: «Директора школ: Сосновская В. И., Вахромова Т. А., …»
                text = text.rstrip(":") + ": " + ", ".join(printed_name(p.name) for p in members)
            elif members:
                text = text if text.endswith(":") else text + ":"
            rows.append({"kind": "group", "text": text, "name": text, "position": None,
                         "members": [] if inline else [self._person_row(p, "member") for p in members]})
            if not inline:
                rows.extend(self._person_row(p, "member") for p in members)
        summary = None
        if threshold is not None and named > threshold:
            summary = f"{people_count(heads)} (список прилагается)"  # document text: always Russian
        return {
            "rows": rows,
            "entries": [r for r in rows if r["kind"] != "member"],
            "count": heads,
            "named": named,
            "summary": summary,
            "attached": summary is not None,
        }

    @staticmethod
    def _person_row(person: m.Person, kind: str) -> dict:
        position = person.position
        if person.note:
            position = f"{position} ({person.note})" if position else f"({person.note})"
        name = printed_name(person.name)
        return {"kind": kind, "name": name, "position": position,
                "text": name + (f" – {position}" if position else ""), "members": []}

    # ---------------------------------------------------------------- decisions

    def deadline_text(self, d: m.Decision) -> str | None:
        if d.deadline is not None and d.deadline.strip():
            text = d.deadline.strip()
            if _ISO.fullmatch(text):
                try:
                    return self.date(date.fromisoformat(text))
                except ValueError:
                    return text
            return text
        if d.due is not None:
            return self.date(d.due)
        return None

    def responsible_text(self, d: m.Decision) -> str | None:
        if not d.responsible:
            return None  # None: inherited, printed where it is written; (): nobody named
        if _names_all(d.responsible, d.text):
            return None
        return ", ".join(printed_name(x) for x in d.responsible)

    def decisions(self, decisions: tuple[m.Decision, ...], level: int, blocks: list[dict]) -> list[dict]:
        tree = []
        paper = self.p.original == "paper"  # the paper's own look; else the numbers of the ids
        for position, d in enumerate(decisions, 1):
            label = _label(d.number, position, level) if paper or not d.key else _key_label(d.key)
            node = {
                "id": f"{self.p.id}/{d.key}" if d.key else "",
                "key": d.key,
                "level": level,
                "label": label,
                "bullet": label == BULLET,
                "text": d.text.strip(),
                "lines": _lines(d.text),
                "deadline": self.deadline_text(d),
                "responsible": self.responsible_text(d),
                "items": [],
            }
            node["terms"] = bool(node["deadline"] or node["responsible"])
            tree.append(node)
            if d.items:
                blocks.append({**node, "deadline": None, "responsible": None, "terms": False, "trailer": False})
                node["items"] = self.decisions(d.items, level + 1, blocks)
                if node["terms"]:
                    # Срок and Отв. of a group follow its last item, as the originals print them
                    blocks.append({**node, "label": "", "text": "", "lines": [], "trailer": True, "items": []})
            else:
                blocks.append({**node, "trailer": False})
        return tree

    # ---------------------------------------------------------------- statements

    def statement(self, s: m.Statement, heard: bool, short: bool) -> dict:
        names = [printed_name(self.accusative(p) if heard else p.name) for p in s.who]
        lines = [] if short else _lines(s.text)
        role = s.role.strip() if s.role else None
        who = _join_names(names)
        return {
            "who": who,
            "role": role,
            "needs_period": not (role or who).endswith("."),  # «СЛУШАЛИ: Иванову Н.В.» gets no second dot
            "text": "\n".join(lines),
            "lines": lines,
            "first": lines[0].strip() if lines else "",
            "rest": lines[1:],
        }

    def votes(self, v: m.Votes | None) -> dict | None:
        if v is None:
            return None
        parts = []
        for word, value in (("«за»", v.for_), ("«против»", v.against), ("«воздержались»", v.abstained)):
            if value is not None:
                parts.append(f"{word} – {value if value else 'нет'}")
        line = ", ".join(parts)
        if v.text:
            line = f"{line}; {v.text.strip()}" if line else v.text.strip()
        return {"for": v.for_, "against": v.against, "abstained": v.abstained, "text": v.text, "line": line}

    # ---------------------------------------------------------------- the whole

    def selected_items(self) -> list[m.AgendaItem]:
        keys = self.options.items
        if not keys:
            return list(self.p.agenda)
        wanted = set(keys)
        return [item for item in self.p.agenda if item.key in wanted]

    def certification(self, extract: bool) -> dict | None:
        p, o, s = self.p, self.options, self.settings
        cert = None
        if o.certify_by is not None:
            cert = m.Certification(name=o.certify_by.name, position=o.certify_by.position)
        elif p.certification is not None:
            cert = p.certification
        elif extract and s.certify_by is not None:
            cert = m.Certification(name=s.certify_by.name, position=s.certify_by.position)
        made_here = self.options.extract  # an extract made now gets a date line to fill in by hand
        if cert is None:
            if not made_here:
                return None
            self.problems.append(Problem(
                p.path, 1, 1, WARNING, "render-no-certifier",
                _("Nobody is named to certify the extract («Верно»); the block is left blank to fill in by hand."),
                _("Add certify_by: {name: …, position: …} to protokol.yaml or pass --certify-by \"Фамилия И.О., должность\".")))
            return {"label": "Верно", "position": "", "name": "", "date": None, "blank_date": True}
        when = o.certify_date or cert.date
        return {
            "label": cert.label,
            "position": cert.position or "",
            "name": printed_name(initials_first(cert.name)),
            "date": self.date(when) if when else None,
            "blank_date": when is None and made_here,
        }

    def agenda(self, items: list[m.AgendaItem]) -> list[dict]:
        agenda = []
        for item in items:
            # Only numbered questions form the printed agenda: an unnumbered one was discussed without being on it
            # (seed 002 lists only item 5; seeds 001 and 003 print no agenda at all).
            if not item.title or item.number is None:
                continue
            # a speaker named alone takes the position people.yaml gives, as the participants do: the originals that
            # name a speaker print «Н.В. Иванова, ведущий специалист – методист…» (2024-01-09-1)
            persons = [self.known(x) for x in item.speakers]
            speakers = [self.person_line(x) for x in persons]
            # «Иванова Н.В., методист; Петров П.П., директор»: a comma alone would not tell the persons apart
            separator = "; " if any(x.position or x.note for x in persons) else ", "
            agenda.append({
                "key": item.key,
                "label": _item_label(item.number),
                "title": item.title.strip(),
                "speakers": separator.join(speakers),
                "speaker_count": len(speakers),
            })
        return agenda

    def question(self, item: m.AgendaItem, short: bool) -> dict:
        blocks: list[dict] = []
        tree = self.decisions(item.decided, 0, blocks)
        label = _item_label(item.number)
        heading = (item.heading or item.title or "").strip()
        return {
            "key": item.key,
            "label": label,
            "title": (item.title or "").strip(),
            "heading": f"{label} {heading}".strip() if heading else "",
            "heard": [self.statement(x, True, short) for x in item.heard],
            "spoke": [self.statement(x, False, short) for x in item.spoke],
            "discussed": None if short else (item.discussed or "").strip() or None,
            "discussed_lines": [] if short else _lines(item.discussed),
            "decided_intro": (item.decided_intro or "").strip() or None,
            "decided_intro_lines": _lines(item.decided_intro),
            "decisions": tree,
            "blocks": blocks,
            "has_decisions": bool(tree or item.decided_intro),
            "votes": self.votes(item.votes),
        }

    def role(self, role_person: m.Person | None, word: str) -> dict | None:
        """The chair's or the secretary's line after «Председатель – » or «Секретарь – » (`word`): a position that
        only says the role again («Секретарь – Смирнова Е.В., секретарь») is left out."""
        if role_person is None:
            return None
        role_person = self.known(role_person)
        if role_person.position and _fold(role_person.position).strip(" .") == _fold(word):
            role_person = replace(role_person, position=None)
        return {"name": printed_name(role_person.name), "position": role_person.position,
                "line": self.person_line(role_person)}

    def signatures(self) -> list[dict]:
        """The signature lines as written; without a `signatures:` key, the chair's and the secretary's («И.О.
        Фамилия» under ГОСТ Р 7.0.97), so that a protocol is never printed with nobody to sign it. `signatures: []`
        says the paper has none."""
        p = self.p
        if p.signatures or "signatures" in p.field_pos:
            return [{"role": x.role.strip(), "name": printed_name((x.name or "").strip())} for x in p.signatures]
        parts = p.participants
        return [{"role": role, "name": printed_name(initials_first(person.name.strip()))}
                for role, person in (("Председатель", parts.chair), ("Секретарь", parts.secretary)) if person]

    def free_sections(self) -> tuple[list[dict], list[dict]]:
        """(sections, appendix): an extract made now carries the header, the participants and the chosen questions,
        not the free sections."""
        p = self.p
        if self.options.extract and p.kind != "extract":
            return [], []
        sections = [{"title": x.title.strip().rstrip(":").rstrip(), "text": (x.text or "").strip(), "lines": _lines(x.text)}
                    for x in p.sections]
        appendix = [{"title": x.title.strip(), "text": (x.text or "").strip(), "lines": _lines(x.text)} for x in p.appendix]
        return sections, appendix

    def build(self) -> dict:
        p, o = self.p, self.options
        extract = o.extract or p.kind == "extract"
        parts = p.participants
        items = self.selected_items()
        sections, appendix = self.free_sections()
        organization_lines = [line.strip() for line in _lines(p.organization)]
        return {
            "id": p.id,
            "path": p.path,
            "kind": "extract" if extract else "protocol",
            "extract": extract,
            "kind_title": "ВЫПИСКА ИЗ ПРОТОКОЛА" if extract else "ПРОТОКОЛ",
            "form": o.form,
            "short": o.form == "short",
            "draft": p.status == "draft",
            "organization": " ".join(organization_lines) or None,
            "organization_lines": organization_lines,
            "number": p.number.strip() if p.number else None,
            "date": self.date(p.date),
            "date_iso": p.date.isoformat(),
            "place": p.place,
            "title": p.title.strip(),
            "time": p.time,
            "venue": p.venue,
            "format": p.format,
            "link": p.link,
            "chair": self.role(parts.chair, "председатель"),
            "secretary": self.role(parts.secretary, "секретарь"),
            "present": self.attendance(parts.present, self.settings.participants_threshold),
            "invited": self.attendance(parts.invited, None),
            "absent": self.attendance(parts.absent, None),
            "sections": sections,
            "agenda": self.agenda(items),
            "questions": [self.question(item, o.form == "short") for item in items],
            "signatures": self.signatures(),
            "certification": self.certification(extract),
            "appendix": appendix,
            "selected": [item.key for item in items] if o.items else None,
        }


def build_view(protocol: m.Protocol, settings=None, options: RenderOptions | None = None,
               genders: dict[str, str] | None = None, directory=None) -> tuple[dict, list[Problem]]:
    """The template context for one protocol, and the warnings met on the way (cleaned text, undeclinable names).
    `genders` (name key -> m or f, people.Directory.genders) declines the names whose gender the protocol does not
    give; what the protocol says wins. `directory` (people.Directory) gives the participants their positions where
    the protocol names a person alone."""
    from ..settings import Settings
    from .clean import clean_protocol

    settings = settings or Settings()
    options = options or RenderOptions()
    protocol, problems = clean_protocol(protocol)
    builder = _Builder(protocol, settings, options, genders or {}, directory)
    view = builder.build()
    return view, problems + builder.problems
