"""Typer's and click's own words (usage lines, help panels, usage errors, type placeholders) follow the language too."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from conftest import REPO, run_cli

# What Typer and click print by themselves, in English; none of it may be left in Russian output.
ENGLISH = ["Usage:", "[OPTIONS]", "COMMAND", "[ARGS]", "Show this message and exit.", "Install completion",
           "Show completion", "Missing option", "Missing argument", "Missing command", "No such option",
           "No such command", "Possible options", "Did you mean", "Try '", "for help", "Invalid value", "Error",
           "Got unexpected", "requires an argument", "does not take a value", "Options", "Arguments", "Commands",
           "[required]", "[default:", "<bool>", "<str>", "<int>", "<path>", "list[", "Input should be"]


@pytest.fixture(autouse=True)
def wide_terminal(monkeypatch):
    monkeypatch.setenv("COLUMNS", "200")  # rich cuts a panel to the terminal's width: keep each message on one line


def _output(result) -> str:
    return result.stdout + result.stderr


def _no_english(text: str) -> None:
    left = [word for word in ENGLISH if word in text]
    assert not left, f"English left in Russian output: {left}\n{text}"


@pytest.mark.parametrize("command", [[], ["due"], ["extend"], ["render"], ["check"], ["hooks"], ["hooks", "install"]])
def test_russian_help_has_no_english_of_typer(command):
    result = run_cli(*command, "--help", lang="ru")
    assert result.exit_code == 0
    text = _output(result)
    _no_english(text)
    assert f"Использование: protokol {' '.join(command)}".replace("  ", " ") in text
    assert "Показать эту справку и выйти." in text
    assert "╭─ Параметры" in text


def test_russian_help_names_panels_placeholders_and_defaults():
    root = _output(run_cli("--help", lang="ru"))
    assert "Использование: protokol [ПАРАМЕТРЫ] КОМАНДА [АРГУМЕНТЫ]..." in root
    assert "╭─ Команды" in root
    assert "Установить автодополнение для текущей оболочки." in root
    due = _output(run_cli("due", "--help", lang="ru"))
    assert "Использование: protokol due [ПАРАМЕТРЫ]" in due
    assert "--overdue" in due and "<флаг>" in due
    assert "<текст>" in due and "<путь>" in due
    assert "[по умолчанию: open]" in due
    extend = _output(run_cli("extend", "--help", lang="ru"))
    assert "╭─ Аргументы" in extend
    assert "[обязательно]" in extend
    render = _output(run_cli("render", "--help", lang="ru"))
    assert "<список[текст]>" in render and "<число>" in render


# (arguments, what Russian output says); each is a usage error: exit code 2.
RUSSIAN_ERRORS = [
    (["extend", "2024-01-09-1/2.2.5"], "Не указан параметр '--to'."),
    (["show"], "Не указан аргумент 'protocol'."),
    (["due", "--bogus"], "Нет такого параметра: --bogus"),
    (["due", "--statu", "x"], "Нет такого параметра: --statu (возможно, вы имели в виду: --status)"),
    (["render", "--year", "abc"], "Неверное значение '--year': нужно целое число, а не «abc»"),
    (["check", "--format"], "Параметру '--format' нужно значение."),
    (["due", "--overdue=1"], "Параметр '--overdue' не принимает значения."),
    (["list", "extra"], "Лишний аргумент (extra)"),
    (["list", "extra", "more"], "Лишние аргументы (extra more)"),
    (["chek"], "Нет такой команды 'chek'. Возможно, вы имели в виду 'check'"),
    (["hooks", "nope"], "Нет такой команды 'nope'."),
    (["--lang", "xx", "due"], "Неверное значение --lang: выберите ru или en"),
]


@pytest.mark.parametrize(("args", "message"), RUSSIAN_ERRORS)
def test_russian_usage_errors(args, message):
    result = run_cli(*args, lang="ru")
    assert result.exit_code == 2
    text = _output(result)
    assert message in text
    assert "╭─ Ошибка" in text
    _no_english(text)


def test_russian_usage_error_shows_translated_usage_and_help_hint():
    text = run_cli("due", "--bogus", lang="ru").stderr
    assert "Использование: protokol due [ПАРАМЕТРЫ]" in text
    assert "Справка: 'protokol due -h'." in text
    nested = run_cli("hooks", "nope", lang="ru").stderr
    assert "Использование: protokol hooks [ПАРАМЕТРЫ] КОМАНДА [АРГУМЕНТЫ]..." in nested


ENGLISH_ERRORS = [
    (["extend", "2024-01-09-1/2.2.5"], "Missing option '--to'."),
    (["show"], "Missing argument 'protocol'."),
    (["due", "--statu", "x"], "No such option: --statu (Possible options: --status)"),
    (["render", "--year", "abc"], "Invalid value for '--year': Input should be a valid integer"),
    (["check", "--format"], "Option '--format' requires an argument."),
    (["list", "extra"], "Got unexpected extra argument(s) (extra)"),
    (["chek"], "No such command 'chek'. Did you mean 'check'"),
]


@pytest.mark.parametrize(("args", "message"), ENGLISH_ERRORS)
def test_english_usage_errors_are_typers_own(args, message):
    result = run_cli(*args, lang="en")
    assert result.exit_code == 2
    text = _output(result)
    assert message in text
    assert "╭─ Error" in text
    assert not any("А" <= ch <= "я" for ch in text.replace("протоколы совещаний", ""))


def test_english_help_is_typers_own():
    text = _output(run_cli("due", "--help", lang="en"))
    for word in ["Usage: protokol due [OPTIONS]", "╭─ Options", "<bool>", "<str>", "<path>", "[default: open]",
                 "Show this message and exit."]:
        assert word in text
    assert "Использование" not in text and "Параметры" not in text


def test_language_can_change_within_one_process():
    """Typer keeps some words in module constants from its first use: they must follow every later switch."""
    for lang, usage, title, missing in [("ru", "Использование:", "╭─ Ошибка", "Не указан параметр '--to'."),
                                        ("en", "Usage:", "╭─ Error", "Missing option '--to'."),
                                        ("ru", "Использование:", "╭─ Ошибка", "Не указан параметр '--to'.")]:
        assert usage in run_cli("due", "--help", lang=lang).stdout
        error = run_cli("extend", "2024-01-09-1/2.2.5", lang=lang).stderr
        assert title in error and missing in error


def _program(*args: str, env_lang: str, plain_typer: bool = False) -> subprocess.CompletedProcess:
    """The real program as a user runs it; plain_typer turns protokol's translation of Typer's words off."""
    code = ("import sys\nimport protokol.cli.main as m\nimport protokol.cli.localize as loc\n"
            + ("m.localize_typer = lambda: None\nloc._localize_error = lambda exc: None\n" if plain_typer else "")
            + "m.run(sys.argv[1:])\n")
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "LANG": env_lang, "COLUMNS": "100",
           "PYTHONPATH": str(REPO / "src")}
    return subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, env=env, cwd=REPO)


def test_russian_locale_translates_typers_words_in_the_program():
    missing = _program("extend", "2024-01-09-1/2.2.5", env_lang="ru_RU.UTF-8")
    assert missing.returncode == 2
    assert "Использование: protokol extend [ПАРАМЕТРЫ]" in missing.stderr
    assert "Не указан параметр '--to'." in missing.stderr
    _no_english(missing.stderr)
    helped = _program("--help", env_lang="ru_RU.UTF-8")
    assert helped.returncode == 0
    _no_english(helped.stdout)


@pytest.mark.parametrize("args", [["--help"], ["due", "--help"], ["extend", "--help"], ["hooks", "--help"],
                                  ["extend", "X"], ["due", "--statu", "x"], ["render", "--year", "abc"],
                                  ["list", "extra"], ["chek"], ["check", "--format"]])
def test_english_output_is_byte_for_byte_typers(args):
    ours = _program(*args, env_lang="C.UTF-8")
    typers = _program(*args, env_lang="C.UTF-8", plain_typer=True)
    assert (ours.returncode, ours.stdout, ours.stderr) == (typers.returncode, typers.stdout, typers.stderr)
