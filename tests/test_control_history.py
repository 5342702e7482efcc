"""The control history of a decision: the earlier closings `protokol reopen` undid, in the file, in `due`'s JSON and
calendar, in `protokol history` and textconv; reopening an occurrence of a recurring decision, kept in that history;
and how `protokol diff` shows done and reopen: one status line with its day."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

import pytest
import yaml

from conftest import HEADS_REL, REPO, commit, init_repo, protokol, run_cli
from conftest import write as write_file
from protokol import control
from protokol import model as m
from protokol.collection import load_collection
from protokol.editing import edit_text
from protokol.index import Entry, Marks, Meeting, marks_of
from protokol.load import load_protocol
from protokol.selection import find
from protokol.status import Decision, build_index

TODAY = date(2024, 6, 1)
REL = "protocols/2024/2024-01-15-1.yaml"
RECURRING = """\
date: 2024-01-15
title: совещания
participants: {chair: Никитина О.В., secretary: Фролова Т.С.}
agenda:
  - number: 1
    title: Отчётность
    decided:
      - number: "1.1"
        text: Представлять отчёт о посещаемости.
        deadline: ежемесячно до 10 числа
        responsible: руководители ОО   # комментарий к исполнителям
        control:
          report: Сведения представлены
          controller: Белова И.Г.  # контролёр
          closed: [2024-04-10, 2024-05-10]
      - number: "1.2"
        text: Сдать план работы.
        deadline: до 01.03.2024
        responsible: Белова И.Г.
      - number: "1.3"
        text: 'Руководителям ОО:'
        deadline: ежемесячно до 5 числа
        control:
          closed: [2024-05-05]
        items:
          - text: представлять сведения о питании
            responsible: руководители ОО
"""
ID = "2024-01-15-1/1.1"


def write(root: Path, text: str = RECURRING, rel: str = REL) -> Path:
    """The protocol, in an archive whose marks begin in April (so the setting for such archives: occurrences before
    the first one closed are not controlled)."""
    write_file(root, "recurring_untracked: never_overdue\n", "protokol.yaml")
    return write_file(root, text, rel)


def cli(root: Path, *args: str, lang: str = "en"):
    return run_cli(*args, "--root", str(root), "--today", TODAY.isoformat(), lang=lang)


def state(root: Path, decision_id: str = ID, today: date = TODAY) -> Decision:
    loaded = load_collection([root / "protocols"])
    index = build_index(loaded.protocols)
    index.never_overdue = True  # as protokol.yaml says
    return find(index, decision_id, today)


def due_rows(root: Path, *args: str) -> dict[str, dict]:
    result = cli(root, "due", "--format", "json", "--all", *args)
    assert result.exit_code == 0, result.stderr
    return {row["id"]: row for row in json.loads(result.stdout)}


def control_of(path: Path, key: str) -> dict:
    """The control marks of decision `key` as a YAML reader sees them (dates as dates)."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    for d in data["agenda"][0]["decided"]:
        if d.get("number") == key:
            return d.get("control") or {}
    raise KeyError(key)


# --------------------------------------------------------------------------------------------- control.py

def recurring(marks: Marks | None, closed: tuple[date, ...], due: date,
              inherited: tuple[Marks, ...] = (), ancestors: tuple[str, ...] = ()) -> Decision:
    entry = Entry("2024-01-15-1", "1.1", ancestors, 8, 9, "Представлять отчёт.", "ежемесячно до 10 числа",
                        "recurring", None, "monthly:10", ("ОО",), marks, inherited, (), True, None)
    meeting = Meeting("2024-01-15-1", "p.yaml", date(2024, 1, 15), "1", "совещания", False)
    return Decision(entry, meeting, "open", due, closed=closed)


