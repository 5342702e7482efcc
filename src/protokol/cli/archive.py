"""`protokol init`, `new`, `people`, `list` and `show`: starting an archive, drafting the next protocol, looking around."""
# No `from __future__ import annotations`: Typer reads these annotations at run time.

import os
import sys
from datetime import date
from pathlib import Path
from typing import Annotated

import typer

from ..i18n import _, ngettext
from .common import (
    UserError,
    archive_root,
    err_console,
    out_console,
    parse_day,
    root_option,
    today_option,
    unknown_protocol,
)


def _help(text: str, example: str) -> str:
    return text + "\n\n" + example


def _esc(text: str) -> str:
    from rich.markup import escape

    return escape(text)


class _Context:
    """What the commands here read from an archive: settings, the people directory and the protocols."""

    def __init__(self, root_opt: Path | None):
        from ..archive import load_config
        from ..collection import Collection, load_collection
        from ..paths import PROTOCOLS_DIR
        from ..problems import ERROR

        self.root = archive_root(root_opt)
        config = load_config(self.root)
        self.settings, self.directory = config.settings, config.directory
        broken_config = sorted({p.file for p in config.problems if p.severity == ERROR})
        for file in broken_config:
            err_console().print("[yellow]" + _esc(_("{file} has errors, and the defaults stand in for what cannot be "
                                                    "read; run `protokol check` to see them.").format(file=file)) + "[/]")
        folder = self.root / PROTOCOLS_DIR
        self.archive = load_collection([folder]) if folder.is_dir() else Collection(self.root)
        broken = {p.file for p in self.archive.problems if p.severity == ERROR}
        # What the commands that only read and report (list, show, people) turn into exit code 1 after their output,
        # as `due` does: what they print may be incomplete. Commands that write (new) warn and go on.
        self.has_errors = bool(broken or broken_config)
        if broken:
            err_console().print("[yellow]" + _esc(ngettext(
                "{n} protocol file could not be read and is left out; run `protokol check` to see why.",
                "{n} protocol files could not be read and are left out; run `protokol check` to see why.",
                len(broken)).format(n=len(broken))) + "[/]")

    @property
    def protocols(self):
        return self.archive.protocols

    def decisions(self, today: date) -> dict:
        from ..overview import decision_statuses

        return decision_statuses(self.protocols, self.settings, today)

    def find(self, text: str):
        """A protocol by id, by file path, or by the start of its id when only one id starts so."""
        import difflib

        by_id = {p.id: p for p in self.protocols}
        if text in by_id:
            return by_id[text]
        path = Path(text)
        if path.suffix in (".yaml", ".yml"):
            for p in self.protocols:
                if Path(p.path).resolve() == path.resolve():
                    return p
        starting = [pid for pid in by_id if pid.startswith(text)]
        if len(starting) == 1:
            return by_id[starting[0]]
        if len(starting) > 1:
            raise UserError(_("'{text}' fits several protocols: {ids}.").format(text=text, ids=", ".join(sorted(starting))),
                            _("Give the whole id."))
        unreadable = unknown_protocol(Path(text).stem, by_id, self.archive.problems)
        if unreadable.exit_code == 1:  # the file is there but cannot be read: say why, not "no protocol"
            raise unreadable
        close = difflib.get_close_matches(text, list(by_id), n=3)
        hint = (_("Did you mean: {ids}?").format(ids=", ".join(close)) if close
                else _("`protokol list` shows the ids."))
        raise UserError(_("No protocol '{text}' in the archive.").format(text=text), hint)


def _exit_on_errors(ctx: _Context) -> None:
    """Exit code 1 once the output is printed when a file of the archive had errors (`_Context` has said which)."""
    if ctx.has_errors:
        raise typer.Exit(1)


# --- init -----------------------------------------------------------------------------------------------------------

