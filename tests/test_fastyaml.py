"""The C fast path of the strict reader (_fastyaml.c) against the Python builder it stands in for.

The builder is the reference: for every text the fast path must give an equal tree (same values, positions, styles,
key order), or None so that the builder reads the file and reports its problem. A difference here would make `due`
and `check` see a file differently from the way `protokol` described it before the fast path existed.
"""

from __future__ import annotations

import gc
import os
import shutil
import subprocess
import sys
import tracemalloc
from typing import NamedTuple

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import DATA, REPO, git_env
from protokol import yamlio
from protokol.problems import Collector

try:
    from protokol import _fastyaml
except ImportError:
    _fastyaml = None

fast_read = yamlio._fast_read
SWITCHED_OFF = os.environ.get(yamlio.NO_FASTYAML, "") not in ("", "0")
needs_fast_path = pytest.mark.skipif(fast_read is None, reason=f"the C fast path is off: {yamlio.FAST_PATH_OFF}")

WITHOUT_IT = (
    "`make test` and CI (.ci/run) expect protokol's C fast path built: that takes a C compiler and libyaml's headers "
    "(Debian: apt-get install gcc libyaml-dev), then `make clean test` (or .venv/bin/pip install -e . again). "
    f"Without them, run the tests with the fast path switched off: `{yamlio.NO_FASTYAML}=1 make test` "
    "(every file is then read by the Python builder, the same results, slower; this file's tests are skipped).")


def test_the_extension_is_built():
    if SWITCHED_OFF:
        pytest.skip(f"{yamlio.NO_FASTYAML} is set: the tests run without the C fast path")
    assert fast_read is not None, f"the C fast path is off: {yamlio.FAST_PATH_OFF}.\n{WITHOUT_IT}"


def reference(text: str):
    """The tree and problems as the Python builder makes them."""
    out = Collector("f.yaml")
    try:
        tree = yamlio._Builder(text, out).build()
    except (yamlio._Fatal, yaml.YAMLError):
        tree = None
    return tree, out.problems


def shape(node):
    """A node as plain, comparable values: every attribute the rest of protokol reads."""
    if isinstance(node, yamlio.Scalar):
        return ("scalar", node.value, node.line, node.col, node.pos, type(node.pos).__name__, node.quoted, node.style)
    if isinstance(node, yamlio.Mapping):
        return ("mapping", node.line, node.col, node.pos, type(node.pos).__name__,
                [(key, shape(k), shape(v)) for key, (k, v) in node.items.items()])
    if isinstance(node, yamlio.Sequence):
        return ("sequence", node.line, node.col, node.pos, type(node.pos).__name__, [shape(item) for item in node.items])
    return node


def assert_same(text: str, accepted: bool = True) -> None:
    """The fast path agrees with the builder: an equal tree for a clean text, None for one with problems.

    Declining a clean text is never wrong (the builder then reads it), only slower: `accepted` says whether the
    fast path must take this one."""
    tree, problems = reference(text)
    fast = fast_read(text)
    assert shape(fast_read(text.encode("utf-8"))) == shape(fast)  # the same text handed over as its UTF-8 bytes
    if tree is None or problems:
        assert fast is None, f"the fast path accepted a text the builder refuses: {problems}"
    elif fast is not None or accepted:
        assert fast is not None, "the fast path refused a clean text"
        assert shape(fast) == shape(tree)


def yaml_texts():
    """Every YAML file of the repository that decodes as text (the encoding reproducers do not)."""
    files = sorted((REPO / "protocols").rglob("*.yaml")) + sorted(DATA.rglob("*.yaml")) + sorted(DATA.rglob("*.yml"))
    texts = [(f, yamlio.decode(f.read_bytes(), Collector(str(f)))) for f in files]
    return [pytest.param(text, id=str(f.relative_to(REPO))) for f, text in texts if text and text.strip()]


@needs_fast_path
@pytest.mark.parametrize("text", yaml_texts())
def test_every_file_of_the_repository_reads_the_same(text):
    assert_same(text)


