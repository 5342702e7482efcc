"""Hostile and odd input on the commands of issues 13–19 (site, remind, report discipline, export, render): real
processes on real files. Each case must end in a clear message (file:line:col where there is a file), exit 1 (2 for
a wrong call), no traceback, and nothing of the user's lost or half written."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import run_cli

TODAY = "01.11.2026"
PEOPLE = """people:
  - name: Петрова А.И.
    position: директор
  - name: Смирнова Е.В.
    email: smirnova@school.example
  - name: Иванов С.П.
    email: ivanov@school.example
"""
MEETING = """date: 2026-09-15
number: '1'
title: совещания
participants:
  chair: Петрова А.И.
  secretary: Смирнова Е.В.
agenda:
- number: '1'
  title: Об организации питания
  decided:
  - text: Утвердить график питания.
    deadline: до 20.09.2026
    responsible: {who}
  - text: Ежемесячно представлять отчёт о питании.
    deadline: ежемесячно до 5 числа
    responsible: {who}
"""
SETTINGS = "organization: МБОУ «Средняя школа № 5»\n"


def school(root: Path, who: str = "Иванов С.П.", people: str = PEOPLE) -> Path:
    (root / "protocols" / "2026").mkdir(parents=True, exist_ok=True)
    (root / "protokol.yaml").write_text(SETTINGS, encoding="utf-8")
    (root / "people.yaml").write_text(people, encoding="utf-8")
    (root / "protocols" / "2026" / "2026-09-15-1.yaml").write_text(MEETING.format(who=who), encoding="utf-8")
    return root


def protokol(root: Path, *args: str, lang: str = "ru") -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LC_", "PROTOKOL_", "LANGUAGE"))}
    env.update(LANG="ru_RU.UTF-8" if lang == "ru" else "C.UTF-8", COLUMNS="200", PYTHONIOENCODING="utf-8")
    return subprocess.run([sys.executable, "-m", "protokol", *args], cwd=root, capture_output=True, text=True,
                          env=env, timeout=300)


def refused(result: subprocess.CompletedProcess, code: int = 1) -> str:
    assert result.returncode == code, result.stdout + result.stderr
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr, result.stderr
    return result.stderr


def leftovers(folder: Path) -> list[str]:
    """Temporary files or folders of an atomic write left beside its target."""
    return sorted(p.name for p in folder.iterdir() if p.name.startswith(".") and p.name.endswith((".new", ".old", ".tmp"))
                  or ".tmp" in p.name)


# --- outputs that name the wrong thing ----------------------------------------------------------------------------

def test_site_refuses_a_file_under_its_folders_name(tmp_path: Path):
    root = school(tmp_path)
    kept = root / "notes.txt"
    kept.write_text("не трогать", encoding="utf-8")
    err = refused(protokol(root, "site", "-o", "notes.txt", "--today", TODAY))
    assert "notes.txt — файл, а не папка" in err
    assert kept.read_text(encoding="utf-8") == "не трогать"


def test_outbox_never_replaces_a_folder_of_other_files_or_a_file(tmp_path: Path):
    root = school(tmp_path)
    folder = root / "документы"
    folder.mkdir()
    (folder / "thesis.docx").write_bytes(b"important")
    err = refused(protokol(root, "remind", "--outbox", "документы", "--today", TODAY))
    assert "не являются письмами (.eml)" in err
    assert (folder / "thesis.docx").read_bytes() == b"important"
    (root / "list.txt").write_text("keep", encoding="utf-8")
    refused(protokol(root, "remind", "--outbox", "list.txt", "--today", TODAY))
    assert (root / "list.txt").read_text(encoding="utf-8") == "keep"
    # the outbox written before is replaced, as the help says
    assert protokol(root, "remind", "--outbox", "out", "--today", TODAY).returncode == 0
    assert protokol(root, "remind", "--outbox", "out", "--today", TODAY).returncode == 0
    assert all(p.suffix == ".eml" for p in (root / "out").iterdir())


@pytest.mark.parametrize("command", [["export", "--format", "sqlite"], ["export", "--format", "xlsx"],
                                     ["report", "discipline", "--from", "01.09.2026", "--to", "30.11.2026",
                                      "--format", "docx", "--force"]])
def test_output_that_is_a_folder_or_under_a_file_is_said_in_russian(tmp_path: Path, command: list[str]):
    root = school(tmp_path)
    (root / "папка").mkdir()
    err = refused(protokol(root, *command, "-o", "папка", "--today", TODAY))
    assert "папка — папка, а -o ожидает имя файла" in err and "--force" not in err
    (root / "файл").write_text("x", encoding="utf-8")
    err = refused(protokol(root, *command, "-o", "файл/отчёт", "--today", TODAY))
    assert "часть пути — файл, а не папка" in err
    assert (root / "файл").read_text(encoding="utf-8") == "x"


def test_export_and_report_say_what_they_wrote(tmp_path: Path):
    root = school(tmp_path)
    done = protokol(root, "export", "--format", "sqlite", "-o", "archive.sqlite", "--today", TODAY)
    assert done.returncode == 0 and "записан archive.sqlite" in done.stderr
    done = protokol(root, "report", "discipline", "--from", "01.09.2026", "--to", "30.11.2026", "--format", "xlsx",
                    "-o", "d.xlsx", "--today", TODAY)
    assert done.returncode == 0 and "записан d.xlsx" in done.stderr


def test_period_backwards_is_a_wrong_call(tmp_path: Path):
    root = school(tmp_path)
    err = refused(protokol(root, "report", "discipline", "--from", "30.11.2026", "--to", "01.09.2026"), code=2)
    assert "раньше, чем --from" in err


# --- people.yaml groups ---------------------------------------------------------------------------------------------

def test_a_group_inside_a_group_is_named_as_such(tmp_path: Path):
    people = PEOPLE + ("  - group: учителя\n    members: [Иванов С.П.]\n"
                       "  - group: все\n    members: [все, учителя, Никто Н.Н.]\n  - group: пустая\n    members: []\n")
    root = school(tmp_path, people=people)
    result = protokol(root, "check")
    assert result.returncode == 0, result.stdout + result.stderr
    out = result.stdout
    assert "people.yaml:11:15: предупреждение[people-unknown-member]: «все», член группы «все», — группа" in out
    assert "«учителя», член группы «все», — группа, а не человек" in out
    assert "«Никто Н.Н.», член группы «все», отсутствует в справочнике" in out
    for command in (["remind", "--dry-run"], ["report", "discipline", "--from", "01.09.2026", "--to", "30.11.2026"],
                    ["export", "--format", "jsonl", "-o", "x.jsonl"], ["site", "-o", "s"]):
        assert protokol(root, *command, "--today", TODAY).returncode == 0, command


def test_a_group_of_ten_thousand_members(tmp_path: Path):
    names = [f"Учитель{i} А.Б." for i in range(10_000)]
    people = PEOPLE + "".join(f"  - name: {n}\n" for n in names) + f"  - group: все учителя\n    members: [{', '.join(names)}]\n"
    root = school(tmp_path, who="все учителя", people=people)
    assert protokol(root, "check").returncode == 0
    report = protokol(root, "report", "discipline", "--from", "01.09.2026", "--to", "30.11.2026", "--format", "json",
                      "--today", TODAY)
    assert report.returncode == 0 and "все учителя" in report.stdout
    assert protokol(root, "site", "-o", "s", "--today", TODAY).returncode == 0


def test_the_outbox_line_names_a_few_files_of_many(tmp_path: Path):
    names = [f"Учитель{i} А.Б." for i in range(40)]
    people = PEOPLE + "".join(f"  - name: {n}\n    email: u{i}@school.example\n" for i, n in enumerate(names))
    people += f"  - group: все учителя\n    members: [{', '.join(names)}]\n"
    root = school(tmp_path, who="все учителя", people=people)
    result = protokol(root, "remind", "--outbox", "out", "--today", TODAY)
    assert result.returncode == 0, result.stderr
    assert len(list((root / "out").iterdir())) == 40  # one letter to each member (no summary: no secretary set)
    line = next(x for x in result.stdout.splitlines() if "записан" in x)
    assert line.count(".eml") == 5 and line.endswith("…")


def test_letters_compile_their_templates_once_per_run():
    from protokol import letters
    from protokol.render.templates import search_path

    search = search_path(None)
    assert letters._environment(search, False, ()) is letters._environment(search, False, ())


# --- places and sizes -------------------------------------------------------------------------------------------------

def test_a_path_with_spaces_and_cyrillic(tmp_path: Path):
    root = school(tmp_path / "архив школы № 5")
    for command in (["site", "-o", "сайт архива"], ["export", "--format", "sqlite", "-o", "выгрузка всего.sqlite"],
                    ["render", "2026-09-15-1", "--format", "md", "-o", "протоколы на печать/п1.md"],
                    ["remind", "--outbox", "письма на завтра"]):
        result = protokol(root, *command, *(["--today", TODAY] if command[0] != "render" else []))
        assert result.returncode == 0, (command, result.stderr)
    assert (root / "сайт архива" / "index.html").is_file()
    assert (root / "протоколы на печать" / "п1.md").is_file()


def test_an_archive_with_no_protocols(tmp_path: Path):
    root = tmp_path / "пусто"
    (root / "protocols").mkdir(parents=True)
    (root / "protokol.yaml").write_text(SETTINGS, encoding="utf-8")
    for command in (["site"], ["export", "--format", "sqlite", "-o", "x.sqlite"], ["remind", "--dry-run"],
                    ["report", "discipline", "--from", "01.01.2026", "--to", "31.03.2026"], ["due"]):
        result = protokol(root, *command, "--today", TODAY)
        assert result.returncode == 0, (command, result.stderr)
        assert "Traceback" not in result.stderr
    with sqlite3.connect(root / "x.sqlite") as db:
        assert db.execute("select count(*) from decisions").fetchone() == (0,)


def test_a_broken_protocol_of_five_megabytes(tmp_path: Path):
    root = school(tmp_path)
    body = "".join(f"  - text: Решение {i} {'ж' * 200}\n    deadline: до 01.10.2026\n    responsible: Иванов С.П.\n"
                   for i in range(9000))
    text = MEETING.format(who="Иванов С.П.").replace("2026-09-15", "2026-10-15") + body + "- number: 2\n title: x\n"
    big = root / "protocols" / "2026" / "2026-10-15-1.yaml"
    big.write_text(text, encoding="utf-8")
    assert big.stat().st_size > 4_000_000
    for command in (["check"], ["export", "--format", "jsonl", "-o", "x.jsonl"], ["site", "-o", "s"],
                    ["report", "discipline", "--from", "01.09.2026", "--to", "30.11.2026"]):
        result = protokol(root, *command, "--today", TODAY)
        refused(result)
        assert "2026-10-15-1.yaml:" in result.stdout + result.stderr, command


# --- at the same time, and interrupted --------------------------------------------------------------------------------

def _at_once(root: Path, *args: str) -> list[subprocess.CompletedProcess]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LC_", "PROTOKOL_"))} | {"LANG": "ru_RU.UTF-8"}
    procs = [subprocess.Popen([sys.executable, "-m", "protokol", *args], cwd=root, env=env, text=True,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE) for _ in range(2)]
    return [subprocess.CompletedProcess(p.args, p.wait(timeout=300), *p.communicate()) for p in procs]


def test_two_exports_of_one_file_at_once(tmp_path: Path):
    root = school(tmp_path)
    for result in _at_once(root, "export", "--format", "sqlite", "-o", "archive.sqlite", "--today", TODAY):
        assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr
    with sqlite3.connect(root / "archive.sqlite") as db:
        assert db.execute("select count(*) from decisions").fetchone()[0] >= 2
    assert leftovers(root) == []


def test_two_site_builds_into_one_folder_at_once(tmp_path: Path):
    root = school(tmp_path)
    for result in _at_once(root, "site", "-o", "public", "--today", TODAY):
        assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr
    assert (root / "public" / "index.html").is_file() and (root / "public" / ".protokol-site.json").is_file()
    assert leftovers(root) == []
    assert protokol(root, "site", "-o", "public", "--today", TODAY).returncode == 0


def test_ctrl_c_during_a_site_build_leaves_no_half_site(tmp_path: Path):
    root = school(tmp_path)
    for i in range(2, 60):  # enough pages that the build is still running when the signal comes
        (root / "protocols" / "2026" / f"2026-09-15-{i}.yaml").write_text(
            MEETING.format(who="Иванов С.П.").replace("number: '1'\ntitle", f"number: '{i}'\ntitle"), encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LC_", "PROTOKOL_"))} | {"LANG": "ru_RU.UTF-8"}
    proc = subprocess.Popen([sys.executable, "-m", "protokol", "site", "-o", "public", "--today", TODAY], cwd=root,
                            env=env, text=True, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    while proc.poll() is None and not any(p.name.startswith(".public.") for p in root.iterdir()):
        time.sleep(0.005)  # polls for the build's temporary folder; asserts nothing about time
    if proc.poll() is not None:
        pytest.skip("the build ended before it could be interrupted")
    proc.send_signal(signal.SIGINT)
    _out, err = proc.communicate(timeout=120)
    assert proc.returncode in (130, 0), err  # 0: the signal came after the last rename
    assert "Traceback" not in err
    assert [p.name for p in root.iterdir() if p.name.startswith(".public.")] == []
    if (root / "public").exists():  # either no site or a whole one
        assert (root / "public" / ".protokol-site.json").is_file()


# --- messages a newcomer meets ----------------------------------------------------------------------------------------

def test_a_missing_key_hint_is_all_russian(tmp_path: Path):
    root = school(tmp_path)
    path = root / "protocols" / "2026" / "2026-09-15-1.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace(
        "  decided:", "  heard:\n  - text: О графике.\n  decided:", 1), encoding="utf-8")
    result = run_cli("check", "--root", str(root), lang="ru")
    assert "Добавьте `who:`." in result.output
    assert "nominative" not in result.output
    assert "(The speaker (or several), in the nominative)" in run_cli("check", "--root", str(root)).output


def test_the_site_footer_ends_with_one_dot(tmp_path: Path):
    root = school(tmp_path)
    assert protokol(root, "site", "-o", "s", "--today", TODAY).returncode == 0
    page = (root / "s" / "index.html").read_text(encoding="utf-8")
    assert "по состоянию на 1 ноября 2026 г.</p>" in page and "г..<" not in page


def test_history_in_a_repository_with_no_commit_yet(tmp_path: Path):
    from conftest import init_repo

    root = school(init_repo(tmp_path / "archive"))
    result = protokol(root, "history", "2026-09-15-1/1.2", "--today", TODAY)
    assert result.returncode == 0, result.stderr
    assert "git log" not in result.stderr and "не зафиксировано" in result.stdout
    assert "2026-09-15-1/1.2" in result.stdout
