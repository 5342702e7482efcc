"""`protokol init` and `new`: starting an archive and drafting the next protocol."""
# No `from __future__ import annotations`: Typer reads these annotations at run time.

import os
import sys
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Annotated

import typer

from ..i18n import _, ngettext
from ..rudates import shown_date, shown_day
from .common import (
    UserError,
    _esc,
    ask_yes_no,
    err_console,
    os_reason,
    out_console,
    parse_day,
    root_option,
    today_option,
)
from .context import ArchiveContext
from .prompts import prompt_day, prompt_lines


def _help(text: str, example: str) -> str:
    return text + "\n\n" + example


# --- init -----------------------------------------------------------------------------------------------------------

def _init(folder: Path, values: dict, git: bool) -> None:
    from .. import gitreview
    from ..initialize import init_archive, init_git_integration

    if folder.exists() and not folder.is_dir():
        raise UserError(_("{path} is a file, not a folder.").format(path=folder))
    try:
        report = init_archive(folder, values)
    except OSError as exc:  # a read-only drive, a folder of someone else: the user's files, not a bug
        where = exc.filename or folder
        raise UserError(_("Cannot create the archive in {path}: {reason}.").format(path=where, reason=os_reason(exc)),
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


def _prompt_person(label: str, current):
    text = typer.prompt(label, default=current.name if current is not None else None, err=True)
    return _person(text, current)


def _editor_command() -> list[str]:
    import shlex

    editor = os.environ.get("VISUAL") or os.environ.get("EDITOR") or ("notepad" if os.name == "nt" else "vi")
    return shlex.split(editor, posix=os.name != "nt")


def _edit_until_clean(ctx: ArchiveContext, path: Path, today: date, ask: bool) -> None:
    """Open the file in the user's editor; when it closes, check it and offer to reopen while it has errors."""
    import subprocess

    from ..gate import judge
    from ..paths import display_path
    from .common import print_problems

    command = _editor_command()
    while True:
        try:
            subprocess.run([*command, str(path)], check=False)
        except OSError as exc:
            raise UserError(_("Cannot start the editor '{editor}': {reason}.").format(editor=" ".join(command), reason=exc),
                            _("Set VISUAL or EDITOR to your editor, e.g. export EDITOR=nano.")) from None
        try:
            data = path.read_bytes()
        except OSError:
            data = None  # deleted in the editor: the gate says the file cannot be read
        verdict = judge(ctx.root, today, [path], {} if data is None else {path: data}, loaded=ctx.archive).of(path)
        print_problems(verdict.problems, "text", sources=verdict.sources)
        if not verdict.refused():
            return
        if not (ask and ask_yes_no(_("The file has errors. Open it again?"), default=True)):
            raise UserError(_("{path} has errors; it is kept as it is.").format(path=display_path(path)),
                            _("Fix them and run `protokol check`."), code=1)


def _refuse_unless_clean(ctx: ArchiveContext, path: Path, text: str, today: date) -> list:
    """`new` writes no file `protokol check` would refuse: the problems are printed, exit 1. The warnings are
    returned, to be said once the file is written (a number after a later meeting's: number-order)."""
    from ..gate import judge
    from ..paths import display_path
    from .common import print_problems

    verdict = judge(ctx.root, today, [path], {path: text}, loaded=ctx.archive).of(path)
    if verdict.refused():
        print_problems(verdict.problems, "text", sources=verdict.sources)
        raise UserError(_("The new protocol {path} would not pass `protokol check`; nothing was written.").format(
            path=display_path(path)), _("Correct the options or protokol.yaml and run the command again."), code=1)
    return list(verdict.problems)


CARRY_FROM_ALL = "all"


def _carry_from(ctx: ArchiveContext, value: str | None) -> str | None:
    """What `--carry-over-from` names: a title of a series of the archive, `all` (returned as CARRY_FROM_ALL), or
    nothing (None: the new meeting's own series). A title no protocol has is a usage error, as a typo would
    otherwise carry over nothing without a word."""
    import difflib

    from .. import series

    if value is None:
        return None
    value = " ".join(value.split())
    if value.strip().casefold() in (CARRY_FROM_ALL, "все", "всё"):  # a Russian user types «все»
        return CARRY_FROM_ALL
    titles = series.series_titles(ctx.protocols)
    for title in titles:
        if value and series.series_key(title) == series.series_key(value):
            return title  # as the archive spells it
    keys = {series.series_key(t): t for t in titles}
    close = [keys[k] for k in difflib.get_close_matches(series.series_key(value), list(keys), n=3, cutoff=0.6)]
    hint = (_("Did you mean: {titles}? `--carry-over-from all` takes every series.").format(
        titles=", ".join(f"«{t}»" for t in close)) if close
        else _("Give a title of the archive's protocols (`protokol list` shows them), or `all` for every series."))
    raise UserError(_("No protocol of the series «{series}» in the archive.").format(series=value), hint)


@dataclass
class _Meeting:
    """What `new` has gathered from options, settings, the previous protocol and the prompts."""
    day: date
    title: str
    number: str
    computed: str  # the series' next number
    previous: object  # the protocol participants are copied from, or None
    chair: object
    secretary: object
    items: list[str]
    present: tuple = ()  # the participants: as given or typed, else the previous protocol's


def _new(ctx: ArchiveContext, *, day: date | None, today: date, title: str | None, number: str | None, chair: str | None,
         secretary: str | None, items: list[str], carry_over: bool | None, source: str | None, edit: bool,
         interactive: bool, stdout=None, carry_from: str | None = None, participants: list[str] | None = None) -> None:
    carry_from = _carry_from(ctx, carry_from)  # before any question: a wrong title is said at once
    meeting = _gather(ctx, day=day, today=today, title=title, number=number, chair=chair, secretary=secretary,
                      items=items, source=source, interactive=interactive, participants=participants or [])
    carry, scope, note = _carry_choice(ctx, meeting, carry_over, carry_from, interactive)
    if carry is not None:  # the question typed by hand as well: it is the carry-over question, asked once
        from ..carryover import CARRY_OVER_TITLE
        from ..series import series_key

        meeting.items = [q for q in meeting.items if series_key(q) != series_key(CARRY_OVER_TITLE)]
    # Nothing is written before this point: Ctrl-C at any prompt leaves the archive as it was.
    path, protocol = _write_draft(ctx, meeting, carry, today)
    typer.echo(_display(path), file=stdout)
    _report_new(meeting, protocol, carry, scope, note)
    if edit:
        _edit_until_clean(ctx, path, today, ask=interactive or sys.stdin.isatty())


def _display(path: Path) -> str:
    from ..paths import display_path

    return display_path(path)


def _gather(ctx: ArchiveContext, *, day, today, title, number, chair, secretary, items, source, interactive,
            participants) -> _Meeting:
    from ..series import next_number, previous_protocol

    s = ctx.settings
    if interactive:
        day = prompt_day(_("Meeting date"), day or today)
        title = typer.prompt(_("Title (kind of meeting, in the genitive)"), default=title or s.title, err=True)
    day = day or today
    title = (title or s.title).strip()
    previous = ctx.find(source) if source else previous_protocol(ctx.protocols, title, day)
    computed = str(next_number(ctx.protocols, title, day, s.numbering))
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
    present = _present(ctx, participants, before.present if before else (), interactive)
    items = [item.strip() for item in items if item.strip()]
    if interactive:
        items += prompt_lines(_("Agenda questions, one per line; an empty line ends the list."), _("Question {n}"),
                              lambda typed: len(items) + len(typed))
    return _Meeting(day, title, number or computed, computed, previous, chair_person, secretary_person, items, present)


def _present(ctx: ArchiveContext, given: list[str], copied: tuple, interactive: bool) -> tuple:
    """The participants: --participant (names as people.yaml and the previous protocol spell them; «-»: none), else
    the previous protocol's; asked in a terminal, names separated by commas or one per line, Enter keeping them."""
    from ..drafts import typed_participants

    present = copied if not given else () if given == ["-"] else typed_participants(given, ctx.directory, copied)
    if not interactive:
        return present
    intro = _("Participants: names separated by commas or one per line; an empty line ends the list.")
    if present:
        names = [x.name if hasattr(x, "name") else x.group for x in present]
        intro += " " + _("Enter at once keeps {names}; «-» leaves none.").format(
            names=", ".join(names[:5]) + (", …" if len(names) > 5 else ""))
    lines = prompt_lines(intro, _("Participant {n}"), lambda typed: len(typed_participants(typed, None)))
    return () if lines == ["-"] else typed_participants(lines, ctx.directory, copied) if lines else present


def _carry_choice(ctx: ArchiveContext, meeting: _Meeting, carry_over: bool | None, carry_from: str | None,
                  interactive: bool) -> tuple:
    """(the decisions carried over, or None for no carry-over question; the series they come from, in words; a note on
    other series' open decisions, or None)."""
    from ..carryover import CARRY_OVER_TITLE, split_by_series
    from ..carryover import carry_over as open_and_due

    s, day = ctx.settings, meeting.day
    # The series whose decisions the meeting reviews: its own unless --carry-over-from says otherwise. Their status
    # comes from the whole archive (an `acts_on` of another series' protocol closes them too).
    series = None if carry_from == CARRY_FROM_ALL else carry_from or meeting.title
    scope = _("all series") if series is None else _("series «{series}»").format(series=series)
    pending, elsewhere = split_by_series(open_and_due(ctx.protocols, day, s.school_year(), s.extra_days(),
                                                      never_overdue=s.recurring_untracked == "never_overdue"), series)
    note = ngettext(
        "{n} more decision of other series is open and due by {date}; `--carry-over-from all` lists it too.",
        "{n} more decisions of other series are open and due by {date}; `--carry-over-from all` lists them too.",
        len(elsewhere)).format(n=len(elsewhere), date=shown_date(day)) if elsewhere else None
    if interactive and carry_over is None:
        if note:
            err_console().print(_esc(note))
            note = None
        if pending:
            carry_over = ask_yes_no(ngettext(
                "{n} decision of earlier meetings is open and due by {date} ({scope}). Add the question «{title}»?",
                "{n} decisions of earlier meetings are open and due by {date} ({scope}). Add the question «{title}»?",
                len(pending)).format(n=len(pending), date=shown_date(day), scope=scope, title=CARRY_OVER_TITLE),
                default=True)
    return (pending if carry_over else None), scope, note


def _write_draft(ctx: ArchiveContext, meeting: _Meeting, carry, today: date) -> tuple:
    """Write the draft under a free id, after the gate said yes: (its path, the protocol)."""
    from .. import drafts
    from ..initialize import schema_reference, write_new
    from ..paths import PROTOCOLS_DIR
    from ..series import free_id, meeting_id

    s, day = ctx.settings, meeting.day
    folder = ctx.root / PROTOCOLS_DIR / str(day.year)
    known = {p.id for p in ctx.protocols}

    def taken(pid: str) -> bool:
        return pid in known or (folder / f"{pid}.yaml").exists() or (folder / f"{pid}.yml").exists()

    base = meeting_id(day, meeting.number)
    if meeting.number != meeting.computed and taken(base):
        raise UserError(_("{path} exists already; protokol new never overwrites a protocol.").format(
            path=_display(folder / f"{base}.yaml")),
            _("Choose another --number, or leave it out to take the next free one."), code=1)
    path = folder / f"{free_id(base, taken)}.yaml"
    protocol = drafts.draft_protocol(day=day, title=meeting.title, number=meeting.number, chair=meeting.chair,
                                     secretary=meeting.secretary, organization=s.organization, place=s.place,
                                     present=meeting.present, items=meeting.items,
                                     carry=carry)
    text = drafts.render_draft(protocol, carry, schema_reference(ctx.root, path))
    warnings = _refuse_unless_clean(ctx, path, text, today)
    try:
        write_new(path, text)
    except FileExistsError:
        raise UserError(_("{path} exists already; protokol new never overwrites a protocol.").format(
            path=_display(path)), code=1) from None
    except OSError as exc:
        raise UserError(_("Cannot write {path}: {reason}.").format(path=_display(path), reason=os_reason(exc)),
                        code=1) from None
    for problem in warnings:
        err_console().print(_esc(f"{_('warning')}[{problem.code}]: {problem.message}"))
    return path, protocol


def _report_new(meeting: _Meeting, protocol, carry, scope: str, note: str | None) -> None:
    from ..carryover import shorten

    err = err_console()
    err.print(_esc(_("Protocol № {number} of {date}, a draft: {items}.").format(
        number=meeting.number, date=shown_date(meeting.day),
        items=ngettext("{n} agenda question", "{n} agenda questions", len(protocol.agenda)).format(n=len(protocol.agenda)))))
    if meeting.previous is not None and meeting.present and meeting.present == meeting.previous.participants.present:
        err.print(_esc(_("Participants copied from {id}.").format(id=meeting.previous.id)))
    if carry is not None:
        if carry:
            err.print(_esc(ngettext("Carried over {n} open decision ({scope}):", "Carried over {n} open decisions "
                                    "({scope}):", len(carry)).format(n=len(carry), scope=scope)))
            for x in carry:
                err.print(f"  {_esc(x.ref.id)}  {shown_day(x.due)}  {_esc(shorten(x.ref.decision.text, 70))}")
        else:
            err.print(_esc(_("No decision of earlier meetings is open and due by {date} ({scope}).").format(
                date=shown_date(meeting.day), scope=scope)))
        if note:
            err.print(_esc(note))


# --- the commands ---------------------------------------------------------------------------------------------------

def _init_command(app: typer.Typer) -> None:
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


def _new_command(app: typer.Typer) -> None:
    @app.command("new", help=_help(
        _("Create protocols/<year>/<id>.yaml for the next meeting and print its path: number, title, organization, "
          "chair and secretary from the settings, participants from the previous protocol of the series. Asks in a "
          "terminal when no options are given; never overwrites a file."),
        _("Example: protokol new --date 2024-05-14 --item \"О подготовке к летней оздоровительной кампании\" --carry-over")
        + "\n\n" + _("Example: protokol new --title \"методического совета\" --carry-over-from all")))
    def new(
        day: Annotated[str | None, typer.Option("--date", help=_("Meeting date, e.g. 01.07.2024 (default: today)."),
                                                show_default=False)] = None,
        items: Annotated[list[str] | None, typer.Option("--item", help=_("An agenda question («О …»); repeat for more."),
                                                        show_default=False)] = None,
        participants: Annotated[list[str] | None, typer.Option(
            "--participant", help=_("A participant «Фамилия И.О.» (several: repeat, or separate by commas), instead of "
                                    "those of the previous protocol; «-» for none."), show_default=False)] = None,
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
        given = any(x is not None for x in (day, title, number, chair, secretary, source, carry_over)) or bool(items) \
            or bool(participants)
        if interactive is None:
            interactive = sys.stdin.isatty() and not given
        ctx = ArchiveContext(root)
        import contextlib

        # click's prompt writes a space to stdout through input(); while asking, stdout goes to stderr so that
        # stdout carries only the new file's path (`vim "$(protokol new)"`)
        quiet_stdout = contextlib.redirect_stdout(sys.stderr) if interactive else contextlib.nullcontext()
        stdout = sys.stdout
        with quiet_stdout:
            _new(ctx, day=meeting, today=day_today, title=title, number=number, chair=chair, secretary=secretary,
                 items=list(items or []), carry_over=carry_over, source=source, edit=edit, interactive=interactive,
                 stdout=stdout, carry_from=carry_from, participants=list(participants or []))


def register(app: typer.Typer) -> None:
    _init_command(app)
    _new_command(app)
