"""`protokol diff`, `textconv`, `history`, `sign` and `hooks`: reviewing minutes in git the way code is reviewed."""
# No `from __future__ import annotations`: Typer reads these annotations at run time.

import os
import sys
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Annotated

import typer
import typer.core

from ..i18n import _, ngettext
from ..rudates import shown_date, shown_day
from .common import UserError, archive_root, err_console, os_reason, out_console, parse_day, root_option, today_option

_PATHS_KEY = "protokol.paths_after_dashdash"


class _PathsAfterDoubleDash(typer.core.TyperCommand):
    """Keeps what follows `--` apart (`protokol diff A B -- PATHS`), as git does: click would mix it into REVS."""

    def parse_args(self, ctx, args):
        if "--" in args:
            cut = args.index("--")
            ctx.meta[_PATHS_KEY] = args[cut + 1:]
            args = args[:cut]
        return super().parse_args(ctx, args)


def _esc(text: str) -> str:
    from rich.markup import escape

    return escape(str(text))


@contextmanager
def _git_errors():
    from ..gitreview import GitError, GitRefused

    try:
        yield
    except GitError as exc:  # no repository, no such revision, no git: the call (2); a file in the way (1)
        raise UserError(exc.message, exc.hint, code=1 if isinstance(exc, GitRefused) else 2) from None


def _context(root: Path, today: date):
    from ..semdiff import Context
    from ..settings import load_settings

    settings, _problems = load_settings(root)
    holidays, workdays = settings.extra_days()
    return Context(today, settings.school_year(), holidays, workdays)


def _archive_relative(root: Path, given: list[str]) -> list[str]:
    """Paths as typed (relative to the current folder) -> relative to the archive root, where git runs."""
    out = []
    base = root.resolve()
    for text in given:
        full = (Path.cwd() / text).resolve()
        rel = os.path.relpath(full, base)
        if rel == ".." or rel.startswith(".." + os.sep):
            raise UserError(_("{path} is outside the archive {root}.").format(path=text, root=root))
        out.append(rel.replace(os.sep, "/"))
    return out


def _find_file(root: Path, text: str) -> Path:
    """A protocol file by id («2024-01-09-1») or by path."""
    from ..paths import PROTOCOLS_DIR
    from .common import ambiguous_id

    given = Path(text)
    if given.suffix in (".yaml", ".yml") and given.is_file():
        return given
    folder = root / PROTOCOLS_DIR
    found = sorted(p for p in folder.rglob("*") if p.suffix in (".yaml", ".yml") and p.stem == text) if folder.is_dir() else []
    if len(found) == 1:
        return found[0]
    if len(found) > 1:
        raise ambiguous_id(text, [_shown(p) for p in found])
    import difflib

    ids = sorted({p.stem for p in folder.rglob("*.y*ml")}) if folder.is_dir() else []
    close = difflib.get_close_matches(text, ids, n=3)
    raise UserError(_("No protocol '{id}' in {folder}.").format(id=text, folder=folder),
                    _("Did you mean: {ids}?").format(ids=", ".join(close)) if close
                    else _("A protocol's id is its file name without .yaml, e.g. 2024-01-09-1."))


def _print_changes(console, files, protocol_label: bool = True) -> None:
    from ..diffreport import describe, file_title, status_word

    colours = {"+": "green", "-": "red", "~": "yellow"}
    for f in files:
        console.print(f"[bold]{_esc(file_title(f))}[/]  [cyan]{_esc(status_word(f.status))}[/]"
                      + (f"  [dim]{_esc(f.heading)}[/]" if f.heading and protocol_label else ""))
        for problem in f.problems:
            console.print("  [red]![/] " + _esc(_("cannot be read: {problem}").format(problem=problem)))
        for change in f.changes:
            sign, text = describe(change, f.id or f.old_id)
            console.print(f"  [{colours[sign]}]{sign}[/] {_esc(text)}")
        if not f.changes and not f.problems:
            console.print("  [dim]" + _esc(_("no change in meaning (layout or comments only)")) + "[/]")
        console.print()


