"""Shared test fixtures: English messages by default, a fixed today, the repository's paths, the original texts of
the example archive, and the helpers several test files use to run the CLI and git."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from protokol.i18n import set_language

REPO = Path(__file__).resolve().parent.parent
DATA = REPO / "tests" / "data"
PROTOCOLS = REPO / "protocols"
TODAY = date(2026, 11, 22)
# The texts the example archive was encoded from, each named after its protocol (examples/originals/README.md).
ORIGINALS = REPO / "examples" / "originals"
ORIGINAL_IDS = ("2020-12-22", "2021-09-02", "2022-12-25-1", "2023-08-27-8", "2024-01-09-1")


def original(protocol_id: str) -> Path:
    """The original text of an example protocol; a missing one fails the test and says where it belongs."""
    path = ORIGINALS / f"{protocol_id}.txt"
    if not path.is_file():
        pytest.fail(f"original text {path} not found: it belongs in examples/originals/ of the repository "
                    "(see examples/originals/README.md)")
    return path


_WORD = re.compile(r"[А-Яа-яЁёA-Za-z0-9]+")


def words(text: str) -> set[str]:
    """The words of a text as «no word is lost» compares them: case folded, ё as е, punctuation and layout gone."""
    return {w.casefold().replace("ё", "е") for w in _WORD.findall(text)}


def example_protocol(protocol_id: str) -> Path:
    """The file of an example protocol in protocols/<year>/."""
    return PROTOCOLS / protocol_id[:4] / f"{protocol_id}.yaml"


@pytest.fixture(autouse=True)
def english_messages():
    set_language("en")
    yield
    set_language("en")


def run_cli(*args: str, lang: str = "en", input: str | None = None, env: dict[str, str] | None = None,
            cwd: Path | None = None):
    """Run the real CLI in-process (CliRunner keeps stdout and stderr apart) and return the result: `input` is typed at
    its prompts, `env` is added to the environment for the run, `cwd` is the folder it runs in."""
    from contextlib import chdir, nullcontext

    from typer.testing import CliRunner

    from protokol.cli.main import build_app

    set_language(lang)
    with chdir(cwd) if cwd is not None else nullcontext():
        return CliRunner().invoke(build_app(), list(args), input=input, env=env, catch_exceptions=False)


def init_archive(root: Path, *options: str) -> Path:
    """An archive made by `protokol init ROOT OPTIONS…` in-process; the test fails with init's output if init does."""
    made = run_cli("init", str(root), *options)
    assert made.exit_code == 0, made.output
    return root


def files(root: Path, ignore: tuple[str, ...] = (".git",)) -> dict[str, bytes]:
    """Every file below `root` and its bytes, by relative path, leaving out the folders named in `ignore`: what a test
    compares before and after a command that must change nothing."""
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file() and not set(ignore) & set(p.relative_to(root).parts)}


AUTHOR = {"GIT_AUTHOR_NAME": "Фролова Татьяна", "GIT_AUTHOR_EMAIL": "frolova@example.org",
          "GIT_COMMITTER_NAME": "Фролова Татьяна", "GIT_COMMITTER_EMAIL": "frolova@example.org"}


def git_isolation(repo: Path, author: bool = True) -> dict[str, str]:
    """The variables that keep git in a test's repository away from the user's and the system's configuration and from
    any repository above it; with `author`, a fixed author and committer (else the repository's own user.name)."""
    env = {"GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1", "GIT_CEILING_DIRECTORIES": str(repo.parent)}
    return env | AUTHOR if author else env


def git_env(repo: Path, author: bool = True) -> dict[str, str]:
    """The environment for git and protokol run in a test's repository: git_isolation, nothing of the caller's git,
    locale or protokol variables, English messages, wide output."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GIT_", "LC_", "PROTOKOL_"))}
    env.update(LANG="C.UTF-8", LANGUAGE="en", COLUMNS="250", PYTHONIOENCODING="utf-8")
    return env | git_isolation(repo, author)


def git(repo: Path, *args: str, author: bool = True, check: bool = True) -> subprocess.CompletedProcess:
    """Run git in `repo` (git_env); with `check`, a failure fails the test with git's message."""
    result = subprocess.run(["git", *args], cwd=repo, capture_output=True, text=True, env=git_env(repo, author))
    if check and result.returncode != 0:
        raise AssertionError(f"git {' '.join(args)}: {result.stderr}")
    return result


def protokol(repo: Path, *args: str, env: dict[str, str] | None = None, author: bool = True
             ) -> subprocess.CompletedProcess:
    """Run the real `protokol` command in a fresh process in `repo`, as git's hooks and textconv run it."""
    return subprocess.run([sys.executable, "-m", "protokol", *args], cwd=repo, capture_output=True, text=True,
                          env=env or git_env(repo, author))


def write(root: Path, text: str, rel: str) -> Path:
    """Write a file of a test's archive, making its folders."""
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def commit(repo: Path, message: str, *options: str, author: bool = True) -> None:
    """Stage everything and commit it (`options` go to `git commit`, e.g. --no-verify or --author=…)."""
    git(repo, "add", "-A", author=author)
    git(repo, "commit", "-q", "-m", message, *options, author=author)


def init_repo(root: Path, author: bool = True) -> Path:
    """A new git repository on branch main that signs no commits; without `author`, its own user.name commits."""
    root.mkdir(parents=True, exist_ok=True)
    git(root, "init", "-q", "-b", "main", author=author)
    git(root, "config", "commit.gpgsign", "false", author=author)
    if not author:
        git(root, "config", "user.name", "Фролова Татьяна", author=False)
        git(root, "config", "user.email", "frolova@example.org", author=False)
    return root


# A protocol of a meeting of heads of schools: decisions with dates and responsibles, СЛУШАЛИ in several forms and
# ВЫСТУПИЛИ; the review, control and signing tests run on it in a git repository (heads_repo).
HEADS_REL = "protocols/2024/2024-05-14-1.yaml"
HEADS_MEETING = """\
date: 2024-05-14
number: "1"
title: совещания руководителей
participants:
  chair: Никитина О.В.
  secretary: Фролова Т.С.
  present:
    - Белова И.Г.
agenda:
  - number: 1
    title: О летней кампании
    heard:
      - who: Белова И.Г.
        role: главного специалиста отдела образования
        text: Доклад о готовности лагерей.
      - who: [Громов П.С., Исаев Р.Р.]
    spoke:
      - who: Белова И.Г.
        role: главный специалист
    decided:
      - number: "1.1"
        text: Представить списки детей.
        deadline: до 20 мая
        responsible: руководители ОО
      - number: "1.2"
        text: Обеспечить открытие лагерей.
        deadline: 03.06.2024
        responsible: Громов П.С.
"""


@pytest.fixture
def heads_repo(tmp_path: Path) -> Path:
    """A git repository with HEADS_MEETING committed at HEADS_REL."""
    root = init_repo(tmp_path / "archive")
    write(root, HEADS_MEETING, HEADS_REL)
    commit(root, "Протокол № 1", "--no-verify")
    return root


def meeting(day: str, number: str = "1", title: str = "совещания", question: str = "") -> str:
    """A small protocol of one question «О разном»: `question` holds that question's own lines (heard:, decided:, …),
    indented as its keys are (four spaces)."""
    return (f"date: {day}\nnumber: \"{number}\"\ntitle: {title}\nparticipants:\n  chair: Никитина О.В.\n"
            f"  secretary: Фролова Т.С.\nagenda:\n  - number: 1\n    title: О разном\n{question}")
