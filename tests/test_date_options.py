"""One date parser for every date option and prompt (rudates.parse_date, issue 13): 01.07.2024, 1.7.2024,
«1 июля 2024» and 2024-07-01 name the same day everywhere; and no Russian message or table writes an ISO date.

Each option is run once per form, each time in a fresh copy of the same small archive under git at the same path, and
what it printed and wrote must be what it printed and wrote with the ISO form."""

from __future__ import annotations

import json
import re
import shutil
from datetime import date
from pathlib import Path

import pytest

from conftest import (
    DATA,
    HEADS_MEETING,
    HEADS_REL,
    PROTOCOLS,
    REPO,
    commit,
    git_isolation,
    init_repo,
    protokol,
    run_cli,
    write,
)
from protokol.rudates import NotACalendarDay, parse_date

PROTOCOL = HEADS_MEETING + """\
      - number: "1.3"
        text: Представить отчёт об оздоровлении детей.
        deadline: до 01.09.2024
        responsible: Белова И.Г.
      - number: "1.4"
        text: Представлять сведения о питании.
        deadline: ежеквартально до 1 числа
        responsible: Белова И.Г.
"""
ID = Path(HEADS_REL).stem
DECISION = f"{ID}/1.2"
RECURRING = f"{ID}/1.4"  # falls due on 01.07.2024
FORMS = ("2024-07-01", "01.07.2024", "1.7.2024", "1 июля 2024", "1 июля 2024 г.", "01 июля 2024 года")
D = "{D}"  # where a row puts the date


def _done_before(root: Path) -> None:
    assert _cli(root, "done", DECISION, "--date", "2024-06-03", "--today", "2024-06-03").exit_code == 0


def _occurrence_closed_before(root: Path) -> None:
    assert _cli(root, "done", RECURRING, "--occurrence", "2024-07-01", "--today", "2024-07-02").exit_code == 0


def _new_answers(day: str) -> str:
    # date, then the defaults of title, number, chair, secretary and participants, one question, the end of the
    # questions, and no carry-over
    return "\n".join([day, "", "", "", "", "", "О разном", "", "n"]) + "\n"


# (command, option, command line with D for the date, what is done first, what is typed at the prompts)
ROWS = [
    ("check", "--today", ["check", "--today", D], None, None),
    ("due", "--today", ["due", "--today", D], None, None),
    ("due", "--before", ["due", "--all", "--before", D, "--today", "2024-07-02"], None, None),
    ("due", "--after", ["due", "--all", "--after", D, "--today", "2024-07-02"], None, None),
    ("show", "--today", ["show", ID, "--today", D], None, None),
    ("history", "--today", ["history", DECISION, "--today", D], None, None),
    ("diff", "--today", ["diff", "--today", D], None, None),
    ("done", "--date", ["done", DECISION, "--date", D, "--today", "2024-07-02"], None, None),
    ("done", "--today", ["done", DECISION, "--today", D], None, None),
    ("done", "--occurrence", ["done", RECURRING, "--occurrence", D, "--today", "2024-07-02"], None, None),
    ("reopen", "--occurrence", ["reopen", RECURRING, "--occurrence", D, "--today", "2024-07-02"],
     _occurrence_closed_before, None),
    ("extend", "--to", ["extend", DECISION, "--to", D, "--reason", "x", "--today", "2024-06-01"], None, None),
    ("extend", "--date", ["extend", DECISION, "--to", "2024-08-01", "--reason", "x", "--date", D, "--today", "2024-07-02"],
     None, None),
    ("extend", "--today", ["extend", DECISION, "--to", "2024-08-01", "--reason", "x", "--today", D], None, None),
    ("cancel", "--date", ["cancel", DECISION, "--reason", "x", "--date", D, "--today", "2024-07-02"], None, None),
    ("cancel", "--today", ["cancel", DECISION, "--reason", "x", "--today", D], None, None),
    ("reopen", "--date", ["reopen", DECISION, "--date", D, "--today", "2024-07-02"], _done_before, None),
    ("reopen", "--today", ["reopen", DECISION, "--today", D], _done_before, None),
    ("new", "--date", ["new", "--date", D, "--number", "5", "--no-interactive"], None, None),
    ("new", "--today", ["new", "--today", D, "--no-interactive"], None, None),
    ("new", "the date prompt", ["new", "--interactive", "--today", "2024-07-02"], None, _new_answers),
    ("sign", "--date", ["sign", ID, "--by", "Никитина О.В.", "--date", D, "--today", "2024-07-02"], None, None),
    ("sign", "--today", ["sign", ID, "--by", "Никитина О.В.", "--today", D], None, None),
    ("render", "--certify-date", ["render", ID, "-f", "md", "--extract", "--items", "1", "--certify-by",
                                  "Фролова Т.С., секретарь", "--certify-date", D], None, None),
    ("import", "--today", ["import", str(DATA / "import" / "online.md"), "--today", D], None, None),
    ("import", "--date", ["import", str(DATA / "import_corpus" / "tuning" / "sovesh_direktor_2023-11-14.txt"), "--date", D,
                          "--today", "2024-07-02"], None, None),
    ("hooks pre-commit", "--today", ["hooks", "pre-commit", "--today", D], None, None),
    ("remind", "--today", ["remind", "--today", D, "--dry-run"], None, None),
    ("report discipline", "--from", ["report", "discipline", "--from", D, "--to", "2024-12-31", "--today",
                                     "2024-07-02", "--format", "json"], None, None),
    ("site", "--today", ["site", "--today", D, "--no-documents"], None, None),
    ("report discipline", "--to", ["report", "discipline", "--from", "2024-01-01", "--to", D, "--today", "2024-07-02",
                                   "--format", "json"], None, None),
    ("report discipline", "--today", ["report", "discipline", "--from", "2024-01-01", "--to", "2024-12-31",
                                      "--today", D, "--format", "json"], None, None),
    ("export", "--today", ["export", "--format", "jsonl", "-o", "build/decisions.jsonl", "--today", D], None, None),
]
NOT_DATES = {("remind", "--to"), ("serve", "--today")}  # --to takes an executor; serve runs until stopped


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> Path:
    """A git repository with PROTOCOL committed: a due date before 01.07.2024 (1.2) and one after (1.3)."""
    root = init_repo(tmp_path_factory.mktemp("template") / "archive")
    write(root, PROTOCOL, HEADS_REL)
    write(root, "title: совещания руководителей\nchair: Никитина О.В.\nsecretary: Фролова Т.С.\n", "protokol.yaml")
    commit(root, "Протокол № 1", "--no-verify")
    return root


