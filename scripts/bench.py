"""End-to-end benchmark of ``tamas ingest`` (issue 7): ``make bench N=100000``.

    python scripts/bench.py --n 2000 [--out data/bench] [--profile] [--keep]

1. Builds (once per N; reused when present) a corpus of N distinct articles in
   ``data/bench/corpus-N/`` from real ones: the seed articles and the dev set
   (``../shared/eval/dev/*.json``, field ``text``) when present. Each generated article
   takes a base article's paragraphs (sometimes one paragraph of another article is
   spliced in), substitutes the officials and countries it names with others from
   ``seeds/reference/officials.csv`` / ``countries.csv``, changes the dates it writes
   (Persian-digit day/year, published_at) and keeps the base's dirt (emoji, Arabic
   letters, missing ZWNJ, Telegram tails). Dev-derived articles are written as ``.json``
   like the dev set, seed-derived ones as ``.txt``; 1,000 files per subfolder.
2. Runs, each as its own process (``tamas ingest`` from the venv, Prefect start
   included), polling the process tree with psutil every 0.1 s:
   - a cold ingest into a fresh warehouse;
   - a re-run with no changes (nothing is read: path, size and mtime match).
   Peak RSS is reported for the ingest process itself and for its whole tree (the
   process-pool workers and Prefect's temporary server included), summed per sample.
3. The baseline: hazm's ``Normalizer().normalize`` alone over the same texts, on one
   core, in this process (Normalizer built before the clock starts).
4. With ``--profile``: a third cold ingest under ``py-spy record --subprocesses`` and a
   summary of where the samples fall (by stage and by function, self time).

Targets (issue 7, 2-core machine): cold 100k ≤ 1.0 × baseline; re-run ≤ 15 s; peak RSS
≤ 1.5 GB. They are printed, never asserted.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import os
import random
import re
import shutil
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent
DEV_DIR = ROOT.parent / "shared" / "eval" / "dev"
SEED_DIR = ROOT / "seeds" / "articles"
REF_DIR = ROOT / "seeds" / "reference"
PER_FOLDER = 1000

FA_DIGITS = "۰۱۲۳۴۵۶۷۸۹"
JALALI_MONTHS = ["فروردین", "اردیبهشت", "خرداد", "تیر", "مرداد", "شهریور", "مهر", "آبان", "آذر", "دی", "بهمن", "اسفند"]


def fa(n: int, width: int = 0) -> str:
    return str(n).zfill(width).translate(str.maketrans("0123456789", FA_DIGITS))


# ---------------------------------------------------------------- corpus


def _read_csv(name: str) -> list[dict]:
    with open(REF_DIR / name, encoding="utf-8") as handle:
        return list(csv.DictReader(line for line in handle if not line.startswith("#")))


def load_bases() -> list[dict]:
    bases = []
    if DEV_DIR.is_dir():
        for path in sorted(DEV_DIR.glob("*.json")):
            record = json.loads(path.read_text(encoding="utf-8"))
            if record.get("text"):
                bases.append({"kind": "json", "text": record["text"], "meta": {k: v for k, v in record.items() if k != "text"}})
    for path in sorted(SEED_DIR.glob("*.txt")):
        bases.append({"kind": "txt", "text": path.read_text(encoding="utf-8"), "meta": {}})
    return bases


class Generator:
    """Recombines base articles and substitutes names, countries and dates."""

    def __init__(self, bases: list[dict], seed: int = 7):
        self.rng = random.Random(seed)
        self.bases = bases
        officials = _read_csv("officials.csv")
        # Countries that have officials in the gazetteer: no Bouvet Island summits.
        active = {o["country_code"] for o in officials}
        countries = [c for c in _read_csv("countries.csv") if c["kind"] == "country" and c["country_code"] in active]
        self.official_names = [o["name_fa"] for o in officials if o["name_fa"]]
        self.country_names = [c["name_fa"] for c in countries if c["name_fa"]]
        surfaces = {}
        for o in officials:
            for form in [o["name_fa"], *o["aliases"].split("|")]:
                if len(form) >= 5 and not form.isascii():
                    surfaces[form] = "official"
        for c in countries:
            for form in [c["name_fa"], *c["forms"].split("|")]:
                if len(form) >= 4:
                    surfaces.setdefault(form, "country")
        pattern = "|".join(re.escape(s) for s in sorted(surfaces, key=len, reverse=True))
        finder = re.compile(rf"(?<![\w\u200c])(?:{pattern})(?![\w\u200c])")
        date_re = re.compile(rf"(?<![\d{FA_DIGITS}])([{FA_DIGITS}]{{1,2}}) ({'|'.join(JALALI_MONTHS)})(?: ([{FA_DIGITS}]{{4}}))?")
        # Spans are found once per base article; each generated article only splices.
        for base in bases:
            paragraphs = [p for p in re.split(r"\n\s*\n|\n(?=\S)", base["text"])]
            base["paragraphs"] = [
                (p, [(m.start(), m.end(), surfaces[m.group(0)]) for m in finder.finditer(p)], list(date_re.finditer(p)))
                for p in paragraphs
            ]
            base["sep"] = "\n\n" if "\n\n" in base["text"] else "\n"

    def _substitute(self, paragraph: str, spans, dates, mapping: dict) -> str:
        edits = [(s, e, mapping.setdefault(paragraph[s:e], self.rng.choice(self.official_names if kind == "official" else self.country_names)))
                 for s, e, kind in spans]
        for m in dates:
            day = fa(self.rng.randint(1, 29))
            text = f"{day} {self.rng.choice(JALALI_MONTHS)}" + (f" {fa(self.rng.randint(1395, 1405))}" if m.group(3) else "")
            edits.append((m.start(), m.end(), text))
        edits.sort()
        out, last = [], 0
        for s, e, text in edits:
            if s < last:
                continue
            out.append(paragraph[last:s])
            out.append(text)
            last = e
        out.append(paragraph[last:])
        return "".join(out)

    def article(self, i: int) -> tuple[str, str]:
        """(suffix, file content) of generated article ``i``."""
        rng = self.rng
        base = self.bases[i % len(self.bases)] if i < len(self.bases) else rng.choice(self.bases)
        paragraphs = list(base["paragraphs"])
        if len(paragraphs) > 2 and rng.random() < 0.5:
            other = rng.choice(self.bases)["paragraphs"]
            if len(other) > 1:
                paragraphs.insert(rng.randint(1, len(paragraphs) - 1), rng.choice(other[1:]))
        if len(paragraphs) > 4 and rng.random() < 0.3:
            del paragraphs[rng.randint(2, len(paragraphs) - 1)]
        mapping: dict = {}
        text = base["sep"].join(self._substitute(p, spans, dates, mapping) for p, spans, dates in paragraphs)
        if rng.random() < 0.15:  # some outlets type Arabic letters
            text = text.replace("ی", "ي").replace("ک", "ك")
        year, month, day = rng.randint(2018, 2026), rng.randint(1, 12), rng.randint(1, 28)
        hour, minute = rng.randint(0, 23), rng.randint(0, 59)
        published = f"{year}-{month:02d}-{day:02d}T{hour:02d}:{minute:02d}:00+03:30"
        if base["kind"] == "json":
            record = dict(base["meta"], text=text, published_at=published)
            if record.get("url"):
                record["url"] = re.sub(r"/\d+$", f"/{900000 + i}", record["url"])
            return ".json", json.dumps(record, ensure_ascii=False)
        # Seed articles carry no date: a dateline gives the extractor one.
        dateline = f"تهران - {fa(day)} {JALALI_MONTHS[month - 1]} {fa(1396 + year - 2018)} - "
        return ".txt", dateline + text.lstrip()


def build_corpus(n: int, out: Path) -> Path:
    corpus = out / f"corpus-{n}"
    done = corpus / ".complete"
    if done.exists():
        return corpus
    if corpus.exists():
        shutil.rmtree(corpus)
    bases = load_bases()
    if not bases:
        raise SystemExit("no base articles (seeds/articles, ../shared/eval/dev)")
    gen = Generator(bases)
    seen: set[bytes] = set()
    t0 = time.perf_counter()
    i = written = 0
    while written < n:
        suffix, content = gen.article(i)
        i += 1
        # Distinct after the normalization that article ids use (letters, spaces), not
        # just as bytes: short posts naming no one would otherwise repeat.
        body = json.loads(content)["text"] if suffix == ".json" else content
        key = " ".join(body.replace("ي", "ی").replace("ك", "ک").replace("\u200c", " ").split())
        digest = hashlib.blake2b(key.encode("utf-8"), digest_size=16).digest()
        if digest in seen:
            continue
        seen.add(digest)
        folder = corpus / f"{written // PER_FOLDER:04d}"
        if written % PER_FOLDER == 0:
            folder.mkdir(parents=True, exist_ok=True)
        (folder / f"a{written:07d}{suffix}").write_text(content, encoding="utf-8")
        written += 1
    done.write_text(f"{n} articles from {len(bases)} bases ({i - n} collisions redrawn)\n")
    print(f"corpus: built {n} articles from {len(bases)} base articles in {time.perf_counter() - t0:.1f} s ({i - n} duplicates redrawn)")
    return corpus


def corpus_texts(corpus: Path):
    for path in sorted(corpus.rglob("a*.*")):
        raw = path.read_text(encoding="utf-8")
        yield json.loads(raw)["text"] if path.suffix == ".json" else raw


# ---------------------------------------------------------------- measuring


def run_measured(cmd: list[str], env: dict) -> dict:
    import psutil

    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    root = psutil.Process(proc.pid)
    peak_main = peak_tree = 0
    peak_procs = 1
    while proc.poll() is None:
        try:
            main = root.memory_info().rss
            children = root.children(recursive=True)
        except psutil.Error:
            break
        tree = main
        for child in children:
            try:
                tree += child.memory_info().rss
            except psutil.Error:
                pass
        peak_main, peak_tree = max(peak_main, main), max(peak_tree, tree)
        peak_procs = max(peak_procs, 1 + len(children))
        time.sleep(0.1)
    out, err = proc.communicate()
    wall = time.perf_counter() - t0
    if proc.returncode != 0:
        print(out, err, sep="\n", file=sys.stderr)
        raise SystemExit(f"{' '.join(cmd)} exited with {proc.returncode}")
    return {"wall": wall, "rss_main": peak_main, "rss_tree": peak_tree, "procs": peak_procs, "stdout": out}


def baseline(corpus: Path) -> tuple[float, int]:
    from hazm import Normalizer

    normalizer = Normalizer()
    normalizer.normalize("گرم کردن رئیسجمهور")
    total = count = 0
    for text in corpus_texts(corpus):  # reading is outside the clock
        t0 = time.perf_counter()
        normalizer.normalize(text)
        total += time.perf_counter() - t0
        count += 1
    return total, count


def profile(corpus: Path, out: Path, env: dict) -> None:
    py_spy = VENV_BIN / "py-spy"
    warehouse = out / "profile.duckdb"
    _fresh(warehouse)
    raw = out / f"profile-{corpus.name}.txt"
    cmd = [str(py_spy), "record", "--subprocesses", "--rate", "50", "--format", "raw", "--output", str(raw), "--",
           str(VENV_BIN / "tamas"), "ingest", str(corpus), "--warehouse", str(warehouse)]
    result = subprocess.run(cmd, env=env, capture_output=True, text=True)
    if result.returncode != 0 or not raw.exists():
        print(f"profile: py-spy failed ({result.returncode}): {result.stderr.strip()[-400:]}")
        return
    summarize_profile(raw)


STAGES = [  # first match, searched from the leaf up
    ("extract", "transforms/extraction/"),
    ("clean", "transforms/cleaning.py"),
    ("clean", "hazm/"),
    ("parse/decode", "transforms/parsing.py"),
    ("read/discover", "flows/files.py"),
    ("load (duckdb)", "warehouse/"),
    ("consolidate", "transforms/calls.py"),
    ("flow orchestration", "flows/ingest.py"),
    ("prefect", "prefect/"),
]


def summarize_profile(raw: Path) -> None:
    by_stage, by_func, by_proc = Counter(), Counter(), Counter()
    total = 0
    for line in raw.read_text(encoding="utf-8", errors="replace").splitlines():
        stack, _, count = line.rpartition(" ")
        if not count.isdigit():
            continue
        n = int(count)
        frames = stack.split(";")
        total += n
        proc = frames[0]
        by_proc["pool worker" if "multiprocessing" in stack or "concurrent/futures/process" in stack else
                "prefect server" if "uvicorn" in stack or "prefect/server" in stack else proc[:40]] += n
        stage = "other"
        for frame in reversed(frames):
            hit = next((name for name, marker in STAGES if marker in frame), None)
            if hit:
                stage = hit
                break
        by_stage[stage] += n
        leaf = frames[-1]
        by_func[re.sub(r"\s*\(/.*?/(site-packages|main)/", " (", leaf)] += n
    if not total:
        print("profile: no samples")
        return
    print(f"profile ({raw}): {total} samples, 50/s, all processes; by stage (inclusive, innermost Tamas stage):")
    for name, n in by_stage.most_common():
        print(f"  {100 * n / total:5.1f}%  {name}")
    print("  by process:", ", ".join(f"{name} {100 * n / total:.0f}%" for name, n in by_proc.most_common(4)))
    print("  top functions (self time):")
    for name, n in by_func.most_common(15):
        print(f"  {100 * n / total:5.1f}%  {name[:150]}")


def _fresh(warehouse: Path) -> None:
    for suffix in ("", ".wal", ".next", ".next.wal", ".lock"):
        Path(str(warehouse) + suffix).unlink(missing_ok=True)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--n", type=int, default=2000, help="articles in the corpus (default 2000)")
    ap.add_argument("--out", type=Path, default=ROOT / "data" / "bench")
    ap.add_argument("--profile", action="store_true", help="also profile a cold ingest with py-spy")
    ap.add_argument("--workers", type=int, default=None, help="passed to tamas ingest --workers")
    ap.add_argument("--no-baseline", action="store_true")
    args = ap.parse_args(argv)

    args.out.mkdir(parents=True, exist_ok=True)
    corpus = build_corpus(args.n, args.out)
    files = [p for p in corpus.rglob("a*.*")]
    size = sum(p.stat().st_size for p in files)
    mb = size / 1e6
    warehouse = args.out / f"bench-{args.n}.duckdb"
    _fresh(warehouse)
    env = dict(os.environ, TAMAS_DATA=str(args.out / "tamas-data"))
    cmd = [str(VENV_BIN / "tamas"), "ingest", str(corpus), "--warehouse", str(warehouse)]
    if args.workers:
        cmd += ["--workers", str(args.workers)]

    print(f"corpus: {corpus} — {len(files)} files, {mb:.1f} MB; machine: {os.cpu_count()} cores")
    cold = run_measured(cmd, env)
    rerun = run_measured(cmd, env)
    base_s, base_n = (0.0, 0) if args.no_baseline else baseline(corpus)

    def row(name: str, r: dict) -> str:
        return (f"{name:<22} files {len(files):>7}  {mb:7.1f} MB  wall {r['wall']:8.1f} s  "
                f"{len(files) / r['wall']:8.1f} articles/s  {mb / r['wall']:6.2f} MB/s  "
                f"peak RSS {r['rss_main'] / 2**20:6.0f} MB (tree {r['rss_tree'] / 2**20:6.0f} MB, {r['procs']} procs)")

    print(row("cold ingest", cold))
    for line in cold["stdout"].strip().splitlines():
        print(f"    {line}")
    print(row("re-run, no changes", rerun))
    for line in rerun["stdout"].strip().splitlines()[1:2]:
        print(f"    {line}")
    if base_n:
        print(f"{'baseline hazm 1 core':<22} texts {base_n:>7}  {mb:7.1f} MB  time {base_s:8.1f} s  "
              f"{base_n / base_s:8.1f} articles/s  {mb / base_s:6.2f} MB/s")
        ratio = cold["wall"] / base_s
        print(f"ratio Tamas cold / baseline (time): {ratio:.2f}  (target ≤ 1.0: {'OK' if ratio <= 1.0 else 'MISSED'})")
    print(f"re-run {rerun['wall']:.1f} s (target ≤ 15 s: {'OK' if rerun['wall'] <= 15 else 'MISSED'}); "
          f"peak RSS tree {max(cold['rss_tree'], rerun['rss_tree']) / 2**30:.2f} GB "
          f"(target ≤ 1.5 GB: {'OK' if max(cold['rss_tree'], rerun['rss_tree']) <= 1.5 * 2**30 else 'MISSED'})")
    if args.profile:
        profile(corpus, args.out, env)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
