"""`protokol remind` without a server: who is reminded of what (persons, co-executors, groups with and without their
own address, unknown executors), the messages as printed (--dry-run) and written (--outbox), the sent-log, the
settings and the wrong calls. tests/test_remind_smtp.py sends through a real SMTP server."""

from __future__ import annotations

import email
import email.policy
from datetime import date
from pathlib import Path

import pytest

from conftest import meeting, run_cli, write

TODAY = "2024-06-03"
PEOPLE = """\
people:
  - name: Фролова Т.С.
    position: методист
    email: frolova@example.org
  - name: Белова И.Г.
    email: belova@example.org
    aliases: [Белова Ирина Геннадьевна]
  - name: Громов П.С.
    email: gromov@example.org
  - name: Исаев Р.Р.
  - group: руководители ОО
    members: [Белова И.Г., Исаев Р.Р.]
  - group: отдел образования
    email: roo@example.org
"""
DECISIONS = """\
    decided:
      - number: "1.1"
        text: Представить отчёт о летней кампании.
        deadline: 20.05.2024
        responsible: Белова Ирина Геннадьевна
      - number: "1.2"
        text: Обеспечить открытие лагерей.
        deadline: 05.06.2024
        responsible: Белова И.Г., Громов П.С.
      - number: "1.3"
        text: Подготовить план на новый учебный год.
        deadline: 01.07.2024
        responsible: Громов П.С.
      - number: "1.4"
        text: Представить списки детей.
        deadline: 07.06.2024
        responsible: руководители ОО
      - number: "1.5"
        text: Обобщить сведения «по школам & садам» <до 10 числа>.
        deadline: 04.06.2024
        responsible: отдел образования
      - number: "1.6"
        text: Проверить готовность пищеблоков.
        deadline: 06.06.2024
        responsible: Сидоров А.А.
      - number: "1.7"
        text: Принять к сведению.
"""
# Who gets what as of TODAY within 7 days (to 10 June): the decisions each recipient's message lists.
EXPECTED = {
    "belova@example.org": {"2024-05-14-1/1.1", "2024-05-14-1/1.2", "2024-05-14-1/1.4"},
    "gromov@example.org": {"2024-05-14-1/1.2"},
    "roo@example.org": {"2024-05-14-1/1.5"},
}
UNADDRESSED = {"Исаев Р.Р.": {"2024-05-14-1/1.4"}, "Сидоров А.А.": {"2024-05-14-1/1.6"}}


SENDER = 'mail:\n  host: 127.0.0.1\n  from: "Отдел образования <oo@example.org>"\n'


def make_archive(root: Path, mail: str = SENDER) -> Path:
    """An archive with one protocol of 14 May 2024 whose decisions cover every kind of executor, people.yaml with
    addresses, and protokol.yaml with `mail` (the lines of a `mail:` section, or none)."""
    write(root, "organization: Отдел образования администрации Н-ского округа\nsecretary: Фролова Т.С.\n" + mail,
          "protokol.yaml")
    write(root, PEOPLE, "people.yaml")
    write(root, meeting("2024-05-14", title="совещания руководителей", question=DECISIONS), "protocols/2024/2024-05-14-1.yaml")
    return root


def decisions_of(msg) -> set[str]:
    """The decision ids of a reminder, from its .ics attachment (one VTODO per decision, uid «ID@protokol»)."""
    from icalendar import Calendar

    (ics,) = [part for part in msg.iter_attachments() if part.get_content_type() == "text/calendar"]
    calendar = Calendar.from_ical(ics.get_content() if isinstance(ics.get_content(), bytes) else ics.get_content().encode())
    return {str(todo["uid"]).removesuffix("@protokol") for todo in calendar.walk("VTODO")}


def read_outbox(folder: Path) -> dict[str, email.message.EmailMessage]:
    out = {}
    for path in sorted(folder.glob("*.eml")):
        msg = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
        out[msg["To"].addresses[0].addr_spec] = msg
    return out


