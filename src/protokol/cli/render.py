"""`protokol render` (protocols and extracts to DOCX and Markdown) and `protokol templates` (where templates come from)."""
# No `from __future__ import annotations`: Typer reads these annotations at run time.

import contextlib
import os
import sys
from pathlib import Path
from typing import Annotated

import typer

from ..i18n import _, ngettext
from .common import UserError, ambiguous_id, os_reason, root_option

FORMATS = ("docx", "md", "pdf")
FORMS = ("full", "short")
BUILD_DIR = "build"


def _render_command(app: typer.Typer) -> None:
    @app.command(
        "render",
        help=_("Render protocols and extracts to DOCX (for signature) or Markdown, through templates.")
        + "\n\n" + _("TARGETS are protocol ids (file names without .yaml), files or folders. Output goes to the "
                     "archive's build/ folder unless -o says otherwise; an existing file is never overwritten without "
                     "--force.")
        + "\n\n" + _("Example: protokol render 2024-01-09-1 --extract --items 2 --certify-by \"Морозова О.Д., "
                     "заведующий отделом\""),
    )
    def render(
        targets: Annotated[list[str] | None, typer.Argument(help=_("Protocol ids, files or folders."),
                                                            show_default=False)] = None,
        all_: Annotated[bool, typer.Option("--all", help=_("Render every protocol of the archive (see --year)."))] = False,
        year: Annotated[int | None, typer.Option("--year", help=_("With --all: only the protocols of this year."),
                                                 show_default=False)] = None,
        fmt: Annotated[str | None, typer.Option("--format", "-f", help=_("docx, md or pdf (default: from the -o file "
                                                                         "name, else docx)."), show_default=False)] = None,
        pdfa: Annotated[bool, typer.Option("--pdfa", help=_("PDF/A-2b for the archive (implies --format pdf)."))] = False,
        form: Annotated[str, typer.Option("--form", help=_("full, or short: questions, speakers and decisions only."))] = "full",
        extract: Annotated[bool, typer.Option("--extract", help=_("Render an extract (ВЫПИСКА ИЗ ПРОТОКОЛА)."))] = False,
        items: Annotated[str | None, typer.Option("--items", help=_("Agenda items of the extract, by their numbers: 2,5 "
                                                                     "(implies --extract)."), show_default=False)] = None,
        certify_by: Annotated[str | None, typer.Option("--certify-by", help=_("Who certifies the extract: "
                                                                               "\"Фамилия И.О., должность\"."),
                                                       show_default=False)] = None,
        certify_date: Annotated[str | None, typer.Option("--certify-date", help=_("Date of the certification, e.g. 01.07.2024."),
                                                         show_default=False)] = None,
        templates: Annotated[Path | None, typer.Option("--templates", help=_("A folder of templates that overrides the "
                                                                             "archive's and the built-in ones."),
                                                       show_default=False)] = None,
        output: Annotated[str | None, typer.Option("--output", "-o", help=_("Output file (one protocol; - writes Markdown "
                                                                            "to standard output) or folder."),
                                                   show_default=False)] = None,
        force: Annotated[bool, typer.Option("--force", help=_("Overwrite existing output files."))] = False,
        root: root_option() = None,
    ) -> None:
        run_render(targets or [], all_, year, fmt, form, extract, items, certify_by, certify_date, templates, output,
                   force, root, pdfa)


def _templates_command(app: typer.Typer) -> None:
    @app.command(
        "templates",
        help=_("List the templates render uses and the file each one resolves to (--templates DIR, then the archive's "
               "templates/, then the built-in ones).")
        + "\n\n" + _("Example: protokol templates --copy protocol.docx"),
    )
    def templates_command(
        templates: Annotated[Path | None, typer.Option("--templates", help=_("A folder of templates searched first."),
                                                       show_default=False)] = None,
        copy: Annotated[str | None, typer.Option("--copy", help=_("Copy this built-in template into the archive's "
                                                                  "templates/ (or --templates DIR) to edit it."),
                                                 show_default=False)] = None,
        force: Annotated[bool, typer.Option("--force", help=_("With --copy: overwrite an existing file."))] = False,
        root: root_option() = None,
    ) -> None:
        run_templates(templates, copy, force, root)


