"""Topics of a call: the word families of seeds/lexicon/topic_words.csv in the sentences
that report the call's content.

Those sentences are the call's own sentences (the headline too when it names the call)
and the ones that continue its report: they name a participant, refer back to the call
(در این تماس، طرفین، دو طرف، وی ...), or quote a participant after the call clause's
colon. A sentence that reports another call, or starts another item of a digest, ends
the continuation. Words inside a participant's title (وزیر دفاع) are not content; a
place or organisation that is itself a party to the call is not a topic of it; an
agreement between countries none of which is on the call is not the parties'
agreement. Each topic keeps the first sentence that shows it.
"""

from __future__ import annotations

import bisect
import re

import ahocorasick

from .dates import GREG_MONTHS, HIJRI_MONTHS, JALALI_MONTHS
from .lexicon import Lexicon, TopicWord
from .memo import per_object
from .text import TOKEN_CHARS, TOKEN_RE, NormText, norm, words_not_after
from .verbs import verb_at

INFLECTIONS = ("ها", "های", "هایی", "ات", "ان", "ی", "ای", "یی", "ش", "شان")
# A month's name read as a topic word with an inflection ("آبان" as آب + ان) is a date.
MONTH_NAMES = frozenset(JALALI_MONTHS) | frozenset(GREG_MONTHS) | frozenset(HIJRI_MONTHS)
# words that refer back to the call or to its parties; the parties also by their number
# ("دو رهبر"، "هر سه وزیر")
# the words that refer back to the call itself
CALL_REFERENCE = ("این تماس", "این گفتگو", "این گفت وگو", "این گفت و گو", "این مکالمه", "این رایزنی", "این تماس ها",
                  "این گفتگوها", "این ویدئو کنفرانس", "این ویدئوکنفرانس")
CALL_REFERENCE = tuple(norm(w) for w in CALL_REFERENCE)  # in the matching form, as the text is compared
CONTINUATION = CALL_REFERENCE + tuple(norm(w) for w in (
    "طرفین", "این کشورها", "این کشور ها", "این رهبران", "این مقامات", "این وزیران",
    *(f"{number} {head}" for number in ("دو", "سه", "چهار", "پنج")
      for head in ("طرف", "رهبر", "وزیر", "مقام", "کشور", "رئیس", "همتا"))))
OPENERS = ("وی ", "او ", "ایشان ", "همچنین ", "در ادامه ", "وی همچنین", "این مقام ")
NEW_ITEM = ("#", "🔹", "▪", "◀")
# discourse markers that open another development, not more of the call ("در همین حال، ...")
ANOTHER_MATTER = tuple(norm(w) for w in ("در همین حال", "در همین حین", "از سوی دیگر", "از طرف دیگر", "در خبری دیگر",
                                         "در خبر دیگری", "همزمان"))
# a meeting in person told as its own event ("X با Y دیدار کرد"): another event than the call
_MEETING = re.compile(r"(?<!\S)(?:دیدار|ملاقات)(?: و (?:[^.،:]{0,80}? )?(?:گفتگو|گفت و گو|گفت وگو|رایزنی))? "
                      r"(?:کرد|کردند|کرده|داشت|داشتند|داشته|می کند|می کنند|خواهد کرد|خواهند کرد)"
                      r"(?: بود| بودند| است| اند)?(?=\s|$|\.|،|؛)")


def _spellings(form: str) -> set[str]:
    """A multi-word term with each space kept or glued (ZWNJ-joined parts come to the
    matcher glued, plain spaces stay: آژانس بین‌المللی انرژی اتمی, پروتکل‌های بهداشتی)."""
    words = form.split()
    out = set()
    for mask in range(1 << max(0, len(words) - 1)):
        parts = [words[0]]
        for k, w in enumerate(words[1:]):
            if mask >> k & 1:
                parts[-1] += w
            else:
                parts.append(w)
        out.add(" ".join(parts))
    return out


