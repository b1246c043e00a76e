"""An HTML page: its main text (trafilatura) is one article."""

from __future__ import annotations

from transforms.formats.common import Rejected, decode_with_note

NAME = "html"
SUFFIXES = (".html", ".htm")
REASONS = {"no_article_text": "an HTML page with no main text"}

# An HTML page whose main text has fewer words is a menu or an error page, not an article.
MIN_HTML_WORDS = 12


def html_to_text(html: str) -> tuple[str, str | None]:
    """Main text and title of an HTML page (trafilatura), '' when it has none."""
    import trafilatura

    text = trafilatura.extract(html, include_comments=False, include_tables=False, favor_recall=True) or ""
    meta = trafilatura.extract_metadata(html)
    return text, (meta.title if meta is not None else None)


def parse(path: str, data: bytes) -> tuple[list[dict], str | None]:
    text, note = decode_with_note(data)
    body, title = html_to_text(text)
    if not body.strip():
        raise Rejected("no_article_text")
    # trafilatura's recall mode returns a menu or a footer when the page has no
    # article: a few words of links are not an article.
    words = len([w for w in body.split() if any(ch.isalpha() for ch in w)])
    if words < MIN_HTML_WORDS:
        raise Rejected("no_article_text", f"{words} words of text outside markup")
    return [{"raw_text": body, "title": title, "url": None, "outlet": None, "published_at": None}], note
