"""Call predicates: where a text says that people talked, and whether it says the talk
happened.

A predicate is a call noun (تماس، گفت‌وگو، مکالمه، رایزنی، تلفن، ویدئوکنفرانس ...; their
plurals, ezafe and ZWNJ forms) with an optional channel adjective (تلفنی، ویدئویی), or
the adverb تلفنی with the verb it modifies ("تلفنی با ... گفت‌وگو کرد"). Its status
comes from the grammar around it, not from a window of keywords:
- the light verb it is the object of (تماس گرفت، گفت‌وگو کرد، تماس داشتند): past or
  perfect -> reported; negated -> denied; future or subjunctive -> planned; present
  -> planned or habitual, unless "در حال"/"هم‌اکنون" make it ongoing;
- a preposition before it (در/طی/ضمن تماس ...): reported, unless the clause's verb is
  future or a planning word (قرار است) governs the clause;
- a planning word governing it (درخواست/پیشنهاد/آمادگی برای گفت‌وگوی تلفنی),
  a conditional (اگر، در صورت) before it, a denial of it (هیچ تماسی، ... را تکذیب کرد),
  refusing to answer it (از پاسخ دادن به تماس‌ها خودداری کرد);
- a media object (گفت‌وگوی تلفنی با شبکه ...): an interview;
- a plural call noun with a present verb or an adverb of repetition: habitual contact.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from core.script import TOKEN_LETTERS

from .lexicon import Lexicon
from .text import LiteralStarts, NormText, Span, Tokens, norm, tokenize, words_not_after
from .verbs import VerbForm, verb_at

L = TOKEN_LETTERS + "a-zA-Z0-9"
_NOUNS = {
    "tamas": r"تماس",
    "phone": r"تلفن|زنگ",
    "talk": r"گفت ?و ?گو|مکالمه|مکالمات|رایزنی|صحبت|تبادل نظر|ارتباط",
    # a meeting held by video is a video call (ANNOTATION.md): "نشست ویدئویی"، "اجلاس مجازی"
    "conference": r"(?:ویدئو|ویدیو) ?کنفرانس|کنفرانس (?:تلفنی|ویدئویی|ویدیویی)"
                  r"|(?:نشست|اجلاس|دیدار)(?: ?ها| ?های)? (?:ویدئویی|ویدیویی|مجازی)",
}
_PLURAL = r"(?: ?(?:ها|های|هایی))"
_EZAFE = r"(?: ?(?:یی|ی|ای))"
_NOUN_RE = re.compile(
    rf"(?<![{L}])(?P<noun>" + "|".join(f"(?P<{k}>{v})" for k, v in _NOUNS.items())
    + rf")(?P<plural>{_PLURAL})?{_EZAFE}?(?P<mod> (?P<modword>تلفنی|ویدئویی|ویدیویی|تصویری)(?: ?ای)?)?(?![{L}])"
)
_ADVERB_RE = re.compile(rf"(?<![{L}])(?:(?:(?:به ?صورت|بصورت) )?تلفنی|(?:از طریق|پشت) تلفنی?)(?![{L}])")
MODE = {"تلفنی": "phone", "ویدئویی": "video", "ویدیویی": "video", "تصویری": "video"}
# words between a determiner-like position and the noun: "در یک تماس", "دومین تماس"
# in the matching form (آ as ا): tokens are compared as the text is matched
DETERMINERS = {norm(w) for w in ("یک", "یه", "دو", "سه", "چهار", "پنج", "چند", "این", "آن", "همین", "اولین", "نخستین",
                                 "دومین", "سومین", "چهارمین", "پنجمین", "آخرین", "جدیدترین")}
SEVERAL = {"دو", "سه", "چهار", "پنج", "چند"}
DEMONSTRATIVES = {norm(w) for w in ("این", "آن", "همین", "همان", "چنین")}
# نخستین، دومین، سومین ... (a numeral and -مین, not any word ending in مین: زمین، تضمین)
_ORDINAL = re.compile(r"نخستین|اولین|واپسین|اخرین|اخیرترین|اولی|(?:یک|دو|سو|چهار|پنج|شش|هفت|هشت|نه|ده|یازده"
                      r"|دوازده|سیزده|چهارده|پانزده|بیست|سی|چهل|پنجاه|صد|چند|\d+)مین")
PREPOSITIONS = ("در جریان", "در طول", "در پی", "پس از", "بعد از", "پیش از", "قبل از", "به دنبال", "در پاسخ به",
                "در", "طی", "ضمن", "حین", "پیرو", "از", "با", "به", "برای")
LIGHT_VERBS = {"کرد", "داشت", "گرفت", "زد", "داد", "شد", "نمود", "پرداخت", "بود"}
# a noun before a light verb that makes one verb with it: "برقرار کرد", "انجام داد", "دریافت کرد"
VERB_NOUNS = {"برقرار", "انجام", "دریافت", "صورت", "ایجاد"}
ONGOING = ("در حال", "هم اکنون", "هم اینک", "اکنون", "در حال حاضر", "همین حالا", "هماکنون")
BOUNDARY = {".", "!", "?", "؟", ":", "؛", "\n"}
# adjectives of a call noun: "تماس تلفنی طولانی داشتند"
ADJECTIVES = {"تلفنی", "ویدئویی", "ویدیویی", "تصویری", "طولانی", "کوتاه", "فوری", "اضطراری", "مهم", "مهمی", "پرتنش",
              "پرتنشی", "سازنده", "دوستانه", "صمیمانه", "خوب", "خوبی", "مفصل", "مفصلی", "جداگانه", "محرمانه", "دشوار",
              "جالب", "مثبت", "حساس", "دراماتیک", "داغ", "تند", "گرم", "ساعته", "دقیقه"}
ADJECTIVES = frozenset(norm(w) for w in ADJECTIVES)  # in the matching form, as the text is compared


@dataclass
class Predicate:
    start: int                 # span of the call noun phrase (or of the adverb) in the matching form
    end: int
    family: str                # tamas | phone | talk | conference | adverb
    explicit: bool             # the predicate names the channel (تلفنی، تلفن، ویدئو...)
    mode: str
    plural: bool
    sentence: int
    clause: tuple[int, int]
    label: tuple[int, int] | None      # a "SPEAKER:" label before the clause
    prep: str | None = None
    verb: tuple[int, int, VerbForm] | None = None   # token index range and analysis of its light verb
    verb_noun: str | None = None       # برقرار / دریافت / انجام ... before the light verb
    status: str = "reported"           # reported | planned | hypothetical | denied | habitual | interview
    tok_start: int = 0                 # token indices of [start, end)
    tok_end: int = 0
    noun: tuple[int, int] | None = None  # for an adverb: the conversation noun it modifies
    anaphoric: bool = False            # "این تماس"، "آن گفت‌وگو": a call already reported
    ranked: bool = False               # "این نخستین تماس": an anaphor with an ordinal
    in_person: bool = False            # a bare conversation word beside a meeting word: "دیدار و گفت‌وگو کرد"
    coordinate: "Predicate | None" = None  # the call whose clause this one's is coordinated to

    @property
    def directional(self) -> bool:
        return self.family in {"tamas", "phone"}


def clause_of(nt: NormText, toks: Tokens, sent: tuple[int, int], a: int, b: int):
    """(clause, label): the part of the sentence around [a, b) between colons and
    semicolons; a short "SPEAKER:" part before it is kept apart as its label."""
    s = nt.s
    lo, hi = sent
    label = None
    left = max(s.rfind(":", lo, a), s.rfind("؛", lo, a))
    if left >= 0:
        before = s[lo:left]
        if len(before.split()) <= 8 and ":" not in before:
            label = (lo, left)
        lo = left + 1
    right = [x for x in (s.find(":", b, hi), s.find("؛", b, hi)) if x >= 0]
    if right:
        hi = min(right)
    return (lo, hi), label


def find_predicates(nt: NormText, sent_n: list[tuple[int, int]], lex: Lexicon) -> tuple[list[Predicate], Tokens | None]:
    """The call predicates of a text, analysed, and the tokens of their sentences. A
    text whose only predicates are bare conversation words (an interview, a meeting)
    has none worth analysing: such a word only supports a call said otherwise."""
    s = nt.s
    sent_starts = [a for a, _ in sent_n]

    def sentence_of(pos: int) -> int | None:
        i = bisect.bisect_right(sent_starts, pos) - 1
        return i if i >= 0 and pos < sent_n[i][1] else None

    noun_matches, adverb_matches = _matches(s)
    nouns = []
    for m in noun_matches:
        family = next(k for k in _NOUNS if m.group(k))
        mod = m.group("modword")
        if family == "talk" and m.group("noun") == "ارتباط" and not mod:
            continue
        if family == "phone" and s[m.end("noun"):m.end()].strip():
            continue          # تلفنی is the adverb
        si = sentence_of(m.start())
        if si is not None:
            nouns.append((m, family, mod, si))
    adverbs = [(m, si) for m in adverb_matches if (si := sentence_of(m.start())) is not None]
    if not adverbs and not any(mod or family != "talk" for _m, family, mod, _si in nouns):
        return [], None
    toks = tokenize(s, sorted({sent_n[si] for *_x, si in nouns} | {sent_n[si] for _m, si in adverbs}))

    by_sentence: dict[int, list[Predicate]] = {}
    taken_starts: list[int] = []
    taken_ends: list[int] = []
    for m, family, mod, si in nouns:
        a, b = m.start(), m.end()
        if family == "phone" and not _real_phone(s, toks, a, b):
            continue          # تلفن همراه is a device
        explicit = bool(mod) or family in {"phone", "conference"}
        clause, label = clause_of(nt, toks, sent_n[si], a, b)
        by_sentence.setdefault(si, []).append(
            Predicate(a, b, family, explicit, MODE.get(mod, "video" if family == "conference" else "phone"),
                      bool(m.group("plural")), si, clause, label))
        taken_starts.append(a)
        taken_ends.append(b)
    for m, si in adverbs:
        a, b = m.start(), m.end()
        k = bisect.bisect_right(taken_starts, a) - 1
        if k >= 0 and a < taken_ends[k]:
            continue          # the adjective of a call noun
        clause, label = clause_of(nt, toks, sent_n[si], a, b)
        p = Predicate(a, b, "adverb", True, "phone", False, si, clause, label)
        # the conversation noun it modifies, later in the clause, is the same predicate
        same = by_sentence.setdefault(si, [])
        for q in same:
            if a < q.start < clause[1] and q.family in {"talk", "tamas"} and not q.explicit and q.start - b < 120:
                same.remove(q)
                p.family = "talk" if q.family == "talk" else "tamas"
                p.plural = q.plural
                p.noun = (q.start, q.end)
                break
        same.append(p)
    out = sorted((p for ps in by_sentence.values() for p in ps), key=lambda p: p.start)
    for p in out:
        p.tok_start = toks.index_at(p.start)
        p.tok_end = toks.index_at(p.noun[1] if p.noun else p.end)
        _analyse(p, nt, toks, lex)
    _coordinated_channels(out, toks)
    return out, toks


def _coordinated_channels(preds: list[Predicate], toks: Tokens) -> None:
    """"X با Y تلفنی گفت‌وگو کرد و پس از آن با Z نیز صحبت کرد": a verb of talk in a
    clause coordinated to a call's clause, with a با-object of its own and no subject, is
    another call on the same channel."""
    texts = toks.texts
    prev = None
    for q in preds:
        if prev is not None and prev.sentence == q.sentence and prev.explicit and prev.status == "reported" \
                and q.family == "talk" and not q.explicit and not q.anaphoric and not q.in_person \
                and q.prep is None and q.verb is not None and q.status == "reported" \
                and prev.clause == q.clause and prev.tok_end < q.tok_start:
            between = texts[prev.tok_end:q.tok_start]
            verb_end = next((k for k in range(len(between)) if verb_at(between, k)), None)
            if verb_end is not None:
                rest = between[verb_end:]
                if "و" in rest and "با" in rest[rest.index("و"):]:
                    q.explicit, q.mode, q.coordinate = True, prev.mode, prev
        if q.explicit:
            prev = q


# Where any predicate can start: its call word, or the words that may come before تلفنی.
# Their alternation is tried only where one of them starts (an Aho-Corasick pass): they
# start with the commonest letters, so re's own skipping passed over few positions.
ANCHORS = ("تماس", "تلفن", "زنگ", "گفت", "مکالم", "رایزنی", "صحبت", "تبادل", "ارتباط", "وید", "کنفرانس",
           "به صورت", "بهصورت", "بصورت", "از طریق", "پشت", "نشست", "اجلاس", "دیدار")
_ANCHOR = re.compile("|".join(map(re.escape, ANCHORS)))
_ANCHOR_STARTS = LiteralStarts(ANCHORS)


def anchor_starts(s: str) -> list[int]:
    """Where the anchors' non-overlapping matches start, leftmost first."""
    return [m.start() for m in LiteralStarts.finditer(_ANCHOR, s, _ANCHOR_STARTS.starts(s))]