def _cli(root: Path, *args: str, input: str | None = None):
    return run_cli(*args, input=input, env={"COLUMNS": "200", "NO_COLOR": "1"}, cwd=root)


def _run(template: Path, root: Path, row, form: str) -> tuple:
    """What the row's command prints and writes with the date written as `form`, in a fresh copy at `root`."""
    _command, _option, args, prepare, answers = row
    if root.exists():
        shutil.rmtree(root)
    shutil.copytree(template, root, symlinks=True)
    if prepare is not None:
        prepare(root)
    result = _cli(root, *[form if a == D else a for a in args], input=answers(form) if answers else None)
    written = {str(p.relative_to(root)): p.read_bytes() for folder in ("protocols", "build") if (root / folder).exists()
               for p in sorted((root / folder).rglob("*")) if p.is_file()}
    shown = result.stderr.replace(f"]: {form}\n", "]: \n", 1) if answers else result.stderr  # the answer echoed
    return result.exit_code, result.stdout, shown, written


@pytest.mark.parametrize("row", ROWS, ids=[f"{r[0]} {r[1]}" for r in ROWS])
def test_every_date_option_takes_the_russian_forms(template: Path, tmp_path: Path, monkeypatch, row):
    for key, value in git_isolation(tmp_path / "archive").items():
        monkeypatch.setenv(key, value)
    root = tmp_path / "archive"
    iso = _run(template, root, row, FORMS[0])
    assert iso[0] == 0, iso
    for form in FORMS[1:]:
        assert _run(template, root, row, form) == iso, form


def test_the_table_covers_every_date_option():
    """A new date option gets its row above (and so the same parser): an option named --today, --before, --after,
    --to, --occurrence or *date."""
    import click
    import typer.main

    from protokol.cli.main import build_app

    def commands(group: click.Group, prefix: str = ""):
        for name, command in group.commands.items():
            if isinstance(command, click.Group):
                yield from commands(command, f"{prefix}{name} ")
            else:
                yield f"{prefix}{name}", command

    found = {(name, opt) for name, command in commands(typer.main.get_command(build_app())) for param in command.params
             for opt in param.opts if opt in ("--today", "--before", "--after", "--to", "--occurrence")
             or opt.endswith("date")}
    # serve runs until it is stopped, so it has no row; its --today goes through the same parse_day, before anything
    # is built (tests/test_site_serve.py runs it with one)
    assert found - {(r[0], r[1]) for r in ROWS} - NOT_DATES == set()


