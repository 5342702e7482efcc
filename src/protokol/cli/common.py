"""What every command shares: the archive option, today's date, the error boundary, and printing problems."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable
from datetime import date
from pathlib import Path
from typing import Annotated

import typer

from ..i18n import _
from ..problems import ERROR, WARNING, Problem

# click's own exception class, reached through typer's public BadParameter so that nothing imports click's internals.
_ClickException = next(c for c in typer.BadParameter.__mro__ if c.__name__ == "ClickException")


class UserError(_ClickException):
    """A mistake in how a command was called or what it was pointed at: printed plainly, exit code 2 (or `code`).

    The exit codes, the same for every command (README, «Exit codes»):
    - 0: done;
    - 1 (`code=1`): the files say no: problems found in them (also when the rest is still listed or rendered), or an
      action on them refused: a file in the way that is never overwritten without --force, a protocol whose state
      forbids it (has errors, is a draft, is signed, is done already), a day that contradicts the file;
    - 2 (the default): the call is wrong: a bad, missing or conflicting option or argument, a name (file, protocol
      or decision id, agenda item, revision, template) that names nothing, no archive or git repository where one
      is needed.

    Being a click exception, it is caught and shown by click itself, in the program and under CliRunner alike.
    """

    def __init__(self, message: str, hint: str = "", code: int = 2):
        super().__init__(message)
        self.message = message
        self.hint = hint
        self.exit_code = code

    def show(self, file=None) -> None:
        console = err_console()
        console.print(f"[bold red]{_('error')}:[/] {_esc(self.message)}")
        if self.hint:
            console.print(f"  [cyan]{_('hint')}:[/] {_esc(self.hint)}")


def unknown_protocol(protocol_id: str, known, problems=()) -> UserError:
    """The error for an id that names no readable protocol: the file's first problem when it exists but cannot be
    read, otherwise the nearest ids."""
    import difflib
    import os

    for p in problems:
        stem = os.path.splitext(os.path.basename(p.file))[0]
        if stem == protocol_id and p.severity == "error":
            return UserError(_("Protocol '{id}' cannot be read: {file}:{line}:{col}: {message}").format(
                id=protocol_id, file=p.file, line=p.line, col=p.col, message=p.message),
                _("Fix the file (`protokol check {file}` lists every problem) and run the command again.").format(file=p.file),
                code=1)
    close = difflib.get_close_matches(protocol_id, list(known), n=3)
    return UserError(_("No protocol '{id}' in the archive.").format(id=protocol_id),
                     _("Did you mean {ids}?").format(ids=", ".join(close)) if close
                     else _("A protocol's id is its file name without .yaml."))


def root_option():
    return Annotated[Path | None, typer.Option("--root", help=_("The archive folder (default: found from the current folder upward)."),
                                                show_default=False)]


def today_option():
    return Annotated[str | None, typer.Option("--today", help=_("Take this day (YYYY-MM-DD) as today."), show_default=False)]


def parse_day(text: str | None, option: str = "--today") -> date:
    if text is None:
        return date.today()
    import re

    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        raise UserError(_("{option} takes a date as YYYY-MM-DD, not '{value}'.").format(option=option, value=text))
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise UserError(_("{option}: {value} is not a day of the calendar.").format(option=option, value=text),
                        _("Check the day and the month: {value} does not exist.").format(value=text)) from None


def parse_span(text: str) -> int | None:
    """«14d», «2w», «14» -> days (`due --within`); None when it is none of these."""
    import re

    found = re.fullmatch(r"\s*(\d{1,4})\s*([dwдн]?)\s*", text.lower())
    if not found:
        return None
    n = int(found[1])
    return n * 7 if found[2] in ("w", "н") else n


def archive_root(root: Path | None) -> Path:
    from ..paths import ArchiveNotFound, find_root

    if root is not None:
        if not root.is_dir():
            raise UserError(_("No such folder: {path}").format(path=root))
        return root
    try:
        return find_root()
    except ArchiveNotFound as exc:
        raise UserError(_("No protokol archive here or above: {path}").format(path=exc),
                        _("Run the command inside an archive (a folder with protocols/), pass --root DIR, or create one with `protokol init`.")) from None


def err_console():
    from rich.console import Console

    return Console(stderr=True, highlight=False, soft_wrap=True)


def out_console():
    from rich.console import Console

    return Console(highlight=False, soft_wrap=True)


def _readable(data: bytes) -> str:
    """A file's text for an excerpt, in the encoding it is really in: a UTF-16 or Windows-1251 file is reported as
    such (yamlio.decode), and its excerpt should still show the words the user wrote."""
    import codecs

    from ..yamlio import _looks_like_cp1251

    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16", errors="replace")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1251" if _looks_like_cp1251(data) else "utf-8", errors="replace")


def _source_line(cache: dict, file: str, line: int) -> str | None:
    if file not in cache:
        try:
            cache[file] = _readable(Path(file).read_bytes()).splitlines()
        except OSError:
            cache[file] = []
    lines = cache[file]
    return lines[line - 1] if 0 < line <= len(lines) else None


def print_problems(problems: Iterable[Problem], fmt: str, strict: bool = False, sources: dict | None = None) -> None:
    """Print problems as text (file:line:col, excerpt with a caret, hint), json, or GitHub annotations. `sources`:
    file -> the content judged where it is not the file on disk (a staged version, a file not written)."""
    problems = sorted(problems, key=Problem.sort_key)
    if fmt == "json":
        sys.stdout.write(json.dumps([_effective(p, strict).as_dict() for p in problems], ensure_ascii=False, indent=2) + "\n")
        return
    if fmt == "github":
        for p in problems:
            p = _effective(p, strict)
            level = "error" if p.severity == ERROR else "warning"
            message = f"{p.message} {p.hint}".strip().replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
            sys.stdout.write(f"::{level} file={p.file},line={p.line},col={p.col},title={p.code}::{message}\n")
        return
    console = out_console()
    cache: dict = {file: _readable(data).splitlines() for file, data in (sources or {}).items()}
    for p in problems:
        p = _effective(p, strict)
        colour = "red" if p.severity == ERROR else "yellow"
        label = _("error") if p.severity == ERROR else _("warning")
        console.print(f"[bold]{_esc(p.file)}:{p.line}:{p.col}:[/] [bold {colour}]{_esc(f'{label}[{p.code}]')}[/]: {_esc(p.message)}")
        source = _source_line(cache, p.file, p.line)
        if source is not None:
            gutter = " " * len(str(p.line))
            console.print(f"[blue]{gutter} |[/]")
            console.print(f"[blue]{p.line} |[/] {_esc(source.expandtabs(1))}")
            console.print(f"[blue]{gutter} |[/] {' ' * (p.col - 1)}[bold {colour}]^[/]")
        for related_line, _col in p.related:
            other = _source_line(cache, p.file, related_line)
            if other is not None:
                console.print(f"[blue]{related_line} |[/] {_esc(other)}  [dim]← {_('first here')}[/]")
        if p.hint:
            console.print(f"  [cyan]= {_('hint')}:[/] {_esc(p.hint)}")
        console.print()


def _esc(text: str) -> str:
    from rich.markup import escape

    return escape(text)


def _effective(p: Problem, strict: bool) -> Problem:
    if strict and p.severity == WARNING:
        from dataclasses import replace

        return replace(p, severity=ERROR)
    return p


def summary(problems: list[Problem], files: int, strict: bool) -> tuple[int, int]:
    errors = sum(1 for p in problems if p.severity == ERROR or strict)
    warnings = len(problems) - errors
    return errors, warnings
