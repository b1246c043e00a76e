"""Turn the bytes of article files into article records.

Pure functions: the flow reads the bytes (flows/files.py) and hands them here as a
polars frame; nothing in this module touches the file system.

Every file ends in exactly one outcome row (``file_outcomes``): either it yielded
articles, or it is rejected with a reason from ``REJECT_REASONS``. A ``.jsonl`` file
with some bad lines still yields its good lines; the bad ones are named in the reason.
"""

from __future__ import annotations

import codecs
import hashlib
import json
import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime, timezone
from zoneinfo import ZoneInfo

import polars as pl

TEHRAN = ZoneInfo("Asia/Tehran")
TEXT_FIELDS = ("text", "body", "content")

# Reasons a file is rejected (documented in the README; the load checks membership).
REJECT_REASONS = {
    "empty_file": "the file has no bytes or only white space",
    "binary_content": "the bytes are not text (NUL bytes or control characters)",
    "undecodable": "no text encoding decodes the bytes",
    "invalid_json": "a .json file that does not parse, nests deeper than MAX_JSON_DEPTH or holds more than MAX_JSON_VALUES values",
    "parse_failed": "reading the file's records raised an unexpected error (parse_failed:<exception type>)",
    "no_text_field": "a JSON record without text/body/content",
    "no_article_text": "an HTML page with no main text",
    "no_valid_lines": "a .jsonl file none of whose lines is a valid record",
    "not_persian": "the text is in another language (reason names it: not_persian:en)",
    "too_large": "the file is above the size limit",
    "unreadable": "the file could not be read (permissions, I/O error, a symbolic link loop): unreadable:<system error>",
    "not_regular_file": "a FIFO, socket or device in the input folder (never opened)",
    "dangling_symlink": "a symbolic link inside the input folder whose target does not exist",
    "vanished": "the file was removed between discovery and reading",
    "symlink_outside_root": "a symbolic link pointing outside the input folder",
    "unsupported_extension": "not .txt, .md, .json, .jsonl, .html or .htm",
    # Given by the flow (flows/files.py, flows/batch.py), not by parsing:
    "directory_symlink": "a symbolic link to a folder inside the input folder (not followed)",
    "clean_failed": "cleaning raised on the file's articles (clean_failed:<exception type>)",
    "extract_failed": "extraction raised on the file's articles (extract_failed:<exception type>)",
    "transform_timeout": "the file's transform step ran over its time budget (TAMAS_FILE_SECONDS)",
    "worker_died": "the process transforming the file died (worker_died:<signal or exit status>)",
}

# An HTML page whose main text has fewer words is a menu or an error page, not an article.
MIN_HTML_WORDS = 12

SUPPORTED_EXTENSIONS = (".txt", ".md", ".json", ".jsonl", ".html", ".htm")

# An article record is a flat object of a few fields. Deeper nesting overflows the JSON
# decoder's recursion; many values make a decoded object tens of times its size in
# bytes. Both are checked on the text before decoding, per .json file or .jsonl line.
MAX_JSON_DEPTH = 100
MAX_JSON_VALUES = 10_000
_JSON_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"')
_NOT_BRACKET = re.compile(r"[^\[\]{}]+")

ARTICLE_SCHEMA = {
    "article_id": pl.String,
    "source_path": pl.String,
    "file_path": pl.String,
    "content_sha256": pl.String,
    "raw_text": pl.String,
    "title": pl.String,
    "url": pl.String,
    "outlet": pl.String,
    "published_at": pl.Datetime("us", "UTC"),
    "published_date": pl.Date,
}
OUTCOME_SCHEMA = {
    "source_path": pl.String,
    "content_sha256": pl.String,
    "rejected": pl.Boolean,
    "reason": pl.String,
    "article_ids": pl.List(pl.String),
}


class Rejected(Exception):
    """A file that cannot yield an article; ``reason`` is a key of REJECT_REASONS."""

    def __init__(self, reason: str, detail: str = ""):
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = f"{reason}:{detail}" if detail else reason


