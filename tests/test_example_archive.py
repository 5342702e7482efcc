"""The example archive holds the five real protocols of examples/originals/, encoded without losing a word."""

from __future__ import annotations

import hashlib
import re

import pytest

from conftest import ORIGINAL_IDS, ORIGINALS, PROTOCOLS, REPO, TODAY, example_protocol, original, words
from protokol.checks import check_archive, check_protocol
from protokol.collection import load_collection
from protokol.load import load_protocol
from protokol.model import walk_decisions

# protocol id -> (decisions counted with sub-items, {decision id number: deadline as written})
DECISIONS = {
    "2023-08-27-8": (13, {
        "1.1": "до 15.10.2023 года", "1.2": "постоянно", "1.3": "постоянно", "1.4": "постоянно", "1.5": "постоянно",
        "1.6": "постоянно", "2.1": "постоянно"}),
    "2020-12-22": (9, {"1.6": "до 15.01.2021"}),
    "2022-12-25-1": (6, {
        "5.1": "постоянно", "5.2": "до 01.09.2023", "5.3": "постоянно", "2.1": "до 01.08.2023 года", "2.2": "постоянно",
        "2.3": "постоянно"}),
    "2021-09-02": (10, {}),
    "2024-01-09-1": (7, {
        "2.2.1": "31 января 2024 года", "2.2.2": "постоянно", "2.2.3": "январь-июнь 2024 года", "2.2.4": "постоянно",
        "2.2.5": "до 01 июля 2024 года"}),
}

# Words of an original that the YAML does not repeat, and why: printed labels become keys; dates become ISO; the
# accusative after СЛУШАЛИ is produced again by declension; list numbering and head counts become structure; Word
# artefacts go.
NOT_CARRIED = {
    "2023-08-27-8": {"2023г", "вопросу", "выписка", "дата", "дня", "комарову", "отв", "повестка", "протокола",
                     "решили", "слушали", "срок", "участники"},
    "2020-12-22": {"дата", "решение", "состав", "участников", "формат"},
    "2022-12-25-1": {"bookmark", "goback", "вопросу", "выписка", "данному", "декабря", "дня", "иванову", "отв",
                     "повестка", "подпись", "председатель", "приглашенные", "присутствовали", "протокола", "решили",
                     "слушали", "срок", "человек", "человека"},
    "2021-09-02": {"выступили", "обсудили", "присутствовали", "протокол", "решили", "сентября"},
    "2024-01-09-1": {"5", "6", "7", "8", "вопросу", "время", "второму", "выписка", "дня", "иванову", "место",
                     "повестка", "присутствовали", "протокола", "решение", "слушали", "срок"},
}
def test_archive_holds_exactly_the_five_originals():
    files = sorted(p for p in PROTOCOLS.rglob("*") if p.is_file())
    assert files == sorted(example_protocol(pid) for pid in ORIGINAL_IDS)
    assert sorted(DECISIONS) == sorted(NOT_CARRIED) == list(ORIGINAL_IDS)


def test_originals_are_kept_byte_for_byte_as_their_readme_lists_them():
    """The README's table is the record of what the originals are: the files, and each one's SHA-256 unchanged."""
    readme = (ORIGINALS / "README.md").read_text(encoding="utf-8")
    listed = dict(re.findall(r"^\| `([^`]+\.txt)` \|.*\| `([0-9a-f]{64})` \|", readme, re.M))
    assert sorted(listed) == sorted(p.name for p in ORIGINALS.glob("*.txt")) == [f"{pid}.txt" for pid in ORIGINAL_IDS]
    for pid in ORIGINAL_IDS:
        assert hashlib.sha256(original(pid).read_bytes()).hexdigest() == listed[f"{pid}.txt"], pid


def test_example_archive_passes_check_with_no_problems():
    archive = load_collection([PROTOCOLS])
    problems = list(archive.problems) + check_archive(archive.protocols)
    for protocol in archive.protocols:
        problems += check_protocol(protocol, TODAY)
    assert problems == []
    assert len(archive.protocols) == 5


@pytest.mark.parametrize("pid", ORIGINAL_IDS)
def test_decisions_and_deadlines_as_written(pid):
    count, deadlines = DECISIONS[pid]
    protocol, problems = load_protocol(example_protocol(pid))
    assert problems == []
    refs = list(walk_decisions(protocol))
    assert len(refs) == count
    assert {r.decision.key: r.decision.deadline for r in refs if r.decision.deadline} == deadlines


@pytest.mark.parametrize("pid", ORIGINAL_IDS)
def test_no_word_of_the_original_is_lost(pid):
    source = original(pid).read_text(encoding="utf-8")
    missing = words(source) - words(example_protocol(pid).read_text(encoding="utf-8"))
    assert missing == NOT_CARRIED[pid]


def test_every_example_file_points_editors_at_the_schema():
    for path in PROTOCOLS.rglob("*.yaml"):
        first = path.read_text(encoding="utf-8").splitlines()[0]
        target = (path.parent / first.split("$schema=", 1)[1]).resolve()
        assert first.startswith("# yaml-language-server: $schema=") and target == (REPO / "schema" / "protokol.schema.json")


def test_speaker_of_2024_01_09_1_is_declined_from_nominative():
    protocol, _ = load_protocol(PROTOCOLS / "2024/2024-01-09-1.yaml")
    assert protocol.agenda[0].heard[0].who[0].name == "Иванова Н.В."
    assert protocol.kind == "extract" and protocol.number == "1"


def test_the_schema_file_is_generated_from_the_code():
    import json

    from protokol.schema import json_schema

    committed = json.loads((REPO / "schema" / "protokol.schema.json").read_text(encoding="utf-8"))
    assert committed == json_schema(), "schema/protokol.schema.json is stale: run `make schema`"
