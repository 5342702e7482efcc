"""The building blocks of the deadline grammar: the context a phrase is read in (meeting, reference day, school year),
the error raised inside it, and the handlers of the forms that name a day or a period (dates, months, quarters,
halves, years, school years, spans from the meeting). deadline_rules puts them in order with the other forms."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta

from .deadline_words import (
    _MAX_YEAR,
    _MIN_YEAR,
    _MONTH_BY_WORD,
    _ORDINAL_STEMS,
    _PFX_TEENS,
    _PFX_TENS,
    _PFX_UNITS,
    _ROMAN,
    _SINGULAR_UNITS,
    _TEENS,
    _TENS,
    _TIME_UNITS,
    _UNITS,
)
from .holidays import add_working_days
from .recurrence import _add_months, _last_day, _month_end

try:
    from .i18n import gettext as _
except ImportError:  # pragma: no cover
    def _(s):
        return s


@dataclass(frozen=True)
class SchoolYear:
    end: tuple[int, int] = (8, 31)  # school year ends 31 August
    first_half_end: tuple[int, int] = (12, 31)
    second_half_end: tuple[int, int] = (5, 31)
    # Not a school-year date, but read from protokol.yaml beside them and needed wherever they are: «незамедлительно»
    # is due this many working days after the meeting. Kept here so that every reader of deadlines gets it.
    immediate_days: int = 3


class _Err(Exception):
    """Raised inside the grammar with a span of the normalised phrase; turned into DeadlineError at the boundary."""

    def __init__(self, message: str, start: int | None = None, end: int | None = None):
        super().__init__(message)
        self.message, self.start, self.end = message, start, end


class _NotMonth(_Err):
    """A word read where a month's name stands: the phrase's own error when the whole of it fits a rule, but when
    only a beginning does («1 раз в полгода» read as «1 раз…»), a misleading one, so _diagnose says nothing of it."""


def _md_in(y: int, md: tuple[int, int]) -> date:
    return date(y, md[0], min(md[1], _last_day(y, md[0])))


def _school_year_end_containing(d: date, sy: SchoolYear) -> date:
    end = _md_in(d.year, sy.end)
    return end if d <= end else _md_in(d.year + 1, sy.end)


def _in_school_year(end: date, md: tuple[int, int], sy: SchoolYear) -> date:
    """The day `md` inside the school year ending on `end` (a school year spans two calendar years)."""
    start = _md_in(end.year - 1, sy.end)
    for y in (end.year - 1, end.year):
        d = _md_in(y, md)
        if start < d <= end:
            return d
    return _md_in(end.year, md)  # pragma: no cover - only with settings that make no sense


@dataclass(frozen=True)
class _Ctx:
    meeting: date
    reference: date
    sy: SchoolYear
    extra_holidays: frozenset
    extra_workdays: frozenset


def _year(m: re.Match, group: str, ctx: _Ctx | None = None) -> int:
    raw = m.group(group)
    y = int(raw)
    if len(raw) == 2:
        y += 2000
        if ctx is not None and y > ctx.meeting.year + 50:
            y -= 100
    if not _MIN_YEAR <= y <= _MAX_YEAR:
        raise _Err(_("The year {year} is out of range.").format(year=raw), *m.span(group))
    return y


def _make_date(m: re.Match, y: int, mo: int, d: int, span_group: str | None = None) -> date:
    span = m.span(span_group) if span_group else m.span()
    if not 1 <= mo <= 12:
        raise _Err(_("There is no month {month}.").format(month=mo), *span)
    if not 1 <= d <= _last_day(y, mo):
        raise _Err(_("There is no day {day} in month {month} of {year}.").format(day=d, month=mo, year=y), *span)
    return date(y, mo, d)


def _dm_without_year(m: re.Match, mo: int, d: int, ctx: _Ctx) -> date:
    """A day written without a year: in the meeting's year, or the next one when it would be before the meeting."""
    if not 1 <= mo <= 12:
        raise _Err(_("There is no month {month}.").format(month=mo), *m.span())
    if not 1 <= d <= _last_day(2024, mo):
        raise _Err(_("There is no day {day} in month {month}.").format(day=d, month=mo), *m.span())
    y = ctx.meeting.year if (mo, d) >= (ctx.meeting.month, ctx.meeting.day) else ctx.meeting.year + 1
    if not calendar.isleap(y) and (mo, d) == (2, 29):
        raise _Err(_("29 February needs a year: {year} is not a leap year.").format(year=y), *m.span())
    return date(y, mo, d)


