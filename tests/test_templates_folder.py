"""templates/ at the project's top level is the example archive's templates folder: copies of the built-in
templates (src/protokol/templates/, the one source), which `make templates` refreshes. These tests keep the copies
equal to the built-ins, so that the example archive renders as a fresh one does."""

from __future__ import annotations

import pytest

from conftest import REPO, run_cli
from protokol.render.templates import BUILTIN_DIR, TEMPLATES

FOLDER = REPO / "templates"


@pytest.mark.parametrize("name", sorted(TEMPLATES.values()))
def test_each_copy_equals_its_built_in_template(name):
    assert (FOLDER / name).read_bytes() == (BUILTIN_DIR / name).read_bytes(), (
        f"templates/{name} differs from the built-in one: change src/protokol/templates/{name} (the DOCX through "
        "scripts/build_docx_template.py), then run `make templates`")


def test_the_folder_holds_the_copies_and_the_readme_only():
    assert sorted(p.name for p in FOLDER.iterdir()) == sorted([*TEMPLATES.values(), "README.md"])
    readme = (FOLDER / "README.md").read_text(encoding="utf-8")
    for word in ("{%p", "{%tr", "Protokol Term", "make templates"):
        assert word in readme


def test_the_example_archive_uses_the_copies(monkeypatch):
    monkeypatch.chdir(REPO)
    result = run_cli("templates")
    assert result.exit_code == 0, result.output
    assert "README" not in result.stdout  # the folder's documentation is not a template
    for name in TEMPLATES.values():
        line = next(x for x in result.stdout.splitlines() if x.startswith(name))
        assert f"templates/{name}" in line and "overrides built-in" in line, line
