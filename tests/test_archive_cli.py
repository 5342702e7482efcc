"""A secretary's first hour, through the real CLI in a temporary folder: init → new (scripted, prompted, edited) →
check → list → show → people, with a second protocol the same day, --carry-over and a refused overwrite."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import pytest

from conftest import PROTOCOLS, REPO, files, init_archive
from conftest import run_cli as cli
from protokol.load import load_protocol

GOLDEN = REPO / "tests" / "golden" / "archive"

EARLIER = """\
date: 2024-02-14
number: 1
title: совещания
participants:
  chair: Никитина О.В.
  secretary: Фролова Т.С.
  present:
    - {name: Белова И.Г., position: методист}
    - group: Руководители ОО
      count: 12
agenda:
  - number: 1
    title: О подготовке к летней оздоровительной кампании
    decided:
      - text: Информацию принять к сведению.
      - text: Представить списки детей для зачисления в лагеря.
        deadline: до 01.03.2024
        responsible: руководители ОО
      - text: Сдать отчёт о кадрах.
        deadline: до 20.02.2024
        responsible: Белова И.Г.
        control: {status: done, date: 2024-02-19}
      - text: Открыть лагеря.
        deadline: 03.06.2024
        responsible: руководители ОО
"""


@pytest.fixture
def archive(tmp_path: Path, monkeypatch) -> Path:
    """An archive made by `protokol init`, with one earlier protocol; the current folder is the archive."""
    root = init_archive(tmp_path / "archive", "--organization", "Отдел образования", "--chair", "Никитина О.В.",
                        "--secretary", "Фролова Т.С.")
    (root / "protocols" / "2024").mkdir()
    (root / "protocols" / "2024" / "2024-02-14-1.yaml").write_text(EARLIER, encoding="utf-8")
    monkeypatch.chdir(root)
    return root


def test_init_creates_an_archive_under_git_and_keeps_everything_the_second_time(tmp_path: Path):
    root = tmp_path / "new-archive"
    first = cli("init", str(root), "--organization", "Отдел образования", "--chair", "Никитина О.В.")
    assert first.exit_code == 0
    for name in ("protokol.yaml", "people.yaml", "protocols/", "templates/", "templates/README.md", ".gitignore"):
        assert f"created  {name}\n" in first.stdout
    assert (root / ".git").is_dir() and "a new git repository" in first.stdout
    assert ".protokol-cache/" in (root / ".gitignore").read_text()
    settings = (root / "protokol.yaml").read_text(encoding="utf-8")
    assert "organization: Отдел образования\n" in settings and "chair: Никитина О.В.\n" in settings
    assert "# secretary: " in settings  # not given: left as a commented example
    before = files(root)
    (root / "people.yaml").write_text("people:\n  - name: Белова И.Г.\n", encoding="utf-8")
    before["people.yaml"] = (root / "people.yaml").read_bytes()
    second = cli("init", str(root), "--organization", "Другая организация")
    assert second.exit_code == 0
    assert "created" not in second.stdout
    assert "kept     protokol.yaml" in second.stdout and "kept     people.yaml" in second.stdout
    assert "were not written" in second.stdout  # the option could not change the existing file
    assert files(root) == before
    checked = cli("check", "--root", str(root))
    assert checked.exit_code == 0 and "2 files checked: no problems." in checked.stderr


def test_init_inside_a_repository_does_not_nest_one(tmp_path: Path):
    assert cli("init", str(tmp_path)).exit_code == 0
    inner = cli("init", str(tmp_path / "sub"))
    assert inner.exit_code == 0
    assert not (tmp_path / "sub" / ".git").exists()
    assert f"git repository {tmp_path.resolve()}" in inner.stdout
    assert cli("init", str(tmp_path / "nogit"), "--no-git").exit_code == 0
    assert not (tmp_path / "nogit" / ".git").exists()


def test_new_scripted_then_same_day_then_carry_over_then_refused_overwrite(archive: Path):
    # The next of the series, scripted: participants from the previous protocol, open decisions carried over.
    first = cli("new", "--date", "2024-03-05", "--item", "О летней кампании", "--carry-over", "--today", "2024-03-01")
    assert first.exit_code == 0, first.output
    assert first.stdout == os.path.join("protocols", "2024", "2024-03-05-2.yaml") + "\n"
    assert "Participants copied from 2024-02-14-1." in first.stderr
    new, problems = load_protocol(archive / "protocols" / "2024" / "2024-03-05-2.yaml")
    assert problems == []
    assert (new.number, new.status, new.organization, new.title) == ("2", "draft", "Отдел образования", "совещания")
    assert (new.participants.chair.name, new.participants.secretary.name) == ("Никитина О.В.", "Фролова Т.С.")
    assert [getattr(x, "name", None) or x.group for x in new.participants.present] == ["Белова И.Г.", "Руководители ОО"]
    assert [i.title for i in new.agenda] == ["О ходе выполнения решений предыдущих совещаний", "О летней кампании"]
    carried = new.agenda[0].decided
    # 1.2 is open and due 01.03; 1.3 is done; 1.4 falls due after the meeting; 1.1 is nothing to execute
    assert [d.text for d in carried] == [
        "Пункт 1.2 протокола № 1 от 14.02.2024 «Представить списки детей для зачисления в лагеря.» снять с контроля."]
    text = (archive / "protocols" / "2024" / "2024-03-05-2.yaml").read_text(encoding="utf-8")
    assert "# acts_on: [{decision: 2024-02-14-1/1.2, action: done}]" in text
    assert "2024-02-14-1/1.2  2024-03-01" in first.stderr  # English: ISO

    # A second meeting the same day gets the next number and its own file.
    second = cli("new", "--date", "2024-03-05", "--item", "О разном", "--today", "2024-03-01")
    assert second.exit_code == 0
    assert second.stdout.strip().endswith("2024-03-05-3.yaml")
    assert load_protocol(archive / "protocols" / "2024" / "2024-03-05-3.yaml")[0].number == "3"

    # Asking for a number whose file exists is refused, and nothing changes.
    before = files(archive)
    refused = cli("new", "--date", "2024-03-05", "--number", "2", "--today", "2024-03-01")
    assert refused.exit_code == 1
    assert "2024-03-05-2.yaml exists already" in refused.stderr and "never overwrites" in refused.stderr
    assert files(archive) == before

    checked = cli("check", "--today", "2024-03-01")
    assert checked.exit_code == 0, checked.stdout
    assert "5 files checked: no problems." in checked.stderr  # three protocols, protokol.yaml, people.yaml

    listed = json.loads(cli("list", "--format", "json").stdout)
    assert [(r["id"], r["number"], r["status"], r["decisions"]) for r in listed] == [
        ("2024-02-14-1", "1", "final", {"open": 2, "total": 4}),
        ("2024-03-05-2", "2", "draft", {"open": 0, "total": 1}),
        ("2024-03-05-3", "3", "draft", {"open": 0, "total": 0}),
    ]
    assert json.loads(cli("list", "--year", "2023", "--format", "json").stdout) == []
    table = cli("list").stdout
    assert "2024-03-05-3" in table and "│ 2024-02-14 │" in table and "2/4" in table
    md = cli("list", "--format", "md").stdout.splitlines()
    assert md[0] == "| Id | Date | № | Title | Open/total | Signed |"
    assert md[2] == "| 2024-02-14-1 | 2024-02-14 | 1 | совещания | 2/4 | no |"


def test_new_without_a_chair_anywhere_is_a_usage_error(tmp_path: Path, monkeypatch):
    assert cli("init", str(tmp_path), "--no-git").exit_code == 0
    monkeypatch.chdir(tmp_path)
    result = cli("new", "--date", "2024-03-05")
    assert result.exit_code == 2
    assert "No chair for the new protocol." in result.stderr and "--chair" in result.stderr
    assert not (tmp_path / "protocols" / "2024").exists()
    ok = cli("new", "--date", "2024-03-05", "--chair", "Никитина О.В.", "--secretary", "Фролова Т.С.")
    assert ok.exit_code == 0 and ok.stdout.strip().endswith("2024-03-05-1.yaml")


def test_new_with_prompts_answered_on_stdin(archive: Path):
    answers = "\n".join([
        "2024-13-40",      # not a date: asked again
        "12 марта 2024",   # date, the Russian way
        "",                # title: the default
        "",                # number: the default, the next of the series
        "",                # chair: the default
        "Иванова Н.В.",    # secretary: someone else this time
        "",                # participants: those of the previous protocol
        "Об итогах года",  # first question
        "О разном",        # second question
        "",                # an empty line ends the questions
        "y",               # yes, carry over the open decision
    ]) + "\n"
    result = cli("new", "--interactive", "--today", "2024-03-01", input=answers)
    assert result.exit_code == 0, result.output
    assert "Write the date in a form such as" in result.stderr
    assert "1 decision of earlier meetings is open and due by 2024-03-12" in result.stderr
    assert result.stdout.strip().endswith("2024-03-12-2.yaml")  # prompts go to stderr, the path alone to stdout
    new, problems = load_protocol(archive / "protocols" / "2024" / "2024-03-12-2.yaml")
    assert problems == []
    assert new.participants.secretary.name == "Иванова Н.В."
    assert [i.title for i in new.agenda] == ["О ходе выполнения решений предыдущих совещаний", "Об итогах года",
                                             "О разном"]


def test_interrupted_prompts_leave_nothing_behind(archive: Path):
    before = files(archive)
    result = cli("new", "--interactive", "--today", "2024-03-01", input="2024-03-12\n\n")  # input ends: like Ctrl-C
    assert result.exit_code == 1
    assert "Aborted" in result.output
    assert files(archive) == before


EDITOR = """\
import pathlib, sys
path = pathlib.Path(sys.argv[1])
count = pathlib.Path(sys.argv[0]).with_suffix(".count")
n = int(count.read_text()) if count.exists() else 0
count.write_text(str(n + 1))
text = path.read_text(encoding="utf-8")
steps = sys.argv[0].endswith("break.py") and ["break", "fix"] or ["add"]
step = steps[min(n, len(steps) - 1)]
if step == "break":
    text = text.replace("date: 2024-", "date: 31.12.2024 #", 1)
