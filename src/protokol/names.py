"""Personal names as secretaries write them in Russian meeting protocols.

Names are stored in the nominative exactly as written («Комарова Т. Ю.»,
«Н.В.Иванова», «Иванова Наталья Викторовна»).  This module parses them,
guesses the gender, declines them into the other cases while keeping the
written layout, and gives a spelling-insensitive identity key.

Recognised layouts (the whole text must be the name, surrounding whitespace
aside):

* surname first, initials: «Комарова Т. Ю.», «Комарова Т.Ю.», «Комарова Т. Ю»
  (last dot missing), «Комарова Т Ю», «Иванов И.» (one initial needs its dot);
* initials first: «Н.В.Иванова», «Н.В. Кармазина», «С. В. Червова»,
  «С.Забавин» (each initial but the last needs its dot; the last one needs a dot
  or a space before the surname);
* written in full, three words, recognised by the patronymic
  (-вна/-чна, -ич): «Иванова Наталья Викторовна», «Наталья Викторовна Иванова».

Anything else (a single word, bodies such as «отдел образования», mixtures such
as «Управление образования (Белова И.Г.)») is not a person's name.

pytrovich is imported lazily, only when a name is actually declined.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from . import model as m

__all__ = [
    "CASES",
    "NameParts",
    "canonical_spelling",
    "decline",
    "guess_gender",
    "name_key",
    "nonbreaking",
    "parse_name",
]

CASES: tuple[str, ...] = (
    "nominative",
    "genitive",
    "dative",
    "accusative",
    "instrumental",
    "prepositional",
)
_GENDERS = ("m", "f")


@dataclass(frozen=True)
class NameParts:
    """A parsed name.

    ``initials`` always holds the capital letters of the given name and the
    patronymic, without dots («Т», «Ю»); for a name written in full they are
    taken from the full words, which are kept in ``full_given``
    («Наталья», «Викторовна»).  ``full_given`` is () for names written with
    initials.  ``surname_first`` tells the written order.
    """

    surname: str
    initials: tuple[str, ...]
    full_given: tuple[str, ...]
    surname_first: bool


# ---------------------------------------------------------------- parsing

_UP = "А-ЯЁ"
_LO = "а-яё"
_WORD = rf"(?:[{_UP}][{_LO}]+|[{_UP}]{{2,}})"
_SURNAME = rf"{_WORD}(?:-{_WORD})*"
_GIVEN = rf"[{_UP}][{_LO}]+"

_SURNAME_FIRST = re.compile(
    rf"^\s*(?P<surname>{_SURNAME})\s+"
    rf"(?:(?P<i1>[{_UP}])(?:\.\s*|\s+)(?P<i2>[{_UP}])\.?"
    rf"|(?P<single>[{_UP}])\.)\s*$"
)
_INITIALS_FIRST = re.compile(
    rf"^\s*(?:(?P<i1>[{_UP}])\.\s*(?P<i2>[{_UP}])(?:\.\s*|\s+)"
    rf"|(?P<single>[{_UP}])\.\s*)"
    rf"(?P<surname>{_SURNAME})\s*$"
)
_FULL = re.compile(
    rf"^\s*(?P<w1>{_SURNAME})\s+(?P<w2>{_SURNAME})\s+(?P<w3>{_SURNAME})\s*$"
)
_PATRONYMIC = re.compile(rf"^[{_UP}][{_LO}]+(?:вна|чна|ич)$")


@dataclass(frozen=True)
class _Parsed:
    parts: NameParts
    surname_span: tuple[int, int]
    # (span, word, "first" | "middle") for given names written in full
    given_spans: tuple[tuple[tuple[int, int], str, str], ...]


def _is_patronymic(word: str) -> bool:
    return bool(_PATRONYMIC.match(word))


def _parse(text: str) -> _Parsed | None:
    if not isinstance(text, str):
        return None
    return _parse_text(text)


@functools.lru_cache(maxsize=8192)  # an archive writes a few hundred names thousands of times; _Parsed is frozen
def _parse_text(text: str) -> _Parsed | None:
    m = _SURNAME_FIRST.match(text)
    if m:
        initials = (m["i1"], m["i2"]) if m["i1"] else (m["single"],)
        return _Parsed(
            NameParts(m["surname"], initials, (), True), m.span("surname"), ()
        )
    m = _INITIALS_FIRST.match(text)
    if m:
        initials = (m["i1"], m["i2"]) if m["i1"] else (m["single"],)
        return _Parsed(
            NameParts(m["surname"], initials, (), False), m.span("surname"), ()
        )
    m = _FULL.match(text)
    if m:
        w1, w2, w3 = m["w1"], m["w2"], m["w3"]
        if _is_patronymic(w2) and re.fullmatch(_GIVEN, w1):
            # «Наталья Викторовна Иванова»: the second word is the patronymic
            surname_group, first_group, middle_group, surname_first = "w3", "w1", "w2", False
        elif _is_patronymic(w3) and re.fullmatch(_GIVEN, w2):
            # «Иванова Наталья Викторовна»
            surname_group, first_group, middle_group, surname_first = "w1", "w2", "w3", True
        else:
            return None
        first, middle = m[first_group], m[middle_group]
        parts = NameParts(
            m[surname_group], (first[0], middle[0]), (first, middle), surname_first
        )
        given = (
            (m.span(first_group), first, "first"),
            (m.span(middle_group), middle, "middle"),
        )
        return _Parsed(parts, m.span(surname_group), given)
    return None


def parse_name(text: str) -> NameParts | None:
    """Parse a person's name as written; None when the text is not one."""
    parsed = _parse(text)
    return parsed.parts if parsed else None


