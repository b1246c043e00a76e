"""Format noise removal, the first step of the cleaning (transforms/cleaning.py): HTML
to text, invisible characters and stray ZWNJ, emoji, markdown headings and bold, bullets,
@handles, #hashtags, "Link" tails, lines of junk or a bare URL, a Telegram footer after
the channel's signature, and sentences a scraper broke across lines joined again.

- ``strip_noise(raw)``     the paragraphs of a raw text, noise removed;
- ``join_broken(lines)``   lines joined where a sentence was broken (also run on the
  cleaned lines, so that cleaning stays idempotent);
- ``fix_edge_zwnj(s)``     a ZWNJ kept only between two letters (also run after hazm).
"""

from __future__ import annotations

import html
import re
import unicodedata
from functools import lru_cache

from core.script import LETTER_SET, LETTERS, ZWNJ

_L = f"[{LETTERS}]"

_EMOJI_CANDIDATE = re.compile(
    "[\u2190-\u2bff\u2e00-\u2e7f\u3000-\u303f\ufe0e\ufe0f\u200d\u20e3\u203c\u2049"
    "\U0001f000-\U0001faff\U000e0020-\U000e007f]"
)
_EMOJI_MODIFIERS = frozenset("\ufe0e\ufe0f\u200d\u20e3\u203c\u2049")


@lru_cache(maxsize=4096)
def _is_pictograph(ch: str) -> bool:
    """Unicode category So (symbol, other) from U+2190 on -- arrows, dingbats, emoji,
    regional indicators -- or an emoji modifier/joiner/tag/skin tone."""
    cp = ord(ch)
    return (
        ch in _EMOJI_MODIFIERS
        or 0x1F3FB <= cp <= 0x1F3FF
        or 0xE0020 <= cp <= 0xE007F
        or (cp >= 0x2190 and unicodedata.category(ch) == "So")
    )


_ABOVE_ARROWS = re.compile("[\u2190-\U0010ffff]")


def _drop_emoji(s: str) -> str:
    """Remove pictographic symbols (by Unicode category, see _is_pictograph).
    Fast path: text with no code point from U+2190 on has none (one C-level scan)."""
    if not _ABOVE_ARROWS.search(s):
        return s
    return _EMOJI_CANDIDATE.sub(lambda m: " " if _is_pictograph(m.group(0)) else m.group(0), s)


# invisible format characters that carry no text: bidi marks/embeddings/isolates,
# zero-width space, BOM, soft hyphen, private-use characters (we use those internally).
_INVISIBLE_CHARS = "\u200b\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff\u00ad\ue000-\uf8ff"
_INVISIBLE = re.compile(f"[{_INVISIBLE_CHARS}]")
# [ ]*ZWNJ+[ ]*, written as two branches that open with a space or a ZWNJ, so that re can
# skip ahead to one (a repeat it tries at every position)
_ZWNJ_RUN = re.compile(f" [ ]*{ZWNJ}+[ ]*|{ZWNJ}+[ ]*")


def _zwnj_repl(m: re.Match) -> str:
    s, a, b = m.string, m.start(), m.end()
    run = m.group(0)
    if run[0] == " " or run[-1] == " ":
        return " " if a > 0 and b < len(s) else ""
    prev = s[a - 1] if a > 0 else ""
    nxt = s[b] if b < len(s) else ""
    if prev in LETTER_SET and nxt in LETTER_SET:
        return ZWNJ
    if (prev.isalnum() and prev not in LETTER_SET) or (nxt.isalnum() and nxt not in LETTER_SET):
        return " "
    return ""


# A ZWNJ with something other than a letter on either side (a space, another ZWNJ, a
# line end): the only kind _zwnj_repl changes.
_MISPLACED_ZWNJ = re.compile(f"{ZWNJ}(?:(?<!{_L}{ZWNJ})|(?!{_L}))")


def fix_edge_zwnj(s: str) -> str:
    """A ZWNJ only joins two letters: next to a space it goes, next to a digit or
    Latin it is a space, next to anything else (punctuation, line end) nothing."""
    return _ZWNJ_RUN.sub(_zwnj_repl, s) if ZWNJ in s and _MISPLACED_ZWNJ.search(s) else s


_OTHER_SPACES = "\u00a0\u2000-\u200a\u202f\u205f\u3000\t\v\f"
_SPACE_CHARS = re.compile(f"[{_OTHER_SPACES}]")
# few texts have either: one scan decides whether the two substitutions run
_INVISIBLE_OR_SPACE = re.compile(f"[{_INVISIBLE_CHARS}{_OTHER_SPACES}]")
_N_MARKER = re.compile(r"[ ]*\[n\][ ]*")
_MD_HEADING = re.compile(r"^[ ]{0,3}#{1,6}[ ]+")
_MD_BOLD = re.compile(r"\*\*|__")
_BULLET_CHARS = "*•▪●◾◽▫■□-"
_BULLET = re.compile(rf"^[ ]*[{re.escape(_BULLET_CHARS)}][ ]+")


def strip_bullet(line: str) -> str:
    """A list item's bullet ("• ", "- ") removed from the start of a line."""
    return _BULLET.sub("", line) if line.lstrip(" ")[:1] in _BULLET_CHARS else line
