"""`make bench`: time `protokol due` and `protokol check` on a generated archive of 10,000 protocols, cold and warm,
against `rg -c deadline` and a plain yaml.safe_load loop over the same files, measured in the same run.

    python bench/run.py [--count 10000] [--repeat 5] [--json bench/out/results.json]
    python bench/run.py --fast-path-only --cold-repeat 5   # cold due with and without the C fast path, only
    python bench/run.py --goals-only                       # only the goals of issue 18 (bench/goals.py)

The cold `due` is measured with the C fast path of the reader and without it (PROTOKOL_NO_FASTYAML=1), the two
alternating run by run, and so is reading every file into nodes in one process: both figures and their ratio are
printed.

The archive is generated into bench/out/archive (git-ignored) by bench/generate.py when it is missing or was made
with other parameters. Cold means the cache folder (.protokol-cache) is removed before each run; warm means it was
filled by a run just before. Each figure is the median of the runs (the minimum is shown too); peak memory is the
largest resident set of the process tree (the command and its worker processes, summed, sampled every 5 ms on
Linux) and of its largest single process (from wait4). bench/render_bench.py and bench/pdf_bench.py, when they
exist, run afterwards.
Targets (docs/performance.md) are marked PASS or FAIL; the script always exits 0: it measures, it does not judge.
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
UNMARKED = OUT / "archive-unmarked"  # the same archive without any control marks (generate.py --unmarked)
STAMP = ARCHIVE / ".generated"
TODAY = "2024-06-01"
NO_FASTYAML = "PROTOKOL_NO_FASTYAML"  # protokol.yamlio.NO_FASTYAML: switches the C fast path off
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


def ensure_archive(count: int, seed: int, unmarked: bool = False) -> Path:
    """The generated archive (made again when missing or made with other parameters); its folder."""
    generator = HERE / "generate.py"
    folder = UNMARKED if unmarked else ARCHIVE
    stamp = folder / ".generated"
    wanted = f"{count} {seed} {generator.stat().st_mtime_ns} {generator.stat().st_size}"
    if stamp.exists() and stamp.read_text() == wanted:
        return folder
    print(f"generating {count} protocols into {folder} …", file=sys.stderr)
    subprocess.run([sys.executable, str(generator), "--count", str(count), "--seed", str(seed), "--out", str(folder),
                    *(["--unmarked"] if unmarked else [])], check=True)
    stamp.write_text(wanted)
    return folder


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


def run_once(argv: list[str], cwd: Path, env: dict | None = None) -> tuple[float, float, float, int]:
    """(wall seconds, peak MB of the tree, peak MB of the largest process, exit code)."""
    return run_timed(argv, cwd, env)[:4]


def run_timed(argv: list[str], cwd: Path, env: dict | None = None) -> tuple[float, float, float, int, float]:
    """run_once's figures and the CPU seconds (user + system) of the process and the children it waited for (a
    pool's workers included): on a shared machine the wall time says how busy the machine was, the CPU what the
    command cost."""
    peak = [0]
    start = time.perf_counter()
    # stdout to a file, not /dev/null: rg (and anyone) may skip the work when it sees output going nowhere
    with open(OUT / "stdout.tmp", "wb") as sink:
        proc = subprocess.Popen(argv, cwd=cwd, stdout=sink, stderr=subprocess.DEVNULL, env=env)
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
    return wall, max(peak[0] / 1024, largest), largest, proc.returncode, usage.ru_utime + usage.ru_stime


def _summary(name: str, argv: list[str], runs: list[tuple[float, float, float, int]]) -> dict:
    walls = [r[0] for r in runs]
    return {"name": name, "command": " ".join(Path(argv[0]).name if i == 0 else a for i, a in enumerate(argv)),
            "runs": len(runs), "median": statistics.median(walls), "min": min(walls),
            "peak_mb": max(r[1] for r in runs), "largest_mb": max(r[2] for r in runs), "exit": runs[-1][3]}


def measure(name: str, argv: list[str], cwd: Path, repeat: int, cold: bool, warm_up: bool = True) -> dict:
    if warm_up and not cold:
        run_once(argv, cwd)
    runs = []
    for _ in range(repeat):
        if cold:
            shutil.rmtree(cwd / ".protokol-cache", ignore_errors=True)
        runs.append(run_once(argv, cwd))
    return _summary(name, argv, runs)


def fast_path_status() -> str:
    """Whether this Python's protokol has the C fast path of the reader, as the measured commands will."""
    probe = "from protokol import yamlio; print(yamlio.FAST_PATH_OFF or 'on')"
    env = {k: v for k, v in os.environ.items() if k != NO_FASTYAML}
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, env=env)
    return done.stdout.strip() or done.stderr.strip()


