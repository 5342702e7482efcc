"""`protokol remind` against a real SMTP server on 127.0.0.1 (aiosmtpd in a thread): one message per executor with
exactly their decisions and encoded Russian headers, the summary to the secretary, nothing new on a second run the
same day, a down server and a refused address reported without losing the other messages, STARTTLS with a test
certificate trusted through `ca_file`, and a login with the password from the environment."""

from __future__ import annotations

import email
import email.policy
import socket
import subprocess
from pathlib import Path

import pytest

from conftest import run_cli, write
from test_remind import EXPECTED, TODAY, decisions_of, make_archive

PASSWORD = "пароль-и-secret"


class Handler:
    """Keeps what it receives; refuses the addresses in `refuse` with 550, as a server does for an unknown mailbox."""

    def __init__(self, refuse: tuple[str, ...] = ()):
        self.refuse = set(refuse)
        self.received: list[tuple[str, list[str], email.message.EmailMessage, bytes]] = []

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refuse:
            return f"550 5.1.1 <{address}>: Recipient address rejected: User unknown"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        raw = envelope.original_content or envelope.content
        msg = email.message_from_bytes(raw, policy=email.policy.default)
        self.received.append((envelope.mail_from, list(envelope.rcpt_tos), msg, raw))
        return "250 Message accepted for delivery"

    def by_address(self) -> dict[str, email.message.EmailMessage]:
        out = {}
        for _sender, rcpts, msg, _raw in self.received:
            (to,) = rcpts
            assert to not in out, f"{to} got two messages"
            out[to] = msg
        return out


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def smtp_server():
    """Start servers as the test asks (`start(handler, **aiosmtpd options)` -> port); all stopped at the end."""
    from aiosmtpd.controller import Controller

    started = []

    def start(handler: Handler, **options) -> int:
        port = free_port()
        controller = Controller(handler, hostname="127.0.0.1", port=port, **options)
        controller.start()
        started.append(controller)
        return port

    yield start
    for controller in started:
        controller.stop()


def mail_section(port: int, *extra: str) -> str:
    lines = ["mail:", "  host: 127.0.0.1", f"  port: {port}", "  security: none",
             '  from: "Отдел образования <oo@example.org>"', "  timeout: 10", *extra]
    return "\n".join(lines) + "\n"


def remind(root: Path, *args: str, env: dict | None = None):
    return run_cli("remind", "--root", str(root), "--today", TODAY, *args,
                   env={"PROTOKOL_SMTP_PASSWORD": None, **(env or {})})


def test_each_executor_gets_one_message_with_exactly_their_decisions_and_a_second_run_sends_nothing(tmp_path, smtp_server):
    handler = Handler()
    port = smtp_server(handler)
    root = make_archive(tmp_path / "archive", mail_section(port))
    first = remind(root)
    assert first.exit_code == 0, first.stdout + first.stderr
    got = handler.by_address()
    assert set(got) == {*EXPECTED, "frolova@example.org"}
    for address, ids in EXPECTED.items():
        assert decisions_of(got[address]) == ids
    belova = got["belova@example.org"]
    assert belova["To"].addresses[0].display_name == "Белова И.Г."
    assert belova["From"].addresses[0].display_name == "Отдел образования"
    assert belova["Subject"] == "Напоминание о сроках исполнения решений: просрочено — 1, срок до 10 июня 2024 г. — 2"
    raw_head = next(raw for _s, rcpts, _m, raw in handler.received if rcpts == ["belova@example.org"]).split(b"\r\n\r\n")[0]
    assert b"=?utf-8?b?" in raw_head and "Белова".encode() not in raw_head  # Russian names encoded, never raw
    assert belova.get_body(("plain",)).get_content().startswith("Здравствуйте, Белова И.Г.!")
    summary = got["frolova@example.org"].get_body(("plain",)).get_content()
    assert "Отправлено (3)" in summary and "Нет адреса в people.yaml (2)" in summary and "Сидоров А.А." in summary
    assert "Sent to Белова И.Г. <belova@example.org>: 3 decisions." in first.stdout
    log = (root / ".protokol-state" / "reminders-sent.tsv").read_text(encoding="utf-8")
    assert f"{TODAY}\t2024-05-14-1/1.2\tГромов П.С.\n" in log

    handler.received.clear()
    second = remind(root)
    assert second.exit_code == 0
    assert handler.received == []
    assert "Nothing new to send" in second.stdout
    forced = remind(root, "--force", "--to", "Громов П.С.")
    assert forced.exit_code == 0, forced.stderr
    assert [rcpts for _s, rcpts, _m, _r in handler.received] == [["gromov@example.org"], ["frolova@example.org"]]
    handler.received.clear()
    next_day = run_cli("remind", "--root", str(root), "--today", "2024-06-04", "--state", str(tmp_path / "cache" / "sent.tsv"))
    assert next_day.exit_code == 0, next_day.stderr
    assert len(handler.received) == 4  # a new day, and a log of its own in the CI cache
    assert (tmp_path / "cache" / "sent.tsv").is_file()


def test_a_refused_address_is_reported_and_the_other_messages_still_go(tmp_path, smtp_server):
    handler = Handler(refuse=("gromov@example.org",))
    root = make_archive(tmp_path / "archive", mail_section(smtp_server(handler)))
    result = remind(root)
    assert result.exit_code == 1
    assert "Not sent to Громов П.С. <gromov@example.org>: the server refused the address gromov@example.org: 550" in result.stderr
    got = handler.by_address()
    assert set(got) == {"belova@example.org", "roo@example.org", "frolova@example.org"}
    summary = got["frolova@example.org"].get_body(("plain",)).get_content()
    assert "Не отправлено (1)" in summary and "gromov@example.org" in summary
    handler.refuse.clear()
    handler.received.clear()
    again = remind(root)  # what failed was not logged: the next run sends it, and only it
    assert again.exit_code == 0, again.stderr
    assert [rcpts for _s, rcpts, _m, _r in handler.received] == [["gromov@example.org"], ["frolova@example.org"]]


