"""The people directory (people.yaml): each person once, with position, gender, aliases and e-mail, and the groups of
executors (`- group: руководители ОО` with its members); lookup, spelling checks, and who an executor written in a
decision is (`accountable`).

A protocol may name a person by name alone; the directory supplies the position. Names match by names.name_key
(case, ё/е, spacing, dots and order of initials do not matter). The `person-spelling` warning is narrower on purpose:
it fires only when a name differs from a directory spelling by spacing, dots or е/ё alone («Комарова Т. Ю» vs
«Комарова Т.Ю.»), the slips a secretary makes when typing; «Т.Ю. Комарова» under a signature is a different layout,
not a slip.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path

from . import model as m
from .checks import CODES
from .i18n import _
from .making import _opt
from .names import name_key, parse_name, split_executors
from .problems import Collector, Pos, Problem
from .spec import INVALID, Either, Enum, F, Record, Seq, Text
from .yamlio import Mapping, read_file

PEOPLE_FILE = "people.yaml"


@dataclass(frozen=True)
class Entry:
    name: str  # nominative, the canonical spelling
    position: str | None = None
    gender: str | None = None
    aliases: tuple[str, ...] = ()
    note: str | None = None
    email: str | None = None
    pos: Pos = field(default=Pos(), compare=False, repr=False)


@dataclass(frozen=True)
class Member:
    """A member of a group as written in people.yaml, with where (the warning for an unknown one points at it)."""

    name: str
    pos: Pos = field(default=Pos(), compare=False, repr=False)


@dataclass(frozen=True)
class GroupEntry:
    """A group of executors («руководители ОО»): decisions name it as one executor; its members get its reminders."""

    name: str
    members: tuple[Member, ...] = ()
    email: str | None = None
    note: str | None = None
    pos: Pos = field(default=Pos(), compare=False, repr=False)


class _MemberName(Text):
    """A member's name, kept with its position."""

    def convert(self, node, out):
        value = super().convert(node, out)
        return value if value is INVALID else Member(value.strip(), node.pos)

    def quick(self, node):
        return Member(super().quick(node).strip(), node.pos)


_EMAIL = F(Text(pattern=r"[^@\s]+@[^@\s]+\.[^@\s]+", example="metodist@example.ru"),
           "E-mail address for reminders of deadlines.")

ENTRY = Record(
    "person in people.yaml",
    {
        "name": F(Text(), "The name in the nominative, in the spelling protocols should use: «Комарова Т.Ю.».",
                  required=True),
        "position": F(Text(), "Position (должность) in the nominative; used where a protocol gives the name alone."),
        "gender": F(Enum(("m", "f")), "m or f, only for surnames whose ending gives no gender («Черных», «Кравец»)."),
        "aliases": F(Seq(Text(), single_ok=True), "Other names of the same person (a maiden name, a full name)."),
        "note": F(Text(), "Anything else worth keeping."),
        "email": _EMAIL,
    },
    lambda v: Entry(pos=v["pos"], **_opt(v, "name", "position", "gender", "aliases", "note", "email")),
    doc="A person of the directory.",
)

GROUP_ENTRY = Record(
    "group in people.yaml",
    {
        "group": F(Text(), "The group's name as decisions name it as executor: «руководители ОО».", required=True),
        "members": F(Seq(_MemberName(), single_ok=True), "The persons of the group, as the directory names them."),
        "email": _EMAIL,
        "note": F(Text(), "Anything else worth keeping."),
    },
    lambda v: GroupEntry(pos=v["pos"], name=v["group"], **_opt(v, "members", "email", "note")),
    doc="A group of executors: a decision naming the group is the group's; its members and e-mail get the reminders.",
)

PEOPLE = Record(
    "people.yaml",
    {"people": F(Seq(Either({"group": GROUP_ENTRY}, ENTRY)), "The persons and groups, each once.",
                 nullable=True)},  # empty in a new archive
    lambda v: tuple(v.get("people", ())),
    doc="The people directory of an archive.",
)


def spelling_key(text: str) -> str:
    """Equal for spellings that differ only by spacing, dots, case or е/ё."""
    return re.sub(r"[\s.]+", "", text.casefold().replace("ё", "е"))


