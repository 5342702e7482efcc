"""`protokol import`: existing minutes (.txt, .md, .docx) -> protocol files, with a report of spots to review."""
# No `from __future__ import annotations`: Typer reads these annotations at run time.

import os
import sys
from pathlib import Path
from typing import Annotated

import typer

from ..i18n import _, ngettext
from .common import UserError, os_reason, parse_day, root_option, today_option


def _import_command(app: typer.Typer) -> None:
    @app.command(
        "import",
        help=_("Import existing minutes (.txt, .md, .docx; folders too) into protocol files under protocols/<year>/. "
               "Never overwrites a file without --force; prints the spots to review as source:line: note.")
        + "\n\n" + _("Example: protokol import old/2023-08-27.docx old/minutes/ --dry-run"),
    )
    def import_(
        files: Annotated[list[Path], typer.Argument(help=_("Files of minutes or folders holding them."), show_default=False)],
        output: Annotated[Path | None, typer.Option("--output", "-o", help=_("Write the protocol files into this folder instead of protocols/<year>/."),
                                                    show_default=False)] = None,
        dry_run: Annotated[bool, typer.Option("--dry-run", help=_("Print the YAML instead of writing files (the report goes to stderr)."))] = False,
        force: Annotated[bool, typer.Option("--force", help=_("Overwrite protocol files that exist."))] = False,
        meeting: Annotated[str | None, typer.Option(
            "--date", help=_("The meeting date of each document that names none (a date in the document wins; "
                             "without this option a date in the file's name serves)."), show_default=False)] = None,
        interactive: Annotated[bool, typer.Option(
            "--interactive", help=_("Ask in the terminal for what a document does not name: the meeting date, the "
                                    "chair, the secretary."))] = False,
        root: root_option() = None,
        today: today_option() = None,
    ) -> None:
        from ..importers.run import expand_inputs
        from ..paths import find_root

        day = parse_day(today)
        given = parse_day(meeting, "--date") if meeting is not None else None
        if interactive and not sys.stdin.isatty():
            raise UserError(_("--interactive asks its questions in a terminal, and standard input is not one."),
                            _("Run the command in a terminal, or pass the meeting date with --date."))
        for path in files:
            if not path.exists():
                raise UserError(_("No such file or folder: {path}").format(path=path))
        inputs = expand_inputs(files)
        if not inputs:
            raise UserError(_("No .txt, .md or .docx files found in: {paths}").format(paths=", ".join(map(str, files))))
        archive = _archive(root, output, find_root)
        if output is None and archive is None and not dry_run:
            raise UserError(_("No protokol archive here or above, so there is no protocols/ folder to write to."),
                            _("Run the command inside an archive, pass --root DIR, or write elsewhere with -o DIR."))
        run = _Import(archive, output, day, dry_run, force, many=len(inputs) > 1)
        run.meeting, run.interactive = given, interactive
        for number, path in enumerate(inputs):
            run.one(number, path)
        sys.stderr.write(ngettext("Imported {imported} of {total} file; {spots} spots to review, {failed} failed.",
                                  "Imported {imported} of {total} files; {spots} spots to review, {failed} failed.",
                                  len(inputs)).format(imported=run.imported, total=len(inputs), spots=run.spots,
                                                      failed=run.failed) + "\n")
        if run.failed:
            raise typer.Exit(1)


