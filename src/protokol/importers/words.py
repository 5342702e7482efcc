"""Russian words the importer recognises: labels of protocol parts, person names, positions and executors in the dative.

Kept apart from the state machine in parse.py so that the vocabulary can grow without touching the control flow.
"""

from __future__ import annotations

import re
from functools import lru_cache

from ..names import decline, guess_gender, parse_name, split_executors

_UP = "А-ЯЁ"
_LO = "а-яё"
SURNAME = rf"[{_UP}][{_LO}]+(?:-[{_UP}][{_LO}]+)?"
# «Комарова Т. Ю.», «Комарова Т.Ю», «Мингалеева М. В» (the last dot may be missing), «Н.В.Иванова», «С. В. Червова»,
# «Иванова Наталья Викторовна» (a patronymic in any case marks a name written in full).
NAME = (rf"(?:[{_UP}]\.\s?[{_UP}]\.\s?{SURNAME}(?![{_LO}])"
        rf"|{SURNAME}\s+[{_UP}]\.\s?[{_UP}](?:\.|(?![{_LO}{_UP}.]))"
        rf"|{SURNAME}\s+[{_UP}][{_LO}]+\s+[{_UP}][{_LO}]+(?:вн|чн|ич)[{_LO}]*)")
NAME_RX = re.compile(NAME)
NAME_AT_START = re.compile(rf"\s*({NAME})")
NAME_AT_END = re.compile(rf"({NAME})\s*[.;,]?\s*$")
NAME_ONLY = re.compile(rf"\s*({NAME})\s*[.;,]?\s*")

MONTHS = {"января": 1, "февраля": 2, "марта": 3, "апреля": 4, "мая": 5, "июня": 6, "июля": 7, "августа": 8,
          "сентября": 9, "октября": 10, "ноября": 11, "декабря": 12}
ORDINALS = {"первому": 1, "второму": 2, "третьему": 3, "четвертому": 4, "четвёртому": 4, "пятому": 5, "шестому": 6,
            "седьмому": 7, "восьмому": 8, "девятому": 9, "десятому": 10, "одиннадцатому": 11, "двенадцатому": 12}


def spaced(word: str) -> str:
    """«П Р О Т О К О Л»: the letters of a word set apart by spaces, as Word users often type headings."""
    return r"\s".join(word)


def _alts(*words: str) -> str:
    return "(?:" + "|".join(words) + ")"


# ---------------------------------------------------------------------------------------------- labels of parts
# Each label may stand alone, end with a colon or a dash, or (when typed in capitals) run straight into its text.
DISCUSSION_LABELS = {
    "heard": _alts("заслушали", "слушали", spaced("слушали")),
    "spoke": _alts("в прениях выступили", "выступили", "выступил", "выступила", "выступающие", spaced("выступили")),
    "discussed": _alts("обсудили", spaced("обсудили")),
    "decided": _alts("решили", "постановили", "приняли решение", "принято решение",
                     r"решение(?:\s+(?:совещания|заседания|педагогического\s+совета|педсовета|совета|комиссии|собрания))?",
                     spaced("решили"), spaced("постановили"), spaced("решение")),
    "votes": _alts("голосовали", "итоги голосования", "результаты голосования", "голосование", spaced("голосовали")),
}
_LABEL = re.compile(
    r"^(?:(?P<num>\d{1,2})[.)]\s*)?(?P<label>" + "|".join(f"(?P<{k}>{v})" for k, v in DISCUSSION_LABELS.items())
    + r")(?![а-яё])(?P<sep>\s*[:.\-–—]\s*|\s*$|\s+)(?P<rest>.*)$", re.I)


