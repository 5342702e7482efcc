"""Build the built-in DOCX template src/protokol/templates/protocol.docx with python-docx (docxtpl tags inside).

The .docx is committed; this script is how it is made, so that it can be regenerated after a change and reviewed:
    python scripts/build_docx_template.py            # writes the template
    python scripts/build_docx_template.py --check    # exit 1 when the committed one differs in content

Layout (ГОСТ Р 7.0.97-2025, as 2016): A4, margins left 20, right 10, top 20, bottom 20 mm; Times New Roman 14 in all
four font slots (ascii, hAnsi, cs, eastAsia) so Cyrillic is set in it too; language ru-RU; justified text with a
1.25 cm first-line indent; page numbers centred at the top from the second page; headings kept with what follows,
widow/orphan control everywhere, short blocks (headings, Срок/Отв., signatures) never split inside; 6 pt before each
top-level decision. Every style is a named paragraph style («Protokol …»), so a user changes the look in Word in one
place. A decision kept with its Срок/Отв. and the signatures kept with the certification depend on what follows a
paragraph, which no style can say: protokol.render.docx sets those when it renders.
"""

from __future__ import annotations

import argparse
import io
import sys
import zipfile
from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt

OUT = Path(__file__).resolve().parent.parent / "src" / "protokol" / "templates" / "protocol.docx"

FONT = "Times New Roman"
SIZE = Pt(14)
LANG = "ru-RU"
TEXT_WIDTH = Mm(210 - 20 - 10)
INDENT = Cm(1.25)


# ---------------------------------------------------------------- fonts and language

def _set_fonts(rpr) -> None:
    """Times New Roman in all four slots, theme fonts removed (a theme attribute wins over the plain one in Word)."""
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in list(fonts.attrib):
        del fonts.attrib[attr]
    for slot in ("ascii", "hAnsi", "cs", "eastAsia"):
        fonts.set(qn(f"w:{slot}"), FONT)


def _set_lang(rpr) -> None:
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:val"), LANG)
    lang.set(qn("w:eastAsia"), LANG)
    lang.set(qn("w:bidi"), "ar-SA")


def _set_size(rpr, half_points: int) -> None:
    for tag in ("w:sz", "w:szCs"):
        el = rpr.find(qn(tag))
        if el is None:
            el = OxmlElement(tag)
            rpr.append(el)
        el.set(qn("w:val"), str(half_points))


def _order_rpr(rpr) -> None:
    """Children of w:rPr in the order the schema wants (Word is strict about it)."""
    order = ["rStyle", "rFonts", "b", "bCs", "i", "iCs", "caps", "smallCaps", "strike", "dstrike", "outline", "shadow",
             "emboss", "imprint", "noProof", "snapToGrid", "vanish", "webHidden", "color", "spacing", "w", "kern",
             "position", "sz", "szCs", "highlight", "u", "effect", "bdr", "shd", "fitText", "vertAlign", "rtl", "cs",
             "em", "lang", "eastAsianLayout", "specVanish", "oMath"]
    rank = {qn(f"w:{name}"): i for i, name in enumerate(order)}
    children = sorted(rpr, key=lambda el: rank.get(el.tag, len(order)))
    for child in children:
        rpr.remove(child)
        rpr.append(child)


def setup_defaults(doc) -> None:
    styles = doc.styles.element
    defaults = styles.find(qn("w:docDefaults"))
    rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    _set_fonts(rpr)
    _set_size(rpr, 28)
    _set_lang(rpr)
    _order_rpr(rpr)
    ppr = defaults.find(qn("w:pPrDefault")).find(qn("w:pPr"))
    spacing = ppr.find(qn("w:spacing"))
    spacing.attrib.clear()
    spacing.set(qn("w:after"), "0")
    spacing.set(qn("w:line"), "240")
    spacing.set(qn("w:lineRule"), "auto")
    # every style that names theme fonts gets the plain ones instead (Heading 1… of the default template do)
    for el in styles.iter(qn("w:rFonts")):
        if any("Theme" in key or "theme" in key for key in el.attrib):
            for attr in list(el.attrib):
                del el.attrib[attr]
            for slot in ("ascii", "hAnsi", "cs", "eastAsia"):
                el.set(qn(f"w:{slot}"), FONT)
    settings = doc.settings.element
    theme_lang = settings.find(qn("w:themeFontLang"))
    if theme_lang is not None:
        theme_lang.set(qn("w:val"), LANG)
        theme_lang.set(qn("w:eastAsia"), LANG)


