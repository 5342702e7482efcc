"""`protokol due`: what is open and when, with control marks and references applied, in every output format."""

from __future__ import annotations

import csv
import io
import json
import os
import random
import shutil
import sys
from datetime import date
from pathlib import Path

import pytest

from conftest import PROTOCOLS, REPO, run_cli
from protokol import selection, status
from protokol.cli.common import parse_span
from protokol.collection import load_collection
from protokol.index import KINDS

TODAY = date(2024, 6, 1)
GOLDEN = REPO / "tests" / "golden" / "due"
REGENERATE = os.environ.get("PROTOKOL_REGENERATE") == "1"

# The dated open decisions of the five example protocols due before 1 July 2024, read off the protocols by hand: id, due date,
# the deadline as written. Ongoing («постоянно») ones are not dated; «до 01 июля 2024 года» is not *before* 1 July.
SEEDS_BEFORE_JULY = [
    ("2020-12-22/1.6", "2021-01-15", "до 15.01.2021"),
    ("2022-12-25-1/2.1", "2023-08-01", "до 01.08.2023 года"),
    ("2022-12-25-1/5.2", "2023-09-01", "до 01.09.2023"),
    ("2023-08-27-8/1.1", "2023-10-15", "до 15.10.2023 года"),
    ("2024-01-09-1/2.2.1", "2024-01-31", "31 января 2024 года"),
    ("2024-01-09-1/2.2.3", "2024-06-30", "январь-июнь 2024 года"),
]

HEAD = """date: {date}
title: совещания руководителей образовательных организаций
participants:
  chair: Никитина О.В.
  secretary: Фролова Т.С.
agenda:
  - number: 1
    title: Вопрос
    decided:
"""


def write(folder: Path, name: str, meeting: str, decisions: str, extra: str = "") -> Path:
    year = folder / "protocols" / meeting[:4]
    year.mkdir(parents=True, exist_ok=True)
    path = year / name
    path.write_text(extra + HEAD.format(date=meeting) + decisions, encoding="utf-8")
    return path


def index_of(folder: Path) -> status.Index:
    archive = load_collection([folder / "protocols"])
    return status.build_index(archive.protocols, archive.problems)


def ids(decisions) -> list[str]:
    return [d.id for d in decisions]


def due_json(*args: str, root: Path | None = None) -> list[dict]:
    result = run_cli("due", "--format", "json", "--today", TODAY.isoformat(), *(["--root", str(root)] if root else []), *args)
    assert result.exit_code == 0, result.stdout + result.stderr
    return json.loads(result.stdout)


# --------------------------------------------------------------------------------------------- the example archive

def test_due_before_july_lists_exactly_the_dated_open_seed_decisions_in_order():
    rows = due_json("--before", "2024-07-01", root=REPO)
    assert [(r["id"], r["deadline"]["due"], r["deadline"]["text"]) for r in rows] == SEEDS_BEFORE_JULY


def test_the_makefile_demo_command_prints_the_table():
    result = run_cli("due", "--before", "2024-07-01", "--today", "2024-06-01", "--root", str(REPO))
    assert result.exit_code == 0
    for decision_id, due, _written in SEEDS_BEFORE_JULY:
        assert decision_id in result.stdout and due in result.stdout
    assert "6 decisions, 5 overdue (today is 2024-06-01)." in result.stdout


