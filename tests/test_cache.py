"""The cache of parsed protocols: same answers as reading every file, fresh after edits, silent when damaged."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
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
    """The grammar takes 50 ms to compile: a warm run finds its dates, the next occurrences included, in the cache:
    the list of every open decision in the rows prepared when the index was built (rowblob), a filtered list in the
    occurrences a warm run worked out before."""
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
    code = ("import sys\nfrom protokol.cli.main import run\ntry:\n    run(['due', '--root', sys.argv[1], '--today', '2024-06-01',"
            " *sys.argv[2:]])\nexcept SystemExit:\n    pass\nprint('grammar loaded:', 'protokol.deadlines' in sys.modules)\n")
    runs = [subprocess.run([sys.executable, "-c", code, str(tmp_path), *extra], capture_output=True, text=True,
                           env=os.environ)
            for extra in ((), (), ("--before", "2025-01-01"), ("--before", "2025-01-01"))]
    assert [r.stdout.strip().splitlines()[-1] for r in runs] == ["grammar loaded: True", "grammar loaded: False",
                                                                 "grammar loaded: True", "grammar loaded: False"]
    assert all("2024-02-10" in r.stdout and "2024-08-31" in r.stdout for r in runs)  # the first occurrence, missed


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


# ------------------------------------------------------------------------------------------------- never wrong

JANUARY = ("protocols", "2024", "2024-01-09-1.yaml")


def due_json(root: Path, *more: str) -> list:
    result = run_cli("due", "--root", str(root), "--today", "2024-01-15", "--format", "json", *more)
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def due_of(decisions: list, decision_id: str) -> str:
    (found,) = [d for d in decisions if d["id"] == decision_id]
    return found["deadline"]["due"]


def edit_keeping_stat(path: Path, old: str, new: str) -> None:
    """Change the text without changing the size, and put the old mtime back (as `cp -p`, rsync or an editor's
    "keep timestamps" do)."""
    before = path.stat()
    text = path.read_text(encoding="utf-8")
    assert len(old.encode()) == len(new.encode()) and old in text
    path.write_text(text.replace(old, new), encoding="utf-8")
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    after = path.stat()
    assert (after.st_size, after.st_mtime_ns, after.st_ino) == (before.st_size, before.st_mtime_ns, before.st_ino)


@pytest.mark.parametrize("granularity", [cachekeys.GRANULARITY_NS, 0], ids=["racy", "settled"])
def test_a_same_size_edit_with_the_old_mtime_is_seen(archive: Path, monkeypatch, granularity: int):
    """The bug of issue 11: «31 января» → «30 января», same size, old mtime restored. Right after copying, the files
    are racy (hashed on every run); with no granularity they are settled at once, trusted by their stat key, and
    the ctime tells the edit."""
    monkeypatch.setattr(cachekeys, "GRANULARITY_NS", granularity)
    due_json(archive)
    assert due_of(due_json(archive), "2024-01-09-1/2.2.1") == "2024-01-31"  # warm
    edit_keeping_stat(archive.joinpath(*JANUARY), "31 января", "30 января")
    warm = due_json(archive)
    assert due_of(warm, "2024-01-09-1/2.2.1") == "2024-01-30"
    assert warm == due_json(archive, "--no-cache") == due_json(archive)


def test_an_edit_in_the_same_tick_as_the_reading_is_seen(archive: Path):
    """Two versions with the same size and mtime: the cache is written, and at once the file is changed, its mtime
    forced back to what the cache saw (within one timestamp tick the filesystem itself would give the same)."""
    due_json(archive)
    edit_keeping_stat(archive.joinpath(*JANUARY), "31 января", "30 января")
    assert due_of(due_json(archive), "2024-01-09-1/2.2.1") == "2024-01-30"
    edit_keeping_stat(archive.joinpath(*JANUARY), "30 января", "29 января")
    assert due_of(due_json(archive), "2024-01-09-1/2.2.1") == "2024-01-29"


def test_a_replaced_file_is_seen_by_its_new_inode(archive: Path):
    """An editor that writes a new file and renames it over the old one: same size, same mtime, another inode."""
    due_json(archive)
    path = archive.joinpath(*JANUARY)
    before = path.stat()
    replacement = path.with_name(".2024-01-09-1.yaml.tmp")
    replacement.write_text(path.read_text(encoding="utf-8").replace("31 января", "30 января"), encoding="utf-8")
    os.utime(replacement, ns=(before.st_atime_ns, before.st_mtime_ns))
    os.replace(replacement, path)
    assert path.stat().st_ino != before.st_ino and path.stat().st_mtime_ns == before.st_mtime_ns
    assert due_of(due_json(archive), "2024-01-09-1/2.2.1") == "2024-01-30"


def test_check_sees_a_same_size_edit_with_the_old_mtime(archive: Path, monkeypatch):
    """protocols.pickle (what `check` reads) follows the same rules as the index."""
    monkeypatch.setattr(cachekeys, "GRANULARITY_NS", 0)  # settled files: trusted by their stat key, the ctime tells

    def deadlines() -> str:  # every field of every protocol, nested decisions included
        return repr(load_collection([archive / "protocols"], use_cache=True, root=archive).protocols)

    load_collection([archive / "protocols"], use_cache=True, root=archive)
    assert "31 января 2024 года" in deadlines()
    edit_keeping_stat(archive.joinpath(*JANUARY), "31 января", "30 января")
    found = deadlines()
    assert "30 января 2024 года" in found and "31 января 2024 года" not in found


def test_the_trust_decision():
    """When a record may be trusted by its stat key alone, where ctime cannot help: racy records need their digest."""
    key = (1_700_000_000_000_000_000, 2048, 1_700_000_000_000_000_000, 42)
    assert cachekeys.decide(key, b"d", False, key) == cachekeys.TRUSTED
    assert cachekeys.decide(key, b"d", True, key) == cachekeys.VERIFY  # same stat, content may differ: hash it
    assert cachekeys.decide(key, None, True, key) == cachekeys.MISS  # nothing to compare with: read it again
    assert cachekeys.decide(key, b"d", False, None) == cachekeys.MISS  # the file is gone or unreadable
    assert cachekeys.decide(None, None, False, key) == cachekeys.MISS
    for other in ((key[0] + 1, *key[1:]), (key[0], key[1], key[2] + 1, key[3]), (*key[:3], 43)):
        assert cachekeys.decide(key, b"d", False, other) == cachekeys.VERIFY  # same size: one hash, not a parse
        assert cachekeys.decide(key, None, False, other) == cachekeys.MISS
    assert cachekeys.decide(key, b"d", False, (key[0], key[1] + 1, *key[2:])) == cachekeys.MISS
    g = cachekeys.GRANULARITY_NS
    read_at = key[0] + g  # read exactly one granularity after the change: a later change could still share the tick
    assert cachekeys.is_racy(key, read_at)
    assert not cachekeys.is_racy(key, read_at + 1)
    assert cachekeys.is_racy((key[0] - 10 * g, key[1], key[2], key[3]), read_at)  # an old mtime put back: the ctime
    assert cachekeys.is_racy((key[0], key[1], key[2] - 10 * g, key[3]), read_at)


def forge_stat(root: Path, path: Path) -> None:
    """Make the cache believe it saw `path` with the stat key it has now: what two versions within one timestamp
    tick look like when ctime cannot tell them apart (a filesystem with a coarse ctime, or an mtime-only one)."""
    folder, key = root / cache.CACHE_DIR, cachekeys.user_key()
    header = ((cachekeys.source_fingerprint(), "en"),)
    fast, _ = cachestore.read_signed(folder / "index.pickle", key, header)
    extra, records = cachestore.read_signed(folder / "records.pickle", key, header)
    files = cachekeys.scan([root / "protocols"])
    fast["order"] = cache._order(files)
    current = cachekeys.file_key(path)
    records[str(path)] = (current, *records[str(path)][1:])
    cachestore.write_signed(folder, "index.pickle", key, header, fast, {})
    cachestore.write_signed(folder, "records.pickle", key, header, extra, records)


def test_a_racy_file_is_hashed_when_its_stat_cannot_tell(archive: Path):
    path = archive.joinpath(*JANUARY)
    load(archive)
    racy = cachestore.read_signed(archive / cache.CACHE_DIR / "index.pickle", cachekeys.user_key(),
                                  ((cachekeys.source_fingerprint(), "en"),))[0]["racy"]
    assert racy  # just copied: every file is too recent to be trusted by its stat
    path.write_text(path.read_text(encoding="utf-8").replace("31 января", "30 января"), encoding="utf-8")
    forge_stat(archive, path)
    found = {d.id: d.due for d in selection.select(load(archive), EVERYTHING, TODAY)}
    assert found["2024-01-09-1/2.2.1"] == date(2024, 1, 30)


def test_racy_files_are_trusted_by_their_stat_once_settled(archive: Path, monkeypatch):
    """Slow to trust, then fast: once the files are safely older than a reading, no protocol file is opened."""
    opened: list[str] = []
    watching = [False]

    def audit(event: str, args: tuple) -> None:
        if watching[0] and event == "open" and isinstance(args[0], str | bytes | os.PathLike):
            opened.append(os.fsdecode(args[0]))

    sys.addaudithook(audit)
    expected = listed(load(archive))
    header = ((cachekeys.source_fingerprint(), "en"),)
    index_file = archive / cache.CACHE_DIR / "index.pickle"
    assert cachestore.read_signed(index_file, cachekeys.user_key(), header)[0]["racy"]
    monkeypatch.setattr(cachekeys, "GRANULARITY_NS", 0)  # as if the filesystem's tick had passed
    assert listed(load(archive)) == expected  # hashed once more, and found safe
    assert cachestore.read_signed(index_file, cachekeys.user_key(), header)[0]["racy"] == {}
    watching[0] = True
    warm = load(archive)
    watching[0] = False
    assert warm._loader is not None and listed(warm) == expected
    protocols = str(archive / "protocols")
    assert not [p for p in opened if p.startswith(protocols)]


# ------------------------------------------------------------------------------------------------- damaged caches

def due_process(root: Path, *more: str) -> subprocess.CompletedProcess:
    """`protokol due` in a process of its own, so that a cache file that blocks or never ends fails the test by
    the timeout instead of hanging it."""
    code = "import sys\nfrom protokol.cli.main import run\nrun(sys.argv[1:])\n"
    return subprocess.run([sys.executable, "-c", code, "due", "--root", str(root), "--today", "2024-06-01", "--format",
                           "json", "--all", *more], capture_output=True, text=True, timeout=120, env=os.environ)


def entries_file(root: Path) -> Path:
    (found,) = (root / cache.CACHE_DIR).glob("entries-*.bin")
    return found


@pytest.mark.parametrize("damage", ["truncated entries", "truncated index", "truncated records", "flipped bytes"])
def test_a_damaged_store_is_read_again_from_the_files(archive: Path, damage: str):
    expected = listed(load(archive))
    folder = archive / cache.CACHE_DIR
    target = {"truncated index": folder / "index.pickle", "truncated records": folder / "records.pickle"}.get(
        damage, entries_file(archive))
    data = bytearray(target.read_bytes())
    if damage == "flipped bytes":
        for at in range(0, len(data), 101):
            data[at] ^= 0x01
    else:
        del data[len(data) // 2:]
    target.write_bytes(bytes(data))
    if damage == "truncated records":
        (folder / "index.pickle").unlink()  # so that the records are what the next run reads
    assert listed(load(archive)) == expected
    assert listed(load(archive)) == expected
    assert load(archive)._loader is not None  # rebuilt: warm again


def test_damage_found_while_the_query_reads_is_repaired_there(archive: Path):
    """The fast part checks out, an entries segment does not: the query still gets the file's decisions (parsed
    from the file, in the cache layer), and the next run rebuilds the store."""
    expected = listed(load(archive))
    index = load(archive)
    assert index._loader is not None
    entries = entries_file(archive)
    entries.write_bytes(bytes(b ^ 0xFF for b in entries.read_bytes()))
    assert listed(index) == expected
    assert not (archive / cache.CACHE_DIR / "index.pickle").exists()  # the damaged generation is no longer used
    assert listed(load(archive)) == expected
    assert load(archive)._loader is not None


def test_an_unwritable_cache_is_no_error(archive: Path):
    """A read-only .protokol-cache (or a file in its place): answers as without a cache, nothing written, no
    message. (Run as root, chmod does not stop the writes: the file in its place does.)"""
    expected = json.loads(due_process(archive, "--no-cache").stdout)
    folder = archive / cache.CACHE_DIR
    folder.mkdir()
    folder.chmod(0o555)
    try:
        for _ in range(2):
            result = due_process(archive)
            assert (result.returncode, result.stderr, json.loads(result.stdout)) == (0, "", expected)
        if os.geteuid() != 0:
            assert list(folder.iterdir()) == []
    finally:
        folder.chmod(0o755)
    shutil.rmtree(folder)
    folder.write_bytes(b"not a folder")
    for _ in range(2):
        result = due_process(archive)
        assert (result.returncode, result.stderr, json.loads(result.stdout)) == (0, "", expected)
    assert folder.read_bytes() == b"not a folder"
    check = run_cli("check", "--root", str(archive), "--today", "2024-06-01")
    plain = run_cli("check", "--root", str(archive), "--today", "2024-06-01", "--no-cache")
    assert (check.exit_code, check.stdout, check.stderr) == (plain.exit_code, plain.stdout, plain.stderr)


@pytest.mark.parametrize("name", ["index.pickle", "records.pickle", "occurrences.pickle", "entries"])
@pytest.mark.parametrize("kind", ["fifo", "/dev/zero"])
def test_a_cache_file_that_is_no_regular_file_is_ignored(archive: Path, name: str, kind: str):
    """A FIFO blocks a reader that waits for a writer; /dev/zero never ends. Neither may hang `due` or fill memory."""
    expected = json.loads(due_process(archive, "--no-cache").stdout)
    due_process(archive)
    target = entries_file(archive) if name == "entries" else archive / cache.CACHE_DIR / name
    if name == "records.pickle":
        (archive / cache.CACHE_DIR / "index.pickle").unlink()
    target.unlink(missing_ok=True)
    if kind == "fifo":
        os.mkfifo(target)
    else:
        target.symlink_to("/dev/zero")
    for _ in range(2):
        result = due_process(archive)
        assert (result.returncode, result.stderr, json.loads(result.stdout)) == (0, "", expected)


def test_a_cache_file_is_read_only_when_regular_and_within_its_limit(tmp_path: Path):
    (tmp_path / "big").write_bytes(b"x" * 100)
    os.mkfifo(tmp_path / "fifo")
    (tmp_path / "zero").symlink_to("/dev/zero")
    assert cachekeys.read_regular(tmp_path / "big", 100) == b"x" * 100
    assert cachekeys.read_regular(tmp_path / "big", 99) is None
    assert cachekeys.read_regular(tmp_path / "fifo", 100) is None
    assert cachekeys.read_regular(tmp_path / "zero", 100) is None
    assert cachekeys.read_regular(tmp_path / "missing", 100) is None
