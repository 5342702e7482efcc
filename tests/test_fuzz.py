"""Random bytes and random YAML-like text through the loader, `check` and the importers: problems, never a crash.

Derandomized (the same examples on every run, no example database), a bounded number of examples each, so that
`make test` stays a few seconds longer and CI is stable. A failure prints the smallest input that breaks.
"""

from __future__ import annotations

import io
import tempfile
import zipfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import TODAY, run_cli
from protokol.checks import check_archive, check_protocol
from protokol.load import protocol_from_text

FUZZ = settings(max_examples=80, deadline=None, derandomize=True, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

# Pieces a protocol is made of, and pieces that break one: the generator joins them into near-protocols.
TOKENS = [
    "date: 2024-05-14\n", "date: 31.02.2024\n", "title: совещания\n", "number: 1\n", "participants:\n",
    "  chair: Никитина О.В.\n", "  secretary: Фролова Т.С.\n", "  present: [Иванова И.И., Петров П.П.\n", "agenda:\n",
    "  - number: 1\n", "    title: О подготовке\n", "    decided:\n", "      - text: Представить отчет\n",
    "        deadline: до 01 июля 2024 года\n", "        deadline: когда-нибудь\n", "        responsible: ОО\n",
    "        control: {status: done, date: 2024-06-01}\n", "        acts_on: [{decision: 2023-01-01-1/1, action: extend}]\n",
    "signed: {by: Никитина, date: 2024-05-20, sha256: abc}\n", "signatures:\n", "  - {role: Председатель}\n",
    "- ", "  ", "    ", "\t", ": ", ":", "\n", "'", '"', "[", "]", "{", "}", "&a ", "*a", "!!python/object:os.system ",
    "!x ", "#", "---\n", "...\n", "|\n", ">-\n", "? ", ",", "%YAML 1.1\n", "\ufeff", "\u2028", "\u0085", "\u200b",
    "\x1b[31m", "\x00", "«", "»", "[bold]", ":x:", "{{ doc }}", "{% if %}", "1.1.1.1", "до ", "ежемесячно ",
]
yaml_like = st.lists(st.one_of(st.sampled_from(TOKENS), st.text(max_size=12)), max_size=80).map("".join)
NAME = "protocols/2024/2024-05-14-1.yaml"


def _load_and_check(data: bytes) -> None:
    protocol, problems = protocol_from_text(data, NAME)
    assert all(p.message and p.code for p in problems)
    if protocol is not None:
        check_protocol(protocol, TODAY)
        check_archive([protocol])


@FUZZ
@given(st.binary(max_size=2000))
def test_the_loader_takes_any_bytes(data: bytes):
    _load_and_check(data)


@FUZZ
@given(yaml_like)
def test_the_loader_and_checks_take_any_yaml_like_text(text: str):
    _load_and_check(text.encode("utf-8", errors="surrogatepass"))


@settings(FUZZ, max_examples=25)
@given(yaml_like)
def test_check_answers_any_file_with_a_code(text: str):
    """The whole command: problems printed (excerpts, hints), exit 0 or 1, nothing escaping as an internal error."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "protocols" / "2024" / "2024-05-14-1.yaml"
        path.parent.mkdir(parents=True)
        path.write_bytes(text.encode("utf-8", errors="surrogatepass"))
        result = run_cli("check", "--root", folder, str(path), "--today", TODAY.isoformat())
        assert result.exit_code in (0, 1), result.output


@settings(FUZZ, max_examples=60)
@given(st.lists(st.one_of(st.sampled_from([
    "ПРОТОКОЛ № 1\n", "совещания руководителей\n", "от 14 мая 2024 года\n", "14.05.2024\n", "Председатель: Никитина О.В.\n",
    "Секретарь: Фролова Т.С.\n", "Присутствовали:\n", "ПОВЕСТКА ДНЯ:\n", "1. О подготовке\n", "СЛУШАЛИ:\n", "РЕШИЛИ:\n",
    "1.1. Представить отчет до 01.07.2024\n", "Срок: до 01 июля 2024 года\n", "Отв.: ОО\n", "| a | b |\n", "\t", "  ",
    "\r\n", "**", "[bookmark: x]", "\u00ad", "\x1b[2J", "«", "'", '"', ": ", "#", "\n"]), st.text(max_size=10)),
    max_size=60).map("".join), st.sampled_from([".txt", ".md"]))
def test_text_import_gives_a_protocol_or_a_reason(text: str, suffix: str):
    from protokol.importers.run import import_document
    from protokol.problems import Collector
    from protokol.yamlio import parse_bytes

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / ("old" + suffix)
        path.write_bytes(text.encode("utf-8", errors="surrogatepass"))
        result = import_document(path, None, TODAY)
    assert (result.error is None) == bool(result.yaml), result.error
    if result.yaml:  # what import writes is always a readable YAML file, never a partial one
        out = Collector("imported")
        tree, _text = parse_bytes(result.yaml.encode("utf-8"), out)
        assert tree is not None and not [p for p in out.problems if p.code.startswith("yaml-")], out.problems


def _small_docx() -> bytes:
    from docx import Document

    document = Document()
    for text in ("ПРОТОКОЛ № 1", "14.05.2024", "Председатель: Никитина О.В.", "РЕШИЛИ:", "1. Представить отчет"):
        document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    source = zipfile.ZipFile(io.BytesIO(out.getvalue()))
    stored = io.BytesIO()  # stored, not deflated: a changed byte then changes the XML, not the compression
    with zipfile.ZipFile(stored, "w", zipfile.ZIP_STORED) as z:
        for info in source.infolist():
            z.writestr(info.filename, source.read(info.filename))
    return stored.getvalue()


_DOCX = _small_docx()


@settings(FUZZ, max_examples=80)
@given(st.lists(st.tuples(st.integers(0, len(_DOCX) - 1), st.integers(0, 255)), min_size=1, max_size=8))
def test_a_damaged_docx_is_read_or_refused_with_a_reason(changes):
    from protokol.importers.source import SourceError, docx_lines

    data = bytearray(_DOCX)
    for at, value in changes:
        data[at] = value
    try:
        docx_lines(bytes(data), "old.docx", [])
    except SourceError as exc:
        assert str(exc).startswith("old.docx: ")


@settings(FUZZ, max_examples=30)
@given(st.text(min_size=1, max_size=40).filter(lambda t: t.strip()))
def test_done_with_any_note_keeps_it_or_says_why(note: str):
    """The editing path: a note with quotes, colons, #, newlines or control characters is written so that the file
    reads back with exactly that note, or refused with a message; the file is never left unreadable."""
    from protokol.load import load_protocol

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "protocols" / "2024" / "2024-05-14-1.yaml"
        path.parent.mkdir(parents=True)
        path.write_text("date: 2024-05-14\ntitle: совещания\nparticipants:\n  chair: Никитина О.В.\n"
                        "  secretary: Фролова Т.С.\nagenda:\n  - number: 1\n    title: О подготовке\n    decided:\n"
                        "      - text: Представить отчет\n        deadline: до 01 июля 2024 года\n"
                        "        responsible: руководители ОО\n", encoding="utf-8")
        result = run_cli("done", "2024-05-14-1/1.1", "--note", note, "--root", folder, "--today", "2024-06-01",
                         "--no-cache")
        assert result.exit_code in (0, 1, 2), result.output
        protocol, problems = load_protocol(path)
        assert protocol is not None and not [p for p in problems if p.severity == "error"], problems
        if result.exit_code == 0:
            control = protocol.agenda[0].decided[0].control
            assert control is not None and control.status == "done"
            assert control.report == note.strip(), (control.report, note)
