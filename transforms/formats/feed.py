"""RSS 2.0, RSS 1.0 (RDF) and Atom feed files: one item (entry) is one article.

``.rss`` and ``.atom`` files, and ``.xml`` files whose root is a feed. The XML is parsed
with entities never expanded, no DTD loaded and no network (what defusedxml guards
against: a billion-laughs file, an external entity reading a local file); a document
that declares entities is refused outright. An item's text is its ``content:encoded`` /
Atom ``content`` or else its ``description`` / ``summary``, HTML turned into text.
"""

from __future__ import annotations

import re
from email.utils import parsedate_to_datetime
from html.parser import HTMLParser

from lxml import etree

from transforms.formats.common import TEHRAN, Rejected, decode_with_note, parse_published_at

NAME = "feed"
SUFFIXES = (".rss", ".atom", ".xml")
REASONS = {
    "invalid_xml": "a feed file that does not parse as XML, or declares entities (never expanded)",
    "not_a_feed": "an .xml file whose root is not rss, feed (Atom) or rdf:RDF",
    "no_items": "a feed none of whose items carries text",
}
_ENTITY_DECLARATION = re.compile(r"<!ENTITY", re.IGNORECASE)
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")


def _parser() -> etree.XMLParser:
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False, remove_comments=True)


class _Text(HTMLParser):
    """HTML to text: block elements end a line, scripts and styles are dropped."""

    BLOCKS = {"p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "tr", "section", "article"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self.skip += 1
        elif tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self.skip = max(0, self.skip - 1)
        elif tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data):
        if not self.skip:
            self.parts.append(data)


def html_text(fragment: str) -> str:
    parser = _Text()
    parser.feed(fragment)
    parser.close()
    lines = (" ".join(line.split()) for line in "".join(parser.parts).splitlines())
    return "\n".join(line for line in lines if line)


def _local(tag) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


# Media RSS (<media:content url=...>, <media:title>) describes an attachment, not the item.
_MEDIA_RSS = "{http://search.yahoo.com/mrss/}"


def _child(element, *names: str):
    for child in element:
        if _local(child.tag) in names and not str(child.tag).startswith(_MEDIA_RSS):
            return child
    return None


def _text_of(element) -> str:
    if element is None:
        return ""
    if element.get("type") == "xhtml":  # Atom: the content is markup, not escaped text
        return "".join(etree.tostring(child, encoding="unicode") for child in element) or (element.text or "")
    return "".join(element.itertext())


def _when(value: str):
    value = value.strip()
    if not value:
        return None
    try:
        moment = parsedate_to_datetime(value)  # RSS: RFC 822 dates
    except (TypeError, ValueError, IndexError):
        return parse_published_at(value)  # Atom, dc:date: ISO 8601
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=TEHRAN)
    return parse_published_at(moment.isoformat())


def _link(item) -> str | None:
    for child in item:
        if _local(child.tag) != "link":
            continue
        if child.get("href") is not None:  # Atom
            if child.get("rel", "alternate") == "alternate":
                return child.get("href").strip()
        elif (child.text or "").strip():
            return child.text.strip()
    return None


def parse(path: str, data: bytes) -> tuple[list[dict], str | None]:
    text, note = decode_with_note(data)
    if _ENTITY_DECLARATION.search(text[:65536]):
        raise Rejected("invalid_xml", "declares entities")
    try:
        # The text is decoded already; lxml refuses a str that still declares an encoding.
        root = etree.fromstring(_XML_DECLARATION.sub("", text, count=1), _parser())
    except etree.XMLSyntaxError as exc:
        raise Rejected("invalid_xml", f"line {exc.lineno}") from None
    kind = _local(root.tag)
    if kind == "rss":
        channel = _child(root, "channel")
        items = [e for e in (channel if channel is not None else []) if _local(e.tag) == "item"]
    elif kind == "RDF":
        channel = _child(root, "channel")
        items = [e for e in root if _local(e.tag) == "item"]
    elif kind == "feed":
        channel = root
        items = [e for e in root if _local(e.tag) == "entry"]
    else:
        raise Rejected("not_a_feed", f"root <{kind}>")
    outlet = html_text(_text_of(_child(channel, "title"))) if channel is not None else None
    records, empty = [], 0
    for number, item in enumerate(items, start=1):
        full = html_text(_text_of(_child(item, "encoded", "content")))
        lead = html_text(_text_of(_child(item, "description", "summary")))
        body = full if len(full) >= len(lead) else lead
        if not body.strip():
            empty += 1
            continue
        guid = _text_of(_child(item, "guid", "id")).strip()
        date = _child(item, "pubDate", "published", "updated", "date")
        records.append({
            "raw_text": body,
            "title": html_text(_text_of(_child(item, "title"))) or None,
            "url": _link(item),
            "outlet": outlet or None,
            "published_at": _when(_text_of(date)) if date is not None else None,
            "key": f"guid={guid}" if guid else f"item={number}",
        })
    if not records:
        raise Rejected("no_items", f"{len(items)} items, none with text")
    return records, "; ".join(filter(None, [note, f"{empty} items without text skipped" if empty else None])) or None
