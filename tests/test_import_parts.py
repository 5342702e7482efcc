"""The importer's parts: reading sources (encodings, Word artefacts, DOCX runs and numbering) and the Russian words."""

from __future__ import annotations

import io

import pytest

from conftest import DATA, TODAY
from protokol.importers import words as w
from protokol.importers.parse import parse_lines
from protokol.importers.source import Source, decode, docx_lines, read_source, text_lines
from protokol.model import walk_decisions

IMPORT = DATA / "import"


# ------------------------------------------------------------------------------------------------------ sources
def test_cp1251_is_detected_converted_and_noted():
    source = read_source(IMPORT / "rmo_cp1251.txt")
    assert source.lines[0].text == "Районное методическое объединение учителей математики"
    assert [n for _line, n in source.notes] == ["the file is in Windows-1251 (cp1251); it was converted to UTF-8"]


def test_utf8_with_bom_and_utf16_are_read():
    assert decode("\ufeffПротокол".encode()) == ("Протокол", None)
    text, note = decode("Протокол".encode("utf-16"))
    assert text == "Протокол" and "UTF-16" in note


def test_crlf_tabs_spaces_and_word_artefacts_are_cleaned_with_line_numbers_kept():
    raw = "ПРОТОКОЛ\r\n\r\n[bookmark: _GoBack]  от   25\tдекабря 2022 года\r\nСрок:\u00a0постоянно\u00ad\r\n"
    lines = text_lines(raw)
    assert [(x.no, x.text) for x in lines] == [(1, "ПРОТОКОЛ"), (3, "от 25 декабря 2022 года"), (4, "Срок: постоянно")]
    assert lines[1].blank_before and lines[1].raw.startswith("  от   25\t")


def test_pipe_tables_become_rows_and_rules_vanish():
    lines = text_lines("| ФИО | Должность |\n|---|---|\n| Ипагова И.М. | - заместитель |\n", markdown=True)
    assert [x.cells for x in lines] == [("ФИО", "Должность"), ("Ипагова И.М.", "- заместитель")]


def test_markdown_bold_headings_and_links():
    lines = text_lines("## **ПРОТОКОЛ № 3**\nФормат: онлайн <https://example.org/x>\n", markdown=True)
    assert [x.text for x in lines] == ["ПРОТОКОЛ № 3", "Формат: онлайн https://example.org/x"]


def _docx(build) -> bytes:
    from docx import Document

    doc = Document()
    build(doc)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def test_docx_runs_are_joined_and_bookmarks_leave_no_trace():
    docx = pytest.importorskip("docx")
    assert docx

    def build(doc):
        p = doc.add_paragraph()
        for piece in ("ВЫП", "ИСКА ИЗ ", "ПРОТ", "ОКОЛА № 5"):
            p.add_run(piece).bold = True
        from docx.oxml import OxmlElement
        from docx.oxml.ns import qn

        start = OxmlElement("w:bookmarkStart")
        start.set(qn("w:id"), "0")
        start.set(qn("w:name"), "_GoBack")
        p._p.append(start)
        doc.add_paragraph("Председатель\tН.А. Соколова")

    lines = docx_lines(_docx(build))
    assert [x.text for x in lines] == ["ВЫПИСКА ИЗ ПРОТОКОЛА № 5", "Председатель Н.А. Соколова"]
    assert "\t" in lines[1].raw


def test_docx_list_numbers_come_from_numbering_and_tables_keep_body_order():
    def build(doc):
        doc.add_paragraph("Повестка дня:")
        doc.add_paragraph("Первый вопрос", style="List Number")
        doc.add_paragraph("Второй вопрос", style="List Number")
        table = doc.add_table(rows=1, cols=2)
        table.rows[0].cells[0].text = "Председатель"
        table.rows[0].cells[1].text = "О.В. Никитина"
        doc.add_paragraph("пункт", style="List Bullet")

    lines = docx_lines(_docx(build))
    assert [x.text for x in lines] == ["Повестка дня:", "1. Первый вопрос", "2. Второй вопрос",
                                       "Председатель | О.В. Никитина", "- пункт"]
    assert lines[3].cells == ("Председатель", "О.В. Никитина")
    assert [x.no for x in lines] == [1, 2, 3, 4, 6]  # a row is numbered by its first cell's paragraph


def test_split_runs_docx_restores_multilevel_numbers():
    texts = [x.text for x in read_source(IMPORT / "split_runs.docx").lines]
    assert "1. Заместителям директоров по УВР:" in texts
    assert "2.2. организовать перекрёстную проверку работ." in texts
    assert "от 19 марта 2024 года" in texts


