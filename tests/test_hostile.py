"""Hostile and careless input (issue 12): nothing hangs, explodes or is lost, and every case is a message, not a crash.

Each test is a reproducer of one case. Commands run as real processes where the case is about the process itself: a
named pipe must be answered, not waited on (a timeout would kill a hung command and fail the test), and a link to
/dev/zero or a .docx bomb runs under a 2 GB address-space limit, where reading without a bound ends in MemoryError.
The limits and their reasons are in docs/security.md.
"""

from __future__ import annotations

import io
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from conftest import TODAY, run_cli

HEAD = """date: 2024-05-14
number: 1
title: совещания руководителей
participants: {chair: Никитина О.В., secretary: Фролова Т.С.}
agenda:
  - number: 1
    title: О подготовке
    decided:
"""
DECISION = """      - text: {text}
        deadline: до 01 июля 2024 года
        responsible: руководители ОО
"""
SIGNATURES = """signatures:
  - {role: Председатель, name: Никитина О.В.}
  - {role: Секретарь, name: Фролова Т.С.}
"""
GB = 1024 ** 3
INTERNAL = "internal error"


def protocol(*texts: str, signatures: bool = False) -> str:
    return HEAD + "".join(DECISION.format(text=t) for t in texts) + (SIGNATURES if signatures else "")


def archive(tmp_path: Path, *texts: str, name: str = "2024-05-14-1.yaml", **kw) -> Path:
    folder = tmp_path / "protocols" / "2024"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(protocol(*(texts or ("Представить отчет.",)), **kw), encoding="utf-8")
    return tmp_path


def _limit_memory() -> None:  # runs in the child before exec
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (2 * GB, 2 * GB))


