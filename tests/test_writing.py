"""The one writer (writing.py): modes, symlinks, read-only files, --force, artifacts, and edits under the lock,
through the library and through real `protokol` processes."""

from __future__ import annotations

import os
import shutil
import signal
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import DATA, PROTOCOLS, git_env
from protokol import writing

pytestmark = pytest.mark.skipif(os.name != "posix", reason="modes, umask and flock are POSIX")

TODAY = "2026-11-22"
EXAMPLE = "2024-01-09-1"


def protokol(cwd: Path, *args: str, umask: int = 0o022) -> subprocess.CompletedProcess:
    """The real program in its own process, with the given umask."""
    return subprocess.run([sys.executable, "-m", "protokol", *args], cwd=cwd, env=git_env(cwd), umask=umask,
                          capture_output=True, text=True, encoding="utf-8")


def start(cwd: Path, *args: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "protokol", *args], cwd=cwd, env=git_env(cwd),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, encoding="utf-8")


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def archive(tmp_path: Path) -> Path:
    root = tmp_path / "archive"
    root.mkdir()
    shutil.copytree(PROTOCOLS, root / "protocols")
    for path in (root / "protocols").rglob("*.yaml"):
        path.chmod(0o644)
    return root


def example(root: Path) -> Path:
    return root / "protocols" / "2024" / f"{EXAMPLE}.yaml"


TWENTY = "2024-01-15-1"


def twenty_decisions(root: Path) -> Path:
    """A protocol with 20 decisions under one agenda question, all open."""
    folder = root / "protocols" / "2024"
    folder.mkdir(parents=True, exist_ok=True)
    decided = "".join(f"      - text: Решение {i}.\n        deadline: до 01.03.2024\n        responsible: Иванов И.И.\n"
                      for i in range(1, 21))
    path = folder / f"{TWENTY}.yaml"
    path.write_text("date: 2024-01-15\ntitle: совещания\nparticipants: {chair: Никитина О.В., secretary: Фролова Т.С.}\n"
                    f"agenda:\n  - number: 1\n    title: Отчётность\n    decided:\n{decided}", encoding="utf-8")
    return path


# --- modes --------------------------------------------------------------------------------------------------------------

def test_every_command_writes_files_the_umask_allows(tmp_path: Path):
    """Under umask 022 every file a command creates is 0644 (mkstemp alone makes 0600: a shared folder could not
    read a rendered document or an imported protocol), and a file a command replaces stays 0644."""
    root = tmp_path / "a"
    root.mkdir()
    subprocess.run(["git", "init", "-q", str(root)], check=True, env=git_env(root))
    assert protokol(tmp_path, "init", str(root), "--chair", "Никитина О.В.", "--secretary", "Фролова Т.С.").returncode == 0
    made = protokol(root, "new", "--date", "2024-03-01", "--title", "совещания", "--no-carry-over", "--today", TODAY)
    assert made.returncode == 0, made.stderr
    shutil.copy(example(Path(PROTOCOLS).parent), root / "protocols" / "2024")
    (root / "protocols" / "2024" / f"{EXAMPLE}.yaml").chmod(0o644)
    for args in (["render", EXAMPLE, "-o", "out.docx"], ["render", EXAMPLE, "-o", "out.md"],
                 ["import", str(DATA / "import" / "pedsovet.txt"), "-o", "imported", "--today", TODAY],
                 ["templates", "--copy", "protocol.md.j2"], ["done", f"{EXAMPLE}/2.2.1", "--today", TODAY],
                 ["sign", EXAMPLE, "--by", "Никитина О.В.", "--date", "2024-01-10", "--today", TODAY]):
        result = protokol(root, *args)
        assert result.returncode == 0, (args, result.stderr)
    # the cache (.protokol-cache/, gitignored) has its own store writer; the lock files are 0644 too
    files = [p for p in root.rglob("*") if p.is_file() and not {".git", ".protokol-cache"} & set(p.relative_to(root).parts)]
    files += list((root / ".protokol-cache" / "locks").iterdir())
    written = {p.relative_to(root).as_posix() for p in files}
    assert {"out.docx", "out.md", "templates/protocol.md.j2", "protokol.yaml", "people.yaml", ".gitattributes",
            "protocols/2024/2024-03-01-1.yaml", f"protocols/2024/{EXAMPLE}.yaml"} <= written
    assert any(name.startswith("imported/") for name in written)
    assert {p.relative_to(root).as_posix(): oct(mode(p)) for p in files if mode(p) != 0o644} == {}
    assert "status: done" in example(root).read_text(encoding="utf-8") and "signed:" in example(root).read_text(encoding="utf-8")


