"""`protokol report discipline` and `protokol export` on an archive whose outcomes are known: every figure below is
worked out by hand from the protocols written here (docs/reports.md states the rules), never copied from output."""

from __future__ import annotations

import io
import json
import re
import shlex
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import PROTOCOLS, REPO, run_cli, write

TODAY = "2024-06-10"
PERIOD = ("--from", "01.04.2024", "--to", "30 июня 2024", "--today", TODAY)  # every form of date the parser takes

PEOPLE = """\
people:
  - name: Белова И.Г.
    position: главный специалист
    email: belova@example.ru
    aliases: [Смирнова И.Г.]
  - name: Громов П.С.
  - group: руководители ОО
    members: [Белова И.Г.]
    email: heads@example.ru
"""

# 2024: 1 May (Wed) and 9 May (Thu) are public holidays, 10 May a working day by the Labour Code's rules.
HEADS = """\
date: 2024-04-01
number: '1'
title: совещания руководителей ОО
participants: {chair: Никитина О.В., secretary: Фролова Т.С.}
agenda:
  - number: 1
    title: О текущих вопросах
    decided:
      - {number: '1.1', text: Сдать отчёт., deadline: до 15.04.2024, responsible: Белова И.Г.,
         control: {status: done, date: 2024-04-12}}
      - {number: '1.2', text: Провести сверку., deadline: до 08.05.2024, responsible: Громов П.С.,
         control: {status: done, date: 2024-05-13}}
      - {number: '1.3', text: Подготовить план., deadline: до 20.05.2024,
         responsible: Управление образования (Белова И.Г.)}
      - {number: '1.4', text: Представить списки., deadline: до 10.06.2024, responsible: Белова И. Г.}
      - {number: '1.5', text: Закупить бланки., deadline: до 30.04.2024, responsible: Громов П.С.,
         control: {status: cancelled, date: 2024-04-20, reason: утратило актуальность}}
      - {number: '1.6', text: Обновить сайт., deadline: до 25.04.2024, responsible: Громов П.С.,
         control: {status: done, date: 2024-05-30,
                   extensions: [{to: 2024-05-31, reason: по ходатайству, on: 2024-04-20}]}}
      - {number: '1.7', text: Провести семинар., deadline: до 17.05.2024,
         responsible: "Белова И.Г., отдел образования", control: {status: done, date: 2024-05-17}}
      - {number: '1.8', text: Сдать заявки., deadline: до 22.05.2024, responsible: Руководители ОО,
         control: {status: done, date: 2024-05-27}}
      - {number: '1.9', text: Разместить объявление., deadline: до 03.06.2024,
         control: {status: done, date: 2024-06-03}}
      - {number: '1.10', text: Подготовить отчёт за год., deadline: до 15.07.2024, responsible: Белова И.Г.}
      - {number: '1.11', text: Провести опрос., deadline: до 28.06.2024, responsible: Белова И.Г.,
         control: {extensions: [{to: 2024-07-15, reason: каникулы, on: 2024-06-05}]}}
      - {number: '1.12', text: Проверить журналы., deadline: до 15.05.2024, responsible: Громов П.С.,
         control: {extensions: [{to: 2024-07-31, reason: позже сегодняшнего дня, on: 2024-06-20}]}}
  - number: 2
    title: О мониторинге
    decided:
      - number: '2.1'
        text: Представлять сведения о посещаемости.
        deadline: ежемесячно до 10 числа
        responsible: Громов П.С.
        control:
          occurrences:
            - {occurrence: 2024-04-10, date: 2024-04-09}
            - {occurrence: 2024-05-10, date: 2024-05-14}
"""

DRAFT = """\
status: draft
date: 2024-05-01
title: совещания руководителей ОО
participants: {chair: Никитина О.В., secretary: Фролова Т.С.}
agenda:
  - number: 1
    title: О черновике
    decided:
      - {number: '1.1', text: Не считается., deadline: до 20.05.2024, responsible: Белова И.Г.}
"""

COUNCIL = """\
date: 2024-05-15
number: '1'
title: методического совета
participants: {chair: Никитина О.В., secretary: Фролова Т.С.}
agenda:
  - number: 1
    title: О семинаре
    decided:
      - {number: '1.1', text: Обобщить опыт., deadline: до 31.05.2024, responsible: Смирнова И.Г.,
         control: {status: done, date: 2024-06-05}}
"""

