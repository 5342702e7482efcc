"""Keeping an archive: series numbering and ids of new protocols, their drafts, the carry-over list, what `init` creates.

Series: protocols with the same title (case, ё and spacing aside) form a series with one numbering; extracts count
too, as they carry the number of the protocol they come from. The next number is the series' highest in the meeting's
year plus one (numbering: yearly) or its highest ever plus one (continuous), so two meetings on one day get N and N+1.
A protocol's id is `<date>-<number>` (docs/format.md); when that file exists anyway (two series numbered alike on one
day), the id gets `-2`, `-3`… and the number stays as it is.

Which decisions are open and when they fall due is `protokol due`'s business (status.py, selection.py): the carry-over list asks it.
The list is per series too (the meetings of one series review their own decisions), while what closed a decision is
read from the whole archive: an `acts_on` in another series' protocol closes it all the same.
No clock and no printing: days come in as parameters.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from . import model as m
from .deadlines import SchoolYear, find_deadline_in_text
from .selection import due_by
from .status import Index, build_index
from .writing import create_new as write_new  # init and new never overwrite: FileExistsError when the name is taken

CARRY_OVER_TITLE = "О ходе выполнения решений предыдущих совещаний"
_NO_EXTRA_DAYS: tuple[frozenset, frozenset] = (frozenset(), frozenset())


# --- series and numbers ---------------------------------------------------------------------------------------------

def series_key(title: str) -> str:
    return " ".join(title.casefold().replace("ё", "е").split()).rstrip(".")


def number_value(number: str | None) -> int | None:
    """The number a printed № starts with («8» → 8, «3-р» → 3); None when it has none."""
    found = re.match(r"\s*(\d+)", number or "")
    return int(found[1]) if found else None


def in_series(p: m.Protocol, title: str) -> bool:
    return series_key(p.title) == series_key(title)


def next_number(protocols: Iterable[m.Protocol], title: str, day: date, numbering: str = "yearly") -> int:
    numbers = [number_value(p.number) for p in protocols
               if in_series(p, title) and (numbering == "continuous" or p.date.year == day.year)]
    return max((n for n in numbers if n is not None), default=0) + 1


def previous_protocol(protocols: Iterable[m.Protocol], title: str, day: date) -> m.Protocol | None:
    """The latest protocol of the series held on or before `day`."""
    earlier = [p for p in protocols if in_series(p, title) and p.date <= day]
    return max(earlier, key=lambda p: (p.date, number_value(p.number) or 0, p.id), default=None)


def protocol_id(day: date, number: str | int) -> str:
    safe = re.sub(r"[^\w-]+", "-", str(number).strip()).strip("-")
    return f"{day.isoformat()}-{safe}" if safe else day.isoformat()


def free_id(base: str, taken: Callable[[str], bool]) -> str:
    """`base`, or `base-2`, `base-3`… : the first id `taken` says is free."""
    if not taken(base):
        return base
    n = 2
    while taken(f"{base}-{n}"):
        n += 1
    return f"{base}-{n}"


# --- the carry-over list -------------------------------------------------------------------------------------------

def decision_index(protocols: Iterable[m.Protocol], school_year: SchoolYear | None = None,
                   extra_days: tuple[frozenset, frozenset] = _NO_EXTRA_DAYS) -> Index:
    """The decisions of loaded protocols as `protokol due` sees them (status.Index), deadlines read with the
    archive's school year and extra holidays and workdays (settings.extra_days)."""
    holidays, workdays = extra_days
    return build_index(protocols, (), school_year, holidays, workdays)


@dataclass(frozen=True)
class Pending:
    ref: m.DecisionRef
    due: date


def carry_over(protocols: Iterable[m.Protocol], meeting: date, school_year: SchoolYear | None = None,
               extra_days: tuple[frozenset, frozenset] = _NO_EXTRA_DAYS, series: str | None = None) -> list[Pending]:
    """Decisions of earlier meetings still open and due by `meeting`, by due date: selection.due_by, the rules of
    `protokol due` with the meeting day as today. `series` (a title) keeps those of the protocols of that series
    (in_series, as the numbering); None keeps every series. Either way the status of each decision comes from all of
    `protocols`: a later protocol of another series that closed or extended it counts."""
    protocols = list(protocols)
    refs: dict[str, m.DecisionRef] = {}
    for p in protocols:
        for ref in m.walk_decisions(p):
            refs.setdefault(ref.id, ref)  # a duplicate id: the first file wins, as in status.Index
    found = due_by(decision_index(protocols, school_year, extra_days), meeting)
    pending = [Pending(refs[d.id], d.due) for d in found if d.id in refs and d.due is not None]
    return pending if series is None else split_by_series(pending, series)[0]


def split_by_series(pending: Iterable[Pending], series: str | None) -> tuple[list[Pending], list[Pending]]:
    """`pending` parted into the decisions of protocols of the series of `series` (a title) and the rest, each in
    its order; None: all of them are in, none is left."""
    inside: list[Pending] = []
    outside: list[Pending] = []
    for x in pending:
        (inside if series is None or in_series(x.ref.protocol, series) else outside).append(x)
    return inside, outside