def test_json_contract_has_the_documented_keys_and_types():
    rows = due_json("--ongoing", root=REPO)
    assert rows
    for r in rows:
        assert {"id", "protocol", "file", "line", "meeting_date", "number", "text", "deadline", "responsible", "status",
                "overdue"} <= set(r)
        assert r["id"] == f"{r['protocol']}/{r['number']}"
        assert set(r["deadline"]) >= {"text", "kind", "due"}
        assert r["deadline"]["due"] is None or date.fromisoformat(r["deadline"]["due"])
        assert isinstance(r["responsible"], list) and all(isinstance(x, str) for x in r["responsible"])
        assert r["status"] in ("open", "done", "cancelled") and isinstance(r["overdue"], bool)
        assert isinstance(r["line"], int)
        # the line points at the decision in its file
        source = (REPO / r["file"]).read_text(encoding="utf-8").splitlines()[r["line"] - 1]
        assert source.strip().startswith(("- ", "text:", "number:")), source
    kinds = {r["deadline"]["kind"] for r in rows}
    assert kinds == {"date", "ongoing"}  # --ongoing adds «постоянно»; the example protocols have no recurring deadline
    ongoing = [r for r in rows if r["deadline"]["kind"] == "ongoing"]
    assert all(r["deadline"]["due"] is None and not r["overdue"] for r in ongoing)


def test_every_kind_and_status_with_all():
    rows = due_json("--all", root=REPO)
    kinds = {r["deadline"]["kind"] for r in rows}
    assert "none" in kinds  # «Информацию … принять к сведению» has no deadline and shows only with --all
    assert len(rows) == len({r["id"] for r in rows})
    assert "2024-01-09-1/2.1" in {r["id"] for r in rows}
    assert "2024-01-09-1/2.2" not in {r["id"] for r in rows}  # a lead line with items is not a decision to do


@pytest.mark.parametrize("fmt", ["json", "md", "csv"])
def test_golden_outputs_of_the_example_archive(fmt: str):
    result = run_cli("due", "--today", TODAY.isoformat(), "--root", str(REPO), "--ongoing", "--format", fmt)
    assert result.exit_code == 0
    golden = GOLDEN / f"example-ongoing.{fmt}"
    if REGENERATE:
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(result.stdout, encoding="utf-8")
    assert result.stdout == golden.read_text(encoding="utf-8")


def test_csv_parses_back_with_one_row_per_decision():
    result = run_cli("due", "--today", TODAY.isoformat(), "--root", str(REPO), "--format", "csv")
    assert result.stdout.startswith("\ufeffid,")  # the byte order mark Excel and Outlook need to read UTF-8
    rows = list(csv.DictReader(io.StringIO(result.stdout.removeprefix("\ufeff"))))
    assert [(r["id"], r["due"]) for r in rows if r["due"] < "2024-07-01"] == [(i, d) for i, d, _w in SEEDS_BEFORE_JULY]
    assert rows[0]["overdue"] == "yes" and rows[0]["days_overdue"] == str((TODAY - date(2021, 1, 15)).days)


def test_ics_parses_back_with_a_todo_per_decision():
    from icalendar import Calendar

    result = run_cli("due", "--today", TODAY.isoformat(), "--root", str(REPO), "--format", "ics")
    assert result.exit_code == 0
    assert b"\r\n" in result.stdout_bytes and result.stdout.startswith("BEGIN:VCALENDAR")
    cal = Calendar.from_ical(result.stdout)
    todos = [c for c in cal.walk() if c.name == "VTODO"]
    assert [str(t["uid"]) for t in todos][:6] == [f"{i}@protokol" for i, _d, _w in SEEDS_BEFORE_JULY]
    first = todos[0]
    assert first.decoded("due") == date(2021, 1, 15)
    assert str(first["status"]) == "NEEDS-ACTION"
    assert str(first["summary"]).startswith("2020-12-22/1.6: В срок до 15.01.2021")
    assert "до 15.01.2021" in str(first["description"])
    assert cal["version"] == "2.0" and "protokol" in str(cal["prodid"])
    again = run_cli("due", "--today", TODAY.isoformat(), "--root", str(REPO), "--format", "ics")
    assert again.stdout == result.stdout  # stable: same UIDs and stamps for the same --today


