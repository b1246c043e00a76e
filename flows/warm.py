"""A warm runner: a process that has already imported what ``tamas ingest`` needs
(Prefect, polars, DuckDB, the flow) and waits for one run, so that a run next to a kept
Prefect server does not pay those imports (seconds; docs/scaling.md).

Only with a kept server (``TAMAS_PREFECT_SERVER_KEEP``, as ``make run`` and the
benchmark's re-runs use): a run started in that mode leaves one spare behind (as it
ends, or as it starts when runs come back to back), and the spare ends with that server.
The ``tamas`` command (flows/entry.py) first offers its run to a spare: it sends its
arguments, environment and working folder, and hands over its stdin, stdout and stderr.
The spare takes the run only if its imports are what the command would import itself
(``_refusal``): the same Python, installed packages, working folder, settings and
process limits, and our modules unchanged on disk. Otherwise, or if no spare answers,
the command runs itself, as without this module.

A spare left when a run ends starts its imports a second later. A command made for it
that finds it still importing waits for it if what is left of the imports is short next
to importing all itself (``WAIT_SHARE``); otherwise it runs itself, and the spare stays
for the command after it. A spare that takes a command started within
``BACK_TO_BACK_SECONDS`` of the last run's end starts its successor as that run starts,
not as it ends, so that one more command back to back finds it done with its imports,
or nearly.

The run in a spare is the same run: the same ``main``, in a process of its own that then
ends. The command stays in the foreground and waits for its exit status; it passes on
Ctrl-C and SIGTERM, and if the command is killed, the spare stops its run as on SIGTERM.

The command's side (``run_in_spare``) imports only the standard library and the
settings (flows/settings.py, where every ``TAMAS_`` variable is read): it runs before the
command has imported anything else.
"""

from __future__ import annotations

import array
import json
import os
import signal
import socket
import struct
import sys
import time
from pathlib import Path

SOCKET = "warm-runner.sock"
READY = "warm-runner.ready"  # the pid of the spare that has done its imports
IMPORT_SECONDS = "warm-runner.import-seconds"  # how long the last spare's imports took
LAST_END = "warm-runner.last-end"  # touched as each run beside the kept server ends
LOCK = "warm-runner.lock"
LOG = "warm-runner.log"
KEPT_SERVER_STATE = "kept-server.json"  # flows/runtime.py KeptPrefectServer.STATE
# The settings a spare's imports depend on (and ours, flows/settings.py's prefix); the
# rest of the environment (COLUMNS, SSH_*, make's variables...) is the command's, applied
# in the spare before the run.
_KEYED_PREFIXES = ("PREFECT_", "PYTHON", "LC_", "POLARS_", "RAYON_", "OMP_", "DUCKDB_",
                   "LD_", "MALLOC_", "OTEL_")
_KEYED_NAMES = ("LANG", "TZ", "DO_NOT_TRACK", "HOME", "TMPDIR", "TERM", "NO_COLOR", "PATH")
_OUR_PACKAGES = ("flows", "transforms", "warehouse", "core")
# A spare answers at once; one that does not is not waited for.
ANSWER_SECONDS = 10
# A spare left at the end of a run starts its imports this long after it (see serve); the
# successor a spare starts as it takes a run that came back to back starts them at once.
IMPORT_AFTER_SECONDS = 1.0
# A command started this soon after the last run ended came back to back with it, and
# the next one is likely to come so too.
BACK_TO_BACK_SECONDS = 3.0
# A command waits for a spare still importing when what is left of its imports is at most
# this share of the whole: the command's own imports would take longer than the wait.
WAIT_SHARE = 0.8
MAX_WAIT_SECONDS = 5.0  # however long the last spare's imports took
_FORWARDED = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)
_HEADER = struct.Struct("!I")
_CREDENTIALS = struct.Struct("3i")  # Linux's struct ucred: pid, uid, gid


# ---------------------------------------------------------------- the command's side

