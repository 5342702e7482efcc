"""The structure docs/architecture.md promises: layers that import one way, a module table that matches the code,
and modules small enough to read."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from conftest import REPO

PACKAGE = REPO / "src" / "protokol"
ARCHITECTURE = REPO / "docs" / "architecture.md"

# Modules still over the size limit, each with the issue that splits it. The list may only shrink: a module that has
# been split must leave it (test_the_oversized_list_only_holds_oversized_modules), and no new module may join.
MAX_LINES = 500
OVERSIZED = {
    "importers/parse.py": "reworked by the import issue",
    "importers/words.py": "word tables of the importer (reworked by the import issue)",
    "yamlsyntax.py": "one explainer class, a rule per method; 551 lines is about the limit",
}


def _lint_imports() -> subprocess.CompletedProcess:
    exe = Path(sys.executable).with_name("lint-imports")
    if not exe.exists():
        pytest.fail("lint-imports is missing: `make test` installs import-linter with the test extras "
                    "(pip install -e '.[test]')")
    return subprocess.run([str(exe), "--no-cache", "--no-logo"], cwd=REPO, capture_output=True, text=True)


def test_layers_import_one_way():
    """The import-linter contract in pyproject.toml: no module imports from a layer above its own, imports inside
    functions included, so no import cycle can form."""
    result = _lint_imports()
    assert result.returncode == 0, result.stdout + result.stderr


def _module_names() -> set[str]:
    """Top-level modules and packages of src/protokol, as docs/architecture.md names them (`load.py`, `cli/`)."""
    names = set()
    for path in PACKAGE.iterdir():
        if path.suffix == ".py" and path.name not in ("__init__.py", "__main__.py"):
            names.add(path.name)
        elif path.is_dir() and (path / "__init__.py").exists():
            names.add(path.name + "/")
    return names


def _contract_layers() -> list[str]:
    config = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    (contract,) = config["tool"]["importlinter"]["contracts"]
    return contract["layers"]


def test_architecture_doc_lists_every_module_and_nothing_else():
    doc = ARCHITECTURE.read_text(encoding="utf-8")
    rows = [line for line in doc.splitlines() if line.startswith("| `")]
    documented = {name for row in rows for name in re.findall(r"`([\w/]+(?:\.py|/))`", row.split("|")[1])}
    missing = _module_names() - documented
    extra = documented - _module_names() - {"_fastyaml.c", "locale/", "templates/"}
    assert not missing, f"docs/architecture.md has no row for {sorted(missing)}"
    assert not extra, f"docs/architecture.md describes modules that do not exist: {sorted(extra)}"


def test_architecture_doc_draws_the_contract_layers():
    """The layer list in docs/architecture.md is the contract's, top first, so the picture cannot drift."""
    doc = ARCHITECTURE.read_text(encoding="utf-8")
    block = doc.split("<!-- layers -->")[1].split("<!-- /layers -->")[0]
    drawn = [line.strip().strip("`") for line in block.splitlines() if line.strip().startswith("`")]
    assert drawn == _contract_layers()


def _lines(path: Path) -> int:
    return len(path.read_text(encoding="utf-8").splitlines())


def test_no_module_grows_past_the_size_limit():
    too_big = {str(p.relative_to(PACKAGE)): _lines(p) for p in PACKAGE.rglob("*.py") if _lines(p) > MAX_LINES}
    unexpected = {name: n for name, n in too_big.items() if name not in OVERSIZED}
    assert not unexpected, f"modules over {MAX_LINES} lines: split them by job ({unexpected})"


def test_the_oversized_list_only_holds_oversized_modules():
    stale = [name for name in OVERSIZED if _lines(PACKAGE / name) <= MAX_LINES]
    assert not stale, f"{stale} are small now: take them off OVERSIZED"


def test_importing_the_package_imports_nothing_of_the_commands():
    """`import protokol` stays cheap and has no side effects on what the commands load."""
    code = "import sys, protokol; print(sorted(m for m in sys.modules if m.startswith('protokol.')))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert ast.literal_eval(out.strip()) == []


MAX_FUNCTION_LINES = 65  # "about 60": a function a reader takes in at once
LONG_FUNCTIONS_ALLOWED = {"importers/parse.py"}  # its line rules are reworked by the import issue


def test_no_function_is_longer_than_a_reader_takes_in_at_once():
    long = []
    for path in PACKAGE.rglob("*.py"):
        name = str(path.relative_to(PACKAGE))
        if name in LONG_FUNCTIONS_ALLOWED:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                lines = node.end_lineno - node.lineno + 1
                if lines > MAX_FUNCTION_LINES:
                    long.append(f"{name}:{node.lineno} {node.name} ({lines} lines)")
    assert not long, f"split these functions by step: {long}"