# ---------------------------------------------------------------- gender

_FEMALE_SURNAME_ENDINGS = ("ова", "ева", "ина", "ына", "ая")
_MALE_SURNAME_ENDINGS = ("ов", "ев", "ин", "ын", "ский", "цкий", "ской", "цкой", "ый", "ий")


def _fold(s: str) -> str:
    return s.casefold().replace("ё", "е")


def _gender_of_surname_word(word: str) -> str | None:
    w = _fold(word)
    for ending in _FEMALE_SURNAME_ENDINGS:
        if w.endswith(ending) and len(w) >= len(ending) + 2:
            return "f"
    for ending in _MALE_SURNAME_ENDINGS:
        if w.endswith(ending) and len(w) >= len(ending) + 2:
            return "m"
    return None


def _gender_of_surname(surname: str) -> str | None:
    # the last part of a double surname decides; fall back on the others
    for part in reversed(surname.split("-")):
        g = _gender_of_surname_word(part)
        if g:
            return g
    return None


def _gender_of_patronymic(word: str) -> str | None:
    w = _fold(word)
    if w.endswith(("вна", "чна")):
        return "f"
    if w.endswith("ич"):
        return "m"
    return None


def _check_gender(gender: str | None) -> None:
    if gender is not None and gender not in _GENDERS:
        raise ValueError(f"gender must be 'm', 'f' or None, not {gender!r}")


def guess_gender(name: str, override: str | None = None) -> str | None:
    """Return "m", "f" or None for a name as written.

    ``override`` ("m"/"f") wins.  Otherwise a patronymic written in full
    decides (-вна/-чна → f, -ич → m), then the surname's ending
    (-ова/-ева/-ина/-ына/-ая → f; -ов/-ев/-ин/-ын/-ский/-цкий/-ской/-ый/-ий → m).
    Surnames whose form does not depend on gender — «Черных», «Шевченко»,
    «Дурново», and consonant endings such as «Кравец», «Вайник», «Бейм»
    (male surnames that a woman keeps undeclined) — give None.  A bare
    surname («Иванова») is accepted too.
    """
    _check_gender(override)
    if override is not None:
        return override
    parsed = _parse(name)
    if parsed is None:
        if isinstance(name, str) and re.fullmatch(_SURNAME, name.strip()):
            return _gender_of_surname(name.strip())
        return None
    parts = parsed.parts
    if len(parts.full_given) == 2:
        g = _gender_of_patronymic(parts.full_given[1])
        if g:
            return g
    return _gender_of_surname(parts.surname)


