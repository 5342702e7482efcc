"""PDF through LibreOffice: rendered DOCX documents converted by ONE `soffice --headless --convert-to pdf` call.

LibreOffice is a real component found on PATH, not a Python library: unoserver would keep it running, but it needs
LibreOffice's own Python `uno` module, which a virtual environment does not see. Starting soffice costs about a
second, so a batch (`render --all`) is converted in one call over all its documents, never one call per document.
Each call gets a private user profile in a temporary folder (-env:UserInstallation): two runs at once would
otherwise share ~/.config/libreoffice, and the second one exits at once without converting anything.
soffice's exit code proves nothing (it is 0 for a file it could not convert), so each PDF is looked for.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from ..i18n import _, ngettext
from ..writing import create_new

EXECUTABLES = ("soffice", "libreoffice")
INSTALL = "apt-get install libreoffice-writer-nogui fonts-liberation"  # Debian and Ubuntu
# PDF/A-2b: the archival PDF LibreOffice writes when asked (the filter's options as JSON, LibreOffice 7.4 and later)
PDFA_FILTER = 'pdf:writer_pdf_Export:{"SelectPdfVersion":{"type":"long","value":"2"}}'
SECONDS_PER_DOCUMENT = 60  # a protocol converts in a fraction of a second; far more means LibreOffice hangs
START_SECONDS = 120


class PdfError(Exception):
    """LibreOffice is missing or did not convert; `message` and `hint` are for the user."""

    def __init__(self, message: str, hint: str = ""):
        super().__init__(message)
        self.message = message
        self.hint = hint


def find_soffice() -> str | None:
    """The LibreOffice executable on PATH, or None."""
    for name in EXECUTABLES:
        found = shutil.which(name)
        if found:
            return found
    return None


def require_soffice() -> str:
    found = find_soffice()
    if found is None:
        raise PdfError(_("PDF output needs LibreOffice, and no `soffice` was found on PATH."),
                       _("Install it (Debian, Ubuntu: `{command}`), or render DOCX and convert it yourself.").format(
                           command=INSTALL))
    return found


def to_pdf(documents: list[bytes], pdfa: bool = False, soffice: str | None = None) -> list[bytes]:
    """Each DOCX (bytes) as a PDF (bytes), in order, converted by one soffice call. `pdfa`: PDF/A-2b."""
    if not documents:
        return []
    soffice = soffice or require_soffice()
    with tempfile.TemporaryDirectory(prefix="protokol-pdf-") as tmp:
        folder = Path(tmp)
        # numbered names: two protocols of a batch may share a name, and soffice names each PDF after its input
        inputs = [folder / f"{i:05d}.docx" for i in range(len(documents))]
        for path, data in zip(inputs, documents, strict=True):
            create_new(path, data)  # the one writer, even for a temporary file (a fresh name in a private folder)
        out = folder / "pdf"
        command = [soffice, f"-env:UserInstallation={(folder / 'profile').as_uri()}", "--headless", "--norestore",
                   "--nolockcheck", "--convert-to", PDFA_FILTER if pdfa else "pdf", "--outdir", str(out),
                   *map(str, inputs)]
        try:
            done = subprocess.run(command, capture_output=True, text=True, stdin=subprocess.DEVNULL,
                                  timeout=START_SECONDS + SECONDS_PER_DOCUMENT * len(inputs))
        except subprocess.TimeoutExpired:
            raise PdfError(_("LibreOffice did not finish converting to PDF in time.")) from None
        except OSError as exc:
            raise PdfError(_("Cannot run {program}: {error}").format(program=soffice, error=exc.strerror)) from None
        pdfs = [out / (path.stem + ".pdf") for path in inputs]
        missing = [p for p in pdfs if not p.is_file()]
        if missing:
            said = " ".join((done.stderr or done.stdout or "").split())[:300]
            raise PdfError(_missing(len(missing), len(pdfs)) + (f" ({said})" if said else ""),
                           _("Try converting one DOCX by hand: soffice --headless --convert-to pdf FILE.docx"))
        return [p.read_bytes() for p in pdfs]


def _missing(missing: int, total: int) -> str:
    return ngettext("LibreOffice did not convert {n} of {total} document to PDF.",
                    "LibreOffice did not convert {n} of {total} documents to PDF.", total).format(n=missing, total=total)