elif step == "fix":
    text = text.replace("date: 31.12.2024 #", "date: 2024-", 1)
else:
    text += "  decided:\\n  - text: Принять к сведению.\\n"
path.write_text(text, encoding="utf-8")
"""


def editor(tmp_path: Path, name: str) -> tuple[dict, Path]:
    script = tmp_path / name
    script.write_text(EDITOR, encoding="utf-8")
    return {"EDITOR": f"{sys.executable} {script}", "VISUAL": ""}, script.with_suffix(".count")


def test_edit_opens_the_editor_and_checks_the_result(archive: Path, tmp_path: Path):
    env, count = editor(tmp_path, "add.py")
    result = cli("new", "--date", "2024-03-06", "--item", "О разном", "--edit", "--today", "2024-03-01", env=env)
    assert result.exit_code == 0, result.output
    assert count.read_text() == "1"
    edited, problems = load_protocol(archive / "protocols" / "2024" / "2024-03-06-2.yaml")
    assert problems == [] and edited.agenda[0].decided[0].text == "Принять к сведению."


def test_edit_with_errors_offers_to_reopen(archive: Path, tmp_path: Path):
    env, count = editor(tmp_path, "break.py")
    # Without a terminal to ask, the errors are shown and the command fails; the file stays for the user to fix.
    result = cli("new", "--date", "2024-03-06", "--edit", "--today", "2024-03-01", env=env)
    assert result.exit_code == 1
    assert "error[schema-date]" in result.stdout and "has errors; it is kept" in result.stderr
    assert (archive / "protocols" / "2024" / "2024-03-06-2.yaml").exists()
    # Asked (--interactive), the user reopens; the second round in the editor fixes it.
    count.unlink()
    answers = "\n" * 6 + "\n" + "n\n" + "y\n"  # defaults for date…participants, no questions, no carry-over, reopen: yes
    result = cli("new", "--interactive", "--date", "2024-03-07", "--edit", "--today", "2024-03-01", input=answers, env=env)
    assert result.exit_code == 0, result.output
    assert "Open it again?" in result.stderr
    assert count.read_text() == "2"
    # The broken 2024-03-06-2 cannot be read, so it is left out (and said so): this one is № 2 as well.
    assert "1 protocol file could not be read and is left out" in result.stderr
    assert load_protocol(archive / "protocols" / "2024" / "2024-03-07-2.yaml")[1] == []


def test_show_colours_decisions_by_status(archive: Path):
    result = cli("show", "2024-02-14", "--today", "2024-03-10")  # the start of an id is enough when unique
    assert result.exit_code == 0
    out = result.stdout
    assert "PROTOCOL № 1" in out and "14 февраля 2024 г." in out
    assert "1.2. Представить списки детей для зачисления в лагеря. [overdue]" in out
    assert "1.3. Сдать отчёт о кадрах. [done]" in out
    assert "1.4. Открыть лагеря. [open]" in out
    assert "1.1. Информацию принять к сведению.\n" in out  # nothing to execute: no status
    assert "deadline: до 01.03.2024 → 2024-03-01 · responsible: руководители ОО" in out
    assert "Decisions: 1 open, 1 overdue, 1 done, 0 cancelled (as of 2024-03-10)." in out
    missing = cli("show", "2024-02-15")
    assert missing.exit_code == 2 and "Did you mean: 2024-02-14-1?" in missing.stderr


def test_people_lists_directory_persons_with_their_protocols_and_open_decisions(archive: Path):
    (archive / "people.yaml").write_text("people:\n  - name: Белова И.Г.\n    position: методист\n"
                                         "  - name: Фролова Т.С.\n", encoding="utf-8")
    data = json.loads(cli("people", "--format", "json").stdout)
    assert [(r["name"], r["protocols"], r["open_decisions"]) for r in data] == [
        ("Белова И.Г.", 1, 0),  # her decision 1.3 is done
        ("Фролова Т.С.", 1, 0),
    ]
    everyone = json.loads(cli("people", "--all", "--format", "json").stdout)
    assert ("Никитина О.В.", False) in [(r["name"], r["in_directory"]) for r in everyone]


UNIFIED_HEAD = """\
{status}date: {date}
number: {number}
title: совещания
participants:
  chair: Никитина О.В.
  secretary: Фролова Т.С.
