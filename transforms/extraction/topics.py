"""Topics of a call: cue phrases of seeds/lexicon/topic_cues.csv found in the sentences
about the call (its cue sentences, sentences naming a participant or referring back to
the call, and Telegram-style lines that follow a "SPEAKER:" line). Cues inside a
participant's title are not evidence. Each topic keeps the first sentence that shows it."""

from __future__ import annotations

import re

from .lexicon import Lexicon
from .memo import per_object
from .text import NormText, Span, is_letter

ANAPHORA = ("این تماس", "این گفتگو", "این گفت وگو", "این گفت و گو", "این مکالمه", "این رایزنی", "دو طرف", "طرفین",
            "دو کشور", "در ادامه", "وی ", "او ", "همچنین")


def scope_sentences(nt: NormText, sents: list[Span], sent_n: list[tuple[int, int]], call_positions: set[int],
                    cue_sents: set[int], long_article: bool) -> list[int]:
    s = nt.s
    out = []
    prev_in, prev_colon = False, False
    quoting = False   # short post: the lines after "SPEAKER: ..." about the call are the speaker's words
    for i, (a, b) in enumerate(sent_n):
        seg = s[a:b]
        inside = i in cue_sents or any(a <= p < b for p in call_positions)
        if not inside and not long_article:
            inside = any(x in seg for x in ANAPHORA[:7]) or (prev_in and prev_colon)
            if not inside and quoting and ":" not in seg and not seg.lstrip().startswith("#"):
                inside = True
        if not long_article:
            if inside and ":" in seg:
                quoting = True
            elif ":" in seg or seg.lstrip().startswith("#"):
                quoting = False
        elif not inside:
            inside = any(x in seg for x in ANAPHORA[:7])
        if not inside and prev_in and re.match(r"(وی|او|ایشان|این مقام) ", seg):
            inside = True
        if inside:
            out.append(i)
        prev_in = inside or (prev_in and prev_colon)
        prev_colon = seg.rstrip().endswith(":")
    return out


BLOCK = "-"   # topic_cues.csv code of a blocking phrase: it consumes the cues it overlaps


_BETWEEN = re.compile(r"\s*(میان|بین|با)\s")


def _third_party(s: str, y: int, end: int, g, parties: set) -> bool:
    """An agreement "میان/بین/با" countries none of which is on the call: not the parties' agreement."""
    if g is None or not parties or not _BETWEEN.match(s, y, end):
        return False
    from .officials import _raw_hits

    win = s[y:min(end, y + 50)]
    codes = {p[1] for _, _, lst in _raw_hits(g, win) for p in lst if p[0] == "C"}
    return bool(codes) and not (codes & parties)


@per_object
def _cue_automaton(lex: Lexicon):
    """One Aho-Corasick automaton over every topic cue (built once per lexicon): a
    sentence is scanned once, not once per cue."""
    import ahocorasick

    by_form: dict[str, list[tuple[int, str, str, bool]]] = {}
    for k, (code, cue, prefix) in enumerate(lex.topic_cues):
        if cue:
            by_form.setdefault(cue, []).append((k, code, cue, prefix))
    automaton = ahocorasick.Automaton()
    for form, entries in by_form.items():
        automaton.add_word(form, entries)
    automaton.make_automaton()
    return automaton


def _cue_hits(automaton, seg: str):
    """(start, end, cue index, code, prefix) of each cue in seg, in the order of
    ``re.finditer`` per cue: a cue's occurrences do not overlap one another."""
    out = []
    last_end: dict[int, int] = {}
    for end, entries in automaton.iter(seg):
        for k, code, cue, prefix in entries:
            start = end - len(cue) + 1
            if start < last_end.get(k, 0):
                continue
            last_end[k] = end + 1
            out.append((start, end + 1, k, code, prefix))
    return out


def find_topics(nt: NormText, text: str, sents, sent_n, scope: list[int], lex: Lexicon, excluded: list[tuple[int, int]],
                g=None, parties: set | None = None):
    """Cues of each scope sentence, longest first; a shorter cue overlapping a longer one
    is part of it ("امنیت دریانوردی" is security, not transport; a blocking phrase of code
    '-' such as "توافق کردند" is no topic at all)."""
    s = nt.s
    automaton = _cue_automaton(lex)
    got: dict[str, tuple[int, int]] = {}
    for i in scope:
        a, b = sent_n[i]
        hits = []
        for start, end, k, code, prefix in _cue_hits(automaton, s[a:b]):
            x, y = a + start, a + end
            if x > 0 and is_letter(s[x - 1]):
                continue
            if x > 1 and s[x - 1] in " -" and s[x - 2].isascii() and s[x - 2].isalpha():
                continue  # part of a Latin-script name: "RBC-اوکراین"
            if not prefix and y < len(s) and is_letter(s[y]):
                # allow plural/adjectival suffix written with a space (ZWNJ): "تحریم ها"
                continue
            if any(ex_a <= x < ex_b for ex_a, ex_b in excluded):
                continue
            if code == "agreements" and _third_party(s, y, b, g, parties or set()):
                code = BLOCK
            hits.append((x, y, k, code))
        taken: list[tuple[int, int]] = []
        # longest first, then leftmost, then lexicon order (as the per-cue scan had it)
        for x, y, _k, code in sorted(hits, key=lambda h: (h[0] - h[1], h[0], h[2])):
            if any(x < tb and ta < y for ta, tb in taken):
                continue
            taken.append((x, y))
            if code != BLOCK and code not in got:
                got[code] = (sents[i].start, sents[i].end)
    return got
