"""What a run's child processes call first, with the standard library only (a child
that starts without the project's heavy imports, flows/walk.py, uses it too)."""

from __future__ import annotations

import ctypes
import os
import signal

PR_SET_PDEATHSIG = 1


def die_with_parent(parent_pid: int) -> None:
    """Ask the kernel to SIGKILL this process when its parent ends (Linux prctl).

    The kernel sends it when the parent *thread* that started this process ends, so only
    a child started by a thread that lives as long as the parent process (the main
    thread), or that waits for the child, should use it. A parent that died before the
    call is caught by the pid check."""
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if os.getppid() != parent_pid:
        os._exit(1)