KEYS = ("assigned", "on_time", "late", "overdue", "open", "cancelled", "extended", "on_time_pct", "avg_delay_workdays")


def figures(*values) -> dict:
    return dict(zip(KEYS, values, strict=True))


@pytest.fixture
def archive(tmp_path: Path) -> Path:
    root = tmp_path / "archive"
    write(root, "language: en\n", "protokol.yaml")
    write(root, PEOPLE, "people.yaml")
    write(root, HEADS, "protocols/2024/2024-04-01-1.yaml")
    write(root, DRAFT, "protocols/2024/2024-05-01-1.yaml")
    write(root, COUNCIL, "protocols/2024/2024-05-15-1.yaml")
    checked = run_cli("check", "--root", str(root), "--today", TODAY)
    assert checked.exit_code == 0 and " 0 errors" in checked.output, checked.output  # warnings: a spelling, 1.9
    return root


def report(root: Path, *options: str) -> dict:
    result = run_cli("report", "discipline", *PERIOD, "--format", "json", "--root", str(root), *options)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


# Per executor, worked out from the protocols above:
# Белова (any spelling, her alias Смирнова, and in brackets): 1.1 on time; 1.3 overdue; 1.4 due today, open;
#   1.7 on time; council 1.1 late, 31 May (Fri) → 5 June (Wed): 3 working days. 50% = 2 of (2 + 1 + 1).
# Громов: 1.2 late, 8 May → 13 May across the holiday of 9 May: 10 and 13 May, 2 working days; 1.5 cancelled;
#   1.6 extended on 20 April (before its deadline) to 31 May and done 30 May: on time; 1.12 overdue (its extension
#   is decided after today, so 15 May stands); 2.1 monthly: 10 April on time, 10 May late (13, 14 May: 2), 10 June
#   open (due today). 40% = 2 of (2 + 2 + 1); delays (2 + 2) / 2.
# отдел образования: 1.7 on time, with Белова. руководители ОО (the group): 1.8, 22 May → 27 May: 3 working days.
# без исполнителя: 1.9 on time. Not counted: 1.10 and 1.11 (deadline in force after the period), the draft.
ROWS = [
    {"responsible": "Белова И.Г.", **figures(5, 2, 1, 1, 1, 0, 0, 50.0, 3.0)},
    {"responsible": "Громов П.С.", **figures(7, 2, 2, 1, 1, 1, 1, 40.0, 2.0)},
    {"responsible": "отдел образования", **figures(1, 1, 0, 0, 0, 0, 0, 100.0, None)},
    {"responsible": "руководители ОО", **figures(1, 0, 1, 0, 0, 0, 0, 0.0, 3.0)},
    {"responsible": "без исполнителя", **figures(1, 1, 0, 0, 0, 0, 0, 100.0, None)},
]
# each item once: 14 items; on time 1.1, 1.6, 1.7, 1.9, 2.1 (April); late 1.2 (2), 1.8 (3), 2.1 (May, 2),
# council 1.1 (3); overdue 1.3, 1.12; open 1.4, 2.1 (June); cancelled 1.5. 5 / 11 = 45.45 %; delays 10 / 4.
TOTAL = figures(14, 5, 4, 2, 2, 1, 1, 45.5, 2.5)


def test_discipline_per_executor_gives_the_figures_worked_out_by_hand(archive: Path):
    got = report(archive)
    assert got["period"] == {"from": "2024-04-01", "to": "2024-06-30", "today": TODAY}
    assert got["by"] == "responsible"
    assert got["rows"] == ROWS
    assert got["total"] == TOTAL


def test_discipline_per_series_and_per_protocol(archive: Path):
    council = figures(1, 0, 1, 0, 0, 0, 0, 0.0, 3.0)
    heads = figures(13, 5, 3, 2, 2, 1, 1, 50.0, 2.3)  # the total less the council's item: delays (2 + 3 + 2) / 3
    got = report(archive, "--by", "series")
    assert got["rows"] == [{"series": "методического совета", **council},
                           {"series": "совещания руководителей ОО", **heads}]
    assert got["total"] == TOTAL
    got = report(archive, "--by", "protocol")
    assert got["rows"] == [{"protocol": "2024-04-01-1", **heads}, {"protocol": "2024-05-15-1", **council}]