def _diff_command(app: typer.Typer) -> None:
    @app.command(
        "diff", cls=_PathsAfterDoubleDash,
        help=_("Show what changed in the protocols between two git revisions: protocols added or removed, header, "
               "participants, agenda items, and decisions field by field (deadline with its dates, responsible, status). "
               "Without revisions: the last commit against the working folder; A...B: what branch B changed since it left A.")
        + "\n\n" + _("Example: protokol diff main...HEAD --format md"),
    )
    def diff(
        ctx: typer.Context,
        revs: Annotated[list[str] | None, typer.Argument(help=_("REV_A [REV_B], or a range A...B; paths after `--`."), metavar="[REV_A [REV_B]] [-- PATHS]",
                                                          show_default=False)] = None,
        fmt: Annotated[str, typer.Option("--format", help=_("Output: text, md (for a merge-request comment) or json."))] = "text",
        root: root_option() = None,
        today: today_option() = None,
    ) -> None:
        from .. import gitreview
        from ..diffreport import to_json, to_markdown
        from ..history import changed_versions
        from ..paths import PROTOCOLS_DIR
        from ..semdiff import diff_texts

        if fmt not in ("text", "md", "json"):
            raise UserError(_("--format takes text, md or json, not '{value}'.").format(value=fmt))
        day = parse_day(today)
        folder = archive_root(root)
        revs = list(revs or [])
        paths = list(ctx.meta.get(_PATHS_KEY, []))
        with _git_errors():
            gitreview.require_repository(folder)
            if _PATHS_KEY not in ctx.meta:  # like git: a word that is no revision but names a file is a path
                while revs and not gitreview.is_range(revs[-1]) and not gitreview.is_revision(folder, revs[-1]) \
                        and Path(revs[-1]).exists():
                    paths.insert(0, revs.pop())
            old, new = gitreview.resolve(folder, revs)
            wanted = _archive_relative(folder, paths) if paths else [PROTOCOLS_DIR]
            pairs = changed_versions(folder, old, new, wanted)
        files = diff_texts(pairs, _context(folder, day))
        label_old = " ".join(revs[:1]) or "HEAD"
        if fmt == "json":
            import json

            typer.echo(json.dumps(to_json(files, old, new), ensure_ascii=False, indent=2))
            return
        if fmt == "md":
            span = revs[0] if revs and gitreview.is_range(revs[0]) else (
                f"{label_old}..{revs[1]}" if len(revs) == 2 else _("{rev} → working folder").format(rev=label_old))
            typer.echo(to_markdown(files, _("Changes in protocols ({span})").format(span=span)), nl=False)
            return
        _print_changes(out_console(), files)
        console = err_console()
        if files:
            console.print(ngettext("{n} protocol changed.", "{n} protocols changed.", len(files)).format(n=len(files)))
        else:
            console.print(_("No protocol changed."))


def _textconv_command(app: typer.Typer) -> None:
    @app.command(
        "textconv",
        help=_("Print a protocol as plain text, one fact per line: the git diff driver behind `git diff` and "
               "`git log -p` (set up by `protokol hooks install`). A file that is not a readable protocol is printed as it is.")
        + "\n\n" + _("Example: protokol textconv protocols/2024/2024-01-09-1.yaml"),
    )
    def textconv(
        file: Annotated[Path, typer.Argument(help=_("The protocol file."), show_default=False)],
        pid: Annotated[str | None, typer.Option("--id", help=_("The protocol id to show (default: from the file name)."),
                                                 show_default=False)] = None,
    ) -> None:
        from ..load import protocol_from_text
        from ..paths import read_regular
        from ..problems import ERROR
        from ..textconv import protocol_text
        from ..yamlio import MAX_FILE_BYTES

        try:
            data = read_regular(file, MAX_FILE_BYTES)  # a pipe or a device is refused, never read until memory runs out
        except OSError as exc:
            raise UserError(_("Cannot read {path}: {reason}").format(path=file, reason=os_reason(exc)),
                            code=2 if isinstance(exc, FileNotFoundError) else 1) from None
        name = pid + ".yaml" if pid else _git_temp_name(file)
        protocol, problems = protocol_from_text(data, name)
        if protocol is None or any(p.severity == ERROR for p in problems):
            text = data.decode("utf-8", errors="replace")  # git still shows a diff, of the raw text
        else:
            text = protocol_text(protocol)
        stream = getattr(sys.stdout, "buffer", None)
        if stream is not None:
            sys.stdout.flush()
            stream.write(text.encode("utf-8"))
            stream.flush()
        else:
            sys.stdout.write(text)