def _matches(s: str) -> tuple[list[re.Match], list[re.Match]]:
    """The call nouns' and the adverb's non-overlapping matches, tried only where a
    call word can start: one scan of the anchors costs less than a scan per pattern
    with its lookarounds."""
    nouns, adverbs = [], []
    noun_end = adverb_end = 0
    for at in anchor_starts(s):
        if at >= noun_end:
            m = _NOUN_RE.match(s, at)
            if m:
                nouns.append(m)
                noun_end = m.end()
        if at >= adverb_end:
            m = _ADVERB_RE.match(s, at)
            if m:
                adverbs.append(m)
                adverb_end = m.end()
    return nouns, adverbs


def _real_phone(s: str, toks: Tokens, a: int, b: int) -> bool:
    """تلفن is a call in "یک تلفن ... به" and "تلفن زد/کرد", not in "تلفن همراه" or
    "شماره تلفن"; زنگ only with زد right after it, active, and a به-object ("به X زنگ
    زد"), not a bell ("زنگ خطر"، "زنگ مدارس زده شد") or rust ("زنگ‌زده است")."""
    i = toks.index_at(a)
    if toks.texts[i] == "زنگ":
        hit = verb_at(toks.texts, i + 1) if i + 1 < len(toks.texts) else None
        if hit is None or hit[1].past_stem != "زد":
            return False
        after = i + 1 + hit[0]
        passive = verb_at(toks.texts, after) if after < len(toks.texts) else None
        if passive and passive[1].past_stem == "شد":
            return False          # "زنگ ... زده شد": a bell rung
        # a call rings someone: "به X زنگ زد"; without به it is a bell or rust ("زنگ‌زده است")
        for k in range(i - 1, max(-1, i - 7), -1):
            w = toks.texts[k]
            if w == "به":
                return True
            if w in BOUNDARY or w == "،" or verb_at(toks.texts, k):
                break
        return False
    prev = toks.texts[i - 1] if i > 0 else ""
    if prev == "یک":
        return True
    for k in range(i + 1, min(i + 4, len(toks.texts))):
        hit = verb_at(toks.texts, k)
        if hit and hit[1].past_stem in {"زد", "کرد"}:
            return True
        if toks.texts[k] in BOUNDARY:
            break
    return False


