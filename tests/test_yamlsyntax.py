"""YAML syntax errors are reported where the secretary must look, in plain words, with a concrete fix (yamlsyntax.py).

The reproducers in tests/data/checks/yaml-*.yaml cover the common mistakes end to end; this table covers the
variations around them, and the last tests guard robustness (no traceback for any broken file) and cost (clean files
never load the explainer).
"""

from __future__ import annotations

import random
import subprocess
import sys

import pytest
import yaml

from conftest import PROTOCOLS, REPO
from protokol import yamlio, yamlsyntax
from protokol.i18n import set_language
from protokol.problems import Collector

HEAD = "date: 2024-05-14\ntitle: совещания\nparticipants:\n  chair: Никитина О.В.\n"

# name: (text, code, line, column, part of the message, part of the hint)
CASES = {
    "unclosed bracket at the end of the file": (
        HEAD + "  present: [Иванова И.И., Петров П.П.\n", "yaml-syntax", 5, 12,
        "'[' opened here is never closed", "Add ']' at the end of line 5: `present: [Иванова И.И., Петров П.П.]`"),
    "unclosed bracket of a list over two lines": (
        "present: [Иванова И.И.,\n  Петров П.П.\nagenda: []\n", "yaml-syntax", 1, 10,
        "'[' opened here is never closed", "Add ']' at the end of line 2: `Петров П.П.]`"),
    "the outer of two brackets unclosed": (
        "present: [a, [b, c]\nagenda: []\n", "yaml-syntax", 1, 10,
        "'[' opened here is never closed", "`present: [a, [b, c]]`"),
    "unclosed brace at the end of the file": (
        "agenda: {a: b", "yaml-syntax", 1, 9, "'{' opened here is never closed with '}'", "`agenda: {a: b}`"),
    "a quoted item followed by text inside a closed list": (
        'present: ["Иванова" И.И., Петров П.П.]\n', "yaml-syntax", 1, 21,
        "text after the closing quote", "put the whole item in quotes"),
    "a list item without a comma inside a closed list": (
        "present: [Иванова: x: y, b]\n", "yaml-syntax", 1, 21, "Expected ',' or ']' here, inside the '[' opened on line 1",
        "Separate the items with commas"),
    "quotes inside quotes": (
        'title: "Об "итогах" года"\n', "yaml-syntax", 1, 13, "text after the closing quote",
        "write them as «»: `title: Об «итогах» года`, or put the whole text in quotes: `title: 'Об \"итогах\" года'`"),
    "a single-quoted name followed by text": (
        "title: 'Точка роста' — итоги\n", "yaml-syntax", 1, 22, "text after the closing quote ('",
        "`title: «Точка роста» — итоги`, or put the whole text in quotes: `title: \"'Точка роста' — итоги\"`"),
    "text after a list in brackets": (
        "title: [1] Приказ\n", "yaml-syntax", 1, 12, "There is text after the closing ']'", '`title: "[1] Приказ"`'),
    "an unclosed quote on the last line": (
        'title: "О подготовке', "yaml-truncated", 1, 8, 'The quote " opened here is never closed',
        'Add the closing " at the end of line 1: `title: "О подготовке"`'),
    "an unclosed quote whose text goes on over lines": (
        'title: "О подготовке\n  к сезону\nagenda: []\n', "yaml-truncated", 1, 8, "never closed",
        "at the end of line 2: `к сезону\"`"),
    "a colon in a title": (
        "title: Разное: итоги\n", "yaml-syntax", 1, 14, "A colon followed by a space", '`title: "Разное: итоги"`'),
    "a colon in text that holds a double quote": (
        'title: Проект "Школа": итоги\n', "yaml-syntax", 1, 22, "A colon followed by a space",
        "`title: 'Проект \"Школа\": итоги'`"),
    "no space after the colon of the first key": (
        "date:2024-05-14\ntitle: совещания\n", "yaml-syntax", 1, 5, "No space after ':'", "`date: 2024-05-14`"),
    "a missing colon": (
        "date: 2024-05-14\ntitle совещания\nagenda: []\n", "yaml-syntax", 2, 6, "A ':' is missing after `title`",
        "`title: совещания`"),
    "a missing colon on the first line": (
        "date 2024-05-14\ntitle: совещания\n", "yaml-syntax", 1, 5, "A ':' is missing after `date`", "`date: 2024-05-14`"),
    "a list item deeper than the text above it": (
        HEAD + "agenda:\n  - number: 1\n    title: X\n      - number: 2\n", "yaml-syntax", 8, 7,
        "indented deeper than `title:` on line 7", "Line up '-' with the '-' on line 6 (column 3)"),
    "a list item among keys": (
        "participants:\n  chair: X\n  - Y\n", "yaml-syntax", 3, 3, "A list item '-' at a wrong indent",
        "A list needs a key of its own"),
    "a list item further left, with a nested list between": (
        "decided:\n  - text: A\n    responsible:\n      - X\n - text: B\n", "yaml-syntax", 5, 2,
        "A list item '-' at a wrong indent", "Line up '-' with the '-' on line 2 (column 3)"),
    "a list on the line of its key": (
        "agenda: - number: 1\n", "yaml-syntax", 1, 9, "cannot start on the line of its key", "Move `- number: 1` to the next line"),
    "text continuing at column 1": (
        "title: О подготовке к\nлетнему сезону\nagenda: []\n", "yaml-syntax", 2, 1,
        "continues the text of `title:` on line 1", "start it in column 2 or further"),
    "text continuing a list item's key": (
        "agenda:\n  - title: О подготовке к\n   летнему сезону\n    decided: []\n", "yaml-syntax", 3, 4,
        "continues the text of `title:` on line 2", "start it in column 6 or further"),
    "an indented first line": (
        " date: 2024-05-14\ntitle: совещания\n", "yaml-syntax", 1, 2, "The first line of the file is indented more than line 2",
        "Remove the spaces"),
    "a stray line of text at the top": (
        "Протокол совещания\ndate: 2024-05-14\n", "yaml-syntax", 1, 1, "text without a key", "Write it as `key: value`"),
    "a value starting with @": (
        "title: @Иванова\n", "yaml-syntax", 1, 8, "'@' has a special meaning", '`title: "@Иванова"`'),
    "a value starting with *": (
        "title: * все классы\n", "yaml-syntax", 1, 8, "'*' has a special meaning", '`title: "* все классы"`'),
    "a value starting with a comma": (
        "responsible: , руководители ОО\ndate: x\n", "yaml-syntax", 1, 14, "',' has a special meaning",
        '`responsible: ", руководители ОО"`'),
    "a backslash in double quotes": (
        'link: "C:\\Документы"\n', "yaml-syntax", 1, 10, "'\\Д' is not one", "`link: 'C:\\Документы'`"),
    "a stray bracket at the start of a line": (
        "agenda:\n  - number: 1\n ] - title: X\n", "yaml-syntax", 3, 2, "The ']' at the start of this line", "Delete it"),
    "a tab before a list item": (
        "agenda:\n\t- number: 1\n", "yaml-tab", 2, 1, "A tab character is used for indentation", "replace the tab with spaces"),
    "a tab in the indentation of a key": (
        HEAD + "  \tsecretary: Ф\n", "yaml-tab", 5, 3, "A tab character", "replace the tab with spaces"),
    "a tab on a line that looks empty": (
        HEAD + "\t\n  secretary: Ф\n", "yaml-tab", 5, 1, "looks empty but holds a tab", "Delete the tab"),
    "Windows line ends": (
        "date: 2024-05-14\r\nparticipants:\r\n  present: [Иванова И.И.,\r\n\r\nagenda: []\r\n", "yaml-syntax", 3, 12,
        "'[' opened here is never closed", "Add ']' at the end of line 3"),
}