def series_titles(protocols: Iterable[m.Protocol]) -> list[str]:
    """One title per series of `protocols` (as its latest protocol spells it, spaces tidied), sorted: what a user
    may name."""
    latest: dict[str, m.Protocol] = {}
    for p in protocols:
        key = series_key(p.title)
        if key not in latest or (p.date, p.id) > (latest[key].date, latest[key].id):
            latest[key] = p
    return sorted((" ".join(p.title.split()) for p in latest.values()), key=series_key)


# --- the archive's own files ---------------------------------------------------------------------------------------

@dataclass
class Config:
    """protokol.yaml and people.yaml of an archive, read with the same strict loader as protocols."""

    settings: object  # settings.Settings
    directory: object  # people.Directory
    problems: list = field(default_factory=list)
    files: list[Path] = field(default_factory=list)  # those of the two that exist


def load_config(root: Path | None) -> Config:
    from .people import PEOPLE_FILE, load_people
    from .settings import SETTINGS_FILE, load_settings

    settings, settings_problems = load_settings(root)
    directory, people_problems = load_people(root)
    files = [root / name for name in (SETTINGS_FILE, PEOPLE_FILE) if root is not None and (root / name).is_file()]
    return Config(settings, directory, settings_problems + people_problems, files)


def root_of(path: Path) -> Path | None:
    """The archive a file or folder belongs to, or None."""
    from .paths import ArchiveNotFound, find_root

    try:
        return find_root(path if path.is_dir() else path.parent)
    except ArchiveNotFound:
        return None


# --- the draft of a new protocol ------------------------------------------------------------------------------------

_CARRY_NOTE = "@@carry-over:"  # a placeholder `note` that render_draft turns into comments


def shorten(text: str, limit: int = 160) -> str:
    """One line of at most `limit` characters, cut with «…»."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def carry_over_text(pending: Pending) -> str:
    """«Пункт 2.1 протокола № 8 от 27.08.2023 «…» снять с контроля.»: the default the meeting edits to «продлить до …»."""
    from .rudates import format_date

    p, d = pending.ref.protocol, pending.ref.decision
    number = f" № {p.number}" if p.number else ""
    text = f"Пункт {d.key} протокола{number} от {format_date(p.date, 'numeric')}"
    quote = shorten(d.text)
    if not find_deadline_in_text(quote):  # a deadline phrase in this text would make `check` ask for a `deadline:`
        text += f" «{quote}»"
    return text + " снять с контроля."


def draft_protocol(*, day: date, title: str, number: str | None, chair: m.Person | None, secretary: m.Person | None,
                   organization: str | None = None, place: str | None = None,
                   present: tuple[m.Person | m.Group, ...] = (), items: Iterable[str] = (),
                   carry: list[Pending] | None = None) -> m.Protocol:
    """A new protocol in draft status; `carry` (even empty) adds the carry-over question first."""
    agenda = []
    if carry is not None:
        decided = tuple(m.Decision(text=carry_over_text(x), note=f"{_CARRY_NOTE}{i}") for i, x in enumerate(carry))
        agenda.append(m.AgendaItem(title=CARRY_OVER_TITLE, number="1", decided=decided))
    for question in items:
        agenda.append(m.AgendaItem(title=question.strip(), number=str(len(agenda) + 1)))
    return m.Protocol(id="", date=day, title=title, number=number, organization=organization, place=place,
                      status="draft", participants=m.Participants(chair=chair, secretary=secretary, present=present),
                      agenda=tuple(agenda))


def _carry_comments(pending: Pending, indent: str) -> list[str]:
    ref = pending.ref
    due = pending.due.strftime("%d.%m.%Y")
    shown = f"{ref.deadline} ({due})" if ref.deadline and due not in ref.deadline else ref.deadline or due
    details = [f"срок: {shown}"]
    if ref.responsible:
        details.append("отв.: " + ", ".join(ref.responsible))
    lines = [f"{ref.id} — " + "; ".join(details)]
    quote = shorten(ref.decision.text)
    if f"«{quote}»" not in carry_over_text(pending):
        lines.append(f"«{quote}»")
    lines.append(f"acts_on: [{{decision: {ref.id}, action: done}}]  # снять с контроля")
    lines.append(f"acts_on: [{{decision: {ref.id}, action: extend, to: ГГГГ-ММ-ДД}}]  # продлить")
    return [f"{indent}# {line}" for line in lines]


def render_draft(protocol: m.Protocol, carry: list[Pending] | None = None, schema_path: str | None = None) -> str:
    """The draft as YAML; each carried-over decision is followed by comments with its id, deadline and the
    `acts_on` lines to uncomment, so that closing or extending it is an edit, not a lookup."""
    from .dump import dump_protocol

    text = dump_protocol(protocol, schema_path)
    if not carry:
        return text
    pattern = re.compile(rf"^(\s*)note: ['\"]?{re.escape(_CARRY_NOTE)}(\d+)['\"]?$")
    out = []
    for line in text.splitlines():
        hit = pattern.match(line)
        out.extend(_carry_comments(carry[int(hit[2])], hit[1]) if hit else [line])
    return "\n".join(out) + "\n"


# The JSON Schema of the format inside an archive: `protokol init` writes it; `new` and `import` point each file they
# write at it with a `# yaml-language-server: $schema=…` line while it exists (a line naming a missing file would only
# make editors complain).
SCHEMA_FILE = "schema/protokol.schema.json"


def schema_text() -> str:
    """What `protokol schema` prints and `protokol init` writes into SCHEMA_FILE."""
    import json

    from .schema import json_schema

    return json.dumps(json_schema(), ensure_ascii=False, indent=2) + "\n"


def schema_reference(root: Path, target: Path) -> str | None:
    """The relative path from `target`'s folder to the archive's schema/protokol.schema.json, when it exists."""
    schema = root / SCHEMA_FILE
    if not schema.is_file():
        return None
    return os.path.relpath(schema, target.parent).replace(os.sep, "/")


# --- protokol init --------------------------------------------------------------------------------------------------

TEMPLATES_README = """\
# Свои шаблоны документов

