"""Article metadata in the text: outlet (``به گزارش X``) and the outlet it cites
(``به نقل از Y``)."""

from __future__ import annotations

import re

_REPORT = re.compile(r"به\s*گزارش\s+(.+?)(?=\s*(?:به\s*نقل\s*از|،|,|:|\n|\.|$| و ))")
_CITED = re.compile(r"به\s*نقل\s*از\s+(.+?)(?=\s*(?:،|,|:|\n|\.|$))")
_STRIP_PREFIX = re.compile(r"^(?:خبرنگار|گروه)\s+(?:\S+\s+){0,2}?(?=خبرگزاری|پایگاه|روزنامه|شبکه|سایت)")


def article_meta(text: str) -> tuple[str | None, str | None]:
    outlet = cited = None
    m = _REPORT.search(text or "")
    if m:
        outlet = _STRIP_PREFIX.sub("", m.group(1).strip()).strip() or None
        if outlet and len(outlet) > 60:
            outlet = None
        if outlet:
            outlet = re.sub(r"\s+از\s+\S+$", "", outlet)
            if outlet.endswith("به"):
                outlet = outlet[:-2].strip()
    c = _CITED.search(text or "")
    if c:
        cited = c.group(1).strip()
        if len(cited) > 60:
            cited = None
    return outlet, cited