def style(doc, name, base="Normal", *, align=None, bold=False, italic=False, first_line=None, left=None, hanging=None,
          before=None, after=None, keep_next=False, keep_lines=False, page_break=False, tabs=(), size=None):
    st = doc.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    st.base_style = doc.styles[base]
    st.quick_style = True
    pf = st.paragraph_format
    if align is not None:
        pf.alignment = align
    if first_line is not None:
        pf.first_line_indent = first_line
    if left is not None:
        pf.left_indent = left
    if hanging is not None:
        pf.left_indent = hanging
        pf.first_line_indent = -hanging
    if before is not None:  # None: inherited from the base style
        pf.space_before = Pt(before)
    if after is not None:
        pf.space_after = Pt(after)
    pf.keep_with_next = keep_next
    pf.keep_together = keep_lines or None  # None: inherited (off in Normal)
    pf.widow_control = True
    if page_break:
        pf.page_break_before = True
    for position, alignment in tabs:
        pf.tab_stops.add_tab_stop(position, alignment)
    font = st.font
    font.bold = bold or None
    font.italic = italic or None
    if size is not None:
        font.size = size
    return st


def setup_styles(doc) -> None:
    normal = doc.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = SIZE
    rpr = normal.element.get_or_add_rPr()
    _set_fonts(rpr)
    _set_lang(rpr)
    _order_rpr(rpr)
    pf = normal.paragraph_format
    pf.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    pf.first_line_indent = INDENT
    pf.space_before = Pt(0)
    pf.space_after = Pt(0)
    pf.line_spacing = 1.0
    pf.widow_control = True

    center, left, right, justify = (WD_ALIGN_PARAGRAPH.CENTER, WD_ALIGN_PARAGRAPH.LEFT, WD_ALIGN_PARAGRAPH.RIGHT,
                                    WD_ALIGN_PARAGRAPH.JUSTIFY)
    style(doc, "Protokol Tag", align=left, first_line=Cm(0))  # paragraphs that only hold {%p … %}: removed when rendered
    style(doc, "Protokol Draft", align=right, first_line=Cm(0), bold=True)
    style(doc, "Protokol Organization", align=center, first_line=Cm(0), bold=True, keep_next=True)
    style(doc, "Protokol Kind", align=center, first_line=Cm(0), bold=True, before=12, keep_next=True, keep_lines=True)
    style(doc, "Protokol Date", align=left, first_line=Cm(0), before=12, keep_next=True,
          tabs=[(TEXT_WIDTH, WD_TAB_ALIGNMENT.RIGHT)])
    style(doc, "Protokol Place", align=left, first_line=Cm(0), keep_next=True)
    style(doc, "Protokol Title", align=center, first_line=Cm(0), bold=True, before=12, after=12, keep_next=True,
          keep_lines=True)
    style(doc, "Protokol Info", align=left, first_line=Cm(0))
    style(doc, "Protokol Label", align=justify, first_line=Cm(0), before=6, keep_next=True)
    style(doc, "Protokol Group", align=left, first_line=Cm(0), keep_next=True)
    # «Соколова Е.М. – специалист ЦОКО» on one line, a long position wrapping under the name's indent: no tab stop,
    # which left a wide gap after a short name
    style(doc, "Protokol Participant", align=left, hanging=INDENT)
    style(doc, "Protokol Heading", align=center, first_line=Cm(0), bold=True, before=12, after=6, keep_next=True,
          keep_lines=True)
    style(doc, "Protokol Attachment", "Protokol Heading", page_break=True)
    style(doc, "Protokol Agenda", align=justify, first_line=INDENT)
    style(doc, "Protokol Speaker", align=justify, first_line=Cm(0), left=INDENT, italic=True)
    style(doc, "Protokol Question", align=justify, first_line=INDENT, bold=True, before=12, after=6, keep_next=True,
          keep_lines=True)
    style(doc, "Protokol Text", align=justify, first_line=INDENT)
    style(doc, "Protokol Decision", align=justify, first_line=INDENT)
    # the first paragraph of a top-level decision: a little air between decisions (sub-items and further lines: none)
    style(doc, "Protokol Decision Top", "Protokol Decision", before=6)
    style(doc, "Protokol Term", align=justify, first_line=INDENT, keep_lines=True)
    style(doc, "Protokol Signature", align=left, first_line=Cm(0), before=24, keep_lines=True)
    style(doc, "Protokol Signature Name", "Protokol Signature", align=right)
    style(doc, "Protokol Certification", align=left, first_line=Cm(0), before=12, keep_lines=True)


