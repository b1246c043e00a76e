"""End-to-end benchmark of ``tamas ingest`` (issues 7 and 17): ``make bench N=100000``.

    python scripts/bench.py --n 2000 [--mix stream,calls] [--out data/bench] [--profile]

For each mix (both by default):

1. Builds (once per mix and N; reused when present) a corpus of N distinct articles in
   ``data/bench/<mix>-N/``, 1,000 files per subfolder:
   - ``calls``: call reports generated from real ones, the seed articles and the dev set
     (``../shared/eval/dev/*.json``) when present. Each takes a base article's
     paragraphs (sometimes one paragraph of another spliced in), substitutes the
     officials and countries it names with others from ``seeds/reference/``, changes
     the dates it writes and keeps the base's dirt (emoji, Arabic letters, missing
     ZWNJ, Telegram tails). Dev-derived articles are ``.json``, seed-derived ``.txt``.
   - ``stream``: a realistic news stream: 95 % ordinary news recombined sentence by
     sentence from ``../shared/corpus/ordinary-news-2020.jsonl.gz`` (its README: real
     articles with no call word; their texts stay under data/, never in the
     repository), 5 % call reports as in ``calls``, interleaved.
2. Runs, each as its own process (``tamas ingest`` from the venv, Prefect start
   included), polling the process tree with psutil every 0.1 s: a cold ingest into a
   fresh warehouse, then three re-runs with no changes (the median is reported). Peak
   RSS is reported for the ingest process and for its whole tree (pool workers and
   Prefect's server included), summed per sample, and the cold ingest's CPU seconds by
   process (the ingest, its pool workers, the server). Then, as ``make run`` runs, re-runs
   with a kept Prefect server (``TAMAS_PREFECT_SERVER_KEEP``): the first starts it, then
   three back to back and three ``--pause`` seconds apart (medians of each). A run next
   to a kept server leaves a warm runner (flows/warm.py) whose imports take a few
   seconds after the run: a run that comes back to back waits for them, a later one
   does not. Then the server is stopped.
3. The baseline: hazm's ``Normalizer().normalize`` alone over the same texts, on one
   core, in this process (Normalizer built before the clock starts): the texts at even
   places just before the cold ingest, those at odd places just after it, so that the
   machine's drift in speed over minutes (10-20 % here) falls on both sides of the
   ratio alike. Each half's time per text is printed.
4. With ``--profile``: a further cold ingest under ``py-spy record --subprocesses`` and
   a summary of where the samples fall (by stage and by function, self time).

Then, once: a cold ingest of the two seed files into a fresh warehouse and ``make run``
with nothing changed, three times each (medians), and ``make run`` three times more,
``--pause`` seconds apart. Each mix's figures are kept in
``data/bench/results-<mix>-<N>.json`` with the commit they were measured on; those of another
N are compared (100k -> 300k), and a comparison with another commit's run says so.

Targets (issue 17, 2-core machine), printed, never asserted: stream cold ≤ 0.6 × the
baseline, calls cold ≤ 1.0 ×; a no-change re-run ≤ 5 s at 100k; ``make run`` with
nothing changed ≤ 4 s; a cold two-file ingest ≤ 8 s; tree RSS ≤ 1.5 GB at 100k; from
100k to 300k, time ≤ 3.2 × and RSS < +20 %.
"""

from __future__ import annotations

import argparse
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

from core.script import PERSIAN_DIGITS as FA_DIGITS
from core.script import TO_PERSIAN_DIGITS
from core.seeds import LINE, REFERENCE_DIR, read_csv

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent
DEV_DIR = ROOT.parent / "shared" / "eval" / "dev"
SEED_DIR = ROOT / "seeds" / "articles"
PER_FOLDER = 1000

JALALI_MONTHS = ["فروردین", "اردیبهشت", "خرداد", "تیر", "مرداد", "شهریور", "مهر", "آبان", "آذر", "دی", "بهمن", "اسفند"]


_TO_FA = str.maketrans(TO_PERSIAN_DIGITS)


def fa(n: int, width: int = 0) -> str:
    return str(n).zfill(width).translate(_TO_FA)


