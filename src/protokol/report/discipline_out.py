"""The discipline report (report/discipline.py) as text: JSON (the contract of docs/reports.md), CSV, Markdown and the
terminal's table; the labels and the «why» of each counted item that the XLSX and DOCX share. Pure: records in, text
out."""

from __future__ import annotations

import csv
import io
import json

from ..i18n import _, current_language, ngettext
from ..rudates import shown_date
from .discipline import CATEGORIES, Item, Report, Row

FORMATS = ("table", "json", "csv", "md", "xlsx", "docx")
BINARY = ("xlsx", "docx")  # written to a file (-o), never to the terminal
FIGURES = ("assigned", *CATEGORIES, "extended", "on_time_pct", "avg_delay_workdays")


def row_dict(row: Row, by: str | None) -> dict:
    """A row in the JSON contract: the row's name under the key `by` first (none for the total), then FIGURES."""
    head = {by: row.name} if by is not None else {}
    return {**head, **{key: getattr(row, key) for key in FIGURES}}


def as_dict(report: Report) -> dict:
    return {"period": {"from": report.start.isoformat(), "to": report.end.isoformat(), "today": report.today.isoformat()},
            "by": report.by,
            "rows": [row_dict(row, report.by) for row in report.rows],
            "total": row_dict(report.total, None)}


def to_json(report: Report) -> str:
    return json.dumps(as_dict(report), ensure_ascii=False, indent=2) + "\n"


def by_label(by: str) -> str:
    return {"responsible": _("Executor"), "series": _("Series"), "protocol": _("Protocol")}[by]


def headers(by: str) -> list[str]:
    """Column titles of the summary, in the language of the messages."""
    return [by_label(by), _("Assigned"), _("On time"), _("Late"), _("Overdue"), _("Open"), _("Cancelled"),
            _("Extended"), _("On time, %"), _("Average delay, working days")]


def category_label(category: str) -> str:
    return {"on_time": _("on time"), "late": _("late"), "overdue": _("overdue"), "open": _("open"),
            "cancelled": _("cancelled")}[category]


def total_label() -> str:
    return _("Total")


def number(value) -> str:
    """A figure as printed: «46,5» in Russian (its decimal comma), 46.5 in English; «—» for a share or mean that
    does not exist."""
    if value is None:
        return "—"
    if isinstance(value, float):
        return f"{value:.1f}".replace(".", ",") if current_language() == "ru" else f"{value:.1f}"
    return str(value)


def cells(row: Row, label: str | None = None) -> list[str]:
    """A row as printed text (the total's name is `label`); a share or mean that does not exist is «—»."""
    return [label if row.name is None else row.name, *(number(getattr(row, key)) for key in FIGURES)]


def to_csv(report: Report) -> str:
    """CSV for Excel (a byte order mark first, as `due` writes it): the contract's keys as column names, the total
    last with the row name «total»."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out)
    writer.writerow([report.by, *FIGURES])
    for row in (*report.rows, report.total):
        writer.writerow([row.name if row.name is not None else "total",
                         *("" if getattr(row, key) is None else getattr(row, key) for key in FIGURES)])
    return out.getvalue()


def title(report: Report) -> str:
    return _("Executive discipline from {start} to {end} (as of {today})").format(
        start=shown_date(report.start), end=shown_date(report.end), today=shown_date(report.today))


def to_markdown(report: Report) -> str:
    def line(values: list[str]) -> str:
        return "| " + " | ".join(v.replace("|", "\\|") for v in values) + " |"

    out = [f"## {title(report)}", "", line(headers(report.by)), "|" + "---|" * len(headers(report.by))]
    out += [line(cells(row)) for row in report.rows]
    out.append(line([f"**{total_label()}**", *cells(report.total, "")[1:]]))
    return "\n".join(out) + "\n"


def table(report: Report, width: int = 100) -> list[str]:
    """The terminal's table: the name column takes what the figures leave of `width`."""
    heads = [_("Assigned"), _("On time"), _("Late"), _("Overdue"), _("Open"), _("Cancelled"), _("Extended"), "%",
             _("Delay")]
    rows = [cells(row) for row in report.rows] + [cells(report.total, total_label())]
    widths = [max(len(h), *(len(r[i + 1]) for r in rows)) for i, h in enumerate(heads)]
    name_width = max(12, min(max(len(r[0]) for r in rows), width - sum(widths) - len(widths) - 1))

    def fit(text: str) -> str:  # names of one series differ at the end («… округа № 10»): keep both ends
        if len(text) <= name_width:
            return text
        tail = name_width // 3
        return text[:name_width - tail - 1] + "…" + text[-tail:]

    def line(first: str, rest: list[str]) -> str:
        return " ".join([fit(first).ljust(name_width), *(v.rjust(w) for v, w in zip(rest, widths, strict=True))])

    out = [title(report), "", line(by_label(report.by), heads)]
    out += [line(r[0], r[1:]) for r in rows[:-1]]
    out.append("-" * min(width, name_width + sum(widths) + len(widths)))
    out.append(line(rows[-1][0], rows[-1][1:]))
    out.append(_("%: on time of on time, late and overdue; delay: average working days late."))
    return out


def why(item: Item) -> str:
    """Why the item is in its category, in a sentence of the messages' language."""
    deadline = shown_date(item.deadline)
    if item.category == "on_time":
        text = _("done {day}, by the deadline {deadline}").format(day=shown_date(item.day), deadline=deadline)
    elif item.category == "late":
        text = ngettext("done {day}, {n} working day after the deadline {deadline}",
                        "done {day}, {n} working days after the deadline {deadline}", item.delay).format(
            day=shown_date(item.day), n=item.delay, deadline=deadline)
    elif item.category == "overdue":
        text = _("not done, the deadline {deadline} has passed").format(deadline=deadline)
    elif item.category == "open":
        text = _("not done yet, due {deadline}").format(deadline=deadline)
    else:
        text = _("cancelled {day}").format(day=shown_date(item.day))
    if item.extended:
        text += "; " + _("extended from {written}").format(written=shown_date(item.written))
    return text