def eligible(argv: list[str]) -> bool:
    """A run a spare may take, in this process's environment: ``tamas ingest`` with a kept
    server of ours (not a server named by ``PREFECT_API_URL``), without --verbose
    (Prefect's log level is read at its import)."""
    if not argv or argv[0] != "ingest" or "--verbose" in argv:
        return False
    from flows import runtime
    from flows.settings import settings

    try:
        keep = settings().prefect_server_keep
    except ValueError:  # a bad setting: the CLI reports it
        return False
    return keep > 0 and runtime.user_api_url() is None


def socket_path() -> Path:
    """Where a spare for this environment listens: beside the kept server's state, in the
    Prefect home."""
    from flows import runtime

    return runtime.prefect_home() / SOCKET


def run_in_spare(argv: list[str]) -> int | None:
    """Offer this command's run to a waiting spare: its exit status once the spare has run
    it, or None when no spare took it (then the command runs it itself)."""
    env, cwd = dict(os.environ), os.getcwd()
    if not eligible(argv):
        return None
    path = socket_path()
    try:
        if len(os.fsencode(path)) >= 108 or os.lstat(path).st_uid != os.getuid():  # AF_UNIX's limit; ours
            return None
    except OSError:
        return None
    request = {"argv": argv, "env": env, "cwd": cwd, "process": process_settings(), "started": time.time()}
    offered = _offer(path, request)
    if isinstance(offered, tuple):  # a spare nearly done with its imports: wait for it, once
        seconds, pid = offered
        if _wait_until_ready(path.with_name(READY), pid, min(seconds, MAX_WAIT_SECONDS)):
            offered = _offer(path, request)
    return offered if isinstance(offered, int) else None


def _offer(path: Path, request: dict) -> int | tuple[float, int] | None:
    """The run's exit status if the spare at ``path`` took it; (seconds, pid) of a spare
    still importing that will be done sooner than this command would be with its own
    imports; None otherwise."""
    conn = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        conn.settimeout(ANSWER_SECONDS)
        conn.connect(str(path))
        pid, uid, _ = _CREDENTIALS.unpack(conn.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED, _CREDENTIALS.size))
        if uid != os.getuid():
            raise OSError("a spare of another user")
        _send(conn, request, fds=[0, 1, 2])
        answer = _receive(conn)
        if answer and answer.get("wait") is not None:
            conn.close()
            return float(answer["wait"]), pid
        if not answer or not answer.get("take"):  # refused: made for another environment
            raise OSError(answer and answer.get("refused"))
        forwarded: list[int] = []
        _forward_signals(pid, forwarded)
        # From here both sides are committed: a command that gave up before this never
        # sends it, and that spare does not run the command.
        _send(conn, {"go": True})
    except (OSError, ValueError):  # none listening, it went away, refused, or too slow
        conn.close()
        return None
    return _wait_for(conn, pid, forwarded)


def _wait_until_ready(ready: Path, pid: int, seconds: float) -> bool:
    """Whether spare ``pid`` wrote its pid to ``ready`` (done with its imports) within a
    little more than ``seconds``; False as soon as it has ended."""
    deadline = time.monotonic() + seconds + 0.5
    while True:
        try:
            if ready.read_text().strip() == str(pid):
                return True
        except OSError:
            pass
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return False
        except PermissionError:
            pass
        if time.monotonic() >= deadline:
            return False
        time.sleep(0.02)


def process_settings() -> dict:
    """What a process passes on to the processes it starts, besides its environment:
    priority, CPUs, resource limits and control group. A spare started by an earlier run
    has that run's; it takes a run only of a command with the same."""
    import resource

    try:
        cgroup = Path("/proc/self/cgroup").read_text()
    except OSError:
        cgroup = None
    limits = {name: resource.getrlimit(getattr(resource, name)) for name in
              ("RLIMIT_AS", "RLIMIT_DATA", "RLIMIT_CPU", "RLIMIT_NOFILE", "RLIMIT_NPROC", "RLIMIT_FSIZE")}
    mask = os.umask(0)
    os.umask(mask)
    return {"python": sys.executable, "nice": os.getpriority(os.PRIO_PROCESS, 0),
            "cpus": sorted(os.sched_getaffinity(0)), "limits": {k: list(v) for k, v in limits.items()},
            "cgroup": cgroup, "umask": mask}


