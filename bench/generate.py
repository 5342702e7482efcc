"""A deterministic archive for benchmarks: N protocols shaped like the example archive, about 10 decisions each.

    python bench/generate.py [--count 10000] [--seed 20240601] [--out bench/out/archive] [--unmarked]

Shaped like the five example protocols (examples/originals/): an organization on the letterhead, chair and secretary with positions, a list
of those present (flow mappings, a named group of directors), 2-4 agenda questions with what was heard (a few
hundred words), decisions numbered 1.1, 1.2… or bullets with a lead line («Руководителям ОО:») whose items inherit
the executors, deadlines of every kind the grammar knows (dates, periods, relative spans, recurring, ongoing, as
needed, none, an explicit `due:` next to a free phrase), control marks on most decisions already due (done,
cancelled, extended), and a question «О ходе выполнения решений предыдущего совещания» that closes or extends
earlier decisions of the same series by `acts_on`. Meetings run 2015-2024 in 20 series (organizations).
Same seed and count, same bytes.

`--unmarked` writes the same archive with no control marks at all (the random choices are the same, the marks
are dropped as they are written): what an imported archive, or one whose secretary never marks, looks like. There
`due` lists every open decision with a date (the bench's "unmarked" archive), not the few a marking office leaves.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import sys
from datetime import date, timedelta
from pathlib import Path

NOW = date(2024, 6, 1)  # the day the archive is "as of": control marks are written only before it
RECURRING = date.max  # the "due" deadline() gives for a recurring phrase
START = date(2015, 1, 12)
END = NOW - timedelta(days=1)  # nothing dated after the archive's «today»

MONTHS_GEN = ["января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа", "сентября", "октября",
              "ноября", "декабря"]
MONTHS_NOM = ["январь", "февраль", "март", "апрель", "май", "июнь", "июль", "август", "сентябрь", "октябрь",
              "ноябрь", "декабрь"]
SURNAMES_F = ["Иванова", "Петрова", "Смирнова", "Кузнецова", "Соколова", "Попова", "Лебедева", "Козлова", "Новикова",
              "Морозова", "Волкова", "Алексеева", "Егорова", "Павлова", "Семёнова", "Голубева", "Виноградова", "Богданова",
              "Воробьёва", "Фёдорова", "Михайлова", "Белова", "Тарасова", "Комарова", "Орлова", "Киселёва", "Макарова"]
SURNAMES_M = ["Иванов", "Петров", "Сидоров", "Громов", "Исаев", "Тюрин", "Зайцев", "Соловьёв", "Борисов", "Яковлев",
              "Григорьев", "Романов", "Воробьёв", "Сергеев", "Кузьмин", "Фролов", "Александров", "Дмитриев", "Королёв"]
INITIALS = "АБВГДЕЖЗИКЛМНОПРСТЮЯ"
POSITIONS = ["заместитель заведующего отделом образования", "главный специалист отдела образования",
             "ведущий специалист - методист методического кабинета", "заведующая методическим кабинетом",
             "директор МБОУ «СОШ № {n}»", "заведующая МБДОУ детский сад № {n} «Солнышко»",
             "директор МБОУ ДО «Дом детского творчества»", "руководитель МКУ «ЦБО»", "инспектор по охране прав детства"]
BODIES = ["руководители ОО", "отдел образования", "администрации ОУ", "руководители ОМО", "руководители МОУ",
          "методический кабинет", "управление образования"]
VERBS = ["Обеспечить", "Организовать", "Провести", "Представить", "Разработать", "Актуализировать", "Проанализировать",
         "Направить", "Подготовить", "Рассмотреть", "Продолжить работу по", "Взять на контроль", "Усилить контроль за"]
OBJECTS = ["мониторинг качества подготовки обучающихся", "план мероприятий по повышению качества образования",
           "отчёт о результатах ВПР в 4-8 классах", "информацию о кадровом обеспечении на новый учебный год",
           "работу школьных методических объединений", "заявку на курсы повышения квалификации педагогов",
           "дорожную карту подготовки к ГИА", "сведения об организации летнего отдыха детей",
           "программу развития образовательного учреждения", "анализ результатов муниципального этапа олимпиады",
           "меры по профилактике учебной неуспешности", "информацию на официальном сайте учреждения"]
TOPICS = ["О подготовке к государственной итоговой аттестации", "Об итогах мониторинга управленческих механизмов",
          "О летней оздоровительной кампании", "О результатах всероссийских проверочных работ",
          "О подготовке образовательных организаций к новому учебному году", "Об организации питания обучающихся",
          "О реализации программ повышения качества образования", "Об итогах муниципального этапа олимпиады школьников",
          "О профилактике безнадзорности и правонарушений несовершеннолетних", "О кадровом обеспечении"]
SENTENCES = ["По итогам мониторинга выявлено, что в большинстве образовательных организаций работа ведётся системно.",
             "Вместе с тем отмечены риски снижения образовательных результатов в отдельных школах округа.",
             "Докладчик представила анализ данных за три года и адресные рекомендации руководителям.",
             "Особое внимание уделено объективности оценивания и работе с обучающимися группы риска.",
             "В мониторинге приняли участие все общеобразовательные учреждения муниципального округа.",
             "Руководителям рекомендовано скорректировать планы внутришкольного контроля.",
             "Отмечена положительная динамика по русскому языку и недостаточная по математике.",
             "Предложено обобщить успешные практики школ-партнёров и распространить их в округе."]


def person(rng: random.Random) -> str:
    surname = rng.choice(SURNAMES_F + SURNAMES_M)
    a, b = rng.choice(INITIALS), rng.choice(INITIALS)
    return rng.choice([f"{surname} {a}.{b}.", f"{surname} {a}. {b}.", f"{a}.{b}. {surname}"])


def q(text: str) -> str:
    """A YAML scalar: plain when safe, else double-quoted."""
    if any(ch in text for ch in ":#\"'{}[]") or text[:1] in "-?!&*|>%@`" or text != text.strip():
        return json.dumps(text, ensure_ascii=False)
    return text


def ru_date(d: date) -> str:
    return f"{d.day:02d}.{d.month:02d}.{d.year}"


def deadline(rng: random.Random, meeting: date) -> tuple[str | None, str | None, date | None]:
    """(phrase, explicit due, the due date the generator means, for control marks)."""
    y = meeting.year
    roll = rng.random()
    if roll < 0.30:
        d = meeting + timedelta(days=rng.randint(7, 200))
        form = rng.choice([f"до {ru_date(d)}", f"до {ru_date(d)} года", f"{d.day} {MONTHS_GEN[d.month - 1]} {d.year} года",
                           f"к {d.day} {MONTHS_GEN[d.month - 1]} {d.year} г.", f"В срок до {ru_date(d)} года", d.isoformat()])
        return form, None, d
    if roll < 0.42:
        m = rng.randint(1, 12)
        yy = y if m >= meeting.month else y + 1
        form = rng.choice([f"{MONTHS_NOM[m - 1]} {yy} г.", "до конца учебного года", f"II квартал {y + 1} г.",
                           f"I полугодие {y + 1} г.", f"в течение {y + 1} года", f"{y}-{y + 1} учебный год",
                           f"январь-июнь {y + 1} года"])
        return form, None, date(yy, m, 28)
    if roll < 0.52:
        form = rng.choice(["в недельный срок", "в трёхдневный срок", "в течение месяца", "в течение 10 рабочих дней",
                           "в течение двух недель", "в двухнедельный срок", "в течение трёх календарных дней",
                           "незамедлительно"])
        return form, None, meeting + timedelta(days=20)
    if roll < 0.58:
        return rng.choice(["ежемесячно до 10 числа", "еженедельно по пятницам", "ежеквартально",
                           "ежегодно до 1 сентября", "ежемесячно до 5 числа", "до 20 числа каждого месяца",
                           "1 раз в полугодие"]), None, RECURRING
    if roll < 0.62:
        return "в течение года", None, date(y, 12, 31)  # a period: this year (not «постоянно»)
    if roll < 0.78:
        return "постоянно", None, None
    if roll < 0.84:
        return rng.choice(["по мере необходимости", "по мере поступления", "в установленные сроки"]), None, None
    if roll < 0.86:
        d = meeting + timedelta(days=rng.randint(20, 90))
        return "по согласованию с отделом образования", d.isoformat(), d
    return None, None, None


def control(rng: random.Random, meeting: date, due: date | None, pad: str) -> list[str]:
    """Control marks for a decision already due before NOW: the older, the likelier it was closed (as in a real
    office, a few old ones stay open and overdue); some were cancelled, some extended first. Standing orders
    («ежемесячно…») of past years were mostly taken off control; recent ones have closed occurrences."""
    if due is RECURRING:
        if meeting < NOW - timedelta(days=365) and rng.random() < 0.9:
            off = min(NOW - timedelta(days=1), meeting + timedelta(days=rng.randint(180, 500)))
            return [f"{pad}control:", f"{pad}  status: cancelled", f"{pad}  date: {off.isoformat()}",
                    f"{pad}  reason: снято с контроля в связи с исполнением"]
        return []
    if due is None or due >= NOW:
        return []
    age = (NOW - due).days
    left_open = 0.02 if age > 365 else 0.1 if age > 90 else 0.35
    if rng.random() < left_open:
        return []
    lines = [f"{pad}control:"]
    roll = rng.random()
    done_on = min(NOW - timedelta(days=1), due + timedelta(days=rng.randint(-10, 20)))
    done_on = max(done_on, meeting)
    if roll < 0.75:
        lines += [f"{pad}  status: done", f"{pad}  date: {done_on.isoformat()}"]
        if rng.random() < 0.3:
            lines.append(f"{pad}  report: {q('Исполнено, информация направлена письмом № ' + str(rng.randint(1, 999)))}")
    elif roll < 0.85:
        lines += [f"{pad}  status: cancelled", f"{pad}  date: {done_on.isoformat()}", f"{pad}  reason: утратило актуальность"]
    else:
        to = due + timedelta(days=rng.randint(30, 120))
        finished = to < NOW - timedelta(days=30) and rng.random() < 0.9
        lines += [f"{pad}  status: {'done' if finished else 'open'}"]
        if finished:
            lines.append(f"{pad}  date: {min(to, NOW - timedelta(days=1)).isoformat()}")
        lines += [f"{pad}  extensions:", f"{pad}    - to: {to.isoformat()}",
                  f"{pad}      reason: по ходатайству исполнителя", f"{pad}      on: {max(due, meeting).isoformat()}"]
    return lines


def decisions(rng: random.Random, meeting: date, item: int, count: int, pad: str, marks: bool = True
              ) -> tuple[list[str], list[str]]:
    """YAML lines of `count` decisions under РЕШИЛИ of agenda item `item`, and their keys."""
    lines: list[str] = []
    keys: list[str] = []
    n = 0
    while n < count:
        number = f"{item}.{len(keys) + 1}" if rng.random() < 0.7 else str(len(keys) + 1)
        key = number if "." in number else f"{item}.{number}"
        if rng.random() < 0.15 and count - n >= 3:  # a lead line with items that inherit the executors
            body = rng.choice(BODIES)
            lead = {"руководители ОО": "Руководителям ОО:", "администрации ОУ": "Администрациям ОУ:"}.get(body, "Поручить:")
            lines += [f"{pad}- number: \"{number}\"", f"{pad}  text: {q(lead)}", f"{pad}  responsible: [{body}]",
                      f"{pad}  items:"]
            for j in range(3):
                text, due_text, due = deadline(rng, meeting)
                lines.append(f"{pad}    - text: {q(rng.choice(VERBS).lower() + ' ' + rng.choice(OBJECTS) + '.')}")
                if text:
                    lines.append(f"{pad}      deadline: {q(text)}")
                if due_text:
                    lines.append(f"{pad}      due: {due_text}")
                written = control(rng, meeting, due, pad + "      ")
                lines += written if marks else []
                keys.append(f"{key}.{j + 1}")
            n += 3
            continue
        text, due_text, due = deadline(rng, meeting)
        lines += [f"{pad}- number: \"{number}\"", f"{pad}  text: {q(rng.choice(VERBS) + ' ' + rng.choice(OBJECTS) + '.')}"]
        if text:
            lines.append(f"{pad}  deadline: {q(text)}")
        if due_text:
            lines.append(f"{pad}  due: {due_text}")
        who = rng.random()
        if who < 0.45:
            lines.append(f"{pad}  responsible: [{rng.choice(BODIES)}]")
        elif who < 0.8:
            lines.append(f"{pad}  responsible: [{person(rng)}, {rng.choice(BODIES)}]")
        elif who < 0.9:
            lines.append(f"{pad}  responsible: {person(rng)}")
        else:
            lines.append(f"{pad}  responsible: []")
        written = control(rng, meeting, due, pad + "  ")
        lines += written if marks else []
        keys.append(key)
        n += 1
    return lines, keys


def protocol(rng: random.Random, series: int, number: int, meeting: date, previous: tuple[str, list[str]] | None,
             marks: bool = True) -> tuple[str, list[str]]:
    org = f"Отдел образования администрации муниципального округа № {series + 1} Тверской области"
    lines = ["# yaml-language-server: $schema=../../schema/protokol.schema.json",
             f"organization: {q(org)}", f"number: \"{number}\"", f"date: {meeting.isoformat()}",
             f"time: {rng.choice(['08.00 – 10.00', '10:00', '14.30 – 16.00'])}", "place: г. Красный Холм",
             f"title: совещания с руководителями ОУ округа № {series + 1}", "participants:",
             f"  chair: {{name: {person(rng)}, position: заведующая отделом образования}}",
             f"  secretary: {{name: {person(rng)}, position: {rng.choice(POSITIONS).format(n=rng.randint(1, 9))}}}",
             "  present:"]
    for _ in range(rng.randint(4, 9)):
        lines.append(f"    - {{name: {person(rng)}, position: {q(rng.choice(POSITIONS).format(n=rng.randint(1, 9)))}}}")
    lines += ["    - group: Директора школ", "      members:"]
    lines += [f"        - {person(rng)}" for _ in range(rng.randint(3, 8))]
    lines.append("agenda:")
    item = 1
    if previous is not None and rng.random() < 0.6:
        prev_id, prev_keys = previous
        chosen = rng.sample(prev_keys, k=min(len(prev_keys), rng.randint(1, 3)))
        lines += [f"  - number: \"{item}\"", "    title: О ходе выполнения решений предыдущего совещания", "    decided:"]
        for k, key in enumerate(chosen, 1):
            if rng.random() < 0.7:
                lines += [f"      - number: \"{item}.{k}\"",
                          f"        text: {q(f'Пункт {key} протокола № {prev_id} снять с контроля.')}",
                          f"        acts_on: [{{decision: {prev_id}/{key}, action: done}}]"]
            else:
                to = meeting + timedelta(days=rng.randint(30, 90))
                lines += [f"      - number: \"{item}.{k}\"",
                          f"        text: {q(f'Срок исполнения пункта {key} продлить до {ru_date(to)}.')}",
                          "        acts_on:", f"          - {{decision: {prev_id}/{key}, action: extend, to: {to.isoformat()}}}"]
        item += 1
    total = 10
    all_keys: list[str] = []
    questions = rng.randint(2, 3)
    for i in range(questions):
        count = total // questions + (1 if i < total % questions else 0)
        speaker = person(rng)
        heard = " ".join(rng.choice(SENTENCES) for _ in range(rng.randint(3, 7)))
        lines += [f"  - number: \"{item}\"", f"    title: {q(rng.choice(TOPICS))}", f"    speakers: [{speaker}]",
                  "    heard:", f"      - who: {speaker}", "        text: |", f"          {heard}",
                  f"          {rng.choice(SENTENCES)}", "    decided:"]
        if rng.random() < 0.3:
            lines.insert(len(lines) - 1, "    # решения по вопросу приняты единогласно")
        body, keys = decisions(rng, meeting, item, count, "      ", marks)
        lines += body
        all_keys += keys
        item += 1
    lines += ["signatures:", "  - {role: Председатель, name: Н.В. Шадеркова}", "  - {role: Секретарь, name: Л.В. Кузнецова}"]
    return "\n".join(lines) + "\n", all_keys


def generate(out: Path, count: int = 10000, seed: int = 20240601, unmarked: bool = False) -> list[Path]:
    """Write the archive into `out` (replacing it); `unmarked`: without any control marks (see the module's doc)."""
    rng = random.Random(seed)
    if out.exists():
        shutil.rmtree(out)
    (out / "protocols").mkdir(parents=True)
    (out / "protokol.yaml").write_text("organization: Отдел образования (тестовый архив)\n", encoding="utf-8")
    span = (END - START).days
    days = sorted(START + timedelta(days=int(span * i / count)) for i in range(count))
    numbers: dict[tuple[int, int], int] = {}
    previous: dict[int, tuple[str, list[str]]] = {}
    taken: set[str] = set()
    written = []
    for meeting in days:
        series = rng.randrange(20)
        n = numbers.get((series, meeting.year), 0) + 1
        numbers[(series, meeting.year)] = n
        pid = f"{meeting.isoformat()}-{n}"
        k = 2
        while pid in taken:
            pid = f"{meeting.isoformat()}-{n}-{k}"
            k += 1
        taken.add(pid)
        text, keys = protocol(rng, series, n, meeting, previous.get(series), marks=not unmarked)
        folder = out / "protocols" / str(meeting.year)
        folder.mkdir(exist_ok=True)
        path = folder / f"{pid}.yaml"
        path.write_text(text, encoding="utf-8")
        written.append(path)
        previous[series] = (pid, keys)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=10000)
    parser.add_argument("--seed", type=int, default=20240601)
    parser.add_argument("--out", type=Path, default=Path(__file__).parent / "out" / "archive")
    parser.add_argument("--unmarked", action="store_true", help="no control marks on any decision")
    args = parser.parse_args(argv)
    files = generate(args.out, args.count, args.seed, args.unmarked)
    size = sum(f.stat().st_size for f in files)
    print(f"{len(files)} protocols, {size / 1e6:.1f} MB in {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
