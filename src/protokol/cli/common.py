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


def ambiguous_id(pid: str, files) -> UserError:
    """The wrong call (exit 2) of naming a protocol id that several files share: acting on one of them would be a
    guess."""
    return UserError(_("Protocol id '{id}' is used by several files: {files}.").format(
        id=pid, files=", ".join(str(f) for f in files)),
        _("Ids come from file names: rename one of the files (`protokol check` reports it too)."))


def refuse_ambiguous(root: Path, pid: str) -> None:
    """Stop with `ambiguous_id` when more than one file of the archive `root` has the protocol id `pid`."""
    from ..paths import PROTOCOLS_DIR, display_path, files_with_id

    files = files_with_id(root / PROTOCOLS_DIR, pid)
    if len(files) > 1:
        raise ambiguous_id(pid, [display_path(f) for f in files])


def root_option():
    return Annotated[Path | None, typer.Option("--root", help=_("The archive folder (default: found from the current folder upward)."),
                                                show_default=False)]


def today_option():
    return Annotated[str | None, typer.Option("--today", help=_("Take this day as today (e.g. 01.07.2024 or 2024-07-01)."), show_default=False)]


def parse_day(text: str | None, option: str = "--today") -> date:
    """The day a date option names, in any form rudates.parse_date reads; a wrong one is a usage error (exit 2)."""
    if text is None:
        return date.today()
    from ..rudates import ACCEPTED_FORMS, NotACalendarDay, parse_date

    try:
        return parse_date(text)
    except NotACalendarDay:
        raise UserError(_("{option}: {value} is not a day of the calendar.").format(option=option, value=text),
                        _("Check the day and the month: {value} does not exist.").format(value=text)) from None
    except ValueError:
        raise UserError(_("{option} takes a date such as {forms}, not '{value}'.").format(
            option=option, value=text, forms=ACCEPTED_FORMS)) from None


def parse_span(text: str) -> int | None:
    """«14d», «2w», «14» -> days (`due --within`); None when it is none of these."""
    import re

    found = re.fullmatch(r"\s*(\d{1,4})\s*([dwдн]?)\s*", text.lower())
    if not found:
        return None
    n = int(found[1])
    return n * 7 if found[2] in ("w", "н") else n


def archive_root(root: Path | None) -> Path:
    from ..paths import ArchiveNotFound, find_root, is_archive

    if root is not None:
        if not root.is_dir():
            raise UserError(_("No such folder: {path}").format(path=root))
        if not is_archive(root):  # `--root /etc` would read nothing and write a cache there
            raise UserError(_("{path} is not a protokol archive: it has neither protokol.yaml nor protocols/.").format(
                path=root), _("Pass the archive's folder, or create one with `protokol init {path}`.").format(path=root))
        return root
    try:
        return find_root()
    except ArchiveNotFound as exc:
        raise UserError(_("No protokol archive here or above: {path}").format(path=exc),
                        _("Run the command inside an archive (a folder with protocols/), pass --root DIR, or create one with `protokol init`.")) from None


def err_console():
    from rich.console import Console

    return Console(stderr=True, highlight=False, soft_wrap=True, emoji=False)  # «:x:» in user text stays «:x:»


def out_console():
    from rich.console import Console

    return Console(highlight=False, soft_wrap=True, emoji=False)


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


# Lines as an editor and the loader count them: str.splitlines would also break at U+2028, NEL, \v, \f…
_LINE_BREAK = __import__("re").compile(r"\r\n|\r|\n")


def _source_line(cache: dict, file: str, line: int) -> str | None:
    if file not in cache:
        from ..paths import read_regular
        from ..yamlio import MAX_FILE_BYTES

        try:  # the same limits as the reading that found the problem: a pipe or a device is never read here either
            cache[file] = _LINE_BREAK.split(_readable(read_regular(file, MAX_FILE_BYTES)))
        except OSError:
            cache[file] = []
    lines = cache[file]
    return lines[line - 1] if 0 < line <= len(lines) else None


def print_problems(problems: Iterable[Problem], fmt: str, strict: bool = False, sources: dict | None = None) -> None:
    """Print problems as text (file:line:col, excerpt with a caret, hint), json, or GitHub annotations. `sources`:
    file -> the content judged where it is not the file on disk (a staged version, a file not written)."""
    problems = [_bounded(p) for p in sorted(problems, key=Problem.sort_key)]
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
    cache: dict = {file: _LINE_BREAK.split(_readable(data)) for file, data in (sources or {}).items()}
    for p in problems:
        p = _effective(p, strict)
        colour = "red" if p.severity == ERROR else "yellow"
        label = _("error") if p.severity == ERROR else _("warning")
        console.print(f"[bold]{_esc(p.file)}:{p.line}:{p.col}:[/] [bold {colour}]{_esc(f'{label}[{p.code}]')}[/]: "
                      f"{_esc(p.message)}")
        source = _source_line(cache, p.file, p.line)
        if source is not None:
            gutter = " " * len(str(p.line))
            shown, caret = excerpt(source, p.col)
            console.print(f"[blue]{gutter} |[/]")
            console.print(f"[blue]{p.line} |[/] {_esc(shown)}")
            console.print(f"[blue]{gutter} |[/] {' ' * caret}[bold {colour}]^[/]")
        for related_line, _col in p.related:
            other = _source_line(cache, p.file, related_line)
            if other is not None:
                console.print(f"[blue]{related_line} |[/] {_esc(excerpt(other, 1)[0])}  [dim]← {_('first here')}[/]")
        if p.hint:
            console.print(f"  [cyan]= {_('hint')}:[/] {_esc(p.hint)}")
        console.print()