# ---------------------------------------------------------------- render


def _parse_items(text: str) -> tuple[str, ...]:
    keys = tuple(k.strip().rstrip(".") for k in text.replace(";", ",").split(",") if k.strip().rstrip("."))
    if not keys:
        raise UserError(_("--items takes agenda item numbers separated by commas, such as 2,5."))
    return keys


def _find_root(root: Path | None, required: bool) -> Path | None:
    from ..paths import ArchiveNotFound, find_root
    from .common import archive_root

    if required or root is not None:
        return archive_root(root)
    try:
        return find_root()
    except ArchiveNotFound:
        return None


def _protocol_files(targets: list[str], all_: bool, root: Path | None) -> list[Path]:
    import difflib

    from ..paths import PROTOCOLS_DIR, protocol_files, protocol_id

    if all_:
        folder = root / PROTOCOLS_DIR
        if not folder.is_dir():
            raise UserError(_("No protocols/ folder in the archive {path}.").format(path=root))
        return protocol_files([folder])
    files: list[Path] = []
    for target in targets:
        path = Path(target)
        if path.exists():
            files.extend(protocol_files([path]))
            continue
        if root is None or not (root / PROTOCOLS_DIR).is_dir():
            raise UserError(_("No such file or folder: {path}").format(path=target),
                            _("Pass a protocol file, or a protocol id inside an archive (a folder with protocols/)."))
        listed = protocol_files([root / PROTOCOLS_DIR])
        known = {protocol_id(p): p for p in listed}
        same = [p for p in listed if protocol_id(p) == target]
        if len(same) > 1:
            raise ambiguous_id(target, [_shown(p) for p in same])
        if target in known:
            files.append(known[target])
            continue
        close = difflib.get_close_matches(target, list(known), n=3)
        hint = (_("Did you mean: {ids}?").format(ids=", ".join(close)) if close
                else _("A protocol id is its file name without .yaml, such as 2024-01-09-1."))
        raise UserError(_("No protocol '{id}' in {path}.").format(id=target, path=root / PROTOCOLS_DIR), hint)
    return files


def _output_name(protocol_id: str, form: str, extract: bool, items: tuple[str, ...] | None, fmt: str) -> str:
    name = protocol_id
    if extract:
        name += "-extract" + ("-" + "-".join(items) if items else "")
    if form == "short":
        name += "-short"
    return f"{name}.{fmt}"


def _write(path: Path, data: bytes, force: bool) -> None:
    """A rendered document or a copied template is a file a person keeps: never overwritten without --force."""
    from ..writing import WriteRefused, write_kept

    try:
        write_kept(path, data, force)
    except WriteRefused as exc:
        raise UserError(exc.message, exc.hint, code=1) from None
    except OSError as exc:
        raise UserError(_("Cannot write {path}: {error}").format(path=_shown(path), error=os_reason(exc)),
                        code=1) from None


def _shown(path: Path) -> str:
    """A path as the user would type it: relative below the current folder, absolute elsewhere."""
    relative = os.path.relpath(path)
    return str(path.resolve()) if relative.startswith("..") else relative


def _print_problems(problems) -> None:
    """Problems go to standard error: standard output may be carrying the Markdown itself (-o -)."""
    from .common import print_problems

    if problems:
        with contextlib.redirect_stdout(sys.stderr):
            print_problems(problems, "text")


