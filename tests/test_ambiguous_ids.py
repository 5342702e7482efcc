"""An id that two protocol files share (protocols/2023/X.yaml and protocols/2024/X.yaml) names neither: every command
given it refuses with both paths, exit 2, and touches no file (issue 12, item 7)."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import protokol
from conftest import write as write_file
from test_review import PROTOCOL, REL

OTHER = "protocols/2023/2024-05-14-3.yaml"


@pytest.fixture
def twice(tmp_path: Path) -> Path:
    root = tmp_path / "archive"
    write_file(root, PROTOCOL, REL)
    write_file(root, PROTOCOL.replace("Обеспечить", "Организовать"), OTHER)
    return root


@pytest.mark.parametrize("args", [
    ("done", "2024-05-14-3/1.2", "--today", "2024-06-01"),
    ("extend", "2024-05-14-3/1.2", "--to", "2024-06-10", "--reason", "по ходатайству", "--today", "2024-06-01"),
    ("cancel", "2024-05-14-3/1.2", "--reason", "утратило актуальность", "--today", "2024-06-01"),
    ("reopen", "2024-05-14-3/1.2", "--today", "2024-06-01"),
    ("sign", "2024-05-14-3", "--by", "Никитина О.В.", "--date", "2024-05-15"),
    ("render", "2024-05-14-3", "--format", "md"),
    ("show", "2024-05-14-3", "--today", "2024-06-01"),
])
def test_a_shared_id_is_refused_with_both_paths_and_nothing_is_written(twice: Path, args: tuple):
    before = {p: p.read_bytes() for p in twice.rglob("*") if p.is_file()}
    result = protokol(twice, *args)
    assert result.returncode == 2, (result.stdout, result.stderr)
    assert OTHER in result.stderr and REL in result.stderr
    assert "Traceback" not in result.stderr
    after = {p: p.read_bytes() for p in twice.rglob("*") if p.is_file() and ".protokol-cache" not in p.parts}
    assert after == {p: b for p, b in before.items() if ".protokol-cache" not in p.parts}


def test_a_file_path_still_names_one_of_them(twice: Path):
    shown = protokol(twice, "show", OTHER, "--today", "2024-06-01")
    assert "Организовать" in shown.stdout and "Обеспечить" not in shown.stdout
