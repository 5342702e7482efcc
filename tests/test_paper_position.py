"""`original: paper` and the paper position: a protocol encoded from an existing paper keeps the paper's numbering, and
what cites its decisions (due in every format, carry-over) gives where each stands on that paper beside the id;
`import` writes the key, `new` does not. A protocol written with protokol prints the numbers of its ids instead."""

from __future__ import annotations

import csv
import io
import json
import shutil
from dataclasses import replace
from datetime import date
from pathlib import Path

from conftest import PROTOCOLS, example_protocol, init_archive, run_cli
from protokol import carryover
from protokol import model as m
from protokol.load import load_protocol
from protokol.schema import paper_positions, with_identity


def load(protocol_id: str) -> m.Protocol:
    protocol, problems = load_protocol(example_protocol(protocol_id))
    assert protocol is not None, problems
    return protocol


def test_positions_name_the_question_the_decision_and_the_dash():
    assert paper_positions(load("2024-01-09-1")) == {  # one question decides: it is not named
        "2.1": "п. 1", "2.2": "п. 2", "2.2.1": "п. 2, 1-й подпункт", "2.2.2": "п. 2, 2-й подпункт",
        "2.2.3": "п. 2, 3-й подпункт", "2.2.4": "п. 2, 4-й подпункт", "2.2.5": "п. 2, 5-й подпункт"}
    seed = paper_positions(load("2022-12-25-1"))  # question 5, then one printed without a number
    assert seed["5.2"] == "вопрос 5, п. 2" and seed["2.1"] == "2-й вопрос, п. 1"
    assert paper_positions(load("2023-08-27-8"))["2.1.3"] == "вопрос 2, п. 1, 3-й подпункт"  # an unnumbered lead line


def test_numbered_sub_items_and_top_level_dashes():
    item = m.AgendaItem(title="Вопрос", number="1", decided=(
        m.Decision("Первое", number="-"),
        m.Decision("Группа", number="2", items=(m.Decision("а", number="а)"), m.Decision("б", number="2.2"))),
    ))
    built = with_identity(m.Protocol(id="", date=date(2024, 5, 14), title="совещания", agenda=(item,)), "x", "x.yaml")
    assert paper_positions(built) == {"1.1": "1-й пункт", "1.2": "п. 2", "1.2.а)": "п. 2, подп. а)",
                                      "2.2": "п. 2, подп. 2.2"}


def test_every_example_says_it_was_encoded_from_paper():
    for path in sorted(PROTOCOLS.glob("*/*.yaml")):
        protocol, _problems = load_protocol(path)
        assert protocol.original == "paper", path


def test_due_gives_the_paper_position_beside_the_id(tmp_path: Path):
    shutil.copytree(PROTOCOLS, tmp_path / "protocols")
    args = ("due", "--protocol", "2024-01-09-1", "--all", "--today", "2024-06-01", "--root", str(tmp_path))
    rows = json.loads(run_cli(*args, "--format", "json").stdout)
    assert {r["id"]: r["paper_position"] for r in rows}["2024-01-09-1/2.2.1"] == "п. 2, 1-й подпункт"
    table = run_cli(*args, env={"COLUMNS": "200"}).stdout
    assert "2024-01-09-1/2.2.1 (п. 2, 1-й подпункт)" in table
    assert "| 2024-01-09-1/2.2.3 (п. 2, 3-й подпункт) |" in run_cli(*args, "--format", "md").stdout
    reader = csv.DictReader(io.StringIO(run_cli(*args, "--format", "csv").stdout.lstrip("\ufeff")))
    assert {r["id"]: r["paper_position"] for r in reader}["2024-01-09-1/2.2.5"] == "п. 2, 5-й подпункт"
    ics = run_cli(*args, "--format", "ics").stdout
    assert "п. 2, 4-й подпункт" in ics.replace("\r\n ", "").replace("\n ", "").replace("\\,", ",")  # lines unfolded


def test_a_protocol_written_with_protokol_has_no_paper_position(tmp_path: Path):
    shutil.copytree(PROTOCOLS, tmp_path / "protocols")
    path = tmp_path / "protocols" / "2024" / "2024-01-09-1.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("original: paper\n", ""), encoding="utf-8")
    rows = json.loads(run_cli("due", "--protocol", "2024-01-09-1", "--all", "--format", "json", "--today", "2024-06-01",
                              "--root", str(tmp_path)).stdout)
    assert rows and all(r["paper_position"] is None for r in rows)


def test_carry_over_gives_the_paper_position_beside_the_id():
    protocol = load("2024-01-09-1")
    ref = next(r for r in m.walk_decisions(protocol) if r.decision.key == "2.2.1")
    text = carryover.carry_over_text(carryover.Pending(ref, date(2024, 1, 31)))
    assert text.startswith("Пункт 2.2.1 (п. 2, 1-й подпункт) протокола № 1 от 09.01.2024")
    written = replace(ref, protocol=replace(protocol, original=None))
    assert carryover.carry_over_text(carryover.Pending(written, date(2024, 1, 31))).startswith(
        "Пункт 2.2.1 протокола № 1")


def test_import_writes_the_key_and_new_does_not(tmp_path: Path):
    root = init_archive(tmp_path)
    source = tmp_path / "old.txt"
    source.write_text("ПРОТОКОЛ № 3\n14.05.2024\nсовещания руководителей ОУ\nПредседатель: Никитина О.В.\n"
                      "Секретарь: Фролова Т.С.\nПОВЕСТКА ДНЯ:\n1. О подготовке\nСЛУШАЛИ:\nНикитину О.В.\n"
                      "РЕШИЛИ:\n1. Представить отчёт.\n", encoding="utf-8")
    imported = run_cli("import", str(source), "--root", str(root))
    assert imported.exit_code in (0, 1), imported.output
    made = [p for p in (root / "protocols").rglob("*.yaml")]
    assert made and "original: paper" in made[0].read_text(encoding="utf-8")
    for p in made:
        p.unlink()
    new = run_cli("new", "--date", "2024-05-21", "--item", "О летнем отдыхе", "--chair", "Никитина О.В.",
                  "--secretary", "Фролова Т.С.", "--root", str(root))
    assert new.exit_code == 0, new.output
    (written,) = (root / "protocols").rglob("*.yaml")
    assert "original:" not in written.read_text(encoding="utf-8")
