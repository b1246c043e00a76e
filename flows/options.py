"""Command-line options more than one command takes, each defined once."""

from __future__ import annotations

import argparse
from pathlib import Path


def warehouse_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--warehouse", type=Path, default=None, metavar="FILE",
        help="DuckDB warehouse file (default: $TAMAS_WAREHOUSE, else data/tamas.duckdb)",
    )


def max_file_mb_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--max-file-mb", type=float, default=5.0, metavar="MB",
        help="reject files (a .jsonl: records) larger than this many megabytes (default: 5)",
    )
