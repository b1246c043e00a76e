"""The ``tamas`` console script's module, which imports nothing until it is called.

multiprocessing's spawn runs the main script again in each pool worker it starts (in
case the work pickles a function defined there), so every import at the top of the
script is paid by every worker. Ours are the CLI's: memory and seconds a worker never
uses. The script imports this module; ``console`` imports the CLI."""

from __future__ import annotations


def console() -> None:
    import os
    import sys

    from flows import warm

    # A warm runner next to a kept Prefect server runs it with its imports already done
    # (flows/warm.py); without one, this process runs it and may leave one for the next.
    argv, env, cwd = sys.argv[1:], dict(os.environ), os.getcwd()
    status = warm.run_in_spare(argv)
    if status is not None:
        raise SystemExit(status)
    from flows.cli import console as run

    run(after=lambda: warm.leave_spare(argv, env, cwd))
