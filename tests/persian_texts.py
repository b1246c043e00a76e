"""The Persian texts the tests hold, for tests that check two ways of computing one thing
give the same on real text."""

from __future__ import annotations

import ast
import functools
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


@functools.lru_cache(maxsize=1)
def _sentences() -> tuple[str, ...]:
    found = set()
    for test_file in sorted((REPO / "tests").glob("test_*.py")):
        for node in ast.walk(ast.parse(test_file.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and len(node.value) >= 12:
                persian = sum("\u0600" <= ch <= "\u06ff" for ch in node.value) >= 8
                if persian and _decoded(node.value):
                    found.add(node.value)
    return tuple(sorted(found))


def persian_sentences() -> list[str]:
    """Every Persian text the tests hold (the sentences written for each rule family)."""
    return list(_sentences())


def seed_texts() -> list[str]:
    """The seed articles, whole."""
    return [p.read_text(encoding="utf-8") for p in sorted((REPO / "seeds" / "articles").glob("*.txt"))]


def _decoded(text: str) -> bool:
    """A text as decoding leaves it: lone surrogates (robustness tests) never reach cleaning."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True
