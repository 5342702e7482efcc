"""`protokol site` (the archive as a static website) and `protokol serve` (that site on 127.0.0.1, rebuilt when a
protocol changes). docs/site.md."""
# No `from __future__ import annotations`: Typer reads these annotations at run time.

import sys
from pathlib import Path
from typing import Annotated

import typer

from ..i18n import _, ngettext
from .common import UserError, archive_root, os_reason, parse_day, root_option, today_option

SITE_DIR = "build/site"


def _out_option():
    return Annotated[Path | None, typer.Option("--output", "-o", help=_("The site folder (default: build/site in the "
                                                                        "archive)."), show_default=False)]


def _documents_option():
    return Annotated[bool, typer.Option("--documents/--no-documents",
                                        help=_("Put each protocol's DOCX (and PDF where LibreOffice is installed) "
                                               "beside its page."))]


def _templates_option():
    return Annotated[Path | None, typer.Option("--templates", help=_("A folder of templates that overrides the "
                                                                     "archive's and the built-in ones."),
                                               show_default=False)]


def _site_command(app: typer.Typer) -> None:
    @app.command(
        "site",
        help=_("Build the archive as a static website: the protocols, the decisions due, each executor's list and "
               "calendar feed, the discipline report, search. Pages of removed protocols are removed; unchanged pages are not rewritten.")
        + "\n\n" + _("Example: protokol site -o public --base-url https://school.example/protocols"),
    )
    def site(
        output: _out_option() = None,
        base_url: Annotated[str | None, typer.Option("--base-url", help=_("The address the site is published at, "
                                                                          "for the absolute links calendar "
                                                                          "subscriptions need."),
                                                     show_default=False)] = None,
        documents: _documents_option() = True,
        templates: _templates_option() = None,
        root: root_option() = None,
        today: today_option() = None,
    ) -> None:
        folder, out = _folders(root, output)
        if not _build(folder, out, _options(today, base_url, documents, templates)):
            raise typer.Exit(1)


def _serve_command(app: typer.Typer) -> None:
    @app.command(
        "serve",
        help=_("Build the site, serve it on 127.0.0.1 and build it again whenever a protocol, the settings, the "
               "people or a template changes. Ctrl-C stops it.")
        + "\n\n" + _("Example: protokol serve --port 8000"),
    )
    def serve(
        port: Annotated[int, typer.Option("--port", help=_("The port to listen on (0: any free one)."))] = 8000,
        output: _out_option() = None,
        documents: _documents_option() = True,
        templates: _templates_option() = None,
        root: root_option() = None,
        today: today_option() = None,
    ) -> None:
        folder, out = _folders(root, output)
        if not 0 <= port <= 65535:
            raise UserError(_("--port takes a number from 0 to 65535, not {value}.").format(value=port))
        parse_day(today)  # a wrong --today is refused before anything is built
        run_serve(folder, out, port, lambda: _options(today, None, documents, templates))


def _folders(root: Path | None, output: Path | None) -> tuple[Path, Path]:
    """The archive, and the site folder (build/site in it unless -o says otherwise)."""
    folder = archive_root(root)
    return folder, output if output is not None else folder / SITE_DIR


def _options(today, base_url, documents, templates):
    from ..website.build import SiteOptions

    if base_url is not None and not base_url.startswith(("http://", "https://")):
        raise UserError(_("--base-url takes an address starting with http:// or https://, not '{value}'.").format(
            value=base_url))
    if templates is not None and not templates.is_dir():
        raise UserError(_("No such templates folder: {path}").format(path=templates))
    return SiteOptions(today=parse_day(today), base_url=base_url, documents=documents, templates=templates)


def _build(root: Path, out: Path, options) -> bool:
    """Build once and say what was written; problems of files left out go to stderr. False when a file had an
    error (it was left out: exit 1 after the build, as `due` does)."""
    from ..problems import ERROR
    from ..render.pdf import PdfError
    from ..website.build import build_site
    from ..writing import WriteRefused
    from .due import report_problems

    try:
        result = build_site(root, out, options)
    except (WriteRefused, PdfError) as exc:
        raise UserError(exc.message, exc.hint, code=1) from None
    except OSError as exc:
        raise UserError(_("Cannot write {path}: {error}").format(path=out, error=os_reason(exc)),
                        code=1) from None
    report_problems(result.problems)
    o = result.outcome
    sys.stderr.write(ngettext("{out}: {n} file written", "{out}: {n} files written", len(o.written)).format(
        out=out, n=len(o.written)) + ", " + _("{unchanged} unchanged, {removed} removed.").format(
        unchanged=o.unchanged, removed=len(o.removed)) + "\n")
    return not any(p.severity == ERROR for p in result.problems)


def run_serve(root: Path, out: Path, port: int, options) -> None:
    import signal
    import threading

    from ..website.serve import SiteServer, changes

    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_a: stop.set())
    batches = changes(root, out, stop)
    try:
        next(batches, None)  # the watcher runs from here on: a change made while the site is built is seen
        _build(root, out, options())
        try:
            server = SiteServer(out, port)
        except OSError as exc:
            raise UserError(_("Cannot listen on 127.0.0.1:{port}: {error}").format(port=port, error=os_reason(exc)),
                            code=1) from None
        server.start()
        sys.stdout.write(_("Serving {url} (Ctrl-C stops it).").format(url=server.url) + "\n")
        sys.stdout.flush()
        try:
            _rebuild_on_change(root, out, options, batches)
        finally:
            server.stop()
    except KeyboardInterrupt:
        pass
    finally:
        batches.close()
    sys.stdout.write(_("Stopped.") + "\n")


def _rebuild_on_change(root: Path, out: Path, options, batches) -> None:
    for changed in batches:
        if not changed:
            continue  # the watcher's pulse: nothing changed
        try:
            _build(root, out, options())
        except UserError as exc:  # a broken template, a folder made read-only: said, and served as it was
            sys.stderr.write(exc.format_message() + "\n")
        sys.stderr.flush()


def register(app: typer.Typer) -> None:
    _site_command(app)
    _serve_command(app)
