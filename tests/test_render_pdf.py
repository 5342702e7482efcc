"""PDF output: the numbers the tool cites are on the paper, and the pages break where a secretary would let them.

Every full protocol of the example archive and of three protocols written with protokol (tests/data/render/new,
one with decisions nested three deep), and an extract of every agenda item of every example protocol, are rendered
and converted in one LibreOffice call (protokol.render.pdf), then read back with pdftotext. The CLI's PDF paths
(one document, `--all` in one soffice call, `--pdfa`, no LibreOffice, two runs at once) run the real program.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import DATA, PROTOCOLS, run_cli
from pdftext import pages, pdf_text
from protokol import model as m
from protokol.load import load_protocol
from protokol.people import load_people
from protokol.render import RenderOptions, agenda_keys, build_view
from protokol.render.docx import DocxRenderer
from protokol.render.pdf import INSTALL, to_pdf
from protokol.render.templates import search_path
from protokol.schema import paper_positions
from protokol.settings import Settings, load_settings

NEW = DATA / "render" / "new"
EXAMPLES = sorted(PROTOCOLS.glob("*/*.yaml"))
WRITTEN = sorted((NEW / "protocols").glob("*/*.yaml"))
NESTED = "2025-02-11-1"
BULLET = "– "


def _cases() -> list[tuple[str, Path, Path | None, RenderOptions]]:
    cases = [(p.stem, p, None, RenderOptions()) for p in EXAMPLES]
    cases += [(p.stem, p, NEW, RenderOptions()) for p in WRITTEN]
    for path in EXAMPLES:
        protocol, _problems = load_protocol(path)
        for key in agenda_keys(protocol):
            cases.append((f"{path.stem}-extract-{key}", path, None, RenderOptions(extract=True, items=(key,))))
    return cases


CASES = _cases()


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory) -> dict[str, tuple[Path, m.Protocol, dict]]:
    for tool in ("soffice", "pdftotext", "pdfinfo"):
        assert shutil.which(tool), f"{tool} is needed (.ci/run installs libreoffice-writer-nogui poppler-utils)"
    out = tmp_path_factory.mktemp("pdf")
    renderer = DocxRenderer(search_path(None))
    made, documents = {}, []
    for name, path, root, options in CASES:
        protocol, problems = load_protocol(path)
        assert protocol is not None, problems
        directory, _found = load_people(root)
        view, _found = build_view(protocol, load_settings(root)[0] if root else Settings(), options,
                                  directory.genders(), directory)
        documents.append(renderer.render(view))
        made[name] = (out / f"{name}.pdf", protocol, view)
    for (pdf, _protocol, _view), data in zip(made.values(), to_pdf(documents), strict=True):
        pdf.write_bytes(data)
    return made


# ---------------------------------------------------------------- where the pages break


def _block_start(view: dict) -> str | None:
    """The first words of the block a page must not begin with alone: the first signature's role, else «Верно»."""
    if view["signatures"]:
        return view["signatures"][0]["role"][:15]
    if view["certification"] and view["certification"]["label"]:
        return view["certification"]["label"]
    return None


@pytest.mark.parametrize("name", [c[0] for c in CASES])
def test_no_page_begins_with_a_deadline_or_a_responsible(pdfs, name):
    pdf, _protocol, _view = pdfs[name]
    for number, lines in enumerate(pages(pdf), 1):
        assert lines, f"page {number} is empty"
        assert not lines[0].startswith(("Срок:", "Отв.:")), (number, lines[0])


@pytest.mark.parametrize("name", [c[0] for c in CASES])
def test_the_signatures_and_the_certification_never_stand_alone_on_a_page(pdfs, name):
    pdf, _protocol, view = pdfs[name]
    start = _block_start(view)
    if start is None:  # a paper signed by nobody (`signatures: []`): then no signature line may be printed either
        assert _protocol.signatures == () or not _protocol.signatures, name
        assert not any("Председатель" in line and "_" in line for page in pages(pdf) for line in page), name
        return
    where = [(n, i) for n, lines in enumerate(pages(pdf)) for i, line in enumerate(lines) if line.startswith(start)]
    assert where, f"{start!r} not found"
    page, line = where[-1]  # the block comes after the text; the role may also head the participants
    assert line > 0, f"page {page + 1} begins with the signatures: {pages(pdf)[page][:4]}"


# ---------------------------------------------------------------- the numbers on paper


def _first_words(text: str, n: int = 3) -> str:
    return " ".join(text.split()[:n])


@pytest.mark.parametrize("path", WRITTEN, ids=[p.stem for p in WRITTEN])
def test_every_number_due_cites_is_printed(pdfs, path):
    """A protocol written with protokol prints each decision with the number of its id: «1.2.1.1. по математике»."""
    pdf, protocol, _view = pdfs[path.stem]
    text = pdf_text(pdf)
    refs = list(m.walk_decisions(protocol))
    if path.stem == NESTED:
        assert any(ref.decision.key.count(".") >= 3 for ref in refs)  # 1.2.1.1: decisions nested three deep
    for ref in refs:
        assert f"{ref.decision.key}. {_first_words(ref.decision.text)}" in text, ref.id