def protokol(*args, cwd: Path, limit_memory: bool = False, timeout: float = 120) -> subprocess.CompletedProcess:
    """The real program in a process of its own. A hang is a failure: the timeout raises instead of answering."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LC_", "PROTOKOL_"))}
    env.update(LANG="C.UTF-8", LANGUAGE="en", COLUMNS="200", PYTHONIOENCODING="utf-8",
               XDG_CACHE_HOME=str(cwd / ".user-cache"))
    return subprocess.run([sys.executable, "-m", "protokol", *args], cwd=cwd, capture_output=True, env=env,
                          timeout=timeout, preexec_fn=_limit_memory if limit_memory else None)


def text_of(result: subprocess.CompletedProcess) -> str:
    return (result.stdout + result.stderr).decode("utf-8", errors="replace")


def answered_with(result, code: int, *words: str) -> str:
    out = text_of(result)
    assert result.returncode == code, out
    assert INTERNAL not in out and "Traceback" not in out, out
    for word in words:
        assert word in out, out
    return out


# ------------------------------------------------------------------------------------------- unbounded reads

def test_a_named_pipe_for_a_protocol_is_reported_not_waited_on(tmp_path: Path):
    root = archive(tmp_path)
    os.mkfifo(root / "protocols" / "2024" / "2024-05-15-1.yaml")
    for command in (["check"], ["due", "--today", "2024-06-01"], ["due", "--no-cache"]):
        answered_with(protokol(*command, cwd=root, timeout=60), 1, "2024-05-15-1.yaml")
    for command in (["list"], ["people"]):
        answered_with(protokol(*command, cwd=root, timeout=60), 1, "could not be read")
    out = answered_with(protokol("check", cwd=root, timeout=60), 1)
    assert "protocols/2024/2024-05-15-1.yaml:1:1: error[file-unreadable]: Cannot read the file: it is a named pipe" in out


def test_a_link_to_dev_zero_is_refused_in_bounded_memory(tmp_path: Path):
    root = archive(tmp_path)
    os.symlink("/dev/zero", root / "protocols" / "2024" / "2024-05-15-1.yaml")
    out = answered_with(protokol("check", cwd=root, limit_memory=True), 1, "it is a device, not a regular file")
    assert "2024-05-15-1.yaml" in out
    answered_with(protokol("due", "--today", "2024-06-01", "--no-cache", cwd=root, limit_memory=True), 1)
    answered_with(protokol("textconv", "/dev/zero", cwd=root, limit_memory=True), 1, "Cannot read /dev/zero")


def test_a_folder_named_like_a_protocol_is_reported(tmp_path: Path):
    root = archive(tmp_path)
    (root / "protocols" / "2024" / "2024-05-15-1.yaml").mkdir()
    result = run_cli("check", str(root / "protocols"))
    assert result.exit_code == 1
    assert "2024-05-15-1.yaml:1:1: error[file-unreadable]: Cannot read the file: it is a folder" in result.stdout


def test_settings_and_people_as_pipes_never_hang(tmp_path: Path):
    root = archive(tmp_path)
    os.mkfifo(root / "protokol.yaml")
    os.mkfifo(root / "people.yaml")
    out = answered_with(protokol("check", cwd=root, timeout=60), 1)
    assert "protokol.yaml:1:1: error[file-unreadable]: Cannot read the file: it is a named pipe" in out
    assert "people.yaml:1:1: error[file-unreadable]: Cannot read the file: it is a named pipe" in out
    answered_with(protokol("due", cwd=root, timeout=60), 1, "protokol.yaml")


def test_an_imported_pipe_is_reported(tmp_path: Path):
    root = archive(tmp_path)
    os.mkfifo(root / "old.txt")
    answered_with(protokol("import", "old.txt", "--dry-run", cwd=root, timeout=60), 1,
                  "old.txt: cannot read the file: it is a named pipe (FIFO), not a regular file.")


def test_textconv_of_a_pipe_answers(tmp_path: Path):
    os.mkfifo(tmp_path / "x.yaml")
    answered_with(protokol("textconv", "x.yaml", cwd=tmp_path, timeout=60), 1, "named pipe")


def test_read_regular_stops_one_byte_past_the_limit(tmp_path: Path):
    from protokol.paths import NotAFile, TooLarge, read_regular

    path = tmp_path / "a.yaml"
    path.write_bytes(b"x" * 10)
    assert read_regular(path, 10) == b"x" * 10
    with pytest.raises(TooLarge) as info:
        read_regular(path, 9)
    assert info.value.size == 10
    for other in ("/dev/zero", tmp_path):  # a device says its size is 0; a folder can be opened on Linux
        with pytest.raises(NotAFile):
            read_regular(other, 1000)


# ---------------------------------------------------------------------------------------------- .docx import

def _base_docx() -> bytes:
    from docx import Document

    document = Document()
    for text in ("ПРОТОКОЛ № 1", "совещания руководителей", "14.05.2024", "Председатель: Никитина О.В.",
                 "Секретарь: Фролова Т.С.", "ПОВЕСТКА ДНЯ:", "1. О подготовке"):
        document.add_paragraph(text)
    document.add_paragraph("Пункт", style="List Number")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _with_member(data: bytes, name: str, content: bytes | str) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for info in source.infolist():
            z.writestr(info.filename, content if info.filename == name else source.read(info.filename))
    return out.getvalue()


def _document_xml(data: bytes, paragraphs: str, doctype: str = "") -> str:
    xml = zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml").decode()
    start = xml.index("<w:document")
    body = xml.index("<w:body>") + len("<w:body>")
    return '<?xml version="1.0" encoding="UTF-8"?>' + doctype + xml[start:body] + paragraphs + "<w:sectPr/></w:body></w:document>"


def _p(text: str) -> str:
    return f"<w:p><w:r><w:t>{text}</w:t></w:r></w:p>"


@pytest.fixture(scope="module")
def base_docx() -> bytes:
    return _base_docx()


def test_a_docx_bomb_is_refused_from_its_directory_in_bounded_memory(tmp_path: Path, base_docx: bytes):
    """4 MB on disk, 1 GB unpacked: refused before anything is unpacked, under a 2 GB address-space limit."""
    source = zipfile.ZipFile(io.BytesIO(base_docx))
    bomb = tmp_path / "bomb.docx"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as z:
        for info in source.infolist():
            if info.filename != "word/document.xml":
                z.writestr(info.filename, source.read(info.filename))
        with z.open("word/document.xml", "w", force_zip64=True) as member:
            member.write(_document_xml(base_docx, "<w:p><w:r><w:t>").encode())
            block = b"\xd1\x8f" * (1 << 19)
            for _ in range(GB // len(block)):
                member.write(block)
    assert bomb.stat().st_size < 8 * 1024 * 1024
    answered_with(protokol("import", "bomb.docx", "--dry-run", cwd=tmp_path, limit_memory=True), 1,
                  "bomb.docx: the part word/document.xml of the .docx unpacks to", "over the limit of 50 MB")


def test_docx_members_over_the_total_are_refused(tmp_path: Path, base_docx: bytes, monkeypatch):
    from protokol.importers import source

    monkeypatch.setattr(source, "MAX_DOCX_TOTAL", len(base_docx))  # the members unpack to more than the file
    with pytest.raises(source.SourceError, match="the .docx unpacks to .* over the limit"):
        source.docx_lines(base_docx, "x.docx")


@pytest.mark.parametrize("case, message", [
    ("text-node", "the .docx holds malformed XML (Resource limit exceeded"),
    ("billion-laughs", "the .docx holds malformed XML"),
    ("malformed", "the .docx holds malformed XML"),
    ("numbering-values", "the .docx is damaged: invalid literal for int()"),
    ("numbering-xml", "the .docx holds malformed XML"),
    ("not-a-zip", "not a readable .docx file"),
])
def test_a_broken_or_hostile_docx_is_a_message(tmp_path: Path, base_docx: bytes, case: str, message: str):
    laughs = "".join(f'<!ENTITY l{i} "{f"&l{i - 1};" * 10}">' for i in range(1, 10))
    document = {
        "text-node": _document_xml(base_docx, _p("я" * 6_000_000)),  # 12 MB of UTF-8 in one text node
        "billion-laughs": _document_xml(base_docx, _p("ПРОТОКОЛ &l9;"),
                                        f'<!DOCTYPE w:document [<!ENTITY l0 "ха">{laughs}]>'),
        "malformed": _document_xml(base_docx, _p("ПРОТОКОЛ"))[:-40],
    }
    numbering = {
        "numbering-values": '<w:numbering xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
                            '<w:abstractNum w:abstractNumId="0"><w:lvl w:ilvl="x"><w:start w:val="zz"/></w:lvl>'
                            '</w:abstractNum><w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num></w:numbering>',
        "numbering-xml": "<w:numbering",
    }
    if case in document:
        data = _with_member(base_docx, "word/document.xml", document[case])
    elif case in numbering:
        data = _with_member(base_docx, "word/numbering.xml", numbering[case])
    else:
        data = b"PK\x03\x04 not really a zip"
    (tmp_path / "old.docx").write_bytes(data)
    answered_with(protokol("import", "old.docx", "--dry-run", cwd=tmp_path, limit_memory=True), 1,
                  "old.docx: " + message)


def test_text_after_an_unresolved_entity_is_kept_and_noted(base_docx: bytes):
    from protokol.importers.source import docx_lines

    doctype = '<!DOCTYPE w:document [<!ENTITY secret SYSTEM "file:///etc/passwd"><!ENTITY name "Иванов">]>'
    data = _with_member(base_docx, "word/document.xml",
                        _document_xml(base_docx, _p("Начало &secret; середина &name; конец") + _p("Дальше"), doctype))
    notes: list = []
    lines = docx_lines(data, "old.docx", notes)
    assert [line.text for line in lines] == ["Начало &secret; середина &name; конец", "Дальше"]
    assert "root:" not in lines[0].text  # nothing is read from outside the file
    assert [no for no, _note in notes] == [1, 1]
    assert "«&secret;» was left as written" in notes[0][1]


# ------------------------------------------------------------------------------------------ long texts

def test_a_text_over_the_xml_text_limit_is_rendered_whole(tmp_path: Path):
    """12 MB of UTF-8 in one decision: libxml2 cuts a text node at 10 MB; the document must hold everything after it."""
    from docx import Document

    from protokol.render.docx import dump_docx

    long_text = "Проверить " * 600_000 + "& конец первого"
    root = archive(tmp_path, f'"{long_text}"', "Последнее решение", signatures=True)
    result = run_cli("render", "2024-05-14-1", "--root", str(root), "-o", str(tmp_path / "out.docx"))
    assert result.exit_code == 0, result.output
    document = Document(str(tmp_path / "out.docx"))
    texts = [p.text for p in document.paragraphs]
    first = next(t for t in texts if t.startswith("1.1. Проверить"))
    assert first == "1.1. " + long_text
    dump = dump_docx(str(tmp_path / "out.docx"))
    assert "1.2. Последнее решение" in dump
    assert "Никитина" in dump.split("1.2. Последнее решение")[1] and "Фролова" in dump.split("1.2. Последнее решение")[1]


def test_split_long_texts_never_cuts_an_entity():
    from protokol.render.docx import TEXT_NODE_CHARS, split_long_texts

    text = "а" * (TEXT_NODE_CHARS - 2) + "&amp;" + "б" * 10
    xml = split_long_texts(f"<w:r><w:t>{text}</w:t></w:r>")
    assert xml.count("<w:t ") == 2
    assert "&amp;" in xml and xml.replace('</w:t><w:t xml:space="preserve">', "") == f'<w:r><w:t xml:space="preserve">{text}</w:t></w:r>'


def test_check_warns_about_a_text_over_100000_characters(tmp_path: Path):
    root = archive(tmp_path, "Проверить " * 10_000 + "всё")
    result = run_cli("check", "--root", str(root), str(root / "protocols"), "--today", TODAY.isoformat())
    assert result.exit_code == 0, result.output
    assert "2024-05-14-1.yaml:9:15: warning[text-too-long]: The text of `text` is 100 003 characters long" in result.stdout


def test_the_deadline_scanner_is_bounded_on_a_long_text(monkeypatch):
    """A text full of «до» and «к» without a deadline: each opening word used to rescan the rest of the text."""
    from protokol import deadlines

    calls = []
    real = deadlines._parse_normalised
    monkeypatch.setattr(deadlines, "_parse_normalised", lambda *a: calls.append(1) or real(*a))
    assert deadlines.find_deadline_in_text("до отчет к работе " * 500_000) is None
    assert len(calls) <= deadlines._MAX_ANCHORS * deadlines._MAX_WORDS
    assert deadlines.find_deadline_in_text("до отчет " * 100 + "представить до 01.07.2024") is not None


# ------------------------------------------------------------------------------------ message categories

def test_an_argument_in_windows_1251_is_a_usage_error(tmp_path: Path):
    root = archive(tmp_path)
    before = (root / "protocols" / "2024" / "2024-05-14-1.yaml").read_bytes()
    note = "Проведено".encode("cp1251")
    for option in (["--note", note], [b"--note=" + note]):
        result = subprocess.run([sys.executable.encode(), b"-m", b"protokol", b"done", b"2024-05-14-1/1.1", *option,
                                 b"--today", b"2024-06-01"], cwd=root, capture_output=True, timeout=60,
                                env={**os.environ, "LANG": "C.UTF-8", "LANGUAGE": "en"})
        out = answered_with(result, 2, "is not UTF-8 text", "it reads", "Проведено")
        assert "\\xcf\\xf0" in out
    assert (root / "protocols" / "2024" / "2024-05-14-1.yaml").read_bytes() == before
    result = subprocess.run([sys.executable.encode(), b"-m", b"protokol", b"extend", b"2024-05-14-1/1.1", b"--to",
                             b"2024-09-01", b"--reason", "продлить".encode("cp1251"), b"--today", b"2024-06-01"],
                            cwd=root, capture_output=True, timeout=60, env={**os.environ, "LANG": "C.UTF-8"})
    answered_with(result, 2, "is not UTF-8 text")


def _small_filesystem(folder: Path) -> bool:
    """A 64 KB tmpfs at `folder` when this process may mount one (root on Linux), else False."""
    folder.mkdir()
    if not sys.platform.startswith("linux") or os.geteuid() != 0:
        return False
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(folder)], capture_output=True)
    return done.returncode == 0


def test_the_boundary_answers_a_disk_error_from_any_command(tmp_path: Path):
    """A disk condition that no layer below caught (a write outside the writer) is still the user's, not a bug."""
    from protokol.cli.main import _guarded

    def command():
        raise OSError(28, "No space left on device", str(tmp_path / "x.docx"))

    import typer

    with pytest.raises(typer.Exit) as info:
        _guarded(command)()
    assert info.value.exit_code == 1
    with pytest.raises(OSError):  # anything else is still a bug, for the last boundary to report
        _guarded(lambda: (_ for _ in ()).throw(OSError(2, "No such file")))()


