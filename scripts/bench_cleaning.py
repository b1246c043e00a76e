"""Throughput of the cleaning stage (issue 3): ``clean_articles`` on N worker processes
(batches through concurrent.futures.ProcessPoolExecutor) vs hazm's Normalizer alone on
one core, same texts, same run.

    python scripts/bench_cleaning.py [--dir DIR ...] [--n 5000] [--workers 2] [--batch 250]

Texts: the dev set (.json field ``text``) and the seed articles when present,
replicated to about N texts. Prints articles/s for both and the ratio (target >= 1.5).
Start-up (importing hazm, building the Normalizer and lexicons) is excluded on both
sides: the pool's workers are warmed before the clock starts.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

DEFAULT_DIRS = [ROOT.parent / "shared" / "eval" / "dev", ROOT / "seeds" / "articles"]


def _warm(_: int) -> int:
    from transforms.cleaning import clean_text

    clean_text("گرم کردن رئیسجمهور")
    return os.getpid()


def _clean_batch(texts: list[str]) -> int:
    import polars as pl

    from transforms.cleaning import clean_articles

    out = clean_articles(pl.DataFrame({"raw_text": texts}))
    return out.height


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--dir", type=Path, action="append", help="text directory (repeatable)")
    ap.add_argument("--n", type=int, default=5000, help="about how many texts")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--batch", type=int, default=250)
    args = ap.parse_args(argv)

    from textstats import load_texts

    base: list[str] = []
    for d in args.dir or DEFAULT_DIRS:
        if d.is_dir():
            base += load_texts(d)
    if not base:
        print("no texts found", file=sys.stderr)
        return 1
    reps = max(1, round(args.n / len(base)))
    texts = base * reps
    chars = sum(map(len, texts))
    print(f"texts: {len(texts)} ({len(base)} distinct x {reps}), {chars / 1e6:.1f} M chars")

    # (a) hazm Normalizer alone, one core
    from hazm import Normalizer

    normalizer = Normalizer()
    normalizer.normalize(base[0])
    t0 = time.perf_counter()
    for t in texts:
        normalizer.normalize(t)
    ta = time.perf_counter() - t0
    rate_a = len(texts) / ta

    # (b) clean_articles, batches on a process pool
    batches = [texts[i : i + args.batch] for i in range(0, len(texts), args.batch)]
    with ProcessPoolExecutor(max_workers=args.workers) as pool:
        pids = set(pool.map(_warm, range(args.workers * 4)))
        t0 = time.perf_counter()
        done = sum(pool.map(_clean_batch, batches))
        tb = time.perf_counter() - t0
    assert done == len(texts)
    rate_b = len(texts) / tb

    # (c) for information: clean_text on one core, same texts
    from transforms.cleaning import clean_text

    clean_text(base[0])
    sample = texts[: max(1, len(texts) // 5)]
    t0 = time.perf_counter()
    for t in sample:
        clean_text(t)
    rate_c = len(sample) / (time.perf_counter() - t0)

    print(f"(a) hazm Normalizer, 1 core            : {rate_a:8.1f} articles/s ({ta:.1f} s)")
    print(f"(b) clean_articles, {args.workers} processes ({len(pids)} warm): {rate_b:8.1f} articles/s ({tb:.1f} s)")
    print(f"    clean_text, 1 core (1/5 sample)    : {rate_c:8.1f} articles/s  (per-core ratio {rate_c / rate_a:.2f})")
    ratio = rate_b / rate_a
    print(f"ratio (b)/(a): {ratio:.2f}   target >= 1.5: {'OK' if ratio >= 1.5 else 'FAIL'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
