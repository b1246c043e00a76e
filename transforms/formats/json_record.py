"""A .json file holding one article record (text/body/content, title, url, outlet,
published_at)."""

from __future__ import annotations

from transforms.formats.common import decode_with_note, load_json, record_from_json

NAME = "json"
SUFFIXES = (".json",)
REASONS = {
    "invalid_json": "a .json file that does not parse, nests deeper than MAX_JSON_DEPTH or holds more than MAX_JSON_VALUES values",
    "no_text_field": "a JSON record without text/body/content",
}


def parse(path: str, data: bytes) -> tuple[list[dict], str | None]:
    text, note = decode_with_note(data)
    return [record_from_json(load_json(text))], note