def test_the_plan_reminds_each_executor_of_exactly_their_decisions(tmp_path: Path):
    from protokol import remind
    from protokol.cache import load_index
    from protokol.config import load_config
    from protokol.selection import Filter, select

    root = make_archive(tmp_path)
    config = load_config(root)
    assert config.problems == []
    day = date.fromisoformat(TODAY)
    decisions = select(load_index([root / "protocols"], root, use_cache=False), Filter(within=7), day)
    plan = remind.plan(decisions, remind.recipients_in(config.directory), day)
    assert {r.address: {d.id for d in r.decisions} for r in plan.reminders} == EXPECTED
    assert {u.name: {d.id for d in u.decisions} for u in plan.unaddressed} == UNADDRESSED
    belova = next(r for r in plan.reminders if r.address == "belova@example.org")
    assert [d.id for d in belova.overdue] == ["2024-05-14-1/1.1"]  # due before today: overdue, listed first
    # the day's sent-log leaves out what it has; --to limits the run to some executors (a name in any spelling)
    sent = frozenset({("2024-05-14-1/1.2", "Белова И.Г."), ("2024-05-14-1/1.2", "Громов П.С.")})
    again = remind.plan(decisions, remind.recipients_in(config.directory), day, sent)
    assert {r.address: {d.id for d in r.decisions} for r in again.reminders} == {
        "belova@example.org": {"2024-05-14-1/1.1", "2024-05-14-1/1.4"}, "roo@example.org": {"2024-05-14-1/1.5"}}
    assert again.already == 2
    only = remind.plan(decisions, remind.recipients_in(config.directory), day, only=["И.Г. Белова"])
    assert [r.address for r in only.reminders] == ["belova@example.org"] and only.unaddressed == ()
    group = remind.plan(decisions, remind.recipients_in(config.directory), day, only=["Руководители ОО"])
    assert [(r.address, [d.id for d in r.decisions]) for r in group.reminders] == [("belova@example.org", ["2024-05-14-1/1.4"])]
    assert [u.name for u in group.unaddressed] == ["Исаев Р.Р."]  # a group without an address: each of its members


def test_dry_run_prints_russian_messages_and_sends_nothing(tmp_path: Path):
    root = make_archive(tmp_path)
    result = run_cli("remind", "--root", str(root), "--today", TODAY, "--dry-run")
    assert result.exit_code == 0, result.output + result.stderr
    out = result.stdout
    assert "To: \"Белова И.Г.\" <belova@example.org>" in out
    assert "Subject: Напоминание о сроках исполнения решений: просрочено — 1, срок до 10 июня 2024 г. — 2" in out
    assert "Здравствуйте, Белова И.Г.!" in out
    assert "Срок: 20.05.2024; просрочено на 14 дней" in out
    assert "Протокол совещания руководителей от 14 мая 2024 г. № 1, пункт 1.2 (2024-05-14-1/1.2)" in out
    assert "Отв.: Белова И.Г., Громов П.С." in out and "Отв.: руководители ОО" in out  # co-executors see each other
    assert "Подготовить план на новый учебный год" not in out  # due 1 July: outside the week
    assert "To: \"Фролова Т.С.\" <frolova@example.org>" in out  # the summary, to the secretary's address
    assert "Нет адреса в people.yaml (2)" in out and "Сидоров А.А." in out
    assert "No address for Исаев Р.Р.: 1 decision (in the summary)." in out
    assert not (root / ".protokol-state").exists()  # nothing was sent, nothing is logged


@pytest.mark.parametrize(("lang", "said"), [
    ("en", "Dry run: 4 messages would be sent; nothing was sent or recorded."),
    ("ru", "Пробный запуск: будет отправлено 4 письма; ничего не отправлено и не записано.")])
