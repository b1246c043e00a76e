"""The input formats, one module each: which files it reads (``SUFFIXES``, and for a
format recognised by content a ``claims(data)`` test on the first bytes), the reasons
it rejects a file for (``REASONS``) and ``parse(path, data) -> (records, note)``.

A record is a dict: raw_text, title, url, outlet, published_at, and ``key`` when a file
holds several articles (``L<line>``, ``msg=<id>``, ``guid=<guid>``), which names the
article's place in the file (``<path>#<key>``). Pure: the flow reads the bytes.
Adding a format is a module here and a line in ``FORMATS``.
"""

from __future__ import annotations

from types import ModuleType

from transforms.formats import common, feed, html, json_record, jsonl, telegram, text
from transforms.formats.common import Rejected

# Formats recognised by content come before the format of the same suffix they refine.
FORMATS: tuple[ModuleType, ...] = (text, html, telegram, json_record, jsonl, feed)

SUPPORTED_EXTENSIONS = tuple(dict.fromkeys(s for f in FORMATS for s in f.SUFFIXES))

REASONS = {
    **common.REASONS,
    **{key: why for f in FORMATS for key, why in f.REASONS.items()},
    "unsupported_extension": "not " + ", ".join(SUPPORTED_EXTENSIONS[:-1]) + " or " + SUPPORTED_EXTENSIONS[-1],
}


def suffix(path: str) -> str:
    name = path.rsplit("/", 1)[-1]
    return name[name.rfind("."):].lower() if "." in name else ""


def for_path(path: str, data: bytes) -> ModuleType:
    """The format that reads this file; Rejected("unsupported_extension") if none."""
    ending = suffix(path)
    for fmt in FORMATS:
        if ending in fmt.SUFFIXES and (not hasattr(fmt, "claims") or fmt.claims(data)):
            return fmt
    raise Rejected("unsupported_extension", ending or "none")


def streams(path: str) -> bool:
    """Whether the file is read record by record (the size limit is a record's)."""
    ending = suffix(path)
    return any(ending in f.SUFFIXES and getattr(f, "STREAMS", False) for f in FORMATS)