def test_a_period_with_nothing_due_has_no_share(archive: Path):
    got = json.loads(run_cli("report", "discipline", "--from", "2023-01-01", "--to", "2023-12-31", "--today", TODAY,
                             "--format", "json", "--root", str(archive)).stdout)
    assert got["rows"] == [] and got["total"] == figures(0, 0, 0, 0, 0, 0, 0, None, None)


def test_the_xlsx_carries_the_figures_and_every_item(archive: Path, tmp_path: Path):
    openpyxl = pytest.importorskip("openpyxl")
    out = tmp_path / "discipline.xlsx"
    result = run_cli("report", "discipline", *PERIOD, "--format", "xlsx", "-o", str(out), "--root", str(archive))
    assert result.exit_code == 0, result.output
    book = openpyxl.load_workbook(out)
    summary, items = book.worksheets
    rows = [list(r) for r in summary.iter_rows(min_row=3, values_only=True)]
    assert rows[0][0] == "Executor"
    body = [[r[0], *r[1:]] for r in rows[1:]]
    expected = [[row["responsible"], *(row[k] for k in KEYS)] for row in ROWS] + [["Total", *TOTAL.values()]]
    assert body == expected
    assert summary.auto_filter.ref == "A3:J8"  # the header and the rows: the head sorts and filters them
    listed = list(items.iter_rows(min_row=2, values_only=True))
    assert len(listed) == 14
    late = [r for r in listed if r[0] == "2024-04-01-1/1.2"][0]
    assert (late[11], late[13]) == ("late", 2) and "2 working days after the deadline" in late[14]
    assert sorted(r[0] for r in listed if r[7] is not None) == ["2024-04-01-1/2.1"] * 3  # occurrences


def test_the_docx_carries_the_figures_and_a_chart(archive: Path, tmp_path: Path):
    import docx

    out = tmp_path / "справка.docx"
    result = run_cli("report", "discipline", *PERIOD, "--format", "docx", "-o", str(out), "--root", str(archive))
    assert result.exit_code == 0, result.output
    document = docx.Document(str(out))
    (table,) = document.tables
    cells = [[c.text for c in row.cells] for row in table.rows]
    assert cells[1] == ["Белова И.Г.", "5", "2", "1", "1", "1", "0", "0", "50.0", "3.0"]
    assert cells[-1] == ["Total", "14", "5", "4", "2", "2", "1", "1", "45.5", "2.5"]
    assert len(cells) == 1 + len(ROWS) + 1
    text = "\n".join(p.text for p in document.paragraphs)
    assert "14 items were due" in text and "On time: 45.5%" in text
    pictures = [r for r in document.part.rels.values() if "image" in r.reltype]
    assert len(pictures) == 1 and pictures[0].target_part.blob.startswith(b"\x89PNG")


def test_binary_formats_need_a_file_and_dates_are_checked(archive: Path, tmp_path: Path):
    for args, code in [(("--format", "xlsx"), 2), (("--format", "pdf"), 2), (("--by", "executor"), 2)]:
        result = run_cli("report", "discipline", *PERIOD, *args, "--root", str(archive))
        assert result.exit_code == code, result.output
    wrong = run_cli("report", "discipline", "--from", "31.06.2024", "--to", "2024-07-01", "--root", str(archive))
    assert wrong.exit_code == 2 and "31.06.2024" in wrong.output and "Traceback" not in wrong.output
    backwards = run_cli("report", "discipline", "--from", "2024-07-01", "--to", "2024-06-01", "--root", str(archive))
    assert backwards.exit_code == 2
    out = tmp_path / "kept.xlsx"
    out.write_bytes(b"mine")
    again = run_cli("report", "discipline", *PERIOD, "--format", "xlsx", "-o", str(out), "--root", str(archive))
    assert again.exit_code == 1 and out.read_bytes() == b"mine" and "--force" in again.output


def test_csv_and_markdown_hold_the_same_rows(archive: Path):
    csv_text = run_cli("report", "discipline", *PERIOD, "--format", "csv", "--root", str(archive)).stdout
    import csv

    lines = list(csv.reader(io.StringIO(csv_text.lstrip("\ufeff"))))
    assert lines[0] == ["responsible", *KEYS]
    assert lines[-1] == ["total", "14", "5", "4", "2", "2", "1", "1", "45.5", "2.5"]
    md = run_cli("report", "discipline", *PERIOD, "--format", "md", "--root", str(archive)).stdout
    assert "| Громов П.С. | 7 | 2 | 2 | 1 | 1 | 1 | 1 | 40.0 | 2.0 |" in md
    table = run_cli("report", "discipline", *PERIOD, "--root", str(archive), lang="ru").stdout
    assert "Громов П.С." in table and "40,0" in table  # a Russian table writes the decimal comma


