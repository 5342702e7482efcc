"""Printing help costs what starting Typer costs: `protokol --help` and `protokol COMMAND --help`, for every command
registered (those added later too), import none of the heavy libraries nor protokol's library beyond the command
line, and Typer's pydantic is not imported for them (cli.main._plain_strings). bench/run.py measures the time."""

from __future__ import annotations

import json
import subprocess
import sys

from conftest import REPO

# what help never needs: document and calendar libraries, the YAML reader and protokol's library below the CLI
HEAVY = ("docx", "docxtpl", "jinja2", "pytrovich", "icalendar", "yaml", "pydantic", "protokol.yamlio",
         "protokol.deadlines", "protokol.schema", "protokol.spec", "protokol.load", "protokol.model", "protokol.checks",
         "protokol.cache", "protokol.status", "protokol.index", "protokol.selection", "protokol.gate",
         "protokol.render", "protokol.importers", "protokol.gitreview", "protokol.semdiff", "protokol.report")

# Each command's help in one process, one after another: what a help imports stays, so the first command whose help
# brings in a heavy module is the one named.
PROBE = """import json, sys
import typer
from protokol.cli import main
main.choose_language([])
paths, todo = [], [((), typer.main.get_command(main.build_app()))]
while todo:
    path, command = todo.pop()
    paths.append(list(path))
    for name, sub in sorted(getattr(command, "commands", {}).items()):
        todo.append(((*path, name), sub))
heavy = {}
for path in paths:
    sys.argv = ["protokol", *path, "--help"]
    try:
        main.run()
    except SystemExit:
        pass
    found = [m for m in HEAVY if m in sys.modules and m not in heavy.values()]
    heavy.update({m: " ".join(path) or "(the program)" for m in found})
print("RESULT", json.dumps({"commands": [" ".join(p) for p in paths], "heavy": heavy}))
"""


def test_no_help_imports_anything_heavy():
    code = f"HEAVY = {HEAVY!r}\n" + PROBE
    env = {"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", "PYTHONPATH": str(REPO / "src"), "COLUMNS": "100"}
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=REPO)
    line = next((x for x in done.stdout.splitlines() if x.startswith("RESULT ")), None)
    assert line is not None, done.stderr[-2000:]
    result = json.loads(line[len("RESULT "):])
    assert {"due", "check", "render"} <= set(result["commands"])  # the walk found the commands
    assert result["heavy"] == {}, f"imported by `protokol COMMAND --help`: {result['heavy']}"
