"""The temporary Prefect server's app (flows/runtime.py starts the process): Prefect's
own API app, built with Python's cyclic garbage collector off, with the API routers a
flow run calls first in its route table (``run_routers_first``), which builds its API
routes as soon as it has answered its first health check (``RoutesBuiltAfterHealth``).

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

import asyncio
import os

from core.collector import freeze_and_resume


def create_app():
    """``prefect.server.api.server:create_app`` for uvicorn's ``--factory``, then the
    collector on again with everything built so far frozen."""
    from prefect.server.api.server import create_app as prefect_app

    try:
        app = prefect_app()
        api = next((route.app for route in app.routes if getattr(route, "path", None) == "/api"), None)
        if api is not None:
            run_routers_first(api.router)
        return RoutesBuiltAfterHealth(app)
    finally:
        freeze_and_resume()
        kept = os.environ.get("TAMAS_KEPT_SERVER")  # set by runtime.KeptPrefectServer only
        if kept:
            import json
            import threading

            threading.Thread(target=end_when_unused, name="tamas-kept-server", daemon=True,
                             kwargs=json.loads(kept)).start()


# The API's first path segments a flow run's client calls, in the order it first calls
# them: its CSRF token, the flow, the flow run, the result storage (admin), then events
# (a websocket beside the flow), logs (--verbose) and task runs.
RUN_SEGMENTS = ("csrf-token", "flows", "flow_runs", "admin", "events", "logs", "task_runs")


def run_routers_first(router, segments: tuple[str, ...] = RUN_SEGMENTS) -> bool:
    """Move the routes under ``segments`` (Prefect's routers for them) ahead of the others
    that follow the first of them in ``router``'s route table, in the order of
    ``segments``; True if the order changed.

    FastAPI builds an included router's routes on the first request that passes it on
    the way to the one that matches; a run's first request used to pass, and build,
    nearly all of Prefect's routers (deployments, work pools, automations...), which
    no run calls (docs/scaling.md, twenty-sixth session). Moved first, only the routers a
    run calls are built. The move cannot change which route answers a request: it is
    made only when every route's path starts with a literal segment and no route left
    behind starts with one of ``segments``, so a path's candidates are all moved or all
    left, each group in its own order."""
    routes = list(router.routes)
    firsts = [_first_segments(route) for route in routes]
    moved = [i for i, first in enumerate(firsts) if first and first <= set(segments)]
    if not moved:
        return False
    start = moved[0]
    behind = [i for i in range(start, len(routes)) if i not in moved]
    if any(None in firsts[i] or firsts[i] & set(segments) for i in behind):
        return False
    order = sorted(moved, key=lambda i: (min(segments.index(s) for s in firsts[i]), i)) + behind
    if order == list(range(start, len(routes))):
        return False
    router.routes[start:] = [routes[i] for i in order]
    return True


def _first_segments(route, prefix: str = "") -> set:
    """The first path segments of the paths ``route`` answers (of every route of an
    included router); None among them for a path that starts with a parameter, is empty
    or cannot be read (a mount at the root, a route of an unknown kind)."""
    included = getattr(route, "original_router", None)  # FastAPI's included router
    if included is not None:
        context = getattr(route, "include_context", None)
        inner = prefix + (getattr(context, "prefix", "") or "")
        found = set()
        for child in included.routes:
            found |= _first_segments(child, inner)
        return found or {None}
    path = getattr(route, "path", None)
    if not isinstance(path, str):
        return {None}
    first = (prefix + path).lstrip("/").split("/", 1)[0]
    return {None if not first or "{" in first else first}


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


class RoutesBuiltAfterHealth:
    """Prefect's app, which builds its API routes once its first health check is answered.

    FastAPI builds the routes of an included router on the first request that reaches
    it, so a run's first API call waited for the routers it passed after the server was
    ready (docs/scaling.md, twenty-fourth session). A run gets the health check's answer
    and then sets up its flow before that call; the server builds the routes meanwhile,
    with one request to itself for Prefect's version, which passes every router the
    run's first calls do (those ``run_routers_first`` moved ahead, up to admin's)."""

    WARM_PATH = "/api/admin/version"

    def __init__(self, app) -> None:
        self.app = app
        self._warming = None  # the task, kept: the event loop holds only a weak reference

    async def __call__(self, scope, receive, send) -> None:
        await self.app(scope, receive, send)
        if self._warming is None and scope["type"] == "http" and scope["path"].endswith("/health"):
            self._warming = asyncio.get_running_loop().create_task(self._build_routes())

    async def _build_routes(self) -> None:
        await asyncio.sleep(0)  # after the health check's response has gone out

        async def receive():
            return {"type": "http.request", "body": b"", "more_body": False}

        async def send(message):
            pass

        scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "GET",
                 "scheme": "http", "path": self.WARM_PATH, "raw_path": self.WARM_PATH.encode(),
                 "root_path": "", "query_string": b"", "headers": [(b"host", b"127.0.0.1")],
                 "client": ("127.0.0.1", 0), "server": ("127.0.0.1", 0)}
        try:
            await self.app(scope, receive, send)
        except Exception:
            pass  # only a head start: the client's own first request builds what is left