def test_unknown_suffix_and_broken_docx_are_source_errors(tmp_path):
    from protokol.importers.source import SourceError

    (tmp_path / "a.pdf").write_bytes(b"%PDF")
    (tmp_path / "b.docx").write_bytes(b"not a zip")
    for name in ("a.pdf", "b.docx"):
        with pytest.raises(SourceError):
            read_source(tmp_path / name)


# ------------------------------------------------------------------------------------------------------ words
@pytest.mark.parametrize("written, case, nominative", [
    ("Комарову Т. Ю.", "accusative", "Комарова Т. Ю."),
    ("Н.В.Иванову", "accusative", "Н.В.Иванова"),
    ("Белкина Д.В.", "accusative", "Белкин Д.В."),
    ("Соловьёву Е.А.", "accusative", "Соловьёва Е.А."),
    ("Исаеву Р.Р.", "dative", "Исаев Р.Р."),
    ("Ивановой Н.В.", "dative", "Иванова Н.В."),
    ("Соловьёвой Е.А.", "dative", "Соловьёва Е.А."),
    ("Черных А.А.", "dative", "Черных А.А."),
])
def test_names_come_back_to_the_nominative(written, case, nominative):
    assert w.to_nominative(written, case)[0] == nominative


def test_a_form_that_is_also_a_nominative_is_uncertain():
    assert w.to_nominative("Иванова И.И.", "accusative") == ("Иванов И.И.", False)
    assert w.to_nominative("Комарову Т. Ю.", "accusative") == ("Комарова Т. Ю.", True)


@pytest.mark.parametrize("lead, executors", [
    ("Руководителям ОО:", ["руководители ОО"]),
    ("Администрациям ОУ:", ["администрации ОУ"]),
    ("Руководителям МОУ:", ["руководители МОУ"]),
    ("Управлению образования комитета социального развития (С.А. Пахомова) и МАУ ДПО ЦРО (Л.В. Иконникова):",
     ["Управление образования комитета социального развития (С.А. Пахомова)", "МАУ ДПО ЦРО (Л.В. Иконникова)"]),
    ("Отделу образования:", ["Отдел образования"]),
    ("Заместителю директора по УВР Соловьёвой Е.А.:", ["заместитель директора по УВР Соловьёва Е.А."]),
    ("Классным руководителям 1-4 классов и советникам директоров по воспитанию:",
     ["классные руководители 1-4 классов", "советники директоров по воспитанию"]),
    ("Исаеву Р.Р.:", ["Исаев Р.Р."]),
])
def test_lead_lines_in_the_dative_name_executors_in_the_nominative(lead, executors):
    assert w.lead_executors(lead)[0] == executors


@pytest.mark.parametrize("lead", ["В соответствии с рекомендациями ГБУ ТО ЦОКО:", "Информацию принять к сведению:",
                                  "МАУ ДПО ЦРО:", "Руководителям ОО обеспечить"])
def test_lines_that_name_no_executor(lead):
    assert w.lead_executors(lead) is None


@pytest.mark.parametrize("text, executor", [
    ("Руководителям ОО продолжить работу по развитию системы.", "руководители ОО"),
    ("Исаеву Р.Р. обобщить опыт работы.", "Исаев Р.Р."),
    ("Старшему воспитателю Петровой А.А. подготовить материалы.", "старший воспитатель Петрова А.А."),
])
def test_executor_named_in_the_text(text, executor):
    assert w.executor_in_text(text)[0] == [executor]


def test_no_executor_in_an_ordinary_decision():
    assert w.executor_in_text("Информацию Ивановой Н.В. принять к сведению.") is None


def test_responsible_without_comma_is_split_and_flagged():
    assert w.split_responsible("отдел образования руководители ОО.") == (["отдел образования", "руководители ОО"], False)
    assert w.split_responsible("отдел образования , руководители ОО.") == (["отдел образования", "руководители ОО"], True)
    assert w.split_responsible("классные руководители, Соловьёва Е.А.") == (["классные руководители", "Соловьёва Е.А."], True)


@pytest.mark.parametrize("text, found", [
    ("Дата – 27.08.2023г", "2023-08-27"), ("от 25 декабря 2022 года", "2022-12-25"), ("09 января 2024 года", "2024-01-09"),
    ("«02» сентября 2021", "2021-09-02"), ('"11" октября 2023 г.', "2023-10-11"), ("2024-05-14", "2024-05-14"),
])
def test_dates_in_the_forms_of_the_seeds(text, found):
    assert w.find_date(text)[0].isoformat() == found


