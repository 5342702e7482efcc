"""The goals of issue 18 ("fast at any archive size"), measured in one run and printed with PASS or FAIL; part of
`make bench`, or alone:

    python bench/run.py --goals-only [--repeat 5] [--cold-repeat 3]

On the unmarked bench archive (bench/generate.py --unmarked: no decision marked, so `due` lists every open decision
with a date), each figure against a baseline measured in the same run, alternating where it matters:
- warm `due` of every open decision, as JSON, CSV and the table: at most 10x `rg -c deadline` over the same files,
  at most 400 MB (the process tree's peak resident memory);
- warm `due` printing a few hundred rows: at most 5x rg;
- warm `check` of the unchanged archive: at most 10x rg;
- cold `due` (the cache removed before each run): at most 0.35x a plain CSafeLoader loop over the same files, at most
  400 MB; with PROTOKOL_WORKERS=1, 2 and the number of cores (how it scales);
- start-up: `protokol --help` and `protokol COMMAND --help` of every registered command, at most 1.5x the `--help`
  of a minimal two-command Typer app.
Without ripgrep (Debian: `apt-get install ripgrep`, or `make bench-setup`) the goals against rg are not judged, and
the script says so. Beside each median wall time it prints the median CPU time (user + system, the worker processes
included): on a shared machine the two differ by how busy it was. It measures; it always exits 0.
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
from pathlib import Path

from run import OUT, ensure_archive, run_timed

TODAY = "2024-06-01"
FEW = ["--after", "2023-04-30", "--before", "2023-06-01"]  # a month of the unmarked archive: a few hundred rows
MINIMAL_APP = '''import typer

app = typer.Typer()


@app.command()
def first(name: str = "x") -> None:
    """The first command."""


@app.command()
def second(count: int = 1) -> None:
    """The second command."""


app()
'''
LOOP = ("import glob, yaml\n"
        "for f in sorted(glob.glob('protocols/**/*.yaml', recursive=True)):\n"
        "    with open(f, encoding='utf-8') as fh: yaml.load(fh, Loader=yaml.CSafeLoader)\n")
COMMANDS = """import json, typer
from protokol.cli import main
main.choose_language([])
paths, todo = [], [((), typer.main.get_command(main.build_app()))]
while todo:
    path, command = todo.pop()
    paths.append(list(path))
    todo += [((*path, name), sub) for name, sub in sorted(getattr(command, "commands", {}).items())]
