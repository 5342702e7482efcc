"""Russian deadline phrases (Срок) -> Deadline: a small explicit grammar, no guessing, no clock.

How it works: the phrase is normalised (case, ё, quotes, dashes, spaces, trailing punctuation) keeping a map back to
the characters as written, a leading «Срок:» / «В срок» is dropped, and the rest must match one of the rules in
`_RULES` completely (compiled regexes tried in order; each has a handler that computes the due date).
Anything else is a DeadlineError with the span of the part that is wrong, because a guessed deadline is worse than
none: the control officer would chase the wrong date.
"""

from __future__ import annotations

import calendar
import itertools
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

from .holidays import add_working_days

try:
    from .i18n import gettext as _
except ImportError:  # pragma: no cover
    def _(s):
        return s

__all__ = [
    "EXAMPLES",
    "KINDS",
    "Deadline",
    "DeadlineError",
    "SchoolYear",
    "find_deadline_in_text",
    "next_occurrence",
    "parse_deadline",
]

KINDS = ("date", "recurring", "ongoing", "as_needed", "by_regulation", "none")

EXAMPLES: list[str] = [
    "15.10.2023",
    "до 01 июля 2024 года",
    "январь-июнь 2024 года",
    "II квартал 2024 г.",
    "до конца учебного года",
    "в течение 10 рабочих дней",
    "в недельный срок",
    "ежемесячно до 10 числа",
    "еженедельно по пятницам",
    "постоянно",
    "по мере необходимости",
    "незамедлительно",
    "в установленные сроки",
]

# Forms of every kind, for the hint to a phrase that fits none: the nearest of these are shown first (difflib).
SAMPLES: tuple[str, ...] = (
    *EXAMPLES, "до 20 мая", "в мае 2024 года", "до конца месяца", "до конца квартала", "до конца полугодия",
    "до конца года", "до конца текущего года", "в текущем году", "в следующем году", "до 31 декабря текущего года",
    "к началу учебного года", "до начала учебного года", "до 20 числа", "до 20 числа следующего месяца",
    "в течение недели", "в течение трех дней", "в течение 10 календарных дней", "в месячный срок",
    "в двухнедельный срок", "через 10 дней", "до 20 числа каждого месяца", "до 10 числа месяца, следующего за отчетным",
    "каждого квартала", "ежеквартально до 10 числа", "1 раз в полугодие", "2 раза в год", "1 раз в месяц",
    "ежегодно в мае", "ежегодно до 1 сентября", "ежедневно", "немедленно", "срочно", "в установленный срок",
    "в сроки, установленные регламентом", "в соответствии с регламентом", "согласно графику", "по мере поступления",
)


@dataclass(frozen=True)
class SchoolYear:
    end: tuple[int, int] = (8, 31)  # school year ends 31 August
    first_half_end: tuple[int, int] = (12, 31)
    second_half_end: tuple[int, int] = (5, 31)
    # Not a school-year date, but read from protokol.yaml beside them and needed wherever they are: «незамедлительно»
    # is due this many working days after the meeting. Kept here so that every reader of deadlines gets it.
    immediate_days: int = 3


@dataclass(frozen=True)
class Deadline:
    text: str | None  # as written (None when there is no deadline)
    kind: str  # one of KINDS
    due: date | None  # 'date': the day (last day of a period); 'recurring': next occurrence on/after reference
    rule: str | None = None  # recurring only: "daily", "weekly:4" (Mon=0), "monthly", "monthly:10", "quarterly",
    #                          "quarterly:10" (10th of Jan/Apr/Jul/Oct), "halfyearly" (30 Jun, 31 Dec), "yearly" (31 Dec),
    #                          "yearly:09-01"


class DeadlineError(ValueError):
    """A phrase that fits no rule. .message (English sentence), .start/.end: character span within the text that is
    wrong (0-based; whole text if unknown), .examples: list of accepted forms to show the user."""

    def __init__(self, message: str, start: int = 0, end: int | None = None, examples: list[str] | None = None,
                 text: str = ""):
        super().__init__(message)
        self.message = message
        self.text = text
        self.start = start
        self.end = len(text) if end is None else end
        self.examples = list(EXAMPLES if examples is None else examples)


class _Err(Exception):
    """Raised inside the grammar with a span of the normalised phrase; turned into DeadlineError at the boundary."""

    def __init__(self, message: str, start: int | None = None, end: int | None = None):
        super().__init__(message)
        self.message, self.start, self.end = message, start, end


class _NotMonth(_Err):
    """A word read where a month's name stands: the phrase's own error when the whole of it fits a rule, but when
    only a beginning does («1 раз в полгода» read as «1 раз…»), a misleading one, so _diagnose says nothing of it."""


# ---------------------------------------------------------------------------------------------------------- tables