def _forward_signals(pid: int, forwarded: list[int]) -> None:
    """Pass Ctrl-C (unless this command ignores it, as a background job does), SIGTERM and
    SIGHUP (as SIGTERM) on to the spare's run."""
    def forward(signum, frame):
        forwarded.append(signum)
        try:
            os.kill(pid, signal.SIGTERM if signum == signal.SIGHUP else signum)
        except ProcessLookupError:
            pass

    for signum in _FORWARDED:
        if signum != signal.SIGINT or signal.getsignal(signum) is not signal.SIG_IGN:
            signal.signal(signum, forward)


def _wait_for(conn: socket.socket, pid: int, forwarded: list[int]) -> int:
    """The spare's exit status for the run."""
    conn.settimeout(None)
    try:
        answer = _receive(conn)
    except (OSError, ValueError):
        answer = None
    finally:
        conn.close()
    if answer and "status" in answer:
        return int(answer["status"])
    if forwarded:  # it ended on the signal passed on, before it could answer
        return 128 + (signal.SIGTERM if forwarded[0] == signal.SIGHUP else forwarded[0])
    print(f"tamas: error: the run's process ({pid}) ended without an exit status", file=sys.stderr)
    return 1


def _send(conn: socket.socket, message: dict, fds: list[int] | None = None) -> None:
    data = json.dumps(message).encode()
    payload = _HEADER.pack(len(data)) + data
    if fds:
        ancillary = [(socket.SOL_SOCKET, socket.SCM_RIGHTS, array.array("i", fds).tobytes())]
        sent = conn.sendmsg([payload], ancillary)
        payload = payload[sent:]
    conn.sendall(payload)


def _receive(conn: socket.socket, fds: list[int] | None = None) -> dict | None:
    """One message (None at the end of the stream); file descriptors sent with it are
    appended to ``fds`` (closed when ``fds`` is None)."""
    buffer = b""
    while len(buffer) < _HEADER.size or len(buffer) < _HEADER.size + _HEADER.unpack_from(buffer)[0]:
        data, ancillary, _, _ = conn.recvmsg(1 << 16, socket.CMSG_SPACE(16 * 4))
        for level, kind, payload in ancillary:
            if level == socket.SOL_SOCKET and kind == socket.SCM_RIGHTS:
                received = array.array("i")
                received.frombytes(payload[: len(payload) - len(payload) % received.itemsize])
                if fds is None:
                    for fd in received:
                        os.close(fd)
                else:
                    fds.extend(received)
        if not data:
            if buffer:
                raise ValueError("a message was cut short")
            return None
        buffer += data
    size = _HEADER.unpack_from(buffer)[0]
    return json.loads(buffer[_HEADER.size: _HEADER.size + size])


# ---------------------------------------------------------------- the spare's side

def leave_spare(argv: list[str], env: dict[str, str], cwd: str, import_after: float = IMPORT_AFTER_SECONDS,
                at_end: bool = True) -> None:
    """Start a spare for the next run, if this run may leave one: a kept server is running
    for it and no spare is there yet. ``env`` is the environment the command started with,
    before the CLI's defaults (the spare's own); the spare starts its imports
    ``import_after`` seconds after its start. ``at_end``: called as a run ends (LAST_END
    records when)."""
    import subprocess

    if not eligible(argv):
        return
    from flows.runtime import read_json, write_replacing

    path = socket_path()
    if at_end:
        try:
            write_replacing(path.with_name(LAST_END), "")
        except OSError:
            pass
    state = read_json(path.parent / KEPT_SERVER_STATE)
    if not state or len(os.fsencode(path)) >= 108 or _spare_is_there(path.parent / LOCK):
        return
    try:
        with open(path.parent / LOG, "ab") as log:
            # -P: not the working folder first on sys.path, where a prefect.py or flows/ of
            # the user's would hide the real ones (the console script has its own folder).
            # The socket's path is passed: the spare reads no setting before its imports.
            subprocess.Popen(
                [sys.executable, "-P", "-c", "from flows.warm import serve; serve()", json.dumps(state), str(path),
                 str(import_after)],
                cwd=cwd, env=env, stdin=subprocess.DEVNULL, stdout=log, stderr=log,
                start_new_session=True, close_fds=True,
            )
    except OSError:
        pass  # only the next run's head start


