"""Check that the batch-wide normaliser (transforms/normalize.py) gives hazm's own
result on every text of the dev set and of the ordinary-news corpus (issue 17).

    .venv/bin/python scripts/check_normalizer.py [--shared ../shared] [--batch 500]

Texts: ``<shared>/eval/dev/*.json`` (field ``text`` and ``title``) and
``<shared>/corpus/ordinary-news-2020.jsonl.gz`` (``text``, ``title``), as they are and
as the cleaning stage hands them to the normaliser (noise removed, numbers shielded).
Each is normalised by hazm's ``Normalizer.normalize`` (the options of
transforms/hazm_core.py), text by text, and by ``normalize_batch`` in batches. Prints
how many texts, how many equal, the first differences, and the CPU time of both.
Exit status 1 when any text differs. Needs ../shared; not part of ``make test``.
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def load(shared: Path) -> dict[str, list[str]]:
    sets: dict[str, list[str]] = {"dev": [], "ordinary-news": []}
    for path in sorted((shared / "eval" / "dev").glob("*.json")):
        record = json.loads(path.read_text(encoding="utf-8"))
        sets["dev"] += [v for v in (record.get("text"), record.get("title")) if isinstance(v, str) and v]
    corpus = shared / "corpus" / "ordinary-news-2020.jsonl.gz"
    with gzip.open(corpus, "rt", encoding="utf-8") as handle:
        for line in handle:
            record = json.loads(line)
            sets["ordinary-news"] += [v for v in (record.get("text"), record.get("title")) if isinstance(v, str) and v]
    return sets


def as_cleaning_hands_them(texts: list[str]) -> list[str]:
    """The normaliser's input inside the cleaning stage (transforms/cleaning.py)."""
    from transforms import cleaning, noise

    out = []
    for raw in texts:
        text = "\n".join(noise.strip_noise(raw))
        text, _ = cleaning._shield(text.replace("ۀ", "ه"))
        out.append(text)
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    ap.add_argument("--batch", type=int, default=500)
    args = ap.parse_args(argv)

    from transforms import hazm_core
    from transforms.normalize import normalize_batch

    hazm = hazm_core.normalizer()
    hazm.normalize("گرم کردن")
    normalize_batch(["گرم کردن"])
    failed = 0
    for name, texts in load(args.shared).items():
        for form, inputs in (("as written", texts), ("as cleaning hands them", as_cleaning_hands_them(texts))):
            t0 = time.process_time()
            expected = [hazm.normalize(t) for t in inputs]
            t1 = time.process_time()
            got = []
            for i in range(0, len(inputs), args.batch):
                got += normalize_batch(inputs[i:i + args.batch])
            t2 = time.process_time()
            differ = [i for i, (a, b) in enumerate(zip(expected, got)) if a != b]
            failed += len(differ)
            chars = sum(map(len, inputs))
            print(f"{name:<14} {form:<23} {len(inputs):>6} texts {chars / 1e6:6.1f} M chars: "
                  f"{len(inputs) - len(differ)} equal, {len(differ)} differ; CPU hazm {t1 - t0:6.2f} s, "
                  f"batch {t2 - t1:6.2f} s ({(t2 - t1) / (t1 - t0):.2f} ×)")
            for i in differ[:3]:
                a, b = expected[i], got[i]
                at = next((k for k, (x, y) in enumerate(zip(a, b)) if x != y), min(len(a), len(b)))
                print(f"    text {i}: hazm  {a[max(0, at - 40):at + 40]!r}\n{'':<12}batch {b[max(0, at - 40):at + 40]!r}")
    print("all equal" if not failed else f"{failed} texts differ")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
