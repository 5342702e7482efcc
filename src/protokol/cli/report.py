"""`protokol report discipline` (the справка об исполнительской дисциплине) and `protokol export` (the archive as
data): options parsed, the library's figures printed or written (docs/reports.md)."""
# No `from __future__ import annotations`: Typer reads these annotations at run time.

import sys
from pathlib import Path
from typing import Annotated

import typer

from ..i18n import _
from .common import UserError, archive_root, os_reason, parse_day, root_option, today_option
from .due import load_decisions, no_cache_option, report_problems


def _output_option():
    return Annotated[Path | None, typer.Option("-o", "--output", help=_("Write to this file (required for xlsx and docx)."),
                                               show_default=False)]


def _discipline_command(group: typer.Typer) -> None:
    @group.command(
        "discipline",
        help=_("Executive discipline: how the decisions due in a period were carried out, per executor, series or "
               "protocol (on time, late, overdue, open, cancelled; the on-time share and the average delay in "
               "working days).")
        + "\n\n" + _("Example: protokol report discipline --from 01.01.2024 --to 31.03.2024")
        + "\n\n" + _("Example: protokol report discipline --from 2024-01-01 --to 2024-03-31 --format docx -o справка.docx"),
    )
    def discipline(
        start: Annotated[str, typer.Option("--from", help=_("First day of the period (e.g. 01.01.2024)."),
                                           show_default=False)],
        end: Annotated[str, typer.Option("--to", help=_("Last day of the period (e.g. 31.03.2024)."),
                                         show_default=False)],
        by: Annotated[str, typer.Option("--by", help=_("Rows per responsible, series or protocol."))] = "responsible",
        fmt: Annotated[str, typer.Option("--format", help=_("Output: table, json, csv, md, xlsx or docx."))] = "table",
        output: _output_option() = None,
        force: Annotated[bool, typer.Option("--force", help=_("Overwrite the output file if it exists."))] = False,
        root: root_option() = None,
        today: today_option() = None,
        no_cache: no_cache_option() = False,
    ) -> None:
        run_discipline(start, end, by, fmt, output, force, root, today, no_cache)


def run_discipline(start, end, by, fmt, output, force, root, today, no_cache) -> None:
    from ..config import load_config
    from ..report import discipline_out as out
    from ..report.discipline import BY, discipline

    day = parse_day(today)
    first, last = parse_day(start, "--from"), parse_day(end, "--to")
    if last < first:
        raise UserError(_("--to ({end}) is before --from ({start}).").format(end=end, start=start))
    if by not in BY:
        raise UserError(_("--by takes responsible, series or protocol, not '{value}'.").format(value=by))
    if fmt not in out.FORMATS:
        raise UserError(_("--format takes one of {choices}, not '{value}'.").format(choices=", ".join(out.FORMATS),
                                                                                  value=fmt))
    if fmt in out.BINARY and output is None:
        raise UserError(_("--format {format} writes a file: name it with -o.").format(format=fmt),
                        _("For example: -o report.{format}").format(format=fmt))
    folder = archive_root(root)
    index = load_decisions(folder, not no_cache)
    config = load_config(folder)
    report = discipline(index, config.directory, first, last, day, by, config.settings.extra_days())
    _emit(report, fmt, output, force, config.settings, folder)
    if report_problems([*_people_errors(config), *_index_problems(index)]):
        raise typer.Exit(1)


def _index_problems(index):
    from ..status import iter_problems

    return iter_problems(index)


def _people_errors(config):
    """The errors of people.yaml: the rows of executors depend on it (warnings are for `check`)."""
    return [p for p in config.problems if p.severity == "error"]


def _emit(report, fmt, output, force, settings, folder) -> None:
    from ..report import discipline_out as out

    if fmt == "xlsx":
        from ..report.office import to_xlsx

        data = to_xlsx(report)
    elif fmt == "docx":
        data = _docx(report, settings, folder)
    else:
        text = {"json": out.to_json, "csv": out.to_csv, "md": out.to_markdown}.get(fmt)
        data = text(report) if text else "\n".join(out.table(report, _width())) + "\n"
        if output is None:
            sys.stdout.write(data)
            return
    write_output(output, data, force)


def _docx(report, settings, folder) -> bytes:
    from ..render.templates import resolve, search_path
    from ..report.office import docx_context, to_docx

    found = resolve("discipline.docx", search_path(folder))
    if found is None:
        raise UserError(_("Template {name} not found.").format(name="discipline.docx"))
    chair = settings.chair
    signer = (chair.position, chair.name) if chair is not None else (None, None)
    context = docx_context(report, settings.organization, signer, settings.date_style)
    try:
        return to_docx(report, found.path.read_bytes(), context)
    except Exception as exc:  # a template edited into something docxtpl cannot fill: the user's file, named
        raise UserError(_("The template {path} cannot be filled: {error}").format(path=found.path, error=exc),
                        _("Copy the built-in one again: protokol templates --copy discipline.docx --force"),
                        code=1) from None


