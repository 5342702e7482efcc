"""A protocol as plain Russian text, one fact per line, for `git diff` (textconv) and for reading changes.

The text is built for line diffs, not for print: every fact sits on its own line in a fixed order, a decision keeps
its id, deadline and executors on one line, and nothing depends on today's date, so that one edit changes one line.
"""

from __future__ import annotations

from datetime import date

from . import model as m
from .rudates import format_date

STATUS_WORDS = {"open": "на контроле", "done": "исполнено", "cancelled": "снято с контроля"}
ACTION_WORDS = {"done": "снять с контроля как исполненное", "cancel": "снять с контроля", "extend": "продлить",
                "reopen": "вернуть на контроль"}
_ROLES = (("present", "Присутствовали"), ("invited", "Приглашённые"), ("absent", "Отсутствовали"))


def day(d: date) -> str:
    return format_date(d, "numeric")


def person(p: m.Person) -> str:
    return f"{p.name} ({p.position})" if p.position else p.name


def group_head(g: m.Group) -> str:
    count = f" – {g.count} чел." if g.count is not None else ""
    return f"{g.group}{count}"


def responsible_text(responsible: tuple[str, ...] | None) -> str | None:
    if responsible is None:
        return None
    return ", ".join(responsible) if responsible else "не назначен"


def deadline_text(d: m.Decision, meeting: date) -> str | None:
    """Срок as written, with the day it means when that day does not depend on when one looks («до 20 мая» = 20.05.2024)."""
    if d.deadline is None and d.due is None:
        return None
    if d.deadline is None:
        return day(d.due)
    due = d.due
    if due is None:
        from .deadlines import DeadlineError, parse_deadline

        try:
            parsed = parse_deadline(d.deadline, meeting, meeting)
        except DeadlineError:
            parsed = None
        if parsed is not None and parsed.kind == "date":
            due = parsed.due
    if due is None or day(due) in d.deadline or due.isoformat() in d.deadline:
        return d.deadline
    return f"{d.deadline} (= {day(due)})"


def decision_line(d: m.Decision, decision_id: str, meeting: date) -> str:
    """«<id> <text> | Срок: … | Отв.: …»: a decision's own facts on one line (inherited ones stay with the parent)."""
    parts = [f"{decision_id} {_one_line(d.text)}"]
    deadline = deadline_text(d, meeting)
    if deadline is not None:
        parts.append(f"Срок: {deadline}")
    resp = responsible_text(d.responsible)
    if resp is not None:
        parts.append(f"Отв.: {resp}")
    return " | ".join(parts)


_MONTHS = ("январь", "февраль", "март", "апрель", "май", "июнь", "июль", "август", "сентябрь", "октябрь", "ноябрь",
           "декабрь")
_ROMAN = ("I", "II", "III", "IV")


def period_text(rule: str | None, occurrence: date) -> str | None:
    """The period an occurrence of a recurring deadline reports on, as a secretary names it: «I квартал 2024 г.»,
    «январь 2024 г.», «II полугодие 2024 г.», «2024 год», «неделю с 28.12.2024 по 03.01.2025». The period is the one
    the rule gives (from the day after the previous occurrence to this one), named by its middle: the report due on
    10 March («ежемесячно до 10 числа») is for February, the one due 31 March («ежеквартально») for the I quarter."""
    from datetime import timedelta

    from .recurrence import begins, next_occurrence

    kind = (rule or "").partition(":")[0]
    try:
        if next_occurrence(rule, occurrence) != occurrence:
            return None  # not a day the rule falls due (written by hand): no period to name
        start = begins(rule, occurrence - timedelta(days=400), occurrence)
    except ValueError:  # no rule (a deadline no rule reads)
        return None
    mid = start + (occurrence - start) / 2
    if kind == "monthly":
        return f"{_MONTHS[mid.month - 1]} {mid.year} г."
    if kind == "quarterly":
        return f"{_ROMAN[(mid.month - 1) // 3]} квартал {mid.year} г."
    if kind == "halfyearly":
        return f"{_ROMAN[(mid.month - 1) // 6]} полугодие {mid.year} г."
    if rule == "yearly":
        return f"{occurrence.year} год"
    if kind == "weekly":
        return f"неделю с {day(start)} по {day(occurrence)}"
    if kind == "yearly":
        return f"период с {day(start)} по {day(occurrence)}"
    return None  # daily: the day is the period