def serve() -> None:
    """A spare's process (``leave_spare`` starts it): listen, import, wait for one run, run
    it (its successor starts as the run starts or as it ends), end. It ends without a run
    once its kept server has ended, or when a command's environment is not its own."""
    import fcntl

    started = time.time_ns()
    # A command's run stops on these as a run of its own would, whatever the run that
    # started this spare had.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGHUP, signal.SIG_DFL)
    server, path = json.loads(sys.argv[1]), Path(sys.argv[2])
    import_after = float(sys.argv[3]) if len(sys.argv) > 3 else IMPORT_AFTER_SECONDS
    env, cwd = dict(os.environ), os.getcwd()
    lock = os.open(path.parent / LOCK, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os._exit(0)  # another spare is there
    # Listen first, then import in a thread: a command that comes before the imports are
    # done is answered at once (below) rather than after them.
    path.unlink(missing_ok=True)
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    mask = os.umask(0o077)
    try:
        listener.bind(str(path))
    finally:
        os.umask(mask)
    listener.listen(8)
    installed = _installed_stamps()
    imports: _Imports | None = None
    listener.settimeout(max(import_after, 0.01))
    while True:
        if imports is None and time.time_ns() - started >= import_after * 1e9:
            imports = _Imports(path.parent)
            listener.settimeout(1.0)
        if imports is not None and not _server_alive(server):
            path.unlink(missing_ok=True)
            os._exit(0)
        try:
            conn, _ = listener.accept()
        except socket.timeout:
            continue
        conn.settimeout(ANSWER_SECONDS)
        fds: list[int] = []
        try:
            _, uid, _ = _CREDENTIALS.unpack(conn.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED, _CREDENTIALS.size))
            request = _receive(conn, fds) if uid == os.getuid() else None
        except (OSError, ValueError):
            request = None
        refusal, wait = "no request", None
        if request:
            refusal = _refusal(request, env, cwd, server, started, installed)
            if refusal is None and len(fds) != 3:
                refusal = "no streams"
            if refusal is None and (imports is None or not imports.done()):
                # Made for this command, not ready yet: the command either waits for the
                # imports, when they are nearly done, or runs itself; the spare stays.
                refusal = "still importing"
                expected = _Imports.expected(path.parent) if imports is None else imports.expected_seconds
                left = (imports.left() if imports is not None
                        else import_after - (time.time_ns() - started) / 1e9 + expected)
                if left <= WAIT_SHARE * expected:
                    wait = left
        try:
            if refusal is None:
                _send(conn, {"take": True})
                if (_receive(conn) or {}).get("go"):
                    break
            else:
                _send(conn, {"refused": refusal} if wait is None else {"refused": refusal, "wait": wait})
        except (OSError, ValueError):
            pass  # the command gave up waiting, and runs itself
        for fd in fds:
            os.close(fd)
        conn.close()
        if request and refusal and wait is None:
            print(f"{time.strftime('%Y-%m-%d %H:%M:%S')} pid {os.getpid()} refused a run: {refusal}", file=sys.stderr)
            sys.stderr.flush()
        if request and refusal and refusal != "still importing":  # made for another environment or older code
            path.unlink(missing_ok=True)
            os._exit(0)
    # Taken: the next command must not queue here; the successor can start.
    path.unlink(missing_ok=True)
    listener.close()
    os.close(lock)
    try:
        last_end = (path.parent / LAST_END).stat().st_mtime
    except OSError:
        last_end = None
    back_to_back = last_end is not None and float(request.get("started") or 0) - last_end < BACK_TO_BACK_SECONDS
    _run(conn, request, fds, successor_now=back_to_back)