@dataclass(frozen=True)
class ParsedFiles:
    articles: pl.DataFrame  # ARTICLE_SCHEMA, one row per article
    outcomes: pl.DataFrame  # OUTCOME_SCHEMA, one row per file


def article_key(text: str) -> str:
    """Content key of an article: the same text, however spaced or composed, same key."""
    folded = " ".join(unicodedata.normalize("NFKC", text).split())
    return hashlib.sha256(folded.encode("utf-8")).hexdigest()[:16]


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


# The letters (str.isalpha) of the Arabic-script blocks: Arabic, and the presentation forms.
_ARABIC_LETTER = re.compile(
    "["
    + "".join(re.escape(chr(c)) for first, last in ((0x600, 0x6FF), (0xFB50, 0xFEFF))
              for c in range(first, last + 1) if chr(c).isalpha())
    + "]"
)


def arabic_script_share(text: str) -> float:
    """Share of letters (str.isalpha) that are Arabic-script (Persian and Arabic).
    This runs on every article: the Arabic letters are removed in one C-level regex
    pass, and only what remains (spaces, digits, punctuation, Latin) is looked at
    character by character."""
    rest = _ARABIC_LETTER.sub("", text)
    arabic = len(text) - len(rest)
    letters = arabic + sum(map(str.isalpha, rest))
    return arabic / letters if letters else 0.0


# Letters Persian has and Arabic lacks; an Arabic-script text with none is not Persian.
PERSIAN_ONLY = set("پچژگ")


def detect_language(text: str) -> str:
    """'fa' for Persian, else an ISO 639-1 code (langdetect) or 'und'."""
    sample = text[:5000]
    if arabic_script_share(sample) >= 0.5:
        if not PERSIAN_ONLY.isdisjoint(sample) or "ی" in sample or "ک" in sample:
            return "fa"
        return "ar"
    try:
        from langdetect import DetectorFactory, detect

        DetectorFactory.seed = 0  # langdetect is random unless seeded
        return detect(sample)
    except Exception:  # langdetect raises on text with no features (digits only)
        return "und"


def html_to_text(html: str) -> tuple[str, str | None]:
    """Main text and title of an HTML page (trafilatura), '' when it has none."""
    import trafilatura

    text = trafilatura.extract(html, include_comments=False, include_tables=False, favor_recall=True) or ""
    meta = trafilatura.extract_metadata(html)
    return text, (meta.title if meta is not None else None)


# --------------------------------------------------------------------------- titles
#
# A post of a news channel opens with decoration, not a headline: an emoji line (♦️, 👈,
# 🔴, 🎥), a bullet, a section hashtag (#چند_خبر_کوتاه), a one-word label (فوری, آکسیوس)
# whose colon is on the next line; and it ends with the channel's handle (@Farsna) and
# "Link". The title is the first line with words once that is set aside.

# A character that is a letter or a digit of any script (what makes a word).
_WORD_CHAR = re.compile(r"[^\W_]")
# What decorates a line's ends: anything but letters, digits and closing/opening
# punctuation that belongs to the text (quotes, brackets, ?, !, ., …).
_EDGE_DECORATION = re.compile(r"^[^\w«\"'“(\[]+|[^\w»\"'”)\]?!؟.…:]+$")
# Tokens that mark the channel, not the news: @handles, #hashtags, links, "Link".
_MARKER_TOKEN = re.compile(r"^(?:[@#]\S+|https?://\S+|t\.me/\S+|www\.\S+|link|لینک|[-–—|])$", re.IGNORECASE)
# A byline whose agency name was lost ("به گزارش" alone on its line) is no title.
_BYLINE_STUB = re.compile(r"^(?:به ?گزارش|به نقل از|منبع)\W*$")
TITLE_MAX_CHARS = 200


def _words(line: str) -> list[str]:
    return [token for token in line.split() if _WORD_CHAR.search(token)]