Встроенные шаблоны (протокол, выписка) поставляются с программой protokol. Чтобы изменить документ,
положите в эту папку файл с тем же именем, что у встроенного шаблона: он будет использован вместо него.
Шаблон можно не переписывать целиком, а расширить встроенный:

    {% extends "default:ИМЯ-ШАБЛОНА" %}

и заменить в нём только нужные блоки. Папка, указанная в `--templates DIR`, просматривается раньше этой.
Пустая папка ничего не меняет: используются встроенные шаблоны.
"""

GITIGNORE = """\
# protokol: кэш и собранные документы (их всегда можно собрать заново)
.protokol-cache/
build/
# временные файлы Word и LibreOffice
~$*
.~lock.*#
"""

def _settings_file(values: dict) -> str:
    from .settings import settings_template

    return settings_template(values)


def _people_file(values: dict) -> str:
    from .people import TEMPLATE

    return TEMPLATE


def _schema_file(values: dict) -> str:
    return schema_text()


# What `protokol init` creates. Another file is one more line: (path inside the archive, text or a function of the
# init values returning the text). Files that exist are kept as they are.
INIT_DIRS: list[str] = ["protocols", "templates"]
INIT_FILES: list[tuple[str, str | Callable[[dict], str]]] = [
    ("protokol.yaml", _settings_file),
    ("people.yaml", _people_file),
    ("protocols/.gitkeep", ""),
    ("templates/README.md", TEMPLATES_README),
    (SCHEMA_FILE, _schema_file),
    (".gitignore", GITIGNORE),
]


@dataclass
class InitReport:
    created: list[str] = field(default_factory=list)  # paths inside the archive; folders end with "/"
    kept: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)  # existing, with what protokol needs added (.gitattributes)


def init_archive(root: Path, values: dict | None = None) -> InitReport:
    """Create what an archive needs in `root`, keeping every file that exists. `values` are settings
    (model values) written into a new protokol.yaml."""
    report = InitReport()
    root.mkdir(parents=True, exist_ok=True)
    for name in INIT_DIRS:
        folder = root / name
        if folder.is_dir():
            report.kept.append(name + "/")
        else:
            folder.mkdir(parents=True)
            report.created.append(name + "/")
    for name, content in INIT_FILES:
        path = root / name
        if path.exists():
            report.kept.append(name)
            continue
        text = content(values or {}) if callable(content) else content
        try:
            write_new(path, text)
            report.created.append(name)
        except FileExistsError:
            report.kept.append(name)
    return report


PRE_COMMIT_FILE = ".pre-commit-config.yaml"
TEXTCONV_ITEM = "git config diff.protokol.textconv"


def init_git_integration(root: Path, report: InitReport | None = None) -> InitReport:
    """For an archive inside a git repository: `.gitattributes` and `git config diff.protokol.textconv`, so that
    `git diff` shows protocols as text (gitreview.setup_git_integration), and a `.pre-commit-config.yaml` for the
    pre-commit tool. Safe to repeat: an existing .pre-commit-config.yaml is kept as it is, and .gitattributes only
    gets the protokol lines it lacks (its own lines stay)."""
    from . import gitreview

    report = report if report is not None else InitReport()
    attributes_existed = (root / ".gitattributes").exists()
    textconv_before = gitreview.get_config(root, "diff.protokol.textconv")
    done = gitreview.setup_git_integration(root)
    for name, existed in ((".gitattributes", attributes_existed), (TEXTCONV_ITEM, textconv_before is not None)):
        if name not in done:
            report.kept.append(name)
        else:
            (report.updated if existed else report.created).append(name)
    try:
        write_new(root / PRE_COMMIT_FILE, gitreview.PRE_COMMIT_CONFIG)
        report.created.append(PRE_COMMIT_FILE)
    except FileExistsError:
        report.kept.append(PRE_COMMIT_FILE)
    return report
