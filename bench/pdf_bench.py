"""Speed of `protokol render --format pdf`: the whole command for one example protocol against one `--all` call over
a batch of 20, measured in the same run on the same machine.

LibreOffice starts in about a second; a batch is converted in one soffice call (protokol.render.pdf), so 20
documents must take well under 20 single calls. Target (issue #14): the batch under 4× the single document.

    python bench/pdf_bench.py            # a table and PASS/FAIL; exit 1 when the target is missed
    python bench/pdf_bench.py --json     # the same numbers as JSON
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
from pathlib import Path

from render_bench import wall  # median wall time of a whole command, the first run not counted

REPO = Path(__file__).resolve().parent.parent
PROTOCOLS = REPO / "protocols"
ONE = "2024-01-09-1"
BATCH = 20
BATCH_VS_ONE = 4.0  # the batch's command under this many times the single document's


def batch_archive(folder: Path, count: int) -> None:
    """An archive of `count` protocols: the examples copied over and over, each copy a file (an id) of its own."""
    examples = sorted(PROTOCOLS.glob("*/*.yaml"))
    target = folder / "protocols"
    for i in range(count):
        source = examples[i % len(examples)]
        year = target / source.parent.name
        year.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, year / f"{source.stem}-{i // len(examples) + 1}.yaml")


def measure(repeat: int) -> dict:
    protokol = [sys.executable, "-m", "protokol"]
    with tempfile.TemporaryDirectory(prefix="protokol-pdf-bench-") as tmp:
        single, batch = Path(tmp) / "single", Path(tmp) / "batch"
        shutil.copytree(PROTOCOLS, single / "protocols")
        batch_archive(batch, BATCH)
        one = wall([*protokol, "render", ONE, "--format", "pdf", "-o", "one.pdf", "--force"], single, repeat)
        many = wall([*protokol, "render", "--all", "--format", "pdf", "-o", "out", "--force"], batch, repeat)
        made = len(list((batch / "out").glob("*.pdf")))
    return {"batch": made, "one_pdf_s": one, "batch_pdf_s": many, "batch_vs_one": many / one,
            "batch_ok": made == BATCH and many < BATCH_VS_ONE * one}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Speed of protokol render to PDF: one document against a batch.")
    parser.add_argument("--repeat", type=int, default=3, help="runs per measurement (median taken)")
    parser.add_argument("--json", action="store_true", help="print the numbers as JSON")
    args = parser.parse_args(argv)
    if shutil.which("soffice") is None:
        print("bench/pdf_bench.py: no soffice on PATH (apt-get install libreoffice-writer-nogui); skipped")
        return 0
    r = measure(args.repeat)
    if args.json:
        print(json.dumps(r, indent=2))
    else:
        print(f"{'render ' + ONE + ' --format pdf':<42} {r['one_pdf_s'] * 1000:7.0f} ms")
        print(f"{'render --all --format pdf, ' + str(r['batch']) + ' protocols':<42} {r['batch_pdf_s'] * 1000:7.0f} ms"
              f"  {r['batch_vs_one']:.2f}× the single one (target < {BATCH_VS_ONE:.0f}×)")
        print(f"PDF batch of {BATCH} against one document:", "PASS" if r["batch_ok"] else "FAIL")
    return 0 if r["batch_ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
