"""The family of headings that open decisions, beyond the plain labels of words.py (РЕШИЛИ:, ПОСТАНОВИЛИ:):

- the verb after a body's name or a preamble: «Коллегия РЕШИЛА:», «Заслушав и обсудив …, управляющий совет РЕШАЕТ:»;
- plural and named lists: «Решения родительского собрания по третьему вопросу:», «Поручения по итогам …:»;
- the verb of the decisions themselves standing as a heading: «Поручить:», «Рекомендовать:», «Предложить:».

Each gives the text after the colon (decisions on the same line) and the words that belong to the decisions (a
preamble, «Рекомендовать:»), which the importer keeps as the introduction of the decisions.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_VERB = (r"(?:решили|решила|решил|решило|решает|решено|постановили|постановила|постановил|постановило|постановляет"
         r"|определили|определила)")
# A preamble or a body's name before the verb; the colon after it is required (a sentence «… решили провести» is not).
_AFTER_PREAMBLE = re.compile(r"^(?P<pre>.{0,400}?[\s,])(?P<verb>" + _VERB + r")\s*:\s*(?P<rest>.*)$", re.I)
_NAMED_LIST = re.compile(r"^(?P<head>(?:решени[ея]|поручени[ея]|рекомендации)(?:\s+[^:]{1,90}?)?)\s*:\s*(?P<rest>.*)$", re.I)
_VERB_HEADING = re.compile(r"^(?P<verb>поручить|рекомендовать|предложить|обязать)\s*:\s*(?P<rest>.*)$", re.I)
# Decisions on the heading's line: «1) Организовать … 2) Родителям внести …»
_INLINE_NUMBER = re.compile(r"(?:^|(?<=[\s.;]))(?P<n>\d{1,2})[.)]\s+(?=\S)")


@dataclass(frozen=True)
class Heading:
    rest: str  # text after the colon: decisions on the same line
    intro: str | None  # words kept as the introduction of the decisions (a preamble, «Рекомендовать:»)


def decision_heading(text: str) -> Heading | None:
    """A heading that opens decisions, or None. Short: a preamble that does not end with the verb and a colon is a
    sentence, not a heading."""
    m = _VERB_HEADING.match(text)
    if m:
        return Heading(m.group("rest").strip(), text[:m.end("verb")] + ":")
    m = _NAMED_LIST.match(text)
    if m and not re.search(r"[.;!?]", m.group("head")):
        return Heading(m.group("rest").strip(), None)
    m = _AFTER_PREAMBLE.match(text)
    if m and (m.group("verb").isupper() or len(m.group("pre").split()) <= 4):
        return Heading(m.group("rest").strip(), text[:m.end("verb")].strip() + ":" if len(m.group("pre").split()) > 4
                       else None)
    return None


def same_line_decisions(rest: str) -> list[tuple[str | None, str]]:
    """The decisions written after «Решили:» on its line: numbered «1) … 2) …» in order, else parts between «;»
    (each of three words at least), else the whole text as one; [(number or None, text)]."""
    rest = rest.strip()
    numbers = list(_INLINE_NUMBER.finditer(rest))
    expected = 1
    picked = []
    for m in numbers:
        if int(m.group("n")) == expected:
            picked.append(m)
            expected += 1
    if len(picked) >= 2 and picked[0].start() == 0:
        out = []
        for i, m in enumerate(picked):
            end = picked[i + 1].start() if i + 1 < len(picked) else len(rest)
            out.append((m.group("n"), rest[m.end():end].strip()))
        return out
    parts = [p.strip() for p in re.split(r";\s+", rest) if p.strip()]
    if len(parts) >= 2 and all(len(p.split()) >= 3 for p in parts):
        return [(None, p) for p in parts]
    return [(None, rest)] if rest else []


_INFO = re.compile(r"^(?:Информация|Доклад|Сообщение|Отч[её]т)\s+(?P<rest>[А-ЯЁ].*)$")
_MISC = re.compile(r"^(?:Разное|Прочее|Текущие\s+вопросы|Другие\s+вопросы)\s*[.:]?$", re.I)


def info_head(text: str) -> str | None:
    """«Информация Щукина В.В.» (the report heard, the speaker in the genitive) -> «Щукина В.В.»; else None."""
    from . import words as w

    m = _INFO.match(text)
    if not m or not w.NAME_AT_START.match(m.group("rest")) or w.NAME_AT_START.match(m.group("rest")).start(1) != 0:
        return None
    return m.group("rest")


def miscellaneous(title: str) -> bool:
    """«Разное.»: the last question of many agendas, never a decision."""
    return bool(_MISC.match(title.strip()))
