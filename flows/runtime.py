"""Process settings that must be in place before Prefect is imported.

Prefect reads its settings from the environment at import time, so ``configure()`` runs
first thing in the CLI. A user's explicit environment always wins (setdefault).
"""

from __future__ import annotations

import os
from pathlib import Path

from flows.settings import settings


def data_dir() -> Path:
    """Everything a run generates lives here (gitignored): warehouse, Prefect home."""
    return settings().data_dir


def default_warehouse() -> Path:
    return settings().default_warehouse


def log_dir() -> Path:
    path = data_dir() / "logs"
    path.mkdir(parents=True, exist_ok=True)
    return path


def prefect_home() -> Path:
    return Path(os.environ.get("PREFECT_HOME", data_dir() / "prefect"))


def configure(verbose: bool = False) -> None:
    home = data_dir() / "prefect"
    home.mkdir(parents=True, exist_ok=True)
    defaults = {
        "PREFECT_HOME": str(home),
        # No network here, and users should see clean output: no anonymous usage
        # reporting from the temporary server, no Prefect Cloud telemetry.
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        "PREFECT_CLOUD_ENABLE_ORCHESTRATION_TELEMETRY": "false",
        "DO_NOT_TRACK": "1",
        # Our own progress and summary lines say what happens; Prefect's per-task lines
        # would drown them, and a failed run is reported by the CLI as one line with the
        # full traceback written to data/logs/. --verbose brings Prefect's logs back.
        "PREFECT_LOGGING_LEVEL": "INFO" if verbose else "CRITICAL",
        "PREFECT_SERVER_LOGGING_LEVEL": "WARNING",
        # The temporary server is ours alone; give it time to start on a busy machine.
        "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "90",
        "PREFECT_UI_ENABLED": "false",
    }
    for key, value in defaults.items():
        os.environ.setdefault(key, value)
    if not verbose:
        # Prefect's background services log under their class name, outside the "prefect"
        # logger that PREFECT_LOGGING_LEVEL governs: a run that ends early (another run
        # holds the warehouse) would otherwise add "EventsWorker - Still processing items".
        import logging

        for name in ("EventsWorker", "APILogWorker"):
            logging.getLogger(name).setLevel(logging.ERROR)


# ---------------------------------------------------------------- Prefect's database

_STAMP = "tamas-prefect-db.txt"


def _prefect_state(home: Path) -> str | None:
    """"<prefect version> <alembic revision>" of the temporary server's SQLite database
    under ``home``, or None when there is none (or the user points Prefect elsewhere)."""
    import sqlite3
    from importlib.metadata import version

    if user_api_url() or os.environ.get("PREFECT_SERVER_DATABASE_CONNECTION_URL") \
            or os.environ.get("PREFECT_API_DATABASE_CONNECTION_URL"):
        return None
    db = home / "prefect.db"
    if not db.exists():
        return None
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1) as con:
            row = con.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.Error:
        return None
    return f"{version('prefect')} {row[0]}" if row else None


def skip_known_migrations() -> None:
    """Before a run's temporary server starts: checking its schema costs ~2.5 s of its
    ~7 s start, so skip the check when this Prefect version already migrated this very
    database (``record_prefect_db``). The block types that start registered are skipped
    too: deciding that they are already there imports every installed Prefect
    collection (prefect-dask, with Dask) into the server (docs/scaling.md). Called by
    ``tamas ingest`` only, never by ``configure``: the settings are inherited by child
    processes, and one that starts a server on another PREFECT_HOME (a test's
    ``prefect server start``) must migrate and register."""
    if prefect_db_is_current(prefect_home()):
        os.environ.setdefault("PREFECT_SERVER_DATABASE_MIGRATE_ON_START", "false")
        os.environ.setdefault("PREFECT_SERVER_REGISTER_BLOCKS_ON_START", "false")
        os.environ.setdefault("PREFECT_SERVER_MEMOIZE_BLOCK_AUTO_REGISTRATION", "false")


def prefect_db_is_current(home: Path) -> bool:
    """True when ``record_prefect_db`` saw this database migrated by this Prefect."""
    try:
        stamp = (home / _STAMP).read_text(encoding="utf-8").strip()
    except OSError:
        return False
    return stamp != "" and stamp == _prefect_state(home)


def record_prefect_db() -> None:
    """After a run that started the temporary server (which migrated its database),
    note the database's revision so the next start can skip the check."""
    home = prefect_home()
    state = _prefect_state(home)
    if state and os.environ.get("PREFECT_SERVER_DATABASE_MIGRATE_ON_START") != "false":
        (home / _STAMP).write_text(state + "\n", encoding="utf-8")


_EVENT_VACUUM_STAMP = "tamas-event-vacuum.txt"
_VACUUM_TYPES = "PREFECT_SERVER_SERVICES_DB_VACUUM_ENABLED"


