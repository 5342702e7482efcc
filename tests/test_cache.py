"""The cache of parsed protocols: same answers as reading every file, fresh after edits, silent when damaged."""

from __future__ import annotations

import json
import os
import shutil
import sys
from datetime import date
from pathlib import Path

import pytest

from conftest import PROTOCOLS, REPO, run_cli
from protokol import cache, cachekeys, cachestore, selection, status
from protokol.collection import load_collection

TODAY = date(2024, 6, 1)
EVERYTHING = selection.Filter(all=True)


@pytest.fixture(autouse=True)
def own_key(tmp_path_factory, monkeypatch):
    """Each test signs its caches with a key of its own (in a temporary XDG_CACHE_HOME)."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("xdg")))


@pytest.fixture
def archive(tmp_path: Path) -> Path:
    shutil.copytree(PROTOCOLS, tmp_path / "protocols")
    return tmp_path


def listed(index: status.Index, flt: selection.Filter = EVERYTHING) -> list[tuple]:
    return [(d.id, d.status, d.due, d.entry.text, d.meeting.file) for d in selection.select(index, flt, TODAY)]


def load(root: Path, use_cache: bool = True) -> status.Index:
    return cache.load_index([root / "protocols"], root, use_cache=use_cache)


def test_a_warm_load_reads_the_cache_and_answers_the_same(archive: Path):
    cold = load(archive)
    assert cold._loader is None  # made from the files
    assert (archive / cache.CACHE_DIR / "index.pickle").is_file()
    warm = load(archive)
    assert warm._loader is not None  # made from the cache, files read on demand
    assert listed(warm) == listed(cold) == listed(load(archive, use_cache=False))
    assert listed(warm, selection.Filter(before=date(2024, 7, 1))) == listed(cold, selection.Filter(before=date(2024, 7, 1)))


def test_an_edited_file_is_read_again(archive: Path):
    load(archive)
    path = archive / "protocols" / "2023" / "2023-08-27-8.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("до 15.10.2023 года", "до 20.10.2023 года"), encoding="utf-8")
    os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns + 1_000_000_000))
    index = load(archive)
    assert index._loader is None
    found = {d.id: d for d in selection.select(index, EVERYTHING, TODAY)}
    assert found["2023-08-27-8/1.1"].due == date(2023, 10, 20)
    assert listed(index) == listed(load(archive, use_cache=False))
    assert listed(load(archive)) == listed(index)  # and the next run is warm again


def test_a_new_and_a_deleted_file_are_noticed(archive: Path):
    load(archive)
    (archive / "protocols" / "2020" / "2020-12-22.yaml").unlink()
    shutil.copy(archive / "protocols" / "2024" / "2024-01-09-1.yaml", archive / "protocols" / "2024" / "2024-01-09-2.yaml")
    index = load(archive)
    protocols = {d.meeting.id for d in selection.select(index, EVERYTHING, TODAY)}
    assert "2020-12-22" not in protocols and "2024-01-09-2" in protocols


@pytest.mark.parametrize("damage", [b"", b"garbage", cachestore.MAGIC + b"\x00" * 40])
def test_a_damaged_cache_is_rebuilt_silently(archive: Path, damage: bytes):
    expected = listed(load(archive))
    (archive / cache.CACHE_DIR / "index.pickle").write_bytes(damage)
    assert listed(load(archive)) == expected
    assert load(archive)._loader is not None  # rebuilt and usable


def test_a_cache_signed_by_someone_else_is_never_unpickled(archive: Path, tmp_path_factory, monkeypatch):
    load(archive)
    store = archive / cache.CACHE_DIR / "index.pickle"
    import pickle

    body = pickle.dumps((("forged",), {}, {}))
    store.write_bytes(cachestore.MAGIC + b"\x00" * 32 + body)
    assert cachestore.read_signed(store, cachekeys.user_key(), ("forged",)) == (None, {})
    header = ((cachekeys.source_fingerprint(), "en"),)
    assert cachestore.read_signed(archive / cache.CACHE_DIR / "records.pickle", cachekeys.user_key(), header)[1]
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("other-user")))
    assert cachestore.read_signed(archive / cache.CACHE_DIR / "records.pickle", cachekeys.user_key(), header) == (None, {})


def test_a_missing_entries_file_falls_back_to_reading_the_files(archive: Path):
    first = run_cli("due", "--root", str(archive), "--today", "2024-06-01", "--format", "json")
    for entries in (archive / cache.CACHE_DIR).glob("entries-*.bin"):
        entries.unlink()
    second = run_cli("due", "--root", str(archive), "--today", "2024-06-01", "--format", "json")
    assert second.exit_code == 0, second.stderr
    assert json.loads(second.stdout) == json.loads(first.stdout) != []


def test_a_changed_byte_in_the_entries_file_is_never_unmarshalled(archive: Path):
    """Entries are signed per protocol: one changed byte makes the whole protocol's entries untrusted, and `due`
    answers from the files instead."""
    first = run_cli("due", "--root", str(archive), "--today", "2024-06-01", "--format", "json", "--all")
    (entries,) = (archive / cache.CACHE_DIR).glob("entries-*.bin")
    data = bytearray(entries.read_bytes())
    for at in range(0, len(data), 97):  # a byte in every protocol's entries, whichever are read
        data[at] ^= 0x20
    entries.write_bytes(bytes(data))
    second = run_cli("due", "--root", str(archive), "--today", "2024-06-01", "--format", "json", "--all")
    assert second.exit_code == 0, second.stderr
    assert json.loads(second.stdout) == json.loads(first.stdout) != []


def test_no_cache_writes_nothing(archive: Path):
    result = run_cli("due", "--root", str(archive), "--today", "2024-06-01", "--no-cache")
    assert result.exit_code == 0
    assert not (archive / cache.CACHE_DIR).exists()
    assert run_cli("check", "--root", str(archive), "--today", "2024-06-01", "--no-cache").exit_code == 0
    assert not (archive / cache.CACHE_DIR).exists()


def test_changed_settings_read_the_deadlines_again(tmp_path: Path):
    folder = tmp_path / "protocols" / "2024"
    folder.mkdir(parents=True)
    (folder / "2024-01-15-1.yaml").write_text("""date: 2024-01-15