_PREPS_BY_LAST = {}
for _p in PREPOSITIONS:
    _PREPS_BY_LAST.setdefault(_p.split()[-1], []).append(_p.split())


# the verbal noun of making a call, in a phrase of the call's course or means: "با
# برقراری تماس تلفنی با Y"، "ضمن انجام گفت‌وگوی تلفنی" is a call made, as "طی تماس"
MAKING = {"برقراری", "انجام"}
MAKING_PREPS = {"با": "ضمن", "ضمن": "ضمن", "طی": "طی", "حین": "حین", "پس از": "پس از", "بعد از": "بعد از",
                "در پی": "در پی"}


# the noun of a verb that takes a با-complement: agreeing or objecting ("با ... موافقت
# کرد"، "با ... مشکلی ندارد")
AGREEING = {"موافقت", "مخالفت", "موافق", "مخالف", "مشکلی", "مانعی"}


def _verb_noun_is(texts: list[str], k: int, last: int, words: set) -> bool:
    """The next verb of the clause from token k is one of the words + its light verb."""
    while k < last:
        if verb_at(texts, k):
            return k > 0 and texts[k - 1] in words
        k += 1
    return False


def _prep_before(toks: Tokens, i: int, lo: int) -> tuple[str | None, int]:
    """The preposition before token i (skipping determiners): (preposition, its token
    index). Across a verbal noun of making the call, the phrase's course preposition."""
    j = i - 1
    while j >= 0 and toks.starts[j] >= lo and toks.texts[j] in DETERMINERS:
        j -= 1
    if j > 0 and toks.texts[j] in MAKING:
        prep, k = _prep_before(toks, j, lo)
        if prep in MAKING_PREPS:
            return MAKING_PREPS[prep], k
    for words in _PREPS_BY_LAST.get(toks.texts[j], ()) if j >= 0 else ():
        k = j - len(words) + 1
        if k >= 0 and toks.starts[k] >= lo and toks.texts[k:j + 1] == words:
            return " ".join(words), k
    return None, j + 1


