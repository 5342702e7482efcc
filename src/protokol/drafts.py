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
