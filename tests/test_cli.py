"""The ``tamas`` console script, run as a user runs it (a real subprocess)."""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

TAMAS = Path(sys.executable).with_name("tamas")
ROOT = Path(__file__).resolve().parent.parent


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


# Runs a command as a child subreaper (Linux prctl PR_SET_CHILD_SUBREAPER): whatever the
# command leaves running is re-parented to this launcher, not to init, so the test looks at
# the processes its own `tamas` started and at no other process on the machine.
# (tests/test_robustness.py uses the same prelude.)
SUBREAPER_PRELUDE = r"""
import ctypes, json, os, signal, subprocess, sys, time
import psutil

assert ctypes.CDLL(None, use_errno=True).prctl(36, 1, 0, 0, 0) == 0  # PR_SET_CHILD_SUBREAPER
me = psutil.Process()

def alive():
    try:
        while os.waitpid(-1, os.WNOHANG)[0]:  # reap the re-parented that have exited
            pass
    except ChildProcessError:
        pass
    found = {}
    for p in me.children(recursive=True):
        try:
            if p.status() != psutil.STATUS_ZOMBIE:
                found[p.pid] = " ".join(p.cmdline())
        except psutil.Error:
            pass
    return found
"""
_LAUNCHER = SUBREAPER_PRELUDE + r"""
report, args = sys.argv[1], sys.argv[2:]
SERVER = "flows.prefect_server:create_app"  # Prefect's app, built by flows/prefect_server.py
run = subprocess.Popen(args)
servers = set()
while run.poll() is None:
    servers |= {pid for pid, cmd in alive().items() if SERVER in cmd}
    time.sleep(0.05)
deadline = time.monotonic() + 2  # a process in the middle of exiting is not a leak
while (left := alive()) and time.monotonic() < deadline:
    time.sleep(0.1)
for pid in left:
    os.kill(pid, 9)  # ours: the launcher leaves nothing behind either
json.dump({"returncode": run.returncode, "servers_seen": sorted(servers), "left": left}, open(report, "w"))
"""


def _tamas_watched(tmp_path: Path, *args, env: dict) -> tuple[subprocess.CompletedProcess, dict]:
    """``tamas ARGS`` under the launcher: its output, and what it started and left behind."""
    report = tmp_path / "processes.json"
    run = subprocess.run([sys.executable, "-c", _LAUNCHER, str(report), str(TAMAS), *map(str, args)],
                         capture_output=True, text=True, timeout=300, env=env)
    assert run.returncode == 0, run.stderr  # the launcher's own
    processes = json.loads(report.read_text())
    run.returncode = processes.pop("returncode")  # tamas's
    return run, processes


def test_ingest_runs_its_own_temporary_prefect_server_and_stops_it(tmp_path, seed_dir):
    """Without PREFECT_API_URL, ``tamas ingest`` starts a temporary Prefect server as
    it begins (flows/runtime.py) and leaves no process behind."""
    env = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"}
    run, processes = _tamas_watched(tmp_path, "ingest", seed_dir, "--warehouse", tmp_path / "w.duckdb", env=env)
    assert run.returncode == 0, run.stderr
    assert "files seen 2 / loaded 2" in run.stdout
    # it did start one (so the next line can fail); a second only when the port it was
    # given was taken before it bound it (wait_ready starts it again on another)
    assert 1 <= len(processes["servers_seen"]) <= 2
    assert processes["left"] == {}


@contextlib.contextmanager
def _own_temporary_server(monkeypatch):
    """A temporary Prefect server started by this test, once it answers; stopped after."""
    from flows import runtime

    # the server sets these for the run it serves, and unsets them when it stops
    monkeypatch.delenv("PREFECT_API_URL", raising=False)
    monkeypatch.delenv("TAMAS_TEMPORARY_PREFECT_API_URL", raising=False)
    server = runtime.TemporaryPrefectServer()
    server.start()
    try:
        server.wait_ready()
        yield server
    finally:
        server.stop()


