"""Speed of `protokol import`, against a baseline (`python -c "import protokol"`) measured in the same run.

Targets (issue #7): one document in under 0.3 s; a folder of 1,000 documents imported in one call in under a minute.
"One document" is the import's own work in a fresh process: loading the importer (python-docx too, for a .docx), reading,
parsing, writing the YAML and checking it. The whole `protokol import` command is printed beside it, with the start-up
every protokol command pays (`protokol --help`: Typer and the registration of every command group), which is not the
importer's and which no importer change can lower. The folder is one real `protokol import DIR -o OUT` call, start-up
included. The 1,000 documents are made from the test inputs (tests/data/import/ and examples/originals/) with varied
protocol numbers, so that every one gets its own file name. Run standalone:

    python bench/import_bench.py            # a table; exit 1 when a target is missed
    python bench/import_bench.py --json     # the same numbers as JSON
    python bench/import_bench.py --count 200
"""

from __future__ import annotations

import argparse
import io
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
INPUTS = REPO / "tests" / "data" / "import"
ORIGINALS = REPO / "examples" / "originals"
ONE_LIMIT = 0.3  # seconds for one document
FOLDER_LIMIT = 60.0  # seconds for the folder
CLI = [sys.executable, "-c", "from protokol.cli.main import run; run()"]
# One document in a fresh process, timed from before the importer is imported; prints the seconds.
ONE_DOC = ("import sys, time; from datetime import date; from pathlib import Path; start = time.perf_counter(); "
           "from protokol.importers.run import import_document; "
           "r = import_document(Path(sys.argv[1]), None, date(2026, 11, 22)); assert r.yaml and not r.error; "
           "print(time.perf_counter() - start)")


def inner(path: Path, cwd: Path, repeat: int) -> float:
    """Median of the import's own time for one document, each in a fresh process."""
    args = [sys.executable, "-c", ONE_DOC, str(path)]
    subprocess.run(args, cwd=cwd, capture_output=True, check=True, env=ENV)
    times = []
    for _ in range(repeat):
        done = subprocess.run(args, cwd=cwd, capture_output=True, check=True, env=ENV)
        times.append(float(done.stdout.decode().strip().splitlines()[-1]))
    return statistics.median(times)