title: совещания
participants: {chair: Никитина О.В., secretary: Фролова Т.С.}
agenda:
  - number: 1
    title: Вопрос
    decided:
      - text: Подготовить отчёт.
        deadline: до конца учебного года
        responsible: руководители ОО
""", encoding="utf-8")
    assert [d.due for d in selection.select(load(tmp_path), EVERYTHING, TODAY)] == [date(2024, 8, 31)]
    (tmp_path / "protokol.yaml").write_text("school_year_end: 06-30\n", encoding="utf-8")
    assert [d.due for d in selection.select(load(tmp_path), EVERYTHING, TODAY)] == [date(2024, 6, 30)]


def test_the_process_pool_gives_what_one_process_gives(tmp_path: Path, monkeypatch):
    sys.path.insert(0, str(REPO / "bench"))
    import generate

    generate.generate(tmp_path, count=cache.PARALLEL_MIN + 20, seed=11)
    monkeypatch.setenv("PROTOKOL_WORKERS", "1")
    serial = listed(load(tmp_path, use_cache=False))
    monkeypatch.setenv("PROTOKOL_WORKERS", "2")
    parallel = listed(load(tmp_path))
    assert parallel == serial and len(serial) > 500
    assert listed(load(tmp_path)) == serial


def test_load_archive_with_the_cache_gives_the_same_protocols(archive: Path):
    plain = load_collection([archive / "protocols"])
    first = load_collection([archive / "protocols"], use_cache=True, root=archive)
    assert (archive / cache.CACHE_DIR / "protocols.pickle").is_file()
    again = load_collection([archive / "protocols"], use_cache=True, root=archive)
    assert first.protocols == again.protocols == plain.protocols
    assert [p.path for p in again.protocols] == [p.path for p in plain.protocols]
    assert again.problems == plain.problems


def test_check_output_is_the_same_cold_and_warm(archive: Path):
    broken = archive / "protocols" / "2024" / "2024-05-14-1.yaml"
    broken.write_text("date: 2024-05-14\ntitle: совещания\nparticipants: {}\nagenda: []\nсрок: завтра\n", encoding="utf-8")
    cold = run_cli("check", "--root", str(archive), "--today", "2024-06-01")
    warm = run_cli("check", "--root", str(archive), "--today", "2024-06-01")
    assert cold.exit_code == warm.exit_code == 1
    assert cold.stdout == warm.stdout and "schema-unknown-key" in warm.stdout


def test_a_warm_due_does_not_load_the_deadline_grammar(tmp_path: Path, monkeypatch):
    """The grammar takes 50 ms to compile: a warm run finds its dates, the next occurrences included, in the cache."""
    import subprocess

    folder = tmp_path / "protocols" / "2024"
    folder.mkdir(parents=True)
    (folder / "2024-01-15-1.yaml").write_text("""date: 2024-01-15
