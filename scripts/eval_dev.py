#!/usr/bin/env python3
"""Measure extraction on the annotated dev set without the flow.

    .venv/bin/python scripts/eval_dev.py [--dev ../shared/eval/dev] [--gold ../shared/eval/dev.gold.jsonl]
                                         [--seeds] [--diff] [--errors [KIND ...]] [--only FILE...]

Reads the dev records (text, published_at, url, outlet), cleans them with
transforms.cleaning.clean_text, runs transforms.extraction.extract_calls in-process,
writes the minimal warehouse tables score.py reads to a temporary DuckDB file
(call_id = article_id || '-' || call_seq) and runs score.py on it, per outlet and
overall. Each article's calls stay its own here: the figures are the extraction's,
before calls are merged across articles (``make eval`` scores the merged facts).

--diff prints, per article, the gold calls next to the predicted ones where they differ.
--errors prints every error by the scorer's own matching (a missed or extra call, a
wrong participant, country pair, date or initiator, a missed or extra topic), one line
each, then the counts per outlet; with KINDs, only those lines (e.g. --errors initiator).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import duckdb
import polars as pl

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from transforms.cleaning import clean_text  # noqa: E402
from transforms.extraction import extract_calls  # noqa: E402
from transforms.reference import load_reference  # noqa: E402

SHARED = ROOT.parent / "shared" / "eval"


def load_dev(dev: Path) -> list[dict]:
    rows = []
    for f in sorted(dev.glob("*.json")):
        d = json.loads(f.read_text(encoding="utf-8"))
        pub = d.get("published_at")
        ts = None
        if pub:
            try:
                ts = dt.datetime.fromisoformat(pub)
                if ts.tzinfo is None:
                    ts = ts.replace(tzinfo=dt.timezone(dt.timedelta(hours=3, minutes=30)))
                ts = ts.astimezone(dt.timezone.utc)
            except ValueError:
                ts = None
        rows.append({"article_id": f.name, "source_path": str(f), "raw": d.get("text") or "", "published_at": ts})
    return rows


def load_seeds() -> list[dict]:
    return [{"article_id": f.name, "source_path": str(f), "raw": f.read_text(encoding="utf-8"), "published_at": None}
            for f in sorted((ROOT / "seeds" / "articles").glob("*.txt"))]


def run(rows: list[dict]):
    ref = load_reference()
    df = pl.DataFrame(
        [{"article_id": r["article_id"], "clean_text": clean_text(r["raw"]), "title": None, "published_at": r["published_at"]} for r in rows],
        schema={"article_id": pl.Utf8, "clean_text": pl.Utf8, "title": pl.Utf8, "published_at": pl.Datetime("us", "UTC")},
    )
    return df, ref, extract_calls(df, ref)


def write_warehouse(path: str, rows, df, ref, ex) -> None:
    con = duckdb.connect(path)
    arts = pl.DataFrame({"article_id": [r["article_id"] for r in rows], "source_path": [r["source_path"] for r in rows]})
    con.register("arts", arts.to_arrow())
    con.execute("CREATE TABLE dim_article AS SELECT * FROM arts")
    m = ex.mentions.with_columns(call_id=pl.col("article_id") + "-" + pl.col("call_seq").cast(pl.Utf8))
    p = ex.participants.with_columns(call_id=pl.col("article_id") + "-" + pl.col("call_seq").cast(pl.Utf8))
    t = ex.topics.with_columns(call_id=pl.col("article_id") + "-" + pl.col("call_seq").cast(pl.Utf8))
    offs = ref.officials.select("official_id", "name_fa", pl.col("aliases").cast(pl.List(pl.Utf8)))
    extra = ex.officials.select("official_id", "name_fa", "aliases")
    offs = (pl.concat([offs, extra]).explode("aliases").group_by("official_id", maintain_order=True)
            .agg(pl.col("name_fa").first(), pl.col("aliases").drop_nulls().unique()))  # noqa: E501
    for name, frame in {"m": m, "p": p, "t": t, "o": offs}.items():
        con.register(name, frame.to_arrow())
    con.execute("CREATE TABLE call_mention AS SELECT call_id, article_id FROM m")
    con.execute("CREATE TABLE fact_call AS SELECT call_id, call_date FROM m")
    con.execute("CREATE TABLE call_participant AS SELECT call_id, official_id, country_code, is_initiator FROM p")
    con.execute("CREATE TABLE call_topic AS SELECT call_id, topic_code FROM t")
    con.execute("CREATE TABLE dim_official AS SELECT official_id, name_fa, aliases FROM o")
    con.close()


def diff(gold_path: Path, df, ref, ex, only=None) -> None:
    names = dict(zip(ref.officials["official_id"], ref.officials["name_fa"]))
    names.update(dict(zip(ex.officials["official_id"], ex.officials["name_fa"])))
    texts = dict(zip(df["article_id"], df["clean_text"]))
    for line in gold_path.read_text(encoding="utf-8").splitlines():
        g = json.loads(line)
        f = g["file"]
        if only and f not in only:
            continue
        gold = []
        for c in g.get("calls", []):
            ps = sorted(f"{p['name']}/{p.get('country')}{'*' if p['name'] == c.get('initiator') else ''}" for p in c["participants"])
            gold.append((ps, c.get("date"), sorted(c.get("topics", []))))
        pred = []
        for mrow in ex.mentions.filter(pl.col("article_id") == f).iter_rows(named=True):
            ps = ex.participants.filter((pl.col("article_id") == f) & (pl.col("call_seq") == mrow["call_seq"]))
            pp = sorted(f"{names.get(r['official_id'], r['official_id'])}/{r['country_code']}{'*' if r['is_initiator'] else ''}" for r in ps.iter_rows(named=True))
            ts = sorted(ex.topics.filter((pl.col("article_id") == f) & (pl.col("call_seq") == mrow["call_seq"]))["topic_code"].to_list())
            pred.append((pp, str(mrow["call_date"]) if mrow["call_date"] else None, ts))
        if [(a, b, c) for a, b, c in gold] != pred:
            print(f"== {f}")
            for x in gold:
                print("   gold:", x)
            for x in pred:
                print("   pred:", x)
            if only:
                print(texts[f])


def errors(path: str, gold_path: Path, kinds: list[str]) -> None:
    """The scorer's view of every error, by outlet."""
    import collections
    import importlib.util

    spec = importlib.util.spec_from_file_location("score", SHARED / "score.py")
    S = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(S)
    con = duckdb.connect(path, read_only=True)
    by_file, _seen = S.load_predictions(con)
    per_outlet: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)

    def pred(pp):
        return f"{pp[0]}/{pp[2]}{'*' if pp[3] else ''}"

    def gold_p(gp, gc):
        return f"{gp['name']}/{gp.get('country')}{'*' if gc.get('initiator') == gp['name'] else ''}"

    for line in gold_path.read_text(encoding="utf-8").splitlines():
        g = json.loads(line)
        f = g["file"]
        preds = by_file.get(f, [])
        gcs = g.get("calls", []) if g.get("is_call") else []
        errs = []
        if gcs and not preds:
            errs.append(("missed_article", ""))
        if preds and not gcs:
            errs.append(("extra_article", " | ".join(",".join(map(pred, p["participants"])) for p in preds)))
        used = set()
        for gc in gcs:
            cand = [(S.pair_score(gc, pc), i) for i, pc in enumerate(preds) if i not in used]
            if not cand:
                if preds:
                    errs.append(("missed_call", ",".join(gold_p(p, gc) for p in gc["participants"])))
                continue
            _, best = max(cand, key=lambda x: (x[0], -x[1]))
            used.add(best)
            pc = preds[best]
            miss = [gp for gp in gc["participants"] if not any(S.person_matches(gp, pp) for pp in pc["participants"])]
            extra = [pp for pp in pc["participants"] if not any(S.person_matches(gp, pp) for gp in gc["participants"])]
            if miss or extra:
                errs.append(("participants", "missing " + ",".join(gold_p(p, gc) for p in miss) + " extra " + ",".join(map(pred, extra))))
            if sorted(p.get("country") or "" for p in gc["participants"]) != sorted(p[2] or "" for p in pc["participants"]):
                errs.append(("country", ""))
            if gc.get("date") and (pc["date"] or "")[:10] != gc["date"]:
                errs.append(("date", f"gold {gc['date']} predicted {pc['date']}"))
            if gc.get("initiator"):
                inits = [pp for pp in pc["participants"] if pp[3]]
                gi = next((gp for gp in gc["participants"] if S.norm_name(gp["name"]) == S.norm_name(gc["initiator"])), None)
                if not (gi and len(inits) == 1 and S.person_matches(gi, inits[0])):
                    errs.append(("initiator", f"gold {gc['initiator']} predicted {[pred(p) for p in inits]}"))
            gt, pt = set(gc.get("topics", [])), pc["topics"]
            if gt - pt:
                errs.append(("topic_missed", ",".join(sorted(gt - pt))))
            if pt - gt:
                errs.append(("topic_extra", ",".join(sorted(pt - gt))))
        for i, pc in enumerate(preds):
            if i not in used and gcs:
                errs.append(("extra_call", ",".join(map(pred, pc["participants"]))))
        outlet = f.rsplit("_", 1)[0]
        for kind, detail in errs:
            per_outlet[outlet][kind] += 1
            if not kinds or kind in kinds:
                print(f"{f:28s} {kind:14s} {detail}")
    for outlet, counts in sorted(per_outlet.items()):
        print(f"{outlet:22s}", dict(sorted(counts.items())))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--dev", default=str(SHARED / "dev"))
    ap.add_argument("--gold", default=str(SHARED / "dev.gold.jsonl"))
    ap.add_argument("--seeds", action="store_true", help="score the two seed articles instead")
    ap.add_argument("--diff", action="store_true")
    ap.add_argument("--errors", nargs="*", metavar="KIND", help="every error by the scorer's matching, by outlet")
    ap.add_argument("--only", nargs="*")
    ap.add_argument("--keep", help="write the warehouse here instead of a temporary file")
    a = ap.parse_args()
    if a.seeds:
        rows, gold = load_seeds(), SHARED / "seeds.gold.jsonl"
    else:
        rows, gold = load_dev(Path(a.dev)), Path(a.gold)
    if a.only:
        rows = [r for r in rows if r["article_id"] in set(a.only)]
    df, ref, ex = run(rows)
    with tempfile.TemporaryDirectory() as tmp:
        path = a.keep or os.path.join(tmp, "eval.duckdb")
        if os.path.exists(path):
            os.remove(path)
        write_warehouse(path, rows, df, ref, ex)
        if a.diff:
            diff(gold, df, ref, ex, a.only)
        if a.errors is not None:
            errors(path, gold, a.errors)
        if not a.only:
            subprocess.run([sys.executable, str(SHARED / "score.py"), "--warehouse", path, "--gold", str(gold),
                            "--by-source"], check=False)


if __name__ == "__main__":
    main()