def _history_command(app: typer.Typer) -> None:
    @app.command(
        "history",
        help=_("The git history of a protocol or of one decision: every commit that changed it, with date, author, "
               "message and what changed (for a decision: deadline moved from → to, status).")
        + "\n\n" + _("Example: protokol history 2024-01-09-1/2.2.1"),
    )
    def history(
        record: Annotated[str, typer.Argument(help=_("A protocol id (2024-01-09-1) or a decision id (2024-01-09-1/2.2.1)."),
                                               show_default=False)],
        fmt: Annotated[str, typer.Option("--format", help=_("Output: text or json."))] = "text",
        root: root_option() = None,
        today: today_option() = None,
    ) -> None:
        if fmt not in ("text", "json"):
            raise UserError(_("--format takes text or json, not '{value}'.").format(value=fmt))
        day = parse_day(today)
        folder = archive_root(root)
        pid, _sep, key = record.partition("/")
        file = _find_file(folder, pid)
        seen: set[str] = set()
        read: list = []
        from ..history import file_history, with_references

        with _git_errors():
            entries = with_references(file_history(file, key or None, _context(folder, day), seen, read), folder,
                                      record if key else None)
        if key and read and key not in seen:  # in no version, committed or not: a mistyped id, not a decision without changes
            import difflib

            keys = sorted(seen, key=_number_order)
            close = difflib.get_close_matches(key, keys, n=3, cutoff=0.5)
            raise UserError(_("Protocol {protocol} has no decision {key}, in any version.").format(protocol=pid, key=key),
                            _("Its decisions: {keys}.").format(keys=", ".join(close or keys[:12]) or "—"))
        if fmt == "json":
            import json

            typer.echo(json.dumps(entries, ensure_ascii=False, indent=2))
            return
        console = out_console()
        if not entries:
            err_console().print(_("No recorded change of {id} in git history.").format(id=record))
            return
        colours = {"+": "green", "-": "red", "~": "yellow"}
        for entry in entries:
            head = entry["commit"][:10] if entry["commit"] else _("not committed")
            day = shown_day(date.fromisoformat(entry["date"][:10])) if entry["date"] else ""  # git's ISO time
            console.print(f"[bold yellow]{_esc(head)}[/]  {_esc(day)}  [cyan]{_esc(entry['author'])}[/]  "
                          f"{_esc(entry['subject'])}")
            if entry["renamed_from"]:
                console.print("  [dim]" + _esc(_("renamed from {path}").format(path=entry["renamed_from"])) + "[/]")
            for line in entry["lines"]:
                console.print(f"  [{colours[line['sign']]}]{line['sign']}[/] {_esc(line['text'])}")
            console.print()


def _sign_command(app: typer.Typer) -> None:
    @app.command(
        "sign",
        help=_("Record that the paper protocol was signed: who, when, and a SHA-256 of its content and of this record "
               "(control marks are not part of it). `check` then reports any later change. A correction of a signed protocol is recorded "
               "with --amend, which keeps the previous signature and the reason in `amendments`.")
        + "\n\n" + _("Example: protokol sign 2024-01-09-1 --by \"Шадеркова Н.В.\" --date 2024-01-10"),
    )
    def sign(
        record: Annotated[str, typer.Argument(help=_("The protocol id or file."), show_default=False)],
        by: Annotated[str, typer.Option("--by", help=_("Who signed (as printed under the signature)."), show_default=False)],
        when: Annotated[str | None, typer.Option("--date", help=_("When it was signed, e.g. 01.07.2024 (default: today)."),
                                                 show_default=False)] = None,
        amend: Annotated[str | None, typer.Option("--amend", help=_("Record a correction of a signed protocol, with the reason."),
                                                  show_default=False)] = None,
        force: Annotated[bool, typer.Option("--force", help=_("Rewrite the signing record of an unchanged protocol."))] = False,
        root: root_option() = None,
        today: today_option() = None,
    ) -> None:
        _sign(record, by, when, amend, force, root, today)