_MONTH_FORMS: dict[int, tuple[str, ...]] = {
    1: ("январь", "января", "январе", "январю", "январем", "янв"),
    2: ("февраль", "февраля", "феврале", "февралю", "февралем", "фев", "февр"),
    3: ("март", "марта", "марте", "марту", "мартом", "мар"),
    4: ("апрель", "апреля", "апреле", "апрелю", "апрелем", "апр"),
    5: ("май", "мая", "мае", "маю", "маем"),
    6: ("июнь", "июня", "июне", "июню", "июнем", "июн"),
    7: ("июль", "июля", "июле", "июлю", "июлем", "июл"),
    8: ("август", "августа", "августе", "августу", "августом", "авг"),
    9: ("сентябрь", "сентября", "сентябре", "сентябрю", "сентябрем", "сен", "сент"),
    10: ("октябрь", "октября", "октябре", "октябрю", "октябрем", "окт"),
    11: ("ноябрь", "ноября", "ноябре", "ноябрю", "ноябрем", "ноя", "нояб"),
    12: ("декабрь", "декабря", "декабре", "декабрю", "декабрем", "дек"),
}
_MONTH_BY_WORD = {w: m for m, forms in _MONTH_FORMS.items() for w in forms}

_WEEKDAY_FORMS: dict[int, tuple[str, ...]] = {
    0: ("понедельник", "понедельникам", "понедельника"),
    1: ("вторник", "вторникам", "вторника"),
    2: ("среда", "среду", "средам", "среды"),
    3: ("четверг", "четвергам", "четверга"),
    4: ("пятница", "пятницу", "пятницам", "пятницы"),
    5: ("суббота", "субботу", "субботам", "субботы"),
    6: ("воскресенье", "воскресеньям", "воскресенья"),
}
_WEEKDAY_BY_WORD = {w: d for d, forms in _WEEKDAY_FORMS.items() for w in forms}

# Cardinal numbers in the nominative and the oblique case used after «в течение» (genitive).
_UNITS = {
    "один": 1, "одного": 1, "одной": 1, "одна": 1, "одну": 1, "два": 2, "две": 2, "двух": 2, "три": 3, "трех": 3,
    "четыре": 4, "четырех": 4, "пять": 5, "пяти": 5, "шесть": 6, "шести": 6, "семь": 7, "семи": 7,
    "восемь": 8, "восьми": 8, "девять": 9, "девяти": 9,
}
_TEENS = {
    "десять": 10, "десяти": 10, "одиннадцать": 11, "одиннадцати": 11, "двенадцать": 12, "двенадцати": 12,
    "тринадцать": 13, "тринадцати": 13, "четырнадцать": 14, "четырнадцати": 14, "пятнадцать": 15, "пятнадцати": 15,
    "шестнадцать": 16, "шестнадцати": 16, "семнадцать": 17, "семнадцати": 17, "восемнадцать": 18,
    "восемнадцати": 18, "девятнадцать": 19, "девятнадцати": 19,
}
_TENS = {
    "двадцать": 20, "двадцати": 20, "тридцать": 30, "тридцати": 30, "сорок": 40, "сорока": 40,
    "пятьдесят": 50, "пятидесяти": 50, "шестьдесят": 60, "шестидесяти": 60, "семьдесят": 70, "семидесяти": 70,
    "восемьдесят": 80, "восьмидесяти": 80, "девяносто": 90, "девяноста": 90,
}
# First parts of compound adjectives: «трех|дневный», «десяти|дневный», «двадцати|пяти|дневный».
_PFX_UNITS = {"одно": 1, "двух": 2, "трех": 3, "четырех": 4, "пяти": 5, "шести": 6, "семи": 7, "восьми": 8,
              "девяти": 9}
_PFX_TEENS = {k: v for k, v in _TEENS.items() if k.endswith("и")}  # десяти, одиннадцати, …
_PFX_TENS = {"двадцати": 20, "тридцати": 30, "сорока": 40, "пятидесяти": 50, "шестидесяти": 60, "семидесяти": 70,
             "восьмидесяти": 80, "девяноста": 90}

_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "v": 5, "vi": 6, "vii": 7, "viii": 8, "ix": 9, "x": 10}
_ORDINAL_STEMS = (("перв", 1), ("втор", 2), ("трет", 3), ("четверт", 4))

_DAY_UNITS = {"день": "d", "дня": "d", "дней": "d", "сутки": "d", "суток": "d"}
_WEEK_UNITS = {"неделя": "w", "неделю": "w", "недели": "w", "недель": "w"}
_MONTH_UNITS = {"месяц": "m", "месяца": "m", "месяцев": "m"}
_YEAR_UNITS = {"год": "y", "года": "y", "лет": "y"}
_TIME_UNITS = _DAY_UNITS | _WEEK_UNITS | _MONTH_UNITS | _YEAR_UNITS
_SINGULAR_UNITS = {"день", "дня", "сутки", "суток", "неделя", "неделю", "недели", "месяц", "месяца"}

_MIN_YEAR, _MAX_YEAR = 1900, 2199


def _choices(words) -> str:
    """An alternation of `words`, longest first so that «пятнадцати» is not read as «пяти»."""
    return "|".join(sorted((re.escape(w) for w in words), key=len, reverse=True))


def _alt(words) -> str:
    return "(?:" + _choices(words) + ")"