def test_reopening_an_occurrence_moves_it_from_closed_into_the_history():
    marks = marks_of(m.Control(report="за май", controller="Белова И.Г.",
                                     closed=(date(2024, 4, 10), date(2024, 5, 10))))
    out = control.reopen(recurring(marks, marks.closed, date(2024, 6, 10)), TODAY, TODAY)
    assert out.message == f"{ID}: the occurrence due 2024-05-10 is open again."
    assert out.control == m.Control(controller="Белова И.Г.", closed=(date(2024, 4, 10),), history=(
        m.Closing(status="done", report="за май", reopened=TODAY, occurrence=date(2024, 5, 10)),))
    # status and date of the marks say nothing new: a recurring decision stays open
    assert (out.control.status, out.control.date) == ("open", None)


def test_reopening_a_recurring_decision_with_nothing_closed_is_refused_with_the_reason():
    out = control.reopen(recurring(None, (), date(2024, 6, 10)), TODAY, TODAY)
    assert out.control is None and not out.usage
    assert out.refused == (f"{ID} recurs («ежемесячно до 10 числа») and none of its occurrences is closed: "
                           "there is nothing to reopen.")
    assert f"protokol done {ID}" in out.hint


def test_an_occurrence_closed_on_the_lead_line_is_reopened_there():
    lead = marks_of(m.Control(closed=(date(2024, 5, 10),)))
    own = marks_of(m.Control(closed=(date(2024, 4, 10),)))
    d = recurring(own, (date(2024, 4, 10), date(2024, 5, 10)), date(2024, 6, 10), inherited=(lead,), ancestors=("1",))
    out = control.reopen(d, TODAY, TODAY)
    assert out.control is None
    assert "2024-05-10" in out.refused and "2024-01-15-1/1" in out.refused
    assert out.hint == "Reopen it there: protokol reopen 2024-01-15-1/1"


# --------------------------------------------------------------------------------------------- the commands

def test_reopen_of_an_occurrence_records_it_and_the_occurrence_is_due_again(tmp_path: Path):
    path = write(tmp_path)
    assert state(tmp_path).due == date(2024, 6, 10)
    result = cli(tmp_path, "reopen", ID)
    assert result.exit_code == 0, result.stderr
    assert "the occurrence due 2024-05-10 is open again" in result.stdout
    assert control_of(path, "1.1") == {"controller": "Белова И.Г.", "closed": [date(2024, 4, 10)], "history": [
        {"status": "done", "report": "Сведения представлены", "reopened": TODAY, "occurrence": date(2024, 5, 10)}]}
    d = state(tmp_path)
    assert (d.status, d.closed, d.due, d.overdue) == ("open", (date(2024, 4, 10),), date(2024, 5, 10), True)

    # the last closed one too: with none closed now, the reopened one is due, not the next one from today
    assert cli(tmp_path, "reopen", ID, "--date", "2024-05-20").exit_code == 0
    d = state(tmp_path)
    assert d.closed == () and d.due == date(2024, 4, 10) and d.days_overdue == 52
    assert [h[5] for h in d.history] == [date(2024, 4, 10), date(2024, 5, 10)]  # by the day of reopening
    assert control_of(path, "1.1")["history"][1] == {"status": "done", "reopened": date(2024, 5, 20),
                                                     "occurrence": date(2024, 4, 10)}

    # nothing closed is left: refused, the file untouched, exit code 1
    before = path.read_bytes()
    refused = cli(tmp_path, "reopen", ID)
    assert refused.exit_code == 1
    assert "none of its occurrences is closed: there is nothing to reopen" in refused.stderr
    assert path.read_bytes() == before

    # done closes the reopened occurrence again; the history stays
    done = cli(tmp_path, "done", ID, "--note", "за апрель")
    assert done.exit_code == 0 and "occurrence due 2024-04-10 is closed" in done.stdout
    d = state(tmp_path)
    assert d.closed == (date(2024, 4, 10),) and d.due == date(2024, 5, 10) and len(d.history) == 2
    assert load_protocol(path)[1] == []


