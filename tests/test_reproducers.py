"""One reproducer file per loader error and check code (tests/data/checks), with its expected position and message.

Each file says what it must produce in comment lines at its top:
    # expect: LINE:COL CODE: part of the message
    # hint: part of the hint            (optional)
A file whose first line is `# context: …` is no reproducer: it is the archive its folder's reproducers are checked
in, for the checks across files (a previous meeting of the series). A file named protokol.yaml or people.yaml is read
as the settings or the people directory of an archive in its folder.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import DATA, TODAY, meeting
from protokol.checks import CODES, check_archive, check_protocol
from protokol.load import load_protocol

CHECKS = DATA / "checks"
_CONTEXT = b"# context:"
FILES = sorted(p for p in CHECKS.rglob("*.yaml") if not p.read_bytes().startswith(_CONTEXT))
_EXPECT = re.compile(rb"^# expect: (\d+):(\d+) ([a-z0-9-]+): (.+)$", re.M)
_HINT = re.compile(rb"^# hint: (.+)$", re.M)


ARCHIVE_FILES = ("protokol.yaml", "people.yaml")  # a reproducer of this name is the settings or people of its folder


def problems_of(path: Path):
    if path.name in ARCHIVE_FILES:
        from protokol.config import load_config

        return [p for p in load_config(path.parent).problems if p.file.endswith(path.name)]
    protocol, problems = load_protocol(path, display=str(path))
    if protocol is not None:
        problems += check_protocol(protocol, TODAY)
        # an archive of one (references to decisions that are not in it), with the context files of its folder
        context = [load_protocol(p)[0] for p in sorted(path.parent.glob("*.yaml"))
                   if p != path and p.read_bytes().startswith(_CONTEXT)]
        problems += [x for x in check_archive([*context, protocol]) if x.file == str(path)]
    return problems


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(CHECKS)))
def test_reproducer_gives_its_problem(path: Path):
    raw = path.read_bytes()
    header = raw.decode("utf-16") if raw.startswith(b"\xff\xfe") else raw.decode("utf-8", errors="replace")
    expect = _EXPECT.search(header.encode())
    assert expect, f"{path} has no '# expect:' line"
    line, col, code, message = int(expect[1]), int(expect[2]), expect[3].decode(), expect[4].decode()
    problems = problems_of(path)
    matching = [p for p in problems if p.code == code]
    assert matching, f"expected {code}, got {[(p.code, p.message) for p in problems]}"
    found = matching[0]
    assert (found.line, found.col) == (line, col), found
    assert message in found.message, found.message
    assert found.severity == CODES[code]
    hint = _HINT.search(header.encode())
    if hint:
        assert hint[1].decode() in found.hint
    assert found.hint, "every problem tells the user how to fix it"


def test_every_code_has_a_reproducer_or_a_generated_case():
    covered = set()
    for path in FILES:
        raw = path.read_bytes()
        text = raw.decode("utf-16") if raw.startswith(b"\xff\xfe") else raw.decode("utf-8", errors="replace")
        covered.update(m[3] for m in _EXPECT.finditer(text.encode()))
    covered = {c.decode() for c in covered}
    generated = {"file-unreadable", "yaml-too-large", "yaml-too-deep", "protocol-duplicate-id"}  # built in tests below
    generated |= {"person-spelling", "people-duplicate", "people-group-clash",
                  "people-unknown-member"}  # need a people.yaml beside the protocol: tests/test_people.py
    generated |= {"text-too-long"}  # a file over 100,000 characters: tests/test_hostile.py
    generated |= {"reference-date"}  # needs two protocols: test_a_reference_to_a_later_meeting below
    generated |= {"number-order"}  # needs two protocols: test_numbers_go_up_with_the_date_in_a_series below
    assert set(CODES) - covered - generated == set()


def test_unreadable_path(tmp_path: Path):
    folder = tmp_path / "x.yaml"
    folder.mkdir()
    problems = problems_of(folder)
    assert [p.code for p in problems] == ["file-unreadable"]


def test_file_over_the_size_limit_is_refused_without_reading(tmp_path: Path):
    from protokol import yamlio

    path = tmp_path / "huge.yaml"
    with path.open("wb") as fh:
        fh.truncate(yamlio.MAX_FILE_BYTES + 1)
    problems = problems_of(path)
    assert [p.code for p in problems] == ["yaml-too-large"]


def test_deep_nesting_is_refused(tmp_path: Path):
    path = tmp_path / "deep.yaml"
    path.write_text("a: " + "[" * 200 + "]" * 200 + "\n")
    problems = problems_of(path)
    assert [p.code for p in problems] == ["yaml-too-deep"]


def test_two_files_with_one_id(tmp_path: Path):
    text = (CHECKS / "2024-05-15-1.yaml").read_text(encoding="utf-8").replace("2024-05-14", "2024-05-15")
    for year in ("a", "b"):
        (tmp_path / year).mkdir()
        (tmp_path / year / "2024-05-15-1.yaml").write_text(text, encoding="utf-8")
    from protokol.collection import load_collection

    archive = load_collection([tmp_path])
    assert [p.code for p in check_archive(archive.protocols)] == ["protocol-duplicate-id"]


def test_a_reference_to_a_later_meeting(tmp_path: Path):
    text = (CHECKS / "reference-unknown.yaml").read_text(encoding="utf-8")
    (tmp_path / "2024-02-14-3.yaml").write_text(text.replace("2024-05-14", "2024-02-14").replace(
        "        acts_on: [{decision: 2024-02-14-3/1.1, action: done}]\n", ""), encoding="utf-8")
    (tmp_path / "2024-01-10-1.yaml").write_text(text.replace("2024-05-14", "2024-01-10"), encoding="utf-8")
    from protokol.collection import load_collection

    archive = load_collection([tmp_path])
    found = [(p.code, p.line, p.col, p.message) for p in check_archive(archive.protocols)]
    assert found == [("reference-date", 13, 19, "Decision 2024-01-10-1/1.1 of 2024-01-10 acts on 2024-02-14-3/1.1, "
                                                 "taken later, on 2024-02-14.")]


def _meetings(folder: Path, *meetings: tuple[str, str, str]) -> list[Path]:
    paths = []
    for day, number, title in meetings:
        path = folder / f"{day}-{number}.yaml"
        path.write_text(meeting(day, number, title), encoding="utf-8")
        paths.append(path)
    return paths


def test_numbers_go_up_with_the_date_in_a_series(tmp_path: Path):
    from protokol.collection import load_collection

    _meetings(tmp_path, ("2024-03-12", "5", "совещания"), ("2024-03-20", "3", "совещания"),
              ("2024-03-25", "1", "методического совета"),  # another series numbers on its own
              ("2024-04-02", "4-р", "совещания"))  # a suffixed number counts by its digits: 4 after 3, fine
    found = check_archive(load_collection([tmp_path]).protocols)
    assert [(p.code, Path(p.file).name) for p in found] == [("number-order", "2024-03-12-5.yaml"),
                                                           ("number-order", "2024-03-20-3.yaml")]
    assert found[0].message == found[1].message
    assert "№ 5 of 2024-03-12" in found[0].message and "№ 3 of 2024-03-20" in found[0].message


@pytest.mark.parametrize(("numbering", "flagged"), [("yearly", False), ("continuous", True)])
def test_the_numbering_setting_says_where_numbers_start_again(tmp_path: Path, numbering: str, flagged: bool):
    from protokol.collection import load_collection

    _meetings(tmp_path, ("2023-12-20", "9", "совещания"), ("2024-01-15", "1", "совещания"))
    found = check_archive(load_collection([tmp_path]).protocols, numbering)
    assert bool(found) == flagged


def test_check_of_a_backdated_protocol_names_the_later_one(tmp_path: Path):
    """The secretary writes the protocol of an earlier meeting last, with the next number: `check` of that one file
    warns, and `--strict` refuses it."""
    from conftest import run_cli

    (tmp_path / "protocols").mkdir()
    later, backdated = _meetings(tmp_path / "protocols", ("2024-03-20", "3", "совещания"),
                                 ("2024-03-12", "4", "совещания"))
    result = run_cli("check", str(backdated), "--root", str(tmp_path), "--today", "2024-04-01")
    assert result.exit_code == 0 and "warning[number-order]" in result.stdout and later.name in result.stdout
    assert run_cli("check", str(backdated), "--strict", "--root", str(tmp_path), "--today", "2024-04-01").exit_code == 1


def test_a_secretary_left_in_present_is_found_when_one_file_is_checked(tmp_path: Path):
    """`check FILE` sees the rest of the archive through due's index, which keeps no participants: the previous
    meeting of the series is read from its file. A list that names the new secretary too is no slip."""
    from conftest import run_cli

    folder = tmp_path / "protocols" / "2024"
    folder.mkdir(parents=True)
    source = CHECKS / "secretary-in-present"
    for path in source.glob("*.yaml"):
        (folder / path.name).write_bytes(path.read_bytes())
    later = folder / "2024-04-05-2.yaml"
    for _run in range(2):  # cold, then through the cache
        result = run_cli("check", str(later), "--root", str(tmp_path))
        assert result.exit_code == 0 and "warning[secretary-in-present]" in result.stdout + result.stderr
    later.write_text(later.read_text(encoding="utf-8").replace("    - Белова И.Г.\n", "    - Иванова А.А.\n"),
                     encoding="utf-8")
    result = run_cli("check", str(later), "--root", str(tmp_path))
    assert "secretary-in-present" not in result.stdout + result.stderr