# ---------------------------------------------------------------------------------------------------------- regex parts
_W = r"(?![0-9a-zа-я])"  # end of a word
_MONTH = _alt(_MONTH_BY_WORD) + r"\.?" + _W
_WEEKDAY = _alt(_WEEKDAY_BY_WORD) + _W
_YS = r"(?:\s?(?:гг|г|года|году|год)" + _W + r"\.?)?"  # year suffix: 2024 г. / 2024г / 2024 года
_NUMWORDS = "(?:" + _alt(_TENS) + r"(?: " + _alt(_UNITS) + ")?" + "|" + _alt(_TEENS) + "|" + _alt(_UNITS) + ")" + _W
_NUMPFX = ("(?:(?P<nt>" + _choices(_PFX_TENS) + ")(?P<nu>" + _choices(_PFX_UNITS) + ")?"
           "|(?P<nte>" + _choices(_PFX_TEENS) + ")|(?P<nu2>" + _choices(_PFX_UNITS) + "))")
_PERIOD_PRE = r"(?:(?:в течение|в|во|до конца|до окончания|к концу|к окончанию|на) )?(?:всего )?"
_DATE_PRE = r"(?:(?:до|к|не позднее|по) )?"
_INCL = r"(?: \(?включительно\)?)?"
_SY_WORD = r"(?:учебн(?:ый|ого|ом|ому) год(?:а|у)?|уч\.? ?г(?:ода|оду|од)?\.?)" + _W
_YEAR_PAIR = r"(?P<y1>\d{4}) ?[-/] ?(?P<y2>\d{4}|\d{2})(?: ?гг?\.?)?"
_HALF = r"(?P<h>[ivx]+|\d{1,2}(?:-?(?:е|го|ое|ого|м|ом))?|перв(?:ое|ого|ом)|втор(?:ое|ого|ом))"
_HALF_WORD = r"полугоди(?:е|я|и|ю)" + _W
_QUARTER = (r"(?P<q>[ivx]+|\d{1,2}(?:-?(?:й|го|м|ом|ый))?|перв(?:ый|ого|ом)|втор(?:ой|ого|ом)"
            r"|трет(?:ий|ьего|ьем)|четверт(?:ый|ого|ом))")
_DAY_OF_MONTH = r"(?P<d>\d{1,2})(?:-?(?:го|е|ое|ого|у|ому))?(?: (?:числа|число|числу))?"
# Deadlines set elsewhere (a regulation, a schedule, a law): no date of their own, never overdue here.
_FREE = r"(?: \S.{0,200})?"
_BY_REGULATION = (r"(?:в|во) (?:установленн|регламентн|нормативн|предусмотренн|определенн)(?:ые|ый|ом)(?: [а-я]+){0,3}"
                  r" (?:сроки?|порядке)" + _FREE
                  + r"|(?:в )?(?:сроки?|срок),? (?:установленн|предусмотренн|определенн|указанн)[а-я]*" + _FREE
                  + r"|(?:в соответствии с|согласно|по) (?:регламент|график|план|положени|порядк|норматив|требовани"
                    r"|закон|приказ|распоряжени|постановлени|установленн|срок)[а-я]*" + _FREE)
_AFTER_MEETING = (r"(?: (?:со дня|с даты|с момента|после) (?:проведения |подписания )?"
                  r"(?:совещания|заседания|протокола|подписания протокола))?")


# ---------------------------------------------------------------------------------------------------------- helpers
def _last_day(y: int, m: int) -> int:
    return calendar.monthrange(y, m)[1]


def _month_end(y: int, m: int) -> date:
    return date(y, m, _last_day(y, m))


def _add_months(d: date, n: int) -> date:
    """`d` plus `n` months, clamped to the month's end (31 Jan + 1 month = 29 Feb 2024)."""
    total = d.year * 12 + d.month - 1 + n
    y, m = divmod(total, 12)
    return date(y, m + 1, min(d.day, _last_day(y, m + 1)))


def _on_or_after(month: int, day: int, start: date) -> date:
    """The day month/day in start's year, or the next year when it would fall before `start`."""
    y = start.year if (month, day) >= (start.month, start.day) else start.year + 1
    return date(y, month, day)


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
            raise _Err(_("Say of which month: «до 20 числа каждого месяца», «до 20 числа следующего месяца» or "
                         "«до 20 мая»."), *m.span(group))
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


# ---------------------------------------------------------------------------------------------------------- handlers
# Each returns (kind, due, rule) or raises _Err with a span in the phrase.

def _h_ongoing(m, ctx):
    return "ongoing", None, None


def _h_as_needed(m, ctx):
    return "as_needed", None, None


def _recurring(rule: str, ctx: _Ctx):
    return "recurring", next_occurrence(rule, ctx.reference), rule


def _h_daily(m, ctx):
    return _recurring("daily", ctx)


def _h_weekly(m, ctx):
    return _recurring("weekly:4", ctx)


def _h_weekly_day(m, ctx):
    word = m.group("wd") or m.group("wd2")
    return _recurring(f"weekly:{_WEEKDAY_BY_WORD[word]}", ctx)


def _h_monthly(m, ctx):
    return _recurring("monthly", ctx)


def _day_in_month(m: re.Match) -> int:
    d = int(m.group("d"))
    if not 1 <= d <= 31:
        raise _Err(_("There is no day {day} in any month.").format(day=d), *m.span("d"))
    return d


def _h_monthly_day(m, ctx):
    return _recurring(f"monthly:{_day_in_month(m)}", ctx)


def _h_quarterly(m, ctx):
    return _recurring("quarterly", ctx)


def _h_quarterly_day(m, ctx):
    return _recurring(f"quarterly:{_day_in_month(m)}", ctx)


def _h_yearly(m, ctx):
    return _recurring("yearly", ctx)


