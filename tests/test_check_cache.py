"""A warm `check` of a whole archive takes each unchanged file's problems and summary from the cache (cache.load_checked,
gate._judge_archive): the same verdict as checking every file afresh, whatever changed in between: a file, the
settings or the people, the day, the folder it is run from."""

from __future__ import annotations

import os
import shutil
import sys
from datetime import date
from pathlib import Path

import pytest

from conftest import PROTOCOLS, REPO
from protokol import cache, gate

TODAY = date(2024, 6, 1)
CHECKS = REPO / "tests" / "data" / "checks"


@pytest.fixture(autouse=True)
def own_key(tmp_path_factory, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("xdg")))


@pytest.fixture
def archive(tmp_path: Path) -> Path:
    sys.path.insert(0, str(REPO / "bench"))
    import generate

    generate.generate(tmp_path, count=80, seed=9)
    for year in PROTOCOLS.iterdir():  # the example protocols too: signatures, people, every kind of problem
        shutil.copytree(year, tmp_path / "protocols" / year.name, dirs_exist_ok=True)
    (tmp_path / "people.yaml").write_text("people:\n  - name: Иванова Анна Петровна\n", encoding="utf-8")
    odd = tmp_path / "protocols" / "odd"
    odd.mkdir()
    for name in ("date-future", "deadline-unknown", "reference-unknown", "responsible-missing", "signature-mismatch",
                 "yaml-syntax", "control-date"):
        shutil.copy(CHECKS / f"{name}.yaml", odd / f"{name}.yaml")
    return tmp_path


def verdicts(root: Path, today: date = TODAY) -> tuple[gate.Verdict, gate.Verdict]:
    """(through the cache, afresh)."""
    return gate.judge(root, today), gate.judge(root, today, use_cache=False)


def touch_later(path: Path) -> None:
    os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns + 3_000_000_000))


def test_a_warm_check_answers_as_checking_every_file(archive: Path, monkeypatch):
    cold, fresh = verdicts(archive)
    assert (archive / cache.CACHE_DIR / "checks.pickle").is_file()
    warm, _fresh = verdicts(archive)
    assert warm == cold == fresh
    assert {p.code for p in fresh.problems} >= {"date-future", "deadline-unknown", "reference-unknown",
                                                "responsible-missing", "signature-mismatch", "yaml-syntax"}

    edited = archive / "protocols" / "2024" / "2024-01-09-1.yaml"
    edited.write_text(edited.read_text(encoding="utf-8") + "срок: завтра\n", encoding="utf-8")
    touch_later(edited)
    warm, fresh = verdicts(archive)
    assert warm == fresh and any(p.code == "schema-unknown-key" for p in warm.problems)

    (archive / "people.yaml").write_text("people:\n  - name: Смирнова Анна Петровна\n", encoding="utf-8")
    assert verdicts(archive)[0] == verdicts(archive)[1]
    assert verdicts(archive, date(2016, 1, 1))[0] == verdicts(archive, date(2016, 1, 1))[1]  # date-future, per day

    (archive / "protocols" / "2023" / "2023-08-27-8.yaml").unlink()  # references to it break elsewhere
    warm, fresh = verdicts(archive)
    assert warm == fresh and any(p.code == "reference-unknown" for p in warm.problems)

    monkeypatch.chdir(archive / "protocols")  # files are named from another folder
    warm, fresh = verdicts(archive)
    assert warm == fresh and warm.problems[0].file.startswith(("2", "../"))


def test_a_warm_check_reports_the_checks_across_files_as_a_cold_one(tmp_path: Path, monkeypatch):
    """The checks across files run on every check, over the summaries the cache keeps: a warm run reports exactly
    what a cold one does where they fire (a secretary left in `present`, written another way; numbers going down
    within a series; a broken reference; an id twice), and compares names by the keys kept, not by parsing them."""
    from protokol import checks, names

    folder = tmp_path / "protocols" / "2024"
    folder.mkdir(parents=True)
    before, after = sorted((CHECKS / "secretary-in-present").glob("*.yaml"))
    shutil.copy(before, folder / before.name)
    # the same person in `present` spelt another way: found by the name's key
    (folder / after.name).write_text(after.read_text(encoding="utf-8").replace("- Фролова Т.С.", "- Т. С. Фролова"),
                                     encoding="utf-8")
    later = (before.read_text(encoding="utf-8").replace("date: 2024-03-01", "date: 2024-05-06")
             .replace('number: "1"', 'number: "1"\n# numbered before the meeting of 2024-04-05, held earlier'))
    (folder / "2024-05-06-1.yaml").write_text(later + "    decided:\n      - text: Снять с контроля.\n"
                                              "        acts_on: [{decision: 2024-01-01-1/1.1, action: done}]\n",
                                              encoding="utf-8")
    (tmp_path / "protocols" / "copy").mkdir()
    shutil.copy(before, tmp_path / "protocols" / "copy" / before.name)
    cold, fresh = verdicts(tmp_path)
    expected = {"secretary-in-present", "number-order", "reference-unknown", "protocol-duplicate-id"}
    assert {p.code for p in fresh.problems} >= expected
    assert cold == fresh

    def unused(*_args, **_kwargs):
        raise AssertionError("a warm check checks no file again and parses no name")

    monkeypatch.setattr(checks, "check_protocol", unused)
    monkeypatch.setattr(names, "name_key", unused)
    warm = gate.judge(tmp_path, TODAY)
    assert warm == fresh
    assert [p.code for p in warm.problems if p.code in expected] == [p.code for p in fresh.problems
                                                                      if p.code in expected]


def test_checking_one_file_takes_the_others_from_a_whole_check_and_answers_as_without_it(archive: Path, monkeypatch):
    """`check FILE` (and the pre-commit hook) judge the rest of the archive from summaries: those a whole check kept
    when it ran, else `due`'s index; the verdict is the same either way, and the same as without any cache."""
    folder = archive / "protocols" / "2024"
    before, after = sorted((CHECKS / "secretary-in-present").glob("*.yaml"))
    shutil.copy(before, folder / before.name)
    shutil.copy(after, folder / after.name)
    judged = [folder / after.name, archive / "protocols" / "2023" / "2023-08-27-8.yaml"]  # the second is referred to
    from_index = gate.judge(archive, TODAY, judged)  # no whole check yet: the others from due's index
    gate.judge(archive, TODAY)
    with monkeypatch.context() as patched:
        patched.setattr(cache, "load_index", lambda *_args, **_kwargs: pytest.fail("due's index read"))
        kept = gate.judge(archive, TODAY, judged)
    fresh = gate.judge(archive, TODAY, judged, use_cache=False)
    assert kept == from_index == fresh
    assert "secretary-in-present" in {p.code for p in fresh.problems}