def test_the_temporary_server_builds_its_api_routes_once_it_has_answered_its_health_check(monkeypatch):
    """FastAPI builds an included router's routes on the first request that reaches it,
    and a run's first API call (Prefect's version) reaches several of Prefect's: the
    run waited for them after the server was ready. The server builds them once it has
    answered its health check, while the run sets up its flow: the first call then costs
    the server no more than the ones after it."""
    import time
    import urllib.request

    import psutil

    with _own_temporary_server(monkeypatch) as server:
        url = server.url
        process = psutil.Process(server.process.pid)

        def cpu_seconds() -> float:
            times = process.cpu_times()
            return times.user + times.system

        deadline, last = time.monotonic() + 60, cpu_seconds()
        while time.monotonic() < deadline:  # until the server is idle: nothing left to build
            time.sleep(0.5)
            now = cpu_seconds()
            if now - last < 0.02:
                break
            last = now
        costs = []
        for _ in range(2):
            before = cpu_seconds()
            with urllib.request.urlopen(f"{url}/admin/version", timeout=30) as response:
                assert response.status == 200
            time.sleep(0.05)
            costs.append(cpu_seconds() - before)
        assert costs[0] < 0.1, costs  # a call that builds the routes costs several times this


def test_the_temporary_server_has_the_routers_a_run_calls_first(monkeypatch):
    """A run's first request built every router it passed, nearly all of Prefect's 30;
    the server moves the ones a run calls ahead of the others (flows/prefect_server.py).
    Its OpenAPI document lists the API's paths in the order the server matches them."""
    import urllib.request

    from flows.prefect_server import RUN_SEGMENTS

    with _own_temporary_server(monkeypatch) as server:
        with urllib.request.urlopen(f"{server.url}/openapi.json", timeout=60) as response:
            paths = list(json.load(response)["paths"])
    firsts = [path.split("/")[1] for path in paths if path not in ("/health", "/version")]
    firsts = [first for i, first in enumerate(firsts) if i == 0 or first != firsts[i - 1]]
    assert firsts[: len(RUN_SEGMENTS)] == list(RUN_SEGMENTS), firsts
    assert {"deployments", "work_pools", "automations"} <= set(firsts[len(RUN_SEGMENTS):])


def test_a_temporary_server_that_cannot_start_is_one_line(tmp_path, seed_dir):
    """The run says so in one line, which names the log that holds the server's own
    messages: they never reach the run's terminal (a server stopped while it still
    started printed its database pool's traceback under a run's one-line error)."""
    env = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"}
    env["TAMAS_DATA"] = str(tmp_path / "data")
    env["PREFECT_SERVER_DATABASE_CONNECTION_URL"] = "sqlite+aiosqlite:////nonexistent/folder/prefect.db"
    run, processes = _tamas_watched(tmp_path, "ingest", seed_dir, "--warehouse", tmp_path / "w.duckdb", env=env)
    assert run.returncode == 1
    log = tmp_path / "data" / "logs" / "prefect-temporary-server.log"
    lines = run.stderr.strip().splitlines()
    assert len(lines) == 1, run.stderr  # what else was printed, when it fails
    line = lines[0]
    assert line.startswith("tamas: error: run failed:") and "temporary Prefect server exited" in line
    assert f"its messages are in {log}" in line and "Application startup failed" in log.read_text(encoding="utf-8")
    assert not (tmp_path / "w.duckdb").exists()
    assert processes["left"] == {}


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


