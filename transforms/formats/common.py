"""What every format shares: decoding bytes, the JSON guard, a JSON record's fields, and
``Rejected``, the exception a format raises with one of its reasons. Pure: no I/O."""

from __future__ import annotations

import codecs
import functools
import json
import re
import unicodedata
from datetime import datetime, timezone
from zoneinfo import ZoneInfo

import numpy as np

TEHRAN = ZoneInfo("Asia/Tehran")
TEXT_FIELDS = ("text", "body", "content")

# Reasons any format can give while decoding its bytes.
REASONS = {
    "empty_file": "the file has no bytes or only white space",
    "binary_content": "the bytes are not text (NUL bytes or control characters)",
    "undecodable": "no text encoding decodes the bytes",
}

# An article record is a flat object of a few fields. Deeper nesting overflows the JSON
# decoder's recursion; many values make a decoded object tens of times its size in
# bytes. Both are checked on the text before decoding, per .json file or .jsonl line.
MAX_JSON_DEPTH = 100
MAX_JSON_VALUES = 10_000
_JSON_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"')
_NOT_BRACKET = re.compile(r"[^\[\]{}]+")

class Rejected(Exception):
    """A file that cannot yield an article; ``reason`` is a key of REJECT_REASONS."""

    def __init__(self, reason: str, detail: str = ""):
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = f"{reason}:{detail}" if detail else reason


def decode_bytes(data: bytes) -> str:
    """Decode article bytes (see ``decode_with_note``)."""
    return decode_with_note(data)[0]


def decode_with_note(data: bytes) -> tuple[str, str | None]:
    """Decode article bytes: BOMs first, then strict UTF-8, then charset detection.

    Returns the text and a note when something was repaired. Windows-1256 Persian is
    common in older archives; charset-normalizer recognises it. A UTF-8 file whose last
    character was cut in half (an interrupted download) loses only that character.
    """
    if not data.strip():
        raise Rejected("empty_file")
    for bom, encoding in (
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF32_LE, "utf-32"),
        (codecs.BOM_UTF32_BE, "utf-32"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if data.startswith(bom):
            try:
                return data.decode(encoding), f"decoded as {encoding} (byte order mark)"
            except UnicodeDecodeError as exc:
                raise Rejected("undecodable", f"{encoding} at byte {exc.start}") from None
    if b"\x00" in data:
        raise Rejected("binary_content", "NUL bytes")
    try:
        return data.decode("utf-8"), None
    except UnicodeDecodeError as exc:
        utf8_error = exc
    if utf8_error.end == len(data) and len(data) - utf8_error.start < 4:
        return data[: utf8_error.start].decode("utf-8"), f"truncated UTF-8 character at byte {utf8_error.start} dropped"
    from charset_normalizer import from_bytes

    best = from_bytes(data, cp_isolation=["cp1256", "utf_8", "iso8859_6", "cp1252", "latin_1"]).best()
    # A UTF-8 file cut in the middle of a multi-byte character decodes as something
    # else entirely; only accept a detected single-byte encoding when most of the text
    # is Arabic script or ASCII, otherwise report where UTF-8 failed.
    if best is None or best.encoding in ("utf_8", "ascii"):
        raise Rejected("undecodable", f"invalid UTF-8 at byte {utf8_error.start}")
    text = str(best)
    if _control_share(text) > 0.01:
        raise Rejected("binary_content", "control characters")
    if best.encoding != "cp1256" and arabic_script_share(text) < 0.3:
        raise Rejected("undecodable", f"invalid UTF-8 at byte {utf8_error.start}")
    return text, f"decoded as {best.encoding}"


def _control_share(text: str) -> float:
    controls = sum(1 for ch in text if unicodedata.category(ch) == "Cc" and ch not in "\n\r\t\f")
    return controls / max(len(text), 1)


# What each character of the Basic Multilingual Plane is: 0 no letter, 1 a letter
# (str.isalpha) of another script, 2 a letter of the Arabic-script blocks (Arabic, and
# the presentation forms).
_BMP = 0x10000
_ARABIC_BLOCKS = ((0x600, 0x6FF), (0xFB50, 0xFEFF))


@functools.cache
def _letter_kinds() -> np.ndarray:
    kinds = np.fromiter((chr(c).isalpha() for c in range(_BMP)), dtype=np.uint8, count=_BMP)
    for first, last in _ARABIC_BLOCKS:
        kinds[first:last + 1] *= 2
    return kinds


def arabic_script_share(text: str) -> float:
    """Share of letters (str.isalpha) that are Arabic-script (Persian and Arabic).
    This runs on every article: its characters' kinds are looked up in one table
    (numpy), and only those beyond the BMP (emoji, rare scripts) one by one."""
    points = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    if not points.size:
        return 0.0
    beyond = None
    if points.max() >= _BMP:
        beyond = [chr(c) for c in points[points >= _BMP].tolist()]
        points = np.minimum(points, _BMP - 1)  # U+FFFF is no character, so no letter
    _, other, arabic = np.bincount(_letter_kinds()[points], minlength=3).tolist()
    letters = other + arabic + (sum(map(str.isalpha, beyond)) if beyond else 0)
    return arabic / letters if letters else 0.0


def parse_published_at(value) -> datetime | None:
    if not value or not isinstance(value, str):
        return None
    try:
        moment = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=TEHRAN)  # a naive time in a Persian feed is Tehran time
    return moment.astimezone(timezone.utc)


def record_from_json(obj) -> dict:
    if not isinstance(obj, dict):
        raise Rejected("no_text_field", "record is not an object")
    text = next((obj[k] for k in TEXT_FIELDS if isinstance(obj.get(k), str) and obj[k].strip()), None)
    if text is None:
        raise Rejected("no_text_field")
    return {
        "raw_text": text,
        "title": obj.get("title") if isinstance(obj.get("title"), str) else None,
        "url": obj.get("url") if isinstance(obj.get("url"), str) else None,
        "outlet": obj.get("outlet") if isinstance(obj.get("outlet"), str) else None,
        "published_at": parse_published_at(obj.get("published_at")),
    }


def load_json(text: str, max_values: int = MAX_JSON_VALUES):
    """A JSON value, or Rejected("invalid_json", ...) when it does not parse, nests too
    deep or holds too many values (MAX_JSON_DEPTH, ``max_values``)."""
    opened = text.count("[") + text.count("{")
    if opened <= MAX_JSON_DEPTH and opened + text.count(",") <= max_values:
        return _decode_json(text)  # counted in strings too, and still within both limits
    bare = _JSON_STRING.sub('""', text)  # strings hold no structure
    values = bare.count(",") + bare.count("[") + bare.count("{")
    brackets = _NOT_BRACKET.sub("", bare[: 4 * MAX_JSON_VALUES] if values > max_values else bare)
    depth = deepest = 0
    for ch in brackets:
        depth += 1 if ch in "[{" else -1
        if depth > deepest:
            deepest = depth
            if deepest > MAX_JSON_DEPTH:
                raise Rejected("invalid_json", "nesting too deep")
    if values > max_values:
        raise Rejected("invalid_json", f"more than {max_values} values")
    return _decode_json(text)


def _decode_json(text: str):
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise Rejected("invalid_json", f"line {exc.lineno} column {exc.colno}") from None
    except RecursionError:  # a thread's smaller stack or limit than the check assumed
        raise Rejected("invalid_json", "nesting too deep") from None