# a claim or news whose object is the call: its genitive ("خبر تماس ...") or its
# درباره-phrase ("ادعای رسانه‌ها درباره گفت‌وگوی ...")
_CLAIM_OF_CALL = re.compile(r"(?:^|\s)(?<!\sبه )(?<!^به )(?:ادعا|شایعه|گزارش|خبر)(?:ی|ها|های)?"
                            r"(?:(?: \S+){0,4} (?:درباره|مبنی بر|در مورد|در باره)(?: (?:یک|این|آن))?)?\s*$")


# Clause words around the call, each opening with its first letter so that re can skip
# ahead to it (a pattern opening with (^|\s) it tries at every position); their plain
# forms are in tests/test_fast_patterns.py.
# a modal after the call's noun phrase: the whole of two tokens
_MODALS = frozenset(f"{a} {b}" for a in ("ممکن", "قرار") for b in ("است", "بود", "شد"))
# "قرار است": the end of the plain (^|\s)قرار (است|بود|شد)(\s|$)
_PLANNED = re.compile(r"ق(?<!\Sق)رار (?:است|بود|شد)(?:\s|$)")
# whether the plain (^|\s)(را )?(تکذیب|صحت ندارد|صحت نداشت) is found
_DENIAL = re.compile(r"ت(?<!\Sت)کذیب|ص(?<!\Sص)حت (?:ندارد|نداشت)")
# whether the plain (^|[\s«"])(بی ?اساس|...|ساختگی)([\s»".،]|$) is found
_BASELESS = re.compile(
    "(?:" + words_not_after(["بی اساس", "بیاساس", "بی پایه", "کذب", "نادرست", "دروغ", "جعلی", "ساختگی"], r'[^\s«"]')
    + r')(?![^\s»".،])'
)
# whether the plain (^|\s)ادامه (دارد|دارند)(\s|$) is found
_CONTINUES = re.compile(r"ا(?<!\Sا)دامه (?:دارد|دارند)(?!\S)")


