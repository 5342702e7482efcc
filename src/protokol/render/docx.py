"""DOCX output through docxtpl: the view rendered into protocol.docx, a Word file a user can restyle and keep working.

Autoescape is on: without it a «<», «>» or «&» in a protocol would break the document's XML and cut text silently.
The template file is read once and its compiled Jinja code is reused for every protocol of an `--all` run.
After rendering, `keep_together` binds paragraphs to what follows them where a style cannot (see there).
"""

from __future__ import annotations

import io
import re
from pathlib import Path

from .templates import TEMPLATES, SearchPath, resolve

# Which paragraphs are kept on one page with the next one («keep with next», set on the paragraph itself). A style
# cannot say it: Word has no «keep with previous», and whether a decision line needs it depends on what follows.
TERM = "Protokol Term"  # «Срок: …», «Отв.: …»: the paragraph before one is kept with it
SIGNING = frozenset({"Protokol Signature", "Protokol Signature Name", "Protokol Certification"})


def keep_together(document) -> None:
    """Set keep-with-next where a page must not break, in a rendered document (python-docx `Document`):

    - before «Срок:» or «Отв.:»: a decision's (last) line is kept with its Срок/Отв., «Срок:» with «Отв.:», an item's
      «Отв.:» with its group's Срок/Отв. printed after it;
    - through the signatures and the certification: every signature row, «Верно», the certifier's row are kept with
      what follows, so the block («Верно», position, signature line, И.О. Фамилия, date) stays together and with the
      last signature; its last line is not kept with whatever comes next;
    - before the signatures: the paragraph above them (the last decision, its Срок/Отв., the vote) is kept with the
      first signature, so no page holds only the signatures and «Верно».

    Units are paragraphs and table rows (Word keeps a row with the next when all its paragraphs are kept; LibreOffice
    then keeps the table with the next paragraph); a unit is known by the style of its first paragraph.
    """
    from docx.oxml.ns import qn
    from docx.text.paragraph import Paragraph

    names = {style.style_id: style.name for style in document.styles}

    def style_of(p) -> str | None:
        ppr = p.find(qn("w:pPr"))
        style = ppr.find(qn("w:pStyle")) if ppr is not None else None
        return None if style is None else names.get(style.get(qn("w:val")))

    units: list[tuple[str | None, list]] = []
    for child in document.element.body.iterchildren():
        if child.tag == qn("w:p"):
            units.append((style_of(child), [child]))
        elif child.tag == qn("w:tbl"):
            for row in child.iterchildren(qn("w:tr")):
                paragraphs = list(row.iter(qn("w:p")))
                if paragraphs:
                    units.append((style_of(paragraphs[0]), paragraphs))
    for (_style, paragraphs), (next_style, _next) in zip(units, units[1:], strict=False):
        if next_style == TERM or next_style in SIGNING:
            for p in paragraphs:
                Paragraph(p, document).paragraph_format.keep_with_next = True


TEMPLATE_BYTES = 50 * 1024 * 1024  # a template is a few dozen kilobytes; a bigger file is not one


class DocxTemplateError(Exception):
    """The DOCX template cannot be read or rendered; the message says where."""


# libxml2 (under python-docx and docxtpl) refuses a text node over 10,000,000 bytes, and docxtpl parses the rendered
# XML in recover mode, which cuts such a text there and drops everything after it (later decisions, the signatures)
# without a word. A longer text is written as several <w:t> in its run, each at most this many characters (4 bytes
# of UTF-8 at most each): Word and LibreOffice show them as one text.
TEXT_NODE_CHARS = 1_000_000
_LONG_TEXT = re.compile(r"<w:t(?:\s[^>]*)?>([^<]{" + str(TEXT_NODE_CHARS + 1) + r",})</w:t>")
_PIECE = '</w:t><w:t xml:space="preserve">'


def split_long_texts(xml: str) -> str:
    """Rendered document XML with every text node over TEXT_NODE_CHARS split into several (never inside «&amp;»)."""
    if len(xml) <= TEXT_NODE_CHARS:
        return xml

    def split(m: re.Match) -> str:
        text, pieces, start = m[1], [], 0
        while len(text) - start > TEXT_NODE_CHARS:
            end = start + TEXT_NODE_CHARS
            amp = text.rfind("&", end - 12, end)  # an entity (&amp;, &#1071;) is never cut in two
            if amp != -1 and ";" not in text[amp:end]:
                end = amp
            pieces.append(text[start:end])
            start = end
        pieces.append(text[start:])
        return '<w:t xml:space="preserve">' + _PIECE.join(pieces) + "</w:t>"

    return _LONG_TEXT.sub(split, xml)