def _month_of(m: re.Match, group: str) -> int:
    word = m.group(group).rstrip(".")
    if word not in _MONTH_BY_WORD:
        if word in ("числа", "число", "числу"):
            raise _Err(_("Say of which month: «до 20 числа каждого месяца», «до 20 числа следующего месяца» or «до 20 мая»."), *m.span(group))
        if word in _TIME_UNITS:
            raise _Err(_("'{word}' is a span of time, not a month: write «в течение … {word}».").format(word=word),
                       *m.span(group))
        raise _NotMonth(_("Unknown month name '{word}'.").format(word=word), *m.span(group))
    return _MONTH_BY_WORD[word]


def _ordinal(m: re.Match, group: str) -> int:
    raw = m.group(group)
    if raw in _ROMAN:
        return _ROMAN[raw]
    digits = re.match(r"\d+", raw)
    if digits:
        return int(digits.group())
    for stem, n in _ORDINAL_STEMS:
        if raw.startswith(stem):
            return n
    raise _Err(_("Cannot read the number '{word}'.").format(word=raw), *m.span(group))  # pragma: no cover


def _words_number(text: str) -> int:
    return sum(_TENS.get(w) or _TEENS.get(w) or _UNITS[w] for w in text.split())


def _maybe_roll(due: date, ctx: _Ctx, has_year: bool, roll) -> date:
    """A period written without a year: this one, or the next when it ended before the meeting."""
    return due if has_year or due >= ctx.meeting else roll(due)


def _day_in_month(m: re.Match) -> int:
    d = int(m.group("d"))
    if not 1 <= d <= 31:
        raise _Err(_("There is no day {day} in any month.").format(day=d), *m.span("d"))
    return d


def _h_school_half_explicit(m, ctx):
    end = _school_year_of_pair(m, ctx)
    return "date", _school_half(m, end, ctx), None


def _h_school_half_current(m, ctx):
    end = _school_year_end_containing(ctx.meeting, ctx.sy)
    due = _school_half(m, end, ctx)
    if due < ctx.meeting and not m.group("cur"):
        due = _school_half(m, _md_in(end.year + 1, ctx.sy.end), ctx)
    return "date", due, None


def _school_half(m, end: date, ctx: _Ctx) -> date:
    h = _ordinal(m, "h")
    if h not in (1, 2):
        raise _Err(_("A year has only two halves; got {number}.").format(number=h), *m.span("h"))
    return _in_school_year(end, ctx.sy.first_half_end if h == 1 else ctx.sy.second_half_end, ctx.sy)


