"""Charts, drawn by matplotlib (Agg backend, no display): the PNG of the DOCX справка, and the same drawing as SVG for
pages. matplotlib is imported inside `bar_chart` only: `protokol --help` and every command that draws nothing never
load it (README, «Libraries, and why»)."""

from __future__ import annotations

import io

# Fonts matplotlib ships (DejaVu has Cyrillic); Liberation/Times where installed, so the chart matches the document.
_FONTS = ["Liberation Sans", "DejaVu Sans"]


def bar_chart(labels: list[str], values: list[float | None], title: str, fmt: str = "png",
              texts: list[str] | None = None, limit: float = 100.0) -> bytes:
    """Horizontal bars, one per label, top to bottom in the order given, each with its value written beside it
    (`texts`, else the value); a missing value is drawn as «—» with no bar. `fmt` is png (200 dpi, for documents)
    or svg (text kept as text, for pages)."""
    import textwrap

    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    shown = [label if len(label) <= 40 else label[:39] + "…" for label in labels]
    height = 1.0 + 0.32 * max(len(labels), 1)
    figure = Figure(figsize=(6.3, height), layout="constrained")
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    positions = list(range(len(labels)))
    axes.barh(positions, [v or 0 for v in values], color="#4a78b5", height=0.6)
    axes.set_yticks(positions, shown, fontfamily=_FONTS, fontsize=8)
    axes.invert_yaxis()
    axes.set_xlim(0, limit)
    axes.set_title("\n".join(textwrap.wrap(title, 70)), fontfamily=_FONTS, fontsize=10)
    axes.tick_params(axis="x", labelsize=8)
    for spine in ("top", "right"):
        axes.spines[spine].set_visible(False)
    texts = texts or ["—" if value is None else f"{value:g}" for value in values]
    for y, value, text in zip(positions, values, texts, strict=True):
        axes.text(min(value or 0, limit) + limit * 0.01, y, text, va="center", fontsize=7, fontfamily=_FONTS)
    out = io.BytesIO()
    metadata = {"Software": None} if fmt == "png" else {"Date": None}  # the same bytes for the same chart
    figure.savefig(out, format=fmt, dpi=200, metadata=metadata)
    return out.getvalue()
