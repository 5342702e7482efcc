"""`protokol new --carry-over` per series: a meeting reviews the open decisions of its own series (the same series as
the numbering: title, case/ё/spacing/final dot aside), `--carry-over-from all|TITLE` widens or moves the list, and what
closed a decision is read from the whole archive (an `acts_on` in another series' protocol closes it too)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from conftest import init_archive, run_cli
from protokol import carryover, series
from protokol import model as m
from protokol.load import load_protocol
from protokol.schema import with_identity

# --- the library: archive.carry_over(series=…) -----------------------------------------------------------------------


def protocol(pid: str, day: str, title: str, number: str, decided: tuple) -> m.Protocol:
    item = m.AgendaItem(title="Вопрос", number="1", decided=decided)
    built = m.Protocol(id="", date=date.fromisoformat(day), title=title, number=number, status="final",
                       participants=m.Participants(chair=m.Person("Никитина О.В."), secretary=m.Person("Фролова Т.С.")),
                       agenda=(item,))
    return with_identity(built, pid, f"protocols/{day[:4]}/{pid}.yaml")


def task(number: str, text: str, deadline: str) -> m.Decision:
    return m.Decision(text=text, number=number, deadline=deadline, responsible=("руководители ОУ",))


HEADS = protocol("2024-02-14-1", "2024-02-14", "отчётного совещания с руководителями ОУ", "1", (
    task("1.1", "Представить списки детей.", "до 01.03.2024"),
    task("1.2", "Провести мониторинг.", "до 05.03.2024"),
))
# the same series: case, е for ё, spacing and a final dot make no new series (as for the numbering)
HEADS_AGAIN = protocol("2024-02-21-2", "2024-02-21", "Отчетного  совещания с руководителями ОУ.", "2", (
    task("1.1", "Сдать отчёт.", "до 28.02.2024"),
))
# another series; its 1.2 closes 1.2 of HEADS
METHODISTS = protocol("2024-02-20-1", "2024-02-20", "методического совета", "1", (
    task("1.1", "Обновить программы.", "до 02.03.2024"),
    m.Decision(text="Пункт 1.2 протокола № 1 снять с контроля.", number="1.2",
               acts_on=(m.Reference("2024-02-14-1/1.2", "done"),)),
))
ARCHIVE = [HEADS, HEADS_AGAIN, METHODISTS]
MEETING = date(2024, 3, 6)


def ids(pending) -> list[str]:
    return [x.ref.id for x in pending]


def test_a_series_gets_its_own_open_decisions_only():
    assert ids(carryover.carry_over(ARCHIVE, MEETING, series="отчётного совещания с руководителями ОУ")) == [
        "2024-02-21-2/1.1", "2024-02-14-1/1.1"]  # by due date; 1.2 is closed by the методический совет
    assert ids(carryover.carry_over(ARCHIVE, MEETING, series="Методического  совета")) == ["2024-02-20-1/1.1"]
    assert carryover.carry_over(ARCHIVE, MEETING, series="педагогического совета") == []  # a series with no protocol
    assert ids(carryover.carry_over(ARCHIVE, MEETING)) == ["2024-02-21-2/1.1", "2024-02-14-1/1.1", "2024-02-20-1/1.1"]


def test_a_decision_closed_from_another_series_stays_closed():
    heads = "отчётного совещания с руководителями ОУ"
    # without the методический совет's protocol, 1.2 is open and due by the meeting…
    assert "2024-02-14-1/1.2" in ids(carryover.carry_over([HEADS, HEADS_AGAIN], MEETING, series=heads))
    # …with it, the reference closes it although that protocol is of another series
    assert "2024-02-14-1/1.2" not in ids(carryover.carry_over(ARCHIVE, MEETING, series=heads))


@pytest.mark.parametrize("title", ["отчётного совещания с руководителями ОУ", "ОТЧЕТНОГО СОВЕЩАНИЯ С РУКОВОДИТЕЛЯМИ ОУ",
                                   "методического совета.", "методического", "совещания"])
def test_the_series_of_the_carry_over_is_the_series_of_the_numbering(title):
    # A protocol counts for the next № of `title` exactly when its decisions are carried over to a meeting of `title`.
    listed = {x.ref.protocol.id for x in carryover.carry_over(ARCHIVE, MEETING, series=title)}
    for p in ARCHIVE:
        numbered = series.next_number([p], title, MEETING) > 1
        assert (p.id in listed) == numbered, (title, p.id)


def test_split_by_series_and_series_titles():
    inside, outside = carryover.split_by_series(carryover.carry_over(ARCHIVE, MEETING), "методического совета")
    assert (ids(inside), ids(outside)) == (["2024-02-20-1/1.1"], ["2024-02-21-2/1.1", "2024-02-14-1/1.1"])
    everything, none = carryover.split_by_series(carryover.carry_over(ARCHIVE, MEETING), None)
    assert len(everything) == 3 and none == []
    # one title per series, as its latest protocol spells it
    assert series.series_titles(ARCHIVE) == ["методического совета", "Отчетного совещания с руководителями ОУ."]


# --- the command ------------------------------------------------------------------------------------------------------

HEADS_TITLE = "совещания с руководителями ОУ"
METHOD_TITLE = "методического совета"

FILES = {
    "2024-02-14-1": f"""\