def test_a_wrong_date_is_a_usage_error_that_shows_the_forms():
    english = run_cli("due", "--root", str(REPO), "--before", "01/07/2024")
    assert english.exit_code == 2 and "01.07.2024, 1.7.2024, «1 июля 2024»" in english.stderr
    russian = run_cli("due", "--root", str(REPO), "--today", "1 июнля 2024", lang="ru")
    assert russian.exit_code == 2
    assert "--today принимает дату вида 01.07.2024, 1.7.2024, «1 июля 2024»" in russian.stderr
    no_day = run_cli("done", f"{DECISION}", "--root", str(REPO), "--date", "31.06.2024", lang="ru")
    assert no_day.exit_code == 2 and "дня 31.06.2024 нет в календаре" in no_day.stderr


@pytest.mark.parametrize(("text", "day"), [
    ("2024-07-01", date(2024, 7, 1)), ("01.07.2024", date(2024, 7, 1)), ("1.7.2024", date(2024, 7, 1)),
    (" 1  июля 2024 ", date(2024, 7, 1)), ("1 Июля 2024 г.", date(2024, 7, 1)), ("1 июля 2024 г", date(2024, 7, 1)),
    ("01 июля 2024 года", date(2024, 7, 1)), ("31 декабря 2023 год", date(2023, 12, 31)),
    ("«31» мая 2024 г.", date(2024, 5, 31)), ("“05” июня 2016 г.", date(2016, 6, 5)),
])
def test_parse_date_reads_each_form(text: str, day: date):
    assert parse_date(text) == day


@pytest.mark.parametrize("text", ["01/07/2024", "2024-7-1", "1 июль 2024", "1 июля", "июль 2024", "01.07.24",
                                  "1.07.2024г.", "32.01.2024x", ""])
def test_parse_date_refuses_what_is_no_date(text: str):
    with pytest.raises(ValueError):
        parse_date(text)


@pytest.mark.parametrize("text", ["31.06.2024", "29 февраля 2023", "2024-02-30"])
def test_parse_date_refuses_a_day_the_calendar_lacks(text: str):
    with pytest.raises(NotACalendarDay):
        parse_date(text)


# --- no ISO date in a Russian sentence -------------------------------------------------------------------------------

_ISO = re.compile(r"\d{4}-\d{2}-\d{2}")
_FILE = re.compile(r"\S+\.(?:yaml|yml|md|docx|txt)\b")


def _without_ids_and_files(text: str, ids: list[str]) -> str:
    """The text without file names and protocol or decision ids (2024-01-09-1/2.2.1, and 2020-12-22, an id that is
    a date): an id stands as a word of its own, followed by a space, a slash, a table border or the end of a line."""
    text = _FILE.sub("FILE", text)
    alternatives = "|".join(re.escape(i) for i in sorted(ids, key=len, reverse=True))
    return re.sub(rf"(?<![\w.\-])(?:{alternatives})(?:/[\d.]+)?(?=[\s/│|»]|$)", "ID", text, flags=re.MULTILINE)


@pytest.fixture
def example(tmp_path: Path) -> Path:
    """A copy of the example archive, for the commands that write."""
    shutil.copytree(PROTOCOLS, tmp_path / "protocols")
    return tmp_path


RUSSIAN_RUNS = [
    ["check", "--today", "2024-06-01"],
    ["list"],
    ["list", "--format", "md"],
    ["people", "--all"],
    ["show", "2024-01-09-1", "--today", "2024-06-01"],
    ["show", "2020-12-22", "--today", "2024-06-01"],
    ["due", "--today", "2024-06-01"],
    ["due", "--all", "--today", "2024-06-01"],
    ["due", "--format", "md", "--today", "2024-06-01"],
    ["history", "2024-01-09-1/2.2.1", "--today", "2024-06-01"],
    ["done", "2024-01-09-1/2.2.1", "--today", "2024-06-01"],
    ["done", "2024-01-09-1/2.2.1", "--date", "2020-01-01", "--today", "2024-06-01"],
    ["done", "2024-01-09-1/2.2.1", "--date", "2024-07-01", "--today", "2024-06-01"],
    ["extend", "2024-01-09-1/2.2.3", "--to", "2024-09-01", "--reason", "x", "--today", "2024-06-01"],
    ["extend", "2024-01-09-1/2.2.3", "--to", "2024-01-01", "--reason", "x", "--today", "2024-06-01"],
    ["extend", "2024-01-09-1/2.2.3", "--to", "2024-05-01", "--reason", "x", "--today", "2024-06-01"],
    ["cancel", "2024-01-09-1/2.2.3", "--reason", "x", "--today", "2024-06-01"],
    ["new", "--date", "2024-06-04", "--no-interactive", "--today", "2024-06-04"],
]