def test_group_by_responsible_puts_a_decision_under_each_executor():
    rows = due_json("--before", "2024-07-01", "--group-by", "responsible", root=REPO)
    groups = {}
    for r in rows:
        groups.setdefault(r["group"], []).append(r["id"])
    assert groups["руководители ОО"] == ["2022-12-25-1/5.2", "2023-08-27-8/1.1"]
    assert groups["отдел образования"] == ["2023-08-27-8/1.1"]
    assert groups["—"] == ["2020-12-22/1.6", "2022-12-25-1/2.1"]


def test_group_by_protocol_table_has_a_heading_per_protocol():
    result = run_cli("due", "--before", "2024-07-01", "--today", "2024-06-01", "--root", str(REPO), "--group-by", "protocol")
    lines = result.stdout.splitlines()
    headings = [line for line in lines if line in ("2020-12-22", "2022-12-25-1", "2023-08-27-8", "2024-01-09-1")]
    assert headings == ["2020-12-22", "2022-12-25-1", "2023-08-27-8", "2024-01-09-1"]


def test_group_by_is_refused_for_ics():
    result = run_cli("due", "--root", str(REPO), "--group-by", "protocol", "--format", "ics")
    assert result.exit_code == 2 and "ics" in result.stderr


@pytest.mark.parametrize("args, expected", [
    (("--before", "2023-09-01"), ["2020-12-22/1.6", "2022-12-25-1/2.1"]),  # strictly before
    (("--after", "2023-09-01", "--before", "2024-02-01"), ["2023-08-27-8/1.1", "2024-01-09-1/2.2.1"]),
    (("--overdue",), [i for i, _d, _w in SEEDS_BEFORE_JULY[:5]]),
    (("--within", "30d"), [i for i, _d, _w in SEEDS_BEFORE_JULY] + ["2024-01-09-1/2.2.5"]),
    (("--within", "2w"), [i for i, _d, _w in SEEDS_BEFORE_JULY[:5]]),
    (("--responsible", "АДМИНИСТРАЦИИ оу"), ["2024-01-09-1/2.2.1", "2024-01-09-1/2.2.3", "2024-01-09-1/2.2.5"]),
    (("--protocol", "2022-12-25-1"), ["2022-12-25-1/2.1", "2022-12-25-1/5.2"]),
    (("--status", "done"), []),
])
def test_filters(args, expected):
    assert [r["id"] for r in due_json(*args, root=REPO)] == expected


def test_unknown_protocol_is_a_usage_error_with_a_suggestion():
    result = run_cli("due", "--root", str(REPO), "--protocol", "2024-01-09")
    assert result.exit_code == 2
    assert "2024-01-09-1" in result.stderr


@pytest.mark.parametrize("args", [("--format", "xml"), ("--status", "closed"), ("--within", "soon"),
                                  ("--before", "01/07/2024"), ("--group-by", "year")])
def test_bad_options_are_usage_errors(args):
    result = run_cli("due", "--root", str(REPO), *args)
    assert result.exit_code == 2
    assert "Traceback" not in result.stdout + result.stderr


def test_russian_messages():
    result = run_cli("due", "--root", str(REPO), "--today", "2024-06-01", "--before", "2024-07-01", lang="ru")
    assert "6 решений, просрочено 5 (сегодня 1 июня 2024 г.)." in result.stdout


# --------------------------------------------------------------------------------------------- rules

def test_responsible_matching_ignores_case_yo_spacing_and_name_order():
    match = selection.responsible_matcher("семёнова т.ю.")
    assert match(("Семенова Т. Ю.",))
    assert match(("отдел образования", "Т.Ю. Семенова"))
    assert not match(("Семенов Т.Ю.",))
    assert selection.responsible_matcher("белов")(("Белова И.Г.",))


def test_parse_span():
    assert parse_span("14d") == 14 and parse_span("2w") == 14 and parse_span("10") == 10
    assert parse_span("2 недели") is None and parse_span("") is None