def discussion_label(text: str, lenient: bool = False):
    """(kind, number or None, rest) for «СЛУШАЛИ: …», «2. РЕШИЛИ:», «Постановили:»; None for anything else.
    `lenient`: after «По первому вопросу» a label in lower case runs into its text («… слушали Семенову Л.Д.»)."""
    m = _LABEL.match(text)
    if not m:
        return None
    kind = next(k for k in DISCUSSION_LABELS if m.group(k))
    if not lenient and not m.group("sep").strip() and m.group("rest") and not m.group("label").isupper():
        return None  # «Решили провести семинар» is a sentence; «РЕШИЛИ провести…» in capitals is the label
    return kind, m.group("num"), m.group("rest").strip()


PARTICIPANT_LABELS = {
    "present": _alts("на совещании присутствовали", "на заседании присутствовали", "присутствовали", "присутствуют",
                     "присутствовало", "присутствующие", "состав участников", "участники", "участвовали",
                     spaced("присутствовали")),
    "invited": _alts("приглашенные лица", "приглашённые лица", "приглашенные", "приглашённые", "приглашены",
                     "приглашен", "приглашён", "приглашена"),
    "absent": _alts("отсутствовали", "отсутствуют", "отсутствовал", "отсутствовала"),
    "agenda": _alts("повестка дня", "повестка заседания", "повестка совещания", "вопросы повестки дня", "повестка",
                    "порядок дня", spaced("повестка") + r"\s+" + spaced("дня")),
}
_PART_LABEL = re.compile(r"^(?P<label>" + "|".join(f"(?P<{k}>{v})" for k, v in PARTICIPANT_LABELS.items())
                         + r")(?:\s*[:\-–—.]\s*|\s*$)(?P<rest>.*)$", re.I)


def participant_label(text: str):
    m = _PART_LABEL.match(text)
    if not m:
        return None
    return next(k for k in PARTICIPANT_LABELS if m.group(k)), m.group("rest").strip()


FIELD_LABELS = {
    "date": r"дата(?:\s+(?:проведения|заседания|совещания))?",
    "time": r"время(?:\s+(?:проведения|начала))?|начало",
    "venue": r"место(?:\s+проведения)?",
    "format": r"формат(?:\s+проведения)?|форма\s+проведения",
    "link": r"ссылка(?:\s+(?:на|для)\s+подключени[яе])?",
}
_FIELD = re.compile(r"(?:^|(?<=\s))(?P<label>" + "|".join(f"(?P<{k}>{v})" for k, v in FIELD_LABELS.items())
                    + r")\s*(?P<sep>[:\-–—])\s*", re.I)


def header_fields(text: str) -> list[tuple[str, str]] | None:
    """[(field, value)] for «Дата: 22.12.2020 Время: 14.30»; None unless the line starts with such a label."""
    matches = list(_FIELD.finditer(text))
    if not matches or matches[0].start() != 0:
        return None
    out = []
    for i, m in enumerate(matches):
        if i and m.group("sep") != ":":
            continue
        end = matches[i + 1].start() if i + 1 < len(matches) and matches[i + 1].group("sep") == ":" else len(text)
        kind = next(k for k in FIELD_LABELS if m.group(k))
        out.append((kind, text[m.end():end].strip()))
    return out


ROLE_LABEL = re.compile(
    r"^(?P<label>Председател[а-яё]*|ПРЕДСЕДАТЕЛ[А-ЯЁ]*|Секретар[а-яё]*|СЕКРЕТАР[А-ЯЁ]*|Протокол\s+вел[аи]?|Протокол\s+ведет"
    r"|Вед[её]т\s+протокол)(?P<qual>(?:\s+[а-яё]+){0,3}?)\s*(?:[:\-–—]\s*(?P<rest>.*)|$|\s+(?P<rest2>[А-ЯЁ].*))$")


def role_label(text: str):
    """('chair' | 'secretary', rest) for «Председатель совещания – …», «Протокол вела: …»."""
    m = ROLE_LABEL.match(text)
    if not m:
        return None
    label = m.group("label").lower()
    kind = "chair" if label.startswith("председател") else "secretary"
    return kind, (m.group("rest") or m.group("rest2") or "").strip()


