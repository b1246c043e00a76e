"""Write a big .jsonl of distinct Persian articles for the memory measurement in
docs/operations.md ("Big .jsonl files"): the records of a source .jsonl (or .jsonl.gz)
over and over, each copy's text and title marked with its copy number so that every
record is a new article, until the file reaches --mb megabytes.

    python scripts/big_jsonl.py ../shared/corpus/ordinary-news-2020.jsonl.gz data/big.jsonl --mb 1024
"""

from __future__ import annotations

import argparse
import gzip
import json

from core.script import TO_PERSIAN_DIGITS


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("source")
    parser.add_argument("target")
    parser.add_argument("--mb", type=float, default=1024)
    args = parser.parse_args()
    opener = gzip.open if args.source.endswith(".gz") else open
    with opener(args.source, "rt", encoding="utf-8") as f:
        records = [json.loads(line) for line in f if line.strip()]
    limit, written, copy = int(args.mb * 2**20), 0, 0
    digits = str.maketrans(TO_PERSIAN_DIGITS)
    with open(args.target, "w", encoding="utf-8") as out:
        while written < limit:
            copy += 1
            mark = f"نسخهٔ {str(copy).translate(digits)}: "
            for record in records:
                line = json.dumps({**record, "text": mark + record["text"], "title": mark + (record.get("title") or ""),
                                   "url": f"{record.get('url')}#copy{copy}"}, ensure_ascii=False) + "\n"
                out.write(line)
                written += len(line.encode("utf-8"))
                if written >= limit:
                    break
    print(f"{written / 2**20:.0f} MiB, {copy} copies")


if __name__ == "__main__":
    main()
