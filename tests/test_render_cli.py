"""`protokol render` and `protokol templates` as a user calls them, on a copy of the example archive."""

from __future__ import annotations

import re
import shlex
import shutil
from pathlib import Path

import pytest
from docx import Document

from conftest import DATA, PROTOCOLS, REPO, meeting, run_cli
from protokol.render.docx import dump_docx

KITCHEN_ARCHIVE = DATA / "render" / "archive"


@pytest.fixture
def archive(tmp_path, monkeypatch) -> Path:
    root = tmp_path / "archive"
    shutil.copytree(PROTOCOLS, root / "protocols")
    monkeypatch.chdir(root)
    return root


def test_render_one_protocol_to_docx_in_build(archive):
    result = run_cli("render", "2024-01-09-1")
    assert result.exit_code == 0, result.stderr
    out = archive / "build" / "2024-01-09-1.docx"
    assert "wrote build/2024-01-09-1.docx" in result.stderr
    assert result.stdout == ""
    texts = [p.text for p in Document(out).paragraphs]
    assert "ВЫПИСКА ИЗ ПРОТОКОЛА" in texts


def test_an_existing_file_is_never_overwritten_without_force(archive):
    assert run_cli("render", "2024-01-09-1").exit_code == 0
    out = archive / "build" / "2024-01-09-1.docx"
    out.write_bytes(b"mine")
    result = run_cli("render", "2024-01-09-1")
    assert result.exit_code == 1  # a refused action on the user's files, as for new and import
    assert "build/2024-01-09-1.docx exists; it is not overwritten." in result.stderr
    assert "--force" in result.stderr
    assert out.read_bytes() == b"mine"
    assert run_cli("render", "2024-01-09-1", "--force").exit_code == 0
    assert out.read_bytes().startswith(b"PK")
    assert not [p for p in out.parent.iterdir() if p.name.endswith(".tmp")]


def test_markdown_to_standard_output_and_format_from_the_file_name(archive):
    result = run_cli("render", "2023-08-27-8", "-o", "-")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("# ВЫПИСКА ИЗ ПРОТОКОЛА\n")
    assert "**СЛУШАЛИ:** Комарову\u00a0Т.\u00a0Ю., заместителя заведующего отделом образования – " in result.stdout
    result = run_cli("render", "protocols/2023/2023-08-27-8.yaml", "-o", "out/выписка.md")
    assert result.exit_code == 0, result.stderr
    assert (archive / "out" / "выписка.md").read_text(encoding="utf-8") == run_cli(
        "render", "2023-08-27-8", "-o", "-").stdout


@pytest.mark.parametrize(("args", "written"), [((), "выписка.docx"), (("--format", "md"), "выписка.md")])
def test_an_output_name_without_extension_gets_the_formats(archive, args, written):
    result = run_cli("render", "2023-08-27-8", "-o", "out/выписка", *args)
    assert result.exit_code == 0, result.stderr
    assert [p.name for p in (archive / "out").iterdir()] == [written]
    assert f"wrote out/{written}" in result.stderr


def test_extract_of_chosen_items_with_certification(archive):
    result = run_cli("render", "2024-01-09-1", "--items", "2", "--certify-by", "Шадеркова Н.В., заведующая Отделом",
                     "--certify-date", "2024-01-10", "--format", "md", "-o", "-")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.rstrip().endswith("Верно\\\nзаведующая Отделом — Подпись — Н.В.\u00a0Шадеркова\\\n10 января 2024 г.")
    result = run_cli("render", "2023-08-27-8", "--items", "2")
    assert result.exit_code == 0
    assert (archive / "build" / "2023-08-27-8-extract-2.docx").is_file()
    assert "render-no-certifier" in result.stderr  # nobody named: a warning, the block left blank


def test_unknown_item_and_unknown_protocol_are_usage_errors_with_hints(archive):
    result = run_cli("render", "2024-01-09-1", "--items", "1,9")
    assert result.exit_code == 2
    assert "Protocol 2024-01-09-1 has no agenda item 1, 9." in result.stderr
    assert "Its agenda items are: 2." in result.stderr
    result = run_cli("render", "2024-01-09")
    assert result.exit_code == 2
    assert "No protocol '2024-01-09'" in result.stderr and "2024-01-09-1" in result.stderr
    assert not (archive / "build").exists()


@pytest.mark.parametrize("args,message", [
    ([], "Name a protocol to render"),
    (["2024-01-09-1", "--all"], "not both"),
    (["2024-01-09-1", "--format", "odt"], "--format takes docx, md or pdf"),
    (["2024-01-09-1", "--format", "docx", "--pdfa"], "--pdfa makes a PDF"),
    (["2024-01-09-1", "--form", "long"], "--form takes full or short"),
    (["2024-01-09-1", "--format", "docx", "-o", "-"], "only Markdown"),
    (["2024-01-09-1", "--year", "2024"], "--year works with --all"),
    (["2024-01-09-1", "--certify-date", "10 янв 2024"], "01.07.2024"),
    (["2024-01-09-1", "--templates", "nowhere"], "No such templates folder"),
    (["--all", "--items", "2"], "one protocol"),
])
def test_usage_errors(archive, args, message):
    result = run_cli("render", *args)
    assert result.exit_code == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr


def test_all_renders_every_protocol_or_one_year(archive):
    result = run_cli("render", "--all", "--year", "2023", "--format", "md")
    assert result.exit_code == 0, result.stderr
    assert sorted(p.name for p in (archive / "build").iterdir()) == ["2023-08-27-8.md"]
    result = run_cli("render", "--all", "-o", "docs-out")
    assert result.exit_code == 0, result.stderr
    assert sorted(p.name for p in (archive / "docs-out").iterdir()) == sorted(
        f"{p.stem}.docx" for p in PROTOCOLS.glob("*/*.yaml"))


def test_a_broken_protocol_is_skipped_and_the_run_fails(archive):
    (archive / "protocols" / "2024" / "2024-02-01-2.yaml").write_text("date: 2024-02-01\ntitle: x\n", encoding="utf-8")
    result = run_cli("render", "--all", "--format", "md")
    assert result.exit_code == 1
    assert "schema-missing-key" in result.stderr
    assert "1 protocol has errors and was not rendered" in result.stderr
    assert len(list((archive / "build").iterdir())) == 5


def test_control_characters_are_a_warning_not_a_crash(tmp_path, monkeypatch):
    root = tmp_path / "k"
    shutil.copytree(KITCHEN_ARCHIVE, root)
    monkeypatch.chdir(root)
    result = run_cli("render", "2024-03-14-2")
    assert result.exit_code == 0, result.stderr
    assert "warning[render-control-character]" in result.stderr
    assert "U+0007, U+000C" in result.stderr
    dump = dump_docx(root / "build" / "2024-03-14-2.docx")
    assert "Звонок  и перевод страницы." in dump


def test_messages_follow_the_language(archive):
    run_cli("render", "2024-01-09-1")
    result = run_cli("--lang", "ru", "render", "2024-01-09-1", lang="ru")
    assert result.exit_code == 1
    assert "уже существует и не перезаписывается" in result.stderr


def test_templates_lists_and_copies(archive):
    result = run_cli("templates")
    assert result.exit_code == 0
    rows = {line.split()[0]: line.split()[1] for line in result.stdout.splitlines()}
    assert rows["protocol.docx"] == rows["protocol.md.j2"] == "built-in"
    result = run_cli("templates", "--copy", "protocol.md.j2")
    assert result.exit_code == 0, result.stderr
    assert (archive / "templates" / "protocol.md.j2").is_file()
    result = run_cli("templates")
    assert re.search(r"protocol\.md\.j2 +archive", result.stdout) and "(overrides built-in)" in result.stdout
    assert run_cli("templates", "--copy", "protocol.md.j2").exit_code == 1  # exists: not overwritten
    result = run_cli("templates", "--copy", "nothing.j2")
    assert result.exit_code == 2 and "protocol.docx" in result.stderr and "protocol.md.j2" in result.stderr


def test_a_broken_user_template_is_a_clean_error(archive):
    (archive / "templates").mkdir()
    (archive / "templates" / "protocol.md.j2").write_text("{{ doc.title }}\n{% if %}\n", encoding="utf-8")
    result = run_cli("render", "2024-01-09-1", "--format", "md")
    assert result.exit_code == 1
    assert re.search(r"Template .*protocol\.md\.j2:2: ", result.stderr)


def test_every_example_in_the_docs_runs(archive):
    text = (REPO / "docs" / "render.md").read_text(encoding="utf-8")
    commands = [line.strip() for block in re.findall(r"```(?:sh|bash|console)\n(.*?)```", text, re.S)
                for line in block.splitlines() if line.strip().startswith("protokol ")]
    assert len(commands) >= 8
    for command in commands:
        args = shlex.split(command.split("#")[0])[1:]
        result = run_cli(*args)
        assert result.exit_code == 0, f"{command}: {result.stderr}"


KRAVETS = meeting("2024-05-14", question="""\
    heard:
      - who: Кравец Н.А.
        text: Доклад.
    decided:
      - text: Принять к сведению.
""")


@pytest.mark.parametrize(("people", "heard"), [
    ("", "Кравец Н.А."),  # the surname tells no gender and nothing says: left as written
    ("people:\n  - name: Кравец Н.А.\n    gender: m\n", "Кравца Н.А."),
    ("people:\n  - name: Кравец Н.А.\n    gender: f\n", "Кравец Н.А."),
])
def test_slushali_declines_by_the_gender_people_yaml_gives(tmp_path: Path, people: str, heard: str):
    (tmp_path / "protocols" / "2024").mkdir(parents=True)
    (tmp_path / "protocols" / "2024" / "2024-05-14-1.yaml").write_text(KRAVETS, encoding="utf-8")
    if people:
        (tmp_path / "people.yaml").write_text(people, encoding="utf-8")
    result = run_cli("render", "2024-05-14-1", "-f", "md", "-o", "-", "--root", str(tmp_path))
    assert result.exit_code == 0, result.output
    assert f"**СЛУШАЛИ:** {heard} – Доклад." in result.stdout.replace("\xa0", " ")  # initials keep to the surname