KIND_LINE = re.compile(r"^(?P<kind>выписка\s+из\s+протокола|" + spaced("протокол") + r"|протокол)(?![а-яё])\s*(?P<rest>.*)$", re.I)
NUMBER = re.compile(r"^(?:№|N|No\.?)\s*(?P<n>[0-9][\w\-/.]*?)[.,;]?(?:\s+|$)(?P<rest>.*)$")
PLACE = re.compile(r"^(?:г\.|город|с\.|село|пос\.|п\.|пгт\.?|д\.|ст\.|р\.п\.)\s*[А-ЯЁ][\w\- ]*$")

_MONTH_WORD = "|".join(MONTHS)
DATE_RX = re.compile(
    r"(?P<iso>(?P<iy>\d{4})-(?P<im>\d{2})-(?P<id>\d{2}))"
    r"|(?P<num>(?P<nd>\d{1,2})\s?[./]\s?(?P<nm>\d{1,2})\s?[./]\s?(?P<ny>\d{4}|\d{2})(?!\d))"
    r"|(?P<word>[«\"“„']?\s?(?P<wd>\d{1,2})\s?[»\"”“']?\s+(?P<wm>" + _MONTH_WORD + r")\s+(?P<wy>\d{4}))", re.I)
_DATE_NOISE = re.compile(r"(?i)^(?:от|дата|г\.?|года?|год|[:\-–—.,\s])*$")


def find_date(text: str):
    """(date, span) of the first date in text, or None."""
    from datetime import date

    for m in DATE_RX.finditer(text):
        try:
            if m.group("iso"):
                d = date(int(m.group("iy")), int(m.group("im")), int(m.group("id")))
            elif m.group("num"):
                y = int(m.group("ny"))
                d = date(y + 2000 if y < 100 else y, int(m.group("nm")), int(m.group("nd")))
            else:
                d = date(int(m.group("wy")), MONTHS[m.group("wm").lower()], int(m.group("wd")))
        except ValueError:
            continue
        return d, m.span()
    return None


def date_chunk(text: str):
    """The date when `text` is nothing but a date with its usual words («от 25 декабря 2022 года», «27.08.2023г»)."""
    found = find_date(text)
    if not found:
        return None
    d, (start, end) = found
    if _DATE_NOISE.match(text[:start]) and _DATE_NOISE.match(text[end:]):
        return d
    return None


QUESTION = re.compile(
    r"^(?:По\s+(?P<n>\d{1,2}|" + "|".join(ORDINALS) + r"|данному|этому|текущему)(?:\s?-?\s?(?:му|ому|ему|ы?й))?\s+вопросу"
    r"(?:\s+повестки(?:\s+дня)?)?|По\s+вопросу\s+(?:№\s*)?(?P<n2>\d{1,2})|Вопрос\s+(?:№\s*)?(?P<n3>\d{1,2}))"
    r"\s*[:.\-–—]?\s*(?P<rest>.*)$", re.I)


def question_marker(text: str):
    """(number or None for «по данному вопросу», rest) for «По 1 вопросу «…»», «По второму вопросу»; else None."""
    m = QUESTION.match(text)
    if not m:
        return None
    raw = (m.group("n") or m.group("n2") or m.group("n3") or "").lower()
    number = raw if raw.isdigit() else (str(ORDINALS[raw]) if raw in ORDINALS else None)
    return number, m.group("rest").strip()


NUMBERED = re.compile(r"^(?P<num>\d{1,2}(?:\.\d{1,2})*) ?[.)](?!\d)\s*(?P<rest>\S.*)$")  # «3 . Разное.» too
_NUMBERED_DOTTED = re.compile(r"^(?P<num>\d{1,2}(?:\.\d{1,2})+)\s+(?P<rest>\D.*)$")
BULLET = re.compile(r"^(?:[-–—•·*▪►○●■□✓❖➢→]\s*|[а-яa-z]\)\s+)(?P<rest>\S.*)$")