# What never reaches the terminal raw: control characters (an escape sequence can recolour, retitle or clear it) and
# invisible format characters (zero-width spaces, bidi overrides that reorder the line). Each is shown as \xNN, \uNNNN.
_UNSAFE = __import__("re").compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u00ad\u061c\u180e\u200b-\u200f\u2028-\u202e"
                                   "\u2060-\u206f\ufeff\ufff9-\ufffb]")
SHORT = 300  # characters of user text echoed in one message (a 2 MB key is shown by its ends)
EXCERPT = 160  # characters of a source line shown around the column


def visible(text: str) -> str:
    """Text with control and invisible characters written as escapes (\x1b, \u200b), so that it prints as is."""
    return _UNSAFE.sub(lambda m: ascii(m[0])[1:-1], text)


def shorten(text: str, limit: int = SHORT * 3) -> str:
    """Text cut in the middle when it is longer than `limit` characters (the ends say what it is)."""
    if len(text) <= limit:
        return text
    half = limit // 2
    return text[:half] + _(" … ({n} characters left out) … ").format(n=len(text) - 2 * half) + text[-half:]


def excerpt(line: str, col: int) -> tuple[str, int]:
    """A source line as shown under a problem (a window of it around `col` when it is long; tabs as one space;
    invisible characters escaped) and the caret's offset in what is shown."""
    start = max(0, min(col - 1 - EXCERPT // 2, len(line) - EXCERPT))
    window = line[start:start + EXCERPT]
    head = "… " if start else ""
    tail = " …" if start + EXCERPT < len(line) else ""
    before = visible(window[: max(0, col - 1 - start)].expandtabs(1))
    return head + visible(window.expandtabs(1)) + tail, len(head) + len(before)


def _esc(text: str) -> str:
    """User text for a rich console: markup («[bold]») printed as written, control characters escaped."""
    from rich.markup import escape

    return escape(visible(text))


def _bounded(p: Problem) -> Problem:
    """The problem with its message and hint shortened (a 2 MB key is quoted by its ends, not in full)."""
    if len(p.message) <= SHORT * 3 and len(p.hint) <= SHORT * 3:
        return p
    from dataclasses import replace

    return replace(p, message=shorten(p.message), hint=shorten(p.hint))


def _effective(p: Problem, strict: bool) -> Problem:
    if strict and p.severity == WARNING:
        from dataclasses import replace

        return replace(p, severity=ERROR)
    return p


def summary(problems: list[Problem], files: int, strict: bool) -> tuple[int, int]:
    errors = sum(1 for p in problems if p.severity == ERROR or strict)
    warnings = len(problems) - errors
    return errors, warnings


_YES = ("y", "yes", "д", "да")
_NO = ("n", "no", "н", "нет")


def ask_yes_no(question: str, default: bool) -> bool:
    """A yes/no question on stderr that takes «да»/«нет» (д/н) as well as y/n, in either language; Enter takes the
    default; a wrong answer is asked again with a word on what to type. The end of input aborts, as Ctrl-C does."""
    choices = _("Y/n") if default else _("y/N")
    while True:
        try:
            answer = typer.prompt(f"{question} [{choices}]", default="", show_default=False, err=True)
        except (EOFError, KeyboardInterrupt):
            raise typer.Abort() from None
        answer = answer.strip().casefold()
        if not answer:
            return default
        if answer in _YES:
            return True
        if answer in _NO:
            return False
        typer.echo(_("Answer yes or no (y/n, да/нет)."), err=True)


def os_reason(exc: OSError) -> str:
    """Why the system refused, in the user's language: the C library's own words (`strerror`) are English whatever
    the locale, so the errors a user meets when naming a file are translated; any other keeps the system's words."""
    import errno

    reasons = {
        errno.EISDIR: _("it is a folder, not a file"),
        errno.ENOTDIR: _("a part of the path is a file, not a folder"),
        errno.EACCES: _("permission denied"),
        errno.EPERM: _("permission denied"),
        errno.ENOENT: _("no such file or folder"),
        errno.EROFS: _("the file system is read-only"),
        errno.ENOSPC: _("no space left on the disk"),
        errno.ENAMETOOLONG: _("the name is too long"),
    }
    return reasons.get(exc.errno) or exc.strerror or str(exc)