# Reading every file into nodes and nothing more (yamlio.parse_bytes), timed inside the process: the reader's share.
READ_LOOP = """import glob, sys, time
from protokol import yamlio, problems
files = sorted(glob.glob('protocols/**/*.yaml', recursive=True))
data = [open(f, 'rb').read() for f in files]
start = time.perf_counter()
for f, d in zip(files, data):
    yamlio.parse_bytes(d, problems.Collector(f))
print(time.perf_counter() - start, yamlio._fast_read is not None)
"""


def measure_fast_path(argv: list[str], cwd: Path, repeat: int) -> list[dict]:
    """Cold `due`, and reading the files into nodes, with the C fast path of the reader and without it
    (PROTOKOL_NO_FASTYAML=1), alternating, so that both see the same moods of the machine."""
    with_it = {k: v for k, v in os.environ.items() if k != NO_FASTYAML}
    without = {**with_it, NO_FASTYAML: "1"}
    runs: dict[str, list] = {"due cold": [], "due cold, no C fast path": []}
    reads: dict[str, list] = {"read into nodes": [], "read into nodes, no C fast path": []}
    for _ in range(repeat):
        for cold, read, env in zip(runs, reads, (with_it, without), strict=True):
            shutil.rmtree(cwd / ".protokol-cache", ignore_errors=True)
            runs[cold].append(run_once(argv, cwd, env))
            done = subprocess.run([sys.executable, "-c", READ_LOOP], cwd=cwd, env=env, capture_output=True, text=True,
                                  check=True)
            seconds, on = done.stdout.split()
            if on != str(env is with_it):  # e.g. the extension was rebuilt or broken while the bench ran
                sys.exit(f"bench: the C fast path was {'on' if on == 'True' else 'off'} in a run of '{read}': "
                         "the figures would compare nothing")
            reads[read].append((float(seconds), 0.0, 0.0, 0))
    fast, slow, read_fast, read_slow = [_summary(name, argv, r) for name, r in (*runs.items(), *reads.items())]
    slow["command"] = f"{NO_FASTYAML}=1 {slow['command']}"
    read_fast["command"] = "yamlio.parse_bytes of every file (bench/run.py READ_LOOP)"
    read_slow["command"] = f"{NO_FASTYAML}=1 {read_fast['command']}"
    return [fast, slow, read_fast, read_slow]


def print_fast_path(status: str, fast: dict, slow: dict, read_fast: dict, read_slow: dict) -> None:
    print(f"\nC fast path of the reader ({status}), medians of {fast['runs']} alternating runs each, "
          f"without it meaning {NO_FASTYAML}=1:\n"
          f"  cold due:              {fast['median']:6.2f} s with it, {slow['median']:6.2f} s without: "
          f"{slow['median'] / fast['median']:.2f}x faster with it (minimums: {slow['min'] / fast['min']:.2f}x)\n"
          f"  reading into nodes:    {read_fast['median']:6.2f} s with it, {read_slow['median']:6.2f} s without: "
          f"{read_slow['median'] / read_fast['median']:.2f}x (minimums: {read_slow['min'] / read_fast['min']:.2f}x; "
          "one process, nothing else)")


def measure_all(args, exe: str, due: list[str]) -> tuple[list[dict], list[dict]]:
    """(baselines, protokol's figures): every row of the table."""
    loop = ("import glob, yaml\n"
            "for f in sorted(glob.glob('protocols/**/*.yaml', recursive=True)):\n"
            "    with open(f, encoding='utf-8') as fh: yaml.{fn}(fh{loader})\n")
    check = [exe, "check", "--today", TODAY]
    baselines = []
    if shutil.which("rg"):
        baselines.append(measure("rg -c deadline", ["rg", "-c", "deadline", "protocols"], ARCHIVE, args.repeat, False))
    baselines.append(measure("yaml.safe_load loop", [sys.executable, "-c", loop.format(fn="safe_load", loader="")],
                             ARCHIVE, 1, False, warm_up=False))
    baselines.append(measure("yaml CSafeLoader loop", [sys.executable, "-c", loop.format(fn="load", loader=", Loader=yaml.CSafeLoader")],
                             ARCHIVE, args.cold_repeat, False, warm_up=False))
    results = measure_fast_path(due, ARCHIVE, args.cold_repeat)
    results.append(measure("due warm", due, ARCHIVE, args.repeat, False))
    results.append(measure("due warm --format json", [*due, "--format", "json"], ARCHIVE, args.repeat, False))
    results.append(measure("due --no-cache", [*due, "--no-cache"], ARCHIVE, 1, False, warm_up=False))
    results.append(measure("check cold", check, ARCHIVE, 1, True))
    results.append(measure("check warm", check, ARCHIVE, args.cold_repeat, False))
    results.append(measure("due (example archive)", due, REPO, args.repeat, False))
    results.append(measure("protokol --version (start-up)", [exe, "--version"], REPO, args.repeat, False))
    return baselines, results