def _follow(lines: list[str], position: str, view: dict) -> str:
    """What a reader finds by the paper position alone, reading the PDF: the question's РЕШИЛИ:, the decision's
    printed number after it, then the n-th dash («3-й подпункт»). Returns the text from there on."""
    steps = position.split(", ")
    asked = [q for q in view["questions"] if q["has_decisions"]]
    index = 0
    if "вопрос" in steps[0]:
        step = steps.pop(0)
        if step.startswith("вопрос "):
            index = [q["label"].rstrip(".") for q in asked].index(step.split()[1])
        else:  # «2-й вопрос»: the second question of the paper
            nth = view["questions"][int(step.split("-")[0]) - 1]
            index = asked.index(nth)
    at = [i for i, line in enumerate(lines) if line.startswith("РЕШИЛИ:")][index]
    number = steps.pop(0).removeprefix("п. ")
    at = next(i for i in range(at, len(lines)) if re.match(re.escape(number) + r"\.\s", lines[i]))
    found = lines[at][len(number) + 1:]
    for step in steps:
        nth = int(step.split("-")[0])
        dashes = [i for i in range(at + 1, len(lines)) if lines[i].startswith(BULLET)]
        at = dashes[nth - 1]
        found = lines[at][len(BULLET):]
    return " ".join([found, *lines[at + 1:at + 3]])


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_the_paper_position_leads_to_the_item(pdfs, path):
    """For a protocol encoded from paper (`original: paper`), the position due gives beside the id finds the decision
    on the paper, where the id's number is printed nowhere."""
    pdf, protocol, view = pdfs[path.stem]
    assert protocol.original == "paper"
    lines = [line for page in pages(pdf) for line in page]
    positions = paper_positions(protocol)
    for ref in m.walk_decisions(protocol):
        found = " ".join(_follow(lines, positions[ref.decision.key], view).split())
        assert found.startswith(_first_words(ref.decision.text)), (ref.id, positions[ref.decision.key], found)


# ---------------------------------------------------------------- the command


@pytest.fixture()
def archive(tmp_path: Path) -> Path:
    shutil.copytree(PROTOCOLS, tmp_path / "protocols")
    return tmp_path


def _counting_soffice(tmp_path: Path) -> tuple[dict[str, str], Path]:
    """A PATH whose `soffice` is a script that notes each start in a log and runs the real LibreOffice."""
    folder = tmp_path / "bin"
    folder.mkdir()
    log = tmp_path / "soffice.log"
    script = folder / "soffice"
    script.write_text(f'#!/bin/sh\necho started >> "{log}"\nexec "{shutil.which("soffice")}" "$@"\n')
    script.chmod(0o755)
    return {"PATH": f"{folder}{os.pathsep}{os.environ['PATH']}"}, log


def test_render_all_to_pdf_starts_libreoffice_once(archive, tmp_path):
    env, log = _counting_soffice(tmp_path)
    result = run_cli("render", "--all", "--format", "pdf", "--root", str(archive), env=env)
    assert result.exit_code == 0, result.output
    made = sorted(p.name for p in (archive / "build").iterdir())
    assert made == sorted(f"{p.stem}.pdf" for p in EXAMPLES)
    assert log.read_text().count("started") == 1
    for pdf in (archive / "build").iterdir():
        assert pdf.read_bytes().startswith(b"%PDF")


def test_one_protocol_to_a_named_pdf_and_pdfa(archive, tmp_path):
    target = tmp_path / "выписка.pdf"
    result = run_cli("render", "2024-01-09-1", "-o", str(target), "--root", str(archive))
    assert result.exit_code == 0, result.output
    assert "ВЫПИСКА ИЗ ПРОТОКОЛА" in pdf_text(target)
    again = run_cli("render", "2024-01-09-1", "-o", str(target), "--root", str(archive))
    assert again.exit_code == 1 and "not overwritten" in again.stderr  # a kept file, as for DOCX
    archived = tmp_path / "archive.pdf"
    result = run_cli("render", "2024-01-09-1", "--pdfa", "-o", str(archived), "--root", str(archive))
    assert result.exit_code == 0, result.output
    meta = subprocess.run(["pdfinfo", "-meta", str(archived)], capture_output=True, text=True, check=True).stdout
    assert "pdfaid:part" in meta and "pdfaid" not in subprocess.run(
        ["pdfinfo", "-meta", str(target)], capture_output=True, text=True, check=True).stdout


def test_without_libreoffice_the_message_says_how_to_install_it(archive, tmp_path):
    empty = tmp_path / "empty-bin"
    empty.mkdir()
    result = run_cli("render", "2024-01-09-1", "--format", "pdf", "--root", str(archive), env={"PATH": str(empty)})
    assert result.exit_code == 1
    assert "soffice" in result.stderr and INSTALL in result.stderr
    assert not (archive / "build").exists()


def test_two_runs_at_once_each_get_their_pdfs(archive, tmp_path):
    """Each run has its own LibreOffice profile: with a shared one, the second soffice would exit converting nothing."""
    runs = [subprocess.Popen([sys.executable, "-m", "protokol", "render", "--all", "--format", "pdf", "-o",
                              str(tmp_path / f"out{i}"), "--root", str(archive)],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE) for i in range(2)]
    for run in runs:
        _out, err = run.communicate(timeout=300)
        assert run.returncode == 0, err.decode()
    for i in range(2):
        assert len(list((tmp_path / f"out{i}").glob("*.pdf"))) == len(EXAMPLES)
