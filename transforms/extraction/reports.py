"""The arguments of a call predicate and who placed the call (ANNOTATION.md's rules).

A call report names its participants in a few grammatical positions around the
predicate, and each position says whether the text marks a caller:

    تماس تلفنی X با Y                 genitive X, با-object Y            caller X (تماس)
    X در/طی/ضمن تماس تلفنی با Y       subject X, با-object Y             caller X (تماس)
    در تماس تلفنی با Y، X ...          fronted: the subject follows       caller X (تماس)
    X با Y تماس گرفت / برقرار کرد      با-object before the predicate      caller X
    X با Y تماس تلفنی داشت / گفت‌وگو کرد                                   no caller
    Y تماس تلفنی‌ای از X دریافت کرد    source X                            caller X
    Y در پاسخ به تماس X               genitive after "در پاسخ به"         caller X
    تماس/گفت‌وگوی تلفنی X و Y، وزرای خارجه A و B، میان X و Y              no caller
    X در تماس تلفنی به Y گفت          dative Y                            no caller
    تماس تلفنی خود با Y               the subject's own call              caller: the subject

گفت‌وگو (a conversation) names no caller in any position but the source and
"در پاسخ به" ones. The subject is the nearest official noun phrase before the
predicate that no preposition governs, else the clause's "SPEAKER:" label, else the
antecedent of a pronoun.

One call or several (ANNOTATION.md): counterparts listed one by one are separate
bilateral calls; a plural predicate (تماس‌ها) or جداگانه/متعدد makes them separate
too; a group counterpart (سران، رهبران ...), "یک تماس" or a word like مشترک makes one
call of all of them.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from .dates import date_cues
from .lexicon import Lexicon
from .officials import Mention
from .predicates import Predicate
from .text import TOKEN_RE, NormText, Tokens, bisect_left_in, buckets, norm, words_not_after
from .verbs import verb_at

# tokens that may stand between a call noun and its arguments
SKIP_AFTER = {
    "ای", "جداگانه", "متعدد", "فوری", "اضطراری", "طولانی", "کوتاه", "مهم", "مهمی", "محرمانه", "پرتنش",
    "پرتنشی", "سازنده", "دوستانه", "صمیمانه", "جدید", "اخیر", "امروز", "دیروز", "دیشب", "امشب", "صبح", "عصر",
    "ظهر", "شب", "بامداد", "شامگاه", "نیمه", "روز", "گذشته", "شنبه", "یکشنبه", "دوشنبه", "سه", "چهارشنبه",
    "پنجشنبه", "جمعه", "«", "»", '"', "دقیقه", "ساعته", "ساعت", "یک", "تلفنی", "ویدئویی",
    "ویدیویی", "تصویری", "خود", "اش", "ش", "حساس", "دراماتیک", "خوب", "خوبی", "بسیار", "مفصل", "مفصلی",
    "(", ")", "هفته", "این", "همین", "ان", "پیش", "قبل", "مشترک", "گروهی", "سه", "جانبه",
}
SKIP_AFTER = frozenset(norm(w) for w in SKIP_AFTER)  # in the matching form, as the text is compared
HONORIFIC_SKIP = frozenset(norm(w) for w in (
    "سید", "شیخ", "دکتر", "آقای", "خانم", "جناب", "سردار", "شاهزاده", "فیلد", "مارشال", "ژنرال", "حجت", "الاسلام",
    "والمسلمین", "آیت", "الله", "امیر", "سرلشکر", "حاج", "پرزیدنت", "مهندس"))  # in the matching form
# prepositions whose object is not the clause's subject
GOVERNING = {"با", "به", "از", "برای", "درباره", "علیه", "بر", "بین", "میان", "نزد", "پیرامون", "سوی", "طرف",
             "جانب", "توسط", "خطاب", "همراه", "بدون", "مانند", "همچون", "نظیر", "درخصوص", "بجز", "جز"}
PP_CALLER = {"در", "طی", "ضمن", "حین"}
BOUNDARY_MARKS = {"،", ".", ":", "؛", "!", "؟", "که"}


@dataclass(eq=False)
class Item:
    """One participant slot: a mention, and for a group or plural counterpart the
    country it stands for here."""

    mention: Mention
    country: str | None = None
    title_country_list: bool = False   # a country of "وزرای خارجه A با B و C": the group's title applies


@dataclass
class Report:
    pred: Predicate
    calls: list = field(default_factory=list)     # list of (items, caller item or None)
    one_sided: list = field(default_factory=list)  # items of a report naming one side only
    other_named: bool = False                       # ... and its other side as someone no official
    directional_form: bool = False                  # the form names a caller (even if it is null here)
    pair_anaphor: bool = False                      # "آن‌ها ... تلفنی گفت‌وگو کرده بودند": both sides of a call before
    caller_country: str | None = None               # "به درخواست کاخ سفید": the caller is that country's side
    requester: Mention | None = None                # "به درخواست X": X placed the call


class Heads:
    """The official noun phrases of an article, by position, and its country names."""

    def __init__(self, mentions: list[Mention], honor_spans: list[tuple[int, int]], countries=(), stop=frozenset(),
                 person_country=None, s: str = "", sent_n=(), first_names=frozenset(), common=frozenset()):
        self.stop = stop
        self.first_names, self.common = first_names, common
        self.s = s
        self.sent_n = list(sent_n)
        self.sent_starts = [a for a, _ in self.sent_n]
        self.person_country = person_country or {}
        self.countries = list(countries)
        self.country_starts = [a for a, _, _ in self.countries]
        self.all = [m for m in mentions if m.kind in {"person", "title", "text", "group", "pronoun"}
                    and not m.merged and not m.absorbed]
        self.all.sort(key=lambda m: m.np_start)
        self.starts = [m.np_start for m in self.all]
        self._first = buckets(self.starts)
        self.honor = sorted(honor_spans)
        self.honor_starts = [a for a, _ in self.honor]
        self._honor_first = buckets(self.honor_starts)

    def countries_of(self, m: Mention) -> set:
        if m.kind == "person":
            if m.official_id:
                return {self.person_country.get(m.official_id)}
            return {self.person_country.get(o) for o in m.countries}
        if m.countries:
            return set(m.countries)
        return {m.country} if m.country else set()

    def skip_honorifics(self, s: str, pos: int) -> int:
        while True:
            while pos < len(s) and s[pos] in " «»\"":
                pos += 1
            k = bisect_left_in(self.honor_starts, self._honor_first, pos + 1) - 1
            if k >= 0 and self.honor[k][0] == pos:
                pos = self.honor[k][1]
                continue
            return pos

    def at(self, s: str, pos: int) -> Mention | None:
        """The head that starts at pos (after spaces, quotes and honorifics; a person
        named by surname also after one or two first names the gazetteer lacks:
        "ایگناسیو کاسیس")."""
        while pos < len(s) and s[pos] in " «»\"":
            pos += 1
        p = pos
        while True:       # at pos, or after each honorific ("حجت‌الاسلام سید ابراهیم رئیسی")
            k = bisect_left_in(self.starts, self._first, p)
            if k < len(self.all) and self.starts[k] == p:
                return self.all[k]
            h = bisect_left_in(self.honor_starts, self._honor_first, p + 1) - 1
            if h < 0 or self.honor[h][0] != p:
                break
            p = self.honor[h][1]
            while p < len(s) and s[p] in " «»\"":
                p += 1
        k = bisect_left_in(self.starts, self._first, p)
        if k < len(self.all):
            h = self.all[k]
            gap = s[p:h.np_start].split()
            # a first name is a known one or no common word ("پیروزی رئیسی" is Raisi's victory)
            if h.kind == "person" and 1 <= len(gap) <= 2 and " " not in s[h.start:h.end].strip() \
                    and all(w not in self.stop and w.isalpha() and (w in self.first_names or w not in self.common)
                            for w in gap):
                return h
        return None

    def coordination(self, s: str, first: Mention, limit: int) -> list[Mention]:
        """first and the heads joined to it by و / ، (A، B و C). A list joined by commas
        alone is no list ("با لاوروف، ظریف ..." ends a phrase): members after the last و
        that only a comma joins are dropped."""
        out = [first]
        closed = 1            # members up to the last one joined by و
        pos = first.np_end
        while True:
            j = pos
            while j < limit and s[j] in " «»\"":
                j += 1
            comma = False
            if j < limit and s[j] in "،,":
                comma = True
                j += 1
                while j < limit and s[j] == " ":
                    j += 1
            by_and = s.startswith("و ", j)
            if by_and:
                j += 2
            elif not comma:
                # "A، B و C وزیران خارجه X، Y و Z و D": the plural title right after the
                # list describes it, and the list goes on after it
                nxt = self.at(s, j) if len(out) >= 2 else None
                if nxt is not None and nxt.np_start < limit and _apposed(out, nxt, self.countries_of):
                    pos = nxt.np_end
                    continue
                return out[:closed]
            nxt = self.at(s, j)
            if nxt is None or nxt.np_start >= limit or nxt.kind == "pronoun":
                return out[:closed]
            if _apposed(out, nxt, self.countries_of):
                pos = nxt.np_end      # "X و Y، وزرای خارجه A و B": the same people again
                continue
            if nxt.kind == "title" and nxt.bare and out[-1].kind in {"person", "text"} and s[pos:j].strip() == "و":
                pos = nxt.np_end      # "X، نخست‌وزیر و وزیر امور خارجه": a second title of X
                continue
            out.append(nxt)
            if by_and:
                closed = len(out)
            pos = nxt.np_end

    def in_range(self, lo: int, hi: int) -> list[Mention]:
        k = bisect_left_in(self.starts, self._first, lo)
        out = []
        while k < len(self.all) and self.starts[k] < hi:
            out.append(self.all[k])
            k += 1
        return out


def _apposed(out: list[Mention], nxt: Mention, countries_of) -> bool:
    """A plural title after a list of people of exactly its countries describes them."""
    if nxt.kind not in {"group", "title"} or not nxt.countries or len(out) < 2:
        return False
    have = set()
    for m in out:
        have |= countries_of(m)
    return set(nxt.countries) <= have


def _usable(m: Mention) -> bool:
    return not (m.source or m.institution)


def _items(heads: list[Mention], g_countries=None) -> list[Item]:
    """Participant slots of a list of coordinated heads (a group stands for each of its countries)."""
    out = []
    for h in heads:
        if h.kind == "group" and h.countries:
            out.extend(Item(h, c) for c in h.countries)
        elif h.kind == "title" and h.counterpart and h.countries:
            out.extend(Item(h, c) for c in h.countries)
        else:
            out.append(Item(h))
    return out


@dataclass
class _Args:
    """The noun phrases a predicate's clause gives it, by position."""

    genitive: list = field(default_factory=list)     # تماس تلفنی X (با Y)
    obj: list = field(default_factory=list)          # با/به/را Y
    obj_by: str = "با"
    source: list = field(default_factory=list)       # (دریافت کرد) از X
    joint: list = field(default_factory=list)        # میان/بین X و Y
    subj: list = field(default_factory=list)
    ba_before: bool = False   # the با-object stands before the predicate (X با Y تماس گرفت)
    fronted: bool = False     # در تماس تلفنی با Y، X ...
    own: bool = False         # تماس تلفنی خود/ش با Y
    other_named: bool = False  # a با-object right after the predicate that is no official ("با مدیرعامل شرکت")

    def any(self) -> bool:
        return bool(self.genitive or self.obj or self.source or self.joint)