def test_no_open_decisions_is_said_plainly(tmp_path: Path):
    write(tmp_path, "2024-05-14-1.yaml", "2024-05-14", "      - text: Информацию принять к сведению.\n")
    result = run_cli("due", "--root", str(tmp_path), "--today", "2024-06-01")
    assert result.exit_code == 0
    assert result.stdout.strip() == "No open decisions."
    assert due_json(root=tmp_path) == []


def test_a_broken_file_is_reported_and_the_others_still_listed(tmp_path: Path):
    write(tmp_path, "2024-05-14-1.yaml", "2024-05-14",
          "      - text: Представить списки.\n        deadline: 20.05.2024\n        responsible: руководители ОО\n")
    broken = tmp_path / "protocols" / "2024" / "2024-05-20-1.yaml"
    broken.write_text("date: 2024-05-20\ntitle: [unclosed\n", encoding="utf-8")
    result = run_cli("due", "--root", str(tmp_path), "--today", "2024-06-01", "--format", "json")
    assert result.exit_code == 1
    assert [r["id"] for r in json.loads(result.stdout)] == ["2024-05-14-1/1.1"]
    assert "2024-05-20-1.yaml:" in result.stderr and "error[yaml-" in result.stderr


def test_an_unknown_deadline_is_reported_and_listed_undated(tmp_path: Path):
    write(tmp_path, "2024-05-14-1.yaml", "2024-05-14",
          "      - text: Подготовить отчёт.\n        deadline: после каникул\n        responsible: руководители ОО\n"
          "      - text: Провести совещание.\n        deadline: по согласованию\n        due: 2024-06-10\n"
          "        responsible: руководители ОО\n")
    result = run_cli("due", "--root", str(tmp_path), "--today", "2024-06-01", "--format", "json")
    assert result.exit_code == 1
    rows = json.loads(result.stdout)
    assert [(r["id"], r["deadline"]["kind"], r["deadline"]["due"]) for r in rows] == [
        ("2024-05-14-1/1.2", "date", "2024-06-10"), ("2024-05-14-1/1.1", "unknown", None)]
    assert "2024-05-14-1.yaml:11:19: error[deadline-unknown]" in result.stderr


def test_check_reports_an_unknown_phrase_at_its_line_and_column_with_examples(tmp_path: Path):
    path = write(tmp_path, "2024-05-14-1.yaml", "2024-05-14",
                 "      - text: Подготовить отчёт.\n        deadline: после каникул\n        responsible: руководители ОО\n")
    result = run_cli("check", str(path), "--today", "2024-06-01")
    assert result.exit_code == 1
    assert "2024-05-14-1.yaml:11:19: error[deadline-unknown]: Unknown deadline 'после каникул'" in result.stdout
    assert "«15.10.2023»" in result.stdout and "due: YYYY-MM-DD" in result.stdout
    path.write_text(path.read_text(encoding="utf-8").replace("после каникул\n", "после каникул\n        due: 2024-09-01\n"),
                    encoding="utf-8")
    assert run_cli("check", str(path), "--today", "2024-06-01").exit_code == 0


def test_check_suggests_moving_a_deadline_out_of_the_text(tmp_path: Path):
    path = write(tmp_path, "2024-05-14-1.yaml", "2024-05-14",
                 "      - text: Представить отчёт до 20.06.2024 года в отдел образования.\n"
                 "        responsible: руководители ОО\n")
    result = run_cli("check", str(path), "--today", "2024-06-01")
    assert "warning[deadline-in-text]" in result.stdout and "`deadline: до 20.06.2024 года`" in result.stdout


