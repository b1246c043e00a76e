"""Issue 6: the dashboard in a real browser (Debian's chromium, headless, via playwright's
Python package with executable_path; no browser is ever downloaded).

Starts `tamas dashboard` on a free port over a warehouse of the seeds, checks the calls
page shows the seeds' two calls and their participants, that filters change what is
shown, visits every page, and saves screenshots to test-artifacts/.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
ARTIFACTS = REPO / "test-artifacts"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
NAMES = ["الهام علی‌اف", "حسن روحانی", "شاهین مصطفی‌اف", "محمود واعظی"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def dashboard(prefect_server, tmp_path_factory):
    from flows.ingest import ingest_articles

    target = tmp_path_factory.mktemp("dashboard") / "tamas.duckdb"
    ingest_articles(paths=[str(REPO / "seeds" / "articles")], warehouse=str(target))
    port = _free_port()
    log = open(target.parent / "dashboard.log", "w")
    proc = subprocess.Popen(
        [sys.executable, "-m", "flows.cli", "dashboard", "--port", str(port), "--warehouse", str(target)],
        cwd=REPO, stdout=log, stderr=subprocess.STDOUT, env=os.environ.copy(),
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                with urllib.request.urlopen(base + "/healthz", timeout=5) as response:
                    if response.status == 200:
                        break
            except OSError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                log.flush()
                pytest.fail("dashboard did not start:\n" + (target.parent / "dashboard.log").read_text())
            time.sleep(0.3)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)
        log.close()


@pytest.fixture(scope="module")
def browser_page(tmp_path_factory):
    if not os.access(CHROMIUM, os.X_OK):
        pytest.fail(f"{CHROMIUM} is missing: `make test` installs it (apt-get install chromium fonts-noto-core fontconfig)")
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as p:
        context = p.chromium.launch_persistent_context(
            str(tmp_path_factory.mktemp("chromium-profile")),  # a fresh --user-data-dir
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_FLAGS,
            viewport={"width": 1400, "height": 1000}, locale="fa-IR", timeout=60_000,
        )
        context.set_default_timeout(60_000)  # a loaded 2-core CI machine
        try:
            yield context.new_page()
        finally:
            context.close()


def _rows(page) -> list[str]:
    return page.locator("#calls-grid tbody tr").all_inner_texts()


def test_calls_page_shows_the_seed_calls_and_filters_change_it(dashboard, browser_page):
    page = browser_page
    page.goto(dashboard + "/")
    page.wait_for_selector("#calls-grid tbody tr")
    page.wait_for_function("document.querySelector('#calls-count').innerText.startsWith('2 ')")
    assert page.evaluate("document.documentElement.dir") == "rtl"
    rows = _rows(page)
    assert len(rows) == 2
    table = page.inner_text("#calls-grid")
    for name in NAMES:
        assert name in table
    assert "1399-05-10" in table and "1399-12-11" in table  # Jalali by default
    page.wait_for_timeout(500)  # let plotly draw before the screenshot
    page.screenshot(path=str(ARTIFACTS / "dashboard-calls.png"), full_page=True)

    # Calendar toggle: Gregorian dates.
    page.get_by_label("میلادی", exact=False).first.check()
    page.wait_for_function("document.querySelector('#calls-grid').innerText.includes('2020-07-31')")

    # Date-range filter (Jalali, Persian digits accepted): only the Esfand 1399 call is left.
    page.get_by_label("شمسی", exact=False).first.check()
    page.fill("#f-from", "۱۳۹۹-۰۶-۰۱")
    page.press("#f-from", "Enter")
    page.wait_for_function("document.querySelector('#calls-count').innerText.startsWith('1 ')")
    table = page.inner_text("#calls-grid")
    assert "شاهین مصطفی‌اف" in table and "الهام علی‌اف" not in table
    page.screenshot(path=str(ARTIFACTS / "dashboard-calls-filtered.png"), full_page=True)

    # Official filter (dropdown): Rouhani's call only, once the date filter is cleared.
    page.fill("#f-from", "")
    page.press("#f-from", "Enter")
    page.wait_for_function("document.querySelector('#calls-count').innerText.startsWith('2 ')")
    page.click("#f-official")
    page.wait_for_timeout(500)  # the dropdown opens and focuses its search box
    page.keyboard.type("روحانی", delay=50)
    page.wait_for_timeout(300)
    page.keyboard.press("Enter")
    page.wait_for_function("document.querySelector('#calls-count').innerText.startsWith('1 ')")
    table = page.inner_text("#calls-grid")
    assert "حسن روحانی" in table and "محمود واعظی" not in table


def test_other_pages(dashboard, browser_page):
    page = browser_page
    page.goto(dashboard + "/network")
    page.wait_for_selector("#network-grid")
    network = page.inner_text("#network-grid")
    for name in NAMES:
        assert name in network
    page.screenshot(path=str(ARTIFACTS / "dashboard-network.png"), full_page=True)

    page.goto(dashboard + "/pairs")
    page.wait_for_selector("#pairs-grid")
    assert "ایران" in page.inner_text("#pairs-grid")

    page.goto(dashboard + "/topics")
    page.wait_for_selector(".js-plotly-plot")

    # A call's detail, reached by its link on the calls page.
    page.goto(dashboard + "/")
    page.wait_for_selector("#calls-grid tbody tr")
    page.locator("#calls-grid tbody tr", has_text="حسن روحانی").get_by_role("link").click()
    page.wait_for_selector("#participants-grid")
    assert "الهام علی‌اف" in page.inner_text("#participants-grid")
    assert "covid" not in page.inner_text("#topics-grid")  # Persian topic names
    assert "کرونا" in page.inner_text("#topics-grid")
    assert "تماس تلفنی" in page.inner_text(".evidence")
    assert "001_48a1204ac61837a3.txt" in page.inner_text("#articles-grid")
    page.screenshot(path=str(ARTIFACTS / "dashboard-call.png"), full_page=True)

    page.goto(dashboard + "/search?q=" + "راه آهن رشت")
    page.wait_for_selector("#search-grid tbody tr")
    assert "001_48a1204ac61837a3.txt" in page.locator("#search-grid tbody tr").first.inner_text()