def test_a_replaced_file_keeps_its_mode(archive: Path):
    path = example(archive)
    path.chmod(0o640)
    result = protokol(archive, "done", f"{EXAMPLE}/2.2.1", "--today", TODAY)
    assert result.returncode == 0, result.stderr
    assert mode(path) == 0o640 and "status: done" in path.read_text(encoding="utf-8")
    writing.replace_artifact(path, b"x")
    assert mode(path) == 0o640


def test_a_new_artifact_follows_the_umask(tmp_path: Path):
    old = os.umask(0o027)
    try:
        writing.replace_artifact(tmp_path / "export.csv", "a;b\n")
    finally:
        os.umask(old)
    assert mode(tmp_path / "export.csv") == 0o640 and (tmp_path / "export.csv").read_text() == "a;b\n"


# --- symlinks, read-only files ---------------------------------------------------------------------------------------

def test_a_symlinked_protocol_stays_a_link_and_its_target_gets_the_mark(archive: Path, tmp_path: Path):
    elsewhere = tmp_path / "shared" / f"{EXAMPLE}.yaml"
    elsewhere.parent.mkdir()
    shutil.move(example(archive), elsewhere)
    example(archive).symlink_to(elsewhere)
    result = protokol(archive, "done", f"{EXAMPLE}/2.2.1", "--today", TODAY)
    assert result.returncode == 0, result.stderr
    assert example(archive).is_symlink() and os.readlink(example(archive)) == str(elsewhere)
    assert "status: done" in elsewhere.read_text(encoding="utf-8")
    assert [p.name for p in elsewhere.parent.iterdir() if not p.name.endswith(".lock")] == [elsewhere.name]


def test_a_read_only_protocol_is_refused_not_replaced(archive: Path):
    path = example(archive)
    before = path.read_bytes()
    path.chmod(0o444)
    for args in (["done", f"{EXAMPLE}/2.2.1"], ["sign", EXAMPLE, "--by", "Никитина О.В.", "--date", "2024-01-10"]):
        result = protokol(archive, *args, "--today", TODAY)
        assert result.returncode == 1, result.stderr
        assert "read-only" in result.stderr and f"{EXAMPLE}.yaml" in result.stderr and "Traceback" not in result.stderr
    assert path.read_bytes() == before and mode(path) == 0o444


# --- files a person keeps: --force ------------------------------------------------------------------------------------

def test_a_kept_file_is_not_overwritten_without_force(tmp_path: Path):
    path = tmp_path / "people.yaml"
    writing.write_kept(path, "first\n")
    with pytest.raises(writing.WriteRefused) as refused:
        writing.write_kept(path, "second\n")
    assert "people.yaml" in refused.value.message and "--force" in refused.value.hint
    assert path.read_text() == "first\n"
    writing.write_kept(path, "second\n", force=True)
    assert path.read_text() == "second\n"


@pytest.mark.parametrize("args", [["render", EXAMPLE, "-o", "out.md"], ["templates", "--copy", "protocol.md.j2"],
                                  ["import", str(DATA / "import" / "pedsovet.txt"), "-o", "imported"]])
def test_commands_refuse_to_overwrite_without_force_and_name_the_option(archive: Path, args: list[str]):
    first = protokol(archive, *args)
    assert first.returncode == 0, first.stderr
    written = sorted(p for p in archive.rglob("*") if p.is_file() and "protocols" not in p.parts and ".protokol-cache" not in p.parts)
    for path in written:
        path.write_bytes(b"kept by a person\n")
    second = protokol(archive, *args)
    assert second.returncode == 1 and "--force" in second.stderr and written[0].name in second.stderr, second.stderr
    assert all(p.read_bytes() == b"kept by a person\n" for p in written)
    forced = protokol(archive, *args, "--force")
    assert forced.returncode == 0, forced.stderr
    assert all(p.read_bytes() != b"kept by a person\n" for p in written)


def test_forcing_over_a_symlink_writes_its_target(tmp_path: Path):
    target = tmp_path / "real.docx"
    target.write_bytes(b"old")
    target.chmod(0o600)
    link = tmp_path / "out.docx"
    link.symlink_to(target)
    writing.write_kept(link, b"new", force=True)
    assert link.is_symlink() and target.read_bytes() == b"new" and mode(target) == 0o600


