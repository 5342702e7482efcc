"""DOCX output: page, fonts and language read back with python-docx; escaping; user templates edited as Word would."""

from __future__ import annotations

import io
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from conftest import DATA, PROTOCOLS, REPO
from protokol.load import load_protocol
from protokol.render import RenderOptions, build_view
from protokol.render.docx import DocxRenderer, DocxTemplateError, dump_docx
from protokol.render.templates import BUILTIN_DIR, search_path
from protokol.settings import load_settings

KITCHEN_ARCHIVE = DATA / "render" / "archive"
KITCHEN = KITCHEN_ARCHIVE / "protocols" / "2024" / "2024-03-14-2.yaml"
LONG = DATA / "render" / "long" / "2024-05-30-5.yaml"  # the protocol whose Срок/Отв. a page break split off
NB = "\u00a0"
SLOTS = ("ascii", "hAnsi", "cs", "eastAsia")


def view_of(path: Path, root: Path | None = None, **options) -> dict:
    protocol, problems = load_protocol(path)
    assert protocol is not None, problems
    settings, _ = load_settings(root)
    return build_view(protocol, settings, RenderOptions(**options))[0]


@pytest.fixture(scope="module")
def renderer() -> DocxRenderer:
    return DocxRenderer(search_path(None))


@pytest.fixture(scope="module")
def kitchen_docx(renderer) -> Document:
    return Document(io.BytesIO(renderer.render(view_of(KITCHEN, KITCHEN_ARCHIVE))))


@pytest.fixture(scope="module")
def long_docx(renderer) -> Document:
    return Document(io.BytesIO(renderer.render(view_of(LONG))))