def test_reopen_on_a_recurring_decision_with_nothing_closed_in_russian(tmp_path: Path):
    text = RECURRING.replace("          closed: [2024-04-10, 2024-05-10]\n", "")
    path = write(tmp_path, text)
    result = cli(tmp_path, "reopen", ID, lang="ru")
    assert result.exit_code == 1
    assert ("2024-01-15-1/1.1 — периодическое («ежемесячно до 10 числа»), и ни один его срок не закрыт: "
            "возвращать на контроль нечего.") in " ".join(result.stderr.split())
    assert path.read_text(encoding="utf-8") == text


def test_an_item_of_a_lead_line_with_the_closed_occurrence_is_refused(tmp_path: Path):
    write(tmp_path)
    result = cli(tmp_path, "reopen", "2024-01-15-1/1.3.1")
    assert result.exit_code == 1
    assert "2024-05-05" in result.stderr and "protokol reopen 2024-01-15-1/1.3" in result.stderr
    assert cli(tmp_path, "reopen", "2024-01-15-1/1.3").exit_code == 0
    item = state(tmp_path, "2024-01-15-1/1.3.1")
    assert item.closed == () and item.history == (("done", None, None, None, TODAY, date(2024, 5, 5)),)


def test_unchanged_lines_of_the_marks_stay_byte_for_byte(tmp_path: Path):
    path = write(tmp_path)
    before = path.read_text(encoding="utf-8")
    assert cli(tmp_path, "reopen", ID).exit_code == 0
    after = path.read_text(encoding="utf-8")
    old, new = before.split("\n"), after.split("\n")
    at = old.index("          report: Сведения представлены")
    # the report goes, the controller's line stays with its comment, `closed` changes in place, `history` follows
    assert new[:at] == old[:at]
    assert new[at:at + 7] == [
        "          controller: Белова И.Г.  # контролёр",
        "          closed: [2024-04-10]",
        "          history:",
        "            - status: done",
        "              report: Сведения представлены",
        "              reopened: 2024-06-01",
        "              occurrence: 2024-05-10",
    ]
    assert new[at + 7:] == old[at + 3:]


def test_the_doc_example_of_a_reopened_occurrence(tmp_path: Path):
    """docs/due.md shows the marks before and after reopening the occurrence of 10 May on 1 June."""
    doc = (REPO / "docs" / "due.md").read_text(encoding="utf-8")
    part = doc[doc.index("Reopening the occurrence of 10 May on 1 June"):]
    before, after = re.findall(r"```yaml\n(.*?)```", part, re.S)[:2]
    decision = ("      - number: \"1.1\"\n        text: Представлять сведения.\n        deadline: ежемесячно до 10 числа\n"
                "        responsible: руководители ОО\n")
    head = RECURRING[:RECURRING.index("      - number: \"1.1\"")]
    indent = lambda block: "".join("        " + line + "\n" for line in block.splitlines())  # noqa: E731
    path = write(tmp_path, head + decision + indent(before))
    assert cli(tmp_path, "reopen", ID).exit_code == 0
    assert path.read_text(encoding="utf-8") == head + decision + indent(after)


def test_edits_inside_the_marks_keep_the_file_s_line_ends_and_an_unterminated_last_line():
    text = ("date: 2024-01-15\r\ntitle: т\r\nagenda:\r\n- number: 1\r\n  title: т\r\n  decided:\r\n"
            "  - text: Сдавать.\r\n    deadline: ежемесячно до 10 числа\r\n    control:\r\n"
            "      controller: Белова И.Г. # кто\r\n      closed: [2024-05-10]")
    marks = m.Control(controller="Белова И.Г.", history=(m.Closing("done", date(2024, 5, 10), reopened=TODAY),))
    new, why = edit_text(text, "1.1", marks)
    assert why == ""
    assert new == ("date: 2024-01-15\r\ntitle: т\r\nagenda:\r\n- number: 1\r\n  title: т\r\n  decided:\r\n"
                   "  - text: Сдавать.\r\n    deadline: ежемесячно до 10 числа\r\n    control:\r\n"
                   "      controller: Белова И.Г. # кто\r\n      history:\r\n      - status: done\r\n"
                   "        date: 2024-05-10\r\n        reopened: 2024-06-01")


