"""Every command follows one rule for its exit code (README «Exit codes», cli/common.py UserError):
0 done; 1 the files say no (problems in them, an action on them refused: a file in the way, a protocol whose state
forbids it, a day that contradicts the file; broken files left out of a listing that is still printed); 2 the call
is wrong (a bad or missing option or argument, a name that names nothing, no repository where one is needed).

One table, one row per refusal or failure, each run in a fresh copy of a small archive under git."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import DATA, files, git, git_isolation, init_archive, run_cli

TODAY = "2024-06-01"
PROTOCOL = """\
date: 2024-05-14
number: "3"
title: совещания руководителей образовательных организаций
participants:
  chair: Никитина О.В.
  secretary: Фролова Т.С.
  present:
    - Белова И.Г.
agenda:
  - number: 1
    title: О подготовке к летней оздоровительной кампании
    decided:
      - number: "1.1"
        text: Представить списки детей для зачисления в лагеря.
        deadline: до 20 мая
        responsible: руководители ОО
      - number: "1.2"
        text: Обеспечить открытие лагерей.
        deadline: 03.06.2024
        responsible: Белова И.Г.
"""
DRAFT = PROTOCOL.replace('date: 2024-05-14\nnumber: "3"', 'status: draft\ndate: 2024-05-21\nnumber: "4"')
MAIN = "protocols/2024/2024-05-14-3.yaml"


def cli(*args: str):
    return run_cli(*args, env={"COLUMNS": "200", "NO_COLOR": "1"})


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> Path:
    """An archive made by `protokol init` under git, with one final protocol and one draft, committed."""
    root = tmp_path_factory.mktemp("template") / "archive"
    with pytest.MonkeyPatch.context() as mp:
        for key, value in git_isolation(root).items():
            mp.setenv(key, value)
        init_archive(root, "--organization", "Отдел образования", "--chair", "Никитина О.В.", "--secretary", "Фролова Т.С.")
    (root / MAIN).parent.mkdir(parents=True)
    (root / MAIN).write_text(PROTOCOL, encoding="utf-8")
    (root / "protocols/2024/2024-05-21-4.yaml").write_text(DRAFT, encoding="utf-8")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "Протокол № 3")
    return root


@pytest.fixture
def archive(template: Path, tmp_path: Path, monkeypatch) -> Path:
    root = tmp_path / "archive"
    shutil.copytree(template, root, symlinks=True)
    for key, value in git_isolation(root).items():
        monkeypatch.setenv(key, value)
    monkeypatch.chdir(root)
    return root


# --- what a row may need done first ----------------------------------------------------------------------------------

def broken(root: Path) -> None:
    """A protocol file that cannot be read: 30 February."""
    (root / "protocols/2024/broken.yaml").write_text("date: 2024-02-30\n", encoding="utf-8")


def main_broken(root: Path) -> None:
    """The committed protocol changed into one that cannot be read: 32 May."""
    path = root / MAIN
    path.write_text(path.read_text(encoding="utf-8").replace("date: 2024-05-14", "date: 2024-05-32"), encoding="utf-8")


def staged_broken(root: Path) -> None:
    broken(root)
    git(root, "add", "protocols/2024/broken.yaml")


TWICE = "protocols/2023/2024-05-14-3.yaml, protocols/2024/2024-05-14-3.yaml"  # both paths named


def same_id_twice(root: Path) -> None:
    (root / "protocols/2023").mkdir()
    (root / "protocols/2023/2024-05-14-3.yaml").write_text(PROTOCOL, encoding="utf-8")


def signed(root: Path) -> None:
    assert cli("sign", "2024-05-14-3", "--by", "Никитина О.В.", "--date", "2024-05-15").exit_code == 0


def signed_then_changed(root: Path) -> None:
    signed(root)
    path = root / MAIN
    path.write_text(path.read_text(encoding="utf-8").replace("до 20 мая", "до 27 мая"), encoding="utf-8")


def done_1_2(root: Path) -> None:
    assert cli("done", "2024-05-14-3/1.2", "--date", "2024-05-30", "--today", TODAY).exit_code == 0


def rendered(root: Path) -> None:
    assert cli("render", "2024-05-14-3", "-f", "md").exit_code == 0


def template_copied(root: Path) -> None:
    assert cli("templates", "--copy", "protocol.md.j2").exit_code == 0


def imported(root: Path) -> None:
    assert cli("import", str(DATA / "import" / "online.md")).exit_code == 0


def foreign_hook(root: Path) -> None:
    hook = root / ".git" / "hooks" / "pre-commit"
    hook.parent.mkdir(parents=True, exist_ok=True)
    hook.write_text("#!/bin/sh\necho mine\n", encoding="utf-8")


def report_written(root: Path) -> None:
    assert cli("report", "discipline", *PERIOD, "--format", "md", "-o", "report.md").exit_code == 0


def templates_is_a_file(root: Path) -> None:
    (root / "other").mkdir()
    (root / "other" / "templates").write_text("not a folder\n", encoding="utf-8")


# --- the table -------------------------------------------------------------------------------------------------------

Row = tuple[str, Callable[[Path], None] | None, list[str], int, str]
ONLINE = str(DATA / "import" / "online.md")
SIGN = ["sign", "2024-05-14-3", "--by", "Никитина О.В."]
PERIOD = ["--from", "01.05.2024", "--to", "30.06.2024", "--today", TODAY]

ROWS: list[Row] = [
    # (what, prepared by, command line, exit code, a text of the output)
    ("check: clean", None, ["check", "--today", TODAY], 0, "no problems"),
    ("check: a broken file", broken, ["check", "--today", TODAY], 1, "error[schema-date]"),
    ("check: a bad --format", None, ["check", "--format", "xml"], 2, "--format takes"),
    ("check: no such file", None, ["check", "nope.yaml"], 2, "No such file or folder"),
    ("check: a Russian --today", None, ["check", "--today", "01.06.2024"], 0, "no problems"),
    ("check: a bad --today", None, ["check", "--today", "32.06.2024"], 2, "is not a day of the calendar"),
    ("check: not a date", None, ["check", "--today", "06/01/2024"], 2, "01.07.2024, 1.7.2024"),
    ("schema", None, ["schema"], 0, '"$schema"'),

    ("init: again, everything kept", None, ["init", "."], 0, "kept     protokol.yaml"),
    ("init: the folder is a file", None, ["init", "protokol.yaml"], 2, "is a file, not a folder"),
    ("init: a file in the way of a folder", templates_is_a_file, ["init", "other", "--no-git"], 1,
     "Cannot create the archive"),
    ("new: a fresh protocol", None, ["new", "--date", "2024-06-04", "--number", "5", "--no-interactive"], 0,
     "2024-06-04-5.yaml"),
    ("new: the file of --number exists", None, ["new", "--date", "2024-05-14", "--number", "3", "--no-interactive"], 1,
     "never overwrites"),
    ("new: a Russian --date", None, ["new", "--date", "4 июня 2024", "--number", "5", "--no-interactive"], 0,
     "2024-06-04-5.yaml"),
    ("new: a bad --date", None, ["new", "--date", "14/05/2024", "--no-interactive"], 2, "01.07.2024"),
    ("new: --from names no protocol", None, ["new", "--from", "2023-01-01-1", "--no-interactive"], 2, "No protocol"),
    ("list", None, ["list", "--format", "json"], 0, '"2024-05-14-3"'),
    ("list: a broken file left out, the rest listed", broken, ["list", "--format", "json"], 1, '"2024-05-14-3"'),
    ("list: a bad --format", None, ["list", "--format", "xml"], 2, "--format takes"),
    ("people", None, ["people", "--all"], 0, "Белова И.Г."),
    ("people: a broken file left out, the rest listed", broken, ["people", "--all"], 1, "Белова И.Г."),
    ("people: a bad --format", None, ["people", "--format", "xml"], 2, "--format takes"),
    ("show", None, ["show", "2024-05-14-3", "--today", TODAY], 0, "PROTOCOL № 3"),
    ("show: another file broken, this one shown", broken, ["show", "2024-05-14-3", "--today", TODAY], 1,
     "PROTOCOL № 3"),
    ("show: the protocol cannot be read", broken, ["show", "broken"], 1, "cannot be read"),
    ("show: no such protocol", None, ["show", "2024-05-15"], 2, "No protocol"),
    ("show: an id that fits several", None, ["show", "2024-05"], 2, "fits several protocols"),

    ("render", None, ["render", "2024-05-14-3", "-f", "md"], 0, "wrote build/2024-05-14-3.md"),
    ("render: the output exists", rendered, ["render", "2024-05-14-3", "-f", "md"], 1, "it is not overwritten"),
    ("render: a protocol with errors", broken, ["render", "broken", "-f", "md"], 1, "has errors and was not rendered"),
    ("render: a bad --format", None, ["render", "2024-05-14-3", "-f", "odt"], 2, "--format takes"),
    ("render: no such protocol", None, ["render", "2024-05-15"], 2, "No protocol"),
    ("render: no such agenda item", None, ["render", "2024-05-14-3", "--items", "9"], 2, "no agenda item 9"),
    ("templates --copy", None, ["templates", "--copy", "protocol.md.j2"], 0, "wrote templates/protocol.md.j2"),
    ("templates --copy: the file exists", template_copied, ["templates", "--copy", "protocol.md.j2"], 1,
     "it is not overwritten"),
    ("templates --copy: no such template", None, ["templates", "--copy", "nothing.j2"], 2, "No built-in template"),

    ("report discipline", None, ["report", "discipline", *PERIOD], 0, "руководители ОО"),
    ("report discipline: a broken file left out, the rest counted", broken, ["report", "discipline", *PERIOD], 1,
     "руководители ОО"),
    ("report discipline: xlsx without -o", None, ["report", "discipline", *PERIOD, "--format", "xlsx"], 2, "-o"),
    ("report discipline: --to before --from", None, ["report", "discipline", "--from", "2024-06-30", "--to",
                                                      "2024-05-01"], 2, "is before"),
    ("report discipline: the output exists", report_written,
     ["report", "discipline", *PERIOD, "--format", "md", "-o", "report.md"], 1, "it is not overwritten"),
    ("export", None, ["export", "--format", "sqlite", "-o", "archive.sqlite", "--today", TODAY], 0, ""),
    ("export: a broken file left out, the rest written", broken,
     ["export", "--format", "jsonl", "-o", "archive.jsonl", "--today", TODAY], 1, "broken.yaml"),
    ("export: a bad --format", None, ["export", "--format", "csv", "-o", "a.csv"], 2, "--format takes"),
    ("due", None, ["due", "--today", TODAY], 0, "2024-05-14-3/1.2"),
    ("due: a broken file left out, the rest listed", broken, ["due", "--today", TODAY], 1, "2024-05-14-3/1.2"),
    ("due: a bad --status", None, ["due", "--status", "late"], 2, "--status takes"),
    ("due: --protocol names no protocol", None, ["due", "--protocol", "2024-05-15"], 2, "No protocol"),
    ("done", None, ["done", "2024-05-14-3/1.2", "--today", TODAY], 0, "is done"),
    ("done: done already", done_1_2, ["done", "2024-05-14-3/1.2", "--today", TODAY], 1, "already done"),
    ("done: a day before the meeting", None, ["done", "2024-05-14-3/1.2", "--date", "2024-05-01", "--today", TODAY], 1,
     "before the meeting"),
    ("done: a day in the future", None, ["done", "2024-05-14-3/1.2", "--date", "2024-07-01", "--today", TODAY], 2,
     "in the future"),
    ("done: no such decision", None, ["done", "2024-05-14-3/9.9", "--today", TODAY], 2, "has no decision 9.9"),
    ("done: not a decision id", None, ["done", "1.2"], 2, "is not a decision id"),
    ("done: the protocol cannot be read", broken, ["done", "broken/1.1", "--today", TODAY], 1, "cannot be read"),
    ("extend", None, ["extend", "2024-05-14-3/1.2", "--to", "2024-06-10", "--reason", "x", "--today", TODAY], 0,
     "deadline moved"),
    ("extend: to before the meeting", None,
     ["extend", "2024-05-14-3/1.2", "--to", "2024-05-01", "--reason", "x", "--today", TODAY], 1, "before the meeting"),
    ("extend: to a day already past", None,
     ["extend", "2024-05-14-3/1.2", "--to", "2024-05-25", "--reason", "x", "--today", TODAY], 2, "has already passed"),
    ("extend: no reason", None, ["extend", "2024-05-14-3/1.2", "--to", "2024-06-10", "--reason", " ", "--today", TODAY],
     2, "needs a reason"),
    ("extend: a missing --reason", None, ["extend", "2024-05-14-3/1.2", "--to", "2024-06-10"], 2, "--reason"),
    ("cancel: a done decision", done_1_2, ["cancel", "2024-05-14-3/1.2", "--reason", "x", "--today", TODAY], 1,
     "a done decision is not cancelled"),
    ("cancel: no reason", None, ["cancel", "2024-05-14-3/1.2", "--reason", "", "--today", TODAY], 2, "needs a reason"),
    ("reopen", done_1_2, ["reopen", "2024-05-14-3/1.2", "--today", TODAY], 0, "2024-05-14-3/1.2"),
    ("reopen: open already", None, ["reopen", "2024-05-14-3/1.2", "--today", TODAY], 1, "open already"),

    ("diff", None, ["diff"], 0, "No protocol changed."),
    ("diff: a version that cannot be read is shown, not failed", main_broken, ["diff"], 0, "cannot be read"),
    ("diff: no such revision", None, ["diff", "no-such-branch"], 2, "is not a commit, branch or tag"),
    ("history", None, ["history", "2024-05-14-3"], 0, "Протокол № 3"),
    ("history: no such decision", None, ["history", "2024-05-14-3/9.9"], 2, "has no decision 9.9"),
    ("history: two files with one id", same_id_twice, ["history", "2024-05-14-3"], 2, "is used by several files"),
    ("textconv", None, ["textconv", MAIN], 0, "2024-05-14-3/1.2"),
    ("textconv: no such file", None, ["textconv", "nope.yaml"], 2, "Cannot read"),
    ("sign", None, [*SIGN, "--date", "2024-05-15"], 0, "signed by Никитина О.В."),
    ("sign: signed already", signed, SIGN, 1, "already signed"),
    ("sign: changed since signing", signed_then_changed, [*SIGN, "--force"], 1, "has changed since"),
    ("sign --amend: nothing changed", signed, [*SIGN, "--amend", "x"], 1, "has not changed since it was signed"),
    ("sign --amend: not signed yet", None, [*SIGN, "--amend", "x"], 1, "not signed yet"),
    ("sign: a draft", None, ["sign", "2024-05-21-4", "--by", "Никитина О.В.", "--date", "2024-05-21"], 1, "is a draft"),
    ("sign: a day before the meeting", None, [*SIGN, "--date", "2024-05-10"], 1, "before the meeting"),
    ("sign: a protocol with errors", broken, ["sign", "broken", "--by", "Никитина О.В."], 1, "has errors"),
    ("sign: no name in --by", None, ["sign", "2024-05-14-3", "--by", " "], 2, "--by needs"),
    ("sign: no such protocol", None, ["sign", "2024-05-14-33", "--by", "Никитина О.В."], 2, "No protocol"),
    ("hooks install", None, ["hooks", "install"], 0, "pre-commit"),
    ("hooks install: a hook of one's own", foreign_hook, ["hooks", "install"], 1, "was not written by protokol"),
    ("hooks pre-commit", None, ["hooks", "pre-commit", "--today", TODAY], 0, ""),
    ("hooks pre-commit: a broken protocol staged", staged_broken, ["hooks", "pre-commit", "--today", TODAY], 1,
     "Commit refused"),

    ("site", None, ["site", "--today", TODAY, "--no-documents"], 0, "files written"),
    ("site: a broken file left out, the rest built", broken, ["site", "--today", TODAY, "--no-documents"], 1,
     "broken.yaml"),
    ("site: a folder that is not a site", None, ["site", "-o", "protocols", "--no-documents"], 1,
     "is not a site protokol built"),
    ("site: a bad --base-url", None, ["site", "--base-url", "school.example"], 2, "--base-url takes"),
    # serve runs until it is stopped: tests/test_site_serve.py runs it as a process
    ("serve: a bad --port", None, ["serve", "--port", "70000"], 2, "--port takes"),
    ("serve: a bad --today", None, ["serve", "--today", "32.06.2024"], 2, "is not a day of the calendar"),

    # an id two files share names neither: a wrong call, whatever the command (issue 12, item 7)
    ("done: two files with one id", same_id_twice, ["done", "2024-05-14-3/1.2", "--today", TODAY], 2, TWICE),
    ("extend: two files with one id", same_id_twice,
     ["extend", "2024-05-14-3/1.2", "--to", "2024-06-10", "--reason", "x", "--today", TODAY], 2, TWICE),
    ("cancel: two files with one id", same_id_twice, ["cancel", "2024-05-14-3/1.2", "--reason", "x", "--today", TODAY],
     2, TWICE),
    ("reopen: two files with one id", same_id_twice, ["reopen", "2024-05-14-3/1.2", "--today", TODAY], 2, TWICE),
    ("sign: two files with one id", same_id_twice, [*SIGN, "--date", "2024-05-15"], 2, TWICE),
    ("render: two files with one id", same_id_twice, ["render", "2024-05-14-3", "--format", "md"], 2, TWICE),
    ("show: two files with one id", same_id_twice, ["show", "2024-05-14-3"], 2, TWICE),

    ("import", None, ["import", ONLINE], 0, "Imported 1 of 1 file"),
    ("import: the file exists", imported, ["import", ONLINE], 1, "already exists; it was not overwritten"),
    ("import: no such file", None, ["import", "nope.txt"], 2, "No such file or folder"),
    ("remind: the messages printed", None, ["remind", "--today", TODAY, "--dry-run"], 0, "No address for Белова И.Г."),
    ("remind: a broken file left out, the rest reminded", broken, ["remind", "--today", TODAY, "--dry-run"], 1,
     "No address for Белова И.Г."),
    ("remind: no mail: section to send through", None, ["remind", "--today", TODAY], 2, "no `mail:` section"),

    ("an unknown option", None, ["list", "--no-such-option"], 2, "No such option"),
    ("a missing argument", None, ["show"], 2, "Missing argument"),
    ("an unknown command", None, ["lists"], 2, "'lists'"),
]


@pytest.mark.parametrize(("what", "prepare", "args", "code", "text"), ROWS, ids=[row[0] for row in ROWS])
def test_exit_code(archive: Path, what: str, prepare, args: list[str], code: int, text: str):
    if prepare is not None:
        prepare(archive)
    result = cli(*args)
    output = result.stdout + result.stderr
    assert result.exit_code == code, f"{what}: {args}\n{output}"
    assert text in output, f"{what}: {args}\n{output}"
    assert "Traceback" not in output


def test_the_table_covers_every_command():
    """A new command gets its rows here: at least one run that succeeds and one that it refuses."""
    from protokol.cli.main import build_app

    app = build_app()
    groups = {g.name for g in app.registered_groups}
    names = {c.name for c in app.registered_commands} | {f"{g.name} {c.name}" for g in app.registered_groups
                                                          for c in g.typer_instance.registered_commands}
    covered: dict[str, set[int]] = {}
    for _what, _prepare, args, code, _text in ROWS:
        name = " ".join(args[:2]) if args[0] in groups else args[0]
        covered.setdefault(name, set()).add(code)
    assert sorted(n for n in names if n not in covered) == []
    refused_somehow = {n for n, codes in covered.items() if codes - {0}}
    assert sorted(n for n in names if n not in refused_somehow and n != "schema") == []


def test_a_listing_with_a_broken_file_still_lists_the_rest_on_stdout(archive: Path):
    broken(archive)
    listed = cli("list", "--format", "md")
    assert listed.exit_code == 1
    assert "| 2024-05-14-3 |" in listed.stdout and "| 2024-05-21-4 |" in listed.stdout
    assert "1 protocol file could not be read and is left out" in listed.stderr
    # only the broken file: without it the same list exits 0
    (archive / "protocols/2024/broken.yaml").unlink()
    again = cli("list", "--format", "md")
    assert again.exit_code == 0 and again.stdout == listed.stdout


def test_an_archive_with_only_broken_files_does_not_say_there_are_none(tmp_path: Path, monkeypatch):
    assert cli("init", str(tmp_path), "--no-git").exit_code == 0
    monkeypatch.chdir(tmp_path)
    (tmp_path / "protocols" / "2024").mkdir()
    broken(tmp_path)
    result = cli("list")
    assert result.exit_code == 1
    assert "could not be read" in result.stderr and "No protocols yet" not in result.stderr


def test_a_refusal_changes_no_file(archive: Path):
    """The refusals of the table that act on files leave every file as it was."""
    signed(archive)
    before = files(archive, ignore=(".git", ".protokol-cache"))
    for args in ([*SIGN], ["done", "2024-05-14-3/1.2", "--date", "2024-07-01", "--today", TODAY],
                 ["new", "--date", "2024-05-14", "--number", "3", "--no-interactive"]):
        assert cli(*args).exit_code != 0
    assert files(archive, ignore=(".git", ".protokol-cache")) == before


@pytest.mark.parametrize("args", [["due"], ["check"], ["list"], ["people"], ["done", "2024-05-14-3/1.2"]])
def test_a_root_that_is_no_archive_is_a_wrong_call_and_gets_no_cache(tmp_path: Path, args: list[str]):
    """`--root /etc` read nothing and wrote a cache there: a folder without protokol.yaml or protocols/ is refused."""
    folder = tmp_path / "etc"
    folder.mkdir()
    (folder / "passwd").write_text("root:x:0:0\n", encoding="utf-8")
    result = cli(*args, "--root", str(folder))
    assert result.exit_code == 2
    assert "is not a protokol archive" in result.stderr and "protokol init" in result.stderr
    assert sorted(p.name for p in folder.iterdir()) == ["passwd"]