@pytest.mark.parametrize("text, kind", [
    ("СЛУШАЛИ: Иванову", "heard"), ("Слушали:", "heard"), ("С Л У Ш А Л И:", "heard"), ("2. СЛУШАЛИ:", "heard"),
    ("РЕШИЛИ:", "decided"), ("Решение:", "decided"), ("РЕШЕНИЕ:", "decided"), ("ПОСТАНОВИЛИ:", "decided"),
    ("Р Е Ш И Л И :", "decided"), ("ПРИНЯТО РЕШЕНИЕ:", "decided"), ("Выступили:", "spoke"), ("Обсудили: модели", "discussed"),
    ("ГОЛОСОВАЛИ: «за» – 34", "votes"), ("Решили провести семинар", None), ("Решение о проведении", None),
])
def test_labels_in_any_case_and_punctuation(text, kind):
    found = w.discussion_label(text)
    assert (found[0] if found else None) == kind


# ------------------------------------------------------------------------------------------------------ parsing
def _parse(text: str):
    source = Source("x.txt", text_lines(text))
    return parse_lines(source)


def test_no_date_is_a_clear_failure():
    result = _parse("ПРОТОКОЛ\nсовещания\nРЕШИЛИ:\n1. Сделать.\n")
    assert result.protocol is None and "no meeting date" in result.fatal


def test_lines_that_fit_no_field_are_kept_and_reported():
    result = _parse("ПРОТОКОЛ № 2\nсовещания\n12.03.2024\nЗаметка на полях без подписи\nРЕШИЛИ:\n"
                    "1. Сделать отчёт.\nГОЛОСОВАЛИ: единогласно\nПримечание секретаря о переносе совещания\n")
    p = result.protocol
    assert p.sections[0].text == "Заметка на полях без подписи"
    assert p.agenda[0].decided[0].note == "Примечание секретаря о переносе совещания"
    assert {s.line for s in result.spots} >= {4, 8}


def test_srok_after_a_group_goes_to_the_lead_and_after_an_item_to_the_item():
    result = _parse("ПРОТОКОЛ\nсовещания\n12.03.2024\nРЕШИЛИ:\n1. Руководителям ОО:\n- сделать А;\n- сделать Б.\n"
                    "Срок: до 01.04.2024\n2. Отделу образования:\n- сделать В;\nСрок: постоянно\n- сделать Г.\n"
                    "Срок: до 20 мая\n")
    refs = {r.decision.key: r for r in walk_decisions(_identity(result.protocol))}
    assert (refs["1.1"].decision.deadline, refs["1.1"].responsible) == ("до 01.04.2024", ("руководители ОО",))
    assert refs["1.1.1"].deadline == refs["1.1.2"].deadline == "до 01.04.2024"  # inherited from the lead
    assert (refs["1.2.1"].decision.deadline, refs["1.2.1"].responsible) == ("постоянно", ("Отдел образования",))
    assert refs["1.2.2"].decision.deadline == "до 20 мая"
    assert refs["1.2"].decision.deadline is None


def test_deadline_inside_the_text_and_nobody_responsible():
    result = _parse("ПРОТОКОЛ\nсовещания\n12.03.2024\nРЕШИЛИ:\n1. Представить отчёт о результатах до 01 июля 2024 года.\n")
    d = result.protocol.agenda[0].decided[0]
    assert (d.text, d.deadline, d.responsible) == ("Представить отчёт о результатах до 01 июля 2024 года.",
                                                   "до 01 июля 2024 года", ())


def _identity(protocol):
    from protokol.schema import with_identity

    return with_identity(protocol, "x", "x.yaml")


def test_imported_deadlines_parse_for_check():
    from protokol.deadlines import parse_deadline

    for name in ("pedsovet.txt", "online.md", "extract_verno.txt"):
        protocol = parse_lines(read_source(IMPORT / name)).protocol
        for ref in walk_decisions(_identity(protocol)):
            if ref.decision.deadline:
                assert parse_deadline(ref.decision.deadline, protocol.date, TODAY).kind in ("date", "recurring", "ongoing", "as_needed")


def test_a_number_printed_twice_is_made_unique_and_reported():
    from protokol.dump import dump_protocol
    from protokol.importers.run import verify

    result = _parse("ПРОТОКОЛ\nсовещания\n12.03.2024\nПовестка дня:\n1. Первый вопрос\n1. Второй вопрос\nРЕШИЛИ:\n"
                    "1. Сделать А.\n2. Сделать Б.\n1. Сделать В.\n")
    numbers = [d.number for d in result.protocol.agenda[0].decided]
    assert numbers == ["1", "2", "1-2"]
    assert any("decision number 1.1 appears twice" in s.note and s.line == 10 for s in result.spots)
    # a repeated agenda number opens that question's discussion (seed 002: «5. Иванова А.О., …:» after «5. Анализ …»)
    assert [(i.number, i.heading) for i in result.protocol.agenda] == [("1", "Второй вопрос")]
    assert verify(dump_protocol(result.protocol), "2024-03-12.yaml", TODAY) == []