def run_render(targets, all_, year, fmt, form, extract, items, certify_by, certify_date, templates, output, force,
               root, pdfa=False) -> None:
    from ..people import load_people
    from ..render import RenderOptions, build_view

    if pdfa and fmt is None:
        fmt = "pdf"
    fmt, keys, extract, certifier, certified_on = _options(targets, all_, year, fmt, form, extract, items, certify_by,
                                                           certify_date, templates, output)
    if pdfa and fmt != "pdf":
        raise UserError(_("--pdfa makes a PDF; it does not go with --format {value}.").format(value=fmt))
    soffice = _soffice() if fmt == "pdf" else None
    settings_root, settings, protocols, failed, problems, named = _protocols(targets, all_, year, keys, root)
    to_stdout = output == "-"
    if to_stdout and len(protocols) + failed > 1:
        raise UserError(_("-o - writes one protocol to standard output; name one protocol."))
    targets_out = [] if to_stdout else _outputs(protocols, output, all_, named, settings_root,
                                                (form, extract, keys, fmt), force)
    renderer = _renderer("docx" if fmt == "pdf" else fmt, settings_root, templates)
    options = RenderOptions(form=form, extract=extract, items=keys, certify_by=certifier, certify_date=certified_on)
    directory, found = load_people(settings_root)  # genders the protocols leave out («Кравец Н.А.»)
    problems.extend(found)
    documents = []
    for protocol in protocols:
        view, found = build_view(protocol, settings, options, directory.genders(), directory)
        problems.extend(found)
        data = renderer(view)
        if to_stdout:
            sys.stdout.write(data.decode("utf-8"))
            sys.stdout.flush()
            continue
        documents.append(data)
    if soffice is not None:
        documents = _pdfs(documents, pdfa, soffice)
    written = []
    for target, data in zip(targets_out, documents, strict=True):
        _write(target, data, force)
        written.append(target)

    _print_problems(problems)
    # plain writes: rich would cost a noticeable share of a one-document run's start-up
    for path in written:
        sys.stderr.write(_("wrote {path}").format(path=_shown(path)) + "\n")
    if failed:
        sys.stderr.write(ngettext("{n} protocol has errors and was not rendered; run `protokol check` to see them all.",
                               "{n} protocols have errors and were not rendered; run `protokol check` to see them all.",
                               failed).format(n=failed) + "\n")
        raise typer.Exit(1)


def _options(targets, all_, year, fmt, form, extract, items, certify_by, certify_date, templates, output) -> tuple:
    """The options checked: (format, agenda keys or None, extract, certifier, certification day); a wrong one is a
    usage error."""
    from ..render import parse_certify_by
    from .common import parse_day

    if output == "-" and fmt is None:
        fmt = "md"
    if output is not None and fmt is None:
        suffix = Path(output).suffix.lower()
        fmt = {".md": "md", ".markdown": "md", ".docx": "docx", ".pdf": "pdf"}.get(suffix)
    fmt = fmt or "docx"
    if fmt not in FORMATS:
        raise UserError(_("--format takes docx, md or pdf, not '{value}'.").format(value=fmt))
    if form not in FORMS:
        raise UserError(_("--form takes full or short, not '{value}'.").format(value=form))
    if all_ and targets:
        raise UserError(_("Give protocol ids or files, or --all, not both."))
    if not all_ and not targets:
        raise UserError(_("Name a protocol to render (its id or file), or pass --all."),
                        _("Example: protokol render 2024-01-09-1"))
    if year is not None and not all_:
        raise UserError(_("--year works with --all."))
    keys = _parse_items(items) if items is not None else None
    certifier = None
    if certify_by is not None:
        certifier = parse_certify_by(certify_by)
        if not certifier.name:
            raise UserError(_("--certify-by takes \"Фамилия И.О., должность\", not '{value}'.").format(value=certify_by))
    certified_on = parse_day(certify_date, "--certify-date") if certify_date is not None else None
    if templates is not None and not templates.is_dir():
        raise UserError(_("No such templates folder: {path}").format(path=templates))
    if output == "-" and fmt != "md":
        raise UserError(_("-o - writes to standard output, which only Markdown can go to; add --format md."))
    return fmt, keys, extract or keys is not None, certifier, certified_on


