"""Writing a protocol model as YAML in the canonical layout (keys in format order, multi-line text as `|` blocks).

Used where protokol creates a file (`new`, `import`); edits of existing files go through editing.py so that the
user's own layout and comments survive.
"""

from __future__ import annotations

from datetime import date

import yaml

from . import model as m
from .schema import (
    AGENDA_ITEM,
    AMENDMENT,
    CERTIFICATION,
    CLOSING,
    CONTROL,
    DECISION,
    EXTENSION,
    GROUP,
    OCCURRENCE,
    PARTICIPANTS,
    PERSON,
    PROTOCOL,
    REFERENCE,
    SECTION,
    SIGNATURE,
    SIGNING,
    STATEMENT,
    VOTES,
)
from .spec import Record

SCHEMA_LINE = "# yaml-language-server: $schema={path}\n"

_RECORDS: dict[type, Record] = {
    m.Person: PERSON, m.Group: GROUP, m.Participants: PARTICIPANTS, m.Statement: STATEMENT, m.Votes: VOTES,
    m.Extension: EXTENSION, m.Closing: CLOSING, m.OccurrenceReport: OCCURRENCE, m.Control: CONTROL, m.Reference: REFERENCE, m.Decision: DECISION, m.AgendaItem: AGENDA_ITEM,
    m.Section: SECTION, m.Signature: SIGNATURE, m.Certification: CERTIFICATION, m.Signing: SIGNING, m.Protocol: PROTOCOL,
    m.Amendment: AMENDMENT,
}
# Values that a reader assumes when a key is absent: not written, to keep files short.
_DEFAULTS = {("protocol", "kind"): "protocol", ("protocol", "status"): "final", ("control", "status"): "open",
             ("certification", "label"): "Верно", ("signed", "hash"): "v1"}


def to_data(obj):
    """The model as plain dicts, lists, strings and dates, in the format's key order."""
    if isinstance(obj, tuple):
        return [to_data(x) for x in obj]
    if isinstance(obj, (str, int, date)) or obj is None:
        return obj
    spec = _RECORDS[type(obj)]
    if isinstance(obj, m.Person) and obj.position is None and obj.gender is None and obj.note is None:
        return obj.name
    out = {}
    for key in spec.fields:
        attr = key if hasattr(obj, key) else key + "_"
        value = getattr(obj, attr)
        if isinstance(obj, m.Participants) and key in obj.not_recorded:
            out[key] = None
            continue
        keep_empty = spec.fields[key].required or (key == "responsible" and isinstance(obj, m.Decision))
        if value is None or (value == () and not keep_empty):
            continue
        if _DEFAULTS.get((spec.name, key)) == value:
            continue
        out[key] = to_data(value)
    return out


class _Dumper(yaml.SafeDumper):
    pass


def _str(dumper, text: str):
    style = "|" if "\n" in text else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", text, style=style)


_Dumper.add_representer(str, _str)


def dump_data(data, schema_path: str | None = None) -> str:
    text = yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=120, default_flow_style=False,
                     indent=2)
    return (SCHEMA_LINE.format(path=schema_path) if schema_path else "") + text


def dump_protocol(protocol: m.Protocol, schema_path: str | None = None) -> str:
    return dump_data(to_data(protocol), schema_path)