# ------------------------------------------------------------------------------------------------------ export

def test_export_sqlite_has_one_decision_row_per_due_all_entry(archive: Path, tmp_path: Path):
    out = tmp_path / "archive.sqlite"
    result = run_cli("export", "--format", "sqlite", "-o", str(out), "--today", TODAY, "--root", str(archive))
    assert result.exit_code == 0, result.output
    due = json.loads(run_cli("due", "--all", "--format", "json", "--today", TODAY, "--root", str(archive)).stdout)
    db = sqlite3.connect(out)
    ids = [row[0] for row in db.execute("SELECT id FROM decisions ORDER BY rowid")]
    assert ids == [d["id"] for d in due]
    (overdue,) = db.execute("SELECT overdue, days_overdue, due, responsible FROM decisions WHERE id = ?",
                            ("2024-04-01-1/1.3",)).fetchall()
    assert overdue == (1, 21, "2024-05-20", "Управление образования (Белова И.Г.)")
    protocols = db.execute("SELECT id, file, date, series, status, chair FROM protocols ORDER BY date").fetchall()
    assert protocols[0] == ("2024-04-01-1", "protocols/2024/2024-04-01-1.yaml", "2024-04-01",
                            "совещания руководителей оо", "final", "Никитина О.В.")
    assert [p[4] for p in protocols] == ["final", "draft", "final"]
    assert db.execute("SELECT protocol, number, title FROM agenda_items WHERE protocol = '2024-05-15-1'").fetchall() \
        == [("2024-05-15-1", "1", "О семинаре")]
    people = {row[0]: row[1] for row in db.execute(
        "SELECT name, person FROM decision_responsible JOIN decisions ON decisions.id = decision "
        "WHERE decisions.protocol = '2024-04-01-1' AND decisions.number IN ('1.3', '1.7', '1.8')")}
    assert people == {"Управление образования (Белова И.Г.)": "Белова И.Г.", "Белова И.Г.": "Белова И.Г.",
                      "отдел образования": None, "Руководители ОО": "руководители ОО"}
    events = db.execute("SELECT event, date, to_date, reason, source FROM control_events WHERE decision = ? "
                        "ORDER BY date", ("2024-04-01-1/1.6",)).fetchall()
    assert events == [("extend", "2024-04-20", "2024-05-31", "по ходатайству", "protocols/2024/2024-04-01-1.yaml"),
                      ("done", "2024-05-30", None, None, "protocols/2024/2024-04-01-1.yaml")]
    occurrences = db.execute("SELECT event, date, to_date FROM control_events WHERE decision = '2024-04-01-1/2.1' "
                             "ORDER BY to_date").fetchall()
    assert occurrences == [("done_occurrence", "2024-04-09", "2024-04-10"), ("done_occurrence", "2024-05-14", "2024-05-10")]
    assert db.execute("SELECT name, position, email, is_group FROM people ORDER BY is_group, name").fetchall() == [
        ("Белова И.Г.", "главный специалист", "belova@example.ru", 0), ("Громов П.С.", None, None, 0),
        ("руководители ОО", None, "heads@example.ru", 1)]


def test_export_records_a_reference_with_the_acting_file(tmp_path: Path):
    root = tmp_path / "archive"
    write(root, HEADS, "protocols/2024/2024-04-01-1.yaml")
    write(root, COUNCIL.replace("control: {status: done, date: 2024-06-05}",
                                "acts_on: [{decision: 2024-04-01-1/1.3, action: done}]"),
          "protocols/2024/2024-05-15-1.yaml")
    out = tmp_path / "a.sqlite"
    assert run_cli("export", "--format", "sqlite", "-o", str(out), "--today", TODAY, "--root", str(root)).exit_code == 0
    db = sqlite3.connect(out)
    assert db.execute("SELECT event, date, source FROM control_events WHERE decision = '2024-04-01-1/1.3'").fetchall() \
        == [("done", "2024-05-15", "protocols/2024/2024-05-15-1.yaml")]
    assert db.execute("SELECT status, status_date FROM decisions WHERE id = '2024-04-01-1/1.3'").fetchone() == (
        "done", "2024-05-15")