def test_an_entry_written_otherwise_but_unchanged_keeps_its_lines():
    text = ("date: 2024-01-15\ntitle: т\nagenda:\n- number: 1\n  title: т\n  decided:\n  - text: Сдать.\n"
            "    deadline: до 01.03.2024\n    control:\n      extensions:   # продления\n"
            "      - {to: 2024-07-01, reason: 'по ходатайству', on: 2024-02-20}\n      closed: []\n"
            "    note: примечание\n")
    marks = m.Control(status="done", date=TODAY, report="Исполнено",
                      extensions=(m.Extension(date(2024, 7, 1), "по ходатайству", date(2024, 2, 20)),))
    new, why = edit_text(text, "1.1", marks)
    assert why == ""
    assert new == text.replace("    control:\n", "    control:\n      status: done\n      date: 2024-06-01\n"
                                                 "      report: Исполнено\n")
    # a removal and an insertion at the end of a file without a final line break
    tail = "date: 2024-01-15\ntitle: т\nagenda:\n- number: 1\n  title: т\n  decided:\n  - text: Сдать.\n    control:\n"
    new, why = edit_text(tail + "      report: да\n      controller: Белова И.Г.",
                         "1.1", m.Control(status="cancelled", reason="нет", controller="Белова И.Г."))
    assert new == tail + "      status: cancelled\n      reason: нет\n      controller: Белова И.Г."
    # every entry goes: the marks are written afresh, not left empty (an empty `control:` would read as none)
    new, why = edit_text(tail + "      controller: Белова И.Г.\n      closed: [2024-05-10]", "1.1", m.Control())
    assert new == tail + "      status: open"


# --------------------------------------------------------------------------------------------- due's outputs

def test_due_json_has_the_history_and_keeps_every_earlier_key(tmp_path: Path):
    path = write(tmp_path)
    assert cli(tmp_path, "cancel", "2024-01-15-1/1.2", "--reason", "утратило актуальность", "--date", "2024-05-20",
               ).exit_code == 0
    assert cli(tmp_path, "reopen", "2024-01-15-1/1.2").exit_code == 0
    assert cli(tmp_path, "reopen", ID).exit_code == 0
    rows = due_rows(tmp_path)
    one_off = rows["2024-01-15-1/1.2"]
    assert one_off["history"] == [{"status": "cancelled", "date": "2024-05-20", "reason": "утратило актуальность",
                                   "report": None, "reopened": "2024-06-01", "occurrence": None}]
    assert (one_off["status"], one_off["status_date"], one_off["reason"]) == ("open", "2024-06-01", None)
    occurrence = rows[ID]
    assert occurrence["history"] == [{"status": "done", "date": None, "reason": None,
                                      "report": "Сведения представлены", "reopened": "2024-06-01",
                                      "occurrence": "2024-05-10"}]
    assert occurrence["closed"] == ["2024-04-10"] and occurrence["deadline"]["due"] == "2024-05-10"
    assert occurrence["overdue"] is True and occurrence["report"] is None
    # the earlier keys, in their order, then `history`; none of them changed for the addition
    assert list(occurrence) == ["id", "protocol", "file", "line", "meeting_date", "number", "text", "deadline",
                                "responsible", "status", "overdue", "days_overdue", "status_date", "status_by",
                                "report", "reason", "controller", "extensions", "closed", "protocol_number",
                                "protocol_title", "history", "occurrences", "paper_position"]
    assert occurrence["occurrences"] == [{"occurrence": "2024-04-10", "date": None, "report": None}]
    assert rows["2024-01-15-1/1.3.1"]["history"] == []
    # a decision that was never reopened has an empty list; the file is still valid
    assert load_protocol(path)[1] == []