_TWO_BEFORE = re.compile(r"(?:^|\s)(?:هر )?(?:دو|۲|2) $")     # searched in the few characters before a head


def analyse_report(p: Predicate, nt: NormText, toks: Tokens, H: Heads, lex: Lexicon, prev_label_heads,
                   list_heads=()) -> Report:
    """The calls one predicate reports: its arguments, its caller, one call or several."""
    s = nt.s
    rep = Report(p)
    args = _arguments(p, s, toks, H, lex)
    rep.other_named = args.other_named
    if not args.any() and not p.anaphoric and len(args.subj) == 1 and args.subj[0].kind == "title" and args.subj[0].bare \
            and _TWO_BEFORE.search(s, max(0, args.subj[0].start - 8), args.subj[0].start):
        args.subj = []            # "دو وزیر ... تلفنی با هم صحبت کردند": the two sides of a call before
    if not (args.subj or args.any()):
        before = " ".join(toks.texts[toks.index_at(p.clause[0]):p.tok_start])
        rep.pair_anaphor = lex.pattern("pair_anaphor").search(before) is not None
    if not args.subj and prev_label_heads and _first_person(p, toks, toks.index_at(p.clause[1])):
        args.subj = prev_label_heads
    if not args.subj and list_heads and (args.obj or args.source):
        args.subj = list(list_heads)      # "X رایزنی‌های تلفنی امروز:\n۱- گفت‌وگو با Y"
    caller = _caller(p, args)
    request = _requester(s, toks, H, p.clause[0], p.clause[1], lex)
    if isinstance(request, Mention):
        if args.subj and not args.any() and request not in args.subj:
            args.obj = [request]  # "Y در تماسی که به درخواست X انجام شد": X is the other side
        caller = rep.requester = request
    elif request is not None:
        rep.caller_country = request
    rep.directional_form = caller is not None or request is not None
    _one_or_several(rep, p, toks, lex, args, caller)
    return rep