# (?<![\w@.])@..., with the look-behind after the "@" so that re can skip ahead to one
_HANDLE = re.compile(r"@(?<![\w@.]@)[A-Za-z][A-Za-z0-9_]{2,}")
_LINK_TAIL = re.compile(r"[ ]*[|\-–—][ ]*(?:Link|لینک)[ ]*$")
_HASHTAG = re.compile(r"(?<![\w&])#([^\s#]+)")
_URL_ONLY = re.compile(
    r"^(?:https?://\S+|www\.\S+|[A-Za-z0-9][A-Za-z0-9.-]*\.(?:com|ir|org|net|me|io|news|tv)(?:/\S*)?)$",
    re.IGNORECASE,
)
_JUNK_LINE = re.compile(r"^[\s|\-–—_=~•·.]*(?:Link|لینک)?[\s|\-–—_=~•·.]*$")
_HTML_TAG = re.compile(r"</?[A-Za-z][^<>]*>")

# a line ending with one of these words, or the next one starting with one, is a
# sentence a scraper broke: join them.
_CONT_END = frozenset(
    "و در به از که تا با را برای این آن بر یا اما چون های ها یک هر بین میان روی زیر "
    "پس پیش ضمن درباره طی علیه توسط".split()
)
_CONT_START = frozenset("را نیز و است بود شد کرد کردند گفت ،".split())
_TERMINAL = tuple(".!?؟:…»)")


def _html_to_text(s: str) -> str:
    if "<" in s and _HTML_TAG.search(s):
        try:
            import lxml.html  # trafilatura's dependency; a real parser, not a regex

            root = lxml.html.fromstring(s)
            for br in root.iter("br", "p", "div", "li", "h1", "h2", "h3", "h4", "tr"):
                br.tail = "\n" + (br.tail or "")
            s = root.text_content()
        except Exception:  # not HTML after all (e.g. a "<" in prose)
            pass
    if "&" in s:
        s = html.unescape(s)
    return s


def strip_noise(raw: str) -> list[str]:
    """Remove format noise; return paragraphs (lines joined where a scraper broke a
    sentence)."""
    s = _html_to_text(raw)
    s = s.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n").replace("\u2029", "\n")
    if _INVISIBLE_OR_SPACE.search(s):
        s = _SPACE_CHARS.sub(" ", _INVISIBLE.sub("", s))
    if ZWNJ in s:  # a ZWNJ not between two letters is a space (digits) or nothing
        s = fix_edge_zwnj(s)
    if "[n]" in s:
        s = _N_MARKER.sub("\n", s)
    s = _drop_emoji(s.replace("《", "«").replace("》", "»"))

    has_at, has_hash = "@" in s, "#" in s
    has_link = "Link" in s or "لینک" in s
    # a removed hashtag can leave bold marks behind ("*#*x" -> "**x")
    has_bold = "**" in s or "__" in s or "*#" in s or "_#" in s
    lines: list[str | None] = []  # None = paragraph break
    signature_at = -1
    for line in s.split("\n"):
        had_handle = False
        if has_at and "@" in line:
            line, handles = _HANDLE.subn(" ", line)
            had_handle = handles > 0
        if has_link and line.rstrip(" ").endswith(("Link", "لینک")):  # where _LINK_TAIL can match
            line = _LINK_TAIL.sub("", line)
        if has_hash and "#" in line:
            line = _MD_HEADING.sub("", line)
            line = _HASHTAG.sub(lambda m: m.group(1).replace("_", " "), line)
        if has_bold:
            line = _MD_BOLD.sub("", line)
        line = strip_bullet(line)
        line = " ".join(line.split())
        if not line or _JUNK_LINE.match(line) or _URL_ONLY.match(line):
            if had_handle:
                signature_at = len(lines)
            lines.append(None)
            continue
        lines.append(line)

    # Telegram footer after a channel signature ("@AloNews\nخبر جنگ"): short label lines
    if signature_at >= 0:
        tail = [x for x in lines[signature_at + 1 :] if x is not None]
        if tail and all(len(x.split()) <= 4 and not x.endswith(_TERMINAL) for x in tail):
            lines = lines[: signature_at + 1]

    return join_broken([x for x in lines if x is not None])


def _should_join(prev: str, line: str) -> bool:
    """A sentence a scraper broke across lines: the first part has no terminal
    punctuation and ends with a connective, or the next starts with one."""
    if prev.endswith(_TERMINAL):
        return False
    if prev.endswith("،"):
        return True
    return prev.rsplit(" ", 1)[-1] in _CONT_END or line.split(" ", 1)[0] in _CONT_START


def join_broken(lines: list[str]) -> list[str]:
    # applied the same way to every line break (blank line, noise line or not), and
    # again on the cleaned lines, so that clean_text stays idempotent
    paragraphs: list[str] = []
    for line in lines:
        if paragraphs and _should_join(paragraphs[-1], line):
            # no space before a comma, as hazm would have it
            paragraphs[-1] = paragraphs[-1] + ("" if line.startswith("،") else " ") + line
        else:
            paragraphs.append(line)
    return paragraphs