# ---------------------------------------------------------------- corpus


def _read_csv(name: str) -> list[dict]:
    return read_csv(REFERENCE_DIR / name).drop(LINE).to_dicts()


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


ORDINARY = ROOT.parent / "shared" / "corpus" / "ordinary-news-2020.jsonl.gz"
# The share of call reports in a realistic stream (MIX=stream): real call articles are a
# few per cent of an outlet's news.
STREAM_CALL_SHARE = 0.05
_SENTENCE_END = re.compile(r"(?<=[.!؟?])\s+")


def load_ordinary() -> list[dict]:
    """The ordinary-news articles (../shared/corpus, README there), sentences split."""
    import gzip

    if not ORDINARY.exists():
        raise SystemExit(f"MIX=stream needs {ORDINARY} (the shared corpus beside the repository)")
    bases = []
    with gzip.open(ORDINARY, "rt", encoding="utf-8") as handle:
        for line in handle:
            record = json.loads(line)
            sentences = [s for s in _SENTENCE_END.split(record["text"].strip()) if s]
            bases.append({"meta": {k: v for k, v in record.items() if k not in ("text", "id")}, "sentences": sentences})
    return bases


class StreamGenerator:
    """Ordinary news recombined sentence by sentence: a base article's sentences, now
    and then one or two of another article's spliced in or one dropped, regrouped into
    paragraphs of one to four sentences (the source lost its paragraph breaks), written
    as the dev set's .json records."""

    def __init__(self, bases: list[dict], seed: int = 11):
        self.rng = random.Random(seed)
        self.bases = bases

    def article(self, i: int) -> tuple[str, str]:
        rng = self.rng
        base = self.bases[i] if i < len(self.bases) else rng.choice(self.bases)
        sentences = list(base["sentences"])
        if i >= len(self.bases):
            if rng.random() < 0.6:
                other = rng.choice(self.bases)["sentences"]
                for _ in range(rng.randint(1, 2)):
                    sentences.insert(rng.randint(1, len(sentences)), rng.choice(other))
            if len(sentences) > 3 and rng.random() < 0.4:
                del sentences[rng.randint(1, len(sentences) - 1)]
        paragraphs, at = [], 0
        while at < len(sentences):
            take = rng.randint(1, 4)
            paragraphs.append(" ".join(sentences[at:at + take]))
            at += take
        year, month, day = 2019 + (i % 2), rng.randint(1, 12), rng.randint(1, 28)
        published = f"{year}-{month:02d}-{day:02d}T{rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}:00+03:30"
        record = dict(base["meta"], text="\n\n".join(paragraphs), published_at=published)
        if record.get("url"):
            record["url"] = f"{record['url']}?v={i}"
        return ".json", json.dumps(record, ensure_ascii=False)


def build_corpus(n: int, out: Path, mix: str = "calls") -> Path:
    """``calls``: N generated call reports; ``stream``: about 95 % recombined ordinary
    news and 5 % call reports (the same generator as ``calls``), interleaved."""
    corpus = out / f"{mix}-{n}"
    done = corpus / ".complete"
    if done.exists():
        return corpus
    if corpus.exists():
        shutil.rmtree(corpus)
    bases = load_bases()
    if not bases:
        raise SystemExit("no base articles (seeds/articles, ../shared/eval/dev)")
    calls = Generator(bases)
    if mix == "stream":
        ordinary = StreamGenerator(load_ordinary())
        n_calls = round(n * STREAM_CALL_SHARE)
        # which positions of the stream are call reports: spread at random, fixed seed
        is_call = [True] * n_calls + [False] * (n - n_calls)
        random.Random(5).shuffle(is_call)
    else:
        is_call = [True] * n
    seen: set[bytes] = set()
    t0 = time.perf_counter()
    drawn = {True: 0, False: 0}
    written = 0
    while written < n:
        kind = is_call[written]
        gen = calls if kind else ordinary
        suffix, content = gen.article(drawn[kind])
        drawn[kind] += 1
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
    redrawn = sum(drawn.values()) - n
    done.write_text(f"{n} articles ({mix}), {sum(is_call)} call reports ({redrawn} collisions redrawn)\n")
    print(f"corpus: built {n} articles ({mix}: {sum(is_call)} call reports) in {time.perf_counter() - t0:.1f} s ({redrawn} duplicates redrawn)")
    return corpus