def test_each_ingest_is_recorded_by_prefect_with_its_task_runs(tmp_path, seed_dir):
    """The temporary server keeps every run: the first (which migrates Prefect's database)
    and the next (which skips the migration and the block registration, its app built with
    the garbage collector off, its client ending without Python's teardown), each a
    completed ``ingest_articles`` flow run with its task runs in Prefect's own database."""
    import sqlite3

    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")}
    env["TAMAS_DATA"] = str(tmp_path / "data")
    warehouse = tmp_path / "w.duckdb"
    for expected in ("loaded 2", "unchanged 2"):
        run = _tamas("ingest", seed_dir, "--warehouse", warehouse, env=env)
        assert run.returncode == 0, run.stderr
        assert expected in run.stdout
        assert run.stderr == ""
    with sqlite3.connect(tmp_path / "data" / "prefect" / "prefect.db") as con:
        flows = con.execute(
            "SELECT r.id, r.state_type FROM flow_run r JOIN flow f ON f.id = r.flow_id"
            " WHERE f.name = 'ingest_articles' ORDER BY r.start_time"
        ).fetchall()
        tasks = [
            sorted((name.rsplit("-", 1)[0], state) for name, state in con.execute(
                "SELECT name, state_type FROM task_run WHERE flow_run_id = ?", [run_id]).fetchall())
            for run_id, _ in flows
        ]
    assert [state for _, state in flows] == ["COMPLETED", "COMPLETED"]
    assert tasks == [
        [("discover", "COMPLETED"), ("finish-load", "COMPLETED"), ("transform", "COMPLETED")],
        [("discover", "COMPLETED"), ("finish-load", "COMPLETED")],
    ]


def test_a_verbose_run_sends_its_logs_and_ends_with_its_temporary_server(tmp_path, seed_dir):
    """--verbose sends Prefect's logs to the run's temporary server. They reach it before
    it stops: the command used to end a minute late, trying to send the last of them to
    a server already gone ("Error logging to API")."""
    import sqlite3

    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")}
    env["TAMAS_DATA"] = str(tmp_path / "data")
    run = _tamas("--verbose", "ingest", seed_dir, "--warehouse", tmp_path / "w.duckdb", env=env, timeout=60)
    assert run.returncode == 0, run.stderr
    assert "loaded 2" in run.stdout
    assert "Error logging to API" not in run.stderr + run.stdout
    with sqlite3.connect(tmp_path / "data" / "prefect" / "prefect.db") as con:
        messages = [m for (m,) in con.execute("SELECT message FROM log")]
    assert any("Finished in state Completed" in m for m in messages)


def test_prefect_migration_check_skipped_only_for_a_recorded_database(tmp_path):
    """The temporary server skips its schema check, and the block types' registration,
    only when this Prefect version recorded this very database revision (flows/runtime.py)."""
    script = """
import os, sqlite3
from flows import runtime
home = runtime.data_dir() / "prefect"
runtime.configure()
print("fresh", os.environ.get("PREFECT_SERVER_DATABASE_MIGRATE_ON_START"))
with sqlite3.connect(home / "prefect.db") as con:
    con.execute("CREATE TABLE alembic_version (version_num TEXT)")
    con.execute("INSERT INTO alembic_version VALUES ('abc123')")
runtime.record_prefect_db()
print("recorded", runtime.prefect_db_is_current(home))
runtime.configure()
print("configure leaves it", os.environ.get("PREFECT_SERVER_DATABASE_MIGRATE_ON_START"))
runtime.skip_known_migrations()
print("next start", os.environ.get("PREFECT_SERVER_DATABASE_MIGRATE_ON_START"),
      os.environ.get("PREFECT_SERVER_REGISTER_BLOCKS_ON_START"),
      os.environ.get("PREFECT_SERVER_MEMOIZE_BLOCK_AUTO_REGISTRATION"))
with sqlite3.connect(home / "prefect.db") as con:  # another revision: a Prefect upgrade migrated it
    con.execute("UPDATE alembic_version SET version_num = 'def456'")
print("upgraded", runtime.prefect_db_is_current(home))
(home / "prefect.db").unlink()  # database gone, stamp left behind
print("deleted", runtime.prefect_db_is_current(home))
"""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")}
    env["TAMAS_DATA"] = str(tmp_path)
    out = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True, check=True)
    assert out.stdout.split("\n")[:6] == [
        "fresh None", "recorded True", "configure leaves it None", "next start false false false", "upgraded False",
        "deleted False"]


