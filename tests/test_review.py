"""Git-based review of minutes, in real git repositories in temporary folders: semantic diff (commits, a branch, a rename,
a merge), textconv in `git diff`, the pre-commit hook, signing, and the history of a decision."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
import yaml

from conftest import HEADS_MEETING, HEADS_REL, REPO, commit, git, git_env, init_repo, protokol
from conftest import write as write_file

PROTOCOL = """\
# Протокол № 3: комментарий секретаря остаётся на месте
date: 2024-05-14
number: "3"
title: совещания руководителей образовательных организаций
participants:
  chair: Никитина О.В.
  secretary: Фролова Т.С.
  present:
    - Белова И.Г.
    - {name: Громов П.С., position: директор МОУ СОШ № 2}
    - Исаев Р.Р.
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
        responsible: Громов П.С.
"""
REL = "protocols/2024/2024-05-14-3.yaml"
LINE_1_1 = "2024-05-14-3/1.1 Представить списки детей для зачисления в лагеря. | Срок: до {day} мая (= {day}.05.2024) | Отв.: руководители ОО"
NEW_DECISION = """\
      - number: "1.3"
        text: Провести инструктаж по технике безопасности.
        deadline: до 31 мая 2024 года
        responsible: Исаев Р.Р.
"""


def write(repo: Path, text: str, rel: str = REL) -> Path:
    return write_file(repo, text, rel)


def changes_of(result: subprocess.CompletedProcess) -> list[dict]:
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    return [c for f in data["files"] for c in f["changes"]]


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = init_repo(tmp_path / "archive")
    write(root, PROTOCOL)
    commit(root, "Протокол № 3")
    return root


# --- protokol diff ----------------------------------------------------------------------------------------------------

def test_diff_reports_a_moved_deadline_a_new_decision_and_a_removed_participant(repo: Path):
    text = PROTOCOL.replace("до 20 мая", "до 30 мая").replace("    - Исаев Р.Р.\n", "") + NEW_DECISION
    write(repo, text)
    changes = changes_of(protokol(repo, "diff", "--format", "json", "--today", "2024-05-15"))
    kinds = {(c["kind"], c["subject"], c["field"]) for c in changes}
    assert kinds == {("decision-changed", "1.1", "deadline"), ("decision-added", "1.3", ""),
                     ("participant-removed", "Исаев Р.Р.", "present")}
    moved = next(c for c in changes if c["kind"] == "decision-changed")
    # «до 20 мая» in a meeting of 14 May 2024 means 20 May 2024; «до 30 мая» 30 May 2024
    assert (moved["old"], moved["new"], moved["old_due"], moved["new_due"]) == ("до 20 мая", "до 30 мая", "2024-05-20", "2024-05-30")
    added = next(c for c in changes if c["kind"] == "decision-added")
    assert added["new_due"] == "2024-05-31"
    assert "Провести инструктаж по технике безопасности." in added["new"]

    text_out = protokol(repo, "diff", "--today", "2024-05-15")
    assert text_out.returncode == 0
    lines = [line.strip() for line in text_out.stdout.splitlines()]
    assert "~ decision 2024-05-14-3/1.1: deadline «до 20 мая» (20.05.2024) → «до 30 мая» (30.05.2024)" in lines
    assert "- participant (present): Исаев Р.Р." in lines
    assert any(line.startswith("+ decision 2024-05-14-3/1.3 Провести инструктаж") for line in lines)

    md = protokol(repo, "diff", "--format", "md", "--today", "2024-05-15").stdout
    assert md.startswith("### ")
    assert f"#### `{REL}` — changed" in md
    assert "- ✏️ decision 2024-05-14-3/1.1: deadline «до 20 мая» (20.05.2024) → «до 30 мая» (30.05.2024)" in md


def test_diff_between_commits_names_header_and_agenda_changes(repo: Path):
    text = PROTOCOL.replace('number: "3"', 'number: "4"').replace("О подготовке к летней оздоровительной кампании",
                                                                  "О летней оздоровительной кампании 2024 года")
    text += """  - number: 2
    title: Разное
