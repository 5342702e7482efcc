"""The rules `protokol import` reads real minutes by (issue #19): dates without «от», the family of decision
headings, decisions on the heading's line, fields in brackets, after a dash and inside the text, text pasted without
line breaks, and the guarantee that a line looking like a decision is never demoted silently."""

from __future__ import annotations

from datetime import date

import pytest

from protokol.importers.dates import blank_date, date_in_name, heading_date
from protokol.importers.guesses import bracket_fields, control_executor, looks_like_decision, loose_deadline
from protokol.importers.headings import decision_heading, same_line_decisions
from protokol.importers.parse import parse_lines
from protokol.importers.reflow import reflow
from protokol.importers.source import Source, text_lines
from protokol.model import walk_decisions


def _parse(text: str, name: str = "x.txt", given=None):
    return parse_lines(Source(name, text_lines(text)), given)


def _decisions(result) -> list[tuple]:
    return [(r.decision.text, r.deadline, tuple(r.responsible)) for r in walk_decisions(result.protocol)]


# ---------------------------------------------------------------------------------------------------------- dates
@pytest.mark.parametrize("text, day, number, rest", [
    ("Решение совета 12 марта 2019 года № 3", date(2019, 3, 12), "3", "Решение совета"),
    ("Протокол заседания 05.04.2022 г.", date(2022, 4, 5), None, "Протокол заседания"),
])
def test_a_heading_names_the_date_without_ot(text, day, number, rest):
    found = heading_date(text)
    assert (found.day, found.number, found.rest) == (day, number, rest)


@pytest.mark.parametrize("text", ["Провести семинар 12 марта 2019 года. Ответственный: Иванова И.И.",
                                  "Совещание состоится 12 марта 2019 года", "Об итогах работы"])
def test_a_sentence_with_a_date_is_no_heading(text):
    assert heading_date(text) is None


@pytest.mark.parametrize("text, rest", [("от __.__.20__ г.", ""), ("совещания от ..20 г.", "совещания"),
                                        ("«___» ________ 20__ г.", "")])
def test_a_date_left_blank_is_taken_out(text, rest):
    assert blank_date(text) == rest


@pytest.mark.parametrize("name, day", [("2023-11-14 совещание.txt", date(2023, 11, 14)),
                                       ("protokol_14.11.2023.docx", date(2023, 11, 14)),
                                       ("sovet_2023_02_30.txt", None), ("protokol-12.txt", None)])
def test_a_date_in_the_file_name(name, day):
    assert date_in_name(name) == day


def test_odd_spacing_and_a_heading_date_give_the_meeting_date():
    spaced = _parse("ПРОТОКОЛ №2\nзаседания педагогического совета\nот  18.10.2023 г.\nРЕШИЛИ:\n1. Принять к сведению.\n")
    assert spaced.protocol.date == date(2023, 10, 18)
    heading = _parse("Управляющий совет\nРешение совета 12 марта 2019 года № 3\nРЕШАЕТ:\n1. Согласовать программу.\n")
    assert (heading.protocol.date, heading.protocol.number) == (date(2019, 3, 12), "3")
    assert any("read from the heading" in s.note and s.line == 2 for s in heading.spots)


def test_the_documents_date_wins_over_the_given_one_with_a_note():
    from protokol.importers.dates import Given

    text = "ПРОТОКОЛ № 1\nсовещания\nот 12.03.2024\nРЕШИЛИ:\n1. Принять к сведению.\n"
    result = _parse(text, given=Given(date(2024, 3, 1), "option"))
    assert result.protocol.date == date(2024, 3, 12)
    assert any("--date says" in s.note for s in result.spots)
    blank = _parse("ПРОТОКОЛ № ___\nсовещания\nот __.__.20__ г.\nРЕШИЛИ:\n1. Принять.\n", given=Given(date(2024, 3, 1), "option"))
    assert (blank.protocol.date, blank.protocol.title) == (date(2024, 3, 1), "совещания")
    assert not _parse("ПРОТОКОЛ\nсовещания\nот __.__.20__ г.\nРЕШИЛИ:\n1. Принять.\n").protocol


# ------------------------------------------------------------------------------------------------------- headings
@pytest.mark.parametrize("text, rest, intro", [
    ("Коллегия РЕШИЛА:", "", None),
    ("Заслушав и обсудив информацию, в соответствии с уставом школы, управляющий совет РЕШАЕТ:", "",
     "Заслушав и обсудив информацию, в соответствии с уставом школы, управляющий совет РЕШАЕТ:"),
    ("Решения родительского собрания по третьему вопросу:", "", None),
    ("Поручения по итогам рассмотрения вопроса:", "", None),
    ("Поручить:", "", "Поручить:"),
    ("Рекомендовать: учителям провести уроки", "учителям провести уроки", "Рекомендовать:"),
])
def test_the_family_of_decision_headings(text, rest, intro):
    found = decision_heading(text)
    assert (found.rest, found.intro) == (rest, intro)


