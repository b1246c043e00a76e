"""The ``tamas`` console script, run as a user runs it (a real subprocess)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

TAMAS = Path(sys.executable).with_name("tamas")


def _tamas(*args, env=None, timeout=300):
    return subprocess.run([str(TAMAS), *map(str, args)], capture_output=True, text=True, timeout=timeout, env=env or os.environ.copy())


def test_help_explains_every_option():
    top = _tamas("--help")
    assert top.returncode == 0
    for command in ("ingest", "sql"):
        assert command in top.stdout
    ingest = _tamas("ingest", "--help").stdout
    for option in ("--warehouse", "--max-file-mb", "--workers", "--wait", "PATH"):
        assert option in ingest
    assert "TAMAS_WAREHOUSE" in ingest


def test_missing_path_is_one_line_and_no_traceback(tmp_path):
    result = _tamas("ingest", "/nonexistent", "--warehouse", tmp_path / "w.duckdb")
    assert result.returncode == 2
    assert result.stderr.strip().count("\n") == 0
    assert "no such file or folder: /nonexistent" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout


def test_unwritable_warehouse_is_one_line(tmp_path, seed_dir):
    if os.geteuid() == 0:
        target = Path("/proc/tamas/w.duckdb")  # root may write anywhere a chmod forbids
    else:
        locked = tmp_path / "locked"
        locked.mkdir(mode=0o500)
        target = locked / "w.duckdb"
    result = _tamas("ingest", seed_dir, "--warehouse", target)
    assert result.returncode == 2
    assert result.stderr.startswith("tamas: error:")
    assert result.stderr.strip().count("\n") == 0


def test_ingest_then_sql_through_the_environment_default(tmp_path, seed_dir):
    env = os.environ.copy()
    env["TAMAS_WAREHOUSE"] = str(tmp_path / "env.duckdb")
    run = _tamas("ingest", seed_dir, env=env)
    assert run.returncode == 0, run.stderr
    assert "files seen 2 / loaded 2" in run.stdout
    assert "Traceback" not in run.stderr and "ERROR" not in run.stderr
    out = _tamas("sql", "SELECT count(*) AS n FROM fact_call", env=env)
    assert out.returncode == 0
    assert "2" in out.stdout
    refused = _tamas("sql", "DELETE FROM fact_call", env=env)
    assert refused.returncode == 2
    assert "read-only" in refused.stderr
