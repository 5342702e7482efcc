"""`protokol import`: existing minutes (.txt, .md, .docx) -> protocol files, with a report of spots to review."""
# No `from __future__ import annotations`: Typer reads these annotations at run time.

import os
import sys
from pathlib import Path
from typing import Annotated

import typer

from ..i18n import _, ngettext
from .common import UserError, parse_day, root_option, today_option


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
        root: root_option() = None,
        today: today_option() = None,
    ) -> None:
        from ..gate import judge
        from ..importers.run import errors, expand_inputs, import_document
        from ..initialize import schema_reference
        from ..paths import PROTOCOLS_DIR, display_path, find_root
        from ..writing import WriteRefused, write_kept

        day = parse_day(today)
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

        loaded = _load_archive(archive)
        err = sys.stderr
        written: set[Path] = set()
        failed = imported = spots = 0
        for number, path in enumerate(inputs):
            shown = display_path(path)
            if output is not None:
                folder = output
            elif archive is not None:
                folder = archive / PROTOCOLS_DIR / "{year}"
            else:
                folder = Path(PROTOCOLS_DIR) / "{year}"
            try:
                result = import_document(path, shown, day, None)
            except Exception as exc:  # a bug on one document must not stop the other 999, nor show a traceback
                if os.environ.get("PROTOKOL_DEBUG"):
                    raise
                err.write(_("error: {source}: internal error while importing ({error}); this is a bug in protokol, "
                            "please report it with the document.").format(source=shown, error=f"{type(exc).__name__}: {exc}") + "\n")
                failed += 1
                continue
            if result.error:
                err.write(_("error: {message}").format(message=result.error) + "\n")
                failed += 1
                continue
            folder = Path(str(folder).replace("{year}", str(result.protocol.date.year)))
            target = folder / result.name
            # the editors' `$schema` line, as `protokol new` writes it: only when the archive has the schema file
            schema = schema_reference(archive, target) if archive is not None else None
            if schema is not None:
                from ..dump import SCHEMA_LINE

                result.yaml = SCHEMA_LINE.format(path=schema) + result.yaml
            for spot in result.spots:
                err.write(f"{shown}:{spot.line}: {spot.note}\n")
            spots += len(result.spots)
            # the verdict of `protokol check` on the file where it would be written, within its archive
            result.problems = list(judge(archive, day, [target], {target: result.yaml}, loaded=loaded,
                                         explain=False).of(target).problems)
            bad = errors(result.problems)
            if bad:
                failed += 1
                err.write(_("error: {source}: the imported protocol would not pass `check`; nothing was written:").format(source=shown) + "\n")
                for p in bad:
                    err.write(f"  {p.line}:{p.col}: {p.code}: {p.message}\n")
                continue
            if dry_run:
                if len(inputs) > 1:
                    sys.stdout.write(("---\n" if number else "") + f"# {display_path(target)}\n")
                sys.stdout.write(result.yaml)
                imported += 1
                continue
            if (target.exists() and not force) or target.resolve() in written:
                failed += 1
                err.write(_("error: {source}: {target} already exists; it was not overwritten.").format(
                    source=shown, target=display_path(target)) + "\n")
                err.write("  " + _("hint: {hint}").format(
                    hint=_("Compare the two; to import over it, pass --force.")) + "\n")
                continue
            try:
                write_kept(target, result.yaml, force)
            except WriteRefused as exc:  # created meanwhile, or read-only
                failed += 1
                err.write(_("error: {source}: {message}").format(source=shown, message=exc.message) + "\n")
                continue
            except OSError as exc:
                failed += 1
                err.write(_("error: {source}: cannot write {target}: {reason}").format(
                    source=shown, target=display_path(target), reason=exc.strerror or exc) + "\n")
                continue
            written.add(target.resolve())
            imported += 1
            err.write(_("{source} -> {target}").format(source=shown, target=display_path(target)) + "\n")
        err.write(ngettext("Imported {imported} of {total} file; {spots} spots to review, {failed} failed.",
                           "Imported {imported} of {total} files; {spots} spots to review, {failed} failed.",
                           len(inputs)).format(imported=imported, total=len(inputs), spots=spots, failed=failed) + "\n")
        if failed:
            raise typer.Exit(1)


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