@pytest.mark.parametrize("text", ["Решили провести семинар в мае", "Учителя решили, что", "Решение о проведении. Далее:",
                                  "Рекомендовать учителям провести уроки"])
def test_sentences_are_no_headings(text):
    assert decision_heading(text) is None


def test_decisions_on_the_line_of_reshili():
    assert same_line_decisions("1) Организовать питание до 18 сентября. 2) Родителям внести оплату.") == [
        ("1", "Организовать питание до 18 сентября."), ("2", "Родителям внести оплату.")]
    assert same_line_decisions("принять информацию к сведению; родителям контролировать задания") == [
        (None, "принять информацию к сведению"), (None, "родителям контролировать задания")]
    assert same_line_decisions("принять к сведению") == [(None, "принять к сведению")]


def test_a_question_headed_by_number_with_informatsiya_and_poruchit():
    result = _parse("ПРОТОКОЛ № 12\nаппаратного совещания\n03.04.2023\nПрисутствовали:\nКлюева Н.В. – заместитель главы\n"
                    "1. О подготовке к паводку.\nИнформация Щукина В.В.\nПоручить:\n1.1. Щукину В.В. провести проверку "
                    "до 10 апреля 2023 г.\n2. О ходе исполнения бюджета.\nИнформация Фоминой А.С.\nПоручить:\n"
                    "2.1. Фоминой А.С. представить анализ – в течение недели.\n3 . Разное.\nПринять к сведению информацию.\n")
    agenda = result.protocol.agenda
    assert [(i.number, i.title) for i in agenda] == [("1", "О подготовке к паводку."), ("2", "О ходе исполнения бюджета."),
                                                     ("3", "Разное.")]
    assert agenda[0].heard[0].who[0].name == "Щукин В.В."  # the genitive after «Информация» put back
    assert _decisions(result) == [
        ("Щукину В.В. провести проверку до 10 апреля 2023 г.", "до 10 апреля 2023 г.", ("Щукин В.В.",)),
        ("Фоминой А.С. представить анализ – в течение недели.", "в течение недели", ("Фомина А.С.",)),
        ("Принять к сведению информацию.", None, ())]


# ---------------------------------------------------------------------------------------------- the lost decisions
def test_a_dotted_decision_before_slushali_stays_a_decision():
    """Issue #19: «1.3. Черных А.В. подготовить … - до 01.11.2023г.» before the next СЛУШАЛИ became a question."""
    result = _parse("ПРОТОКОЛ №2\nпедсовета\n18.10.2023\nПовестка дня:\n1. О контроле.\n2. О детях.\n"
                    "1. СЛУШАЛИ: Черных А.В.\nПОСТАНОВИЛИ:\n1.1. Принять к сведению.\n1.2. Отметить работу ШМО.\n\n"
                    "1.3. Черных А.В. подготовить справку - до 01.11.2023г.\n2. СЛУШАЛИ: Мухину Е.С.\nПОСТАНОВИЛИ:\n"
                    "2.1. Утвердить план.\n")
    assert [i.number for i in result.protocol.agenda] == ["1", "2"]
    assert [d.number for d in result.protocol.agenda[0].decided] == ["1.1", "1.2", "1.3"]
    assert _decisions(result)[2] == ("Черных А.В. подготовить справку - до 01.11.2023г.", "до 01.11.2023г", ("Черных А.В.",))


def test_a_line_that_looks_like_a_decision_is_reported_where_it_stays():
    result = _parse("ПРОТОКОЛ\nсовещания\n12.03.2024\nСЛУШАЛИ: Иванову И.И.\n"
                    "Иванова И.И. предложила: провести семинар до 1 апреля.\nРуководителям ОО подготовить отчёт до 1 мая 2024 г.\n"
                    "РЕШИЛИ:\n1. Принять к сведению.\n")
    assert [s.line for s in result.spots if "looks like a decision" in s.note] == [6]


@pytest.mark.parametrize("text, looks", [
    ("1.3. Черных А.В. подготовить справку - до 01.11.2023г.", True),
    ("Обобщить опыт. Срок: до конца учебного года. Ответственный: Черных А.В.", True),
    ("Руководителям ШМО в 2024-2025 учебном году провести уроки", True),
    ("2. Итоги мониторинга в 2023-2024 учебном году.", False),
    ("По итогам исследования эффективности в 2022 году выявлено:", False),
    ("Провести семинар для учителей", False),
])
def test_what_looks_like_a_decision(text, looks):
    assert looks_like_decision(text) is looks


# ------------------------------------------------------------------------------------------------- fields, guesses
@pytest.mark.parametrize("text, deadline, people", [
    ("Разместить график (срок исполнения — 25 октября).", "25 октября", None),
    ("Поставить на учёт (отв. Лыкова Е.П., срок – до 15.12.2023).", "до 15.12.2023", ["Лыкова Е.П."]),
    ("Провести инструктажи до 26.12.2023 (отв. классные руководители).", None, ["классные руководители"]),
    ("контролировать выполнение заданий (постоянно).", "постоянно", None),
])
def test_fields_in_brackets(text, deadline, people):
    found = bracket_fields(text)
    assert (found[0], found[1]) == (deadline, people)