# in the matching form, as the text is compared
TIME_NOUNS = frozenset(norm(w) for w in ("هفته", "ماه", "سال", "روز", "شب", "روزهای"))


def _relative_clause_start(texts: list[str], verb: int, first: int) -> int | None:
    """The که opening the relative clause whose verb is texts[verb], when a noun (or the
    comma after an apposition) stands before it; None when another verb or a boundary
    comes first."""
    for k in range(verb - 1, max(first, verb - 20), -1):
        if texts[k] == "که":
            return k if k - 1 >= first and texts[k - 1] not in BOUNDARY_MARKS - {"،"} \
                and verb_at(texts, k - 1) is None else None
        if texts[k] in BOUNDARY_MARKS - {"،"} or verb_at(texts, k) is not None:
            return None
    return None


def _after_time_phrase(s: str, toks: Tokens, j: int, last: int, lex: Lexicon) -> int:
    """The token after a date or time phrase that starts at token j ("روز دوشنبه"،
    "۲۵ ژوئیه"، "هفته گذشته"), else j."""
    if j >= last:
        return j
    a = toks.starts[j]
    cue = next((c for c in date_cues(s, a, toks.ends[min(last - 1, j + 3)]) if c.start == a), None)
    if cue is not None:
        return toks.index_at(cue.end)
    if toks.texts[j] in TIME_NOUNS and j + 1 < last and lex.pattern("earlier").match(s, toks.starts[j + 1]):
        return j + 2
    return j