@per_object
def _automaton(lex: Lexicon):
    a = ahocorasick.Automaton()
    forms: dict[str, list[TopicWord]] = {}
    for w in lex.topic_words:
        for v in _spellings(w.form):
            forms.setdefault(v, []).append(w)
    for f, ws in forms.items():
        a.add_word(f, (f, ws))
    a.make_automaton()
    return a


def _right_ok(s: str, end: int, kind: str) -> int | None:
    """End of the match with its inflection, or None when the word goes on."""
    if end >= len(s) or s[end] not in TOKEN_CHARS:
        # a ZWNJ-spaced plural: "تحریم ها"
        for inf in ("های", "ها"):
            if s.startswith(" " + inf, end) and (end + len(inf) + 1 >= len(s) or s[end + len(inf) + 1] not in TOKEN_CHARS):
                return end + len(inf) + 1
        return end
    if kind == "stem":
        k = end
        while k < len(s) and s[k] in TOKEN_CHARS:
            k += 1
        return k
    for inf in sorted(INFLECTIONS, key=len, reverse=True):
        k = end + len(inf)
        if s.startswith(inf, end) and (k >= len(s) or s[k] not in TOKEN_CHARS):
            return k
    return None


def topic_hits(s: str, lo: int, hi: int, lex: Lexicon) -> list[tuple[int, int, TopicWord]]:
    """Non-overlapping family matches in s[lo:hi], longest first."""
    seg = s[lo:hi]
    cand = []
    for end, (form, ws) in _automaton(lex).iter(seg):
        a = end - len(form) + 1
        if a > 0 and seg[a - 1] in TOKEN_CHARS:
            continue
        for w in ws:
            b = _right_ok(seg, end + 1, w.kind)
            if b is not None and seg[a:b] not in MONTH_NAMES:
                cand.append((lo + a, lo + b, w))
    cand.sort(key=lambda h: (h[0] - h[1], h[0]))
    # the spans taken so far, disjoint, by start: only the last one starting before b
    # can overlap [a, b) (a scan of all of them was quadratic in a long sentence)
    starts: list[int] = []
    ends: list[int] = []
    out = []
    for a, b, w in cand:
        k = bisect.bisect_left(starts, b) - 1
        if k >= 0 and ends[k] > a:
            continue
        starts.insert(k + 1, a)
        ends.insert(k + 1, b)
        out.append((a, b, w))
    return sorted(out, key=lambda h: h[0])


def content_sentences(nt: NormText, sent_n: list[tuple[int, int]], call_sents: set[int], other_call,
                      names_call, headline: int | None, quote_from: dict[int, int],
                      first_person: set[int] = frozenset()) -> list[int]:
    """Indices of the sentences that report the call's content; names_call(j) says
    whether sentence j names one of the call's participants, other_call(j) whether it
    reports another call (both asked only where needed). A call told in the first person
    ("... تلفنی صحبت کردم"; sentences in ``first_person``) goes on in the sentences
    after it whose verb is in the first person too ("درباره ... حرف زدیم")."""
    s = nt.s
    out = set(call_sents)
    if headline is not None and names_call(headline):
        out.add(headline)
    # What a sentence does to a walk depends on the sentence and the walk's two flags
    # only: a walk reaching a sentence an earlier walk with the same flags reached goes
    # on as that one did, so it stops there (each sentence is looked at once per flag
    # pair, not once per earlier call sentence: a call named in every sentence of a
    # long article was quadratic).
    reached: dict[tuple[bool, bool], set[int]] = {}
    for i in sorted(call_sents):
        quoting = i in quote_from
        speaking = i in first_person
        seen = reached.setdefault((quoting, speaking), set())
        for j in range(i + 1, len(sent_n)):
            if j in seen:
                break
            seen.add(j)
            if j not in call_sents and other_call(j):
                break
            seg = s[sent_n[j][0]:sent_n[j][1]]
            if seg.lstrip().startswith(NEW_ITEM):
                break
            if seg.lstrip().startswith("به گزارش"):
                # the agency's attribution: what follows it must go on with the call
                # ("به گزارش تسنیم، در این تماس طرفین ..."), else it is another item
                comma = seg.find("،")
                if comma < 0:
                    break
                seg = seg[comma + 1:]
            if not any(c in seg for c in CALL_REFERENCE) and (
                    seg.lstrip().startswith(ANOTHER_MATTER) or _MEETING.search(seg)):
                break             # "در همین حال، ..."، "X همچنین با Y دیدار کرد": another event
            colon = seg.find(":")
            label = seg[:colon].split() if colon >= 0 else []
            if label and len(label) <= 6 and not names_call(j) and not seg.lstrip().startswith(OPENERS) \
                    and not any(verb_at(label, k) for k in range(len(label))):
                break             # "LABEL: ..." with no reporting verb starts another item
            named = any(c in seg for c in CONTINUATION) or seg.lstrip().startswith(OPENERS)
            marked = named or quoting
            if not named and _pluperfect_verb(seg):
                break             # "X پیش‌تر به ریاض سفر کرده بود": background, not the call (nor the quote's)
            cont = marked or names_call(j) or (speaking and first_person_verb(seg))
            if not cont:
                break
            out.add(j)
            if ":" in seg and not names_call(j) and not quoting:
                break
    return sorted(out)


