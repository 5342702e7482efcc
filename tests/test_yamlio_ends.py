"""The strict reader's node extents (parse(..., ends=True)) against libyaml's own marks.

The text edits of editing.py cut the file at these marks, so each must be exactly where libyaml puts it: a mark one
character off writes the control marks or a signing record into the middle of a value.
"""

from __future__ import annotations

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import DATA, PROTOCOLS
from protokol import yamlio
from protokol.problems import Collector


def libyaml_marks(text: str) -> list[tuple]:
    """(start, end, flow) of every node in document order (a mapping's key before its value), from libyaml's events:
    a scalar's own marks; a collection from its start event's start mark to its end event's end mark."""
    skipped = 1 if text.startswith("\ufeff") else 0  # libyaml does not count the byte order mark in its indexes

    def mark(mk):
        return (mk.line + 1, mk.column + 1, mk.index + skipped)

    found, open_ = [], []
    for event in yaml.parse(text, Loader=yaml.CSafeLoader):
        if isinstance(event, yaml.ScalarEvent):
            found.append((mark(event.start_mark), mark(event.end_mark), False))
        elif isinstance(event, yaml.CollectionStartEvent):
            open_.append(len(found))
            found.append((mark(event.start_mark), None, bool(event.flow_style)))
        elif isinstance(event, yaml.CollectionEndEvent):
            at = open_.pop()
            found[at] = (found[at][0], mark(event.end_mark), found[at][2])
    return found


def node_marks(node) -> list[tuple]:
    extent = node.extent
    out = [(tuple(extent.start), tuple(extent.end), extent.flow)]
    if isinstance(node, yamlio.Mapping):
        for key, value in node.items.values():
            out += node_marks(key) + node_marks(value)
    elif isinstance(node, yamlio.Sequence):
        for item in node.items:
            out += node_marks(item)
    return out


def read(text: str):
    out = Collector("f.yaml")
    tree = yamlio.parse(text, out, ends=True)
    assert tree is not None and out.problems == [], out.problems
    return tree


TEXTS = {
    "block mapping and sequence": "a: x\nb:\n  - one\n  - two\nc:\n  d: e\n",
    "flow mapping and sequence": "a: {b: c, d: [e, f]}\ng: [ {h: i} , j ]\nk: []\nl: {}\n",
    "flow over lines": "a: [one,\n    two, {b: c,\n    d: e}]\nz: 1\n",
    "every scalar style": "plain: text here\nsingle: 'it''s'\ndouble: \"a \\\"b\\\" \\u0436\"\nnothing:\ntilde: ~\nempty: ''\n",
    "literal blocks": "a: |\n  one\n  two\n\n\nb: |-\n  strip\n\nc: |+\n  keep\n\n\nd: >\n  folded\n  text\ne: end\n",
    "literal at the end": "a: x\nb: |\n  last\n  lines\n",
    "no final line break": "a: x\nb: [c]\nd:\n- e",
    "comments and blank lines": "# head\na: x  # after\n\n# between\nb:\n  - c\n  # inside\n\n  - d\n# tail\n",
    "cyrillic and astral": "текст: «привет» 😀 ещё\nсписок: [ж, 'з', \"и\"]\n",
    "nested decisions": ("agenda:\n  - number: 1\n    decided:\n      - text: a\n        items:\n          - text: b\n"
                         "      - {text: c, control: {status: done}}\n"),
    "sequence under a key without indent": "a:\n- b: c\n  d: e\n- f\n",
    "multi-line plain scalar": "a: first\n  second\n  third\nb: x\n",
}


@pytest.mark.parametrize("text", [pytest.param(t, id=k) for k, t in TEXTS.items()])
@pytest.mark.parametrize("variant", ["lf", "crlf", "bom", "bom crlf"])
def test_extents_are_libyamls_marks(text: str, variant: str):
    text = ("\ufeff" if "bom" in variant else "") + (text.replace("\n", "\r\n") if "crlf" in variant else text)
    assert node_marks(read(text)) == libyaml_marks(text)


