"""The search index embedded in the site: every Russian word of each protocol, as an inverted index the browser
reads from a plain <script> file, so that search works from file:// as well as over HTTP (docs/site.md#search).

Words are folded (lower case, ё as е) and kept whole; the page's script strips a Russian ending from each word typed
and matches what is left as the start of an indexed word, so «педсоветов» finds «педсоветы» (a light stemmer: no
dictionary, no external index).
"""

from __future__ import annotations

import json
import re

# A word with at least one Cyrillic letter (the YAML keys and the English of the format are left out), or a number.
_WORD = re.compile(r"[0-9A-Za-zА-Яа-яЁё]*[А-Яа-яЁё][0-9A-Za-zА-Яа-яЁё]*(?:-[0-9А-Яа-яЁё]+)*")


def fold(text: str) -> str:
    return text.casefold().replace("ё", "е")


def words(text: str) -> set[str]:
    """The distinct folded words of a text (a protocol file as written); words of one letter are left out."""
    return {fold(w) for w in _WORD.findall(text) if len(w) > 1}


class SearchIndex:
    """Documents as [href, title, date] and, per word, the documents holding it (kept as it grows: a set of words
    per protocol for 10,000 protocols would cost far more memory than the lists of document numbers)."""

    def __init__(self) -> None:
        self.docs: list[list[str]] = []
        self.postings: dict[str, list[int]] = {}

    def add(self, href: str, title: str, day: str, text: str) -> None:
        n = len(self.docs)
        self.docs.append([href, title, day])
        for word in words(text):
            self.postings.setdefault(word, []).append(n)

    def script(self) -> bytes:
        """JavaScript that sets `PROTOKOL_SEARCH` (a <script src> loads from file:// where fetch() may not)."""
        data = {"docs": self.docs, "words": {w: self.postings[w] for w in sorted(self.postings)}}
        encoded = json.dumps(data, ensure_ascii=False, separators=(",", ":")).replace("</", "<\\/")
        return ("window.PROTOKOL_SEARCH = " + encoded + ";\n").encode("utf-8")
