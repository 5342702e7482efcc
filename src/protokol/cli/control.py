"""`protokol done`, `extend`, `cancel` and `reopen`: control marks written into the protocol file next to the decision."""
# No `from __future__ import annotations`: Typer reads these annotations at run time.

from pathlib import Path
from typing import Annotated

import typer

from ..i18n import _
from .common import UserError, archive_root, parse_day, refuse_ambiguous, root_option, today_option, unknown_protocol
from .due import load_decisions, no_cache_option


def _id_argument():
    return Annotated[str, typer.Argument(help=_("The decision's id: <protocol id>/<number>, as `protokol due` shows it."),
                                         show_default=False)]


def _date_option(text: str):
    return Annotated[str | None, typer.Option("--date", help=text, show_default=False)]


def _occurrence_option(text: str):
    return Annotated[str | None, typer.Option("--occurrence", help=text, show_default=False)]


def _dry_run_option():
    return Annotated[bool, typer.Option("--dry-run", help=_("Show the change to the file without writing it."))]


def _locate(decision_id: str, root_opt: Path | None, day, use_cache: bool):
    """The decision as it stands today, and the path of its file; a clear error when there is no such decision."""
    import difflib

    from ..selection import find

    protocol_id, sep, key = decision_id.partition("/")
    if not sep or not protocol_id or not key:
        raise UserError(_("'{id}' is not a decision id.").format(id=decision_id),
                        _("A decision id is <protocol id>/<number>, e.g. 2024-01-09-1/2.2.1 (see `protokol due`)."))
    root = archive_root(root_opt)
    refuse_ambiguous(root, protocol_id)
    index = load_decisions(root, use_cache)
    if protocol_id not in index.by_id:
        raise unknown_protocol(protocol_id, index.by_id, index.problems)
    decision = find(index, decision_id, day)
    if decision is None:
        keys = list(index.by_protocol(protocol_id).positions())
        close = difflib.get_close_matches(key, keys, n=3, cutoff=0.5)
        raise UserError(_("Protocol {protocol} has no decision {key}.").format(protocol=protocol_id, key=key),
                        _("Its decisions: {keys}.").format(keys=", ".join(close or keys[:12]) or "—"))
    return decision, Path(decision.meeting.file)


def _apply(decision, path: Path, outcome, dry_run: bool) -> None:
    from ..editing import set_control
    from .common import _esc, out_console

    if outcome.control is None:  # refused: for the decision's state (1), or for the call alone, like a future day (2)
        raise UserError(outcome.refused, outcome.hint, code=2 if outcome.usage else 1)
    result = set_control(path, decision.entry.key, outcome.control, display=str(path), dry_run=dry_run,
                         still=lambda protocol: _own_marks(protocol, decision.entry.key) == decision.entry.marks)
    if not result.ok:
        raise UserError(result.reason, result.hint, code=1)
    console = out_console()
    if dry_run:
        import difflib

        diff = difflib.unified_diff(result.before.splitlines(), result.after.splitlines(), str(path), str(path), lineterm="", n=1)
        for line in diff:
            colour = "green" if line.startswith("+") else "red" if line.startswith("-") else "cyan" if line.startswith("@") else ""
            console.print(f"[{colour}]{_esc(line)}[/]" if colour else _esc(line))
        console.print(_("Dry run: {file} was not changed.").format(file=path))
        return
    console.print(f"[green]{_esc(outcome.message)}[/]")
    console.print(_("Written to {file}.").format(file=path))


def _own_marks(protocol, key: str):
    """The marks decision `key` has in the file as read under its lock: the new marks were computed from the
    decision as `due` read it before, which must still be so (another `done` may have marked it meanwhile)."""
    from ..index import marks_of
    from ..model import walk_decisions

    return next((marks_of(ref.decision.control) for ref in walk_decisions(protocol) if ref.decision.key == key), None)


def _act(decision_id: str, on: str | None, root, today: str | None, no_cache: bool, dry_run: bool, change) -> None:
    """What every control command does: find the decision, compute its new marks with `change(control, decision,
    when, day)`, write them (or show them with --dry-run)."""
    from .. import control

    day = parse_day(today)
    when = parse_day(on, "--date") if on else day
    decision, path = _locate(decision_id, root, day, not no_cache)
    _apply(decision, path, change(control, decision, when, day), dry_run)


