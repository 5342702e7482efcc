"""`make screenshots`: pictures of the site for docs/site.md, taken in Debian's Chromium (headless, through its
chromedriver; nothing is downloaded) from the example archive's site as of 1 June 2024.

    python scripts/screenshots.py            # docs/img/site-due.png, docs/img/site-protocol.png
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
IMG = REPO / "docs" / "img"
CHROMIUM, CHROMEDRIVER = "/usr/bin/chromium", "/usr/bin/chromedriver"
SHOTS = {"site-due.png": ("due.html", 1200, 1400), "site-protocol.png": ("protocols/2024-01-09-1.html", 1200, 1600)}


def main() -> int:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    with tempfile.TemporaryDirectory() as tmp:
        archive = Path(tmp) / "archive"
        shutil.copytree(REPO / "protocols", archive / "protocols")
        site = Path(tmp) / "site"
        exe = Path(sys.executable).parent / "protokol"
        subprocess.run([str(exe), "site", "--root", str(archive), "-o", str(site), "--today", "2024-06-01",
                        "--no-documents", "--lang", "ru"], check=True)
        options = webdriver.ChromeOptions()
        options.binary_location = CHROMIUM
        for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                         "--force-device-scale-factor=1"):
            options.add_argument(argument)
        driver = webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=options)
        try:
            for name, (page, width, height) in SHOTS.items():
                driver.set_window_size(width, height)
                driver.get((site / page).as_uri())
                driver.save_screenshot(str(IMG / name))
                print(f"wrote {(IMG / name).relative_to(REPO)}")
        finally:
            driver.quit()
    return 0


if __name__ == "__main__":
    sys.exit(main())
