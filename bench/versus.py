"""Old against new: the same commands timed with two protokol executables, alternating, in one run.

    git worktree add /tmp/protokol-old REV && make -C /tmp/protokol-old .venv/.installed
    .venv/bin/python bench/versus.py /tmp/protokol-old/.venv/bin/protokol [--repeat 5] [--count 10000]

A redesign must not make any of these slower by more than 10 %: each row prints the median wall time of this
checkout's protokol (new) and of the other (old), the ratio new/old of the medians, peak memory of both, and PASS or
FAIL against 1.10. The machine's speed drifts by tens of percent in an hour: the runs alternate (old, new, old, new…)
so that the ratio holds when the absolute times do not. Each side gets its own copy of the generated archive, because
the two versions' caches need not be compatible. The script measures; it always exits 0.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
from pathlib import Path

from run import ensure_archive, protokol_exe, run_once

HERE = Path(__file__).resolve().parent
OUT = HERE / "out" / "versus"
GOAL = 1.10
TODAY = "2024-06-01"
ONE_FILE = "protocols/2015/2015-01-18-3.yaml"


def _copies(count: int) -> tuple[Path, Path]:
    from run import ARCHIVE

    ensure_archive(count, 1)
    copies = (OUT / "new", OUT / "old")
    stamp = (ARCHIVE / ".generated").read_text()
    for copy in copies:
        if not (copy / ".generated").exists() or (copy / ".generated").read_text() != stamp:
            shutil.rmtree(copy, ignore_errors=True)
            shutil.copytree(ARCHIVE, copy, ignore=shutil.ignore_patterns(".protokol-cache"))
    return copies


def _cases(examples: Path) -> list[tuple[str, list[str], str, bool]]:
    """(name, arguments, where: 'archive' or 'examples', cold: the cache removed before each run)."""
    return [
        ("due, warm (json)", ["due", "--today", TODAY, "--format", "json"], "archive", False),
        ("due, cold", ["due", "--today", TODAY, "--format", "json"], "archive", True),
        ("check, warm", ["check", "protocols"], "archive", False),
        ("check one file, warm", ["check", ONE_FILE], "archive", False),
        ("due on the example archive", ["due", "--today", TODAY], "examples", False),
        ("check of the example archive", ["check", "protocols"], "examples", False),
        ("--help", ["--help"], "examples", False),
    ]


def _run(exe: str, args: list[str], cwd: Path, cold: bool) -> tuple[float, float]:
    if cold:
        shutil.rmtree(cwd / ".protokol-cache", ignore_errors=True)
    wall, _tree, peak, _code = run_once([exe, *args], cwd)
    return wall, peak


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("other", help="the other protokol executable (the old version)")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--count", type=int, default=10000)
    args = parser.parse_args()
    new_exe, old_exe = protokol_exe(), args.other
    new_archive, old_archive = _copies(args.count)
    examples = {"new": OUT / "examples-new", "old": OUT / "examples-old"}
    for copy in examples.values():
        shutil.rmtree(copy, ignore_errors=True)
        shutil.copytree(HERE.parent / "protocols", copy / "protocols")
    print(f"new: {new_exe}\nold: {old_exe}\n{args.repeat} alternating runs each after one warm-up; median wall seconds")
    print(f"{'':32} {'new':>8} {'old':>8} {'new/old':>8} {'new MB':>8} {'old MB':>8}")
    for name, argv, where, cold in _cases(examples["new"]):
        places = {"new": new_archive if where == "archive" else examples["new"],
                  "old": old_archive if where == "archive" else examples["old"]}
        sides = {"new": (new_exe, places["new"]), "old": (old_exe, places["old"])}
        for exe, cwd in sides.values():  # warm-up: fills the caches the warm rows read
            _run(exe, argv, cwd, cold)
        times: dict[str, list[float]] = {"new": [], "old": []}
        peaks: dict[str, list[float]] = {"new": [], "old": []}
        for _ in range(args.repeat):
            for side in ("old", "new"):
                exe, cwd = sides[side]
                wall, peak = _run(exe, argv, cwd, cold)
                times[side].append(wall)
                peaks[side].append(peak)
        new, old = statistics.median(times["new"]), statistics.median(times["old"])
        ratio = new / old if old else float("nan")
        verdict = "PASS" if ratio <= GOAL else "FAIL"
        print(f"{name:32} {new:8.3f} {old:8.3f} {ratio:8.2f} {max(peaks['new']):8.0f} {max(peaks['old']):8.0f}  {verdict}")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