def numbered(text: str):
    """(number, rest) for «1.», «1.1.», «1.1 », «2)»: the printed number without its final dot."""
    m = NUMBERED.match(text) or _NUMBERED_DOTTED.match(text)
    if not m:
        return None
    return m.group("num"), m.group("rest").strip()


def bullet(text: str):
    m = BULLET.match(text)
    return m.group("rest").strip() if m else None


DEADLINE_LINE = re.compile(r"^(?:в\s+)?срок(?:и)?(?:\s+исполнения)?\s*(?P<sep>[:\-–—]?)\s*(?P<rest>.*)$", re.I)
RESPONSIBLE_LINE = re.compile(
    r"^(?:ответственн(?:ые\s+лица|ый|ая|ое|ые)(?:\s+за\s+исполнение)?\s*[:\-–—]?|исполнител(?:ь|и)\s*[:\-–—]?"
    r"|отв\.\s*[:\-–—]?|отв\s*[:\-–—]|исп\.\s*[:\-–—]?)\s*(?P<rest>.*)$", re.I)
INLINE_FIELD = re.compile(
    r"(?:(?<=[\s.;,(])|^)(?P<label>(?:в\s+)?срок(?:и)?(?:\s+исполнения)?|отв\.?|ответственн(?:ый|ая|ое|ые)|исполнител(?:ь|и))"
    r"\s*[:\-–—]\s*", re.I)


def inline_fields(text: str) -> tuple[str, str | None, str | None]:
    """(text, deadline, responsible) of «Провести семинар. Срок: до 01.10.2024. Отв.: Иванова И.И.»."""
    matches = list(INLINE_FIELD.finditer(text))
    if not matches:
        return text, None, None
    body = text[:matches[0].start()].rstrip(" ,;(").rstrip()
    if not body:
        return text, None, None
    deadline = responsible = None
    for i, m in enumerate(matches):
        end = matches[i + 1].start() if i + 1 < len(matches) else len(text)
        value = text[m.end():end].strip(" ;,)")
        if m.group("label").lower().lstrip("в ").startswith("срок"):
            deadline = value.strip(" ;,)")
        else:
            responsible = value
    return body, deadline, responsible


APPENDIX = re.compile(r"^Приложени[ея](?:\s*(?:№\s*)?\d+)?(?:\s+к\s+протоколу[^:]*)?\s*[.:]?$", re.I)
CERTIFY = re.compile(r"^(?:верно|выписка\s+верна|копия\s+верна)\s*[.:]?$", re.I)
SIGNATURE_WORD = re.compile(r"(?i)\(?\s*подпись\s*\)?|_{2,}|/")
SECTION_TITLES = re.compile(
    r"^(?P<title>Цел[ьи]|Задач[аи]|Рабочий\s+тезис|(?:Примерный\s+)?[Пп]лан(?:\s+работы|\s+проведения)?"
    r"|(?:Предполагаемый|Ожидаемый|Планируемый|Ожидаемые|Планируемые)\s+результаты?(?:\s+работы)?"
    r"|Выявленные\s+проблемы|Тема(?:\s+(?:совещания|заседания))?|Регламент|Вступительное\s+слово|Основание|Форма\s+работы)"
    r"\s*:\s*(?P<rest>.*)$")

POSITION_STEMS = (
    "заместител", "зам.", "зам ", "заведующ", "зав.", "зав ", "директор", "начальник", "руководител", "методист",
    "специалист", "учител", "председател", "педагог", "секретар", "глав", "ведущ", "старш", "социальн", "психолог",
    "воспитател", "инспектор", "консультант", "член", "представител", "советник", "экономист", "бухгалтер",
    "юрисконсульт", "логопед", "дефектолог", "тьютор", "вожат", "библиотекар", "администратор", "инженер", "эксперт",
    "уполномоченн", "депутат", "завуч", "и.о.", "и. о.", "врио", "ректор", "проректор", "декан", "преподавател",
    "мастер", "куратор", "координатор", "сотрудник", "работник", "помощник", "референт", "делопроизводител",
)