@dataclass
class Directory:
    entries: tuple[Entry, ...] = ()  # the persons
    path: str | None = None
    groups: tuple[GroupEntry, ...] = ()
    _by_key: dict[str, Entry] = field(default_factory=dict, repr=False)
    _by_spelling: dict[str, Entry] = field(default_factory=dict, repr=False)
    _groups: dict[str, GroupEntry] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        for entry in self.entries:
            for written in (entry.name, *entry.aliases):
                self._by_key.setdefault(name_key(written), entry)
                self._by_spelling.setdefault(spelling_key(written), entry)
        for group in self.groups:
            self._groups.setdefault(name_key(group.name), group)

    def __bool__(self) -> bool:
        return bool(self.entries) or bool(self.groups)

    def find(self, name: str) -> Entry | None:
        """The entry of the person `name` refers to, in whatever spelling or order of initials."""
        return self._by_key.get(name_key(name))

    def find_group(self, name: str) -> GroupEntry | None:
        """The group named `name` (case, ё/е and spacing aside)."""
        return self._groups.get(name_key(name))

    def members(self, group: GroupEntry) -> tuple[Entry | str, ...]:
        """The group's members: the directory's entry of each, or the name as written when it knows none."""
        return tuple(self.find(member.name) or member.name for member in group.members)

    def resolve(self, person: m.Person) -> m.Person:
        """The person with position and gender filled in from the directory where the protocol gives none."""
        entry = self.find(person.name)
        if entry is None:
            return person
        return replace(person, position=person.position or entry.position, gender=person.gender or entry.gender)

    def genders(self) -> dict[str, str]:
        """name key -> m or f, for every spelling of the persons whose gender the directory gives («Кравец Н.А.»)."""
        return {name_key(written): entry.gender for entry in self.entries if entry.gender
                for written in (entry.name, *entry.aliases)}

    def misspelt(self, name: str) -> Entry | None:
        """The entry whose spelling `name` misses by spacing, dots or е/ё only; None when it is exact or unrelated."""
        entry = self._by_spelling.get(spelling_key(name))
        if entry is None or name.strip() in (entry.name, *entry.aliases):
            return None
        return entry


def load_people(root: Path | None) -> tuple[Directory, list[Problem]]:
    """The archive's directory, or an empty one when there is no people.yaml; problems as values."""
    if root is None or not (root / PEOPLE_FILE).exists():  # a pipe or a folder there is reported, not ignored
        return Directory(), []
    from .paths import display_path

    shown = display_path(root / PEOPLE_FILE)
    tree, problems, _text = read_file(root / PEOPLE_FILE, shown)
    if tree is None:
        return Directory(path=shown), problems
    out = Collector(shown)
    out.problems = problems
    if not isinstance(tree, Mapping):
        out.add(tree.pos, "yaml-not-mapping", _("people.yaml must start with `people:` and list the persons under it."),
                _("See docs/archive.md for an example."))
        return Directory(path=shown), out.problems
    entries = PEOPLE.convert(tree, out)
    if entries is INVALID:
        return Directory(path=shown), out.problems
    persons = tuple(e for e in entries if isinstance(e, Entry))
    groups = tuple(e for e in entries if isinstance(e, GroupEntry))
    _check_persons(persons, out)
    found = Directory(persons, shown, groups)
    _check_groups(found, out)
    return found, out.problems


def _check_persons(persons: tuple[Entry, ...], out: Collector) -> None:
    """`people-duplicate`: a person listed twice, in whatever spelling."""
    seen: dict[str, Entry] = {}
    for entry in persons:
        for written in (entry.name, *entry.aliases):
            keys = ("name:" + name_key(written), "spelling:" + spelling_key(written))
            first = next((seen[k] for k in keys if k in seen and seen[k] is not entry), None)
            if first is not None:
                out.add(entry.pos, "people-duplicate",
                        _("'{name}' is already in the directory as '{other}' (line {line}).").format(
                            name=written, other=first.name, line=first.pos.line),
                        _("List each person once; put other spellings under `aliases:`."),
                        related=((first.pos.line, first.pos.col),))
            for k in keys:
                seen.setdefault(k, entry)


