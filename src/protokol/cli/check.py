"""`protokol check` and `protokol schema`."""


from pathlib import Path
from typing import Annotated

import typer

from ..i18n import _, ngettext
from .common import archive_root, err_console, parse_day, print_problems, root_option, summary, today_option


def _check_command(app: typer.Typer) -> None:
    @app.command(
        "check",
        help=_("Check protocol files: YAML, format and meaning. Prints each problem as file:line:col with a hint.")
        + "\n\n" + _("Example: protokol check protocols/2024"),
    )
    def check(
        paths: Annotated[list[Path] | None, typer.Argument(help=_("Files or folders (default: the archive's protocols/)."),
                                                            show_default=False)] = None,
        strict: Annotated[bool, typer.Option("--strict", help=_("Treat warnings as errors."))] = False,
        fmt: Annotated[str, typer.Option("--format", help=_("Output: text, json or github (workflow annotations)."))] = "text",
        root: root_option() = None,
        today: today_option() = None,
        no_cache: Annotated[bool, typer.Option("--no-cache", help=_("Read every file afresh, without the cache in .protokol-cache/."))] = False,
    ) -> None:
        from .common import UserError

        if fmt not in ("text", "json", "github"):
            raise UserError(_("--format takes text, json or github, not '{value}'.").format(value=fmt))
        from ..config import root_of
        from ..gate import judge
        from ..paths import PROTOCOLS_DIR

        day = parse_day(today)
        whole_archive = not paths  # then protokol.yaml and people.yaml are checked too
        folder = root if root is not None else (root_of(paths[0]) if paths else archive_root(root))
        for path in paths or [archive_root(root) / PROTOCOLS_DIR]:
            if not path.exists():
                raise UserError(_("No such file or folder: {path}").format(path=path))
        # the files named are judged within their archive: references to other protocols, ids, settings, people
        verdict = judge(folder, day, None if whole_archive else paths, use_cache=not no_cache)
        problems = list(verdict.problems)
        print_problems(problems, fmt, strict)
        checked = verdict.checked
        errors, warnings = summary(problems, checked, strict)
        if fmt == "text":
            console = err_console()
            files = ngettext("{n} file", "{n} files", checked).format(n=checked)
            if not problems:
                console.print(_("{files} checked: no problems.").format(files=files))
            else:
                console.print(_("{files} checked: {errors}, {warnings}.").format(
                    files=files, errors=ngettext("{n} error", "{n} errors", errors).format(n=errors),
                    warnings=ngettext("{n} warning", "{n} warnings", warnings).format(n=warnings)))
            _remind_gitignore(folder if whole_archive else None)
        if errors:
            raise typer.Exit(1)


def _remind_gitignore(root: Path | None) -> None:
    """An archive made before `protokol remind` kept its sent-log: a note (not a problem: nothing in the protocols
    is wrong) that its .gitignore should ignore the state folder."""
    from ..initialize import gitignore_lacks_state
    from ..paths import STATE_DIR

    if root is not None and gitignore_lacks_state(root):
        err_console().print(_("note: .gitignore does not list {folder}, where `protokol remind` keeps its log of what "
                              "was sent; add the line `{folder}/` so that the log is never committed.").format(folder=STATE_DIR))


def _schema_command(app: typer.Typer) -> None:
    @app.command("schema", help=_("Print the JSON Schema of the protocol format (for editors and outside tools).")
                 + "\n\n" + _("Example: protokol schema > schema/protokol.schema.json"))
    def schema() -> None:
        from ..initialize import schema_text

        typer.echo(schema_text(), nl=False)


def register(app: typer.Typer) -> None:
    _check_command(app)
    _schema_command(app)