def test_prepare_migrates_prefect_and_builds_the_tables_once_and_the_first_run_finds_both(tmp_path, seed_dir):
    """``python -m flows.prepare`` (make run's first step) leaves a data folder whose
    Prefect database this Prefect recorded as migrated and whose table cache holds the
    transforms' tables; called again it does nothing; the run after it builds no table."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")}
    data = tmp_path / "data"
    env["TAMAS_DATA"] = str(data)
    prepare = [sys.executable, "-m", "flows.prepare"]
    first = subprocess.run(prepare, cwd=ROOT, env=env, capture_output=True, text=True, timeout=180)
    assert first.returncode == 0, first.stderr
    assert first.stdout.strip() == "tamas prepare: Prefect's database migrated; the transforms' tables built"
    check = "from flows import runtime; print(runtime.prefect_db_is_current(runtime.data_dir() / 'prefect'))"
    assert subprocess.run([sys.executable, "-c", check], cwd=ROOT, env=env, capture_output=True, text=True,
                          check=True).stdout.strip() == "True"
    cached = {p.name: p.stat().st_mtime_ns for p in (data / "cache").iterdir()}
    assert any(name.startswith("hazm-verb-forms-") for name in cached)

    again = subprocess.run(prepare, cwd=ROOT, env=env, capture_output=True, text=True, timeout=180)
    assert (again.returncode, again.stdout, again.stderr) == (0, "", "")

    run = _tamas("ingest", seed_dir, "--warehouse", tmp_path / "w.duckdb", env=env)
    assert run.returncode == 0, run.stderr
    assert "loaded 2" in run.stdout
    assert {p.name: p.stat().st_mtime_ns for p in (data / "cache").iterdir()} == cached


def test_temporary_server_moves_to_another_port_when_its_port_is_taken(tmp_path):
    """The port is chosen free but another process can take it before uvicorn binds:
    uvicorn then exits with status 3 and the server starts again elsewhere."""
    import socket
    import urllib.request

    from flows import runtime

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        server = runtime.TemporaryPrefectServer()
        saved = {k: os.environ.get(k) for k in ("PREFECT_API_URL", "PREFECT_HOME")}
        os.environ["PREFECT_HOME"] = str(tmp_path / "prefect")
        try:
            server.start(port=port)
            url = server.wait_ready()
            assert f":{port}/" not in url and os.environ["PREFECT_API_URL"] == url
            with urllib.request.urlopen(f"{url}/health", timeout=5) as response:
                assert response.status == 200
        finally:
            server.stop()
            for key, value in saved.items():
                if value is None:
                    os.environ.pop(key, None)
                else:
                    os.environ[key] = value
    assert server.process is None and os.environ.get("PREFECT_API_URL") == saved["PREFECT_API_URL"]


def test_a_run_whose_server_moved_to_another_port_runs_against_it_there(tmp_path, seed_dir):
    """The run sets Prefect's settings up for the server's address while the server
    still starts; a port clash that starts the server again elsewhere moves them too."""
    import duckdb

    script = r"""
import socket, sys
from flows import cli, runtime
runtime.configure()
with socket.socket() as taken:
    taken.bind(("127.0.0.1", 0))
    taken.listen()
    server = runtime.TemporaryPrefectServer()
    server.start(port=taken.getsockname()[1])
    first = server.url
    args = cli.build_parser().parse_args(["ingest", sys.argv[1], "--warehouse", sys.argv[2]])
    try:
        status = cli._run_ingest(args, sys.argv[2], {}, server)
        print("status", status, "moved", server.url != first)
    finally:
        server.stop()
