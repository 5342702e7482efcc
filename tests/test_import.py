"""`protokol import`: the originals of the example archive give its hand-encoded decisions, own inputs give their
reviewed results, nothing is lost."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from conftest import DATA, ORIGINAL_IDS, TODAY, example_protocol, original, words
from protokol.deadlines import parse_deadline
from protokol.importers.run import file_name, import_document, verify
from protokol.load import load_protocol
from protokol.model import walk_decisions
from protokol.problems import Collector
from protokol.schema import PROTOCOL, with_identity
from protokol.yamlio import parse

IMPORT = DATA / "import"
EXPECTED = IMPORT / "expected"
REGENERATE = os.environ.get("PROTOKOL_REGENERATE") == "1"

# Our own inputs, in styles the originals (examples/originals/) do not show (see the comment at the top of each expected file).
INPUTS = ["pedsovet.txt", "table_decisions.md", "operational.txt", "online.md", "rmo_cp1251.txt", "extract_verno.txt",
          "word_tables.docx", "split_runs.docx"]


def _model(text: str):
    out = Collector("imported.yaml")
    built = PROTOCOL.convert(parse(text, out), out)
    assert out.problems == []
    return with_identity(built, "imported", "imported.yaml")


def _decisions(protocol) -> dict[str, tuple]:
    """Each decision by its id: text, the deadline's kind and due date, and who is responsible (inherited resolved).
    Text is compared without trailing whitespace: a hand-written `|` block keeps a final newline that `|-` does not."""
    out = {}
    for ref in walk_decisions(protocol):
        deadline = parse_deadline(ref.deadline, protocol.date, TODAY) if ref.deadline else None
        out[ref.decision.key] = (ref.decision.text.rstrip(), (deadline.kind, deadline.due) if deadline else None,
                                 tuple(ref.responsible))
    return out


@pytest.mark.parametrize("pid", ORIGINAL_IDS)
def test_original_gives_the_hand_encoded_decisions(pid, capsys):
    hand, problems = load_protocol(example_protocol(pid))
    assert problems == []
    result = import_document(original(pid), f"{pid}.txt", TODAY)
    assert result.error is None
    expected, got = _decisions(hand), _decisions(_model(result.yaml))
    matching = [key for key in expected if got.get(key) == expected[key]]
    with capsys.disabled():
        print(f"\noriginal {pid}: {len(matching)}/{len(expected)} decisions match (text, due date and kind, responsible)")
    mismatches = {key: (expected[key], got.get(key)) for key in expected if got.get(key) != expected[key]}
    assert mismatches == {}, f"original {pid}: {len(matching)}/{len(expected)} decisions match"
    assert set(got) == set(expected), "the import found decisions the hand encoding does not have"


@pytest.mark.parametrize("pid", ORIGINAL_IDS)
def test_original_import_passes_check_and_gets_the_archive_name(pid):
    result = import_document(original(pid), f"{pid}.txt", TODAY)
    assert result.problems == []
    assert f"{result.protocol.date.year}/{result.name}" == f"{pid[:4]}/{pid}.yaml"
    hand, _problems = load_protocol(example_protocol(pid))
    got = result.protocol
    assert (got.kind, got.number, got.date, got.title) == (hand.kind, hand.number, hand.date, hand.title)
    assert (got.time, got.place, got.venue, got.format, got.link) == (hand.time, hand.place, hand.venue, hand.format, hand.link)
    assert got.participants.chair == hand.participants.chair
    assert got.participants.secretary == hand.participants.secretary
    assert [i.number for i in got.agenda] == [i.number for i in hand.agenda]
    assert got.signatures == hand.signatures
    assert got.certification == hand.certification


# Words a protocol prints that an imported file does not repeat: labels become keys, dates become ISO, list numbers
# and head counts become structure, names after СЛУШАЛИ and in the dative come back in the nominative.
LABELS = {"слушали", "решили", "решение", "постановили", "выступили", "обсудили", "голосовали", "срок", "отв",
          "ответственный", "повестка", "дня", "присутствовали", "участники", "приглашенные", "приглашены",
          "отсутствовали", "председатель", "председательствовал", "секретарь", "протокол", "протокола", "выписка",
          "из", "вела", "дата", "время", "место", "проведения", "формат", "ссылка", "вопросу", "по", "первому",
          "второму", "третьему", "данному", "подпись", "человек", "человека", "принято", "состав", "участников",
          "докладчик", "п", "с", "л", "у", "ш", "а", "и", "р", "е", "о", "т", "к", "bookmark", "goback", "г", "года",
          "2023г", "от", "з", "за", "против", "воздержались", "нет", "верно",
          "фио", "должность", "мероприятие"}  # the last three: header rows of tables
LABELS |= {"января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа", "сентября", "октября", "ноября",
           "декабря"}


def _lost(source_text: str, yaml_text: str) -> set[str]:
    lost = words(source_text) - words(yaml_text) - LABELS
    yaml_words = words(yaml_text)
    # a name in another case: the same first five letters survive in the nominative («Комарову» -> «Комарова»)
    return {w for w in lost if not (len(w) > 5 and any(y.startswith(w[:5]) for y in yaml_words)) and not w.isdigit()}


@pytest.mark.parametrize("pid", ORIGINAL_IDS)
def test_no_word_of_an_original_is_lost(pid):
    path = original(pid)
    result = import_document(path, path.name, TODAY)
    assert _lost(path.read_text(encoding="utf-8"), result.yaml) == set()


def _source_text(name: str) -> str:
    path = IMPORT / name
    if name.endswith(".docx"):
        from protokol.importers.source import docx_lines

        return "\n".join(line.text for line in docx_lines(path.read_bytes()))
    data = path.read_bytes()
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1251")


def _expected_parts(name: str) -> tuple[Path, Path]:
    stem = name.rsplit(".", 1)[0]
    return EXPECTED / f"{stem}.yaml", EXPECTED / f"{stem}.report"


def _header(path: Path) -> str:
    """The comment lines at the top of an expected file (the reviewer's note), kept when regenerating."""
    if not path.exists():
        return "# NOT YET REVIEWED: compare with the input line by line, then replace this line with your note.\n"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    return "".join(line for line in lines[: next((i for i, x in enumerate(lines) if not x.startswith("#")), len(lines))])


def _body(path: Path) -> str:
    return "".join(line for line in path.read_text(encoding="utf-8").splitlines(keepends=True) if not line.startswith("#"))


@pytest.mark.parametrize("name", INPUTS)
def test_golden_own_input_gives_the_reviewed_result(name):
    result = import_document(IMPORT / name, f"tests/data/import/{name}", TODAY)
    assert result.error is None
    report = "".join(f"{spot.line}: {spot.note}\n" for spot in result.spots)
    yaml_path, report_path = _expected_parts(name)
    if REGENERATE:
        EXPECTED.mkdir(exist_ok=True)
        yaml_path.write_text(_header(yaml_path) + result.yaml, encoding="utf-8")
        report_path.write_text(_header(report_path) + report, encoding="utf-8")
        return
    assert "NOT YET REVIEWED" not in _header(yaml_path)
    assert result.yaml == _body(yaml_path)
    assert report == _body(report_path)


@pytest.mark.parametrize("name", INPUTS)
def test_own_input_passes_check_and_loses_no_word(name):
    result = import_document(IMPORT / name, name, TODAY)
    assert [p for p in result.problems] == []
    assert _lost(_source_text(name), result.yaml) == set()


def test_eight_inputs_in_other_styles_exist():
    kinds = {Path(n).suffix for n in INPUTS}
    assert len(INPUTS) >= 8 and {".txt", ".md", ".docx"} <= kinds
    assert (IMPORT / "make_docx.py").is_file()


def test_file_name_keeps_only_safe_characters():
    from dataclasses import replace

    protocol = import_document(original("2023-08-27-8"), "2023-08-27-8.txt", TODAY).protocol
    assert file_name(protocol) == "2023-08-27-8.yaml"
    assert file_name(replace(protocol, number="3/1")) == "2023-08-27-3-1.yaml"
    assert file_name(replace(protocol, number=None)) == "2023-08-27.yaml"


def test_verify_reports_what_check_would_say():
    text = "original: paper\ndate: 2024-05-14\ntitle: совещания\nparticipants: {chair: null, secretary: null}\n" \
           "agenda:\n" \
           "  - decided:\n      - text: Сделать.\n        deadline: когда-нибудь\n        responsible: []\n"
    codes = [p.code for p in verify(text, "2024-05-14.yaml", TODAY)]
    assert codes == ["deadline-unknown"]