def test_lead_line_inheritance_and_marks_on_a_lead_line_apply_to_its_items(tmp_path: Path):
    write(tmp_path, "2024-05-14-1.yaml", "2024-05-14", """      - text: "Руководителям ОО:"
        responsible: руководители ОО
        deadline: до 31.05.2024
        control: {status: done, date: 2024-05-30}
        items:
          - text: обеспечить открытие лагерей
          - text: обобщить опыт
            deadline: 15.06.2024
""")
    index = index_of(tmp_path)
    found = {d.id: d for d in selection.select(index, selection.Filter(status="all"), TODAY)}
    assert set(found) == {"2024-05-14-1/1.1.1", "2024-05-14-1/1.1.2"}
    assert found["2024-05-14-1/1.1.1"].due == date(2024, 5, 31)
    assert found["2024-05-14-1/1.1.2"].due == date(2024, 6, 15)
    assert all(d.status == "done" and d.entry.responsible == ("руководители ОО",) for d in found.values())


def test_draft_protocols_are_left_out_and_their_references_do_not_count(tmp_path: Path):
    write(tmp_path, "2024-05-14-1.yaml", "2024-05-14", "      - text: Сделать.\n        deadline: 20.05.2024\n"
                                                       "        responsible: руководители ОО\n")
    write(tmp_path, "2024-05-28-1.yaml", "2024-05-28",
          "      - text: Пункт 1.1 снять с контроля.\n        acts_on: [{decision: 2024-05-14-1/1.1, action: done}]\n"
          "      - text: Сделать ещё.\n        deadline: 30.05.2024\n        responsible: руководители ОО\n",
          extra="status: draft\n")
    open_now = ids(selection.select(index_of(tmp_path), selection.Filter(), TODAY))
    assert open_now == ["2024-05-14-1/1.1"]


# --------------------------------------------------------------------------------------------- references

def _two_meetings(tmp_path: Path, acts: str) -> status.Index:
    write(tmp_path, "2024-02-14-3.yaml", "2024-02-14", """      - number: "1.1"
        text: Представить отчёты.
        deadline: до 01.03.2024
        responsible: руководители ОО
      - number: "1.3"
        text: Провести мониторинг.
        deadline: до 15.03.2024
        responsible: руководители ОО
      - number: "2.4"
        text: Разработать план.
        deadline: до 01.04.2024
        responsible: отдел образования
""")
    write(tmp_path, "2024-04-10-4.yaml", "2024-04-10", acts)
    return index_of(tmp_path)


def test_a_later_protocol_closes_and_extends_earlier_decisions(tmp_path: Path):
    index = _two_meetings(tmp_path, """      - text: Пункты 1.1, 1.3 протокола № 3 от 14.02.2024 снять с контроля.
        acts_on:
          - {decision: 2024-02-14-3/1.1, action: done}
          - {decision: 2024-02-14-3/1.3, action: done}
      - text: Срок исполнения пункта 2.4 продлить до 31.05.2024.
        acts_on: [{decision: 2024-02-14-3/2.4, action: extend, to: 2024-05-31}]
""")
    every = {d.id: d for d in selection.select(index, selection.Filter(status="all"), TODAY)}
    assert every["2024-02-14-3/1.1"].status == "done"
    assert every["2024-02-14-3/1.1"].status_date == date(2024, 4, 10)
    assert every["2024-02-14-3/1.1"].status_by == "2024-04-10-4/1.1"
    extended = every["2024-02-14-3/2.4"]
    assert extended.status == "open" and extended.due == date(2024, 5, 31)
    assert extended.extensions == ((date(2024, 5, 31), "Срок исполнения пункта 2.4 продлить до 31.05.2024.",
                                    date(2024, 4, 10), "2024-04-10-4/1.2"),)
    assert extended.overdue and extended.days_overdue == 1
    assert ids(selection.select(index, selection.Filter(before=date(2024, 5, 1)), TODAY)) == []
    assert ids(selection.select(index, selection.Filter(overdue=True), TODAY)) == ["2024-02-14-3/2.4"]
    assert list(status.iter_problems(index)) == []


