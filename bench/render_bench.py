"""Speed of `protokol render`, measured against a baseline taken in the same run on the same machine.

Targets (issue #4): one protocol to DOCX in under 0.6 s of wall time including start-up; the whole example archive
in one `--all` call in well under the time of five separate calls. Run standalone:

    python bench/render_bench.py            # a table; exit 1 when a target is missed
    python bench/render_bench.py --json     # the same numbers for bench/run.py
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PROTOCOLS = REPO / "protocols"
ONE = "2024-01-09-1"
DOCX_LIMIT = 0.6  # seconds, wall, start-up included
ALL_VS_SEPARATE = 0.5  # one --all call must take under half the time of the separate calls


def wall(args: list[str], cwd: Path, repeat: int) -> float:
    """Median wall time of a command, in seconds (the first run warms the file cache and is not counted)."""
    subprocess.run(args, cwd=cwd, check=True, capture_output=True)
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run(args, cwd=cwd, check=True, capture_output=True)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def measure(repeat: int) -> dict:
    protokol = [sys.executable, "-m", "protokol"]
    with tempfile.TemporaryDirectory(prefix="protokol-bench-") as tmp:
        archive = Path(tmp) / "archive"
        shutil.copytree(PROTOCOLS, archive / "protocols")
        ids = sorted(p.stem for p in (archive / "protocols").glob("*/*.yaml"))
        baseline = wall([sys.executable, "-c", "import protokol"], archive, repeat)
        help_time = wall([*protokol, "--help"], archive, repeat)
        one_docx = wall([*protokol, "render", ONE, "-o", "out/one.docx", "--force"], archive, repeat)
        one_md = wall([*protokol, "render", ONE, "-o", "out/one.md", "--force"], archive, repeat)

        def separate() -> None:
            for pid in ids:
                subprocess.run([*protokol, "render", pid, "-o", f"sep/{pid}.docx", "--force"], cwd=archive, check=True,
                               capture_output=True)

        separate()
        times = []
        for _ in range(max(1, repeat // 2)):
            start = time.perf_counter()
            separate()
            times.append(time.perf_counter() - start)
        separate_time = statistics.median(times)
        all_time = wall([*protokol, "render", "--all", "-o", "all", "--force"], archive, repeat)
    return {
        "protocols": len(ids),
        "baseline_import_s": baseline,
        "help_s": help_time,
        "one_docx_s": one_docx,
        "one_md_s": one_md,
        "separate_docx_s": separate_time,
        "all_docx_s": all_time,
        "one_docx_vs_baseline": one_docx / baseline,
        "all_vs_separate": all_time / separate_time,
        "one_docx_ok": one_docx < DOCX_LIMIT,
        "all_ok": all_time < ALL_VS_SEPARATE * separate_time,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Speed of protokol render against an in-run baseline.")
    parser.add_argument("--repeat", type=int, default=5, help="runs per measurement (median taken)")
    parser.add_argument("--json", action="store_true", help="print the numbers as JSON")
    args = parser.parse_args(argv)
    r = measure(args.repeat)
    if args.json:
        print(json.dumps(r, indent=2))
    else:
        b = r["baseline_import_s"]
        rows = [
            ("python -c 'import protokol' (baseline)", r["baseline_import_s"], "1.0×"),
            ("protokol --help", r["help_s"], f"{r['help_s'] / b:.1f}×"),
            (f"render {ONE} to DOCX", r["one_docx_s"], f"{r['one_docx_vs_baseline']:.1f}×  (target < {DOCX_LIMIT} s)"),
            (f"render {ONE} to Markdown", r["one_md_s"], f"{r['one_md_s'] / b:.1f}×"),
            (f"{r['protocols']} separate DOCX calls", r["separate_docx_s"], f"{r['separate_docx_s'] / b:.1f}×"),
            ("one --all DOCX call", r["all_docx_s"],
             f"{r['all_docx_s'] / b:.1f}×  ({r['all_vs_separate']:.2f} of the separate calls; target < {ALL_VS_SEPARATE})"),
        ]
        for name, seconds, ratio in rows:
            print(f"{name:<42} {seconds * 1000:7.0f} ms  {ratio}")
        print("one protocol to DOCX:", "PASS" if r["one_docx_ok"] else "FAIL")
        print("--all against separate calls:", "PASS" if r["all_ok"] else "FAIL")
    return 0 if r["one_docx_ok"] and r["all_ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
