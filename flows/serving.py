"""`tamas serve`: the ingest_articles deployment, served on a schedule from a Prefect server.

What Prefect's ``Flow.serve`` does, but for SIGTERM, which stops the runner the way its
own ``stop`` means to. Prefect's SIGTERM handler calls ``Runner.stop()`` from inside the
event loop, where it only creates the ``astop`` coroutine and drops it ("coroutine
'Runner.astop' was never awaited"), then exits without pausing the schedule.
"""

from __future__ import annotations

import asyncio
import datetime
import os
from urllib.parse import urlsplit


def server_command(api_url: str) -> str:
    """The command that starts a Prefect server answering at ``api_url``, its database
    under data/ and its telemetry off (docs/operations.md)."""
    parts = urlsplit(api_url)
    host, port = parts.hostname or "127.0.0.1", parts.port or 4200
    return (
        "PREFECT_HOME=data/prefect-server PREFECT_SERVER_ANALYTICS_ENABLED=false "
        f"prefect server start --host {host} --port {port}"
    )


def unreachable(api_url: str, timeout: float = 5.0) -> str | None:
    """Why no Prefect server answers at ``api_url``, or None when one does."""
    import httpx

    try:
        response = httpx.get(f"{api_url.rstrip('/')}/health", timeout=timeout)
    except httpx.HTTPError as exc:
        return f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
    if response.status_code != 200:
        return f"GET /health answered {response.status_code}"
    return None


def serve(flow, *, name: str, cron: str | None, interval: float | None, limit: int, **deployment) -> None:
    """Register ``flow`` as deployment ``name`` with one schedule and execute its runs
    until Ctrl-C or SIGTERM; either way the schedule is paused on the way out."""
    from prefect.runner import Runner

    class _Runner(Runner):
        def handle_sigterm(self, *args, **kwargs) -> None:
            loop = self._loop
            if loop is None or not loop.is_running():
                raise KeyboardInterrupt  # not serving yet: stop as Ctrl-C does
            if getattr(self, "_stop_task", None) is None:
                self._stop_task = False  # a second SIGTERM while this one is handed over
                self._logger.info("SIGTERM received: stopping, the schedule is paused")
                # A signal handler may interrupt the loop anywhere: hand over through the
                # thread-safe entry, and keep the task referenced until it is done.
                loop.call_soon_threadsafe(lambda: setattr(self, "_stop_task", loop.create_task(self.astop())))

    runner = _Runner(name=name, pause_on_shutdown=True, limit=limit)
    runner.add_flow(
        flow,
        name=name,
        cron=cron,
        interval=datetime.timedelta(seconds=interval) if interval else None,
        **deployment,
    )
    when = f"cron {cron!r}" if cron else f"every {interval:g} s"
    print(
        f"serving {flow.name}/{name} ({when}) from {os.environ.get('PREFECT_API_URL')}; "
        f"run one now: prefect deployment run '{flow.name}/{name}'; stop: Ctrl-C or SIGTERM",
        flush=True,
    )
    try:
        asyncio.run(runner.start())
    except KeyboardInterrupt:
        pass