print(json.dumps(sorted(paths)))
"""


def _row(name: str, argv: list[str], runs: list) -> dict:
    walls = [r[0] for r in runs]
    shown = " ".join(Path(a).name if i == 0 else a for i, a in enumerate(argv)).replace("\n", " ")[:110]
    return {"name": name, "command": shown, "runs": len(runs), "median": statistics.median(walls), "min": min(walls),
            "peak_mb": max(r[1] for r in runs), "cpu": statistics.median(r[4] for r in runs)}


def alternate(cases: list[tuple[str, list[str], dict | None]], cwd: Path, repeat: int, cold: bool = False) -> list[dict]:
    """Each case run `repeat` times, the cases taking turns (one warm-up each first unless cold)."""
    runs: dict[str, list] = {name: [] for name, _argv, _env in cases}
    if not cold:
        for _name, argv, env in cases:
            run_timed(argv, cwd, env)
    for _ in range(repeat):
        for name, argv, env in cases:
            if cold and name.startswith("cold"):
                shutil.rmtree(cwd / ".protokol-cache", ignore_errors=True)
            runs[name].append(run_timed(argv, cwd, env))
    return [_row(name, argv, runs[name]) for name, argv, _env in cases]


def _env(**changes: str) -> dict:
    env = {k: v for k, v in os.environ.items() if k != "PROTOKOL_NO_FASTYAML"}
    env.update(changes)
    return env


def measure(args, exe: str, archive: Path) -> tuple[list[dict], list[tuple]]:
    """(rows, goals): every figure, and (name, ratio or MB, limit, what it is against) per goal."""
    rows: list[dict] = []
    goals: list[tuple] = []
    rg = shutil.which("rg")
    due = [exe, "due", "--today", TODAY]
    warm = [("rg -c deadline", ["rg", "-c", "deadline", "protocols"], None)] if rg else []
    warm += [(f"due warm, all open, {fmt}", [*due, "--format", fmt], None) for fmt in ("json", "csv", "table")]
    warm += [("due warm, a few hundred rows", [*due, *FEW, "--format", "json"], None),
             ("check warm, unchanged", [exe, "check", "--today", TODAY], None)]
    rows += alternate(warm, archive, args.repeat)
    by = {r["name"]: r for r in rows}
    for r in rows[1 if rg else 0:]:
        limit = 5 if "few" in r["name"] else 10
        if rg:
            goals.append((r["name"], r["median"] / by["rg -c deadline"]["median"], limit, "x rg"))
        if "all open" in r["name"]:
            goals.append((f"{r['name']}: peak memory", r["peak_mb"], 400, "MB"))
    cores = os.cpu_count() or 1
    workers = sorted({1, 2, cores})
    cold = [("CSafeLoader loop", [sys.executable, "-c", LOOP], _env())]
    cold += [(f"cold due, {n} worker{'s' if n > 1 else ''}", [*due, "--format", "json"], _env(PROTOKOL_WORKERS=str(n)))
             for n in workers]
    cold_rows = alternate(cold, archive, args.cold_repeat, cold=True)
    rows += cold_rows
    loop = cold_rows[0]["median"]
    for r in cold_rows[1:]:
        goals.append((r["name"], r["median"] / loop, 0.35, "x CSafeLoader loop"))
        goals.append((f"{r['name']}: peak memory", r["peak_mb"], 400, "MB"))
    rows += startup(exe, args.repeat, goals)
    return rows, goals


def startup(exe: str, repeat: int, goals: list) -> list[dict]:
    """`--help` of protokol and of each of its commands, against a minimal two-command Typer app's."""
    minimal = OUT / "minimal_typer.py"
    minimal.write_text(MINIMAL_APP)
    listed = subprocess.run([sys.executable, "-c", COMMANDS], capture_output=True, text=True, check=True)
    cases = [("minimal Typer app --help", [sys.executable, str(minimal), "--help"], None)]
    cases += [(f"protokol {' '.join(p)} --help".replace("  ", " "), [exe, *p, "--help"], None)
              for p in json.loads(listed.stdout)]
    rows = alternate(cases, OUT, repeat)
    base = rows[0]["median"]
    goals += [(r["name"], r["median"] / base, 1.5, "x minimal app") for r in rows[1:]]
    return rows


def compiled() -> str:
    """protokol's modules byte-compiled, as an installed program's are: with PYTHONDONTWRITEBYTECODE set (as in
    this project's helper sessions) or a read-only checkout, each run would compile some eighty modules from source
    first, 0.08-0.13 s of every command, start-up above all. py_compile writes whatever the variable says."""
    import compileall

    import protokol

    folder = Path(protokol.__file__).parent
    ok = compileall.compile_dir(str(folder), quiet=1)
    return f"byte-compiled {folder}" if ok else f"could not byte-compile {folder}: the figures include compiling"


def run(args, exe: str) -> None:
    note = compiled()
    archive = ensure_archive(args.count, args.seed, unmarked=True)
    files = list((archive / "protocols").rglob("*.yaml"))
    print(f"\nissue 18 goals, on the unmarked archive ({len(files)} files, "
          f"{sum(f.stat().st_size for f in files) / 1e6:.1f} MB; {os.cpu_count()} cores; "
          f"load average {' '.join(f'{x:.1f}' for x in os.getloadavg())}; {note}):")
    if not shutil.which("rg"):
        print("  rg (ripgrep) is not installed: the goals measured against it are NOT JUDGED. "
              "Debian: apt-get install ripgrep (make bench-setup).")
    rows, goals = measure(args, exe, archive)
    print(f"\n  {'what':44} {'median':>8} {'min':>8} {'CPU':>8} {'peak MB':>8}  command")
    for r in rows:
        print(f"  {r['name']:44} {r['median']:8.3f} {r['min']:8.3f} {r['cpu']:8.3f} {r['peak_mb']:8.0f}  {r['command']}")
    print(f"\n  {'goal':58} {'measured':>10}  {'limit':>8}")
    for name, value, limit, unit in goals:
        verdict = "PASS" if value <= limit else "FAIL"
        print(f"  {name:58} {value:10.2f}  {limit:>8} {unit:20} {verdict}")
    (OUT / "goals.json").write_text(json.dumps({"rows": rows, "goals": goals, "load": os.getloadavg()}, indent=2))
    print(f"\n(figures in {OUT / 'goals.json'})")
