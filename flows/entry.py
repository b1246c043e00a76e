"""The ``tamas`` console script's module, which imports nothing until it is called.

multiprocessing's spawn runs the main script again in each pool worker it starts (in
case the work pickles a function defined there), so every import at the top of the
script is paid by every worker. Ours are the CLI's (pydantic's settings among them):
memory and seconds a worker never uses. The script imports this module; ``console``
imports the CLI."""

from __future__ import annotations


def console() -> None:
    from flows.cli import console as run

    run()
