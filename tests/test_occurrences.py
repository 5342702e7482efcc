"""The occurrences of a recurring decision (#13): an occurrence begins the day after the previous one falls due (the
first at the meeting); a report closes the oldest open occurrence that has begun by its day, or the one
`--occurrence` names, never one that has not begun; each closed occurrence keeps its own record; `reopen` never
records a future date; `due` shows the earliest open occurrence, overdue once its day has passed."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
import yaml

from conftest import run_cli
from conftest import write as write_file
from protokol.collection import load_collection
from protokol.recurrence import begins, occurrences_until
from protokol.selection import find
from protokol.status import Decision, Occurrence, build_index

ID = "2024-02-14-3/1.1"


def protocol(deadline: str, day: str = "2024-02-14", control: str = "") -> str:
    return (f"date: {day}\ntitle: совещания\nparticipants: {{chair: Никитина О.В., secretary: Фролова Т.С.}}\n"
            "agenda:\n  - number: 1\n    title: Отчётность\n    decided:\n      - text: Представлять отчёт.\n"
            f"        deadline: {deadline}\n        responsible: руководители ОО\n{control}")


def archive(root: Path, deadline: str, day: str = "2024-02-14", control: str = "", settings: str = "") -> Path:
    if settings:
        write_file(root, settings, "protokol.yaml")
    return write_file(root, protocol(deadline, day, control), f"protocols/{day[:4]}/{day}-3.yaml")


def cli(root: Path, *args: str, today: str, lang: str = "en"):
    return run_cli(*args, "--root", str(root), "--today", today, lang=lang)


def state(root: Path, today: date, decision_id: str = ID, never_overdue: bool = False) -> Decision:
    index = build_index(load_collection([root / "protocols"]).protocols)
    index.never_overdue = never_overdue
    return find(index, decision_id, today)


def marks(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))["agenda"][0]["decided"][0].get("control") or {}


# --------------------------------------------------------------------------------------------- the rule

@pytest.mark.parametrize(("rule", "meeting", "due", "begin"), [
    ("quarterly", date(2024, 2, 14), date(2024, 3, 31), date(2024, 2, 14)),  # the first begins at the meeting
    ("quarterly", date(2024, 2, 14), date(2024, 6, 30), date(2024, 4, 1)),
    ("quarterly", date(2024, 2, 14), date(2025, 3, 31), date(2025, 1, 1)),  # across the year's end
    ("monthly:10", date(2024, 1, 15), date(2024, 3, 10), date(2024, 2, 11)),  # the 11th of the month before
    ("monthly:10", date(2023, 12, 1), date(2024, 1, 10), date(2023, 12, 11)),
    ("yearly", date(2023, 5, 1), date(2024, 12, 31), date(2024, 1, 1)),
    ("yearly:09-01", date(2023, 10, 1), date(2025, 9, 1), date(2024, 9, 2)),
    ("weekly:4", date(2024, 12, 20), date(2025, 1, 3), date(2024, 12, 28)),  # Friday to Friday across the new year
    ("halfyearly", date(2024, 2, 14), date(2024, 12, 31), date(2024, 7, 1)),
])
def test_an_occurrence_begins_the_day_after_the_previous_one_falls_due(rule, meeting, due, begin):
    assert due in occurrences_until(rule, meeting, due)
    assert begins(rule, meeting, due) == begin


# --------------------------------------------------------------------------------------------- done

def test_a_quarterly_decision_reported_in_march_and_june_has_both_quarters_closed(tmp_path: Path):
    """The issue's case: «ежеквартально» decided on 14.02.2024, reported on 29.03 and 28.06."""
    path = archive(tmp_path, "ежеквартально")
    first = cli(tmp_path, "done", ID, "--date", "29.03.2024", "--note", "Отчёт за I квартал", today="02.04.2024")
    assert first.exit_code == 0, first.stderr
    assert "occurrence due 2024-03-31 is closed (reported 2024-03-29)" in first.stdout
    second = cli(tmp_path, "done", ID, "--date", "28.06.2024", "--note", "Отчёт за II квартал", today="02.07.2024")
    assert second.exit_code == 0, second.stderr
    assert marks(path)["occurrences"] == [
        {"occurrence": date(2024, 3, 31), "date": date(2024, 3, 29), "report": "Отчёт за I квартал"},
        {"occurrence": date(2024, 6, 30), "date": date(2024, 6, 28), "report": "Отчёт за II квартал"}]
    d = state(tmp_path, date(2024, 7, 2))
    assert (d.status, d.due, d.overdue) == ("open", date(2024, 9, 30), False)
    assert d.occurrences == (Occurrence(date(2024, 3, 31), date(2024, 3, 29), "Отчёт за I квартал"),
                             Occurrence(date(2024, 6, 30), date(2024, 6, 28), "Отчёт за II квартал"),
                             Occurrence(date(2024, 9, 30)))
    row = json.loads(cli(tmp_path, "due", "--format", "json", today="2024-07-02").stdout)[0]
    assert row["closed"] == ["2024-03-31", "2024-06-30"] and row["deadline"]["due"] == "2024-09-30"
    assert row["occurrences"] == [
        {"occurrence": "2024-03-31", "date": "2024-03-29", "report": "Отчёт за I квартал"},
        {"occurrence": "2024-06-30", "date": "2024-06-28", "report": "Отчёт за II квартал"}]


