"""One settings object: every TAMAS_ variable is read in flows/settings.py, nowhere else."""

from __future__ import annotations

import ast
from pathlib import Path

import duckdb

from flows.settings import settings
from warehouse import store

ROOT = Path(__file__).resolve().parents[1]
# Set by the tests to pause or fail a run (docs/operations.md, "Test hooks"), the URL
# flows/runtime.py records for the temporary Prefect server it starts itself, and what it
# hands a kept server (flows/prefect_server.py).
NOT_SETTINGS = {"TAMAS_TEST_HOOK", "TAMAS_TEST_HOOK_FILE", "TAMAS_TEMPORARY_PREFECT_API_URL", "TAMAS_KEPT_SERVER"}


def test_settings_come_from_tamas_variables(monkeypatch, tmp_path):
    monkeypatch.setenv("TAMAS_DATA", str(tmp_path))
    monkeypatch.setenv("TAMAS_FILE_SECONDS", "7.5")
    monkeypatch.setenv("TAMAS_DUCKDB_INDEX_MEMORY", "300MB")
    monkeypatch.setenv("TAMAS_PROGRESS_EVERY", "")  # empty: as if unset
    got = settings()
    assert got.data_dir == tmp_path.resolve()
    assert got.default_warehouse == tmp_path.resolve() / "tamas.duckdb"
    assert got.file_seconds == 7.5 and got.progress_every is None
    assert got.memory_caps == {"load": None, "rebuild": None, "index": "300MB"}
    monkeypatch.setenv("TAMAS_WAREHOUSE", str(tmp_path / "w.duckdb"))
    assert settings().default_warehouse == tmp_path / "w.duckdb"


def test_a_memory_cap_set_applies_and_the_others_keep_their_defaults():
    try:
        store.configure_memory({"load": None, "rebuild": "200MB", "index": None})
        assert store.memory_cap("rebuild") == "200MB"
        assert store.memory_cap("load") == store.MEMORY_CAPS["load"]
        con = duckdb.connect()
        with store.end_step(con, "rebuild"):
            limit = con.execute("SELECT current_setting('memory_limit')").fetchone()[0]
        assert limit == duckdb.connect(config={"memory_limit": "200MB"}).execute(
            "SELECT current_setting('memory_limit')").fetchone()[0]
    finally:
        store.configure_memory({})


def _environment_reads(path: Path) -> list[tuple[int, str]]:
    """(line, variable) of each os.environ[...] / os.environ.get(...) / os.getenv(...) with a
    literal TAMAS_ name in a module."""
    out = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value.startswith("TAMAS_"):
            out.append((node.lineno, node.value))
    return out


def test_no_module_but_the_settings_reads_a_tamas_variable():
    readers = {}
    for package in ("flows", "warehouse", "transforms", "app"):
        for path in (ROOT / package).rglob("*.py"):
            if path == ROOT / "flows" / "settings.py":
                continue
            found = [(line, name) for line, name in _environment_reads(path) if name not in NOT_SETTINGS]
            if found:
                readers[str(path.relative_to(ROOT))] = found
    assert readers == {}


def test_the_check_finds_a_planted_reader(tmp_path):
    planted = tmp_path / "planted.py"
    planted.write_text('import os\nLIMIT = os.environ.get("TAMAS_SOMETHING", "1")\n', encoding="utf-8")
    assert _environment_reads(planted) == [(2, "TAMAS_SOMETHING")]