"""
    write(repo, text)
    commit(repo, "Номер и повестка")
    changes = changes_of(protokol(repo, "diff", "HEAD~1", "HEAD", "--format", "json"))
    assert [(c["kind"], c["subject"], c["old"], c["new"]) for c in changes] == [
        ("header", "number", "3", "4"),
        ("agenda-retitled", "1", "О подготовке к летней оздоровительной кампании", "О летней оздоровительной кампании 2024 года"),
        ("agenda-added", "2", None, "Разное"),
    ]


def test_diff_of_a_branch_shows_only_what_the_branch_changed(repo: Path):
    git(repo, "checkout", "-q", "-b", "feature")
    write(repo, PROTOCOL.replace("deadline: 03.06.2024", "deadline: 10.06.2024"))
    commit(repo, "Срок открытия лагерей")
    git(repo, "checkout", "-q", "main")
    write(repo, PROTOCOL.replace("    - Исаев Р.Р.\n", "    - Исаев Р.Р.\n    - Кравец А.А.\n"))
    commit(repo, "Участник")
    changes = changes_of(protokol(repo, "diff", "main...feature", "--format", "json"))
    assert [(c["kind"], c["subject"], c["old_due"], c["new_due"]) for c in changes] == [
        ("decision-changed", "1.2", "2024-06-03", "2024-06-10")]
    both = changes_of(protokol(repo, "diff", "main", "feature", "--format", "json"))
    assert {c["kind"] for c in both} == {"decision-changed", "participant-removed"}  # main's participant is not on feature

    git(repo, "merge", "-q", "--no-ff", "-m", "Merge feature", "feature")
    merged = changes_of(protokol(repo, "diff", "HEAD^1", "HEAD", "--format", "json"))
    assert [(c["kind"], c["subject"]) for c in merged] == [("decision-changed", "1.2")]
    history = json.loads(protokol(repo, "history", "2024-05-14-3/1.2", "--format", "json").stdout)
    assert [e["subject"] for e in history] == ["Протокол № 3", "Срок открытия лагерей"]


def test_diff_follows_a_renamed_file(repo: Path):
    git(repo, "mv", REL, "protocols/2024/2024-05-14-4.yaml")
    write(repo, PROTOCOL.replace('number: "3"', 'number: "4"').replace("до 20 мая", "до 25 мая"),
          "protocols/2024/2024-05-14-4.yaml")
    commit(repo, "Перенумерован")
    data = json.loads(protokol(repo, "diff", "HEAD~1", "HEAD", "--format", "json").stdout)
    assert [(f["status"], f["old_path"], f["path"], f["old_id"], f["id"]) for f in data["files"]] == [
        ("renamed", REL, "protocols/2024/2024-05-14-4.yaml", "2024-05-14-3", "2024-05-14-4")]
    # decisions are matched by their number, so a rename does not turn them into removed + added
    assert [(c["kind"], c["subject"], c["field"]) for c in data["files"][0]["changes"]] == [
        ("header", "number", "number"), ("decision-changed", "1.1", "deadline")]
    history = json.loads(protokol(repo, "history", "2024-05-14-4/1.1", "--format", "json").stdout)
    assert [(e["subject"], e["renamed_from"]) for e in history] == [("Протокол № 3", None), ("Перенумерован", REL)]


def test_diff_paths_after_double_dash_and_layout_only_changes(repo: Path):
    write(repo, PROTOCOL.replace("title: совещания", "title:   совещания") + "# комментарий\n")
    write(repo, PROTOCOL.replace("2024-05-14", "2024-05-21"), "protocols/2024/2024-05-21-4.yaml")
    only = json.loads(protokol(repo, "diff", "--format", "json", "HEAD", "--", "protocols/2024/2024-05-21-4.yaml").stdout)
    assert [(f["status"], f["path"]) for f in only["files"]] == [("added", "protocols/2024/2024-05-21-4.yaml")]
    everything = json.loads(protokol(repo, "diff", "--format", "json").stdout)
    layout = next(f for f in everything["files"] if f["path"] == REL)
    assert layout["changes"] == []  # reformatting and a comment change nothing in meaning
    assert "no change in meaning" in protokol(repo, "diff").stdout


def test_diff_reports_an_unreadable_version_instead_of_failing(repo: Path):
    write(repo, PROTOCOL.replace("date: 2024-05-14", "date: 14.05.2024"))
    data = json.loads(protokol(repo, "diff", "--format", "json").stdout)
    assert data["files"][0]["problems"] and "YYYY-MM-DD" in data["files"][0]["problems"][0]


def test_diff_outside_a_repository_and_without_git(tmp_path: Path):
    folder = tmp_path / "plain"
    write(folder, PROTOCOL)
    result = protokol(folder, "diff")
    assert result.returncode == 2
    assert "is not in a git repository" in result.stderr and "Traceback" not in result.stderr
    empty = tmp_path / "bin"
    empty.mkdir()
    env = {**git_env(folder), "PATH": str(empty)}
    result = protokol(folder, "history", "2024-05-14-3", env=env)
    assert result.returncode == 2
    assert "git is not installed" in result.stderr


def test_diff_rejects_what_is_no_revision(repo: Path):
    result = protokol(repo, "diff", "no-such-branch")
    assert result.returncode == 2
    assert "'no-such-branch' is not a commit, branch or tag" in result.stderr


# --- textconv and hooks -------------------------------------------------------------------------------------------------

def test_git_diff_shows_protocols_as_text_after_hooks_install(repo: Path):
    result = protokol(repo, "hooks", "install")
    assert result.returncode == 0, result.stderr
    assert "protocols/**/*.yaml diff=protokol" in (repo / ".gitattributes").read_text(encoding="utf-8")
    assert git(repo, "config", "diff.protokol.textconv").stdout.strip().endswith("-m protokol textconv")
    commit(repo, "git integration")
    write(repo, PROTOCOL.replace("до 20 мая", "до 30 мая"))
    shown = git(repo, "diff").stdout
    changed = [line for line in shown.splitlines() if line[:1] in "+-" and not line.startswith(("+++", "---"))]
    assert changed == ["-    " + LINE_1_1.format(day="20"), "+    " + LINE_1_1.format(day="30")]
    commit(repo, "Срок 1.1")
    log = git(repo, "log", "-p", "-1").stdout
    assert "+    " + LINE_1_1.format(day="30") in log and "deadline:" not in log
    again = protokol(repo, "hooks", "install")
    assert "Everything was already set up." in again.stdout


def test_textconv_declines_the_heard_into_the_accusative_as_render_does(heads_repo: Path):
    from protokol.load import protocol_from_text
    from protokol.render import build_view

    shown = protokol(heads_repo, "textconv", HEADS_REL).stdout
    assert "  СЛУШАЛИ: Белову И.Г., главного специалиста отдела образования\n" in shown
    assert "  СЛУШАЛИ: Громова П.С., Исаева Р.Р.\n" in shown
    assert "  ВЫСТУПИЛИ: Белова И.Г., главный специалист\n" in shown  # ВЫСТУПИЛИ keeps the nominative
    protocol, _problems = protocol_from_text(HEADS_MEETING, HEADS_REL)
    view, _problems = build_view(protocol)
    rendered = [s["who"].replace("\xa0", " ") for item in view["questions"] for s in item["heard"]]
    assert rendered == ["Белову И.Г.", "Громова П.С. и Исаева Р.Р."]  # the same forms in the printed protocol


def test_textconv_prints_a_broken_file_as_it_is(tmp_path: Path):
    path = tmp_path / "2024-05-14-3.yaml"
    path.write_text("date: [unclosed\n", encoding="utf-8")
    result = protokol(tmp_path, "textconv", str(path))
    assert result.returncode == 0 and result.stdout == "date: [unclosed\n"


def test_a_commit_with_a_broken_protocol_is_refused(repo: Path):
    assert protokol(repo, "hooks", "install").returncode == 0
    commit(repo, "git integration")
    before = git(repo, "rev-parse", "HEAD").stdout
    write(repo, PROTOCOL.replace("date: 2024-05-14", "date: 2024-05-32"))
    git(repo, "add", "-A")
    refused = git(repo, "commit", "-m", "Опечатка в дате", check=False)
    assert refused.returncode != 0
    assert "error[schema-date]" in refused.stdout + refused.stderr
    assert "Commit refused: 1 error in the staged protocols." in refused.stderr
    assert git(repo, "rev-parse", "HEAD").stdout == before
    # the staged version counts, not the file in the folder
    write(repo, PROTOCOL)
    assert git(repo, "commit", "-m", "still staged broken", check=False).returncode != 0
    write(repo, PROTOCOL.replace("до 20 мая", "до 21 мая"))
    git(repo, "add", "-A")
    ok = git(repo, "commit", "-q", "-m", "Исправлено", check=False)
    assert ok.returncode == 0, ok.stderr


def test_hooks_install_keeps_a_foreign_hook_unless_forced(repo: Path):
    hook = repo / ".git" / "hooks" / "pre-commit"
    hook.write_text("#!/bin/sh\necho mine\n", encoding="utf-8")
    refused = protokol(repo, "hooks", "install")
    assert refused.returncode == 1 and "was not written by protokol" in refused.stderr
    assert hook.read_text(encoding="utf-8") == "#!/bin/sh\necho mine\n"
    forced = protokol(repo, "hooks", "install", "--force")
    assert forced.returncode == 0
    assert (repo / ".git" / "hooks" / "pre-commit.bak").read_text(encoding="utf-8") == "#!/bin/sh\necho mine\n"
    assert os.access(hook, os.X_OK) and "protokol hooks pre-commit" in hook.read_text(encoding="utf-8")


def test_setup_git_integration_for_init(repo: Path):
    from protokol.gitreview import setup_git_integration

    (repo / ".gitattributes").write_text("*.docx binary", encoding="utf-8")
    assert setup_git_integration(repo) == [".gitattributes", "git config diff.protokol.textconv"]
    text = (repo / ".gitattributes").read_text(encoding="utf-8")
    assert text.startswith("*.docx binary\n") and text.count("diff=protokol") == 2
    assert setup_git_integration(repo) == []


def test_pre_commit_files_use_the_protokol_check_hook():
    from protokol.gitreview import PRE_COMMIT_CONFIG

    published = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    hook = next(h for h in published if h["id"] == "protokol-check")
    assert hook["entry"] == "protokol check" and hook["language"] == "python"
    config = yaml.safe_load(PRE_COMMIT_CONFIG)
    local = config["repos"][0]["hooks"][0]
    assert local["id"] == "protokol-check" and local["entry"] == "protokol check"
    for pattern in (hook["files"], local["files"]):
        assert re.search(pattern, "protocols/2024/2024-05-14-3.yaml") and re.search(pattern, "protocols/2024/x.yml")
        assert not re.search(pattern, "protokol.yaml") and not re.search(pattern, "people.yaml")


# --- signing ------------------------------------------------------------------------------------------------------------

def test_a_signed_protocol_edited_is_caught_and_control_marks_are_not(repo: Path):
    signed = protokol(repo, "sign", "2024-05-14-3", "--by", "Никитина О.В.", "--date", "2024-05-15")
    assert signed.returncode == 0, signed.stderr
    text = (repo / REL).read_text(encoding="utf-8")
    assert text.startswith(PROTOCOL)  # every byte before the new block is kept, the comment included
    assert yaml.safe_load(text)["signed"]["by"] == "Никитина О.В."
    commit(repo, "Подписан")
    assert protokol(repo, "check", "--today", "2024-06-01").returncode == 0

    marked = text.replace("        responsible: руководители ОО\n",
                          "        responsible: руководители ОО\n        control:\n          status: done\n          date: 2024-05-19\n")
    write(repo, marked)
    assert protokol(repo, "check", "--today", "2024-06-01").returncode == 0

    write(repo, marked.replace("до 20 мая", "до 27 мая"))
    caught = protokol(repo, "check", "--today", "2024-06-01")
    assert caught.returncode == 1
    assert "error[signature-mismatch]" in caught.stdout
    assert "Changed since signing: decision[1.1].deadline." in caught.stdout
    refused = protokol(repo, "sign", "2024-05-14-3", "--by", "Никитина О.В.", "--force")
    assert refused.returncode == 1 and "--amend" in refused.stderr

    amended = protokol(repo, "sign", "2024-05-14-3", "--by", "Никитина О.В.", "--date", "2024-05-20",
                       "--amend", "исправлен срок пункта 1.1")
    assert amended.returncode == 0, amended.stderr
    data = yaml.safe_load((repo / REL).read_text(encoding="utf-8"))
    assert data["amendments"] == [{"date": date(2024, 5, 20), "by": "Никитина О.В.",
                                   "reason": "исправлен срок пункта 1.1",
                                   "previous": yaml.safe_load(text)["signed"], "fields": ["decision[1.1].deadline"]}]
    assert data["signed"]["sha256"] != yaml.safe_load(text)["signed"]["sha256"]
    assert protokol(repo, "check", "--today", "2024-06-01").returncode == 0


def test_sign_refuses_what_it_must_not_sign(repo: Path):
    assert protokol(repo, "sign", "2024-05-14-3", "--by", "Никитина О.В.", "--date", "2024-05-10").returncode == 1
    assert protokol(repo, "sign", "2024-05-14-3", "--by", "Никитина О.В.", "--amend", "x").returncode == 1
    assert protokol(repo, "sign", "2024-05-14-3", "--by", "Никитина О.В.", "--date", "2024-05-15").returncode == 0
    again = protokol(repo, "sign", "2024-05-14-3", "--by", "Никитина О.В.")
    assert again.returncode == 1 and "already signed" in again.stderr
    assert protokol(repo, "sign", "2024-05-14-3", "--by", "Никитина О. В.", "--date", "2024-05-16", "--force").returncode == 0
    assert yaml.safe_load((repo / REL).read_text(encoding="utf-8"))["signed"]["by"] == "Никитина О. В."
    write(repo, PROTOCOL.replace("date: 2024-05-14", "date: 2024-05-14\nstatus: draft"), "protocols/2024/2024-05-21-4.yaml")
    draft = protokol(repo, "sign", "2024-05-21-4", "--by", "Никитина О.В.", "--date", "2024-05-21")
    assert draft.returncode == 1 and "draft" in draft.stderr
    write(repo, "date: 2024-05-21\n", "protocols/2024/2024-05-21-5.yaml")
    broken = protokol(repo, "sign", "2024-05-21-5", "--by", "Никитина О.В.")
    assert broken.returncode == 1 and "has errors" in broken.stderr
    assert (repo / "protocols/2024/2024-05-21-5.yaml").read_text(encoding="utf-8") == "date: 2024-05-21\n"
    missing = protokol(repo, "sign", "2024-05-14-33", "--by", "Никитина О.В.")
    assert missing.returncode == 2 and "2024-05-14-3" in missing.stderr  # did you mean


# --- history -----------------------------------------------------------------------------------------------------------

def test_history_of_a_decision_across_three_commits(repo: Path):
    write(repo, PROTOCOL.replace("до 20 мая", "до 30 мая"))
    commit(repo, "Срок 1.1 продлён", "--author=Никитина Ольга <nikitina@example.org>")
    write(repo, PROTOCOL.replace("deadline: 03.06.2024", "deadline: 05.06.2024").replace("до 20 мая", "до 30 мая"))
    commit(repo, "Только пункт 1.2")
    done = PROTOCOL.replace("до 20 мая", "до 30 мая").replace("deadline: 03.06.2024", "deadline: 05.06.2024").replace(
        "        responsible: руководители ОО\n",
        "        responsible: руководители ОО\n        control:\n          status: done\n          date: 2024-05-29\n")
    write(repo, done)
    commit(repo, "Пункт 1.1 исполнен")
    result = protokol(repo, "history", "2024-05-14-3/1.1", "--format", "json", "--today", "2024-06-01")
    assert result.returncode == 0, result.stderr
    entries = json.loads(result.stdout)
    assert [(e["subject"], e["author"]) for e in entries] == [
        ("Протокол № 3", "Фролова Татьяна"), ("Срок 1.1 продлён", "Никитина Ольга"), ("Пункт 1.1 исполнен", "Фролова Татьяна")]
    assert all(re.fullmatch(r"[0-9a-f]{40}", e["commit"]) and re.match(r"\d{4}-\d{2}-\d{2}T", e["date"]) for e in entries)
    first, moved, closed = ([line["change"] for line in e["lines"]] for e in entries)
    assert [c["kind"] for c in first] == ["decision-added"]
    assert [(c["field"], c["old"], c["new"], c["old_due"], c["new_due"]) for c in moved] == [
        ("deadline", "до 20 мая", "до 30 мая", "2024-05-20", "2024-05-30")]
    assert [(c["field"], c["old"], c["new"], c["old_on"], c["new_on"]) for c in closed] == [
        ("control.status", "open", "done", None, "2024-05-29")]  # a status and its day: one record
    text = protokol(repo, "history", "2024-05-14-3/1.1", "--today", "2024-06-01").stdout
    assert "deadline «до 20 мая» (20.05.2024) → «до 30 мая» (30.05.2024)" in text
    assert "status open → done (29.05.2024)" in text
    whole = json.loads(protokol(repo, "history", "2024-05-14-3", "--format", "json").stdout)
    assert len(whole) == 4  # the protocol's history has the commit that touched only 1.2 too


RECURRING = """\
      - number: "1.3"
        text: Представлять отчёт о посещаемости.
        deadline: ежемесячно до 10 числа
        responsible: Исаев Р.Р.
