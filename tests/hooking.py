"""Runs that stop where a test wants: the environment that injects tests/hooks/sitecustomize.py."""

from __future__ import annotations

import os
from pathlib import Path

HOOKS_DIR = Path(__file__).resolve().parent / "hooks"


def hooked(env: dict) -> dict:
    """``env`` with the hooks on PYTHONPATH when it asks for one (TAMAS_TEST_HOOK)."""
    if not env.get("TAMAS_TEST_HOOK"):
        return env
    paths = [str(HOOKS_DIR)] + [p for p in env.get("PYTHONPATH", "").split(os.pathsep) if p]
    return {**env, "PYTHONPATH": os.pathsep.join(paths)}