def test_a_reference_to_a_lead_line_reaches_its_items(tmp_path: Path):
    write(tmp_path, "2024-02-14-3.yaml", "2024-02-14", """      - text: "Руководителям ОО:"
        responsible: руководители ОО
        deadline: до 01.03.2024
        items:
          - text: первое
          - text: второе
""")
    write(tmp_path, "2024-04-10-4.yaml", "2024-04-10",
          "      - text: Пункт 1 снять с контроля.\n        acts_on: [{decision: 2024-02-14-3/1.1, action: cancel}]\n")
    every = selection.select(index_of(tmp_path), selection.Filter(status="all"), TODAY)
    assert [(d.id, d.status) for d in every] == [("2024-02-14-3/1.1.1", "cancelled"), ("2024-02-14-3/1.1.2", "cancelled")]


def test_the_files_own_marks_win_when_later_and_a_reopening_reference_wins_when_later(tmp_path: Path):
    _two_meetings(tmp_path, """      - text: Пункт 1.1 снять с контроля.
        acts_on: [{decision: 2024-02-14-3/1.1, action: done}]
      - text: Пункт 1.3 вернуть на контроль.
        acts_on: [{decision: 2024-02-14-3/1.3, action: reopen}]
""")
    path = tmp_path / "protocols" / "2024" / "2024-02-14-3.yaml"
    text = path.read_text(encoding="utf-8")
    text = text.replace("        responsible: руководители ОО\n      - number: \"1.3\"",
                        "        responsible: руководители ОО\n        control: {status: open, date: 2024-05-02}\n"
                        "      - number: \"1.3\"")
    text = text.replace("        deadline: до 15.03.2024\n", "        deadline: до 15.03.2024\n"
                        "        control: {status: done, date: 2024-03-10}\n")
    path.write_text(text, encoding="utf-8")
    found = {d.id: d for d in selection.select(index_of(tmp_path), selection.Filter(status="all"), TODAY)}
    assert found["2024-02-14-3/1.1"].status == "open"  # reopened in the file on 2 May, after the closing of 10 April
    assert found["2024-02-14-3/1.3"].status == "open"  # done on 10 March, reopened by the meeting of 10 April
    assert found["2024-02-14-3/1.3"].status_by == "2024-04-10-4/1.2"


def test_references_to_unknown_or_later_decisions_are_ignored_by_due_and_reported(tmp_path: Path):
    index = _two_meetings(tmp_path, """      - text: Пункт 9.9 снять с контроля.
        acts_on: [{decision: 2024-02-14-3/9.9, action: done}]
      - text: Пункт снять.
        acts_on: [{decision: 2025-01-01-1/1.1, action: done}]
""")
    write(tmp_path, "2024-01-10-1.yaml", "2024-01-10",
          "      - text: Пункт 1.1 протокола 3 снять с контроля.\n"
          "        acts_on: [{decision: 2024-02-14-3/1.1, action: done}]\n")
    index = index_of(tmp_path)
    assert all(d.status == "open" for d in selection.select(index, selection.Filter(status="all"), TODAY))
    problems = sorted((p.code, p.file.rsplit("/", 1)[-1], p.line) for p in status.iter_problems(index))
    assert problems == [("reference-date", "2024-01-10-1.yaml", 11), ("reference-unknown", "2024-04-10-4.yaml", 11),
                        ("reference-unknown", "2024-04-10-4.yaml", 13)]
    result = run_cli("due", "--root", str(tmp_path), "--today", "2024-06-01")
    assert result.exit_code == 1 and "reference-unknown" in result.stderr


# --------------------------------------------------------------------------------------------- recurring

