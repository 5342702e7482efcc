"""The discipline report as office files: an XLSX workbook (XlsxWriter, constant-memory mode) with the summary the
head filters and sorts and every counted item with its category and why, and the DOCX справка for signature, made
from an editable docxtpl template (templates/discipline.docx) with a bar chart of the on-time share per row.

Pure: the report and the template's bytes in, the file's bytes out (the command writes them through protokol.writing).
XlsxWriter, docxtpl and matplotlib (report/charts.py) are imported inside the functions that use them."""

from __future__ import annotations

import io
from datetime import date

from ..i18n import _
from ..rudates import format_date
from .discipline import Item, Report
from .discipline_out import FIGURES, category_label, cells, headers, number, title, total_label, why

ITEM_COLUMNS = ("id", "protocol", "meeting_date", "series", "text", "responsible", "counted_for", "occurrence",
                "written_deadline", "deadline", "day", "category", "extended", "delay", "why")


def item_headers() -> list[str]:
    return [_("Decision"), _("Protocol"), _("Meeting date"), _("Series"), _("Text"), _("Executors as written"),
            _("Counted for"), _("Occurrence"), _("Deadline set"), _("Deadline in force"), _("Done or cancelled"),
            _("Category"), _("Extended"), _("Delay, working days"), _("Why")]


def item_values(item: Item) -> list:
    """One item as the cells of the second sheet (dates stay dates), in ITEM_COLUMNS order."""
    return [item.id, item.meeting.id, item.meeting.date, " ".join(item.meeting.title.split()), item.text,
            "; ".join(item.responsible), "; ".join(a.name for a in item.accountable), item.occurrence, item.written,
            item.deadline, item.day, category_label(item.category), _("yes") if item.extended else _("no"),
            item.delay, why(item)]


def to_xlsx(report: Report) -> bytes:
    """The workbook: sheet 1 the summary (a filter on its header row, the total under the filtered range), sheet 2
    every counted item. Rows are written in order, as constant-memory mode requires: a large archive's items never
    sit in memory as cells."""
    import xlsxwriter

    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"constant_memory": True, "default_date_format": "dd.mm.yyyy"})
    book.set_properties({"title": title(report), "created": None})
    styles = {
        "title": book.add_format({"bold": True, "font_size": 13}),
        "head": book.add_format({"bold": True, "text_wrap": True, "valign": "top", "bg_color": "#DDE6F0",
                                 "border": 1}),
        "int": book.add_format({"num_format": "0", "border": 1}),
        "dec": book.add_format({"num_format": "0.0", "border": 1}),
        "text": book.add_format({"border": 1, "text_wrap": True, "valign": "top"}),
        "bold": book.add_format({"bold": True, "border": 1}),
        "boldint": book.add_format({"bold": True, "num_format": "0", "border": 1}),
        "bolddec": book.add_format({"bold": True, "num_format": "0.0", "border": 1}),
        "date": book.add_format({"num_format": "dd.mm.yyyy", "border": 1, "valign": "top"}),
    }
    _summary_sheet(book.add_worksheet(_sheet_name(_("Summary"))), report, styles)
    _items_sheet(book.add_worksheet(_sheet_name(_("Items"))), report, styles)
    book.close()
    return out.getvalue()


def _sheet_name(name: str) -> str:
    return "".join(ch for ch in name if ch not in "[]:*?/\\")[:31]


def _summary_sheet(sheet, report: Report, styles: dict) -> None:
    sheet.set_column(0, 0, 42)
    sheet.set_column(1, len(FIGURES), 12)
    sheet.write(0, 0, title(report), styles["title"])
    head = 2
    sheet.set_row(head, 45)
    sheet.write_row(head, 0, headers(report.by), styles["head"])
    for n, row in enumerate(report.rows, start=head + 1):
        _figure_row(sheet, n, row.name, row, styles, "")
    last = head + len(report.rows)
    _figure_row(sheet, last + 1, total_label(), report.total, styles, "bold")
    sheet.autofilter(head, 0, max(last, head + 1) if report.rows else head, len(FIGURES))
    sheet.freeze_panes(head + 1, 1)