def _for_occurrence(rule: str | None, occurrence: date) -> str:
    """«за I квартал 2024 г. (срок 31.03.2024)», or «за срок 31.03.2024» when the rule names no period."""
    period = period_text(rule, occurrence)
    return f"за {period} (срок {day(occurrence)})" if period else f"за срок {day(occurrence)}"


def control_lines(c: m.Control, rule: str | None = None) -> list[str]:
    """The control marks, a fact a line; `rule`: the recurrence rule of the decision's deadline, to name the period
    of each closed occurrence."""
    lines = [f"Статус: {STATUS_WORDS.get(c.status, c.status)}" + (f" {day(c.date)}" if c.date else "")]
    if c.report:
        lines += _block("Отчёт", c.report)
    if c.reason:
        lines += _block("Причина снятия", c.reason)
    if c.controller:
        lines.append(f"Контролёр: {c.controller}")
    for e in c.extensions:
        extra = "".join(x for x in (f" ({e.reason})" if e.reason else "", f", решение от {day(e.on)}" if e.on else "",
                                    f", {e.by}" if e.by else ""))
        lines.append(f"Срок продлён до {day(e.to)}{extra}")
    for closed in c.closed:
        lines.append(f"Исполнено {_for_occurrence(rule, closed)}")
    for r in c.occurrences:
        text = f"Исполнено {_for_occurrence(rule, r.occurrence)}"
        if r.date:
            text += f", отчёт от {day(r.date)}"
        if r.report:
            text += f": {_one_line(r.report)}"
        lines.append(text)
    for h in c.history:
        lines.append(closing_text(h, rule))
    return lines


def closing_text(h: m.Closing, rule: str | None = None) -> str:
    """An earlier closing undone by reopening, on one line: «Снято с контроля 20.05.2024 (причина), возвращено на
    контроль 01.06.2024»; of an occurrence, «Исполнено за май 2024 г. (срок 10.05.2024) …»."""
    text = {"done": "Исполнено", "cancelled": "Снято с контроля"}.get(h.status, h.status)
    if h.occurrence:
        text += f" {_for_occurrence(rule, h.occurrence)}"
    if h.date:
        text += f" {day(h.date)}"
    if h.reason:
        text += f" ({_one_line(h.reason)})"
    if h.report:
        text += f", отчёт: {_one_line(h.report)}"
    if h.reopened:
        text += f", возвращено на контроль {day(h.reopened)}"
    return text


def protocol_text(p: m.Protocol) -> str:
    """The whole protocol as text; ends with a newline."""
    out: list[str] = []
    kind = "ВЫПИСКА ИЗ ПРОТОКОЛА" if p.kind == "extract" else "ПРОТОКОЛ"
    number = f" № {p.number}" if p.number else ""
    out.append(f"{kind}{number} от {day(p.date)}")
    if p.status == "draft":
        out.append("Черновик")
    if p.organization:
        out += _block("Организация", p.organization)
    out.append(f"Заголовок: {_one_line(p.title)}")
    for label, value in (("Время", p.time), ("Место", p.place), ("Место проведения", p.venue), ("Формат", p.format),
                         ("Ссылка", p.link)):
        if value:
            out.append(f"{label}: {_one_line(value)}")
    parts = p.participants
    for role, label, who in (("chair", "Председатель", parts.chair), ("secretary", "Секретарь", parts.secretary)):
        if who is not None:
            out.append(f"{label}: {person(who)}")
        elif role in parts.not_recorded:
            out.append(f"{label}: не указан")
    for role, label in _ROLES:
        attendees = getattr(parts, role)
        if attendees:
            out.append(f"{label}:")
            for a in attendees:
                if isinstance(a, m.Group):
                    out.append(f"  {group_head(a)}:" if a.members else f"  {group_head(a)}")
                    out += [f"    {person(x)}" for x in a.members]
                    if a.note:
                        out.append(f"    ({a.note})")
                else:
                    out.append(f"  {person(a)}" + (f" ({a.note})" if a.note else ""))
    for section in p.sections:
        out += _section(section)
    if p.agenda:
        out.append("")
        out.append("Повестка дня:")
    if any(item.heard for item in p.agenda):
        from .names import gender_index

        genders = gender_index(p)
    else:
        genders = {}
    for item in p.agenda:
        out += _item(p, item, genders)
    if p.signatures:
        out.append("")
        out.append("Подписи:")
        out += [f"  {s.role}: {s.name or ''}".rstrip() for s in p.signatures]
    if p.certification:
        c = p.certification
        out.append(f"{c.label}: {c.name}" + (f", {c.position}" if c.position else "") + (f", {day(c.date)}" if c.date else ""))
    for section in p.appendix:
        out += _section(section, "Приложение")
    if p.signed:
        out.append("")
        out.append(f"Подписан: {p.signed.by}, {day(p.signed.date)}, sha256 {p.signed.sha256[:12]}")
    for a in p.amendments:
        out.append(f"Исправление от {day(a.date)} ({a.by}): {_one_line(a.reason)}")
    return "\n".join(out) + "\n"