BYTES = {  # what only bytes can hold: parse_bytes must say the same of them whether it keeps the text or not
    "bom": "\ufeffa: x\nb: [1, 2]\n".encode(),
    "utf-16": "a: x\n".encode("utf-16"),
    "cp1251": "организация: Школа\nдата: 2024-01-01\n".encode("cp1251"),
    "invalid byte": b"a: x\xffy\n",
    "truncated sequence": "a: ж".encode()[:-1] + b"\n",
    "surrogate": b"a: \xed\xa0\x80\n",
    "overlong": b"a: \xc0\xaf\n",
    "line separator": "a: x\u2028y\nb: z\n".encode(),
    "next line": "a: x\x85y\n".encode(),
    "nul": b"a: x\x00\n",
}


def _read_both_ways(data: bytes):
    found = []
    for keep in (True, False):
        out = Collector("f.yaml")
        tree, _text = yamlio.parse_bytes(data, out, keep_text=keep)
        found.append((shape(tree), out.problems))
    return found


@pytest.mark.parametrize("data", [*(pytest.param(data, id=name) for name, data in BYTES.items()),
                                  *(pytest.param(f.read_bytes(), id=str(f.relative_to(REPO)))
                                    for f in sorted((REPO / "protocols").rglob("*.yaml")) + sorted(DATA.rglob("*.yaml")))])
def test_bytes_read_without_the_text_read_the_same(data):
    kept, without = _read_both_ways(data)
    assert without == kept


CLEAN = {
    "plain and quoted": "a: text\nb: 'single'\nc: \"double \\u0436 \\n\"\nd: \"\"\n",
    "nulls": "a:\nb: ~\nc: null\nd: Null\ne: NULL\nf: 'null'\ng: \"~\"\n",
    "yaml 1.1 looks": "time: 10:30\nflag: no\nn: 010\nday: 2024-02-30\n",
    "block scalars": "a: |\n  one\n  two\n\nb: >-\n  folded\n  text\nc: |+\n  keep\n\nd: x\n",
    "multi-line plain": "a: first line\n  second line\n\n  new paragraph\nb: x\n",
    "flow": "a: {name: Иванова И.И., position: директор}\nb: [1, 2, [3, {c: d}]]\nc: []\nd: {}\n",
    "comments": "# head\na: x  # tail\n# between\nb:\n  - y # item\n",
    "sequences": "- a\n- - b\n  - c\n- k: v\n  l: w\n-\n",
    "explicit document": "%YAML 1.1\n---\na: b\n...\n",
    "quoted keys": "'a b': 1\n\"c\": 2\n? d\n: 3\n",
    "unicode": "организация: «Школа № 5» — “тест” ё\nemoji: 😀\n",
    "crlf": "a: x\r\nb:\r\n  - y\r\n",
    "scalar root": "just text\n",
    "deep but allowed": "[" * yamlio.MAX_DEPTH + "]" * yamlio.MAX_DEPTH + "\n",
    # keys of one length, first and last letter share a slot of the C reader's kept keys: each must stay itself
    "keys sharing a slot": "- {text: 1, tent: 2, test: 3}\n- {test: 4, text: 5, 'tent': 6}\n- {текст: 7, text: 8}\n",
    "long and null-like keys": "- {" + "k" * 40 + ": 1, nullx: 3, ~x: 4, Nul: 5}\n- {" + "k" * 40 + ": 5}\n",
}

REFUSED = {
    "duplicate key": "a: 1\nb: 2\na: 3\n",
    "duplicate in flow": "x: {a: 1, a: 2}\n",
    "duplicate of a kept key": "- {text: 1}\n- {tent: 1, text: 2, text: 3}\n",
    "anchor": "a: &x 1\nb: 2\n",
    "alias": "a: &x 1\nb: *x\n",
    "tag": "a: !!int 1\n",
    "tag on mapping": "a: !thing {b: c}\n",
    "null key": "~: 1\n",
    "empty key": ": 1\n",
    "mapping key": "? {a: b}\n: c\n",
    "sequence key": "? [a]\n: c\n",
    "two documents": "a: 1\n---\nb: 2\n",
    "syntax error": "a: [1, 2\nb: 3\n",
    "bad indentation": "a:\n  b: 1\n c: 2\n",
    "tab": "a:\n\tb: 1\n",
    "control character": "a: x\x07y\n",
    "too deep": "[" * (yamlio.MAX_DEPTH + 1) + "]" * (yamlio.MAX_DEPTH + 1) + "\n",
    "unclosed quote": "a: 'open\n",
}


@needs_fast_path
@pytest.mark.parametrize("text", CLEAN.values(), ids=CLEAN.keys())
def test_clean_texts_read_the_same(text):
    assert fast_read(text) is not None
    assert_same(text)