def _init(folder: Path, values: dict, git: bool) -> None:
    from .. import gitreview
    from ..archive import init_archive, init_git_integration

    if folder.exists() and not folder.is_dir():
        raise UserError(_("{path} is a file, not a folder.").format(path=folder))
    try:
        report = init_archive(folder, values)
    except OSError as exc:  # a read-only drive, a folder of someone else: the user's files, not a bug
        where = exc.filename or folder
        raise UserError(_("Cannot create the archive in {path}: {reason}.").format(path=where, reason=exc.strerror or exc),
                        _("Check that the folder is writable and that no file stands where a folder is to be made, "
                          "or choose another folder."), code=1) from None
    console = out_console()
    console.print(_("Archive in {path}:").format(path=_esc(str(folder.resolve()))))
    _print_report(console, report)
    if values and "protokol.yaml" in report.kept:
        console.print("[yellow]" + _esc(_("protokol.yaml was there already, so the values given as options were not "
                                          "written: edit the file to change them.")) + "[/]")
    if git:
        in_repository = False
        try:
            top = gitreview.repository_root(folder)
            if top is None:
                gitreview.init_repository(folder)
                console.print(f"  [green]{_('created')}[/]  .git/ [dim]({_('a new git repository')})[/]")
            else:
                console.print(f"  [dim]{_('kept')}[/]     " + _esc(_("git repository {path}").format(path=top)))
            in_repository = True
        except gitreview.GitUnavailable:
            console.print("[yellow]" + _esc(_("git is not installed: the archive is not under version control yet.")) + "[/]")
        except RuntimeError as exc:
            console.print("[yellow]" + _esc(_("git init failed: {reason}").format(reason=exc)) + "[/]")
        if in_repository:
            try:
                _print_report(console, init_git_integration(folder))
            except gitreview.GitError as exc:
                console.print("[yellow]" + _esc(_("git could not be set up to show protocols as text: {reason}").format(
                    reason=exc.message)) + "[/]")
    console.print(_next_step(folder))


def _print_report(console, report) -> None:
    for name in report.created:
        console.print(f"  [green]{_('created')}[/]  {_esc(name)}")
    for name in report.updated:
        console.print(f"  [green]{_('updated')}[/]  {_esc(name)} [dim]({_('the lines protokol needs were added')})[/]")
    for name in report.kept:
        console.print(f"  [dim]{_('kept')}[/]     {_esc(name)} [dim]({_('already there, left as it is')})[/]")


def _next_step(folder: Path) -> str:
    """What is left to fill in: the settings `protokol new` needs that protokol.yaml does not give yet."""
    from ..settings import load_settings

    settings, _problems = load_settings(folder)
    words = {"organization": _("organization"), "chair": _("chair"), "secretary": _("secretary")}
    empty = [word for key, word in words.items() if getattr(settings, key) is None]
    if not empty:
        return _("Next: fill in people.yaml, then write a protocol with `protokol new`.")
    return _("Next: fill in protokol.yaml ({keys}) and people.yaml, then write a protocol with `protokol new`.").format(
        keys=", ".join(empty))


# --- new ------------------------------------------------------------------------------------------------------------

def _person(name: str | None, *defaults):
    """The person for a name given on the command line: a default with that name keeps its position."""
    from ..model import Person
    from ..names import name_key

    if name is None or not name.strip():
        return None
    for default in defaults:
        if default is not None and name_key(default.name) == name_key(name):
            return default
    return Person(name=name.strip())


def _pick(option: str | None, setting, before):
    """Chair or secretary: the option, else the setting, else the previous protocol's; a position the previous
    protocol gives the same person is kept."""
    from dataclasses import replace

    from ..names import name_key

    person = _person(option, setting, before) or setting or before
    if person is not None and person.position is None and before is not None and before.position \
            and name_key(before.name) == name_key(person.name):
        person = replace(person, position=before.position)
    return person


def _prompt_day(label: str, default: date) -> date:
    while True:
        text = typer.prompt(label, default=default.isoformat(), err=True)
        try:
            return date.fromisoformat(text.strip())
        except ValueError:
            err_console().print("[red]" + _esc(_("Write the date as YYYY-MM-DD, e.g. {example}.").format(
                example=default.isoformat())) + "[/]")


def _prompt_person(label: str, current):
    text = typer.prompt(label, default=current.name if current is not None else None, err=True)
    return _person(text, current)


def _editor_command() -> list[str]:
    import shlex

    editor = os.environ.get("VISUAL") or os.environ.get("EDITOR") or ("notepad" if os.name == "nt" else "vi")
    return shlex.split(editor, posix=os.name != "nt")