def corpus_texts(corpus: Path):
    for path in sorted(corpus.rglob("a*.*")):
        raw = path.read_text(encoding="utf-8")
        yield json.loads(raw)["text"] if path.suffix == ".json" else raw


# ---------------------------------------------------------------- measuring


def _kind(proc, root_pid: int) -> str:
    """What a process of the ingest's tree is: the ingest itself, a pool worker, the
    Prefect server, or other."""
    import psutil

    if proc.pid == root_pid:
        return "ingest"
    try:
        cmdline = " ".join(proc.cmdline())
    except psutil.Error:
        return "other"
    if "spawn_main" in cmdline:
        return "workers"
    if "prefect_server" in cmdline:
        return "server"
    return "other"


def run_measured(cmd: list[str], env: dict) -> dict:
    """Wall time, peak RSS (ingest process, whole tree) and CPU seconds by kind of
    process (as last sampled: a process's CPU after its last 0.1 s sample is missed)."""
    import psutil

    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    root = psutil.Process(proc.pid)
    peak_main = peak_tree = 0
    peak_procs = 1
    cpu: dict[int, tuple[str, float]] = {}  # pid -> (kind, CPU seconds last seen)
    while proc.poll() is None:
        try:
            main = root.memory_info().rss
            children = root.children(recursive=True)
        except psutil.Error:
            break
        tree = main
        for p in [root, *children]:
            try:
                if p is not root:
                    tree += p.memory_info().rss
                times = p.cpu_times()
                kind = cpu[p.pid][0] if p.pid in cpu else _kind(p, root.pid)
                cpu[p.pid] = (kind, times.user + times.system)
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
    by_kind: dict[str, float] = {}
    for kind, seconds in cpu.values():
        by_kind[kind] = by_kind.get(kind, 0.0) + seconds
    return {"wall": wall, "rss_main": peak_main, "rss_tree": peak_tree, "procs": peak_procs, "stdout": out,
            "cpu": by_kind}


def _cpu_line(r: dict) -> str:
    cpu = r.get("cpu") or {}
    parts = ", ".join(f"{kind} {cpu[kind]:.1f}" for kind in ("workers", "ingest", "server", "other") if kind in cpu)
    return f"    CPU seconds by process: {parts} (sum {sum(cpu.values()):.1f}, {sum(cpu.values()) / r['wall']:.2f} cores)"


def baseline(corpus: Path, half: int | None = None) -> tuple[float, int]:
    """Seconds hazm's Normalizer takes over the corpus's texts, and how many; ``half``
    (0 or 1): only the texts at even (odd) places."""
    from hazm import Normalizer

    normalizer = Normalizer()
    normalizer.normalize("گرم کردن رئیسجمهور")
    total = count = 0
    for i, text in enumerate(corpus_texts(corpus)):  # reading is outside the clock
        if half is not None and i % 2 != half:
            continue
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
    ("clean", "transforms/noise.py"),
    ("clean", "transforms/repairs.py"),
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


