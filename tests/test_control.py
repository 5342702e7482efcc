"""Control of execution: done, extend, cancel and reopen write marks next to the decision and nothing else."""

from __future__ import annotations

import difflib
import json
import re
import shutil
from datetime import date
from pathlib import Path

import pytest

from conftest import PROTOCOLS, meeting, run_cli
from protokol import control
from protokol import model as m
from protokol.collection import load_collection
from protokol.editing import edit_text, scalar, set_control
from protokol.index import Entry, Marks, Meeting, marks_of
from protokol.load import load_protocol
from protokol.selection import find
from protokol.status import Decision, build_index

TODAY = date(2024, 6, 1)


@pytest.fixture
def archive(tmp_path: Path) -> Path:
    """A copy of the example archive: tests that edit never touch protocols/."""
    shutil.copytree(PROTOCOLS, tmp_path / "protocols")
    return tmp_path


def cli(root: Path, *args: str):
    return run_cli(*args, "--root", str(root), "--today", TODAY.isoformat())


def state(root: Path, decision_id: str) -> Decision:
    loaded = load_collection([root / "protocols"])
    return find(build_index(loaded.protocols), decision_id, TODAY)


def added_lines(before: str, after: str) -> list[str]:
    """The lines a change added, checking that it removed none."""
    diff = list(difflib.ndiff(before.splitlines(keepends=True), after.splitlines(keepends=True)))
    assert not [d for d in diff if d.startswith("- ")], "".join(diff)
    return [d[2:] for d in diff if d.startswith("+ ")]


# --------------------------------------------------------------------------------------------- the commands

def test_done_writes_the_marks_under_the_decision_and_only_there(archive: Path):
    path = archive / "protocols" / "2024" / "2024-01-09-1.yaml"
    before = path.read_text(encoding="utf-8")
    result = cli(archive, "done", "2024-01-09-1/2.2.1", "--date", "2024-01-30", "--note", "Проведены педсоветы")
    assert result.exit_code == 0, result.stderr
    assert "2024-01-09-1/2.2.1 is done (2024-01-30)." in result.stdout
    after = path.read_text(encoding="utf-8")
    assert added_lines(before, after) == ["            control:\n", "              status: done\n",
                                          "              date: 2024-01-30\n", "              report: Проведены педсоветы\n"]
    # right under the decision's deadline: the next lines are the following item's
    lines = after.splitlines()
    at = lines.index("            control:")
    assert lines[at - 1] == "            deadline: 31 января 2024 года"
    assert lines[at + 4].startswith("          - text: работать над повышением")
    d = state(archive, "2024-01-09-1/2.2.1")
    assert (d.status, d.status_date, d.report) == ("done", date(2024, 1, 30), "Проведены педсоветы")
    assert "2024-01-09-1/2.2.1" not in [r["id"] for r in json.loads(cli(archive, "due", "--format", "json").stdout)]
    assert run_cli("check", str(path), "--today", "2024-06-01").exit_code == 0


def test_extend_keeps_a_history_and_moves_the_due_date(archive: Path):
    first = cli(archive, "extend", "2024-01-09-1/2.2.3", "--to", "2024-09-01", "--reason", "по ходатайству", "--date", "2024-05-20")
    assert first.exit_code == 0, first.stderr
    assert "deadline moved from 2024-06-30 to 2024-09-01" in first.stdout
    second = cli(archive, "extend", "2024-01-09-1/2.2.3", "--to", "2024-10-15", "--reason", "повторно")
    assert second.exit_code == 0, second.stderr
    d = state(archive, "2024-01-09-1/2.2.3")
    assert d.due == date(2024, 10, 15)
    assert [(e[0], e[1], e[2]) for e in d.extensions] == [(date(2024, 9, 1), "по ходатайству", date(2024, 5, 20)),
                                                          (date(2024, 10, 15), "повторно", TODAY)]
    text = (archive / "protocols" / "2024" / "2024-01-09-1.yaml").read_text(encoding="utf-8")
    assert text.count("control:") == 1 and text.count("- to: ") == 2


