"""The `protokol` program: language first, then the commands, all behind one error boundary."""
# No `from __future__ import annotations` here: Typer reads these annotations at run time, local names included.


import sys
from typing import Annotated

import typer

from .. import __version__
from ..i18n import LANGUAGES, _, set_language
from .localize import ProtokolGroup, localize_typer

# Command groups, each a module in this package with a `register(app)`; later features add a line here.
COMMAND_MODULES = ["check", "archive", "browse", "render", "review", "due", "control", "importer", "remind", "report", "site"]


def _language_from_argv(argv: list[str]) -> str | None:
    """The --lang of the command line, before or after the command's name (the last one given; none after `--`).

    Read here, before Typer parses anything, because help texts are made in the language when the app is built.
    A value other than ru or en gives None here; the option itself then refuses it (a usage error)."""
    found = None
    for i, arg in enumerate(argv):
        if arg == "--":
            break
        if arg == "--lang" and i + 1 < len(argv):
            found = argv[i + 1]
        elif arg.startswith("--lang="):
            found = arg.split("=", 1)[1]
    return found if found in LANGUAGES else None


def _check_language(value: str | None) -> str | None:
    if value is not None and value not in LANGUAGES:
        raise typer.BadParameter(_("choose ru or en"), param_hint="--lang")
    return value


def _lang_option():
    """--lang, on the program and on every command: it only has to be accepted and checked there, as the language
    was chosen from the command line before the app was built (choose_language)."""
    return Annotated[str | None, typer.Option("--lang", help=_("Language of messages: ru or en (default: from the locale)."),
                                              show_default=False, callback=_check_language)]


def _archive_settings_text(argv: list[str]) -> str:
    """The text of the archive's protokol.yaml (docs/settings.md), "" when there is none.

    The language (and the way messages write dates) must be known before the command line is built, so its settings
    are read as plain lines (_setting_in) instead of loading the YAML reader on every command. `protokol check`
    validates the file as a whole."""
    from pathlib import Path

    from ..paths import SETTINGS_FILE, ArchiveNotFound, find_root, read_regular

    start = None
    for i, arg in enumerate(argv):
        if arg == "--root" and i + 1 < len(argv):
            start = argv[i + 1]
        elif arg.startswith("--root="):
            start = arg.split("=", 1)[1]
    try:
        root = find_root(Path(start) if start else None)
        return read_regular(root / SETTINGS_FILE, 1024 * 1024).decode("utf-8", errors="replace")  # a pipe never hangs
    except (ArchiveNotFound, OSError, ValueError):
        return ""


def _setting_in(text: str, name: str, values: tuple[str, ...]) -> str | None:
    """The setting `name` written as one plain line (`language: ru`, quoted or not, a comment allowed) when it is
    one of `values`, or None."""
    import re

    choice = "|".join(values)
    found = re.search(rf"""^{name}:[ \t]*(["']?)({choice})\1[ \t]*(?:#.*)?$""", text, re.MULTILINE)
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
        lang: _lang_option() = None,
    ) -> None:
        pass

    for name in COMMAND_MODULES:
        importlib.import_module(f"{__package__}.{name}").register(app)
    _prepare_commands(app)
    return app


def _prepare_commands(app: typer.Typer) -> None:
    """Every command (and group) accepts --lang after its name; every command's UserError prints as
    `error: … / hint: …` with its exit code (Typer would otherwise draw click exceptions in a box cut to the
    terminal width, losing the hint)."""
    for info in app.registered_commands:
        if info.callback is not None and not getattr(info.callback, "_protokol_guarded", False):
            info.callback = _taking_lang(_guarded(info.callback))
            info.callback._protokol_guarded = True
    for group in app.registered_groups:
        sub = group.typer_instance
        if sub is None:
            continue
        if sub.registered_callback is None:
            def lang_only(lang: _lang_option() = None) -> None:  # no docstring: it would replace the group's help
                pass

            sub.callback()(lang_only)
        _prepare_commands(sub)


def _guarded(callback):
    import functools

    from .common import UserError

    @functools.wraps(callback)
    def wrapper(*args, **kwargs):
        try:
            return callback(*args, **kwargs)
        except UserError as exc:
            exc.show()
            raise typer.Exit(exc.exit_code) from None
        except OSError as exc:
            if exc.errno not in _SYSTEM_ERRNOS:
                raise
            system_error(exc).show()
            raise typer.Exit(1) from None

    return wrapper


def _errnos() -> frozenset:
    import errno

    return frozenset(getattr(errno, name) for name in ("ENOSPC", "EDQUOT", "EIO", "EROFS", "EFBIG") if hasattr(errno, name))


# What the disk or the system says during a write (full, over quota, failing, read-only, file too big): the user's
# condition to fix, not a bug, wherever in a command it comes up.
_SYSTEM_ERRNOS = _errnos()


def system_error(exc: OSError):
    from .common import UserError, os_reason

    where = f" ({exc.filename})" if exc.filename else ""
    return UserError(_("The system refused to go on: {reason}{where}.").format(reason=os_reason(exc), where=where),
                     _("This comes from the disk, not from your files: free some space (or check the disk) and run the "
                       "command again. protokol writes through a temporary file, so a file is either as it was or "
                       "complete, never half written."), code=1)


