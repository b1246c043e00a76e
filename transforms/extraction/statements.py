"""Statements: who said what (گفت، افزود، اظهار داشت، تاکید کرد، تصریح کرد ...)."""

from __future__ import annotations

import re

from core.script import TOKEN_LETTERS

from .text import LiteralStarts, NormText

VERBS = ["اظهار داشت", "اظهار کرد", "تاکید کرد", "تأکید کرد", "تصریح کرد", "خاطرنشان کرد", "یادآور شد", "افزود", "گفت", "اعلام کرد"]
_VERB_FORMS = sorted({v.replace("أ", "ا") for v in VERBS}, key=len, reverse=True)
_VERB_RE = re.compile(
    f"(?<![{TOKEN_LETTERS}])(" + "|".join(_VERB_FORMS) + r")(?!\s*و\s*گو|\s*وگو|گو)(?:\s*:|(?=[\s.،]))"
)
_VERB_STARTS = LiteralStarts(_VERB_FORMS)


def find_statements(nt: NormText, text: str, sents, sent_n):
    """-> list of (sentence_index, verb, text_start, text_end, verb_norm_start) over clean_text."""
    s = nt.s
    out = []
    verb_starts = _VERB_STARTS.starts(s)
    for i, (a, b) in enumerate(sent_n):
        for m in LiteralStarts.finditer(_VERB_RE, s, verb_starts, a, b):
            verb = m.group(1)
            if s[m.end() - 1] == ":" or s[m.end():m.end() + 2].strip().startswith(":"):
                ta = m.end()
                while ta < b and s[ta] in " :":
                    ta += 1
                tb = b
            else:
                # "X ... بر ... تاکید کرد": the reported content precedes the verb
                ta, tb = a, m.start()
            if tb - ta < 8:
                continue
            x, _ = nt.orig(ta, ta + 1)
            _, y = nt.orig(tb - 1, tb)
            seg = text[x:y].strip()
            if not seg:
                continue
            x = text.index(seg, x)
            out.append((i, verb, x, x + len(seg), m.start()))
            break
    return out