def _figure_row(sheet, n: int, name: str, row, styles: dict, weight: str) -> None:
    sheet.write_string(n, 0, name, styles[weight or "text"])
    for col, key in enumerate(FIGURES, start=1):
        value = getattr(row, key)
        style = styles[weight + ("dec" if isinstance(value, float) or key in ("on_time_pct", "avg_delay_workdays")
                                 else "int")]
        if value is None:
            sheet.write_blank(n, col, None, style)
        else:
            sheet.write_number(n, col, value, style)


def _items_sheet(sheet, report: Report, styles: dict) -> None:
    widths = (16, 14, 11, 30, 60, 28, 28, 11, 11, 11, 11, 12, 9, 10, 50)
    for col, width in enumerate(widths):
        sheet.set_column(col, col, width)
    sheet.set_row(0, 30)
    sheet.write_row(0, 0, item_headers(), styles["head"])
    for n, item in enumerate(report.items, start=1):
        for col, value in enumerate(item_values(item)):
            if isinstance(value, date):
                sheet.write_datetime(n, col, value, styles["date"])
            elif isinstance(value, int):
                sheet.write_number(n, col, value, styles["int"])
            elif value is None:
                sheet.write_blank(n, col, None, styles["text"])
            else:
                sheet.write_string(n, col, value, styles["text"])
    sheet.autofilter(0, 0, max(len(report.items), 1), len(ITEM_COLUMNS) - 1)
    sheet.freeze_panes(1, 1)


def docx_context(report: Report, organization: str | None, signer: tuple[str | None, str | None],
                 style: str = "long") -> dict:
    """What the template discipline.docx is filled with: plain strings and lists (docs/reports.md lists them)."""
    total = report.total
    return {
        "organization": organization or "",
        "title": _("Report on executive discipline"),
        "period": _("from {start} to {end}").format(start=format_date(report.start, style),
                                                    end=format_date(report.end, style)),
        "today": format_date(report.today, style),
        "by": headers(report.by)[0],
        "headers": headers(report.by),
        "rows": [cells(row) for row in report.rows],
        "total": cells(total, total_label()),
        "summary": _summary_sentence(report),
        "signer_position": signer[0] or "",
        "signer": signer[1] or "",
    }


def _summary_sentence(report: Report) -> str:
    t = report.total
    pct, delay = number(t.on_time_pct), number(t.avg_delay_workdays)
    return _("In the period {assigned} items were due: {on_time} done on time, {late} late (on average {delay} working "
             "days), {overdue} overdue, {open} not yet due, {cancelled} cancelled; {extended} had their deadline "
             "extended. On time: {pct}%.").format(assigned=t.assigned, on_time=t.on_time, late=t.late, delay=delay,
                                                  overdue=t.overdue, open=t.open, cancelled=t.cancelled,
                                                  extended=t.extended, pct=pct)


CHART_ROWS = 30  # more bars than this would not be read: the chart keeps the rows with the most items


def chart_png(report: Report) -> bytes | None:
    """The bar chart of the on-time share per row (None when there is no row); of many rows, the CHART_ROWS with
    the most items judged (on time, late, overdue), in the table's order."""
    if not report.rows:
        return None
    from .charts import bar_chart

    rows = list(report.rows)
    title = _("On time, % of on time, late and overdue")
    if len(rows) > CHART_ROWS:
        judged = sorted(rows, key=lambda row: -(row.on_time + row.late + row.overdue))[:CHART_ROWS]
        kept = {id(row) for row in judged}
        rows = [row for row in rows if id(row) in kept]
        title += " " + _("({n} rows with the most items)").format(n=CHART_ROWS)
    return bar_chart([row.name for row in rows], [row.on_time_pct for row in rows], title,
                     texts=[number(row.on_time_pct) for row in rows])


def to_docx(report: Report, template: bytes, context: dict) -> bytes:
    """The справка: `template` (a .docx with docxtpl tags) filled with `context` (docx_context) and the chart, which
    the template places with {{ chart }}."""
    from docx.shared import Mm
    from docxtpl import DocxTemplate, InlineImage

    document = DocxTemplate(io.BytesIO(template))
    png = chart_png(report)
    chart = InlineImage(document, io.BytesIO(png), width=Mm(160)) if png is not None else ""
    document.render({**context, "chart": chart}, autoescape=True)
    props = document.docx.core_properties
    props.title = f"{context['title']} {context['period']}"[:250]
    props.language = "ru-RU"
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
