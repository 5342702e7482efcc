"""Regenerate the pictures of rendered documents in docs/img/ (`make pictures`): a page of a full protocol written
with protokol (tests/data/render/new) and the first page of an extract of an example protocol, each rendered to PDF
by `protokol render` through LibreOffice and drawn by poppler's pdftoppm.

    python scripts/make_pictures.py
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
IMG = ROOT / "docs" / "img"
NEW = ROOT / "tests" / "data" / "render" / "new"
DPI = "80"  # an A4 page 662 pixels wide: readable on GitHub, small in the repository

# (picture, protokol render arguments, the page drawn)
PICTURES = [
    ("protocol-2025-02-11-1.png", ["2025-02-11-1", "--root", str(NEW)], 2),  # numbers of the ids, signatures
    ("extract-2022-12-25-1.png", ["2022-12-25-1", "--root", str(ROOT)], 1),  # kind: extract, as encoded
]


def main() -> int:
    protokol = [sys.executable, "-m", "protokol"]
    with tempfile.TemporaryDirectory(prefix="protokol-pictures-") as tmp:
        for name, args, page in PICTURES:
            pdf = Path(tmp) / (Path(name).stem + ".pdf")
            subprocess.run([*protokol, "render", *args, "-o", str(pdf)], check=True)
            stem = Path(tmp) / Path(name).stem
            subprocess.run(["pdftoppm", "-png", "-r", DPI, "-f", str(page), "-l", str(page), "-singlefile", str(pdf),
                            str(stem)], check=True)
            (IMG / name).write_bytes(stem.with_suffix(".png").read_bytes())
            print(f"wrote {(IMG / name).relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