def _hooks_commands(app: typer.Typer) -> None:
    hooks = typer.Typer(help=_("Git integration: protocols shown as text in `git diff`, and a pre-commit hook that "
                               "refuses broken protocols.") + "\n\n" + _("Example: protokol hooks install"),
                        no_args_is_help=True)

    @hooks.command(
        "install",
        help=_("Set up git for this archive: .gitattributes and `git config diff.protokol.textconv` so that `git diff` "
               "shows protocols as text, and a pre-commit hook that refuses a commit with a broken protocol "
               "(for users without the pre-commit tool).") + "\n\n" + _("Example: protokol hooks install"),
    )
    def hooks_install(
        force: Annotated[bool, typer.Option("--force", help=_("Replace a pre-commit hook that protokol did not write."))] = False,
        root: root_option() = None,
    ) -> None:
        from .. import gitreview

        folder = archive_root(root)
        console = out_console()
        with _git_errors():
            gitreview.require_repository(folder)
            done = gitreview.setup_git_integration(folder)
            hook, state = gitreview.install_pre_commit_hook(folder, force)
        for item in done:
            console.print(f"  [green]{_('set up')}[/]  {_esc(item)}")
        words = {"created": _("created"), "updated": _("updated"), "replaced": _("replaced"), "kept": _("kept")}
        console.print(f"  [green]{words[state]}[/]  {_esc(os.path.relpath(hook))}"
                      + (f" [dim]({_esc(_('the old hook is kept as pre-commit.bak'))})[/]" if state == "replaced" else ""))
        if not done and state == "kept":
            console.print(_("Everything was already set up."))

    @hooks.command(
        "pre-commit",
        help=_("Check the staged protocols (what the next commit holds); exit 1 with the problems when one has an error. "
               "The pre-commit hook runs this.") + "\n\n" + _("Example: protokol hooks pre-commit"),
    )
    def hooks_pre_commit(
        root: root_option() = None,
        today: today_option() = None,
    ) -> None:
        _pre_commit(root, today)

    app.add_typer(hooks, name="hooks")


def _git_temp_name(file: Path) -> str:
    """The file's name; older git versions hand textconv the old version as /tmp/XXXXXX_<name>: take the name back."""
    import re
    import tempfile

    name = file.name
    match = re.fullmatch(r"[A-Za-z0-9]{6}_(.+\.ya?ml)", name)
    if match and file.parent.resolve() == Path(tempfile.gettempdir()).resolve():
        return match[1]
    return name


def _number_order(key: str) -> tuple:
    return tuple(int(part) if part.isdigit() else 0 for part in key.split("."))


def _sign(record: str, by: str, when: str | None, amend: str | None, force: bool, root: Path | None,
          today: str | None) -> None:
    from ..writing import WriteRefused, edit_file

    day = parse_day(today)
    signed_on = parse_day(when, "--date") if when else day
    by = by.strip()
    if not by:
        raise UserError(_("--by needs the name of who signed."))
    if amend is not None and not amend.strip():
        raise UserError(_("--amend needs the reason of the correction."), _("Example: --amend \"исправлен срок пункта 2.1\""))
    folder = archive_root(root)
    file = _find_file(folder, record)
    protocol = _signable(folder, file, day, signed_on)
    signing, amendment = _signing_record(file, protocol, by, signed_on, amend, force, day)
    try:
        edit_file(file, _signed_text(file, protocol, signing, amendment))
    except WriteRefused as exc:
        raise UserError(exc.message, exc.hint, code=1) from None
    except OSError as exc:
        raise UserError(_("Cannot write the signing record into {path}: {reason}.").format(
            path=_shown(file), reason=os_reason(exc)), code=1) from None
    console = out_console()
    if amendment is not None:
        console.print(_("Correction of {id} recorded: signed by {by} on {date}; the previous signature is kept in amendments.").format(
            id=protocol.id, by=by, date=shown_date(signed_on)))
        if amendment.fields:
            console.print("  " + _esc(_("Changed since the previous signing: {fields}.").format(fields=", ".join(amendment.fields))))
    else:
        console.print(_("{id} signed by {by} on {date} (sha256 {short}…).").format(
            id=protocol.id, by=by, date=shown_date(signed_on), short=signing.sha256[:12]))


def _shown(file: Path) -> str:
    from ..paths import display_path

    return display_path(file)


def _signable(folder: Path, file: Path, day: date, signed_on: date):
    """The protocol, when the gate accepts it and it may be signed on `signed_on`; else a refusal (exit 1)."""
    from ..checks import moved_deadlines
    from ..config import load_config
    from ..gate import judge
    from ..load import load_protocol
    from ..problems import ERROR
    from .common import print_problems

    shown = _shown(file)
    # what `protokol check FILE` says of it; a changed signed protocol is what --amend records, and what sign itself
    # refuses without it
    verdict = judge(folder, day, [file], explain=False).of(file)
    problems = [p for p in verdict.problems if p.code != "signature-mismatch"]
    protocol, _reading = load_protocol(file, shown)
    if protocol is not None and protocol.signed is None:  # what `check` will say once it is signed
        problems += moved_deadlines(protocol, day, load_config(folder).settings.school_year(), as_signed=True)
    if protocol is None or any(p.severity == ERROR for p in problems):
        print_problems(problems, "text")
        raise UserError(_("{path} has errors: a protocol is signed once it is correct.").format(path=shown),
                        _("Fix them (protokol check {path}) and sign again.").format(path=shown), code=1)
    if protocol.status == "draft":
        raise UserError(_("{id} is a draft (status: draft).").format(id=protocol.id),
                        _("Set `status: final` (or remove the line) once the text is the one on paper, then sign."), code=1)
    if signed_on < protocol.date:
        raise UserError(_("The signing date {date} is before the meeting ({meeting}).").format(
            date=shown_date(signed_on), meeting=shown_date(protocol.date)), _("Check --date."), code=1)
    return protocol