@pytest.mark.parametrize("text", ["Утвердить состав (приложение 1).", "Избрать комитет (Соколова М.А.)."])
def test_a_bracket_of_other_things_gives_no_fields(text):
    assert bracket_fields(text) is None or bracket_fields(text)[0] is None


@pytest.mark.parametrize("text, phrase", [
    ("провести семинар для заместителей — в I квартале 2023 года;", "в I квартале 2023 года"),
    ("Руководителям ШМО в 2024-2025 учебном году провести открытые уроки", "в 2024-2025 учебном году"),
    ("Провести новогодние утренники 26-27 декабря 2023 года.", "26-27 декабря 2023 года"),
    ("Комиссии представить отчёт совету ежеквартально.", "ежеквартально"),
    ("Признать работу в 2023-2024 учебном году удовлетворительной.", None),
    ("Согласовать распределение фонда за I квартал 2019 года.", None),
    ("Представить анализ исполнения бюджета за I квартал 2023 года.", None),
])
def test_a_deadline_inside_the_text(text, phrase):
    assert loose_deadline(text) == phrase


def test_the_guesses_keep_the_text_and_are_noted():
    result = _parse("ПРОТОКОЛ\nсовещания\n12.03.2024\nРЕШИЛИ:\n1. Поручить Орловой В.М. подготовить информацию "
                    "к 15 апреля 2024 года.\n2. Руководителям ШМО в 2024-2025 учебном году провести уроки.\n"
                    "3. Контроль исполнения решения возложить на заместителя директора Ильина С.П.\n")
    assert _decisions(result) == [
        ("Поручить Орловой В.М. подготовить информацию к 15 апреля 2024 года.", "к 15 апреля 2024 года", ("Орлова В.М.",)),
        ("Руководителям ШМО в 2024-2025 учебном году провести уроки.", "в 2024-2025 учебном году", ("руководители ШМО",)),
        ("Контроль исполнения решения возложить на заместителя директора Ильина С.П.", None, ("Ильин С.П.",))]
    notes = {s.line: s.note for s in result.spots}
    assert "read from the text of the decision" in notes[6] and "controls the decision" in notes[7]
    assert control_executor("Контроль за выполнением возложить на постоянную комиссию.") is None


def test_participants_with_a_total_in_brackets():
    result = _parse("ПРОТОКОЛ\nсовещания\n12.03.2024\nПрисутствовали: Кравец Н.А., Черных А.В. ( всего 3 чел.)\nРЕШИЛИ:\n"
                    "1. Принять к сведению.\n")
    assert [p.name for p in result.protocol.participants.present] == ["Кравец Н.А.", "Черных А.В."]
    assert any("the total says 3" in s.note for s in result.spots)


def test_text_pasted_without_line_breaks_is_cut_at_its_parts():
    flat = ("ПРОТОКОЛ № 5 заседания методического совета от 21.02.2024 г. Председатель: Волкова Г.Н. Секретарь: Исаева Р.Р. "
            "Повестка дня: 1. О подготовке к ВПР. СЛУШАЛИ: Волкову Г.Н. о графике. РЕШИЛИ: 1.1. Утвердить график ВПР. "
            "1.2. Руководителям ШМО провести пробные ВПР до 15 марта 2024 года. Председатель Г.Н. Волкова "
            "Секретарь Р.Р. Исаева")
    lines, cut = reflow(text_lines(flat))
    assert cut == [1] and all(line.no == 1 for line in lines)
    assert [line.text for line in lines][-4:] == ["1.1. Утвердить график ВПР.",
                                                  "1.2. Руководителям ШМО провести пробные ВПР до 15 марта 2024 года.",
                                                  "Председатель Г.Н. Волкова", "Секретарь Р.Р. Исаева"]
    result = _parse(flat)
    assert result.protocol.participants.chair.name == "Волкова Г.Н."
    assert [r[2] for r in _decisions(result)] == [(), ("руководители ШМО",)]
    assert reflow(text_lines("Короткая строка. СЛУШАЛИ: Иванову И.И."))[1] == []


def test_reshili_under_a_blank_date_stays_the_label_and_reshenie_above_a_date_is_the_title():
    label = _parse("ПРОТОКОЛ № 3\nсовещания\nот __.__.20__ г.\nПредседатель – Тимофеева А.А.\nРЕШИЛИ:\n"
                   "1. Провести семинар до 1 декабря 2023 г.\n", given=None)
    assert label.protocol is None and label.no_date  # the decision's date is no meeting date
    title = _parse("КОЛЛЕГИЯ\nРЕШЕНИЕ\n22 ноября 2022 года    № 4/2\nКоллегия РЕШИЛА:\n1. Информацию принять к сведению.\n")
    assert (title.protocol.date, title.protocol.number, title.protocol.title) == (date(2022, 11, 22), "4/2", "КОЛЛЕГИЯ РЕШЕНИЕ")
    assert _decisions(title) == [("Информацию принять к сведению.", None, ())]