def _edit_until_clean(ctx: _Context, path: Path, today: date, ask: bool) -> None:
    """Open the file in the user's editor; when it closes, check it and offer to reopen while it has errors."""
    import subprocess

    from ..checks import check_protocol
    from ..load import load_protocol
    from ..paths import display_path
    from ..people import check_names
    from ..problems import ERROR
    from .common import print_problems

    command = _editor_command()
    while True:
        try:
            subprocess.run([*command, str(path)], check=False)
        except OSError as exc:
            raise UserError(_("Cannot start the editor '{editor}': {reason}.").format(editor=" ".join(command), reason=exc),
                            _("Set VISUAL or EDITOR to your editor, e.g. export EDITOR=nano.")) from None
        protocol, problems = load_protocol(path, display_path(path))
        if protocol is not None:
            problems += check_protocol(protocol, today, ctx.settings.school_year())
            problems += check_names(protocol, ctx.directory)
        print_problems(problems, "text")
        if not any(p.severity == ERROR for p in problems):
            return
        if not (ask and typer.confirm(_("The file has errors. Open it again?"), default=True, err=True)):
            raise UserError(_("{path} has errors; it is kept as it is.").format(path=display_path(path)),
                            _("Fix them and run `protokol check`."), code=1)


CARRY_FROM_ALL = "all"


def _carry_from(ctx: _Context, value: str | None) -> str | None:
    """What `--carry-over-from` names: a title of a series of the archive, `all` (returned as CARRY_FROM_ALL), or
    nothing (None: the new meeting's own series). A title no protocol has is a usage error, as a typo would
    otherwise carry over nothing without a word."""
    import difflib

    from .. import archive as arc

    if value is None:
        return None
    value = " ".join(value.split())
    if value.strip().casefold() in (CARRY_FROM_ALL, "все", "всё"):  # a Russian user types «все»
        return CARRY_FROM_ALL
    titles = arc.series_titles(ctx.protocols)
    for title in titles:
        if value and arc.series_key(title) == arc.series_key(value):
            return title  # as the archive spells it
    keys = {arc.series_key(t): t for t in titles}
    close = [keys[k] for k in difflib.get_close_matches(arc.series_key(value), list(keys), n=3, cutoff=0.6)]
    hint = (_("Did you mean: {titles}? `--carry-over-from all` takes every series.").format(
        titles=", ".join(f"«{t}»" for t in close)) if close
        else _("Give a title of the archive's protocols (`protokol list` shows them), or `all` for every series."))
    raise UserError(_("No protocol of the series «{series}» in the archive.").format(series=value), hint)