def test_a_down_server_is_reported_and_nothing_is_lost(tmp_path, smtp_server):
    closed = free_port()  # nothing listens there
    root = make_archive(tmp_path / "archive", mail_section(closed))
    result = remind(root)
    assert result.exit_code == 1
    assert f"Cannot connect to 127.0.0.1:{closed}" in result.stderr
    assert "\t2024-05-14-1/" not in (root / ".protokol-state" / "reminders-sent.tsv").read_text(encoding="utf-8")
    handler = Handler()
    write(root, (root / "protokol.yaml").read_text(encoding="utf-8").replace(str(closed), str(smtp_server(handler))),
          "protokol.yaml")
    later = remind(root)
    assert later.exit_code == 0, later.stderr
    assert set(handler.by_address()) == {*EXPECTED, "frolova@example.org"}


def _certificates(folder: Path) -> tuple[Path, Path, Path]:
    """A test CA and a certificate for 127.0.0.1 signed by it (openssl): (ca.pem, server.pem, server.key)."""
    folder.mkdir()

    def openssl(*args: str) -> None:
        subprocess.run(["openssl", *args], cwd=folder, check=True, capture_output=True)

    openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.pem", "-days", "2",
            "-subj", "/CN=protokol test CA", "-addext", "basicConstraints=critical,CA:TRUE",
            "-addext", "keyUsage=critical,keyCertSign,cRLSign")
    openssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", "server.key", "-out", "server.csr", "-subj", "/CN=127.0.0.1")
    (folder / "ext.cnf").write_text("subjectAltName=IP:127.0.0.1\nbasicConstraints=critical,CA:FALSE\n"
                                    "keyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\n"
                                    "authorityKeyIdentifier=keyid\nsubjectKeyIdentifier=hash\n")
    openssl("x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial",
            "-out", "server.pem", "-days", "2", "-extfile", "ext.cnf")
    return folder / "ca.pem", folder / "server.pem", folder / "server.key"


def test_starttls_with_a_ca_of_ones_own_and_a_login_with_the_password_from_the_environment(tmp_path, smtp_server):
    import ssl

    from aiosmtpd.smtp import AuthResult

    ca, cert, key = _certificates(tmp_path / "certs")
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    logins = []

    def authenticator(server, session, envelope, mechanism, auth_data):
        logins.append((session.ssl is not None, auth_data.login.decode(), auth_data.password.decode()))
        ok = auth_data.login == b"oo@example.org" and auth_data.password == PASSWORD.encode()
        return AuthResult(success=ok, handled=False)  # not handled: the server answers 535 itself

    handler = Handler()
    port = smtp_server(handler, tls_context=context, require_starttls=True, authenticator=authenticator,
                       auth_required=True)
    root = make_archive(tmp_path / "archive", mail_section(port, "  user: oo@example.org").replace(
        "security: none", "security: starttls"))
    untrusted = remind(root, env={"PROTOKOL_SMTP_PASSWORD": PASSWORD})
    assert untrusted.exit_code == 1
    assert f"The certificate of 127.0.0.1:{port} is not trusted" in untrusted.stderr and "mail.ca_file" in untrusted.stderr
    assert handler.received == [] and logins == []

    write(root, (root / "protokol.yaml").read_text(encoding="utf-8") + f"  ca_file: {ca}\n", "protokol.yaml")
    wrong = remind(root, env={"PROTOKOL_SMTP_PASSWORD": "не тот"})
    assert wrong.exit_code == 1
    assert f"127.0.0.1:{port} refused the login of oo@example.org: 535" in wrong.stderr
    assert handler.received == []

    sent = remind(root, env={"PROTOKOL_SMTP_PASSWORD": PASSWORD})
    assert sent.exit_code == 0, sent.stderr
    assert logins[-1] == (True, "oo@example.org", PASSWORD)  # logged in over the encrypted session
    assert set(handler.by_address()) == {*EXPECTED, "frolova@example.org"}


def test_ssl_from_the_start_with_the_ca_file(tmp_path, smtp_server):
    import ssl

    ca, cert, key = _certificates(tmp_path / "certs")
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    handler = Handler()
    port = smtp_server(handler, ssl_context=context)  # SMTPS: TLS before the greeting (port 465's way)
    root = make_archive(tmp_path / "archive", mail_section(port, f"  ca_file: {ca}").replace("security: none", "security: ssl"))
    result = remind(root, "--to", "Громов П.С.")
    assert result.exit_code == 0, result.stderr
    assert [rcpts for _s, rcpts, _m, _r in handler.received] == [["gromov@example.org"], ["frolova@example.org"]]


def test_a_log_that_cannot_be_written_stops_the_run_before_anything_is_sent(tmp_path, smtp_server):
    handler = Handler()
    root = make_archive(tmp_path / "archive", mail_section(smtp_server(handler)))
    write(tmp_path, "a file, not a folder\n", "cache")
    result = remind(root, "--state", str(tmp_path / "cache" / "sent.tsv"))
    assert result.exit_code == 1
    assert "Cannot write the log of what was sent" in result.stderr and "nothing was sent" in result.stderr
    assert handler.received == []