# --- regenerated folders ----------------------------------------------------------------------------------------------

def test_replace_folder_swaps_a_whole_new_folder_in(tmp_path: Path):
    site = tmp_path / "site"
    old = os.umask(0o022)
    try:
        writing.replace_folder(site, lambda f: (f / "index.html").write_text("one"))
        writing.replace_folder(site, lambda f: (f / "other.html").write_text("two"))
    finally:
        os.umask(old)
    assert sorted(p.name for p in site.iterdir()) == ["other.html"]
    assert mode(site) == 0o755  # not mkdtemp's 0700: a web server or a colleague reads the site
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]  # no temporary folder left


def test_a_failed_build_leaves_the_old_folder(tmp_path: Path):
    site = tmp_path / "site"
    writing.replace_folder(site, lambda f: (f / "index.html").write_text("one"))

    def broken(folder: Path) -> None:
        (folder / "half.html").write_text("half")
        raise RuntimeError("template error")

    with pytest.raises(RuntimeError):
        writing.replace_folder(site, broken)
    assert [p.read_text() for p in site.iterdir()] == ["one"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


# --- edits under the lock ---------------------------------------------------------------------------------------------

def test_a_change_saved_between_read_and_replace_is_refused_and_kept(tmp_path: Path):
    path = tmp_path / "protocol.yaml"
    path.write_text("ours\n")

    def editor_saves_meanwhile(old: bytes) -> bytes:
        path.write_text("the editor's\n")  # what an editor that takes no lock does while protokol computes
        return old + b"mark\n"

    with pytest.raises(writing.WriteRefused) as refused:
        writing.edit_file(path, editor_saves_meanwhile)
    assert "changed by another program" in refused.value.message
    assert path.read_text() == "the editor's\n"
    assert writing.edit_file(path, lambda old: old + b"mark\n") == b"the editor's\nmark\n"


def _wait_until_blocked(pid: int) -> None:
    """Until process `pid` waits for a flock (a `->` line of /proc/locks names the waiters)."""
    import time

    for _ in range(6000):
        waiting = [line for line in Path("/proc/locks").read_text().splitlines() if "->" in line]
        if any(line.split()[5] == str(pid) for line in waiting):
            return
        time.sleep(0.01)
    raise AssertionError(f"process {pid} never waited for the lock")


@pytest.mark.skipif(not Path("/proc/locks").exists(), reason="needs /proc/locks to see a process waiting")
def test_done_waits_for_the_lock_and_refuses_marks_computed_from_a_changed_decision(archive: Path):
    from protokol import model as m
    from protokol.editing import edit_text

    path = example(archive)
    with writing.locked(path):
        waiting = start(archive, "done", f"{EXAMPLE}/2.2.1", "--note", "ours", "--today", TODAY)
        _wait_until_blocked(waiting.pid)
        # meanwhile another hand closes the same decision: the mark `done` computed is stale
        text, _why = edit_text(path.read_text(encoding="utf-8"), "2.2.1", m.Control(status="cancelled", reason="их"))
        path.write_text(text, encoding="utf-8")
    out, err = waiting.communicate(timeout=120)
    assert waiting.returncode == 1 and "changed by another command meanwhile" in err, err
    assert path.read_text(encoding="utf-8") == text


@pytest.mark.skipif(not Path("/proc/locks").exists(), reason="needs /proc/locks to see a process waiting")
def test_a_change_made_while_done_waits_is_kept_with_the_mark(archive: Path):
    path = example(archive)
    with writing.locked(path):
        waiting = start(archive, "done", f"{EXAMPLE}/2.2.1", "--today", TODAY)
        _wait_until_blocked(waiting.pid)
        path.write_text(path.read_text(encoding="utf-8") + "# поправка секретаря\n", encoding="utf-8")
    _out, err = waiting.communicate(timeout=120)
    assert waiting.returncode == 0, err
    text = path.read_text(encoding="utf-8")
    assert "# поправка секретаря" in text and "status: done" in text


@pytest.mark.skipif(not Path("/proc/locks").exists(), reason="needs /proc/locks to see a process waiting")
def test_sign_refuses_a_protocol_changed_while_it_waited(archive: Path):
    """What `sign` checked and hashed must be what it writes the signature into."""
    path = example(archive)
    with writing.locked(path):
        waiting = start(archive, "sign", EXAMPLE, "--by", "Никитина О.В.", "--date", "2024-01-10", "--today", TODAY)
        _wait_until_blocked(waiting.pid)
        changed = path.read_text(encoding="utf-8").replace("2024-01-09", "2024-01-08", 1)
        path.write_text(changed, encoding="utf-8")
    _out, err = waiting.communicate(timeout=120)
    assert waiting.returncode == 1 and "changed meanwhile" in err, err
    assert path.read_text(encoding="utf-8") == changed


@pytest.mark.parametrize("round_", range(3))
def test_twenty_concurrent_done_on_one_file_keep_every_mark(tmp_path: Path, round_: int):
    path = twenty_decisions(tmp_path)
    processes = [start(tmp_path, "done", f"{TWENTY}/1.{i}", "--note", f"отчёт {i}", "--today", TODAY)
                 for i in range(1, 21)]
    results = [(p.wait(timeout=300), p.communicate()[1]) for p in processes]
    lines = {line.strip() for line in path.read_text(encoding="utf-8").splitlines()}
    for i, (code, err) in enumerate(results, 1):
        assert code == 0, err
        assert f"report: отчёт {i}" in lines, f"the mark of 1.{i} was lost"


def test_kill_9_of_a_process_holding_the_lock_leaves_no_stale_lock(archive: Path):
    import fcntl

    path = example(archive)
    holder = subprocess.Popen([sys.executable, "-c", "import sys, time; from pathlib import Path; "
                               "from protokol import writing\n"
                               "with writing.locked(Path(sys.argv[1])):\n print('locked', flush=True); time.sleep(600)",
                               str(path)], stdout=subprocess.PIPE, text=True)
    assert holder.stdout.readline().strip() == "locked"
    lock = writing.lock_path(path)
    with open(lock) as fh:  # held: a non-blocking attempt fails
        with pytest.raises(BlockingIOError):
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
    os.kill(holder.pid, signal.SIGKILL)
    holder.wait()
    holder.stdout.close()
    with open(lock) as fh:
        fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)  # free again the moment the process died
    result = protokol(archive, "done", f"{EXAMPLE}/2.2.1", "--today", TODAY)
    assert result.returncode == 0, result.stderr


