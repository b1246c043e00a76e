"""core/script.py (issue 16): the Persian script's letter and digit tables are written
there only; every other module builds its translations from them."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from core import script

REPO = Path(__file__).resolve().parents[1]
# tests/ keeps its own tables on purpose: an oracle written apart from the code it checks
SCANNED = ("app", "flows", "transforms", "warehouse", "scripts")
ARABIC_SCRIPT = re.compile("[\u0600-\u06ff\u0750-\u077f\ufb50-\ufdff\ufe70-\ufeff]")
DIGIT_RUNS = (script.PERSIAN_DIGITS[:4], script.ARABIC_INDIC_DIGITS[:4])


def _strings(node: ast.AST) -> list[str]:
    return [n.value for n in ast.walk(node) if isinstance(n, ast.Constant) and isinstance(n.value, str)]


def script_tables(source: str) -> list[tuple[int, str]]:
    """(line, what) of every letter or digit table written in the source: a
    ``maketrans`` given Arabic-script characters, a dict keyed by Arabic-script
    characters, a string holding a run of Persian or Arabic-Indic digits."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call) and getattr(node.func, "attr", getattr(node.func, "id", "")) == "maketrans":
            if any(ARABIC_SCRIPT.search(s) for arg in node.args for s in _strings(arg)):
                found.append((node.lineno, "maketrans of Arabic-script characters"))
        elif isinstance(node, ast.Dict):
            keys = [k.value for k in node.keys if isinstance(k, ast.Constant) and isinstance(k.value, str)]
            if sum(len(k) == 1 and bool(ARABIC_SCRIPT.match(k)) for k in keys) >= 2:
                found.append((node.lineno, "dict keyed by Arabic-script characters"))
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            if any(run in node.value for run in DIGIT_RUNS):
                found.append((node.lineno, "run of Persian or Arabic-Indic digits"))
    return found


def test_no_script_table_is_written_outside_core():
    problems = [
        f"{path.relative_to(REPO)}:{line}: {what}"
        for pkg in SCANNED
        for path in sorted((REPO / pkg).rglob("*.py"))
        for line, what in script_tables(path.read_text(encoding="utf-8"))
    ]
    assert problems == [], "build it from core/script.py instead:\n" + "\n".join(problems)


@pytest.mark.parametrize(
    "source",
    [
        '_T = str.maketrans({"ي": "ی", "ك": "ک"})',
        '_D = str.maketrans("۰۱۲۳۴۵۶۷۸۹", "0123456789")',
        '_M = {"ي": "ی", "ى": "ی"}',
        'for i, d in enumerate("٠١٢٣٤٥٦٧٨٩"):\n    pass',
    ],
)
def test_a_table_written_by_hand_is_caught(source):
    assert script_tables(source)


def test_built_from_core_is_not_caught():
    source = (
        "from core.script import ARABIC_FORMS, TO_ASCII_DIGITS, ZWNJ\n"
        '_Q = str.maketrans({**ARABIC_FORMS, ZWNJ: " "})\n_D = str.maketrans({**TO_ASCII_DIGITS, "/": "-"})\n'
        'TITLE = "پیدا نشد (۴۰۴)"\n'
    )
    assert script_tables(source) == []


def test_the_tables_agree():
    assert "".join(sorted(script.TO_ASCII_DIGITS.values())) == "".join(sorted(script.ASCII_DIGITS * 2))
    assert "۱۴۰۳".translate(str.maketrans(script.TO_ASCII_DIGITS)) == "1403"
    assert "1403".translate(str.maketrans(script.TO_PERSIAN_DIGITS)) == "۱۴۰۳"
    assert set(script.ARABIC_FORMS.items()) <= set(script.LETTER_FOLDS.items())
    assert not set(script.REGIONAL_FORMS) & set(script.LETTER_FOLDS)
    folded = set(script.LETTER_FOLDS.values()) | set(script.REGIONAL_FORMS.values())
    assert folded <= script.LETTER_SET  # a fold gives a Persian letter
    assert not set(script.HARAKAT) & script.LETTER_SET
    assert not set(script.QURANIC_MARKS) & set(script.HARAKAT)