def _limit_file_size() -> None:
    import resource
    import signal

    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # then a write past the limit fails with EFBIG, as a full disk would
    resource.setrlimit(resource.RLIMIT_FSIZE, (8192, 8192))


def test_a_full_disk_during_done_is_a_message_and_the_file_stays(tmp_path: Path):
    disk = tmp_path / "disk"
    mounted = _small_filesystem(disk)
    try:
        root = archive(disk)
        path = root / "protocols" / "2024" / "2024-05-14-1.yaml"
        before = path.read_bytes()
        note = "н" * 40_000  # 80 KB of UTF-8: more than the disk holds
        env = {**os.environ, "LANG": "C.UTF-8", "LANGUAGE": "en", "XDG_CACHE_HOME": str(tmp_path / "cache")}
        result = subprocess.run([sys.executable, "-m", "protokol", "done", "2024-05-14-1/1.1", "--note", note,
                                 "--today", "2024-06-01", "--no-cache"], cwd=root, capture_output=True, timeout=60,
                                env=env, preexec_fn=None if mounted else _limit_file_size)
        reason = "No space left on device" if mounted else "File too large"
        answered_with(result, 1, reason, "2024-05-14-1.yaml")  # the writer names the file it could not change
        assert path.read_bytes() == before
        assert [p.name for p in path.parent.iterdir()] == [path.name]  # no temporary file left behind
    finally:
        if mounted:
            subprocess.run(["umount", str(disk)], capture_output=True)