def is_position(text: str) -> bool:
    low = text.strip().lower()
    return low.startswith(POSITION_STEMS)


SIGNATURE_KEYWORDS = re.compile(
    r"^(?:Председател|ПРЕДСЕДАТЕЛ|Секретар|СЕКРЕТАР|Верно|Выписка верна|Копия верна|Заведующ|Директор|Начальник|Заместител"
    r"|Глава|Руководител|Член|И\.\s?о\.|Зав\.|Зам\.)")


# ---------------------------------------------------------------------------------------------------- persons
def split_person(text: str) -> tuple[str, str | None] | None:
    """(name, position) for «Иванова А.О., методист», «Кондратьева М. В.- заведующая РОО», «директор … Шадеркова Н.В.»."""
    t = text.strip().strip(";,").strip()
    if not t:
        return None
    m = NAME_AT_START.match(t)
    if m:
        name = m.group(1).strip()
        rest = t[m.end():].strip()
        if rest and rest[0].isalpha() and rest[0].islower() and not rest.startswith(("и ", "и,")):
            return name, tidy_position(rest) or None
        if rest and not rest[0].isalpha() and rest[0] not in "(,–—-:;":
            return None
        position = tidy_position(rest.lstrip(" ,–—-:\t"))
        if position.startswith("(") and position.endswith(")"):
            position = position[1:-1].strip()
        return name, position or None
    m = NAME_AT_END.search(t)
    if m and m.start() > 0:
        position = tidy_position(t[:m.start()].rstrip(" ,–—-:\t"))
        if not position or position.endswith((".", ";")):
            return None
        return m.group(1).strip(), position
    return None


def tidy_position(text: str) -> str:
    text = text.strip().rstrip(";,").strip()
    if text.endswith(".") and not text.endswith("..."):
        last = text[:-1].split()[-1] if text[:-1].split() else ""
        if len(last) > 3 or not last.isalpha():  # «кабинетом.» loses its period, «нач. кл.» keeps it
            text = text[:-1].rstrip()
    return text


def is_name(text: str) -> bool:
    return bool(NAME_ONLY.fullmatch(text))


def names_in_list(text: str) -> list[str] | None:
    """«Н.В. Кармазина и С. В. Червова» or «Сосновская В. И., Вахромова Т. А.» -> the names; None if not only names."""
    parts = [p.strip() for p in re.split(r",|;|\s+и\s+", text) if p.strip()]
    if not parts:
        return None
    out = []
    for p in parts:
        m = NAME_ONLY.fullmatch(p)
        if not m:
            return None
        out.append(m.group(1).strip())
    return out


# Suffix changes that lead from a case form back to the nominative; each guess is verified by declining it again.
_BACK = {
    "accusative": (("ову", "ова"), ("еву", "ева"), ("ину", "ина"), ("ыну", "ына"), ("ую", "ая"), ("ого", "ий"),
                   ("ого", "ой"), ("ого", "ый"), ("его", "ий"), ("а", ""), ("я", "й"), ("я", "ь"), ("у", "а"), ("ю", "я"),
                   ("ича", "ич"), ("вну", "вна"), ("чну", "чна")),
    "dative": (("у", ""), ("ю", "й"), ("ю", "ь"), ("ой", "а"), ("ой", "ая"), ("ей", "я"), ("ому", "ий"), ("ому", "ой"),
               ("ому", "ый"), ("ему", "ий"), ("е", "а"), ("е", "я"), ("ичу", "ич"), ("вне", "вна"), ("чне", "чна")),
    "genitive": (("а", ""), ("я", "й"), ("я", "ь"), ("ой", "а"), ("ой", "ая"), ("ого", "ий"), ("ого", "ой"), ("ого", "ый"),
                 ("его", "ий"), ("ы", "а"), ("и", "я"), ("ича", "ич"), ("вны", "вна"), ("чны", "чна")),
}


