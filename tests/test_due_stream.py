"""`due` streams its rows (selection.stream, report.due's chunks and PlainRows): the same bytes, in the same order, as
the list the library selects and the formats write (selection.select, to_json, to_csv, table), whatever the
filter, the day and whether the index came from the files or the cache."""

from __future__ import annotations

import random
import shutil
import sys
from datetime import date
from pathlib import Path

import pytest

from conftest import REPO, run_cli
from protokol import cache, selection
from protokol.report import due as report

DAYS = [date(2016, 1, 1), date(2019, 6, 1), date(2023, 1, 1), date(2024, 6, 1), date(2024, 12, 1)]


@pytest.fixture(autouse=True)
def own_key(tmp_path_factory, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("xdg")))


@pytest.fixture(scope="module", params=["marked", "unmarked", "example"])
def archive(request, tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp(request.param)
    if request.param == "example":  # protocols encoded from paper: rows carry their paper positions
        shutil.copytree(REPO / "protocols", folder / "protocols")
        return folder
    sys.path.insert(0, str(REPO / "bench"))
    import generate

    generate.generate(folder, count=250, seed=5, unmarked=request.param == "unmarked")
    return folder


def filters(rng: random.Random):
    for _ in range(25):
        yield selection.Filter(before=rng.choice([None, *DAYS]), after=rng.choice([None, None, *DAYS]),
                               overdue=rng.random() < 0.2, within=rng.choice([None, None, 14, 90]),
                               status=rng.choice(["open", "open", "done", "cancelled", "all"]),
                               ongoing=rng.random() < 0.3, all=rng.random() < 0.1,
                               responsible=rng.choice([None, None, None, "руководители", "иванова"])), rng.choice(DAYS)
    yield selection.Filter(), date(2024, 6, 1)  # the default list, every open dated decision
    yield selection.Filter(all=True), date(2024, 6, 1)


def test_streamed_rows_are_the_rows_of_the_selected_list(archive: Path, monkeypatch):
    monkeypatch.chdir(archive)  # files are shown relative to the current folder
    rows = 0
    selected: dict[bool, list] = {}
    for use_cache in (True, True, False):  # cold (the files), warm (the cache), and without a cache
        index = cache.load_index([Path("protocols")], Path("."), use_cache=use_cache)
        selected[use_cache] = []
        for flt, today in filters(random.Random(7)):
            decisions = selection.select(index, flt, today)
            selected[use_cache].append(decisions)  # the warm index filters recurring items on prepared dates
            streamed = list(selection.stream(index, flt, today))
            show = flt.all or flt.status != "open"
            plain = report.PlainRows(index, today, show)
            assert b"".join(report.json_chunks(iter(streamed), plain, size=7)).decode() == report.to_json(decisions)
            assert "".join(report.csv_chunks(iter(streamed), plain, size=7)) == report.to_csv(decisions)
            assert report.table_rows(iter(streamed), plain) == [report.cells(d, today, show) for d in decisions]
            rows += len(decisions)
        assert any(type(item) is int for item in streamed)  # plain items did take the prepared way
    assert selected[True] == selected[False]
    assert rows > (3000 if "example" not in archive.name else 100)


def test_the_default_list_of_an_unmarked_archive_is_mostly_plain(tmp_path: Path):
    """Nothing marked: every open dated decision is listed, and all but the recurring ones and those a later
    protocol acts on come as plain items, their rows written from what the index prepared."""
    sys.path.insert(0, str(REPO / "bench"))
    import generate

    generate.generate(tmp_path, count=120, seed=3, unmarked=True)
    index = cache.load_index([tmp_path / "protocols"], tmp_path, use_cache=False)
    items = list(selection.stream(index, selection.Filter(), date(2024, 6, 1)))
    plain = sum(type(item) is int for item in items)
    assert plain > 0.8 * len(items) > 500


def test_the_table_in_colour_is_the_plain_table_with_each_styled_line_wrapped(tmp_path: Path):
    """The table is written in pieces (cli/due.py): in colour, each line of an overdue or soon-due decision is the
    same text between its colour's code and the reset, the header bold, the count line and the blank ones bare; in
    the wide layout and in the narrow one (each decision on two lines, no header)."""
    shutil.copytree(REPO / "protocols", tmp_path / "protocols")
    args = ("due", "--today", "2024-06-01", "--root", str(tmp_path), "--no-cache")
    for columns, header in (("250", True), ("80", False)):
        bare = run_cli(*args, env={"NO_COLOR": "", "FORCE_COLOR": "", "COLUMNS": columns})
        coloured = run_cli(*args, env={"NO_COLOR": "", "FORCE_COLOR": "1", "COLUMNS": columns})
        assert bare.exit_code == coloured.exit_code == 0, coloured.output
        plain_lines, colour_lines = bare.stdout.splitlines(), coloured.stdout.splitlines()
        assert len(plain_lines) == len(colour_lines) > 5
        styles = set()
        for text, shown in zip(plain_lines, colour_lines, strict=True):
            if shown == text:
                assert "\x1b" not in shown
                continue
            code, _sep, rest = shown.partition("m")
            assert code in ("\x1b[31", "\x1b[33", "\x1b[1") and rest == text + "\x1b[0m", shown
            styles.add(code)
        assert "\x1b[31" in styles and ("\x1b[1" in styles) == header, (columns, styles)
        assert colour_lines[-1] == plain_lines[-1] and "decisions" in plain_lines[-1]


def _streamed(index, fmt: str, today: date) -> bytes:
    items = selection.stream(index, selection.Filter(), today)
    plain = report.PlainRows(index, today)
    if fmt == "json":
        return b"".join(report.json_chunks(items, plain, size=7))
    return "".join(report.csv_chunks(items, plain, size=7)).encode()


@pytest.mark.parametrize("never_overdue", [False, True])
def test_the_archive_wide_rows_are_the_streamed_rows(archive: Path, tmp_path: Path, monkeypatch, never_overdue: bool):
    """A warm `due` of every open decision writes the rows the cache prepared for the whole archive (rowblob), the
    others (recurring under never_overdue, references left unsure) put in their places: the same bytes as the
    rows streamed one by one, on every day, in small pieces as in one; the same table, column by column, at every
    width."""
    shutil.copytree(archive / "protocols", tmp_path / "protocols")
    if never_overdue:
        (tmp_path / "protokol.yaml").write_text("recurring_untracked: never_overdue\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    folder, root = tmp_path / "protocols", tmp_path
    cache.load_index([folder], root)  # cold: builds the cache and the file of rows
    index = cache.load_index([folder], root)
    assert index.rows is not None and index.rows.layout["recurring"] is not never_overdue
    for today in DAYS:
        others = selection.unprepared(index, today, never_overdue)
        for fmt in ("json", "csv"):
            whole = b"".join(report.prepared_chunks(index.rows, others, fmt, today))
            assert whole == _streamed(index, fmt, today)
            assert b"".join(report.prepared_chunks(index.rows, others, fmt, today, size=100)) == whole
        prepared = report.prepared_table(index.rows, others, today)
        rows = report.table_rows(selection.stream(index, selection.Filter(), today), report.PlainRows(index, today))
        assert prepared[0][-1] == [row[-1] for row, _style in rows] and prepared[1] == [style for _row, style in rows]
        for width in (60, 100, 250):  # two lines a decision, text cut short, text whole
            assert report.table_lines(*prepared, width, flat=True) == report.table_of(rows, width)
    assert len(others) < 0.2 * index.rows.layout["count"] or never_overdue


def test_the_file_of_rows_is_trusted_only_as_written_and_from_its_folder(tmp_path: Path, monkeypatch):
    """The file of prepared rows is named in the signed fast part with its stat key: rewritten (the same bytes, a
    copy of the archive, a damaged file), the index is built again and a new file written; run from another folder
    (its rows name the files as seen from where they were made), it is not used and the rows are streamed."""
    sys.path.insert(0, str(REPO / "bench"))
    import generate

    generate.generate(tmp_path, count=40, seed=11, unmarked=True)
    monkeypatch.chdir(tmp_path)
    args = ("due", "--today", "2024-06-01", "--format", "json")
    expected = run_cli(*args, "--no-cache").stdout
    assert run_cli(*args).stdout == expected  # cold
    assert run_cli(*args).stdout == expected  # warm, from the file of rows
    (made,) = (tmp_path / ".protokol-cache").glob("rows-*.bin")
    data = made.read_bytes()
    made.write_bytes(data.replace(b'"open"', b'"shut"'))  # damaged in place: another mtime and ctime
    assert run_cli(*args).stdout == expected
    (again,) = (tmp_path / ".protokol-cache").glob("rows-*.bin")
    assert again.name != made.name
    assert cache.load_index([tmp_path / "protocols"], tmp_path).rows is not None
    monkeypatch.chdir(tmp_path / "protocols")
    index = cache.load_index([tmp_path / "protocols"], tmp_path)
    assert index.rows is None  # the rows say protocols/…: not from here
    shown = run_cli(*args, "--root", str(tmp_path)).stdout
    assert shown == expected.replace('"file": "protocols/', '"file": "')


def test_executors_with_irregular_spaces_make_the_same_table_by_every_way(tmp_path: Path, monkeypatch):
    """The table's cells of a plain item are single-spaced where the index prepares them (rowparts.table_parts), not
    for each row: an executor written with two spaces, a tab or a no-break space shows as in the table made of the
    Decision itself (report.due.cells), through the archive-wide rows, a filtered list and no cache alike."""
    shutil.copytree(REPO / "protocols", tmp_path / "protocols")
    source = tmp_path / "protocols" / "2023" / "2023-08-27-8.yaml"
    text = source.read_text(encoding="utf-8")
    spaced = text.replace("[отдел образования, руководители ОО]", '["отдел  образования", "руководители\\tОО\\u00a0 "]')
    assert spaced != text
    source.write_text(spaced, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    index = cache.load_index([Path("protocols")], Path("."), use_cache=False)
    today = date(2023, 9, 1)
    expected = [report.cells(d, today) for d in selection.select(index, selection.Filter(), today)]
    executors = [row[3] for row, _style in expected]
    assert "отдел образования, руководители ОО" in executors
    assert not any("  " in cell or "\t" in cell or "\u00a0" in cell for cell in executors)
    base = ("due", "--today", "2023-09-01", "--root", ".")
    env = {"COLUMNS": "250", "NO_COLOR": "1"}
    shown = {way: run_cli(*base, *extra, env=env) for way, extra in (
        ("uncached", ("--no-cache",)), ("cold", ()), ("warm", ()))}
    filtered = run_cli(*base, "--responsible", "отдел", env=env)
    assert all(out.exit_code == 0 for out in (*shown.values(), filtered)), filtered.output
    assert shown["uncached"].stdout == shown["cold"].stdout == shown["warm"].stdout
    assert "отдел образования" in filtered.stdout and "отдел  образования" not in filtered.stdout
    assert report.table_rows(selection.stream(index, selection.Filter(), today),
                             report.PlainRows(index, today)) == expected


def test_an_archive_with_nothing_open_gives_the_same_empty_list_warm_as_without_the_cache(tmp_path: Path, monkeypatch):
    """The file of rows of an archive with no open decision (here a draft's only: drafts are not listed) writes
    the empty JSON list as the streamed rows do, "[]", not an opened and closed one."""
    folder = tmp_path / "protocols" / "2026"
    folder.mkdir(parents=True)
    (folder / "2026-12-01-1.yaml").write_text(
        "status: draft\nnumber: '1'\ndate: 2026-12-01\ntitle: совещания\nparticipants:\n  chair: Иванов И.И.\n"
        "  secretary: Смирнова Е.В.\nagenda:\n- title: О плане\n  decided:\n  - text: Подготовить план.\n"
        "    deadline: до 15.12.2026\n    responsible: [Петров П.П.]\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    for fmt in ("json", "csv", "table"):
        args = ("due", "--today", "2026-12-20", "--format", fmt)
        expected = run_cli(*args, "--no-cache").stdout
        assert run_cli(*args).stdout == expected  # cold
        assert run_cli(*args).stdout == expected  # warm, from the file of rows
    assert expected and run_cli("due", "--today", "2026-12-20", "--format", "json").stdout == "[]\n"
    assert list((tmp_path / ".protokol-cache").glob("rows-*.bin"))
