"""The messages of `protokol remind`: a reminder per executor and the summary for the secretary, as
`email.message.EmailMessage` values (plain text and HTML parts from editable templates, an .ics attachment of the
deadlines). Pure: a `remind.Plan` and what the archive says in, messages out; nothing is sent here (mailer.py does).

The messages are Russian whatever the language of the program's own messages, as the documents are: the templates
are Russian, dates are written the Russian way, and the .ics attachment is made in Russian. Templates are found as
render's are (render/templates.py): the archive's templates/ first, then the built-ins; a copy may extend the
built-in one (`{% extends "default:remind.txt.j2" %}`) and override only the blocks `subject`, `body` or `footer`.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Iterable
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from email.message import EmailMessage
from pathlib import Path

from .remind import Reminder, Unaddressed
from .rudates import format_date
from .status import Decision

TEMPLATES = {"reminder": ("remind.txt.j2", "remind.html.j2"), "summary": ("remind-summary.txt.j2", "remind-summary.html.j2")}


class BadAddress(ValueError):
    """An address the message cannot carry (not «name@domain»): the recipient's message fails, the others go."""


@dataclass(frozen=True)
class Context:
    """What every message of a run shares."""

    sender: str  # the From header: «Отдел образования <oo@example.org>»
    today: date
    within: int  # days: the window of «due soon»
    organization: str | None = None
    secretary: str | None = None  # the name, for «tell the secretary»
    date_style: str = "long"
    version: str = ""
    root: Path | None = None  # the archive, whose templates/ override the built-ins
    now: datetime | None = None  # the Date header (the command's clock); None: the start of `today`, local time


@contextmanager
def _in_russian():
    """Messages for executors are Russian even when protokol speaks English to whoever runs it (cron's C locale)."""
    from .i18n import current_language, set_language

    before = current_language()
    set_language("ru")
    try:
        yield
    finally:
        set_language(before)


def plural(n: int, one: str, few: str, many: str) -> str:
    """The Russian form of a word for the number `n`: 1 день, 2 дня, 5 дней, 21 день."""
    if n % 10 == 1 and n % 100 != 11:
        return one
    if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14:
        return few
    return many


def decision_view(d: Decision, style: str = "long") -> dict:
    """One decision as the templates see it: plain values, dates written the Russian way. `number` is the decision's
    number in its id; `paper`, of a protocol encoded from paper, where the item stands on that paper («п. 2, 1-й
    подпункт»), whose numbers the id's may not be."""
    e, m = d.entry, d.meeting
    due = format_date(d.due, "numeric") if d.due else "—"
    return {
        "id": d.id, "number": e.key,
        "paper": getattr(e, "paper", None),  # index.Entry.paper, which the paper issue adds
        "text": " ".join(e.text.split()), "deadline": " ".join((e.deadline or "").split()),
        "due": due, "extended": d.due is not None and e.due is not None and d.due != e.due,
        "original_due": format_date(e.due, "numeric") if e.due else "", "days_overdue": d.days_overdue if d.overdue else 0,
        "recurring": e.kind == "recurring", "executors": list(e.responsible),
        "protocol": {"id": m.id, "number": m.number, "date": format_date(m.date, style), "title": m.title, "file": m.file},
    }


@functools.lru_cache(maxsize=8)
def _environment(search, html: bool, _files: tuple):
    """One environment per search path, kind and state of the template files (`_files`, which only keys the
    cache): it compiles each template once, not once per letter (a group of 10,000 members is 10,000 letters), and
    a template added or edited between runs in one process is read anew."""
    from jinja2 import Environment, StrictUndefined

    from .render.templates import jinja_loader

    env = Environment(loader=jinja_loader(search), autoescape=html, undefined=StrictUndefined,
                      keep_trailing_newline=True)
    env.filters["plural"] = plural
    return env


def _stamp(path: Path) -> tuple:
    try:
        st = path.stat()
    except OSError:
        return (str(path), None)
    return (str(path), st.st_mtime_ns, st.st_size)