def _h_yearly_date(m, ctx):
    if m.group("m"):
        mo, d = _month_of(m, "m"), int(m.group("d"))
    else:
        mo, d = int(m.group("m2")), int(m.group("d2"))
    if not 1 <= mo <= 12:
        raise _Err(_("There is no month {month}.").format(month=mo), *m.span("dt"))
    if not 1 <= d <= _last_day(2024, mo):  # a leap year, so that 29 February is allowed
        raise _Err(_("There is no day {day} in month {month}.").format(day=d, month=mo), *m.span("dt"))
    return _recurring(f"yearly:{mo:02d}-{d:02d}", ctx)


def _h_yearly_month(m, ctx):
    mo = _month_of(m, "m")
    return _recurring(f"yearly:{mo:02d}-{_last_day(2024, mo):02d}", ctx)


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


# ---------------------------------------------------------------------------------------------------------- added forms
def _h_by_regulation(m, ctx):
    return "by_regulation", None, None


def _h_immediate(m, ctx):
    return "date", add_working_days(ctx.meeting, ctx.sy.immediate_days, ctx.extra_holidays, ctx.extra_workdays), None


def _h_halfyearly(m, ctx):
    return _recurring("halfyearly", ctx)


def _h_daily_each(m, ctx):
    return _recurring("daily", ctx)


# «N раз в период»: how many times a period, as the rule of the period they divide it into.
_TIMES_RULE = {("неделю", 1): "weekly:4", ("месяц", 1): "monthly", ("квартал", 1): "quarterly", ("квартал", 3): "monthly",
               ("полугодие", 1): "halfyearly", ("полугодие", 2): "quarterly", ("полугодие", 6): "monthly",
               ("год", 1): "yearly", ("год", 2): "halfyearly", ("год", 4): "quarterly", ("год", 12): "monthly"}
_TIMES_WORDS = {"один": 1, "одна": 1, "два": 2, "две": 2, "три": 3, "четыре": 4, "шесть": 6, "двенадцать": 12}


def _h_times(m, ctx):
    raw = m.group("n")
    n = 1 if raw is None else int(raw) if raw.isdigit() else _TIMES_WORDS[raw]
    rule = _TIMES_RULE.get((m.group("p").replace("полгода", "полугодие"), n))
    if rule is None:
        raise _Err(_("'{phrase}' is no calendar rule: name the days, like «ежемесячно до 15 числа» "
                     "or «еженедельно по пятницам».").format(phrase=m.group()), *m.span())
    return _recurring(rule, ctx)


def _h_month_day_once(m, ctx):
    """«до 20 числа» (of this month, or the next when the 20th is past), «до 20 числа следующего месяца»."""
    day = _day_in_month(m)
    which = m.group("which") or ""
    if which.startswith("следующ"):
        first = _add_months(date(ctx.meeting.year, ctx.meeting.month, 1), 1)
        return "date", date(first.year, first.month, min(day, _last_day(first.year, first.month))), None
    if which:
        return "date", date(ctx.meeting.year, ctx.meeting.month, min(day, _last_day(ctx.meeting.year, ctx.meeting.month))), None
    return "date", next_occurrence(f"monthly:{day}", ctx.meeting), None


def _h_date_this_year(m, ctx):
    y = ctx.meeting.year + (1 if m.group("which").startswith("следующ") else 0)
    return "date", _make_date(m, y, _month_of(m, "mw"), int(m.group("d")), "dt"), None


def _h_year_next(m, ctx):
    return "date", date(ctx.meeting.year + 1, 12, 31), None


def _h_school_start(m, ctx):
    """«к началу учебного года»: by the last day of the school year before it begins."""
    if m.group("y1"):
        pair_end = _school_year_of_pair(m, ctx)
        return "date", _md_in(pair_end.year - 1, ctx.sy.end), None
    return "date", _school_year_end_containing(ctx.meeting, ctx.sy), None


# ---------------------------------------------------------------------------------------------------------- grammar
def _r(pattern: str) -> re.Pattern:
    return re.compile(pattern)


