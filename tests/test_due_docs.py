"""docs/due.md stays true: every `$ protokol …` example runs, in order, on a copy of the example archive, and prints
exactly what the page shows. A YAML block after `<!-- file: PATH -->` is written to PATH first (a protocol the
examples that follow use); one after `<!-- in: PATH -->` must be in that file by then."""

from __future__ import annotations

import re
import shlex
import shutil
from pathlib import Path

from conftest import PROTOCOLS, REPO

DOC = REPO / "docs" / "due.md"
_BLOCK = re.compile(r"```console\n(.*?)```", re.S)
_STEP = re.compile(r"(?:<!-- (file|in): (\S+) -->\n)?```(\w+)\n(.*?)```", re.S)


def steps() -> list[tuple[str, str, list[str]]]:
    """("run", command line, expected output lines), ("file", path, [text]), ("in", path, [text]) in page order."""
    found = []
    for marker, path, lang, body in _STEP.findall(DOC.read_text(encoding="utf-8")):
        if marker:
            found.append((marker, path, [body]))
        elif lang == "console":
            for chunk in re.split(r"^\$ ", body, flags=re.M)[1:]:
                command, *output = chunk.rstrip("\n").split("\n")
                found.append(("run", command, output))
    return found


def examples() -> list[tuple[str, list[str]]]:
    """(command line, expected output lines) in page order."""
    found = []
    for block in _BLOCK.findall(DOC.read_text(encoding="utf-8")):
        for chunk in re.split(r"^\$ ", block, flags=re.M)[1:]:
            command, *output = chunk.rstrip("\n").split("\n")
            found.append((command, output))
    return found


def test_the_page_has_examples_of_every_command():
    commands = " ".join(command for command, _output in examples())
    for name in ("due", "done", "extend", "cancel", "reopen"):
        assert f"protokol {name} " in commands


def test_every_example_prints_what_the_page_shows(tmp_path: Path, monkeypatch):
    from typer.testing import CliRunner

    from protokol.cli.main import build_app
    from protokol.i18n import set_language

    shutil.copytree(PROTOCOLS, tmp_path / "protocols")
    monkeypatch.chdir(tmp_path)
    for kind, command, expected in steps():
        if kind == "file":
            (tmp_path / command).parent.mkdir(parents=True, exist_ok=True)
            (tmp_path / command).write_text(expected[0], encoding="utf-8")
            continue
        if kind == "in":
            assert expected[0] in (tmp_path / command).read_text(encoding="utf-8"), command
            continue
        words = shlex.split(command)
        env = {"COLUMNS": "120", "NO_COLOR": "1"}
        while "=" in words[0]:
            name, value = words.pop(0).split("=", 1)
            env[name] = value
        target = None
        if ">" in words:
            target = words[words.index(">") + 1]
            words = words[: words.index(">")]
        assert words[0] == "protokol", command
        set_language(words[2] if words[1:2] == ["--lang"] else "en")  # the program chooses it before the app is built
        result = CliRunner().invoke(build_app(), words[1:], env=env, catch_exceptions=False)
        assert result.exit_code == 0, (command, result.stdout, result.stderr)
        if target is not None:  # redirected: the page shows no output, the file must hold some
            (tmp_path / target).write_bytes(result.stdout_bytes)
            assert expected == [] and (tmp_path / target).stat().st_size > 0, command
            continue
        assert result.stdout.rstrip("\n").split("\n") == expected, command
