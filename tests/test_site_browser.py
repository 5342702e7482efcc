"""The site in a real browser: Debian's Chromium in headless mode, driven by Selenium through Debian's chromedriver
(both from apt: .ci/run installs them; Selenium Manager never runs, so nothing is downloaded). The example archive's
site is opened from file:// and over HTTP from a sub-path; every request the pages make is read from the browser's
performance log."""

from __future__ import annotations

import functools
import json
import shutil
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from conftest import PROTOCOLS, run_cli

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
TODAY = "2024-06-01"


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    """The example archive's site, under a sub-path (served/archive/site) so that HTTP serves it from one."""
    base = tmp_path_factory.mktemp("site")
    shutil.copytree(PROTOCOLS, base / "archive" / "protocols")
    out = base / "served" / "archive" / "site"
    made = run_cli("site", "--root", str(base / "archive"), "-o", str(out), "--today", TODAY, "--no-documents")
    assert made.exit_code == 0, made.output
    return out


@pytest.fixture(scope="module")
def browser():
    for tool in (CHROMIUM, CHROMEDRIVER):
        assert Path(tool).exists(), f"{tool} is needed (.ci/run installs chromium chromium-driver)"
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                     "--disable-background-networking", "--disable-component-update", "--no-first-run"):
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"performance": "ALL"})
    driver = webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=options)
    try:
        yield driver
    finally:
        driver.quit()


@pytest.fixture(scope="module")
def http_root(site):
    """The folder above the site served over HTTP on 127.0.0.1: the site lives at /archive/site/."""
    served = site.parent.parent
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(served)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/archive/site/"
    server.shutdown()
    server.server_close()


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


def requests(driver) -> list[str]:
    """The URLs the pages asked for since the last call (the performance log is read once)."""
    urls = []
    for entry in driver.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message["method"] == "Network.requestWillBeSent":
            urls.append(message["params"]["request"]["url"])
    return urls


def visible_ids(driver) -> list[str]:
    return [row.get_attribute("data-id") for row in driver.find_elements("css selector", "tr[data-id]")
            if row.is_displayed()]


def due_ids(*options: str) -> list[str]:
    listed = run_cli("due", "--root", str(PROTOCOLS.parent), "--today", TODAY, "--format", "json", *options)
    assert listed.exit_code == 0, listed.output
    return [d["id"] for d in json.loads(listed.stdout)]


def test_the_index_lists_the_five_protocols(browser, site):
    browser.get(site.joinpath("index.html").as_uri())
    links = browser.find_elements("css selector", "main a[href^='protocols/']")
    assert sorted(a.get_attribute("href").rsplit("/", 1)[1] for a in links) == [
        "2020-12-22.html", "2021-09-02.html", "2022-12-25-1.html", "2023-08-27-8.html", "2024-01-09-1.html"]
    links[0].click()
    assert "ПРОТОКОЛ" in browser.find_element("css selector", "article.document h1").text


def test_the_dashboard_lists_what_due_lists_and_a_filter_narrows_it(browser, site):
    from selenium.webdriver.support.ui import Select

    browser.get(site.joinpath("due.html").as_uri())
    everything = due_ids()
    assert visible_ids(browser) == everything
    executor = Select(browser.find_element("id", "f-executor"))
    executor.select_by_visible_text("администрации ОУ")
    narrowed = visible_ids(browser)
    assert narrowed == due_ids("--responsible", "администрации ОУ")
    assert 0 < len(narrowed) < len(everything)
    assert browser.find_element("id", "due-shown").text == f"Показано решений: {len(narrowed)} из {len(everything)}."
    overdue = browser.find_element("css selector", "section.bucket-overdue [data-count]").text
    assert int(overdue) == sum(1 for row in browser.find_elements("css selector", "section.bucket-overdue tr[data-id]")
                               if row.is_displayed())
    executor.select_by_index(0)
    assert visible_ids(browser) == everything


def test_search_finds_a_protocol_by_a_word_of_its_decisions_from_file_and_over_http(browser, site, http_root):
    from selenium.webdriver.support.ui import WebDriverWait

    # «дорожных» is in no file; 2022-12-25-1/2.1 says «дорожные карты»: the stem finds it
    for start in (site.joinpath("index.html").as_uri(), http_root + "index.html"):
        browser.get(start)
        box = browser.find_element("id", "site-q")
        box.send_keys("дорожных карт")
        box.submit()
        # submit() returns before the search page has loaded and run its script: wait for its verdict, not a moment
        WebDriverWait(browser, 20).until(lambda b: b.find_elements("id", "search-status")
                                         and b.find_element("id", "search-status").text)
        results = browser.find_elements("css selector", "#search-results a")
        assert [a.get_attribute("href").rsplit("/", 1)[1] for a in results] == ["2022-12-25-1.html"]
        assert browser.find_element("id", "search-status").text == "Найдено протоколов: 1."
        results[0].click()
        assert "2022-12-25-1" in browser.current_url


def test_the_report_page_shows_its_charts(browser, site):
    browser.get(site.joinpath("reports.html").as_uri())
    charts = browser.find_elements("css selector", "main figure img")
    assert len(charts) == 2
    assert all(browser.execute_script("return arguments[0].complete && arguments[0].naturalWidth > 0", img)
               for img in charts)


def test_no_page_requests_anything_outside_the_site(browser, site, http_root):
    pages = ["index.html", "due.html", "search.html?q=совещание", "protocols/2024-01-09-1.html", "reports.html"]
    pages += [p.relative_to(site).as_posix() for p in sorted((site / "people").glob("*.html"))]
    requests(browser)  # what earlier tests asked for is read off
    for base in (site.as_uri() + "/", http_root):
        for page in pages:
            browser.get(base + page)
            asked = requests(browser)
            assert asked, page
            outside = [url for url in asked if not url.startswith(base)]
            assert not outside, f"{page} asked for {outside}"
