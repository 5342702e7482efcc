"""Archive settings (protokol.yaml): defaults, reading with the same strict loader and schema as protocols."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from . import model as m
from .making import builds
from .problems import Collector, Problem
from .schema import PERSON
from .spec import INVALID, Enum, F, Int, Record, Seq, Text
from .yamlio import read_file

SETTINGS_FILE = "protokol.yaml"

SECURITY_PORTS = {"starttls": 587, "ssl": 465, "none": 25}  # the port each `mail.security` takes by default


@dataclass(frozen=True)
class Mail:
    """The `mail:` section: how `protokol remind` reaches the SMTP server. The password never lives here: it comes
    from PROTOKOL_SMTP_PASSWORD."""

    host: str
    port: int | None = None  # None: by security (SECURITY_PORTS)
    security: str = "starttls"
    from_: str | None = None  # «Отдел образования <oo@example.org>»
    user: str | None = None  # None: no login
    ca_file: str | None = None  # relative to the archive
    timeout: int = 30
    summary_to: str | None = None  # None: the secretary's address in people.yaml

    @property
    def effective_port(self) -> int:
        return self.port if self.port is not None else SECURITY_PORTS[self.security]


@dataclass(frozen=True)
class Settings:
    organization: str | None = None
    title: str = "совещания"  # default meeting title for `protokol new`, in the genitive
    place: str | None = None
    chair: m.Person | None = None
    secretary: m.Person | None = None
    certify_by: m.Person | None = None  # who signs «Верно» under extracts
    numbering: str = "yearly"  # yearly: № restarts each calendar year; continuous: runs on
    school_year_end: str = "08-31"
    school_first_half_end: str = "12-31"
    school_second_half_end: str = "05-31"
    immediate_days: int = 3  # «незамедлительно» is due this many working days after the meeting
    # controlled: each occurrence of a recurring decision is controlled on its own, overdue once missed;
    # never_overdue: a standing order none of whose occurrences was ever closed is never overdue (imported archives)
    recurring_untracked: str = "controlled"
    participants_threshold: int = 15  # above this many present, print «N человек (список прилагается)»
    date_style: str = "long"  # long: «27 августа 2023 г.»; numeric: «27.08.2023»; quoted: «“27” августа 2023 г.»
    language: str | None = None  # ru or en for messages; None: from the locale
    extra_holidays: tuple[str, ...] = ()  # YYYY-MM-DD days off declared by the yearly government decree
    extra_workdays: tuple[str, ...] = ()  # YYYY-MM-DD Saturdays made working days by the decree
    mail: Mail | None = None  # `protokol remind`'s SMTP server; None: no mail sent
    path: str | None = field(default=None, compare=False)

    def school_year(self):
        from .deadlines import SchoolYear

        def md(text: str) -> tuple[int, int]:
            month, day = text.split("-")
            return int(month), int(day)

        return SchoolYear(end=md(self.school_year_end), first_half_end=md(self.school_first_half_end),
                          second_half_end=md(self.school_second_half_end), immediate_days=self.immediate_days)

    def extra_days(self) -> tuple[frozenset, frozenset]:
        """extra_holidays and extra_workdays as dates, for parse_deadline and the working-day arithmetic."""
        from datetime import date

        def days(texts):
            out = set()
            for text in texts:
                try:
                    out.add(date.fromisoformat(text))
                except ValueError:  # reported by load_settings; a bad day must not break a command
                    pass
            return frozenset(out)

        return days(self.extra_holidays), days(self.extra_workdays)


MAIL = Record(
    "mail",
    {
        "host": F(Text(), "The SMTP server («smtp.example.org»).", required=True),
        "port": F(Int(minimum=1, maximum=65535), "Its port (default by security: 587 starttls, 465 ssl, 25 none)."),
        "security": F(Enum(tuple(SECURITY_PORTS)), "starttls (default), ssl, or none (a server inside the network only)."),
        "from": F(Text(), "The sender: «Отдел образования <oo@example.org>» (default: the login `user`)."),
        "user": F(Text(), "The login; without it protokol does not log in. The password comes from the environment "
                  "variable PROTOKOL_SMTP_PASSWORD, never from a file."),
        "ca_file": F(Text(), "A CA certificate (PEM) to trust besides the system's, relative to the archive."),
        "timeout": F(Int(minimum=1, maximum=3600), "Seconds to wait for the server (default 30, at most an hour)."),
        "summary_to": F(Text(), "Where the summary of each run goes (default: the secretary's `email:` in people.yaml)."),
    },
    builds(Mail),
    doc="How `protokol remind` sends mail.",
)

_MONTH_DAY = r"(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])"
_ISO_DAY = r"\d{4}-\d{2}-\d{2}"

SETTINGS = Record(
    "settings",
    {
        "organization": F(Text(), "The organization as on the letterhead; `protokol new` copies it into each protocol."),
        "title": F(Text(), "Default meeting title in the genitive («совещания с руководителями ОУ»)."),
        "place": F(Text(), "Default place of drafting («г. Красный Холм»)."),
        "chair": F(PERSON, "Default chair (председатель) for new protocols."),
        "secretary": F(PERSON, "Default secretary for new protocols."),
        "certify_by": F(PERSON, "Who certifies extracts («Верно»): name and position."),
        "numbering": F(Enum(("yearly", "continuous")), "yearly (default): № restarts each year; continuous: runs on."),
        "school_year_end": F(Text(pattern=_MONTH_DAY, example="08-31"), "Last day of a school year, MM-DD (default 08-31)."),
        "school_first_half_end": F(Text(pattern=_MONTH_DAY, example="12-31"), "Last day of its first half (default 12-31)."),
        "school_second_half_end": F(Text(pattern=_MONTH_DAY, example="05-31"), "Last day of its second half (default 05-31)."),
        "immediate_days": F(Int(minimum=0), "Working days after the meeting by which «незамедлительно», «немедленно», "
                            "«срочно» are due (default 3)."),
        "recurring_untracked": F(Enum(("controlled", "never_overdue")),
                                 "controlled (default): each occurrence of a recurring decision («ежеквартально») is "
                                 "controlled on its own and overdue once its day has passed; never_overdue: a standing "
                                 "order none of whose occurrences was ever closed with `protokol done` is never overdue "
                                 "(for archives imported with years of unmarked history)."),
        "participants_threshold": F(Int(minimum=1), "Above this many present, print «N человек (список прилагается)» (default 15)."),
        "date_style": F(Enum(("long", "numeric", "quoted")),
                        "long: «27 августа 2023 г.» (default); numeric: «27.08.2023»; quoted: «“27” августа 2023 г.»."),
        "language": F(Enum(("ru", "en")), "Language of messages for everyone working in this archive (default: from the locale); `--lang` overrides it for one command."),
        "extra_holidays": F(Seq(Text(pattern=_ISO_DAY, example="2024-12-30")),
                            "Extra days off (YYYY-MM-DD) from the yearly transfer decree, for working-day deadlines."),
        "extra_workdays": F(Seq(Text(pattern=_ISO_DAY, example="2024-12-28")),
                            "Saturdays made working days by the decree (YYYY-MM-DD)."),
        "mail": F(MAIL, "The SMTP server `protokol remind` sends reminders through (docs/remind.md): host, port, "
                  "security, from, user, ca_file, timeout, summary_to."),
    },
    builds(Settings),
    doc="Archive settings (protokol.yaml).",
)


def load_settings(root: Path | None) -> tuple[Settings, list[Problem]]:
    """The archive's settings, or the defaults when there is no protokol.yaml; problems as values."""
    if root is None or not (root / SETTINGS_FILE).exists():  # a pipe or a folder there is reported, not ignored
        return Settings(), []
    path = root / SETTINGS_FILE
    from .paths import display_path

    shown = display_path(path)
    tree, problems, _text = read_file(path, shown)
    if tree is None:
        return Settings(), problems
    out = Collector(shown)
    out.problems = problems
    built = SETTINGS.convert(tree, out)
    if built is INVALID:
        return Settings(path=shown), out.problems
    from dataclasses import replace

    defaults = Settings()
    bad = {key: getattr(defaults, key) for key in _check_days(tree, out)}  # reported; the default is used instead
    _check_mail(tree, out)
    return replace(built, path=shown, **bad), out.problems