@pytest.mark.parametrize("args", RUSSIAN_RUNS, ids=[" ".join(a[:3]) for a in RUSSIAN_RUNS])
def test_russian_output_writes_no_iso_date(example: Path, args: list[str]):
    ids = [p["id"] for p in json.loads(run_cli("list", "--format", "json", "--root", str(example)).stdout)]
    result = run_cli(*args, "--root", str(example), lang="ru", env={"COLUMNS": "200", "NO_COLOR": "1"})
    assert "Traceback" not in result.stdout + result.stderr
    shown = _without_ids_and_files(result.stdout + result.stderr, ids)
    assert _ISO.findall(shown) == [], shown
    assert "г.." not in shown  # «… 2024 г.» ends a sentence with its own full stop


def test_a_russian_sequence_of_actions_writes_no_iso_date(example: Path):
    """done, reopen, done again, and the refusals between: every message in Russian dates."""
    ids = [p["id"] for p in json.loads(run_cli("list", "--format", "json", "--root", str(example)).stdout)]
    said = []
    for args in (["done", "2024-01-09-1/2.2.1", "--date", "2024-05-20"], ["done", "2024-01-09-1/2.2.1"],
                 ["reopen", "2024-01-09-1/2.2.1", "--date", "2024-05-01"], ["cancel", "2024-01-09-1/2.2.1", "--reason", "x"],
                 ["reopen", "2024-01-09-1/2.2.1"], ["history", "2024-01-09-1/2.2.1"],
                 ["sign", "2024-01-09-1", "--by", "Морозова О.Д.", "--date", "2024-01-01"]):
        result = run_cli(*args, "--root", str(example), "--today", "2024-06-01", lang="ru", env={"COLUMNS": "200"})
        said.append(result.stdout + result.stderr)
    shown = _without_ids_and_files("\n".join(said), ids)
    assert _ISO.findall(shown) == [], shown
    assert "г.." not in shown
    assert "20 мая 2024 г." in shown  # the date style of the example archive: long (the default)


def test_the_numeric_date_style_writes_messages_the_short_way(example: Path):
    (example / "protokol.yaml").write_text("date_style: numeric  # 27.08.2023\n", encoding="utf-8")
    # the real program: it reads the setting before it builds the command line, as it reads `language:`
    result = protokol(example, "--lang", "ru", "done", "2024-01-09-1/2.2.1", "--today", "1 июня 2024")
    assert "2024-01-09-1/2.2.1 исполнено (01.06.2024)." in result.stdout, result.stderr


def test_english_and_machine_formats_keep_iso(example: Path):
    english = run_cli("due", "--root", str(example), "--today", "01.06.2024")
    assert "(today is 2024-06-01)" in english.stdout
    assert re.search(r"2024-01-09-1/2\.2\.1 \(п\. 2, 1-й подпункт\) +2024-01-31 ", english.stdout), english.stdout
    data = json.loads(run_cli("due", "--format", "json", "--root", str(example), "--today", "01.06.2024", lang="ru").stdout)
    assert data[0]["meeting_date"] == "2020-12-22"


def test_russian_review_of_changes_writes_no_iso_date(heads_repo: Path, monkeypatch):
    """`diff` and `history` of a git archive: the changes of control marks and the commits' days."""
    for key, value in git_isolation(heads_repo).items():
        monkeypatch.setenv(key, value)
    decision = f"{Path(HEADS_REL).stem}/1.2"
    for args in (["extend", decision, "--to", "1.7.2024", "--reason", "x"], ["done", f"{Path(HEADS_REL).stem}/1.1"]):
        assert _cli(heads_repo, *args, "--today", "2024-06-01").exit_code == 0
    said = [run_cli(*args, "--today", "2024-06-01", lang="ru", env={"COLUMNS": "200"}, cwd=heads_repo)
            for args in (["diff"], ["history", decision])]
    shown = _without_ids_and_files("\n".join(r.stdout + r.stderr for r in said), [Path(HEADS_REL).stem])
    assert _ISO.findall(shown) == [], shown
    assert "01.07.2024" in shown and "01.06.2024" in shown
