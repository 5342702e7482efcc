"""Where `protokol remind`'s messages go: an SMTP server (smtplib: starttls, ssl or none, a login, a CA of one's
own), or an outbox folder of .eml files; and the sent-log that makes a run idempotent per day.

A failure is a value, never an exception out of `send_all`: a refused connection or login fails every message of the
run with the same reason, a refused recipient or message fails that message alone, and the others still go.

The sent-log is a text file, one line per (day, decision, executor) sent: `2024-06-03<TAB>2024-01-09-1/2.2.5<TAB>
Белова И.Г.`. By default it lives in the archive's state folder (paths.STATE_DIR, gitignored by `init`); a CI job
that starts from a fresh clone keeps it in its cache with `--state FILE`. Lines older than KEEP_DAYS are dropped
when it is written; lines it cannot read are skipped (it is protokol's own bookkeeping, not the user's data).
"""

from __future__ import annotations

import smtplib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from email.message import EmailMessage
from pathlib import Path

from .i18n import _

SENT_LOG = "reminders-sent.tsv"
KEEP_DAYS = 62  # two months of what was sent, for a look back; only today's lines matter to a run
MAX_LOG_BYTES = 64 * 1024 * 1024


class MailError(Exception):
    """Why the server could not be used at all (connection, encryption, login): every message of the run fails."""

    def __init__(self, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


class Refusal(str):
    """Why a message did not go, with a hint when the whole server failed (what to check in protokol.yaml)."""

    hint: str = ""

    @classmethod
    def of(cls, error: MailError) -> Refusal:
        made = cls(error.message)
        made.hint = error.hint
        return made


@dataclass(frozen=True)
class Server:
    host: str
    port: int
    security: str  # starttls | ssl | none
    user: str | None = None
    password: str | None = None
    ca_file: Path | None = None
    timeout: float = 30


def _context(server: Server):
    import ssl

    context = ssl.create_default_context()  # the system's CAs, hostname checked
    if server.ca_file is not None:
        try:
            context.load_verify_locations(cafile=str(server.ca_file))  # trusted besides the system's
        except (OSError, ssl.SSLError) as exc:
            raise MailError(_("Cannot read the CA file {file}: {reason}").format(file=server.ca_file, reason=exc),
                            _("mail.ca_file names a PEM certificate, relative to the archive.")) from None
    return context


def connect(server: Server) -> smtplib.SMTP:
    """An SMTP session, encrypted as configured and logged in; MailError with the reason when it cannot be had."""
    import ssl

    where = f"{server.host}:{server.port}"
    smtp = None
    try:
        if server.security == "ssl":
            smtp = smtplib.SMTP_SSL(server.host, server.port, timeout=server.timeout, context=_context(server))
        else:
            smtp = smtplib.SMTP(server.host, server.port, timeout=server.timeout)
            if server.security == "starttls":
                smtp.starttls(context=_context(server))
        if server.user:
            _login(smtp, server.user, server.password or "")
        return smtp
    except MailError:
        _quit(smtp)
        raise
    except ssl.SSLCertVerificationError as exc:
        _quit(smtp)
        raise MailError(_("The certificate of {server} is not trusted: {reason}").format(server=where, reason=exc.verify_message),
                        _("If the server's certificate comes from your own CA, name its certificate in mail.ca_file.")) from None
    except smtplib.SMTPNotSupportedError:
        _quit(smtp)
        raise MailError(_("{server} does not offer STARTTLS.").format(server=where),
                        _("Set mail.security to ssl (port 465) if the server encrypts from the start, or to none for a "
                          "server inside your network.")) from None
    except smtplib.SMTPAuthenticationError as exc:
        _quit(smtp)
        raise MailError(_("{server} refused the login of {user}: {reply}").format(server=where, user=server.user, reply=_reply(exc)),
                        _("Check mail.user in protokol.yaml and the password in PROTOKOL_SMTP_PASSWORD.")) from None
    except smtplib.SMTPException as exc:
        _quit(smtp)
        raise MailError(_("{server} refused the session: {reason}").format(server=where, reason=_reply(exc))) from None
    except OSError as exc:
        _quit(smtp)
        raise MailError(_("Cannot connect to {server}: {reason}").format(server=where, reason=exc.strerror or exc),
                        _("Check mail.host, mail.port and mail.security in protokol.yaml, and that the server is up.")) from None


def _login(smtp: smtplib.SMTP, user: str, password: str) -> None:
    """smtplib's login, except that a password (or user) beyond ASCII, which smtplib cannot encode, goes as AUTH
    PLAIN in UTF-8 (RFC 4616): «пароль» is a password too."""
    if (user + password).isascii():
        smtp.login(user, password)
        return
    import base64

    smtp.ehlo_or_helo_if_needed()
    if not smtp.has_extn("auth"):
        raise smtplib.SMTPNotSupportedError("SMTP AUTH extension not supported by server.")
    token = base64.b64encode(b"\0" + user.encode("utf-8") + b"\0" + password.encode("utf-8")).decode("ascii")
    code, reply = smtp.docmd("AUTH", "PLAIN " + token)
    if code == 334:  # a server that wants the credentials after an empty challenge
        code, reply = smtp.docmd(token)
    if code not in (235, 503):
        raise smtplib.SMTPAuthenticationError(code, reply)


def _reply(exc: smtplib.SMTPException) -> str:
    code, text = getattr(exc, "smtp_code", None), getattr(exc, "smtp_error", None)
    if isinstance(text, bytes):
        text = text.decode("utf-8", errors="replace")
    return f"{code} {text}".strip() if code else str(exc)


def _quit(smtp) -> None:
    if smtp is None:
        return
    try:
        smtp.quit()
    except (smtplib.SMTPException, OSError):
        smtp.close()


def _send_one(smtp: smtplib.SMTP, msg: EmailMessage) -> str | None:
    """Send one message; None when the server took it, else why it did not (the session stays usable)."""
    to = msg["To"].addresses[0].addr_spec
    try:
        smtp.send_message(msg, to_addrs=[to])
        return None
    except smtplib.SMTPRecipientsRefused as exc:
        code, text = exc.recipients.get(to, (None, b""))
        reply = f"{code} {text.decode('utf-8', 'replace') if isinstance(text, bytes) else text}".strip()
        return _("the server refused the address {address}: {reply}").format(address=to, reply=reply)
    except smtplib.SMTPSenderRefused as exc:
        return _("the server refused the sender {sender}: {reply}").format(sender=exc.sender, reply=_reply(exc))
    except smtplib.SMTPDataError as exc:
        return _("the server refused the message: {reply}").format(reply=_reply(exc))


def send_all(server: Server, messages: Iterable[EmailMessage], went: Callable[[int], None] | None = None) -> list[str | None]:
    """Send each message; per message, None when it went or the reason it did not. `went(i)` is called as soon as
    message i has gone (the sent-log is written then, so a run cut short resends nothing that went). A session the
    server drops is opened again once; a server that cannot be reached or refuses the login fails the rest."""
    results: list[str | None] = []
    smtp = None
    failure: str | None = None
    try:
        for i, msg in enumerate(messages):
            if failure is not None:
                results.append(failure)
                continue
            for _attempt in (1, 2):  # a session the server dropped is opened again, once
                try:
                    smtp = smtp or connect(server)
                    result = _send_one(smtp, msg)
                    break
                except MailError as exc:
                    failure = result = Refusal.of(exc)
                    break
                except (smtplib.SMTPServerDisconnected, ConnectionError, TimeoutError) as exc:
                    _quit(smtp)
                    smtp = None
                    result = _("the connection was lost: {reason}").format(reason=exc)
                except smtplib.SMTPException as exc:  # an answer the server should not give: this message fails
                    result = _("the server refused the message: {reply}").format(reply=_reply(exc))
                    break
            results.append(result)
            if result is None and went is not None:
                went(i)
    finally:
        _quit(smtp)
    return results


# --- the outbox --------------------------------------------------------------------------------------------------------

def eml_name(i: int, msg: EmailMessage) -> str:
    """«01-belova@example.org.eml»: the order of the run, then the address (safe in a file name)."""
    import re

    to = msg["To"].addresses[0].addr_spec if msg["To"] else "message"
    return f"{i:02d}-{re.sub(r'[^A-Za-z0-9@._+-]', '_', to)}.eml"


def write_outbox(folder: Path, messages: list[EmailMessage]) -> list[str]:
    """The messages as .eml files in `folder`, which is replaced whole; the file names, in order."""
    from .writing import WriteRefused, create_new, replace_folder

    names = [eml_name(i, msg) for i, msg in enumerate(messages, 1)]
    if folder.is_dir() and any(not (f.is_file() and f.suffix == ".eml") for f in folder.iterdir()):
        # the folder is replaced whole: one holding anything but earlier messages is someone's folder, not an outbox
        raise WriteRefused(_("{folder} holds files that are not messages (.eml); it is left as it is.").format(
            folder=folder), _("Name a new folder with --outbox, or the outbox written before."))

    def build(fresh: Path) -> None:
        for name, msg in zip(names, messages, strict=True):
            create_new(fresh / name, msg.as_bytes())  # inside the new folder, which takes the name only when done

    replace_folder(folder, build)
    return names


# --- the sent-log ------------------------------------------------------------------------------------------------------

def log_path(root: Path, state_file: Path | None = None) -> Path:
    from .paths import STATE_DIR

    return state_file if state_file is not None else root / STATE_DIR / SENT_LOG


def _lines(path: Path) -> list[tuple[str, str, str]]:
    from .paths import read_regular

    try:
        text = read_regular(path, MAX_LOG_BYTES).decode("utf-8", errors="replace")
    except (FileNotFoundError, NotADirectoryError):  # no log yet; writing it says what is wrong with the place
        return []
    out = []
    for line in text.splitlines():
        parts = line.split("\t")
        if len(parts) == 3 and not line.startswith("#"):
            out.append((parts[0], parts[1], parts[2]))
    return out


def sent_on(path: Path, day: date) -> frozenset[tuple[str, str]]:
    """(decision id, executor) pairs the log records as sent on `day`."""
    shown = day.isoformat()
    return frozenset((decision, executor) for d, decision, executor in _lines(path) if d == shown)


def record(path: Path, day: date, pairs: Iterable[tuple[str, str]]) -> None:
    """Add (decision id, executor) pairs sent on `day` to the log, dropping lines older than KEEP_DAYS."""
    from .writing import replace_artifact

    oldest = (day - timedelta(days=KEEP_DAYS)).isoformat()
    kept = [line for line in _lines(path) if line[0] >= oldest]
    have = set(kept)
    for decision, executor in pairs:
        line = (day.isoformat(), decision, executor)
        if line not in have:
            kept.append(line)
            have.add(line)
    head = "# protokol remind: what was sent (day, decision, executor); a run sends nothing twice a day\n"
    replace_artifact(path, head + "".join("\t".join(line) + "\n" for line in kept))