_RULES: list[tuple[str, re.Pattern, object]] = [
    # ongoing / as needed
    ("ongoing", _r(r"постоянно|в течение всего периода|систематически|регулярно|на постоянной основе"), _h_ongoing),
    ("as_needed", _r(r"по мере (?:необходимости|поступления(?: [а-я]+){0,3})|при необходимости|по необходимости"),
     _h_as_needed),
    ("by_regulation", _r(_BY_REGULATION), _h_by_regulation),
    ("immediate", _r(r"незамедлительно|немедленно|срочно|безотлагательно|в (?:срочном|незамедлительном|оперативном) "
                     r"порядке|в кратчайш(?:ие|ий) сроки?"), _h_immediate),
    # recurring
    ("daily", _r(r"ежедневно|каждый день"), _h_daily),
    ("times", _r(r"(?:(?P<n>\d{1,2}|" + _choices(_TIMES_WORDS) + r") )?раза? в (?P<p>неделю|месяц|квартал|полугодие|полгода|год)"),
     _h_times),
    ("monthly_each", _r(r"(?:(?:до|к|не позднее) )?" + _DAY_OF_MONTH + r"(?: (?:каждого|очередного) месяца| ежемесячно"
                        r"|,? месяца,? следующего за отчетным(?: месяцем| периодом)?)"), _h_monthly_day),
    ("quarterly_each", _r(r"(?:(?:до|к|не позднее) )?" + _DAY_OF_MONTH + r"(?: (?:первого месяца )?каждого квартала"
                          r"|,? месяца,? следующего за (?:каждым |отчетным )?кварталом)"), _h_quarterly_day),
    ("month_day_once", _r(r"(?:(?:до|к|не позднее) )?(?P<d>\d{1,2})(?:-?(?:го|е|ое|ого|у|ому))? (?:числа|число|числу)"
                          r"(?: (?P<which>текущего|этого|следующего) месяца)?"), _h_month_day_once),
    ("halfyearly", _r(r"ежеполугодно|(?:каждое|в конце каждого|по итогам каждого) полугоди[ея]"), _h_halfyearly),
    ("weekly_day", _r(r"еженедельно,? (?:по|в|во|до) (?P<wd>" + _WEEKDAY + r")|(?:по|каждую|каждый|каждое) (?P<wd2>"
                      + _WEEKDAY + ")"), _h_weekly_day),
    ("weekly", _r(r"еженедельно|каждую неделю"), _h_weekly),
    ("monthly_day", _r(r"(?:ежемесячно|каждый месяц),? (?:(?:до|к|не позднее) )?" + _DAY_OF_MONTH
                       + r"(?: (?:каждого |текущего |отчетного )?месяца)?(?:,? следующего за отчетным(?: месяцем| периодом)?)?"),
     _h_monthly_day),
    ("monthly", _r(r"ежемесячно|каждый месяц|(?:в конце|по итогам) каждого месяца"), _h_monthly),
    ("quarterly_day", _r(r"(?:ежеквартально|каждый квартал),? (?:(?:до|к|не позднее) )?" + _DAY_OF_MONTH
                         + r"(?: (?:первого )?месяца)?(?:,? следующего за отчетным(?: кварталом| периодом)?)?"),
     _h_quarterly_day),
    ("quarterly", _r(r"ежеквартально|каждый квартал|(?:в конце|по итогам) каждого квартала"), _h_quarterly),
    ("yearly_date", _r(r"(?:ежегодно|каждый год),? (?:(?:до|к|не позднее) )?(?P<dt>(?P<d>\d{1,2})(?:-?го)? (?P<m>" + _MONTH
                       + r")|(?P<d2>\d{1,2})\.(?P<m2>\d{1,2}))"), _h_yearly_date),
    ("yearly_month", _r(r"(?:ежегодно|каждый год),? (?:в|во|до конца) (?P<m>" + _MONTH + ")"), _h_yearly_month),
    ("yearly", _r(r"ежегодно|каждый год"), _h_yearly),
    # periods of the school year
    ("school_half", _r(_PERIOD_PRE + _HALF + " " + _HALF_WORD + " " + _YEAR_PAIR + " " + _SY_WORD),
     _h_school_half_explicit),
    ("school_half_current", _r(_PERIOD_PRE + _HALF + " " + _HALF_WORD + r" (?P<cur>текущего )?" + _SY_WORD),
     _h_school_half_current),
    ("school_year", _r(_PERIOD_PRE + _YEAR_PAIR + " " + _SY_WORD), _h_school_year_explicit),
    ("school_year_current", _r(r"(?:(?:в течение|до конца|до окончания|к концу|к окончанию) (?:всего )?(?:текущего )?" + _SY_WORD
                               + r"|в (?:текущем )?учебном году)"), _h_school_year_current),
    # calendar periods
    ("half", _r(_PERIOD_PRE + _HALF + " " + _HALF_WORD + r"(?: (?P<y>\d{4})" + _YS + ")?"), _h_half),
    ("half_current", _r(r"(?:до конца|до окончания|к концу|к окончанию) (?:текущего )?полугодия|в течение текущего полугодия"
                        r"|в текущем полугодии"), _h_half_current),
    ("quarter", _r(_PERIOD_PRE + _QUARTER + r" (?:квартал(?:а|е|у)?" + _W + r"|кв\.?)(?: (?P<y>\d{4})" + _YS + ")?"),
     _h_quarter),
    ("quarter_current", _r(r"(?:до конца|до окончания|к концу|к окончанию) (?:текущего )?квартала|в течение текущего квартала"
                           r"|в текущем квартале"), _h_quarter_current),
    ("year", _r(r"(?:(?:в течение|в|до конца|до окончания|к концу|к окончанию) )?(?:всего )?(?P<y>\d{4})" + _YS), _h_year),
    ("year_current", _r(r"(?:в течение|до конца|до окончания|к концу|к окончанию) (?:всего )?(?:текущего )?(?:календарного )?года"
                        r"|в (?:текущем|этом) (?:календарном )?году"), _h_year_current),
    ("year_next", _r(r"в (?:следующем|будущем|предстоящем) (?:календарном )?году|(?:в течение|до конца|до окончания|к концу"
                     r"|к окончанию) (?:следующего|будущего|предстоящего) (?:календарного )?года"), _h_year_next),
    ("year_start", _r(r"(?:к|до) (?:началу|начала) (?:следующего |нового )?(?:календарного )?года"), _h_year_current),
    ("school_start", _r(r"(?:к|до) (?:началу|начала) (?:(?:нового|следующего|предстоящего) )?(?:(?P<y1>\d{4}) ?[-/] ?"
                        r"(?P<y2>\d{4}|\d{2})(?: ?гг?\.?)? )?учебного года|к новому учебному году"), _h_school_start),
    ("year_pair", _r(_PERIOD_PRE + r"\d{4} ?[-/] ?\d{2,4}(?: ?(?:гг|г|года|годы|годов)" + _W + r"\.?)?"), _h_year_pair),
    ("month_range", _r(r"(?:(?:в течение|в|во|с) )?(?P<m1>" + _MONTH + r")(?: (?P<y1>\d{4})" + _YS
                       + r")?(?: ?- ?| по )(?P<m2>" + _MONTH + r")(?: (?P<y2>\d{4})" + _YS + ")?"), _h_month_range),
    ("month", _r(_PERIOD_PRE + r"(?P<m>" + _MONTH + r")(?: месяца| месяце| месяц)?(?: (?P<y>\d{4})" + _YS + ")?"),
     _h_month),
    ("month_current", _r(r"(?:до конца|до окончания|к концу|к окончанию) (?:текущего )?месяца|в течение текущего месяца"
                         r"|в текущем месяце"), _h_month_current),
    # relative to the meeting
    ("rel_adj", _r(r"в (?:(?P<nd>\d{1,3})(?:-?х)? ?-? ?|" + _NUMPFX + r")?(?P<u>дневный|недельный|месячный) срок"
                   + _AFTER_MEETING), _h_rel_adj),
    ("rel_within", _r(r"(?:в течение|через|не позднее чем через) (?:(?:(?P<nd>\d{1,4})(?: ?\((?P<pw>[а-я ]+|\d+)\))?|(?P<nw>" + _NUMWORDS + r")) )?"
                      r"(?:(?P<cal>календарных|рабочих|календарного|рабочего|календарный|рабочий) )?(?P<u>"
                      + _alt(_TIME_UNITS) + ")" + _W + _AFTER_MEETING), _h_rel_within),
    # single days
    ("date_iso", _r(_DATE_PRE + r"(?P<dt>(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2}))" + _INCL), _h_date_iso),
    ("date_num", _r(_DATE_PRE + r"(?P<dt>(?P<d>\d{1,2})\.(?P<m>\d{1,2})(?:\.(?P<y>\d{4}|\d{2}))?)"
                    r"(?(y)" + _YS + ")" + _INCL), _h_date_num),
    ("date_this_year", _r(_DATE_PRE + r"(?P<dt>(?P<d>\d{1,2})(?:-?(?:го|е))? (?P<mw>[a-zа-я]+\.?)) (?P<which>текущего|этого"
                          r"|следующего) года" + _INCL), _h_date_this_year),
    ("date_word", _r(_DATE_PRE + r"(?P<dt>(?P<d>\d{1,2})(?:-?(?:го|е))? ?(?P<mw>[a-zа-я]+\.?)(?: (?P<y>\d{4})"
                     + _YS + ")?)" + _INCL), _h_date_word),
]

