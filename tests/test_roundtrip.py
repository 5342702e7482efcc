"""Property: any protocol the model can hold, written as YAML and read back, is the same protocol."""

from __future__ import annotations

import string
from datetime import date

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from protokol import model as m
from protokol.dump import dump_protocol
from protokol.load import load_protocol
from protokol.schema import with_identity

# Text as secretaries type it: Cyrillic, Latin, digits, punctuation, YAML-significant characters, inner newlines.
ALPHABET = "абвгдеёжзийклмнопрстуфхцчшщъыьэюяАБВГДЕЁЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯ" + string.ascii_letters + string.digits + " .,;:-–—«»\"'#&*!?%@/()[]{}|>№"
text = st.text(alphabet=ALPHABET, min_size=1, max_size=40).filter(lambda s: s.strip() == s and s)
multiline = st.lists(text, min_size=1, max_size=4).map("\n".join)
some_text = st.one_of(text, multiline)
maybe = lambda s: st.one_of(st.none(), s)  # noqa: E731
days = st.dates(min_value=date(2000, 1, 1), max_value=date(2099, 12, 31))

persons = st.builds(m.Person, name=text, position=maybe(text), gender=maybe(st.sampled_from(["m", "f"])), note=maybe(text))
groups = st.builds(m.Group, group=text, members=st.lists(persons, max_size=2).map(tuple),
                   count=maybe(st.integers(0, 500)), note=maybe(text))
attendees = st.lists(st.one_of(persons, groups), max_size=3).map(tuple)
control = st.builds(m.Control, status=st.sampled_from(["open", "done", "cancelled"]), date=maybe(days), report=maybe(some_text),
                    extensions=st.lists(st.builds(m.Extension, to=days, reason=maybe(text), on=maybe(days)), max_size=2).map(tuple),
                    closed=st.lists(days, max_size=2).map(tuple),
                    history=st.lists(st.builds(m.Closing, status=st.sampled_from(["done", "cancelled"]), date=maybe(days),
                                               reason=maybe(some_text), report=maybe(some_text), reopened=maybe(days)),
                                     max_size=2).map(tuple))
leaf = st.builds(m.Decision, text=some_text, number=maybe(st.from_regex(r"[1-9](\.[1-9]){0,2}", fullmatch=True)),
                 deadline=maybe(text), due=maybe(days), responsible=maybe(st.lists(text, max_size=3).map(tuple)),
                 note=maybe(text), control=maybe(control),
                 acts_on=st.lists(st.builds(m.Reference, decision=st.from_regex(r"2024-0[1-9]-1[0-9]-[1-9]/[1-9](\.[1-9])?", fullmatch=True),
                                            action=st.sampled_from(["done", "cancel", "extend", "reopen"]), to=maybe(days)),
                                  max_size=1).map(tuple))
decisions = st.recursive(leaf, lambda children: st.builds(m.Decision, text=some_text, items=st.lists(children, min_size=1, max_size=3).map(tuple),
                                                         deadline=maybe(text), responsible=maybe(st.lists(text, max_size=2).map(tuple))),
                         max_leaves=6)
statements = st.builds(m.Statement, who=st.lists(persons, min_size=1, max_size=2).map(tuple), role=maybe(text), text=maybe(some_text))
items = st.builds(m.AgendaItem, title=maybe(text), number=maybe(st.from_regex(r"[1-9][0-9]?", fullmatch=True)), heading=maybe(text),
                  speakers=st.lists(persons, max_size=2).map(tuple), heard=st.lists(statements, max_size=2).map(tuple),
                  spoke=st.lists(statements, max_size=2).map(tuple), discussed=maybe(some_text), decided_intro=maybe(text),
                  decided=st.lists(decisions, max_size=3).map(tuple),
                  votes=maybe(st.builds(m.Votes, for_=maybe(st.integers(0, 99)), against=maybe(st.integers(0, 99)),
                                        abstained=maybe(st.integers(0, 99)), text=maybe(text))))
sections = st.lists(st.builds(m.Section, title=text, text=maybe(some_text)), max_size=2).map(tuple)
participants = st.builds(m.Participants, chair=maybe(persons), secretary=maybe(persons), present=attendees, invited=attendees,
                         absent=attendees)
signings = st.builds(m.Signing, by=text, date=days, sha256=st.from_regex(r"[0-9a-f]{64}", fullmatch=True))
protocols = st.builds(
    m.Protocol, id=st.just("x"), date=days, title=text, kind=st.sampled_from(["protocol", "extract"]),
    organization=maybe(some_text), number=maybe(text), time=maybe(text), place=maybe(text), venue=maybe(text),
    format=maybe(text), link=maybe(text), status=st.sampled_from(["draft", "final"]), participants=participants,
    sections=sections, agenda=st.lists(items, max_size=3).map(tuple),
    signatures=st.lists(st.builds(m.Signature, role=text, name=maybe(text)), max_size=2).map(tuple),
    certification=maybe(st.builds(m.Certification, name=text, position=maybe(text), label=text, date=maybe(days))),
    appendix=sections,
    signed=maybe(signings),
    amendments=st.lists(st.builds(m.Amendment, date=days, by=text, reason=some_text, previous=maybe(signings),
                                  fields=st.lists(text, max_size=2).map(tuple)), max_size=2).map(tuple),
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(protocols)
def test_written_and_read_back_is_equal(tmp_path, protocol):
    original = with_identity(protocol, "x", "x.yaml")
    path = tmp_path / "x.yaml"
    path.write_text(dump_protocol(original), encoding="utf-8")
    loaded, problems = load_protocol(path, display="x.yaml")
    assert problems == []
    assert loaded == original