def _check_groups(directory: Directory, out: Collector) -> None:
    """A group listed twice or named as a person is (`people-duplicate`, `people-group-clash`) an error: a decision
    naming it could not be told apart; a member the directory does not know, or a group of nobody, is a warning
    (`people-unknown-member`, `people-group-empty`)."""
    seen: dict[str, GroupEntry] = {}
    group_keys = {name_key(g.name) for g in directory.groups}
    for group in directory.groups:
        key = name_key(group.name)
        person = directory.find(group.name)
        if person is not None:
            out.add(group.pos, "people-group-clash",
                    _("The group '{group}' has the name of the person '{person}' (line {line}).").format(
                        group=group.name, person=person.name, line=person.pos.line),
                    _("Give the group a name no person of the directory has: a decision naming it must mean one of "
                      "the two."), related=((person.pos.line, person.pos.col),))
        elif key in seen:
            first = seen[key]
            out.add(group.pos, "people-duplicate",
                    _("'{name}' is already in the directory as '{other}' (line {line}).").format(
                        name=group.name, other=first.name, line=first.pos.line),
                    _("List each group once, with all its members."), related=((first.pos.line, first.pos.col),))
        elif not group.members and not group.email:  # (with an address of its own, a mailing list, it is reached)
            out.warn(group.pos, "people-group-empty",
                     _("The group '{group}' has no members: a reminder or a report to it reaches nobody.").format(
                         group=group.name),
                     _("List its persons under `members:`, as people.yaml names them, give the group an `email:`, "
                       "or remove it."))
        seen.setdefault(key, group)
        for member in group.members:
            if directory.find(member.name) is None and name_key(member.name) in group_keys:
                # groups do not nest: reminders and reports count a group's persons, so a group inside one is lost
                out.warn(member.pos, "people-unknown-member",
                         _("'{name}', a member of '{group}', is a group, not a person.").format(
                             name=member.name, group=group.name),
                         _("List the persons of '{name}' in '{group}' instead: groups do not contain groups.").format(
                             name=member.name, group=group.name))
            elif directory.find(member.name) is None:
                out.warn(member.pos, "people-unknown-member",
                         _("'{name}', a member of '{group}', is not in the directory.").format(
                             name=member.name, group=group.name),
                         _("Add '{name}' to people.yaml as a person (with `email:` for reminders), or correct the "
                           "spelling.").format(name=member.name))


# --- names written in protocols -------------------------------------------------------------------------------------

_IN_BRACKETS = re.compile(r"\(([^()]+)\)")


def executor_names(text: str) -> list[str]:
    """The person names in one executor: «Белова И.Г.» itself, or the names in brackets of «Управление (Белова И.Г.)»."""
    inner = [part.strip() for found in _IN_BRACKETS.findall(text) for part in found.split(",")]
    return inner or [text.strip()]


@dataclass(frozen=True)
class Accountable:
    """Who answers for a decision, as reports count them: one row per person, group or unknown executor.

    `key` is the identity rows are counted by: the same for every spelling and alias of one person; `name` is how the
    row is shown (the directory's spelling, or the executor as first written when the directory does not know it);
    `entry` is the directory's person or group (its e-mail, a group's members), None for an unknown executor."""

    key: str
    name: str
    entry: Entry | GroupEntry | None = None


def accountable(responsible: Iterable[str], directory: Directory) -> tuple[Accountable, ...]:
    """Who answers for a decision whose executors are written `responsible` (each may still list several: «отдел
    образования, руководители ОО» is split as names.split_executors splits), each once, in the order written.

    An executor is, in this order: a person of the directory (any spelling or alias); a group of the directory; the
    persons named in its brackets («Управление образования (Белова И.Г.)» is Белова's), known or not; else itself, as
    written, one row for every spelling name_key does not tell apart."""
    found: dict[str, Accountable] = {}
    for written in responsible:
        for executor in split_executors(written):
            for one in _executor_rows(executor, directory):
                found.setdefault(one.key, one)
    return tuple(found.values())


def accountable_by(directory: Directory) -> Callable[[Iterable[str]], tuple[Accountable, ...]]:
    """`accountable` against one directory, remembering each list of executors: an archive names the same few
    executors in thousands of decisions."""
    known: dict[tuple[str, ...], tuple[Accountable, ...]] = {}

    def find(responsible: Iterable[str]) -> tuple[Accountable, ...]:
        key = tuple(responsible)
        found = known.get(key)
        if found is None:
            found = known[key] = accountable(key, directory)
        return found

    return find


def _executor_rows(executor: str, directory: Directory) -> list[Accountable]:
    person = directory.find(executor)
    if person is not None:
        return [Accountable("person:" + name_key(person.name), person.name, person)]
    group = directory.find_group(executor)
    if group is not None:
        return [Accountable("group:" + name_key(group.name), group.name, group)]
    inner = [name for name in executor_names(executor) if name != executor.strip()]
    if inner and all(directory.find(name) is not None or parse_name(name) is not None for name in inner):
        return [row for name in inner for row in _executor_rows(name, directory)]
    shown = executor.strip()
    kind = "person:" if parse_name(shown) is not None else "text:"
    return [Accountable(kind + name_key(shown), shown)]