# ---------------------------------------------------------------------------------- what is echoed, and how

def test_markup_and_escapes_in_a_file_are_printed_literally(tmp_path: Path):
    root = archive(tmp_path)
    path = root / "protocols" / "2024" / "2024-05-14-1.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace(
        "responsible: руководители ОО", "responsible: руководители :x: [bold]ОО[/bold] \x1b[2J"), encoding="utf-8")
    out = answered_with(protokol("check", cwd=root), 1, "error[yaml-control-character]")
    assert "руководители :x: [bold]ОО[/bold] \\x1b[2J" in out
    assert "\x1b" not in out


def test_markup_in_a_fix_is_printed_literally(tmp_path: Path):
    root = archive(tmp_path)
    path = root / "protocols" / "2024" / "2024-05-14-1.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace(
        "participants: {chair: Никитина О.В., secretary: Фролова Т.С.}",
        "participants:\n  chair: Никитина О.В.\n  present: [Иванова :x: [bold]жирный"), encoding="utf-8")
    out = text_of(protokol("check", cwd=root))
    assert "= hint: Add ']' at the end of line 6: `present: [Иванова :x: [bold]жирный]`." in out, out
    assert "6 |   present: [Иванова :x: [bold]жирный" in out
    assert "❌" not in out


def test_escape_sequences_in_arguments_are_shown_escaped(tmp_path: Path):
    root = archive(tmp_path)
    out = answered_with(protokol("show", "\x1b]0;title\x07\x1b[31m", cwd=root), 2, "\\x1b]0;title\\x07\\x1b[31m")
    assert "\x1b" not in out and "\x07" not in out


