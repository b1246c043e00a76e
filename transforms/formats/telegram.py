"""A Telegram Desktop export (``result.json``): one post is one article.

Recognised by content, whatever the file is called: a JSON object with a top-level
``messages`` list. A message's ``text`` is a string or a list of entities (strings and
``{"type", "text"}`` objects). ``date`` is the exporting machine's local time, so the
exact ``date_unixtime`` is used; a message edited after posting has ``edited`` /
``edited_unixtime``. Service messages (joins, pins) and photo-only posts carry no
article. Each post is keyed ``msg=<id>``: a re-export with an edited post yields a new
version of that post's article (a new content key at the same key).
"""

from __future__ import annotations

import re
from datetime import datetime, timezone

from transforms.formats.common import TEHRAN, Rejected, decode_with_note, load_json

NAME = "telegram"
SUFFIXES = (".json",)
REASONS = {
    "no_posts": "a Telegram export none of whose messages carries text (service messages, photos only)",
}
# A channel's export holds about 15 JSON values per post: the .json record guard
# (MAX_JSON_VALUES) would refuse any real one; the file size limit bounds it instead.
MAX_EXPORT_VALUES = 2_000_000
# Exports open with the chat's name, type and id, then the messages list.
_MESSAGES_KEY = re.compile(rb'^\s*\{.{0,4096}?"messages"\s*:\s*\[', re.DOTALL)


def claims(data: bytes) -> bool:
    # Sniffed on the head only: a plain article record is never read twice. The key's
    # bytes are looked for first: the pattern tries every place within 4 KB of the "{".
    head = data[:8192]
    return b'"messages"' in head and bool(_MESSAGES_KEY.match(head.lstrip(b"\xef\xbb\xbf")))


def _text(value) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, list):
        return "".join(part if isinstance(part, str) else str(part.get("text", "")) for part in value if isinstance(part, (str, dict)))
    return ""


def _moment(message: dict, exact: str, local: str) -> datetime | None:
    stamp = message.get(exact)
    if isinstance(stamp, (str, int)) and str(stamp).isdigit():
        return datetime.fromtimestamp(int(stamp), tz=timezone.utc)
    value = message.get(local)
    if isinstance(value, str):  # an old export without unixtime: assume it was made in Iran
        try:
            return datetime.fromisoformat(value).replace(tzinfo=TEHRAN).astimezone(timezone.utc)
        except ValueError:
            return None
    return None


def _link(chat: dict, message_id) -> str | None:
    # The export names no channel handle; t.me/c/<chat id>/<post id> opens the post.
    chat_id = chat.get("id")
    return f"https://t.me/c/{chat_id}/{message_id}" if isinstance(chat_id, int) and isinstance(message_id, int) else None


def parse(path: str, data: bytes) -> tuple[list[dict], str | None]:
    text, note = decode_with_note(data)
    chat = load_json(text, max_values=MAX_EXPORT_VALUES)
    if not isinstance(chat, dict) or not isinstance(chat.get("messages"), list):
        raise Rejected("invalid_json", "a Telegram export needs a top-level messages list")
    outlet = chat.get("name") if isinstance(chat.get("name"), str) else None
    records, skipped = [], 0
    for message in chat["messages"]:
        if not isinstance(message, dict) or message.get("type") != "message":
            skipped += 1  # service messages: joins, pins, title changes
            continue
        body = _text(message.get("text"))
        if not body.strip():
            skipped += 1  # a photo, a sticker or a file without a caption
            continue
        records.append({
            "raw_text": body,
            "title": None,  # a post has no headline: its first line with words (parsing.title_from_text)
            "url": _link(chat, message.get("id")),
            "outlet": outlet,
            "published_at": _moment(message, "date_unixtime", "date"),
            "key": f"msg={message.get('id')}",
        })
    if not records:
        raise Rejected("no_posts", f"{skipped} messages without text")
    return records, "; ".join(filter(None, [note, f"{skipped} messages without text skipped" if skipped else None])) or None