def _median(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[len(ordered) // 2]


def code_version() -> str | None:
    """The checkout's commit, with "+changes-<hash of the diff>" when tracked files differ
    from it, so that two different edits of one commit differ too (None outside git)."""
    try:
        commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True,
                                text=True, check=True).stdout.strip()
        diff = subprocess.run(["git", "diff", "HEAD"], cwd=ROOT, capture_output=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        return None
    return commit + (f"+changes-{hashlib.sha256(diff).hexdigest()[:8]}" if diff else "")


def compiled_transforms() -> str:
    """How many transforms modules the pool workers will import compiled (core/compiled.py)."""
    from core import compiled
    from flows.settings import settings

    every = compiled.modules()
    directory = settings().workers_compiled_dir
    if directory is None:
        return f"transforms compiled: off (TAMAS_COMPILED_TRANSFORMS), 0 of {len(every)}"
    built = len(every) - len(compiled.missing(directory))
    return f"transforms compiled: {built} of {len(every)} modules" + ("" if built else " (`make compiled` builds them)")


def _row(name: str, files: int, mb: float, r: dict) -> str:
    return (f"{name:<26} files {files:>7}  {mb:7.1f} MB  wall {r['wall']:8.1f} s  "
            f"{files / r['wall']:8.1f} articles/s  {mb / r['wall']:6.2f} MB/s  "
            f"peak RSS {r['rss_main'] / 2**20:6.0f} MB (tree {r['rss_tree'] / 2**20:6.0f} MB, {r['procs']} procs)")


def _verdict(ok: bool) -> str:
    return "OK" if ok else "MISSED"


def bench_mix(mix: str, args, env: dict) -> dict:
    """Cold ingest, three no-change re-runs, hazm's baseline over one corpus."""
    corpus = build_corpus(args.n, args.out, mix)
    files = [p for p in corpus.rglob("a*.*")]
    mb = sum(p.stat().st_size for p in files) / 1e6
    warehouse = args.out / f"bench-{mix}-{args.n}.duckdb"
    _fresh(warehouse)
    cmd = [str(VENV_BIN / "tamas"), "ingest", str(corpus), "--warehouse", str(warehouse)]
    if args.workers:
        cmd += ["--workers", str(args.workers)]

    compiled_state = compiled_transforms()
    print(f"[{mix}] corpus: {corpus} — {len(files)} files, {mb:.1f} MB; machine: {os.cpu_count()} cores; "
          f"{compiled_state}")
    # The baseline's two halves just before and just after the cold ingest: this machine's
    # speed drifts by 10-20 % within minutes, and a baseline taken minutes later moved the
    # ratio by as much. Split around the run, a steady drift cancels out.
    before = (0.0, 0) if args.no_baseline else baseline(corpus, half=0)
    cold = run_measured(cmd, env)
    after = (0.0, 0) if args.no_baseline else baseline(corpus, half=1)
    reruns = [run_measured(cmd, env) for _ in range(args.reruns)]
    rerun = sorted(reruns, key=lambda r: r["wall"])[len(reruns) // 2]
    # The same re-runs as `make run` runs: a Prefect server kept from the first for the
    # others (flows/runtime.py KeptPrefectServer), which is then stopped.
    kept_env = dict(env, TAMAS_PREFECT_SERVER_KEEP="300")
    kept = [run_measured(cmd, kept_env) for _ in range(args.reruns + 1)][1:]
    spaced = _spaced(cmd, kept_env, args.reruns, args.pause)
    _stop_kept_server(env)
    base_s, base_n = before[0] + after[0], before[1] + after[1]

    print(_row(f"[{mix}] cold ingest", len(files), mb, cold))
    print(_cpu_line(cold))
    for line in cold["stdout"].strip().splitlines():
        print(f"    {line}")
    print(_row(f"[{mix}] re-run, no changes", len(files), mb, rerun)
          + f"  (median of {len(reruns)}: {', '.join(f'{x:.1f}' for x in sorted(r['wall'] for r in reruns))} s)")
    for line in rerun["stdout"].strip().splitlines()[1:2]:
        print(f"    {line}")
    print(f"[{mix}] re-run, kept server: median {_median([r['wall'] for r in kept]):.1f} s "
          f"({', '.join(f'{x:.1f}' for x in sorted(r['wall'] for r in kept))} s, back to back, after one that started it); "
          f"{args.pause:g} s apart: median {_median(spaced):.1f} s ({', '.join(f'{x:.1f}' for x in sorted(spaced))} s)")
    result = {
        "mix": mix, "n": args.n, "files": len(files), "mb": mb, "cold_s": cold["wall"],
        "rerun_s": rerun["wall"], "rerun_kept_server_s": _median([r["wall"] for r in kept]),
        "rerun_kept_server_spaced_s": _median(spaced), "rss_tree": max(r["rss_tree"] for r in [cold, *reruns]),
        "rss_main": max(r["rss_main"] for r in [cold, *reruns]), "cold_cpu_s": cold["cpu"],
        "code": code_version(), "measured": time.strftime("%Y-%m-%d %H:%M"), "compiled": compiled_state,
    }
    if base_n:
        print(f"{f'[{mix}] baseline hazm 1 core':<26} texts {base_n:>7}  {mb:7.1f} MB  time {base_s:8.1f} s  "
              f"{base_n / base_s:8.1f} articles/s  {mb / base_s:6.2f} MB/s")
        if before[1] and after[1]:
            print(f"    half before the cold ingest {1000 * before[0] / before[1]:.3f} ms/text, half after "
                  f"{1000 * after[0] / after[1]:.3f} ms/text (the machine's drift: {100 * (after[0] / after[1]) / (before[0] / before[1]) - 100:+.0f} %)")
        result["baseline_s"] = base_s
        result["baseline_halves_s"] = [before[0], after[0]]
        result["ratio"] = cold["wall"] / base_s
    if args.profile:
        profile(corpus, args.out, env)
    (args.out / f"results-{mix}-{args.n}.json").write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")
    return result


def _spaced(cmd: list[str], env: dict, runs: int, pause: float) -> list[float]:
    """Wall times of ``runs`` runs, each ``pause`` seconds after the last one ended."""
    walls = []
    for _ in range(runs):
        time.sleep(pause)
        walls.append(run_measured(cmd, env)["wall"])
    return walls


def _stop_kept_server(env: dict) -> None:
    """End the kept server the bench's runs used, so that it is neither counted in nor
    competing with the next measurement."""
    from flows.runtime import end_kept_server

    end_kept_server(Path(env["TAMAS_DATA"]) / "prefect")


def bench_small(args, env: dict) -> dict:
    """The fixed cost of a run: a cold ingest of the two seed files into a fresh
    warehouse, and ``make run`` (the same two files, nothing changed), each three times."""
    warehouse = args.out / "small.duckdb"
    # as `make run` runs: the Prefect server one run starts is kept for the next (Makefile)
    env = dict(env, TAMAS_PREFECT_SERVER_KEEP=env.get("TAMAS_PREFECT_SERVER_KEEP", "300"))
    cold = []
    for _ in range(3):
        _fresh(warehouse)
        cold.append(run_measured([str(VENV_BIN / "tamas"), "ingest", str(SEED_DIR), "--warehouse", str(warehouse)], env)["wall"])
    make = ["make", "-s", "-C", str(ROOT), "run", f"WAREHOUSE={warehouse}"]
    make_run = [run_measured(make, env)["wall"] for _ in range(3)]
    make_run_spaced = _spaced(make, env, 3, args.pause)
    _stop_kept_server(env)
    print(f"small: cold two-file ingest {_median(cold):.1f} s (median of {', '.join(f'{x:.1f}' for x in cold)} s); "
          f"`make run`, nothing changed {_median(make_run):.1f} s (median of {', '.join(f'{x:.1f}' for x in make_run)} s, "
          f"back to back; {args.pause:g} s apart: {_median(make_run_spaced):.1f} s, "
          f"{', '.join(f'{x:.1f}' for x in make_run_spaced)} s)")
    return {"cold_two_files_s": _median(cold), "make_run_s": _median(make_run),
            "make_run_spaced_s": _median(make_run_spaced)}


def print_targets(results: dict[str, dict], small: dict | None) -> None:
    """The issue-17 targets, printed, never asserted."""
    targets = {"stream": 0.6, "calls": 1.0}
    for mix, r in results.items():
        if "ratio" in r:
            # three decimals: a ratio a few tenths of a per cent over its target printed
            # as the target itself beside MISSED
            print(f"[{mix}] ratio Tamas cold / hazm baseline: {r['ratio']:.3f}  "
                  f"(target ≤ {targets[mix]}: {_verdict(r['ratio'] <= targets[mix])})")
        if r["n"] != 100_000:  # the re-run and memory targets are set at 100k articles
            print(f"[{mix}] re-run, no changes {r['rerun_s']:.1f} s; peak RSS tree {r['rss_tree'] / 2**30:.2f} GB "
                  f"(targets ≤ 5 s and ≤ 1.5 GB at 100k articles; this is {r['n']})")
            continue
        kept = (f"; with a kept server {r['rerun_kept_server_s']:.1f} s back to back "
                f"({_verdict(r['rerun_kept_server_s'] <= 5)}), {r['rerun_kept_server_spaced_s']:.1f} s spaced "
                f"({_verdict(r['rerun_kept_server_spaced_s'] <= 5)})" if "rerun_kept_server_spaced_s" in r else "")
        print(f"[{mix}] re-run, no changes {r['rerun_s']:.1f} s (target ≤ 5 s: {_verdict(r['rerun_s'] <= 5)}{kept}); "
              f"peak RSS tree {r['rss_tree'] / 2**30:.2f} GB (target ≤ 1.5 GB: {_verdict(r['rss_tree'] <= 1.5 * 2**30)})")
    if small:
        print(f"`make run`, nothing changed {small['make_run_s']:.1f} s back to back, {small['make_run_spaced_s']:.1f} s spaced "
              f"(target ≤ 4 s: {_verdict(small['make_run_s'] <= 4)}, {_verdict(small['make_run_spaced_s'] <= 4)}); "
              f"cold two-file ingest {small['cold_two_files_s']:.1f} s (target ≤ 8 s: {_verdict(small['cold_two_files_s'] <= 8)})")


def print_scaling(out: Path, results: dict[str, dict]) -> None:
    """Against the results of this benchmark at other sizes (data/bench/results-*.json):
    time and peak RSS growth from the smaller N to the larger (target from 100k to 300k:
    time ≤ 3.2×, RSS < +20 %)."""
    for mix, r in results.items():
        for path in sorted(out.glob(f"results-{mix}-*.json")):
            other = json.loads(path.read_text(encoding="utf-8"))
            if other["n"] == r["n"]:
                continue
            small, large = sorted([other, r], key=lambda x: x["n"])
            time_x = large["cold_s"] / small["cold_s"]
            rss = large["rss_tree"] / small["rss_tree"] - 1
            print(f"[{mix}] {small['n']} → {large['n']} articles: cold time {time_x:.2f}× "
                  f"({large['n'] / small['n']:.0f}× the articles), peak RSS tree {100 * rss:+.0f} % "
                  f"(target for 3×: time ≤ 3.2×, RSS < +20 %)")
            if other.get("code") is None or other.get("code") != r.get("code"):
                # a stored run of other code compares two versions, not two sizes
                print(f"    (the {other['n']} run is of code {other.get('code') or 'not recorded'}"
                      f"{', ' + other['measured'] if other.get('measured') else ''}, this one of "
                      f"{r.get('code') or 'unknown code'}: run `make bench N={other['n']}` again to compare sizes)")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--n", type=int, default=2000, help="articles in each corpus (default 2000)")
    ap.add_argument("--mix", default="stream,calls",
                    help="corpora, comma- or space-separated: stream (95 %% ordinary news), calls (call reports only)")
    ap.add_argument("--out", type=Path, default=ROOT / "data" / "bench")
    ap.add_argument("--profile", action="store_true", help="also profile a cold ingest with py-spy")
    ap.add_argument("--workers", type=int, default=None, help="passed to tamas ingest --workers")
    ap.add_argument("--reruns", type=int, default=3, help="no-change re-runs (the median is reported)")
    ap.add_argument("--pause", type=float, default=10.0,
                    help="seconds between the spaced runs with a kept server (default 10)")
    ap.add_argument("--no-baseline", action="store_true")
    ap.add_argument("--no-small", action="store_true", help="skip the two-file and `make run` timings")
    args = ap.parse_args(argv)

    mixes = [m for m in re.split(r"[,\s]+", args.mix) if m]
    unknown = set(mixes) - {"stream", "calls"}
    if unknown:
        raise SystemExit(f"unknown mix {', '.join(sorted(unknown))}: stream or calls")
    args.out.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ, TAMAS_DATA=str(args.out / "tamas-data"))
    results = {mix: bench_mix(mix, args, env) for mix in mixes}
    small = None if args.no_small else bench_small(args, env)
    print_targets(results, small)
    print_scaling(args.out, results)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
