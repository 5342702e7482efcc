"""Typer's and click's own words (usage line, help panels, usage errors, type placeholders) in the user's language.

Typer 0.2x carries its own copy of click, whose words are plain English f-strings ("Usage:", "Missing option …",
"Show this message and exit.", the <str> placeholders), and typer.rich_utils reads its panel titles and "Try … for
help." through gettext once, when it is first imported. No .po file reaches those, so:
  - three places that make them ask _() each time they run (HelpFormatter.write_usage, Command.get_help and the
    parameters' display_type). In English _() gives back Typer's own words, so English output is unchanged;
  - the root command (ProtokolGroup) rewrites a usage error's message in the user's language on its way out.
The words Typer itself passes through the stdlib's gettext at run time ("No such command …", "Missing command.")
are routed to protokol's catalogue (`_route_gettext`), which has them in Russian, rather than changing the process's
global gettext domain or LANGUAGE. A Typer without these places (an older one, with click as a separate package) is
otherwise left alone: that click's gettext lookups are routed the same way, and locale/ru/cli.po has its words too.
tests/test_cli_i18n.py fails when a Typer release moves any of this.
"""

from typer.core import TyperGroup

from .. import i18n
from ..i18n import _, current_language, ngettext

_OPTIONS_METAVAR = "[OPTIONS]"
_COMMANDS_METAVAR = "COMMAND [ARGS]..."
_typer_localized = False


def localize_typer() -> None:
    """Make Typer's own words follow the message language (once per process; the words are looked up at each use)."""
    global _typer_localized
    if _typer_localized:
        return
    _typer_localized = True
    import functools

    _route_gettext()
    try:
        from typer._click.core import Command
        from typer._click.formatting import HelpFormatter
        from typer.core import _TyperParameter

        write_usage, get_help = HelpFormatter.write_usage, Command.get_help
        display_type = _TyperParameter.display_type
    except (ImportError, AttributeError):  # click outside Typer: it translates through gettext itself
        return

    @functools.wraps(write_usage)
    def localized_write_usage(self, prog, args="", prefix=None):
        return write_usage(self, prog, _usage_pieces(args), _("Usage:") + " " if prefix is None else prefix)

    @functools.wraps(get_help)
    def localized_get_help(self, ctx):
        _localize_rich_utils()
        for param in self.get_params(ctx):
            _localize_param_help(param)
        return get_help(self, ctx)

    @functools.wraps(display_type)
    def localized_display_type(self, ctx):
        label = display_type(self, ctx)
        # A choice shows its values (text|json), which are typed as they are: only type names are words to translate.
        return label if getattr(self.type_descriptor, "is_choice", False) else _type_label(label)

    HelpFormatter.write_usage = localized_write_usage
    Command.get_help = localized_get_help
    _TyperParameter.display_type = localized_display_type


def _route_gettext() -> None:
    """Point the stdlib gettext lookups of Typer's (and a separate click's) modules at protokol's catalogue.

    They import `gettext`/`ngettext` from the stdlib, which reads the global domain; our functions read the language
    set_language chose at each call, so a later switch is followed too."""
    import gettext
    import sys

    for name, module in list(sys.modules.items()):
        if name.partition(".")[0] not in ("typer", "click"):
            continue
        if getattr(module, "_", None) is gettext.gettext:
            module._ = i18n.gettext
        if getattr(module, "ngettext", None) is gettext.ngettext:
            module.ngettext = i18n.ngettext


def _usage_pieces(args: str) -> str:
    """The usage line's placeholders ([OPTIONS], COMMAND [ARGS]...) in the current language; names stay as they are."""
    if args == _OPTIONS_METAVAR or args.startswith(_OPTIONS_METAVAR + " "):
        args = _("[OPTIONS]") + args[len(_OPTIONS_METAVAR):]
    if args.endswith(_COMMANDS_METAVAR):
        args = args[:-len(_COMMANDS_METAVAR)] + _("COMMAND [ARGS]...")
    return args


def _type_label(label: str) -> str:
    """A type placeholder such as <str> or <list[Path]> in the current language."""
    import re

    if not (label.startswith("<") and label.endswith(">")):
        return label
    words = {
        "bool": _("<bool>"), "str": _("<str>"), "int": _("<int>"), "float": _("<float>"),
        "path": _("<path>"), "Path": _("<Path>"), "file": _("<file>"), "dir": _("<dir>"),
        "list": _("<list>"), "date": _("<date>"), "datetime": _("<datetime>"),
    }
    return re.sub(r"[A-Za-z_]\w*", lambda m: words[m.group()].strip("<>") if m.group() in words else m.group(), label)


def _localize_param_help(param) -> None:
    """The help of the options Typer adds by itself (--help, --install-completion, --show-completion)."""
    texts = {
        "Show this message and exit.": _("Show this message and exit."),
        "Install completion for the current shell.": _("Install completion for the current shell."),
        "Show completion for the current shell, to copy it or customize the installation.":
            _("Show completion for the current shell, to copy it or customize the installation."),
    }
    msgid = getattr(param, "_protokol_msgid", None) or getattr(param, "help", None)
    if msgid in texts:
        param._protokol_msgid = msgid
        param.help = texts[msgid]


