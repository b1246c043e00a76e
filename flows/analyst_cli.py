"""The analysts' subcommands of ``tamas``: docs, search, export, dashboard.

Kept apart from flows/cli.py (which only registers them) so that the ingestion CLI and
these evolve independently. Every one of them reads the warehouse read-only
(``store.connect_readonly``) and so runs while an ingest is loading.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from flows import output, runtime
from flows.options import warehouse_option

EXIT_USAGE = 2
DEFAULT_DOCS = Path(__file__).resolve().parents[1] / "docs" / "warehouse.md"


def _fail(message: str, status: int = EXIT_USAGE) -> int:
    print(f"tamas: error: {message}", file=sys.stderr)
    return status


def add_commands(commands) -> None:
    docs = commands.add_parser(
        "docs",
        help="write the data dictionary (docs/warehouse.md) from the warehouse contract",
        description="Write every table, view and column of warehouse/contract.yml with its type, description "
        "and rules as Markdown. Fails (status 2) if the catalog the schema and views build differs from the contract.",
    )
    docs.add_argument("--out", type=Path, default=DEFAULT_DOCS, metavar="FILE",
                      help="where to write it (default: docs/warehouse.md; - for stdout)")

    search = commands.add_parser(
        "search",
        help="full-text search over the articles (Persian-aware BM25)",
        description="Rank articles with every word of the query by BM25 relevance of clean_text. The query "
        "is cleaned as the articles were (so گفتگو, گفت و گو and گفت‌وگو find the same articles). Each hit "
        "comes with a snippet around the match and the calls the article reports. Exit status 1 when nothing "
        "matches (like grep). The index is built by every ingest run; in SQL: "
        "fts_main_dim_article.match_bm25(article_id, 'query').",
    )
    search.add_argument("query", help='words to look for, e.g. "راه آهن رشت"')
    search.add_argument("--limit", type=int, default=10, metavar="N", help="show at most N articles (default: 10)")
    search.add_argument("--any", action="store_true", help="articles with any of the words, not all of them")
    warehouse_option(search)
    output.add_format_options(search)

    export = commands.add_parser(
        "export",
        help="write facts, dimensions and views as Parquet or CSV files",
        description="Write every dimension, fact and v_* view to DIR/<name>.parquet or DIR/<name>.csv.",
    )
    export.add_argument("directory", type=Path, metavar="DIR", help="output folder (created if missing)")
    export.add_argument("--format", choices=("parquet", "csv"), default="parquet", help="file format (default: parquet)")
    export.add_argument(
        "--excel", action="store_true",
        help="CSV for Excel: start each file with a UTF-8 byte order mark, without which Excel shows Persian as mojibake",
    )
    warehouse_option(export)

    dashboard = commands.add_parser(
        "dashboard",
        help="serve the web dashboard on localhost",
        description="Serve the analysts' dashboard (Dash) on http://127.0.0.1:PORT/. It opens the "
        "warehouse read-only for each request, so it shows every new run and never blocks one.",
    )
    dashboard.add_argument("--port", type=int, default=8050, metavar="N", help="port (default: 8050)")
    dashboard.add_argument("--host", default="127.0.0.1", help="interface (default: 127.0.0.1, this machine only)")
    warehouse_option(dashboard)


def cmd_docs(args) -> int:
    from warehouse import docs

    con = docs.fresh_catalog()
    text = docs.render(con)
    if str(args.out) == "-":
        sys.stdout.write(text)
    else:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(text, encoding="utf-8")
        print(f"wrote {args.out}")
    drift = docs.drift(con) + [f"no comment on {name}" for name in docs.missing_comments(con)]
    if drift:
        return _fail("the catalog differs from warehouse/contract.yml: " + "; ".join(drift))
    return 0


def _connect(args):
    import duckdb

    from warehouse.store import connect_readonly

    warehouse = args.warehouse or runtime.default_warehouse()
    try:
        return connect_readonly(warehouse)
    except (FileNotFoundError, duckdb.Error) as exc:
        raise SystemExit(_fail(str(exc).splitlines()[0]))


SEARCH_COLUMNS = ("rank", "score", "title", "outlet", "published", "snippet", "calls", "article_id", "file", "url")


def search_rows(hits: list[dict]) -> list[tuple]:
    """One row per hit; ``calls`` is "date: participant – participant" per call."""
    rows = []
    for rank, hit in enumerate(hits, 1):
        snippet = hit["snippet"]
        calls = [
            f"{c['date_jalali'] or 'بی‌تاریخ'}: {' – '.join(c['participants'])}" for c in hit["calls"]
        ]
        rows.append((
            rank, round(hit["score"], 3), hit["title"], hit["outlet"],
            hit["published_tehran"] or (str(hit["published_date"]) if hit["published_date"] else None),
            "".join(snippet.values()) if snippet else None, calls, hit["article_id"],
            Path(hit["source_path"]).name, hit["url"],
        ))
    return rows


def cmd_search(args) -> int:
    import duckdb

    from transforms.cleaning import clean_text
    from warehouse.search import search

    con = _connect(args)
    try:
        hits = search(con, args.query, args.limit, clean=clean_text, any_word=args.any)
        if not hits:
            print(f"no article matches {args.query!r}", file=sys.stderr)
            return 1
        rows = search_rows(hits)
        if args.format == "json":  # the calls as objects, not as text
            rows = [row[:6] + (hit["calls"],) + row[7:] for row, hit in zip(rows, hits)]
        output.print_result(con, SEARCH_COLUMNS, rows, args.format, args.max_rows)
    except LookupError as exc:
        return _fail(str(exc))
    except duckdb.Error as exc:  # e.g. a warehouse whose views predate this version
        return _fail(output.duckdb_message(exc) + "\n(a warehouse from an older version gets current views on its next `tamas ingest`)")
    except BrokenPipeError:
        return output.reader_went_away()
    finally:
        con.close()
    return 0


def cmd_export(args) -> int:
    from app.export import export

    if args.excel and args.format != "csv":
        return _fail("--excel is for --format csv (Parquet has no byte order mark)")
    con = _connect(args)
    try:
        written = export(con, args.directory, args.format, excel=args.excel)
    except OSError as exc:
        return _fail(f"cannot write {args.directory}: {exc.strerror}")
    finally:
        con.close()
    for name, path, rows in written:
        print(f"{rows:>8} rows  {path}")
    return 0


def cmd_dashboard(args) -> int:
    from transforms.cleaning import clean_text
    from app.dashboard import serve

    warehouse = (args.warehouse or runtime.default_warehouse()).resolve()
    if not warehouse.exists():
        return _fail(f"no warehouse at {warehouse}: run `tamas ingest` first")
    serve(warehouse, host=args.host, port=args.port, clean=clean_text)  # search queries cleaned like the text
    return 0


HANDLERS = {"docs": cmd_docs, "search": cmd_search, "export": cmd_export, "dashboard": cmd_dashboard}
