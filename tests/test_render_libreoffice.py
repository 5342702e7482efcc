"""The DOCX opens in LibreOffice: every rendered protocol converted to PDF in ONE soffice call (protokol.render.pdf),
then read back.

LibreOffice's exit code proves nothing (it exits 0 on files it could not convert), so the test reads the PDFs:
pdftotext for the key text, pdfinfo for a sane page count, pdffonts for the font that really set the Cyrillic, and
where the pages break: never between a decision and its «Срок:»/«Отв.:», never before a lone certification block.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import DATA, PROTOCOLS
from pdftext import page_count, pages, pdf_text
from protokol.load import load_protocol
from protokol.model import walk_decisions
from protokol.render import RenderOptions, build_view
from protokol.render.docx import DocxRenderer
from protokol.render.pdf import to_pdf
from protokol.render.templates import search_path
from protokol.settings import Settings, load_settings

KITCHEN_ARCHIVE = DATA / "render" / "archive"
KITCHEN = KITCHEN_ARCHIVE / "protocols" / "2024" / "2024-03-14-2.yaml"
# A long protocol arranged so that without keep-with-next page 2 begins with «Срок: до 20.06.2024», the deadline of
# the bullets ending page 1 («– подготовить анализ работы за год»): the layout fault a user met.
LONG = DATA / "render" / "long" / "2024-05-30-5.yaml"
# The extract of seed 2023-08-27-8 (item 2): its page 1 is full, and without keep-with-next the certification block
# («Верно», the signature line, the date) sat alone at the top of page 2.
EXTRACT = ("2023-08-27-8-extract-2", PROTOCOLS / "2023" / "2023-08-27-8.yaml", RenderOptions(extract=True, items=("2",)))

# The accusative after СЛУШАЛИ, as the original documents (examples/originals/) print it — not as our code does
# (2024-01-09-1.txt prints «Н.В.Иванову»; its YAML stores the name surname first, «Иванова Н.В.»).
HEARD = {
    "2022-12-25-1": ["Иванову А.О."],
    "2023-08-27-8": ["Комарову Т. Ю."],
    "2024-01-09-1": ["Иванову Н.В."],
    "2024-03-14-2": ["Никитину О.В. и Кравца И.И.", "Белкина Д.В."],
}
# Deadlines whose printed form is not the text as written (ISO dates, printed in the archive's date style).
PRINTED_DEADLINES = {"2024-05-31": "31.05.2024"}


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory) -> dict[str, tuple[Path, object]]:
    for tool in ("soffice", "pdftotext", "pdfinfo", "pdffonts"):
        assert shutil.which(tool), f"{tool} is needed (.ci/run installs libreoffice-writer-nogui poppler-utils)"
    out = tmp_path_factory.mktemp("lo")
    renderer = DocxRenderer(search_path(None))
    cases = {}
    full = [(p.stem, p, None, RenderOptions()) for p in sorted(PROTOCOLS.glob("*/*.yaml"))]
    full += [(KITCHEN.stem, KITCHEN, KITCHEN_ARCHIVE, RenderOptions()), (LONG.stem, LONG, None, RenderOptions())]
    for name, path, root, options in [*full, (EXTRACT[0], EXTRACT[1], None, EXTRACT[2])]:
        protocol, problems = load_protocol(path)
        assert protocol is not None, problems
        settings = load_settings(root)[0] if root else Settings()
        view, _ = build_view(protocol, settings, options)
        (out / f"{name}.docx").write_bytes(renderer.render(view))
        cases[name] = (protocol, view)
    names = sorted(cases)
    # one soffice call for the whole batch, as `render --all --format pdf` makes it (protokol.render.pdf)
    for name, pdf in zip(names, to_pdf([(out / f"{n}.docx").read_bytes() for n in names]), strict=True):
        (out / f"{name}.pdf").write_bytes(pdf)
    return {pid: (out / f"{pid}.pdf", protocol, view) for pid, (protocol, view) in cases.items()}


def ids():
    return [p.stem for p in sorted(PROTOCOLS.glob("*/*.yaml"))] + [KITCHEN.stem, LONG.stem]


@pytest.mark.parametrize("pid", ids())
def test_pdf_holds_the_key_text(pdfs, pid):
    pdf, protocol, view = pdfs[pid]
    text = pdf_text(pdf)
    if protocol.organization:
        assert " ".join(protocol.organization.split()) in text
    assert view["kind_title"] in text
    assert " ".join(protocol.title.split()) in text
    heard = [s for item in protocol.agenda for s in item.heard]
    assert ("СЛУШАЛИ:" in text) == bool(heard)
    for name in HEARD.get(pid, []):
        assert f"СЛУШАЛИ: {name}" in text, name
    deadlines = {ref.decision.deadline.strip() for ref in walk_decisions(protocol) if ref.decision.deadline}
    for deadline in deadlines:
        assert f"Срок: {PRINTED_DEADLINES.get(deadline, deadline)}" in text, deadline
    for signature in protocol.signatures:
        assert " ".join((signature.name or signature.role).split()) in text


@pytest.mark.parametrize("pid", ids())
def test_page_count_is_sane_and_numbers_start_on_page_two(pdfs, pid):
    pdf, _protocol, _view = pdfs[pid]
    pages = page_count(pdf)
    chars = len(pdf_text(pdf))
    # about 2000 characters fill an A4 page in 14 pt; a blow-up (stray page breaks) or an empty file fails here
    assert 1 <= pages <= 2 + chars // 1200, (pages, chars)
    assert pages >= chars // 4000
    first = subprocess.run(["pdftotext", "-f", "1", "-l", "1", str(pdf), "-"], capture_output=True, text=True).stdout
    assert not re.match(r"\s*1\s*\n", first)  # no number on the first page
    for page in range(2, pages + 1):
        top = subprocess.run(["pdftotext", "-f", str(page), "-l", str(page), str(pdf), "-"], capture_output=True,
                             text=True).stdout
        assert top.strip().split("\n")[0].strip() == str(page)


@pytest.mark.parametrize("pid", ids())
def test_cyrillic_is_set_in_the_times_new_roman_metric_font(pdfs, pid):
    pdf, _protocol, _view = pdfs[pid]
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    names = {line.split()[0].split("+")[-1] for line in fonts.splitlines()[2:] if line.strip()}
    # LibreOffice sets Times New Roman in Liberation Serif, its metric twin; any other family means a slot was missed
    assert names and all(n.startswith(("LiberationSerif", "TimesNewRoman")) for n in names), names


@pytest.mark.parametrize("pid", [*ids(), EXTRACT[0]])
def test_no_page_begins_with_a_deadline_or_a_responsible(pdfs, pid):
    pdf, _protocol, _view = pdfs[pid]
    for number, lines in enumerate(pages(pdf), 1):
        assert lines, f"page {number} is empty"
        assert not lines[0].startswith(("Срок:", "Отв.:")), (number, lines[0])


def test_the_bullets_ending_a_page_keep_their_deadline(pdfs):
    pdf, _protocol, _view = pdfs[LONG.stem]
    found = [lines for lines in pages(pdf) if "– подготовить анализ работы за год" in lines]
    assert len(found) == 1
    page = found[0]
    at = page.index("– подготовить анализ работы за год")
    assert page[at + 1:at + 3] == ["Срок: до 20.06.2024", "Отв.: заместители директоров по УВР"]


def test_the_certification_stays_with_the_last_signature(pdfs):
    pdf, _protocol, view = pdfs[EXTRACT[0]]
    assert view["certification"]["blank_date"]  # «Верно», the signature line and the date line to fill in
    found = [lines for lines in pages(pdf) if "Верно" in lines]
    assert len(found) == 1
    page = found[0]
    assert page[0] != "Верно"
    assert "Г. И. Финагина" in page  # the last (only) signature of the extract, with its role before «Верно»
    assert page.index("Секретарь") < page.index("Верно") < page.index("«___» ____________ 20___ г.")