def mentions(p: m.Protocol) -> Iterator[tuple[str, Pos]]:
    """Every person's name written in a protocol, with where it is written."""

    def persons(entries: Iterable) -> Iterator[tuple[str, Pos]]:
        for entry in entries:
            if isinstance(entry, m.Group):
                yield from persons(entry.members)
            elif entry is not None:
                yield entry.name, entry.pos

    parts = p.participants
    yield from persons((parts.chair, parts.secretary, *parts.present, *parts.invited, *parts.absent))
    for item in p.agenda:
        yield from persons(item.speakers)
        for statement in (*item.heard, *item.spoke):
            yield from persons(statement.who)
    for ref in m.walk_decisions(p):
        d = ref.decision
        for executor in d.responsible or ():
            for name in executor_names(executor):
                yield name, d.field_pos.get("responsible", d.pos)
    for signature in p.signatures:
        if signature.name:
            yield signature.name, signature.pos


def check_names(p: m.Protocol, directory: Directory) -> list[Problem]:
    """`person-spelling`: names that miss a directory spelling by spacing, dots or е/ё only."""
    found = []
    if not directory:
        return found
    for name, pos in mentions(p):
        entry = directory.misspelt(name)
        if entry is None:
            continue
        found.append(Problem(
            p.path, pos.line or 1, pos.col or 1, CODES["person-spelling"], "person-spelling",
            _("'{name}' is spelt differently in {file}: '{canonical}'.").format(
                name=name.strip(), file=directory.path or PEOPLE_FILE, canonical=entry.name),
            _("Write '{canonical}' as in the directory (line {line}), or add this spelling to its aliases.").format(
                canonical=entry.name, line=entry.pos.line)))
    return found


# --- who appears where ----------------------------------------------------------------------------------------------

@dataclass
class Usage:
    name: str
    position: str | None
    entry: Entry | None  # None: named in protocols but not in the directory
    protocols: set[str] = field(default_factory=set)
    open_decisions: set[str] = field(default_factory=set)


def people_usage(protocols: Iterable[m.Protocol], directory: Directory, open_ids: set[str],
                 include_unknown: bool = False) -> list[Usage]:
    """Per person: the protocols naming them anywhere, and the open decisions naming them as executor.
    Persons of the directory come first in its order; with include_unknown, other person names follow by name."""
    from .names import parse_name

    rows: dict[str, Usage] = {}
    for entry in directory.entries:
        rows.setdefault(name_key(entry.name), Usage(entry.name, entry.position, entry))
    unknown: dict[str, Usage] = {}

    def row(name: str) -> Usage | None:
        entry = directory.find(name)
        if entry is not None:
            return rows[name_key(entry.name)]
        if not include_unknown or parse_name(name) is None:
            return None
        return unknown.setdefault(name_key(name), Usage(name.strip(), None, None))

    for p in protocols:
        for name, _pos in mentions(p):
            found = row(name)
            if found is not None:
                found.protocols.add(p.id)
        for ref in m.walk_decisions(p):
            if ref.id not in open_ids:
                continue
            for executor in ref.responsible:
                for name in executor_names(executor):
                    found = row(name)
                    if found is not None:
                        found.open_decisions.add(ref.id)
    return list(rows.values()) + sorted(unknown.values(), key=lambda u: name_key(u.name))


TEMPLATE = """\
# Справочник людей архива: каждый человек один раз. Описание: docs/archive.md.
#   name      — имя в именительном падеже, в том написании, которым пишут протоколы («Комарова Т.Ю.»);
#   position  — должность: протокол может назвать человека только по имени, должность возьмётся отсюда;
#   gender    — m или f, только для фамилий без родового окончания («Черных», «Кравец»);
#   aliases   — другие имена того же человека (девичья фамилия, имя полностью);
#   email     — адрес для напоминаний о сроках.
# Группа исполнителей («Отв.: руководители ОО»): group — её название, members — люди справочника, email — общий адрес.
# `protokol check` предупреждает о написании, отличающемся от справочника пробелами, точками или е/ё.
people:
#  - name: Фамилия И.О.
#    position: заведующий отделом образования
#    email: fio@example.ru
#  - name: Черных А.В.
#    position: методист
#    gender: f
#    aliases: [Черных Анна Викторовна]
#  - group: руководители ОО
#    members: [Фамилия И.О., Черных А.В.]
"""
