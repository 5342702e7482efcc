"""Keeping an archive, the pure part: series numbering, ids, decision status, the carry-over list, the new draft."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from protokol import carryover, drafts, initialize, series
from protokol import model as m
from protokol.checks import check_protocol
from protokol.load import load_protocol
from protokol.schema import with_identity
from protokol.selection import Filter, due_by, find, select


def protocol(pid: str, day: str, title: str = "совещания", number: str | None = None, kind: str = "protocol",
             decided: tuple = (), status: str = "final") -> m.Protocol:
    item = m.AgendaItem(title="Вопрос", number="1", decided=decided)
    built = m.Protocol(id="", date=date.fromisoformat(day), title=title, number=number, kind=kind, status=status,
                       participants=m.Participants(chair=m.Person("Никитина О.В."), secretary=m.Person("Фролова Т.С.")),
                       agenda=(item,))
    return with_identity(built, pid, f"protocols/{day[:4]}/{pid}.yaml")


# --- numbering -------------------------------------------------------------------------------------------------------

SERIES = [
    protocol("2023-11-10-7", "2023-11-10", number="7"),
    protocol("2024-01-09-1", "2024-01-09", number="1"),
    protocol("2024-02-14-2", "2024-02-14", number="2"),
    protocol("2024-02-20-5", "2024-02-20", title="педагогического совета", number="5"),
    protocol("2024-03-01-3", "2024-03-01", title="Совещания.", number="3-р", kind="extract"),
]


@pytest.mark.parametrize(("title", "day", "numbering", "expected"), [
    ("совещания", "2024-05-14", "yearly", 4),        # 1, 2 and the extract's «3-р» this year
    ("совещания", "2025-01-15", "yearly", 1),        # a new year starts again
    ("совещания", "2025-01-15", "continuous", 8),    # runs on past last year's № 7
    ("педагогического совета", "2024-05-14", "yearly", 6),  # another series keeps its own numbers
    ("методического совета", "2024-05-14", "yearly", 1),    # a series never seen starts at 1
    ("СОВЕЩАНИЯ", "2024-05-14", "yearly", 4),        # case, ё, spaces and a final dot do not make a new series
])
def test_next_number_in_series(title, day, numbering, expected):
    assert series.next_number(SERIES, title, date.fromisoformat(day), numbering) == expected


def test_number_value_reads_the_leading_digits():
    assert [series.number_value(x) for x in ("8", " 12 ", "3-р", "б/н", None)] == [8, 12, 3, None, None]


def test_previous_protocol_is_the_latest_of_the_series_up_to_the_day():
    assert series.previous_protocol(SERIES, "совещания", date(2024, 2, 29)).id == "2024-02-14-2"
    assert series.previous_protocol(SERIES, "совещания", date(2024, 3, 1)).id == "2024-03-01-3"
    assert series.previous_protocol(SERIES, "совещания", date(2023, 1, 1)) is None


def test_ids_and_free_ids():
    assert series.meeting_id(date(2024, 5, 14), 3) == "2024-05-14-3"
    assert series.meeting_id(date(2024, 5, 14), "3/1 р") == "2024-05-14-3-1-р"  # nothing a file name cannot hold
    taken = {"2024-05-14-3", "2024-05-14-3-2"}
    assert series.free_id("2024-05-14-3", taken.__contains__) == "2024-05-14-3-3"
    assert series.free_id("2024-05-14-4", taken.__contains__) == "2024-05-14-4"


# --- status and carry-over -------------------------------------------------------------------------------------------

def decision(number: str, text: str, deadline: str | None = None, responsible=("руководители ОО",), control=None,
             acts_on=()) -> m.Decision:
    return m.Decision(text=text, number=number, deadline=deadline, responsible=responsible, control=control,
                      acts_on=acts_on)


EARLIER = protocol("2024-02-14-2", "2024-02-14", number="2", decided=(
    decision("1.1", "Информацию принять к сведению.", responsible=None),
    decision("1.2", "Представить списки детей.", "до 01.03.2024"),
    decision("1.3", "Провести мониторинг.", "до 01.04.2024"),
    decision("1.4", "Сдать отчёт.", "до 01.03.2024", control=m.Control(status="done", date=date(2024, 2, 28))),
    decision("1.5", "Обновить сайт.", "до 01.03.2024", control=m.Control(
        extensions=(m.Extension(to=date(2024, 6, 1)),))),
    decision("1.6", "Сдавать сведения.", "ежемесячно до 10 числа", control=m.Control(closed=(date(2024, 3, 10),))),
    decision("1.7", "Повышать квалификацию.", "постоянно"),
    decision("1.8", "Отчитаться.", "до 01.03.2024"),
    decision("1.9", "Разработать план.", "до 01.03.2024"),
))
LATER = protocol("2024-03-05-3", "2024-03-05", number="3", decided=(
    decision("1.1", "Пункт 1.8 снять с контроля.", responsible=None,
             acts_on=(m.Reference("2024-02-14-2/1.8", "done"),)),
))
DRAFT = protocol("2024-03-06-4", "2024-03-06", number="4", status="draft", decided=(
    decision("1.1", "Пункт 1.9 снять с контроля.", responsible=None,
             acts_on=(m.Reference("2024-02-14-2/1.9", "done"),)),
))


def test_carry_over_lists_what_is_open_and_due_by_the_meeting():
    pending = carryover.carry_over([EARLIER, LATER, DRAFT], date(2024, 4, 10))
    assert [(x.ref.id, x.due) for x in pending] == [
        ("2024-02-14-2/1.2", date(2024, 3, 1)),
        ("2024-02-14-2/1.9", date(2024, 3, 1)),   # closed only by a draft: the meeting has not decided it yet
        ("2024-02-14-2/1.3", date(2024, 4, 1)),
        ("2024-02-14-2/1.6", date(2024, 4, 10)),  # next occurrence after the closed 10 March one
    ]
    # 1.1 is nothing to execute, 1.4 is done, 1.5 was extended past the meeting, 1.7 is ongoing,
    # 1.8 was closed by a later final protocol.


def test_carry_over_stops_at_the_meeting_date():
    pending = carryover.carry_over([EARLIER], date(2024, 3, 1))
    assert [x.ref.id for x in pending] == ["2024-02-14-2/1.2", "2024-02-14-2/1.8", "2024-02-14-2/1.9"]
    assert carryover.carry_over([EARLIER], date(2024, 2, 14)) == []  # nothing of the same day's meeting itself


def test_status_and_due_dates_are_those_of_due():
    # The carry-over list has no rules of its own: what the rules of `protokol due` say of a decision is what counts.
    day = date(2024, 4, 10)
    index = carryover.decision_index([EARLIER, LATER, DRAFT])
    assert find(index, "2024-02-14-2/1.8", day).status == "done"  # closed by a later final protocol
    assert find(index, "2024-02-14-2/1.9", day).status == "open"  # closed only by a draft
    assert find(index, "2024-02-14-2/1.5", day).due == date(2024, 6, 1)  # extended by its own control mark
    assert [d.id for d in due_by(index, day)] == [x.ref.id for x in carryover.carry_over([EARLIER, LATER, DRAFT], day)]
    extend = protocol("2024-03-07-5", "2024-03-07", decided=(
        decision("1.1", "Продлить.", responsible=None, acts_on=(m.Reference("2024-02-14-2/1.2", "extend", date(2024, 9, 1)),)),))
    assert find(carryover.decision_index([EARLIER, extend]), "2024-02-14-2/1.2", day).due == date(2024, 9, 1)
    assert "2024-02-14-2/1.2" not in [x.ref.id for x in carryover.carry_over([EARLIER, extend], day)]


def test_due_by_is_due_within_zero_days_less_the_days_own_protocols():
    day = date(2024, 3, 1)
    same_day = protocol("2024-03-01-3", "2024-03-01", number="3", decided=(decision("1.1", "Сделать.", "01.03.2024"),))
    index = carryover.decision_index([EARLIER, same_day])
    listed = select(index, Filter(within=0), day)  # `protokol due --today 2024-03-01 --within 0d`
    assert "2024-03-01-3/1.1" in [d.id for d in listed]
    found = due_by(index, day)
    assert [d.id for d in found] == ["2024-02-14-2/1.2", "2024-02-14-2/1.8", "2024-02-14-2/1.9"]
    assert [d.id for d in found] == [d.id for d in listed if d.meeting.date < day]
    assert all(d.status == "open" and d.due <= day for d in found)


def test_carry_over_follows_the_rules_a_simpler_reading_gets_wrong():
    earlier = protocol("2024-02-14-2", "2024-02-14", number="2", decided=(
        m.Decision(text="Руководителям ОО:", number="1.1", deadline="до 01.03.2024", responsible=("руководители ОО",),
                   items=(m.Decision(text="представить списки"), m.Decision(text="провести собрания"))),
        decision("1.2", "Сдать отчёт.", "до 01.03.2024", control=m.Control(status="open", date=date(2024, 3, 20))),
        decision("1.3", "Сдавать сведения.", "ежемесячно до 10 числа"),
    ))
    later = protocol("2024-03-05-3", "2024-03-05", number="3", decided=(
        decision("1.1", "Пункт 1.1 снять с контроля.", responsible=None,
                 acts_on=(m.Reference("2024-02-14-2/1.1", "done"), m.Reference("2024-02-14-2/1.2", "done"))),
    ))
    pending = carryover.carry_over([earlier, later], date(2024, 4, 1))
    # 1.1.1 and 1.1.2: the reference to their lead line closes them; 1.2: its own mark of 20 March reopened it after
    # the reference of 5 March; 1.3 recurs: its first occurrence (due 10 March) is open, and missed
    assert [(x.ref.id, x.due) for x in pending] == [("2024-02-14-2/1.2", date(2024, 3, 1)),
                                                    ("2024-02-14-2/1.3", date(2024, 3, 10))]
    # recurring_untracked: never_overdue: no occurrence was ever closed, so it is due on the next one from the meeting on
    untracked = carryover.carry_over([earlier, later], date(2024, 4, 1), never_overdue=True)
    assert [(x.ref.id, x.due) for x in untracked] == [("2024-02-14-2/1.2", date(2024, 3, 1))]
    assert [x.ref.id for x in carryover.carry_over([earlier, later], date(2024, 4, 10), never_overdue=True)] == [
        "2024-02-14-2/1.2", "2024-02-14-2/1.3"]
    draft = protocol("2024-02-14-2", "2024-02-14", number="2", status="draft", decided=earlier.agenda[0].decided)
    assert carryover.carry_over([draft], date(2024, 4, 1)) == []  # a draft's decisions are not under control yet


# --- the draft ------------------------------------------------------------------------------------------------------

def test_draft_with_carry_over_loads_back_and_passes_check(tmp_path: Path):
    pending = carryover.carry_over([EARLIER, LATER], date(2024, 4, 10))
    draft = drafts.draft_protocol(day=date(2024, 4, 10), title="совещания", number="4", chair=m.Person("Никитина О.В."),
                             secretary=m.Person("Фролова Т.С.", position="методист"),
                             organization="Отдел образования", items=["О летней кампании"], carry=pending)
    path = tmp_path / "protocols" / "2024" / "2024-04-10-4.yaml"
    initialize.write_new(path, drafts.render_draft(draft, pending))
    loaded, problems = load_protocol(path)
    assert problems == []
    assert check_protocol(loaded, date(2024, 4, 1)) == []
    assert loaded.status == "draft" and loaded.number == "4" and loaded.organization == "Отдел образования"
    assert [i.title for i in loaded.agenda] == [carryover.CARRY_OVER_TITLE, "О летней кампании"]
    assert [i.key for i in loaded.agenda] == ["1", "2"]
    carried = loaded.agenda[0].decided
    assert carried[0].text == "Пункт 1.2 протокола № 2 от 14.02.2024 «Представить списки детей.» снять с контроля."
    assert all(d.note is None for d in carried)  # the placeholders became comments
    text = path.read_text(encoding="utf-8")
    assert "# 2024-02-14-2/1.2 — срок: до 01.03.2024; отв.: руководители ОО" in text


def test_uncommenting_the_acts_on_line_closes_the_decision(tmp_path: Path):
    pending = carryover.carry_over([EARLIER], date(2024, 3, 2))
    draft = drafts.draft_protocol(day=date(2024, 3, 2), title="совещания", number="3", chair=m.Person("Никитина О.В."),
                             secretary=m.Person("Фролова Т.С."), carry=pending)
    lines = drafts.render_draft(draft, pending).splitlines()
    done = next(i for i, line in enumerate(lines) if "action: done}]" in line)
    lines[done] = lines[done].replace("# acts_on", "acts_on", 1)
    path = tmp_path / "2024-03-02-3.yaml"
    path.write_text("\n".join(lines).replace("status: draft\n", ""), encoding="utf-8")
    loaded, problems = load_protocol(path)
    assert problems == []
    assert loaded.agenda[0].decided[0].acts_on == (m.Reference(pending[0].ref.id, "done"),)
    assert pending[0].ref.id not in {x.ref.id for x in carryover.carry_over([EARLIER, loaded], date(2024, 5, 1))}


def test_a_deadline_inside_the_quoted_text_goes_to_the_comments():
    # Quoted in the text, «до 1 июня» would make `check` ask for a `deadline:` on the new decision.
    earlier = protocol("2024-02-14-2", "2024-02-14", number="2", decided=(
        decision("1.1", "Открыть лагеря до 1 июня 2024 года.", "01.03.2024"),))
    pending = carryover.carry_over([earlier], date(2024, 4, 1))
    assert carryover.carry_over_text(pending[0]) == "Пункт 1.1 протокола № 2 от 14.02.2024 снять с контроля."
    draft = drafts.draft_protocol(day=date(2024, 4, 1), title="совещания", number="3", chair=m.Person("Никитина О.В."),
                             secretary=m.Person("Фролова Т.С."), carry=pending)
    assert "# «Открыть лагеря до 1 июня 2024 года.»" in drafts.render_draft(draft, pending)


def test_write_new_never_overwrites(tmp_path: Path):
    path = tmp_path / "a" / "x.yaml"
    initialize.write_new(path, "first\n")
    with pytest.raises(FileExistsError):
        initialize.write_new(path, "second\n")
    assert path.read_text() == "first\n"
    assert sorted(p.name for p in path.parent.iterdir()) == ["x.yaml"]  # no temporary file left behind


def test_schema_reference_is_relative_to_the_new_file(tmp_path: Path):
    target = tmp_path / "protocols" / "2024" / "x.yaml"
    assert initialize.schema_reference(tmp_path, target) is None
    (tmp_path / "schema").mkdir()
    (tmp_path / "schema" / "protokol.schema.json").write_text("{}")
    assert initialize.schema_reference(tmp_path, target) == "../../schema/protokol.schema.json"
