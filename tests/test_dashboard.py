"""Issues 6 and 15: the dashboard in a real browser (Debian's chromium, headless, via
playwright's Python package with executable_path; no browser is ever downloaded).

Starts `tamas dashboard` on a free port over a warehouse of the seeds and drives every
page (calls, pairs, topics, network, map, country, official, call detail, article,
search, 404): what each shows, that filters and the calendar switch change it, that a
call known only to its month never shows a day, that every empty state says why, and
that the browser asks nothing of any host but the dashboard (no CDN: it works offline).
Screenshots of each page go to test-artifacts/.
"""

from __future__ import annotations

import os
import re
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
        page = context.new_page()
        page.outside = []  # every request for another host, refused: the dashboard must need none
        page.errors = []

        def only_local(route):
            if route.request.url.startswith("http://127.0.0.1:"):
                route.continue_()
            else:
                page.outside.append(route.request.url)
                route.abort()

        page.route("**/*", only_local)
        page.on("pageerror", lambda error: page.errors.append(str(error)))
        try:
            yield page
        finally:
            context.close()


def _rows(page, grid="#calls-grid") -> list[str]:
    return page.locator(f"{grid} tbody tr").all_inner_texts()


def _wait_text(page, selector: str, text: str, start: bool = False, exact: bool = False) -> None:
    """Until the element shows the text (a page re-rendered by the calendar switch has no
    element for a moment)."""
    test = "t === want" if exact else "t.startsWith(want)" if start else "t.includes(want)"
    page.wait_for_function(
        f"([sel, want]) => {{ const e = document.querySelector(sel); const t = e ? e.innerText : null; return t !== null && {test}; }}",
        arg=[selector, text],
    )


def _shot(page, name: str) -> None:
    page.wait_for_timeout(700)  # let plotly and cytoscape finish drawing
    page.screenshot(path=str(ARTIFACTS / f"dashboard-{name}.png"), full_page=True)


def _calendar(page, which: str) -> None:
    page.get_by_label("میلادی" if which == "gregorian" else "شمسی", exact=False).first.check()


DAY = re.compile(r"\b\d{4}-\d\d-\d\d\b")


def test_calls_page_filters_and_the_calendar(dashboard, browser_page):
    page = browser_page
    page.goto(dashboard + "/")
    page.wait_for_selector("#calls-grid tbody tr")
    _wait_text(page, "#calls-count", "2 ", start=True)
    assert page.evaluate("document.documentElement.dir") == "rtl"
    assert len(_rows(page)) == 2
    table = page.inner_text("#calls-grid")
    for name in NAMES:
        assert name in table
    # Jalali by default; the Nowruz call is known only to March 2021: a month, never a day
    assert "1399-05-10" in table and "اسفند ۱۳۹۹–فروردین ۱۴۰۰" in table
    vaezi = page.locator("#calls-grid tbody tr", has_text="محمود واعظی").inner_text()
    assert not DAY.search(vaezi) and "ماه" in vaezi
    for english in ("day", "month", "phone", "published", "inferred", "stated"):
        assert english not in page.inner_text("#page")
    page.wait_for_selector("#calls-graph .main-svg")
    _shot(page, "calls")

    # The calendar switch changes every date, the chart's months and the date boxes' examples.
    _calendar(page, "gregorian")
    _wait_text(page, "#calls-grid", "2020-07-31")
    table = page.inner_text("#calls-grid")
    assert "1399" not in table and "مارس 2021" in table
    assert page.get_attribute("#f-from", "placeholder").startswith("20")
    assert "ژوئیه 2020" in page.inner_text("#calls-graph")

    # Date range in the chosen calendar (Persian digits accepted): the Esfand 1399 call
    # lies in March 2021, after 1399-06-01; the July 2020 call does not.
    _calendar(page, "jalali")
    _wait_text(page, "#calls-grid", "1399-05-10")
    assert page.get_attribute("#f-from", "placeholder").startswith("14")  # the re-rendered page's box
    page.fill("#f-from", "۱۳۹۹-۰۶-۰۱")
    page.press("#f-from", "Enter")
    _wait_text(page, "#calls-count", "1 ", start=True)
    table = page.inner_text("#calls-grid")
    assert "شاهین مصطفی‌اف" in table and "الهام علی‌اف" not in table
    _shot(page, "calls-filtered")

    # A range with no call says so and why.
    page.fill("#f-from", "1402-01-01")
    page.press("#f-from", "Enter")
    _wait_text(page, "#calls-count", "0 ", start=True)
    assert "هیچ تماسی با این فیلترها" in page.inner_text("#calls-chart")
    page.fill("#f-from", "1399-13-40")
    page.press("#f-from", "Enter")
    page.wait_for_selector("#date-problem")
    assert "تاریخ نامعتبر" in page.inner_text("#date-problem")

    # Official filter (dropdown): Rouhani's call only.
    page.fill("#f-from", "")
    page.press("#f-from", "Enter")
    _wait_text(page, "#calls-count", "2 ", start=True)
    page.click("#f-official")
    page.wait_for_timeout(500)
    page.keyboard.type("روحانی", delay=50)
    page.wait_for_timeout(300)
    page.keyboard.press("Enter")
    _wait_text(page, "#calls-count", "1 ", start=True)
    table = page.inner_text("#calls-grid")
    assert "حسن روحانی" in table and "محمود واعظی" not in table
    assert page.outside == [] and page.errors == []