def mail_address(text: str) -> str | None:
    """The address of a From or To header as written in mail.from or mail.summary_to («Отдел образования
    <oo@example.org>», or the address alone), or None when it holds none."""
    from email.headerregistry import HeaderRegistry

    try:
        addresses = HeaderRegistry()("From", text).addresses
    except (ValueError, IndexError, TypeError):
        return None
    if len(addresses) != 1 or "@" not in addresses[0].addr_spec or addresses[0].addr_spec.startswith("@"):
        return None
    return addresses[0].addr_spec


def _check_mail(tree, out: Collector) -> None:
    """What the format cannot say of `mail:` and `remind` would find only when sending: a host written with its
    scheme or port, a sender or a summary address that is no address."""
    from .i18n import _
    from .yamlio import Mapping, Scalar

    mail = tree.get("mail")
    if not isinstance(mail, Mapping):
        return
    given = {key: node for key in ("host", "from", "user", "summary_to")
             if isinstance(node := mail.get(key), Scalar) and node.value is not None}
    host = given["host"].value.strip() if "host" in given else None
    if host is not None and (not host or host.count(":") == 1 or any(c.isspace() or c in "/@" for c in host)):
        out.add(given["host"].pos, "schema-value", _("mail.host is not the name of a server: '{value}'.").format(
            value=given["host"].value), _("Write the server's name or address alone, «smtp.example.org»: no «smtp://», "
                                          "and the port under `port:`."))
    for key in ("from", "summary_to"):
        if key in given and mail_address(given[key].value) is None:
            out.add(given[key].pos, "schema-value", _("mail.{key} is not an e-mail address: '{value}'.").format(
                key=key, value=given[key].value), _("Write it as «Отдел образования <oo@example.org>» or as the address "
                                                    "alone."))
    if "user" in given and mail.get("from") is None and mail_address(given["user"].value) is None:
        out.add(given["user"].pos, "schema-value", _("mail.from is not set, and the login mail.user, '{value}', is no "
                                                     "address to send from.").format(value=given["user"].value),
                _("Add `from: Отдел образования <oo@example.org>` to `mail:`."))