def test_a_late_report_closes_the_open_quarter_it_belongs_to(tmp_path: Path):
    archive(tmp_path, "ежеквартально")
    d = state(tmp_path, date(2024, 4, 2))
    assert (d.due, d.days_overdue) == (date(2024, 3, 31), 2)  # Q1 missed: overdue
    late = cli(tmp_path, "done", ID, "--date", "02.04.2024", today="2024-04-02")
    assert late.exit_code == 0 and "occurrence due 2024-03-31 is closed (reported 2024-04-02, 2 days after" in late.stdout
    assert state(tmp_path, date(2024, 4, 2)).due == date(2024, 6, 30)


def test_an_occurrence_that_has_not_begun_is_never_closed(tmp_path: Path):
    path = archive(tmp_path, "ежеквартально")
    assert cli(tmp_path, "done", ID, "--date", "29.03.2024", today="2024-03-29").exit_code == 0
    before = path.read_bytes()
    early = cli(tmp_path, "done", ID, "--date", "30.03.2024", today="2024-03-30")
    assert early.exit_code == 1
    assert "the occurrence due 2024-06-30 begins on 2024-04-01" in " ".join(early.stderr.split())
    named = cli(tmp_path, "done", ID, "--occurrence", "30.06.2024", today="2024-03-30")
    assert named.exit_code == 1 and "begins on 2024-04-01" in " ".join(named.stderr.split())
    assert path.read_bytes() == before


def test_occurrence_names_another_one_that_has_begun(tmp_path: Path):
    path = archive(tmp_path, "ежеквартально")
    # on 2 July Q1 and Q2 are open; the report is for Q2
    done = cli(tmp_path, "done", ID, "--occurrence", "30 июня 2024", "--note", "за II квартал", today="2024-07-02")
    assert done.exit_code == 0, done.stderr
    assert "the next open one is due 2024-03-31" in done.stdout  # Q1 is still open, and first
    d = state(tmp_path, date(2024, 7, 2))
    assert (d.due, d.overdue, d.closed) == (date(2024, 3, 31), True, (date(2024, 6, 30),))
    not_begun = cli(tmp_path, "done", ID, "--occurrence", "31.12.2024", today="2024-07-02")
    assert not_begun.exit_code == 1 and "begins on 2024-10-01" in " ".join(not_begun.stderr.split())
    wrong = cli(tmp_path, "done", ID, "--occurrence", "15.05.2024", today="2024-07-02")
    assert wrong.exit_code == 2 and "no occurrence due 2024-05-15" in wrong.stderr and "2024-06-30" in wrong.stderr
    again = cli(tmp_path, "done", ID, "--occurrence", "2024-06-30", today="2024-07-02")
    assert again.exit_code == 1 and "already closed (reported 2024-07-02)" in again.stderr
    assert len(marks(path)["occurrences"]) == 1


