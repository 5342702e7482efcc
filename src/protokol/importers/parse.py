"""Lines of existing minutes -> a protocol model and the spots a secretary should review (a classifier + state machine).

The parser reads the parts in the order a protocol prints them (header, participants, agenda, per question СЛУШАЛИ /
ВЫСТУПИЛИ / ОБСУДИЛИ / РЕШИЛИ / ГОЛОСОВАЛИ, signatures, appendix). Two parts are found before the main pass because
they are easiest to recognise from the end: the appendix (a heading «Приложение») and the signature block (short lines
of positions and names). Nothing is dropped: a line that fits no field is kept where it appeared (a free section, a
decision's note or the text of a statement) and reported with its source line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from .. import model as m
from ..deadlines import DeadlineError, find_deadline_in_text, parse_deadline
from ..i18n import _
from ..names import name_key
from ..rudates import shown_date
from . import words as w
from .source import Line, Source

UNRECOGNISED = "Нераспознанный текст"  # the title of a free section holding lines that fit no field (a Russian value)


@dataclass
class Spot:
    """An uncertain spot: a source line and what the secretary should check there."""

    line: int
    note: str


@dataclass
class DDecision:
    text: str
    line: int
    number: str | None = None
    is_bullet: bool = False
    deadline: str | None = None
    deadline_line: int = 0
    responsible: list[str] | None = None
    items: list[DDecision] = field(default_factory=list)
    parent: DDecision | None = None
    notes: list[str] = field(default_factory=list)
    multiline: bool = False


@dataclass
class DStatement:
    who: list[str]
    role: str | None
    lines: list[str]
    line: int


@dataclass
class DItem:
    number: str | None
    title: str | None
    line: int
    heading: str | None = None
    speakers: list[m.Person] = field(default_factory=list)
    heard: list[DStatement] = field(default_factory=list)
    spoke: list[DStatement] = field(default_factory=list)
    discussed: list[str] = field(default_factory=list)
    intro: list[str] = field(default_factory=list)
    decisions: list[DDecision] = field(default_factory=list)
    pending: list[Line] = field(default_factory=list)  # plain lines after РЕШИЛИ, before we know what they are
    votes: list[str] = field(default_factory=list)
    votes_labels: int = 0
    started: bool = False


@dataclass
class DGroup:
    group: str
    members: list[m.Person] = field(default_factory=list)
    count: int | None = None
    note: str | None = None


@dataclass
class Result:
    protocol: m.Protocol | None
    spots: list[Spot]
    fatal: str | None = None


_URL = re.compile(r"(?:https?|ftp)://[^\s<>»\"]+")
_COUNTED = re.compile(r"^(?P<g>[^\d]*?)\s*[–—-]?\s*(?P<n>\d+)\s*(?:человека|человек|чел\.?)(?![а-яё])\s*(?P<rest>.*)$", re.I)
_ROLE_END = re.compile(r":\s*|\s[–—-]\s+|,\s+(?=(?:котор|он[аи]?\s|он\s|с\s|о\s|об\s|по\s+(?:вопросу|теме)))|\.\s+(?=[А-ЯЁ])")
_VOTE_LINE = re.compile(r"(?i)^(?:[«\"]?\s*(?:за|против|воздержал\w*)\s*[»\"]?\s*[:\-–—]|единогласно)")
_SPLIT_SEMI = re.compile(r";\s*")
_TABLE_HEADER = re.compile(r"№(?:\s*п/п)?|п/п|ф\.?\s?и\.?\s?о\.?|фамилия,? имя,? отчество|фамилия,? инициалы|должность|место работы"
                           r"|подпись|организация|учреждение|участник|участники")
_HEAD_TITLE = re.compile(r"^[А-ЯЁ][а-яё]+(?:\s+[а-яё]+){0,3}\s*:\s*(?P<rest>.*)$")


class _Parser:
    def __init__(self, source: Source):
        self.source = source
        self.lines = source.lines
        self.spots: list[Spot] = [Spot(line, note) for line, note in source.notes]
        self.kind = "protocol"
        self.kind_seen = False
        self.has_kind = False
        self.number: str | None = None
        self.date: date | None = None
        self.org: list[str] = []
        self.title: list[str] = []
        self.title_closed = False
        self.fields: dict[str, str] = {}
        self.chair: m.Person | None = None
        self.secretary: m.Person | None = None
        self.attendees: dict[str, list] = {"present": [], "invited": [], "absent": []}
        self.group: DGroup | None = None
        self.positions: list[Line] = []  # position lines waiting for the name below them (names in a column)
        self.await_role: str | None = None
        self.await_head: str | None = None  # «СЛУШАЛИ:» alone on its line: the speaker is on the next line
        self.sections: list[list] = []  # [title, lines, line]
        self.agenda: list[DItem] = []
        self.item: DItem | None = None
        self.state = "header"
        self.last: DDecision | None = None
        self.field_target: DDecision | None = None
        self.table_cols: dict[str, int] | None = None
        self.signatures: list[m.Signature] = []
        self.signature_lines: list[int] = []
        self.participants_line = 1
        self.certification: m.Certification | None = None
        self.appendix: list[m.Section] = []
        self.body: list[Line] = []
        self.idx = 0

    # ------------------------------------------------------------------------------------------------ helpers
    def spot(self, line: int, note: str) -> None:
        self.spots.append(Spot(line, note))

    def _next(self, offset: int = 1) -> Line | None:
        j = self.idx + offset
        return self.body[j] if j < len(self.body) else None

    def _discussing(self) -> bool:
        return self.state in ("heard", "spoke", "discussed", "decided", "votes", "item")

    def _starts_discussion(self, line: Line | None) -> bool:
        if line is None:
            return False
        label = w.discussion_label(line.text)
        if label and label[0] in ("heard", "spoke"):
            return True
        return w.question_marker(line.text) is not None

    def _item_by_number(self, number: str, line: int) -> DItem:
        for item in self.agenda:
            if item.number == number:
                return item
        item = DItem(number, None, line)
        self.agenda.append(item)
        return item

    def _next_item(self, line: int) -> DItem:
        """The next agenda question not yet discussed, or a new unnumbered one."""
        start = self.agenda.index(self.item) + 1 if self.item in self.agenda else 0
        for item in self.agenda[start:]:
            if not item.started:
                return item
        item = DItem(None, None, line)
        self.agenda.append(item)
        return item

    def _enter(self, item: DItem) -> DItem:
        self._close_item()
        self.item = item
        item.started = True
        self.last = None
        self.field_target = None
        self.table_cols = None
        return item

    def _agenda_title_match(self, text: str) -> DItem | None:
        """An undiscussed agenda question whose title this line repeats («2. О подготовке к ГИА» before СЛУШАЛИ)."""
        key = _fold(text)
        if len(key) < 12:
            return None
        for item in self.agenda:
            if not item.started and item.title and (_fold(item.title).startswith(key) or key.startswith(_fold(item.title))):
                return item
        return None

    # ------------------------------------------------------------------------------------------------ the pass
    def run(self) -> Result:
        lines = self.lines
        appendix_at = self._find_appendix()
        signatures_at = self._find_signatures(appendix_at)
        self.body = lines[:signatures_at]
        self.has_kind = any(w.KIND_LINE.match(x.text) and not w.role_label(x.text) for x in self.body[:25])
        for idx, line in enumerate(self.body):
            self.idx = idx
            self._line(line)
        self._close_participants()
        self._close_item()
        self._signature_block(lines[signatures_at:appendix_at])
        self._appendix(lines[appendix_at:])
        return self._build()

    def _line(self, line: Line) -> None:
        t = line.text
        if self.await_role:
            role, self.await_role = self.await_role, None
            person = w.split_person(t)
            if person or w.is_name(t):
                self._set_role(role, t, line)
                return
        if self.await_head and line.cells is None:
            kind, self.await_head = self.await_head, None
            if w.discussion_label(t) is None and w.question_marker(t) is None:
                self._statement_head(kind, t, line)
                return
        label = w.discussion_label(t)
        if label and line.cells is None:
            self._discussion_label(label, line)
            return
        question = w.question_marker(t)
        if question and line.cells is None:
            self._question(question, line)
            return
        if not self._discussing() or self.state == "section":
            part = w.participant_label(t)
            if part:
                self._close_participants()
                kind, rest = part
                self.state = kind
                if kind == "present":
                    self.participants_line = line.no
                self.group = None
                if rest:
                    self._participant_text(rest, line)
                return
            role = w.role_label(t)
            if role and line.cells is None:
                self._close_participants()
                kind, rest = role
                if rest:
                    self._set_role(kind, rest, line)
                else:
                    self.await_role = kind
                return
            section = w.SECTION_TITLES.match(t)
            if section and line.cells is None:
                self._start_section(section.group("title"), section.group("rest"), line)
                return
        if self.state in ("decided", "votes", "spoke", "heard", "discussed", "item") and line.cells is None:
            num = w.numbered(t)
            again = self._agenda_title_match(num[1] if num else t)
            if again is not None and (num is None or again.number in (None, num[0])):
                self._enter(again)
                self.state = "item"
                return
        if self.state in ("header", "present", "invited", "absent", "section", "decided", "votes") and line.cells is None \
                and self._starts_discussion(self._next()) and not w.bullet(t) and not _FIELD_START.match(t) \
                and (self.state != "header" or self.title or self.date) \
                and not (self.state in self.attendees and self._person(t) is not None):
            self._close_participants()
            num = w.numbered(t)
            number, title = (num[0], num[1]) if num and "." not in num[0] else (None, t)
            item = self._item_by_number(number, line.no) if number else DItem(None, None, line.no)
            if item not in self.agenda:
                self.agenda.append(item)
            item.title = item.title or title
            self._enter(item)
            item.started = False  # the marker below starts its discussion
            self.state = "item"
            return
        handler = {
            "header": self._header_line, "present": self._participant_line, "invited": self._participant_line,
            "absent": self._participant_line, "agenda": self._agenda_line, "section": self._section_line,
            "heard": self._statement_line, "spoke": self._statement_line, "discussed": self._discussed_line,
            "decided": self._decided_line, "votes": self._votes_line, "item": self._item_line,
        }[self.state]
        handler(line)

    # ------------------------------------------------------------------------------------------------ header
    def _header_line(self, line: Line) -> None:
        t = line.text
        k = w.KIND_LINE.match(t)
        if k and not self.kind_seen:
            self.kind_seen = True
            self.kind = "extract" if k.group("kind").lower().startswith("выписка") else "protocol"
            self._header_rest(k.group("rest"), line)
            return
        fields = w.header_fields(t)
        if fields:
            for kind, value in fields:
                self._field(kind, value, line)
            if self.title:
                self.title_closed = True
            return
        if line.cells is not None:
            for cell in line.cells:
                for part in cell.split("\n"):
                    if part.strip():
                        self._header_line(Line(line.no, part.strip(), part.strip()))
            return
        chunks = [c.strip() for c in re.split(r"\t|\s{2,}", line.raw or t) if c.strip()]
        if chunks and all(self._header_chunk(c, line, apply=False) for c in chunks):
            for c in chunks:
                self._header_chunk(c, line, apply=True)
            if self.title:
                self.title_closed = True
            return
        url = _URL.fullmatch(t)
        if url:
            self.fields.setdefault("link", t)
            return
        if self.has_kind and not self.kind_seen:
            self.org.append(t)
            return
        if not self.title_closed:
            generic = _HEAD_TITLE.match(t)
            if generic and self.title and not w.KIND_LINE.match(t):
                self._start_section(t[: t.index(":")].strip(), generic.group("rest"), line)
                return
            self.title.append(t)
            return
        generic = _HEAD_TITLE.match(t)
        if generic:
            self._start_section(t[: t.index(":")].strip(), generic.group("rest"), line)
            return
        self._unknown(line, _("a line of the header that fits no field; kept in a free section"))

    def _header_rest(self, rest: str, line: Line) -> None:
        rest = rest.strip()
        number = w.NUMBER.match(rest)
        if number:
            self.number = number.group("n").rstrip(".")
            rest = number.group("rest").strip()
        found = w.find_date(rest)
        if found:
            d, (start, end) = found
            before = rest[:start].strip()
            if not before or before.lower() in ("от", "дата"):
                self._set_date(d, line)
                rest = re.sub(r"^\s*(?:г\.|года?|год)(?![а-яё])\s*", "", rest[end:]).strip()
            elif re.search(r"(?i)\bот$", before):
                self._set_date(d, line)
                tail = re.sub(r"^\s*(?:г\.|года?|год)\s*", "", rest[end:]).strip()
                rest = (before[:-2].strip() + " " + tail).strip()
        if rest:
            self.title.append(rest)

    def _header_chunk(self, chunk: str, line: Line, apply: bool) -> bool:
        d = w.date_chunk(chunk)
        if d:
            if apply:
                self._set_date(d, line)
            return True
        number = w.NUMBER.match(chunk)
        if number and not number.group("rest"):
            if apply:
                self.number = number.group("n").rstrip(".")
            return True
        if w.PLACE.match(chunk) and len(chunk) < 60:
            if apply:
                self.fields.setdefault("place", chunk)
            return True
        return False

    def _set_date(self, d: date, line: Line) -> None:
        if self.date is None:
            self.date = d
        elif self.date != d:
            self.spot(line.no, _("a second meeting date {date}; the first one, {first}, was kept").format(
                date=shown_date(d), first=shown_date(self.date)))

    def _field(self, kind: str, value: str, line: Line) -> None:
        value = value.strip()
        if kind == "date":
            found = w.find_date(value)
            if found:
                self._set_date(found[0], line)
                rest = (value[:found[1][0]] + value[found[1][1]:]).strip(" .,;")
                rest = re.sub(r"(?i)^(?:г\.?|года?|год)$", "", rest).strip()
                if rest:
                    self._unknown(Line(line.no, rest, rest), _("text beside the date; kept in a free section"))
            else:
                self.spot(line.no, _("cannot read the date '{value}'").format(value=value))
                self._unknown(line, _("kept in a free section"), quiet=True)
            return
        if kind in ("format", "link"):
            url = _URL.search(value)
            if url:
                self.fields.setdefault("link", url.group(0).rstrip(".,;)"))
                value = (value[:url.start()] + value[url.end():]).strip(" ,;<>").strip()
            if kind == "link":
                if value:
                    self.fields.setdefault("format", value)
                return
        if value:
            self.fields.setdefault(kind, value.rstrip(";,"))

    def _set_role(self, kind: str, text: str, line: Line) -> None:
        person = self._person(text)
        if person is None:
            self.spot(line.no, _("no name found for the {role} in '{text}'; kept as written").format(
                role=_("chair") if kind == "chair" else _("secretary"), text=text))
            person = m.Person(name=text.strip().rstrip(";,."))
        if kind == "chair":
            self.chair = person
        else:
            self.secretary = person

    def _person(self, text: str) -> m.Person | None:
        parsed = w.split_person(text)
        if parsed:
            name, position = parsed
            stripped = text.strip().rstrip(";,")
            aside = re.fullmatch(r"\(([^()]*)\)\.?", stripped[len(name):].strip()) \
                if position and stripped.startswith(name) else None
            if aside:  # «Дмитриева В.В. (отпуск)»: a remark, not a position
                return m.Person(name=name, note=aside.group(1).strip())
            return m.Person(name=name, position=position)
        only = w.NAME_ONLY.fullmatch(text)
        if only:
            return m.Person(name=only.group(1).strip())
        return None

    # ------------------------------------------------------------------------------------------------ sections
    def _start_section(self, title: str, rest: str, line: Line) -> None:
        self._close_participants()
        self.sections.append([title.strip(), [rest.strip()] if rest.strip() else [], line.no])
        self.state = "section"

    def _section_line(self, line: Line) -> None:
        self.sections[-1][1].append(_row_text(line))

    def _unknown(self, line: Line, note: str, quiet: bool = False) -> None:
        """Keep a line that fits no field at the place it appeared, and report it."""
        if not quiet:
            self.spot(line.no, note)
        text = _row_text(line)
        if self.item is not None and self._discussing():
            if self.last is not None:
                self.last.notes.append(text)
            elif self.item.heard:
                self.item.heard[-1].lines.append(text)
            else:
                self.item.heard.append(DStatement([], None, [text], line.no))
            return
        if self.sections and self.sections[-1][0] == UNRECOGNISED and self.sections[-1][2] == -1:
            self.sections[-1][1].append(text)
        else:
            self.sections.append([UNRECOGNISED, [text], -1])

    # ------------------------------------------------------------------------------------------------ participants
    def _attendee(self, entry) -> None:
        if self.state == "absent" and isinstance(entry, m.Person) and entry.position and entry.note is None:
            aside = re.fullmatch(r"(.*?)\s*\(([^()]*)\)\.?", entry.position)
            if aside:  # «директор … (командировка)»: why someone was absent is a remark, not part of the position
                entry = m.Person(name=entry.name, position=aside.group(1) or None, note=aside.group(2))
        if self.group is not None and isinstance(entry, m.Person):
            self.group.members.append(entry)
        else:
            self.attendees[self.state].append(entry)

    def _close_participants(self) -> None:
        if self.positions:
            for pos_line in self.positions:
                self.spot(pos_line.no, _("a line among the participants with no name; kept as a group"))
                target = self.attendees[self.state] if self.state in self.attendees else self.attendees["present"]
                target.append(DGroup(pos_line.text.rstrip(";,.")))
            self.positions = []
        self.group = None

    def _participant_text(self, text: str, line: Line) -> None:
        """Participants written after the label or on a line of their own, possibly several per line."""
        counted = _COUNTED.match(text)
        if counted:
            self._counted(counted, line)
            return
        if ":" in text and not text.endswith(":"):
            head, tail = text.split(":", 1)
            names = w.names_in_list(tail.strip())
            if names and not w.NAME_RX.search(head):
                self._flush_positions(line)
                group = DGroup(head.strip(), [m.Person(name=n) for n in names])
                self.attendees[self.state].append(group)
                return
            people = [self._person(p) for p in _SPLIT_SEMI.split(tail.strip()) if p.strip()]
            if people and all(people) and not w.NAME_RX.search(head):
                self._flush_positions(line)
                self.attendees[self.state].append(DGroup(head.strip(), people))
                return
        parts = [p for p in _SPLIT_SEMI.split(text) if p.strip()]
        if len(parts) > 1:
            for p in parts:
                self._participant_text(p, line)
            return
        if text.endswith(":") and not w.NAME_RX.search(text):
            self._flush_positions(line)
            self.group = DGroup(text[:-1].strip())
            self.attendees[self.state].append(self.group)
            return
        names = w.names_in_list(text.rstrip("."))
        if names and len(names) > 1:
            for n in names:
                self._attendee(m.Person(name=n))
            return
        person = self._person(text)
        if person is not None:
            if person.position is None and self.positions:
                person = m.Person(name=person.name, position=" ".join(x.text for x in self.positions))
                self.positions = []
            else:
                self._flush_positions(line)
            self._attendee(person)
            return
        if "," in text and line.cells is None:
            pieces = [p.strip().rstrip(".") for p in w.split_executors(text)]
            if len(pieces) > 1 and not any(w.NAME_RX.search(p) for p in pieces):
                for p in pieces:
                    self.attendees[self.state].append(DGroup(p))
                return
        self.positions.append(Line(line.no, text, text))

    def _flush_positions(self, line: Line) -> None:
        if self.positions:
            saved, self.positions = self.positions, []
            for pos_line in saved:
                self.spot(pos_line.no, _("a line among the participants with no name; kept as a group"))
                self.attendees[self.state].append(DGroup(pos_line.text.rstrip(";,.")))

    def _counted(self, counted: re.Match, line: Line) -> None:
        self._flush_positions(line)
        name = counted.group("g").strip(" –—-:")
        rest = counted.group("rest").strip()
        note = None
        paren = re.match(r"^\((.*)\)\s*[.;,:]?$", rest)
        if paren:
            note = paren.group(1).strip()
        elif rest.strip(" ;,.:"):
            note = rest.strip(" ;,.:")
        default = {"present": "участники", "invited": "приглашённые", "absent": "отсутствующие"}.get(self.state, "участники")
        group = DGroup(name or default, [], int(counted.group("n")), note)
        self.attendees[self.state].append(group)
        self.group = group if rest.endswith(":") else None

    def _participant_line(self, line: Line) -> None:
        if line.cells is not None:
            cells = [c.strip() for c in line.cells if re.search(r"\w", c)]
            if not cells:
                return
            texts = [c for c in cells if not re.fullmatch(r"\d+\.?", c)]
            if all(_TABLE_HEADER.fullmatch(c.lower()) for c in cells):
                return  # the header row of a participants table
            name_cells = [i for i, c in enumerate(texts) if w.is_name(c)]
            if name_cells:
                i = name_cells[0]
                position = " ".join(c.lstrip("-–— ").strip() for j, c in enumerate(texts) if j != i) or None
                self._attendee(m.Person(name=w.NAME_ONLY.fullmatch(texts[i]).group(1).strip(), position=position))
                return
            self._participant_text(" ".join(texts), line)
            return
        t = line.text
        num = w.numbered(t)
        if num and "." not in num[0]:
            t = num[1]
        b = w.bullet(t)
        if b:
            t = b
        self._participant_text(t, line)

    # ------------------------------------------------------------------------------------------------ agenda
    def _agenda_line(self, line: Line) -> None:
        t = line.text
        if line.cells is not None:
            cells = [c for c in line.cells if c.strip()]
            if cells and re.fullmatch(r"\d{1,2}\.?", cells[0]) and len(cells) > 1:
                t = f"{cells[0].rstrip('.')}. " + " ".join(cells[1:])
            else:
                t = " ".join(cells)
        if not t.strip():
            return
        num = w.numbered(t)
        if num:
            number, rest = num
            existing = next((i for i in self.agenda if i.number == number and i.title), None)
            if existing is not None:
                # The agenda is over: «5. Иванова А.О., заместитель …:» opens the discussion of question 5.
                item = self._enter(existing)
                self.state = "item"
                if w.NAME_AT_START.match(rest) and w.NAME_AT_START.match(rest).start(1) == 0:
                    self._statement_head("heard", rest, line, case=None)
                elif _fold(rest) != _fold(item.title or ""):
                    item.heading = rest
                return
            title, speakers = _agenda_title(rest)
            self.agenda.append(DItem(number, title, line.no, speakers=speakers))
            return
        b = w.bullet(t)
        if b:
            title, speakers = _agenda_title(b)
            self.agenda.append(DItem(None, title, line.no, speakers=speakers))
            return
        if self.agenda:
            last = self.agenda[-1]
            speaker = re.match(r"(?i)^(?:докладчик[иа]?|докл\.|выступающий|выступающие|отв\.|ответственный)\s*[:\-–—]\s*(.+)$", t)
            if speaker:
                last.speakers.extend(_people(speaker.group(1)))
                return
            start = w.NAME_AT_START.match(t)
            if start and start.start(1) == 0:
                last.speakers.extend(_people(t))
                return
            if t[0].islower() and last.title:
                last.title = f"{last.title} {t}"
                return
        title, speakers = _agenda_title(t)
        if self.agenda and all(i.number for i in self.agenda):
            self.spot(line.no, _("an unnumbered line in a numbered agenda; read as a question of its own"))
        self.agenda.append(DItem(None, title, line.no, speakers=speakers))

    # ------------------------------------------------------------------------------------------------ questions
    def _question(self, question: tuple[str | None, str], line: Line) -> None:
        self._close_participants()
        number, rest = question
        if number is None:
            item = self.item if self.item is not None else self._next_item(line.no)
        else:
            item = self._item_by_number(number, line.no)
        if item is not self.item or item.decisions or item.heard:
            self._enter(item)
        else:
            self.item = item
            item.started = True
        self.state = "item"
        if rest:
            label = w.discussion_label(rest)
            if label:
                self._discussion_label(label, Line(line.no, rest, rest))
                return
            heading = rest.strip().strip("«»\"“”").strip().rstrip(".:").strip()
            if item.title is None:
                item.title = heading
            elif _fold(heading) != _fold(item.title):
                item.heading = heading

    def _discussion_label(self, label: tuple[str, str | None, str], line: Line) -> None:
        kind, number, rest = label
        self._close_participants()
        self.await_head = None
        item = self.item
        if number is not None:
            target = self._item_by_number(number, line.no)
            if target is not item or (kind == "heard" and (item.heard or item.decisions)):
                item = self._enter(target)
        elif item is None:
            item = self._enter(self._next_item(line.no))
        elif kind == "heard" and (item.heard or item.decisions or item.spoke):
            item = self._enter(self._next_item(line.no))
        elif kind in ("spoke", "discussed") and item.decisions:
            item = self._enter(self._next_item(line.no))
        elif kind == "decided" and (item.decisions or item.intro) and any(not i.started for i in self.agenda):
            item = self._enter(self._next_item(line.no))
        item.started = True
        if kind in ("heard", "spoke"):
            self.state = kind
            if rest:
                self._statement_head(kind, rest, line)
            else:
                self.await_head = kind
        elif kind == "discussed":
            self.state = "discussed"
            if rest:
                item.discussed.append(rest)
        elif kind == "decided":
            self.state = "decided"
            self.last = None
            self.field_target = None
            if rest:
                self._decided_line(Line(line.no, rest, rest))
        else:
            self.state = "votes"
            item.votes_labels += 1
            if rest:
                item.votes.append(rest)

    # ------------------------------------------------------------------------------------------------ statements
    def _statement_head(self, kind: str, text: str, line: Line, case: str | None = "auto") -> None:
        if case == "auto":
            case = "accusative" if kind == "heard" else None
        t = w.bullet(text) or text
        names, role, rest = _speaker_head(t)
        who = []
        known = self._known_names()
        for n in names:
            if case and name_key(n) in known and w.guess_gender(n) is not None:
                who.append(known[name_key(n)])  # written in the nominative after all: a participant of that name
                continue
            if case:
                nominative, certain = w.to_nominative(n, case)
                if name_key(nominative) in known:
                    nominative, certain = known[name_key(nominative)], True
                if not certain:
                    self.spot(line.no, _("the speaker '{written}' was stored as '{name}' (nominative); check the name").format(
                        written=n, name=nominative))
                who.append(nominative)
            else:
                who.append(n)
        if not names:
            self.spot(line.no, _("no speaker's name found; the text is kept without a speaker"))
        statement = DStatement(who, role, [rest] if rest else [], line.no)
        (self.item.heard if kind == "heard" else self.item.spoke).append(statement)
        self.state = kind

    def _statement_line(self, line: Line) -> None:
        t = _row_text(line)
        statements = self.item.heard if self.state == "heard" else self.item.spoke
        start = w.NAME_AT_START.match(t)
        if start and start.start(1) == 0 and re.match(r"\s*(?:[,:–—(]|-\s|\s+и\s+[А-ЯЁ])", t[start.end():]) and statements \
                and (self.state == "spoke" or statements[-1].lines):
            self._statement_head(self.state, t, line, case=None if self.state == "spoke" else "accusative")
            return
        if not statements:
            statements.append(DStatement([], None, [], line.no))
        statements[-1].lines.append(t)

    def _discussed_line(self, line: Line) -> None:
        self.item.discussed.append(_row_text(line))

    def _item_line(self, line: Line) -> None:
        """A line inside a question before any label: a speaker («Иванова А.О., методист:») or text."""
        t = line.text
        start = w.NAME_AT_START.match(w.bullet(t) or t)
        if start and start.start(1) == 0 and not self.item.heard:
            self._statement_head("heard", t, line, case=None)
            return
        if self.item.heard:
            self.item.heard[-1].lines.append(_row_text(line))
            return
        if self.item.title is None:
            self.item.title = t
            return
        self._unknown(line, _("text inside a question before СЛУШАЛИ / РЕШИЛИ; kept as the text of a statement"))

    def _votes_line(self, line: Line) -> None:
        if _VOTE_LINE.match(line.text):
            self.item.votes.append(line.text)
            return
        t = line.text
        if w.numbered(t) or w.bullet(t) is not None or w.DEADLINE_LINE.match(t) or w.RESPONSIBLE_LINE.match(t) or line.cells:
            self.state = "decided"
            self._decided_line(line)
            return
        self._unknown(line, _("text after ГОЛОСОВАЛИ; kept in the note of the last decision"))

    # ------------------------------------------------------------------------------------------------ decisions
    def _new_decision(self, text: str, line: Line, number: str | None = None, is_bullet: bool = False) -> DDecision:
        body, deadline, responsible = w.inline_fields(text)
        d = DDecision(body.strip(), line.no, number, is_bullet)
        if deadline is not None:
            d.deadline, d.deadline_line = deadline, line.no
        if responsible is not None:
            d.responsible = self._responsible(responsible, line)
        return d

    def _responsible(self, text: str, line: Line) -> list[str]:
        people, certain = w.split_responsible(text)
        if not certain:
            self.spot(line.no, _("executors '{text}' were split as {parts}; check them").format(
                text=text.strip().rstrip("."), parts=", ".join(f"«{p}»" for p in people)))
        return people

    def _flush_pending(self, before: str, line: Line) -> None:
        """Plain lines right after РЕШИЛИ: an introduction before numbered decisions, a lead before bullets, or decisions."""
        item = self.item
        pending, item.pending = item.pending, []
        if not pending:
            return
        if before == "numbered" and not item.decisions:
            item.intro.extend(p.text for p in pending)
            return
        if before == "bullet" and pending[-1].text.endswith(":"):
            for p in pending[:-1]:
                item.decisions.append(self._new_decision(p.text, p))
            lead = self._new_decision(pending[-1].text, pending[-1])
            item.decisions.append(lead)
            self.last = lead
            return
        for p in pending:
            d = self._new_decision(p.text, p)
            item.decisions.append(d)
            self.last = d

    def _find_numbered(self, decisions: list[DDecision], number: str) -> DDecision | None:
        for d in reversed(decisions):
            if d.number == number:
                return d
            found = self._find_numbered(d.items, number)
            if found:
                return found
        return None

    def _decided_line(self, line: Line) -> None:
        item = self.item
        if line.cells is not None:
            self._decision_row(line)
            return
        t = line.text
        deadline = w.DEADLINE_LINE.match(t)
        if deadline and (deadline.group("sep") or self._deadline_ok(deadline.group("rest"))) and deadline.group("rest"):
            self._flush_pending("field", line)
            body, _dl, resp = w.inline_fields(t)
            value = deadline.group("rest")
            if resp is not None:  # «Срок: до 01.09.2024. Отв.: Иванова И.И.»
                value = w.inline_fields("x. " + t)[1] or value
            self._attach(line, deadline=_deadline_text(value), responsible=resp)
            return
        resp = w.RESPONSIBLE_LINE.match(t)
        if resp and resp.group("rest") and (self.last is not None or item.pending):
            self._flush_pending("field", line)
            value, _body_dl = resp.group("rest"), None
            inner = w.INLINE_FIELD.search(value)
            dl = None
            if inner and inner.group("label").lower().lstrip("в ").startswith("срок"):
                dl = _deadline_text(value[inner.end():])
                value = value[:inner.start()]
            self._attach(line, deadline=dl, responsible=value.strip(" .;,"))
            return
        if _VOTE_LINE.match(t) and item.votes:
            item.votes.append(t)
            return
        num = w.numbered(t)
        if num:
            self._flush_pending("numbered", line)
            number, rest = num
            d = self._new_decision(rest, line, number)
            parent = None
            if "." in number:
                parent = self._find_numbered(item.decisions, number.rsplit(".", 1)[0])
            if parent is not None:
                d.parent = parent
                parent.items.append(d)
            else:
                item.decisions.append(d)
            self.last = d
            self.field_target = None
            return
        b = w.bullet(t)
        if b is not None:
            self._flush_pending("bullet", line)
            lead = self._lead_for_bullet()
            d = self._new_decision(b, line, None, True)
            if lead is not None:
                d.parent = lead
                lead.items.append(d)
            else:
                item.decisions.append(d)
            self.last = d
            self.field_target = None
            return
        if not item.decisions:
            item.pending.append(line)
            return
        last = self.last
        if last is not None and (last.multiline or (last.text.endswith(":") and not last.items)):
            last.text += "\n" + t
            last.multiline = True
            return
        if last is not None and t[0].islower():
            target = last.items[-1] if last.items else last
            target.text += " " + t
            return
        d = self._new_decision(t, line)
        if not t.endswith(":"):
            self.spot(line.no, _("an unnumbered line after the decisions was read as a decision of its own; check it"))
        item.decisions.append(d)
        self.last = d
        self.field_target = None

    def _deadline_ok(self, text: str) -> bool:
        try:
            parse_deadline(_deadline_text(text), date(2000, 1, 1), date(2000, 1, 1))
            return True
        except DeadlineError:
            return False

    def _lead_for_bullet(self) -> DDecision | None:
        last = self.last
        if last is None:
            return None
        lead = last.parent if last.is_bullet else last
        if lead is None:
            return None
        if lead.number is None and not lead.text.endswith(":"):
            return None
        return lead

    def _attach(self, line: Line, deadline: str | None, responsible: str | None) -> None:
        """A Срок / Отв. line: to the decision above it, or to the whole group when it follows a group's last item."""
        target = self.field_target
        if target is None:
            last = self.last
            if last is None:
                self.spot(line.no, _("a Срок/Отв. line with no decision above it; kept in a free section"))
                self._unknown(line, "", quiet=True)
                return
            target = last
            parent = last.parent
            if parent is not None and len(parent.items) >= 2 and parent.items[-1] is last and not any(
                    s.deadline or s.responsible is not None for s in parent.items):
                target = parent
                self.spot(line.no, _("Срок/Отв. after a group of {n} items: applied to the whole group").format(
                    n=len(parent.items)))
            self.field_target = target
        if deadline is not None:
            if target.deadline is not None:
                target.notes.append(line.text)
                self.spot(line.no, _("a second Срок for one decision; kept in its note"))
            else:
                target.deadline, target.deadline_line = deadline, line.no
        if responsible is not None:
            people = self._responsible(responsible, line)
            if target.responsible:
                target.responsible.extend(people)
            else:
                target.responsible = people

    def _decision_row(self, line: Line) -> None:
        """A row of a decisions table: «№ | Мероприятие | Срок | Ответственный»."""
        cells = [c.strip() for c in line.cells]
        low = [c.lower() for c in cells]
        text_col = next((i for i, c in enumerate(low) if re.search(r"мероприят|содержани|решени|наименовани|поручени|что сделать|вопрос", c)), None)
        dl_col = next((i for i, c in enumerate(low) if re.match(r"^(?:в\s+)?срок", c)), None)
        resp_col = next((i for i, c in enumerate(low) if re.search(r"ответствен|отв\.|исполнител", c)), None)
        if text_col is not None and (dl_col is not None or resp_col is not None) and len(cells[text_col]) < 40:
            num_col = next((i for i, c in enumerate(low) if re.match(r"^(?:№|n|no)(?![а-яa-z])|^п/п", c)), None)
            self.table_cols = {"text": text_col, "deadline": dl_col, "responsible": resp_col, "number": num_col}
            return
        self._flush_pending("numbered", line)
        cols = self.table_cols
        if cols is None:
            filled = [c for c in cells]
            if len(filled) >= 3:
                offset = 1 if re.fullmatch(r"\d{1,2}(?:\.\d{1,2})*\.?", filled[0]) else 0
                cols = {"number": 0 if offset else None, "text": offset, "deadline": offset + 1,
                        "responsible": offset + 2 if len(filled) > offset + 2 else None}
                self.spot(line.no, _("a table without a header row was read as «№ | decision | Срок | Ответственный»; check it"))
                self.table_cols = cols
            else:
                joined = " ".join(c for c in cells if c)
                if joined:
                    self._decided_line(Line(line.no, joined, joined))
                return

        def cell(key):
            i = cols.get(key)
            return cells[i].strip() if i is not None and i < len(cells) and cells[i].strip() else None

        text = cell("text")
        if not text:
            if any(cells):
                self._unknown(line, _("a table row with no decision text; kept in a note"))
            return
        number = cell("number")
        number = number.rstrip(".") if number and re.fullmatch(r"\d{1,2}(?:\.\d{1,2})*\.?", number) else None
        d = DDecision(text.replace("\n", " "), line.no, number)
        if cell("deadline"):
            d.deadline, d.deadline_line = _deadline_text(cell("deadline").replace("\n", " ")), line.no
        if cell("responsible"):
            d.responsible = self._responsible(cell("responsible").replace("\n", ", "), line)
        parent = self._find_numbered(self.item.decisions, number.rsplit(".", 1)[0]) if number and "." in number else None
        if parent is not None:
            d.parent = parent
            parent.items.append(d)
        else:
            self.item.decisions.append(d)
        self.last = d
        self.field_target = None

    def _close_item(self) -> None:
        if self.item is not None and self.item.pending:
            self._flush_pending("end", self.item.pending[-1])

    # ------------------------------------------------------------------------------------------------ signatures
    def _find_appendix(self) -> int:
        first_marker = None
        for i, line in enumerate(self.lines):
            if first_marker is None and (w.discussion_label(line.text) or w.question_marker(line.text)):
                first_marker = i
            if first_marker is not None and i > first_marker and w.APPENDIX.match(line.text):
                return i
        return len(self.lines)

    def _find_signatures(self, end: int) -> int:
        """Where the signature block starts: the last run of short lines of positions and names before `end`."""
        start = end
        i = end - 1
        while i >= 0 and _signature_like(self.lines[i]):
            start = i
            i -= 1
        block = self.lines[start:end]
        while block and not (_keyword_line(block[0]) or _sig_line(block[0].raw or block[0].text)):
            block = block[1:]
            start += 1
        if not block or not any(_name_line(x.text) or _sig_line(x.raw or x.text) or _row_has_name(x) for x in block):
            return end
        # the block must begin after the last decision: never take the body's first lines
        if start < 3:
            return end
        return start

    def _signature_block(self, lines: list[Line]) -> None:
        flat: list[tuple[Line, str]] = []
        for line in lines:
            if line.cells is not None:
                for c in line.cells:
                    for part in c.split("\n"):
                        if part.strip():
                            flat.append((line, part.strip()))
            else:
                flat.append((line, line.raw or line.text))
        roles: list[list] = []  # [role text, line, closed]
        certify = None
        signed_with_word = False
        for line, raw in flat:
            text = " ".join(raw.split())
            if w.CERTIFY.match(text):
                certify = {"label": text.rstrip(".:"), "position": None, "name": None, "date": None, "line": line.no}
                continue
            sig = _sig_line(raw)
            if sig:
                role, name, had_word = sig
                if certify is not None:
                    certify.update(position=certify["position"] or role, name=name)
                elif self.kind == "extract" and signed_with_word and not had_word and self.signatures:
                    # Under an extract, a position and name after the signed lines certify it (ГОСТ Р 7.0.97 п. 5.26).
                    certify = {"label": "", "position": role, "name": name, "date": None, "line": line.no}
                else:
                    self.signatures.append(m.Signature(role=role, name=name))
                    self.signature_lines.append(line.no)
                    signed_with_word = signed_with_word or had_word
                continue
            only = w.NAME_ONLY.fullmatch(_strip_signature_words(text))
            if only:
                name = only.group(1).strip()
                if certify is not None:
                    certify["name"] = name
                elif roles:
                    role = roles.pop(0)
                    self.signatures.append(m.Signature(role=role[0].rstrip(" :–—-"), name=name))
                    self.signature_lines.append(role[1].no)
                else:
                    self.spot(line.no, _("a name under the signatures with no position before it"))
                    self.signatures.append(m.Signature(role="Подпись", name=name))
                    self.signature_lines.append(line.no)
                continue
            d = w.date_chunk(text)
            if d and certify is not None:
                certify["date"] = d
                continue
            role = _strip_signature_words(text).rstrip(": ").strip()
            if not role:
                continue
            if certify is not None:
                certify["position"] = f"{certify['position']} {role}" if certify["position"] else role
                continue
            if roles and not roles[-1][2] and not _role_keyword(role) and not roles[-1][0].endswith(":"):
                roles[-1][0] = f"{roles[-1][0]} {role}"
            else:
                roles.append([role, line, _role_keyword(role) or text.endswith(":")])
        for role in roles:
            self.signatures.append(m.Signature(role=role[0].rstrip(" :–—-")))
            self.signature_lines.append(role[1].no)
            self.spot(role[1].no, _("a signature line with no name"))
        if certify is not None:
            if certify["name"]:
                self.certification = m.Certification(name=certify["name"], position=certify["position"],
                                                     label=certify["label"], date=certify["date"])
            else:
                self.spot(certify["line"], _("a certification («Верно») with no name; kept in a free section"))
                self.appendix.append(m.Section(title=certify["label"] or "Верно", text=certify["position"]))

    def _appendix(self, lines: list[Line]) -> None:
        current: list | None = None
        for line in lines:
            if w.APPENDIX.match(line.text):
                current = [line.text.rstrip(".:"), []]
                self.appendix.append(current)
            elif current is not None:
                current[1].append(_row_text(line))
        self.appendix = [s if isinstance(s, m.Section) else m.Section(title=s[0], text="\n".join(s[1]) or None)
                         for s in self.appendix]

    # ------------------------------------------------------------------------------------------------ the model
    def _build(self) -> Result:
        if self.date is None:
            return Result(None, self.spots, _("no meeting date found (looked for «Дата:», «от 25 декабря 2022 года», "
                                               "«27.08.2023г» and the like in the header)"))
        title = " ".join(self.title).strip()
        if not title:
            self.spot(1, _("no title (the kind of meeting) found; add `title:`"))
        chair = self.chair or self._from_signatures("председател")
        secretary = self.secretary or self._from_signatures("секретар")
        not_recorded = set()
        if chair is None:
            not_recorded.add("chair")
            self.spot(self.participants_line, _("no chair (председатель) found; written as `chair: null`"))
        if secretary is None:
            not_recorded.add("secretary")
            self.spot(self.participants_line, _("no secretary found; written as `secretary: null`"))
        participants = m.Participants(
            chair=chair, secretary=secretary, present=_attendees(self.attendees["present"]),
            invited=_attendees(self.attendees["invited"]), absent=_attendees(self.attendees["absent"]),
            not_recorded=frozenset(not_recorded))
        self._unique_numbers()
        agenda = tuple(self._agenda_item(item) for item in self.agenda)
        sections = tuple(m.Section(title=s[0], text="\n".join(s[1]) or None) for s in self.sections)
        protocol = m.Protocol(
            id="", date=self.date, title=title, kind=self.kind, original="paper", organization=" ".join(self.org) or None,
            number=self.number, time=self.fields.get("time"), place=self.fields.get("place"),
            venue=self.fields.get("venue"), format=self.fields.get("format"), link=self.fields.get("link"),
            participants=participants, sections=sections, agenda=agenda, signatures=tuple(self.signatures),
            certification=self.certification, appendix=tuple(self.appendix))
        return Result(protocol, sorted(self.spots, key=lambda s: s.line))

    def _unique_numbers(self) -> None:
        """A number printed twice (a question, or a decision anywhere in the protocol) would make two equal ids, which
        `check` rejects: the second one gets «-2» and the secretary is told to fix the numbering."""
        from ..schema import agenda_key, decision_key, printed_number

        seen_items: set[str] = set()
        seen: set[str] = set()

        def decisions(items: list[DDecision], parent: str) -> None:
            for index, d in enumerate(items, 1):
                key = decision_key(parent, d.number, index)
                if key in seen:
                    base, k = printed_number(d.number) or str(index), 2
                    while decision_key(parent, f"{base}-{k}", index) in seen:
                        k += 1
                    self.spot(d.line, _("decision number {key} appears twice; this one is numbered {new} here, fix the numbering by hand").format(
                        key=key, new=f"{base}-{k}"))
                    d.number = f"{base}-{k}"
                    key = decision_key(parent, d.number, index)
                seen.add(key)
                decisions(d.items, key)

        for position, item in enumerate(self.agenda, 1):
            key = agenda_key(item.number, position)
            if key in seen_items:
                k = 2
                while f"{key}-{k}" in seen_items:
                    k += 1
                self.spot(item.line, _("question number {key} appears twice; this one is numbered {new} here, fix the numbering by hand").format(
                    key=key, new=f"{key}-{k}"))
                item.number = f"{key}-{k}"
                key = item.number
            seen_items.add(key)
            decisions(item.decisions, key)

    def _from_signatures(self, word: str) -> m.Person | None:
        for sig, line in zip(self.signatures, self.signature_lines, strict=True):
            if sig.role.lower().startswith(word) and sig.name:
                message = (_("the chair was taken from the signature «{name}»") if word == "председател"
                           else _("the secretary was taken from the signature «{name}»"))
                self.spot(line, message.format(name=sig.name))
                key = name_key(sig.name)
                for entry in self._all_people():
                    if name_key(entry.name) == key:
                        return entry
                return m.Person(name=sig.name)
        return None

    def _known_names(self) -> dict[str, str]:
        """Names of participants, chair, secretary and speakers by their key: they settle a declined name's gender."""
        known = {}
        people = list(self._all_people()) + [p for p in (self.chair, self.secretary) if p is not None]
        people += [s for item in self.agenda for s in item.speakers]
        for person in people:
            known.setdefault(name_key(person.name), person.name)
        return known

    def _all_people(self):
        for kind in ("present", "invited", "absent"):
            for entry in self.attendees[kind]:
                if isinstance(entry, m.Person):
                    yield entry
                else:
                    yield from entry.members

    def _agenda_item(self, item: DItem) -> m.AgendaItem:
        decided = self._decisions(item.decisions, None, None, item)
        votes = _votes(item.votes)
        if item.votes_labels > 1:
            self.spot(item.line, _("several ГОЛОСОВАЛИ in one question; kept together as written"))
        return m.AgendaItem(
            title=item.title, number=item.number, heading=item.heading, speakers=tuple(item.speakers),
            heard=tuple(_statement(s) for s in item.heard), spoke=tuple(_statement(s) for s in item.spoke),
            discussed="\n".join(item.discussed) or None, decided_intro="\n".join(item.intro) or None,
            decided=decided, votes=votes)

    def _decisions(self, decisions: list[DDecision], inherited_deadline, inherited_resp, item) -> tuple[m.Decision, ...]:
        out = []
        for d in decisions:
            notes = list(d.notes)
            deadline = None
            if d.deadline:
                deadline = _deadline_text(d.deadline)
                if not self._deadline_ok(deadline):
                    self.spot(d.deadline_line, _("the deadline '{text}' fits no rule; kept in the decision's note, add `deadline:` or `due:` by hand").format(text=deadline))
                    notes.insert(0, f"Срок: {deadline}")
                    deadline = None
            responsible = tuple(d.responsible) if d.responsible is not None else None
            lead = w.lead_executors(d.text) if d.text.endswith(":") and d.items else None
            if lead:
                # The executors the lead line names come first; an «Отв.:» after the group adds co-executors.
                named = {name_key(p) for p in lead[0]}
                responsible = tuple(lead[0]) + tuple(p for p in responsible or () if name_key(p) not in named)
                if not lead[1]:
                    self.spot(d.line, _("executors of the lead line were put in the nominative as {names}; check them").format(
                        names=", ".join(f"«{p}»" for p in lead[0])))
            if responsible is None and inherited_resp is None and not d.items:
                found = w.executor_in_text(d.text)
                if found:
                    responsible = tuple(found[0])
                    self.spot(d.line, _("the executor «{name}» was taken from the text of the decision").format(name=found[0][0]))
            if deadline is None and inherited_deadline is None:
                hit = find_deadline_in_text(d.text)
                if hit:
                    phrase = hit[2] + "." if hit[2].endswith(" г") and d.text[hit[1]:hit[1] + 1] == "." else hit[2]
                    deadline = _deadline_text(phrase)
                    if not self._deadline_ok(deadline):
                        deadline = hit[2]
            own_resp = responsible if responsible is not None else inherited_resp
            if deadline is not None and not own_resp and responsible is None:
                responsible = ()
                self.spot(d.line, _("a decision with a deadline names nobody responsible; written as `responsible: []`"))
            items = self._decisions(d.items, deadline or inherited_deadline,
                                    own_resp if own_resp is not None else None, item)
            out.append(m.Decision(text=d.text, number=d.number, deadline=deadline, responsible=responsible,
                                  items=items, note="\n".join(notes) or None))
        return tuple(out)