def test_committed_template_is_what_the_script_builds():
    result = subprocess.run([sys.executable, str(REPO / "scripts" / "build_docx_template.py"), "--check"],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_page_is_a4_with_gost_margins_and_numbers_from_the_second_page(kitchen_docx):
    section = kitchen_docx.sections[0]
    # Word stores twips: 11906 × 16838 is A4 (210 × 297 mm) to the twip
    assert (section.page_width.twips, section.page_height.twips) == (11906, 16838)
    assert [round(x.mm, 1) for x in (section.left_margin, section.right_margin, section.top_margin,
                                        section.bottom_margin)] == [20.0, 10.0, 20.0, 20.0]
    assert section.different_first_page_header_footer is True
    assert section.first_page_header.paragraphs[0].text == ""
    header = section.header._element
    assert [i.text.strip() for i in header.iter(qn("w:instrText"))] == ["PAGE"]
    assert section.header.paragraphs[0].alignment == WD_ALIGN_PARAGRAPH.CENTER


def _fonts(rpr) -> dict:
    fonts = rpr.find(qn("w:rFonts"))
    return {} if fonts is None else {k.split("}")[1]: v for k, v in fonts.attrib.items()}


def test_times_new_roman_14_in_all_four_slots_and_russian_language(kitchen_docx):
    styles = kitchen_docx.styles.element
    defaults = styles.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    assert _fonts(defaults) == {slot: "Times New Roman" for slot in SLOTS}
    assert defaults.find(qn("w:sz")).get(qn("w:val")) == "28"
    assert defaults.find(qn("w:szCs")).get(qn("w:val")) == "28"
    lang = defaults.find(qn("w:lang"))
    assert (lang.get(qn("w:val")), lang.get(qn("w:eastAsia"))) == ("ru-RU", "ru-RU")
    normal = kitchen_docx.styles["Normal"]
    assert _fonts(normal.element.rPr) == {slot: "Times New Roman" for slot in SLOTS}
    assert normal.font.size == Pt(14)
    assert normal.element.rPr.find(qn("w:lang")).get(qn("w:val")) == "ru-RU"
    # no style anywhere names a theme font, which would win over Times New Roman in Word
    for el in styles.iter(qn("w:rFonts")):
        assert not any("heme" in key for key in el.attrib), el.attrib
    # and no run of the body or the header sets another font or size
    for part in (kitchen_docx.element.body, kitchen_docx.sections[0].header._element):
        for rpr in part.iter(qn("w:rPr")):
            assert rpr.find(qn("w:rFonts")) is None
            assert rpr.find(qn("w:lang")) is None
    settings = kitchen_docx.settings.element.find(qn("w:themeFontLang"))
    assert settings.get(qn("w:val")) == "ru-RU"
    assert kitchen_docx.core_properties.language == "ru-RU"


def test_text_is_justified_and_headings_keep_with_the_next_paragraph(kitchen_docx):
    normal = kitchen_docx.styles["Normal"].paragraph_format
    assert normal.alignment == WD_ALIGN_PARAGRAPH.JUSTIFY
    assert round(normal.first_line_indent.cm, 2) == 1.25
    for name in ("Protokol Text", "Protokol Decision", "Protokol Term", "Protokol Agenda"):
        fmt = kitchen_docx.styles[name].paragraph_format
        assert fmt.alignment == WD_ALIGN_PARAGRAPH.JUSTIFY, name
    for name in ("Protokol Organization", "Protokol Kind", "Protokol Date", "Protokol Title", "Protokol Label",
                 "Protokol Heading", "Protokol Question", "Protokol Group"):
        assert kitchen_docx.styles[name].paragraph_format.keep_with_next is True, name
    used = {p.style.name for p in kitchen_docx.paragraphs}
    assert {"Protokol Question", "Protokol Label", "Protokol Heading"} <= used


def test_date_and_number_share_a_line_with_a_right_tab(kitchen_docx):
    date_lines = [p for p in kitchen_docx.paragraphs if p.style.name == "Protokol Date"]
    assert [p.text for p in date_lines] == ["14.03.2024\t№ 2"]
    stops = kitchen_docx.styles["Protokol Date"].paragraph_format.tab_stops
    assert [round(s.position / Mm(1)) for s in stops] == [180]


def test_angle_brackets_and_ampersands_survive(kitchen_docx):
    text = "\n".join(p.text for p in kitchen_docx.paragraphs)
    assert "Место проведения: актовый зал <школы № 1> & библиотека" in text
    assert "совещания руководителей ОО «Итоги & планы»" in text
    assert "1. О ходе выполнения решений < предыдущего > совещания" in text
    assert "Подвести итоги <I> четверти * и наметить _планы_." in text


def test_control_characters_never_reach_the_document(renderer):
    data = renderer.render(view_of(KITCHEN, KITCHEN_ARCHIVE))
    xml = zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml").decode("utf-8")
    assert not any(ch in xml for ch in "\x07\x0b\x0c")
    document = Document(io.BytesIO(data))
    assert "СЛУШАЛИ: Кравца\u00a0И.И. – Звонок  и перевод страницы." in [p.text for p in document.paragraphs]
    assert not any(p.text.strip() == "" for p in document.paragraphs[:-1])  # no paragraph split by a stray \a or \f


def test_one_renderer_serves_many_protocols_without_leaking(renderer):
    first, second = PROTOCOLS / "2024" / "2024-01-09-1.yaml", PROTOCOLS / "2021" / "2021-09-02.yaml"
    a1 = dump_docx(io.BytesIO(renderer.render(view_of(first))))
    b = dump_docx(io.BytesIO(renderer.render(view_of(second))))
    a2 = dump_docx(io.BytesIO(renderer.render(view_of(first))))
    assert a1 == a2 != b
    assert "Кармазина" in b and "Кармазина" not in a1


def test_extract_signatures_say_podpis_and_the_certification_follows(renderer):
    view = view_of(KITCHEN, KITCHEN_ARCHIVE, extract=True, items=("1",))
    document = Document(io.BytesIO(renderer.render(view)))
    rows = [[c.text for c in row.cells] for table in document.tables for row in table.rows]
    assert rows == [["Председатель", "Подпись", "О.В.\u00a0Никитина"], ["Секретарь", "Подпись", "Т.С.\u00a0Фролова"],
                    ["начальник отдела кадров", "____________", "П.С.\u00a0Громова"]]
    texts = [p.text for p in document.paragraphs]
    assert "Верно" in texts and "«___» ____________ 20___ г." in texts
    assert texts[texts.index("ВЫПИСКА ИЗ ПРОТОКОЛА") - 1] == "администрации города N"


def _edit_template(tmp_path: Path, edit) -> Path:
    """Copy the built-in template into an archive's templates/ and change it the way a Word user would."""
    document = Document(BUILTIN_DIR / "protocol.docx")
    edit(document)
    target = tmp_path / "templates" / "protocol.docx"
    target.parent.mkdir(parents=True)
    document.save(target)
    return tmp_path


def test_a_template_edited_in_word_keeps_working(tmp_path):
    def edit(document):
        for p in document.paragraphs:
            if p.text == "РЕШИЛИ:":
                p.runs[0].text = "ПОСТАНОВИЛИ:"
            if p.text == "{{ doc.kind_title }}":
                # Word splits text into runs at will, even inside a tag
                p.runs[0].text = "{{ doc.kind"
                p.add_run("_title }}").bold = True
        first = document.paragraphs[0]
        first.insert_paragraph_before("БЛАНК ОРГАНИЗАЦИИ", style="Protokol Organization")
        document.styles["Normal"].font.size = Pt(13)

    root = _edit_template(tmp_path, edit)
    data = DocxRenderer(search_path(root)).render(view_of(PROTOCOLS / "2023" / "2023-08-27-8.yaml"))
    document = Document(io.BytesIO(data))
    texts = [p.text for p in document.paragraphs]
    assert texts[0] == "БЛАНК ОРГАНИЗАЦИИ"
    assert "ВЫПИСКА ИЗ ПРОТОКОЛА" in texts
    assert texts.count("ПОСТАНОВИЛИ:") == 2 and "РЕШИЛИ:" not in texts
    assert document.styles["Normal"].font.size == Pt(13)


def test_a_broken_template_is_reported_not_raised_as_a_crash(tmp_path):
    def edit(document):
        document.paragraphs[0].insert_paragraph_before("{% if doc.title %} never closed")

    root = _edit_template(tmp_path, edit)
    with pytest.raises(DocxTemplateError, match="protocol.docx"):
        DocxRenderer(search_path(root)).render(view_of(PROTOCOLS / "2023" / "2023-08-27-8.yaml"))
    (tmp_path / "templates" / "protocol.docx").write_text("not a zip file")
    with pytest.raises(DocxTemplateError, match="not a usable .docx template"):
        DocxRenderer(search_path(root)).render(view_of(PROTOCOLS / "2023" / "2023-08-27-8.yaml"))


# ---------------------------------------------------------------- pagination: what stays together


def kept(p) -> bool:
    """Kept with the next paragraph, by the paragraph itself or by its style."""
    own = p.paragraph_format.keep_with_next
    return own if own is not None else bool(p.style.paragraph_format.keep_with_next)


def test_a_decision_is_kept_with_its_deadline_and_its_deadline_with_the_responsible(long_docx):
    paragraphs = long_docx.paragraphs
    texts = [p.text for p in paragraphs]
    at = texts.index("– подготовить анализ работы за год")  # ended page 1 while «Срок:» began page 2
    bullet, deadline, responsible, following = paragraphs[at:at + 4]
    assert (deadline.text, responsible.text) == ("Срок: до 20.06.2024", "Отв.: заместители директоров по УВР")
    assert kept(bullet) and kept(deadline)
    assert not kept(responsible)  # the next decision may begin a new page
    assert following.text.startswith("3. Обеспечить безопасность")
    assert not kept(paragraphs[at - 1])  # the bullets before it may break from each other
    # throughout: a decision line or a Срок/Отв. line is kept exactly when a Срок/Отв. line follows it
    pairs = [(p, n) for p, n in zip(paragraphs, paragraphs[1:], strict=False)
             if p.style.name.startswith(("Protokol Decision", "Protokol Term"))]
    assert len(pairs) > 30
    for p, following in pairs:
        assert kept(p) == (following.style.name == "Protokol Term"), p.text


def test_a_group_keeps_its_last_item_with_the_terms_printed_after_it(kitchen_docx):
    paragraphs = kitchen_docx.paragraphs
    texts = [p.text for p in paragraphs]
    at = texts.index("1.2.2.a) по кадрам")
    chain = paragraphs[at:at + 4]
    assert [p.text for p in chain[1:]] == ["Срок: по мере готовности", f"Отв.: Белова{NB}И.Г., Фролова{NB}Т.С.",
                                           "Срок: 31.05.2024"]  # the item's own, its group's, the outer group's
    assert [kept(p) for p in chain] == [True, True, True, False]
    at = texts.index("1.4. Многострочное решение:")
    assert [(p.text, kept(p)) for p in paragraphs[at:at + 4]] == [
        ("1.4. Многострочное решение:", False), ("строка два", False), ("---", True), ("Отв.: отдел образования", False)]


def test_widow_control_everywhere_and_short_blocks_never_split(long_docx):
    styles = {p.style.name for p in long_docx.paragraphs}
    styles |= {p.style.name for t in long_docx.tables for row in t.rows for c in row.cells for p in c.paragraphs}
    assert {"Protokol Decision", "Protokol Decision Top", "Protokol Term", "Protokol Signature"} <= styles
    for name in styles | {"Normal"}:
        assert long_docx.styles[name].paragraph_format.widow_control is True, name
    for p in long_docx.paragraphs:
        assert p.paragraph_format.widow_control is None, p.text  # no paragraph turns it off
    for name in ("Protokol Term", "Protokol Signature", "Protokol Certification", "Protokol Question",
                 "Protokol Heading", "Protokol Title"):
        assert long_docx.styles[name].paragraph_format.keep_together is True, name
    for name in ("Protokol Decision", "Protokol Text"):  # long paragraphs may break across pages (two lines at least)
        assert not long_docx.styles[name].paragraph_format.keep_together, name


def test_each_top_level_decision_has_space_before_it_and_sub_items_have_none(long_docx):
    top, plain = long_docx.styles["Protokol Decision Top"], long_docx.styles["Protokol Decision"]
    assert top.base_style.name == "Protokol Decision"  # restyling decisions in Word restyles both
    assert top.paragraph_format.space_before == Pt(6)
    assert plain.paragraph_format.space_before in (None, Pt(0))
    assert long_docx.styles["Normal"].paragraph_format.space_before == Pt(0)
    decisions = [p for p in long_docx.paragraphs if p.style.name.startswith("Protokol Decision")]
    assert [p.text.split()[0] for p in decisions if p.style.name == "Protokol Decision Top"] == [
        "1.", "2.", "3.", "4.", "1.", "2.", "3.", "4.", "1.", "2.", "3.", "4.", "5."]
    assert {p.text[0] for p in decisions if p.style.name == "Protokol Decision"} == {"–"}  # the group's items
    for p in decisions:
        assert p.paragraph_format.space_before is None  # the style says it, no paragraph overrides
    assert not any(p.text.strip() == "" for p in long_docx.paragraphs)  # space, not empty paragraphs


def test_the_certification_is_kept_together_and_with_the_last_signature(renderer):
    extract = Document(io.BytesIO(renderer.render(view_of(KITCHEN, KITCHEN_ARCHIVE, extract=True, items=("1",)))))
    signatures, certification = extract.tables
    for table in (signatures, certification):
        for row in table.rows:
            assert all(kept(p) for c in row.cells for p in c.paragraphs), [c.text for c in row.cells]
    texts = [p.text for p in extract.paragraphs]
    verno = extract.paragraphs[texts.index("Верно")]
    date_line = extract.paragraphs[texts.index("«___» ____________ 20___ г.")]
    assert kept(verno) and not kept(date_line)
    # a protocol without a certification: its signatures are kept together, the last one with nothing after it
    full = Document(io.BytesIO(renderer.render(view_of(KITCHEN, KITCHEN_ARCHIVE))))
    (table,) = full.tables
    assert [all(kept(p) for c in row.cells for p in c.paragraphs) for row in table.rows] == [True, False]


# ---------------------------------------------------------------- names never break inside


def test_names_with_initials_print_with_non_breaking_spaces(long_docx, renderer):
    texts = [p.text for p in long_docx.paragraphs]
    for line in (f"Председатель – Кондратьева{NB}М.{NB}В., заведующая отделом образования",
                 f"Зелова{NB}Т.{NB}Н. – главный специалист отдела образования",
                 f"Докладчик: Комарова{NB}Т.{NB}Ю., заместитель заведующего отделом образования",
                 f"Отв.: Шилова{NB}Е.{NB}Б., Паскина{NB}Е.{NB}Л."):
        assert line in texts
    assert any(t.startswith(f"Директора школ: Сосновская{NB}В.{NB}И.,") and f"Шилова{NB}Е.{NB}Б.," in t for t in texts)
    assert any(t.startswith(f"СЛУШАЛИ: Комарову{NB}Т.{NB}Ю., заместителя") for t in texts)
    assert any(t.startswith(f"ВЫСТУПИЛИ: Шилова{NB}Е.{NB}Б. – о подготовке") for t in texts)
    names = [row.cells[-1].text for row in long_docx.tables[0].rows]
    assert names == [f"М.{NB}В.{NB}Кондратьева", f"Г.{NB}И.{NB}Финагина"]
    extract = Document(io.BytesIO(renderer.render(view_of(KITCHEN, KITCHEN_ARCHIVE, extract=True, items=("1",)))))
    assert extract.tables[-1].rows[0].cells[-1].text == f"П.С.{NB}Громова"  # «Громова П.С.» of certify_by
