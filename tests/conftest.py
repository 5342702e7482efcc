"""Shared test fixtures: English messages by default, a fixed today, the repository's paths."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from protokol.i18n import set_language

REPO = Path(__file__).resolve().parent.parent
DATA = REPO / "tests" / "data"
PROTOCOLS = REPO / "protocols"
TODAY = date(2026, 11, 22)


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
