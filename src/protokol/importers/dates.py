"""Where a meeting date comes from when the header has no «от 18.10.2023»: a heading that names it without «от»
(«Решение совета 12 марта 2019 года № 3»), a date the document left blank («от __.__.20__ г.»), the date the user
passed (`import --date`) and a date in the file's name. The document's own date always wins.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from . import words as w

# «от __.__.20__ г.», ««___» ________ 20__ г.», «__.__.____»: a form whose date was never filled in.
# The reader drops «__» as Markdown emphasis, so «от __.__.20__ г.» may arrive as «от ..20 г.».
BLANK_DATE = re.compile(r"(?:\bот\s*)?(?:[«\"]?_{2,}[»\"]?\s*[._]*\s*_{2,}\s*[._]?\s*(?:20)?_{2,}|_{2,}\.\s*_{2,}\.\s*(?:20)?_*"
                        r"|(?<=от)\s*\.\s*\.\s*(?:20)?(?=\s*(?:г\.|года?)))\s*(?:г\.|года?)?", re.I)
BLANK_NUMBER = re.compile(r"^№\s*_+\s*")
_YEAR_WORD = re.compile(r"^\s*(?:г\.|года?|год)(?![а-яё])")
_NUMBER_AFTER = re.compile(r"^[\s,]*№\s*(?P<n>[0-9][\w\-/.]*?)[.,;]?(?=\s|$)")
_SENTENCE = re.compile(r"[.;!?]\s+[а-яё]|\b(?:состоится|проведен|прошло|прошел|будет)\b", re.I)
# A date in a file name: 2023-11-14, 2023_11_14, 14.11.2023, 14-11-2023.
_NAME_DATE = re.compile(r"(?<!\d)(?:(?P<y>\d{4})[-_.](?P<m>\d{2})[-_.](?P<d>\d{2})|(?P<d2>\d{2})[-_.](?P<m2>\d{2})[-_.](?P<y2>\d{4}))(?!\d)")


@dataclass(frozen=True)
class Given:
    """A date from outside the text: `--date` (`option`) or the file's name (`file name`)."""

    day: date
    origin: str  # "option" or "file name"


@dataclass(frozen=True)
class HeadingDate:
    day: date
    number: str | None
    rest: str  # the heading without its date (and number)


def heading_date(text: str) -> HeadingDate | None:
    """The date a heading names without «от» («Решение совета 12 марта 2019 года № 3»); None for a sentence that
    merely mentions a date, or a line with none."""
    if len(text) > 120 or _SENTENCE.search(text):
        return None
    found = w.find_date(text)
    if not found:
        return None
    day, (start, end) = found
    tail = _YEAR_WORD.sub("", text[end:])
    number = _NUMBER_AFTER.match(tail)
    if number:
        tail = tail[number.end():]
    rest = " ".join((text[:start].strip() + " " + tail.strip()).split()).strip(" ,")
    return HeadingDate(day, number.group("n").rstrip(".") if number else None, rest)


def blank_date(text: str) -> str | None:
    """The text without a date left blank in it, or None when it has none."""
    found = BLANK_DATE.search(text)
    if not found:
        return None
    return " ".join((text[:found.start()] + " " + text[found.end():]).split())


def date_in_name(name: str) -> date | None:
    """«2023-11-14 совещание.txt», «protokol_14.11.2023.docx» -> the date; None when the name has no valid one."""
    for m in _NAME_DATE.finditer(name):
        y, mo, d = (m.group("y"), m.group("m"), m.group("d")) if m.group("y") else (m.group("y2"), m.group("m2"), m.group("d2"))
        try:
            return date(int(y), int(mo), int(d))
        except ValueError:
            continue
    return None
