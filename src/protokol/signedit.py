"""The text edit that writes the top-level `signed:` record and appends to `amendments:` (protokol sign): cut at the
strict reader's node extents, as every edit of a protocol's text is (editing.py), every other byte kept."""

from __future__ import annotations

from . import model as m
from .editing import LINE_BREAK, content_end, is_flow, read_tree, start_of, stop_of
from .i18n import _
from .yamlio import Mapping, Node, Scalar, Sequence


class SigningEditError(ValueError):
    """The file's layout does not allow a safe text edit (the caller reports it; nothing is written)."""


def write_signing(text: str, signing: m.Signing, amendment: m.Amendment | None = None) -> str:
    """`text` with its top-level `signed:` block set to `signing` (replaced in place, or appended at the end) and,
    when given, `amendment` appended to the `amendments:` list. Every other byte of the file is kept."""
    from .dump import dump_data, to_data

    root, _problems, _why = read_tree(text)
    if not isinstance(root, Mapping):
        raise SigningEditError(_("the file is not a YAML mapping"))
    newline = "\r\n" if "\r\n" in text else "\n"
    if text and text[-1] not in "\r\n":
        text += newline

    def render(data) -> str:
        return "".join(line + newline for line in dump_data(data).splitlines())

    signed = _top_block(text, root, "signed")
    new_signed = render({"signed": to_data(signing)})
    edits: list[tuple[int, int, str]] = []
    if amendment is not None:
        entry = to_data(amendment)
        found = _top_block(text, root, "amendments")
        if found is None:
            new_signed += render({"amendments": [entry]})  # right after `signed:`, where the format puts it
        else:
            edits.append(_amendment_edit(root.items["amendments"][1], found, render([entry]), render({"amendments": [entry]})))
    # `signed:` is replaced where it is or added at the end; listed first, so that an amendment added at the very
    # end too (the edits are made from the end, equal places in this order) lands before it
    edits.insert(0, (*signed, new_signed) if signed is not None else (len(text), len(text), new_signed))
    for start, end, replacement in sorted(edits, key=lambda e: e[0], reverse=True):
        text = text[:start] + replacement + text[end:]
    return text


def _top_block(text: str, root: Mapping, key: str) -> tuple[int, int] | None:
    """[start, end) of a top-level key's lines: from the key to the end of the line where its value stops (the
    comments and blank lines after it are not part of it)."""
    if key not in root.items:
        return None
    key_node, value = root.items[key]
    if key_node.col != 1:
        raise SigningEditError(_("the key {key} does not start at the left margin").format(key=key))
    stop = content_end(text, start_of(key_node), max(stop_of(key_node), stop_of(value)))
    found = LINE_BREAK.search(text, stop)
    return start_of(key_node), found.end() if found else len(text)


def _amendment_edit(value: Node, block: tuple[int, int], item: str, whole: str) -> tuple[int, int, str]:
    """The edit that adds the rendered list `item` (one entry) to the `amendments:` block at `block`, or replaces the
    block with `whole` when the list is empty."""
    if isinstance(value, Sequence) and not is_flow(value):
        indent = " " * (value.col - 1)  # the column of the existing items' dashes
        lines = item.splitlines(keepends=True)
        return block[1], block[1], "".join(indent + line if line.strip() else line for line in lines)
    if (isinstance(value, Scalar) and value.value is None) or (isinstance(value, Sequence) and not value.items):
        return block[0], block[1], whole  # `amendments:` or `amendments: []`
    raise SigningEditError(_("the amendments list is written in flow style ([…]); write it as a block list"))
