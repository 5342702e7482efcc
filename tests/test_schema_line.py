"""The editors' JSON Schema: `protokol init` writes schema/protokol.schema.json (what `protokol schema` prints), and
`new` and `import` start a file with `# yaml-language-server: $schema=…` only when that file is there, by a path
relative to the protocol file that leads to it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import DATA, init_archive
from conftest import run_cli as cli

SCHEMA = Path("schema") / "protokol.schema.json"
PREFIX = "# yaml-language-server: $schema="
ONLINE = DATA / "import" / "online.md"  # minutes of 15.02.2024, № 3


@pytest.fixture
def archive(tmp_path: Path, monkeypatch) -> Path:
    root = init_archive(tmp_path / "archive", "--no-git", "--chair", "Никитина О.В.", "--secretary", "Фролова Т.С.")
    monkeypatch.chdir(root)
    return root


def schema_line(path: Path) -> str | None:
    """The schema path of a protocol file's first line, None when it has none; it must lead to the archive's file."""
    first = path.read_text(encoding="utf-8").splitlines()[0]
    if not first.startswith(PREFIX):
        return None
    return first.removeprefix(PREFIX)


def test_init_writes_the_schema_that_protokol_schema_prints(archive: Path):
    printed = cli("schema")
    assert printed.exit_code == 0
    written = (archive / SCHEMA).read_text(encoding="utf-8")
    assert written == printed.stdout
    schema = json.loads(written)
    assert schema["$schema"].startswith("https://json-schema.org/") and "date" in schema["properties"]


def test_init_reports_the_schema_and_keeps_one_that_exists(archive: Path):
    (archive / SCHEMA).write_text('{"title": "ours"}\n', encoding="utf-8")
    again = cli("init", ".", "--no-git")
    assert again.exit_code == 0
    assert "kept     schema/protokol.schema.json" in again.stdout
    assert (archive / SCHEMA).read_text(encoding="utf-8") == '{"title": "ours"}\n'
    fresh = cli("init", "other", "--no-git")
    assert "created  schema/protokol.schema.json" in fresh.stdout


def test_new_points_at_the_schema_while_it_exists(archive: Path):
    made = cli("new", "--date", "2024-05-14", "--item", "О разном", "--no-interactive")
    assert made.exit_code == 0, made.output
    path = archive / made.stdout.strip()
    reference = schema_line(path)
    assert reference == "../../schema/protokol.schema.json"
    assert (path.parent / reference).resolve() == (archive / SCHEMA).resolve()

    (archive / SCHEMA).unlink()  # an archive without the file (made before init wrote it): no line to a missing file
    made = cli("new", "--date", "2024-05-15", "--item", "О разном", "--no-interactive")
    assert made.exit_code == 0, made.output
    path = archive / made.stdout.strip()
    assert schema_line(path) is None
    assert path.read_text(encoding="utf-8").startswith("status: draft\n")
    assert cli("check", str(path), "--today", "2024-06-01").exit_code == 0


def test_import_points_at_the_schema_while_it_exists(archive: Path):
    result = cli("import", str(ONLINE))
    assert result.exit_code == 0, result.stderr
    path = archive / "protocols" / "2024" / "2024-02-15-3.yaml"
    assert schema_line(path) == "../../schema/protokol.schema.json"

    path.unlink()
    (archive / SCHEMA).unlink()
    result = cli("import", str(ONLINE))
    assert result.exit_code == 0, result.stderr
    assert schema_line(path) is None
    dry = cli("import", str(ONLINE), "--dry-run")
    assert dry.exit_code == 0 and not dry.stdout.startswith("#") and "date: 2024-02-15" in dry.stdout
    assert cli("check", str(path), "--today", "2024-06-01").exit_code == 0


def test_import_into_another_folder_points_back_at_the_archive(archive: Path, tmp_path: Path):
    out = tmp_path / "elsewhere" / "drafts"
    result = cli("import", str(ONLINE), "-o", str(out))
    assert result.exit_code == 0, result.stderr
    path = out / "2024-02-15-3.yaml"
    reference = schema_line(path)
    assert reference == "../../archive/schema/protokol.schema.json"
    assert (path.parent / reference).resolve() == (archive / SCHEMA).resolve()
    dry = cli("import", str(ONLINE), "--dry-run")
    assert dry.stdout.startswith(PREFIX + "../../schema/protokol.schema.json\n")