date: 2024-02-14
number: 1
title: {HEADS_TITLE}
participants:
  chair: Никитина О.В.
  secretary: Фролова Т.С.
agenda:
  - number: 1
    title: О летней кампании
    decided:
      - text: Представить списки детей.
        deadline: до 01.03.2024
        responsible: руководители ОУ
      - text: Провести мониторинг.
        deadline: до 05.03.2024
        responsible: руководители ОУ
""",
    "2024-02-21-2": """\
date: 2024-02-21
number: 2
title: Совещания с руководителями  ОУ.
participants:
  chair: Никитина О.В.
  secretary: Фролова Т.С.
agenda:
  - number: 1
    title: Об отчётах
    decided:
      - text: Сдать отчёт.
        deadline: до 28.02.2024
        responsible: руководители ОУ
""",
    "2024-02-20-1": f"""\
date: 2024-02-20
number: 1
title: {METHOD_TITLE}
participants:
  chair: Белова И.Г.
  secretary: Фролова Т.С.
agenda:
  - number: 1
    title: О программах
    decided:
      - text: Обновить программы.
        deadline: до 02.03.2024
        responsible: руководители МО
      - text: Пункт 1.2 протокола № 1 совещания с руководителями ОУ снять с контроля.
        acts_on: [{{decision: 2024-02-14-1/1.2, action: done}}]