# ---------------------------------------------------------------------------------------------------- helpers
def _fold(text: str) -> str:
    return re.sub(r"[^0-9a-zа-я]+", " ", text.lower().replace("ё", "е")).strip()


def _row_text(line: Line) -> str:
    if line.cells is not None:
        return " | ".join(c.replace("\n", " ") for c in line.cells)
    return line.text


_LEAD_LABEL = re.compile(r"^(?:в\s+)?сроки?(?:\s+исполнения)?\s*[:\-–—]?\s*", re.I)


def _deadline_text(text: str) -> str:
    """«Срок: 31 января 2024 года.» -> «31 января 2024 года»; «В срок до 01.08.2023 года» -> «до 01.08.2023 года»."""
    value = text.strip()
    stripped = _LEAD_LABEL.sub("", value, count=1).strip()
    if stripped:
        value = stripped
    value = value.rstrip(" ;,").strip()
    if value.endswith(".") and not re.search(r"(?<![а-яё])г\.$|гг\.$", value):  # «2024 г.» keeps its abbreviation
        value = value[:-1].rstrip()
    return value


def _agenda_title(text: str) -> tuple[str, list[m.Person]]:
    t = text.strip().rstrip(";,").strip()
    speakers: list[m.Person] = []
    paren = re.search(r"\s*\(([^()]*)\)\s*[.;,]?$", t)
    if paren and w.NAME_RX.search(paren.group(1)):
        speakers = _people(paren.group(1))
        t = t[:paren.start()].rstrip(" ,;–—-")
        return t, speakers
    label = re.search(r"[;,]?\s*[(\[]?(?:Докладчик[иа]?|Докл\.|Выступающий|Отв\.|Ответственный)\s*[:\-–—]\s*(.+?)[)\]]?$", t, re.I)
    if label:
        return t[:label.start()].strip(), _people(label.group(1))
    dash = re.search(r"\s[–—-]\s+(" + w.NAME + r".*)$", t)
    if dash:
        people = _people(dash.group(1))
        if people:
            return t[:dash.start()].strip(), people
    return t, speakers