"""


def test_a_recurring_deadline_is_shown_as_the_meeting_set_it_whatever_today(repo: Path):
    """A decision added with «ежемесячно до 10 числа» at the meeting of 14 May 2024: its added line, its deadline
    change and its removal show the first occurrence (10.06.2024), the day it meant then, read today or in a year."""
    write(repo, PROTOCOL + RECURRING)
    commit(repo, "Пункт 1.3")
    write(repo, PROTOCOL + RECURRING.replace("ежемесячно до 10 числа", "ежеквартально"))
    commit(repo, "Срок 1.3")
    write(repo, PROTOCOL)
    commit(repo, "Без 1.3")
    for today in ("2024-06-01", "2025-03-15"):
        entries = json.loads(protokol(repo, "history", "2024-05-14-3/1.3", "--format", "json", "--today", today).stdout)
        added, changed, removed = (e["lines"][0]["change"] for e in entries)
        assert (added["kind"], added["new_due"]) == ("decision-added", "2024-06-10"), today
        assert (changed["old_due"], changed["new_due"]) == ("2024-06-10", "2024-06-30"), today
        assert (removed["kind"], removed["old_due"]) == ("decision-removed", "2024-06-30"), today
        text = protokol(repo, "history", "2024-05-14-3/1.3", "--today", today).stdout
        assert "Срок: ежемесячно до 10 числа | Отв.: Исаев Р.Р. (due 10.06.2024)" in text, text
        assert "deadline «ежемесячно до 10 числа» (10.06.2024) → «ежеквартально» (30.06.2024)" in text
    diffed = protokol(repo, "diff", "HEAD~3", "HEAD~2", "--today", "2025-03-15").stdout
    assert "+ decision 2024-05-14-3/1.3 Представлять отчёт о посещаемости. | Срок: ежемесячно до 10 числа | " \
           "Отв.: Исаев Р.Р. (due 10.06.2024)" in diffed


def test_history_shows_uncommitted_changes_last(repo: Path):
    write(repo, PROTOCOL.replace("до 20 мая", "до 22 мая"))
    entries = json.loads(protokol(repo, "history", "2024-05-14-3/1.1", "--format", "json").stdout)
    assert entries[-1]["commit"] is None and entries[-1]["lines"][0]["change"]["new"] == "до 22 мая"


# --- the pure parts -----------------------------------------------------------------------------------------------------

def _load(text: str, path: str = REL):
    from protokol.load import protocol_from_text

    protocol, problems = protocol_from_text(text, path)
    assert protocol is not None, problems
    return protocol


def test_content_hash_ignores_layout_control_marks_and_due():
    from protokol.signing import content_hash

    base = content_hash(_load(PROTOCOL))
    relaid = PROTOCOL.replace("  present:\n    - Белова И.Г.", "  present: [Белова И.Г.,").replace(
        "    - {name: Громов П.С., position: директор МОУ СОШ № 2}\n    - Исаев Р.Р.\n",
        " {name: Громов П.С., position: директор МОУ СОШ № 2}, Исаев Р.Р.]\n").replace("# Протокол", "# другой комментарий")
    assert content_hash(_load(relaid)) == base
    controlled = PROTOCOL.replace("        responsible: Громов П.С.\n",
                                  "        responsible: Громов П.С.\n        due: 2024-06-03\n        control: {status: cancelled}\n")
    assert content_hash(_load(controlled)) == base
    assert content_hash(_load(PROTOCOL.replace("Обеспечить", "Организовать"))) != base


def test_write_signing_replaces_the_block_in_place_and_keeps_line_endings():
    from protokol import model as m
    from protokol.signedit import write_signing

    text = PROTOCOL.replace("agenda:", "signed:\n  by: Кто-то\n  date: 2024-05-14\n  sha256: " + "a" * 64 + "\n# о повестке\nagenda:")
    out = write_signing(text, m.Signing("Никитина О.В.", date(2024, 5, 15), "b" * 64))
    assert out == text.replace("  by: Кто-то\n  date: 2024-05-14\n  sha256: " + "a" * 64,
                               "  by: Никитина О.В.\n  date: 2024-05-15\n  sha256: " + "b" * 64)
    crlf = PROTOCOL.replace("\n", "\r\n")
    signed = write_signing(crlf, m.Signing("Никитина О.В.", date(2024, 5, 15), "b" * 64))
    assert signed.startswith(crlf) and signed[len(crlf):] == "signed:\r\n  by: Никитина О.В.\r\n  date: 2024-05-15\r\n  sha256: " + "b" * 64 + "\r\n"


AMENDMENT_SIGNING = ("Никитина О.В.", date(2024, 5, 15), "b" * 64)


def _amendment():
    from protokol import model as m

    previous = m.Signing("Кто-то", date(2024, 5, 14), "a" * 64)
    return m.Signing(*AMENDMENT_SIGNING), m.Amendment(date(2024, 5, 15), "Никитина О.В.", "исправлен срок", previous, ("agenda",))


def test_write_signing_adds_an_amendment_to_a_block_list_where_it_ends():
    from protokol.signedit import write_signing

    signing, amendment = _amendment()
    old_entry = "  - date: 2024-05-10\r\n    by: Кто-то\r\n    reason: первое\r\n"
    text = PROTOCOL.replace("\n", "\r\n") + "signed: {by: Кто-то, date: 2024-05-14}  # был\r\namendments:\r\n" + old_entry + "# конец\r\n"
    out = write_signing(text, signing, amendment)
    before, after = out.split(old_entry)
    assert before == PROTOCOL.replace("\n", "\r\n") + "signed:\r\n  by: Никитина О.В.\r\n  date: 2024-05-15\r\n  sha256: " + \
        "b" * 64 + "\r\namendments:\r\n"
    assert after.startswith("  - date: 2024-05-15\r\n    by: Никитина О.В.\r\n") and after.endswith("\r\n# конец\r\n")
    assert "\n" not in out.replace("\r\n", "")


def test_write_signing_puts_a_missing_signed_block_after_an_amendment_added_at_the_end():
    """A file with `amendments:` as its last block and no `signed:`: the new entry goes to the list, `signed:` after
    it (the old line-based edit put `signed:` between the list and its new entry, and sign then refused the result)."""
    from protokol.signedit import write_signing

    signing, amendment = _amendment()
    text = PROTOCOL + "amendments:\n- date: 2024-05-10\n  by: Кто-то\n  reason: первое"
    out = write_signing(text, signing, amendment)
    data = yaml.safe_load(out)
    assert [a["reason"] for a in data["amendments"]] == ["первое", "исправлен срок"]
    assert data["signed"]["sha256"] == "b" * 64 and out.startswith(text + "\n- date: 2024-05-15\n")


@pytest.mark.parametrize("amendments", ["amendments: [{date: 2024-05-10}]\n", "amendments:\n  [{date: 2024-05-10}]\n",
                                        "amendments: исправлено\n"])
def test_write_signing_refuses_an_amendment_list_it_cannot_extend(amendments: str):
    """A flow list is refused, wherever it starts (the old edit took one on the line after the key for a block list,
    and wrote block items under it)."""
    from protokol.signedit import SigningEditError, write_signing

    signing, amendment = _amendment()
    with pytest.raises(SigningEditError, match="flow style"):
        write_signing(PROTOCOL + "signed: {by: Кто-то}\n" + amendments, signing, amendment)


def test_write_signing_refuses_a_signed_key_off_the_left_margin():
    from protokol.signedit import SigningEditError, write_signing

    signing, _amendment_ = _amendment()
    with pytest.raises(SigningEditError, match="left margin"):
        write_signing("  date: 2024-05-14\n  signed: {by: A}\n", signing)


def test_semdiff_matches_people_by_name_and_reports_removals():
    from protokol.semdiff import diff_protocols

    old = _load(PROTOCOL)
    respelled = _load(PROTOCOL.replace("Белова И.Г.", "Белова И. Г.").replace(
        """      - number: "1.2"
        text: Обеспечить открытие лагерей.
        deadline: 03.06.2024
        responsible: Громов П.С.