def _habitual_adverb_before(texts: list[str], i0: int, lo: int, habitual: dict) -> bool:
    """A habitual adverb in the predicate's own clause before it: back to the comma, with
    no verb between it and the predicate (an adverb there modifies the predicate's verb)."""
    k = i0 - 1
    while k >= lo and texts[k] != "،":
        if habitual.get(texts[k]) == "adverb":
            return not any(verb_at(texts, j) for j in range(k + 1, i0))
        k -= 1
    return False


def _analyse(p: Predicate, nt: NormText, toks: Tokens, lex: Lexicon) -> None:
    s = nt.s
    lo, hi = p.clause
    texts = toks.texts
    i0, i1 = p.tok_start, p.tok_end
    last = toks.index_at(hi)          # first token after the clause
    p.prep, prep_i = _prep_before(toks, i0, lo)
    # "با برقراری تماس ... موافقت کرد": agreeing or objecting to a call to be made
    agreed_to = texts[prep_i] == "با" and prep_i + 1 < i0 and texts[prep_i + 1] in MAKING \
        and _verb_noun_is(texts, i1, toks.index_at(hi), AGREEING)
    if i0 > 0 and toks.starts[i0 - 1] >= lo and texts[i0 - 1] in SEVERAL:
        p.plural = True           # "چند تماس تلفنی": a number takes the singular noun
    if p.family != "adverb" or p.noun:
        k = toks.index_at(p.noun[0]) if p.noun else i0
        p.anaphoric = k > 0 and toks.starts[k - 1] >= lo and texts[k - 1] in DEMONSTRATIVES
        if not p.anaphoric and k > 1 and toks.starts[k - 2] >= lo and texts[k - 2] in DEMONSTRATIVES \
                and _ORDINAL.fullmatch(texts[k - 1]):
            # "این نخستین گفت‌وگوی تلفنی X و Y ... است": the call just reported, ranked among
            # theirs; the dates of its sentence are of the earlier events it is ranked by
            p.anaphoric = p.ranked = True
    before = s[lo:p.start]

    # the light verb: right after the noun phrase, across adjectives, quotes, "ای", the
    # با-object and "را" (at most a few tokens), never across a clause mark
    j = i1
    skipped = 0
    while j < last and skipped <= 8:
        t = texts[j]
        if t in BOUNDARY or t == "،":
            break
        hit = verb_at(texts, j)
        if hit:
            n, form = hit
            before_verb = texts[j - 1]
            # the verb is the call noun's own when nothing but the noun phrase, its
            # adjectives, a compound-verb noun or "را" stands before it; "داشت" (had a
            # call) also across its object
            own = j == i1 or before_verb in VERB_NOUNS or before_verb in ADJECTIVES or before_verb in {"را", "»", "ای"}
            if form.past_stem in LIGHT_VERBS and (own or form.past_stem == "داشت"):
                p.verb = (j, j + n, form)
                p.verb_noun = before_verb if before_verb in VERB_NOUNS else None
            break
        if t in lex.words("content") or t in {"درباره", "پیرامون"}:
            break
        j += 1
        skipped += 1
    if p.family == "adverb" and p.verb is None:
        # تلفنی with a verb of its own: "به صورت تلفنی ... را بررسی کرد"
        for k in range(i1, last):
            hit = verb_at(texts, k)
            if hit:
                p.verb = (k, k + hit[0], hit[1])
                break

    # status
    # "برای (برقراری) تماس با X": the purpose of something else, a call still to be made
    status = "planned" if agreed_to or p.prep == "برای" else "reported"
    if p.verb is not None and p.prep not in {"در", "طی", "ضمن", "حین", "در جریان", "در طول", "پس از", "بعد از", "در پی"}:
        form = p.verb[2]
        if form.negative and form.past_stem != "بود":
            status = "denied"
        elif form.tense in {"future", "subjunctive"}:
            status = "planned"
        elif form.tense == "present":
            status = "reported" if any(w in s[lo:toks.starts[p.verb[0]]] for w in ONGOING) else (
                "habitual" if p.plural else "planned")
    elif p.prep in {"در", "طی", "ضمن", "حین", "در جریان", "در طول"}:
        # a prepositional phrase: the clause's own verb decides only future and ongoing;
        # a relative clause ("که قرار است ...،") has a verb of its own
        relative = False
        for k in range(i1, last):
            if texts[k] == "که":
                relative = True
            elif texts[k] == "،":
                relative = False
            hit = verb_at(texts, k)
            if hit is None or relative:
                continue
            form = hit[1]
            if form.tense in {"future", "subjunctive"}:
                status = "planned"    # "فردا در تماسی تلفنی با Y ... گفت‌وگو کند"
            elif form.tense == "present" and form.past_stem == "بود" and not any(w in s[lo:hi] for w in ONGOING):
                status = "habitual"   # "ما با آنها در تماس هستیم"
            break
    # "در تماس بودن" right after the call, with its channel or not, is being in contact:
    # a state ("در تماس هستند"، "بودند") or one to come ("تلفنی در تماس باشند"), no call
    k = next((k for k in range(i0, min(last, i1 + 3)) if texts[k] == "تماس" and k > 0 and texts[k - 1] == "در"), None)
    hit = verb_at(texts, k + 1) if k is not None and k + 1 < last else None
    if hit and hit[1].past_stem == "بود" and not hit[1].negative \
            and not (hit[1].tense == "present" and any(w in s[lo:hi] for w in ONGOING)):
        status = "planned" if hit[1].tense in {"subjunctive", "future"} else "habitual"
    if not p.explicit:
        # a meeting word before the conversation word in its clause, no verb between:
        # "دیدار و گفت‌وگو کرد"، "دیدار و درباره همکاری‌ها گفت‌وگو کرد"
        meeting = lex.words("in_person")
        k = i0 - 1
        while k >= toks.index_at(lo) and not (k < i0 - 4 and verb_at(texts, k)):
            if texts[k] in meeting:
                p.in_person = True
                break
            if texts[k] in BOUNDARY or k < i0 - 12:
                break
            k -= 1
    planning = lex.words("planning")
    # a planning word governing the predicate: before it in its noun phrase, across
    # function words and a coordinated noun ("احتمال دیدار یا دست‌کم گفت‌وگوی تلفنی")
    j = (prep_i if p.prep in {"برای", "به", "از", "با"} or prep_i < i0 - 1 else i0) - 1
    seen = 0
    while j >= 0 and toks.starts[j] >= lo and seen < 6:
        t = texts[j]
        two = " ".join(texts[j - 1:j + 1]) if j > 0 else t
        if t in planning or two in planning:
            status = "hypothetical" if planning.get(t, planning.get(two)) == "hypothetical" else "planned"
            break
        coordinated = t in {"یا", "و", "دست", "کم", "حتی"} or (j + 1 < len(texts) and texts[j + 1] in {"یا", "و"})
        if not coordinated and t not in {"برای", "یک", "به", "انجام", "برقراری", "داشتن", "با", "از", "هرگونه", "یه"} \
                and t not in DETERMINERS:
            break
        if t in BOUNDARY or t == "،" or verb_at(texts, j) is not None:
            break
        j -= 1
        seen += 1
    if p.prep == "برای" and status == "reported":
        # "درخواست طرف ترکیه‌ای برای تماس تلفنی": a planning noun with its genitive before برای
        near = texts[max(toks.index_at(lo), prep_i - 8):prep_i]
        k = max((n for n, w in enumerate(near) if verb_at(near, n)), default=-1)
        if any(w in planning and planning[w] != "hypothetical" for w in near[k + 1:]):
            status = "planned"
    if lex.pattern("planning", "hypothetical").search(before):
        status = "hypothetical"
    # a modal after the call noun phrase, its subject, before any verb: "این تماس ممکن
    # است هفته آینده انجام شود"، "گفت‌وگوی تلفنی X و Y باید ... انجام شود"
    if p.prep is None:
        for k in range(i1, min(last, i1 + 24)):
            two = " ".join(texts[k:k + 2])
            if two in _MODALS or texts[k] == "باید":
                status = "hypothetical" if texts[k] == "ممکن" else "planned"
                break
            if " ".join(texts[k:k + 3]) == "در دستور کار":
                status = "planned"    # "گفت‌وگوی تلفنی X و Y در دستور کار است"
                break
            hit = verb_at(texts, k)
            if hit and hit[1].tense in {"future", "subjunctive"} and p.verb is None:
                status = "planned"    # "این نخستین تماس X با Y ... خواهد بود"
            if texts[k] in {"که", "،"} or texts[k] in BOUNDARY or hit:
                break
    planned = _PLANNED.search(before)
    if planned and not any(verb_at(texts, k) for k in range(toks.index_at(lo + planned.end()), i0)):
        status = "planned"        # unless it governs a verb of its own before the call
    # denial: "هیچ تماسی"، "... تماس ... را تکذیب کرد"، "... تماس ... صحت ندارد"
    if i0 > 0 and texts[i0 - 1] == "هیچ":
        status = "denied"
    after = s[p.end:hi]
    if p.verb is None and p.prep is None and _DENIAL.search(after):
        status = "denied"
    # "ادعای ... درباره گفت‌وگوی تلفنی ... بی‌اساس است"، "خبر تماس ... را کذب خواند": a claim
    # or news whose object is the call, called baseless (not the agency's "به گزارش X" nor a claim the call itself rejects)
    if _CLAIM_OF_CALL.search(before) and _BASELESS.search(after):
        status = "denied"
    # refusing the call itself: "از تماس با ... خودداری کرد", "از پاسخ دادن به تماس‌ها خودداری کرد"
    refused = lex.pattern("refusal").search(after) is not None
    if refused and (p.prep == "از" or (p.prep == "به" and re.search(
            r"(پاسخ|جواب)( دادن)?$", s[lo:toks.starts[prep_i]].rstrip()))):
        status = "denied"
    # an interview: the با-object is a medium
    media = lex.words("media")
    k = i1
    while k < min(last, i1 + 4) and texts[k] not in {"با"}:
        k += 1
    if k + 1 < last and texts[k] == "با" and (texts[k + 1] in media or " ".join(texts[k + 1:k + 3]) in media):
        status = "interview"
    k = i0 - 1
    while k > 0 and texts[k] in {"ای", "یی", "ی"}:   # "مصاحبه‌ای تلفنی"
        k -= 1
    if k >= 0 and texts[k] in media and p.prep is None:
        status = "interview"
    # "گفت‌وگوی تلفنی قریب‌الوقوع/آتی/احتمالی X": a call still to come
    prospective = lex.words("prospective")
    after_noun = texts[i1:min(last, i1 + 2)]
    if status == "reported" and (any(t in prospective for t in after_noun) or " ".join(after_noun) in prospective):
        status = "planned"
    habitual = lex.words("habitual")
    clause_start = toks.index_at(lo)
    near = texts[max(i0 - 3, clause_start):i0] + texts[i1:min(last, i1 + 2)]
    if any(t in habitual for t in near) or _habitual_adverb_before(texts, i0, clause_start, habitual):
        status = "habitual"       # "تماس‌های تلفنی مداوم"، "بارها با X تلفنی صحبت کرده‌ایم"
    if p.plural and _CONTINUES.search(after):
        status = "habitual"
    p.status = status

