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
    return {fold(w) for w in set(_WORD.findall(text)) if len(w) > 1}  # a word folded once, however often written


class SearchIndex:
    """Documents as [href, title, date] and, per word, the documents holding it. The files are read for their words
    only when the index is made, which a build does only when a protocol changed (`key`)."""

    def __init__(self) -> None:
        self.docs: list[list[str]] = []
        self.files: list[str] = []
        self.digests: list[str] = []

    def add(self, href: str, title: str, day: str, path: str, digest: str) -> None:
        self.docs.append([href, title, day])
        self.files.append(path)
        self.digests.append(digest)

    def key(self) -> str:
        import hashlib

        return hashlib.sha256(repr((self.docs, self.digests)).encode("utf-8")).hexdigest()[:32]

    def script(self) -> bytes:
        """JavaScript that sets `PROTOKOL_SEARCH` (a <script src> loads from file:// where fetch() may not)."""
        from pathlib import Path

        postings: dict[str, list[int]] = {}
        for n, path in enumerate(self.files):
            try:
                text = Path(path).read_bytes().decode("utf-8", "replace")
            except OSError:
                continue
            for word in words(text):
                postings.setdefault(word, []).append(n)
        data = {"docs": self.docs, "words": {w: postings[w] for w in sorted(postings)}}
        encoded = json.dumps(data, ensure_ascii=False, separators=(",", ":")).replace("</", "<\\/")
        return ("window.PROTOKOL_SEARCH = " + encoded + ";\n").encode("utf-8")
