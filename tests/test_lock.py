"""requirements.lock is the lock of pyproject.toml (issue 14). scripts/check_lock.py, which
`make setup` runs, on this repository and on copies where one of the two moved alone."""

from __future__ import annotations

import re
import subprocess
import sys
from importlib.metadata import version
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
PYPROJECT = REPO / "pyproject.toml"
LOCK = REPO / "requirements.lock"


def _check(pyproject: Path = PYPROJECT, lock: Path = LOCK, installed: bool = False) -> subprocess.CompletedProcess:
    args = [sys.executable, str(REPO / "scripts" / "check_lock.py"), "--pyproject", str(pyproject), "--lock", str(lock)]
    return subprocess.run(args + (["--installed"] if installed else []), capture_output=True, text=True, timeout=120)


def _copy(tmp_path: Path, source: Path, old: str, new: str) -> Path:
    text = source.read_text(encoding="utf-8")
    assert old in text, old
    target = tmp_path / source.name
    target.write_text(text.replace(old, new, 1), encoding="utf-8")
    return target


def _locked(name: str) -> str:
    return re.search(rf"^{name}==(\S+)", LOCK.read_text(encoding="utf-8"), re.M).group(1)


def test_the_lock_agrees_with_pyproject_and_is_what_is_installed():
    result = _check(installed=True)
    assert result.returncode == 0, result.stderr
    assert "agrees" in result.stdout


def test_sqlalchemy_is_locked_on_the_2_0_series_prefect_supports():
    assert _locked("sqlalchemy").startswith("2.0.")
    assert version("sqlalchemy") == _locked("sqlalchemy")


@pytest.mark.parametrize(
    "old, new, expected",
    [
        # A new dependency, not in the lock at all.
        ('    "rich==15.0.0",\n', '    "rich==15.0.0",\n    "tabulate==0.9.0",\n', "tabulate==0.9.0 (pyproject.toml) is not in requirements.lock"),
        # A new direct dependency the lock already holds for another package: still a relock.
        ('    "rich==15.0.0",\n', f'    "rich==15.0.0",\n    "httpx=={_locked("httpx")}",\n', "does not record httpx as required by pyproject.toml"),
        # A changed pin.
        ('"polars==1.44.2"', '"polars==1.44.1"', "but requirements.lock has polars==1.44.2"),
        ('"pytest==9.2.0"', '"pytest==9.1.0"', "but requirements.lock has pytest==9.2.0"),
        # A dropped dependency.
        ('    "rapidfuzz==3.14.6",\n', "", "still locks rapidfuzz for pyproject.toml"),
    ],
    ids=["added", "added-already-locked", "changed-pin", "changed-dev-pin", "removed"],
)
def test_pyproject_changed_without_relocking_fails(tmp_path, old, new, expected):
    result = _check(pyproject=_copy(tmp_path, PYPROJECT, old, new))
    assert result.returncode == 1
    assert expected in result.stderr, result.stderr
    assert result.stderr.rstrip().endswith("run `make lock` (pip-compile; needs the network) and commit requirements.lock")


def test_a_lock_missing_a_package_or_with_one_too_many_fails_against_the_venv(tmp_path):
    # greenlet comes in through sqlalchemy[asyncio] only: the static check cannot see it go.
    stanza = re.search(r"^greenlet==.*?(?=^\S)", LOCK.read_text(encoding="utf-8"), re.M | re.S).group(0)
    missing = _copy(tmp_path, LOCK, stanza, "")
    assert _check(lock=missing).returncode == 0
    result = _check(lock=missing, installed=True)
    assert result.returncode == 1
    assert "greenlet is needed by pyproject.toml's requirements but not in requirements.lock" in result.stderr
    extra = tmp_path / "extra" / "requirements.lock"
    extra.parent.mkdir()
    extra.write_text(LOCK.read_text(encoding="utf-8") + f"pip=={version('pip')}\n", encoding="utf-8")
    result = _check(lock=extra, installed=True)
    assert result.returncode == 1
    assert "locks pip, which nothing in pyproject.toml needs" in result.stderr