def print_table(baselines: list[dict], results: list[dict]) -> None:
    base = {b["name"]: b["median"] for b in baselines}
    head = f"{'what':34} {'median':>8} {'min':>8} {'peak MB':>8} {'× rg':>7} {'× safe_load':>12}  target"
    print(head)
    print("-" * len(head))
    for r in baselines + results:
        ratios = [f"{r['median'] / base[b]:7.2f}" if b in base else f"{'—':>7}"
                  for b in ("rg -c deadline", "yaml.safe_load loop")]
        target = ""
        if r["name"] in TARGETS:
            limit, unit = TARGETS[r["name"]]
            target = f"< {limit} {unit}: " + ("PASS" if r["median"] < limit else "FAIL")
        if r["name"] in ("due warm", "due cold"):
            limit = TARGETS["due peak memory"][0]
            target += f"; memory < {limit:.0f} MB: " + ("PASS" if r["peak_mb"] < limit else "FAIL")
        print(f"{r['name']:34} {r['median']:8.3f} {r['min']:8.3f} {r['peak_mb']:8.0f} {ratios[0]} {ratios[1]:>12}  {target}")


def run_reports_bench(args) -> None:
    """bench/reports_bench.py (report discipline and export, warm, goal < 10 s), in a process of its own."""
    reports = HERE / "reports_bench.py"
    if reports.exists() and not args.fast_path_only:
        print("\nbench/reports_bench.py:")
        subprocess.run([sys.executable, str(reports), "--count", str(args.count), "--seed", str(args.seed)], cwd=REPO)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=10000)
    parser.add_argument("--seed", type=int, default=20240601)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--cold-repeat", type=int, default=3)
    parser.add_argument("--fast-path-only", action="store_true",
                        help="only cold `due` with and without the C fast path of the reader")
    parser.add_argument("--goals-only", action="store_true", help="only the goals of issue 18 (bench/goals.py)")
    parser.add_argument("--json", type=Path, default=OUT / "results.json")
    args = parser.parse_args(argv)

    OUT.mkdir(exist_ok=True)
    ensure_archive(args.count, args.seed)
    exe = protokol_exe()
    import goals

    if args.goals_only:
        goals.run(args, exe)
        return 0
    files = sorted(str(p.relative_to(ARCHIVE)) for p in (ARCHIVE / "protocols").rglob("*.yaml"))
    due = [exe, "due", "--before", BEFORE, "--today", TODAY]
    status = fast_path_status()
    if args.fast_path_only:
        baselines, results = [], measure_fast_path(due, ARCHIVE, args.cold_repeat)
    else:
        baselines, results = measure_all(args, exe, due)
    print(f"\n{len(files)} protocol files, {sum((ARCHIVE / f).stat().st_size for f in files) / 1e6:.1f} MB; "
          f"{os.cpu_count()} cores; python {sys.version.split()[0]}\n")
    print_table(baselines, results)
    print_fast_path(status, *results[:4])
    args.json.write_text(json.dumps({"files": len(files), "fast_path": status, "baselines": baselines,
                                     "results": results}, indent=2))
    print(f"\n(figures in {args.json})")

    goals.run(args, exe)
    render = HERE / "render_bench.py"
    if render.exists() and not args.fast_path_only:
        print("\nbench/render_bench.py:")
        subprocess.run([sys.executable, str(render)], cwd=REPO)
    pdf = HERE / "pdf_bench.py"  # render to PDF: one document against a batch of 20 (LibreOffice starts once)
    if pdf.exists() and not args.fast_path_only:
        print("\nbench/pdf_bench.py:")
        subprocess.run([sys.executable, str(pdf)], cwd=REPO)
    run_reports_bench(args)
    if not args.fast_path_only:
        score_import()
    run_site_bench(args)
    return 0


def score_import() -> None:
    """The import corpus's score (bench/import_score.py): decisions found, and with the right deadline and executor."""
    print("\nbench/import_score.py (the import corpus, tests/data/import_corpus/):")
    subprocess.run([sys.executable, str(HERE / "import_score.py")], cwd=REPO)


def run_site_bench(args) -> None:
    """bench/site_bench.py (issue #16), when it exists: `protokol site` on the same archive."""
    site = HERE / "site_bench.py"
    if site.exists() and not args.fast_path_only:
        print("\nbench/site_bench.py:")
        subprocess.run([sys.executable, str(site), "--count", str(args.count), "--seed", str(args.seed)], cwd=REPO)


if __name__ == "__main__":
    sys.exit(main())
