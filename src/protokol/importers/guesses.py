"""Deadlines and executors written without a «Срок:» / «Отв.:» line, and lines that look like decisions.

- in brackets at the end: «(срок исполнения — 15 апреля)», «(отв. Лыкова Е.П., срок – до 15.12.2023)», «(постоянно)»;
- after a dash at the end: «… – в течение недели», «… – Иванова И.И.»;
- inside the text: «Руководителям ШМО в 2024-2025 учебном году провести …», «… в феврале 2024 года».

The decision's text stays as written; the importer notes each guess as a spot to review. A line that looks like a
decision (a verb in the infinitive, or an executor, and a deadline) is never dropped into other text silently.
"""

from __future__ import annotations

import re
from datetime import date
from functools import lru_cache

from ..deadlines import DeadlineError, find_deadline_in_text, parse_deadline
from . import words as w

_PROBE = date(2000, 1, 1)
_BRACKET = re.compile(r"\((?P<inner>[^()]{3,200})\)\s*[.;,]?\s*$")
_DEADLINE_LABEL = re.compile(r"^(?:в\s+)?срок(?:и)?(?:\s+[а-яё]+){0,2}?\s*(?:[:\-–—]\s*|\s+(?=до|к|в|не))(?P<v>.+)$", re.I)
_RESPONSIBLE_LABEL = re.compile(r"^(?:отв\.?|ответственн[а-яё]*|исполнител[а-яё]*)\s*[:\-–—]?\s*(?P<v>.+)$", re.I)
_DASH_END = re.compile(r"\s[–—-]\s+(?P<tail>[^–—]{3,120}?)\s*[.;]?$")
# Decisions that state something (approve, take note, elect) are tracked by no one: a date inside them is no deadline.
_STATING = re.compile(r"^(?:\d{1,2}(?:\.\d{1,2})*[.)]?\s*)?(?:признать|принять|утвердить|согласовать|одобрить|отметить|считать"
                      r"|избрать|выразить|поддержать|информацию|доклад|взять|объявить|наградить|перенести)(?![а-яё])",
                      re.I)
_ANCHORS = {"в", "во", "до", "к", "не", "с", "ежедневно", "еженедельно", "ежемесячно", "ежеквартально", "ежегодно",
            "постоянно", "систематически", "регулярно", "незамедлительно", "срочно", "по"}
_MAX_WORDS = 8
_DAY = re.compile(r"^\d{1,2}(?:[.\-–]\d|\s+[а-яё])")  # «26-27 декабря», «18 марта», «15.04»: not a bare year
_VERB_LEAD = re.compile(r"^(?:поручить|рекомендовать|предложить)\s+", re.I)


@lru_cache(maxsize=8192)  # a refused phrase costs the grammar's diagnosis; spans recur between a line's checks
def deadline_ok(text: str) -> bool:
    try:
        parse_deadline(text, _PROBE, _PROBE)
        return True
    except DeadlineError:
        return False


def _clean(word: str) -> str:
    return word.strip(" ,;:.()«»\"")


@lru_cache(maxsize=4096)  # each line is asked about several times: as a heading, a decision, a line left over
def loose_deadline(text: str) -> str | None:
    """A deadline phrase written inside a decision with no label («в I квартале 2023 года», «– в течение недели»,
    «26-27 декабря 2023 года»), as written; None for a decision that only states something («Утвердить план на
    2024 год») or has none."""
    if _STATING.match(text):
        return None
    words = text.split()
    for i, word in enumerate(words):
        low = _clean(word).lower()
        if low not in _ANCHORS and not _DAY.match(" ".join(words[i:i + 2])):
            continue
        for n in range(min(_MAX_WORDS, len(words) - i), 0, -1):
            phrase = " ".join(words[i:i + n]).rstrip(" ,;:)").rstrip(".") if n > 1 else _clean(words[i])
            if phrase.endswith(" г"):
                phrase += "."
            if len(phrase) > 2 and deadline_ok(phrase):
                return phrase
    return None


def _value(text: str) -> str:
    """A field's value without the punctuation around it; «Лыкова Е.П.» keeps the period of its initials."""
    text = text.strip(" ;,")
    return text if re.search(r"(?:^|[\s.])[А-ЯЁ]\.$", text) else text.rstrip(".").strip()


