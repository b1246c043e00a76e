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


def test_a_variable_is_read_whatever_its_case_and_a_wrong_type_is_named():
    from flows.settings import SettingError

    got = settings({"tamas_file_seconds": "2", "Tamas_Compiled_Transforms": "off", "TAMAS_UNKNOWN": "x", "OTHER": "1"})
    assert got.file_seconds == 2.0 and got.compiled_transforms is False and got.workers_compiled_dir is None
    assert settings({}).compiled_transforms is True and settings({}).prefect_server_keep == 0
    for name, value, message in (
        ("TAMAS_PREFECT_SERVER_KEEP", "ten", "TAMAS_PREFECT_SERVER_KEEP must be a number, not 'ten'"),
        ("TAMAS_COMPILED_TRANSFORMS", "maybe", "TAMAS_COMPILED_TRANSFORMS must be true or false, not 'maybe'"),
    ):
        try:
            settings({name: value})
        except SettingError as exc:
            assert str(exc) == message
        else:
            raise AssertionError(f"{name}={value!r} was accepted")


def test_a_run_with_a_setting_of_the_wrong_type_is_a_usage_error_before_it_starts(tmp_path, seed_dir):
    """Exit 2 with one line, and no Prefect server, warehouse or lock made."""
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if not k.upper().startswith("TAMAS_")}
    env.update(TAMAS_DATA=str(tmp_path / "data"), TAMAS_FILE_SECONDS="soon")
    run = subprocess.run([sys.executable, "-m", "flows.cli", "ingest", str(seed_dir)], cwd=ROOT, env=env,
                         capture_output=True, text=True, timeout=120)
    assert (run.returncode, run.stdout) == (2, "")
    assert run.stderr == "tamas: error: TAMAS_FILE_SECONDS must be a number, not 'soon'\n"
    assert not (tmp_path / "data").exists()


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
