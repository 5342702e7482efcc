"""Russian date text for documents.

Styles of :func:`format_date`:

* ``"long"``    — «5 июня 2016 г.»: the словесно-цифровой form of ГОСТ Р 7.0.97
  (п. 5.10), day without a leading zero;
* ``"numeric"`` — «05.06.2016»: day and month as two digits, no «г.»;
* ``"quoted"``  — «“05” июня 2016 г.»: the form of older protocols
  («“02” сентября 2021»), day as two digits in typographic quotes “ ”.

:func:`parse_date` reads a date the way a secretary types it (every date option and prompt of the program uses it);
:func:`shown_date` and :func:`shown_day` write one into a message or a table in the language of the messages.
"""

from __future__ import annotations

import re
from datetime import date

from .i18n import current_language

__all__ = ["ACCEPTED_FORMS", "NotACalendarDay", "MONTHS_GENITIVE", "STYLES", "format_date", "parse_date", "set_shown_style", "shown_date",
           "shown_day"]

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


# What a date option or prompt accepts, as shown in the message about a wrong one.
ACCEPTED_FORMS = "01.07.2024, 1.7.2024, «1 июля 2024», «1 июля 2024 г.», 2024-07-01"

_NUMERIC = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4})")
_ISO = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
# «1 июля 2024», «01 июля 2024 г.», «1 июля 2024 года», «“01” июля 2024 г.»: the forms format_date writes, and more.
_WORDS = re.compile(r"[«\"“]?(\d{1,2})[»\"”]?\s+([а-яё]+)\s+(\d{4})(?:\s*(?:г\.?|года?))?")


class NotACalendarDay(ValueError):
    """A date written in an accepted form that the calendar lacks (31.02.2024)."""


def parse_date(text: str) -> date:
    """The day ``text`` names: ISO, «01.07.2024», «1.7.2024» or «1 июля 2024» (with «г.» or «года» or neither).

    Raises NotACalendarDay for a day the calendar lacks (31.02.2024), ValueError when it is none of these forms."""
    value = " ".join(text.strip().lower().split())
    if found := _ISO.fullmatch(value):
        year, month, day = (int(x) for x in found.groups())
    elif found := _NUMERIC.fullmatch(value):
        day, month, year = (int(x) for x in found.groups())
    elif (found := _WORDS.fullmatch(value)) and found[2] in MONTHS_GENITIVE:
        day, month, year = int(found[1]), MONTHS_GENITIVE.index(found[2]) + 1, int(found[3])
    else:
        raise ValueError(f"not a date: {text!r}")
    try:
        return date(year, month, day)
    except ValueError:
        raise NotACalendarDay(f"not a day of the calendar: {text!r}") from None


_shown_style = "long"


def set_shown_style(style: str | None) -> None:
    """How Russian messages write a date: the archive's `date_style` (the program sets it once, with the language).

    «quoted» is a style for documents; a message writes the long form instead."""
    global _shown_style
    _shown_style = "numeric" if style == "numeric" else "long"


def shown_date(d: date) -> str:
    """``d`` inside a message: ISO in English; «14 февраля 2024 г.» or «14.02.2024» in Russian, by the date style."""
    if current_language() != "ru":
        return d.isoformat()
    return format_date(d, _shown_style)


def shown_day(d: date | None) -> str:
    """``d`` in a table cell, where width matters: ISO in English, «14.02.2024» in Russian; "" for None."""
    if d is None:
        return ""
    return d.isoformat() if current_language() != "ru" else format_date(d, "numeric")