def _people(text: str) -> list[m.Person]:
    text = text.strip().rstrip(";,")
    names = w.names_in_list(text)
    if names:
        return [m.Person(name=n) for n in names]
    parsed = w.split_person(text)
    if parsed:
        return [m.Person(name=parsed[0], position=parsed[1])]
    out = []
    for part in _SPLIT_SEMI.split(text):
        parsed = w.split_person(part)
        if parsed:
            out.append(m.Person(name=parsed[0], position=parsed[1]))
    return out


def _speaker_head(t: str) -> tuple[list[str], str | None, str]:
    """«Комарову Т. Ю., заместителя заведующего …» -> (names, role, text after them)."""
    found = w.NAME_RX.search(t)
    if not found or found.start() > 150:
        return [], None, t
    before = t[:found.start()].strip(" ,–—-:")
    names = [found.group(0).strip()]
    pos = found.end()
    while True:
        more = re.match(r"\s*(?:,|и)\s*(" + w.NAME + ")", t[pos:])
        if not more:
            break
        names.append(more.group(1).strip())
        pos += more.end()
    after = t[pos:]
    rest = after.lstrip(" ,–—-:").strip()
    role = None
    if before:
        if w.is_position(before):
            role = before
        else:
            return names, None, t
    elif rest and w.is_position(rest) and after.lstrip()[:1] in (",", "(", "–", "—", "-"):
        end = _ROLE_END.search(rest)
        role = rest[:end.start()] if end else rest
        rest = rest[end.end():].strip() if end else ""
        role = role.strip().rstrip(".:;,").strip() or None
    return names, role, rest


