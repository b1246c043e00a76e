"""The warm runner (flows/warm.py): next to a kept Prefect server, a run leaves a process
that has done a run's imports, and the next ``tamas ingest`` is run there. Real
processes, a real kept server, the real console script."""

from __future__ import annotations

import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest

from flows import warm

TAMAS = Path(sys.executable).with_name("tamas")
SEEDS = Path(__file__).resolve().parents[1] / "seeds" / "articles"


@pytest.fixture
def kept(tmp_path):
    """An environment with a kept server in this test's own data folder; at the end, the
    server and spares this test's runs started are ended."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")}
    env["TAMAS_DATA"] = str(tmp_path / "data")
    env["TAMAS_PREFECT_SERVER_KEEP"] = "60"
    yield env
    from flows.runtime import end_kept_server

    end_kept_server(tmp_path / "data" / "prefect")
    for process in _spares(env):
        process.kill()


def _socket(env: dict) -> Path:
    return Path(env["TAMAS_DATA"]) / "prefect" / warm.SOCKET


def _spares(env: dict) -> list[psutil.Process]:
    """The spares of this test's data folder (no other test's, no other user's)."""
    found = []
    for process in psutil.process_iter(["cmdline"]):
        try:
            if "from flows.warm import serve; serve()" in (process.info["cmdline"] or []) \
                    and process.environ().get("TAMAS_DATA") == env["TAMAS_DATA"] \
                    and process.status() != psutil.STATUS_ZOMBIE:
                found.append(process)
        except psutil.Error:
            pass
    return found


def _ready_spare(env: dict, other_than: int | None = None, seconds: float = 60) -> psutil.Process:
    """The one spare of this data folder (not ``other_than``), once it has done its imports."""
    ready = _socket(env).with_name(warm.READY)
    deadline = time.monotonic() + seconds
    while True:
        spares = [p for p in _spares(env) if p.pid != other_than]
        if len(spares) == 1 and ready.exists() and ready.read_text().strip() == str(spares[0].pid):
            return spares[0]
        assert time.monotonic() < deadline, f"no spare came up: {spares}"
        time.sleep(0.1)


def _tamas(*args, env: dict, cwd=None, timeout: float = 180) -> subprocess.CompletedProcess:
    return subprocess.run([str(TAMAS), *map(str, args)], capture_output=True, text=True, timeout=timeout, env=env,
                          cwd=cwd)


def _taken(env: dict, spare: psutil.Process, seconds: float = 30) -> None:
    """Wait until ``spare`` has taken a command's run: it stops listening then, and may
    start its successor at once."""
    sock = _socket(env)
    deadline = time.monotonic() + seconds
    while sock.exists() and spare.is_running() and not [p for p in _spares(env) if p.pid != spare.pid]:
        assert time.monotonic() < deadline, "the spare did not take the run"
        time.sleep(0.02)


# Runs a command, then prints the peak RSS (kB) of it and the children it waited for.
_PEAK_RSS = ("import resource, subprocess, sys; code = subprocess.run(sys.argv[1:]).returncode; "
             "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss); sys.exit(code)")


def _flow_runs(data: Path, state: str) -> int:
    with sqlite3.connect(data / "prefect" / "prefect.db") as con:
        return con.execute(
            "SELECT count(*) FROM flow_run r JOIN flow f ON f.id = r.flow_id "
            "WHERE f.name = 'ingest_articles' AND r.state_type = ?", [state]).fetchone()[0]


def _gone(process: psutil.Process, seconds: float = 30) -> bool:
    try:
        process.wait(timeout=seconds)
    except psutil.TimeoutExpired:
        return False
    return True