def _word_candidates(word: str, case: str) -> list[str]:
    out = [word]
    low = word.lower()
    for suffix, ending in _BACK[case]:
        if low.endswith(suffix) and len(word) > len(suffix) + 1:
            out.append(word[: len(word) - len(suffix)] + ending)
    return list(dict.fromkeys(out))


@lru_cache(maxsize=4096)
def to_nominative(name: str, case: str) -> tuple[str, bool]:
    """The nominative of a name written in `case` («Комарову Т. Ю.» -> «Комарова Т. Ю.»), keeping its layout,
    and whether that is certain. Each guess is declined back and must give the written form."""
    parts = parse_name(name)
    if parts is None:
        return name, False
    words = [parts.surname, *parts.full_given]
    spans = []
    start = 0
    for w in words:
        i = name.find(w, start) if w is not parts.surname else name.find(w)
        spans.append((i, i + len(w)))
        start = i + len(w)
    options = [_word_candidates(w, case) for w in words]
    found: dict[str, str] = {}
    combos = [[]]
    for opts in options:
        combos = [c + [o] for c in combos for o in opts][:200]
    for combo in combos:
        candidate = name
        for (s, e), new in sorted(zip(spans, combo, strict=True), reverse=True):
            candidate = candidate[:s] + new + candidate[e:]
        for gender in ("m", "f"):
            if decline(candidate, case, gender) == name and guess_gender(candidate) in (gender, None):
                found.setdefault(candidate, gender)
    for candidate in list(found):
        if len(found) > 1 and re.search(r"(?:ов|ев|ёв|ин|ын)ая\b", candidate):
            del found[candidate]  # «Соловьёвая» is no surname: -овая/-иная guesses lose to -ова/-ина
    if len(found) > 1 and name in found and guess_gender(name) is None:
        del found[name]  # «Комарову» is no nominative: the written form itself is not a candidate
    if len(found) == 1:
        (nominative, _gender), = found.items()
        # «Иванова» read as the accusative of «Иванов» could also be a woman's name written in the nominative.
        ambiguous = nominative != name and guess_gender(name) is not None
        return nominative, not ambiguous
    if name in found:
        return name, False
    return name, False


