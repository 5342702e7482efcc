"""Russian date text for documents.

Styles of :func:`format_date`:

* ``"long"``    — «5 июня 2016 г.»: the словесно-цифровой form of ГОСТ Р 7.0.97
  (п. 5.10), day without a leading zero;
* ``"numeric"`` — «05.06.2016»: day and month as two digits, no «г.»;
* ``"quoted"``  — «“05” июня 2016 г.»: the form of older protocols
  («“02” сентября 2021»), day as two digits in typographic quotes “ ”.
"""

from __future__ import annotations

from datetime import date

__all__ = ["MONTHS_GENITIVE", "STYLES", "format_date"]

MONTHS_GENITIVE: tuple[str, ...] = (
    "января",
    "февраля",
    "марта",
    "апреля",
    "мая",
    "июня",
    "июля",
    "августа",
    "сентября",
    "октября",
    "ноября",
    "декабря",
)

STYLES: tuple[str, ...] = ("long", "numeric", "quoted")


def format_date(d: date, style: str = "long") -> str:
    """Format ``d`` in one of :data:`STYLES`; an unknown style raises ValueError."""
    if not isinstance(d, date):
        raise TypeError(f"expected a date, not {type(d).__name__}")
    month = MONTHS_GENITIVE[d.month - 1]
    if style == "long":
        return f"{d.day} {month} {d.year} г."
    if style == "numeric":
        return f"{d.day:02d}.{d.month:02d}.{d.year:04d}"
    if style == "quoted":
        return f"\u201c{d.day:02d}\u201d {month} {d.year} г."
    raise ValueError(f"style must be one of {STYLES}, not {style!r}")
