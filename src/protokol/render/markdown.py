"""Markdown output: the view rendered through protocol.md.j2 into clean CommonMark (git web views, pull-request comments).

Every `{{ value }}` a template prints is escaped for Markdown automatically (the environment's finalize), so a
secretary's «*», «_» or «<» never turns into emphasis or HTML and a line starting «1.» never renumbers; the filters
`md_block` (paragraphs and «- » lists from multi-line text) and `md_lines` (lines joined by hard breaks) return text
that is already safe.
"""

from __future__ import annotations

import re

from .templates import TEMPLATES, SearchPath, jinja_loader


class MdSafe(str):
    """Markdown that is already escaped: finalize leaves it alone."""


_INLINE = re.compile(r"([\\`*_\[\]<~|])")
_ENTITY = re.compile(r"&(?=#?[0-9A-Za-z]+;)")
_ORDERED = re.compile(r"^(\s*\d{1,9})([.)])(?=\s|$)")
_BLOCK_START = re.compile(r"^(\s*)([#>]|[-+](?=\s|$))")
_RULE = re.compile(r"^\s*([-=_*])(\s*\1)*\s*$")
_BULLET_LINE = re.compile(r"^(\s*)[-*+]\s+(.*)$")
_CLOSING_HASHES = re.compile(r"(\s)(#+\s*)$")
_DEEP_INDENT = re.compile(r"^(?: {4,}|[ ]*\t[ \t]*)")


# What any of the escapes below looks for: a text with none of it is printed as it is (most texts: a fast path).
_SPECIAL = re.compile(r"[\\`*_\[\]<~|&#]")
_SPECIAL_START = re.compile(r"\s*[\d>+\-=]|[ ]*\t| {4}")


def md_inline(text) -> str:
    """Escape one line of text so that CommonMark prints it as written, wherever it stands on a line."""
    if text is None:
        return ""
    if isinstance(text, MdSafe):
        return text
    text = str(text).replace("\n", " ")
    if not _SPECIAL.search(text) and not _SPECIAL_START.match(text):
        return text
    text = _DEEP_INDENT.sub(" ", text)  # four spaces or a tab at a line's start would make a code block
    out = _INLINE.sub(r"\\\1", text)
    out = _ENTITY.sub(r"\\&", out)
    out = _ORDERED.sub(r"\1\\\2", out)
    out = _BLOCK_START.sub(r"\1\\\2", out)
    out = _CLOSING_HASHES.sub(r"\1\\\2", out)  # in a heading a template writes, « ##» at the end would be dropped
    if _RULE.match(text) and text.strip()[0] in "-=" and not out.lstrip().startswith("\\"):
        out = "\\" + out.lstrip()  # «---» or «===» alone would be a rule or turn the line above into a heading
    return out


def _as_lines(value) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [line.rstrip() for line in value.split("\n") if line.strip()]
    return [v if isinstance(v, MdSafe) else str(v) for v in value if v is not None and str(v).strip()]


def md_lines(value) -> MdSafe:
    """Lines kept as lines in one paragraph (CommonMark hard breaks «\\» at line ends)."""
    lines = [line if isinstance(line, MdSafe) else md_inline(str(line).strip()) for line in _as_lines(value)]
    return MdSafe("\\\n".join(lines))


def md_block(value) -> MdSafe:
    """Multi-line text as Markdown blocks: each line a paragraph, runs of «- » lines a (nested) list."""
    blocks: list[str] = []
    stack: list[int] = []  # indentation of the open list levels
    for line in _as_lines(value):
        bullet = _BULLET_LINE.match(line)
        if bullet:
            indent = len(bullet[1].expandtabs(4))
            if not stack:
                stack = [indent]
                sep = "\n\n"
            else:
                sep = "\n"
                if indent > stack[-1]:
                    stack.append(indent)
                else:
                    while len(stack) > 1 and indent < stack[-1]:
                        stack.pop()
            blocks.append(sep + "  " * (len(stack) - 1) + "- " + md_inline(bullet[2].strip()))
        else:
            stack = []
            blocks.append("\n\n" + md_inline(line.strip()))
    return MdSafe("".join(blocks).lstrip("\n"))


def md_heading(value) -> MdSafe:
    """Text for an ATX heading: inline escapes only (a number there never starts a list), and «#» escaped too: a
    heading ending in « ##» would otherwise lose it (CommonMark reads it as the heading's closing sequence)."""
    text = str(value or "").replace("\n", " ")
    return MdSafe(_ENTITY.sub(r"\\&", _INLINE.sub(r"\\\1", text)).replace("#", "\\#"))


def md_link(url, prefix: str = "") -> MdSafe:
    """An autolink «<https://…>» after an escaped prefix; text that is not a plain URL is printed escaped."""
    url = str(url or "").strip()
    if re.fullmatch(r"(https?|ftp)://[^\s<>]+", url):
        return MdSafe(md_inline(prefix) + f"<{url}>")
    return MdSafe(md_inline(prefix + url))


def _finalize(value):
    if value is None:
        return ""
    if isinstance(value, MdSafe):
        return value
    return md_inline(value)


_TRAILING_BREAK = re.compile(r"(?<!\\)((?:\\\\)*)\\\n(?=\n|\Z)")


def tidy(text: str) -> str:
    """One blank line between blocks, no trailing spaces, no hard break before a blank line, one final newline."""
    text = "\n".join(line.rstrip() for line in text.split("\n"))
    text = re.sub(r"\n{3,}", "\n\n", text).strip("\n") + "\n"
    text = _TRAILING_BREAK.sub(r"\1\n", text)
    if text.endswith("\\\n") and not text.endswith("\\\\\n"):
        text = text[:-2] + "\n"
    return text


def environment(search: SearchPath):
    from jinja2 import Environment

    env = Environment(
        loader=jinja_loader(search),
        autoescape=False,  # Markdown escaping is done by finalize, not by HTML autoescape
        finalize=_finalize,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(md=lambda v: MdSafe(md_inline(v)), markdown=lambda v: MdSafe(v), md_block=md_block, md_lines=md_lines, md_heading=md_heading,
                       md_link=md_link)
    return env


class MarkdownRenderer:
    """Loads the template once; `render(view)` is then cheap (for `--all`)."""

    def __init__(self, search: SearchPath, name: str = TEMPLATES["md"]):
        self.env = environment(search)
        self.template = self.env.get_template(name)

    def render(self, view: dict) -> str:
        return tidy(self.template.render(doc=view))