@needs_fast_path
@pytest.mark.parametrize("text", REFUSED.values(), ids=REFUSED.keys())
def test_texts_with_problems_go_to_the_builder(text):
    assert fast_read(text) is None
    assert_same(text)


@needs_fast_path
def test_tagged_text_is_left_to_the_builder():
    """`!!str` is allowed in a protocol, but rare: the fast path leaves every tag to the builder."""
    assert fast_read("a: !!str 1\n") is None
    assert shape(yamlio.parse("a: !!str 1\n", Collector("f.yaml")).get("a")) == ("scalar", "1", 1, 4, (1, 4), "Pos", True, "")


def test_parse_reports_the_builders_problem_when_the_fast_path_declines():
    out = Collector("f.yaml")
    yamlio.parse("a: 1\nb: 2\na: 3\n", out)
    assert [(p.code, p.line, p.col) for p in out.problems] == [("yaml-duplicate-key", 3, 1)]



@needs_fast_path
def test_reading_keeps_nothing_alive():
    """A reference the C code forgets to release, on the way to a tree or on the way out of one it gives up, keeps an
    object alive for ever: after reading every text above thousands of times, the memory in use has not grown."""
    texts = [*CLEAN.values(), *REFUSED.values()]

    def read_all(times: int) -> int:
        for _ in range(times):
            for text in texts:
                fast_read(text)
        gc.collect()
        return tracemalloc.get_traced_memory()[0]

    tracemalloc.start()
    try:
        before = read_all(5)  # after the first reads: interned strings, free lists and caches filled
        grown = read_all(200) - before
    finally:
        tracemalloc.stop()
    assert grown < 200 * len(texts), f"{grown} bytes more after {200 * len(texts)} reads"

# Random documents in every style the emitter can write: the two readers must agree on all of them.
words = st.text(alphabet=st.sampled_from("abcяжё 0:-#'\"\\\n\t,[]{}&*!|>%@`~ё«»№."), max_size=12)
values = st.recursive(
    words | st.sampled_from(["", "~", "null", "NULL", "yes", "10:30", "2024-01-01"]),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(words, inner, max_size=4),
    max_leaves=20,
)


@needs_fast_path
@settings(max_examples=300, deadline=None)
@given(values, st.booleans(), st.sampled_from([None, "'", '"', "|", ">"]), st.integers(min_value=2, max_value=6))
def test_random_documents_read_the_same(value, flow, style, indent):
    text = yaml.safe_dump(value, allow_unicode=True, default_flow_style=flow, default_style=style, indent=indent,
                          width=40)
    assert_same(text)


# The layout check: _fastyaml writes fields at the slot offsets of yamlio's classes, so setup() must refuse any class
# laid out otherwise. The real classes stay as they are; each case hands setup() another class in place of one.
class ScalarWithEnd(yamlio.Scalar):
    __slots__ = ("end",)  # a slot the C code would leave empty


class ScalarWithDict(yamlio.Scalar):
    pass  # no __slots__: instances get a __dict__


class ValueAsProperty(yamlio.Scalar):
    __slots__ = ()
    value = property(lambda self: "x")


class ScalarWithoutStyle:
    __slots__ = ("line", "col", "pos", "value", "quoted")


class PosColLine(NamedTuple):
    col: int
    line: int


class PosWithEnd(NamedTuple):
    line: int
    col: int
    end: int


class PosWithDict(tuple):
    _fields = ("line", "col")  # the right fields, but instances get a __dict__


LAYOUTS = {  # the classes handed to setup(), and what its refusal names
    "an extra slot": ((ScalarWithEnd, yamlio.Mapping, yamlio.Sequence, yamlio.Pos), "slot 'end'"),
    "a __dict__": ((ScalarWithDict, yamlio.Mapping, yamlio.Sequence, yamlio.Pos), "__slots__"),
    "a property for a slot": ((ValueAsProperty, yamlio.Mapping, yamlio.Sequence, yamlio.Pos), "value is not a __slots__"),
    "a missing slot": ((ScalarWithoutStyle, yamlio.Mapping, yamlio.Sequence, yamlio.Pos), "no attribute 'style'"),
    "a mapping for a scalar": ((yamlio.Mapping, yamlio.Mapping, yamlio.Sequence, yamlio.Pos), "no attribute 'value'"),
    "a scalar for a sequence": ((yamlio.Scalar, yamlio.Mapping, yamlio.Scalar, yamlio.Pos), "no attribute 'items'"),
    "Pos fields in another order": ((yamlio.Scalar, yamlio.Mapping, yamlio.Sequence, PosColLine), "_fields"),
    "Pos with a third field": ((yamlio.Scalar, yamlio.Mapping, yamlio.Sequence, PosWithEnd), "_fields"),
    "Pos with a __dict__": ((yamlio.Scalar, yamlio.Mapping, yamlio.Sequence, PosWithDict), "NamedTuple"),
    "Pos not a tuple": ((yamlio.Scalar, yamlio.Mapping, yamlio.Sequence, yamlio.Scalar), "NamedTuple"),
}