_LEAD = re.compile(r"(?:в )?сроки?(?!,? (?:установлен|предусмотрен|определен|указан))(?: исполнения)?" + _W + r" ?(?:[:\-] ?)?")

# Characters mapped one to one during normalisation; quotes become spaces («“02” сентября» -> « 02  сентября»).
_CHAR_MAP = {"ё": "е", "і": "i", "–": "-", "—": "-", "‑": "-", "−": "-", "‒": "-", "‐": "-", "―": "-"}
_QUOTES = set("\"'“”„«»‘’‚`´")
_TRAILING = " .;,"


def _normalise(text: str, strip_ends: bool = True) -> tuple[str, list[int]]:
    """Lower-cased, ё->е, quotes and runs of spaces collapsed; with the index in `text` of each kept character."""
    out: list[str] = []
    pos: list[int] = []
    for i, c in enumerate(text):
        if c in _QUOTES or c.isspace():
            c = " "
        else:
            low = c.lower()
            if len(low) != 1:  # «İ».lower() has two characters; keep the one-to-one position map
                low = c
            c = _CHAR_MAP.get(low, low)
        if c == " " and (not out or out[-1] == " "):
            continue
        out.append(c)
        pos.append(i)
    if strip_ends:
        while out and out[-1] in _TRAILING:
            out.pop()
            pos.pop()
        while out and out[0] in "-•*· ":
            out.pop(0)
            pos.pop(0)
    elif out and out[-1] == " ":
        out.pop()
        pos.pop()
    return "".join(out), pos


def _diagnose(s: str, ctx: _Ctx) -> _Err:
    """Why nothing fits: a rule that reads a beginning of the phrase points at the words after it."""
    best = None
    for _name, rx, handler in _RULES:
        m = rx.match(s)
        if m and m.end() < len(s) and s[m.end()] in " ,;(" and (best is None or m.end() > best[0].end()):
            best = (m, handler)
    if best:
        m, handler = best
        try:
            handler(m, ctx)  # an invalid beginning (31.02.2024 …) is the better message
        except _NotMonth:
            return _Err(_("This phrase fits none of the accepted deadline forms."), 0, len(s))
        rest = len(s) - len(s[m.end():].lstrip(" ,;"))
        return _Err(_("Unexpected words after a deadline: '{rest}'.").format(rest=s[rest:]), rest, len(s))
    return _Err(_("This phrase fits none of the accepted deadline forms."), 0, len(s))


