"""Plain text and Markdown: the whole file is one article."""

from __future__ import annotations

from transforms.formats.common import decode_with_note

NAME = "text"
SUFFIXES = (".txt", ".md")
REASONS: dict[str, str] = {}


def parse(path: str, data: bytes) -> tuple[list[dict], str | None]:
    text, note = decode_with_note(data)
    return [{"raw_text": text, "title": None, "url": None, "outlet": None, "published_at": None}], note