def test_a_2_mb_key_is_not_echoed_in_full(tmp_path: Path):
    root = archive(tmp_path)
    path = root / "protocols" / "2024" / "2024-05-14-1.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "k" * 2_000_000 + ": 1\n", encoding="utf-8")
    for fmt in ("text", "json"):
        result = protokol("check", "--format", fmt, cwd=root)
        out = answered_with(result, 1, "characters left out")
        assert len(out) < 10_000


@pytest.mark.parametrize("separator", ["\u2028", "\u2029", "\u0085"])
def test_a_line_separator_is_reported_where_an_editor_sees_it(tmp_path: Path, separator: str):
    root = archive(tmp_path)
    path = root / "protocols" / "2024" / "2024-05-14-1.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("title: О подготовке", f"title: О{separator} подготовке"),
                    encoding="utf-8")
    result = run_cli("check", str(path))
    assert result.exit_code == 1
    assert f"2024-05-14-1.yaml:7:13: error[yaml-control-character]: The file contains the invisible line separator " \
           f"U+{ord(separator):04X}" in result.stdout
    assert "7 |     title: О\\u" in result.stdout or "7 |     title: О\\x85" in result.stdout


def test_a_heading_ending_in_hashes_keeps_them(tmp_path: Path):
    from markdown_it import MarkdownIt

    root = archive(tmp_path)
    path = root / "protocols" / "2024" / "2024-05-14-1.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("title: О подготовке", "title: 'Итоги по C# ##'"),
                    encoding="utf-8")
    result = run_cli("render", "2024-05-14-1", "--root", str(root), "--format", "md", "-o", "-")
    assert result.exit_code == 0, result.output
    rendered = MarkdownIt("commonmark").render(result.stdout)
    assert "Итоги по C# ##</h3>" in rendered


def test_diff_and_history_of_a_protocol_turned_into_a_link_to_dev_zero_answer(tmp_path: Path):
    from conftest import git_env

    root = archive(tmp_path)
    env = git_env(root)
    for command in (["init", "-q"], ["add", "-A"], ["commit", "-qm", "protocol"]):
        subprocess.run(["git", *command], cwd=root, env=env, check=True, capture_output=True)
    path = root / "protocols" / "2024" / "2024-05-14-1.yaml"
    path.unlink()
    os.symlink("/dev/zero", path)
    for command in (["diff"], ["history", "2024-05-14-1"]):
        out = text_of(protokol(*command, cwd=root, limit_memory=True))
        assert INTERNAL not in out and "Traceback" not in out, out
