"""Check that every evidence in a warehouse is its article's clean_text at the recorded offsets.

    python scripts/check_evidence.py WAREHOUSE.duckdb

Prints the number of rows checked and bad per table; exits 1 if any is bad. Used by
`make eval` over the dev set (the project's tests check the same on the seeds).
"""

import sys

import duckdb

CHECKS = {
    "call_mention": "evidence",
    "call_topic": "evidence",
    "statement": "text",
}


def main(path: str) -> int:
    con = duckdb.connect(path, read_only=True)
    failed = 0
    for table, column in CHECKS.items():
        total, bad = con.execute(
            f"""
            SELECT count(*),
                   count(*) FILTER (WHERE substr(a.clean_text, t.char_start + 1, t.char_end - t.char_start) <> t.{column})
            FROM {table} t JOIN dim_article a USING (article_id)
            """
        ).fetchone()
        print(f"{table:<14} rows={total} evidence_mismatch={bad}")
        failed += bad
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