def _check_days(tree, out: Collector) -> set[str]:
    """The patterns accept 02-30 and 2024-13-45: report days the calendar does not have, at their position, and
    return the month-day keys that hold one (extra_days() skips bad entries of the lists itself)."""
    from datetime import date

    from .i18n import _
    from .yamlio import Scalar, Sequence

    def bad(node, text: str, parse) -> bool:
        try:
            parse(text)
            return False
        except ValueError:
            out.add(node.pos, "schema-date", _("{value} is not a day of the calendar.").format(value=text),
                    _("Check the day and the month: {value} does not exist.").format(value=text))
            return True

    found = set()
    for key in ("school_year_end", "school_first_half_end", "school_second_half_end"):
        node = tree.get(key)
        if isinstance(node, Scalar) and node.value and bad(node, node.value, lambda t: date.fromisoformat(f"2000-{t}")):
            found.add(key)  # 2000 is a leap year, so 02-29 passes
    for key in ("extra_holidays", "extra_workdays"):
        node = tree.get(key)
        for child in node.items if isinstance(node, Sequence) else ():
            if isinstance(child, Scalar) and child.value:
                bad(child, child.value, date.fromisoformat)
    return found


# --- the protokol.yaml that `protokol init` writes, and the reference table of docs/settings.md -------------------

