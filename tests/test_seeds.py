"""The example archive holds the five real seed protocols, encoded without losing a word."""

from __future__ import annotations

import re

import pytest

from conftest import PROTOCOLS, REPO, TODAY
from protokol.checks import check_archive, check_protocol
from protokol.collection import load_collection
from protokol.load import load_protocol
from protokol.model import walk_decisions

SEEDS_DIR = REPO.parent / "shared" / "seeds"

# seed file -> (protocol file, decisions counted with sub-items, {decision id number: deadline as written})
SEEDS = {
    "000_45eacd0854106901.txt": ("2023/2023-08-27-8.yaml", 13, {
        "1.1": "до 15.10.2023 года", "1.2": "постоянно", "1.3": "постоянно", "1.4": "постоянно", "1.5": "постоянно",
        "1.6": "постоянно", "2.1": "постоянно"}),
    "001_434b094d014dfa51.txt": ("2020/2020-12-22.yaml", 9, {"1.6": "до 15.01.2021"}),
    "002_4e0946fa9c661cec.txt": ("2022/2022-12-25-1.yaml", 6, {
        "5.1": "постоянно", "5.2": "до 01.09.2023", "5.3": "постоянно", "2.1": "до 01.08.2023 года", "2.2": "постоянно",
        "2.3": "постоянно"}),
    "003_561482cac62842d1.txt": ("2021/2021-09-02.yaml", 10, {}),
    "004_752393f159b64566.txt": ("2024/2024-01-09-1.yaml", 7, {
        "2.2.1": "31 января 2024 года", "2.2.2": "постоянно", "2.2.3": "январь-июнь 2024 года", "2.2.4": "постоянно",
        "2.2.5": "до 01 июля 2024 года"}),
}

# Words of a seed that the YAML does not repeat, and why: printed labels become keys; dates become ISO; the accusative
# after СЛУШАЛИ is produced again by declension; list numbering and head counts become structure; Word artefacts go.
NOT_CARRIED = {
    "000_45eacd0854106901.txt": {"2023г", "вопросу", "выписка", "дата", "дня", "комарову", "отв", "повестка", "протокола",
                                 "решили", "слушали", "срок", "участники"},
    "001_434b094d014dfa51.txt": {"дата", "решение", "состав", "участников", "формат"},
    "002_4e0946fa9c661cec.txt": {"bookmark", "goback", "вопросу", "выписка", "данному", "декабря", "дня", "иванову", "отв",
                                 "повестка", "подпись", "председатель", "приглашенные", "присутствовали", "протокола",
                                 "решили", "слушали", "срок", "человек", "человека"},
    "003_561482cac62842d1.txt": {"выступили", "обсудили", "присутствовали", "протокол", "решили", "сентября"},
    "004_752393f159b64566.txt": {"5", "6", "7", "8", "вопросу", "время", "второму", "выписка", "дня", "иванову", "место",
                                 "повестка", "присутствовали", "протокола", "решение", "слушали", "срок"},
}
WORD = re.compile(r"[А-Яа-яЁёA-Za-z0-9]+")


def words(text: str) -> set[str]:
    return {w.casefold().replace("ё", "е") for w in WORD.findall(text)}


def test_archive_holds_exactly_the_five_seeds():
    files = sorted(p.relative_to(PROTOCOLS).as_posix() for p in PROTOCOLS.rglob("*") if p.is_file())
    assert files == sorted(v[0] for v in SEEDS.values())


def test_seeds_pass_check_with_no_problems():
    archive = load_collection([PROTOCOLS])
    problems = list(archive.problems) + check_archive(archive.protocols)
    for protocol in archive.protocols:
        problems += check_protocol(protocol, TODAY)
    assert problems == []
    assert len(archive.protocols) == 5


@pytest.mark.parametrize("seed", sorted(SEEDS))
def test_decisions_and_deadlines_as_written(seed):
    file, count, deadlines = SEEDS[seed]
    protocol, problems = load_protocol(PROTOCOLS / file)
    assert problems == []
    refs = list(walk_decisions(protocol))
    assert len(refs) == count
    assert {r.decision.key: r.decision.deadline for r in refs if r.decision.deadline} == deadlines


@pytest.mark.parametrize("seed", sorted(SEEDS))
def test_no_word_of_the_seed_is_lost(seed):
    source = SEEDS_DIR / seed
    if not source.exists():  # the seeds live beside the repository; a clone without them still has the YAML
        pytest.fail(f"seed {source} not found: tests expect ../shared/seeds beside the repository")
    missing = words(source.read_text(encoding="utf-8")) - words((PROTOCOLS / SEEDS[seed][0]).read_text(encoding="utf-8"))
    assert missing == NOT_CARRIED[seed]


def test_every_example_file_points_editors_at_the_schema():
    for path in PROTOCOLS.rglob("*.yaml"):
        first = path.read_text(encoding="utf-8").splitlines()[0]
        target = (path.parent / first.split("$schema=", 1)[1]).resolve()
        assert first.startswith("# yaml-language-server: $schema=") and target == (REPO / "schema" / "protokol.schema.json")


def test_speaker_of_seed_004_is_declined_from_nominative():
    protocol, _ = load_protocol(PROTOCOLS / "2024/2024-01-09-1.yaml")
    assert protocol.agenda[0].heard[0].who[0].name == "Иванова Н.В."
    assert protocol.kind == "extract" and protocol.number == "1"


def test_the_schema_file_is_generated_from_the_code():
    import json

    from protokol.schema import json_schema

    committed = json.loads((REPO / "schema" / "protokol.schema.json").read_text(encoding="utf-8"))
    assert committed == json_schema(), "schema/protokol.schema.json is stale: run `make schema`"