def _new(ctx: _Context, *, day: date | None, today: date, title: str | None, number: str | None, chair: str | None,
         secretary: str | None, items: list[str], carry_over: bool | None, source: str | None, edit: bool,
         interactive: bool, stdout=None, carry_from: str | None = None) -> None:
    from .. import archive as arc
    from ..paths import PROTOCOLS_DIR, display_path

    s = ctx.settings
    err = err_console()
    carry_from = _carry_from(ctx, carry_from)  # before any question: a wrong title is said at once
    if interactive:
        day = _prompt_day(_("Meeting date"), day or today)
        title = typer.prompt(_("Title (kind of meeting, in the genitive)"), default=title or s.title, err=True)
    day = day or today
    title = (title or s.title).strip()
    previous = ctx.find(source) if source else arc.previous_protocol(ctx.protocols, title, day)
    computed = str(arc.next_number(ctx.protocols, title, day, s.numbering))
    if interactive:
        number = typer.prompt(_("Number (№)"), default=number or computed, err=True).strip()
    before = previous.participants if previous is not None else None
    chair_person = _pick(chair, s.chair, before.chair if before else None)
    secretary_person = _pick(secretary, s.secretary, before.secretary if before else None)
    if interactive:
        chair_person = _prompt_person(_("Chair"), chair_person)
        secretary_person = _prompt_person(_("Secretary"), secretary_person)
    for who, role, option in ((chair_person, _("chair"), "--chair"), (secretary_person, _("secretary"), "--secretary")):
        if who is None:
            raise UserError(_("No {role} for the new protocol.").format(role=role),
                            _("Pass {option} \"Фамилия И.О.\", or set `{key}:` in protokol.yaml.").format(
                                option=option, key=option[2:]))
    items = [item.strip() for item in items if item.strip()]
    if interactive:
        err.print(_esc(_("Agenda questions, one per line; an empty line ends the list.")))
        while True:
            item = typer.prompt(_("Question {n}").format(n=len(items) + 1), default="", show_default=False, err=True).strip()
            if not item:
                break
            items.append(item)
    # The series whose decisions the meeting reviews: its own unless --carry-over-from says otherwise. Their status
    # comes from the whole archive (an `acts_on` of another series' protocol closes them too).
    series = None if carry_from == CARRY_FROM_ALL else carry_from or title
    scope = _("all series") if series is None else _("series «{series}»").format(series=series)
    pending, elsewhere = arc.split_by_series(arc.carry_over(ctx.protocols, day, s.school_year(), s.extra_days()), series)
    note = ngettext(
        "{n} more decision of other series is open and due by {date}; `--carry-over-from all` lists it too.",
        "{n} more decisions of other series are open and due by {date}; `--carry-over-from all` lists them too.",
        len(elsewhere)).format(n=len(elsewhere), date=day.isoformat()) if elsewhere else None
    if interactive and carry_over is None:
        if note:
            err.print(_esc(note))
            note = None
        if pending:
            carry_over = typer.confirm(ngettext(
                "{n} decision of earlier meetings is open and due by {date} ({scope}). Add the question «{title}»?",
                "{n} decisions of earlier meetings are open and due by {date} ({scope}). Add the question «{title}»?",
                len(pending)).format(n=len(pending), date=day.isoformat(), scope=scope, title=arc.CARRY_OVER_TITLE),
                default=True, err=True)
    carry = pending if carry_over else None

    # Nothing is written before this point: Ctrl-C at any prompt leaves the archive as it was.
    folder = ctx.root / PROTOCOLS_DIR / str(day.year)
    known = {p.id for p in ctx.protocols}

    def taken(pid: str) -> bool:
        return pid in known or (folder / f"{pid}.yaml").exists() or (folder / f"{pid}.yml").exists()

    explicit = number is not None and number != computed
    number = number or computed
    base = arc.protocol_id(day, number)
    if explicit and taken(base):
        raise UserError(_("{path} exists already; protokol new never overwrites a protocol.").format(
            path=display_path(folder / f"{base}.yaml")),
            _("Choose another --number, or leave it out to take the next free one."), code=1)
    pid = arc.free_id(base, taken)
    path = folder / f"{pid}.yaml"
    protocol = arc.draft_protocol(day=day, title=title, number=number, chair=chair_person, secretary=secretary_person,
                                  organization=s.organization, place=s.place,
                                  present=before.present if before is not None else (), items=items, carry=carry)
    try:
        arc.write_new(path, arc.render_draft(protocol, carry, arc.schema_reference(ctx.root, path)))
    except FileExistsError:
        raise UserError(_("{path} exists already; protokol new never overwrites a protocol.").format(
            path=display_path(path)), code=1) from None
    except OSError as exc:
        raise UserError(_("Cannot write {path}: {reason}.").format(path=display_path(path), reason=exc.strerror or exc),
                        code=1) from None

    typer.echo(display_path(path), file=stdout)
    err.print(_esc(_("Protocol № {number} of {date}, a draft: {items}.").format(
        number=number, date=day.isoformat(),
        items=ngettext("{n} agenda question", "{n} agenda questions", len(protocol.agenda)).format(n=len(protocol.agenda)))))
    if previous is not None and previous.participants.present:
        err.print(_esc(_("Participants copied from {id}.").format(id=previous.id)))
    if carry is not None:
        if carry:
            err.print(_esc(ngettext("Carried over {n} open decision ({scope}):", "Carried over {n} open decisions "
                                    "({scope}):", len(carry)).format(n=len(carry), scope=scope)))
            for x in carry:
                err.print(f"  {_esc(x.ref.id)}  {x.due.strftime('%d.%m.%Y')}  {_esc(arc.shorten(x.ref.decision.text, 70))}")
        else:
            err.print(_esc(_("No decision of earlier meetings is open and due by {date} ({scope}).").format(
                date=day.isoformat(), scope=scope)))
        if note:
            err.print(_esc(note))
    if edit:
        _edit_until_clean(ctx, path, today, ask=interactive or sys.stdin.isatty())


# --- list, show, people ---------------------------------------------------------------------------------------------