# Per key: a Russian comment for the file a secretary edits, and an example for keys that have no default.
TEMPLATE_NOTES: dict[str, tuple[str, str | None]] = {
    "organization": ("Наименование организации, как на бланке; `protokol new` вписывает его в каждый новый протокол.",
                     "Отдел образования администрации Н-ского муниципального округа"),
    "title": ("Заголовок совещания по умолчанию, в родительном падеже («совещания с руководителями ОУ»). "
              "Протоколы с одним заголовком образуют серию с общей нумерацией.", None),
    "place": ("Место составления протокола по умолчанию.", "г. Н-ск"),
    "chair": ("Председатель по умолчанию для новых протоколов: «Фамилия И.О.» или имя с должностью.",
              "{name: Фамилия И.О., position: заведующий отделом образования}"),
    "secretary": ("Секретарь по умолчанию для новых протоколов.", "{name: Фамилия И.О., position: методист}"),
    "certify_by": ("Кто заверяет выписки из протоколов («Верно»): имя и должность.",
                   "{name: Фамилия И.О., position: главный специалист}"),
    "numbering": ("Нумерация протоколов: yearly — с № 1 каждый календарный год; continuous — сквозная.", None),
    "school_year_end": ("Последний день учебного года, ММ-ДД (для сроков «до конца учебного года»).", None),
    "school_first_half_end": ("Последний день I полугодия учебного года, ММ-ДД.", None),
    "school_second_half_end": ("Последний день II полугодия учебного года, ММ-ДД.", None),
    "immediate_days": ("Через сколько рабочих дней после совещания наступает срок «незамедлительно», «немедленно», "
                       "«срочно».", None),
    "recurring_untracked": ("Повторяющиеся поручения («ежеквартально», «ежемесячно до 10 числа»): controlled — "
                            "каждый период контролируется отдельно и просрочен, если отчёта нет к сроку; never_overdue — "
                            "поручение, по которому ни разу не отмечено исполнение (`protokol done`), не считается "
                            "просроченным (для архивов, перенесённых с многолетней историей без отметок).", None),
    "participants_threshold": ("Если присутствующих больше этого числа, в документе пишется "
                               "«N человек (список прилагается)».", None),
    "date_style": ("Вид даты в документах: long — «27 августа 2023 г.», numeric — «27.08.2023», "
                   "quoted — «“27” августа 2023 г.».", None),
    "language": ("Язык сообщений программы: ru или en (по умолчанию — как в системе).", "ru"),
    "extra_holidays": ("Дополнительные выходные дни (ГГГГ-ММ-ДД) по постановлению Правительства о переносе выходных, "
                       "для сроков в рабочих днях.", "[2024-12-30, 2024-12-31]"),
    "extra_workdays": ("Субботы, ставшие рабочими днями по тому же постановлению (ГГГГ-ММ-ДД).", "[2024-12-28]"),
    "mail": ("Почтовый сервер для напоминаний исполнителям (`protokol remind`, docs/remind.md). port по умолчанию "
             "зависит от security: 587 для starttls, 465 для ssl, 25 для none. Пароль не пишется в файл: он берётся из "
             "переменной окружения PROTOKOL_SMTP_PASSWORD. summary_to — куда отправить сводку (по умолчанию — адрес "
             "секретаря в people.yaml).",
             "\n  host: smtp.example.org\n  port: 587\n  security: starttls\n"
             "  from: \"Отдел образования <oo@example.org>\"\n  user: oo@example.org\n  timeout: 30"),
}

_TEMPLATE_HEAD = """\
# Настройки архива протоколов (protokol). Все ключи описаны в docs/settings.md.
# Строка, начинающаяся с «#», — комментарий: уберите «# » перед ключом, чтобы задать значение.
# Проверить файл: protokol check
"""


def default_value(key: str):
    """The value a key takes when protokol.yaml does not set it (None: unset)."""
    value = getattr(Settings(), key)
    return None if value == () else value


def settings_template(values: dict | None = None) -> str:
    """protokol.yaml for a new archive: every key with a Russian comment; set keys and defaults active, others as
    commented examples. `values` (model values: text, Person, tuple) override the defaults."""
    import textwrap

    from .dump import dump_data, to_data

    values = values or {}
    parts = [_TEMPLATE_HEAD]
    for key in SETTINGS.fields:
        comment, example = TEMPLATE_NOTES[key]
        default = default_value(key)
        shown = "По умолчанию не задано." if default is None else f"По умолчанию: {default}."
        lines = textwrap.wrap(f"{comment} {shown}", width=110)
        parts.append("\n" + "".join(f"# {line}\n" for line in lines))
        value = values.get(key, default)
        if value is None:  # an example of several lines is commented line by line
            parts.append(f"# {key}: {example}".replace("\n", "\n# ").replace(": \n", ":\n") + "\n")
        else:
            parts.append(dump_data({key: to_data(value)}))
    return "".join(parts)


def settings_reference() -> str:
    """The Markdown table of every setting, its default and meaning, for docs/settings.md."""
    rows = ["| key | default | meaning |", "|---|---|---|"]
    for key, spec in SETTINGS.fields.items():
        default = default_value(key)
        shown = "—" if default is None else f"`{default}`"
        rows.append(f"| `{key}` | {shown} | {spec.doc.replace('|', '/')} |")
    return "\n".join(rows) + "\n"
