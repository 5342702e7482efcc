"""`protokol remind`: e-mail each executor what they owe, and the secretary a summary (docs/remind.md)."""
# No `from __future__ import annotations`: Typer reads these annotations at run time.

import os
import sys
from pathlib import Path
from typing import Annotated

import typer

from ..i18n import _, ngettext
from .common import (
    UserError,
    _esc,
    archive_root,
    err_console,
    os_reason,
    parse_day,
    parse_span,
    root_option,
    today_option,
)

PASSWORD_VARIABLE = "PROTOKOL_SMTP_PASSWORD"


def _remind_command(app: typer.Typer) -> None:
    @app.command(
        "remind",
        help=_("E-mail each executor the decisions they owe, overdue or due soon, with the deadlines as a calendar "
               "file, and the secretary a summary. Run it each morning (cron or CI): a second run the same day sends "
               "nothing new.")
        + "\n\n" + _("Example: protokol remind --dry-run")
        + "\n\n" + _("Example: protokol remind --within 14d --to \"Белова И.Г.\""),
    )
    def remind(
        within: Annotated[str, typer.Option("--within", help=_("Remind of what is due within this span, overdue included: 7d, 2w."))] = "7d",
        to: Annotated[list[str] | None, typer.Option("--to", help=_("Only this executor (a name or an address); repeat for more."),
                                                     show_default=False)] = None,
        dry_run: Annotated[bool, typer.Option("--dry-run", help=_("Print the messages instead of sending them."))] = False,
        outbox: Annotated[Path | None, typer.Option("--outbox", help=_("Write the messages as .eml files into this folder "
                                                                       "(replaced) instead of sending them."), show_default=False)] = None,
        state: Annotated[Path | None, typer.Option("--state", help=_("The log of what was sent (default: .protokol-state/ "
                                                                     "in the archive); a CI job keeps it in its cache."), show_default=False)] = None,
        force: Annotated[bool, typer.Option("--force", help=_("Send again what was sent today already."))] = False,
        root: root_option() = None,
        today: today_option() = None,
    ) -> None:
        from .. import mailer

        day = parse_day(today)
        days = parse_span(within)
        if days is None:
            raise UserError(_("--within takes a number of days or weeks, like 7d or 2w, not '{value}'.").format(value=within))
        if dry_run and outbox is not None:
            raise UserError(_("--dry-run and --outbox do not go together: one prints the messages, the other writes them."))
        folder = archive_root(root)
        config = _config(folder)
        mail = config.settings.mail
        server = _server(mail, folder) if not dry_run and outbox is None else None
        run = _Run(folder, config, day, days, mailer.log_path(folder, state), force)
        run.plan(to or [])
        if run.nothing_new():
            return run.finish()
        if dry_run:
            run.print_messages()
        elif outbox is not None:
            run.write_outbox(outbox)
        else:
            run.send(server)
        run.finish()


_NAMES_SHOWN = 5  # file names the outbox line lists; the folder holds them all


def _config(folder: Path):
    """protokol.yaml and people.yaml; errors in either stop the run before anything is sent (exit 1)."""
    from ..config import load_config
    from ..problems import ERROR
    from .due import report_problems

    config = load_config(folder)
    if any(p.severity == ERROR for p in config.problems):
        report_problems(config.problems)
        raise UserError(_("Nothing was sent: protokol.yaml or people.yaml has errors (above)."),
                        _("Fix them (`protokol check` lists every problem) and run the command again."), code=1)
    return config


def _server(mail, folder: Path):
    """The SMTP server of the `mail:` section and the password from the environment: a wrong call without them."""
    from ..mailer import Server

    if mail is None:
        raise UserError(_("protokol.yaml has no `mail:` section, so there is no server to send through."),
                        _("Add one (docs/remind.md shows how), or look at the messages with --dry-run or --outbox DIR."))
    password = os.environ.get(PASSWORD_VARIABLE)
    if mail.user and not password:
        raise UserError(_("mail.user is {user}, but {variable} is not set: nothing was sent.").format(
            user=mail.user, variable=PASSWORD_VARIABLE),
            _("Put the password into the environment variable {variable} (in CI: a masked secret variable); it is "
              "never read from a file.").format(variable=PASSWORD_VARIABLE))
    if not (mail.from_ or mail.user):
        raise UserError(_("The `mail:` section names no sender: set mail.from (or mail.user)."))
    # (a sender that is no address is an error of protokol.yaml: _config stopped the run)
    ca = (folder / mail.ca_file) if mail.ca_file else None
    return Server(mail.host, mail.effective_port, mail.security, mail.user, password, ca, mail.timeout)