def _title_candidate(line: str) -> str:
    """A line without its decoration: markdown marks, bullets, emoji at either end."""
    line = unicodedata.normalize("NFC", line).strip()
    line = line.lstrip("#>").strip().strip("*_").strip()
    return _EDGE_DECORATION.sub("", line).strip()


def _is_marker(line: str) -> bool:
    tokens = line.split()
    return not tokens or all(_MARKER_TOKEN.match(t.strip("()[]،,.:")) for t in tokens) or bool(_BYLINE_STUB.match(line))


def _shorten(title: str) -> str:
    if len(title) <= TITLE_MAX_CHARS:
        return title
    cut = title[:TITLE_MAX_CHARS].rsplit(" ", 1)[0]
    return cut.rstrip(" ،,:؛") + "…"


def title_from_text(text: str, look_ahead: int = 8) -> str | None:
    """The title of an article that has none of its own: its first line with words.

    Lines of decoration only (emoji, bullets, symbols), channel markers (@handle,
    #hashtag, a link) and a bare "به گزارش" are skipped; a one-word line ("فوری") is
    skipped when a line with more words follows within ``look_ahead`` lines. A line that
    ends in a colon ("آکسیوس:", "دختر قاسم سلیمانی:"), or whose colon stands alone on the
    next line, introduces what follows: the two are one title. Long first lines (a post
    with no headline) are cut at a word near TITLE_MAX_CHARS characters, with "…"."""
    raw_lines = text.splitlines()
    lines = [_title_candidate(raw) for raw in raw_lines]
    # (index, line) of lines that carry words; a lone colon line is kept as a joiner
    found: list[tuple[int, str]] = []
    for i, line in enumerate(lines):
        if raw_lines[i].strip() in (":", "："):
            found.append((i, ":"))
        elif _words(line) and not _is_marker(line) and not _is_marker(raw_lines[i].strip()):
            found.append((i, line))
    words_only = [(i, l) for i, l in found if l != ":"]
    if not words_only:
        return None
    first = words_only[0]
    if len(_words(first[1])) < 2:
        longer = next(((i, l) for i, l in words_only[1:look_ahead + 1] if len(_words(l)) >= 2), None)
        colon_follows = any(l == ":" for i, l in found if first[0] < i < (longer or (len(lines), ""))[0])
        if longer is not None and not colon_follows and not first[1].endswith(":"):
            first = longer
    title = first[1]
    position = found.index(first)
    rest = found[position + 1:]
    if rest and (title.endswith(":") or rest[0][1] == ":"):
        following = next((l for _, l in rest if l != ":"), None)
        if following:
            title = title.rstrip(":").rstrip() + ": " + following
    return _shorten(title)


def has_words(title: str | None) -> bool:
    return bool(title) and bool(_words(_title_candidate(title)))


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


def load_json(text: str):
    """A JSON value, or Rejected("invalid_json", ...) when it does not parse, nests too
    deep or holds too many values (MAX_JSON_DEPTH, MAX_JSON_VALUES)."""
    bare = _JSON_STRING.sub('""', text)  # strings hold no structure
    values = bare.count(",") + bare.count("[") + bare.count("{")
    brackets = _NOT_BRACKET.sub("", bare[: 4 * MAX_JSON_VALUES] if values > MAX_JSON_VALUES else bare)
    depth = deepest = 0
    for ch in brackets:
        depth += 1 if ch in "[{" else -1
        if depth > deepest:
            deepest = depth
            if deepest > MAX_JSON_DEPTH:
                raise Rejected("invalid_json", "nesting too deep")
    if values > MAX_JSON_VALUES:
        raise Rejected("invalid_json", f"more than {MAX_JSON_VALUES} values")
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise Rejected("invalid_json", f"line {exc.lineno} column {exc.colno}") from None
    except RecursionError:  # a thread's smaller stack or limit than the check assumed
        raise Rejected("invalid_json", "nesting too deep") from None