def test_monthly_by_the_10th_across_the_year_end(tmp_path: Path):
    archive(tmp_path, "ежемесячно до 10 числа", day="2023-11-20")
    for report in ("05.12.2023", "09.01.2024"):
        assert cli(tmp_path, "done", "2023-11-20-3/1.1", "--date", report, today="2024-01-09").exit_code == 0
    d = state(tmp_path, date(2024, 1, 9), "2023-11-20-3/1.1")
    assert d.closed == (date(2023, 12, 10), date(2024, 1, 10)) and d.due == date(2024, 2, 10)
    # the occurrence due 10 February begins on 11 January
    early = cli(tmp_path, "done", "2023-11-20-3/1.1", "--date", "10.01.2024", today="2024-01-10")
    assert early.exit_code == 1 and "begins on 2024-01-11" in " ".join(early.stderr.split())


def test_yearly_and_weekly_rules_across_year_ends(tmp_path: Path):
    archive(tmp_path, "ежегодно до 1 сентября", day="2023-10-01")
    assert cli(tmp_path, "done", "2023-10-01-3/1.1", "--date", "20.08.2024", today="2024-08-20").exit_code == 0
    d = state(tmp_path, date(2025, 9, 2), "2023-10-01-3/1.1")
    assert (d.closed, d.due, d.days_overdue) == ((date(2024, 9, 1),), date(2025, 9, 1), 1)
    other = tmp_path / "weekly"
    archive(other, "еженедельно по пятницам", day="2024-12-20")
    for report in ("20.12.2024", "27.12.2024", "03.01.2025"):
        assert cli(other, "done", "2024-12-20-3/1.1", "--date", report, today="2025-01-03").exit_code == 0
    d = state(other, date(2025, 1, 13), "2024-12-20-3/1.1")
    assert d.closed == (date(2024, 12, 20), date(2024, 12, 27), date(2025, 1, 3))
    assert (d.due, d.days_overdue) == (date(2025, 1, 10), 3)


# --------------------------------------------------------------------------------------------- reopen

def test_reopen_never_records_a_future_date(tmp_path: Path):
    path = archive(tmp_path, "ежеквартально")
    assert cli(tmp_path, "done", ID, "--date", "28.03.2024", "--note", "за I", today="2024-03-28").exit_code == 0
    assert cli(tmp_path, "done", ID, "--date", "28.06.2024", "--note", "за II", today="2024-06-28").exit_code == 0
    reopened = cli(tmp_path, "reopen", ID, today="2024-06-29")  # the last closed: Q2, due tomorrow
    assert reopened.exit_code == 0 and "occurrence due 2024-06-30 is open again" in reopened.stdout
    history = marks(path)["history"]
    assert history == [{"status": "done", "date": date(2024, 6, 28), "report": "за II", "reopened": date(2024, 6, 29),
                        "occurrence": date(2024, 6, 30)}]
    assert all(h[k] <= date(2024, 6, 29) for h in history for k in ("date", "reopened"))
    named = cli(tmp_path, "reopen", ID, "--occurrence", "31.03.2024", today="2024-06-29")
    assert named.exit_code == 0, named.stderr
    d = state(tmp_path, date(2024, 6, 29))
    assert (d.closed, d.due) == ((), date(2024, 3, 31))
    refused = cli(tmp_path, "reopen", ID, "--occurrence", "30.09.2024", today="2024-06-29")
    assert refused.exit_code == 1


