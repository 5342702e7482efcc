"""Russian deadline phrases (Срок) -> Deadline: a small explicit grammar, no guessing, no clock.

How it works: the phrase is normalised (case, ё, quotes, dashes, spaces, trailing punctuation) keeping a map back to
the characters as written, a leading «Срок:» / «В срок» is dropped, and the rest must match one of the rules in
`_RULES` completely (compiled regexes tried in order; each has a handler that computes the due date).
Anything else is a DeadlineError with the span of the part that is wrong, because a guessed deadline is worse than
none: the control officer would chase the wrong date.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from functools import lru_cache, partial

from .deadline_forms import SchoolYear, _Ctx, _Err, _NotMonth
from .deadline_rules import _RULES
from .deadline_words import _W
from .recurrence import next_occurrence

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
class Deadline:
    text: str | None  # as written (None when there is no deadline)
    kind: str  # one of KINDS
    due: date | None  # 'date': the day (last day of a period); 'recurring': next occurrence on/after reference
    rule: str | None = None  # recurring only: "daily", "weekly:4" (Mon=0), "monthly", "monthly:10", "quarterly",
    #                          "quarterly:10" (10th of Jan/Apr/Jul/Oct), "halfyearly" (30 Jun, 31 Dec), "yearly" (31 Dec),
    #                          "yearly:09-01"


class DeadlineError(ValueError):
    """A phrase that fits no rule. .message (English sentence), .start/.end: character span within the text that is
    wrong (0-based; whole text if unknown), .examples: list of accepted forms to show the user, the nearest to the
    phrase first. `examples` may be a callable that makes the list: it is called on first use only, because most
    refused phrases of an archive stand next to a `due:` and are never shown (difflib is slow)."""

    def __init__(self, message: str, start: int = 0, end: int | None = None,
                 examples: list[str] | Callable[[], list[str]] | None = None, text: str = ""):
        super().__init__(message)
        self.message = message
        self.text = text
        self.start = start
        self.end = len(text) if end is None else end
        self._examples = EXAMPLES if examples is None else examples

    @property
    def examples(self) -> list[str]:
        if callable(self._examples):
            self._examples = self._examples()
        return list(self._examples)


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
    if _any_rule is None and _phrases_read <= _ONE_BY_ONE:
        for name, rx, handler in _RULES:
            m = rx.fullmatch(rest)
            if m:
                return name, handler, m
        return None
    prepare()
    found = _any_rule.fullmatch(rest)
    if found is None:
        return None
    name, rx, handler = _RULES[int(found.lastgroup[1:])]
    return name, handler, rx.fullmatch(rest)


def prepare() -> None:
    """Compile the combined pattern now: for a process about to read many phrases, or to start (fork) processes that
    will, each of which would otherwise compile it for itself."""
    global _any_rule
    if _any_rule is None:
        _any_rule = _all_rules(_RULES)


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


class _Watched:
    """The context of one reading, made only if the rule asks for any of it: a phrase whose reading asked for
    nothing («постоянно», «до 01.09.2024», «II квартал 2024 г.») means the same at every meeting, whatever the
    settings, and parse_deadline keeps its Deadline by the text alone (_CONTEXT_FREE). The rules themselves decide,
    as they run: no list of such forms is kept beside them."""

    __slots__ = ("_args", "_ctx")

    def __init__(self, args: tuple):
        self._args = args
        self._ctx: _Ctx | None = None

    def __getattr__(self, name: str):  # called only for the context's own fields (meeting, sy, …)
        if self._ctx is None:
            self._ctx = _Ctx(*self._args)
        return getattr(self._ctx, name)


# text as written -> its Deadline, for phrases read without the context; bounded (a phrase is a few hundred bytes)
_CONTEXT_FREE: dict[str, Deadline] = {}
_CONTEXT_FREE_MAX = 100_000


@lru_cache(maxsize=4096)
def _parse_cached(text: str, meeting: date, reference: date, school_year: SchoolYear,
                  extra_holidays: frozenset, extra_workdays: frozenset) -> Deadline:
    s, pos = _normalised(text)
    if not s:
        return Deadline(None, "none", None)
    ctx = _Watched((meeting, reference, school_year, extra_holidays, extra_workdays))
    try:
        _name, (kind, due, rule) = _parse_normalised(s, ctx)
    except _Err as err:
        start = pos[err.start] if err.start < len(pos) else len(text)
        end = pos[err.end - 1] + 1 if err.end > err.start else start
        raise DeadlineError(err.message, start, end, partial(_nearest, s), text=text) from None
    found = Deadline(text.strip(), kind, due, rule)
    if ctx._ctx is None:
        if len(_CONTEXT_FREE) >= _CONTEXT_FREE_MAX:
            _CONTEXT_FREE.clear()
        _CONTEXT_FREE[text] = found
    return found


@lru_cache(maxsize=1024)
def _nearest_forms(phrase: str) -> tuple[str, ...]:
    import difflib

    return tuple(difflib.get_close_matches(phrase, SAMPLES, n=3, cutoff=0.5))


def _nearest(phrase: str) -> list[str]:
    """The accepted forms nearest to a phrase that fits none, then the usual examples (only on errors: difflib is slow)."""
    near = list(_nearest_forms(phrase))
    return near + [e for e in EXAMPLES if e not in near]


_DEFAULT_SCHOOL_YEAR = SchoolYear()  # frozen: one object serves as the default


def parse_deadline(text: str | None, meeting: date, reference: date, school_year: SchoolYear = _DEFAULT_SCHOOL_YEAR,
                   extra_holidays=frozenset(), extra_workdays=frozenset()) -> Deadline:
    """The meaning of a deadline phrase as written in a protocol held on `meeting`; `reference` is the day from
    which recurring deadlines look for their next occurrence (usually today, passed in: no clock is read here)."""
    if type(text) is str:
        found = _CONTEXT_FREE.get(text)
        if found is not None:
            return found
    if text is None:
        return Deadline(None, "none", None)
    if isinstance(text, date):  # YAML reads an unquoted 2024-01-31 as a date
        return Deadline(text.isoformat(), "date", text)
    if not isinstance(text, str):
        raise TypeError(f"deadline text must be a string, not {type(text).__name__}")
    if not text.strip():
        return Deadline(None, "none", None)
    return _parse_cached(text, meeting, reference, school_year, frozenset(extra_holidays), frozenset(extra_workdays))


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
           "month", "month_current", "date_this_year", "school_start", "year_start", "year_next", "monthly_each",
           "quarterly_each", "month_day_once"},
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