def test_cancel_then_reopen(archive: Path):
    assert cli(archive, "cancel", "2023-08-27-8/1.1", "--reason", "утратило актуальность").exit_code == 0
    d = state(archive, "2023-08-27-8/1.1")
    assert (d.status, d.reason) == ("cancelled", "утратило актуальность")
    again = cli(archive, "cancel", "2023-08-27-8/1.1", "--reason", "ещё раз")
    assert again.exit_code == 1 and "already cancelled" in again.stderr
    assert cli(archive, "reopen", "2023-08-27-8/1.1").exit_code == 0
    d = state(archive, "2023-08-27-8/1.1")
    assert (d.status, d.status_date, d.reason) == ("open", TODAY, None)
    assert cli(archive, "reopen", "2023-08-27-8/1.1").exit_code == 1


def test_refusals_leave_the_file_alone(archive: Path):
    path = archive / "protocols" / "2024" / "2024-01-09-1.yaml"
    before = path.read_bytes()
    cases = [
        (("extend", "2024-01-09-1/2.2.3", "--to", "2023-12-31", "--reason", "x"), 1, "before the meeting"),
        (("done", "2024-01-09-1/2.2.1", "--date", "2023-12-31"), 1, "before the meeting"),
        (("done", "2024-01-09-1/2.2.1", "--date", "2024-07-01"), 2, "in the future"),  # the call alone is wrong
        (("extend", "2024-01-09-1/2.2.3", "--to", "2024-09-01", "--reason", "  "), 2, "needs a reason"),
        (("done", "2024-01-09-1/9.9"), 2, "has no decision 9.9"),
        (("done", "2024-01-09/2.2.1"), 2, "2024-01-09-1"),
        (("done", "2.2.1"), 2, "is not a decision id"),
        (("extend", "2024-01-09-1/2.2.3", "--to", "01/09/2024", "--reason", "x"), 2, "01.07.2024"),
    ]
    for args, code, message in cases:
        result = cli(archive, *args)
        assert result.exit_code == code, (args, result.stdout, result.stderr)
        assert message in result.stderr, (args, result.stderr)
        assert "Traceback" not in result.stderr
    assert path.read_bytes() == before
    assert not list(path.parent.glob(".*.tmp"))


def test_dry_run_shows_the_change_without_writing(archive: Path):
    path = archive / "protocols" / "2023" / "2023-08-27-8.yaml"
    before = path.read_bytes()
    result = cli(archive, "done", "2023-08-27-8/1.1", "--dry-run")
    assert result.exit_code == 0
    assert "+        control:" in result.stdout and "was not changed" in result.stdout
    assert path.read_bytes() == before


def test_a_decision_closed_by_a_later_protocol_is_not_done_twice(archive: Path):
    later = archive / "protocols" / "2024" / "2024-03-01-2.yaml"
    later.write_text("""date: 2024-03-01
title: совещания с руководителями ОУ
participants:
  chair: Шадеркова Н.В.
  secretary: Кузнецова Л.В.
agenda:
  - number: 1
    title: О ходе выполнения решений предыдущего совещания
    decided:
      - text: Пункт 2.2.1 протокола № 1 от 09.01.2024 снять с контроля.
        acts_on: [{decision: 2024-01-09-1/2.2.1, action: done}]
""", encoding="utf-8")
    result = cli(archive, "done", "2024-01-09-1/2.2.1")
    assert result.exit_code == 1 and "by decision 2024-03-01-2/1.1" in result.stderr
    early = cli(archive, "reopen", "2024-01-09-1/2.2.1", "--date", "2024-02-01")
    assert early.exit_code == 1 and "would change nothing" in early.stderr
    assert cli(archive, "reopen", "2024-01-09-1/2.2.1").exit_code == 0
    assert state(archive, "2024-01-09-1/2.2.1").status == "open"