def _undecodable(argv: list[str]):
    """A UserError for the first argument that is not UTF-8 text (a terminal in Windows-1251 or KOI8-R sends such
    bytes; Python keeps them as surrogates, which no file or message can hold), or None. An existing file's name is
    let through: on Linux a file name may be any bytes."""
    import os

    from .common import UserError

    for arg in argv:
        try:
            arg.encode("utf-8")
            continue
        except UnicodeEncodeError:
            if os.path.lexists(arg):
                continue
        raw = arg.encode("utf-8", "surrogateescape")
        guess = raw.decode("cp1251", errors="replace")
        shown = raw.decode("utf-8", errors="backslashreplace")
        return UserError(_("The argument '{arg}' is not UTF-8 text: the terminal sent it in another encoding "
                           "(in Windows-1251 it reads '{guess}').").format(arg=shown[:200], guess=guess[:200]),
                         _("Switch the terminal to UTF-8 (on Windows: chcp 65001; elsewhere a UTF-8 locale such as "
                           "ru_RU.UTF-8) and run the command again."))
    return None


def _taking_lang(callback):
    """The command with a --lang option added to what it declares (Typer reads the signature); the value is dropped
    on the way in, since the language was chosen before the app was built."""
    import functools
    import inspect

    signature = inspect.signature(callback)
    if "lang" in signature.parameters:
        return callback
    option = _lang_option()

    @functools.wraps(callback)
    def wrapper(*args, lang=None, **kwargs):
        return callback(*args, **kwargs)

    wrapper.__signature__ = signature.replace(parameters=[
        *signature.parameters.values(), inspect.Parameter("lang", inspect.Parameter.KEYWORD_ONLY, default=None,
                                                          annotation=option)])
    wrapper.__annotations__ = {**callback.__annotations__, "lang": option}
    return wrapper


def choose_language(argv: list[str]) -> str:
    """Set the language of messages and help, once, for this command line: its --lang, else the archive's
    `language:` setting, else the locale's; and how Russian messages write a date, by the archive's `date_style`."""
    from ..rudates import set_shown_style

    text = _archive_settings_text(argv)
    set_shown_style(_setting_in(text, "date_style", ("long", "numeric", "quoted")))
    return set_language(_language_from_argv(argv) or _setting_in(text, "language", LANGUAGES))


def _plain_strings(command) -> None:
    """Typer 0.29 coerces an option's value through a pydantic TypeAdapter, built when the option is first processed
    (even for a value not given): importing pydantic for it costs about 0.1 s, more than the rest of `protokol
    --help`. A text option's coercion, and a flag's, is the identity, and a path's is typer's coerce_cli_path: they
    are given those here, for every command, so that printing help, `due` and `check` never import pydantic
    (tests/test_startup.py checks help; a list of paths is coerced item by item)."""
    try:
        from pathlib import Path

        from typer._coercion import PassThroughRuntimeParam
        from typer._param_types import coerce_cli_path
    except ImportError:  # another Typer: it coerces as it likes
        return

    class PathParam(PassThroughRuntimeParam):
        """A path option coerced as typer's pydantic adapter does it, by typer's own function."""

        def _coerce_value(self, value, param, ctx):
            return coerce_cli_path(Path(value) if isinstance(value, str) else value, self.parameter_info,
                                   path_type=Path, param=param, ctx=ctx)  # (a str it makes a Path with pydantic)

    class PathsParam(PathParam):
        """A list of paths (`check FILE…`, `render FILE…`): each coerced as a path option is."""

        def _coerce_value(self, value, param, ctx):
            return [PathParam._coerce_value(self, item, param, ctx) for item in value]

    def plain(param):
        descriptor = getattr(param, "type_descriptor", None)
        if param is None or descriptor is None or getattr(param, "_runtime_param", True) is not None:
            return param
        info = descriptor.parameter_info
        simple = descriptor.annotation is str or (descriptor.annotation is bool and getattr(param, "is_flag", False))
        if getattr(info, "parser", None) is not None or getattr(info, "click_type", None) is not None:
            return param
        if simple:
            param._runtime_param = PassThroughRuntimeParam(annotation=descriptor.annotation, parameter_info=info)
        elif descriptor.file_annotation is not None or info.path_type is not None:
            return param
        elif descriptor.annotation is Path:
            param._runtime_param = PathParam(annotation=Path, parameter_info=info)
        elif descriptor.annotation == list[Path]:
            param._runtime_param = PathsParam(annotation=list[Path], parameter_info=info)
        return param

    def visit(command) -> None:
        for param in command.params:
            plain(param)
        made = command.get_help_option  # --help is made when a command runs
        command.get_help_option = lambda ctx: plain(made(ctx))
        for sub in getattr(command, "commands", {}).values():
            visit(sub)

    visit(command)


def app_for(argv: list[str]) -> typer.Typer:
    """The app for this command line: its language chosen, then its help texts built in it."""
    choose_language(argv)
    return build_app()


def run(argv: list[str] | None = None) -> None:
    """Entry point of the console script."""
    argv = sys.argv[1:] if argv is None else argv
    choose_language(argv)
    wrong = _undecodable(argv)
    if wrong is not None:
        wrong.show()
        sys.exit(wrong.exit_code)
    app = build_app()
    try:
        command = typer.main.get_command(app)
        _plain_strings(command)
        command(args=argv, prog_name="protokol")
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