def _pluperfect_verb(seg: str) -> bool:
    tokens = TOKEN_RE.findall(seg)
    return any((v := verb_at(tokens, k)) and v[1].tense == "pluperfect" for k in range(len(tokens)))


def first_person_verb(seg: str) -> bool:
    tokens = TOKEN_RE.findall(seg)
    return any((v := verb_at(tokens, k)) and v[1].person in ("1s", "1p") and v[1].tense in _PAST for k in range(len(tokens)))


_PAST = ("past", "perfect", "pluperfect")  # what was said in the call; not what the speaker will do


def zwnj_spaces(nt: NormText, text: str) -> list[int]:
    """Positions in the matching form of the spaces that stand for a ZWNJ."""
    out = []
    for m in re.finditer("\u200c", text):
        i = nt.to_norm(m.start())
        if i < len(nt.s) and nt.s[i] == " ":
            out.append(i)
    return out


def _glued(s: str, zwnj: list[int], a: int, b: int) -> tuple[str, list[int]]:
    """s[a:b] without the spaces that stand for a ZWNJ (کشتی‌رانی, نیرو‌های are one word
    to a reader), and the offset in s of each of its characters."""
    lo, hi = bisect.bisect_left(zwnj, a), bisect.bisect_left(zwnj, b)
    if lo == hi:
        return s[a:b], list(range(a, b))
    chars, offs, pos = [], [], a
    for z in zwnj[lo:hi]:
        chars.append(s[pos:z])
        offs.extend(range(pos, z))
        pos = z + 1
    chars.append(s[pos:b])
    offs.extend(range(pos, b))
    return "".join(chars), offs


SUBJECT_NOUNS = {"موضوع", "تحولات", "وضعیت", "اوضاع", "مسائل", "مسئله", "پرونده", "شرایط", "بحران", "قضیه",
                 "آینده", "جنگ", "آخرین", "اخیر", "تازه"}
SUBJECT_NOUNS = frozenset(norm(w) for w in SUBJECT_NOUNS)  # in the matching form, as the text is compared


def third_country_subject(s: str, a: int, b: int, lex: Lexicon, parties: set, country_spans, c_starts) -> bool:
    """The call is about a country that takes no part in it ("درباره ایران", "در مورد
    تحولات لبنان"): crisis diplomacy, the conflict_crisis topic (TOPICS.md names
    countries as its cues)."""
    for m in lex.pattern("content").finditer(s, a, b):
        pos = m.end() + 1
        for _ in range(2):      # "درباره آخرین تحولات لبنان"
            w = s[pos:s.find(" ", pos) if s.find(" ", pos) >= 0 else b]
            if w not in SUBJECT_NOUNS:
                break
            pos += len(w) + 1
        named = _country_at(pos, country_spans, c_starts)
        if named is not None and named not in parties:
            return True
    return False