"""
    env = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"}
    warehouse = tmp_path / "w.duckdb"
    run = subprocess.run([sys.executable, "-c", script, str(seed_dir), str(warehouse)], capture_output=True,
                         text=True, timeout=300, env=env, cwd=ROOT)
    assert run.returncode == 0, run.stderr
    assert "status 0 moved True" in run.stdout and "files seen 2 / loaded 2" in run.stdout
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        assert con.execute("SELECT status FROM ingest_run").fetchall() == [("completed",)]
    finally:
        con.close()


def test_a_kept_prefect_server_serves_the_next_run_then_ends_itself(tmp_path, seed_dir):
    """With TAMAS_PREFECT_SERVER_KEEP the server a run starts outlives it: the next run
    uses that same server (Prefect records both flow runs), a caller reading the run's
    output is not kept waiting by it, and once no run has used it for the keep time it
    ends and its state file goes (flows/runtime.py KeptPrefectServer)."""
    import sqlite3
    import time

    import psutil

    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")}
    env["TAMAS_DATA"] = str(tmp_path / "data")
    env["TAMAS_PREFECT_SERVER_KEEP"] = "6"
    state = tmp_path / "data" / "prefect" / "kept-server.json"
    pids = []
    try:
        for expected in ("loaded 2", "unchanged 2"):
            # capture_output: returns only once no process holds the run's pipes
            run = _tamas("ingest", seed_dir, "--warehouse", tmp_path / "w.duckdb", env=env, timeout=120)
            assert run.returncode == 0, run.stderr
            assert expected in run.stdout and run.stderr == ""
            pids.append(json.loads(state.read_text())["pid"])
            assert "flows.prefect_server:create_app" in " ".join(psutil.Process(pids[-1]).cmdline())
        assert pids[0] == pids[1]
        with sqlite3.connect(tmp_path / "data" / "prefect" / "prefect.db") as con:
            assert con.execute(
                "SELECT r.state_type FROM flow_run r JOIN flow f ON f.id = r.flow_id WHERE f.name = 'ingest_articles'"
            ).fetchall() == [("COMPLETED",), ("COMPLETED",)]
        deadline = time.monotonic() + 60
        while psutil.pid_exists(pids[0]) and psutil.Process(pids[0]).status() != psutil.STATUS_ZOMBIE:
            assert time.monotonic() < deadline, "the kept server did not end after its keep time"
            time.sleep(0.2)
        assert not state.exists()
    finally:
        for pid in set(pids):  # only the server this test's runs started
            try:
                process = psutil.Process(pid)
                if "flows.prefect_server:create_app" in " ".join(process.cmdline()):
                    process.kill()
            except psutil.Error:
                pass


def test_the_console_script_s_module_imports_nothing_a_pool_worker_would_pay_for():
    """Each spawned pool worker runs the console script again (multiprocessing's spawn):
    what the script imports at its top, every worker imports."""
    script = TAMAS.read_text(encoding="utf-8")
    assert "from flows.entry import console" in script
    probe = ("import sys; before = set(sys.modules); import flows.entry; "
             "print(' '.join(sorted(set(sys.modules) - before)))")
    imported = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout.split()
    assert imported == ["flows", "flows.entry"]


def test_an_ingest_freezes_what_its_start_made_and_leaves_the_collector_on(tmp_path, seed_dir):
    """The cycle collector is off while the command starts (imports, settings) and on
    again for the flow, with what the start made frozen out of its passes; a command that
    fails before its flow leaves it on too."""
    script = r"""
import gc, sys
from flows import cli
status = cli.main(["ingest", sys.argv[1], "--warehouse", sys.argv[2]])
print("ran", status, gc.isenabled(), gc.get_freeze_count())
status = cli.main(["ingest", sys.argv[1] + "-missing", "--warehouse", sys.argv[2]])
print("failed", status, gc.isenabled())
"""
    env = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"}
    run = subprocess.run([sys.executable, "-c", script, str(seed_dir), str(tmp_path / "w.duckdb")],
                         capture_output=True, text=True, timeout=300, env=env, cwd=ROOT)
    assert run.returncode == 0, run.stderr
    ran = next(line.split() for line in run.stdout.splitlines() if line.startswith("ran "))
    assert ran[1:3] == ["0", "True"] and int(ran[3]) > 100_000  # Prefect's, polars' and DuckDB's modules
    assert "failed 2 True" in run.stdout