# ---------------------------------------------------------------- declension

_maker = None


def _get_maker():
    """The one cached pytrovich maker (imported here, never at module import)."""
    global _maker
    if _maker is None:
        from pytrovich.maker import PetrovichDeclinationMaker

        _maker = PetrovichDeclinationMaker()
    return _maker


def _pytrovich_word(word: str, part: str, gender: str, case: str) -> str:
    """Decline one word with pytrovich, working around its quirks.

    pytrovich appends lower-case endings to the word as given, so «ИВАНОВА»
    would become «ИВАНОВу»: an all-capitals word is declined in title case
    and upper-cased back.
    """
    from pytrovich.enums import Case, Gender, NamePart

    upper = word.isupper() and len(word) > 1
    src = "-".join(p.capitalize() for p in word.split("-")) if upper else word
    out = _get_maker().make(
        {"last": NamePart.LASTNAME, "first": NamePart.FIRSTNAME, "middle": NamePart.MIDDLENAME}[part],
        Gender.MALE if gender == "m" else Gender.FEMALE,
        Case[case.upper()],
        src,
    )
    if not isinstance(out, str) or not out:
        return word
    return out.upper() if upper else out


def _decline_word(word: str, part: str, gender: str | None, case: str) -> str:
    if gender is not None:
        return _pytrovich_word(word, part, gender, case)
    # Unknown gender: the form is certain only when both genders agree
    # («Черных», «Кочерга»); otherwise («Кравец»: Кравца / Кравец) keep it.
    as_m = _pytrovich_word(word, part, "m", case)
    as_f = _pytrovich_word(word, part, "f", case)
    return as_m if as_m == as_f else word


def decline(name: str, case: str, gender: str | None = None) -> str:
    """Decline a nominative name into ``case``, keeping its written layout.

    Only the surname (and the given name and patronymic when written in full)
    change; spacing, dots and the order of initials stay as written:
    «Комарова Т. Ю.» → accusative «Комарову Т. Ю.», «Н.В.Иванова» → «Н.В.Иванову».
    ``gender`` ("m"/"f") overrides the guess of :func:`guess_gender`.  With no
    gender known the surname changes only when both genders decline it alike,
    so «Кравец И.И.» stays as written unless a gender is given.

    Text that is not a person's name is returned unchanged, and so is the name
    when pytrovich fails or is missing.  An unknown ``case`` or ``gender`` is a
    programming error and raises ValueError.
    """
    if case not in CASES:
        raise ValueError(f"case must be one of {CASES}, not {case!r}")
    _check_gender(gender)
    parsed = _parse(name)
    if parsed is None or case == "nominative":
        return name
    g = guess_gender(name, gender)
    try:
        replacements = [
            (parsed.surname_span, _decline_word(parsed.parts.surname, "last", g, case))
        ]
        for span, word, part in parsed.given_spans:
            replacements.append((span, _decline_word(word, part, g, case)))
    except Exception:  # pytrovich missing or failing: never break a document
        return name
    out = name
    for (start, end), new in sorted(replacements, reverse=True):
        out = out[:start] + new + out[end:]
    return out


# ---------------------------------------------------------------- identity


def name_key(name: str) -> str:
    """Identity key: equal for spellings of one person, different otherwise.

    Case-folded, ё→е, surname first, initials as «и.о.» with no spaces:
    «Комарова Т. Ю.», «Комарова Т.Ю.», «Т.Ю. Комарова» and «Комарова Т. Ю»
    all give «комарова т.ю.».  A name written in full keys by its initials,
    so «Иванова Наталья Викторовна» is the same person as «Иванова Н.В.».
    Text that is not a name keys as itself, folded, with whitespace collapsed.
    """
    parts = parse_name(name)
    if parts is None:
        return " ".join(_fold(name).split()) if isinstance(name, str) else ""
    return f"{_fold(parts.surname)} " + "".join(f"{_fold(i)}." for i in parts.initials)