def _signing_record(file: Path, protocol, by: str, signed_on: date, amend: str | None, force: bool, day: date) -> tuple:
    """(the new `signed:` record, the amendment it makes or None); a refusal when the protocol's state forbids it."""
    from .. import model as m
    from ..gate import signed_version
    from ..semdiff import changed_fields
    from ..signing import new_signing, signature_matches

    old = protocol.signed
    if old is None:
        if amend is not None:
            raise UserError(_("{id} is not signed yet, so there is nothing to amend.").format(id=protocol.id),
                            _("Sign it without --amend."), code=1)
        return new_signing(protocol, by, signed_on), None
    unchanged = signature_matches(protocol)
    if amend is not None:
        if unchanged:
            raise UserError(_("{id} has not changed since it was signed: there is no correction to record.").format(id=protocol.id),
                            _("To rewrite the signing record itself (a wrong name or date), use --force."), code=1)
        before = signed_version(file, old)
        fields = tuple(changed_fields(before, protocol, day)) if before is not None else ()
        amendment = m.Amendment(date=signed_on, by=by, reason=" ".join(amend.split()), previous=old, fields=fields)
        return new_signing(protocol, by, signed_on, amendment), amendment
    if not unchanged:
        raise UserError(_("{id} was signed by {by} on {date} and has changed since.").format(
            id=protocol.id, by=old.by, date=shown_date(old.date)),
            _("Record the correction so that it leaves a trace: protokol sign {id} --by NAME --amend \"what was corrected\"").format(
                id=protocol.id), code=1)
    if not force:
        raise UserError(_("{id} is already signed by {by} on {date}.").format(id=protocol.id, by=old.by, date=shown_date(old.date)),
                        _("Pass --force to rewrite the signing record."), code=1)
    return new_signing(protocol, by, signed_on), None


def _signed_text(file: Path, protocol, signing, amendment):
    """The edit `edit_file` makes under the file's lock: what was checked is what gets signed, and nothing is written
    that would read back other than expected."""
    from dataclasses import replace

    from ..load import protocol_from_text
    from ..signedit import SigningEditError, write_signing

    shown = _shown(file)
    expected = replace(protocol, signed=signing, amendments=protocol.amendments + ((amendment,) if amendment else ()))

    def signed(raw: bytes) -> bytes:
        bom = b"\xef\xbb\xbf" if raw.startswith(b"\xef\xbb\xbf") else b""
        if protocol_from_text(raw, str(file), shown)[0] != protocol:
            raise UserError(_("{path} was changed meanwhile; nothing was written.").format(path=shown),
                            _("Run the command again."), code=1)
        try:
            new_text = write_signing(raw[len(bom):].decode("utf-8"), signing, amendment)
        except SigningEditError as exc:
            raise UserError(_("Cannot write the signing record into {path}: {reason}.").format(path=shown, reason=exc),
                            code=1) from None
        check, _problems = protocol_from_text(new_text, str(file))
        if check is None or replace(check, path=protocol.path) != expected:
            raise UserError(_("Signing {path} would change more than the signing record; nothing was written.").format(
                path=shown), _("Please report this with the file; sign it by editing `signed:` by hand meanwhile."), code=1)
        return bom + new_text.encode("utf-8")

    return signed


def _pre_commit(root: Path | None, today: str | None) -> None:
    from ..gate import judge_staged
    from .common import print_problems

    day = parse_day(today)
    folder = archive_root(root)
    with _git_errors():
        verdict = judge_staged(folder, day)
    problems, errors = verdict.problems, verdict.errors()
    if problems:
        print_problems(problems, "text", sources=verdict.sources)
    if errors:
        err_console().print("[bold red]" + _esc(ngettext(
            "Commit refused: {n} error in the staged protocols.", "Commit refused: {n} errors in the staged protocols.",
            len(errors)).format(n=len(errors))) + "[/] " + _esc(_("Fix, `git add` the file, and commit again "
                                                                  "(or skip this check once: git commit --no-verify).")))
        raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    _diff_command(app)
    _textconv_command(app)
    _history_command(app)
    _sign_command(app)
    _hooks_commands(app)
