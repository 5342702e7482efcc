"""Build the built-in template of the справка об исполнительской дисциплине, src/protokol/templates/discipline.docx,
with python-docx (docxtpl tags inside), in the page layout and fonts of protocol.docx (scripts/build_docx_template.py).

The .docx is committed; this script is how it is made:
    python scripts/build_report_template.py            # writes the template
    python scripts/build_report_template.py --check    # exit 1 when the committed one differs in content

What the tags are filled with (protokol.report.office.docx_context; docs/reports.md): organization, title, period,
today, headers (10 column titles), rows (each 10 cells: the name, then the figures), total (10 cells), summary,
chart (the bar chart of the on-time share), signer_position, signer. A user copies it with
`protokol templates --copy discipline.docx` and edits it in Word: styles «Protokol Report …» set the look.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
from docx.shared import Mm, Pt

sys.path.insert(0, str(Path(__file__).resolve().parent))
import build_docx_template as base  # noqa: E402

OUT = Path(__file__).resolve().parent.parent / "src" / "protokol" / "templates" / "discipline.docx"
COLUMNS = 10
NAME_WIDTH = Mm(52)
FIGURE_WIDTH = Mm(14)


def setup_styles(doc) -> None:
    center = WD_ALIGN_PARAGRAPH.CENTER
    base.style(doc, "Protokol Report Organization", align=center, first_line=Mm(0), bold=True)
    base.style(doc, "Protokol Report Title", align=center, bold=True, before=12, keep_next=True)
    base.style(doc, "Protokol Report Period", align=center, after=12, keep_next=True)
    base.style(doc, "Protokol Report Text", align=WD_ALIGN_PARAGRAPH.JUSTIFY, first_line=base.INDENT, after=6)
    base.style(doc, "Protokol Report Cell", first_line=Mm(0), size=Pt(10))
    base.style(doc, "Protokol Report Chart", align=center, before=6, after=6)
    base.style(doc, "Protokol Report Signature", before=24, keep_lines=True,
               tabs=((base.TEXT_WIDTH, WD_TAB_ALIGNMENT.RIGHT),))


def _cell(cell, text: str, bold: bool = False) -> None:
    paragraph = cell.paragraphs[0]
    paragraph.style = "Protokol Report Cell"
    run = paragraph.add_run(text)
    run.bold = bold or None


def write_table(doc) -> None:
    """Header, then the docxtpl row loop (the rows holding {%tr for %} and {%tr endfor %} are dropped when rendered,
    the row between is repeated per row of the report), then the total."""
    table = doc.add_table(rows=5, cols=COLUMNS)
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    widths = [NAME_WIDTH] + [FIGURE_WIDTH] * (COLUMNS - 1)
    for column, width in zip(table._tbl.tblGrid.findall(base.qn("w:gridCol")), widths, strict=True):
        column.set(base.qn("w:w"), str(int(width.twips)))
    for row in table.rows:
        for cell, width in zip(row.cells, widths, strict=True):
            cell.width = width
    head, loop, cells, end, total = table.rows
    for i, cell in enumerate(head.cells):
        _cell(cell, f"{{{{ headers[{i}] }}}}", bold=True)
    _cell(loop.cells[0], "{%tr for row in rows %}")
    for i, cell in enumerate(cells.cells):
        _cell(cell, f"{{{{ row[{i}] }}}}")
    _cell(end.cells[0], "{%tr endfor %}")
    for i, cell in enumerate(total.cells):
        _cell(cell, f"{{{{ total[{i}] }}}}", bold=True)
    head._tr.get_or_add_trPr().append(base.OxmlElement("w:tblHeader"))  # repeated on every page


def write_body(doc) -> None:
    doc.add_paragraph("{{ organization }}", style="Protokol Report Organization")
    doc.add_paragraph("{{ title }}", style="Protokol Report Title")
    doc.add_paragraph("{{ period }}", style="Protokol Report Period")
    doc.add_paragraph("{{ summary }}", style="Protokol Report Text")
    write_table(doc)
    doc.add_paragraph("{{ chart }}", style="Protokol Report Chart")
    doc.add_paragraph("{{ signer_position }}\t{{ signer }}", style="Protokol Report Signature")
    doc.add_paragraph("{{ today }}", style="Protokol Report Text")


def build() -> bytes:
    doc = Document()
    base.setup_defaults(doc)
    setup_styles(doc)
    base.setup_page(doc)
    body = doc.element.body
    for p in list(body.iterchildren(base.qn("w:p"))):
        body.remove(p)
    write_body(doc)
    return base.saved(doc, "Справка об исполнительской дисциплине",
                      "Шаблон protokol (docxtpl): теги Jinja заполняются командой protokol report discipline.")

def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 when the committed template is out of date")
    parser.add_argument("-o", "--output", type=Path, default=OUT)
    args = parser.parse_args(argv)
    return base.write_or_check(build(), args.output, args.check, "scripts/build_report_template.py")

if __name__ == "__main__":
    sys.exit(main())
