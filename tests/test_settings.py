"""protokol.yaml: the file `init` writes reads back as the defaults, bad values are found at their position, and
docs/settings.md documents every key (its table is generated from the spec; PROTOKOL_REGENERATE=1 rewrites it)."""

from __future__ import annotations

import os
from pathlib import Path

from conftest import REPO
from protokol import model as m
from protokol.settings import SETTINGS, TEMPLATE_NOTES, Settings, load_settings, settings_reference, settings_template

DOC = REPO / "docs" / "settings.md"
BEGIN, END = "<!-- settings:begin -->", "<!-- settings:end -->"


def load(tmp_path: Path, text: str):
    (tmp_path / "protokol.yaml").write_text(text, encoding="utf-8")
    settings, problems = load_settings(tmp_path)
    return settings, problems


def test_template_lists_every_key_and_reads_back_as_the_defaults(tmp_path: Path):
    text = settings_template()
    for key in SETTINGS.fields:
        assert f"\n{key}:" in text or f"\n# {key}:" in text, key
    settings, problems = load(tmp_path, text)
    assert problems == []
    assert settings == Settings()


def test_template_comments_are_russian_for_every_key():
    assert set(TEMPLATE_NOTES) == set(SETTINGS.fields)
    for comment, _example in TEMPLATE_NOTES.values():
        assert any("а" <= ch <= "я" for ch in comment.lower())


def test_commented_examples_are_valid_when_uncommented(tmp_path: Path):
    lines, example = [], False
    for line in settings_template().splitlines():  # an example key, and the indented lines of a multi-line one
        key = line.startswith("# ") and ":" in line.split()[1] and line.split()[1].rstrip(":") in SETTINGS.fields
        example = key or (example and line.startswith("#   "))
        lines.append(line[2:] if example else line)
    settings, problems = load(tmp_path, "\n".join(lines) + "\n")
    assert problems == []
    assert settings.chair.position == "заведующий отделом образования"
    assert settings.extra_holidays == ("2024-12-30", "2024-12-31")
    assert settings.mail.from_ == "Отдел образования <oo@example.org>"
    assert (settings.mail.host, settings.mail.effective_port, settings.mail.user) == ("smtp.example.org", 587, "oo@example.org")


def test_template_with_values(tmp_path: Path):
    text = settings_template({"organization": "Отдел образования", "chair": m.Person("Никитина О.В."),
                              "secretary": m.Person("Фролова Т.С.", position="методист")})
    settings, problems = load(tmp_path, text)
    assert problems == []
    assert settings.organization == "Отдел образования"
    assert settings.chair == m.Person("Никитина О.В.")
    assert settings.secretary == m.Person("Фролова Т.С.", position="методист")


def test_days_the_calendar_lacks_are_reported_and_not_used(tmp_path: Path):
    settings, problems = load(tmp_path, "school_year_end: 02-30\nextra_holidays: [2024-12-30, 2024-13-01]\n")
    assert [(p.line, p.col, p.code) for p in problems] == [(1, 18, "schema-date"), (2, 30, "schema-date")]
    assert settings.school_year_end == "08-31"
    holidays, _workdays = settings.extra_days()
    assert [d.isoformat() for d in holidays] == ["2024-12-30"]
    settings.school_year()  # usable: no ValueError from a day that does not exist


def test_docs_settings_md_documents_every_key():
    text = DOC.read_text(encoding="utf-8")
    head, rest = text.split(BEGIN, 1)
    _table, tail = rest.split(END, 1)
    fresh = f"{head}{BEGIN}\n{settings_reference()}{END}{tail}"
    for key in SETTINGS.fields:
        assert f"| `{key}` |" in fresh
    if os.environ.get("PROTOKOL_REGENERATE"):
        DOC.write_text(fresh, encoding="utf-8")
    else:
        assert text == fresh, "docs/settings.md is stale: run PROTOKOL_REGENERATE=1 pytest tests/test_settings.py"


def test_mail_settings_that_remind_would_refuse_are_found_by_check(tmp_path: Path):
    """Numbers out of range and digits int() cannot read (a superscript «²» broke `check` with a traceback), a host
    with its scheme or port, addresses that are none: each at its position; a sound `mail:` section passes."""
    cases = {"port: 99999": ("schema-value", "1–65535"), "port: 0": ("schema-value", "1–65535"),
             "port: ²": ("schema-type", "²"), "port: 587.5": ("schema-type", "587.5"),
             "timeout: 10000000000": ("schema-value", "1–3600"),
             "host: smtp://mail.example.org": ("schema-value", "smtp://"),
             "host: mail.example.org:465": ("schema-value", ":465"), "from: Отдел образования": ("schema-value", "from"),
             "summary_to: директор": ("schema-value", "summary_to"), "user: oo": ("schema-value", "mail.user")}
    for line, (code, part) in cases.items():
        key = line.split(":")[0]
        rest = "".join(f"  {k}\n" for k in ("host: smtp.example.org", "from: oo@example.org") if not k.startswith(key))
        if key == "user":
            rest = "  host: smtp.example.org\n"
        _settings, problems = load(tmp_path, f"mail:\n{rest}  {line}\n")
        assert [(p.code, p.line) for p in problems] == [(code, 2 + rest.count("\n"))], line
        assert part in problems[0].message and problems[0].hint, line
    settings, problems = load(tmp_path, "mail:\n  host: smtp.example.org\n  port: 65535\n  timeout: 3600\n"
                                        "  user: oo@example.org\n  summary_to: Секретарь <s@example.org>\n")
    assert problems == [] and settings.mail.port == 65535


def test_a_number_of_superscript_digits_is_a_problem_in_a_protocol_too(tmp_path: Path):
    from protokol.load import load_protocol

    path = tmp_path / "2024-05-14-1.yaml"
    path.write_text("date: 2024-05-14\ntitle: совещания\nparticipants:\n  chair: Иванова А.А.\n  secretary: null\n"
                    "agenda:\n  - title: О разном\n    votes: {for: ², against: 0}\n", encoding="utf-8")
    _protocol, problems = load_protocol(path)
    assert [(p.code, p.line) for p in problems] == [("schema-type", 8)]