# Executors named in the dative at the head of a decision («Руководителям ОО:»), and their nominative. Bodies keep
# their capital letter («Управлению» -> «Управление»); positions and plural groups are written in lower case.
DATIVE = {
    "руководителям": "руководители", "руководителю": "руководитель", "администрациям": "администрации",
    "администрации": "администрация", "управлению": "Управление", "управлениям": "управления", "отделу": "Отдел",
    "отделам": "отделы", "комитету": "Комитет", "центру": "Центр", "учреждению": "учреждение",
    "учреждениям": "учреждения", "организациям": "организации", "организации": "организация", "школам": "школы",
    "службе": "служба", "службам": "службы", "заместителю": "заместитель", "заместителям": "заместители",
    "директору": "директор", "директорам": "директора", "заведующему": "заведующий", "заведующей": "заведующая",
    "заведующим": "заведующие", "начальнику": "начальник", "начальникам": "начальники", "методисту": "методист",
    "методистам": "методисты", "специалисту": "специалист", "специалистам": "специалисты", "педагогам": "педагоги",
    "педагогу": "педагог", "педагогу-психологу": "педагог-психолог", "педагогам-психологам": "педагоги-психологи",
    "учителям": "учителя", "учителю": "учитель", "учителям-предметникам": "учителя-предметники",
    "воспитателям": "воспитатели", "воспитателю": "воспитатель", "секретарю": "секретарь", "председателю": "председатель",
    "председателям": "председатели", "членам": "члены", "ответственным": "ответственные", "классным": "классные",
    "классному": "классный", "главному": "главный", "ведущему": "ведущий", "старшему": "старший", "старшим": "старшие",
    "социальному": "социальный", "социальным": "социальные", "образовательным": "образовательные",
    "общеобразовательным": "общеобразовательные", "муниципальным": "муниципальные", "дошкольным": "дошкольные",
    "всем": "все", "советнику": "советник", "советникам": "советники", "инспектору": "инспектор", "психологу": "психолог",
    "логопеду": "логопед", "тьютору": "тьютор", "библиотекарю": "библиотекарь", "экспертам": "эксперты",
    "кураторам": "кураторы", "куратору": "куратор", "наставникам": "наставники", "координатору": "координатор",
    "координаторам": "координаторы", "бухгалтеру": "бухгалтер", "главному бухгалтеру": "главный бухгалтер",
    "сотрудникам": "сотрудники", "работникам": "работники", "родителям": "родители", "родителю": "родитель",
    "комиссии": "комиссия", "комиссиям": "комиссии", "родительскому": "родительский", "комитетам": "комитеты",
    "педагогу-организатору": "педагог-организатор", "коллективу": "коллектив", "совету": "совет",
    "депутатам": "депутаты", "депутату": "депутат",
}
_KEEP_CAPITAL = {"Управление", "Отдел", "Комитет", "Центр"}
_INFINITIVE = re.compile(r"^[а-яё]+(?:ть|ти|чь|ться|тись)$")
_ABBREVIATION = re.compile(r"^[A-ZА-ЯЁ]{2,}")


def _dative_head(words: list[str]) -> tuple[list[str], int] | None:
    """The nominative of the leading dative words and how many were converted, or None if the first is not one."""
    out = []
    for w in words:
        low = w.lower()
        if low in DATIVE:
            nom = DATIVE[low]
            out.append(nom)
            continue
        break
    if not out:
        return None
    if out[0] not in _KEEP_CAPITAL:
        out[0] = out[0][0].lower() + out[0][1:]
    out[1:] = [x.lower() for x in out[1:]]  # «родительскому комитету» -> «родительский комитет»
    return out, len(out)


def executor_to_nominative(phrase: str) -> tuple[str, bool] | None:
    """«Управлению образования (С.А. Пахомова)» -> «Управление образования (С.А. Пахомова)»; «Исаеву Р.Р.» -> «Исаев Р.Р.».
    Returns (nominative, certain) or None when the phrase does not start with an executor in the dative."""
    phrase = phrase.strip().rstrip(":").strip()
    if not phrase:
        return None
    m = NAME_AT_START.match(phrase)
    if m and m.start(1) == 0:
        # «Исаеву Р.Р.» -> «Исаев Р.Р.»; «Черных А.А.» is the same in every case
        nominative, certain = to_nominative(m.group(1).strip(), "dative")
        return nominative + phrase[m.end():], certain
    words = phrase.split(" ")
    head = _dative_head(words)
    if head is None:
        if _ABBREVIATION.match(phrase):
            return phrase, True  # «МАУ ДПО ЦРО (Л.В. Иконникова)»: an abbreviation is the same in every case
        return None
    converted, n = head
    rest = " ".join(words[n:])
    certain = True
    end = NAME_AT_END.search(rest)
    if end:  # «заместителю директора по УВР Петровой А.А.»
        nominative, ok = to_nominative(end.group(1).strip(), "dative")
        rest = rest[:end.start()] + nominative + rest[end.end():].rstrip(" .;,")
        certain = certain and ok
    return " ".join([*converted, rest]).strip(), certain