def test_recurring_done_closes_the_current_occurrence_and_reopen_undoes_it(tmp_path: Path):
    folder = tmp_path / "protocols" / "2024"
    folder.mkdir(parents=True)
    (folder / "2024-01-15-1.yaml").write_text("""date: 2024-01-15
title: совещания
participants: {chair: Никитина О.В., secretary: Фролова Т.С.}
agenda:
  - number: 1
    title: Отчётность
    decided:
      - text: Представлять отчёт о посещаемости.
        deadline: ежемесячно до 10 числа
        responsible: руководители ОО
""", encoding="utf-8")
    d = state(tmp_path, "2024-01-15-1/1.1")  # the first occurrence, missed: overdue
    assert (d.due, d.overdue) == (date(2024, 2, 10), True)
    result = cli(tmp_path, "done", "2024-01-15-1/1.1", "--note", "за январь")
    assert result.exit_code == 0 and "occurrence due 2024-02-10 is closed (reported 2024-06-01" in result.stdout
    d = state(tmp_path, "2024-01-15-1/1.1")
    assert (d.status, d.closed, d.due) == ("open", (date(2024, 2, 10),), date(2024, 3, 10))
    assert d.records == ((date(2024, 2, 10), TODAY, "за январь"),)
    written = (folder / "2024-01-15-1.yaml").read_text(encoding="utf-8")
    assert re.search(r"occurrences:\n +- occurrence: 2024-02-10\n +date: 2024-06-01\n +report: за январь\n", written)
    refused = cli(tmp_path, "extend", "2024-01-15-1/1.1", "--to", "2024-08-01", "--reason", "x")
    assert refused.exit_code == 1 and "recurring" in refused.stderr
    assert cli(tmp_path, "reopen", "2024-01-15-1/1.1").exit_code == 0
    assert state(tmp_path, "2024-01-15-1/1.1").closed == ()


def test_russian_messages(archive: Path):
    result = run_cli("done", "2024-01-09-1/2.2.1", "--root", str(archive), "--today", "2024-06-01", lang="ru")
    assert result.exit_code == 0
    assert "2024-01-09-1/2.2.1 исполнено (1 июня 2024 г.)." in result.stdout


# --------------------------------------------------------------------------------------------- control.py

def decision(kind: str = "date", due: date | None = date(2024, 3, 1), marks: Marks | None = None,
             status: str = "open", rule: str | None = None, status_date: date | None = None) -> Decision:
    entry = Entry("2024-02-14-3", "1.1", (), 10, 9, "Сделать.", "до 01.03.2024", kind, due, rule, ("ОО",), marks,
                        (), (), True, None)
    meeting = Meeting("2024-02-14-3", "p.yaml", date(2024, 2, 14), "3", "совещания", False)
    return Decision(entry, meeting, status, due, status_date)


def test_control_outcomes():
    done = control.done(decision(), date(2024, 2, 20), TODAY, "ok")
    assert done.control == m.Control(status="done", date=date(2024, 2, 20), report="ok")
    ext = control.extend(decision(marks=Marks(controller="Белова И.Г.")), date(2024, 7, 1), "причина", TODAY, TODAY)
    assert ext.control == m.Control(controller="Белова И.Г.", extensions=(m.Extension(date(2024, 7, 1), "причина", TODAY),))
    assert control.extend(decision(), date(2024, 2, 1), "x", TODAY, TODAY).refused  # before the meeting
    assert control.extend(decision(), date(2024, 3, 1), "x", TODAY, TODAY).refused  # before the day of extending
    assert control.extend(decision(), date(2024, 7, 1), "x", date(2024, 2, 10), TODAY).refused  # acted before the meeting
    assert control.extend(decision(status="done"), date(2024, 7, 1), "x", TODAY, TODAY).refused
    assert control.cancel(decision(status="done"), "x", TODAY, TODAY).refused
    assert control.reopen(decision(), TODAY, TODAY).refused
    recurring = decision("recurring", date(2024, 6, 10), rule="monthly:10")
    closed = control.done(recurring, TODAY, TODAY)  # untracked (never_overdue): the occurrence holding the day
    assert closed.control == m.Control(occurrences=(m.OccurrenceReport(date(2024, 6, 10), TODAY),))
    assert control.extend(recurring, date(2024, 7, 1), "x", TODAY, TODAY).refused