def test_a_lead_line_s_history_is_its_items_history(tmp_path: Path):
    write(tmp_path)
    assert cli(tmp_path, "reopen", "2024-01-15-1/1.3", "--date", "2024-05-30").exit_code == 0
    rows = due_rows(tmp_path)
    assert rows["2024-01-15-1/1.3.1"]["history"] == [{"status": "done", "date": None, "reason": None, "report": None,
                                                      "reopened": "2024-05-30", "occurrence": "2024-05-05"}]
    # the reopened occurrence of 6 May is due again for the item
    assert rows["2024-01-15-1/1.3.1"]["deadline"]["due"] == "2024-05-05"


def test_the_history_comes_through_the_cache(tmp_path: Path):
    write(tmp_path)
    assert cli(tmp_path, "reopen", ID).exit_code == 0
    fresh = due_rows(tmp_path, "--no-cache")
    cold = due_rows(tmp_path)  # writes the cache
    assert (tmp_path / ".protokol-cache").is_dir()
    warm = due_rows(tmp_path)  # reads it
    assert fresh == cold == warm
    assert warm[ID]["history"][0]["occurrence"] == "2024-05-10"


def test_the_calendar_shows_the_earlier_closings(tmp_path: Path):
    write(tmp_path)
    assert cli(tmp_path, "cancel", "2024-01-15-1/1.2", "--reason", "утратило актуальность", "--date", "2024-05-20",
               ).exit_code == 0
    assert cli(tmp_path, "reopen", "2024-01-15-1/1.2").exit_code == 0
    assert cli(tmp_path, "reopen", ID).exit_code == 0
    from icalendar import Calendar

    result = cli(tmp_path, "due", "--format", "ics")
    assert result.exit_code == 0, result.stderr
    todos = {str(t["uid"]): str(t["description"]) for t in Calendar.from_ical(result.stdout_bytes).walk("VTODO")}
    assert todos[f"{ID}@protokol"].splitlines()[-1] == (
        "Occurrence due 2024-05-10 done, report: Сведения представлены, reopened 2024-06-01")
    assert todos["2024-01-15-1/1.2@protokol"].splitlines()[-1] == (
        "Cancelled 2024-05-20 (утратило актуальность), reopened 2024-06-01")
    assert "reopened" not in todos["2024-01-15-1/1.3.1@protokol"]
    russian = cli(tmp_path, "due", "--format", "ics", lang="ru")
    text = " ".join(str(t["description"]) for t in Calendar.from_ical(russian.stdout_bytes).walk("VTODO"))
    assert "Исполнено за срок 10.05.2024, отчёт: Сведения представлены, возвращено на контроль 01.06.2024" in text


# --------------------------------------------------------------------------------------------- protokol history

@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = init_repo(tmp_path / "archive")
    write(root)
    commit(root, "Протокол № 1", "--no-verify")
    return root


def test_history_shows_the_reopened_occurrence(repo: Path):
    reopen = protokol(repo, "reopen", ID, "--today", "2024-06-01")
    assert reopen.returncode == 0, reopen.stderr
    commit(repo, "Срок за май возвращён", "--no-verify")
    shown = protokol(repo, "history", ID, "--today", "2024-06-01")
    assert shown.returncode == 0, shown.stderr
    reopened = shown.stdout.split("Срок за май возвращён\n")[1].splitlines()
    assert "  ~ decision 2024-01-15-1/1.1: closed occurrences 10.04.2024; 10.05.2024 → 10.04.2024" in reopened
    assert ("  ~ decision 2024-01-15-1/1.1: earlier closing kept: done for the occurrence due 10.05.2024, report: "
            "Сведения представлены, reopened 01.06.2024") in reopened
    assert not any("report" in line and "→" in line for line in reopened)  # the report moved, it was not removed


# --------------------------------------------------------------------------------------------- reopen and done in git review

