"""The pages of one protocol: protocols/<id>.html (the text as `protokol render --format md` makes it, and each
decision under control), and its DOCX (and PDF) beside it. Each is keyed by the digest of what it is made of, so an
unchanged protocol is not rendered again (output.py)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from . import data
from .output import Page, digest


class Documents:
    """The renderers of a build, each loaded once and only when a page needs it."""

    def __init__(self, archive, pages, fingerprint: str, options):
        from ..render.templates import TEMPLATES, resolve

        self.archive = archive
        self.pages = pages
        self.options = options
        self._md = self._docx = None
        md = resolve(TEMPLATES["md"], pages.search)
        docx = resolve(TEMPLATES["docx"], pages.search)
        self.md_key = digest(fingerprint, md.path.read_bytes() if md else b"")
        self.docx_key = digest(fingerprint, docx.path.read_bytes() if docx else b"")
        self.genders = archive.directory.genders()
        self.soffice = None
        if options.documents:
            from ..render.pdf import find_soffice

            self.soffice = find_soffice()

    def pdf(self, sources: list[bytes]) -> list[bytes]:
        """The DOCX of every protocol whose PDF is made in this build, converted by one LibreOffice call."""
        from ..render.pdf import to_pdf

        return to_pdf(sources, soffice=self.soffice)

    def view(self, p) -> dict:
        from ..render import RenderOptions, build_view

        # the directory as `render` passes it: people.yaml's positions for the persons named alone, so that the page
        # and the DOCX beside it print the participants as `render` does
        view, _problems = build_view(p, self.archive.settings, RenderOptions(), self.genders,  # `render` says them
                                     self.archive.directory)
        return view

    def markdown(self, p) -> str:
        if self._md is None:
            from ..render.markdown import MarkdownRenderer

            self._md = MarkdownRenderer(self.pages.search)
        return self._md.render(self.view(p))

    def docx(self, p) -> bytes:
        if self._docx is None:
            from ..render.docx import DocxRenderer

            self._docx = DocxRenderer(self.pages.search)
        return stable_zip(self._docx.render(self.view(p)))


def stable_zip(data: bytes) -> bytes:
    """A zip (DOCX) with every entry dated 1980-01-01: the same document makes the same bytes, so a protocol whose
    page changed (a control mark) keeps its DOCX file untouched (output.py compares bytes)."""
    import io
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as old, zipfile.ZipFile(out, "w") as new:
        for info in old.infolist():
            fixed = zipfile.ZipInfo(info.filename, (1980, 1, 1, 0, 0, 0))
            fixed.compress_type = info.compress_type
            fixed.external_attr = info.external_attr
            new.writestr(fixed, old.read(info))
    return out.getvalue()


def pages(p, raw: bytes, documents: Documents, people: data.People) -> Iterator[Page]:
    """The HTML page of protocol `p` (file bytes `raw`) and, unless documents are off, its DOCX and PDF."""
    statuses = documents.archive.statuses
    decisions = data.protocol_decisions(p, statuses)
    shown = [data.decision_key(x.decision) for x in decisions if x.decision is not None]
    slugs = [people.executors(x.decision) for x in decisions if x.decision is not None]
    files = []
    if documents.options.documents:
        files.append(Page(f"protocols/{p.id}.docx", lambda: documents.docx(p), digest(documents.docx_key, raw)))
        if documents.soffice is not None:
            files.append(Page(f"protocols/{p.id}.pdf", lambda: documents.docx(p), digest("pdf", documents.docx_key, raw),
                              documents.pdf))
    base = "protocols/" + p.id
    links = [(Path(f.path).suffix[1:], Path(f.path).name) for f in files]
    key = digest(documents.md_key, raw, repr(shown), repr(slugs), repr(links))

    def html() -> bytes:
        text = documents.pages.protocol_html(documents.markdown(p))
        return documents.pages.page("protocol.html.j2", 1, protocol=p, text=text, decisions=decisions,
                                    links=links, counts=_counts(decisions))

    yield Page(base + ".html", html, key)
    yield from files


def _counts(decisions: list[data.DecisionInfo]) -> dict[str, int]:
    counts = {"open": 0, "overdue": 0, "done": 0, "cancelled": 0}
    for x in decisions:
        if x.state is not None:
            counts[x.state] += 1
    return counts