def report(text: str):
    out = Collector("x.yaml")
    assert yamlio.parse(text, out) is None
    assert len(out.problems) == 1, out.problems
    return out.problems[0]


@pytest.mark.parametrize("name", list(CASES))
def test_a_mistake_is_reported_where_it_is_fixed(name):
    text, code, line, col, message, hint = CASES[name]
    problem = report(text)
    assert (problem.code, problem.line, problem.col) == (code, line, col), problem
    assert message.lower() in problem.message.lower()
    assert hint in problem.hint


def test_libyaml_words_stay_at_the_end_of_the_message():
    problem = report(HEAD + "  present: [Иванова И.И.\nagenda: []\n")
    assert problem.message.endswith("(libyaml: did not find expected ',' or ']' while parsing a flow sequence)")


def test_russian_messages_and_hints():
    set_language("ru")
    problem = report(HEAD + "  present: [Иванова И.И., Петров П.П.\nagenda: []\n")
    assert problem.message.startswith("Скобка «[», открытая здесь, не закрыта")
    assert "(libyaml: did not find expected ',' or ']'" in problem.message
    assert problem.hint == "Поставьте «]» в конце строки 5: `present: [Иванова И.И., Петров П.П.]`."
    problem = report("title: Разное: итоги\n")
    assert problem.hint == 'Заключите весь текст в кавычки: `title: "Разное: итоги"`.'


