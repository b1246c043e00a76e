"""Progress of a run: a rich progress bar on a terminal, plain periodic lines elsewhere.

Written to stderr so that stdout carries only the run's summary. The plain lines come
at most every ``TAMAS_PROGRESS_EVERY`` seconds (default 10).
"""

from __future__ import annotations

import os
import sys
import time


class ProgressReporter:
    PLAIN_EVERY_SECONDS = 10.0

    def __init__(self, total_files: int, already_done: int = 0, stream=None):
        self.stream = stream or sys.stderr
        self.total = total_files
        self.done = already_done
        self.articles = 0
        self.started = time.monotonic()
        self.last_line = self.started
        self.every = float(os.environ.get("TAMAS_PROGRESS_EVERY", self.PLAIN_EVERY_SECONDS))
        self.bar = None
        if self.total and self.stream.isatty():
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
            from rich.console import Console

            self.bar = Progress(
                TextColumn("ingest"),
                BarColumn(),
                MofNCompleteColumn(),
                TextColumn("files · {task.fields[rate]:.0f} articles/s"),
                TimeRemainingColumn(),
                console=Console(file=self.stream),
                transient=True,
            )
            self.task = self.bar.add_task("ingest", total=self.total, completed=self.done, rate=0.0)
            self.bar.start()

    def advance(self, files: int, articles: int) -> None:
        self.done += files
        self.articles += articles
        elapsed = max(time.monotonic() - self.started, 1e-9)
        rate = self.articles / elapsed
        if self.bar is not None:
            self.bar.update(self.task, completed=self.done, rate=rate)
            return
        now = time.monotonic()
        if now - self.last_line >= self.every:
            self.last_line = now
            left = self.total - self.done
            eta = left / (self.done / elapsed) if self.done else 0.0
            print(
                f"progress: {self.done}/{self.total} files, {self.articles} articles, {rate:.0f} articles/s, ETA {eta:.0f} s",
                file=self.stream,
                flush=True,
            )

    def close(self) -> None:
        if self.bar is not None:
            self.bar.stop()
            self.bar = None