def test_the_summary_of_a_dry_run_says_what_would_be_sent(tmp_path: Path, lang: str, said: str):
    """The secretary's summary that --dry-run shows is worded as what would be sent, never «Отправлено»; the
    command's last line says so in the language of the messages, and the summary sent or written says «Отправлено»."""
    root = make_archive(tmp_path)
    result = run_cli("remind", "--root", str(root), "--today", TODAY, "--dry-run", lang=lang)
    assert result.exit_code == 0, result.output + result.stderr
    summary = result.stdout[result.stdout.index('To: "Фролова Т.С."'):]
    assert "Subject: Напоминания исполнителям на 3 июня 2024 г.: будет отправлено — 3, без адреса — 2" in summary
    assert "(пробный запуск: ничего не отправлено)" in summary and "Будет отправлено (3):" in summary
    assert "Отправлено" not in summary and ": отправлено" not in summary
    assert result.stdout.rstrip().endswith(said)
    # a copy of the template that extends the built-in one says it too
    write(root, '{% extends "default:remind-summary.txt.j2" %}{% block body %}{{ super() }}Конец.{% endblock %}',
          "templates/remind-summary.txt.j2")
    copied = run_cli("remind", "--root", str(root), "--today", TODAY, "--dry-run", lang=lang).stdout
    assert "Будет отправлено (3):" in copied and "будет отправлено — 3" in copied and "Конец." in copied
    outbox = tmp_path / "outbox"
    assert run_cli("remind", "--root", str(root), "--today", TODAY, "--outbox", str(outbox)).exit_code == 0
    written = read_outbox(outbox)["frolova@example.org"]
    assert "отправлено — 3" in written["Subject"] and "будет" not in written["Subject"]
    assert "Отправлено (3):" in written.get_body(("plain",)).get_content()
    assert "Будет отправлено" not in written.get_body(("html",)).get_content()


def test_outbox_writes_one_eml_per_executor_and_the_summary_and_replaces_the_folder(tmp_path: Path):
    root = make_archive(tmp_path)
    outbox = tmp_path / "outbox"
    write(outbox, "stale", "old.eml")
    result = run_cli("remind", "--root", str(root), "--today", TODAY, "--outbox", str(outbox))
    assert result.exit_code == 0, result.output + result.stderr
    messages = read_outbox(outbox)
    assert not (outbox / "old.eml").exists()
    assert set(messages) == {*EXPECTED, "frolova@example.org"}
    for address, ids in EXPECTED.items():
        msg = messages[address]
        assert decisions_of(msg) == ids
        assert msg.get_body(("html",)).get_content().count("<li") == len(ids)
    html = messages["roo@example.org"].get_body(("html",)).get_content()
    assert "«по школам &amp; садам» &lt;до 10 числа&gt;" in html and "<до 10 числа>" not in html  # text, never markup
    raw = (outbox / "01-belova@example.org.eml").read_bytes()
    assert b"=?utf-8?b?" in raw.split(b"\n\n")[0]  # Russian names in the headers are encoded (RFC 2047)
    assert messages["belova@example.org"]["To"].addresses[0].display_name == "Белова И.Г."
    assert messages["belova@example.org"]["From"].addresses[0].display_name == "Отдел образования"
    assert not (root / ".protokol-state").exists()


def test_the_archives_templates_override_the_built_in_ones(tmp_path: Path):
    root = make_archive(tmp_path)
    write(root, '{% extends "default:remind.txt.j2" %}{% block subject %}Сроки: {{ executor }}{% endblock %}'
          '{% block footer %}\nЗвоните: 2-22-22.\n{% endblock %}', "templates/remind.txt.j2")
    result = run_cli("remind", "--root", str(root), "--today", TODAY, "--dry-run", "--to", "Громов П.С.")
    assert result.exit_code == 0, result.output + result.stderr
    assert "Subject: Сроки: Громов П.С." in result.stdout
    assert "Звоните: 2-22-22." in result.stdout and "Во вложении" not in result.stdout
    write(root, "{% if %}", "templates/remind.txt.j2")
    broken = run_cli("remind", "--root", str(root), "--today", TODAY, "--dry-run")
    assert broken.exit_code == 1
    assert "remind.txt.j2:1" in broken.stderr