class _SplittingTemplate:
    """A compiled Jinja template whose rendered XML has its long texts split (split_long_texts)."""

    def __init__(self, template):
        self.template = template

    def render(self, *args, **kwargs) -> str:
        return split_long_texts(self.template.render(*args, **kwargs))

    def __getattr__(self, name):
        return getattr(self.template, name)


def _environment():
    from jinja2 import Environment

    class CachingEnvironment(Environment):
        """docxtpl compiles the document XML with from_string on every render: compile each distinct source once."""

        _compiled: dict = {}

        def from_string(self, source, globals=None, template_class=None):
            key = (source, self.autoescape)
            compiled = self._compiled.get(key)
            if compiled is None:
                compiled = _SplittingTemplate(super().from_string(source, globals, template_class))
                self._compiled[key] = compiled
            return compiled

    env = CachingEnvironment(autoescape=True)
    env._compiled = {}
    return env


class DocxRenderer:
    def __init__(self, search: SearchPath, name: str = TEMPLATES["docx"]):
        found = resolve(name, search)
        if found is None:
            raise DocxTemplateError(f"template {name} not found")
        self.path: Path = found.path
        from ..paths import read_regular

        try:
            self.data = read_regular(self.path, TEMPLATE_BYTES)
        except OSError as exc:
            raise DocxTemplateError(f"{self.path}: {exc.strerror}") from None
        self.env = _environment()

    def render(self, view: dict) -> bytes:
        """The finished .docx for one view, as bytes (the caller writes it atomically)."""
        import zipfile

        from docxtpl import DocxTemplate
        from jinja2 import TemplateError

        try:
            template = DocxTemplate(io.BytesIO(self.data))
            template.render({"doc": view}, jinja_env=self.env, autoescape=True)
            keep_together(template.docx)
            props = template.docx.core_properties
            props.title = f"{view['kind_title']} {view['title']}"[:250]
            props.language = "ru-RU"
            out = io.BytesIO()
            template.save(out)
        except TemplateError as exc:
            line = getattr(exc, "lineno", None)
            context = " ".join(s.strip() for s in (getattr(exc, "docx_context", None) or []) if s.strip())
            where = f" near «{context[:120]}»" if context else (f" (line {line})" if line else "")
            raise DocxTemplateError(f"{self.path}: {exc}{where}") from None
        except (zipfile.BadZipFile, KeyError, ValueError) as exc:
            raise DocxTemplateError(f"{self.path}: not a usable .docx template ({exc})") from None
        return out.getvalue()


def dump_docx(source) -> str:
    """A text dump of a .docx for golden files and review: each paragraph with its style, tables cell by cell.

    Tabs print as «⇥», line breaks inside a paragraph as «↵», non-breaking spaces as «⍽»; «+keep» after the style
    marks a paragraph kept with the next one by `keep_together`. The page header (page numbers) is listed last.
    """
    from docx import Document
    from docx.oxml.ns import qn
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    doc = Document(source)

    def text(p: Paragraph) -> str:
        return p.text.replace("\t", "⇥").replace("\n", "↵").replace("\u00a0", "⍽")

    def style(p: Paragraph) -> str:
        return p.style.name + (" +keep" if p.paragraph_format.keep_with_next else "")

    lines: list[str] = []
    for child in doc.element.body.iterchildren():
        if child.tag == qn("w:p"):
            p = Paragraph(child, doc)
            lines.append(f"[{style(p)}] {text(p)}".rstrip())
        elif child.tag == qn("w:tbl"):
            table = Table(child, doc)
            for row in table.rows:
                cells = []
                for cell in row.cells:
                    cells.append(" / ".join(f"[{style(p)}] {text(p)}".rstrip() for p in cell.paragraphs))
                lines.append("| " + " | ".join(cells) + " |")
    for section in doc.sections:
        fields = [instr.text.strip() for instr in section.header._element.iter(qn("w:instrText"))]
        first = section.different_first_page_header_footer
        lines.append(f"(header: fields {', '.join(fields) or 'none'}; first page {'without' if first else 'with'} header)")
    return "\n".join(lines) + "\n"
