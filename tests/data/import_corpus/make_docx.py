"""Make the .docx minutes of the import corpus (tuning/ and heldout/) the way Word leaves them: list numbering,
decisions with «Срок:» and «Ответственный:» inside the paragraph, tables of поручения, date tables.

Run from anywhere: python tests/data/import_corpus/make_docx.py (rewrites every .docx of the corpus). The files are
committed; this script shows how they were made and remakes them the same, byte for byte, when python-docx changes.
"""

from __future__ import annotations

import sys
from pathlib import Path

from docx import Document

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "import"))
from make_docx import _fixed_core, _multilevel, _num_pr, _restart, _table  # noqa: E402  (the helpers of the other inputs)


def _stable(path: Path) -> None:
    """The same bytes on every run: the zip's entries get one fixed time instead of the moment of saving."""
    import zipfile

    with zipfile.ZipFile(path) as old:
        entries = [(info.filename, old.read(info)) for info in old.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as new:
        for name, data in entries:
            new.writestr(zipfile.ZipInfo(name, date_time=(2024, 1, 1, 0, 0, 0)), data, zipfile.ZIP_DEFLATED)


def _new():
    doc = Document()
    _fixed_core(doc)
    return doc


def _lines(doc, *texts: str) -> None:
    for text in texts:
        doc.add_paragraph(text)


def _numbered(doc, num: int, items) -> None:
    """Paragraphs numbered by Word (level 0 «1.», level 1 «1.1.»): the numbers are not in the text."""
    for level, text in items:
        _num_pr(doc.add_paragraph(text), num, level)


def numbered_inline() -> None:
    """A педсовет typed in Word: a multi-level list of decisions, «Срок: … Ответственный: …» inside a paragraph."""
    doc = _new()
    _lines(doc, "Муниципальное общеобразовательное учреждение «Средняя школа № 7»", "", "ПРОТОКОЛ № 3",
           "заседания педагогического совета", "")
    _table(doc, [["09.01.2024", "г. Торжок"]])
    _lines(doc, "Председатель – Сидорова Е.В., директор школы", "Секретарь – Черных А.В., учитель биологии",
           "Присутствовали: 27 педагогов.", "Повестка дня:")
    agenda = _restart(doc, "List Number")
    for text in ("Об итогах первого полугодия 2023-2024 учебного года.", "О распространении педагогического опыта."):
        _num_pr(doc.add_paragraph(text, style="List Number"), agenda)
    _lines(doc, "1. СЛУШАЛИ: Сидорову Е.В. об итогах первого полугодия.", "ПОСТАНОВИЛИ:")
    num = _multilevel(doc)
    _numbered(doc, num, [
        (0, "По первому вопросу:"),
        (1, "Признать работу педагогического коллектива в первом полугодии удовлетворительной."),
        (1, "Обобщить опыт работы учителей начальных классов по формированию функциональной грамотности. "
            "Срок: до конца учебного года. Ответственный: Черных А.В."),
        (1, "Руководителям ШМО провести анализ контрольных работ за полугодие в срок до 25.01.2024."),
        (0, "По второму вопросу:"),
        (1, "Представить опыт работы Лосевой Г.М. на муниципальном семинаре в феврале 2024 года. "
            "Ответственный: Сидорова Е.В."),
        (1, "Черных А.В. подготовить публикацию на сайт школы - до 1 февраля 2024 г."),
    ])
    _lines(doc, "ГОЛОСОВАЛИ: «за» – 27, «против» – 0, «воздержались» – 0.", "")
    _table(doc, [["Председатель", "Е.В. Сидорова"], ["Секретарь", "А.В. Черных"]])
    doc.save(HERE / "tuning" / "docx_numbered_inline.docx")


def porucheniya_table() -> None:
    """Minutes exported by a document-management system: a date/number table, поручения as a table."""
    doc = _new()
    _lines(doc, "ГЛАВА РАМЕШКОВСКОГО МУНИЦИПАЛЬНОГО ОКРУГА", "ПРОТОКОЛ", "совещания по вопросам ЖКХ")
    _table(doc, [["27.09.2023", "№ 18-пр"]])
    _lines(doc, "Председательствовал: Шишкин А.Н., глава округа", "Секретарь: Котова И.В.",
           "Присутствовали: Белов С.С., Егорова Н.П., Панин Р.Д.", "",
           "1. О подготовке объектов ЖКХ к отопительному сезону 2023-2024 годов",
           "СЛУШАЛИ: Белова С.С., заместителя главы.", "Поручения по итогам рассмотрения вопроса:")
    _table(doc, [["№ п/п", "Текст поручения", "Ответственный", "Срок"],
                 ["1", "Завершить гидравлические испытания тепловых сетей", "Белов С.С.", "до 01.10.2023"],
                 ["2", "Обеспечить запас топлива на котельных не менее 30 суток", "Панин Р.Д.", "до 10 октября 2023 года"],
                 ["3", "Представить паспорта готовности объектов", "Егорова Н.П.\nПанин Р.Д.", "в течение 5 рабочих дней"]])
    _lines(doc, "", "2. О санитарной очистке территории", "СЛУШАЛИ: Панина Р.Д.", "Поручения:")
    _table(doc, [["№ п/п", "Текст поручения", "Ответственный", "Срок"],
                 ["1", "Организовать уборку несанкционированных свалок", "Панин Р.Д.", "до конца месяца"],
                 ["2", "Провести разъяснительную работу с населением", "Егорова Н.П.", "постоянно"]])
    _lines(doc, "", "Глава округа                               А.Н. Шишкин")
    doc.save(HERE / "tuning" / "docx_porucheniya.docx")


def kollegia_tables() -> None:
    """A board's minutes in Word: the members in a table, decisions as paragraphs with «Срок исполнения: …
    Исполнитель: …» and, for the second question, a table «Наименование мероприятия | Срок исполнения | Исполнитель»."""
    doc = _new()
    _lines(doc, "УПРАВЛЕНИЕ ОБРАЗОВАНИЯ АДМИНИСТРАЦИИ ГОРОДА ВЫШНИЙ ВОЛОЧЁК", "ПРОТОКОЛ",
           "заседания коллегии Управления образования", "от 17 октября 2023 года № 3", "",
           "Председатель: Антонова Р.П., начальник Управления образования", "Секретарь: Жукова Д.В., главный специалист",
           "Члены коллегии:")
    _table(doc, [["Горбунов К.Л.", "заместитель начальника Управления образования"],
                 ["Лисина Т.А.", "директор МБУ «Методический центр»"],
                 ["Пахомов В.И.", "председатель городской организации профсоюза"]])
    _lines(doc, "Повестка дня:", "1. О состоянии работы по профилактике детского травматизма.",
           "2. О подготовке к муниципальному этапу всероссийской олимпиады школьников.",
           "1. СЛУШАЛИ: Горбунова К.Л.", "РЕШИЛИ:")
    num = _restart(doc, "List Number")
    for text in ("Руководителям образовательных организаций провести анализ случаев травматизма. "
                 "Срок исполнения: до 1 ноября 2023 года. Исполнитель: руководители ОО.",
                 "Методическому центру подготовить методические рекомендации по профилактике травматизма. "
                 "Срок исполнения: ноябрь 2023 года. Исполнитель: Лисина Т.А."):
        _num_pr(doc.add_paragraph(text, style="List Number"), num)
    _lines(doc, "2. СЛУШАЛИ: Лисину Т.А.", "РЕШИЛИ: утвердить план мероприятий:")
    _table(doc, [["№", "Наименование мероприятия", "Срок исполнения", "Исполнитель"],
                 ["1.", "Сформировать составы жюри муниципального этапа", "до 25.10.2023", "Лисина Т.А."],
                 ["2.", "Организовать проведение олимпиады по графику", "ноябрь – декабрь 2023 года",
                  "Лисина Т.А., руководители ОО"],
                 ["3.", "Подвести итоги муниципального этапа на совещании руководителей", "декабрь 2023 года",
                  "Антонова Р.П."]])
    _lines(doc, "")
    _table(doc, [["Председатель коллегии", "Р.П. Антонова"], ["Секретарь", "Д.В. Жукова"]])
    doc.save(HERE / "tuning" / "docx_kollegia_tables.docx")


# ---------------------------------------------------------------------------------------------- held out (written last)
def heldout_porucheniya_order() -> None:
    """A meeting's поручения as a table whose columns come in another order: «Поручение | Исполнитель | Срок
    исполнения», and the date and number in one paragraph."""
    doc = _new()
    _lines(doc, "ПРАВИТЕЛЬСТВО ТВЕРСКОЙ ОБЛАСТИ", "МИНИСТЕРСТВО СПОРТА", "ПРОТОКОЛ",
           "рабочего совещания по подготовке к областной спартакиаде", "13.05.2024 № 7-с",
           "Председательствовал: Дьяконов М.Е., первый заместитель министра",
           "Присутствовали: Голованов П.Р., Жилина А.К., Русаков В.Б.", "Секретарь: Ломакина С.А.",
           "СЛУШАЛИ: Голованова П.Р. о готовности спортивных объектов.", "ПОРУЧЕНИЯ:")
    _table(doc, [["№", "Поручение", "Исполнитель", "Срок исполнения"],
                 ["1.", "Завершить ремонт беговых дорожек стадиона «Химик»", "Голованов П.Р.", "до 31.05.2024"],
                 ["2.", "Сформировать составы судейских бригад", "Жилина А.К.", "до 20 мая 2024 года"],
                 ["3.", "Организовать медицинское обеспечение соревнований", "Русаков В.Б.", "в период соревнований"],
                 ["4.", "Подготовить информационные материалы для СМИ", "Ломакина С.А.", "еженедельно"]])
    _lines(doc, "")
    _table(doc, [["Первый заместитель министра", "М.Е. Дьяконов"]])
    doc.save(HERE / "heldout" / "docx_porucheniya_order.docx")


def heldout_numbered_srok() -> None:
    """A методический совет typed in Word: decisions in Word's numbering, «Срок:» and «Ответственные:» as paragraphs
    of their own under some of them, a lead «Учителям-предметникам:» with items one level down."""
    doc = _new()
    _lines(doc, "МОУ «Бежецкая СОШ № 1»", "ПРОТОКОЛ № 2", "заседания методического совета", "от 15.11.2023 г.",
           "Председатель: Ершова Н.Б.", "Секретарь: Мамонтова Л.И.", "Присутствовали: 9 человек.", "Повестка дня:",
           "1. О результатах школьного этапа всероссийской олимпиады школьников.", "СЛУШАЛИ: Мамонтову Л.И.",
           "РЕШИЛИ:")
    num = _multilevel(doc)
    _num_pr(doc.add_paragraph("Признать результаты школьного этапа олимпиады удовлетворительными."), num, 0)
    _num_pr(doc.add_paragraph("Учителям-предметникам:"), num, 0)
    _num_pr(doc.add_paragraph("подготовить обучающихся к муниципальному этапу олимпиады;"), num, 1)
    _num_pr(doc.add_paragraph("провести дополнительные занятия с победителями школьного этапа."), num, 1)
    _lines(doc, "Срок: до 20 ноября 2023 г.", "Ответственные: учителя-предметники")
    _num_pr(doc.add_paragraph("Мамонтовой Л.И. оформить заявку на участие в муниципальном этапе."), num, 0)
    _lines(doc, "Срок: до 17.11.2023")
    _table(doc, [["Председатель", "Н.Б. Ершова"], ["Секретарь", "Л.И. Мамонтова"]])
    doc.save(HERE / "heldout" / "docx_numbered_srok.docx")


MAKERS = [numbered_inline, porucheniya_table, kollegia_tables, heldout_porucheniya_order, heldout_numbered_srok]

if __name__ == "__main__":
    for make in MAKERS:
        make()
    for part in ("tuning", "heldout"):
        for made in sorted((HERE / part).glob("*.docx")):
            _stable(made)
