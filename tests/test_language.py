"""The language is chosen once, by the program: importing protokol changes nothing in the process, and --lang is
accepted before or after the command's name, by every command."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from typer.main import get_command
from typer.testing import CliRunner

from conftest import REPO
from protokol.cli.main import app_for, build_app

# Imports every protokol module and reports what the process looked like before and after. The locale asks for
# Russian, so a module that chose the language on import would show it.
_IMPORT_ALL = """
import gettext, importlib, json, locale, os, pkgutil, sys

def state():
    return {"environ": dict(os.environ), "domain": gettext.textdomain(), "dirs": dict(gettext._localedirs),
            "locale": locale.setlocale(locale.LC_ALL)}

before = state()
import protokol
names = [m.name for m in pkgutil.walk_packages(protokol.__path__, "protokol.", onerror=lambda name: None)]
for name in names:
    importlib.import_module(name)
after = state()
from protokol import i18n
print(json.dumps({"before": before, "after": after, "names": names, "language": i18n.current_language(),
                  "message": i18n._("error"),
                  "typer_words": sys.modules["typer.core"]._ is gettext.gettext}))
"""


def test_importing_every_module_changes_nothing_in_the_process():
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "LANG": "ru_RU.UTF-8", "PYTHONPATH": str(REPO / "src")}
    run = subprocess.run([sys.executable, "-c", _IMPORT_ALL], capture_output=True, text=True, env=env, cwd=REPO)
    assert run.returncode == 0, run.stderr
    found = json.loads(run.stdout)
    assert {"protokol.cli.main", "protokol.i18n", "protokol.index", "protokol.status", "protokol.selection",
            "protokol.__main__"} <= set(found["names"])
    assert found["after"]["environ"] == found["before"]["environ"]  # no LANGUAGE, nothing else either
    assert found["after"] == found["before"]  # gettext's global domain and directories, the locale
    assert found["typer_words"]  # Typer's own lookups are routed to protokol's catalogue by the program, not on import
    # without the program, the library speaks English whatever the locale
    assert (found["language"], found["message"]) == ("en", "error")


def _commands() -> list[tuple[str, ...]]:
    """Every command and command group of the program, as the words that name it."""
    found = []

    def walk(command, path):
        found.append(path)
        for name, sub in sorted(getattr(command, "commands", {}).items()):
            walk(sub, (*path, name))

    walk(get_command(build_app()), ())
    return found


def _help(argv: list[str]) -> str:
    result = CliRunner().invoke(app_for(argv), argv, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.stdout


COMMANDS = _commands()


def test_every_command_is_covered():
    assert len(COMMANDS) > 15 and ("due",) in COMMANDS and ("hooks", "install") in COMMANDS


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(c) or "protokol")
def test_lang_before_or_after_the_command_gives_its_help_in_that_language(command, monkeypatch):
    monkeypatch.setenv("COLUMNS", "200")
    for lang, usage, label, other in [("ru", "Использование: protokol", "Язык сообщений", "Usage:"),
                                      ("en", "Usage: protokol", "Language of messages", "Использование")]:
        for argv in (["--lang", lang, *command, "--help"], [*command, "--lang", lang, "--help"],
                     [*command, f"--lang={lang}", "--help"]):
            text = _help(argv)
            assert usage in text and other not in text, (argv, text)
            assert "--lang" in text and label in text, (argv, text)  # each command's help lists the option


@pytest.fixture
def russian_locale(monkeypatch):
    for var in ("LC_ALL", "LC_MESSAGES", "LANGUAGE"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("LANG", "ru_RU.UTF-8")


def _check(*argv: str):
    argv = list(argv)
    return CliRunner().invoke(app_for(argv), argv, catch_exceptions=False)


def test_lang_after_the_command_sets_the_language_of_its_messages(russian_locale):
    bad = str(REPO / "tests/data/checks/schema-unknown-key.yaml")
    assert "Неизвестный ключ «срок»" in _check("check", bad).stdout  # the locale's language
    english = _check("check", "--lang", "en", bad)
    assert "Unknown key 'срок'" in english.stdout and english.exit_code == 1
    # the last --lang given wins: the command's own over the program's
    assert "Unknown key 'срок'" in _check("--lang", "ru", "check", bad, "--lang=en").stdout
    assert "Неизвестный ключ «срок»" in _check("--lang", "en", "check", "--lang", "ru", bad).stdout
    assert os.environ.get("LANGUAGE") is None  # the program chose the language without touching the environment


@pytest.mark.parametrize("argv", [["check", "--lang", "xx"], ["due", "--lang=de"], ["hooks", "--lang", "xx", "install"]])
def test_a_wrong_lang_after_the_command_is_a_usage_error(argv):
    result = _check(*argv)
    assert result.exit_code == 2
    assert "Invalid value for --lang: choose ru or en" in result.stderr