def _item(p: m.Protocol, item: m.AgendaItem, genders: dict[str, str]) -> list[str]:
    from .names import heard_name

    out = ["", f"Вопрос {item.key}. {_one_line(item.title or item.heading or '')}".rstrip()]
    if item.heading and item.title:
        out.append(f"  Заголовок: {_one_line(item.heading)}")
    out += [f"  Докладчик: {person(s)}" for s in item.speakers]
    for label, statements in (("СЛУШАЛИ", item.heard), ("ВЫСТУПИЛИ", item.spoke)):
        for st in statements:
            # after СЛУШАЛИ the name is in the accusative, as the role written after it is («Белову И.Г., главного
            # специалиста»): declined as the printed protocol declines it
            names = [heard_name(x, genders) if label == "СЛУШАЛИ" else x.name for x in st.who]
            who = ", ".join(names) + (f", {st.role}" if st.role else "")
            out.append(f"  {label}: {who}")
            if st.text:
                out += [f"    {line}" for line in st.text.splitlines()]
    if item.discussed:
        out += ["  " + line for line in _block("ОБСУДИЛИ", item.discussed)]
    if item.decided or item.decided_intro:
        out.append("  РЕШИЛИ:" + (f" {_one_line(item.decided_intro)}" if item.decided_intro else ""))

    def visit(decisions, depth, deadline):
        for d in decisions:
            pad = "  " * depth
            own = d.deadline if d.deadline is not None or d.due is not None else deadline
            out.append(f"{pad}{decision_line(d, f'{p.id}/{d.key}', p.date)}")
            if d.note:
                out.append(f"{pad}  Примечание: {_one_line(d.note)}")
            for ref in d.acts_on:
                to = f" до {day(ref.to)}" if ref.to else ""
                out.append(f"{pad}  По решению {ref.decision}: {ACTION_WORDS.get(ref.action, ref.action)}{to}")
            if d.control is not None:
                out.extend(f"{pad}  {line}" for line in control_lines(d.control, _rule(own, p.date, d.control)))
            visit(d.items, depth + 1, own)

    visit(item.decided, 2, None)
    if item.votes:
        out.append(f"  ГОЛОСОВАЛИ: {votes_text(item.votes)}")
    return out


def _rule(deadline: str | None, meeting: date, c: m.Control) -> str | None:
    """The recurrence rule of a deadline phrase, read only for marks that close occurrences."""
    if deadline is None or not (c.closed or c.occurrences or any(h.occurrence for h in c.history)):
        return None
    from .deadlines import DeadlineError, parse_deadline

    try:
        return parse_deadline(deadline, meeting, meeting).rule
    except DeadlineError:
        return None


def votes_text(v: m.Votes) -> str:
    if v.for_ is None and v.against is None and v.abstained is None:
        return v.text or ""
    numbers = ", ".join(f"«{label}» – {'нет' if n == 0 else n}" for label, n in
                        (("за", v.for_), ("против", v.against), ("воздержались", v.abstained)) if n is not None)
    return numbers + (f" ({v.text})" if v.text else "")


def _section(section: m.Section, prefix: str = "Раздел") -> list[str]:
    out = ["", f"{prefix}: {_one_line(section.title)}"]
    if section.text:
        out += [f"  {line}" for line in section.text.splitlines()]
    return out


def _block(label: str, text: str) -> list[str]:
    lines = text.splitlines() or [""]
    return [f"{label}: {lines[0]}"] + [f"  {line}" for line in lines[1:]]


def _one_line(text: str) -> str:
    return " ".join(text.split())