def _localize_rich_utils() -> None:
    """typer.rich_utils took its words from gettext when it was imported: give it those of the current language."""
    import re

    from typer import rich_utils

    texts = {
        "ARGUMENTS_PANEL_TITLE": _("Arguments"),
        "OPTIONS_PANEL_TITLE": _("Options"),
        "COMMANDS_PANEL_TITLE": _("Commands"),
        "ERRORS_PANEL_TITLE": _("Error"),
        "DEFAULT_STRING": _("[default: {}]"),
        "ENVVAR_STRING": _("[env var: {}]"),
        "REQUIRED_LONG_STRING": _("[required]"),
        "DEPRECATED_STRING": _("(deprecated)") + " ",
        "ABORTED_TEXT": _("Aborted."),
        "RICH_HELP": _("Try [blue]'{command_path} {help_option}'[/] for help."),
    }
    for name, text in texts.items():
        if hasattr(rich_utils, name):
            setattr(rich_utils, name, text)
    highlighter = getattr(rich_utils, "highlighter", None)
    if highlighter is not None:  # colour the translated "Usage:" as Typer colours its own
        usage = _("Usage:") + " "
        own = list(type(highlighter).highlights)
        highlighter.highlights = own if usage == "Usage: " else [*own, rf"(?P<usage>{re.escape(usage)})"]


class ProtokolGroup(TyperGroup):
    """The root command: a usage error, of any command, leaves it in the user's language."""

    def make_context(self, info_name, args, parent=None, **extra):
        try:
            return super().make_context(info_name, args, parent=parent, **extra)
        except Exception as exc:
            _localize_error(exc)
            raise

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except Exception as exc:
            _localize_error(exc)
            raise


def _localize_error(exc: BaseException) -> None:
    """Translate a click error that Typer is about to print (its panel, and the message itself when not English)."""
    kinds = {c.__name__ for c in type(exc).__mro__}
    if "ClickException" in kinds or "Abort" in kinds:
        _localize_rich_utils()
    if "UsageError" not in kinds or "NoArgsIsHelpError" in kinds or current_language() == "en":
        return
    try:
        message = _usage_error_message(exc, kinds)
    except Exception:  # a click that keeps its facts elsewhere: the error is still shown, in English
        return
    if message is not None:
        exc.format_message = lambda: message


def _usage_error_message(exc, kinds: set[str]) -> str | None:
    """click's message for a usage error, rebuilt from the facts the exception keeps; None when it is not click's."""
    import re

    text = str(exc.message or "")
    if "MissingParameter" in kinds:
        name = _param_hint(exc)
        if name is None:
            return None
        kind = exc.param_type or getattr(exc.param, "param_type_name", None)
        message = {"option": _("Missing option {name}."), "argument": _("Missing argument {name}.")}.get(
            kind, _("Missing parameter {name}.")).format(name=name)
        details = [text] if text else []
        extra = exc.param.get_missing_message(ctx=exc.ctx) if hasattr(exc.param, "get_missing_message") else ""
        if extra:
            details.append(extra.replace("Choose from:", _("Choose from:")))
        return f"{message} {'. '.join(details)}" if details else message
    if "NoSuchOption" in kinds:
        prefix = "No such option: "
        message = _("No such option: {name}").format(name=text[len(prefix):]) if text.startswith(prefix) else text
        if exc.possibilities:
            message += " " + _("(Possible options: {options})").format(options=", ".join(sorted(exc.possibilities)))
        return message
    if "BadParameter" in kinds:
        name = _param_hint(exc)
        reason = _value_reason(exc)
        if name is None:
            return _("Invalid value: {message}").format(message=reason)
        return _("Invalid value for {name}: {message}").format(name=name, message=reason)
    if "BadOptionUsage" in kinds:
        name = repr(exc.option_name)
        if text == f"Option {name} requires an argument.":
            return _("Option {name} requires an argument.").format(name=name)
        if text == f"Option {name} does not take a value.":
            return _("Option {name} does not take a value.").format(name=name)
        match = re.fullmatch(rf"Option {re.escape(name)} requires (\d+) arguments\.", text)
        if match:
            n = int(match.group(1))
            return ngettext("Option {name} requires {n} argument.", "Option {name} requires {n} arguments.", n).format(
                name=name, n=n)
        return None
    match = re.fullmatch(r"Got unexpected extra argument\(s\) \((.*)\)", text, re.S)
    if match:
        extra = match.group(1)
        return ngettext("Got unexpected extra argument ({args})", "Got unexpected extra arguments ({args})",
                        len(extra.split())).format(args=extra)
    match = re.fullmatch(r"(.*)\. Did you mean (.*)\?", text, re.S)  # Typer's suggestion after "No such command"
    if match:
        return f"{match.group(1)}. " + _("Did you mean {names}?").format(names=match.group(2))
    return None


def _param_hint(exc) -> str | None:
    hint = exc.param_hint
    if hint is None and exc.param is not None:
        hint = exc.param.get_error_hint()
    if hint is not None and not isinstance(hint, str):
        hint = " / ".join(repr(x) for x in hint)
    return hint


def _value_reason(exc) -> str:
    """Why a value was refused: Typer's type checks (pydantic) in the current language, anything else as it is."""
    errors = getattr(exc.__cause__, "errors", None)
    first = errors()[0] if callable(errors) and errors() else {}
    reasons = {
        "int_parsing": _("a whole number is expected, not '{value}'"),
        "int_from_float": _("a whole number is expected, not '{value}'"),
        "float_parsing": _("a number is expected, not '{value}'"),
    }
    if isinstance(first, dict) and first.get("type") in reasons:
        return reasons[first["type"]].format(value=first.get("input"))
    return str(exc.message)