class _Imports:
    """What ``tamas ingest`` imports (flows/cli.py), after the same settings, imported in
    a thread so that a command can be answered meanwhile; once done, this process's pid
    goes to READY and the CPU time they took to IMPORT_SECONDS (what the next spare
    expects)."""

    def __init__(self, folder: Path) -> None:
        import threading

        from flows import runtime  # and the settings: a command's checks need them (_refusal)

        runtime.configure(verbose=False)  # what Prefect reads at its import
        self.folder = folder
        self.expected_seconds = self.expected(folder)
        self.ready = False
        self.thread = threading.Thread(target=self._import, name="warm-runner-imports", daemon=True)
        self.thread.start()

    @staticmethod
    def expected(folder: Path) -> float:
        """The CPU seconds the last spare's imports took (a guess when none has recorded it)."""
        try:
            return max(0.1, float((folder / IMPORT_SECONDS).read_text()))
        except (OSError, ValueError):
            return 3.0

    def done(self) -> bool:
        return self.ready or not self.thread.is_alive()

    def left(self) -> float:
        """Seconds of CPU the imports still need, by the last spare's."""
        try:  # the thread's own CPU time (the kernel's, so no clock of a thread that ended)
            with open(f"/proc/self/task/{self.thread.native_id}/stat", encoding="ascii") as fh:
                fields = fh.read().rsplit(")", 1)[1].split()
            used = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        except (OSError, ValueError, IndexError):
            used = 0.0
        return max(0.05, self.expected_seconds - used)

    def _import(self) -> None:
        from flows.runtime import write_replacing

        try:
            import polars  # noqa: F401
            import prefect.settings  # noqa: F401

            from flows import cli, early, ingest  # noqa: F401
            from warehouse import backend, lake, store  # noqa: F401
            import fastapi.encoders  # noqa: F401
        except Exception:  # the run imports them again and reports what fails
            import traceback

            traceback.print_exc()
        else:
            write_replacing(self.folder / IMPORT_SECONDS, f"{time.thread_time():.3f}\n")
        write_replacing(self.folder / READY, f"{os.getpid()}\n")
        self.ready = True


def _installed_stamps() -> dict[str, int]:
    """The modification times of the folders imports come from: installing, upgrading or
    removing a package changes its folder's."""
    stamps = {}
    for entry in sys.path:
        try:
            stamps[entry] = os.stat(entry or ".").st_mtime_ns
        except OSError:
            stamps[entry] = -1
    return stamps


def _keyed(env: dict[str, str]) -> dict[str, str]:
    from flows.settings import PREFIX

    # flows/settings.py reads our variables whatever their case
    prefixes = (*_KEYED_PREFIXES, PREFIX)
    return {k: v for k, v in env.items() if k.upper().startswith(prefixes) or k in _KEYED_NAMES}


def _refusal(request: dict, env: dict[str, str], cwd: str, server: dict, started_ns: int,
             installed: dict[str, int]) -> str | None:
    """Why this spare may not run ``request`` (None: it may)."""
    if request.get("process") != process_settings():
        return "another Python, priority, CPU set, limits or control group"
    if request.get("cwd") != cwd:
        return "another working folder"
    if _keyed(request.get("env") or {}) != _keyed(env):
        return "other settings"
    if not eligible(request.get("argv") or []):  # in this environment, keyed like the command's
        return "not a run a spare takes"
    from flows.runtime import read_json

    state = read_json(socket_path().parent / KEPT_SERVER_STATE) or {}
    if state.get("pid") != server.get("pid") or state.get("key") != server.get("key"):
        return "another kept server"
    if _installed_stamps() != installed:
        return "packages were installed or removed"
    if _our_modules_changed(started_ns):
        return "the code changed"
    return None


def _our_modules_changed(since_ns: int) -> bool:
    """Has a module of ours that this process imported changed on disk since it started?
    (Its time of change, not only its modification time: a copy that keeps old times is a
    change too.)"""
    for name, module in list(sys.modules.items()):
        file = getattr(module, "__file__", None)
        if file and name.split(".", 1)[0] in _OUR_PACKAGES:
            try:
                info = os.stat(file)
            except OSError:
                return True
            if max(info.st_mtime_ns, info.st_ctime_ns) >= since_ns:
                return True
    return False


