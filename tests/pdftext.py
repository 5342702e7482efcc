"""Reading PDFs back in the tests, with poppler's pdftotext and pdfinfo: the text, the page count, each page's lines."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path


def pdf_text(pdf: Path, first: int | None = None, last: int | None = None) -> str:
    """The text of the PDF (or of pages first…last), every run of white space one space: justified lines wrap
    anywhere, and names keep non-breaking spaces."""
    pages = [*(["-f", str(first)] if first else []), *(["-l", str(last)] if last else [])]
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", *pages, str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    return re.sub(r"\s+", " ", text)


def page_count(pdf: Path) -> int:
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    return int(re.search(r"^Pages:\s+(\d+)", info, re.M)[1])


def pages(pdf: Path) -> list[list[str]]:
    """Each page's lines, spaces normalised, the page number (pages 2 on) left out."""
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    out = []
    for number, page in enumerate(text.split("\f")[:page_count(pdf)], 1):
        lines = [re.sub(r"\s+", " ", line).strip() for line in page.split("\n")]
        lines = [line for line in lines if line]
        if number > 1 and lines and lines[0] == str(number):
            lines = lines[1:]
        out.append(lines)
    return out
