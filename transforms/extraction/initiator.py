"""Who placed the call (ANNOTATION.md): تماس (a call) is directional, گفت‌وگو is not.

- X: "تماس تلفنی X با Y", "در تماس تلفنی X با Y", "X در تماس تلفنی با Y", "X با Y تماس
  گرفت / تماس تلفنی برقرار کرد", "Y در پاسخ به تماس X", "Y تماس X را دریافت کرد",
  "تماس ... از سوی X";
- null: "X در گفت‌وگوی تلفنی با Y", "X و Y در تماس تلفنی ...", "X با Y تماس تلفنی داشت".
"""

from __future__ import annotations

from .text import words_after, words_before

JOINERS = {"و", "،", ","}
ADJ_SKIP = {"اضطراری", "محرمانه", "پرتنش", "یک", "ساعته", "دقیقه", "ای", "مهم", "خود", "جداگانه", "طولانی", "کوتاه", "فوری", "دوم", "دومین", "سومین", "اولین", "نخستین", "سازنده"}
# time adverbs between the cue and 'با': "X در تماس تلفنی صبح امروز با Y"
TIME_SKIP = {"صبح", "ظهر", "عصر", "شب", "امروز", "دیروز", "امشب", "دیشب", "بامداد", "شامگاه", "روز", "بعدازظهر",
             "گذشته", "اخیر", "شنبه", "یکشنبه", "دوشنبه", "سه", "چهارشنبه", "پنجشنبه", "جمعه"}


def ba_group(s: str, parts: list[tuple[str, int, int]], ba_end: int) -> list[tuple[str, int, int]]:
    """Participants forming the contiguous list right after 'با' (joined by و / ،)."""
    after = sorted([p for p in parts if p[1] >= ba_end], key=lambda p: p[1])
    group = []
    prev_end = ba_end
    for p in after:
        gap = s[prev_end:p[1]].replace("«", " ").replace("»", " ").replace("،", " ، ").split()
        if group and not all(t in JOINERS for t in gap):
            break
        if not group and len(gap) > 3:
            break
        group.append(p)
        prev_end = p[2]
    return group


def find_ba(s: str, lo: int, hi: int, after: int) -> int | None:
    """End offset of the first token 'با' in [after, hi)."""
    i = s.find(" با ", max(lo, after - 1), hi)
    if i < 0:
        return None
    return i + 4


def initiator(s: str, cue_start: int, cue_end: int, directional: bool, clause: tuple[int, int],
              parts: list[tuple[str, int, int]]) -> tuple[str | None, int]:
    """-> (participant key or None, strength)."""
    lo, hi = clause
    parts = [p for p in parts if lo <= p[1] < hi]
    if not parts:
        return None, 0
    before_txt = s[max(lo, cue_start - 14):cue_start]
    # skip adjectives after the cue
    j = cue_end
    for a, b, t in words_after(s, cue_end, 6):
        if t in ADJ_SKIP or t in TIME_SKIP or t.isdigit():
            j = b
            continue
        break
    nxt_tok = words_after(s, j, 1)
    first_after = sorted([p for p in parts if p[1] >= cue_end], key=lambda p: p[1])
    # Y در پاسخ به تماس X
    if "پاسخ به" in before_txt and first_after:
        return first_after[0][0], 3
    # تماس ... از سوی X (دریافت کرد)
    k = s.find("از سوی", cue_end, hi)
    if k < 0:
        k = s.find("از طرف", cue_end, hi)
    if k >= 0 and k - cue_end < 40:
        cand = [p for p in parts if p[1] >= k]
        if cand:
            return sorted(cand, key=lambda p: p[1])[0][0], 3
    if not directional:
        return None, 0
    # "X در جریان تماس تلفنی با Y" is not the directional "X در تماس تلفنی با Y" (ANNOTATION.md)
    prev = [t for _, _, t in words_before(s, cue_start, 3) if t not in ADJ_SKIP]
    if prev and prev[0] == "جریان":
        return None, 0
    # X با Y تماس (تلفنی) گرفت / برقرار کرد ; X با Y تماس تلفنی داشت -> null
    before = [p for p in parts if p[2] <= cue_start]
    verb = " ".join(t for _, _, t in words_after(s, cue_end, 3))
    if before and (" گرفت" in " " + verb or "برقرار" in verb):
        ba = find_ba(s, lo, cue_start, lo)
        if ba is not None:
            subj = [p for p in before if p[2] <= ba]
            if subj:
                return subj[0][0], 2
    if before and ("داشت" in verb) and find_ba(s, lo, cue_start, lo) is not None:
        return None, 0
    # تماس تلفنی X با Y / در تماس تلفنی X با وی
    if nxt_tok and nxt_tok[0][2] != "با" and first_after and not s[j:first_after[0][1]].strip(' «»"'):
        p = first_after[0]
        rest = words_after(s, p[2], 1)
        if not (rest and rest[0][2] == "و" and len(first_after) > 1 and first_after[1][1] - p[2] < 6):
            return p[0], 2
    # X در تماس تلفنی با Y ; در تماس تلفنی با Y، X ...
    if nxt_tok and nxt_tok[0][2] in {"با", "خود"}:
        ba = find_ba(s, lo, hi, j - 1)
        if ba is not None:
            grp = {p[0] for p in ba_group(s, parts, ba)}
            others = [p for p in parts if p[0] not in grp]
            keys = []
            for p in sorted(others, key=lambda p: p[1]):
                if p[0] not in keys:
                    keys.append(p[0])
            if len(keys) == 1:
                return keys[0], 2
            if len(keys) > 1:
                return "*left", 2
    return None, 0
