#!/usr/bin/env python3
"""Extraction's cost in CPU instructions, for comparing versions of the code.

    .venv/bin/python scripts/count_extraction_instructions.py ARTICLES [--n 1000]
                     [--code DIR [--code DIR ...]]

On a 2-core machine whose speed drifts, CPU seconds spread too much to show a change of a
few per cent (docs/scaling.md, seventeenth session). Instructions spread less: under
``valgrind --tool=callgrind``, with a fixed hash seed, the same code's count falls on one
of two levels 0.36 % apart, for a reason not found (docs/scaling.md, eighteenth session):
trust a difference of 0.5 % or more.

Cleans the first ``--n`` articles found under ARTICLES as the flow does (read, parse,
clean). Then, for each ``--code`` checkout (default: this one), it runs ``extract_calls``
over them under callgrind twice: with the N articles and with none. The difference is
extraction's own count, without Python's start-up and the reference's build. The runs go
side by side, one per core. Two minutes a run for 1,000 call articles. Needs
valgrind, which the tests never do.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# Run by the checkout's own code (PYTHONPATH), with this venv's packages.
_CHILD = """
import gc, sys
import polars as pl
from flows.batch import prepare_transforms
from transforms.extraction import extract_calls
from transforms.reference import load_reference
prepare_transforms()
articles = pl.read_parquet(sys.argv[1]).head(int(sys.argv[2]))
gc.disable()
if articles.height:
    extract_calls(articles, load_reference())
"""


def clean_input(articles: Path, n: int, out: Path) -> int:
    """The first ``n`` articles under ``articles``, cleaned, to ``out`` (parquet); their number."""
    sys.path.insert(0, str(ROOT))
    from flows.files import discover_files, read_files, split_records
    from transforms.cleaning import clean_articles
    from transforms.parsing import parse_files

    files = discover_files([articles]).sort("source_path")
    files = files.filter(files["skip_reason"].is_null())
    parsed = parse_files(read_files(split_records(files.head(n)))).articles.unique("article_id", keep="first", maintain_order=True)
    cleaned = clean_articles(parsed.head(n)).select("article_id", "clean_text", "title", "published_at")
    cleaned.write_parquet(out)
    return cleaned.height


def instructions(code: Path, data: Path, n: int) -> int:
    """Instructions of the child script under callgrind, over the first ``n`` rows."""
    with tempfile.TemporaryDirectory() as tmp:
        # a fixed hash seed: set and dict orders, and so the work, the same in every run
        env = dict(os.environ, PYTHONPATH=str(code), POLARS_MAX_THREADS="1", PYTHONHASHSEED="0")
        # run in the checkout: ``python -c`` puts its working directory before PYTHONPATH,
        # so run elsewhere it measured the code of wherever it was started
        result = subprocess.run(
            ["valgrind", "--tool=callgrind", f"--callgrind-out-file={tmp}/callgrind.out",
             sys.executable, "-c", _CHILD, str(data), str(n)],
            env=env, cwd=code, capture_output=True, text=True,
        )
    found = re.search(r"I\s+refs:\s+([\d,]+)", result.stderr)
    if result.returncode or not found:
        raise SystemExit(f"callgrind failed for {code} (exit {result.returncode}): {result.stderr.strip()[-600:]}")
    return int(found.group(1).replace(",", ""))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("articles", type=Path, help="a folder (or file) of articles")
    ap.add_argument("--n", type=int, default=1000, help="how many articles (default 1000)")
    ap.add_argument("--code", type=Path, action="append", help="a checkout of the project (default: this one)")
    args = ap.parse_args(argv)
    codes = [c.resolve() for c in (args.code or [ROOT])]
    if subprocess.run(["valgrind", "--version"], capture_output=True).returncode:
        raise SystemExit("valgrind is not installed")
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "articles.parquet"
        n = clean_input(args.articles, args.n, data)
        print(f"{n} articles from {args.articles}; callgrind, {len(codes) * 2} runs", flush=True)
        runs = [(code, count) for code in codes for count in (n, 0)]
        with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
            counts = list(pool.map(lambda run: instructions(run[0], data, run[1]), runs))
    first = None
    for i, code in enumerate(codes):
        total, start = counts[2 * i], counts[2 * i + 1]
        own = total - start
        first = first or own
        print(f"{code}: extraction {own / 1e6:,.1f} M instructions ({own / max(n, 1) / 1e6:.3f} M per article, "
              f"{100 * (own / first - 1):+.2f} % against the first); start-up {start / 1e9:.2f} G")
    return 0


if __name__ == "__main__":
    sys.exit(main())