# the verbs of a relative clause that has the call: "که با X داشت / برقرار کرد / انجام داد"
_HAVING_THE_CALL = {"داشت", "کرد", "داد", "نمود"}


def _has_the_call(toks: Tokens, k: int, last: int) -> bool:
    """A verb of having or making the call closes the relative clause (its first verb
    before a comma): "که با X درباره تحولات سوریه انجام داد"."""
    for i in range(k, min(last, k + 12)):
        if toks.texts[i] in BOUNDARY_MARKS:
            return False
        hit = verb_at(toks.texts, i)
        if hit:
            return hit[1].past_stem in _HAVING_THE_CALL and not hit[1].negative
    return False


def _call_from(texts: list[str], j: int, end: int, last: int) -> bool:
    """"از X" (tokens j..end) after the call noun names whom the call came from: as "از
    سوی X", with the verb of receiving ("تماس تلفنی از X دریافت کرد"), or closed with no verb
    of its own ("در پی تماس تلفنی از X، ..."، a headline); not as the object of the verb
    that closes it ("در تماس تلفنی از X تشکر کرد"، "از X دعوت کرد")."""
    if j + 1 < last and texts[j + 1] in {"سوی", "طرف", "جانب"}:
        return True
    for k in range(end, last):
        if texts[k] in BOUNDARY_MARKS:
            return True
        hit = verb_at(texts, k)
        if hit:
            return "دریافت" in texts[end:k + hit[0]]
    return True


def _ba_after(s: str, toks: Tokens, head: Mention, last: int) -> bool:
    k = toks.index_at(head.np_end)
    return k < last and toks.texts[k] == "با"


