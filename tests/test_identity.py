"""Identity keys: agenda items and decisions are keyed by schema.agenda_key and schema.decision_key alone, so the
loader, the importer and the text edits name the same decision by the same id."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize("number, position, key", [
    (None, 3, "3"), ("2", 1, "2"), ("2.", 1, "2"), (" 2. ", 1, "2"), ("", 4, "4"), (".", 5, "5"), ("-", 2, "-"),
])
def test_agenda_key(number, position, key):
    from protokol.schema import agenda_key

    assert agenda_key(number, position) == key


@pytest.mark.parametrize("number, index, key", [
    (None, 2, "3.2"), ("1", 5, "3.1"), ("1.", 5, "3.1"), ("2.2.1", 1, "2.2.1"), ("2.2.1.", 1, "2.2.1"),
    ("-", 4, "3.4"), ("•", 1, "3.1"), ("—", 2, "3.2"), ("  ", 6, "3.6"), ("1-2", 3, "3.1-2"),
])
def test_decision_key(number, index, key):
    from protokol.schema import decision_key

    assert decision_key("3", number, index) == key


def test_the_text_edit_and_the_loader_key_decisions_alike():
    """editing.py finds a decision by the key schema.with_identity gives it: through the same functions, so every
    numbering (printed, dotted, bullet, none, agenda item by position) names the same decision in both."""
    from protokol.editing import edit_text
    from protokol.load import protocol_from_text
    from protokol.model import Control, walk_decisions

    text = ("date: 2024-05-14\ntitle: t\nparticipants: {chair: A}\nagenda:\n"
            "- title: q\n  decided:\n  - text: a\n  - {number: '-', text: b}\n"
            "- number: '7.'\n  title: r\n  decided:\n  - {number: 7.4, text: c, items: [{text: d}, {number: '2', text: e}]}\n"
            "  - {number: 9., text: f}\n")
    protocol, problems = protocol_from_text(text, "x.yaml")
    assert problems == []
    keys = {ref.decision.key: ref.decision.text for ref in walk_decisions(protocol)}
    assert keys == {"1.1": "a", "1.2": "b", "7.4": "c", "7.4.1": "d", "7.4.2": "e", "7.9": "f"}
    for key, words in keys.items():
        new, why = edit_text(text, key, Control(status="cancelled", reason=key))
        edited, _problems = protocol_from_text(new, "x.yaml")
        marked = [ref.decision.text for ref in walk_decisions(edited) if ref.decision.control and ref.decision.control.reason == key]
        assert marked == [words], why