def _soffice() -> str:
    """LibreOffice, looked for before anything is rendered: without it no PDF can be made (exit 1)."""
    from ..render.pdf import PdfError, require_soffice

    try:
        return require_soffice()
    except PdfError as exc:
        raise UserError(exc.message, exc.hint, code=1) from None


def _pdfs(documents: list[bytes], pdfa: bool, soffice: str) -> list[bytes]:
    """Every rendered DOCX of the run as PDF, converted by one LibreOffice call."""
    from ..render.pdf import PdfError, to_pdf

    try:
        return to_pdf(documents, pdfa, soffice)
    except PdfError as exc:
        raise UserError(exc.message, exc.hint, code=1) from None


def _protocols(targets, all_, year, keys, root) -> tuple:
    """(the archive folder or None, its settings, the protocols to render, how many could not be read, problems, how
    many files were named or found)."""
    from ..load import load_protocol
    from ..problems import ERROR
    from ..render import agenda_keys
    from ..settings import load_settings

    by_id = all_ or any(not Path(t).exists() for t in targets)
    root_path = _find_root(root, required=by_id) if (by_id or root is not None) else None
    files = _protocol_files(targets, all_, root_path)
    if not files:
        raise UserError(_("No protocol files found."))
    settings_root = root_path
    if settings_root is None:  # files named directly: the archive they live in gives the settings and build/
        from ..paths import ArchiveNotFound, find_root

        with contextlib.suppress(ArchiveNotFound):
            settings_root = find_root(files[0].resolve().parent)
    settings, problems = load_settings(settings_root)
    if any(p.severity == ERROR for p in problems):
        _print_problems(problems)
        raise typer.Exit(1)
    protocols, failed = [], 0
    for path in files:
        protocol, found = load_protocol(path)
        problems.extend(found)
        if protocol is None or any(p.severity == ERROR for p in found):
            failed += 1
        elif year is None or protocol.date.year == year:
            protocols.append(protocol)
    if not protocols and not failed:
        raise UserError(_("No protocol of {year} in the archive.").format(year=year) if year is not None
                        else _("No protocol files found."))
    if keys is not None and len(protocols) + failed > 1:
        raise UserError(_("--items chooses agenda items of one protocol; name one protocol."))
    if keys is not None and protocols:
        available = agenda_keys(protocols[0])
        missing = [k for k in keys if k not in available]
        if missing:
            raise UserError(_("Protocol {id} has no agenda item {items}.").format(id=protocols[0].id, items=", ".join(missing)),
                            _("Its agenda items are: {items}.").format(items=", ".join(available) or "—"))
    return settings_root, settings, protocols, failed, problems, len(files)


def _outputs(protocols, output, all_, named: int, settings_root, naming: tuple, force: bool) -> list[Path]:
    """The file each protocol is written to; existing ones refused without --force (exit 1)."""
    form, extract, keys, fmt = naming
    if output is not None and not all_ and named == 1 and not output.endswith(("/", os.sep)) and not Path(output).is_dir():
        target = Path(output)
        if not target.suffix:  # `-o выписка`: a document Word opens by its name, as its «Save as» would name it
            target = target.with_name(f"{target.name}.{fmt}")
        targets_out = [target] if protocols else []
    else:
        folder = Path(output) if output is not None else (settings_root or Path.cwd()) / BUILD_DIR
        targets_out = [folder / _output_name(p.id, form, extract, keys, fmt) for p in protocols]
    existing = [t for t in targets_out if t.exists()]
    if existing and not force:
        shown = ", ".join(_shown(t) for t in existing[:5]) + (" …" if len(existing) > 5 else "")
        raise UserError(ngettext("{files} exists; it is not overwritten.", "{files} exist; they are not overwritten.",
                                 len(existing)).format(files=shown),
                        _("Pass --force to overwrite, or choose another place with -o."), code=1)
    if len(set(targets_out)) != len(targets_out):
        raise UserError(_("Two protocols would be written to the same file; give -o a folder."))
    return targets_out