def _run(conn: socket.socket, request: dict, fds: list[int], successor_now: bool) -> None:
    """Run the command's ``main`` here, on its streams, in its environment; answer with its
    exit status; end. The next spare starts as the run starts (``successor_now``) or as it
    ends."""
    import atexit
    import threading

    from flows import cli

    for stream in (sys.stdout, sys.stderr):  # what the spare wrote so far goes to its log
        stream.flush()
    for target, fd in enumerate(fds):
        os.dup2(fd, target)
        os.close(fd)
    # The same stream objects, now on the command's descriptors: handlers made at import
    # (Prefect's) hold them. Only stdout's buffering depends on what it is.
    sys.stdout.reconfigure(line_buffering=os.isatty(1))
    os.environ.update(request["env"])
    for name in set(os.environ) - set(request["env"]):
        del os.environ[name]
    sys.argv = [sys.argv[0], *request["argv"]]
    conn.settimeout(None)
    answered = threading.Event()
    outcome: list[int] = []

    def stop_if_the_command_ends() -> None:
        # The command sends nothing more: an end of stream means it was killed.
        try:
            while conn.recv(1):
                pass
        except OSError:
            pass
        if not answered.is_set():
            os.kill(os.getpid(), signal.SIGTERM)

    def stop_before_the_cli(signum, frame):
        # A signal before cmd_ingest has its own handlers: the status a run of its own
        # would end with.
        raise SystemExit(128 + signum)

    def answer() -> None:
        """The last exit handler (registered before any of Prefect's), as in cli.console:
        the run's threads are joined and Prefect's handlers have run."""
        import logging

        for signum in _FORWARDED:  # the command gets its status whatever comes now (serve resets them)
            signal.signal(signum, signal.SIG_IGN)
        answered.set()
        logging.shutdown()
        for stream in (sys.stdout, sys.stderr):
            try:
                stream.flush()
            except (OSError, ValueError):
                pass
        # The command's streams are let go before it gets its status: a caller reading
        # them to their end is not kept waiting by this process or the next spare.
        null = os.open(os.devnull, os.O_RDWR)
        for target in (0, 1, 2):
            os.dup2(null, target)
        status = outcome[0] if outcome else 1
        # Unless a successor is there already, before the status goes: a command that
        # comes back to back then finds it. Not earlier: its imports would take a core
        # from this run.
        leave_spare(request["argv"], request["env"], request["cwd"])
        try:
            _send(conn, {"status": status})
        except OSError:
            pass
        os._exit(status)

    atexit.register(answer)
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, stop_before_the_cli)
    threading.Thread(target=stop_if_the_command_ends, name="warm-runner-command", daemon=True).start()
    try:
        if successor_now:
            # Runs come back to back: a command that comes the moment this run ends then
            # finds the successor done with its imports, or nearly (and waits for it). The
            # imports take a core from this run (docs/operations.md), so only then.
            leave_spare(request["argv"], request["env"], request["cwd"], import_after=0.0, at_end=False)
        outcome.append(cli.main(request["argv"]))
    except SystemExit as exit_:  # argparse's usage errors and --help, a signal before the CLI's handlers
        outcome.append(exit_.code if isinstance(exit_.code, int) else (0 if exit_.code is None else 1))
    sys.exit(outcome[0])  # an exception of the run: Python prints it, and the status is 1


def _server_alive(server: dict) -> bool:
    from flows.runtime import is_kept_server

    return is_kept_server(server.get("pid"), server.get("url"))


def _spare_is_there(lock: Path) -> bool:
    """A spare holds this lock from its start until it takes a run."""
    import fcntl

    try:
        fd = os.open(lock, os.O_RDWR | os.O_CREAT, 0o600)
    except OSError:
        return True  # no spare can start here either
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return False
    except BlockingIOError:
        return True
    finally:
        os.close(fd)
