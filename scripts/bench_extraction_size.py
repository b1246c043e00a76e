#!/usr/bin/env python3
"""Extraction time against article length: is it linear?

    .venv/bin/python scripts/bench_extraction_size.py [--sizes 50,100,200,400,1000] [--seed 7]

Builds one article per size (KB of UTF-8 text) from the seed articles' paragraphs
interleaved with generated call reports between officials of the gazetteer (a few
hundred distinct calls, so the calls × officials work of a long call-dense article
shows), cleans it, and times ``extract_one`` on it (process CPU time, best of ``--runs``, the
same for every size: more runs would favour a short article, whose working set stays in
the CPU's caches from one run to the next).
Prints, for the whole text, seconds, ms per KB and the ratio to the smallest size: linear
work keeps ms per KB flat (issue 18: the 1 MB article within 20 × the 50 KB one). Then
the same time and ratio as the pipeline runs it, which reads at most MAX_EXTRACT_CHARS
characters of an article (``capped``, ``cap ×``). For scale, ``split ×`` is
the same ratio for ``str.split()`` over the same texts: C code that is linear in the text,
whose ratio shows what the memory system adds to any work on the longer text.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from transforms.cleaning import clean_text  # noqa: E402
from core.collector import collector_paused  # noqa: E402
from transforms.extraction import MAX_EXTRACT_CHARS, extract_one  # noqa: E402
from transforms.reference import load_reference  # noqa: E402

VERBS = ["در تماس تلفنی با {b} درباره {t} گفت‌وگو کرد.", "با {b} تماس تلفنی برقرار کرد و درباره {t} رایزنی کرد.",
         "طی تماسی با {b} بر اهمیت {t} تاکید کرد.", "و {b} امروز تلفنی درباره {t} گفت‌وگو کردند."]
TOPICS = ["همکاری‌های اقتصادی", "آتش‌بس در منطقه", "برنامه هسته‌ای", "حمل و نقل و ترانزیت", "سفر به پایتخت"]


def officials() -> list[str]:
    with open(ROOT / "seeds" / "reference" / "officials.csv", encoding="utf-8") as fh:
        return [r["name_fa"] for r in csv.DictReader(line for line in fh if not line.startswith("#"))]


def article(kb: int, rng: random.Random) -> str:
    paragraphs = [p for f in sorted((ROOT / "seeds" / "articles").glob("*.txt"))
                  for p in f.read_text(encoding="utf-8").split("\n") if len(p) > 80]
    names = officials()
    out, size = [], 0
    while size < kb * 1024:
        a, b = rng.sample(names, 2)
        line = f"{a} " + rng.choice(VERBS).format(b=b, t=rng.choice(TOPICS))
        para = rng.choice(paragraphs)
        out += [line, para]
        size += len(line.encode()) + len(para.encode()) + 2
    return clean_text("\n".join(out))


def _best_of(runs: int, fn) -> float:
    times = []
    for _ in range(runs):
        t0 = time.process_time()
        fn()
        times.append(time.process_time() - t0)
    return min(times)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="50,100,200,400,1000")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--runs", type=int, default=5, help="best of this many runs, every size alike")
    a = ap.parse_args()
    ref = load_reference()
    extract_one("warm-up", "عراقچی در تماس تلفنی با لاوروف گفت‌وگو کرد.", None, None, ref)
    published = dt.datetime(2024, 5, 1, 10, 0, tzinfo=dt.timezone.utc)
    first = first_split = first_capped = None
    print(f"whole text, and as the pipeline reads it (at most {MAX_EXTRACT_CHARS:,} characters)")
    print(f"{'KB':>6} {'chars':>8} {'seconds':>9} {'ms/KB':>7} {'ratio':>7} {'calls':>6} {'split ×':>8}"
          f" {'capped':>8} {'cap ×':>6}")
    for kb in (int(x) for x in a.sizes.split(",")):
        text = article(kb, random.Random(a.seed))

        def extract(max_chars):
            with collector_paused():  # as the pipeline extracts (flows/batch.py)
                return extract_one(f"size-{kb}", text, None, published, ref, max_chars=max_chars)

        best = _best_of(a.runs, lambda: extract(None))
        calls = len(extract(None)["mentions"])
        capped = _best_of(a.runs, lambda: extract(MAX_EXTRACT_CHARS))
        split = _best_of(a.runs, text.split)
        first, first_split, first_capped = first or best, first_split or split, first_capped or capped
        print(f"{kb:6d} {len(text):8d} {best:9.2f} {1000 * best / kb:7.1f} {best / first:7.1f} {calls:6d}"
              f" {split / first_split:8.1f} {capped:8.2f} {capped / first_capped:6.1f}")


if __name__ == "__main__":
    main()