# ---------------------------------------------------------------- page

def setup_page(doc) -> None:
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin, section.right_margin = Mm(20), Mm(10)
    section.top_margin, section.bottom_margin = Mm(20), Mm(20)
    section.header_distance, section.footer_distance = Mm(10), Mm(10)
    # page numbers from the second page: the first page has its own (empty) header
    section.different_first_page_header_footer = True
    header = section.header.paragraphs[0]
    header.alignment = WD_ALIGN_PARAGRAPH.CENTER
    header.paragraph_format.first_line_indent = Cm(0)
    run = header.add_run()
    for kind, text in (("begin", None), (None, " PAGE "), ("separate", None), (None, "2"), ("end", None)):
        if kind:
            fld = OxmlElement("w:fldChar")
            fld.set(qn("w:fldCharType"), kind)
            run._r.append(fld)
        elif text.strip() == "PAGE":
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = text
            run._r.append(instr)
        else:
            t = OxmlElement("w:t")
            t.text = text
            run._r.append(t)
    run.font.size = Pt(12)
    section.first_page_header.paragraphs[0].text = ""


# ---------------------------------------------------------------- content

class Writer:
    def __init__(self, doc):
        self.doc = doc

    def tag(self, text: str) -> None:
        """A paragraph holding only a docxtpl paragraph tag ({%p … %}): it disappears when rendered."""
        self.doc.add_paragraph(text, style="Protokol Tag")

    def para(self, style_name: str, *parts) -> None:
        """A paragraph of runs: plain strings, ("b", text) for bold, ("tab",) for a tab."""
        p = self.doc.add_paragraph(style=style_name)
        for part in parts:
            if isinstance(part, str):
                p.add_run(part)
            elif part[0] == "b":
                p.add_run(part[1]).bold = True
            elif part[0] == "tab":
                p.add_run().add_tab()
        return p

    def table(self, rows: list[list[tuple[str, str]]], widths) -> None:
        """A borderless table; each cell is (style, text), aligned to the bottom so that a name stands on the level of
        the last line of a long position, as ГОСТ Р 7.0.97 shows signatures."""
        table = self.doc.add_table(rows=len(rows), cols=len(widths))
        table.alignment = WD_TABLE_ALIGNMENT.LEFT
        table.autofit = False
        tbl_pr = table._tbl.tblPr
        layout = OxmlElement("w:tblLayout")
        layout.set(qn("w:type"), "fixed")
        tbl_pr.append(layout)
        for r, row in enumerate(rows):
            for c, (style_name, text) in enumerate(row):
                cell = table.cell(r, c)
                cell.width = widths[c]
                cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.BOTTOM
                p = cell.paragraphs[0]
                p.style = self.doc.styles[style_name]
                p.add_run(text)
        for column, width in zip(table.columns, widths, strict=True):
            column.width = width
        return table