def test_cancel_then_reopen_keeps_the_reason_in_the_file_and_history_shows_the_status(heads_repo: Path):
    repo = heads_repo
    cancel = protokol(repo, "cancel", "2024-05-14-1/1.1", "--reason", "утратило актуальность", "--date", "2024-05-20",
                      "--today", "2024-06-01")
    assert cancel.returncode == 0, cancel.stderr
    commit(repo, "Снято", "--no-verify")
    reopen = protokol(repo, "reopen", "2024-05-14-1/1.1", "--today", "2024-06-01")
    assert reopen.returncode == 0, reopen.stderr
    data = yaml.safe_load((repo / HEADS_REL).read_text(encoding="utf-8"))
    marks = data["agenda"][0]["decided"][0]["control"]
    assert marks["status"] == "open" and marks["date"] == date(2024, 6, 1)
    assert marks["history"] == [{"status": "cancelled", "date": date(2024, 5, 20), "reason": "утратило актуальность",
                                 "reopened": date(2024, 6, 1)}]
    assert protokol(repo, "check", "--today", "2024-06-01").returncode == 0
    commit(repo, "Возобновлено", "--no-verify")
    text = protokol(repo, "history", "2024-05-14-1/1.1", "--today", "2024-06-01").stdout
    cancelled, reopened = text.split("Снято\n")[1].split("Возобновлено\n")
    assert "status open → cancelled (20.05.2024)" in cancelled and "date of" not in cancelled
    assert reopened.splitlines() == [
        "  ~ decision 2024-05-14-1/1.1: status cancelled → open (reopened 01.06.2024)",
        "  ~ decision 2024-05-14-1/1.1: earlier closing kept: cancelled 20.05.2024 (утратило актуальность), "
        "reopened 01.06.2024", ""]
    # textconv keeps it on one line too
    shown = protokol(repo, "textconv", HEADS_REL).stdout
    assert "Снято с контроля 20.05.2024 (утратило актуальность), возвращено на контроль 01.06.2024" in shown


LATER = """\
date: 2024-05-21
number: "2"
title: совещания руководителей
participants:
  chair: Никитина О.В.
  secretary: Фролова Т.С.
agenda:
  - number: 1
    title: О ходе выполнения решений
    decided:
      - number: "1.1"
        text: Пункт 1.2 протокола № 1 от 14.05.2024 снять с контроля.
        acts_on: [{decision: 2024-05-14-1/1.2, action: done}]
"""


def test_reopen_of_a_decision_closed_by_a_later_protocol_is_shown_as_a_status_change(heads_repo: Path):
    repo = heads_repo
    write_file(repo, LATER, "protocols/2024/2024-05-21-2.yaml")
    commit(repo, "Протокол № 2", "--no-verify")
    reopen = protokol(repo, "reopen", "2024-05-14-1/1.2", "--today", "2024-06-01")
    assert reopen.returncode == 0, reopen.stderr
    diff = protokol(repo, "diff", "--today", "2024-06-01")
    assert "decision 2024-05-14-1/1.2: status → open (reopened 01.06.2024)" in diff.stdout
    assert "date of execution" not in diff.stdout
    records = [c for f in json.loads(protokol(repo, "diff", "--format", "json").stdout)["files"] for c in f["changes"]]
    assert [(c["field"], c["old"], c["new"], c["old_on"], c["new_on"]) for c in records] == [
        ("control.status", "open", "open", None, "2024-06-01")]


def test_done_is_one_status_line_with_its_day_and_a_corrected_day_is_shown(heads_repo: Path):
    repo = heads_repo
    assert protokol(repo, "done", "2024-05-14-1/1.1", "--date", "2024-05-19", "--today", "2024-06-01").returncode == 0
    diff = protokol(repo, "diff", "--today", "2024-06-01").stdout
    assert "decision 2024-05-14-1/1.1: status open → done (19.05.2024)" in diff and "date of" not in diff
    commit(repo, "Исполнено", "--no-verify")
    write_file(repo, (repo / HEADS_REL).read_text(encoding="utf-8").replace("date: 2024-05-19", "date: 2024-05-18"),
               HEADS_REL)
    corrected = protokol(repo, "diff", "--today", "2024-06-01").stdout
    assert "decision 2024-05-14-1/1.1: date of execution 19.05.2024 → 18.05.2024" in corrected
    assert "status" not in corrected
