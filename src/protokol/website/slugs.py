"""Names in URLs: a person's or a group's name transliterated from Cyrillic into a stable slug
(«Морозова О.Д.» → `morozova-o-d`), the part of the URL contract of `people/<slug>.html` (docs/site.md)."""

from __future__ import annotations

import re
from collections.abc import Iterable

# ГОСТ 7.79-2000 system B without diacritics, as Russian passports and URLs spell names (Yandex, Wikipedia).
_LETTERS = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh", "з": "z", "и": "i", "й": "y",
    "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f",
    "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "yu",
    "я": "ya", "і": "i", "ї": "yi", "є": "ye", "ґ": "g",
}
_NOT_SLUG = re.compile(r"[^a-z0-9]+")


def transliterate(text: str) -> str:
    return "".join(_LETTERS.get(ch, ch) for ch in text.casefold())


def slug(text: str) -> str:
    """Lower-case Latin letters, digits and single hyphens; «person» for a name with nothing left."""
    return _NOT_SLUG.sub("-", transliterate(text)).strip("-") or "person"


def slugs(keys: Iterable[str], names: Iterable[str]) -> dict[str, str]:
    """A distinct slug per key, made of its name, in the order given: a second name with the same slug gets `-2`, a
    third `-3`."""
    out: dict[str, str] = {}
    taken: set[str] = set()
    for key, name in zip(keys, names, strict=True):
        if key in out:
            continue
        base = candidate = slug(name)
        n = 1
        while candidate in taken:
            n += 1
            candidate = f"{base}-{n}"
        taken.add(candidate)
        out[key] = candidate
    return out