def test_the_older_closed_form_is_read_as_before(tmp_path: Path):
    control = ("        control:\n          report: Сведения за II квартал\n"
               "          closed: [2024-03-31, 2024-06-30]\n")
    path = archive(tmp_path, "ежеквартально", control=control)
    d = state(tmp_path, date(2024, 7, 2))
    assert (d.closed, d.due, d.report) == ((date(2024, 3, 31), date(2024, 6, 30)), date(2024, 9, 30),
                                          "Сведения за II квартал")
    # no day of a report in that form; its one report is the last one's
    assert d.occurrences == (Occurrence(date(2024, 3, 31), closed=True),
                             Occurrence(date(2024, 6, 30), None, "Сведения за II квартал", closed=True),
                             Occurrence(date(2024, 9, 30)))
    assert cli(tmp_path, "done", ID, "--date", "30.09.2024", "--note", "за III", today="2024-10-01").exit_code == 0
    written = marks(path)
    assert written["closed"] == [date(2024, 3, 31), date(2024, 6, 30)] and written["report"] == "Сведения за II квартал"
    assert written["occurrences"] == [{"occurrence": date(2024, 9, 30), "date": date(2024, 9, 30), "report": "за III"}]
    assert cli(tmp_path, "reopen", ID, "--occurrence", "30.06.2024", today="2024-10-01").exit_code == 0
    written = marks(path)
    assert written["closed"] == [date(2024, 3, 31)] and "report" not in written
    assert written["history"] == [{"status": "done", "report": "Сведения за II квартал", "reopened": date(2024, 10, 1),
                                   "occurrence": date(2024, 6, 30)}]


# --------------------------------------------------------------------------------------------- the setting

def test_never_overdue_keeps_an_untracked_standing_order_off_the_overdue_list(tmp_path: Path):
    archive(tmp_path, "ежеквартально", settings="recurring_untracked: never_overdue\n")
    rows = json.loads(cli(tmp_path, "due", "--format", "json", today="2024-08-01").stdout)
    assert (rows[0]["deadline"]["due"], rows[0]["overdue"]) == ("2024-09-30", False)
    # once an occurrence is closed, those after it are controlled: Q3 closed, Q4 will be overdue in January
    assert cli(tmp_path, "done", ID, today="2024-08-01").exit_code == 0
    rows = json.loads(cli(tmp_path, "due", "--format", "json", today="2025-01-02").stdout)
    assert (rows[0]["deadline"]["due"], rows[0]["overdue"]) == ("2024-12-31", True)
    default = tmp_path / "default"
    archive(default, "ежеквартально")
    rows = json.loads(cli(default, "due", "--format", "json", today="2024-08-01").stdout)
    assert (rows[0]["deadline"]["due"], rows[0]["days_overdue"]) == ("2024-03-31", 123)


# --------------------------------------------------------------------------------------------- textconv and history

@pytest.mark.parametrize(("rule", "occurrence", "period"), [
    ("quarterly", date(2024, 3, 31), "I квартал 2024 г."),
    ("quarterly", date(2024, 12, 31), "IV квартал 2024 г."),
    ("quarterly:10", date(2024, 4, 10), "I квартал 2024 г."),  # due on the 10th after the quarter: for that quarter
    ("monthly:10", date(2024, 1, 10), "декабрь 2023 г."),  # «ежемесячно до 10 числа»: for the month before
    ("monthly", date(2024, 2, 29), "февраль 2024 г."),
    ("monthly:25", date(2024, 3, 25), "март 2024 г."),
    ("halfyearly", date(2024, 12, 31), "II полугодие 2024 г."),
    ("yearly", date(2024, 12, 31), "2024 год"),
    ("weekly:4", date(2025, 1, 3), "неделю с 28.12.2024 по 03.01.2025"),
    ("quarterly", date(2024, 3, 30), None),  # not a day the rule falls due: no period to name
])
def test_a_closed_occurrence_is_named_by_its_period(rule, occurrence, period):
    from protokol.textconv import period_text

    assert period_text(rule, occurrence) == period