def _split_and(text: str) -> list[str]:
    """Split executors on commas and on «и» before a capital (a new body), never inside brackets or quotes."""
    parts, depth, current, i = [], 0, [], 0
    while i < len(text):
        ch = text[i]
        if ch in "(«\"[":
            depth += 1
        elif ch in ")»\"]" and depth:
            depth -= 1
        if depth == 0 and ch in ",;":
            parts.append("".join(current))
            current = []
            i += 1
            continue
        if depth == 0 and text.startswith(" и ", i) and i + 3 < len(text) and (
                text[i + 3].isupper() or text[i + 3:].split(" ", 1)[0].lower() in DATIVE):
            parts.append("".join(current))
            current = []
            i += 3
            continue
        current.append(ch)
        i += 1
    parts.append("".join(current))
    return [p.strip() for p in parts if p.strip()]


def lead_executors(text: str) -> tuple[list[str], bool] | None:
    """Executors named by a lead line in the dative («Руководителям ОО:»), in the nominative; None if it names none."""
    body = text.strip()
    if not body.endswith(":"):
        return None
    body = re.sub(r"^(?:Поручить|Рекомендовать|Предложить)\s+", "", body[:-1].strip())  # «Рекомендовать руководителям …:»
    parts = _split_and(body)
    if not parts or len(parts) > 6:
        return None
    first = executor_to_nominative(parts[0])
    if first is None or _ABBREVIATION.match(parts[0]):
        return None
    out, certain = [first[0]], first[1]
    for p in parts[1:]:
        conv = executor_to_nominative(p)
        if conv is None:
            out.append(p)
            certain = False
        else:
            out.append(conv[0])
            certain = certain and conv[1]
    return out, certain


# Words that end the executor before the verb: a deadline («Руководителям ШМО в 2024-2025 учебном году провести»,
# «Классному руководителю Юдину А.А. ежедневно контролировать»).
_HEAD_STOP = {"в", "во", "до", "к", "не", "с", "со", "ежедневно", "еженедельно", "ежемесячно", "ежеквартально", "ежегодно",
              "постоянно", "систематически", "регулярно", "незамедлительно", "срочно", "совместно", "также"}


def _executor_head(words: list[str]) -> str:
    for i, word in enumerate(words):
        if i and word.lower() in _HEAD_STOP:
            words = words[:i]
            break
    return " ".join(words).rstrip(",")


def executor_in_text(text: str) -> tuple[list[str], bool] | None:
    """«Руководителям ОО продолжить работу…» -> (['руководители ОО'], certain): the dative before the first verb."""
    words = text.split()
    for i, w in enumerate(words[:9]):
        if i and _INFINITIVE.match(w.lower().strip(",.;:")):
            head = _executor_head(words[:i])
            if not head:
                return None
            conv = executor_to_nominative(head)
            if conv is None or _ABBREVIATION.match(head):
                return None
            return [conv[0]], conv[1]
    return None


# Bodies and groups that start an executor even without a comma before them («отдел образования руководители ОО»).
_EXECUTOR_HEADS = ("руководители", "отдел", "управление", "комитет", "администрация", "методисты", "педагоги")
_ADJECTIVE = re.compile(r"(?:ые|ие|ой|ый|ий|ая|ое|ее|ых|их)$")


def split_responsible(text: str) -> tuple[list[str], bool]:
    """Executors of an «Отв.:» line, and False when a missing comma had to be guessed."""
    out, guessed = [], False
    for part in split_executors(text):
        words = part.split(" ")
        start = 0
        for i in range(1, len(words)):
            if words[i].lower() in _EXECUTOR_HEADS and not _ADJECTIVE.search(words[i - 1].lower()) \
                    and "(" not in " ".join(words[start:i]) and i - start >= 2:
                out.append(" ".join(words[start:i]))
                start = i
                guessed = True
        out.append(" ".join(words[start:]))
    # split_executors drops a final period, which for «Соловьёва Е.А.» belongs to the initials
    out = [p + "." if re.search(r"(?:^|\s)[А-ЯЁ]\.\s?[А-ЯЁ]$", p) else p for p in out]
    return [p for p in out if p], not guessed
