"""`protokol check` as a user runs it: exit codes, the three output formats, --strict, the archive search."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from conftest import DATA, PROTOCOLS, run_cli

DEADLINE_UNKNOWN = DATA / "checks" / "deadline-unknown.yaml"
RESPONSIBLE_MISSING = DATA / "checks" / "responsible-missing.yaml"


def test_clean_archive_exits_zero_and_says_so():
    result = run_cli("check", str(PROTOCOLS), "--today", "2026-11-22")
    assert result.exit_code == 0
    assert result.stdout == ""
    assert "5 files checked: no problems." in result.stderr


def test_problem_printed_with_position_excerpt_caret_and_hint():
    result = run_cli("check", str(DEADLINE_UNKNOWN), "--today", "2026-11-22")
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert lines[0].startswith(f"{os.path.relpath(DEADLINE_UNKNOWN)}:12:19: error[deadline-unknown]: Unknown deadline 'когда-нибудь'")
    assert lines[2] == "12 |         deadline: когда-нибудь"
    assert lines[3] == "   |" + " " * 19 + "^"
    assert lines[4].startswith("  = hint: Write it in an accepted form, e.g. «")


def test_warnings_pass_unless_strict():
    assert run_cli("check", str(RESPONSIBLE_MISSING), "--today", "2026-11-22").exit_code == 0
    strict = run_cli("check", "--strict", str(RESPONSIBLE_MISSING), "--today", "2026-11-22")
    assert strict.exit_code == 1
    assert "error[responsible-missing]" in strict.stdout


def test_json_format_is_a_list_of_problems():
    result = run_cli("check", "--format", "json", str(DEADLINE_UNKNOWN), str(RESPONSIBLE_MISSING), "--today", "2026-11-22")
    data = json.loads(result.stdout)
    assert [(d["code"], d["severity"], d["line"], d["column"]) for d in data] == [
        ("deadline-unknown", "error", 12, 19), ("responsible-missing", "warning", 11, 9)]
    assert set(data[0]) == {"file", "line", "column", "severity", "code", "message", "hint"}


def test_github_format_gives_workflow_annotations():
    result = run_cli("check", "--format", "github", str(DEADLINE_UNKNOWN), "--today", "2026-11-22")
    assert result.stdout.startswith(f"::error file={os.path.relpath(DEADLINE_UNKNOWN)},line=12,col=19,title=deadline-unknown::")


def test_usage_errors_exit_two():
    assert run_cli("check", "--format", "xml", str(PROTOCOLS)).exit_code == 2
    missing = run_cli("check", "no/such/file.yaml")
    assert missing.exit_code == 2 and "No such file or folder" in missing.stderr
    assert run_cli("check", "--today", "2024-13-01", str(PROTOCOLS)).exit_code == 2


def test_archive_is_found_from_a_subfolder(tmp_path: Path, monkeypatch):
    shutil.copytree(PROTOCOLS, tmp_path / "protocols")
    (tmp_path / "protocols" / "2024" / "deep").mkdir()
    monkeypatch.chdir(tmp_path / "protocols" / "2024" / "deep")
    result = run_cli("check", "--today", "2026-11-22")
    assert result.exit_code == 0 and "5 files checked" in result.stderr


def test_no_archive_is_a_clear_usage_error(tmp_path: Path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = run_cli("check")
    assert result.exit_code == 2
    assert "No protokol archive here or above" in result.stderr and "protokol init" in result.stderr


def test_every_problem_in_every_file_is_reported_sorted(tmp_path: Path):
    for name in ("yaml-duplicate-key.yaml", "schema-date.yaml", "agenda-duplicate.yaml"):
        shutil.copy(DATA / "checks" / name, tmp_path / name)
    result = run_cli("check", "--format", "json", str(tmp_path), "--today", "2026-11-22")
    files = [Path(d["file"]).name for d in json.loads(result.stdout)]
    assert files == sorted(files) and set(files) == {"yaml-duplicate-key.yaml", "schema-date.yaml", "agenda-duplicate.yaml"}


def test_version():
    from protokol import __version__

    result = run_cli("--version")
    assert result.exit_code == 0 and result.stdout.strip() == f"protokol {__version__}"


def test_a_file_with_a_duplicate_key_is_never_half_used(tmp_path: Path):
    folder = tmp_path / "protocols" / "2024"
    folder.mkdir(parents=True)
    text = (DATA / "checks" / "responsible-missing.yaml").read_text(encoding="utf-8")
    text = text.replace("title: совещания руководителей\n", "title: совещания руководителей\ntitle: другое\n")
    text = text.replace("        deadline: до 20 мая\n", "        deadline: до 20 мая\n        responsible: руководители ОО\n")
    (folder / "2024-05-14-1.yaml").write_text(text, encoding="utf-8")
    before = (folder / "2024-05-14-1.yaml").read_bytes()
    due = run_cli("due", "--root", str(tmp_path), "--today", "2024-06-01", "--format", "json")
    assert due.exit_code == 1 and json.loads(due.stdout) == []
    done = run_cli("done", "2024-05-14-1/1.1", "--root", str(tmp_path), "--today", "2024-06-01")
    assert done.exit_code == 1 and "cannot be read" in done.stderr and "Duplicate key 'title'" in done.stderr
    assert (folder / "2024-05-14-1.yaml").read_bytes() == before


@pytest.mark.parametrize(("name", "words"), [("yaml-encoding-cp1251.yaml", "title: совещания руководителей"),
                                             ("yaml-encoding-utf16.yaml", "# expect: 1:1 yaml-encoding: UTF-16")])
def test_the_excerpt_of_a_file_in_another_encoding_shows_its_words(name, words):
    """The file is refused for its encoding, but the excerpt under the message is decoded as the file really is."""
    result = run_cli("check", str(DATA / "checks" / name))
    assert result.exit_code == 1
    assert f"| {words}" in result.stdout
