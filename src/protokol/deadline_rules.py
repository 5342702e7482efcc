"""The deadline grammar: every form of phrase as a regex with its handler, in the order they are tried (the first
that reads the whole phrase wins). The forms that name a day or a period have their handlers in deadline_forms; the
recurring, immediate and per-regulation ones are here."""

from __future__ import annotations

import re
from datetime import date

from .deadline_forms import (
    _Ctx,
    _day_in_month,
    _Err,
    _h_date_iso,
    _h_date_num,
    _h_date_word,
    _h_half,
    _h_half_current,
    _h_month,
    _h_month_current,
    _h_month_range,
    _h_quarter,
    _h_quarter_current,
    _h_rel_adj,
    _h_rel_within,
    _h_school_half_current,
    _h_school_half_explicit,
    _h_school_year_current,
    _h_school_year_explicit,
    _h_year,
    _h_year_current,
    _h_year_pair,
    _make_date,
    _md_in,
    _month_of,
    _school_year_end_containing,
    _school_year_of_pair,
)
from .deadline_words import (
    _AFTER_MEETING,
    _BY_REGULATION,
    _DATE_PRE,
    _DAY_OF_MONTH,
    _HALF,
    _HALF_WORD,
    _INCL,
    _MONTH,
    _NUMPFX,
    _NUMWORDS,
    _PERIOD_PRE,
    _QUARTER,
    _SY_WORD,
    _TIME_UNITS,
    _W,
    _WEEKDAY,
    _WEEKDAY_BY_WORD,
    _YEAR_PAIR,
    _YS,
    _alt,
    _choices,
)
from .holidays import add_working_days
from .recurrence import _add_months, _last_day, next_occurrence

try:
    from .i18n import gettext as _
except ImportError:  # pragma: no cover
    def _(s):
        return s


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


# ---------------------------------------------------------------------------------------------------------- added forms
def _h_by_regulation(m, ctx):
    return "by_regulation", None, None


def _h_immediate(m, ctx):
    return "date", add_working_days(ctx.meeting, ctx.sy.immediate_days, ctx.extra_holidays, ctx.extra_workdays), None


def _h_halfyearly(m, ctx):
    return _recurring("halfyearly", ctx)


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
        raise _Err(_("'{phrase}' is no calendar rule: name the days, like «ежемесячно до 15 числа» or «еженедельно по пятницам».").format(phrase=m.group()), *m.span())
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
    ("halfyearly", _r(r"ежеполугодно|каждое полугодие|(?:(?:в конце|по итогам) )?каждого полугодия"), _h_halfyearly),
    ("weekly_day", _r(r"еженедельно,? (?:по|в|во|до) (?P<wd>" + _WEEKDAY + r")|(?:по|каждую|каждый|каждое) (?P<wd2>"
                      + _WEEKDAY + ")"), _h_weekly_day),
    ("weekly", _r(r"еженедельно|каждую неделю"), _h_weekly),
    ("monthly_day", _r(r"(?:ежемесячно|каждый месяц),? (?:(?:до|к|не позднее) )?" + _DAY_OF_MONTH
                       + r"(?: (?:каждого |текущего |отчетного )?месяца)?(?:,? следующего за отчетным(?: месяцем| периодом)?)?"),
     _h_monthly_day),
    ("monthly", _r(r"ежемесячно|каждый месяц|(?:(?:в конце|по итогам) )?каждого месяца"), _h_monthly),
    ("quarterly_day", _r(r"(?:ежеквартально|каждый квартал),? (?:(?:до|к|не позднее) )?" + _DAY_OF_MONTH
                         + r"(?: (?:первого )?месяца)?(?:,? следующего за отчетным(?: кварталом| периодом)?)?"),
     _h_quarterly_day),
    ("quarterly", _r(r"ежеквартально|каждый квартал|(?:(?:в конце|по итогам) )?каждого квартала"), _h_quarterly),
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
    # «26-27 декабря 2023 года», «с 11 по 16 марта»: a span of days is due on its last day
    ("day_range", _r(r"(?:с )?\d{1,2} ?(?:-|по) ?(?P<dt>(?P<d>\d{1,2}) (?P<mw>[a-zа-я]+\.?)(?: (?P<y>\d{4})" + _YS + ")?)"
                     + _INCL), _h_date_word),
    ("date_word", _r(_DATE_PRE + r"(?P<dt>(?P<d>\d{1,2})(?:-?(?:го|е))? ?(?P<mw>[a-zа-я]+\.?)(?: (?P<y>\d{4})"
                     + _YS + ")?)" + _INCL), _h_date_word),
]
