"""The docs stay true to the code: generated parts are fresh, every command is documented, README commands work."""

from __future__ import annotations

import re
import subprocess
import sys

from conftest import REPO

sys.path.insert(0, str(REPO / "scripts"))


def test_generated_docs_are_fresh():
    result = subprocess.run([sys.executable, str(REPO / "scripts" / "gen_docs.py"), "--check"], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr + " (run `make docs` and review the diff)"


def test_every_command_is_documented_in_readme_or_docs():
    from protokol.cli.main import build_app

    app = build_app()
    names = [c.name for c in app.registered_commands] + [g.name for g in app.registered_groups]
    text = (REPO / "README.md").read_text(encoding="utf-8") + "".join(
        p.read_text(encoding="utf-8") for p in (REPO / "docs").glob("*.md"))
    undocumented = [n for n in names if not re.search(rf"protokol {re.escape(n)}\b", text)]
    assert undocumented == []


def test_every_command_help_has_an_example():
    from typer.testing import CliRunner

    from protokol.cli.main import build_app

    app = build_app()
    runner = CliRunner()
    for info in app.registered_commands:
        result = runner.invoke(app, [info.name, "--help"], env={"COLUMNS": "200"})
        assert result.exit_code == 0, info.name
        assert "Example:" in result.stdout or "Пример:" in result.stdout, info.name


def test_readme_gives_the_two_setup_commands_first():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    setup = readme.index("make demo")
    assert setup < readme.index("make test") < readme.index("## ", setup)
