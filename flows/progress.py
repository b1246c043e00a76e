"""Progress of a run: a rich progress bar on a terminal, plain periodic lines elsewhere.

Written to stderr so that stdout carries only the run's summary. The plain lines come
at most every ``TAMAS_PROGRESS_EVERY`` seconds (default 10; flows/settings.py).
"""

from __future__ import annotations

import sys
import time

from flows.settings import settings


class ProgressReporter:
    PLAIN_EVERY_SECONDS = 10.0

    def __init__(self, total_files: int, already_done: int = 0, stream=None, total_units: int | None = None):
        """``total_units``: the records to read (a file read whole is one; a big .jsonl
        is its lines), which the ETA is reckoned from: a run of one big file would
        otherwise show 0 of 1 files until its end."""
        self.stream = stream or sys.stderr
        self.total = total_files
        self.done = already_done
        self.total_units = total_units
        self.to_read = total_files - already_done
        self.units = 0
        self.articles = 0
        self.started = time.monotonic()
        self.last_line = self.started
        every = settings().progress_every
        self.every = self.PLAIN_EVERY_SECONDS if every is None else every   # 0: a line per batch
        self.bar = None
        # a run that reads files by parts shows its records; otherwise its files
        self.by_records = bool(total_units) and total_units != self.to_read
        if self.total and self.stream.isatty():
            from rich.console import Console
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

            self.bar = Progress(
                TextColumn("ingest"),
                BarColumn(),
                MofNCompleteColumn(),
                TextColumn(("records" if self.by_records else "files") + " · {task.fields[rate]:.0f} articles/s"),
                TimeRemainingColumn(),
                console=Console(file=self.stream),
                transient=True,
            )
            total, done = (total_units, 0) if self.by_records else (self.total, self.done)
            self.task = self.bar.add_task("ingest", total=total, completed=done, rate=0.0)
            self.bar.start()

    def advance(self, files: int, articles: int, units: int = 0) -> None:
        self.done += files
        self.units += units
        self.articles += articles
        elapsed = max(time.monotonic() - self.started, 1e-9)
        rate = self.articles / elapsed
        if self.bar is not None:
            self.bar.update(self.task, completed=self.units if self.by_records else self.done, rate=rate)
            return
        now = time.monotonic()
        if now - self.last_line >= self.every:
            self.last_line = now
            if self.total_units:
                done, left = self.units, self.total_units - self.units
                read = f" ({self.units}/{self.total_units} records)" if self.by_records else ""
            else:
                done, left, read = self.done, self.total - self.done, ""
            eta = f"ETA {left / (done / elapsed):.0f} s" if done else "ETA unknown"
            print(
                f"progress: {self.done}/{self.total} files{read}, {self.articles} articles, {rate:.0f} articles/s, {eta}",
                file=self.stream,
                flush=True,
            )

    def close(self) -> None:
        if self.bar is not None:
            self.bar.stop()
            self.bar = None