def _all_rules(rules) -> re.Pattern:
    """One pattern that is every rule's in turn, each wrapped in a group named r<index> (its own groups renamed
    r<index>_<name>): a full match of it tells which rule is the first to read a whole phrase, in one call instead
    of one per rule. Alternatives are tried in order, so the first rule that matches wins, as in a loop."""
    def own(index: int, pattern: str) -> str:
        return re.sub(r"\(\?P<(\w+)>", rf"(?P<r{index}_\1>", re.sub(r"\(\?\((\w+)\)", rf"(?(r{index}_\1)", pattern))

    return re.compile("|".join(f"(?P<r{i}>{own(i, rx.pattern)})" for i, (_name, rx, _h) in enumerate(rules)))


_any_rule: re.Pattern | None = None  # _all_rules(_RULES), compiled once many phrases are read (it takes 40 ms)
_ONE_BY_ONE = 200  # phrases read rule by rule before that: a command reading a few never pays for the compilation
_phrases_read = 0


@lru_cache(maxsize=8192)
def _rule_for(rest: str) -> tuple[str, Callable, re.Match] | None:
    """The first rule whose pattern reads a whole normalised phrase, with its match. Phrases recur across an
    archive («до конца учебного года», «постоянно»): the answer is kept per phrase."""
    global _any_rule, _phrases_read
    _phrases_read += 1
    if _phrases_read <= _ONE_BY_ONE:
        for name, rx, handler in _RULES:
            m = rx.fullmatch(rest)
            if m:
                return name, handler, m
        return None
    if _any_rule is None:
        _any_rule = _all_rules(_RULES)
    found = _any_rule.fullmatch(rest)
    if found is None:
        return None
    name, rx, handler = _RULES[int(found.lastgroup[1:])]
    return name, handler, rx.fullmatch(rest)


def _parse_normalised(s: str, ctx: _Ctx) -> tuple[str, tuple[str, date | None, str | None]]:
    lead = _LEAD.match(s)
    offset = lead.end() if lead else 0
    rest = s[offset:]
    if not rest:
        raise _Err(_("The deadline is empty."), 0, len(s))
    try:
        rule = _rule_for(rest)
        if rule is None:
            raise _diagnose(rest, ctx)
        found = rule[0], rule[1](rule[2], ctx)
    except _Err as err:
        start = offset + (err.start or 0)
        end = offset + (len(rest) if err.end is None else err.end)
        raise _Err(err.message, start, end) from None
    return found


_normalised = lru_cache(maxsize=8192)(_normalise)  # the phrase's text alone decides it


@lru_cache(maxsize=4096)
def _parse_cached(text: str, meeting: date, reference: date, school_year: SchoolYear,
                  extra_holidays: frozenset, extra_workdays: frozenset) -> Deadline:
    s, pos = _normalised(text)
    if not s:
        return Deadline(None, "none", None)
    ctx = _Ctx(meeting, reference, school_year, extra_holidays, extra_workdays)
    try:
        _name, (kind, due, rule) = _parse_normalised(s, ctx)
    except _Err as err:
        start = pos[err.start] if err.start < len(pos) else len(text)
        end = pos[err.end - 1] + 1 if err.end > err.start else start
        raise DeadlineError(err.message, start, end, _nearest(s), text=text) from None
    return Deadline(text.strip(), kind, due, rule)


def _nearest(phrase: str) -> list[str]:
    """The accepted forms nearest to a phrase that fits none, then the usual examples (only on errors: difflib is slow)."""
    import difflib

    near = difflib.get_close_matches(phrase, SAMPLES, n=3, cutoff=0.5)
    return near + [e for e in EXAMPLES if e not in near]


def parse_deadline(text: str | None, meeting: date, reference: date, school_year: SchoolYear = SchoolYear(),
                   extra_holidays=frozenset(), extra_workdays=frozenset()) -> Deadline:
    """The meaning of a deadline phrase as written in a protocol held on `meeting`; `reference` is the day from
    which recurring deadlines look for their next occurrence (usually today, passed in: no clock is read here)."""
    if text is None:
        return Deadline(None, "none", None)
    if isinstance(text, date):  # YAML reads an unquoted 2024-01-31 as a date
        return Deadline(text.isoformat(), "date", text)
    if not isinstance(text, str):
        raise TypeError(f"deadline text must be a string, not {type(text).__name__}")
    if not text.strip():
        return Deadline(None, "none", None)
    return _parse_cached(text, meeting, reference, school_year, frozenset(extra_holidays), frozenset(extra_workdays))


# ---------------------------------------------------------------------------------------------------------- recurrence
_RULE_RX = re.compile(r"(?P<kind>daily|weekly|monthly|quarterly|halfyearly|yearly)(?::(?P<arg>\d{1,2}|\d{2}-\d{2}))?")