def write_output(path: Path, data, force: bool) -> None:
    """A report is a document a person keeps: never overwritten without --force."""
    from ..writing import WriteRefused, write_kept

    refuse_folder(path)
    try:
        write_kept(path, data, force)
    except WriteRefused as exc:
        raise UserError(exc.message, exc.hint, code=1) from None
    except OSError as exc:
        raise UserError(_("Cannot write {path}: {error}").format(path=path, error=os_reason(exc)), code=1) from None
    sys.stderr.write(_("wrote {path}").format(path=path) + "\n")


def refuse_folder(path: Path) -> None:
    """-o naming a folder: said before the report is written, not as «exists, add --force» (which cannot help)."""
    if path.is_dir():
        raise UserError(_("{path} is a folder; -o takes the name of the file to write.").format(path=path),
                        _("Name the file to write, e.g. one inside that folder."), code=1)


def _width() -> int:
    import os
    import shutil

    columns = os.environ.get("COLUMNS", "")
    if columns.isdigit():
        return int(columns)
    return shutil.get_terminal_size((100, 24)).columns if sys.stdout.isatty() else 100


def _export_command(app: typer.Typer) -> None:
    @app.command(
        "export",
        help=_("The whole archive as data for analysts and auditors: SQLite (tables protocols, agenda_items, "
               "decisions, decision_responsible, control_events, people), the same tables as XLSX sheets, or JSONL "
               "(one decision per line). The file is regenerated whole and replaced atomically.")
        + "\n\n" + _("Example: protokol export --format sqlite -o archive.sqlite")
        + "\n\n" + _("Example: protokol export --format jsonl -o decisions.jsonl --today 01.07.2024"),
    )
    def export(
        fmt: Annotated[str, typer.Option("--format", help=_("sqlite, xlsx or jsonl."), show_default=False)],
        output: Annotated[Path, typer.Option("-o", "--output", help=_("The file to write (replaced whole)."),
                                             show_default=False)],
        root: root_option() = None,
        today: today_option() = None,
        no_cache: no_cache_option() = False,
    ) -> None:
        run_export(fmt, output, root, today, no_cache)


def run_export(fmt, output, root, today, no_cache) -> None:
    from ..report import export

    day = parse_day(today)
    if fmt not in export.FORMATS:
        raise UserError(_("--format takes one of {choices}, not '{value}'.").format(choices=", ".join(export.FORMATS),
                                                                                  value=fmt))
    folder = archive_root(root)
    refuse_folder(output)
    archive, problems = _archive(folder, day, not no_cache)
    data = {"sqlite": export.to_sqlite, "xlsx": export.to_xlsx, "jsonl": export.to_jsonl}[fmt](archive)
    from ..writing import replace_artifact

    try:
        replace_artifact(output, data)
    except OSError as exc:
        raise UserError(_("Cannot write {path}: {error}").format(path=output, error=os_reason(exc)),
                        code=1) from None
    sys.stderr.write(_("wrote {path}").format(path=output) + "\n")
    if report_problems(problems):
        raise typer.Exit(1)


def _archive(folder: Path, day, use_cache: bool):
    """What the export is made of (report.export.Archive), and the problems that make it incomplete: all from the
    decision index, which keeps what the tables protocols and agenda_items list of each protocol (a warm export
    reads no protocol file)."""
    import os

    from ..config import load_config
    from ..report.export import Archive, PlainItems, protocol_rows
    from ..selection import Filter, stream

    root = os.path.abspath(folder)
    index = load_decisions(folder, use_cache)
    decisions = list(stream(index, Filter(all=True), day))  # plain items as ints: their rows need no evaluation
    files = [index.file(i) for i in range(len(index.pids))]
    protocols, agenda = protocol_rows(((f.meeting, f.about) for f in files), root)
    config = load_config(folder)
    archive = Archive(protocols, agenda, decisions, index.resolution.refs, config.directory, root,
                      {f.meeting.id: f.meeting.file for f in files}, PlainItems(index, day))
    return archive, [*_people_errors(config), *_index_problems(index)]


def register(app: typer.Typer) -> None:
    _export_command(app)
    group = typer.Typer(help=_("Reports for the head of the department.") + "\n\n"
                        + _("Example: protokol report discipline --from 01.01.2024 --to 31.03.2024"),
                        no_args_is_help=True)
    _discipline_command(group)
    app.add_typer(group, name="report")
