"""reports.html: the discipline report (report/discipline.py, the figures of `protokol report discipline`) for the
calendar quarter and the calendar year of `today`, per executor, each with the справка's bar chart drawn as SVG
(report/charts.py, the one charting library) in a file of its own beside the page."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta


@dataclass(frozen=True)
class Period:
    name: str  # quarter | year: the chart's file, reports/<name>.svg
    start: date
    end: date
    report: object  # report.discipline.Report


def periods(today: date) -> list[tuple[str, date, date]]:
    """The calendar quarter and the calendar year `today` falls in."""
    first = date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
    after = date(first.year + (first.month == 10), (first.month + 2) % 12 + 1, 1)
    return [("quarter", first, after - timedelta(days=1)), ("year", date(today.year, 1, 1), date(today.year, 12, 31))]


def discipline_periods(index, directory, settings, today: date) -> list[Period]:
    from ..report.discipline import discipline

    return [Period(name, start, end, discipline(index, directory, start, end, today, "responsible",
                                                settings.extra_days()))
            for name, start, end in periods(today)]


def chart(period: Period) -> bytes:
    """The on-time share per executor as SVG, as the справка draws it (report/office.chart_png's rows and title)."""
    from ..report.charts import bar_chart
    from ..report.discipline_out import number
    from ..report.office import CHART_ROWS

    rows = list(period.report.rows)
    if len(rows) > CHART_ROWS:
        kept = {id(r) for r in sorted(rows, key=lambda r: -(r.on_time + r.late + r.overdue))[:CHART_ROWS]}
        rows = [r for r in rows if id(r) in kept]
    title = "Исполнено в срок, % (из исполненных в срок, с опозданием и просроченных)"
    from matplotlib import rc_context

    with rc_context({"svg.hashsalt": "protokol"}):  # the ids inside the SVG: the same chart, the same bytes
        return bar_chart([r.name for r in rows], [r.on_time_pct for r in rows], title, fmt="svg",
                         texts=[number(r.on_time_pct) for r in rows])


def key(found: list[Period]) -> str:
    """What the page and its charts show, for their keys."""
    return repr([(p.name, p.start, p.end, p.report.rows, p.report.total) for p in found])