class _Run:
    """One run: the plan, its messages, and what became of them."""

    def __init__(self, folder: Path, config, day, days: int, log: Path, force: bool):
        self.folder, self.config, self.day, self.days, self.log, self.force = folder, config, day, days, log, force
        self.failed: list = []  # letters.Failed
        self.reasons: set[str] = set()  # said once
        self.errors = 0
        self.index_problems = 0

    def plan(self, only: list[str]) -> None:
        from .. import remind
        from ..mailer import sent_on
        from ..selection import Filter, select
        from ..status import iter_problems
        from .due import load_decisions, report_problems

        index = load_decisions(self.folder, True)
        decisions = select(index, Filter(within=self.days), self.day)
        self.recipients = remind.recipients_in(self.config.directory)
        unknown = remind.unknown_names(only, decisions, self.recipients, self._known)
        if unknown:
            raise UserError(_("No executor or person named {names} in the archive.").format(names=", ".join(unknown)),
                            _("--to takes a name as people.yaml or the protocols write it, or an address."))
        try:
            sent = frozenset() if self.force else sent_on(self.log, self.day)
        except OSError as exc:
            raise UserError(_("Cannot read the log of what was sent, {file}: {reason}").format(
                file=self.log, reason=os_reason(exc)), code=1) from None
        self.result = remind.plan(decisions, self.recipients, self.day, sent, only)
        self.index_problems = report_problems(iter_problems(index))

    def _known(self, name: str) -> bool:
        directory = self.config.directory
        return directory.find(name) is not None or directory.find_group(name) is not None

    def nothing_new(self) -> bool:
        if not self.result.empty:
            return False
        if self.result.already:
            print(_("Nothing new to send: today's reminders were sent already ({file}); --force sends them again.").format(
                file=self.log))
        else:
            print(_("Nothing to remind of: no open decision with an executor is overdue or due within {days} days.").format(
                days=self.days))
        return True

    def context(self):
        from datetime import date, datetime

        from .. import __version__
        from ..letters import Context

        mail, settings = self.config.settings.mail, self.config.settings
        sender = (mail.from_ or mail.user) if mail is not None and (mail.from_ or mail.user) else "protokol <protokol@localhost>"
        secretary = settings.secretary.name if settings.secretary else None
        now = datetime.now().astimezone() if self.day == date.today() else None
        return Context(sender, self.day, self.days, settings.organization, secretary, settings.date_style, __version__,
                       self.folder, now)

    def messages(self) -> list[tuple[object, object]]:
        """(reminder, message) for each reminder whose message can be made; the others are failures."""
        from ..letters import BadAddress, Failed, reminder

        ctx = self.context()
        out = []
        for r in self.result.reminders:
            try:
                out.append((r, _templated(lambda r=r: reminder(ctx, r))))
            except BadAddress:
                self._fail(Failed(r, _("'{address}' is not an e-mail address (people.yaml)").format(address=r.address)))
        return out

    def summary(self, sent: list, dry_run: bool = False):
        """The summary message, or None when nobody is to receive it (said on stderr); `dry_run`: worded as what
        would be sent."""
        from ..letters import BadAddress, summary

        mail = self.config.settings.mail
        secretary = self.config.settings.secretary
        address = mail.summary_to if mail is not None and mail.summary_to else None
        if address is None and secretary is not None:
            address = next((r.address for r in self.recipients((secretary.name,)) if r.address), None)
        if address is None:
            err_console().print("[yellow]" + _esc(_("No address for the summary: set mail.summary_to in protokol.yaml, "
                                                    "or the secretary's email in people.yaml.")) + "[/]")
            return None
        name = secretary.name if secretary is not None else ""
        try:
            return _templated(lambda: summary(self.context(), address, name, sent, self.failed, self.result.unaddressed,
                                                     dry_run))
        except BadAddress:
            self._fail_plain(_("The summary's address '{address}' is not an e-mail address.").format(address=address))
            return None

    def print_messages(self) -> None:
        from ..letters import plain_text

        pairs = self.messages()
        messages = [m for _r, m in pairs]
        summary = self.summary([r for r, _m in pairs], dry_run=True)
        for msg in messages + ([summary] if summary is not None else []):
            sys.stdout.write(_preview(msg, plain_text(msg)))
        self._tell_unaddressed()
        print(ngettext("Dry run: {n} message would be sent; nothing was sent or recorded.",
                       "Dry run: {n} messages would be sent; nothing was sent or recorded.",
                       len(messages) + (summary is not None)).format(n=len(messages) + (summary is not None)))

    def write_outbox(self, folder: Path) -> None:
        from ..mailer import write_outbox
        from ..writing import WriteRefused

        pairs = self.messages()
        summary = self.summary([r for r, _m in pairs])
        try:
            names = write_outbox(folder, [m for _r, m in pairs] + ([summary] if summary is not None else []))
        except WriteRefused as exc:
            raise UserError(exc.message, exc.hint, code=1) from None
        shown = ", ".join(names[:_NAMES_SHOWN]) + (", …" if len(names) > _NAMES_SHOWN else "")  # a group of 10,000
        print(ngettext("{n} message written to {folder}: {names}", "{n} messages written to {folder}: {names}",
                       len(names)).format(n=len(names), folder=folder, names=shown))
        self._tell_unaddressed()

    def send(self, server) -> None:
        from ..letters import Failed
        from ..mailer import record, send_all
        from ..writing import WriteRefused

        try:  # a log that cannot be written would send the same messages again tomorrow: stop before sending
            record(self.log, self.day, [])
        except (OSError, WriteRefused) as exc:
            raise UserError(_("Cannot write the log of what was sent, {file}: {reason}; nothing was sent.").format(
                file=self.log, reason=getattr(exc, "message", None) or getattr(exc, "strerror", None) or exc),
                _("Make its folder writable, or name another file with --state."), code=1) from None
        pairs = self.messages()
        results = send_all(server, [m for _r, m in pairs], lambda i: self._record(pairs[i][0]))
        sent = []
        for (r, _m), reason in zip(pairs, results, strict=True):
            if reason is None:
                sent.append(r)
                print(ngettext("Sent to {name} <{address}>: {n} decision.", "Sent to {name} <{address}>: {n} decisions.",
                               len(r.decisions)).format(name=r.name, address=r.address, n=len(r.decisions)))
            else:
                self._fail(Failed(r, reason))
        self._tell_unaddressed()
        summary = self.summary(sent)
        if summary is None:
            self._record_unaddressed(record)
            return
        (reason,) = send_all(server, [summary])
        if reason is None:
            print(_("Summary sent to {address}.").format(address=summary["To"]))
            self._record_unaddressed(record)
        else:
            self._fail_plain(_("The summary was not sent to {address}: {reason}").format(address=summary["To"], reason=reason),
                             "" if reason in self.reasons else getattr(reason, "hint", ""))

    def _record(self, r) -> None:
        from ..mailer import record

        record(self.log, self.day, [(d.id, r.name) for d in r.decisions])

    def _record_unaddressed(self, record) -> None:
        if self.result.unaddressed:  # reported once a day, as the reminders are sent once
            record(self.log, self.day, [(d.id, u.name) for u in self.result.unaddressed for d in u.decisions])

    def _tell_unaddressed(self) -> None:
        for u in self.result.unaddressed:
            print(ngettext("No address for {name}: {n} decision (in the summary).", "No address for {name}: {n} decisions (in the summary).",
                           len(u.decisions)).format(name=u.name, n=len(u.decisions)))

    def _fail(self, failed) -> None:
        self.failed.append(failed)
        r = failed.reminder
        if failed.reason in self.reasons:  # a server that cannot be reached fails every message for one reason
            self._fail_plain(_("Not sent to {name} <{address}> either.").format(name=r.name, address=r.address))
            return
        self.reasons.add(failed.reason)
        self._fail_plain(_("Not sent to {name} <{address}>: {reason}").format(name=r.name, address=r.address, reason=failed.reason),
                         getattr(failed.reason, "hint", ""))

    def _fail_plain(self, message: str, hint: str = "") -> None:
        self.errors += 1
        err_console().print(f"[bold red]{_('error')}:[/] {_esc(message)}")
        if hint:
            err_console().print(f"  [cyan]{_('hint')}:[/] {_esc(hint)}")

    def finish(self) -> None:
        if self.errors or self.index_problems:
            raise typer.Exit(1)


def _templated(make):
    """A message made from the templates; a broken template of the archive is a clear message (exit 1)."""
    from jinja2 import TemplateError, TemplateSyntaxError

    try:
        return make()
    except TemplateSyntaxError as exc:
        raise UserError(_("Template {file}:{line}: {error}").format(file=exc.filename or exc.name, line=exc.lineno,
                                                                     error=exc.message), code=1) from None
    except TemplateError as exc:
        raise UserError(_("Template: {error}").format(error=exc), code=1) from None


def _preview(msg, text: str) -> str:
    """A message as --dry-run prints it: its headers decoded, the text part, the attachments' names."""
    attached = [part.get_filename() for part in msg.iter_attachments()]
    head = [f"From: {msg['From']}", f"To: {msg['To']}", f"Subject: {msg['Subject']}"]
    if attached:
        head.append(_("Attached: {names}").format(names=", ".join(attached)))
    rule = "─" * 72
    return f"{rule}\n" + "\n".join(head) + "\n\n" + text.rstrip("\n") + "\n"


def register(app: typer.Typer) -> None:
    _remind_command(app)
