"""The temporary Prefect server's app (flows/runtime.py starts the process): Prefect's
own API app, built with Python's cyclic garbage collector off.

The server's start is mostly imports and the build of its app (pydantic models, FastAPI
routes): a great many objects that stay alive, which the collector would
scan again and again for nothing (docs/scaling.md, "Small runs in seconds"). Once the
app is built it is frozen out of the collector's reach (``gc.freeze``) and the collector
is on again, before the server answers its first request. The server's process turns
the collector off first thing (runtime._SERVER_BOOT); nothing else imports this module.
"""

from __future__ import annotations

import gc


def create_app():
    """``prefect.server.api.server:create_app`` for uvicorn's ``--factory``, then the
    collector on again with everything built so far frozen."""
    from prefect.server.api.server import create_app as prefect_app

    try:
        return prefect_app()
    finally:
        gc.freeze()
        gc.enable()