def _country_at(pos: int, country_spans, c_starts) -> str | None:
    """The country whose name starts at pos, if one does."""
    j = bisect.bisect_left(c_starts, pos)
    return country_spans[j][2] if j < len(country_spans) and country_spans[j][0] == pos else None


def find_topics(nt: NormText, zwnj: list[int], sents, sent_n, scope: list[int], lex: Lexicon,
                excluded: list[tuple[int, int]], parties: set, country_spans: list[tuple[int, int, str]],
                call_sents: set[int], starts: tuple[list[int], list[int]], words_of: dict | None = None):
    """topic code -> (start, end) of the first scope sentence (original offsets) that
    shows it. zwnj: zwnj_spaces of the article; excluded: sorted spans of its officials;
    starts: the starts of excluded and of country_spans; words_of: a sentence's topic
    words, as ``_topic_words`` gives them, filled as sentences are first seen (an
    article's calls share all four: the calls of a long article share sentences)."""
    s = nt.s
    c_starts = starts[1]
    if words_of is None:
        words_of = {}
    got: dict[str, tuple[int, int]] = {}
    deferred: dict[str, tuple[str, tuple[int, int]]] = {}   # code -> (the topic that covers it, evidence)
    for i in scope:
        a, b = sent_n[i]
        if i in call_sents and "conflict_crisis" not in got and third_country_subject(
                s, a, b, lex, parties, country_spans, c_starts):
            got["conflict_crisis"] = (sents[i].start, sents[i].end)
        words = words_of.get(i)
        if words is None:
            words = words_of[i] = _discussed(s, a, b, _topic_words(s, zwnj, a, b, lex, excluded, starts[0]))
        for y, w in words:
            if w.code in got:
                continue
            if w.country and w.country in parties:
                continue
            if w.code == "agreements" and _third_party(s, y, b, parties, country_spans, c_starts):
                continue
            if w.code == "visits_invitations" and _visit_of_others(s, y, b, parties, excluded, starts[0],
                                                                   country_spans, c_starts):
                continue
            if w.code == "water_environment" and _sea_area(s, y, country_spans, c_starts):
                continue
            covering = _COVERED.get((w.code, w.form)) or _COVERED.get((w.code, None))
            if covering is not None:
                deferred.setdefault(w.code, (covering, (sents[i].start, sents[i].end)))
                continue
            got[w.code] = (sents[i].start, sents[i].end)
    for code, (covering, evidence) in deferred.items():
        if code not in got and covering not in got:
            got[code] = evidence
    return got


# a word whose topic another topic of the call covers: fuel in a call about nuclear
# matters is nuclear fuel ("مبادله سوخت"، "سوخت راکتور تهران"); medicine in a call about
# the epidemic is the epidemic's (TOPICS.md: health is other health cooperation).
# (code, family or None for every family of the code) -> the covering topic
_COVERED = {("energy", norm("سوخت")): "nuclear_sanctions", ("health", None): "covid19"}
# "آب‌های خلیج فارس/سرزمینی/ایران": a sea area, not water as a resource ("آب‌های زیرزمینی")
_WATERS = re.compile(r"(?<!\S)" + norm("آب") + r" ?های$")
_SEA_AREA_WORDS = frozenset(norm(w) for w in ("خلیج", "دریای", "دریا", "تنگه", "اقیانوس", "سرزمینی", "ساحلی", "آزاد",
                                               "بین", "بین المللی", "منطقه", "انحصاری", "نزدیک", "جنوبی", "شمالی"))


def _sea_area(s: str, y: int, country_spans, c_starts) -> bool:
    if not _WATERS.search(s, max(0, y - 8), y):
        return False
    pos = y + 1
    if _country_at(pos, country_spans, c_starts) is not None:
        return True
    following = s[pos:pos + 30].split()
    return bool(following) and (following[0] in _SEA_AREA_WORDS or " ".join(following[:2]) in _SEA_AREA_WORDS)


