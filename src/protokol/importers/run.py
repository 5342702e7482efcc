"""One document in, one protocol file's text out: read, parse, dump, and prove that the result passes `check` (the gate)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from .. import model as m
from ..i18n import _
from ..problems import ERROR, Problem
from .dates import Given, date_in_name
from .parse import Spot, parse_lines
from .source import SUFFIXES, SourceError, read_source


@dataclass
class Imported:
    source: str  # the input as the user named it
    protocol: m.Protocol | None = None
    yaml: str = ""
    name: str = ""  # file name: <date>-<number>.yaml or <date>.yaml
    spots: list[Spot] = field(default_factory=list)
    error: str | None = None  # why nothing can be written
    no_date: bool = False  # the error is the want of a meeting date
    problems: list[Problem] = field(default_factory=list)  # what `check` would say about the result


def file_name(protocol: m.Protocol) -> str:
    """«2023-08-27-8.yaml»; a number with characters unsafe in file names keeps only the safe ones («3/1» -> «3-1»)."""
    stem = protocol.date.isoformat()
    if protocol.number:
        number = re.sub(r"[^\w.]+", "-", protocol.number, flags=re.UNICODE).strip("-.")
        if number:
            stem += f"-{number}"
    return stem + ".yaml"


def import_document(path: Path, display: str | None, today: date, schema_path: str | None = None,
                    meeting: date | None = None, origin: str = "option") -> Imported:
    """Import one file of minutes; `today` is only for the `check` of the result (no clock is read here). `meeting`
    (from --date) serves a document that names no date, else a date in the file's name does; the document's own
    date wins. `origin`: where `meeting` comes from, "option" (--date) or "answer" (--interactive)."""
    from ..dump import dump_protocol

    shown = display or str(path)
    result = Imported(shown)
    try:
        source = read_source(path, shown)
    except SourceError as exc:
        result.error = str(exc)
        return result
    in_name = date_in_name(path.name)
    given = Given(meeting, origin) if meeting is not None else Given(in_name, "file name") if in_name else None
    parsed = parse_lines(source, given)
    result.spots = parsed.spots
    if parsed.protocol is None:
        result.error = _("{path}: {reason}").format(path=shown, reason=parsed.fatal)
        result.no_date = parsed.no_date
        return result
    result.protocol = parsed.protocol
    result.name = file_name(parsed.protocol)
    result.yaml = dump_protocol(parsed.protocol, schema_path)
    result.problems = verify(result.yaml, result.name, today)
    return result


def verify(text: str, name: str, today: date) -> list[Problem]:
    """The problems `protokol check` would report for this text saved as protocols/<year>/<name> of an empty archive
    (`protokol import` judges it again within the archive it writes into)."""
    from ..gate import judge

    shown = Path(f"protocols/{name[:4]}/{name}")
    return list(judge(None, today, [shown], {shown: text}, explain=False).problems)


def errors(problems: list[Problem]) -> list[Problem]:
    return [p for p in problems if p.severity == ERROR]


def expand_inputs(paths: list[Path]) -> list[Path]:
    """Files named, and the importable files found below folders named, in a stable order."""
    out: list[Path] = []
    for path in paths:
        if path.is_dir():
            out.extend(sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in SUFFIXES
                              and not p.name.startswith(("~$", "."))))
        else:
            out.append(path)
    return out


def missing_people(result: Imported) -> list[str]:
    """What the document does not name and `import --interactive` asks for: "chair", "secretary"."""
    return [s.missing for s in result.spots if s.missing]


def complete(result: Imported, today: date, people: dict[str, str]) -> Imported:
    """The import with the chair or secretary the user gave ({"chair": "Иванова И.И., директор"}): the protocol
    and its YAML made again, the spots that asked for them gone."""
    from dataclasses import replace

    from ..dump import dump_protocol
    from .words import split_person

    given = {k: v.strip() for k, v in people.items() if v and v.strip()}
    if result.protocol is None or not given:
        return result
    persons = {}
    for key, text in given.items():
        parsed = split_person(text)
        persons[key] = m.Person(name=parsed[0], position=parsed[1]) if parsed else m.Person(name=text)
    old = result.protocol.participants
    participants = replace(old, chair=persons.get("chair", old.chair), secretary=persons.get("secretary", old.secretary),
                           not_recorded=frozenset(old.not_recorded - set(persons)))
    protocol = replace(result.protocol, participants=participants)
    yaml = dump_protocol(protocol)
    return replace(result, protocol=protocol, yaml=yaml, spots=[s for s in result.spots if s.missing not in persons],
                   problems=verify(yaml, result.name, today))