def test_call_detail_article_country_and_official(dashboard, browser_page):
    page = browser_page
    page.goto(dashboard + "/")
    _calendar(page, "jalali")
    page.wait_for_selector("#calls-grid tbody tr")
    page.locator("#calls-grid tbody tr", has_text="حسن روحانی").get_by_role("link", name="جزئیات").click()
    page.wait_for_selector("#participants-grid")
    assert "الهام علی‌اف" in page.inner_text("#participants-grid")
    assert "کرونا" in page.inner_text("#topics-grid") and "covid" not in page.inner_text("#topics-grid")
    assert "تماس تلفنی" in page.inner_text(".evidence")
    assert page.inner_text("#call-date") == "1399-05-10"
    assert "تلفنی" in page.inner_text("#page") and "phone" not in page.inner_text("#page")
    assert "001_48a1204ac61837a3.txt" in page.inner_text("#articles-grid")
    _shot(page, "call")
    _calendar(page, "gregorian")
    _wait_text(page, "#call-date", "2020-07-31", exact=True)

    # The source article: its text and the calls it reports.
    page.locator("#articles-grid a").first.click()
    page.wait_for_selector("#article-title")
    assert "آستارا" in page.inner_text(".article-text")
    assert "حسن روحانی" in page.inner_text("#article-calls")
    _shot(page, "article")

    # Names and countries link to their pages.
    page.locator("#article-calls a", has_text="ایران").first.click()
    page.wait_for_selector("#country-chart .main-svg")
    assert page.inner_text("h2") == "ایران"
    assert "جمهوری آذربایجان" in page.inner_text("#counterparts-grid")
    officials = page.inner_text("#officials-grid")
    assert "حسن روحانی" in officials and "محمود واعظی" in officials
    _shot(page, "country")
    page.locator("#officials-grid a", has_text="حسن روحانی").click()
    page.wait_for_selector("#roles-grid")
    assert page.inner_text("h2") == "حسن روحانی"
    assert "رئیس‌جمهور" in page.inner_text("#roles-grid")  # role history from official_role
    assert "الهام علی‌اف" in page.inner_text("#official-counterparts")
    assert "2020-07-31" in page.inner_text("#official-calls-grid")  # still Gregorian
    _calendar(page, "jalali")
    _wait_text(page, "#official-calls-grid", "1399-05-10")
    _shot(page, "official")
    assert page.outside == [] and page.errors == []


def test_pairs_topics_network_map(dashboard, browser_page):
    page = browser_page
    page.goto(dashboard + "/pairs")
    page.wait_for_selector("#pairs-chart .main-svg")
    assert "ایران" in page.inner_text("#pairs-grid") and "جمهوری آذربایجان" in page.inner_text("#pairs-grid")
    # the whole pair label is drawn, not clipped at the chart's edge
    label = page.locator("#pairs-chart .ytick text").first
    box, chart = label.bounding_box(), page.locator("#pairs-chart .main-svg").first.bounding_box()
    assert box["x"] >= chart["x"] and box["x"] + box["width"] <= chart["x"] + chart["width"]
    assert "–" in label.text_content() and len(label.text_content()) > 10
    _calendar(page, "jalali")
    page.wait_for_selector("#pairs-grid")
    assert "اسفند ۱۳۹۹–فروردین ۱۴۰۰" in page.inner_text("#pairs-grid")  # the last month, honestly
    _shot(page, "pairs")

    page.goto(dashboard + "/topics")
    page.wait_for_selector("#topics-chart .main-svg")
    assert "کرونا" in page.inner_text("#topics-grid")
    assert "مرداد ۱۳۹۹" in page.inner_text("#topics-chart")
    _shot(page, "topics")

    page.goto(dashboard + "/network")
    page.wait_for_selector("#network-grid")
    for name in NAMES:
        assert name in page.inner_text("#network-grid")
    page.wait_for_function("document.querySelectorAll('#network canvas').length > 0")
    assert "ایران" in page.inner_text("#network-legend")
    _shot(page, "network")
    page.get_by_label("2", exact=True).check()  # no two officials spoke twice: said so
    page.wait_for_selector("#network-grid.empty")
    assert "هیچ دو مقامی" in page.inner_text("#network-grid")

    page.goto(dashboard + "/map")
    page.wait_for_selector("#world-map .main-svg")
    page.wait_for_selector("#world-map .choroplethlocation")  # countries drawn from the vendored outlines
    assert "جمهوری آذربایجان" in page.inner_text("#map-grid")
    _shot(page, "map")
    assert page.outside == [] and page.errors == []


def test_search_and_not_found(dashboard, browser_page):
    page = browser_page
    page.goto(dashboard + "/search?q=" + "راه آهن رشت")
    page.wait_for_selector("#search-results .hit")
    hit = page.locator("#search-results .hit").first
    assert "راه‌آهن رشت" in hit.locator("mark").inner_text()
    assert "الهام علی‌اف – حسن روحانی" in hit.inner_text()
    _shot(page, "search")
    hit.get_by_role("link", name="الهام علی‌اف – حسن روحانی").click()
    page.wait_for_selector("#participants-grid")

    page.goto(dashboard + "/search?q=" + "زلزله")
    page.wait_for_selector("#search-results")
    assert "هیچ خبری همه واژه‌های «زلزله» را ندارد" in page.inner_text("#search-results")

    for path in ("/no/such/page", "/call/0000000000000000", "/official/nobody", "/country/XX"):
        response = page.goto(dashboard + path)
        page.wait_for_selector("#not-found")
        assert "پیدا نشد" in page.inner_text("#not-found")
    assert response.status == 200  # /country/XX is a page address; the page says what is missing
    assert page.goto(dashboard + "/no/such/page").status == 404
    page.wait_for_selector("#not-found")
    _shot(page, "404")
    assert page.outside == [] and page.errors == []