def test_the_next_run_is_run_by_the_spare_the_last_run_left(tmp_path, kept):
    """The first run starts the kept server and leaves a spare; the next run is taken by
    it (that process runs it and ends, leaving the next spare), prints what a run of its
    own prints, and Prefect records both flow runs. The runs start in a folder holding
    modules named like the libraries, which must not hide them from the spare or the
    server."""
    inbox = tmp_path / "inbox"
    shutil.copytree(SEEDS, inbox)
    here = tmp_path / "here"
    here.mkdir()
    for name in ("prefect.py", "polars.py", "duckdb.py", "uvicorn.py"):
        (here / name).write_text("raise ImportError('the working folder came first on sys.path')\n")
    first = _tamas("ingest", inbox, "--warehouse", tmp_path / "w.duckdb", env=kept, cwd=here)
    assert first.returncode == 0, first.stderr
    spare = _ready_spare(kept)

    (inbox / "copy.txt").write_text(next(SEEDS.glob("*.txt")).read_text(encoding="utf-8") + "\n\nبی‌ربط.", encoding="utf-8")
    # The command's own peak memory, children included: a process that imported nothing.
    measured = subprocess.run(
        [sys.executable, "-c", _PEAK_RSS, str(TAMAS), "ingest", str(inbox), "--warehouse", str(tmp_path / "w.duckdb")],
        capture_output=True, text=True, timeout=180, env=kept, cwd=here)
    second_rss_kb = int(measured.stdout.strip().splitlines()[-1])
    second = subprocess.CompletedProcess(measured.args, 0, "\n".join(measured.stdout.splitlines()[:-1]), measured.stderr)
    assert measured.returncode == 0, measured.stderr
    assert second_rss_kb < 80_000, f"the command itself ran the run ({second_rss_kb} kB)"
    assert second.stderr == ""
    assert "files seen 3 / loaded 1 / duplicate 0 / unchanged 2 / rejected 0" in second.stdout
    assert _gone(spare), "the spare that took the run is still there"
    spare = _ready_spare(kept, other_than=spare.pid)
    assert _flow_runs(tmp_path / "data", "COMPLETED") == 2

    usage = _tamas("ingest", inbox, "--workers", "x", env=kept, cwd=here)  # argparse's error, from the spare
    assert usage.returncode == 2 and "invalid int value" in usage.stderr
    assert _gone(spare), "the usage error did not come from the spare"
    log = tmp_path / "data" / "prefect" / warm.LOG
    assert not log.exists() or log.read_text() == "", log.read_text()


def test_back_to_back_runs_a_spare_still_importing_stays_and_its_run_starts_the_next_spare(tmp_path, kept):
    """A command that comes while the spare left by the last run is still importing runs
    itself, and the spare stays. A command that comes back to back with the last run is
    taken by a spare that starts its successor as the run starts: here the successor is
    done with its imports while the run still waits for the warehouse."""
    from warehouse.store import writer_lock

    warehouse = tmp_path / "w.duckdb"
    first = _tamas("ingest", SEEDS, "--warehouse", warehouse, env=kept)
    assert first.returncode == 0, first.stderr
    # As if a spare's imports took a minute: a command never waits for them to end.
    (_socket(kept).with_name(warm.IMPORT_SECONDS)).write_text("60\n")
    [left] = _spares(kept)
    second = _tamas("ingest", SEEDS, "--warehouse", warehouse, env=kept)
    assert second.returncode == 0, second.stderr
    assert "unchanged 2" in second.stdout
    assert f"pid {left.pid} refused a run: still importing" in (tmp_path / "data" / "prefect" / warm.LOG).read_text()
    assert _ready_spare(kept).pid == left.pid, "the spare did not stay"

    (_socket(kept).with_name(warm.LAST_END)).write_text("")  # as if the last run had just ended
    with writer_lock(warehouse):  # the next run waits for it (--wait), in the spare
        third = subprocess.Popen([str(TAMAS), "ingest", str(SEEDS), "--warehouse", str(warehouse), "--wait", "120"],
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=kept)
        successor = _ready_spare(kept, other_than=left.pid)
        assert left.is_running() and third.poll() is None, "the successor came only as the run ended"
    out, err = third.communicate(timeout=120)
    assert third.returncode == 0, err
    assert "unchanged 2" in out
    assert _gone(left)
    assert successor.is_running()


def test_a_command_is_told_to_wait_for_a_spare_nearly_done_with_its_imports(tmp_path, kept):
    """Asked while importing, a spare answers with the seconds left, by the last spare's
    imports, when they are a small share of the whole; otherwise it refuses."""
    first = _tamas("ingest", SEEDS, "--warehouse", tmp_path / "w.duckdb", env=kept)
    assert first.returncode == 0, first.stderr
    [spare] = _spares(kept)
    seconds = _socket(kept).with_name(warm.IMPORT_SECONDS)
    seconds.write_text("0.5\n")  # read when its imports start
    deadline = time.monotonic() + 30
    # past what half a second of imports would take, by the import thread's own CPU time
    while sum(t.user_time + t.system_time for t in spare.threads() if t.id != spare.pid) < 0.45:
        assert time.monotonic() < deadline
        time.sleep(0.01)
    request = {"argv": ["ingest", str(SEEDS)], "env": kept, "cwd": os.getcwd(), "process": warm.process_settings()}
    answer = warm._offer(_socket(kept), request)
    assert not _socket(kept).with_name(warm.READY).exists(), "the imports ended before the question"
    assert isinstance(answer, tuple), answer
    waits, pid = answer
    assert pid == spare.pid and 0 < waits <= 0.4, answer