agenda:
  - number: 1
    title: Вопрос
    decided:
"""
UNIFIED = {
    # A: three dated decisions, all due before the meeting of 20 March
    "2024-02-14-1": ("", "2024-02-14", "1", """\
      - text: Представить списки детей.
        deadline: до 01.03.2024
        responsible: Белова И.Г.
      - text: Провести мониторинг.
        deadline: до 15.03.2024
        responsible: Белова И.Г.
      - text: "Руководителям ОО:"
        deadline: до 10.03.2024
        responsible: руководители ОО
        items:
          - text: подготовить лагеря
          - text: провести собрания
      - text: Повышать квалификацию.
        deadline: постоянно
        responsible: руководители ОО
"""),
    # B, final: closes 1.1, and 1.3 through its lead line
    "2024-03-05-2": ("", "2024-03-05", "2", """\
      - text: Пункты 1.1 и 1.3 протокола № 1 снять с контроля.
        acts_on:
          - {decision: 2024-02-14-1/1.1, action: done}
          - {decision: 2024-02-14-1/1.3, action: done}
"""),
    # C, final: extends 1.2 past the meeting
    "2024-03-06-3": ("", "2024-03-06", "3", """\
      - text: Срок исполнения пункта 1.2 протокола № 1 продлить.
        acts_on: [{decision: 2024-02-14-1/1.2, action: extend, to: 2024-06-01}]
