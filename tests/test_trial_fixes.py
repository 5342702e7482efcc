"""Faults a newcomer trial found in the review and archive commands, each pinned by a test that failed before its fix:
sign refusing what `check` rejects, history of an unknown decision, what `init` sets up for git, the «Next:» hint,
reopening shown as a status change and keeping the earlier closing, and СЛУШАЛИ in textconv in the accusative."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
import yaml

from conftest import git_env
from protokol import control
from protokol import model as m
from protokol.index import Entry, Marks, Meeting, marks_of
from protokol.status import Decision

REL = "protocols/2024/2024-05-14-1.yaml"
PROTOCOL = """\
date: 2024-05-14
number: "1"
title: совещания руководителей
participants:
  chair: Никитина О.В.
  secretary: Фролова Т.С.
  present:
    - Белова И.Г.
agenda:
  - number: 1
    title: О летней кампании
    heard:
      - who: Белова И.Г.
        role: главного специалиста отдела образования
        text: Доклад о готовности лагерей.
      - who: [Громов П.С., Исаев Р.Р.]
    spoke:
      - who: Белова И.Г.
        role: главный специалист
    decided:
      - number: "1.1"
        text: Представить списки детей.
        deadline: до 20 мая
        responsible: руководители ОО
      - number: "1.2"
        text: Обеспечить открытие лагерей.
        deadline: 03.06.2024
        responsible: Громов П.С.
"""
LATER = """\
date: 2024-05-21
number: "2"
title: совещания руководителей
participants:
  chair: Никитина О.В.
  secretary: Фролова Т.С.
agenda:
  - number: 1
    title: О ходе выполнения решений
    decided:
      - number: "1.1"
        text: Пункт 1.2 протокола № 1 от 14.05.2024 снять с контроля.
        acts_on: [{decision: 2024-05-14-1/1.2, action: done}]
"""


def git(repo: Path, *args: str) -> str:
    result = subprocess.run(["git", *args], cwd=repo, capture_output=True, text=True, env=git_env(repo))
    assert result.returncode == 0, f"git {' '.join(args)}: {result.stderr}"
    return result.stdout


def protokol(repo: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "protokol", *args], cwd=repo, capture_output=True, text=True,
                          env=git_env(repo))


def write(repo: Path, text: str, rel: str = REL) -> None:
    path = repo / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def commit(repo: Path, message: str) -> None:
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "--no-verify", "-m", message)


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = tmp_path / "archive"
    root.mkdir()
    git(root, "init", "-q", "-b", "main")
    git(root, "config", "commit.gpgsign", "false")
    write(root, PROTOCOL)
    commit(root, "Протокол № 1")
    return root


# --- 1. sign runs the checks of `check` -------------------------------------------------------------------------------

def test_sign_refuses_a_protocol_that_check_rejects(repo: Path):
    broken = PROTOCOL.replace("        responsible: Громов П.С.\n",
                              "        responsible: Громов П.С.\n        control: {status: done, date: 2024-05-01}\n")
    write(repo, broken)
    checked = protokol(repo, "check", "--today", "2024-06-01")
    assert checked.returncode == 1 and "error[control-date]" in checked.stdout
    signed = protokol(repo, "sign", "2024-05-14-1", "--by", "Никитина О.В.", "--date", "2024-05-15", "--today", "2024-06-01")
    assert signed.returncode == 1, signed.stdout + signed.stderr
    assert "error[control-date]" in signed.stdout  # the problems, printed as `check` prints them
    assert "has errors" in signed.stderr
    assert (repo / REL).read_text(encoding="utf-8") == broken  # nothing written
    # a warning alone does not stop it, and the fixed file is signed
    write(repo, PROTOCOL)
    fixed = protokol(repo, "sign", "2024-05-14-1", "--by", "Никитина О.В.", "--date", "2024-05-15", "--today", "2024-06-01")
    assert fixed.returncode == 0, fixed.stdout + fixed.stderr
    assert yaml.safe_load((repo / REL).read_text(encoding="utf-8"))["signed"]["by"] == "Никитина О.В."


def test_sign_checks_with_the_archive_settings(repo: Path, monkeypatch):
    from conftest import run_cli
    from protokol import checks

    (repo / "protokol.yaml").write_text("school_year_end: '06-30'\n", encoding="utf-8")
    seen = []
    real = checks.check_protocol

    def spy(protocol, today, school_year=checks._DEFAULT_SCHOOL_YEAR):
        seen.append((protocol.id, today, school_year))
        return real(protocol, today, school_year)

    monkeypatch.setattr(checks, "check_protocol", spy)
    result = run_cli("sign", "2024-05-14-1", "--by", "Никитина О.В.", "--date", "2024-05-15", "--today", "2024-06-01",
                     "--root", str(repo))
    assert result.exit_code == 0, result.output
    assert [(pid, today, sy.end) for pid, today, sy in seen] == [("2024-05-14-1", date(2024, 6, 1), (6, 30))]


# --- 2. history of what does not exist --------------------------------------------------------------------------------

def test_history_of_a_decision_that_never_existed_is_a_usage_error(repo: Path):
    missing = protokol(repo, "history", "2024-05-14-1/9.9")
    assert missing.returncode == 2, missing.stdout + missing.stderr
    assert "has no decision 9.9" in missing.stderr and "No recorded change" not in missing.stderr
    close = protokol(repo, "history", "2024-05-14-1/1.3")
    assert close.returncode == 2 and "1.1" in close.stderr and "1.2" in close.stderr  # the ids that come close
    unknown = protokol(repo, "history", "2024-05-14-7/1.1")
    assert unknown.returncode == 2 and "2024-05-14-1" in unknown.stderr  # did you mean
    # a decision that existed once (removed since) still has a history
    write(repo, PROTOCOL.replace("""      - number: "1.2"
        text: Обеспечить открытие лагерей.
        deadline: 03.06.2024
        responsible: Громов П.С.
