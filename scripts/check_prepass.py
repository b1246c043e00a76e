#!/usr/bin/env python3
"""Check that the batch pre-pass changes nothing, on the dev set and the ordinary-news corpus.

    .venv/bin/python scripts/check_prepass.py [--dev ../shared/eval/dev]
                                              [--corpus ../shared/corpus/ordinary-news-2020.jsonl.gz]

Cleans every text as the flow does, runs extraction with and without the pre-pass
(transforms/extraction/prepass.py) and compares every output table row by row. Prints the
articles the pre-pass passes and the time of each run; exits 1 on any difference. Used by
`make eval` (the project's tests check the same on written texts and the seeds).
"""

from __future__ import annotations

import argparse
import datetime as dt
import gzip
import json
import sys
import time
from pathlib import Path

import polars as pl

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from transforms.cleaning import clean_text  # noqa: E402
from transforms.extraction import extract_calls  # noqa: E402
from transforms.extraction.prepass import may_report_call  # noqa: E402
from transforms.reference import load_reference  # noqa: E402

SHARED = ROOT.parent / "shared"
TABLES = ("mentions", "participants", "officials", "topics", "statements", "article_meta")
SCHEMA = {"article_id": pl.Utf8, "clean_text": pl.Utf8, "title": pl.Utf8, "published_at": pl.Datetime("us", "UTC")}


def _timestamp(value: str | None):
    if not value:
        return None
    ts = dt.datetime.fromisoformat(value)
    if ts.tzinfo is None:   # the corpus gives Tehran time without an offset
        ts = ts.replace(tzinfo=dt.timezone(dt.timedelta(hours=3, minutes=30)))
    return ts.astimezone(dt.timezone.utc)


def _records(dev: Path, corpus: Path):
    for f in sorted(dev.glob("*.json")):
        d = json.loads(f.read_text(encoding="utf-8"))
        yield "dev", f.stem, d.get("text") or "", d.get("published_at")
    with gzip.open(corpus, "rt", encoding="utf-8") as handle:
        for k, line in enumerate(handle):
            d = json.loads(line)
            yield "corpus", f"corpus-{d.get('id', k)}", d.get("text") or "", d.get("published_at")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--dev", type=Path, default=SHARED / "eval" / "dev")
    ap.add_argument("--corpus", type=Path, default=SHARED / "corpus" / "ordinary-news-2020.jsonl.gz")
    args = ap.parse_args(argv)
    ref = load_reference()
    failed = 0
    rows: dict[str, list] = {"dev": [], "corpus": []}
    for which, aid, text, published in _records(args.dev, args.corpus):
        rows[which].append({"article_id": aid, "clean_text": clean_text(text), "title": None,
                            "published_at": _timestamp(published)})
    for which, recs in rows.items():
        df = pl.DataFrame(recs, schema=SCHEMA)
        passed = int(may_report_call(df["clean_text"]).sum())
        t0 = time.process_time()
        with_prepass = extract_calls(df, ref, prepass=True)
        t1 = time.process_time()
        without = extract_calls(df, ref, prepass=False)
        t2 = time.process_time()
        diff = [name for name in TABLES
                if not getattr(with_prepass, name).sort(getattr(with_prepass, name).columns).equals(
                    getattr(without, name).sort(getattr(without, name).columns))]
        failed += len(diff)
        print(f"{which:<7} articles={df.height} may_report_call={passed} calls={with_prepass.mentions.height} "
              f"cpu_with={t1 - t0:.2f}s cpu_without={t2 - t1:.2f}s "
              + ("identical" if not diff else "DIFFERENT: " + ", ".join(diff)))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