title: совещания
participants: {chair: Никитина О.В., secretary: Фролова Т.С.}
agenda:
  - number: 1
    title: Отчётность
    decided:
      - text: Представлять отчёт.
        deadline: ежемесячно до 10 числа
        responsible: руководители ОО
      - text: Подготовить план.
        deadline: до конца учебного года
        responsible: руководители ОО
""", encoding="utf-8")
    code = ("import sys\nfrom protokol.cli.main import run\ntry:\n    run(['due', '--root', sys.argv[1], '--today', '2024-06-01'])\n"
            "except SystemExit:\n    pass\nprint('grammar loaded:', 'protokol.deadlines' in sys.modules)\n")
    runs = [subprocess.run([sys.executable, "-c", code, str(tmp_path)], capture_output=True, text=True, env=os.environ)
            for _ in range(3)]
    assert [r.stdout.strip().splitlines()[-1] for r in runs] == ["grammar loaded: True", "grammar loaded: True",
                                                                 "grammar loaded: False"]
    assert all("2024-06-10" in r.stdout and "2024-08-31" in r.stdout for r in runs)


def test_a_symlink_loop_is_an_unreadable_file_not_a_crash(tmp_path):
    import shutil

    from conftest import PROTOCOLS, run_cli

    shutil.copytree(PROTOCOLS, tmp_path / "protocols")
    (tmp_path / "protocols" / "2024" / "loop.yaml").symlink_to("loop.yaml")
    due = run_cli("due", "--root", str(tmp_path), "--today", "2024-06-01", "--format", "json")
    assert due.exit_code == 1
    assert "loop.yaml" in due.stderr and "internal error" not in due.stderr
    check = run_cli("check", "--root", str(tmp_path), "--today", "2026-11-22")
    assert check.exit_code == 1 and "file-unreadable" in check.stdout


def test_building_and_reading_the_index_leaves_no_garbage_cycles(archive: Path):
    """A cold `due` runs with the cyclic collector paused (cache.collector_off): anything that formed a cycle
    (a recursive closure holding a protocol, say) would stay in memory until the process ends."""
    import gc

    gc.collect()
    gc.disable()
    try:
        cold = load(archive)
        cold.resolution  # noqa: B018
        listed(cold)
        cycles_cold = gc.collect()
        warm = load(archive)
        listed(warm)
        cycles_warm = gc.collect()
    finally:
        gc.enable()
    assert (cycles_cold, cycles_warm) == (0, 0)


def test_the_cache_fingerprint_covers_the_catalogues_and_the_c_reader(monkeypatch):
    """Problems are cached as messages, and the C reader shapes every tree: a new catalogue or a rebuilt reader
    makes old records stale, as an edited module does."""
    monkeypatch.setattr(cachekeys, "_SOURCE_FINGERPRINT", None)
    names = [part[0] for part in cachekeys.source_fingerprint()[3]]
    assert any(name.endswith(os.path.join("ru", "LC_MESSAGES", "protokol.mo")) for name in names)
    assert any(name.startswith("_fastyaml") for name in names)
    assert {"cache.py", "cachekeys.py", "cachestore.py", "parallel.py"} <= set(names)