def test_reopen_keeps_the_earlier_closing_in_the_history():
    cancelled = marks_of(m.Control(status="cancelled", date=date(2024, 5, 20), reason="утратило актуальность",
                                         report="частично"))
    out = control.reopen(decision(marks=cancelled, status="cancelled", status_date=date(2024, 5, 20)), date(2024, 6, 1),
                         date(2024, 6, 1))
    assert out.control == m.Control(status="open", date=date(2024, 6, 1), history=(
        m.Closing(status="cancelled", date=date(2024, 5, 20), reason="утратило актуальность", report="частично",
                  reopened=date(2024, 6, 1)),))
    # the history survives the next actions (they start from the marks as the index reads them)
    again = control.done(decision(marks=marks_of(out.control)), date(2024, 6, 5), date(2024, 6, 5), "сделано")
    assert again.control.history == out.control.history and again.control.report == "сделано"


# --------------------------------------------------------------------------------------------- editing keeps the file

ODD = (
    "\ufeff# Протокол № 3 — комментарий в начале файла\r\n"
    "date: 2024-02-14   # дата совещания\r\n"
    "title: 'совещания с руководителями ОУ'\r\n"
    "participants: {chair: {name: Никитина О.В., position: заведующая}, secretary: \"Фролова Т.С.\"}\r\n"
    "agenda:\r\n"
    "- number: \"1\"\r\n"
    "  title: >-\r\n"
    "    О подготовке к летней оздоровительной кампании и очень длинное название вопроса повестки дня, которое не\r\n"
    "    помещается в одну строку\r\n"
    "  decided:\r\n"
    "  # решения\r\n"
    "  - {text: Информацию принять к сведению., number: '1.1'}\r\n"
    "  - number: 1.2\r\n"
    "    text: \"Представить списки: детей, лагеря\"   # важно\r\n"
    "    deadline: до 20 мая\r\n"
    "    responsible: [руководители ОО, 'Белова И.Г.']\r\n"
    "\r\n"
    "  - number: \"1.3\"\r\n"
    "    text: |\r\n"
    "      Руководителям ОО:\r\n"
    "      обеспечить открытие лагерей\r\n"
    "\r\n"
    "  - text: Без номера\r\n"
    "    note: примечание  # к пункту\r\n"
    "    items:\r\n"
    "    - text: подпункт\r\n"
    "      deadline: 03.06.2024\r\n"
    "      responsible: руководители ОО\r\n"
    "# конец\r\n"
)


@pytest.mark.parametrize("key", ["1.1", "1.2", "1.3", "1.4", "1.4.1"])
def test_an_edit_adds_lines_and_changes_no_other_byte(tmp_path: Path, key: str):
    path = tmp_path / "2024-02-14-3.yaml"
    path.write_bytes(ODD.encode("utf-8"))
    before, problems = load_protocol(path)
    assert before is not None and problems == []
    marks = m.Control(status="done", date=date(2024, 5, 30), report="Отчёт: «исполнено», № 5 # без комментария")
    result = set_control(path, key, marks)
    assert result.ok, result.reason
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # the byte order mark stays
    after = raw.decode("utf-8-sig")
    assert "\n" not in after.replace("\r\n", "")  # the file's own line ends
    if key == "1.1":  # a flow mapping gets the marks inside its braces: one line changes, by an insertion
        old_lines, new_lines = ODD.lstrip("\ufeff").split("\r\n"), after.split("\r\n")
        changed = [(a, b) for a, b in zip(old_lines, new_lines, strict=True) if a != b]
        assert len(changed) == 1
        old, new = changed[0]
        assert new == old[:-1] + ', control: {status: done, date: 2024-05-30, report: "Отчёт: «исполнено», № 5 # без комментария"}}'
    else:
        new = added_lines(ODD.lstrip("\ufeff"), after)
        assert len(new) == 4 and new[0].strip() == "control:"
    loaded, problems = load_protocol(path)
    assert problems == []
    found = {r.decision.key: r.decision for r in m.walk_decisions(loaded)}
    assert found[key].control == marks
    assert loaded == _with(before, key, marks)


def _with(protocol: m.Protocol, key: str, marks: m.Control) -> m.Protocol:
    from protokol.editing import with_control

    return with_control(protocol, key, marks)