def bracket_fields(text: str) -> tuple[str | None, list[str] | None, str] | None:
    """(deadline, executors, the bracket as written) from a bracket at the end of a decision, or None when the
    bracket holds anything else (an explanation, a list of names without a label after a verb of stating)."""
    m = _BRACKET.search(text)
    if not m:
        return None
    deadline, people, kind = None, None, None
    for part in (p.strip() for p in re.split(r"[,;]\s*", m.group("inner")) if p.strip()):
        label = _DEADLINE_LABEL.match(part)
        resp = _RESPONSIBLE_LABEL.match(part)
        if label and deadline is None:
            deadline, kind = _value(label.group("v")), "deadline"
        elif resp:
            people, kind = [_value(resp.group("v"))], "responsible"
        elif kind == "responsible" and people is not None:
            people.append(_value(part))
        elif deadline is None and deadline_ok(_value(part)):
            deadline, kind = _value(part), "deadline"
        elif w.NAME_ONLY.fullmatch(part) and people is None:
            people, kind = [_value(part)], "responsible"
        else:
            return None
    if deadline is None and people is None:
        return None
    return deadline, people, m.group(0).strip(" .;,")


def dash_executors(text: str) -> list[str] | None:
    """«Провести семинар – Иванова И.И., Петров П.П.» -> the names after the dash at the end."""
    m = _DASH_END.search(text)
    if not m:
        return None
    names = w.names_in_list(m.group("tail").rstrip("."))
    return names or None


def without_verb(text: str) -> str:
    """«Поручить Орловой В.М. подготовить …» -> «Орловой В.М. подготовить …»: the executor follows the verb."""
    return _VERB_LEAD.sub("", text, count=1)


_TI_VERBS = ("вести", "нести", "везти", "йти", "расти", "брести", "мести", "плести")
_NOT_VERBS = {"печать", "сеть", "путь", "суть", "треть", "мать", "знать", "рать", "нить", "медь", "рысь"}


def infinitive(word: str) -> bool:
    """«провести», «обеспечить», «ознакомиться»; not «эффективности», «деятельность», «часть»."""
    word = word.lower()
    if word in _NOT_VERBS or len(word) < 4:
        return False
    if word.endswith(("ть", "ться", "чь")):
        return not word.endswith("сть")
    return word.endswith(_TI_VERBS)


@lru_cache(maxsize=4096)
def looks_like_decision(text: str) -> bool:
    """A verb in the infinitive or an executor in the dative near the start, and a deadline: what a decision is
    made of, whatever heading (or none) stands above it."""
    body = re.sub(r"^(?:\d{1,2}(?:\.\d{1,2})*\s?[.)]|[-–—•])\s*", "", text.strip())
    words = [_clean(x).lower() for x in body.split()[:8]]
    if not words or len(body) > 400:
        return False
    verb = infinitive(words[0])  # «Провести …», «Поручить …»: decisions are orders
    name = w.NAME_AT_START.match(body)
    if name and name.start(1) == 0:  # «Черных А.В. подготовить …», not «Иванова И.И. предложила: …»
        after = body[name.end():].split()
        executor = bool(after) and infinitive(_clean(after[0]))
    else:
        executor = words[0] in w.DATIVE and any(infinitive(x) for x in words[1:])
    if not (verb or executor):
        return False
    return bool(re.search(r"(?i)(?:^|\s)срок", body)) or find_deadline_in_text(body) is not None \
        or loose_deadline(body) is not None


_CONTROL = re.compile(r"(?i)^контроль\s+(?:за\s+)?(?:исполнени|выполнени)[а-яё]*\b.*?\bвозложить\s+на\s+(?P<who>.+)$")


def control_executor(text: str) -> str | None:
    """«Контроль исполнения решения возложить на первого заместителя министра Ильина С.П.» -> «Ильин С.П.»: the person
    who answers for the decision, named in the accusative."""
    m = _CONTROL.match(text.strip())
    if not m:
        return None
    end = w.NAME_AT_END.search(m.group("who"))
    if not end:
        return None
    return w.to_nominative(end.group(1).strip(), "accusative")[0]
