"""DOCX output through docxtpl: the view rendered into protocol.docx, a Word file a user can restyle and keep working.

Autoescape is on: without it a «<», «>» or «&» in a protocol would break the document's XML and cut text silently.
The template file is read once and its compiled Jinja code is reused for every protocol of an `--all` run.
"""

from __future__ import annotations

import io
from pathlib import Path

from .templates import TEMPLATES, SearchPath, resolve


class DocxTemplateError(Exception):
    """The DOCX template cannot be read or rendered; the message says where."""


def _environment():
    from jinja2 import Environment

    class CachingEnvironment(Environment):
        """docxtpl compiles the document XML with from_string on every render: compile each distinct source once."""

        _compiled: dict = {}

        def from_string(self, source, globals=None, template_class=None):
            key = (source, self.autoescape)
            compiled = self._compiled.get(key)
            if compiled is None:
                compiled = super().from_string(source, globals, template_class)
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
        try:
            self.data = self.path.read_bytes()
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

    Tabs print as «⇥», line breaks inside a paragraph as «↵». The page header (page numbers) is listed last.
    """
    from docx import Document
    from docx.oxml.ns import qn
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    doc = Document(source)

    def text(p: Paragraph) -> str:
        return p.text.replace("\t", "⇥").replace("\n", "↵")

    lines: list[str] = []
    for child in doc.element.body.iterchildren():
        if child.tag == qn("w:p"):
            p = Paragraph(child, doc)
            lines.append(f"[{p.style.name}] {text(p)}".rstrip())
        elif child.tag == qn("w:tbl"):
            table = Table(child, doc)
            for row in table.rows:
                cells = []
                for cell in row.cells:
                    cells.append(" / ".join(f"[{p.style.name}] {text(p)}".rstrip() for p in cell.paragraphs))
                lines.append("| " + " | ".join(cells) + " |")
    for section in doc.sections:
        fields = [instr.text.strip() for instr in section.header._element.iter(qn("w:instrText"))]
        first = section.different_first_page_header_footer
        lines.append(f"(header: fields {', '.join(fields) or 'none'}; first page {'without' if first else 'with'} header)")
    return "\n".join(lines) + "\n"