def next_occurrence(rule: str, on_or_after: date) -> date:
    """The first day on or after `on_or_after` on which a recurring deadline `rule` falls due."""
    m = _RULE_RX.fullmatch(rule or "")
    if not m:
        raise ValueError(f"unknown recurrence rule {rule!r}")
    kind, arg, d = m.group("kind"), m.group("arg"), on_or_after
    if kind == "daily" and arg is None:
        return d
    if kind == "weekly":
        wd = 4 if arg is None else int(arg)
        if "-" in (arg or "") or not 0 <= wd <= 6:
            raise ValueError(f"weekday must be 0..6 in {rule!r}")
        return d + timedelta(days=(wd - d.weekday()) % 7)
    if kind == "monthly":
        if arg is None:
            return _month_end(d.year, d.month)
        day = _rule_day(arg, rule)
        this = date(d.year, d.month, min(day, _last_day(d.year, d.month)))
        if this >= d:
            return this
        nxt = _add_months(date(d.year, d.month, 1), 1)
        return date(nxt.year, nxt.month, min(day, _last_day(nxt.year, nxt.month)))
    if kind == "halfyearly" and arg is None:
        return _month_end(d.year, 6 if d.month <= 6 else 12)
    if kind == "quarterly":
        if arg is None:
            return _month_end(d.year, (d.month + 2) // 3 * 3)
        day = _rule_day(arg, rule)
        for y in (d.year, d.year + 1):
            for mo in (1, 4, 7, 10):
                cand = date(y, mo, min(day, _last_day(y, mo)))
                if cand >= d:
                    return cand
    if kind == "yearly":
        if arg is None:
            return date(d.year, 12, 31)
        if "-" not in arg:
            raise ValueError(f"yearly rule needs MM-DD in {rule!r}")
        mo, day = (int(x) for x in arg.split("-"))
        if not 1 <= mo <= 12 or not 1 <= day <= _last_day(2024, mo):
            raise ValueError(f"no such day in {rule!r}")
        for y in (d.year, d.year + 1, d.year + 2):
            cand = date(y, mo, min(day, _last_day(y, mo)))  # 29 February falls on the 28th in common years
            if cand >= d:
                return cand
    raise ValueError(f"unknown recurrence rule {rule!r}")


def _rule_day(arg: str, rule: str) -> int:
    if "-" in arg or not 1 <= int(arg) <= 31:
        raise ValueError(f"day must be 1..31 in {rule!r}")
    return int(arg)


# ---------------------------------------------------------------------------------------------------------- in text
# Words that open a deadline inside a decision's text, and the rules each may lead to. Only clear forms count: a date
# after до/к/не позднее, a span in days/weeks/months, a recurrence with its day, or anything after «Срок:».
_ANCHOR = re.compile(
    r"(?<![0-9a-zа-я])(?:(?P<srok>(?:в )?сроки?(?: исполнения)?(?: ?[:\-] ?| (?=до |не позднее )))"
    r"|(?P<do>до|к|не позднее)(?= )|(?P<within>в течение )|(?P<adj>в (?=\S*(?:дневный|недельный|месячный) срок))"
    r"|(?P<ezhe>еже(?:дневно|недельно|месячно|квартально|годно)))")
_ALLOWED = {
    "srok": None,
    "do": {"date_iso", "date_num", "date_word", "school_half", "school_half_current", "school_year",
           "school_year_current", "half", "half_current", "quarter", "quarter_current", "year", "year_current",
           "month", "month_current"},
    "within": {"rel_within"},
    "adj": {"rel_adj"},
    "ezhe": {"weekly_day", "monthly_day", "quarterly_day", "yearly_date", "yearly_month"},
}
_PROBE = _Ctx(date(2000, 1, 1), date(2000, 1, 1), SchoolYear(), frozenset(), frozenset())
_MAX_WORDS = 12


_MAX_ANCHORS = 300  # opening words (до, к, срок…) tried in one text
_MAX_SCAN = 100_000  # characters of a text searched for a deadline: a longer text is damage (`check` warns of it)
_WORD = re.compile(r"[0-9a-zа-я]+")


def find_deadline_in_text(text: str) -> tuple[int, int, str] | None:
    """(start, end, phrase) of the first clear deadline written inside a decision's text, or None.
    The phrase is as written and parse_deadline accepts it. Linear in the text and bounded: only its first
    _MAX_SCAN characters are searched, and each opening word is tried with at most _MAX_WORDS words after it."""
    if not text:
        return None
    text = text[:_MAX_SCAN]
    offset = 0
    budget = [_MAX_ANCHORS]
    for line in text.split("\n"):
        hit = _find_in_line(line, budget)
        if hit:
            return offset + hit[0], offset + hit[1], text[offset + hit[0]:offset + hit[1]]
        offset += len(line) + 1
    return None


def _find_in_line(line: str, budget: list[int]) -> tuple[int, int] | None:
    s, pos = _normalise(line, strip_ends=False)
    for a in _ANCHOR.finditer(s):
        budget[0] -= 1
        if budget[0] < 0:  # hundreds of «до» and «к» without a deadline: not a decision's text, stop looking
            return None
        kind = a.lastgroup
        allowed = _ALLOWED[kind]
        ends = [w.end() - a.start() for w in itertools.islice(_WORD.finditer(s, a.start()), _MAX_WORDS)]
        for e in reversed(ends):
            candidate = s[a.start():a.start() + e]
            try:
                name, _result = _parse_normalised(candidate, _PROBE)
            except _Err:
                continue
            if allowed is None or name in allowed:
                return pos[a.start()], pos[a.start() + e - 1] + 1
    return None
