"""Shared fixtures: each test gets its own warehouse; Prefect runs on one temporary
test server for the whole session (started only if a test needs it)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import duckdb
import pytest

REPO = Path(__file__).resolve().parents[1]
SEED_ARTICLES = REPO / "seeds" / "articles"
FIXTURES = Path(__file__).resolve().parent / "fixtures"


def pytest_sessionfinish(session, exitstatus):
    """`make test` is the whole suite (issue 14): a skipped test fails the run, so a
    missing browser or database can never pass as green."""
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    skipped = reporter.stats.get("skipped", []) if reporter else []
    if skipped and exitstatus == pytest.ExitCode.OK:
        reporter.ensure_newline()
        reporter.write_line(f"{len(skipped)} test(s) skipped: every test must run (make test installs what they need)", red=True)
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


@pytest.fixture(scope="session", autouse=True)
def _tamas_environment(tmp_path_factory):
    """Keep Prefect's home and every generated file out of the working tree."""
    data = tmp_path_factory.mktemp("tamas-data")
    os.environ["TAMAS_DATA"] = str(data)
    os.environ.pop("TAMAS_WAREHOUSE", None)
    # a server per run, which the tests of what a run leaves behind count on; the kept
    # server has its own test (test_cli.py)
    os.environ.pop("TAMAS_PREFECT_SERVER_KEEP", None)
    from flows import runtime

    runtime.configure()
    yield data


@pytest.fixture(scope="session")
def prefect_server():
    """Prefect's test harness: one temporary API server and database for the session."""
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=120):
        yield


@pytest.fixture
def warehouse(tmp_path) -> Path:
    """A path for a fresh, private warehouse file."""
    return tmp_path / "warehouse" / "tamas.duckdb"


@pytest.fixture
def ingest(prefect_server, warehouse):
    """Run the real flow over paths into this test's warehouse; returns the RunSummary."""
    from flows.ingest import ingest_articles

    from warehouse.store import wait_for_removals

    def run(*paths, **options):
        try:
            return ingest_articles(paths=[str(p) for p in paths], warehouse=str(warehouse), **options)
        finally:  # the file a publish replaced is removed in the background; the test sees it gone
            wait_for_removals()

    return run


@pytest.fixture
def query(warehouse):
    """Read-only query helper against this test's warehouse."""

    def run(sql: str, params=None):
        con = duckdb.connect(str(warehouse), read_only=True)
        try:
            return con.execute(sql, params or []).fetchall()
        finally:
            con.close()

    return run


@pytest.fixture
def seed_dir(tmp_path) -> Path:
    """A private copy of the seed articles (tests may touch or change files)."""
    target = tmp_path / "articles"
    shutil.copytree(SEED_ARTICLES, target)
    return target