def test_settings_and_wrong_calls(tmp_path: Path):
    root = make_archive(tmp_path, "mail:\n  host: 127.0.0.1\n  user: oo@example.org\n")
    no_password = run_cli("remind", "--root", str(root), "--today", TODAY, env={"PROTOKOL_SMTP_PASSWORD": None})
    assert no_password.exit_code == 2
    assert "PROTOKOL_SMTP_PASSWORD is not set" in no_password.stderr
    no_address = make_archive(tmp_path / "no-address", mail="mail:\n  host: 127.0.0.1\n  from: Отдел образования\n")
    wrong_from = run_cli("remind", "--root", str(no_address), "--today", TODAY)
    assert wrong_from.exit_code == 1 and "mail.from is not an e-mail address" in wrong_from.stderr  # as `check` says
    assert "protokol.yaml:5:9: error[schema-value]" in wrong_from.stderr
    bare = make_archive(tmp_path / "bare", mail="")
    assert run_cli("remind", "--root", str(bare), "--today", TODAY).exit_code == 2  # no mail: section to send through
    unknown = run_cli("remind", "--root", str(root), "--today", TODAY, "--dry-run", "--to", "Никто Н.Н.")
    assert unknown.exit_code == 2 and "Никто Н.Н." in unknown.stderr
    assert run_cli("remind", "--root", str(root), "--within", "soon", "--dry-run").exit_code == 2
    write(root, "mail:\n  host: 127.0.0.1\n  security: tls\n", "protokol.yaml")
    bad = run_cli("remind", "--root", str(root), "--today", TODAY, "--dry-run")
    assert bad.exit_code == 1 and "protokol.yaml:3:13" in bad.stderr  # the file's errors stop the run


def test_init_ignores_the_state_folder_and_check_reminds_an_older_archive(tmp_path: Path):
    from conftest import init_archive

    root = init_archive(tmp_path / "archive")
    assert ".protokol-state/" in (root / ".gitignore").read_text(encoding="utf-8").splitlines()
    assert "mail:" in (root / "protokol.yaml").read_text(encoding="utf-8")  # commented, with its keys
    quiet = run_cli("check", "--root", str(root))
    assert ".protokol-state" not in quiet.stderr
    write(root, ".protokol-cache/\nbuild/\n", ".gitignore")
    older = run_cli("check", "--root", str(root))
    assert older.exit_code == 0
    assert "note: .gitignore does not list .protokol-state" in older.stderr


def test_docs_remind_example_is_what_remind_prints(tmp_path: Path):
    """docs/remind.md shows the message Белова И.Г. receives from this file's archive, as --dry-run prints it
    (PROTOKOL_REGENERATE=1 rewrites it)."""
    import os

    from conftest import REPO

    root = make_archive(tmp_path)
    result = run_cli("remind", "--root", str(root), "--today", TODAY, "--dry-run", "--to", "Белова И.Г.", lang="ru")
    assert result.exit_code == 0, result.stderr
    first = result.stdout.split("─" * 72 + "\n")[1]
    assert first.startswith("From: Отдел образования <oo@example.org>\nTo: \"Белова И.Г.\" <belova@example.org>")
    doc = REPO / "docs" / "remind.md"
    text = doc.read_text(encoding="utf-8")
    begin, end = "<!-- example:begin -->", "<!-- example:end -->"
    head, rest = text.split(begin, 1)
    _old, tail = rest.split(end, 1)
    fresh = f"{head}{begin}\n```text\n{first.rstrip()}\n```\n{end}{tail}"
    if os.environ.get("PROTOKOL_REGENERATE"):
        doc.write_text(fresh, encoding="utf-8")
    else:
        assert text == fresh, "docs/remind.md is stale: run PROTOKOL_REGENERATE=1 pytest tests/test_remind.py"
