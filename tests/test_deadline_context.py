"""A deadline phrase whose reading asks nothing of its context (the meeting, the reference day, the school year, the
extra holidays) is kept by its text alone and given back at every other meeting (deadlines._CONTEXT_FREE): a cold
`due` reads «постоянно» and «до 01.09.2024» once. That shortcut must never change a result: here every phrase of
the repository (the deadline tests' tables, the example archive and the test data), every phrase the bench
archive's generator writes and the grammar's own examples, read at several meetings with several settings, through
the shortcut and through the full grammar, must give the same Deadline or the same error."""

from __future__ import annotations

import random
import re
import sys
from datetime import date, timedelta

from conftest import REPO
from protokol import deadlines
from protokol.deadlines import EXAMPLES, SAMPLES, DeadlineError, SchoolYear, parse_deadline

CONTEXTS = [  # (meeting, reference, school year, extra holidays, extra workdays)
    (date(2023, 8, 27), date(2024, 3, 5), SchoolYear(), frozenset(), frozenset()),
    (date(2024, 1, 9), date(2024, 1, 9), SchoolYear(), frozenset(), frozenset()),
    (date(2019, 12, 31), date(2020, 6, 1), SchoolYear(end=(6, 30), first_half_end=(1, 15), second_half_end=(6, 30),
                                                      immediate_days=5), frozenset({date(2020, 1, 9)}), frozenset()),
    (date(2031, 5, 20), date(2031, 5, 21), SchoolYear(immediate_days=1), frozenset({date(2031, 5, 21)}),
     frozenset({date(2031, 5, 24)})),
]


def _repository_phrases() -> set[str]:
    import test_deadlines

    phrases = {case.values[0] for case in test_deadlines.TABLE + test_deadlines.NEW_PHRASES
               if isinstance(case.values[0], str)}
    written = re.compile(r"^\s*-?\s*deadline:\s*(.+?)\s*$", re.M)
    for path in [*(REPO / "protocols").rglob("*.yaml"), *(REPO / "tests" / "data").rglob("*.yaml")]:
        for found in written.findall(path.read_text(encoding="utf-8", errors="replace")):
            phrases.add(found.strip("\"'"))
    return phrases


def _generated_phrases() -> set[str]:
    sys.path.insert(0, str(REPO / "bench"))
    import generate

    rng = random.Random(18)
    phrases = set()
    for n in range(3000):
        text, _due_text, _due = generate.deadline(rng, date(2015, 1, 12) + timedelta(days=n * 3))
        if text is not None:
            phrases.add(text)
    return phrases


PHRASES = sorted(_repository_phrases() | _generated_phrases() | set(EXAMPLES) | set(SAMPLES))


def _full(text: str, context: tuple):
    """The full grammar's reading, by-passing every kept answer."""
    try:
        return deadlines._parse_cached.__wrapped__(text, *context)
    except DeadlineError as err:
        return ("error", err.message, err.start, err.end)


def _kept(text: str, context: tuple):
    try:
        return parse_deadline(text, *context)
    except DeadlineError as err:
        return ("error", err.message, err.start, err.end)


def test_the_phrases_are_many():
    assert len(PHRASES) > 1000


def test_a_phrase_kept_by_its_text_reads_the_same_everywhere():
    deadlines._CONTEXT_FREE.clear()
    deadlines._parse_cached.cache_clear()
    for text in PHRASES:  # the first reading decides whether the phrase is kept by its text
        _kept(text, CONTEXTS[0])
    kept = set(deadlines._CONTEXT_FREE)
    assert {"постоянно", "до 01.09.2024", "II квартал 2024 г."} <= kept
    assert not {"в течение месяца", "до конца учебного года", "незамедлительно", "ежемесячно до 10 числа",
                "до 1 сентября"} & kept  # each depends on the meeting, the reference day or the settings
    for text in PHRASES:
        for context in CONTEXTS:
            assert _kept(text, context) == _full(text, context), (text, context)
    assert {text for text in kept if any(_full(text, c) != _full(text, CONTEXTS[0]) for c in CONTEXTS)} == set()
