"""Test hooks, injected by the tests: never part of a production run.

A test that wants a run to stop at a stage starts ``tamas`` with this folder on
``PYTHONPATH`` (``tests/hooking.py``: ``hooked``) and ``TAMAS_TEST_HOOK=<stage>:pause`` (or
``:fail``). Python imports this module at start-up in the run's process and in every
pool worker it spawns; it wraps the function that begins or ends the stage as soon as
its module is imported, so production code calls no hook:

- read: the flow process, a batch discovered but not yet read
  (``flows.ingest.transform_batch`` / ``transform_in``);
- extract: the process extracting a batch (a pool worker, or the flow's own for a small
  run), its files read, parsed and cleaned (``flows.batch._extract_apart``);
- transform: a pool worker, before it reads its batch (``flows.batch.transform_batch``);
- load: the flow process, inside the load's transaction, articles and staging rows
  appended (after ``warehouse.load.append_staging``);
- publish: the staged copy complete and closed, not yet renamed (``warehouse.store._publish``).

``pause`` writes "<stage> <pid>" to ``$TAMAS_TEST_HOOK_FILE`` and sleeps until the test
removes that file (or kills the process), at most an hour; ``fail`` raises
``RuntimeError``. Each fires once per process; while it pauses, every other thread of
that process reaching the stage waits too (a run with a pool submits its batches from
several threads: one batch alone paused would let the others read past the stage).
"""

from __future__ import annotations

import functools
import importlib.abc
import importlib.util
import os
import sys
import threading
import time

HOOK = os.environ.get("TAMAS_TEST_HOOK", "")
STAGE, _, ACTION = HOOK.partition(":")
FIRED: set[str] = set()
_FIRST = threading.Lock()
_RESUMED = threading.Event()

# module -> [(function name, stage, before or after the call)]
TARGETS = {
    "flows.ingest": [("transform_batch", "read", "before"), ("transform_in", "read", "before")],
    "flows.batch": [("transform_batch", "transform", "before"), ("_extract_apart", "extract", "before")],
    "warehouse.load": [("append_staging", "load", "after")],
    "warehouse.store": [("_publish", "publish", "before")],
}


def stop_here(stage: str) -> None:
    if stage != STAGE:
        return
    with _FIRST:
        first = stage not in FIRED
        FIRED.add(stage)
    if not first:
        _RESUMED.wait(3600)
        return
    try:
        if ACTION == "fail":
            raise RuntimeError(f"injected failure at {stage} (TAMAS_TEST_HOOK)")
        marker = os.environ.get("TAMAS_TEST_HOOK_FILE")
        if marker:
            with open(marker, "w", encoding="utf-8") as handle:
                handle.write(f"{stage} {os.getpid()}\n")
        print(f"tamas: test hook: paused at {stage} (pid {os.getpid()})", file=sys.stderr, flush=True)
        deadline = time.monotonic() + 3600
        while time.monotonic() < deadline and (not marker or os.path.exists(marker)):
            time.sleep(0.05)
    finally:
        _RESUMED.set()


def _wrap(function, stage: str, when: str):
    @functools.wraps(function)
    def hooked(*args, **kwargs):
        if when == "before":
            stop_here(stage)
        result = function(*args, **kwargs)
        if when == "after":
            stop_here(stage)
        return result

    return hooked


class _Loader(importlib.abc.Loader):
    def __init__(self, loader, name):
        self.loader, self.name = loader, name

    def create_module(self, spec):
        return self.loader.create_module(spec)

    def exec_module(self, module):
        self.loader.exec_module(module)
        for function_name, stage, when in TARGETS[self.name]:
            if stage == STAGE and hasattr(module, function_name):
                setattr(module, function_name, _wrap(getattr(module, function_name), stage, when))


class _Finder(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path, target=None):
        if name not in TARGETS:
            return None
        sys.meta_path.remove(self)
        try:
            spec = importlib.util.find_spec(name)
        finally:
            sys.meta_path.insert(0, self)
        if spec is not None and spec.loader is not None:
            spec.loader = _Loader(spec.loader, name)
        return spec


if STAGE:
    sys.meta_path.insert(0, _Finder())
