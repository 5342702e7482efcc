"""The questions `protokol new` (and `import --interactive`) ask in a terminal: a day, and lists typed a line at a
time."""
# No `from __future__ import annotations`, as in the other command modules.

from collections.abc import Callable
from datetime import date

import typer

from ..i18n import _
from .common import _esc, err_console


def prompt_day(label: str, default: date | None) -> date:
    """A day typed at the prompt; with no `default`, an empty answer asks again."""
    from ..rudates import ACCEPTED_FORMS, parse_date, shown_day

    while True:
        text = typer.prompt(label, default=shown_day(default) if default is not None else None, err=True)
        try:
            return parse_date(text)
        except ValueError:
            err_console().print("[red]" + _esc(_("Write the date in a form such as {forms}.").format(
                forms=ACCEPTED_FORMS)) + "[/]")


def prompt_lines(intro: str, label: str, count: Callable[[list[str]], int] = len) -> list[str]:
    """Lines typed one after another until an empty one; `label` is asked with {n}, one more than `count` of the
    lines so far (a line may hold several names)."""
    err_console().print(_esc(intro))
    lines: list[str] = []
    while True:
        line = typer.prompt(label.format(n=count(lines) + 1), default="", show_default=False, err=True).strip()
        if not line:
            return lines
        lines.append(line)
