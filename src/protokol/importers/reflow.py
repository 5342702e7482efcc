"""Minutes pasted from a web page often lose their line breaks: the whole protocol arrives as one long line. Such a
line is cut again where a protocol starts its parts — before the labels (СЛУШАЛИ:, РЕШИЛИ:, Повестка дня:,
Председатель:), before numbers that follow a sentence («… 2024 года. 1.2. Руководителям …») and before the signatures —
so the parser sees the lines a secretary typed. Every piece keeps the number of the line it came from.
"""

from __future__ import annotations

import re
from dataclasses import replace

from .source import Line

_LONG = 250  # a line shorter than this is a paragraph, not a protocol pasted flat
_LABELS = (r"СЛУШАЛИ|РЕШИЛИ|ПОСТАНОВИЛИ|ВЫСТУПИЛИ|ОБСУДИЛИ|ГОЛОСОВАЛИ|РЕШЕНИЕ|Слушали|Решили|Постановили|Выступили"
           r"|Обсудили|Голосовали|Повестка(?:\s+дня)?|Присутствовали|Отсутствовали|Приглашены|Приглашённые|Приглашенные"
           r"|Председатель(?:ствовал[а]?)?|Секретарь|Дата(?:\s+проведения)?|Место\s+проведения|Время")
_CUT = re.compile(
    r"\s+(?=(?:" + _LABELS + r")\s*[:\-–—])"  # a label with its colon or dash
    r"|(?<=[.:;!?»)])\s+(?=\d{1,2}(?:\.\d{1,2})*\s?[.)]\s+[А-ЯЁ«])"  # a number after the end of a sentence
    r"|(?<=[.;»)а-яё])\s+(?=(?:Председатель|Секретарь)[а-яё ]{0,30}\s+[А-ЯЁ]\.\s?[А-ЯЁ]\.\s?[А-ЯЁ])"  # a signature
)


def flat(line: Line) -> bool:
    """A line that holds a protocol's parts run together."""
    return line.cells is None and len(line.text) > _LONG and len(_CUT.findall(line.text)) >= 3


def reflow(lines: list[Line]) -> tuple[list[Line], list[int]]:
    """The lines with each flat one cut into its parts, and the numbers of the lines that were cut."""
    out: list[Line] = []
    cut: list[int] = []
    for line in lines:
        if not flat(line):
            out.append(line)
            continue
        cut.append(line.no)
        pieces = [p.strip() for p in _CUT.split(line.text) if p and p.strip()]
        out.extend(replace(line, text=p, raw=p, blank_before=line.blank_before and i == 0) for i, p in enumerate(pieces))
    return out, cut
