"""Past one machine (issue 7; docs/scaling.md): the Dask task runner (the DuckLake backend is
warehouse/backend.py).

- ``dask_task_runner(address, workers)``: prefect-dask's ``DaskTaskRunner`` on an existing
  scheduler (``tcp://host:port``) or, without an address, on a ``LocalCluster`` of
  single-threaded worker processes. The CLI applies it with
  ``ingest_articles.with_options(task_runner=...)``.
- ``runs_tasks_locally()``: whether the running flow's tasks run in this process's threads
  (then the CPU stages go to a local process pool) or on a cluster (then they must not).
"""

from __future__ import annotations

import os


def dask_task_runner(address: str | None = None, workers: int | None = None):
    import logging

    from prefect_dask import DaskTaskRunner

    # The scheduler's and nannies' INFO lines would drown the progress line (--verbose keeps them).
    if os.environ.get("PREFECT_LOGGING_LEVEL", "INFO") != "INFO":
        logging.getLogger("distributed").setLevel(logging.ERROR)
    if address:
        return DaskTaskRunner(address=address)
    return DaskTaskRunner(
        cluster_class="distributed.LocalCluster",
        cluster_kwargs={
            "n_workers": workers or os.cpu_count() or 1,
            "threads_per_worker": 1,  # the stages are CPU-bound Python: one per process
            "processes": True,
            "dashboard_address": ":0",  # never clash with another run on :8787
        },
    )


def runs_tasks_locally() -> bool:
    from prefect.context import FlowRunContext
    from prefect.task_runners import ThreadPoolTaskRunner

    context = FlowRunContext.get()
    runner = getattr(context, "task_runner", None)
    return runner is None or isinstance(runner, ThreadPoolTaskRunner)