def _list_rows(ctx: _Context, year: int | None, today: date) -> list:
    from ..overview import protocol_rows

    return protocol_rows(ctx.protocols, ctx.decisions(today), year)


def _signed_text(row) -> str:
    if row.signed:
        return _("yes, {date}").format(date=row.signed.date.strftime("%d.%m.%Y"))
    return _("draft") if row.status == "draft" else _("no")


def _title_text(row) -> str:
    return row.title + (" " + _("(extract)") if row.kind == "extract" else "")


def _print_list(rows: list, fmt: str) -> None:
    import json

    if fmt == "json":
        typer.echo(json.dumps([r.as_json() for r in rows], ensure_ascii=False, indent=2))
        return
    headers = [_("Id"), _("Date"), "№", _("Title"), _("Open/total"), _("Signed")]
    cells = [[r.id, r.date.strftime("%d.%m.%Y"), r.number or "", _title_text(r), f"{r.open_decisions}/{r.decisions}",
              _signed_text(r)] for r in rows]
    if fmt == "md":
        lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
        lines += ["| " + " | ".join(c.replace("|", "\\|") for c in row) + " |" for row in cells]
        typer.echo("\n".join(lines))
        return
    from rich.table import Table

    table = Table(show_edge=False, header_style="bold")
    for i, header in enumerate(headers):
        if i == 3:
            table.add_column(header, overflow="fold", ratio=1)  # the title takes what the terminal has left
        else:
            table.add_column(header, no_wrap=True, justify="right" if i == 4 else "left")
    for row, r in zip(cells, rows, strict=True):
        style = "dim" if r.status == "draft" else None
        table.add_row(*[_esc(c) for c in row], style=style)
    out_console().print(table)


