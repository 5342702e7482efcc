"""The `protokol` program: language first, then the commands, all behind one error boundary."""
# No `from __future__ import annotations` here: Typer reads these annotations at run time, local names included.


import sys
from typing import Annotated

import typer

from .. import __version__
from ..i18n import LANGUAGES, _, set_language
from .localize import ProtokolGroup, localize_typer

# Command groups, each a module in this package with a `register(app)`; later features add a line here.
COMMAND_MODULES = ["check", "archive", "render", "review", "due", "control", "importer"]


def _language_from_argv(argv: list[str]) -> str | None:
    for i, arg in enumerate(argv):
        if arg == "--lang" and i + 1 < len(argv):
            return argv[i + 1] if argv[i + 1] in LANGUAGES else None
        if arg.startswith("--lang="):
            value = arg.split("=", 1)[1]
            return value if value in LANGUAGES else None
    return None


def _language_from_archive(argv: list[str]) -> str | None:
    """The `language:` setting of the archive's protokol.yaml (docs/settings.md), or None.

    The language must be known before the command line is built, so the setting is read as one plain line
    (`language: ru`, quoted or not, a comment allowed) instead of loading the YAML reader on every command.
    `protokol check` validates the file as a whole."""
    import re
    from pathlib import Path

    from ..paths import SETTINGS_FILE, ArchiveNotFound, find_root

    start = None
    for i, arg in enumerate(argv):
        if arg == "--root" and i + 1 < len(argv):
            start = argv[i + 1]
        elif arg.startswith("--root="):
            start = arg.split("=", 1)[1]
    try:
        root = find_root(Path(start) if start else None)
        with open(root / SETTINGS_FILE, "rb") as fh:
            text = fh.read(256 * 1024).decode("utf-8", errors="replace")
    except (ArchiveNotFound, OSError, ValueError):
        return None
    found = re.search(r"""^language:[ \t]*(["']?)(ru|en)\1[ \t]*(?:#.*)?$""", text, re.MULTILINE)
    return found.group(2) if found else None


def build_app() -> typer.Typer:
    """The Typer app, with help texts in the current language (call set_language first)."""
    import importlib

    localize_typer()
    app = typer.Typer(
        name="protokol",
        cls=ProtokolGroup,
        help=_("protokol keeps meeting minutes (протоколы совещаний) as YAML files in git: "
               "check them, follow decisions and deadlines, render documents for signature."),
        no_args_is_help=True,
        add_completion=True,
        pretty_exceptions_enable=False,
        context_settings={"help_option_names": ["-h", "--help"]},
    )

    def version_callback(value: bool) -> None:
        if value:
            typer.echo(f"protokol {__version__}")
            raise typer.Exit()

    @app.callback()
    def main(
        version: Annotated[bool, typer.Option("--version", callback=version_callback, is_eager=True,
                                              help=_("Show the version and exit."))] = False,
        lang: Annotated[str | None, typer.Option("--lang", help=_("Language of messages: ru or en (default: from the locale)."),
                                                  show_default=False)] = None,
    ) -> None:
        if lang is not None and lang not in LANGUAGES:
            raise typer.BadParameter(_("choose ru or en"), param_hint="--lang")

    for name in COMMAND_MODULES:
        importlib.import_module(f"{__package__}.{name}").register(app)
    _guard_commands(app)
    return app


def _guard_commands(app: typer.Typer) -> None:
    """Wrap every command so that a UserError prints as `error: … / hint: …` with its exit code.

    Typer would otherwise draw click exceptions in a box cut to the terminal width, losing the hint.
    """
    import functools

    from .common import UserError

    def guarded(callback):
        @functools.wraps(callback)
        def wrapper(*args, **kwargs):
            try:
                return callback(*args, **kwargs)
            except UserError as exc:
                exc.show()
                raise typer.Exit(exc.exit_code) from None

        return wrapper

    for info in app.registered_commands:
        if info.callback is not None and not getattr(info.callback, "_protokol_guarded", False):
            info.callback = guarded(info.callback)
            info.callback._protokol_guarded = True
    for group in app.registered_groups:
        if group.typer_instance is not None:
            _guard_commands(group.typer_instance)


def run(argv: list[str] | None = None) -> None:
    """Entry point of the console script."""
    argv = sys.argv[1:] if argv is None else argv
    set_language(_language_from_argv(argv) or _language_from_archive(argv))  # --lang, the archive's, the locale's
    app = build_app()
    try:
        app(args=argv, prog_name="protokol")
    except KeyboardInterrupt:
        sys.exit(130)
    except Exception as exc:  # the last boundary: a bug must not greet the user with a traceback
        import os
        import traceback

        if os.environ.get("PROTOKOL_DEBUG"):
            raise
        import tempfile

        fd, log = tempfile.mkstemp(prefix="protokol-crash-", suffix=".txt")  # private to the user, never shared
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            traceback.print_exc(file=fh)
        sys.stderr.write(_("protokol: internal error: {error}\nThis is a bug in protokol, not in your files. "
                           "The details are in {log}; please report them (PROTOKOL_DEBUG=1 shows them here).\n").format(
            error=f"{type(exc).__name__}: {exc}", log=log))
        sys.exit(70)
