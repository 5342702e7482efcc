"""`protokol site` on the 10,000-protocol bench archive, documents excluded (issue #16; docs/site.md#speed):

1. a new site folder with a warm cache: the whole site written;
2. the same again with the folder there and nothing changed: every page recognised by its key, nothing written;
3. one protocol changed (a word added to one decision): only the pages that show it are written.

Goals, each printed PASS or FAIL: every run under 60 s of wall time and under 1 GB (the peak resident memory of the
command and any process it starts); run 3 writes only the changed protocol's page and the lists that show the
decision (index, due, its executors' pages and feeds, the search index, the report and its charts), nothing else.
Each figure is one run (a run takes a minute on a busy machine); wall time, CPU time (user + system, of the command
and its children) and peak memory are printed. The cache is warmed first by `protokol check` and `protokol due`, as
a CI job leaves it (docs/site.md#publishing-from-ci).

    python bench/site_bench.py [--count 10000]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from run import ARCHIVE, OUT, TODAY, ensure_archive, protokol_exe, run_once  # noqa: E402

SITE = OUT / "site"
SECONDS, MEGABYTES = 60.0, 1024.0
CHANGED = "        text: "  # the first decision's text of the protocol changed in run 3


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed(name: str, argv: list[str]) -> dict:
    before = _cpu()
    wall, peak, largest, code = run_once(argv, ARCHIVE)
    return {"name": name, "wall": wall, "cpu": _cpu() - before, "peak_mb": peak, "exit": code}


def stats(folder: Path) -> dict[str, tuple[int, int]]:
    return {str(p.relative_to(folder)): (p.stat().st_ino, p.stat().st_mtime_ns) for p in folder.rglob("*") if p.is_file()}


def one_changed(argv: list[str]) -> tuple[dict, list[str], str]:
    """Run 3: a word added to a decision of one protocol of the last year; the protocol is restored afterwards."""
    target = sorted((ARCHIVE / "protocols").rglob("*.yaml"))[-1]
    original = target.read_bytes()
    text = original.decode("utf-8")
    assert CHANGED in text, target
    before = stats(SITE)
    target.write_bytes(text.replace(CHANGED, CHANGED + "Срочно. ", 1).encode("utf-8"))
    try:
        result = timed("site, one protocol changed", argv)
    finally:
        target.write_bytes(original)
    after = stats(SITE)
    written = sorted(name for name in after if after[name] != before.get(name))
    return result, written, target.stem


def expected(written: list[str], pid: str) -> list[str]:
    """What run 3 wrote that it should not have: anything but the protocol's page and the lists."""
    allowed = {f"protocols/{pid}.html", "index.html", "due.html", "search-index.js", "reports.html",
               ".protokol-site.json"}
    return [name for name in written if name not in allowed and not name.startswith(("people/", "reports/"))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--count", type=int, default=10000)
    parser.add_argument("--seed", type=int, default=20240601)  # bench/run.py's
    parser.add_argument("--json", type=Path, help="write the results here as JSON too")
    args = parser.parse_args()
    ensure_archive(args.count, args.seed)
    argv = [protokol_exe(), "site", "--no-documents", "--today", TODAY, "-o", str(SITE)]
    # The cache warm as CI leaves it before `protokol site` (docs/site.md: `check`, then `site`): `check` keeps the
    # parsed protocols the site reads, `due` the index of decisions.
    run_once([protokol_exe(), "check", "--today", TODAY], ARCHIVE)
    run_once([protokol_exe(), "due", "--today", TODAY], ARCHIVE)
    shutil.rmtree(SITE, ignore_errors=True)
    results = [timed("site, warm cache, new folder", argv), timed("site, warm cache, nothing changed", argv)]
    changed, written, pid = one_changed(argv)
    results.append(changed)
    timed("site, the change undone", argv)
    print(f"{'run':<36} {'wall':>8} {'cpu':>8} {'peak':>9}  goals: wall < {SECONDS:.0f} s, peak < {MEGABYTES:.0f} MB")
    for r in results:
        fast = r["exit"] == 0 and r["wall"] < SECONDS
        small = r["exit"] == 0 and r["peak_mb"] < MEGABYTES
        print(f"{r['name']:<36} {r['wall']:7.1f}s {r['cpu']:7.1f}s {r['peak_mb']:7.0f}MB  "
              f"time: {'PASS' if fast else 'FAIL'}, memory: {'PASS' if small else 'FAIL'}"
              + ("" if r["exit"] == 0 else f" (exit {r['exit']})"))
    extra = expected(written, pid)
    print(f"one protocol changed ({pid}): {len(written)} files written: {', '.join(written)}")
    print("  only the pages that show it: " + ("PASS" if not extra else f"FAIL ({', '.join(extra)})"))
    print(f"(load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores: wall time on a busy machine is "
          "longer than the CPU time)")
    if args.json:
        args.json.write_text(json.dumps({"runs": results, "written": written}, ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