def _school_year_of_pair(m, ctx) -> date:
    y1 = _year(m, "y1")
    raw2 = m.group("y2")
    y2 = int(raw2) if len(raw2) == 4 else (y1 // 100) * 100 + int(raw2)
    if y2 != y1 + 1:
        raise _Err(_("A school year spans two consecutive years, like 2023-2024."),
                   m.start("y1"), m.end("y2"))
    return _md_in(y2, ctx.sy.end)


def _h_school_year_explicit(m, ctx):
    return "date", _school_year_of_pair(m, ctx), None


def _h_school_year_current(m, ctx):
    return "date", _school_year_end_containing(ctx.meeting, ctx.sy), None


def _h_half(m, ctx):
    h = _ordinal(m, "h")
    if h not in (1, 2):
        raise _Err(_("A year has only two halves; got {number}.").format(number=h), *m.span("h"))
    y = _year(m, "y") if m.group("y") else ctx.meeting.year
    due = _month_end(y, 6 * h)
    return "date", _maybe_roll(due, ctx, bool(m.group("y")), lambda d: _month_end(d.year + 1, d.month)), None


def _h_half_current(m, ctx):
    return "date", _month_end(ctx.meeting.year, 6 if ctx.meeting.month <= 6 else 12), None


def _h_quarter(m, ctx):
    q = _ordinal(m, "q")
    if not 1 <= q <= 4:
        raise _Err(_("A year has only four quarters; got {number}.").format(number=q), *m.span("q"))
    y = _year(m, "y") if m.group("y") else ctx.meeting.year
    due = _month_end(y, 3 * q)
    return "date", _maybe_roll(due, ctx, bool(m.group("y")), lambda d: _month_end(d.year + 1, d.month)), None


def _h_quarter_current(m, ctx):
    return "date", _month_end(ctx.meeting.year, (ctx.meeting.month + 2) // 3 * 3), None


def _h_year(m, ctx):
    return "date", date(_year(m, "y"), 12, 31), None


def _h_year_current(m, ctx):
    return "date", date(ctx.meeting.year, 12, 31), None


def _h_year_pair(m, ctx):
    raise _Err(_("Two years without «учебный год» are ambiguous: write «2023-2024 учебный год» or «до конца 2024 года»."),
               *m.span())


def _h_month(m, ctx):
    mo = _month_of(m, "m")
    if m.group("y"):
        return "date", _month_end(_year(m, "y"), mo), None
    due = _month_end(ctx.meeting.year, mo)
    return "date", _maybe_roll(due, ctx, False, lambda d: _month_end(d.year + 1, mo)), None


def _h_month_current(m, ctx):
    return "date", _month_end(ctx.meeting.year, ctx.meeting.month), None


def _h_month_range(m, ctx):
    m1, m2 = _month_of(m, "m1"), _month_of(m, "m2")
    if m.group("y1") and not m.group("y2"):
        raise _Err(_("Give the year of the end too, like «сентябрь 2023 – май 2024»."), *m.span())
    if m.group("y2"):
        y2 = _year(m, "y2")
        y1 = _year(m, "y1") if m.group("y1") else y2
        if (y1, m1) > (y2, m2):
            raise _Err(_("The period ends before it starts."), *m.span())
        return "date", _month_end(y2, m2), None
    due = _month_end(ctx.meeting.year, m2)
    return "date", _maybe_roll(due, ctx, False, lambda d: _month_end(d.year + 1, m2)), None


def _h_rel_adj(m, ctx):
    unit = m.group("u")
    if m.group("nd"):
        n = int(m.group("nd"))
    elif m.group("nt") or m.group("nte") or m.group("nu2"):
        n = (_PFX_TENS.get(m.group("nt") or "", 0) + _PFX_UNITS.get(m.group("nu") or "", 0)
             + _PFX_TEENS.get(m.group("nte") or "", 0) + _PFX_UNITS.get(m.group("nu2") or "", 0))
    elif unit == "дневный":
        raise _Err(_("Say how many days, like «в трехдневный срок»."), *m.span("u"))
    else:
        n = 1
    return "date", _relative(m, ctx, n, {"дневный": "d", "недельный": "w", "месячный": "m"}[unit], False), None


def _h_rel_within(m, ctx):
    unit_word = m.group("u")
    unit = _TIME_UNITS[unit_word]
    if m.group("nd"):
        n = int(m.group("nd"))
        words = m.group("pw")
        if words:
            in_words = int(words) if words.isdigit() else _words_number(words)
            if in_words != n:
                raise _Err(_("The number {number} and its words in brackets differ.").format(number=n),
                           m.start("nd"), m.end("pw") + 1)
    elif m.group("nw"):
        n = _words_number(m.group("nw"))
    elif unit_word in _SINGULAR_UNITS:
        n = 1
    else:
        raise _Err(_("Say how many: «в течение 10 {unit}».").format(unit=unit_word), *m.span("u"))
    if unit == "y":
        raise _Err(_("Years are not counted from the meeting: write a date or «до конца 2025 года»."), *m.span())
    working = (m.group("cal") or "").startswith("рабоч")
    if working and unit != "d":
        raise _Err(_("Working days are counted in days only."), *m.span("u"))
    return "date", _relative(m, ctx, n, unit, working), None


def _relative(m, ctx: _Ctx, n: int, unit: str, working: bool) -> date:
    if n < 1:
        raise _Err(_("The span must be at least one day."), *m.span())
    if n > 3660 or (unit == "m" and n > 120):
        raise _Err(_("A span of {number} is too long.").format(number=n), *m.span())
    if working:
        return add_working_days(ctx.meeting, n, ctx.extra_holidays, ctx.extra_workdays)
    if unit == "d":
        return ctx.meeting + timedelta(days=n)
    if unit == "w":
        return ctx.meeting + timedelta(weeks=n)
    return _add_months(ctx.meeting, n)


def _h_date_iso(m, ctx):
    return "date", _make_date(m, _year(m, "y"), int(m.group("m")), int(m.group("d")), "dt"), None


def _h_date_num(m, ctx):
    mo, d = int(m.group("m")), int(m.group("d"))
    if m.group("y"):
        return "date", _make_date(m, _year(m, "y", ctx), mo, d, "dt"), None
    return "date", _dm_without_year(_Sub(m, "dt"), mo, d, ctx), None


def _h_date_word(m, ctx):
    mo, d = _month_of(m, "mw"), int(m.group("d"))
    if m.group("y"):
        return "date", _make_date(m, _year(m, "y"), mo, d, "dt"), None
    return "date", _dm_without_year(_Sub(m, "dt"), mo, d, ctx), None


class _Sub:
    """A match whose whole span is one group of another match (so errors point at the date, not at «до»)."""

    def __init__(self, m: re.Match, group: str):
        self._span = m.span(group)

    def span(self, *_args):
        return self._span