def _done_command(app: typer.Typer) -> None:
    @app.command("done", help=_("Mark a decision done (for a recurring one: close its oldest open occurrence). "
                                "The mark goes into the protocol file, apart from the signed content.")
                 + "\n\n" + _("Example: protokol done 2024-01-09-1/2.2.1 --date 2024-01-30 --note \"Проведены педсоветы\""))
    def done(
        decision_id: _id_argument(),
        on: _date_option(_("The day it was done (default: today)."))= None,
        note: Annotated[str | None, typer.Option("--note", help=_("The executor's report or a note."), show_default=False)] = None,
        occurrence: _occurrence_option(_("Of a recurring decision: the occurrence to close, by the day it falls due "
                                         "(default: the oldest open one that has begun).")) = None,
        dry_run: _dry_run_option() = False,
        root: root_option() = None,
        today: today_option() = None,
        no_cache: no_cache_option() = False,
    ) -> None:
        which = parse_day(occurrence, "--occurrence") if occurrence else None
        _act(decision_id, on, root, today, no_cache, dry_run, lambda c, d, when, day: c.done(d, when, day, note, which))


def _extend_command(app: typer.Typer) -> None:
    @app.command("extend", help=_("Move a decision's deadline, keeping the history of extensions.")
                 + "\n\n" + _("Example: protokol extend 2024-01-09-1/2.2.5 --to 2024-09-01 --reason \"по ходатайству руководителей ОУ\""))
    def extend(
        decision_id: _id_argument(),
        to: Annotated[str, typer.Option("--to", help=_("The new due date, e.g. 01.07.2024."), show_default=False)],
        reason: Annotated[str, typer.Option("--reason", help=_("Why the deadline moves."), show_default=False)],
        on: _date_option(_("The day the extension was decided (default: today).")) = None,
        dry_run: _dry_run_option() = False,
        root: root_option() = None,
        today: today_option() = None,
        no_cache: no_cache_option() = False,
    ) -> None:
        new_due = parse_day(to, "--to")
        _act(decision_id, on, root, today, no_cache, dry_run, lambda c, d, when, day: c.extend(d, new_due, reason, when, day))


def _cancel_command(app: typer.Typer) -> None:
    @app.command("cancel", help=_("Cancel a decision (снять с контроля) with a reason.")
                 + "\n\n" + _("Example: protokol cancel 2023-08-27-8/1.1 --reason \"утратило актуальность\""))
    def cancel(
        decision_id: _id_argument(),
        reason: Annotated[str, typer.Option("--reason", help=_("Why it is cancelled."), show_default=False)],
        on: _date_option(_("The day it was cancelled (default: today).")) = None,
        dry_run: _dry_run_option() = False,
        root: root_option() = None,
        today: today_option() = None,
        no_cache: no_cache_option() = False,
    ) -> None:
        _act(decision_id, on, root, today, no_cache, dry_run, lambda c, d, when, day: c.cancel(d, reason, when, day))


def _reopen_command(app: typer.Typer) -> None:
    @app.command("reopen", help=_("Open a done or cancelled decision again (for a recurring one: its last closed occurrence).")
                 + "\n\n" + _("Example: protokol reopen 2024-01-09-1/2.2.1"))
    def reopen(
        decision_id: _id_argument(),
        on: _date_option(_("The day it was reopened (default: today).")) = None,
        occurrence: _occurrence_option(_("Of a recurring decision: the closed occurrence to reopen, by the day it "
                                         "falls due (default: the last closed one).")) = None,
        dry_run: _dry_run_option() = False,
        root: root_option() = None,
        today: today_option() = None,
        no_cache: no_cache_option() = False,
    ) -> None:
        which = parse_day(occurrence, "--occurrence") if occurrence else None
        _act(decision_id, on, root, today, no_cache, dry_run, lambda c, d, when, day: c.reopen(d, when, day, which))


def register(app: typer.Typer) -> None:
    _done_command(app)
    _extend_command(app)
    _cancel_command(app)
    _reopen_command(app)