def test_replacing_marks_rewrites_only_the_control_entry(tmp_path: Path):
    path = tmp_path / "2024-02-14-3.yaml"
    path.write_bytes(ODD.encode("utf-8"))
    assert set_control(path, "1.2", m.Control(status="cancelled", date=date(2024, 5, 1), reason="нет")).ok
    middle = path.read_bytes().decode("utf-8-sig")
    new = m.Control(status="open", extensions=(m.Extension(date(2024, 7, 1), "причина", date(2024, 5, 2)),))
    assert set_control(path, "1.2", new).ok
    after = path.read_bytes().decode("utf-8-sig")
    diff = [d for d in difflib.ndiff(middle.splitlines(), after.splitlines()) if d[:2] in ("- ", "+ ")]
    assert [d for d in diff if d.startswith("- ")] == ["-       status: cancelled", "-       date: 2024-05-01",
                                                       "-       reason: нет"]
    assert "    control:\r\n      status: open\r\n      extensions:\r\n      - to: 2024-07-01\r\n" in after
    loaded, problems = load_protocol(path)
    assert problems == [] and {r.decision.key: r.decision.control for r in m.walk_decisions(loaded)}["1.2"] == new


def test_an_edit_that_would_break_the_file_is_refused(tmp_path: Path, monkeypatch):
    path = tmp_path / "2024-02-14-3.yaml"
    path.write_bytes(ODD.encode("utf-8"))
    import protokol.editing as editing

    monkeypatch.setattr(editing, "render_block", lambda *a, **k: "control:\n  - [broken")
    result = set_control(path, "1.2", m.Control(status="done", date=date(2024, 5, 30)))
    assert not result.ok and "invalid" in result.reason
    assert path.read_bytes() == ODD.encode("utf-8")
    assert [p.name for p in tmp_path.iterdir() if p.suffix != ".lock"] == ["2024-02-14-3.yaml"]  # no temporary file left (a lock file stays)


def test_an_unknown_key_or_a_broken_file_is_refused(tmp_path: Path):
    path = tmp_path / "x.yaml"
    path.write_bytes(ODD.encode("utf-8"))
    assert "not in the file" in set_control(path, "7.7", m.Control()).reason
    path.write_text("date: 2024-01-01\ntitle: [\n", encoding="utf-8")
    assert not set_control(path, "1.1", m.Control()).ok


def test_every_seed_decision_can_be_marked(archive: Path):
    for path in sorted((archive / "protocols").rglob("*.yaml")):
        protocol, _problems = load_protocol(path)
        for ref in m.walk_decisions(protocol):
            before = path.read_text(encoding="utf-8")
            marks = m.Control(status="done", date=date(2024, 6, 1), report="Исполнено: см. письмо № 5")
            result = set_control(path, ref.decision.key, marks)
            assert result.ok, (path.name, ref.id, result.reason)
            assert len(added_lines(before, path.read_text(encoding="utf-8"))) == 4


@pytest.mark.parametrize("text", ["простой текст", "Отчёт: сдан", "да", "no", "2024", "- пункт", "#1", "«кавычки»",
                                  " пробел", "a\nb", "null", "1.5", "Иванова И.И."])
def test_scalars_read_back_as_the_same_text(text: str):
    import yaml

    assert yaml.safe_load(f"k: {scalar(text)}\n")["k"] == text


def test_edit_text_reports_a_missing_decision():
    new, why = edit_text("date: 2024-01-01\nagenda: []\n", "1.1", m.Control())
    assert new is None and "1.1" in why


# --------------------------------------------------------------------------------------------- the reader's marks

def test_marks_go_where_the_readers_end_marks_say(tmp_path: Path):
    """The edit cuts the text at the strict reader's end marks: after a flow decision's last value (a comment or a
    trailing comma after it stays), after a literal block whose last line starts with '#' (text, not a comment)."""
    text = ("agenda:\r\n"
            "- decided:\r\n"
            "  - {text: a, due: '2024-05-01',  # срок\r\n"
            "     }\r\n"
            "  - {text: b, }\r\n"
            "  - text: |\r\n"
            "      строка\r\n"
            "      # не комментарий\r\n"
            "\r\n"
            "    # комментарий после решения\r\n"
            "  - text: d")
    marks = m.Control(status="done", date=date(2024, 5, 30))
    first, _why = edit_text(text, "1.1", marks)
    assert first == text.replace("due: '2024-05-01',", "due: '2024-05-01', control: {status: done, date: 2024-05-30},")
    second, _why = edit_text(text, "1.2", marks)
    assert second == text.replace("{text: b, }", "{text: b, control: {status: done, date: 2024-05-30}, }")
    third, _why = edit_text(text, "1.3", marks)
    assert third == text.replace("      # не комментарий\r\n", "      # не комментарий\r\n"
                                 "    control:\r\n      status: done\r\n      date: 2024-05-30\r\n")
    last, _why = edit_text(text, "1.4", marks)  # the last decision, without a final line break
    assert last == text + "\r\n    control:\r\n      status: done\r\n      date: 2024-05-30\r\n"


