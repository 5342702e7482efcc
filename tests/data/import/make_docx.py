"""Make the .docx test inputs of `protokol import` the way Word leaves them: tables, list numbering, split runs, bookmarks.

Run from anywhere: python tests/data/import/make_docx.py (rewrites word_tables.docx and split_runs.docx beside it).
The files are committed; this script shows how they were made and remakes them when python-docx changes.
"""

from __future__ import annotations

import copy
from pathlib import Path

from docx import Document
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt

HERE = Path(__file__).resolve().parent


def _fixed_core(doc) -> None:
    """Same bytes on every run: python-docx stamps the current time into the core properties otherwise."""
    import datetime

    props = doc.core_properties
    props.author = "protokol tests"
    props.created = props.modified = datetime.datetime(2024, 1, 1)
    props.last_modified_by = "protokol tests"
    props.revision = 1


def _num_pr(paragraph, num_id: int, ilvl: int = 0) -> None:
    ppr = paragraph._p.get_or_add_pPr()
    num_pr = OxmlElement("w:numPr")
    lvl = OxmlElement("w:ilvl")
    lvl.set(qn("w:val"), str(ilvl))
    nid = OxmlElement("w:numId")
    nid.set(qn("w:val"), str(num_id))
    num_pr.append(lvl)
    num_pr.append(nid)
    ppr.append(num_pr)


def _restart(doc, style_name: str) -> int:
    """A new list instance of a list style, restarting at 1 (Word's «Начать заново»), as w:num with startOverride."""
    numbering = doc.part.numbering_part.element
    style = doc.styles[style_name].element
    num_id = style.find(f"{qn('w:pPr')}/{qn('w:numPr')}/{qn('w:numId')}").get(qn("w:val"))
    source = next(n for n in numbering.iter(qn("w:num")) if n.get(qn("w:numId")) == num_id)
    new_id = max(int(n.get(qn("w:numId"))) for n in numbering.iter(qn("w:num"))) + 1
    num = copy.deepcopy(source)
    num.set(qn("w:numId"), str(new_id))
    for old in num.findall(qn("w:lvlOverride")):
        num.remove(old)
    override = OxmlElement("w:lvlOverride")
    override.set(qn("w:ilvl"), "0")
    start = OxmlElement("w:startOverride")
    start.set(qn("w:val"), "1")
    override.append(start)
    num.append(override)
    numbering.append(num)
    return new_id


def _multilevel(doc) -> int:
    """A two-level decimal list «1.» / «1.1.» with bullets on the third level, as Word writes it."""
    numbering = doc.part.numbering_part.element
    abstract_id = max([int(a.get(qn("w:abstractNumId"))) for a in numbering.iter(qn("w:abstractNum"))] + [0]) + 1
    abstract = OxmlElement("w:abstractNum")
    abstract.set(qn("w:abstractNumId"), str(abstract_id))
    for ilvl, (fmt, text) in enumerate((("decimal", "%1."), ("decimal", "%1.%2."), ("bullet", "–"))):
        lvl = OxmlElement("w:lvl")
        lvl.set(qn("w:ilvl"), str(ilvl))
        for tag, val in (("w:start", "1"), ("w:numFmt", fmt), ("w:lvlText", text)):
            el = OxmlElement(tag)
            el.set(qn("w:val"), val)
            lvl.append(el)
        abstract.append(lvl)
    first_num = next(numbering.iter(qn("w:num")), None)
    if first_num is not None:
        first_num.addprevious(abstract)  # abstractNum elements come before num elements in numbering.xml
    else:
        numbering.append(abstract)
    num_id = max([int(n.get(qn("w:numId"))) for n in numbering.iter(qn("w:num"))] + [0]) + 1
    num = OxmlElement("w:num")
    num.set(qn("w:numId"), str(num_id))
    ref = OxmlElement("w:abstractNumId")
    ref.set(qn("w:val"), str(abstract_id))
    num.append(ref)
    numbering.append(num)
    return num_id


def _table(doc, rows, widths=None):
    table = doc.add_table(rows=0, cols=len(rows[0]))
    table.style = "Table Grid"
    for row in rows:
        cells = table.add_row().cells
        for cell, text in zip(cells, row, strict=True):
            cell.text = text
    return table


