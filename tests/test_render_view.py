"""The view step of rendering (protokol.render.build_view): what every output format prints, checked on the model."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from conftest import DATA, PROTOCOLS
from protokol import model as m
from protokol.load import load_protocol
from protokol.render import RenderOptions, build_view, initials_first, parse_certify_by, people_count, printed_name
from protokol.render.clean import clean_protocol, clean_text
from protokol.settings import Settings, load_settings

KITCHEN_ARCHIVE = DATA / "render" / "archive"
KITCHEN = KITCHEN_ARCHIVE / "protocols" / "2024" / "2024-03-14-2.yaml"
NB = "\u00a0"  # names print with non-breaking spaces between initials and the surname


def load(path: Path) -> m.Protocol:
    protocol, problems = load_protocol(path)
    assert protocol is not None, problems
    return protocol


def minimal(**changes) -> m.Protocol:
    base = m.Protocol(id="2024-05-14-1", date=date(2024, 5, 14), title="совещания руководителей ОО",
                      participants=m.Participants(chair=m.Person("Никитина О.В."), secretary=m.Person("Фролова Т.С.")))
    return replace(base, **changes)


def item(*decisions: m.Decision, **changes) -> m.AgendaItem:
    from protokol.schema import _keyed

    return m.AgendaItem(**{"number": "1", "key": "1", "title": "Вопрос", "decided": _keyed(decisions, "1"), **changes})


# ---------------------------------------------------------------- small helpers


@pytest.mark.parametrize("n,text", [(1, "1 человек"), (2, "2 человека"), (4, "4 человека"), (5, "5 человек"),
                                    (11, "11 человек"), (12, "12 человек"), (14, "14 человек"), (15, "15 человек"),
                                    (21, "21 человек"), (22, "22 человека"), (104, "104 человека"), (112, "112 человек")])
def test_people_count_agrees_with_the_number(n, text):
    assert people_count(n) == text


@pytest.mark.parametrize("name,expected", [("Морозова О.Д.", "О.Д. Морозова"), ("Комарова Т. Ю.", "Т.Ю. Комарова"),
                                           ("Н.В.Шадеркова", "Н.В. Шадеркова"), ("отдел образования", "отдел образования")])
def test_initials_first_for_the_certification(name, expected):
    assert initials_first(name) == expected


def test_certify_by_option_is_name_then_position():
    person = parse_certify_by("Морозова О.Д., заведующий отделом образования, Тверская область")
    assert person.name == "Морозова О.Д."
    assert person.position == "заведующий отделом образования, Тверская область"
    assert parse_certify_by("Морозова О.Д.").position is None


# ---------------------------------------------------------------- names in the accusative


@pytest.mark.parametrize("name,accusative", [
    ("Иванова Н.В.", "Иванову Н.В."),  # the examples
    ("Белкин Д.В.", "Белкина Д.В."),
    ("Комарова Т. Ю.", "Комарову Т. Ю."),  # seed 000: «Слушали: Комарову Т. Ю.»
    ("Н.В.Иванова", "Н.В.Иванову"),  # seed 004: «СЛУШАЛИ: Н.В.Иванову»
    ("Иванова А.О.", "Иванову А.О."),  # seed 002: «Иванову А.О.»
])
def test_heard_speaker_is_in_the_accusative(name, accusative):
    protocol = minimal(agenda=(item(heard=(m.Statement(who=(m.Person(name),), text="Доклад."),)),))
    view, problems = build_view(protocol)
    assert view["questions"][0]["heard"][0]["who"] == accusative.replace(" ", NB)
    assert problems == []


def test_spoke_names_stay_in_the_nominative_joined_with_and():
    statement = m.Statement(who=(m.Person("Н.В. Кармазина"), m.Person("С. В. Червова")), text="об итогах")
    view, _ = build_view(minimal(agenda=(item(spoke=(statement,)),)))
    assert view["questions"][0]["spoke"][0]["who"] == f"Н.В.{NB}Кармазина и С.{NB}В.{NB}Червова"


def test_gender_override_in_the_participant_entry_reaches_the_heard_speaker():
    heard = (m.Statement(who=(m.Person("Кравец И.И."),), text="Доклад."),)
    without = minimal(agenda=(item(heard=heard),))
    view, problems = build_view(without)
    assert view["questions"][0]["heard"][0]["who"] == f"Кравец{NB}И.И."  # no gender known: left as written
    assert [p.code for p in problems] == ["render-name-gender"]

    parts = replace(without.participants, present=(m.Person("Кравец И.И.", position="директор", gender="m"),))
    view, problems = build_view(replace(without, participants=parts))
    assert view["questions"][0]["heard"][0]["who"] == f"Кравца{NB}И.И."
    assert problems == []


def test_surname_without_gender_that_declines_alike_gives_no_warning():
    heard = (m.Statement(who=(m.Person("Черных А.А."),)),)
    view, problems = build_view(minimal(agenda=(item(heard=heard),)))
    assert view["questions"][0]["heard"][0]["who"] == f"Черных{NB}А.А."
    assert problems == []


# ---------------------------------------------------------------- decisions


LABELLED = (
    m.Decision("Первое."),  # no number, top level: its position
    m.Decision("Второе.", number="1.2"),  # as written, with a dot added
    m.Decision("Третье.", number="4."),  # already has one
    m.Decision("Маркер.", number="-"),  # a bullet
    m.Decision("Буква.", number="a)"),  # a closing bracket is a mark too
    m.Decision("Группа:", items=(m.Decision("подпункт"), m.Decision("другой", number="5.1"))),
)


def test_decisions_of_a_protocol_encoded_from_paper_keep_the_papers_labels():
    view, _ = build_view(minimal(original="paper", agenda=(item(*LABELLED),)))
    labels = [(b["label"], b["text"]) for b in view["questions"][0]["blocks"]]
    assert labels == [("1.", "Первое."), ("1.2.", "Второе."), ("4.", "Третье."), ("–", "Маркер."), ("a)", "Буква."),
                      ("6.", "Группа:"), ("–", "подпункт"), ("5.1.", "другой")]


def test_decisions_of_a_protocol_written_with_protokol_print_the_numbers_of_their_ids():
    """What `due`, carry-over and acts_on cite (2024-05-14-1/1.6.1) is printed on the paper: «1.6.1.»."""
    protocol = minimal(agenda=(item(*LABELLED),))
    view, _ = build_view(protocol)
    labels = [(b["label"], b["text"]) for b in view["questions"][0]["blocks"]]
    assert labels == [("1.1.", "Первое."), ("1.2.", "Второе."), ("1.4.", "Третье."), ("1.4.", "Маркер."),
                      ("1.a)", "Буква."), ("1.6.", "Группа:"), ("1.6.1.", "подпункт"), ("5.1.", "другой")]
    assert [b["label"].rstrip(".") for b in view["questions"][0]["blocks"]] == [
        ref.decision.key for ref in m.walk_decisions(protocol)]


def test_terms_of_a_group_follow_its_last_item_and_are_not_repeated_on_items():
    group = m.Decision("Администрациям ОУ:", deadline="постоянно", responsible=("отдел образования",),
                       items=(m.Decision("первое"), m.Decision("второе", deadline="до 20 мая")))
    view, _ = build_view(minimal(agenda=(item(group),)))
    blocks = view["questions"][0]["blocks"]
    assert [(b["text"], b["deadline"], b["responsible"], b["trailer"]) for b in blocks] == [
        ("Администрациям ОУ:", None, None, False),
        ("первое", None, None, False),  # inherited terms are printed once, under the group
        ("второе", "до 20 мая", None, False),
        ("", "постоянно", "отдел образования", True),
    ]


@pytest.mark.parametrize("text,responsible,printed", [
    ("Руководителям ОО продолжить работу.", ("руководители ОО",), None),  # seed 002, item 5.1: no «Отв.» there
    ("Руководителям сформировать заявку на курсы ПК.", ("руководители ОО",), "руководители ОО"),  # seed 002, 5.2
    ("Администрациям ОУ:", ("администрации ОУ",), None),  # seed 004
    ("Руководителям МОУ:", ("руководители МОУ",), None),  # seed 003
    ("Корректировать комплекс мер.", ("отдел образования", "руководители ОО"), "отдел образования, руководители ОО"),
    ("Исаеву Р.Р. обобщить опыт.", ("Исаев Р.Р.",), None),
    ("Отделу образования и руководителям ОО обеспечить.", ("отдел образования", "руководители ОО"), None),
    ("Отделу образования обеспечить.", ("отдел образования", "руководители ОО"), "отдел образования, руководители ОО"),
])
def test_responsible_is_printed_unless_the_text_already_names_them(text, responsible, printed):
    view, _ = build_view(minimal(agenda=(item(m.Decision(text, responsible=responsible)),)))
    assert view["questions"][0]["blocks"][0]["responsible"] == printed


def test_deadline_as_written_an_iso_date_in_russian_and_a_bare_due_date():
    decisions = (m.Decision("а", deadline="до 15.10.2023 года"), m.Decision("б", deadline="2024-01-31"),
                 m.Decision("в", due=date(2024, 6, 10)), m.Decision("г", responsible=()))
    view, _ = build_view(minimal(agenda=(item(*decisions),)))
    assert [b["deadline"] for b in view["questions"][0]["blocks"]] == [
        "до 15.10.2023 года", "31 января 2024 г.", "10 июня 2024 г.", None]
    view, _ = build_view(minimal(agenda=(item(*decisions),)), Settings(date_style="numeric"))
    assert [b["deadline"] for b in view["questions"][0]["blocks"]][1:3] == ["31.01.2024", "10.06.2024"]


def test_votes_line():
    view, _ = build_view(minimal(agenda=(item(votes=m.Votes(for_=34, against=0, abstained=1)),)))
    assert view["questions"][0]["votes"]["line"] == "«за» – 34, «против» – нет, «воздержались» – 1"
    view, _ = build_view(minimal(agenda=(item(votes=m.Votes(text="единогласно")),)))
    assert view["questions"][0]["votes"]["line"] == "единогласно"


# ---------------------------------------------------------------- participants


def test_participants_threshold_prints_a_count_and_attaches_the_list():
    present = tuple(m.Person(f"Участник{i} А.А.") for i in range(16)) + (m.Group("руководители ДОУ", count=5),)
    protocol = minimal(participants=replace(minimal().participants, present=present))
    view, _ = build_view(protocol)
    assert view["present"]["summary"] == "21 человек (список прилагается)"
    assert view["present"]["attached"] is True
    assert len(view["present"]["rows"]) == 17
    view, _ = build_view(protocol, Settings(participants_threshold=16))
    assert view["present"]["summary"] is None


def test_groups_with_counts_members_and_bare_names():
    present = (
        m.Group("руководители образовательных учреждений", count=15),
        m.Group("сотрудники отдела", count=4, members=(m.Person("Морозова О.Д.", position="заведующий"),)),
        m.Group("Директора школ", members=(m.Person("Сосновская В. И."), m.Person("Вахромова Т. А."))),
    )
    view, _ = build_view(minimal(participants=replace(minimal().participants, present=present)))
    rows = [(r["kind"], r["name"], r["position"]) for r in view["present"]["rows"]]
    assert rows == [
        ("group", "руководители образовательных учреждений – 15 человек", None),
        ("group", "сотрудники отдела – 4 человека:", None),
        ("member", f"Морозова{NB}О.Д.", "заведующий"),
        ("group", f"Директора школ: Сосновская{NB}В.{NB}И., Вахромова{NB}Т.{NB}А.", None),
    ]
    assert view["present"]["count"] == 15 + 4 + 2


def test_chair_null_prints_nothing():
    protocol = load(PROTOCOLS / "2021" / "2021-09-02.yaml")  # `chair: null`: the original names none
    view, _ = build_view(protocol)
    assert view["chair"] is None
    assert view["secretary"]["name"] == f"С.{NB}В.{NB}Червова"


# ---------------------------------------------------------------- extracts, forms, dates


def test_extract_keeps_chosen_items_with_their_numbers_and_certifies():
    protocol = load(KITCHEN)
    settings, problems = load_settings(KITCHEN_ARCHIVE)
    assert problems == []
    view, _ = build_view(protocol, settings, RenderOptions(extract=True, items=("2",)))
    assert view["kind_title"] == "ВЫПИСКА ИЗ ПРОТОКОЛА"
    assert [q["label"] for q in view["questions"]] == ["2."]
    assert [a["label"] for a in view["agenda"]] == ["2."]
    assert view["sections"] == [] and view["appendix"] == []
    assert view["certification"] == {"label": "Верно", "position": "начальник отдела кадров", "name": f"П.С.{NB}Громова",
                                     "date": None, "blank_date": True}
    by = m.Person("Морозова О.Д.", position="заведующий")
    view, _ = build_view(protocol, settings, RenderOptions(extract=True, certify_by=by, certify_date=date(2024, 3, 20)))
    assert view["certification"]["name"] == f"О.Д.{NB}Морозова"
    assert view["certification"]["date"] == "20.03.2024"
    assert view["certification"]["blank_date"] is False


def test_extract_without_a_certifier_warns_and_leaves_the_block_blank():
    view, problems = build_view(minimal(agenda=(item(),)), Settings(), RenderOptions(extract=True))
    assert view["certification"]["name"] == "" and view["certification"]["blank_date"]
    assert [p.code for p in problems] == ["render-no-certifier"]


def test_a_stored_extract_prints_its_own_certification_with_an_empty_label():
    view, problems = build_view(load(PROTOCOLS / "2022" / "2022-12-25-1.yaml"))
    assert view["extract"] is True
    assert view["certification"] == {"label": "", "position": "Заведующий отделом образования", "name": f"О.Д.{NB}Морозова",
                                     "date": None, "blank_date": False}
    assert problems == []


def test_short_form_keeps_speakers_and_decisions_only():
    protocol = load(KITCHEN)
    full, _ = build_view(protocol)
    short, _ = build_view(protocol, options=RenderOptions(form="short"))
    question = short["questions"][0]
    assert question["heard"][0]["who"] == full["questions"][0]["heard"][0]["who"]
    assert question["heard"][0]["lines"] == [] and question["spoke"][0]["lines"] == []
    assert question["discussed"] is None
    assert question["blocks"] == full["questions"][0]["blocks"]


def test_dates_follow_the_setting():
    assert build_view(minimal())[0]["date"] == "14 мая 2024 г."
    assert build_view(minimal(), Settings(date_style="numeric"))[0]["date"] == "14.05.2024"


# ---------------------------------------------------------------- text a document cannot hold


def test_clean_text_removes_control_characters_and_keeps_layout():
    assert clean_text("a\x07b\x0cc\td\ne\r\nf\x85") == ("abc\td\ne\nf", ["U+0007", "U+000C", "U+0085"])
    assert clean_text("обычный текст") == ("обычный текст", [])


def test_clean_protocol_warns_with_the_position_of_the_text():
    protocol = load(KITCHEN)
    cleaned, problems = clean_protocol(protocol)
    assert {(p.code, p.severity) for p in problems} == {("render-control-character", "warning")}
    lines = sorted(p.line for p in problems)
    source = KITCHEN.read_text(encoding="utf-8").splitlines()
    assert all("\\x" in source[line - 1] or "who:" in source[line - 1] for line in lines)
    heard = cleaned.agenda[1].heard[0].text
    assert heard == "Звонок  и перевод страницы."
    assert protocol.agenda[1].heard[0].text != heard  # the model itself is not changed


# ---------------------------------------------------------------- names never break inside


@pytest.mark.parametrize("name,printed", [
    ("Комарова Т. Ю.", f"Комарова{NB}Т.{NB}Ю."),  # the brief's example
    ("Шилова Е. Б.", f"Шилова{NB}Е.{NB}Б."),  # the line broke as «Шилова Е. / Б.»
    ("Мингалеева М. В", f"Мингалеева{NB}М.{NB}В"),  # the last dot missing, as written in seed 000
    ("Иванова Н.В.", f"Иванова{NB}Н.В."),
    ("С. В. Червова", f"С.{NB}В.{NB}Червова"),
    ("Н.В. Кармазина", f"Н.В.{NB}Кармазина"),
    ("Н.В.Иванова", "Н.В.Иванова"),  # no space to bind
    ("Иванова Наталья Викторовна", "Иванова Наталья Викторовна"),  # in full: no initials, may wrap between words
    ("отдел образования", "отдел образования"),  # not a person
    ("Управление образования (С.А. Пахомова)", "Управление образования (С.А. Пахомова)"),  # not a name as a whole
])
def test_printed_names_bind_initials_with_non_breaking_spaces(name, printed):
    assert printed_name(name) == printed


def test_every_printed_name_binds_its_initials_but_free_text_stays_as_written():
    protocol = load(DATA / "render" / "long" / "2024-05-30-5.yaml")
    view, _ = build_view(protocol)
    assert view["chair"]["line"] == f"Кондратьева{NB}М.{NB}В., заведующая отделом образования"
    assert view["secretary"]["name"] == f"Финагина{NB}Г.{NB}И."
    rows = view["present"]["rows"]
    assert rows[0]["name"] == f"Зелова{NB}Т.{NB}Н."
    assert f"Вахромова{NB}Т.{NB}А., Мингалеева{NB}М.{NB}В., Шилова{NB}Е.{NB}Б.," in rows[2]["name"]
    assert view["agenda"][0]["speakers"] == f"Комарова{NB}Т.{NB}Ю., заместитель заведующего отделом образования"
    first = view["questions"][0]
    assert first["heard"][0]["who"] == f"Комарову{NB}Т.{NB}Ю."  # declined, then bound
    assert [s["who"] for s in first["spoke"]] == [f"Шилова{NB}Е.{NB}Б.", f"Паскина{NB}Е.{NB}Л."]
    assert first["blocks"][-2]["responsible"] == f"Шилова{NB}Е.{NB}Б., Паскина{NB}Е.{NB}Л."
    assert first["blocks"][0]["text"] == "Информацию Комаровой Т. Ю. принять к сведению."  # the secretary's own text
    assert [s["name"] for s in view["signatures"]] == [f"М.{NB}В.{NB}Кондратьева", f"Г.{NB}И.{NB}Финагина"]
    by = m.Person("Громова П. С.", position="начальник отдела кадров")
    view, _ = build_view(protocol, options=RenderOptions(extract=True, certify_by=by))
    assert view["certification"]["name"] == f"П.С.{NB}Громова"


def test_only_numbered_questions_form_the_printed_agenda():
    from conftest import PROTOCOLS
    from protokol.load import load_protocol
    from protokol.render import RenderOptions, build_view
    from protokol.settings import Settings

    seed_002, _ = load_protocol(PROTOCOLS / "2022/2022-12-25-1.yaml")
    seed_003, _ = load_protocol(PROTOCOLS / "2021/2021-09-02.yaml")
    assert [a["key"] for a in build_view(seed_002, Settings(), RenderOptions())[0]["agenda"]] == ["5"]
    assert build_view(seed_003, Settings(), RenderOptions())[0]["agenda"] == []


# ---------------------------------------------------------------- signatures and the people directory


def test_without_a_signatures_key_the_chair_and_the_secretary_sign():
    view, _ = build_view(minimal())
    assert view["signatures"] == [{"role": "Председатель", "name": f"О.В.{NB}Никитина"},
                                  {"role": "Секретарь", "name": f"Т.С.{NB}Фролова"}]
    nobody = replace(minimal(), participants=m.Participants(secretary=m.Person("Фролова Т.С.")))
    assert [s["role"] for s in build_view(nobody)[0]["signatures"]] == ["Секретарь"]


def test_signatures_written_as_an_empty_list_print_none():
    """`signatures: []` says the paper is signed by nobody (2020-12-22): no lines are made up."""
    protocol = load(PROTOCOLS / "2020" / "2020-12-22.yaml")
    assert build_view(protocol)[0]["signatures"] == []
    written = replace(minimal(), signatures=(m.Signature("Председатель совета", "О.В. Никитина"),))
    assert build_view(written)[0]["signatures"] == [{"role": "Председатель совета", "name": f"О.В.{NB}Никитина"}]


def test_participants_named_alone_take_their_positions_from_people_yaml(tmp_path):
    from protokol.people import load_people

    (tmp_path / "people.yaml").write_text(
        "people:\n  - {name: Никитина О.В., position: начальник управления образования}\n"
        "  - {name: Соколова Е.М., position: специалист ЦОКО}\n", encoding="utf-8")
    directory, problems = load_people(tmp_path)
    assert not problems
    parts = m.Participants(chair=m.Person("Никитина О. В."), secretary=m.Person("Фролова Т.С."),
                           invited=(m.Person("Соколова Е.М."), m.Person("Белкин Д.В.", position="директор")))
    view, _ = build_view(replace(minimal(), participants=parts), directory=directory)
    assert view["chair"]["line"] == f"Никитина{NB}О.{NB}В., начальник управления образования"
    assert [r["text"] for r in view["invited"]["rows"]] == [f"Соколова{NB}Е.М. – специалист ЦОКО",
                                                            f"Белкин{NB}Д.В. – директор"]
    assert build_view(replace(minimal(), participants=parts))[0]["invited"]["rows"][0]["position"] is None


def test_speakers_named_alone_take_positions_and_a_role_is_not_said_twice(tmp_path):
    from protokol.people import load_people

    (tmp_path / "people.yaml").write_text(
        "people:\n  - {name: Никитина О.В., position: Председатель.}\n  - {name: Фролова Т.С., position: секретарь}\n"
        "  - {name: Соколова Е.М., position: специалист ЦОКО}\n", encoding="utf-8")
    directory, _problems = load_people(tmp_path)
    agenda = (item(speakers=(m.Person("Соколова Е.М."), m.Person("Белкин Д.В."))),)
    view, _ = build_view(minimal(agenda=agenda), directory=directory)
    assert view["agenda"][0]["speakers"] == f"Соколова{NB}Е.М., специалист ЦОКО; Белкин{NB}Д.В."
    assert (view["chair"]["line"], view["secretary"]["line"]) == (f"Никитина{NB}О.В.", f"Фролова{NB}Т.С.")
    assert view["secretary"]["position"] is None
    assert build_view(minimal(agenda=agenda))[0]["agenda"][0]["speakers"] == f"Соколова{NB}Е.М., Белкин{NB}Д.В."
    other = m.Participants(chair=m.Person("Фролова Т.С."), secretary=m.Person("Никитина О.В."))
    view, _ = build_view(minimal(participants=other), directory=directory)  # a position of another role stays
    assert view["chair"]["line"] == f"Фролова{NB}Т.С., секретарь"