""", ""))
    changes = diff_protocols(old, respelled, date(2024, 6, 1))
    assert [(c.kind, c.subject, c.old, c.new) for c in changes] == [
        ("participant-changed", "Белова И. Г.", "Белова И.Г.", "Белова И. Г."),
        # executors are stored without a closing dot (spec.split_executors)
        ("decision-removed", "1.2", "2024-05-14-3/1.2 Обеспечить открытие лагерей. | Срок: 03.06.2024 | Отв.: Громов П.С.", None)]
    assert changes[1].old_due == date(2024, 6, 3)
    assert [c.kind for c in diff_protocols(None, old, date(2024, 6, 1))] == ["protocol-added"]
    assert [c.kind for c in diff_protocols(old, None, date(2024, 6, 1))] == ["protocol-removed"]


def test_textconv_changes_one_line_per_changed_fact():
    import difflib

    from protokol.textconv import protocol_text

    before = protocol_text(_load(PROTOCOL)).splitlines()
    after = protocol_text(_load(PROTOCOL.replace("до 20 мая", "до 30 мая"))).splitlines()
    changed = [line for line in difflib.unified_diff(before, after, lineterm="", n=0) if line[:1] in "+-"][2:]
    assert changed == ["-    " + LINE_1_1.format(day="20"), "+    " + LINE_1_1.format(day="30")]
    assert "Присутствовали:" in before and "  Громов П.С. (директор МОУ СОШ № 2)" in before


def test_messages_follow_the_language():
    from protokol.diffreport import describe
    from protokol.i18n import set_language
    from protokol.semdiff import diff_protocols

    change = diff_protocols(_load(PROTOCOL), _load(PROTOCOL.replace("до 20 мая", "до 30 мая")), date(2024, 6, 1))[0]
    set_language("ru")
    sign, text = describe(change, "2024-05-14-3")
    assert (sign, text) == ("~", "решение 2024-05-14-3/1.1: срок «до 20 мая» (20.05.2024) → «до 30 мая» (30.05.2024)")


# --- docs/review.md: every `$ …` line runs, in order, and prints what the page shows -------------------------------------

_MARK = re.compile(r"<!-- (write|append|edit|date) ?(.*?) -->")


def _doc_steps():
    """The page as steps: ("write"/"append", path, text), ("edit", path, old, new), ("date", iso),
    ("run", command, expected exit code, expected output lines)."""
    import ast

    lines = (REPO / "docs" / "review.md").read_text(encoding="utf-8").splitlines()
    steps, i, pending = [], 0, None
    while i < len(lines):
        line = lines[i]
        mark = _MARK.fullmatch(line.strip())
        if mark:
            kind, arg = mark.groups()
            if kind in ("write", "append"):
                pending = (kind, arg.strip())
            elif kind == "edit":
                path, spec = arg.split(": ", 1)
                old, new = (ast.literal_eval(part.strip()) for part in spec.split(" -> "))
                steps.append(("edit", path, old, new))
            else:
                steps.append(("date", arg.strip()))
        elif line.startswith("```"):
            language = line[3:].strip()
            j = i + 1
            while not lines[j].startswith("```"):
                j += 1
            body = lines[i + 1:j]
            if pending is not None:
                steps.append((*pending, "\n".join(body) + "\n"))
                pending = None
            elif language == "console":
                for line_in_block in body:
                    if line_in_block.startswith("$ "):
                        command, _sep, comment = line_in_block[2:].partition("  # exit ")
                        steps.append(("run", command, int(comment or 0), []))
                    else:
                        steps[-1][3].append(line_in_block)
            i = j
        i += 1
    return steps


def _unhashed(line: str) -> str:
    """Commit ids and hash prefixes change whenever an example's bytes do; the page is compared on everything else."""
    return re.sub(r"\b[0-9a-f]{10,40}\b", "<hash>", line)