# Each pattern below stands after whitespace or at the start, (?<!\S): written with the
# look-behind after each word's first letter (text.words_not_after), so that re can skip
# ahead to a first letter; tests/test_fast_patterns.py keeps their plain forms.

# "موضوع سفر در این تماس مطرح نشد": what the sentence says was not discussed is no topic
_NOT_DISCUSSED = re.compile(
    "(?:" + words_not_after([f"{a} {b}" for a in ("مطرح", "بحث", "صحبتی", "گفتگویی", "اشاره ای", "سخنی", "حرفی")
                             for b in ("نشد", "نشده", "نشدند", "نبود")] + ["به میان نیامد"], r"\S")
    + r")(?=\s|$|\.|،)"
)


# "در حالی (...) که C": C is the circumstance of the main clause
_WHILE = re.compile(words_not_after(["در حالی"], r"\S") + r"(?=\s|$|،)")
_THAT = re.compile(words_not_after(["که"], r"\S") + r"(?=\s|$)")
_CALL_WORD = re.compile(words_not_after(["تماس", "تلفن", "گفتگو", "گفت و گو", "گفت وگو", "مکالمه", "رایزنی"], r"\S"))


def _circumstance(s: str, a: int, b: int) -> tuple[int, int] | None:
    """The span of a "در حالی ... که" circumstance in s[a:b] that does not itself tell a
    call: "در حالی که C، ..." up to the comma, "X در حالی ... V که C" to the end."""
    m = _WHILE.search(s, a, b)
    if m is None:
        return None
    that = _THAT.search(s, m.end(), b)
    if that is None:
        return None
    lo = that.start()
    hi = b
    if not s[m.end():that.start()].strip():          # "در حالی که C، M"
        comma = s.find("،", that.end(), b)
        hi = comma if comma >= 0 else b
    if _CALL_WORD.search(s, lo, hi):
        return None
    return lo, hi


# "به گزارش X،"، "به نقل از X،": the source, up to its comma
_ATTRIBUTION = re.compile(
    "(?:" + words_not_after(["به گزارش", "به نقل از", "به نوشته", "به گفته"]
                            + [f"بر اساس {w}" for w in ("امار", "ارقام", "گزارش", "اعلام", "اطلاعات")], r"\S")
    + r")\s[^،:.]{1,60}?(?=،)"
)


def _sources(s: str, a: int, b: int) -> list[tuple[int, int]]:
    """Spans of s[a:b] that name where the text comes from, not what was said: an
    attribution ("به گزارش دنیای اقتصاد،") and a label of up to three words opening the
    sentence ("اکوایران: ...") — an outlet's name is no topic."""
    out = [(m.start(), m.end()) for m in _ATTRIBUTION.finditer(s, a, b)]
    colon = s.find(":", a, min(b, a + 40))
    if colon > a and len(s[a:colon].split()) <= 3:
        words = s[a:colon].split()
        if not any(verb_at(words, k) for k in range(len(words))):
            out.append((a, colon))
    return out


# "در آستانه X" (on the eve of X): X dates the call, it is not what was discussed
_EVE = re.compile(r"(?<!\S)در استانه\s")
# "این گفت‌وگو یک روز پس از X انجام شد": the call placed in time by another event
_CALL_PLACED = re.compile(r"(?<!\S)این (?:تماس|گفتگو|گفت و گو|گفت وگو|مکالمه|رایزنی)(?: تلفنی)?\s(?P<adjunct>.{0,200}?)"
                          r"(?:انجام|صورت|برقرار)\s(?:شد|گرفت|شده است|گرفته است)(?=\s|$|\.|،|؛)")
_TEMPORAL = re.compile(r"(?<!\S)(?:در استانه|پس از|پیش از|بعد از|قبل از|همزمان با|در \S+ روز)\s")