def test_textconv_prints_each_closed_occurrence_for_its_period(tmp_path: Path):
    control = ("        control:\n          closed: [2024-03-31]\n          occurrences:\n"
               "            - {occurrence: 2024-06-30, date: 2024-06-28, report: Отчёт за II квартал}\n"
               "          history:\n            - {status: done, date: 2024-09-27, reopened: 2024-10-01, "
               "occurrence: 2024-09-30}\n")
    path = archive(tmp_path, "ежеквартально", control=control)
    result = run_cli("textconv", str(path))
    assert result.exit_code == 0, result.stderr
    assert "      Исполнено за I квартал 2024 г. (срок 31.03.2024)\n" in result.stdout
    assert ("      Исполнено за II квартал 2024 г. (срок 30.06.2024), отчёт от 28.06.2024: Отчёт за II квартал\n"
            in result.stdout)
    assert ("      Исполнено за III квартал 2024 г. (срок 30.09.2024) 27.09.2024, возвращено на контроль 01.10.2024\n"
            in result.stdout)


def test_history_shows_what_later_protocols_decided_on_a_decision(tmp_path: Path):
    from conftest import commit, init_repo, meeting, protokol

    repo = init_repo(tmp_path / "archive")
    write_file(repo, meeting("2024-02-14", "3", question="    decided:\n      - text: Сдать план.\n"
                             "        deadline: до 01.04.2024\n      - text: 'Руководителям:'\n"
                             "        deadline: до 01.05.2024\n        items:\n          - text: сдать отчёт\n"),
               "protocols/2024/2024-02-14-3.yaml")
    commit(repo, "Протокол № 3", "--no-verify")
    later = meeting("2024-03-20", "4", question="    decided:\n      - text: Продлить срок сдачи плана.\n"
                    "        acts_on: [{decision: 2024-02-14-3/1.1, action: extend, to: 2024-05-31}, "
                    "{decision: 2024-02-14-3/1.2, action: done}]\n")
    write_file(repo, later, "protocols/2024/2024-03-20-4.yaml")
    commit(repo, "Протокол № 4", "--no-verify")
    shown = protokol(repo, "history", "2024-02-14-3/1.1", "--today", "2024-06-01")
    assert shown.returncode == 0, shown.stderr
    assert shown.stdout.split("Протокол № 4\n")[1].splitlines()[0] == (
        "  + decision 2024-02-14-3/1.1: deadline extended to 2024-05-31 by decision 2024-03-20-4/1.1 of 2024-03-20")
    item = protokol(repo, "history", "2024-02-14-3/1.2.1", "--today", "2024-06-01")
    assert ("done by decision 2024-03-20-4/1.1 of 2024-03-20 (on 2024-02-14-3/1.2, for all its items)"
            in item.stdout)
    # the reference taken away later, not yet committed: shown as removed in the working folder
    write_file(repo, later.replace(", {decision: 2024-02-14-3/1.2, action: done}", ""), "protocols/2024/2024-03-20-4.yaml")
    item = protokol(repo, "history", "2024-02-14-3/1.2.1", "--today", "2024-06-01")
    assert item.stdout.split("(working folder)\n")[1].startswith(
        "  - decision 2024-02-14-3/1.2.1: reference removed: done by decision 2024-03-20-4/1.1")


def test_the_carry_over_lists_the_earliest_open_occurrence(tmp_path: Path):
    """docs/archive.md: «ежемесячно до 10 числа» of 14 February is not carried over to 5 March (due 10 March), and is
    to 2 April until its March occurrence is closed; never_overdue keeps an untracked one off the list."""
    from protokol.carryover import carry_over

    archive(tmp_path, "ежемесячно до 10 числа")
    protocols = load_collection([tmp_path / "protocols"]).protocols
    assert carry_over(protocols, date(2024, 3, 5)) == []
    assert [(x.ref.id, x.due) for x in carry_over(protocols, date(2024, 4, 2))] == [(ID, date(2024, 3, 10))]
    assert carry_over(protocols, date(2024, 4, 2), never_overdue=True) == []