def event_vacuum_env(home: Path, now: float | None = None) -> dict[str, str]:
    """The server setting that leaves the events vacuum out of a server's start, unless
    no server on ``home`` has started with it for Prefect's vacuum interval (an hour by
    default, ``PREFECT_SERVER_SERVICES_DB_VACUUM_LOOP_SECONDS``).

    A Prefect server deletes expired events as it starts and then once an interval; a
    temporary server starts for every run, and its vacuum's deletes, committed while the
    run's client created its flow run, made that insert fail as "database is locked":
    Prefect's client then waits 2 s before it tries again (docs/scaling.md,
    twenty-sixth session). So a run's server vacuums as often as a long-lived one does.
    A user's own choice of vacuum types is kept, and the events vacuum is all that is
    left out: the server's other vacuums do not run in a temporary server."""
    import time

    if _VACUUM_TYPES in os.environ:
        return {}
    now = time.time() if now is None else now
    stamp = home / _EVENT_VACUUM_STAMP
    try:
        interval = float(os.environ.get("PREFECT_SERVER_SERVICES_DB_VACUUM_LOOP_SECONDS", "3600"))
        last = float(stamp.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        last = None
    if last is not None and 0 <= now - last < interval:
        return {_VACUUM_TYPES: "orphans"}  # Prefect's default is "events"; orphans run only in a full server
    try:
        write_replacing(stamp, f"{now}\n")
    except OSError:
        pass  # a home we cannot write to: every start vacuums, as Prefect's own
    return {}


# ------------------------------------------------------------ the temporary server

_OWN_SERVER_URL = "TAMAS_TEMPORARY_PREFECT_API_URL"  # the PREFECT_API_URL we set ourselves


def user_api_url() -> str | None:
    """The user's own Prefect server, if they point us at one (not our temporary one)."""
    url = os.environ.get("PREFECT_API_URL")
    return url if url and url != os.environ.get(_OWN_SERVER_URL) else None


def prefect_server(keep_seconds: float) -> "TemporaryPrefectServer":
    """The Prefect server for a run without ``PREFECT_API_URL``: its own temporary one, or,
    with ``keep_seconds`` > 0, one kept for the next runs (KeptPrefectServer)."""
    return KeptPrefectServer(keep_seconds) if keep_seconds > 0 else TemporaryPrefectServer()


# `python -m uvicorn ...`, but first PR_SET_PDEATHSIG: the kernel kills the server when
# the ingest process ends, however it ends (kill -9, OOM). It is started from the main
# thread, which lives as long as the process (the signal follows the parent thread).
# The garbage collector stays off until the app is built (flows/prefect_server.py).
# A kept server (parent pid 0) outlives the run that started it, so it skips that call.
_SERVER_BOOT = (
    "import gc; gc.disable(); "
    "import runpy, sys; from flows.child import die_with_parent; parent = int(sys.argv.pop(1)); "
    "parent and die_with_parent(parent); "
    "sys.argv[0] = 'uvicorn'; runpy.run_module('uvicorn', run_name='__main__', alter_sys=True)"
)


class TemporaryPrefectServer:
    """The temporary Prefect API server a run without ``PREFECT_API_URL`` needs, started
    by us the moment ``tamas ingest`` begins rather than by Prefect's client on the
    flow's first API call.

    Prefect's own ephemeral start imports the whole server application into the client
    (~4 s) only to launch it in a subprocess, and the client then waits idle for the
    subprocess's ~5-7 s start. Here the subprocess is launched with the same command and
    environment Prefect uses (``SubprocessASGIServer._run_uvicorn_command``) before the
    client imports anything of Prefect, so its start overlaps the client's imports and
    file discovery, and the client talks to it through ``PREFECT_API_URL`` (and the
    settings context around the flow call) like to any server. ``wait_ready`` is called
    just before the flow starts.
    """

    def __init__(self) -> None:
        self.process = None
        self.url: str | None = None
        self._log = None

    def start(self, port: int | None = None) -> None:
        """Launch the server (on ``port``, else a free port the kernel picks); returns at
        once, before it listens."""
        self._launch(port)

    def _launch(self, port: int | None = None) -> None:
        import socket
        import subprocess
        import sys

        if port is None:
            with socket.socket() as sock:
                sock.bind(("127.0.0.1", 0))
                port = sock.getsockname()[1]
        self.url = f"http://127.0.0.1:{port}/api"
        env = dict(os.environ, PREFECT_UI_ENABLED="0", PREFECT__SERVER_EPHEMERAL="1",
                   **event_vacuum_env(prefect_home()), **self._server_env())
        try:
            self.process = subprocess.Popen(
                # -P and --app-dir: python -c and uvicorn would put the working folder first on
                # sys.path, where a prefect.py or flows/ of the user's would hide the real ones
                [sys.executable, "-P", "-c", _SERVER_BOOT, str(self._parent_pid()), "--factory",
                 "flows.prefect_server:create_app", "--app-dir", str(Path(__file__).resolve().parents[1]),
                 "--host", "127.0.0.1", "--port", str(port), "--log-level", "error", "--lifespan", "on"],
                env=env,
                # Out of the terminal's process group: Ctrl-C stops the run, which then
                # records its failure through this server before stopping it.
                start_new_session=True,
                **self._output(),
            )
        finally:
            if self._log is not None:
                self._log.close()  # the server has its own copy
                self._log = None
        os.environ["PREFECT_API_URL"] = os.environ[_OWN_SERVER_URL] = self.url

    def _parent_pid(self) -> int:
        """The process whose end ends the server (flows/child.py die_with_parent)."""
        return os.getpid()

    def _server_env(self) -> dict[str, str]:
        return {}

    LOG = "prefect-temporary-server.log"

    def _output(self) -> dict:
        """Where the server's own messages go: a log file, not this run's terminal. A run
        that stops its server while it still starts (a bad warehouse path found after
        the launch) made it print a cancelled database connection's traceback under the
        run's one-line error."""
        import subprocess

        self._log = open(log_dir() / self.LOG, "ab")
        return {"stdin": subprocess.DEVNULL, "stdout": self._log, "stderr": self._log}

    @property
    def _messages_are(self) -> str:
        return f"its messages are in {log_dir() / self.LOG}"

    def wait_ready(self) -> str:
        """Block until the server answers its health check and return its API URL; a
        clear error if it died or did not come up in
        PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS. uvicorn exits with status 3
        when its port was taken between our choosing it and its binding: then it is
        started again on another port, as Prefect's own ephemeral start does."""
        import time
        import urllib.error
        import urllib.request

        timeout = float(os.environ.get("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "90"))
        deadline = time.monotonic() + timeout
        port_retries = 3
        while time.monotonic() < deadline:
            if self.process is not None and self.process.poll() == 3 and port_retries > 0:
                port_retries -= 1
                self._launch()
                continue
            if self.process is not None and self.process.poll() is not None:
                raise RuntimeError(
                    f"the temporary Prefect server exited with code {self.process.returncode} while starting "
                    f"({self._messages_are})"
                )
            try:
                with urllib.request.urlopen(f"{self.url}/health", timeout=2) as response:
                    if response.status == 200:
                        return self.url
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            time.sleep(0.05)
        raise RuntimeError(f"the temporary Prefect server did not answer within {timeout:.0f} s")

    def stop(self) -> None:
        import subprocess

        if self.process is not None and self.process.poll() is None:
            _send_what_prefect_holds()
            self.process.terminate()
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if os.environ.get(_OWN_SERVER_URL) == self.url:
            os.environ.pop("PREFECT_API_URL", None)
            os.environ.pop(_OWN_SERVER_URL, None)
        self.process = None


def _send_what_prefect_holds(seconds: float = 10) -> None:
    """Send the logs and events Prefect still holds for the server, before it stops.
    Prefect sends them as the process exits; with the server gone by then, its log worker
    tried to connect again and again, and the command hung for a minute before it ended
    with "Error logging to API" (--verbose: the other runs send Prefect no logs)."""
    import sys

    if "prefect.logging.handlers" in sys.modules:
        from prefect.logging.handlers import APILogWorker

        APILogWorker.drain_all(timeout=seconds)
    if "prefect.events.worker" in sys.modules:
        from prefect.events.worker import EventsWorker

        EventsWorker.drain_all(timeout=seconds)


class KeptPrefectServer(TemporaryPrefectServer):
    """A Prefect server that outlives the run that started it, so that the next run on the
    same Prefect home does not pay the server's start (its imports and app: seconds, the
    most of a small run). Chosen with ``TAMAS_PREFECT_SERVER_KEEP`` (seconds); by default
    every run has its own temporary server, which ends with it.

    One per Prefect home. ``<home>/kept-server.json`` says where it listens; a run holds a
    shared lock on ``<home>/kept-server.inuse`` from its start to its end, and the server
    ends itself once nobody has held that lock for ``keep`` seconds (flows/prefect_server.py),
    so a killed run leaves no server behind for longer than that, and never more than one.
    A run finds the server of its own Python, Prefect and Prefect database, or starts one;
    ``stop`` leaves it running (unless it never came up)."""

    STATE = "kept-server.json"
    IN_USE = "kept-server.inuse"
    STARTING = "kept-server.starting"
    # A server that is ending holds the in-use lock exclusively until its process exits.
    LOCK_WAIT_SECONDS = 30

    def __init__(self, keep_seconds: float) -> None:
        super().__init__()
        self.keep_seconds = keep_seconds
        self.home = prefect_home()
        self._in_use = None
        self._state_key: dict | None = None
        self.reused = False
        self._ready = False
        self._log_path = log_dir() / "prefect-server.log"
        self._log = None

    def _parent_pid(self) -> int:
        return 0

    def _server_env(self) -> dict[str, str]:
        import json

        # what the server needs to end itself (flows/prefect_server.py), not a setting
        return {"TAMAS_KEPT_SERVER": json.dumps({
            "in_use": str(self.home / self.IN_USE), "state": str(self.home / self.STATE),
            "keep_seconds": self.keep_seconds})}

    def _output(self) -> dict:
        """Not this run's terminal or pipes: the server outlives the run, and a pipe held
        open by it would keep a caller waiting for the run's output to end."""
        import subprocess

        self._log = open(self._log_path, "ab")
        return {"stdin": subprocess.DEVNULL, "stdout": self._log, "stderr": self._log}

    @property
    def _messages_are(self) -> str:
        return f"its messages are in {self._log_path}"

    def _key(self) -> dict:
        """What a reusable server must share with this run."""
        import sys
        from importlib.metadata import version

        return {"python": sys.executable, "prefect": version("prefect"), "home": str(self.home),
                "database": os.environ.get("PREFECT_SERVER_DATABASE_CONNECTION_URL")
                or os.environ.get("PREFECT_API_DATABASE_CONNECTION_URL")}

    def start(self, port: int | None = None) -> None:
        import fcntl

        self.home.mkdir(parents=True, exist_ok=True)
        self._in_use = open(self.home / self.IN_USE, "a")
        _flock(self._in_use, fcntl.LOCK_SH, self.LOCK_WAIT_SECONDS)
        with open(self.home / self.STARTING, "a") as starting:
            _flock(starting, fcntl.LOCK_EX, self.LOCK_WAIT_SECONDS)
            key = self._key()
            state = read_json(self.home / self.STATE)
            if state and state.get("key") == key and is_kept_server(state.get("pid"), state.get("url")):
                self.url, self.reused = state["url"], True
                os.environ["PREFECT_API_URL"] = os.environ[_OWN_SERVER_URL] = self.url
                return
            # A server of another Python, Prefect or database is left to its own runs: once
            # the state names this one, it ends as soon as no run holds the lock.
            self._state_key = key
            self._launch(port)

    def _launch(self, port: int | None = None) -> None:
        """Launch, and record the server in the state file (again on a port retry)."""
        import json

        super()._launch(port)
        write_replacing(self.home / self.STATE,
                        json.dumps({"pid": self.process.pid, "url": self.url, "key": self._state_key}))

    def wait_ready(self) -> str:
        url = super().wait_ready()
        self._ready = True
        return url

    def stop(self) -> None:
        if self._ready or self.reused:
            self.process = None  # left running for the next runs; one that never answered is ended
        super().stop()
        if self._in_use is not None:
            self._in_use.close()  # the server counts its idle time from here
            self._in_use = None


def end_kept_server(home: Path, timeout: float = 30) -> None:
    """End the kept server of a Prefect home now, if one is running (the benchmark does,
    between measurements)."""
    import signal
    import time

    state = read_json(home / KeptPrefectServer.STATE) or {}
    pid = state.get("pid")
    if not is_kept_server(pid, state.get("url")):
        return
    os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + timeout
    while is_kept_server(pid, state["url"]) and time.monotonic() < deadline:
        time.sleep(0.1)


def _flock(fh, operation: int, seconds: float) -> None:
    """flock with a deadline: a clear error rather than a run that hangs."""
    import fcntl
    import time

    deadline = time.monotonic() + seconds
    while True:
        try:
            fcntl.flock(fh, operation | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            if time.monotonic() > deadline:
                raise RuntimeError(f"the kept Prefect server's lock {fh.name} was held for over {seconds:.0f} s")
            time.sleep(0.05)


def write_replacing(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` by renaming a file of this process's over it: a reader
    sees the old file or the new one, never part of it."""
    temporary = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    temporary.write_text(text, encoding="utf-8")
    temporary.replace(path)


def read_json(path: Path) -> dict | None:
    import json

    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def is_kept_server(pid, url) -> bool:
    """``pid`` is alive and is a Prefect server of ours listening at ``url``'s port (a pid
    the kernel gave to another process since is not)."""
    if not isinstance(pid, int) or not isinstance(url, str):
        return False
    try:
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    except OSError:
        return False
    port = url.rsplit(":", 1)[-1].split("/", 1)[0].encode()
    return b"flows.prefect_server:create_app" in cmdline and port in cmdline
