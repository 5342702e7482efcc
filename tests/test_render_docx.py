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
    assert "СЛУШАЛИ: Кравца И.И. – Звонок  и перевод страницы." in [p.text for p in document.paragraphs]
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
    assert rows == [["Председатель", "Подпись", "О.В. Никитина"], ["Секретарь", "Подпись", "Т.С. Фролова"],
                    ["начальник отдела кадров", "____________", "П.С. Громова"]]
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