class _Show:
    """Prints overview.protocol_view for a terminal: wrapped by hand so that continuation lines keep the indent and
    no line ends in padding spaces."""

    def __init__(self, ctx: _Context):
        from rich.console import Console

        self.console = Console(highlight=False)
        self.ctx = ctx

    def say(self, markup: str, indent: int = 0) -> None:
        from rich.text import Text

        for line in Text.from_markup(markup).wrap(self.console, max(20, self.console.width - indent)):
            line.rstrip()
            self.console.print(Text(" " * indent) + line, soft_wrap=True)

    def person(self, x) -> str:
        x = self.ctx.directory.resolve(x)
        return _esc(x.name) + (f" [dim]— {_esc(x.position)}[/]" if x.position else "")

    def attendees(self, label: str, entries) -> None:
        from ..model import Group

        if not entries:
            return
        self.say(f"[bold]{label}:[/]")
        for entry in entries:
            if isinstance(entry, Group):
                count = f" — {entry.count}" if entry.count is not None else ""
                self.say(f"{_esc(entry.group)}{count}:" if entry.members else f"{_esc(entry.group)}{count}", 2)
                for member in entry.members:
                    self.say(self.person(member), 4)
            else:
                self.say(self.person(entry), 2)

    def section(self, section) -> None:
        self.say(f"[bold]{_esc(section.title)}[/]")
        if section.text:
            self.say(_esc(section.text.rstrip()), 2)

    def header(self, p) -> None:
        from ..rudates import format_date

        say = self.say
        if p.organization:
            say(f"[bold]{_esc(p.organization)}[/]")
        kind = _("EXTRACT FROM PROTOCOL") if p.kind == "extract" else _("PROTOCOL")
        say(f"[bold]{kind}{' № ' + _esc(p.number) if p.number else ''}[/]")
        where = [format_date(p.date, self.ctx.settings.date_style)]
        say(" · ".join(where + [_esc(x) for x in (p.place, p.time, p.venue, p.format) if x]))
        say(f"[italic]{_esc(p.title)}[/]")
        if p.status == "draft":
            say(f"[magenta]{_('draft')}[/]")
        if p.signed is not None:
            say("[green]" + _esc(_("signed by {who} on {date}").format(
                who=p.signed.by, date=p.signed.date.strftime("%d.%m.%Y"))) + "[/]")
        say(f"[dim]{_esc(p.path)}[/]")
        self.console.print()
        parts = p.participants
        for label, who in ((_("Chair"), parts.chair), (_("Secretary"), parts.secretary)):
            if who is not None:
                say(f"[bold]{label}:[/] {self.person(who)}")
        self.attendees(_("Present"), parts.present)
        self.attendees(_("Invited"), parts.invited)
        self.attendees(_("Absent"), parts.absent)
        for section in p.sections:
            self.console.print()
            self.section(section)

    def item(self, view) -> None:
        say, item = self.say, view.item
        self.console.print()
        say(f"[bold]{_esc(item.key)}. {_esc(item.title or item.heading or '')}[/]")
        if item.speakers:
            say(f"{_('Speakers')}: " + ", ".join(self.person(x) for x in item.speakers), 3)
        for label, statements in ((_("Heard"), item.heard), (_("Spoke"), item.spoke)):
            for st in statements:
                who = ", ".join(_esc(x.name) for x in st.who) + (f" ({_esc(st.role)})" if st.role else "")
                say(f"[bold]{label}:[/] {who}", 3)
                if st.text:
                    say(f"[dim]{_esc(st.text.rstrip())}[/]", 5)
        if item.discussed:
            say(f"[bold]{_('Discussed')}:[/] {_esc(item.discussed.rstrip())}", 3)
        if view.decisions or item.decided_intro:
            say(f"[bold]{_('Decided')}:[/] {_esc(item.decided_intro or '')}", 3)
        for line in view.decisions:
            self.decision(line)
        if item.votes is not None:
            v = item.votes
            text = v.text or _("for {f}, against {a}, abstained {ab}").format(
                f=v.for_ if v.for_ is not None else "—", a=v.against if v.against is not None else "—",
                ab=v.abstained if v.abstained is not None else "—")
            say(f"[bold]{_('Votes')}:[/] {_esc(text)}", 3)

    _STATES = {"done": "green", "cancelled": "dim", "overdue": "bold red", "open": "yellow"}

    def decision(self, line) -> None:
        ref, indent = line.ref, 1 + 2 * line.depth
        text = f"{_esc(ref.decision.key)}. {_esc(ref.decision.text)}"
        if line.state is None:
            self.say(text, indent)
            return
        colour = self._STATES[line.state]
        mark = {"done": _("done"), "cancelled": _("cancelled"), "overdue": _("overdue"), "open": _("open")}[line.state]
        self.say(f"[{colour}]{text}[/] [{colour}]\\[{mark}][/]", indent)
        details, due = [], line.due
        if ref.deadline or due:
            shown = _esc(ref.deadline or "")
            if due is not None and ref.deadline != due.isoformat():
                shown = f"{shown} → {due.strftime('%d.%m.%Y')}" if shown else due.strftime("%d.%m.%Y")
            details.append(f"{_('deadline')}: {shown}")
        if ref.responsible:
            details.append(f"{_('responsible')}: {_esc(', '.join(ref.responsible))}")
        if details:
            self.say("[dim]" + " · ".join(details) + "[/]", indent + 2)

    def closing(self, view, today: date) -> None:
        p = view.protocol
        if p.signatures or p.certification or p.appendix:
            self.console.print()
        for signature in p.signatures:
            self.say(f"{_esc(signature.role)} — {_esc(signature.name or '')}")
        if p.certification is not None:
            c = p.certification
            self.say(f"{_esc(c.label)}: {_esc(c.name)}" + (f" — {_esc(c.position)}" if c.position else ""))
        for section in p.appendix:
            self.section(section)
        self.console.print()
        self.say(_("Decisions: {open} open, {overdue} overdue, {done} done, {cancelled} cancelled (as of {today}).")
                 .format(today=today.isoformat(), **view.counts))


def _show(ctx: _Context, p, today: date) -> None:
    from ..overview import protocol_view

    view = protocol_view(p, ctx.decisions(today))
    printer = _Show(ctx)
    printer.header(p)
    for item in view.items:
        printer.item(item)
    printer.closing(view, today)