def _time_adjuncts(s: str, a: int, b: int) -> list[tuple[int, int]]:
    """Spans of s[a:b] that only place the call in time by another event (TOPICS.md: a
    past event used as a date is no topic)."""
    out = []
    seg = s[a:b]
    if "استانه" in seg:
        for m in _EVE.finditer(s, a, b):
            comma = s.find("،", m.end(), b)
            out.append((m.start(), comma if comma >= 0 else b))
    if "این " not in seg or not ("انجام" in seg or "صورت" in seg or "برقرار" in seg):
        return out
    for m in _CALL_PLACED.finditer(s, a, b):
        t = _TEMPORAL.search(s, m.start("adjunct"), m.end("adjunct"))
        if t is not None:
            out.append((t.start(), m.end()))
    return out


def _discussed(s: str, a: int, b: int, words: list) -> list:
    """The topic words of s[a:b] but those of a clause that says they were not discussed
    (from the verb or comma before "... مطرح نشد" to it), of a circumstance and of the
    text's source."""
    while_ = _circumstance(s, a, b)
    if while_ is not None:
        words = [(y, w) for y, w in words if not while_[0] <= y <= while_[1]]
    spans = _sources(s, a, b) + _time_adjuncts(s, a, b)
    if spans:
        words = [(y, w) for y, w in words if not any(lo <= y <= hi for lo, hi in spans)]
    neg = _NOT_DISCUSSED.search(s, a, b)
    if neg is None:
        return words
    lo = max(a, s.rfind("،", a, neg.start()) + 1)
    toks = [(m.end(), m.group()) for m in TOKEN_RE.finditer(s, lo, neg.start())]
    texts = [t for _e, t in toks]
    for k in range(len(texts)):
        hit = verb_at(texts, k)
        if hit:
            lo = max(lo, toks[k + hit[0] - 1][0])
    return [(y, w) for y, w in words if not lo <= y <= neg.end()]


def _topic_words(s: str, zwnj: list[int], a: int, b: int, lex: Lexicon, excluded: list[tuple[int, int, frozenset]],
                 ex_a: list[int]) -> list[tuple[int, TopicWord]]:
    """The topic words of s[a:b] whatever the call: (end, word), in text order; not the
    words of no family, a military word after a conflict word, or a word inside an
    official's span."""
    glued, offs = _glued(s, zwnj, a, b)
    out = []
    prev = None
    hits = topic_hits(glued, 0, len(glued), lex)
    venues = [m.span(1) for m in _VENUE.finditer(s, a, b)] if "حاشیه" in s[a:b] else []
    for h, (gx, gy, w) in enumerate(hits):
        x, y = offs[gx], offs[gy - 1] + 1
        adjective = prev is not None and prev[2].code == "conflict_crisis" and not glued[prev[1]:gx].strip()
        prev = (gx, gy, w)
        if w.code == "-":
            continue
        if adjective and w.code == "security_defense":
            continue          # "حمله نظامی"، "درگیری‌های نظامی": the military act is the conflict
        if w.code != "nuclear_sanctions" and h + 1 < len(hits) and hits[h + 1][2].form in _NUCLEAR_ADJECTIVES \
                and hits[h + 1][2].code == "nuclear_sanctions" and not glued[gy:hits[h + 1][0]].strip():
            continue          # "سلاح هسته‌ای"، "سوخت هسته‌ای"، "نیروگاه اتمی": the nuclear word says it
        k = bisect.bisect_right(ex_a, x) - 1
        if k >= 0 and excluded[k][0] <= x < excluded[k][1]:
            continue
        if any(va <= x < vb for va, vb in venues):
            continue          # "در حاشیه مجمع عمومی سازمان ملل": where they met, not what they discussed
        out.append((y, w))
    return out