def environment(cache: Path) -> dict:
    """As an installed protokol runs: with compiled bytecode. pip compiles it at install; a development shell that sets
    PYTHONDONTWRITEBYTECODE would compile every module on every start, so the bytecode goes to a temporary folder."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPYCACHEPREFIX"] = str(cache)
    return env


ENV: dict = {}


def wall(args: list[str], cwd: Path, repeat: int) -> float:
    """Median wall time of a command in seconds; the first run warms the file and bytecode caches and is not counted."""
    subprocess.run(args, cwd=cwd, capture_output=True, check=False, env=ENV)
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        done = subprocess.run(args, cwd=cwd, capture_output=True, check=False, env=ENV)
        times.append(time.perf_counter() - start)
        if done.returncode not in (0,):
            raise SystemExit(f"{' '.join(args[3:])} failed ({done.returncode}):\n{done.stderr.decode()}")
    return statistics.median(times)


def templates() -> list[tuple[str, bytes, str]]:
    """(suffix, content, number) of documents whose protocol number can be varied (the originals 2020-12-22 and 2021-09-02 have none)."""
    sys.path.insert(0, str(REPO / "src"))
    from datetime import date

    from protokol.importers.run import import_document

    paths = [p for p in sorted(INPUTS.iterdir()) if p.suffix in (".txt", ".md") or p.name == "word_tables.docx"]
    paths += sorted(ORIGINALS.glob("*.txt"))
    out = []
    for path in paths:
        protocol = import_document(path, None, date(2026, 11, 22)).protocol
        if protocol is not None and protocol.number and protocol.number.isdigit():
            out.append((path.suffix, path.read_bytes(), protocol.number))
    return out


def _vary(text: str, number: str, i: int) -> str:
    """The first «№ N» of the protocol's own number becomes «№ 1000+i» (a school's «№ 14» elsewhere stays)."""
    return re.sub(r"№(\s*)" + re.escape(number) + r"(?!\d)", lambda m: f"№{m.group(1)}{1000 + i}", text, count=1)


def variant(suffix: str, content: bytes, number: str, i: int) -> bytes:
    """The document with protocol number 1000+i: a file name of its own, the rest as the secretary wrote it."""
    if suffix == ".docx":
        src = zipfile.ZipFile(io.BytesIO(content))
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as dst:
            for item in src.infolist():
                data = src.read(item.filename)
                if item.filename == "word/document.xml":
                    data = _vary(data.decode("utf-8"), number, i).encode("utf-8")
                dst.writestr(item, data)
        return buf.getvalue()
    try:
        return _vary(content.decode("utf-8"), number, i).encode("utf-8")
    except UnicodeDecodeError:
        return _vary(content.decode("cp1251"), number, i).encode("cp1251")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="protokol-import-bench-") as tmp:
        work = Path(tmp)
        ENV.update(environment(work / "pycache"))
        folder = work / "minutes"
        folder.mkdir()
        kinds = templates()
        for i in range(args.count):
            suffix, content, number = kinds[i % len(kinds)]
            (folder / f"doc{i:04d}{suffix}").write_bytes(variant(suffix, content, number, i))
        one = folder / "doc0000.txt" if (folder / "doc0000.txt").exists() else next(folder.iterdir())
        baseline = wall([sys.executable, "-c", "import protokol"], work, args.repeat)
        startup = wall(CLI + ["--help"], work, args.repeat)
        docx = next(p for p in sorted(folder.iterdir()) if p.suffix == ".docx")
        one_time, docx_time = inner(one, work, args.repeat), inner(docx, work, args.repeat)
        one_cli = wall(CLI + ["import", str(one), "--dry-run", "--today", "2026-11-22"], work, args.repeat)
        docx_cli = wall(CLI + ["import", str(docx), "--dry-run", "--today", "2026-11-22"], work, args.repeat)
        out = work / "out"
        start = time.perf_counter()
        done = subprocess.run(CLI + ["import", str(folder), "-o", str(out), "--today", "2026-11-22"], cwd=work,
                              capture_output=True, check=False, env=ENV)
        folder_time = time.perf_counter() - start
        written = len(list(out.glob("*.yaml"))) if out.is_dir() else 0
        if done.returncode != 0 or written != args.count:
            print(done.stderr.decode()[-3000:], file=sys.stderr)
            print(f"the folder import wrote {written} of {args.count} files (exit {done.returncode})", file=sys.stderr)
            return 1
    result = {
        "baseline_import_protokol_s": round(baseline, 4),
        "startup_protokol_help_s": round(startup, 4),
        "one_txt_s": round(one_time, 4),
        "one_docx_s": round(docx_time, 4),
        "one_txt_command_s": round(one_cli, 4),
        "one_docx_command_s": round(docx_cli, 4),
        "folder_s": round(folder_time, 3),
        "documents": args.count,
        "one_vs_baseline": round(one_time / baseline, 2),
        "docx_vs_baseline": round(docx_time / baseline, 2),
        "folder_vs_baseline": round(folder_time / baseline, 1),
        "one_ok": max(one_time, docx_time) < ONE_LIMIT,
        "folder_ok": folder_time < FOLDER_LIMIT * args.count / 1000,
    }
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        def verdict(ok: bool) -> str:
            return "PASS" if ok else "FAIL"

        print(f"baseline: python -c 'import protokol'            {baseline:7.3f} s")
        print(f"start-up of any command: protokol --help         {startup:7.3f} s  = {startup / baseline:6.1f} x baseline")
        print(f"one .txt document, the importer's own work       {one_time:7.3f} s  = {one_time / baseline:6.1f} x baseline"
              f"  (target < {ONE_LIMIT} s: {verdict(one_time < ONE_LIMIT)})")
        print(f"one .docx document, the importer's own work      {docx_time:7.3f} s  = {docx_time / baseline:6.1f} x baseline"
              f"  (target < {ONE_LIMIT} s: {verdict(docx_time < ONE_LIMIT)})")
        print(f"  the whole command, .txt / .docx (start-up too) {one_cli:7.3f} s / {docx_cli:.3f} s"
              f"  (start-up {startup:.3f} s + import)")
        print(f"{args.count} documents in one call (import DIR -o)   {folder_time:7.2f} s  = {folder_time / baseline:6.1f} x baseline"
              f"  ({folder_time / args.count * 1000:.1f} ms each; target < {FOLDER_LIMIT * args.count / 1000:.0f} s: "
              f"{verdict(result['folder_ok'])})")
    return 0 if result["one_ok"] and result["folder_ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
