"""The schema's quick path against its careful one.

load.py builds a clean file with quick(), and any other file with convert(), which names problems. The two must
agree exactly: quick() gives up (Unclean) where convert() finds any problem, and elsewhere makes the same records,
positions and keys included. Otherwise a protocol would read differently depending on whether
some other key of it had a problem.
"""

from __future__ import annotations

import dataclasses

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import DATA, REPO
from protokol import schema, yamlio
from protokol import spec as types
from protokol.load import protocol_from_text
from protokol.problems import Collector


def deep(value):
    """A record as plain values with every field, those left out of equality (positions) too."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return (type(value).__name__, {f.name: deep(getattr(value, f.name)) for f in dataclasses.fields(value)})
    if isinstance(value, tuple):
        return tuple(deep(v) for v in value)
    if isinstance(value, dict):
        return {k: deep(v) for k, v in value.items()}
    if isinstance(value, (set, frozenset)):
        return sorted(value)
    return value


def assert_agree(spec: types.T, node) -> None:
    out = Collector("f.yaml")
    converted = spec.convert(node, out)
    assert spec.valid(node) == (not out.problems), "valid() and convert() disagree"
    try:
        quick = spec.quick(node)
    except types.Unclean:
        assert out.problems, "quick() gave up on a node convert() takes without a problem"
        return
    assert not out.problems, f"quick() took a node with problems: {[p.code for p in out.problems]}"
    assert deep(quick) == deep(converted)


def repository_texts():
    files = sorted((REPO / "protocols").rglob("*.yaml")) + sorted(DATA.rglob("*.yaml"))
    out = []
    for f in files:
        text = yamlio.decode(f.read_bytes(), Collector(str(f)))
        if text and text.strip():
            out.append(pytest.param(f, text, id=str(f.relative_to(REPO))))
    return out


@pytest.mark.parametrize(("path", "text"), repository_texts())
def test_every_file_of_the_repository(path, text):
    out = Collector(str(path))
    tree = yamlio.parse(text, out)
    if isinstance(tree, yamlio.Mapping) and not out.problems:
        assert_agree(schema.PROTOCOL, tree)


def test_a_clean_protocol_loads_the_same_by_either_path(monkeypatch):
    text = (REPO / "protocols" / "2024" / "2024-01-09-1.yaml").read_text()
    quick, problems = protocol_from_text(text, "protocols/2024/2024-01-09-1.yaml")
    assert quick is not None and problems == []
    def unclean(self, node):
        raise types.Unclean

    monkeypatch.setattr(types.Record, "quick", unclean)  # force the careful path
    careful, _ = protocol_from_text(text, "protocols/2024/2024-01-09-1.yaml")
    assert deep(quick) == deep(careful)
    keys = [d.key for item in quick.agenda for d in item.decided]
    assert keys and all(keys) and keys == [d.key for item in careful.agenda for d in item.decided]


# Random records: every key of the record (and a stranger), each with a value of some kind, right or wrong for it.
VALUES = ["текст", "~", "", "'в кавычках'", "2024-01-31", "2024-02-30", "31.01.2024", "15", "-3", "[]", "{}",
          "[Иванова И.И., Петров П.П.]", "Иванова И.И., отдел образования.", "[[a]]", "{name: Иванова И.И.}",
          "{name: Иванова И.И., position: директор, gender: f}", "{group: Директора, members: [Петров П.П.], count: 5}",
          "done", "open", "cancelled", "final", "draft", "extract", "{status: done, date: 2024-01-02}",
          "{status: wrong}", "{extensions: [{to: 2024-03-01, reason: просьба}], closed: [2024-01-05]}",
          "[{decision: 2024-01-01-1/1.1, action: done}]", "[{decision: bad id, action: done}]",
          "[{text: подпункт, deadline: постоянно}]", "[{who: Петров П.П., text: сказал}]", "{for: 5, against: 0}",
          "[{title: Цель, text: цель}]", "[{role: Председатель, name: Н.В. Шадеркова}]"]
RECORDS = [schema.PERSON, schema.GROUP, schema.PARTICIPANTS, schema.STATEMENT, schema.VOTES, schema.EXTENSION,
           schema.CLOSING, schema.CONTROL, schema.REFERENCE, schema.DECISION, schema.AGENDA_ITEM, schema.SIGNATURE,
           schema.CERTIFICATION, schema.SIGNING]


@st.composite
def record_texts(draw):
    spec = draw(st.sampled_from(RECORDS))
    keys = draw(st.lists(st.sampled_from([*spec.fields, "stranger"]), unique=True, max_size=len(spec.fields) + 1))
    lines = [f"{key}: {draw(st.sampled_from(VALUES))}" for key in keys]
    return spec, "\n".join(lines) + "\n" if lines else draw(st.sampled_from(VALUES)) + "\n"


@settings(max_examples=400, deadline=None)
@given(record_texts())
def test_random_records(case):
    spec, text = case
    out = Collector("f.yaml")
    node = yamlio.parse(text, out)
    if node is not None and not out.problems:
        assert_agree(spec, node)


@pytest.mark.parametrize(("path", "text"), repository_texts())
def test_the_lean_reading_indexes_every_file_as_the_full_one(path, text):
    """`due` reads clean files with LEAN_PROTOCOL (the lists of participants, speeches, signatures checked but not
    built): the decisions, their keys, the protocol's fields `export` lists and the problems must be exactly those of
    the full reading."""
    from protokol.index import index_protocol
    from protokol.load import _protocol_from_bytes
    from protokol.status import about_protocol

    shown = str(path.relative_to(REPO))
    full, full_problems = protocol_from_text(text, shown)
    lean, lean_problems = _protocol_from_bytes(text.encode("utf-8"), path, Collector(shown), lean=True)
    assert [(p.code, p.line, p.col) for p in lean_problems] == [(p.code, p.line, p.col) for p in full_problems]
    assert (lean is None) == (full is None)
    if full is not None:
        assert deep(index_protocol(lean)[1]) == deep(index_protocol(full)[1])
        assert deep(index_protocol(lean)[0]) == deep(index_protocol(full)[0])
        assert about_protocol(lean) == about_protocol(full)  # what `export` lists of the protocol
