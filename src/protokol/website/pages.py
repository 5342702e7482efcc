"""The pages of the site rendered through the templates in templates/site/ (an archive's templates/site/ overrides
them one by one, as for documents: render/templates.py). HTML is autoescaped; a protocol's text is the Markdown
`protokol render --format md` makes (the one view, render/markdown.py), turned into HTML by cmark (cmarkgfm: the
CommonMark reference implementation in C, twenty times faster than a pure-Python parser on a protocol; raw HTML is
omitted, and the Markdown escapes `<` anyway), so nothing a secretary types becomes markup."""

from __future__ import annotations

import re
from datetime import date
from urllib.parse import quote

from ..render.templates import SearchPath, jinja_loader, resolve
from ..rudates import format_date

SITE = "site/"
TEMPLATES = ("base.html.j2", "index.html.j2", "protocol.html.j2", "due.html.j2", "person.html.j2",
             "search.html.j2", "reports.html.j2")
ASSETS = ("style.css", "site.js")  # copied as they are, from the same search path


def _date(d: date | None, style: str = "numeric") -> str:
    return format_date(d, style) if d is not None else "—"


_SAFE = re.compile(r"[A-Za-z0-9._/-]*")


def href(path: str) -> str:
    """A path inside the site as a relative URL (percent-encoded where needed: ids and slugs are safe already, a
    protocol id with a space or a Cyrillic letter still links)."""
    path = str(path)
    return path if _SAFE.fullmatch(path) else "/".join(quote(part) for part in path.split("/"))


class Pages:
    """The jinja environment of the site, loaded once per build."""

    def __init__(self, search: SearchPath, common: dict):
        from jinja2 import Environment, StrictUndefined

        self.search = search
        self.env = Environment(loader=jinja_loader(search), autoescape=True, trim_blocks=True, lstrip_blocks=True,
                               undefined=StrictUndefined)
        self.env.filters.update(date=_date, href=href)
        self.env.globals.update(common)

    def page(self, name: str, depth: int, **context) -> bytes:
        """A page from templates/site/NAME at `depth` folders below the site's root (links are relative)."""
        template = self.env.get_template(SITE + name)
        return template.render(root="../" * depth, **context).encode("utf-8")

    def asset(self, name: str) -> bytes:
        found = resolve(SITE + name, self.search)
        if found is None:
            raise FileNotFoundError(SITE + name)
        return found.path.read_bytes()

    @staticmethod
    def protocol_html(markdown: str) -> str:
        """The Markdown of a protocol as HTML: CommonMark, raw HTML left out (cmark's safe default)."""
        from cmarkgfm import markdown_to_html

        return markdown_to_html(markdown)

    def fingerprint(self) -> bytes:
        """The bytes of every template and asset the site uses, wherever each resolves from: a change makes every
        page anew."""
        parts = []
        for name in (*TEMPLATES, *ASSETS):
            found = resolve(SITE + name, self.search)
            parts.append(found.path.read_bytes() if found else b"")
        return b"\0".join(parts)