def test_a_spare_made_for_other_settings_makes_way_and_the_command_runs_itself(tmp_path, kept):
    """Also while it is still importing: it does not keep the place of the spare the
    command leaves."""
    first = _tamas("ingest", SEEDS, "--warehouse", tmp_path / "w.duckdb", env=kept)
    assert first.returncode == 0, first.stderr
    [spare] = _spares(kept)

    other = dict(kept, TAMAS_DUCKDB_MEMORY="200MB")
    again = _tamas("ingest", SEEDS, "--warehouse", tmp_path / "w.duckdb", env=other)
    assert again.returncode == 0, again.stderr
    assert "unchanged 2" in again.stdout
    assert _gone(spare), "a spare of other settings stayed"
    assert _ready_spare(kept, other_than=spare.pid).environ().get("TAMAS_DUCKDB_MEMORY") == "200MB"
    assert "refused a run: other settings" in (tmp_path / "data" / "prefect" / warm.LOG).read_text()


def test_signals_reach_the_run_in_a_spare_and_a_killed_command_stops_it(tmp_path, kept):
    """Ctrl-C and SIGTERM on the command stop the run in the spare as they would stop its
    own (the one-line message, exit 128 + signal). A command killed outright cannot pass
    anything on: the spare sees it gone and stops the run, also when that happens the
    moment the run is taken (the spares after the first must not ignore it then)."""
    from warehouse.store import writer_lock

    warehouse = tmp_path / "w.duckdb"
    first = _tamas("ingest", SEEDS, "--warehouse", warehouse, env=kept)
    assert first.returncode == 0, first.stderr
    data = tmp_path / "data"
    with writer_lock(warehouse):  # the next runs wait for it (--wait)
        for signum, at_once in ((signal.SIGINT, False), (signal.SIGTERM, False), (signal.SIGKILL, False),
                                (signal.SIGKILL, True)):
            spare = _ready_spare(kept)
            running = _flow_runs(data, "RUNNING")
            command = subprocess.Popen([str(TAMAS), "ingest", str(SEEDS), "--warehouse", str(warehouse), "--wait", "120"],
                                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=kept)
            _taken(kept, spare)
            deadline = time.monotonic() + 60
            while not at_once and _flow_runs(data, "RUNNING") == running:  # in the flow, waiting for the lock
                assert time.monotonic() < deadline and command.poll() is None, command.stderr.read()
                time.sleep(0.1)
            command.send_signal(signum)
            out, err = command.communicate(timeout=60)
            if signum == signal.SIGKILL:
                assert command.returncode == -signal.SIGKILL
            else:
                assert command.returncode == 128 + signum, err
                assert f"tamas: error: stopped by {signal.Signals(signum).name}" in err
            assert _gone(spare), "the run in the spare went on"


def test_a_spare_ends_with_its_kept_server(tmp_path, kept):
    from flows.runtime import end_kept_server

    first = _tamas("ingest", SEEDS, "--warehouse", tmp_path / "w.duckdb", env=kept)
    assert first.returncode == 0, first.stderr
    spare = _ready_spare(kept)
    end_kept_server(tmp_path / "data" / "prefect")
    assert _gone(spare)
    assert not _socket(kept).exists()


def test_the_command_s_side_imports_nothing_heavy(tmp_path):
    """It runs before the command has imported anything, so it must cost little: offering
    a run (here to no spare) imports the standard library and the settings only."""
    probe = ("import os, sys; before = set(sys.modules); import flows.warm; "
             "assert flows.warm.run_in_spare(['ingest', 'x']) is None; "
             "print(' '.join(sorted({m.split('.')[0] for m in set(sys.modules) - before "
             "if m.split('.')[0] not in sys.stdlib_module_names})))")
    env = dict(os.environ, TAMAS_DATA=str(tmp_path), TAMAS_PREFECT_SERVER_KEEP="60")
    imported = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True,
                              env=env).stdout.split()
    assert not {"prefect", "polars", "duckdb", "hazm", "fastapi", "transforms", "warehouse"} & set(imported), imported


def test_the_kept_server_s_state_is_where_the_spare_looks():
    from flows.runtime import KeptPrefectServer

    assert warm.KEPT_SERVER_STATE == KeptPrefectServer.STATE


def test_only_a_plain_ingest_with_a_kept_server_of_ours_is_offered(monkeypatch):
    monkeypatch.delenv("PREFECT_API_URL", raising=False)
    monkeypatch.setenv("TAMAS_PREFECT_SERVER_KEEP", "300")
    assert warm.eligible(["ingest", "in"])
    assert not warm.eligible(["ingest", "--verbose", "in"])
    assert not warm.eligible(["sql", "SELECT 1"])
    monkeypatch.setenv("PREFECT_API_URL", "http://127.0.0.1:4200/api")  # the user's server
    assert not warm.eligible(["ingest", "in"])
    monkeypatch.delenv("PREFECT_API_URL")
    for keep in ("0", "soon"):
        monkeypatch.setenv("TAMAS_PREFECT_SERVER_KEEP", keep)
        assert not warm.eligible(["ingest", "in"])
    monkeypatch.delenv("TAMAS_PREFECT_SERVER_KEEP")
    assert not warm.eligible(["ingest", "in"])
