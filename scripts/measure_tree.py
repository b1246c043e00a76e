"""Run a command and measure its whole process tree (psutil, sampled every 0.1 s): wall
time, CPU time (user + system, every process that lived), peak resident memory of the
tree, and the same CPU/wall ratio over the transform phase — while spawned pool workers
(``multiprocessing.spawn`` processes) are alive. Used for the figures in
docs/operations.md ("Big .jsonl files").

    python scripts/measure_tree.py -- tamas ingest data/big.jsonl --warehouse data/x.duckdb
"""

from __future__ import annotations

import subprocess
import sys
import time

import psutil


def main(argv: list[str]) -> int:
    command = argv[argv.index("--") + 1:] if "--" in argv else argv
    started = time.monotonic()
    child = subprocess.Popen(command)
    root = psutil.Process(child.pid)
    cpu: dict[int, float] = {}  # last CPU seconds seen per process
    pool: set[int] = set()  # pids of the spawned pool workers
    peak_rss, phase_start, phase_end, phase_cpu0, phase_cpu1 = 0, None, None, None, None
    while child.poll() is None:
        try:
            tree = [root, *root.children(recursive=True)]
        except psutil.NoSuchProcess:
            break
        rss, workers = 0, 0
        for process in tree:
            try:
                with process.oneshot():
                    times = process.cpu_times()
                    cpu[process.pid] = times.user + times.system  # not children_*: those are counted as processes of the tree
                    rss += process.memory_info().rss
                    if "multiprocessing.spawn" in " ".join(process.cmdline()):
                        workers += 1
                        pool.add(process.pid)
            except psutil.Error:
                continue
        peak_rss = max(peak_rss, rss)
        now, total = time.monotonic(), sum(cpu.values())
        if workers and phase_start is None:
            phase_start, phase_cpu0 = now, total
        if workers:
            phase_end, phase_cpu1 = now, total
        time.sleep(0.1)
    wall = time.monotonic() - started
    print(f"exit {child.returncode}; wall {wall:.1f} s; CPU {sum(cpu.values()):.1f} s; peak tree RSS {peak_rss / 2**20:.0f} MiB", file=sys.stderr)
    if phase_start is not None and phase_end > phase_start:
        span = phase_end - phase_start
        print(f"transform phase (pool workers alive): wall {span:.1f} s, CPU {phase_cpu1 - phase_cpu0:.1f} s,"
              f" ratio {(phase_cpu1 - phase_cpu0) / span:.2f}; CPU per pool worker "
              + ", ".join(f"{cpu[pid]:.1f} s" for pid in sorted(pool)), file=sys.stderr)
    with open("/proc/loadavg") as f:
        print(f"load average at the end: {f.read().split()[0]} (other processes share the cores)", file=sys.stderr)
    return child.returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
