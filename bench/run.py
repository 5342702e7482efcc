"""`make bench`: time `protokol due` and `protokol check` on a generated archive of 10,000 protocols, cold and warm,
against `rg -c deadline` and a plain yaml.safe_load loop over the same files, measured in the same run.

    python bench/run.py [--count 10000] [--repeat 5] [--json bench/out/results.json]

The archive is generated into bench/out/archive (git-ignored) by bench/generate.py when it is missing or was made
with other parameters. Cold means the cache folder (.protokol-cache) is removed before each run; warm means it was
filled by a run just before. Each figure is the median of the runs (the minimum is shown too); peak memory is the
largest resident set of the process tree (the command and its worker processes, summed, sampled every 5 ms on
Linux) and of its largest single process (from wait4). bench/render_bench.py, when it exists, runs afterwards.
Targets (docs/performance.md) are marked ok / MISSED; the script always exits 0: it measures, it does not judge.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
OUT = HERE / "out"
ARCHIVE = OUT / "archive"
STAMP = ARCHIVE / ".generated"
TODAY = "2024-06-01"
BEFORE = "2024-07-01"

TARGETS = {  # name -> (seconds or MB, what)
    "due warm": (0.6, "s"),
    "due cold": (5.0, "s"),
    "due peak memory": (400.0, "MB"),
    "due (example archive)": (0.35, "s"),
}


def protokol_exe() -> str:
    here = Path(sys.executable).parent / "protokol"
    return str(here) if here.exists() else (shutil.which("protokol") or "protokol")


def ensure_archive(count: int, seed: int) -> None:
    generator = HERE / "generate.py"
    wanted = f"{count} {seed} {generator.stat().st_mtime_ns} {generator.stat().st_size}"
    if STAMP.exists() and STAMP.read_text() == wanted:
        return
    print(f"generating {count} protocols into {ARCHIVE} …", file=sys.stderr)
    subprocess.run([sys.executable, str(generator), "--count", str(count), "--seed", str(seed), "--out", str(ARCHIVE)],
                   check=True)
    STAMP.write_text(wanted)


def _tree_rss_kb(pid: int) -> int:
    """Resident memory of a process and its descendants (Linux /proc), in KB; 0 when it cannot be read."""
    total = 0
    todo = [pid]
    while todo:
        p = todo.pop()
        try:
            with open(f"/proc/{p}/status") as fh:
                for line in fh:
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1])
                        break
            with open(f"/proc/{p}/task/{p}/children") as fh:
                todo.extend(int(x) for x in fh.read().split())
        except (OSError, ValueError):
            continue
    return total


def run_once(argv: list[str], cwd: Path) -> tuple[float, float, float, int]:
    """(wall seconds, peak MB of the tree, peak MB of the largest process, exit code)."""
    peak = [0]
    start = time.perf_counter()
    proc = subprocess.Popen(argv, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    done = threading.Event()

    def sample():
        while not done.is_set():
            peak[0] = max(peak[0], _tree_rss_kb(proc.pid))
            done.wait(0.005)

    sampler = threading.Thread(target=sample, daemon=True)
    if sys.platform.startswith("linux"):
        sampler.start()
    _pid, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    done.set()
    proc.returncode = os.waitstatus_to_exitcode(status)
    if sampler.is_alive():
        sampler.join()
    largest = usage.ru_maxrss / 1024  # KB on Linux
    return wall, max(peak[0] / 1024, largest), largest, proc.returncode


def measure(name: str, argv: list[str], cwd: Path, repeat: int, cold: bool, warm_up: bool = True) -> dict:
    walls, peaks, largest = [], [], []
    if warm_up and not cold:
        run_once(argv, cwd)
    for _ in range(repeat):
        if cold:
            shutil.rmtree(cwd / ".protokol-cache", ignore_errors=True)
        wall, peak, big, code = run_once(argv, cwd)
        walls.append(wall)
        peaks.append(peak)
        largest.append(big)
    return {"name": name, "command": " ".join(Path(argv[0]).name if i == 0 else a for i, a in enumerate(argv)),
            "runs": repeat, "median": statistics.median(walls), "min": min(walls), "peak_mb": max(peaks),
            "largest_mb": max(largest), "exit": code}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=10000)
    parser.add_argument("--seed", type=int, default=20240601)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--cold-repeat", type=int, default=3)
    parser.add_argument("--json", type=Path, default=OUT / "results.json")
    args = parser.parse_args(argv)

    OUT.mkdir(exist_ok=True)
    ensure_archive(args.count, args.seed)
    exe = protokol_exe()
    files = sorted(str(p.relative_to(ARCHIVE)) for p in (ARCHIVE / "protocols").rglob("*.yaml"))
    loop = ("import glob, yaml\n"
            "for f in sorted(glob.glob('protocols/**/*.yaml', recursive=True)):\n"
            "    with open(f, encoding='utf-8') as fh: yaml.{fn}(fh{loader})\n")
    due = [exe, "due", "--before", BEFORE, "--today", TODAY]
    check = [exe, "check", "--today", TODAY]
    results = []
    baselines = []
    if shutil.which("rg"):
        baselines.append(measure("rg -c deadline", ["rg", "-c", "deadline", "protocols"], ARCHIVE, args.repeat, False))
    baselines.append(measure("yaml.safe_load loop", [sys.executable, "-c", loop.format(fn="safe_load", loader="")],
                             ARCHIVE, 1, False, warm_up=False))
    baselines.append(measure("yaml CSafeLoader loop", [sys.executable, "-c", loop.format(fn="load", loader=", Loader=yaml.CSafeLoader")],
                             ARCHIVE, args.cold_repeat, False, warm_up=False))
    results.append(measure("due cold", due, ARCHIVE, args.cold_repeat, True))
    results.append(measure("due warm", due, ARCHIVE, args.repeat, False))
    results.append(measure("due warm --format json", [*due, "--format", "json"], ARCHIVE, args.repeat, False))
    results.append(measure("due --no-cache", [*due, "--no-cache"], ARCHIVE, 1, False, warm_up=False))
    results.append(measure("check cold", check, ARCHIVE, 1, True))
    results.append(measure("check warm", check, ARCHIVE, args.cold_repeat, False))
    results.append(measure("due (example archive)", due, REPO, args.repeat, False))
    results.append(measure("protokol --version (start-up)", [exe, "--version"], REPO, args.repeat, False))

    base = {b["name"]: b["median"] for b in baselines}
    print(f"\n{len(files)} protocol files, {sum((ARCHIVE / f).stat().st_size for f in files) / 1e6:.1f} MB; "
          f"{os.cpu_count()} cores; python {sys.version.split()[0]}\n")
    head = f"{'what':34} {'median':>8} {'min':>8} {'peak MB':>8} {'× rg':>7} {'× safe_load':>12}  target"
    print(head)
    print("-" * len(head))
    for r in baselines + results:
        ratios = [f"{r['median'] / base[b]:7.2f}" if b in base else f"{'—':>7}" for b in ("rg -c deadline",)]
        ratios.append(f"{r['median'] / base['yaml.safe_load loop']:12.3f}")
        target = ""
        if r["name"] in TARGETS:
            limit, unit = TARGETS[r["name"]]
            target = f"< {limit} {unit}: " + ("ok" if r["median"] < limit else "MISSED")
        if r["name"] == "due warm":
            limit = TARGETS["due peak memory"][0]
            target += f"; memory < {limit:.0f} MB: " + ("ok" if r["peak_mb"] < limit else "MISSED")
        if r["name"] == "due cold":
            limit = TARGETS["due peak memory"][0]
            target += f"; memory < {limit:.0f} MB: " + ("ok" if r["peak_mb"] < limit else "MISSED")
        print(f"{r['name']:34} {r['median']:8.3f} {r['min']:8.3f} {r['peak_mb']:8.0f} {ratios[0]} {ratios[1]}  {target}")
    args.json.write_text(json.dumps({"files": len(files), "baselines": baselines, "results": results}, indent=2))
    print(f"\n(figures in {args.json})")

    render = HERE / "render_bench.py"
    if render.exists():
        print("\nbench/render_bench.py:")
        subprocess.run([sys.executable, str(render)], cwd=REPO)
    return 0


if __name__ == "__main__":
    sys.exit(main())