def test_recurring_decisions_are_due_on_their_current_occurrence(tmp_path: Path):
    write(tmp_path, "2024-01-15-1.yaml", "2024-01-15", """      - text: Представлять отчёт.
        deadline: ежемесячно до 10 числа
        responsible: руководители ОО
      - text: Представлять сведения.
        deadline: ежемесячно до 10 числа
        responsible: руководители ОО
        control: {closed: [2024-02-10, 2024-03-10]}
""")
    index = index_of(tmp_path)
    found = {d.id: d for d in selection.select(index, selection.Filter(), TODAY)}
    untracked, tracked = found["2024-01-15-1/1.1"], found["2024-01-15-1/1.2"]
    assert untracked.due == date(2024, 2, 10) and untracked.days_overdue == 112  # each occurrence is controlled
    assert tracked.due == date(2024, 4, 10) and tracked.overdue  # April's was missed
    assert tracked.closed == (date(2024, 2, 10), date(2024, 3, 10))
    index.never_overdue = True  # recurring_untracked: never_overdue
    found = {d.id: d for d in selection.select(index, selection.Filter(), TODAY)}
    untracked, tracked = found["2024-01-15-1/1.1"], found["2024-01-15-1/1.2"]
    assert untracked.due == date(2024, 6, 10) and not untracked.overdue  # nobody closes it: the next one from today
    assert tracked.due == date(2024, 4, 10) and tracked.overdue


# --------------------------------------------------------------------------------------------- the summary is exact

def naive_select(index: status.Index, flt: selection.Filter, today: date) -> list[status.Decision]:
    """`select` without its summary: every item evaluated, the filter applied to the result."""
    refs, _reached = status.reference_targets(index)
    wanted = "all" if flt.all else flt.status
    horizon = today + __import__("datetime").timedelta(days=flt.within) if flt.within is not None else None
    kinds = set(KINDS) if flt.all else {"date", "recurring", "unknown"} | (
        set(selection.UNDATED_KINDS) if flt.ongoing else set())
    match = selection.responsible_matcher(flt.responsible) if flt.responsible else None
    out = []
    for f in index.files:
        if f.meeting.draft and not flt.all or flt.protocol not in (None, f.meeting.id):
            continue
        for e in f.entries():
            if not e.is_leaf or e.kind not in kinds or (match and not match(e.responsible)):
                continue
            d = status.evaluate(e, f.meeting, refs, today)
            if selection._keep(d, flt, wanted, horizon):
                out.append(d)
    return sorted(out, key=selection.sort_key)


@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> status.Index:
    sys.path.insert(0, str(REPO / "bench"))
    import generate

    folder = tmp_path_factory.mktemp("generated")
    generate.generate(folder, count=400, seed=7)
    return index_of(folder)


def test_summary_filtering_equals_evaluating_everything(generated: status.Index):
    rng = random.Random(3)
    days = [date(2016, 1, 1), date(2019, 6, 1), date(2023, 1, 1), date(2024, 6, 1), date(2024, 12, 1)]
    checked = 0
    for _ in range(60):
        flt = selection.Filter(before=rng.choice([None, *days]), after=rng.choice([None, None, *days]),
                           overdue=rng.random() < 0.2, within=rng.choice([None, None, 14, 90]),
                           status=rng.choice(["open", "open", "done", "cancelled", "all"]),
                           ongoing=rng.random() < 0.3, all=rng.random() < 0.1,
                           responsible=rng.choice([None, None, None, "руководители", "иванова"]))
        today = rng.choice(days)
        fast = selection.select(generated, flt, today)
        assert ids(fast) == ids(naive_select(generated, flt, today)), flt
        checked += len(fast)
    assert checked > 1000  # the filters did select something


def test_generated_archive_has_references_closings_and_extensions(generated: status.Index):
    every = selection.select(generated, selection.Filter(all=True), date(2024, 6, 1))
    assert any(d.status_by for d in every) and any(d.extensions for d in every)
    assert {d.entry.kind for d in every} == set(KINDS) - {"unknown"}
    assert list(status.iter_problems(generated)) == []


def test_cli_due_equals_the_library(tmp_path: Path):
    shutil.copytree(PROTOCOLS, tmp_path / "protocols")
    rows = due_json("--all", root=tmp_path)
    index = index_of(tmp_path)
    assert [r["id"] for r in rows] == ids(selection.select(index, selection.Filter(all=True), TODAY))