def test_the_review_page_runs_as_shown(tmp_path: Path):
    import shlex

    folder = tmp_path / "archive"
    folder.mkdir()
    env = git_env(folder)
    ran = 0
    for step in _doc_steps():
        if step[0] == "date":  # commits get fixed dates, so their hashes (and the page) do not change from run to run
            env.update(GIT_AUTHOR_DATE=step[1], GIT_COMMITTER_DATE=step[1])
        elif step[0] in ("write", "append"):
            path = folder / step[1]
            path.parent.mkdir(parents=True, exist_ok=True)
            before = path.read_text(encoding="utf-8") if step[0] == "append" else ""
            path.write_text(before + step[2], encoding="utf-8")
        elif step[0] == "edit":
            path = folder / step[1]
            text = path.read_text(encoding="utf-8")
            assert step[2] in text, step
            path.write_text(text.replace(step[2], step[3], 1), encoding="utf-8")
        else:
            _kind, command, code, expected = step
            argv = shlex.split(command)
            argv = [sys.executable, "-m", "protokol", *argv[1:]] if argv[0] == "protokol" else argv
            assert argv[0] in (sys.executable, "git"), command
            result = subprocess.run(argv, cwd=folder, capture_output=True, text=True, env=env)
            output = [_unhashed(line.rstrip()) for line in (result.stdout + result.stderr).splitlines()]
            assert result.returncode == code, (command, result.stdout, result.stderr)
            missing = [line for line in expected if _unhashed(line.rstrip()) not in output]
            assert missing == [], (command, output)
            ran += 1
    assert ran >= 15