def _statement(s: DStatement) -> m.Statement:
    return m.Statement(who=tuple(m.Person(name=n) for n in s.who), role=s.role, text="\n".join(s.lines) or None)


def _attendees(entries) -> tuple:
    out = []
    for e in entries:
        if isinstance(e, DGroup):
            out.append(m.Group(group=e.group, members=tuple(e.members), count=e.count, note=e.note))
        else:
            out.append(e)
    return tuple(out)


def _votes(lines: list[str]) -> m.Votes | None:
    if not lines:
        return None
    text = "; ".join(lines)

    def count(word: str):
        found = re.search(r"(?i)(?<![а-яё])" + word + r"[»\"]?\s*[:\-–—]?\s*(\d+|нет|никто|ноль)", text)
        if not found:
            return None
        value = found.group(1).lower()
        return int(value) if value.isdigit() else 0

    for_, against, abstained = count("за"), count("против"), count(r"воздержал\w*")
    rest = re.sub(r"(?i)(?<![а-яё])(?:за|против|воздержал\w*)[»\"]?\s*[:\-–—]?\s*(?:\d+|нет|никто|ноль)(?:\s*(?:чел\.?|человека?))?", "", text)
    if None not in (for_, against, abstained) and not re.search(r"[0-9A-Za-zА-Яа-яЁё]", rest):
        return m.Votes(for_=for_, against=against, abstained=abstained)
    return m.Votes(for_=for_, against=against, abstained=abstained, text="\n".join(lines))