def _tidy_surname(surname: str) -> str:
    return "-".join(
        p.capitalize() if p.isupper() and len(p) > 1 else p for p in surname.split("-")
    )


def canonical_spelling(name: str) -> str:
    """The one spelling to store: «Фамилия И.О.».

    Surname first, one space, then the initials each followed by a dot with
    no space between them — the form most seed protocols use («Иванова А.О.»).
    So «Комарова Т. Ю», «Т.Ю. Комарова» → «Комарова Т.Ю.»; «Иванов И.» keeps
    its single initial.  ё is kept as written (it is the correct letter;
    :func:`name_key` ignores it), an all-capitals surname is title-cased.
    A name written in full stays in full, surname first:
    «Наталья Викторовна Иванова» → «Иванова Наталья Викторовна».
    Text that is not a name is returned unchanged.
    """
    parts = parse_name(name)
    if parts is None:
        return name
    surname = _tidy_surname(parts.surname)
    if parts.full_given:
        return " ".join((surname, *parts.full_given))
    return f"{surname} " + "".join(f"{i}." for i in parts.initials)


# ---------------------------------------------------------------- printing

NBSP = "\u00a0"
_INNER_SPACE = re.compile(r"(?<=\S)\s+(?=\S)")


def nonbreaking(name: str) -> str:
    """A name with initials bound by non-breaking spaces (U+00A0), so that a line never breaks inside it.

    «Комарова Т. Ю.» → «Комарова\u00a0Т.\u00a0Ю.», «С. В. Червова» → «С.\u00a0В.\u00a0Червова»; every space of such
    a name stands between an initial and the next initial or the surname.  A name written in full («Иванова Наталья
    Викторовна») and text that is not a name are returned unchanged, and so are the spaces around the name.
    """
    parsed = _parse(name)
    if parsed is None or parsed.parts.full_given:
        return name
    return _INNER_SPACE.sub(NBSP, name)


def gender_index(protocol: m.Protocol) -> dict[str, str]:
    """Genders written anywhere in the protocol (a participant entry), by name key: a `who` may omit it."""
    found: dict[str, str] = {}
    parts = protocol.participants

    def add(person):
        if isinstance(person, m.Person) and person.gender:
            found.setdefault(name_key(person.name), person.gender)
        elif isinstance(person, m.Group):
            for member in person.members:
                add(member)

    for person in (parts.chair, parts.secretary, *parts.present, *parts.invited, *parts.absent):
        add(person)
    for item in protocol.agenda:
        for person in item.speakers:
            add(person)
        for statement in (*item.heard, *item.spoke):
            for person in statement.who:
                add(person)
    return found


def heard_gender(person: m.Person, genders: dict[str, str]) -> str | None:
    return person.gender or genders.get(name_key(person.name))


def heard_name(person: m.Person, genders: dict[str, str]) -> str:
    """A name as printed after СЛУШАЛИ: in the accusative («Белову И.Г.»), the gender from the person or from where
    the protocol gives it (`gender_index`); undeclined when the surname does not tell and nothing says."""
    return decline(person.name, "accusative", heard_gender(person, genders))


def split_executors(text: str) -> list[str]:
    """Split «отдел образования, руководители ОО» on commas that are not inside brackets or quotes."""
    parts, depth, current = [], 0, []
    for ch in text:
        if ch in "(«\"[":
            depth += 1
        elif ch in ")»\"]" and depth:
            depth -= 1
        if ch in ",;" and depth == 0:
            parts.append("".join(current))
            current = []
        else:
            current.append(ch)
    parts.append("".join(current))
    return [name for name in (_without_final_period(p) for p in parts) if name]


_ENDS_WITH_INITIAL = re.compile(r"(?:^|[\s.])[А-ЯЁA-Z]\.$")


def _without_final_period(text: str) -> str:
    """«руководители ОО.» loses the sentence's period; «Громов П.С.» keeps the dot of its initial."""
    text = text.strip()
    while text.endswith(".") and not _ENDS_WITH_INITIAL.search(text):
        text = text[:-1].rstrip()
    return text