@needs_fast_path
@pytest.mark.parametrize(("classes", "named"), LAYOUTS.values(), ids=LAYOUTS.keys())
def test_setup_refuses_a_class_of_another_layout(classes, named):
    with pytest.raises(TypeError, match=named):
        _fastyaml.setup(*classes, yamlio.NULLS, yamlio.MAX_DEPTH, yamlio.FAST_PATH_LEAVES_EMPTY)
    # nothing was kept: the fast path still builds yamlio's own classes
    tree = fast_read("a: [b]\n")
    assert type(tree) is yamlio.Mapping and type(tree.get("a").items[0]) is yamlio.Scalar
    assert type(tree.get("a").items[0].pos) is yamlio.Pos


class ScalarWithExtent(yamlio.Scalar):
    __slots__ = ("_extent",)  # named in yamlio.FAST_PATH_LEAVES_EMPTY


@needs_fast_path
def test_setup_accepts_a_slot_it_is_told_to_leave_empty():
    try:
        _fastyaml.setup(ScalarWithExtent, yamlio.Mapping, yamlio.Sequence, yamlio.Pos, yamlio.NULLS,
                        yamlio.MAX_DEPTH, frozenset({"_extent"}))
        scalar = fast_read("a: b\n").get("a")
        assert type(scalar) is ScalarWithExtent and scalar.value == "b"
        assert not hasattr(scalar, "_extent")
    finally:
        _fastyaml.setup(yamlio.Scalar, yamlio.Mapping, yamlio.Sequence, yamlio.Pos, yamlio.NULLS, yamlio.MAX_DEPTH,
                        yamlio.FAST_PATH_LEAVES_EMPTY)
    with pytest.raises(TypeError, match="slot '_extent'"):  # unless told, it is a slot it would leave empty
        _fastyaml.setup(ScalarWithExtent, yamlio.Mapping, yamlio.Sequence, yamlio.Pos, yamlio.NULLS, yamlio.MAX_DEPTH)


@needs_fast_path
def test_yamlio_falls_back_to_the_builder_when_the_layout_differs():
    read, why = yamlio.start_fast_path(scalar=ScalarWithEnd)
    assert read is None
    assert "ScalarWithEnd has a slot 'end' that protokol._fastyaml does not fill" in why


@needs_fast_path
def test_setup_accepts_yamlios_own_classes():
    assert yamlio.start_fast_path() == (_fastyaml.read, "")


def test_the_switch_turns_the_fast_path_off_for_one_process(tmp_path):
    """PROTOKOL_NO_FASTYAML=1: the process reads with the builder and `due` prints exactly what it prints with it."""
    probe = "from protokol import yamlio; print(repr(yamlio._fast_read), yamlio.FAST_PATH_OFF)"
    env = git_env(tmp_path)
    off = subprocess.run([sys.executable, "-c", probe], env={**env, yamlio.NO_FASTYAML: "1"}, capture_output=True,
                         text=True, check=True)
    assert off.stdout.strip() == f"None switched off by {yamlio.NO_FASTYAML}=1"
    shutil.copytree(REPO / "protocols", tmp_path / "protocols")
    due = [sys.executable, "-m", "protokol", "due", "--before", "2024-07-01", "--today", "2024-06-01", "--no-cache"]
    printed = [subprocess.run(due, cwd=tmp_path, env=e, capture_output=True, text=True)
               for e in (env, {**env, yamlio.NO_FASTYAML: "1"}, {**env, yamlio.NO_FASTYAML: "0"})]
    assert [p.returncode for p in printed] == [0, 0, 0], printed[0].stderr
    assert printed[0].stdout == printed[1].stdout == printed[2].stdout
    assert "2024" in printed[0].stdout