def word_tables() -> None:
    """A protocol typed in Word: letterhead, a date/number table, participants and decisions as tables."""
    doc = Document()
    _fixed_core(doc)
    style = doc.styles["Normal"]
    style.font.name = "Times New Roman"
    style.font.size = Pt(14)
    for text in ("Муниципальное казённое учреждение", "«Управление образования Лихославльского муниципального округа»"):
        p = doc.add_paragraph()
        p.add_run(text).bold = True
    doc.add_paragraph()
    p = doc.add_paragraph()
    p.add_run("ПРОТОКОЛ").bold = True
    doc.add_paragraph("совещания руководителей общеобразовательных организаций")
    _table(doc, [["25.04.2024", "№ 4"]])
    doc.add_paragraph("г. Лихославль")
    doc.add_paragraph("Председатель: Никитина О.В., начальник Управления образования")
    doc.add_paragraph("Секретарь: Фролова Т.С., методист")
    doc.add_paragraph("Присутствовали:")
    _table(doc, [["ФИО", "Должность"],
                 ["Белова И.Г.", "директор МОУ «Лихославльская СОШ № 1»"],
                 ["Громов П.С.", "директор МОУ «Крючковская СОШ»"],
                 ["Черных А.А.", "директор МОУ «Вёскинская ООШ»"]])
    doc.add_paragraph("Повестка дня:")
    for text in ("О проведении государственной итоговой аттестации в 2024 году.",
                 "Об организации летнего отдыха детей."):
        doc.add_paragraph(text, style="List Number")
    doc.add_paragraph("По первому вопросу")
    doc.add_paragraph("СЛУШАЛИ: Фролову Т.С., методиста, – о готовности пунктов проведения экзаменов.")
    doc.add_paragraph("РЕШИЛИ:")
    _table(doc, [["№", "Мероприятие", "Срок", "Ответственный"],
                 ["1.", "Обеспечить готовность пунктов проведения экзаменов", "до 20.05.2024", "Белова И.Г."],
                 ["2.", "Провести инструктаж организаторов ППЭ", "в течение 10 рабочих дней", "руководители ОО"],
                 ["3.", "Разместить информацию о ГИА на сайтах школ", "постоянно", "руководители ОО, Фролова Т.С."]])
    doc.add_paragraph("По второму вопросу")
    doc.add_paragraph("СЛУШАЛИ: Никитину О.В. – об организации летнего отдыха детей.")
    doc.add_paragraph("РЕШИЛИ:")
    restart = _restart(doc, "List Number")
    for text in ("Руководителям ОО обеспечить открытие лагерей с дневным пребыванием детей к 1 июня 2024 г.",
                 "Черных А.А. представить списки детей до 20 мая."):
        p = doc.add_paragraph(text, style="List Number")
        _num_pr(p, restart)
    doc.add_paragraph()
    _table(doc, [["Председатель", "О.В. Никитина"], ["Секретарь", "Т.С. Фролова"]])
    doc.save(HERE / "word_tables.docx")


def _split_runs(paragraph, text: str, size: int = 3) -> None:
    """Add `text` in runs of a few characters with alternating formatting, as Word does after edits and spell checks."""
    for i in range(0, len(text), size):
        run = paragraph.add_run(text[i:i + size])
        run.italic = bool((i // size) % 2)


def _bookmark(paragraph, name: str = "_GoBack") -> None:
    start = OxmlElement("w:bookmarkStart")
    start.set(qn("w:id"), "0")
    start.set(qn("w:name"), name)
    end = OxmlElement("w:bookmarkEnd")
    end.set(qn("w:id"), "0")
    paragraph._p.append(start)
    paragraph._p.append(end)


def split_runs() -> None:
    """An extract whose paragraphs are split into many runs, with a bookmark, a multi-level list and «Верно»."""
    doc = Document()
    _fixed_core(doc)
    num = _multilevel(doc)
    for text in ("Отдел образования администрации", "Молоковского муниципального округа"):
        _split_runs(doc.add_paragraph(), text)
    doc.add_paragraph()
    p = doc.add_paragraph()
    _split_runs(p, "ВЫПИСКА ИЗ ПРОТОКОЛА № 5", 2)
    _split_runs(doc.add_paragraph(), "совещания заместителей директоров по учебно-воспитательной работе")
    p = doc.add_paragraph()
    _bookmark(p)
    _split_runs(p, "от 19 марта 2024 года")
    _split_runs(doc.add_paragraph(), "Председатель – Соколова Н.А., заведующий отделом образования")
    _split_runs(doc.add_paragraph(), "Секретарь – Алексеева Ю.В., методист")
    _split_runs(doc.add_paragraph(), "Присутствовали: 9 человек (список прилагается)")
    _split_runs(doc.add_paragraph(), "Повестка дня:")
    p = doc.add_paragraph()
    _split_runs(p, "3. О результатах всероссийских проверочных работ (Алексеева Ю.В.)")
    p = doc.add_paragraph()
    _split_runs(p, "По третьему вопросу")
    p = doc.add_paragraph()
    _split_runs(p, "СЛУШАЛИ: Алексееву Ю.В., методиста, которая проанализировала результаты ВПР.")
    p.add_run().add_break()  # a soft line break inside the paragraph (Shift+Enter)
    _split_runs(p, "Объективность результатов подтверждена в 8 школах из 9.")
    _split_runs(doc.add_paragraph(), "ПОСТАНОВИЛИ:")
    items = [
        (0, "Заместителям директоров по УВР:"),
        (1, "провести анализ результатов ВПР на заседаниях ШМО;"),
        (1, "скорректировать рабочие программы по предметам."),
        (0, "Заместителю директора по УВР МОУ «Молоковская СОШ» Кравец И.И.:"),
        (1, "обеспечить объективность проведения ВПР;"),
        (1, "организовать перекрёстную проверку работ."),
    ]
    for ilvl, text in items:
        p = doc.add_paragraph()
        _num_pr(p, num, ilvl)
        _split_runs(p, text, 4)
    _split_runs(doc.add_paragraph(), "Срок: до 15.04.2024")
    p = doc.add_paragraph()
    _num_pr(p, num, 0)
    _split_runs(p, "Информацию принять к сведению.", 5)
    doc.add_paragraph()
    _split_runs(doc.add_paragraph(), "Председатель\t\tН.А. Соколова")
    _split_runs(doc.add_paragraph(), "Секретарь\t\tЮ.В. Алексеева")
    doc.add_paragraph()
    _split_runs(doc.add_paragraph(), "Верно")
    _split_runs(doc.add_paragraph(), "Методист отдела образования")
    _split_runs(doc.add_paragraph(), "Ю.В. Алексеева")
    _split_runs(doc.add_paragraph(), "20.03.2024")
    doc.save(HERE / "split_runs.docx")


if __name__ == "__main__":
    word_tables()
    split_runs()