""", ""))
    commit(repo, "Пункт 1.2 исключён")
    removed = protokol(repo, "history", "2024-05-14-1/1.2")
    assert removed.returncode == 0, removed.stderr
    assert "- decision 2024-05-14-1/1.2" in removed.stdout


def test_history_of_a_decision_with_no_change_says_so(repo: Path):
    """A decision that exists and never changed after being added is not an error: one entry, its addition."""
    result = protokol(repo, "history", "2024-05-14-1/1.1", "--format", "json")
    assert result.returncode == 0 and len(json.loads(result.stdout)) == 1


# --- 3 and 4. init sets up git, and says only what is still to fill in ------------------------------------------------

def _cli(*args: str):
    from typer.testing import CliRunner

    from protokol.cli.main import build_app
    from protokol.i18n import set_language

    set_language("en")
    return CliRunner().invoke(build_app(), list(args), catch_exceptions=False)


def test_init_sets_up_git_integration_and_pre_commit_and_is_safe_twice(tmp_path: Path, monkeypatch):
    from protokol.gitreview import GITATTRIBUTES_LINES, PRE_COMMIT_CONFIG, textconv_command

    monkeypatch.setenv("GIT_CONFIG_GLOBAL", os.devnull)
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    root = tmp_path / "archive"
    first = _cli("init", str(root))
    assert first.exit_code == 0, first.output
    for name in (".gitattributes", ".pre-commit-config.yaml", "git config diff.protokol.textconv"):
        assert f"created  {name}\n" in first.stdout
    attributes = (root / ".gitattributes").read_text(encoding="utf-8").splitlines()
    assert all(line in attributes for line in GITATTRIBUTES_LINES)
    assert (root / ".pre-commit-config.yaml").read_text(encoding="utf-8") == PRE_COMMIT_CONFIG
    assert git(root, "config", "--local", "--get", "diff.protokol.textconv").strip() == textconv_command()

    mine = "repos: []  # my own\n"
    (root / ".pre-commit-config.yaml").write_text(mine, encoding="utf-8")
    before = {p: p.read_bytes() for p in root.rglob("*") if p.is_file() and ".git" not in p.relative_to(root).parts}
    second = _cli("init", str(root))
    assert second.exit_code == 0, second.output
    assert "created" not in second.stdout and "updated" not in second.stdout
    for name in (".gitattributes", ".pre-commit-config.yaml", "git config diff.protokol.textconv"):
        assert f"kept     {name}" in second.stdout
    after = {p: p.read_bytes() for p in root.rglob("*") if p.is_file() and ".git" not in p.relative_to(root).parts}
    assert after == before  # the user's .pre-commit-config.yaml is never overwritten


def test_init_in_an_existing_repository_adds_to_gitattributes_and_without_git_writes_none(tmp_path: Path, monkeypatch):
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", os.devnull)
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    root = tmp_path / "repo"
    root.mkdir()
    git(root, "init", "-q")
    (root / ".gitattributes").write_text("*.docx binary\n", encoding="utf-8")
    result = _cli("init", str(root))
    assert result.exit_code == 0, result.output
    assert "updated  .gitattributes" in result.stdout
    text = (root / ".gitattributes").read_text(encoding="utf-8")
    assert text.startswith("*.docx binary\n") and text.count("diff=protokol") == 2
    plain = tmp_path / "plain"
    assert _cli("init", str(plain), "--no-git").exit_code == 0
    assert not (plain / ".gitattributes").exists() and not (plain / ".pre-commit-config.yaml").exists()


@pytest.mark.parametrize(("options", "named", "not_named"), [
    ((), "protokol.yaml (organization, chair, secretary)", None),
    (("--organization", "Отдел образования", "--chair", "Никитина О.В."), "protokol.yaml (secretary)", "chair"),
    (("--organization", "Отдел образования", "--chair", "Никитина О.В.", "--secretary", "Фролова Т.С."),
     "Next: fill in people.yaml", "protokol.yaml"),
])
def test_init_next_names_only_what_is_still_empty(tmp_path: Path, options, named, not_named):
    result = _cli("init", str(tmp_path / "a"), "--no-git", *options)
    assert result.exit_code == 0, result.output
    nxt = next(line for line in result.stdout.splitlines() if line.startswith("Next:"))
    assert named in nxt
    if not_named:
        assert not_named not in nxt


# --- 5. reopening: the status change, and the earlier closing kept ------------------------------------------------------

def _decision(marks: Marks, status: str, status_date: date | None = None) -> Decision:
    entry = Entry("2024-05-14-1", "1.1", (), 10, 9, "Сделать.", "до 20 мая", "date", date(2024, 5, 20), None,
                        ("ОО",), marks, (), (), True, None)
    meeting = Meeting("2024-05-14-1", "p.yaml", date(2024, 5, 14), "1", "совещания", False)
    return Decision(entry, meeting, status, date(2024, 5, 20), status_date)


def test_reopen_keeps_the_earlier_closing_in_the_history():
    cancelled = marks_of(m.Control(status="cancelled", date=date(2024, 5, 20), reason="утратило актуальность",
                                         report="частично"))
    out = control.reopen(_decision(cancelled, "cancelled", date(2024, 5, 20)), date(2024, 6, 1), date(2024, 6, 1))
    assert out.control == m.Control(status="open", date=date(2024, 6, 1), history=(
        m.Closing(status="cancelled", date=date(2024, 5, 20), reason="утратило актуальность", report="частично",
                  reopened=date(2024, 6, 1)),))
    # the history survives the next actions (they start from the marks as the index reads them)
    again = control.done(_decision(marks_of(out.control), "open"), date(2024, 6, 5), date(2024, 6, 5), "сделано")
    assert again.control.history == out.control.history and again.control.report == "сделано"


def test_cancel_then_reopen_keeps_the_reason_in_the_file_and_history_shows_the_status(repo: Path):
    cancel = protokol(repo, "cancel", "2024-05-14-1/1.1", "--reason", "утратило актуальность", "--date", "2024-05-20",
                      "--today", "2024-06-01")
    assert cancel.returncode == 0, cancel.stderr
    commit(repo, "Снято")
    reopen = protokol(repo, "reopen", "2024-05-14-1/1.1", "--today", "2024-06-01")
    assert reopen.returncode == 0, reopen.stderr
    data = yaml.safe_load((repo / REL).read_text(encoding="utf-8"))
    marks = data["agenda"][0]["decided"][0]["control"]
    assert marks["status"] == "open" and marks["date"] == date(2024, 6, 1)
    assert marks["history"] == [{"status": "cancelled", "date": date(2024, 5, 20), "reason": "утратило актуальность",
                                 "reopened": date(2024, 6, 1)}]
    assert protokol(repo, "check", "--today", "2024-06-01").returncode == 0
    commit(repo, "Возобновлено")
    text = protokol(repo, "history", "2024-05-14-1/1.1", "--today", "2024-06-01").stdout
    cancelled, reopened = text.split("Снято\n")[1].split("Возобновлено\n")
    assert "status open → cancelled (20.05.2024)" in cancelled and "date of" not in cancelled
    assert reopened.splitlines() == [
        "  ~ decision 2024-05-14-1/1.1: status cancelled → open (reopened 01.06.2024)",
        "  ~ decision 2024-05-14-1/1.1: earlier closing kept: cancelled 20.05.2024 (утратило актуальность), "
        "reopened 01.06.2024", ""]
    # textconv keeps it on one line too
    shown = protokol(repo, "textconv", REL).stdout
    assert "Снято с контроля 20.05.2024 (утратило актуальность), возвращено на контроль 01.06.2024" in shown


def test_reopen_of_a_decision_closed_by_a_later_protocol_is_shown_as_a_status_change(repo: Path):
    write(repo, LATER, "protocols/2024/2024-05-21-2.yaml")
    commit(repo, "Протокол № 2")
    reopen = protokol(repo, "reopen", "2024-05-14-1/1.2", "--today", "2024-06-01")
    assert reopen.returncode == 0, reopen.stderr
    diff = protokol(repo, "diff", "--today", "2024-06-01")
    assert "decision 2024-05-14-1/1.2: status → open (reopened 01.06.2024)" in diff.stdout
    assert "date of execution" not in diff.stdout
    records = [c for f in json.loads(protokol(repo, "diff", "--format", "json").stdout)["files"] for c in f["changes"]]
    assert [(c["field"], c["old"], c["new"], c["old_on"], c["new_on"]) for c in records] == [
        ("control.status", "open", "open", None, "2024-06-01")]


def test_done_is_one_status_line_with_its_day_and_a_corrected_day_is_shown(repo: Path):
    assert protokol(repo, "done", "2024-05-14-1/1.1", "--date", "2024-05-19", "--today", "2024-06-01").returncode == 0
    diff = protokol(repo, "diff", "--today", "2024-06-01").stdout
    assert "decision 2024-05-14-1/1.1: status open → done (19.05.2024)" in diff and "date of" not in diff
    commit(repo, "Исполнено")
    write(repo, (repo / REL).read_text(encoding="utf-8").replace("date: 2024-05-19", "date: 2024-05-18"))
    corrected = protokol(repo, "diff", "--today", "2024-06-01").stdout
    assert "decision 2024-05-14-1/1.1: date of execution 19.05.2024 → 18.05.2024" in corrected
    assert "status" not in corrected


# --- 6. textconv: СЛУШАЛИ in the accusative, as render prints it --------------------------------------------------------

def test_textconv_declines_the_heard_into_the_accusative_as_render_does(repo: Path):
    from protokol.load import protocol_from_text
    from protokol.render import build_view

    shown = protokol(repo, "textconv", REL).stdout
    assert "  СЛУШАЛИ: Белову И.Г., главного специалиста отдела образования\n" in shown
    assert "  СЛУШАЛИ: Громова П.С., Исаева Р.Р.\n" in shown
    assert "  ВЫСТУПИЛИ: Белова И.Г., главный специалист\n" in shown  # ВЫСТУПИЛИ keeps the nominative
    protocol, _problems = protocol_from_text(PROTOCOL, REL)
    view, _problems = build_view(protocol)
    rendered = [s["who"].replace("\xa0", " ") for item in view["questions"] for s in item["heard"]]
    assert rendered == ["Белову И.Г.", "Громова П.С. и Исаева Р.Р."]  # the same forms in the printed protocol