"""),
    # D, a draft: reopening 1.1 counts for nothing until the meeting decides it
    "2024-03-07-4": ("status: draft\n", "2024-03-07", "4", """\
      - text: Пункт 1.1 протокола № 1 вернуть на контроль.
        acts_on: [{decision: 2024-02-14-1/1.1, action: reopen}]
"""),
}


def test_carry_over_due_list_show_and_people_agree_on_what_is_open(tmp_path: Path, monkeypatch):
    root = tmp_path / "archive"
    assert cli("init", str(root), "--no-git", "--chair", "Никитина О.В.", "--secretary", "Фролова Т.С.").exit_code == 0
    (root / "protocols" / "2024").mkdir()
    for pid, (status, day, number, decided) in UNIFIED.items():
        text = UNIFIED_HEAD.format(status=status, date=day, number=number) + decided
        (root / "protocols" / "2024" / f"{pid}.yaml").write_text(text, encoding="utf-8")
    (root / "people.yaml").write_text("people:\n  - name: Белова И.Г.\n", encoding="utf-8")
    monkeypatch.chdir(root)
    assert cli("check", "--today", "2024-03-20").exit_code == 0

    # `new --carry-over` for 20 March: 1.1 and 1.3.x were closed by B, 1.2 extended by C to June; nothing is left
    new = cli("new", "--date", "2024-03-20", "--carry-over", "--today", "2024-03-20")
    assert new.exit_code == 0, new.output
    assert "No decision of earlier meetings is open and due by 2024-03-20 (series «совещания»)." in new.stderr
    drafted, problems = load_protocol(root / new.stdout.strip())
    assert problems == [] and drafted.agenda[0].decided == ()

    # `due` agrees: nothing due by the meeting; of A only 1.2 is open, due on its extended date
    by_meeting = json.loads(cli("due", "--today", "2024-03-20", "--within", "0d", "--format", "json").stdout)
    assert by_meeting == []
    open_now = json.loads(cli("due", "--today", "2024-03-20", "--format", "json").stdout)
    assert [(r["id"], r["deadline"]["due"]) for r in open_now] == [("2024-02-14-1/1.2", "2024-06-01")]
    closed = json.loads(cli("due", "--today", "2024-03-20", "--status", "done", "--format", "json").stdout)
    assert sorted(r["id"] for r in closed) == ["2024-02-14-1/1.1", "2024-02-14-1/1.3.1", "2024-02-14-1/1.3.2"]

    # `list`: of A's five decision items, 1.2 and the ongoing 1.4 are open
    listed = {r["id"]: r["decisions"] for r in json.loads(cli("list", "--format", "json").stdout)}
    assert listed["2024-02-14-1"] == {"open": 2, "total": 5}
    # `show`: the same statuses, and the extended due date
    out = cli("show", "2024-02-14-1", "--today", "2024-03-20").stdout
    assert "1.1. Представить списки детей. [done]" in out
    assert "1.2. Провести мониторинг. [open]" in out and "до 15.03.2024 → 2024-06-01" in out
    assert "1.3.1. подготовить лагеря [done]" in out and "1.3.2. провести собрания [done]" in out
    assert "Decisions: 2 open, 0 overdue, 3 done, 0 cancelled (as of 2024-03-20)." in out
    # `people`: Белова's open decision is 1.2 alone (1.1 is closed by B, D's reopening is a draft's)
    people = json.loads(cli("people", "--format", "json").stdout)
    assert [(r["name"], r["open_decisions"]) for r in people] == [("Белова И.Г.", 1)]


def test_version():
    result = cli("--version")
    assert result.exit_code == 0 and result.stdout.startswith("protokol ")


@pytest.mark.parametrize(("name", "args"), [
    ("show-2024-01-09-1.txt", ["show", "2024-01-09-1", "--today", "2024-06-01"]),
    ("list.md", ["list", "--format", "md"]),
])
def test_golden_output_on_the_example_archive(name: str, args: list[str], monkeypatch):
    monkeypatch.chdir(REPO)  # paths in the output are relative to the current folder
    result = cli(*args, "--root", str(PROTOCOLS.parent), env={"COLUMNS": "100", "NO_COLOR": "1"})
    assert result.exit_code == 0
    path = GOLDEN / name
    if os.environ.get("PROTOKOL_REGENERATE"):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(result.stdout, encoding="utf-8")
    else:
        assert result.stdout == path.read_text(encoding="utf-8")


def test_the_examples_in_docs_archive_md_run(tmp_path: Path, monkeypatch):
    """Each `$ protokol …` line of docs/archive.md, in order, in an empty folder; `<!-- append: PATH -->` before a
    YAML block adds it to a file (the secretary's edit), `<!-- drop: PATH -->` removes the block from it (the file must
    hold it), `<!-- in: PATH -->` says the file holds the block."""
    import re
    import shlex

    monkeypatch.chdir(tmp_path)
    text = (REPO / "docs" / "archive.md").read_text(encoding="utf-8")
    steps = re.finditer(r"(?:<!-- (append|drop|in): (\S+) -->\n)?```(\w+)\n(.*?)```", text, re.S)
    ran = 0
    for marker, path, lang, body in (m.groups() for m in steps):
        if marker == "append":
            with open(path, "a", encoding="utf-8") as fh:
                fh.write(body)
        elif marker == "drop":
            held = Path(path).read_text(encoding="utf-8")
            assert body in held, path
            Path(path).write_text(held.replace(body, "", 1), encoding="utf-8")
        elif marker == "in":
            assert body in Path(path).read_text(encoding="utf-8"), path
        elif lang == "sh":
            for line in body.splitlines():
                words = shlex.split(line.removeprefix("$ "), comments=True)
                if words[0] == "cd":
                    monkeypatch.chdir(words[1])
                    continue
                assert words[0] == "protokol", line
                result = cli(*words[1:])
                assert result.exit_code == 0, (line, result.output)
                ran += 1
    assert ran >= 8
    assert cli("check", "--today", "2024-03-10").exit_code == 0


def test_interactive_new_prints_only_the_path_on_stdout(tmp_path, monkeypatch):
    import subprocess
    import sys

    from conftest import REPO

    env = {"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", "PYTHONPATH": str(REPO / "src")}
    run = lambda *args, **kw: subprocess.run([sys.executable, "-m", "protokol", *args], cwd=tmp_path, env=env,  # noqa: E731
                                             capture_output=True, text=True, **kw)
    assert run("init", ".").returncode == 0
    answers = "2024-05-28\n\n\nИванов И.И.\nПетров П.П.\n\nО ГИА\n\n"
    result = run("new", "--interactive", "--today", "2024-06-01", input=answers)
    assert result.returncode == 0, result.stderr
    assert result.stdout == "protocols/2024/2024-05-28-1.yaml\n"


def test_show_of_an_unreadable_protocol_names_its_problem(tmp_path):
    from conftest import DATA, run_cli

    folder = tmp_path / "protocols" / "2024"
    folder.mkdir(parents=True)
    text = (DATA / "checks" / "schema-date.yaml").read_text(encoding="utf-8")
    (folder / "feb30.yaml").write_text(text, encoding="utf-8")
    result = run_cli("show", "feb30", "--root", str(tmp_path), "--today", "2024-06-01")
    assert result.exit_code == 1
    assert "Protocol 'feb30' cannot be read" in result.stderr and "2024-02-30 is not a day of the calendar" in result.stderr


@pytest.mark.parametrize("lang", ["ru", "en"])
def test_a_yes_no_question_takes_da_and_asks_again_after_a_wrong_answer(archive: Path, lang: str):
    """A Russian secretary types «да» at [Д/н]: it is a yes in either language; «может» is asked again, in words."""
    answers = "\n".join(["12.03.2024", "", "", "", "", "", "", "может", "да"]) + "\n"
    result = cli("new", "--interactive", "--today", "2024-03-01", lang=lang, input=answers)
    assert result.exit_code == 0, result.output
    again = {"ru": "Ответьте «да» или «нет»", "en": "Answer yes or no"}[lang]
    assert again in result.stderr and result.stderr.count(again) == 1
    assert ("[Д/н]" if lang == "ru" else "[Y/n]") in result.stderr
    new, _problems = load_protocol(archive / "protocols" / "2024" / "2024-03-12-2.yaml")
    assert new.agenda[0].title == "О ходе выполнения решений предыдущих совещаний"


def test_the_carry_over_question_typed_by_hand_is_asked_once(archive: Path):
    result = cli("new", "--date", "2024-03-12", "--item", "о ходе выполнения решений  предыдущих совещаний.",
                 "--item", "О разном", "--carry-over", "--no-interactive", "--today", "2024-03-01")
    assert result.exit_code == 0, result.output
    new, _problems = load_protocol(archive / "protocols" / "2024" / "2024-03-12-2.yaml")
    assert [i.title for i in new.agenda] == ["О ходе выполнения решений предыдущих совещаний", "О разном"]


def test_a_backdated_new_protocol_is_written_with_a_warning_on_its_number(archive: Path):
    """The archive's last meeting of the series is 2024-02-14 № 1: a protocol of an earlier meeting written now gets
    № 2 and a warning naming the later one (the secretary fixes whichever is wrong)."""
    result = cli("new", "--date", "2024-02-01", "--no-interactive", "--today", "2024-03-01")
    assert result.exit_code == 0, result.output
    assert "warning[number-order]" in result.stderr and "2024-02-14-1.yaml" in result.stderr
    assert result.stdout.strip().endswith("2024-02-01-2.yaml")


def test_new_asks_for_the_participants_and_matches_the_names(archive: Path):
    """Names typed separated by commas or a line each: one the previous protocol has keeps its position there, one
    people.yaml knows takes its spelling, a group of the previous protocol its count; Enter at once keeps the previous
    protocol's, «-» leaves none."""
    (archive / "people.yaml").write_text("people:\n  - {name: Громов П.С., position: директор МОУ СОШ № 2}\n",
                                         encoding="utf-8")
    answers = "\n".join(["12.03.2024", "", "", "", "",
                         "Белова И. Г, Громов П С", "Исаев Р.Р.; руководители ОО", "",  # the participants
                         "", "n"]) + "\n"  # no questions, no carry-over
    result = cli("new", "--interactive", "--today", "2024-03-01", input=answers)
    assert result.exit_code == 0, result.output
    assert "Enter at once keeps Белова И.Г., Руководители ОО; «-» leaves none." in result.stderr
    assert "Participant 3:" in result.stderr and "Participants copied from" not in result.stderr
    new, problems = load_protocol(archive / "protocols" / "2024" / "2024-03-12-2.yaml")
    assert [p for p in problems if p.severity == "error"] == []
    assert [(getattr(x, "name", None) or x.group, getattr(x, "position", None) or getattr(x, "count", None))
            for x in new.participants.present] == [("Белова И.Г.", "методист"), ("Громов П.С.", None),
                                                   ("Исаев Р.Р.", None), ("Руководители ОО", 12)]
    kept = cli("new", "--interactive", "--date", "2024-03-13", "--today", "2024-03-01", input="\n" * 6 + "\nn\n")
    assert kept.exit_code == 0, kept.output
    assert "Participants copied from 2024-03-12-2." in kept.stderr
    assert load_protocol(archive / "protocols" / "2024" / "2024-03-13-3.yaml")[0].participants.present == \
        new.participants.present
    nobody = cli("new", "--interactive", "--date", "2024-03-14", "--today", "2024-03-01",
                 input="\n" * 5 + "-\n\n\nn\n")
    assert nobody.exit_code == 0, nobody.output
    assert load_protocol(archive / "protocols" / "2024" / "2024-03-14-4.yaml")[0].participants.present == ()


def test_new_takes_participants_as_options(archive: Path):
    given = cli("new", "--date", "2024-03-12", "--participant", "Громов П.С., Белова И. Г.", "--participant", "Исаев Р.Р.",
                "--today", "2024-03-01")
    assert given.exit_code == 0, given.output
    assert "Participants copied from" not in given.stderr
    new = load_protocol(archive / "protocols" / "2024" / "2024-03-12-2.yaml")[0]
    assert [(x.name, x.position) for x in new.participants.present] == [
        ("Громов П.С.", None), ("Белова И.Г.", "методист"), ("Исаев Р.Р.", None)]
    none = cli("new", "--date", "2024-03-13", "--participant", "-", "--today", "2024-03-01")
    assert none.exit_code == 0, none.output
    assert load_protocol(archive / "protocols" / "2024" / "2024-03-13-3.yaml")[0].participants.present == ()
