"""Shared test fixtures: English messages by default, a fixed today, the repository's paths, the original texts of
the example archive, and the helpers several test files use to run the CLI and git."""

from __future__ import annotations

import os
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


def example_protocol(protocol_id: str) -> Path:
    """The file of an example protocol in protocols/<year>/."""
    return PROTOCOLS / protocol_id[:4] / f"{protocol_id}.yaml"


@pytest.fixture(autouse=True)
def english_messages():
    set_language("en")
    yield
    set_language("en")


def run_cli(*args: str, lang: str = "en"):
    """Run the real CLI in-process (CliRunner keeps stdout and stderr apart) and return the result."""
    from typer.testing import CliRunner

    from protokol.cli.main import build_app

    set_language(lang)
    runner = CliRunner()
    return runner.invoke(build_app(), list(args), catch_exceptions=False)


def git_env(repo: Path, author: bool = True) -> dict[str, str]:
    """The environment for git and protokol run in a test's repository: no user or system git configuration, no
    repository above it, English messages, wide output; with `author`, a fixed author and committer."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GIT_", "LC_", "PROTOKOL_"))}
    env.update(LANG="C.UTF-8", LANGUAGE="en", COLUMNS="250", PYTHONIOENCODING="utf-8", GIT_CONFIG_GLOBAL=os.devnull,
               GIT_CONFIG_NOSYSTEM="1", GIT_CEILING_DIRECTORIES=str(repo.parent))
    if author:
        env.update(GIT_AUTHOR_NAME="Фролова Татьяна", GIT_AUTHOR_EMAIL="f@example.org",
                   GIT_COMMITTER_NAME="Фролова Татьяна", GIT_COMMITTER_EMAIL="f@example.org")
    return env