# Signature block recognition ----------------------------------------------------------------------------------
_FIELD_START = re.compile(r"(?i)^(?:(?:в\s+)?срок|отв\.|ответственн|исполнител)")


def _strip_signature_words(text: str) -> str:
    return " ".join(w.SIGNATURE_WORD.sub(" ", text).split())


def _name_line(text: str) -> bool:
    return bool(w.NAME_ONLY.fullmatch(_strip_signature_words(text)))


def _sig_line(raw: str):
    """(role, name, had «подпись») for «Заведующий отделом образования   подпись   Морозова О.Д.»."""
    text = " ".join(raw.split())
    if len(text) > 160 or _FIELD_START.match(text) or w.bullet(text) or w.numbered(text):
        return None
    had_word = bool(re.search(r"(?i)подпись|_{2,}", text))
    cleaned = _strip_signature_words(text)
    end = w.NAME_AT_END.search(cleaned)
    if not end or end.start() == 0:
        return None
    role = cleaned[:end.start()].strip(" :–—-,")
    if not role or not role[0].isupper() or re.search(r"[.;]\s", role) or len(role) > 120:
        return None
    separated = re.search(r"\t|\s{2,}|_{2,}|подпись|:", raw) is not None
    if not separated and not _role_keyword(role):
        return None
    return role, end.group(1).strip(), had_word


