"""The gate (gate.py): one verdict for `check`, the pre-commit hook, `sign`, `new` and `import`, in real git
repositories in temporary folders."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from conftest import DATA, HEADS_MEETING, HEADS_REL, TODAY, git, git_env, init_repo, run_cli

CHECKS = DATA / "checks"
REPRODUCERS = sorted(p for p in CHECKS.rglob("*.yaml") if not p.read_bytes().startswith(b"# context:"))
DAY = TODAY.isoformat()
_CODE = re.compile(r"^\S+:\d+:\d+: (?:error|warning)\[([a-z0-9-]+)\]", re.M)

EARLIER, EARLIER_REL = HEADS_MEETING, HEADS_REL  # decisions 1.1 and 1.2 of 2024-05-14-1
# a later meeting of the series closing a decision of the earlier one
LATER = (HEADS_MEETING.split("agenda:")[0].replace("date: 2024-05-14", "date: 2024-06-11").replace('"1"', '"4"')
         + "agenda:\n  - title: О ходе выполнения решений\n    decided:\n      - text: Пункт 1.1 снять с контроля.\n"
         + "        acts_on: [{{decision: {target}, action: done}}]\n")
LATER_REL = "protocols/2024/2024-06-11-4.yaml"


@pytest.fixture
def repo(tmp_path: Path, monkeypatch) -> Path:
    """An empty archive in a git repository of its own; protokol runs in-process inside it, with git set as in CI."""
    root = init_repo(tmp_path / "archive")
    (root / "protocols").mkdir()
    for key, value in git_env(root).items():
        if key.startswith("GIT_") or key in ("LANG", "LANGUAGE"):
            monkeypatch.setenv(key, value)
    monkeypatch.chdir(root)
    return root


def put(root: Path, rel: str, data: bytes | str, stage: bool = True) -> None:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    if stage:
        git(root, "add", "--", rel)


def hook():
    return run_cli("hooks", "pre-commit", "--today", DAY)


def check(*paths: str):
    return run_cli("check", *paths, "--today", DAY)


def codes(output: str) -> list[str]:
    return sorted(_CODE.findall(output))


@pytest.mark.parametrize("reproducer", REPRODUCERS, ids=lambda p: str(p.relative_to(CHECKS)))
def test_the_hook_and_check_agree_on_every_reproducer(repo: Path, reproducer: Path):
    if reproducer.name in ("protokol.yaml", "people.yaml"):  # the archive's own files: `check` judges them, not the hook
        put(repo, reproducer.name, reproducer.read_bytes())
        expected = re.search(rb"^# expect: \d+:\d+ ([a-z0-9-]+):", reproducer.read_bytes(), re.M)
        assert expected[1].decode() in codes(check().stdout)
        return
    rel = "protocols/" + reproducer.relative_to(CHECKS).as_posix()  # 2023/date-folder.yaml keeps its year folder
    for context in reproducer.parent.glob("*.yaml"):  # the archive a reproducer is checked in (test_reproducers)
        if context != reproducer and context.read_bytes().startswith(b"# context:"):
            put(repo, "protocols/" + context.relative_to(CHECKS).as_posix(), context.read_bytes())
    put(repo, rel, reproducer.read_bytes())
    staged, checked = hook(), check()
    expected = re.search(rb"^# expect: \d+:\d+ ([a-z0-9-]+):", reproducer.read_bytes().replace(b"\x00", b""), re.M)
    assert (staged.exit_code, codes(staged.stdout)) == (checked.exit_code, codes(checked.stdout))
    assert staged.exit_code == (1 if "error[" in checked.stdout else 0)
    if expected:  # every reproducer but the UTF-16 one (its header is not ASCII bytes) names its code
        assert expected[1].decode() in codes(staged.stdout)


def test_a_staged_protocol_acting_on_an_unknown_decision_is_refused(repo: Path):
    put(repo, EARLIER_REL, EARLIER)
    git(repo, "commit", "-q", "-m", "Протокол № 1")
    put(repo, LATER_REL, LATER.format(target="2024-05-14-1/9.9"))
    refused = hook()
    assert refused.exit_code == 1
    assert codes(refused.stdout) == ["reference-unknown"]
    assert "Commit refused: 1 error in the staged protocols." in refused.stderr
    put(repo, LATER_REL, LATER.format(target="2024-05-14-1/1.1"))  # the decision the meeting meant: accepted
    assert (hook().exit_code, codes(hook().stdout)) == (0, [])


def test_the_hook_judges_the_index_not_the_working_folder(repo: Path):
    """A staged fix of a broken file passes; a reference to a file that is not staged, or staged as deleted, fails."""
    put(repo, EARLIER_REL, EARLIER.replace("deadline: до 20 мая", "deadline: когда-нибудь"))
    assert codes(hook().stdout) == ["deadline-unknown"]
    put(repo, EARLIER_REL, EARLIER, stage=False)  # fixed in the folder only: the commit would still hold the error
    refused = hook()
    assert codes(refused.stdout) == ["deadline-unknown"]
    assert "deadline: когда-нибудь" in refused.stdout  # the excerpt is of the staged version
    put(repo, EARLIER_REL, EARLIER)  # the fix, staged
    put(repo, EARLIER_REL, EARLIER.replace("date: 2024-05-14", "date: 2024-05-32"), stage=False)  # broken again, unstaged
    assert check().exit_code == 1  # check reads the working folder
    accepted = hook()
    assert (accepted.exit_code, codes(accepted.stdout)) == (0, [])
    git(repo, "commit", "-q", "-m", "Протокол № 1")

    # the protocol referred to is in the folder but not in the commit
    git(repo, "rm", "-q", "--cached", EARLIER_REL)
    git(repo, "commit", "-q", "-m", "Протокол № 1 убран из архива")
    put(repo, EARLIER_REL, EARLIER, stage=False)
    put(repo, LATER_REL, LATER.format(target="2024-05-14-1/1.1"))
    assert check().exit_code == 0
    assert codes(hook().stdout) == ["reference-unknown"]
    git(repo, "add", EARLIER_REL)
    assert hook().exit_code == 0
    git(repo, "commit", "-q", "-m", "Протоколы № 1 и 4")

    # deleting (or renaming) a protocol that another refers to breaks the other file: the hook names it
    git(repo, "mv", EARLIER_REL, "protocols/2024/2024-05-14-5.yaml")
    refused = hook()
    assert refused.exit_code == 1 and codes(refused.stdout) == ["reference-unknown"]
    assert f"{LATER_REL}:" in refused.stdout
    git(repo, "reset", "-q", "--hard")
    git(repo, "rm", "-q", EARLIER_REL)  # a deletion alone, nothing added or changed
    deleted = hook()
    assert deleted.exit_code == 1 and codes(deleted.stdout) == ["reference-unknown"]


def test_check_of_one_file_reads_its_references_in_the_archive(repo: Path):
    put(repo, EARLIER_REL, EARLIER, stage=False)
    put(repo, LATER_REL, LATER.format(target="2024-05-14-1/1.1"), stage=False)
    assert check(LATER_REL).exit_code == 0  # 2024-05-14-1 is not named, but it is in the archive
    put(repo, EARLIER_REL, EARLIER.replace('"1.1"', '"1.3"'), stage=False)
    broken = check(EARLIER_REL)  # renumbering a decision breaks the reference in the other file
    assert broken.exit_code == 1 and f"{LATER_REL}:" in broken.stdout and codes(broken.stdout) == ["reference-unknown"]


def test_sign_refuses_what_the_gate_refuses(repo: Path):
    put(repo, LATER_REL, LATER.format(target="2024-05-14-1/1.1"), stage=False)
    refused = run_cli("sign", "2024-06-11-4", "--by", "Никитина О.В.", "--date", "2024-06-12", "--today", DAY)
    assert refused.exit_code == 1 and "error[reference-unknown]" in refused.stdout
    assert "signed:" not in (repo / LATER_REL).read_text(encoding="utf-8")
    put(repo, EARLIER_REL, EARLIER, stage=False)
    signed = run_cli("sign", "2024-06-11-4", "--by", "Никитина О.В.", "--date", "2024-06-12", "--today", DAY)
    assert signed.exit_code == 0, signed.stderr


def test_new_writes_no_file_the_gate_refuses(repo: Path, monkeypatch):
    """No option of `new` makes a broken draft today; a fault in the draft's making must still not reach the disk."""
    from protokol import drafts

    real = drafts.render_draft

    def faulty(*args, **kwargs):
        return real(*args, **kwargs).replace("agenda: []", "agenda:\n- title: О разном\n  decided:\n  - text: Сделать.\n"
                                             "    deadline: когда-нибудь")

    monkeypatch.setattr(drafts, "render_draft", faulty)
    refused = run_cli("new", "--date", "2024-05-14", "--chair", "Никитина О.В.", "--secretary", "Фролова Т.С.",
                      "--no-interactive", "--today", DAY)
    assert refused.exit_code == 1
    assert "error[deadline-unknown]" in refused.stdout and "nothing was written" in refused.stderr
    assert list((repo / "protocols").rglob("*.yaml")) == []
    monkeypatch.setattr(drafts, "render_draft", real)
    written = run_cli("new", "--date", "2024-05-14", "--chair", "Никитина О.В.", "--secretary", "Фролова Т.С.",
                      "--no-interactive", "--today", DAY)
    assert written.exit_code == 0 and (repo / "protocols" / "2024" / "2024-05-14-1.yaml").is_file()


def test_import_writes_no_file_the_gate_refuses(repo: Path):
    """An id the archive has already, in another folder of protocols/: `check` would refuse the pair."""
    source = repo / "old" / "online.md"
    source.parent.mkdir()
    shutil.copy(DATA / "import" / "online.md", source)
    first = run_cli("import", "old/online.md", "--today", DAY)
    assert first.exit_code == 0, first.stderr
    existing = list((repo / "protocols").rglob("*.yaml"))
    for extra in ([], ["--dry-run"]):
        refused = run_cli("import", "old/online.md", "-o", "protocols/review", *extra, "--today", DAY)
        assert refused.exit_code == 1
        assert "protocol-duplicate-id" in refused.stderr and "nothing was written" in refused.stderr
        assert list((repo / "protocols").rglob("*.yaml")) == existing and refused.stdout == ""
    # outside protocols/ the copy takes no id in the archive (a folder to review imports in)
    assert run_cli("import", "old/online.md", "-o", "review", "--today", DAY).exit_code == 0