def test_locks_live_in_the_gitignored_cache_and_git_status_stays_clean(tmp_path: Path):
    root = tmp_path / "a"
    root.mkdir()
    env = git_env(root)
    subprocess.run(["git", "init", "-q", str(root)], check=True, env=env)
    assert protokol(tmp_path, "init", str(root), "--chair", "Никитина О.В.", "--secretary", "Фролова Т.С.").returncode == 0
    path = twenty_decisions(root)
    subprocess.run(["git", "add", "-A"], cwd=root, check=True, env=env)
    subprocess.run(["git", "commit", "-qm", "start"], cwd=root, check=True, env=env)
    assert protokol(root, "done", f"{TWENTY}/1.1", "--today", TODAY).returncode == 0
    assert writing.lock_path(path).parent == root / ".protokol-cache" / "locks"
    status = subprocess.run(["git", "status", "--porcelain", "--untracked-files=all"], cwd=root, env=env,
                            capture_output=True, text=True, check=True).stdout
    assert status.splitlines() == [f" M protocols/2024/{TWENTY}.yaml"]


def test_only_the_writer_writes_files():
    """Every file a command writes goes through writing.py: no other module opens a temporary file or renames one
    over another (the cache's private key and store, and the crash log, private to the user, are the exceptions)."""
    import re

    from conftest import REPO

    pattern = re.compile(r"write_text|write_bytes|open\(.*['\"][wxa]b?['\"]|os\.replace|os\.rename|mkstemp|"
                         r"NamedTemporaryFile|os\.link\(|shutil\.(copy|move)")
    allowed = {"writing.py", "cachekeys.py", "cachestore.py", "cli/main.py"}
    found = [f"{path.relative_to(REPO / 'src' / 'protokol').as_posix()}: {line.strip()}"
             for path in sorted((REPO / "src" / "protokol").rglob("*.py"))
             if path.relative_to(REPO / "src" / "protokol").as_posix() not in allowed
             for line in path.read_text(encoding="utf-8").splitlines() if pattern.search(line)]
    # a hook not written by protokol is moved aside whole (--force), a symlink as a symlink: a rename, not a write
    assert found == ['gitreview.py: os.replace(path, hooks / "pre-commit.bak")  # moved aside whole, a symlink as a symlink']
