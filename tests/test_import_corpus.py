"""The import corpus (tests/data/import_corpus/, issue #19): minutes in many styles, each with its truth file. No
decision is lost silently, every imported file passes `check`, and at least 90 % of the decisions arrive with the
right deadline and executor — on the part the rules were tuned on and on the part written after them (held out)."""

from __future__ import annotations

import sys

import pytest

from conftest import REPO

sys.path.insert(0, str(REPO / "bench"))
import import_score  # noqa: E402  (bench/import_score.py: the score `make bench` prints)


@pytest.fixture(scope="module")
def scores():
    return {part: import_score.score_part(part) for part in import_score.PARTS}


def test_the_corpus_is_large_and_has_a_held_out_part(scores):
    assert sum(s.files for s in scores.values()) >= 25
    assert scores["heldout"].files >= 8 and scores["heldout"].decisions >= 40
    truths = sorted(p.name for p in import_score.CORPUS.rglob("*.truth.yaml"))
    assert len(truths) == sum(s.files for s in scores.values()), "every document has its truth file and no more"


@pytest.mark.parametrize("part", import_score.PARTS)
def test_no_decision_is_lost_silently_and_every_file_passes_check(scores, part):
    score = scores[part]
    assert score.lost == [], f"{part}: decisions neither imported nor reported"
    assert score.failing_check == []
    assert score.imported == score.files


def test_nine_in_ten_decisions_arrive_with_the_right_deadline_and_executor(scores):
    right = sum(s.right for s in scores.values())
    total = sum(s.decisions for s in scores.values())
    assert right >= 0.9 * total, "\n".join(w for s in scores.values() for w in s.wrong)
    assert scores["tuning"].right >= 0.9 * scores["tuning"].decisions


def test_the_score_is_printed_per_part(capsys):
    assert import_score.main([]) == 0
    out = capsys.readouterr().out.splitlines()
    assert [line.split()[0] for line in out] == list(import_score.PARTS)
    assert all("with the right deadline and executor" in line and "lost silently" in line for line in out)