def _role_keyword(text: str) -> bool:
    return bool(re.match(r"^(?:Председател[а-яё]*|Секретар[а-яё]*|ПРЕДСЕДАТЕЛ|СЕКРЕТАР)(?:\s+[а-яё]+){0,3}:?$", text.strip()))


def _keyword_line(line: Line) -> bool:
    if line.cells is not None:
        return any(w.SIGNATURE_KEYWORDS.match(c.strip()) for c in line.cells)
    return bool(w.SIGNATURE_KEYWORDS.match(line.text))


def _row_has_name(line: Line) -> bool:
    return line.cells is not None and any(_name_line(c) for c in line.cells if c.strip())


def _signature_like(line: Line) -> bool:
    if line.cells is not None:
        cells = [c for c in line.cells if c.strip()]
        return bool(cells) and len(cells) <= 4 and all(_signature_like(Line(line.no, " ".join(c.split()), c)) for c in cells)
    text = line.text
    if _name_line(text) or _sig_line(line.raw or text) or w.CERTIFY.match(text) or w.date_chunk(text):
        return True
    if len(text) > 120 or _FIELD_START.match(text) or w.bullet(text) or w.numbered(text):
        return False
    if w.discussion_label(text) or w.question_marker(text):
        return False
    if text.endswith((".", ";", ",")) or not re.search(r"[А-Яа-яЁё]", text):
        return False
    return text[0].isalpha()


def parse_lines(source: Source) -> Result:
    """Parse the lines of one document into a protocol model and the uncertain spots."""
    return _Parser(source).run()