def write_body(doc) -> None:
    w = Writer(doc)
    w.tag("{%p if doc.draft %}")
    w.para("Protokol Draft", "ПРОЕКТ")
    w.tag("{%p endif %}")
    w.tag("{%p for line in doc.organization_lines %}")
    w.para("Protokol Organization", "{{ line }}")
    w.tag("{%p endfor %}")
    w.para("Protokol Kind", "{{ doc.kind_title }}")
    w.para("Protokol Date", "{{ doc.date }}{% if doc.number %}", ("tab",), "№ {{ doc.number }}{% endif %}")
    w.tag("{%p if doc.place %}")
    w.para("Protokol Place", "{{ doc.place }}")
    w.tag("{%p endif %}")
    w.para("Protokol Title", "{{ doc.title }}")
    for key, label in (("time", "Время"), ("venue", "Место проведения"), ("format", "Формат"), ("link", "Ссылка")):
        w.tag(f"{{%p if doc.{key} %}}")
        w.para("Protokol Info", f"{label}: {{{{ doc.{key} }}}}")
        w.tag("{%p endif %}")

    w.tag("{%p if doc.chair %}")
    w.para("Protokol Label", "Председатель – {{ doc.chair.line }}")
    w.tag("{%p endif %}")
    w.tag("{%p if doc.secretary %}")
    w.para("Protokol Label", "Секретарь – {{ doc.secretary.line }}")
    w.tag("{%p endif %}")

    w.tag('{%p for label, a in [("Присутствовали", doc.present), ("Приглашённые", doc.invited), '
          '("Отсутствовали", doc.absent)] if a %}')
    w.para("Protokol Label", "{{ label }}:{% if a.summary %} {{ a.summary }}{% endif %}")
    w.tag("{%p if not a.summary %}")
    write_attendance_rows(w, "a.rows")
    w.tag("{%p endif %}")
    w.tag("{%p endfor %}")

    w.tag("{%p for sec in doc.sections %}")
    w.para("Protokol Label", ("b", "{{ sec.title }}:"))
    w.tag("{%p for line in sec.lines %}")
    w.para("Protokol Text", "{{ line }}")
    w.tag("{%p endfor %}")
    w.tag("{%p endfor %}")

    w.tag("{%p if doc.agenda %}")
    w.para("Protokol Heading", "ПОВЕСТКА ДНЯ:")
    w.tag("{%p for a in doc.agenda %}")
    w.para("Protokol Agenda", "{% if a.label %}{{ a.label }} {% endif %}{{ a.title }}")
    w.tag("{%p if a.speakers %}")
    w.para("Protokol Speaker", "Докладчик{% if a.speaker_count > 1 %}и{% endif %}: {{ a.speakers }}")
    w.tag("{%p endif %}")
    w.tag("{%p endfor %}")
    w.tag("{%p endif %}")

    w.tag("{%p for it in doc.questions %}")
    w.tag("{%p if it.heading %}")
    w.para("Protokol Question", "{{ it.heading }}")
    w.tag("{%p endif %}")
    for key, label in (("heard", "СЛУШАЛИ:"), ("spoke", "ВЫСТУПИЛИ:")):
        w.tag(f"{{%p for s in it.{key} %}}")
        w.para("Protokol Text", "{% if loop.first %}", ("b", label), " {% endif %}{{ s.who }}{% if s.role %}, {{ s.role }}"
               "{% endif %}{% if s.first %} – {{ s.first }}{% elif s.needs_period %}.{% endif %}")
        w.tag("{%p for line in s.rest %}")
        w.para("Protokol Text", "{{ line }}")
        w.tag("{%p endfor %}")
        w.tag("{%p endfor %}")
    w.tag("{%p if it.discussed %}")
    w.para("Protokol Text", ("b", "ОБСУДИЛИ:"), " {{ it.discussed_lines[0] }}")
    w.tag("{%p for line in it.discussed_lines[1:] %}")
    w.para("Protokol Text", "{{ line }}")
    w.tag("{%p endfor %}")
    w.tag("{%p endif %}")
    w.tag("{%p if it.has_decisions %}")
    w.para("Protokol Label", ("b", "РЕШИЛИ:"))
    w.tag("{%p for line in it.decided_intro_lines %}")
    w.para("Protokol Text", "{{ line }}")
    w.tag("{%p endfor %}")
    w.tag("{%p for b in it.blocks %}")
    w.tag("{%p if b.lines %}")
    w.tag("{%p if b.level == 0 %}")
    w.para("Protokol Decision Top", "{% if b.label %}{{ b.label }} {% endif %}{{ b.lines[0] }}")
    w.tag("{%p else %}")
    w.para("Protokol Decision", "{% if b.label %}{{ b.label }} {% endif %}{{ b.lines[0] }}")
    w.tag("{%p endif %}")
    w.tag("{%p for line in b.lines[1:] %}")
    w.para("Protokol Decision", "{{ line }}")
    w.tag("{%p endfor %}")
    w.tag("{%p endif %}")
    w.tag("{%p if b.deadline %}")
    w.para("Protokol Term", "Срок: {{ b.deadline }}")
    w.tag("{%p endif %}")
    w.tag("{%p if b.responsible %}")
    w.para("Protokol Term", "Отв.: {{ b.responsible }}")
    w.tag("{%p endif %}")
    w.tag("{%p endfor %}")
    w.tag("{%p endif %}")
    w.tag("{%p if it.votes %}")
    w.para("Protokol Text", ("b", "ГОЛОСОВАЛИ:"), " {{ it.votes.line }}")
    w.tag("{%p endif %}")
    w.tag("{%p endfor %}")

    widths = [Cm(9.0), Cm(4.0), Cm(5.0)]
    w.tag("{%p if doc.signatures %}")
    w.table([
        [("Protokol Tag", "{%tr for s in doc.signatures %}"), ("Protokol Tag", ""), ("Protokol Tag", "")],
        # the line to sign on; an extract is a copy, where ГОСТ Р 7.0.97 writes the word «Подпись» instead
        [("Protokol Signature", "{{ s.role }}"),
         ("Protokol Signature", "{% if doc.extract %}Подпись{% else %}____________{% endif %}"),
         ("Protokol Signature Name", "{{ s.name }}")],
        [("Protokol Tag", "{%tr endfor %}"), ("Protokol Tag", ""), ("Protokol Tag", "")],
    ], widths)
    w.tag("{%p endif %}")

    w.tag("{%p if doc.certification %}")
    w.tag("{%p if doc.certification.label %}")
    w.para("Protokol Certification", "{{ doc.certification.label }}")
    w.tag("{%p endif %}")
    w.table([[("Protokol Signature", "{{ doc.certification.position }}"), ("Protokol Signature", "____________"),
              ("Protokol Signature Name", "{{ doc.certification.name }}")]], widths)
    w.tag("{%p if doc.certification.date %}")
    w.para("Protokol Certification", "{{ doc.certification.date }}")
    w.tag("{%p elif doc.certification.blank_date %}")
    w.para("Protokol Certification", "«___» ____________ 20___ г.")
    w.tag("{%p endif %}")
    w.tag("{%p endif %}")

    w.tag("{%p for sec in doc.appendix %}")
    w.para("Protokol Heading", "{{ sec.title }}")
    w.tag("{%p for line in sec.lines %}")
    w.para("Protokol Text", "{{ line }}")
    w.tag("{%p endfor %}")
    w.tag("{%p endfor %}")

    w.tag("{%p if doc.present and doc.present.attached %}")
    w.para("Protokol Attachment", "Список присутствовавших")
    w.para("Protokol Place", "Приложение к протоколу от {{ doc.date }}{% if doc.number %} № {{ doc.number }}{% endif %}")
    write_attendance_rows(w, "doc.present.rows")
    w.tag("{%p endif %}")