def _print_people(ctx: _Context, include_unknown: bool, fmt: str, today: date) -> None:
    import json

    from ..overview import open_decision_ids
    from ..people import people_usage

    open_ids = open_decision_ids(ctx.decisions(today))
    rows = people_usage(ctx.protocols, ctx.directory, open_ids, include_unknown)
    if fmt == "json":
        typer.echo(json.dumps([{"name": r.name, "position": r.position, "in_directory": r.entry is not None,
                                "protocols": len(r.protocols), "open_decisions": len(r.open_decisions)}
                               for r in rows], ensure_ascii=False, indent=2))
        return
    from rich.table import Table

    table = Table(show_edge=False, header_style="bold")
    for header in (_("Name"), _("Position")):
        table.add_column(header, overflow="fold")
    for header in (_("Protocols"), _("Open decisions")):
        table.add_column(header, no_wrap=True, justify="right")
    for r in rows:
        position = r.position or ("" if r.entry is not None else f"[dim]{_('not in people.yaml')}[/]")
        table.add_row(_esc(r.name), position if r.entry is None else _esc(position), str(len(r.protocols)),
                      str(len(r.open_decisions)))
    out_console().print(table)


# --- the commands ---------------------------------------------------------------------------------------------------

def register(app: typer.Typer) -> None:
    @app.command("init", help=_help(
        _("Create an archive: protokol.yaml, people.yaml, protocols/, templates/, .gitignore, and a git repository when "
          "the folder is in none; in a repository, also .gitattributes and the git config that make `git diff` show "
          "protocols as text, and a .pre-commit-config.yaml. Safe to run again: existing files are kept."),
        _("Example: protokol init archive --organization \"Отдел образования\" --chair \"Никитина О.В.\"")))
    def init(
        folder: Annotated[Path, typer.Argument(help=_("The archive folder (created when missing)."))] = Path("."),
        organization: Annotated[str | None, typer.Option("--organization", help=_("Organization, as on the letterhead."),
                                                         show_default=False)] = None,
        title: Annotated[str | None, typer.Option("--title", help=_("Default meeting title, in the genitive."),
                                                  show_default=False)] = None,
        chair: Annotated[str | None, typer.Option("--chair", help=_("Default chair: «Фамилия И.О.»."),
                                                  show_default=False)] = None,
        secretary: Annotated[str | None, typer.Option("--secretary", help=_("Default secretary: «Фамилия И.О.»."),
                                                      show_default=False)] = None,
        git: Annotated[bool, typer.Option("--git/--no-git", help=_("Run `git init` when the folder is in no repository."))] = True,
    ) -> None:
        from ..model import Person

        values = {key: value.strip() for key, value in (("organization", organization), ("title", title)) if value}
        values.update({key: Person(value.strip()) for key, value in (("chair", chair), ("secretary", secretary)) if value})
        _init(folder, values, git)

    @app.command("new", help=_help(
        _("Create protocols/<year>/<id>.yaml for the next meeting and print its path: number, title, organization, "
          "chair and secretary from the settings, participants from the previous protocol of the series. Asks in a "
          "terminal when no options are given; never overwrites a file."),
        _("Example: protokol new --date 2024-05-14 --item \"О подготовке к летней оздоровительной кампании\" --carry-over")
        + "\n\n" + _("Example: protokol new --title \"методического совета\" --carry-over-from all")))
    def new(
        day: Annotated[str | None, typer.Option("--date", help=_("Meeting date, YYYY-MM-DD (default: today)."),
                                                show_default=False)] = None,
        items: Annotated[list[str] | None, typer.Option("--item", help=_("An agenda question («О …»); repeat for more."),
                                                        show_default=False)] = None,
        carry_over: Annotated[bool | None, typer.Option(
            "--carry-over/--no-carry-over",
            help=_("Start with «О ходе выполнения решений предыдущих совещаний», listing the open decisions of the "
                   "series due by the meeting."), show_default=False)] = None,
        carry_from: Annotated[str | None, typer.Option(
            "--carry-over-from",
            help=_("Whose open decisions --carry-over lists: `all` for every series, or a meeting title for that "
                   "series (default: the new meeting's own series). Implies --carry-over."),
            show_default=False)] = None,
        title: Annotated[str | None, typer.Option("--title", help=_("Meeting title (default: from protokol.yaml)."),
                                                  show_default=False)] = None,
        number: Annotated[str | None, typer.Option("--number", help=_("The № (default: the next in the series)."),
                                                   show_default=False)] = None,
        chair: Annotated[str | None, typer.Option("--chair", help=_("Chair (default: protokol.yaml, then the previous protocol)."),
                                                  show_default=False)] = None,
        secretary: Annotated[str | None, typer.Option("--secretary", help=_("Secretary (default: as for the chair)."),
                                                      show_default=False)] = None,
        source: Annotated[str | None, typer.Option("--from", help=_("Copy participants from this protocol id instead."),
                                                   show_default=False)] = None,
        edit: Annotated[bool, typer.Option("--edit", help=_("Open the new file in $VISUAL/$EDITOR and check it when the "
                                                            "editor closes."))] = False,
        interactive: Annotated[bool | None, typer.Option(
            "--interactive/--no-interactive",
            help=_("Ask for each value (default: ask when run in a terminal without options)."),
            show_default=False)] = None,
        root: root_option() = None,
        today: today_option() = None,
    ) -> None:
        day_today = parse_day(today)
        meeting = parse_day(day, "--date") if day is not None else None
        if carry_from is not None:
            if carry_over is False:
                raise UserError(_("--carry-over-from lists decisions to carry over; it does not go with "
                                  "--no-carry-over."), _("Leave out one of the two."))
            carry_over = True
        given = any(x is not None for x in (day, title, number, chair, secretary, source, carry_over)) or bool(items)
        if interactive is None:
            interactive = sys.stdin.isatty() and not given
        ctx = _Context(root)
        import contextlib

        # click's prompt writes a space to stdout through input(); while asking, stdout goes to stderr so that
        # stdout carries only the new file's path (`vim "$(protokol new)"`)
        quiet_stdout = contextlib.redirect_stdout(sys.stderr) if interactive else contextlib.nullcontext()
        stdout = sys.stdout
        with quiet_stdout:
            _new(ctx, day=meeting, today=day_today, title=title, number=number, chair=chair, secretary=secretary,
                 items=list(items or []), carry_over=carry_over, source=source, edit=edit, interactive=interactive,
                 stdout=stdout, carry_from=carry_from)

    @app.command("list", help=_help(
        _("List the protocols: date, №, title, decisions open/total, signed or not."),
        _("Example: protokol list --year 2024 --format md")))
    def list_(
        year: Annotated[int | None, typer.Option("--year", help=_("Only protocols of this year."), show_default=False)] = None,
        fmt: Annotated[str, typer.Option("--format", help=_("Output: table, json or md."))] = "table",
        root: root_option() = None,
    ) -> None:
        if fmt not in ("table", "json", "md"):
            raise UserError(_("--format takes table, json or md, not '{value}'.").format(value=fmt))
        ctx = _Context(root)
        rows = _list_rows(ctx, year, parse_day(None))
        if not rows and fmt == "table":
            if not ctx.has_errors:  # else the files left out were named: "no protocols yet" would mislead
                err_console().print(_esc(_("No protocols yet: write one with `protokol new`.")))
        else:
            _print_list(rows, fmt)
        _exit_on_errors(ctx)

    @app.command("show", help=_help(
        _("Show a protocol in the terminal, decisions coloured by status and overdue ones marked."),
        _("Example: protokol show 2024-01-09-1")))
    def show(
        protocol: Annotated[str, typer.Argument(help=_("The protocol id (its file name without .yaml), the start of "
                                                       "it, or the file's path."))],
        root: root_option() = None,
        today: today_option() = None,
    ) -> None:
        day = parse_day(today)
        ctx = _Context(root)
        _show(ctx, ctx.find(protocol), day)
        _exit_on_errors(ctx)

    @app.command("people", help=_help(
        _("List the persons of people.yaml with how many protocols and open decisions each appears in."),
        _("Example: protokol people --all")))
    def people(
        include_unknown: Annotated[bool, typer.Option("--all", help=_("Also list names found in protocols but not in "
                                                                     "people.yaml."))] = False,
        fmt: Annotated[str, typer.Option("--format", help=_("Output: table or json."))] = "table",
        root: root_option() = None,
    ) -> None:
        if fmt not in ("table", "json"):
            raise UserError(_("--format takes table or json, not '{value}'.").format(value=fmt))
        ctx = _Context(root)
        if not ctx.directory and not include_unknown:
            err_console().print(_esc(_("people.yaml lists nobody yet. `protokol people --all` shows the names "
                                       "written in the protocols, to start it from.")))
        else:
            _print_people(ctx, include_unknown, fmt, parse_day(None))
        _exit_on_errors(ctx)