class _Import:
    """One `protokol import` run: each document read, placed, judged by the gate and written (or printed), its
    outcome reported on stderr; one document's failure never stops the others."""

    def __init__(self, archive: Path | None, output: Path | None, day, dry_run: bool, force: bool, many: bool):
        self.archive, self.output, self.day, self.dry_run, self.force, self.many = archive, output, day, dry_run, force, many
        self.loaded = _load_archive(archive)
        self.written: set[Path] = set()
        self.failed = self.imported = self.spots = 0
        self.meeting = None  # --date
        self.interactive = False

    def error(self, text: str) -> None:
        sys.stderr.write(text + "\n")
        self.failed += 1

    def folder(self, year: int) -> Path:
        from ..paths import PROTOCOLS_DIR

        if self.output is not None:
            return self.output
        return (self.archive / PROTOCOLS_DIR if self.archive is not None else Path(PROTOCOLS_DIR)) / str(year)

    def one(self, number: int, path: Path) -> None:
        from ..importers.run import import_document
        from ..paths import display_path

        shown = display_path(path)
        try:
            result = import_document(path, shown, self.day, None, self.meeting)
            if self.interactive:
                result = self.ask(result, path, shown)
        except Exception as exc:  # a bug on one document must not stop the other 999, nor show a traceback
            if os.environ.get("PROTOKOL_DEBUG"):
                raise
            return self.error(_("error: {source}: internal error while importing ({error}); this is a bug in protokol, "
                                "please report it with the document.").format(source=shown, error=f"{type(exc).__name__}: {exc}"))
        if result.error:
            return self.error(_("error: {message}").format(message=result.error))
        target = self.folder(result.protocol.date.year) / result.name
        self.place(result, target)
        for spot in result.spots:
            sys.stderr.write(f"{shown}:{spot.line}: {spot.note}\n")
        self.spots += len(result.spots)
        if not self.passes(result, target, shown):
            return None
        if self.dry_run:
            if self.many:
                sys.stdout.write(("---\n" if number else "") + f"# {display_path(target)}\n")
            sys.stdout.write(result.yaml)
            self.imported += 1
            return None
        self.write(result, target, shown)
        return None

    def ask(self, result, path: Path, shown: str):
        """--interactive: the meeting date of a document that names none, then its chair and secretary."""
        import contextlib

        from ..importers.run import complete, import_document, missing_people
        from .prompts import prompt_day

        # click's prompt writes a space to stdout through input(): stdout carries only the YAML of --dry-run
        with contextlib.redirect_stdout(sys.stderr):
            if result.no_date:  # no default: Enter on today's date would date an old meeting today
                sys.stderr.write(_("{source}: the document names no meeting date.").format(source=shown) + "\n")
                result = import_document(path, shown, self.day, None, prompt_day(_("Meeting date"), None), "answer")
            labels = {"chair": _("Chair (Фамилия И.О., position), empty to leave it unrecorded"),
                      "secretary": _("Secretary (Фамилия И.О., position), empty to leave it unrecorded")}
            answers = {}
            for key in missing_people(result):
                answers[key] = typer.prompt(f"{shown}: {labels[key]}", default="", show_default=False, err=True)
        return complete(result, self.day, answers)

    def place(self, result, target: Path) -> None:
        """The editors' `$schema` line, as `protokol new` writes it: only when the archive has the schema file."""
        from ..initialize import schema_reference

        schema = schema_reference(self.archive, target) if self.archive is not None else None
        if schema is not None:
            from ..dump import SCHEMA_LINE

            result.yaml = SCHEMA_LINE.format(path=schema) + result.yaml

    def passes(self, result, target: Path, shown: str) -> bool:
        """The verdict of `protokol check` on the file where it would be written, within its archive."""
        from ..gate import judge
        from ..importers.run import errors

        result.problems = list(judge(self.archive, self.day, [target], {target: result.yaml}, loaded=self.loaded,
                                     explain=False).of(target).problems)
        bad = errors(result.problems)
        if bad:
            self.error(_("error: {source}: the imported protocol would not pass `check`; nothing was written:").format(
                source=shown))
            for p in bad:
                sys.stderr.write(f"  {p.line}:{p.col}: {p.code}: {p.message}\n")
        return not bad

    def write(self, result, target: Path, shown: str) -> None:
        from ..paths import display_path
        from ..writing import WriteRefused, write_kept

        if (target.exists() and not self.force) or target.resolve() in self.written:
            self.error(_("error: {source}: {target} already exists; it was not overwritten.").format(
                source=shown, target=display_path(target)))
            sys.stderr.write("  " + _("hint: {hint}").format(hint=_("Compare the two; to import over it, pass --force.")) + "\n")
            return
        try:
            write_kept(target, result.yaml, self.force)
        except WriteRefused as exc:  # created meanwhile, or read-only
            return self.error(_("error: {source}: {message}").format(source=shown, message=exc.message))
        except OSError as exc:
            return self.error(_("error: {source}: cannot write {target}: {reason}").format(
                source=shown, target=display_path(target), reason=os_reason(exc)))
        self.written.add(target.resolve())
        self.imported += 1
        sys.stderr.write(_("{source} -> {target}").format(source=shown, target=display_path(target)) + "\n")


def _archive(root: Path | None, output: Path | None, find_root) -> Path | None:
    """The archive the files belong to: --root, else found from the output folder or the current folder upward."""
    from ..paths import ArchiveNotFound

    if root is not None:
        if not root.is_dir():
            raise UserError(_("No such folder: {path}").format(path=root))
        return root
    start = output if output is not None and output.exists() else None
    try:
        return find_root(start)
    except ArchiveNotFound:
        return None


def _load_archive(archive: Path | None):
    """The archive's protocols, read once: each imported file is judged within them."""
    from ..collection import load_collection
    from ..paths import PROTOCOLS_DIR

    folder = archive / PROTOCOLS_DIR if archive is not None else None
    return load_collection([folder], use_cache=True, root=archive) if folder is not None and folder.is_dir() else None


def register(app: typer.Typer) -> None:
    _import_command(app)