def repository_texts():
    files = sorted(PROTOCOLS.rglob("*.yaml")) + sorted(DATA.rglob("*.yaml"))
    texts = [(f, yamlio.decode(f.read_bytes(), Collector(str(f)))) for f in files]
    return [pytest.param(t, id=f.name) for f, t in texts if t and t.strip() and _clean(t)]


def _clean(text: str) -> bool:
    out = Collector("f")
    return yamlio.parse(text, out) is not None and not out.problems


@pytest.mark.parametrize("text", repository_texts())
def test_extents_of_every_clean_file_of_the_repository(text: str):
    assert node_marks(read(text)) == libyaml_marks(text)


words = st.text(alphabet=st.sampled_from("abcяжё 0:-#'\"\\\n\t,[]{}&*!|>%@`~«»№.😀"), max_size=12)
values = st.recursive(
    words | st.sampled_from(["", "~", "null", "10:30"]),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(words, inner, max_size=4),
    max_leaves=20,
)


@settings(max_examples=200, deadline=None)
@given(values, st.booleans(), st.sampled_from([None, "'", '"', "|", ">"]), st.integers(min_value=2, max_value=6),
       st.sampled_from(["", "\ufeff"]), st.sampled_from(["\n", "\r\n"]))
def test_extents_of_random_documents(value, flow, style, indent, bom, newline):
    text = bom + yaml.safe_dump(value, allow_unicode=True, default_flow_style=flow, default_style=style, indent=indent,
                                width=40).replace("\n", newline)
    out = Collector("f.yaml")
    tree = yamlio.parse(text, out, ends=True)
    if tree is not None and not out.problems:  # a key the reader refuses (not text, twice) has no node to compare
        assert node_marks(tree) == libyaml_marks(text)


def test_an_extent_spans_the_text_of_its_node():
    text = "\ufeffa: 'quoted'\r\nb: [x, {y: z}]\r\nc: |\r\n  block\r\n\r\nd: plain\r\n"
    tree = read(text)

    def span(node):
        return text[node.extent.start.index:node.extent.end.index]

    assert [span(v) for _k, v in tree.items.values()] == ["'quoted'", "[x, {y: z}]", "|\r\n  block\r\n\r\n", "plain"]
    assert span(tree.items["a"][0]) == "a"  # the index counts the byte order mark; the column does not
    assert tree.items["a"][0].extent.start == (1, 1, 1)
    assert tree.get("b").extent.flow and not tree.extent.flow
    # a block collection's end mark is libyaml's: at the next token, here the end of the text
    assert tree.end == (7, 1, len(text))


def test_ends_are_recorded_only_when_asked_for_and_change_nothing_else():
    text = (PROTOCOLS / "2024" / "2024-01-09-1.yaml").read_text(encoding="utf-8")
    plain, with_ends = yamlio.parse(text, Collector("f")), read(text)
    assert plain.extent is None and plain.end is None  # the fast path (or the plain builder) records none
    if yamlio._fast_read is not None:
        assert type(plain) is yamlio.Mapping and yamlio.fast_read(text) is not None

    def shape(node):
        if isinstance(node, yamlio.Scalar):
            return (node.value, node.pos, node.quoted, node.style)
        if isinstance(node, yamlio.Mapping):
            return (node.pos, [(k, shape(a), shape(b)) for k, (a, b) in node.items.items()])
        return (node.pos, [shape(item) for item in node.items])

    assert shape(with_ends) == shape(plain)


def test_a_file_the_reader_refuses_gives_no_tree_with_ends_either():
    out = Collector("f.yaml")
    assert yamlio.parse("a: &x 1\nb: *x\n", out, ends=True) is None
    assert [p.code for p in out.problems] == ["yaml-alias"]
