"""Python's cycle collector paused around work that makes many objects and no cycles."""

from __future__ import annotations

import gc
from contextlib import contextmanager


@contextmanager
def collector_paused():
    """The cycle collector off for the block. A worker's batch (parsing, cleaning,
    extraction) and reading a kept table make millions of small objects; the collector's
    passes over the live ones made a long article cost more per KB than a short one and
    a table's read a third slower (docs/operations.md, docs/scaling.md). The few cycles
    such work leaves are collected once it is over."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def freeze_and_resume() -> None:
    """End a pause taken for a process's start: everything made so far (modules, classes,
    settings: objects that live as long as the process) goes out of the collector's reach
    for good (``gc.freeze``), so its later passes scan only what the work makes; then the
    collector is on again."""
    gc.freeze()
    gc.enable()