def parse_file(path: str, data: bytes) -> tuple[list[dict], str | None]:
    """Records of one file and a note (bad .jsonl lines); raises Rejected."""
    suffix = path[path.rfind(".") :].lower() if "." in path.rsplit("/", 1)[-1] else ""
    if suffix not in SUPPORTED_EXTENSIONS:
        raise Rejected("unsupported_extension", suffix or "none")
    text, note = decode_with_note(data)
    if suffix in (".txt", ".md"):
        return [{"raw_text": text, "title": None, "url": None, "outlet": None, "published_at": None}], note
    if suffix in (".html", ".htm"):
        body, title = html_to_text(text)
        if not body.strip():
            raise Rejected("no_article_text")
        # trafilatura's recall mode returns a menu or a footer when the page has no
        # article: a few words of links are not an article.
        words = len([w for w in body.split() if any(ch.isalpha() for ch in w)])
        if words < MIN_HTML_WORDS:
            raise Rejected("no_article_text", f"{words} words of text outside markup")
        return [{"raw_text": body, "title": title, "url": None, "outlet": None, "published_at": None}], note
    if suffix == ".json":
        return [record_from_json(load_json(text))], note
    records, bad = [], []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            record = record_from_json(load_json(line))
        except Rejected as exc:
            if exc.reason.startswith("invalid_json:line "):
                exc.reason = "invalid_json"  # the position within one line says little
            bad.append(f"line {number}: {exc.reason}")
            continue
        record["line"] = number
        records.append(record)
    if not records:
        raise Rejected("no_valid_lines", "; ".join(bad[:5]))
    return records, ("; ".join(filter(None, [note, *bad])) or None)


def parse_files(files: pl.DataFrame) -> ParsedFiles:
    """Parse a batch of read files.

    ``files`` has ``source_path`` (str), ``data`` (binary, null when reading failed) and
    ``read_error`` (str, a REJECT_REASONS key, null when read). Returns one article row per
    Persian record and one outcome row per file.
    """
    articles: list[dict] = []
    outcomes: list[dict] = []
    for path, data, read_error in files.select("source_path", "data", "read_error").iter_rows():
        sha = hashlib.sha256(data).hexdigest() if data is not None else None
        try:
            if read_error:
                raise Rejected(read_error)
            records, note = parse_file(path, data)
            ids, kept, languages, found = [], 0, [], []
            for record in records:
                language = detect_language(record["raw_text"])
                if language != "fa":
                    languages.append(language)
                    continue
                line = record.pop("line", None)
                record["title"] = record["title"] if has_words(record["title"]) else title_from_text(record["raw_text"])
                published = record["published_at"]
                record.update(
                    article_id=article_key(record["raw_text"]),
                    source_path=f"{path}#L{line}" if line else path,
                    file_path=path,
                    content_sha256=sha,
                    published_date=published.astimezone(TEHRAN).date() if published else None,
                )
                found.append(record)
                ids.append(record["article_id"])
                kept += 1
            if not kept:
                raise Rejected("not_persian", languages[0] if languages else "und")
            if languages:
                note = "; ".join(filter(None, [note, f"{len(languages)} non-Persian records skipped"]))
            articles.extend(found)  # only now: a file that fails halfway adds none
            outcomes.append({"source_path": path, "content_sha256": sha, "rejected": False, "reason": note, "article_ids": ids})
        except Rejected as exc:
            outcomes.append({"source_path": path, "content_sha256": sha, "rejected": True, "reason": exc.reason, "article_ids": []})
        except Exception as exc:  # a file's failure stays that file's: the rest of the batch goes on
            outcomes.append({
                "source_path": path, "content_sha256": sha, "rejected": True,
                "reason": f"parse_failed:{type(exc).__name__}", "article_ids": [],
            })
    return ParsedFiles(
        articles=pl.DataFrame(articles, schema=ARTICLE_SCHEMA) if articles else pl.DataFrame(schema=ARTICLE_SCHEMA),
        outcomes=pl.DataFrame(outcomes, schema=OUTCOME_SCHEMA) if outcomes else pl.DataFrame(schema=OUTCOME_SCHEMA),
    )