def test_export_jsonl_and_xlsx_hold_the_same_decisions(archive: Path, tmp_path: Path):
    openpyxl = pytest.importorskip("openpyxl")
    lines = tmp_path / "d.jsonl"
    assert run_cli("export", "--format", "jsonl", "-o", str(lines), "--today", TODAY, "--root", str(archive)).exit_code == 0
    due = json.loads(run_cli("due", "--all", "--format", "json", "--today", TODAY, "--root", str(archive)).stdout)
    assert [json.loads(line) for line in lines.read_text(encoding="utf-8").splitlines()] == due
    book = tmp_path / "a.xlsx"
    book.write_bytes(b"an older export: replaced whole, no --force needed")
    assert run_cli("export", "--format", "xlsx", "-o", str(book), "--today", TODAY, "--root", str(archive)).exit_code == 0
    sheets = openpyxl.load_workbook(book)
    assert sheets.sheetnames == ["protocols", "agenda_items", "decisions", "decision_responsible", "control_events",
                                 "people"]
    decisions = list(sheets["decisions"].iter_rows(values_only=True))
    assert decisions[0][:3] == ("id", "protocol", "number") and [r[0] for r in decisions[1:]] == [d["id"] for d in due]


def test_committed_template_is_what_the_script_builds():
    result = subprocess.run([sys.executable, str(REPO / "scripts" / "build_report_template.py"), "--check"],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_every_example_in_the_docs_runs(tmp_path: Path, monkeypatch):
    """The commands docs/reports.md and the README show, run on a copy of the example archive."""
    root = tmp_path / "archive"
    shutil.copytree(PROTOCOLS, root / "protocols")
    monkeypatch.chdir(root)
    text = (REPO / "docs" / "reports.md").read_text(encoding="utf-8")
    readme = (REPO / "README.md").read_text(encoding="utf-8").split("## Reports for the head")[1].split("\n## ")[0]
    commands = [line.strip() for block in re.findall(r"```sh\n(.*?)```", text, re.S) for line in block.splitlines()]
    commands += [line.strip() for line in readme.splitlines() if line.startswith("    protokol ")]
    assert len(commands) >= 9
    for command in commands:
        args = shlex.split(command.split("#")[0])[1:]
        result = run_cli(*args, "--force") if "-o" in args and args[0] == "report" else run_cli(*args)
        assert result.exit_code == 0, f"{command}: {result.output}"
    assert sqlite3.connect(root / "archive.sqlite").execute("SELECT count(*) FROM decisions").fetchone()[0] > 0
    assert (root / "справка.docx").is_file() and (root / "discipline.xlsx").is_file()


def test_the_chart_keeps_the_rows_with_the_most_items():
    from datetime import date

    from protokol.report.discipline import Report, Row
    from protokol.report.office import CHART_ROWS, chart_png

    rows = tuple(Row(f"Исполнитель {n:02}", n, on_time=n) for n in range(1, 41))
    png = chart_png(Report(date(2024, 1, 1), date(2024, 3, 31), date(2024, 4, 1), "responsible", rows, rows[-1]))
    assert png.startswith(b"\x89PNG") and CHART_ROWS == 30
    assert chart_png(Report(date(2024, 1, 1), date(2024, 3, 31), date(2024, 4, 1), "responsible", (), Row(None))) \
        is None


SIGNED = """\
kind: extract
status: final
organization: "МКУ «Отдел образования»"
number: "7"
date: 2024-03-01
title: совещания руководителей ОО
participants:
  chair: {name: Никитина О.В., position: начальник отдела}
  secretary: null
agenda:
  - title: О подготовке к ГИА
    decided:
      - text: Провести пробный экзамен.
        responsible: Белова И.Г.
        deadline: 01.04.2024
  - title: Разное
signed: {by: Никитина О.В., date: 2024-03-04, sha256: %s}
""" % ("0" * 64)


def _tables(path: Path) -> dict[str, list[tuple]]:
    db = sqlite3.connect(path)
    try:
        names = [n for (n,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY rowid")]
        schema = db.execute("SELECT type, name, sql FROM sqlite_master ORDER BY rowid").fetchall()
        return {"schema": schema, **{n: db.execute(f"SELECT * FROM {n} ORDER BY rowid").fetchall() for n in names}}
    finally:
        db.close()


def _loaded_protocol_tables(root: Path) -> tuple[list[tuple], list[tuple]]:
    """The rows of `protocols` and `agenda_items` worked out from the protocols loaded whole (the full reading, as
    `check` reads them): what the export listed before the index kept these fields."""
    from protokol.collection import load_collection
    from protokol.series import series_key

    found, agenda, seen = [], [], set()
    for p in load_collection([root / "protocols"], False, root).protocols:
        if p.id in seen:
            continue
        seen.add(p.id)
        chair, secretary = p.participants.chair, p.participants.secretary
        found.append((p.id, Path(p.path).resolve().relative_to(root.resolve()).as_posix(), p.date.isoformat(),
                      p.number, p.title, series_key(p.title), p.kind, p.status, p.organization,
                      chair.name if chair else None, secretary.name if secretary else None,
                      p.signed.by if p.signed else None, p.signed.date.isoformat() if p.signed else None))
        agenda += [(p.id, item.key, item.title) for item in p.agenda]
    return found, agenda


@pytest.mark.parametrize("which", ["example", "generated", "fixture"])
def test_a_warm_export_is_the_cold_one_and_lists_the_protocols_as_loaded(which: str, tmp_path: Path, request):
    """A warm export reads no protocol file (the index keeps what the tables protocols and agenda_items list): it must
    give exactly what a cold one and one without the cache give, and those tables exactly what the protocols loaded
    whole say (the example archive, a generated one, and a signed extract with a null secretary)."""
    root = tmp_path / "archive"
    if which == "example":
        shutil.copytree(PROTOCOLS, root / "protocols")
    elif which == "generated":
        sys.path.insert(0, str(REPO / "bench"))
        import generate

        generate.generate(root, count=120, seed=11)
    else:
        root = request.getfixturevalue("archive")
        write(root, SIGNED, "protocols/2024/2024-03-01-1.yaml")
    outputs = {}
    for run in ("cold", "warm", "no-cache"):
        for fmt in ("sqlite", "jsonl", "xlsx"):
            out = tmp_path / f"{run}.{fmt}"
            result = run_cli("export", "--format", fmt, "-o", str(out), "--today", TODAY, "--root", str(root),
                             *(["--no-cache"] if run == "no-cache" else []))
            assert result.exit_code in (0, 1), result.output  # 1: the archive's own problems, listed on stderr
            outputs[run, fmt] = out
    tables = _tables(outputs["cold", "sqlite"])
    assert tables["decisions"] and tables["protocols"]
    for run in ("warm", "no-cache"):
        assert _tables(outputs[run, "sqlite"]) == tables
        for fmt in ("jsonl", "xlsx"):  # the workbook holds no time: the same bytes
            assert outputs[run, fmt].read_bytes() == outputs["cold", fmt].read_bytes()
    assert (tables["protocols"], tables["agenda_items"]) == _loaded_protocol_tables(root)
    assert _sheets(outputs["cold", "xlsx"]) == {  # every cell; an empty text is an empty cell
        name: [tuple(None if v == "" else v for v in row) for row in rows] for name, rows in tables.items()
        if name != "schema"}
    if which == "fixture":
        assert ("2024-03-01-1", "protocols/2024/2024-03-01-1.yaml", "2024-03-01", "7", "совещания руководителей ОО",
                "совещания руководителей оо", "extract", "final", "МКУ «Отдел образования»", "Никитина О.В.", None,
                "Никитина О.В.", "2024-03-04") in tables["protocols"]


def _sheets(path: Path) -> dict[str, list[tuple]]:
    """Every sheet's rows below its header, as openpyxl reads them back (the header checked against TABLES)."""
    openpyxl = pytest.importorskip("openpyxl")
    from protokol.report.export import TABLES

    book = openpyxl.load_workbook(path)
    found = {}
    for sheet in book.worksheets:
        rows = list(sheet.iter_rows(values_only=True))
        assert rows[0] == tuple(name for name, _kind in TABLES[sheet.title])
        assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref == f"A1:{sheet.cell(1, len(rows[0])).column_letter}" \
            f"{max(len(rows), 2)}"
        found[sheet.title] = rows[1:]
    return found
