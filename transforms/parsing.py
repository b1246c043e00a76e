"""Turn the bytes of article files into article records.

Pure functions: the flow reads the bytes (flows/files.py) and hands them here as a
polars frame; nothing in this module touches the file system.

Every file ends in exactly one outcome row (``file_outcomes``): either it yielded
articles, or it is rejected with a reason from ``REJECT_REASONS``. A ``.jsonl`` file
with some bad lines still yields its good lines; the bad ones are named in the reason.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass

import polars as pl

from transforms import formats
from transforms.formats import REASONS as FORMAT_REASONS
from transforms.formats import SUPPORTED_EXTENSIONS  # noqa: F401  (re-exported)
from transforms.formats.common import (  # noqa: F401  (re-exported: callers and tests use them from here)
    MAX_JSON_DEPTH, MAX_JSON_VALUES, TEHRAN, Rejected, arabic_script_share, decode_bytes, decode_with_note,
    load_json, parse_published_at, record_from_json,
)

# Reasons a file is rejected (documented in the README; the load checks membership): each
# format's own (transforms/formats/), then those of reading and of the flow.
REJECT_REASONS = {
    **FORMAT_REASONS,
    "parse_failed": "reading the file's records raised an unexpected error (parse_failed:<exception type>)",
    "not_persian": "the text is in another language (reason names it: not_persian:en)",
    "too_large": "the file (a .jsonl: one of its records) is above the size limit",
    "unreadable": "the file could not be read (permissions, I/O error, a symbolic link loop): unreadable:<system error>",
    "not_regular_file": "a FIFO, socket or device in the input folder (never opened)",
    "dangling_symlink": "a symbolic link inside the input folder whose target does not exist",
    "vanished": "the file was removed between discovery and reading",
    "symlink_outside_root": "a symbolic link pointing outside the input folder",
    # Given by the flow (flows/files.py, flows/batch.py), not by parsing:
    "directory_symlink": "a symbolic link to a folder inside the input folder (not followed)",
    "clean_failed": "cleaning raised on the file's articles (clean_failed:<exception type>)",
    "extract_failed": "extraction raised on the file's articles (extract_failed:<exception type>)",
    "transform_timeout": "the file's transform step ran over its time budget (TAMAS_FILE_SECONDS)",
    "worker_died": "the process transforming the file died (worker_died:<signal or exit status>)",
}

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


@dataclass(frozen=True)
class ParsedFiles:
    articles: pl.DataFrame  # ARTICLE_SCHEMA, one row per article
    outcomes: pl.DataFrame  # OUTCOME_SCHEMA, one row per file


def article_key(text: str) -> str:
    """Content key of an article: the same text, however spaced or composed, same key."""
    folded = " ".join(unicodedata.normalize("NFKC", text).split())
    return hashlib.sha256(folded.encode("utf-8")).hexdigest()[:16]


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
        from transforms.language import detect

        return detect(sample)
    except Exception:  # langdetect raises on text with no features (digits only)
        return "und"


# --------------------------------------------------------------------------- titles
#
# A post of a news channel opens with decoration, not a headline: an emoji line (♦️, 👈,
# 🔴, 🎥), a bullet, a section hashtag (#چند_خبر_کوتاه), a one-word label (فوری, آکسیوس)
# whose colon is on the next line; and it ends with the channel's handle (@Farsna) and
# "Link". The title is the first line with words once that is set aside.

# A character that is a letter or a digit of any script (what makes a word).
_WORD_CHAR = re.compile(r"[^\W_]")
# What decorates a line's ends: anything but letters, digits and closing/opening
# punctuation that belongs to the text (quotes, brackets, ?, !, ., …). The end's run is
# matched at the start of the reversed line: re would try a pattern ending in "$" at
# every position.
_LEADING_DECORATION = re.compile(r"^[^\w«\"'“(\[]+")
_TRAILING_DECORATION_REVERSED = re.compile(r"[^\w»\"'”)\]?!؟.…:]+")
# Tokens that mark the channel, not the news: @handles, #hashtags, links, "Link".
_MARKER_TOKEN = re.compile(r"^(?:[@#]\S+|https?://\S+|t\.me/\S+|www\.\S+|link|لینک|[-–—|])$", re.IGNORECASE)
# A byline whose agency name was lost ("به گزارش" alone on its line) is no title.
_BYLINE_STUB = re.compile(r"^(?:به ?گزارش|به نقل از|منبع)\W*$")
TITLE_MAX_CHARS = 200


def _has_words(line: str) -> bool:
    """Some token of the line (split at whitespace) has a word character: whitespace is
    none, so a token has one where the line has one."""
    return _WORD_CHAR.search(line) is not None


def _has_two_words(line: str) -> bool:
    """Two tokens of the line have a word character; it stops at the second (a first
    line can be a whole paragraph)."""
    found = 0
    for token in line.split():
        if _WORD_CHAR.search(token):
            found += 1
            if found == 2:
                return True
    return False


def _title_candidate(line: str) -> str:
    """A line without its decoration: markdown marks, bullets, emoji at either end."""
    line = unicodedata.normalize("NFC", line).strip()
    line = line.lstrip("#>").strip().strip("*_").strip()
    return _without_edge_decoration(line).strip()


def _without_edge_decoration(line: str) -> str:
    """The line without its decoration: the same as removing the matches of
    ``^[^\\w«"'“(\\[]+|[^\\w»"'”)\\]?!؟.…:]+$``."""
    line = _LEADING_DECORATION.sub("", line, count=1)
    trailing = _TRAILING_DECORATION_REVERSED.match(line[::-1])
    return line[:len(line) - trailing.end()] if trailing else line


def _is_marker_token(token: str) -> bool:
    return _MARKER_TOKEN.match(token.strip("()[]،,.:")) is not None


def _is_marker(line: str) -> bool:
    # the first token decides for most lines: a paragraph is split whole only when it
    # opens with a marker
    first = line.split(None, 1)
    if first and not _is_marker_token(first[0]):
        return bool(_BYLINE_STUB.match(line))
    tokens = line.split()
    return not tokens or all(map(_is_marker_token, tokens)) or bool(_BYLINE_STUB.match(line))


def _shorten(title: str) -> str:
    if len(title) <= TITLE_MAX_CHARS:
        return title
    cut = title[:TITLE_MAX_CHARS].rsplit(" ", 1)[0]
    return cut.rstrip(" ،,:؛") + "…"


def _lines_with_words(raw_lines: list[str]):
    """(index, line) of the lines that carry words, decoration set aside, in order; a lone
    colon line is kept as ":" (a joiner)."""
    for i, raw in enumerate(raw_lines):
        stripped = raw.strip()
        if stripped in (":", "："):
            yield i, ":"
            continue
        line = _title_candidate(raw)
        if _has_words(line) and not _is_marker(line) and not _is_marker(stripped):
            yield i, line


class _Pulled:
    """The items of an iterator, pulled only as far as they are asked for: a title needs
    the first few lines with words, not every line of the article."""

    def __init__(self, items):
        self._items = iter(items)
        self._seen: list = []

    def get(self, k: int):
        while len(self._seen) <= k:
            item = next(self._items, None)
            if item is None:
                return None
            self._seen.append(item)
        return self._seen[k]


def title_from_text(text: str, look_ahead: int = 8) -> str | None:
    """The title of an article that has none of its own: its first line with words.

    Lines of decoration only (emoji, bullets, symbols), channel markers (@handle,
    #hashtag, a link) and a bare "به گزارش" are skipped; a one-word line ("فوری") is
    skipped when a line with more words follows within ``look_ahead`` lines. A line that
    ends in a colon ("آکسیوس:", "دختر قاسم سلیمانی:"), or whose colon stands alone on the
    next line, introduces what follows: the two are one title. Long first lines (a post
    with no headline) are cut at a word near TITLE_MAX_CHARS characters, with "…"."""
    found = _Pulled(_lines_with_words(text.splitlines()))
    k = 0
    while (first := found.get(k)) is not None and first[1] == ":":
        k += 1
    if first is None:
        return None
    if not _has_two_words(first[1]):
        # the first of the next look_ahead lines with words that has two, unless a lone
        # colon comes between (the one word introduces what follows)
        j, looked, colon_between = k + 1, 0, False
        while looked < look_ahead and (line := found.get(j)) is not None:
            if line[1] == ":":
                colon_between = True
            else:
                looked += 1
                if _has_two_words(line[1]):
                    if not colon_between and not first[1].endswith(":"):
                        k, first = j, line
                    break
            j += 1
    title = first[1]
    after = found.get(k + 1)
    if after is not None and (title.endswith(":") or after[1] == ":"):
        j = k + 1
        while (line := found.get(j)) is not None and line[1] == ":":
            j += 1
        if line is not None:
            title = title.rstrip(":").rstrip() + ": " + line[1]
    return _shorten(title)


def has_words(title: str | None) -> bool:
    return bool(title) and _has_words(_title_candidate(title))


def parse_file(path: str, data: bytes, first_line: int | None = None) -> tuple[list[dict], str | None]:
    """Records of one file (or, with ``first_line``, of one part of a .jsonl cut at line
    ends) and a note; raises Rejected."""
    if first_line is not None:
        return formats.jsonl.parse(path, data, first_line)
    return formats.for_path(path, data).parse(path, data)


def parse_files(files: pl.DataFrame) -> ParsedFiles:
    """Parse a batch of read files.

    ``files`` has ``source_path`` (str), ``data`` (binary, null when reading failed) and
    ``read_error`` (str, a REJECT_REASONS key, null when read); a row that is one part of
    a .jsonl also has ``first_line`` and ``file_sha256`` (the whole file's hash). Returns
    one article row per Persian record and one outcome row per row of ``files``.
    """
    articles: list[dict] = []
    outcomes: list[dict] = []
    parts = files.select(
        *(pl.col(c) if c in files.columns else pl.lit(None).alias(c) for c in ("first_line", "file_sha256"))
    )
    rows = zip(files.select("source_path", "data", "read_error").iter_rows(), parts.iter_rows())
    for (path, data, read_error), (first_line, file_sha) in rows:
        sha = file_sha or (hashlib.sha256(data).hexdigest() if data is not None else None)
        try:
            if read_error:
                raise Rejected(read_error)
            records, note = parse_file(path, data, first_line)
            ids, kept, languages, found = [], 0, [], []
            for record in records:
                language = detect_language(record["raw_text"])
                if language != "fa":
                    languages.append(language)
                    continue
                key = record.pop("key", None)
                record["title"] = record["title"] if has_words(record["title"]) else title_from_text(record["raw_text"])
                published = record["published_at"]
                record.update(
                    article_id=article_key(record["raw_text"]),
                    source_path=f"{path}#{key}" if key else path,
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


# At most this many notes on one file's outcome (a big .jsonl can have many bad lines).
MAX_NOTES = 20


def whole_files(
    pending: dict, files: pl.DataFrame, outcomes: pl.DataFrame, loaded: list[str]
) -> tuple[pl.DataFrame, pl.DataFrame, list[str]]:
    """A loaded batch's files and outcomes (one row each per row of ``files``, in the same
    order) with the parts of a .jsonl (flows/files.py, ``split_records``) folded into one
    row per file, once all its parts are in: the file yields the articles of all its
    parts, and is rejected only when none yields one. Parts of files not yet complete
    wait in ``pending`` (the loader's, kept across batches). ``loaded``: paths that
    loaded a new article in this batch; returned with the completed files that did in
    any of theirs."""
    if "part_index" not in files.columns or files["part_index"].is_null().all():
        return files, outcomes, loaded
    assert files.height == outcomes.height
    keep, done_files, done_outcomes, loaded = [], [], [], list(loaded)
    columns = ("source_path", "size_bytes", "mtime_ns", "previous_sha256", "part_index", "part_count",
               "part_note", "first_line", "weight", "file_sha256")
    for i, (row, outcome) in enumerate(zip(files.select(columns).iter_rows(named=True), outcomes.iter_rows(named=True))):
        if row["part_index"] is None:
            keep.append(i)
            continue
        path = row["source_path"]
        state = pending.setdefault(path, {"seen": 0, "ids": [], "notes": [], "first_reason": None, "loaded": False})
        if row["part_note"]:
            state["notes"].append(row["part_note"])
        if outcome["rejected"]:
            last = row["first_line"] + row["weight"] - 1
            state["notes"].append(f"lines {row['first_line']}-{last}: {outcome['reason']}")
            state["first_reason"] = state["first_reason"] or outcome["reason"]
        else:
            state["ids"].extend(outcome["article_ids"] or [])
            if outcome["reason"]:
                state["notes"].append(outcome["reason"])
        state["loaded"] = state["loaded"] or path in loaded
        state["seen"] += 1
        if state["seen"] < row["part_count"]:
            continue
        del pending[path]
        notes = state["notes"]
        note = "; ".join(notes[:MAX_NOTES] + ([f"… {len(notes) - MAX_NOTES} more"] if len(notes) > MAX_NOTES else [])) or None
        rejected = not state["ids"]
        done_files.append({c: row[c] for c in ("source_path", "size_bytes", "mtime_ns", "previous_sha256")})
        done_outcomes.append({
            "source_path": path, "content_sha256": row["file_sha256"], "rejected": rejected,
            "reason": state["first_reason"] if rejected else note, "article_ids": state["ids"],
        })
        if state["loaded"]:
            loaded.append(path)
    file_columns = ["source_path", "size_bytes", "mtime_ns", "previous_sha256"]
    merged_files = pl.concat([
        files.select(file_columns).with_row_index("_i").filter(pl.col("_i").is_in(keep)).drop("_i"),
        pl.DataFrame(done_files, schema=files.select(file_columns).schema),
    ])
    merged_outcomes = pl.concat([outcomes.with_row_index("_i").filter(pl.col("_i").is_in(keep)).drop("_i"), pl.DataFrame(done_outcomes, schema=OUTCOME_SCHEMA)])
    return merged_files, merged_outcomes, loaded


def with_known_articles(files: pl.DataFrame, previous: dict[str, list[tuple[str, str]]]) -> pl.DataFrame:
    """``files`` with ``known_ids``: the articles a past run loaded from the same file
    (``previous``: {file path: [(article_id, source_path)]}). A re-read file's records
    whose content key is among them (a re-exported channel's unedited posts) are not
    cleaned or extracted again (flows/batch.py); the parts of a big .jsonl get none."""
    known = pl.DataFrame(
        {"source_path": list(previous), "known_ids": [[a for a, _ in rows] for rows in previous.values()]},
        schema={"source_path": pl.String, "known_ids": pl.List(pl.String)},
    )
    joined = files.join(known, on="source_path", how="left", maintain_order="left")
    if "part_index" in joined.columns:
        joined = joined.with_columns(pl.when(pl.col("part_index").is_null()).then(pl.col("known_ids")).alias("known_ids"))
    return joined