# the occasion after "در حاشیه" (on the sidelines of), up to a preposition, verb or punctuation
_VENUE = re.compile(r"(?<!\S)در حاشیه((?: (?!(?:با|به|از|در|که|را|برای|و)(?:\s|$))[^\s،.:؛]+){1,6})")


# a visit or meeting "با/به" someone: the words that may stand between ("دیدار اخیر خود با")
_VISIT_WORDS = frozenset(norm(w) for w in ("دیدار", "دیدارهای", "دیدارش", "ملاقات", "سفر", "سفرش", "سفرهای", "بازدید"))
_TRAVELLERS = frozenset(norm(w) for w in ("زائران", "زائرین", "زوار", "اتباع", "گردشگران", "شهروندان", "دانشجویان",
                                            "بازرگانان", "تجار", "مسافران", "حجاج"))
_VISIT_GAP = re.compile(r"(?:\s+(?:اخیر|خود|رسمی|قبلی|پیشین|هفته گذشته|روز گذشته|امروز|دیروز)){0,3}\s+(?:با|به)\s+")


def _visit_of_others(s: str, y: int, end: int, parties: set, excluded, ex_starts, country_spans, c_starts) -> bool:
    """A visit or meeting with someone, or to a country, that takes no part in the call
    ("دیدار اخیر خود با جرج بوش"، "سفر به پکن"): not a visit between the parties."""
    if not parties:
        return False
    word_start = s.rfind(" ", 0, y) + 1
    if s[word_start:y] not in _VISIT_WORDS:
        return False
    following = s[y:y + 40].split()
    if following and following[0] in _TRAVELLERS:
        return True       # "سفر زائران/اتباع/گردشگران": travel of people, not a visit of the parties
    m = _VISIT_GAP.match(s, y, end)
    if m is None:
        return False
    pos = m.end()
    k = bisect.bisect_left(ex_starts, pos)
    if k < len(excluded) and excluded[k][0] == pos:
        named = excluded[k][2]
    else:
        named = {_country_at(pos, country_spans, c_starts)} - {None}
    return bool(named) and not (named & parties)


_NUCLEAR_ADJECTIVES = frozenset(("هسته ای", "اتمی"))   # families of topic_words.csv

_PARTY_LINK = re.compile(r"\s*(?:(?:میان|بین|با)\s+)?")
# "توافق آتش‌بس میان ..."، "تفاهم‌نامه همکاری بین ...": a word or two of the agreement's name first
_NAME_THEN_BETWEEN = re.compile(r"(?:\s+\S+){1,2}?\s+(?=(?:میان|بین)\s)")


def _third_party(s: str, y: int, end: int, parties: set, country_spans, c_starts) -> bool:
    """An agreement "میان/بین/با" countries, or of countries ("تفاهم تهران و واشنگتن"),
    none of which is on the call: not the parties' agreement."""
    if not parties:
        return False
    named_first = _NAME_THEN_BETWEEN.match(s, y, end)
    if named_first:
        y = named_first.end()
    m = _PARTY_LINK.match(s, y, end)
    between = bool(re.match(r"\s*(میان|بین)\s", s[y:end]))
    if re.match(r"\s*با\s", s[y:end]):
        return False      # "توافق با X": one party is on the call
    pos = m.end()
    named = set()
    k = bisect.bisect_left(c_starts, pos)
    while k < len(country_spans) and country_spans[k][0] - pos <= 2 and country_spans[k][0] < end:
        named.add(country_spans[k][2])
        pos = country_spans[k][1]
        rest = s[pos:pos + 4]
        if rest.startswith(" و "):
            pos += 3
        elif rest.startswith("، ") or rest.startswith(" ، "):
            pos += rest.index("،") + 2
        else:
            break
        k = bisect.bisect_left(c_starts, pos)
    # the parties: a list after میان/بین, or two or more countries after the word itself
    # ("تفاهم تهران و واشنگتن"); one place after it is where it was made (تفاهم‌نامه اسلام‌آباد)
    if not between and len(named) < 2:
        return False
    return bool(named) and not (named & parties)