@pytest.mark.parametrize("decision", [
    "  - text: a\n    control:\n      status: done\n      status: open\n",  # the second status would stay as it was
    "  - {text: a, text: b}\n",
    "  - text: a\n    ? [complex]\n    : key\n",
])
def test_a_decision_with_an_entry_the_reader_leaves_out_is_not_edited(tmp_path: Path, decision: str):
    """The strict reader keeps the first of two equal keys and leaves out keys that are not text; an edit of such a
    decision would not see all of its text (the old walker of editing.py saw it and wrote next to it)."""
    text = "date: 2024-05-14\ntitle: t\nparticipants: {chair: A}\nagenda:\n- title: q\n  decided:\n" + decision
    new, why = edit_text(text, "1.1", m.Control(status="cancelled", reason="нет"))
    assert new is None and "Decision 1.1 cannot be edited safely: line" in why
    path = tmp_path / "2024-05-14.yaml"
    path.write_text(text, encoding="utf-8")
    result = set_control(path, "1.1", m.Control(status="cancelled", reason="нет"))
    assert not result.ok and path.read_text(encoding="utf-8") == text
    # the rest of the file can still be marked
    other = text + "  - text: c\n"
    assert edit_text(other, "1.2", m.Control(status="cancelled", reason="нет"))[0] is not None


def test_a_file_the_reader_refuses_is_named_in_its_words():
    new, why = edit_text("agenda:\n- decided:\n  - text: &a x\n  - text: *a\n", "1.1", m.Control(status="done"))
    assert new is None and why == "The file cannot be read as YAML: Anchors (&a) are not allowed."


COMMENTED = meeting("2024-02-14", "3", question="""\
    decided:
      - text: Сделать отчёт.
        deadline: 01.03.2024
        responsible: Белова И.Г.
        control:
          extensions:
            # по письму № 12
            - to: 2024-04-01
              reason: по ходатайству  # устно
              on: 2024-02-20
""")


def test_extend_keeps_the_comments_among_earlier_extensions(tmp_path: Path):
    """A second extension is added after the first; the lines and comments already there stay byte for byte."""
    path = tmp_path / "protocols" / "2024" / "2024-02-14-3.yaml"
    path.parent.mkdir(parents=True)
    path.write_text(COMMENTED, encoding="utf-8")
    result = run_cli("extend", "2024-02-14-3/1.1", "--to", "2024-05-01", "--reason", "ещё раз", "--root", str(tmp_path),
                     "--today", "2024-03-25")
    assert result.exit_code == 0, result.stderr
    assert path.read_text(encoding="utf-8") == COMMENTED + (
        "            - to: 2024-05-01\n"
        "              reason: ещё раз\n"
        "              on: 2024-03-25\n")


@pytest.mark.parametrize("fmt", ["table", "md"])
def test_due_marks_a_deadline_an_extension_moved(tmp_path: Path, fmt: str):
    path = tmp_path / "protocols" / "2024" / "2024-02-14-3.yaml"
    path.parent.mkdir(parents=True)
    path.write_text(COMMENTED, encoding="utf-8")
    result = run_cli("due", "--format", fmt, "--root", str(tmp_path), "--today", "2024-03-25")
    assert result.exit_code == 0, result.stderr
    assert "2024-04-01 (extended)" in result.stdout
    plain = COMMENTED.split("        control:")[0]
    path.write_text(plain, encoding="utf-8")
    result = run_cli("due", "--format", fmt, "--root", str(tmp_path), "--today", "2024-02-20")
    assert "2024-03-01" in result.stdout and "(extended)" not in result.stdout