def _arguments(p: Predicate, s: str, toks: Tokens, H: Heads, lex: Lexicon) -> _Args:
    texts = toks.texts
    lo, hi = p.clause
    last = toks.index_at(hi)
    a = _Args()

    # after the predicate: genitive (+ با / به), میان, با, از (سوی), به / خطاب به
    j = p.tok_end
    while j < last:
        after = _after_time_phrase(s, toks, j, last, lex)    # "گفت‌وگوی تلفنی ۲۵ ژوئیه X با Y"
        if after == j and not (texts[j] in SKIP_AFTER or texts[j].isdigit()):
            break
        a.own = a.own or texts[j] in {"خود", "اش", "ش"}
        j = max(after, j + 1)
    head = H.at(s, toks.starts[j]) if j < last else None
    if j < last and texts[j] in {"میان", "بین"}:
        a.joint = _list_at(s, H, toks.ends[j], hi)
    elif head is not None and head.np_start < hi and (head.kind != "pronoun" or _ba_after(s, toks, head, last)) \
            and not p.anaphoric:
        # a pronoun only with its با-object: "گفت‌وگوی تلفنی وی با Y"; "این تماس" takes no
        # genitive ("X در این تماس Y را دعوت کرد": Y is the verb's object)
        a.genitive = H.coordination(s, head, hi) if head.kind != "pronoun" else [head]
        k = toks.index_at(a.genitive[-1].np_end)
        while k < last and texts[k] in SKIP_AFTER:
            k += 1
        if k < last and texts[k] == "،" and "،" in s[a.genitive[-1].np_start:a.genitive[-1].np_end]:
            k += 1            # an appositive's closing comma: "تماس تلفنی X، TITLE، با Y"
        if k < last and texts[k] == "با":
            a.obj = _list_at(s, H, toks.ends[k], hi) or _country_objects(s, toks, k, a.genitive, H, lex, hi)
        elif k < last and texts[k] == "به" and p.family == "phone":
            a.obj = _list_at(s, H, toks.ends[k], hi)          # "یک تلفن X به Y": X phoned Y
    elif j < last and texts[j] == "با":
        a.obj = _list_at(s, H, toks.ends[j], hi)
        # "با مدیرعامل شرکت ...": the other side named, and no official (not "با اشاره به ...")
        a.other_named = not a.obj and j + 1 < last and texts[j + 1] in lex.words("non_official")
    elif j < last and texts[j] == "از":
        k = j + 1 + (j + 1 < last and texts[j + 1] in {"سوی", "طرف", "جانب"})
        heads = _list_at(s, H, toks.starts[k], hi) if k < last else []
        if heads and not _call_from(texts, j, toks.index_at(heads[-1].np_end), last):
            a.obj, a.obj_by = heads, "از"       # the other side, thanked or invited: no direction
        else:
            a.source = heads
    elif j < last and (texts[j] == "به" or (texts[j] == "خطاب" and j + 1 < last and texts[j + 1] == "به")):
        k = j + (2 if texts[j] == "خطاب" else 1)
        a.obj = _list_at(s, H, toks.starts[k], hi) if k < last else []
        a.obj_by = "به"
    if not a.any():
        # a time phrase between the predicate and its با-object: "طی تماس تلفنی در ۲۴ ساعت گذشته با X";
        # or a relative clause that has the call: "در گفت‌وگوی تلفنی که امروز با X داشت"
        relative = j < last and texts[j] == "که"
        start = j + 1 if relative else j
        for k in range(start, min(last, start + 8)):
            if texts[k] == "با":
                obj = _list_at(s, H, toks.ends[k], hi)
                if not relative or obj and _has_the_call(toks, toks.index_at(obj[-1].np_end), last):
                    a.obj = obj
                break
            if texts[k] in BOUNDARY_MARKS or verb_at(texts, k) or lex.pattern("content").match(s, toks.starts[k]) \
                    or H.at(s, toks.starts[k]) is not None:
                break
    if not a.any():
        # "تماسی تلفنی ... که از سوی X دریافت کرد"
        for k in range(j, min(last, j + 6)):
            if texts[k] == "از" and k + 1 < last and texts[k + 1] in {"سوی", "طرف", "جانب"}:
                a.source = _list_at(s, H, toks.ends[k + 1], hi)
                break

    # before the predicate: "X با Y [...] تماس گرفت / تلفنی گفت‌وگو کرد"; "X به Y تلفن/زنگ زد"
    ba_pos = None
    if not a.any():
        noun_start = p.noun[0] if p.noun else p.start
        i = toks.index_at(noun_start) - 1
        while i >= toks.index_at(lo):
            if texts[i] == "با" or (texts[i] == "به" and p.family == "phone"):
                h = H.at(s, toks.ends[i])
                if h is not None and h.np_start < noun_start:
                    a.obj = H.coordination(s, h, noun_start)
                    ba_pos = toks.starts[i]
                    a.ba_before = True
                    a.obj_by = texts[i]
                    break
            if verb_at(texts, i) is not None:
                c = _relative_clause_start(texts, i, toks.index_at(lo))
                if c is not None:
                    i = c - 1     # "با X، که در حال ترک نیویورک بود، تماس گرفت": a relative clause on X
                    continue
                break             # another clause
            if texts[i] == "که":
                break
            i -= 1
    # "X، Y را در تماس تلفنی ... تهدید کرد": the object of the clause's verb
    if not a.any() and p.prep in PP_CALLER:
        k = p.tok_start - 1
        while k > 0 and texts[k] in {"در", "طی", "ضمن", "یک", "حین"}:
            k -= 1
        if texts[k] == "را":
            heads = [h for h in H.in_range(lo, toks.starts[k]) if _usable(h) and h.kind != "pronoun"
                     and s[h.np_end:toks.starts[k]].strip(" «»\"") == ""]
            if heads:
                a.obj, a.obj_by = heads[-1:], "را"

    # the subject
    anchor = ba_pos if ba_pos is not None else (a.obj[0].np_start if a.obj_by == "را" else p.start)
    a.subj = _subject(s, toks, H, lo, anchor, exclude=a.genitive + a.obj + a.source + a.joint)
    if not a.subj and a.obj and ba_pos is None and not _first_person(p, toks, last):
        # "در تماس تلفنی با Y، X ...": the subject follows the با-group and its comma
        k = toks.index_at(a.obj[-1].np_end)
        while k < last and texts[k] in SKIP_AFTER:        # "با Y دیشب، X ..."
            k += 1
        if k < last and texts[k] == "،":
            for h in H.in_range(toks.ends[k], min(hi, toks.ends[min(k + 4, last - 1)])):
                if _usable(h) and h.kind != "pronoun" and not _governed(s, toks, h):
                    a.subj, a.fronted = H.coordination(s, h, hi), True
                    break
    if not (a.subj or a.any()) and _clause_initial(s, toks, p, lo) and j < last and texts[j] == "،":
        # "یک تماس تلفنی، X از Y خواست": the call names the clause that follows it
        rest = [h for h in H.in_range(toks.ends[j], hi) if _usable(h) and h.kind != "pronoun"]
        free = [h for h in rest if not _governed(s, toks, h)]
        if free:
            a.subj = H.coordination(s, free[0], hi)
            a.obj = [h for h in rest if h not in a.subj and _governed(s, toks, h)][:1]
    if not a.subj and p.label is not None:
        lab = [h for h in H.in_range(*p.label) if _usable(h) and h.kind != "pronoun"]
        if lab:
            a.subj = H.coordination(s, lab[-1], p.label[1]) if len(lab) == 1 else lab[-1:]
    return a