""",
}
OWN = ["2024-02-21-2/1.1", "2024-02-14-1/1.1"]  # by due date: 28.02, 01.03; 1.2 closed by the методический совет
OTHER = ["2024-02-20-1/1.1"]


@pytest.fixture
def archive(tmp_path: Path, monkeypatch) -> Path:
    root = init_archive(tmp_path / "archive", "--no-git", "--title", HEADS_TITLE, "--chair", "Никитина О.В.",
                        "--secretary", "Фролова Т.С.")
    (root / "protocols" / "2024").mkdir()
    for pid, text in FILES.items():
        (root / "protocols" / "2024" / f"{pid}.yaml").write_text(text, encoding="utf-8")
    monkeypatch.chdir(root)
    assert run_cli("check", "--today", "2024-03-06").exit_code == 0
    return root


def carried(root: Path, result) -> list[str]:
    """The ids of the decisions the new file carries over, read from its `acts_on` comments."""
    assert result.exit_code == 0, result.output
    path = root / result.stdout.strip()
    new, problems = load_protocol(path)
    assert problems == []
    assert new.agenda[0].title == carryover.CARRY_OVER_TITLE
    text = path.read_text(encoding="utf-8")
    found = [line.split("decision: ")[1].split(",")[0] for line in text.splitlines() if "action: done}]" in line]
    assert len(found) == len(new.agenda[0].decided)
    return found


def new(*args: str, lang: str = "en"):
    return run_cli("new", "--date", "2024-03-06", "--today", "2024-03-06", *args, lang=lang)


def test_new_carries_over_its_own_series_by_default(archive: Path):
    result = new("--carry-over")  # the title from protokol.yaml: the руководители series
    assert carried(archive, result) == OWN
    assert f"Carried over 2 open decisions (series «{HEADS_TITLE}»):" in result.stderr
    assert "2024-02-20-1/1.1" not in result.stderr
    assert "1 more decision of other series is open and due by 2024-03-06; `--carry-over-from all` lists it too." \
        in result.stderr
    other = new("--title", METHOD_TITLE, "--carry-over")
    assert carried(archive, other) == OTHER
    assert "2 more decisions of other series are open and due by 2024-03-06" in other.stderr


def test_carry_over_from_all_or_another_series(archive: Path):
    everything = new("--carry-over-from", "all")  # implies --carry-over
    assert carried(archive, everything) == OWN + OTHER
    assert "Carried over 3 open decisions (all series):" in everything.stderr
    assert "other series" not in everything.stderr
    # a title names its series whatever the case and spacing; the message spells it as the archive does
    moved = new("--title", "педагогического совета", "--carry-over-from", "  Методического   Совета ")
    assert carried(archive, moved) == OTHER
    assert f"(series «{METHOD_TITLE}»)" in moved.stderr
    assert run_cli("check", "--today", "2024-03-06").exit_code == 0  # the drafts written are valid


def test_carry_over_from_takes_the_russian_word_for_all(archive: Path):
    assert carried(archive, new("--carry-over-from", "Все")) == OWN + OTHER


def test_nothing_of_the_series_says_so_and_points_at_the_others(archive: Path):
    result = new("--title", "педагогического совета", "--carry-over")
    assert carried(archive, result) == []
    assert "No decision of earlier meetings is open and due by 2024-03-06 (series «педагогического совета»)." \
        in result.stderr
    assert "3 more decisions of other series are open and due by 2024-03-06" in result.stderr


def test_wrong_carry_over_from_is_a_usage_error_and_writes_nothing(archive: Path):
    before = sorted((archive / "protocols" / "2024").iterdir())
    typo = new("--carry-over-from", "совещания с руководителями ОО")
    assert typo.exit_code == 2
    assert "No protocol of the series «совещания с руководителями ОО» in the archive." in typo.stderr
    assert "Did you mean: «Совещания с руководителями ОУ.»?" in typo.stderr
    unknown = new("--carry-over-from", "комиссии по делам несовершеннолетних")
    assert unknown.exit_code == 2 and "`all` for every series" in unknown.stderr
    both = new("--no-carry-over", "--carry-over-from", "all")
    assert both.exit_code == 2 and "does not go with --no-carry-over" in both.stderr
    assert sorted((archive / "protocols" / "2024").iterdir()) == before


def test_prompted_new_asks_about_its_own_series(archive: Path):
    # defaults for date, title, number, chair, secretary and participants; no questions; yes, carry over
    result = _prompted("\n" * 6 + "\n" + "y\n")
    assert carried(archive, result) == OWN
    note = result.stderr.index("1 more decision of other series is open and due by 2024-03-06")
    question = result.stderr.index(
        f"2 decisions of earlier meetings are open and due by 2024-03-06 (series «{HEADS_TITLE}»). Add the question")
    assert note < question  # said before the question, while it can still be acted on


def test_prompted_title_sets_the_series(archive: Path):
    # another title typed at the prompt: its series is the one carried over
    result = _prompted("\n" + METHOD_TITLE + "\n" + "\n" * 4 + "\n" + "y\n")
    assert carried(archive, result) == OTHER
    assert f"1 decision of earlier meetings is open and due by 2024-03-06 (series «{METHOD_TITLE}»)" in result.stderr
    # --carry-over-from all with prompts: the list is asked for, so no yes/no question
    everything = _prompted("\n" * 6 + "\n", "--carry-over-from", "all")
    assert carried(archive, everything) == OWN + OTHER
    assert "Add the question" not in everything.stderr


def _prompted(answers: str, *args: str):
    from typer.testing import CliRunner

    from protokol.cli.main import build_app
    from protokol.i18n import set_language

    set_language("en")
    return CliRunner().invoke(build_app(), ["new", "--interactive", "--date", "2024-03-06", "--today", "2024-03-06",
                                            *args], input=answers, catch_exceptions=False)


def test_russian_messages(archive: Path):
    result = new("--carry-over", lang="ru")
    assert carried(archive, result) == OWN
    assert f"Перенесено 2 решения на контроле (серия «{HEADS_TITLE}»):" in result.stderr
    assert "Ещё 1 решение других серий на контроле со сроком до 6 марта 2024 г.; `--carry-over-from all` перенесёт и его." \
        in result.stderr
    none = new("--title", "педагогического совета", "--carry-over", lang="ru")
    assert "Решений прошлых совещаний на контроле со сроком до 6 марта 2024 г. нет (серия «педагогического совета»)." \
        in none.stderr
    assert "Ещё 3 решения других серий" in none.stderr
    wrong = new("--carry-over-from", "комиссии по делам несовершеннолетних", lang="ru")
    assert wrong.exit_code == 2 and "В архиве нет протоколов серии «комиссии по делам несовершеннолетних»." in wrong.stderr
    assert "или `all` — все серии" in wrong.stderr
    assert "(все серии)" in new("--carry-over-from", "all", lang="ru").stderr
    assert "Чьи решения" in run_cli("new", "--help", lang="ru").stdout
