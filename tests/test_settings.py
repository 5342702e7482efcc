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