def _render(kind: str, values: dict, root: Path | None) -> tuple[str, str, str]:
    """(subject, text, html) of a message from its two templates; the subject is the text template's `subject`."""
    from .render.templates import search_path

    text_name, html_name = TEMPLATES[kind]
    search = search_path(root)
    files = tuple(_stamp(folder / name) for _origin, folder in search.folders for name in (text_name, html_name))
    module = _environment(search, False, files).get_template(text_name).make_module(values)
    html = _environment(search, True, files).get_template(html_name).render(values)
    subject = " ".join(str(getattr(module, "subject", "")).split()) or "Напоминание о сроках исполнения решений"
    return subject, str(module).lstrip("\n"), html


def _shared(ctx: Context) -> dict:
    return {"today": format_date(ctx.today, ctx.date_style), "within": ctx.within,
            "horizon": format_date(ctx.today + timedelta(days=ctx.within), ctx.date_style),
            "organization": ctx.organization, "secretary": ctx.secretary}


def _message(ctx: Context, name: str, address: str, subject: str, text: str, html: str, key: str) -> EmailMessage:
    from email.headerregistry import Address
    from email.utils import format_datetime

    try:
        user, _at, domain = address.strip().rpartition("@")
        to = Address(display_name=name, username=user, domain=domain)
        if not user or not domain or any(c in address for c in " <>,;\n\r"):
            raise ValueError(address)
    except (ValueError, IndexError):
        raise BadAddress(address) from None
    msg = EmailMessage()
    msg["From"] = ctx.sender
    msg["To"] = to
    msg["Subject"] = subject
    msg["Date"] = format_datetime(ctx.now or datetime.combine(ctx.today, datetime.min.time()).astimezone())
    # the same message, the same id (an outbox made twice is the same), but a run that sends again gets new ones:
    # mail services drop a message whose Message-ID they have seen
    sent_at = ctx.now.isoformat() if ctx.now else ""
    digest = hashlib.sha256(f"{ctx.today}\0{address}\0{key}\0{sent_at}".encode()).hexdigest()[:24]
    msg["Message-ID"] = f"<remind-{ctx.today.isoformat()}-{digest}@protokol>"
    msg.set_content(text)
    msg.add_alternative(html, subtype="html")
    return msg


def reminder(ctx: Context, r: Reminder) -> EmailMessage:
    """The message to one executor: their overdue and upcoming decisions, with the deadlines as an .ics file."""
    from .report.due import to_ics

    with _in_russian():
        values = {**_shared(ctx), "executor": r.name, "address": r.address,
                  "overdue": [decision_view(d, ctx.date_style) for d in r.overdue],
                  "upcoming": [decision_view(d, ctx.date_style) for d in r.upcoming]}
        subject, text, html = _render("reminder", values, ctx.root)
        ics = to_ics(list(r.decisions), ctx.today, ctx.version)
    msg = _message(ctx, r.name, r.address, subject, text, html, "\0".join(d.id for d in r.decisions))
    msg.add_attachment(ics, maintype="text", subtype="calendar", filename=f"protokol-{ctx.today.isoformat()}.ics",
                       params={"method": "PUBLISH"})
    return msg


@dataclass(frozen=True)
class Failed:
    reminder: Reminder
    reason: str


def summary(ctx: Context, address: str, name: str, sent: Iterable[Reminder], failed: Iterable[Failed],
            unaddressed: Iterable[Unaddressed], dry_run: bool = False) -> EmailMessage:
    """The message to the secretary: who was reminded of what, what could not be sent and why, who has no address.
    `dry_run`: the summary of a run that sends nothing, worded as what would be sent («Будет отправлено»)."""

    def row(name: str, decisions, address: str = "", reason: str = "") -> dict:
        return {"executor": name, "address": address, "reason": reason,
                "decisions": [decision_view(d, ctx.date_style) for d in decisions]}

    with _in_russian():
        values = {**_shared(ctx), "sent": [row(r.name, r.decisions, r.address) for r in sent],
                  "failed": [row(f.reminder.name, f.reminder.decisions, f.reminder.address, f.reason) for f in failed],
                  "unaddressed": [row(u.name, u.decisions) for u in unaddressed], "dry_run": dry_run}
        subject, text, html = _render("summary", values, ctx.root)
    return _message(ctx, name, address, subject, text, html, "summary")


def plain_text(msg: EmailMessage) -> str:
    """The plain-text part of a message."""
    return msg.get_body(("plain",)).get_content()
