"""The draft of a new protocol (`protokol new`): the model of a draft, and its YAML with the carry-over list
written as comments the secretary edits."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date

from . import model as m
from .carryover import CARRY_OVER_TITLE, Pending, carry_over_text, shorten

_CARRY_NOTE = "@@carry-over:"  # a placeholder `note` that render_draft turns into comments


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


def typed_participants(lines: Iterable[str], directory, known: Iterable[m.Person | m.Group] = ()) -> tuple:
    """The participants typed at `new`'s prompt or given with --participant: names separated by commas (or «;») or
    one per line. A name of `known` (the previous protocol's participants) is that entry, with the position written
    there; a person or group of `directory` (people.Directory) is written in its spelling, the position left to
    people.yaml as for any person named alone; anything else as typed. Each once, in the order typed."""
    from .names import name_key, split_executors

    by_key: dict[str, m.Person | m.Group] = {}
    for entry in known:
        by_key.setdefault(name_key(entry.name if isinstance(entry, m.Person) else entry.group), entry)
    out: dict[str, m.Person | m.Group] = {}
    for line in lines:
        for name in split_executors(line):
            key = name_key(name)
            person = directory.find(name) if directory is not None else None
            group = directory.find_group(name) if directory is not None and person is None else None
            entry = by_key.get(key) or (m.Person(person.name) if person else m.Group(group.name) if group
                                        else m.Person(" ".join(name.split())))
            out.setdefault(name_key(entry.name if isinstance(entry, m.Person) else entry.group), entry)
    return tuple(out.values())


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