def _renderer(fmt: str, root: Path | None, templates: Path | None):
    """A function view -> bytes; the template is loaded once for every protocol of the run."""
    from ..render.templates import TEMPLATES, search_path

    search = search_path(root, templates)
    if fmt == "md":
        from jinja2 import TemplateError, TemplateNotFound, TemplateSyntaxError

        from ..render.markdown import MarkdownRenderer

        try:
            md = MarkdownRenderer(search)
        except TemplateSyntaxError as exc:
            raise UserError(_("Template {file}:{line}: {error}").format(file=exc.filename or exc.name, line=exc.lineno,
                                                                         error=exc.message), code=1) from None
        except TemplateNotFound as exc:
            raise UserError(_("Template not found: {name}").format(name=exc.name), code=1) from None

        def render_md(view: dict) -> bytes:
            try:
                return md.render(view).encode("utf-8")
            except TemplateError as exc:
                raise UserError(_("Template {file}: {error}").format(file=TEMPLATES["md"], error=exc), code=1) from None

        return render_md

    from ..render.docx import DocxRenderer, DocxTemplateError

    try:
        docx = DocxRenderer(search)
    except DocxTemplateError as exc:
        raise UserError(_("DOCX template: {error}").format(error=exc), code=1) from None

    def render_docx(view: dict) -> bytes:
        try:
            return docx.render(view)
        except DocxTemplateError as exc:
            raise UserError(_("DOCX template: {error}").format(error=exc), code=1) from None

    return render_docx


# ---------------------------------------------------------------- templates


def run_templates(templates: Path | None, copy: str | None, force: bool, root: Path | None) -> None:
    from ..render.templates import ARCHIVE, ARCHIVE_TEMPLATES, BUILTIN, BUILTIN_DIR, OPTION, listing, search_path

    if templates is not None and not templates.is_dir() and copy is None:
        raise UserError(_("No such templates folder: {path}").format(path=templates))
    root_path = _find_root(root, required=copy is not None and templates is None)
    if copy is not None:
        source = BUILTIN_DIR / copy
        if not source.is_file() or copy.startswith((".", "_")):
            names = sorted(p.name for p in BUILTIN_DIR.iterdir() if p.is_file() and not p.name.startswith((".", "_")))
            raise UserError(_("No built-in template '{name}'.").format(name=copy),
                            _("The built-in templates are: {names}.").format(names=", ".join(names)))
        target = (templates if templates is not None else root_path / ARCHIVE_TEMPLATES) / copy
        if target.exists() and not force:
            raise UserError(_("{path} exists; it is not overwritten.").format(path=_shown(target)),
                            _("Pass --force to overwrite it."), code=1)
        _write(target, source.read_bytes(), force)
        sys.stderr.write(_("wrote {path}").format(path=_shown(target)) + "\n")
        return

    origins = {BUILTIN: _("built-in"), ARCHIVE: _("archive"), OPTION: "--templates"}
    rows = []
    for found in listing(search_path(root_path, templates)):
        note = ""
        if found.shadowed:
            note = _("overrides {origins}").format(origins=", ".join(origins[o] for o, _p in found.shadowed))
        shown = str(found.path) if found.origin == BUILTIN else _shown(found.path)
        rows.append((found.name, origins[found.origin], shown, note))
    width_name = max(len(r[0]) for r in rows)
    width_origin = max(len(r[1]) for r in rows)
    for name, origin, path, note in rows:
        line = f"{name:<{width_name}}  {origin:<{width_origin}}  {path}"
        typer.echo(f"{line}  ({note})" if note else line)


def register(app: typer.Typer) -> None:
    _render_command(app)
    _templates_command(app)
