"""JSON Lines: one article record per line, read record by record.

A big .jsonl is cut into parts at line ends by the flow (flows/files.py,
``split_jsonl``); each part is parsed here on its own, knowing the number of its first
line, so that a record keeps its line number (``#L<n>``) whatever part it fell in. Lines
are split at "\\n" only: JSON allows U+2028 and U+2029 raw inside a string.
"""

from __future__ import annotations

from transforms.formats.common import Rejected, decode_with_note, load_json, record_from_json

NAME = "jsonl"
SUFFIXES = (".jsonl",)
REASONS = {
    "no_valid_lines": "a .jsonl file none of whose lines is a valid record",
}
STREAMS = True  # the size limit applies to a record, not to the file


def parse(path: str, data: bytes, first_line: int = 1) -> tuple[list[dict], str | None]:
    text, note = decode_with_note(data)
    records, bad = [], []
    for number, line in enumerate(text.split("\n"), start=first_line):
        if not line.strip():
            continue
        try:
            record = record_from_json(load_json(line))
        except Rejected as exc:
            if exc.reason.startswith("invalid_json:line "):
                exc.reason = "invalid_json"  # the position within one line says little
            bad.append(f"line {number}: {exc.reason}")
            continue
        record["key"] = f"L{number}"
        records.append(record)
    if not records:
        raise Rejected("no_valid_lines", "; ".join(bad[:5]))
    return records, ("; ".join(filter(None, [note, *bad])) or None)