def _list_at(s: str, H: Heads, pos: int, hi: int) -> list[Mention]:
    """The coordinated officials that start at pos, inside the clause."""
    h = H.at(s, pos)
    return H.coordination(s, h, hi) if h is not None and h.np_start < hi else []


def _caller(p: Predicate, a: _Args) -> Mention | None:
    """Who placed the call, by the directional forms of ANNOTATION.md (None: the form
    names no caller)."""
    if a.source:
        return a.source[0]                    # Y تماس ... از X دریافت کرد
    if p.prep == "در پاسخ به" and a.genitive:
        return a.genitive[0]                  # Y در پاسخ به تماس X
    if not p.directional:
        return None                           # گفت‌وگو names no caller
    if a.genitive and len(a.genitive) == 1 and (a.obj or a.subj):
        return a.genitive[0]                  # تماس تلفنی X با Y
    if not (a.obj and a.subj):
        return None
    if a.obj_by == "با" and not a.ba_before and (p.prep in PP_CALLER or a.fronted):
        return a.subj[0]                      # X در/طی/ضمن تماس تلفنی با Y
    if a.own:
        return a.subj[0]                      # تماس تلفنی خود با Y
    if (p.verb and p.verb[2].past_stem == "گرفت" and p.verb_noun is None) or p.verb_noun == "برقرار":
        return a.subj[0]                      # X با Y تماس گرفت / برقرار کرد
    if p.family == "phone":
        return a.subj[0]                      # یک تلفن X به Y
    return None


_NUMEROUS = {"متعدد", "مکرر", "فراوان", "چندین", "بسیاری"}


def _one_or_several(rep: Report, p: Predicate, toks: Tokens, lex: Lexicon, a: _Args, caller: Mention | None) -> None:
    texts = toks.texts
    window = texts[max(p.tok_start - 2, 0):min(p.tok_end + 3, toks.index_at(p.clause[1]))]
    marked_separate = any(w in lex.words("separate") for w in window)   # جداگانه، متعدد ...
    if p.plural and any(w in _NUMEROUS for w in window) \
            and any(h.kind == "group" and h.role_code == "official" for h in a.obj + a.genitive):
        p.status = "habitual"  # "تماس‌های متعدد با مقامات X و Y": contact over time, no call of its own
        return
    received = False      # each genitive item called the subject (Y تماس‌های جداگانه X1 و X2 را دریافت کرد)
    if a.joint:
        first_side, second_side = a.joint, []
    elif a.genitive:
        # "گفت‌وگوی تلفنی X و Y": both sides in the genitive; the clause's subject
        # speaks of that call ("Z از نتایج گفت‌وگوی تلفنی X و Y استقبال کرد")
        both = not a.obj and len(_items([h for h in a.genitive if _usable(h)])) >= 2
        # ... unless they are separate calls, each with the subject: "Y تماس‌های تلفنی
        # جداگانه X1 و X2 را دریافت کرد"
        each_with_subject = both and bool(a.subj) and marked_separate
        both = both and not each_with_subject
        first_side, second_side = a.genitive, [] if both else (a.obj or a.subj)
        if each_with_subject and p.directional:
            rest = texts[toks.index_at(a.genitive[-1].np_end):toks.index_at(p.clause[1])]
            received = p.verb_noun == "دریافت" or any(
                w == "را" and nxt == "دریافت" for w, nxt in zip(rest, rest[1:]))
    elif a.source:
        first_side, second_side = a.source, a.subj
    else:
        first_side, second_side = a.subj, a.obj
    first = _items([h for h in first_side if _usable(h)])
    second = _items([h for h in second_side if _usable(h)])
    prev_tok = texts[p.tok_start - 1] if p.tok_start > 0 else ""
    joint = any(h.group_call for h in first_side + second_side) or any(w in lex.words("joint") for w in window) \
        or (prev_tok in {"یک", "یه"} and not p.plural) or p.family == "conference"
    separate = p.plural or marked_separate
    if not second:
        if len(first) >= 2:
            rep.calls.append((first, None))
        elif first:
            rep.one_sided = first
        return
    if not first:
        rep.one_sided = second if len(second) == 1 else []
        # a list after با is the other side of someone unnamed ("رایزنی تلفنی با وزرای خارجه
        # ترکیه و برزیل"), never a call among its members
        if len(second) >= 2 and not separate and not (second_side is a.obj and a.obj_by == "با"):
            rep.calls.append((second, None))
        return
    caller_item = next((it for it in first + second if it.mention is caller), None) if caller is not None else None
    if joint and not separate:
        rep.calls.append((first + second, caller_item))
        return
    for x in first:
        for y in second:
            c = caller_item if caller_item in (x, y) else None
            if received:
                c = x
            if caller_item is not None and c is None:
                # a coordinated caller side: "X و Y در تماس‌های جداگانه با Z": each called
                c = x if caller in first_side else (y if caller in second_side else None)
            rep.calls.append(([x, y], c))