def write_attendance_rows(w: Writer, rows: str) -> None:
    w.tag(f"{{%p for r in {rows} %}}")
    w.tag('{%p if r.kind == "group" %}')
    w.para("Protokol Group", "{{ r.name }}")
    w.tag("{%p else %}")
    w.para("Protokol Participant", "{{ r.name }}{% if r.position %} – {{ r.position }}{% endif %}")
    w.tag("{%p endif %}")
    w.tag("{%p endfor %}")


def build() -> bytes:
    doc = Document()
    setup_defaults(doc)
    setup_styles(doc)
    setup_page(doc)
    body = doc.element.body
    for p in list(body.iterchildren(qn("w:p"))):
        body.remove(p)
    write_body(doc)
    return saved(doc, "Протокол",
                 "Шаблон protokol (docxtpl): теги Jinja заполняются при выводе; оформление задают стили «Protokol …».")


def saved(doc, title: str, comments: str) -> bytes:
    """The document's bytes, with fixed properties (dates too), so that building it again gives the same file."""
    from datetime import datetime

    props = doc.core_properties
    props.title = title
    props.language = LANG
    props.author = "protokol"
    props.comments = comments
    props.created = props.modified = datetime(2025, 1, 1)
    props.last_modified_by = "protokol"
    props.revision = 1
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _content(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return {name: z.read(name) for name in sorted(z.namelist())}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 when the committed template is out of date")
    parser.add_argument("-o", "--output", type=Path, default=OUT)
    args = parser.parse_args(argv)
    return write_or_check(build(), args.output, args.check, "scripts/build_docx_template.py")


def write_or_check(data: bytes, output: Path, check: bool, script: str) -> int:
    """Write the built template, or with `check` exit 1 when the committed one differs in content (the tests)."""
    if check:
        current = output.read_bytes() if output.is_file() else b""
        if not current or _content(current) != _content(data):
            print(f"{output} is out of date: run python {script}", file=sys.stderr)
            return 1
        return 0
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_bytes(data)
    print(f"wrote {output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
