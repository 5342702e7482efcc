"""`make bench`, the reports: `protokol report discipline` and `protokol export` on the 10,000-protocol bench archive
(bench/run.py makes it), with a warm cache; the goal is under 10 s each (docs/performance.md). Prints PASS or FAIL and
always exits 0: it measures, it does not judge. Besides the wall time (median and minimum) it prints the processor
time of a run (user + system, of the command and its processes, the mean over the runs): on a loaded machine the
wall time says more about the neighbours than about protokol.

    python bench/reports_bench.py [--repeat 3]
"""

from __future__ import annotations

import argparse
import resource
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from run import ARCHIVE, OUT, TODAY, ensure_archive, measure, protokol_exe  # noqa: E402

GOAL = 10.0  # seconds, warm


def commands(exe: str) -> list[tuple[str, list[str]]]:
    period = ["--from", "2024-01-01", "--to", "2024-03-31", "--today", TODAY]
    return [
        ("report discipline --format json", [exe, "report", "discipline", *period, "--format", "json"]),
        ("report discipline --by series", [exe, "report", "discipline", *period, "--by", "series"]),
        ("export --format sqlite", [exe, "export", "--format", "sqlite", "-o", str(OUT / "export.sqlite"),
                                    "--today", TODAY]),
        ("export --format jsonl", [exe, "export", "--format", "jsonl", "-o", str(OUT / "export.jsonl"),
                                   "--today", TODAY]),
        ("export --format xlsx", [exe, "export", "--format", "xlsx", "-o", str(OUT / "export.xlsx"),
                                  "--today", TODAY]),
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--count", type=int, default=10000)
    parser.add_argument("--seed", type=int, default=20240601)
    args = parser.parse_args(argv)
    OUT.mkdir(exist_ok=True)
    ensure_archive(args.count, args.seed)
    exe = protokol_exe()
    print(f"{'reports, warm cache':34} {'median':>8} {'min':>8} {'cpu s':>8} {'peak MB':>8}  target")
    for name, argv_ in commands(exe):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        r = measure(name, argv_, ARCHIVE, args.repeat, cold=False)  # a warm-up run, then `repeat` runs
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = (after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime) / (args.repeat + 1)
        verdict = "PASS" if r["median"] < GOAL and r["exit"] == 0 else "FAIL"
        note = "" if r["exit"] == 0 else f" (exit {r['exit']})"
        print(f"{name:34} {r['median']:8.3f} {r['min']:8.3f} {cpu:8.2f} {r['peak_mb']:8.0f}  < {GOAL:.0f} s: "
              f"{verdict}{note}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