def _first_person(p: Predicate, toks: Tokens, last: int) -> bool:
    """The verb of the predicate, or of its clause, is first person ("تماس گرفتم")."""
    if p.verb is not None:
        return p.verb[2].person in {"1s", "1p"}
    for k in range(p.tok_end, last):
        hit = verb_at(toks.texts, k)
        if hit:
            return hit[1].person in {"1s", "1p"}
    return False


def _clause_initial(s: str, toks: Tokens, p: Predicate, lo: int) -> bool:
    """Only determiners or a preposition stand before the predicate in its clause."""
    words = toks.texts[toks.index_at(lo):p.tok_start]
    return all(w in {"یک", "یه", "در", "طی", "ضمن", "این", "«", "»"} for w in words)


def _governed(s: str, toks: Tokens, h: Mention) -> bool:
    """A preposition (or a source marker) governs this head."""
    i = toks.index_at(h.np_start) - 1
    while i >= 0 and toks.texts[i] in HONORIFIC_SKIP | {"«", "»", '"'}:
        i -= 1
    if i < 0:
        return False
    t = toks.texts[i]
    # also the complement of a noun a preposition governs: "به درخواست X"، "به دعوت X"
    return t in GOVERNING or (t == "به" and i > 0) or (t in _GOVERNED_NOUNS and i > 0 and toks.texts[i - 1] == "به")


_GOVERNED_NOUNS = {"درخواست", "دعوت", "پیشنهاد", "ابتکار", "دستور", "گفته", "نوشته"}


# The two patterns below stand after whitespace or at the start, (?<!\S): written with the
# look-behind after each word's first letter (text.words_not_after), so that re can skip
# ahead to a first letter; tests/test_fast_patterns.py keeps their plain forms.
_WHILE_THAT = re.compile(
    "(?:" + words_not_after(["در حالی که"] + [f"{a} از {b}" for a in ("پیش", "قبل", "پس", "بعد")
                                            for b in ("ان که", "انکه", "این که", "اینکه")]
                            + ["هنگامی که", "زمانی که", "وقتی که"], r"\S")
    + r")\s"
)


# "X ... بود که ...": a copula and the relative clause said of its subject
_CLEFT = re.compile("(?:" + words_not_after([f"{w} که" for w in ("بود", "است", "بودند", "هستند")], r"\S") + r")(?!\S)")


def _circumstances(s: str, lo: int, hi: int) -> list[tuple[int, int]]:
    """"در حالی که C،" or "پیش از آنکه C،" inserted before the predicate: C's people are
    not its subject."""
    out = []
    if s.find("که", lo, hi) < 0:
        return out
    for m in _WHILE_THAT.finditer(s, lo, hi):
        comma = s.find("،", m.end(), hi)
        if comma >= 0:
            out.append((m.start(), comma))
    return out


def _subject(s: str, toks: Tokens, H: Heads, lo: int, anchor: int, exclude: list[Mention]) -> list[Mention]:
    """The nearest official noun phrase before anchor in [lo, anchor) that no
    preposition governs, with what it is coordinated with."""
    cands = [h for h in H.in_range(lo, anchor) if h not in exclude and _usable(h)]
    inserted = _circumstances(s, lo, anchor)
    cleft = _CLEFT.search(s, lo, anchor)
    for h in reversed(cands):
        if h.np_end > anchor or _governed(s, toks, h) or any(a <= h.np_start < b for a, b in inserted):
            continue
        if cleft is not None and h.np_end <= cleft.start() and any(
                g.np_end <= h.np_start and not _governed(s, toks, g) for g in cands):
            continue          # "X از نخستین سران بود که ... تماس گرفت": سران is what X was, X the subject
        # the start of its coordination: walk back through و / ،
        group_start = h
        for g in reversed(cands):
            if g.np_end <= group_start.np_start and _joining_gap(s, H, g.np_end, group_start.np_start) \
                    and not _governed(s, toks, g):
                group_start = g
            elif g.np_start < group_start.np_start:
                break
        group = H.coordination(s, group_start, anchor)
        return group if h in group else H.coordination(s, h, anchor)
    return []


def _joining_gap(s: str, H: Heads, a: int, b: int) -> bool:
    """Only و, a comma or an honorific between two heads ("بایدن و آقای پوتین")."""
    words, h = [], bisect.bisect_left(H.honor_starts, a)
    while h < len(H.honor) and H.honor[h][1] <= b:
        words.append(s[a:H.honor[h][0]])
        a = H.honor[h][1]
        h += 1
    return "".join(words + [s[a:b]]).strip(" «»\"،,") in {"", "و"}