def test_the_ci_examples_are_valid_yaml():
    text = (REPO / "docs" / "review.md").read_text(encoding="utf-8")
    blocks = re.findall(r"### (GitHub Actions|GitLab CI).*?```yaml\n(.*?)```", text, re.S)
    assert [name for name, _body in blocks] == ["GitHub Actions", "GitLab CI"]
    github, gitlab = (yaml.safe_load(body) for _name, body in blocks)
    steps = " ".join(str(s.get("run", "")) for s in github["jobs"]["review"]["steps"])
    assert "protokol check --format github" in steps and "protokol diff --format md" in steps
    assert any("protokol diff --format md" in line for line in gitlab["protocols"]["script"])


def test_an_archive_in_a_subfolder_of_a_larger_repository(tmp_path: Path):
    top = tmp_path / "office"
    top.mkdir()
    git(top, "init", "-q", "-b", "main")
    git(top, "config", "user.name", "Фролова Татьяна")
    git(top, "config", "user.email", "frolova@example.org")
    archive = top / "minutes"
    write(archive, PROTOCOL)
    (top / "README.txt").write_text("отдел образования\n", encoding="utf-8")
    assert protokol(archive, "hooks", "install", env=git_env(top)).returncode == 0
    commit(top, "Архив")
    write(archive, PROTOCOL.replace("до 20 мая", "до 30 мая"))
    changes = changes_of(protokol(top, "diff", "--root", "minutes", "--format", "json"))
    assert [(c["subject"], c["new"]) for c in changes] == [("1.1", "до 30 мая")]
    assert "-    " + LINE_1_1.format(day="20") in git(top, "diff").stdout
    write(archive, PROTOCOL.replace("title: совещания", "titel: совещания"))
    git(top, "add", "-A")
    refused = git(top, "commit", "-m", "Опечатка в ключе", check=False)
    assert refused.returncode != 0 and "error[schema-unknown-key]" in refused.stdout + refused.stderr
    history = json.loads(protokol(archive, "history", "2024-05-14-3", "--format", "json", env=git_env(top)).stdout)
    assert [e["subject"] for e in history][0] == "Архив"
