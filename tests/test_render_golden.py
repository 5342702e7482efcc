"""Golden files of rendering: every protocol of the example archive to Markdown and to a text dump of its DOCX.

Compared exactly. After a deliberate change, regenerate and review the diff:
    PROTOKOL_REGENERATE=1 python -m pytest tests -k golden      (or: make golden)
"""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest

from conftest import DATA, PROTOCOLS, REPO
from protokol.load import load_protocol
from protokol.render import RenderOptions, build_view
from protokol.render.docx import DocxRenderer, dump_docx
from protokol.render.markdown import MarkdownRenderer
from protokol.render.templates import search_path
from protokol.settings import Settings, load_settings

GOLDEN = REPO / "tests" / "golden" / "render"
KITCHEN_ARCHIVE = DATA / "render" / "archive"
KITCHEN = KITCHEN_ARCHIVE / "protocols" / "2024" / "2024-03-14-2.yaml"
REGENERATE = os.environ.get("PROTOKOL_REGENERATE") == "1"

SEEDS = sorted(PROTOCOLS.glob("*/*.yaml"))

# (golden name, protocol file, archive root for settings, options)
CASES = [(p.stem, p, None, RenderOptions()) for p in SEEDS] + [
    ("2024-03-14-2", KITCHEN, KITCHEN_ARCHIVE, RenderOptions()),
    ("2024-03-14-2-extract-1", KITCHEN, KITCHEN_ARCHIVE, RenderOptions(extract=True, items=("1",))),
    ("2024-03-14-2-short", KITCHEN, KITCHEN_ARCHIVE, RenderOptions(form="short")),
    ("2023-08-27-8-extract-2", PROTOCOLS / "2023" / "2023-08-27-8.yaml", None,
     RenderOptions(extract=True, items=("2",), certify_by=None)),
]


@pytest.fixture(scope="module")
def renderers():
    search = search_path(None)
    return MarkdownRenderer(search), DocxRenderer(search)


def compare(name: str, actual: str) -> None:
    path = GOLDEN / name
    if REGENERATE:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(actual, encoding="utf-8")
        return
    assert path.is_file(), f"{path} is missing: run `make golden` and review it"
    expected = path.read_text(encoding="utf-8")
    assert actual == expected, f"{name} differs from its golden file: review, then `make golden`"


def view(path: Path, root: Path | None, options: RenderOptions) -> dict:
    protocol, problems = load_protocol(path)
    assert protocol is not None, problems
    settings, _ = load_settings(root) if root else (Settings(), [])
    return build_view(protocol, settings, options)[0]


def test_golden_the_example_archive_is_all_there():
    assert len(SEEDS) == 5, "the five example protocols of protocols/"


@pytest.mark.parametrize("name,path,root,options", CASES, ids=[c[0] for c in CASES])
def test_golden_markdown(renderers, name, path, root, options):
    compare(f"{name}.md", renderers[0].render(view(path, root, options)))


@pytest.mark.parametrize("name,path,root,options", CASES, ids=[c[0] for c in CASES])
def test_golden_docx_dump(renderers, name, path, root, options):
    data = renderers[1].render(view(path, root, options))
    compare(f"{name}.docx.txt", dump_docx(io.BytesIO(data)))


def test_golden_files_have_no_strays():
    """A golden file whose case is gone would never be compared again."""
    expected = {f"{c[0]}{suffix}" for c in CASES for suffix in (".md", ".docx.txt")}
    present = {p.name for p in GOLDEN.iterdir()} if GOLDEN.is_dir() else set()
    assert present == expected
