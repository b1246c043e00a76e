"""The temporary Prefect server's app (flows/runtime.py starts the process): Prefect's
own API app, built with Python's cyclic garbage collector off.

The server's start is mostly imports and the build of its app (pydantic models, FastAPI
routes): a great many objects that stay alive, which the collector would
scan again and again for nothing (docs/scaling.md, "Small runs in seconds"). Once the
app is built it is frozen out of the collector's reach (``gc.freeze``) and the collector
is on again, before the server answers its first request. The server's process turns
the collector off first thing (runtime._SERVER_BOOT); nothing else imports this module.

A kept server (runtime.KeptPrefectServer) also watches the lock its runs hold, and ends
itself once no run has held it for its keep time.
"""

from __future__ import annotations

import gc
import os


def create_app():
    """``prefect.server.api.server:create_app`` for uvicorn's ``--factory``, then the
    collector on again with everything built so far frozen."""
    from prefect.server.api.server import create_app as prefect_app

    try:
        return prefect_app()
    finally:
        gc.freeze()
        gc.enable()
        kept = os.environ.get("TAMAS_KEPT_SERVER")  # set by runtime.KeptPrefectServer only
        if kept:
            import json
            import threading

            threading.Thread(target=end_when_unused, name="tamas-kept-server", daemon=True,
                             kwargs=json.loads(kept)).start()


def end_when_unused(*, in_use: str, state: str, keep_seconds: float) -> None:
    """End this server (SIGTERM to itself: uvicorn's orderly shutdown) once no run has
    held a lock on ``in_use`` for ``keep_seconds``, or at once when no run holds it and
    ``state`` names another server (a run of another Python or Prefect replaced it).
    From the decision to the process's exit the lock stays held here, so a run that
    arrives meanwhile waits for the exit and starts a new server instead of reusing this
    one as it ends."""
    import fcntl
    import json
    import signal
    import time

    fd = os.open(in_use, os.O_RDWR | os.O_CREAT, 0o644)
    last_used = time.monotonic()
    while True:
        time.sleep(min(1.0, keep_seconds / 4))
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            last_used = time.monotonic()
            continue
        try:
            with open(state, encoding="utf-8") as fh:
                named = json.load(fh).get("pid") == os.getpid()
        except (OSError, ValueError):
            named = False
        if named and time.monotonic() - last_used < keep_seconds:
            fcntl.flock(fd, fcntl.LOCK_UN)
            continue
        if named:
            os.unlink(state)
        os.kill(os.getpid(), signal.SIGTERM)
        time.sleep(20)
        os._exit(0)  # an orderly shutdown that hangs