def _country_objects(s, toks, k, genitive, H, lex, hi) -> list[Mention]:
    """"وزرای خارجه ایران با ترکیه و قطر": the countries after با take the group's title."""
    group = genitive[-1]
    if group.kind != "group" or not group.role_code:
        return []
    out = []
    pos = toks.ends[k]
    while True:
        while pos < hi and s[pos] in " ،,":
            pos += 1
        if s.startswith("و ", pos):
            pos += 2
        c = bisect.bisect_left(H.country_starts, pos)
        if c >= len(H.countries) or H.countries[c][0] != pos or pos >= hi:
            return out
        a, b, code = H.countries[c]
        out.append(Mention("title", a, b, country=code, role_code=group.role_code, title_norm=group.title_norm,
                           title_fa=group.title_fa))
        pos = b


def _requester(s, toks, H, lo, hi, lex) -> Mention | str | None:
    """"به درخواست X" in the clause: X placed the call. X is an official, or a country
    or its office ("به درخواست کاخ سفید"، "به درخواست طرف عمانی"): then the country's code."""
    m = lex.pattern("request").search(s, lo, hi)
    if m is None:
        return None
    h = H.at(s, m.end())
    if h is not None and h.np_start < hi:
        return h
    pos = m.end() + 1
    for w in ("طرف ", "دولت ", "کشور "):
        if s.startswith(w, pos):
            pos += len(w)
    k = bisect.bisect_left(H.country_starts, pos)
    if k < len(H.countries) and H.countries[k][0] == pos:
        return H.countries[k][2]
    return None


# words that may stand before a subject pronoun opening its sentence ("همچنین وی ...")
SENTENCE_OPENERS = {"همچنین", "سپس", "نیز", "در", "ادامه", "پایان", "و"}


def _antecedent_ok(h: Mention, exclude: set[int]) -> bool:
    return h.kind not in {"pronoun", "group"} and _usable(h) and not h.private and id(h) not in exclude


# how many sentences opened by a pronoun a chain goes back over: a long article of such
# sentences must not cost each pronoun the whole article
_PRONOUN_CHAIN = 8


def _sentence_opened_by(H: Heads, m: Mention) -> int | None:
    """The index of the sentence ``m`` opens (after sentence openers only), else None."""
    j = bisect.bisect_right(H.sent_starts, m.np_start) - 1
    if j >= 0 and all(w.strip("«»\"،,:") in SENTENCE_OPENERS or not w.strip("«»\"،,:")
                      for w in H.s[H.sent_n[j][0]:m.np_start].split()):
        return j
    return None


def _spoken_of(H: Heads, speaker: Mention, i: int, exclude: set[int]) -> Mention | None:
    """"X نوشت: با Y تلفنی صحبت کردم. او ...": when sentence i's first official speaks
    in the first person after a colon, a third-person pronoun after it is not the speaker
    but the official the quote names (Y)."""
    a, b = H.sent_n[i]
    colon = H.s.find(":", speaker.np_end, b)
    if colon < 0:
        return None
    words = TOKEN_RE.findall(H.s[colon:b])
    if not any((v := verb_at(words, k)) and v[1].person in {"1s", "1p"} for k in range(len(words))):
        return None
    return next((h for h in H.in_range(colon, b) if _antecedent_ok(h, exclude) and h.kind != "pronoun"), None)


def pronoun_antecedent(H: Heads, pron: Mention, exclude: set[int]) -> Mention | None:
    """The official a pronoun stands for, not one of the excluded (by id). A pronoun that
    opens its sentence is its subject and goes on with the subject of the sentence before
    ("X در این تماس به Y و Z گفت ... . وی همچنین ..." is X): the first official of the
    nearest earlier sentence that names one, across sentences a pronoun opens in turn.
    Elsewhere, the nearest official before it."""
    j = _sentence_opened_by(H, pron)
    if j is not None and j > 0:
        # ... except the other party's turn ("Y نیز ... گفت"): then the subject before it
        limit = H.sent_n[j][0]
        hops = 0
        while True:
            k = bisect.bisect_left(H.starts, limit) - 1
            while k >= 0 and not _antecedent_ok(H.all[k], exclude):
                k -= 1
            if k < 0:
                break
            i = bisect.bisect_right(H.sent_starts, H.all[k].np_start) - 1
            first = next(h for h in H.in_range(H.sent_n[i][0], H.all[k].np_start + 1)
                         if _antecedent_ok(h, exclude) or h.kind == "pronoun" and _sentence_opened_by(H, h) == i)
            if first.kind == "pronoun" and i > 0 and hops < _PRONOUN_CHAIN:
                hops += 1             # "X ... . او ... . وی همچنین ...": on to the sentence before
                limit = H.sent_n[i][0]
                continue
            if first.kind == "pronoun":
                return None
            other = _spoken_of(H, first, i, exclude)
            if other is not None:
                return other
            if not H.s.startswith(" نیز", first.np_end) or i == 0:
                return first
            limit = H.sent_n[i][0]
    k = bisect.bisect_left(H.starts, pron.np_start) - 1
    while k >= 0:
        h = H.all[k]
        if _antecedent_ok(h, exclude):
            return h
        k -= 1
    return None