def test_an_unrecognised_mistake_keeps_libyaml_words_and_position():
    problem = report("title: ? X\n")
    assert (problem.line, problem.col) == (1, 8)
    assert problem.message == "YAML syntax error: mapping keys are not allowed in this context."


def test_a_failing_guess_falls_back_to_libyaml_words(monkeypatch):
    def broken(self):
        raise IndexError("a bug in a guess")

    monkeypatch.setattr(yamlsyntax._Explainer, "unclosed_flow", broken)
    problem = report("present: [a, b\nagenda: []\n")
    assert problem.code == "yaml-syntax"
    assert problem.message == "YAML syntax error: did not find expected ',' or ']' while parsing a flow sequence."
    assert (problem.line, problem.col) == (2, 7)


def _mutations(seed: int, count: int):
    """Broken copies of the real protocols: characters people mistype inserted, deleted, lines shifted."""
    texts = [path.read_text(encoding="utf-8") for path in sorted(PROTOCOLS.rglob("*.yaml"))]
    assert texts
    typed = ["[", "]", "{", "}", '"', "'", ":", ": ", "\t", "- ", " ", "  ", "\n", "#", "*", "&", "!", "|", ">", "@", "%", "\\", ","]
    rnd = random.Random(seed)
    for _ in range(count):
        text = rnd.choice(texts)
        for _edit in range(rnd.randint(1, 3)):
            at = rnd.randrange(len(text) + 1)
            how = rnd.random()
            if how < 0.5:
                text = text[:at] + rnd.choice(typed) + text[at:]
            elif how < 0.8:
                text = text[:at] + text[at + rnd.randint(1, 3) :]
            else:
                lines = text.split("\n")
                k = rnd.randrange(len(lines))
                lines[k] = " " * rnd.randint(1, 3) + lines[k] if rnd.random() < 0.5 else lines[k][rnd.randint(1, 3) :]
                text = "\n".join(lines)
        yield text


def test_every_broken_file_gets_an_explanation_inside_the_file():
    explained = 0
    for text in _mutations(seed=20240514, count=1500):
        try:
            for _event in yaml.parse(text, Loader=yaml.CSafeLoader):
                pass
            continue
        except yaml.MarkedYAMLError as exc:
            found = yamlsyntax._Explainer(text, exc).explain()  # not explain(): its safety net would hide a bug here
        except yaml.YAMLError:
            continue
        explained += 1
        lines = yamlsyntax._BREAKS.split(text)
        assert 1 <= found.pos.line <= len(lines), (found, text)
        assert 1 <= found.pos.col <= len(lines[found.pos.line - 1]) + 1, (found, text)
        assert found.hint and found.message
    assert explained > 300  # the mutations do break files: the loop above is not empty


def test_clean_files_never_load_the_explainer():
    code = ("import sys\nfrom protokol.load import load_protocol\n"
            f"for path in sorted(__import__('pathlib').Path({str(PROTOCOLS)!r}).rglob('*.yaml')):\n"
            "    load_protocol(path)\n"
            "print('LOADED' if 'protokol.yamlsyntax' in sys.modules else 'NOT LOADED')\n")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO)
    assert result.stdout.strip() == "NOT LOADED", result.stderr
