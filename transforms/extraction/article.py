"""Extraction of one article: its call predicates, their reports, the calls they make,
each call's initiator, date and topics, and who said what."""

from __future__ import annotations

import bisect
import datetime as dt
import re

from .calls import Call, build_calls, names_participant
from .dates import call_date, date_cues, local_published, resolve_cue, stated_date, stated_in_window, weekday_of
from .lexicon import Lexicon
from .metadata import article_meta
from .officials import Gazetteer, find_mentions, office_span, person_countries
from .predicates import find_predicates
from .prepass import CALL_WORDS
from .reports import Heads, _usable, analyse_report
from .resolve import Resolver
from .statements import find_statements
from .text import TOKEN_RE, normalize_with_map, sentences, words_not_after
from .topics import content_sentences, find_topics, first_person_verb, zwnj_spaces
from .verbs import verb_at


def extract_article(article_id: str, text: str, title: str | None, published_at, g: Gazetteer, lex: Lexicon, occasions,
                    may_call: bool | None = None, may_state: bool | None = None):
    """``may_call``, ``may_state``: the batch pre-pass's verdicts (``prepass.verdicts``):
    False when the text has no call word, no statement verb; None tests this article's
    own text."""
    text = text or ""
    res = {"mentions": [], "participants": [], "officials": [], "topics": [], "statements": [], "meta": None}
    outlet, cited = article_meta(text)
    res["meta"] = (article_id, outlet, cited)
    if may_call is False and may_state is False:
        return res        # no call and no statement can be found: nothing else to read
    nt = normalize_with_map(text)
    s = nt.s
    sents = sentences(text)
    sent_n = [(nt.to_norm(sp.start), nt.to_norm(sp.end)) for sp in sents]
    said = find_statements(nt, text, sents, sent_n) if may_state is not False else []
    may_report = may_call if may_call is not None else CALL_WORDS.search(s)
    preds, toks = find_predicates(nt, sent_n, lex) if may_report else ([], None)
    if not preds and not said:
        return res        # no call predicate and nobody quoted: no official of this article is needed
    found = find_mentions(g, nt, text)
    pub_local = local_published(published_at)
    ref_date = pub_local.date() if pub_local else (lambda: stated_date(s, None))
    resolver = Resolver(g, nt, text, found.mentions, ref_date, found.countries)
    resolver.sent_n = sent_n
    calls: list[Call] = []
    if preds:
        H = Heads(found.mentions, found.honor, found.countries, g.stop, person_countries(g), s, sent_n,
                  g.first_names, g.common_words)
        headline = _headline(text, sents)
        reports = []
        author = _signature(s, sent_n, H, found.honor)
        colons = _label_colons(s, sent_n)
        explicit_in = {q.sentence for q in preds if q.explicit}
        for p in preds:
            speaker = _label_before(s, sent_n, p, H, colons) or (author if p.sentence < len(sent_n) - 1 else [])
            header, header_sent = _list_header(s, sent_n, p, H)
            if header_sent in explicit_in:
                p.explicit = True     # an item under "رایزنی‌های تلفنی امروز X:" is one of those calls
            reports.append(analyse_report(p, nt, toks, H, lex, speaker, header))
        calls = build_calls(reports, resolver, H, headline, lambda p: _own_date(s, p, pub_local, lex))
        if calls:
            shared = _Shared(nt, text, sent_n, H, calls)
            for seq, call in enumerate(calls):
                _emit(res, article_id, seq, call, nt, text, sents, sent_n, H, resolver, g, lex, occasions,
                      pub_local, calls, headline, shared)
    _statements(res, article_id, text, sent_n, said, found.mentions, resolver, calls)
    return res


def _headline(text: str, sents) -> int | None:
    """The first sentence when it is a headline: a line of its own, not ended like a
    sentence, followed by more text."""
    if len(sents) < 2:
        return None
    first = sents[0]
    nl = text.find("\n", first.start)
    ended = text[first.start:first.end].rstrip().endswith((".", "!", "؟", "?"))
    return 0 if 0 <= nl <= first.end + 1 and sents[1].start > nl and not ended else None


def _label_colons(s: str, sent_n) -> tuple[list[int], list[int]]:
    """The first ":" of each sentence that has one: (positions, sentence indices)."""
    positions, indices = [], []
    for i, (a, b) in enumerate(sent_n):
        k = s.find(":", a, b)
        if k >= 0:
            positions.append(k)
            indices.append(i)
    return positions, indices


def _label_before(s: str, sent_n, p, H: Heads, colons: tuple[list[int], list[int]]):
    """The speaker of a first-person report: the official of the nearest "SPEAKER: ..."
    label at or before its sentence (a quote runs on over the lines after the label)."""
    positions, indices = colons
    k = bisect.bisect_left(positions, p.clause[0]) - 1
    if k < 0:
        return []
    a, colon = sent_n[indices[k]][0], positions[k]
    heads = [h for h in H.in_range(a, colon) if h.kind != "pronoun" and not h.source and not h.institution]
    # a short label ("X:"), or a clause of any length whose verb of saying ends at the
    # colon ("X امروز در یادداشتی ... نوشت:")
    said = _SAYING.search(s, max(a, colon - 16), colon + 1)
    return heads[:1] if heads and (len(s[a:colon].split()) <= 10 or said) else []


# an item's number or bullet at the start of a line (the matching form drops "-" and ")")
_LIST_ITEM = re.compile(r"\s*(?:[0-9۰-۹]{1,2}(?: ?[-.)])?|[-•▪◾🔹🔸])\s")


def _list_header(s: str, sent_n, p, H: Heads) -> tuple[list, int | None]:
    """The official of the header a numbered or bulleted item stands under ("رایزنی‌های
    تلفنی امروز X:\n۱- گفت‌وگو با Y؛ ..."): the subject of the item's call; and the
    header's sentence."""
    a, b = sent_n[p.sentence]
    if not _LIST_ITEM.match(s, a):
        return [], None
    for i in range(p.sentence - 1, max(-1, p.sentence - 12), -1):
        x, y = sent_n[i]
        if _LIST_ITEM.match(s, x):
            continue          # an earlier item of the same list
        if s[x:y].rstrip().endswith(":"):
            return [h for h in H.in_range(x, y) if h.kind in {"person", "title"} and _usable(h)][:1], i
        return [], None
    return [], None


SIGNATURE_SEPARATORS = set("|،,-–—/:")


def _signature(s: str, sent_n, H: Heads, honor) -> list:
    """The author of a post signed on its last line ("NAME | TITLE"): the speaker of its
    first-person reports. The line holds an official's name, maybe a title and
    honorifics, and nothing else."""
    if len(sent_n) < 2:
        return []
    a, b = sent_n[-1]
    heads = [h for h in H.in_range(a, b) if h.kind in {"person", "title"} and h.np_end <= b and _usable(h)]
    if not heads or heads[0].kind != "person":
        return []
    rest = list(s[a:b])
    for x, y in [(h.np_start, h.np_end) for h in heads] + [(x, y) for x, y in honor if a <= x < b]:
        rest[x - a:y - a] = " " * (min(y, b) - x)
    return heads[:1] if all(ch.isspace() or ch in SIGNATURE_SEPARATORS for ch in rest) else []


def _own_date(s: str, p, pub_local, lex: Lexicon):
    """The date the report's own clause gives the call: the date phrase nearest the
    predicate, before what the clause says was discussed."""
    if p.ranked:
        return None
    lo, hi = p.clause
    m = lex.pattern("content").search(s, p.end, hi)
    stop = m.start() if m else hi
    cues = [c for c in date_cues(s, lo, stop) if c.start < stop and not _verb_between(s, c, p)]
    if not cues:
        # "X روز یکشنبه با Y ... کرد و پس از آن با Z ... صحبت کرد": the first clause's day
        return _own_date(s, p.coordinate, pub_local, lex) if p.coordinate is not None else None
    # a date right after the call noun modifies it ("گفت‌وگوی تلفنی روز دوشنبه X و Y"),
    # whatever other date the clause gives (the day the text was released)
    modifier = next((c for c in cues if c.start >= p.end and not s[p.end:c.start].strip()), None)
    cue = modifier or min(cues, key=lambda c: (0 if c.end <= p.start else 1, abs((c.start + c.end) / 2 - p.start)))
    said_from = p.label[0] if p.label else lo       # "X روز دوشنبه گفت: دیروز ..."
    return resolve_cue(cue, _said_on(s, said_from, hi, cue, pub_local) if cue.kind == "relative" else pub_local)


def _said_on(s: str, lo: int, hi: int, cue, pub_local):
    """The moment a relative day counts from: the day the clause says its words were
    said ("در نشست روز سه‌شنبه از گفت‌وگوی تلفنی دو روز پیش خود خبر داد"، "X روز دوشنبه گفت:
    دیروز ..."), when a verb of saying governs the clause and no other verb stands
    between that day and the relative one; else the publication."""
    if pub_local is None or not _SAYING.search(s, lo, hi):
        return pub_local
    for c in reversed([c for c in date_cues(s, lo, cue.start) if c.end <= cue.start]):
        words = s[c.end:cue.start].split()
        if any(verb_at(words, k) and not _SAYING.fullmatch(" ".join(words[k:k + 2])) and
               not _SAYING.fullmatch(words[k]) for k in range(len(words))):
            return pub_local
        got = resolve_cue(c, pub_local)
        if got and got[1] == "day" and got[0] <= pub_local.date():
            return dt.datetime.combine(got[0], dt.time(12), pub_local.tzinfo)
        return pub_local
    return pub_local


# the verbs that report what someone said
_SAYING = re.compile(r"(?:^|\s)(?:گفت(?! ?و ?گو)|افزود|خبر داد|اعلام کرد|اظهار داشت|تصریح کرد|نوشت|عنوان کرد|یاداور شد)"
                     r"(?=\s|$|:|\.|،)")     # in the matching form (یادآور as یاداور)


# "همان روز"، "در همین شب" (not "در همین روزها")
_THAT_DAY_WORDS = [f"{a} {b}" for a in ("همان", "در همین") for b in ("روز", "شب", "شامگاه", "بامداد", "عصر", "صبح")]
_NOT_THOSE_DAYS = r"(?! ?ها(?:ی)?(?=\s|$|،))"
_THAT_DAY = "(?:" + "|".join(_THAT_DAY_WORDS) + ")" + _NOT_THOSE_DAYS
# a day told by the call before it in the article: the same day, or the next
_SAME_DAY = re.compile(r"(?:^|\s)(?:" + _THAT_DAY +
                       r"|(?:ساعتی|ساعاتی|دقایقی|لحظاتی) (?:(?:بعد|پس) از (?:ان|این)|بعد(?! از))|سپس"
                       # "در تماس تلفنی جداگانه‌ای/دیگری با Z": another call of the same round
                       r"|(?:تماس|گفت ?و ?گوی|گفتگوی|مکالمه)(?: تلفنی)? (?:جداگانه ای|دیگری))(?=\s|$|،)")
_NEXT_DAY = re.compile(r"(?:^|\s)(?:فردای (?:ان|همان) روز|روز بعد)(?=\s|$|،)")


# "در همین روز / همان روز، X با Y ..."، "پس از پایان دیدار با Z، X با Y ...": the day the
# text told last
# (whether (?:^|\s)(?:THAT_DAY|(?:پس|بعد) از پایان)(?=\s|$|،) is found: each word opens
# with its first letter, so that re can skip ahead to one; tests/test_fast_patterns.py)
_SAME_DAY_AS_TOLD = re.compile(
    "(?:" + "|".join([words_not_after([w], r"\S") + _NOT_THOSE_DAYS for w in _THAT_DAY_WORDS]
                     + [words_not_after(["پس از پایان", "بعد از پایان"], r"\S")])
    + r")(?=\s|$|،)"
)


def _day_told_before(s: str, sent_n, i: int, pub_local):
    """(date, "day", "inferred") of the last day phrase of the few sentences before
    sentence i, when the call's sentence dates it by "همان روز"; else None."""
    if pub_local is None:
        return None
    for j in range(i - 1, max(-1, i - 4), -1):
        for cue in reversed(date_cues(s, *sent_n[j])):
            got = resolve_cue(cue, pub_local)
            if got and got[1] == "day":
                return got[0], "day", "inferred"
    return None


def _after_previous_call(scope_text: str, previous: dict):
    """(date, precision, basis) from the article's previous call, when the call's
    sentences date it by that one ("همان روز", "روز بعد"); else None."""
    if previous["call_date"] is None or previous["call_date_precision"] != "day":
        return None
    if _SAME_DAY.search(scope_text):
        return previous["call_date"], "day", "inferred"
    if _NEXT_DAY.search(scope_text):
        return previous["call_date"] + dt.timedelta(days=1), "day", "inferred"
    return None


def _verb_between(s: str, cue, p) -> bool:
    """A verb between a date phrase and the predicate: the date is that verb's ("X روز
    چهارشنبه اعلام کرد که پس از گفت‌وگو با Y ...")."""
    a, b = (cue.end, p.start) if cue.end <= p.start else (p.end, cue.start)
    words = s[a:b].split()
    verbs = [k for k in range(len(words)) if verb_at(words, k) is not None]
    # the verb of a clause inserted on the way is not a verb of its own for the date: a
    # circumstance ("عصر جمعه، در حالی که در مسیر فرودگاه بود، با X ... گفت‌وگو کرد"), a
    # time clause ("روز جمعه و پیش از آنکه Y نیویورک را ترک کند، با وی تماس گرفت"), a
    # relative clause ("روز جمعه با X، که در حال ترک نیویورک بود، تماس گرفت"): the first
    # verb after each که
    for k in (k for k in range(len(words)) if words[k] in _SUBORDINATORS):
        verbs = [v for v in verbs if v < k] + [v for v in verbs if v > k][1:]
    return bool(verbs)


_SUBORDINATORS = {"که", "انکه", "اینکه"}     # in the matching form (آنکه as انکه)


def _earlier_news(s: str, p, lex: Lexicon) -> bool:
    """The report speaks of an earlier call: "تماس اخیر"، "هفته گذشته"، a pluperfect verb."""
    lo, hi = p.clause
    a = max(lo, p.start - 40)
    window = s[a:min(hi, p.end + 40)]
    earlier = [m for m in lex.pattern("earlier").finditer(window)
               # an adjective says so of the call noun it follows ("تماس اخیر"), not of another
               # noun ("تحولات اخیر")
               if m.group().strip() not in _EARLIER_ADJECTIVES or _of_the_call(s, p, a + m.start())]
    if earlier:
        return not re.search(r"(روز|شب) گذشته", window)
    if p.verb is not None:
        return p.verb[2].tense == "pluperfect"
    # a phrase ("در تماس تلفنی با X ... رایزنی کرده بود"): the tense of its clause's next verb
    words = TOKEN_RE.findall(s[p.end:hi])
    return next((v[1].tense == "pluperfect" for k in range(len(words)) if (v := verb_at(words, k))), False)


_EARLIER_ADJECTIVES = {"اخیر", "قبلی", "پیشین"}


def _of_the_call(s: str, p, at: int) -> bool:
    """A word at ``at`` stands in the call noun phrase or right after it, across its
    channel word or خود."""
    return p.start <= at and (at < p.end or all(w in {"تلفنی", "خود", "ویدیویی"} for w in s[p.end:at].split()))


def _call_date(call: Call, s: str, pub_local, occasions, g, lex, scope_text: str):
    body = [c for c in call.cands if not c.headline] or call.cands
    for group in (body, call.cands):
        days = [c.day for c in group if c.day]
        if days:
            return days[0]
    lead = body[0].pred
    countries = {p.country for p in call.participants.values() if p.country}
    window = _role_window(g, call)
    if pub_local is not None:
        d, prec, basis = call_date(scope_text, s, pub_local, occasions, countries, window, occasions_only=True)
        if d is not None:
            return d, prec, basis
        pub = pub_local.date()
        if _earlier_news(s, lead, lex) or pub_local.hour < 6:
            return dt.date(pub.year, pub.month, 1), "month", "published"
        return pub, "day", "published"
    lo, hi = lead.clause
    known = stated_in_window(s[lo:hi], window, weekday_of(s[lo:hi])) if window != _NO_WINDOW else None
    if known is not None:
        return known, "day", "inferred"
    return call_date(scope_text, s, None, occasions, countries, window)


_NO_WINDOW = (dt.date(1990, 1, 1), dt.date(2030, 12, 31))


def _role_window(g: Gazetteer, call: Call):
    """The dates every gazetteer participant of the call held some office."""
    lo, hi = _NO_WINDOW
    for p in call.participants.values():
        span = None if p.is_text else office_span(g, p.official_id)
        if span is None:
            continue
        first, last = span
        lo, hi = max(lo, first), min(hi, last or dt.date(2030, 12, 31))
    return lo, hi


class _Shared:
    """What every call of one article looks up: its officials by sentence, their spans,
    the ZWNJ positions; computed once per article, not once per call."""

    def __init__(self, nt, text, sent_n, H: Heads, calls: list[Call]):
        # (start, end, countries) of each official's noun phrase
        self.excluded = sorted(((m.np_start, m.np_end, frozenset(H.countries_of(m) - {None}))
                                for m in H.all if m.kind != "pronoun"), key=lambda e: e[:2])
        self.starts = ([e[0] for e in self.excluded], [a for a, _, _ in H.countries])
        self.zwnj = zwnj_spaces(nt, text)
        self.calls_in: dict[int, set[int]] = {}      # sentence -> the calls it reports
        for k, call in enumerate(calls):
            for c in call.cands:
                self.calls_in.setdefault(c.pred.sentence, set()).add(k)
        starts = [a for a, _ in sent_n]
        self.heads_in: list[list] = [[] for _ in sent_n]
        for m in H.all:
            i = bisect.bisect_right(starts, m.start) - 1
            if i >= 0 and m.start < sent_n[i][1] and m.kind not in {"pronoun", "group"}:
                self.heads_in[i].append(m)
        self._titles: dict | None = None
        self.topic_words: dict[int, list] = {}        # sentence -> find_topics' words of it

    def title_given(self, p, H: Heads, resolver: Resolver) -> str | None:
        """The title an article gives a participant in another sentence: the first title
        of the participant's office that resolves to them ("the president's chief of
        staff ... Vaezi"). Every title is resolved once per article, not once per call."""
        if self._titles is None:
            self._titles = {}
            for m in H.all:
                if m.kind == "title" and not m.counterpart and m.title_fa:
                    q = resolver.resolve(m)
                    if q is not None:
                        self._titles.setdefault((q.key, m.role_code), m.title_fa)
        return self._titles.get((p.key, p.role_code))


def _emit(res, article_id, seq, call: Call, nt, text, sents, sent_n, H, resolver, g, lex, occasions, pub_local,
          calls, headline, shared: _Shared):
    s = nt.s
    body = [c for c in call.cands if not c.headline] or call.cands
    lead = body[0]
    sp = sents[lead.pred.sentence]
    call_sents = {c.pred.sentence for c in call.cands}
    named: dict[int, bool] = {}

    def other_call(j: int) -> bool:
        return bool(shared.calls_in.get(j, set()) - {seq})

    def names_call(j: int) -> bool:
        if j not in named:
            named[j] = any(names_participant(call, m, resolver) for m in shared.heads_in[j])
        return named[j]

    quote_from = {c.pred.sentence: 1 for c in call.cands if s[c.pred.clause[1]:c.pred.clause[1] + 1] == ":"}
    # told in the first person: by the call's own verb ("تلفنی صحبت کردم"), or, when the
    # call is a phrase ("در تماس تلفنی با X، توافق کردیم"), by the verb of its sentence
    first_person = {c.pred.sentence for c in call.cands
                    if (c.pred.verb[2].person in ("1s", "1p") if c.pred.verb
                        else first_person_verb(s[sent_n[c.pred.sentence][0]:sent_n[c.pred.sentence][1]]))}
    scope = content_sentences(nt, sent_n, call_sents, other_call, names_call, headline, quote_from, first_person)
    scope_text = " ".join(s[sent_n[i][0]:sent_n[i][1]] for i in sorted(call_sents))
    d, prec, basis = _call_date(call, s, pub_local, occasions, g, lex, scope_text)
    if basis == "published" and res["mentions"] and res["mentions"][-1]["article_id"] == article_id:
        d, prec, basis = _after_previous_call(scope_text, res["mentions"][-1]) or (d, prec, basis)
    elif basis == "published" and _SAME_DAY_AS_TOLD.search(scope_text):
        d, prec, basis = _day_told_before(s, sent_n, lead.pred.sentence, pub_local) or (d, prec, basis)
    res["mentions"].append({
        "article_id": article_id, "call_seq": seq, "mode": call.mode, "call_date": d,
        "call_date_precision": prec, "date_basis": basis, "sentence_index": sp.index,
        "char_start": sp.start, "char_end": sp.end, "evidence": text[sp.start:sp.end],
    })
    init = call.initiator()
    for p in call.participants.values():
        if p.title_fa is None and not p.is_text:
            p.title_fa = shared.title_given(p, H, resolver)
        res["participants"].append({
            "article_id": article_id, "call_seq": seq, "official_id": p.official_id, "country_code": p.country,
            "title_fa": p.title_fa, "role_code": p.role_code, "is_initiator": init == p.key, "dq_flag": p.dq_flag,
        })
        if p.is_text:
            res["officials"].append({
                "official_id": p.official_id, "name_fa": p.name_fa, "name_en": None, "country_code": p.country,
                "aliases": [], "title_fa": p.title_fa, "role_code": p.role_code, "source": "text",
            })
        elif p.alias_form:
            gp = g.persons[p.official_id]
            res["officials"].append({
                "official_id": p.official_id, "name_fa": gp["name_fa"], "name_en": gp["name_en"],
                "country_code": gp["country_code"], "aliases": [p.alias_form], "title_fa": p.title_fa,
                "role_code": p.role_code, "source": "alias",
            })
    parties = {p.country for p in call.participants.values() if p.country}
    for code, (a, b) in find_topics(nt, shared.zwnj, sents, sent_n, scope, lex, shared.excluded, parties,
                                    H.countries, call_sents, shared.starts, shared.topic_words).items():
        res["topics"].append({"article_id": article_id, "call_seq": seq, "topic_code": code,
                              "evidence": text[a:b], "char_start": a, "char_end": b})


def _statements(res, article_id, text, sent_n, said, mentions, resolver: Resolver, calls: list[Call]):
    """Who said what (``said``: find_statements of the article); a statement in a call's
    sentence belongs to that call, else to the call its speaker took part in."""
    call_of_sentence: dict[int, int] = {}
    call_of_speaker: dict[str, int] = {}
    for seq, call in enumerate(calls):
        for c in call.cands:
            call_of_sentence.setdefault(c.pred.sentence, seq)
        for p in call.participants.values():
            call_of_speaker.setdefault(p.official_id, seq)
    ordered = sorted((m for m in mentions if m.kind in {"person", "title", "text", "pronoun"}), key=lambda m: m.start)
    starts = [m.start for m in ordered]
    usable = [m for m in ordered if m.kind != "pronoun" and not m.private and not m.source
              and not m.merged and not m.institution]
    usable_starts = [m.start for m in usable]
    sent_starts = [x for x, _ in sent_n]
    for si, verb, a, b, vpos in said:
        lo = sent_n[si][0]
        speaker = None
        for m in ordered[bisect.bisect_left(starts, lo):bisect.bisect_left(starts, vpos)]:
            if m.kind == "pronoun":
                # the officials of the nearest earlier sentence that names any
                k = bisect.bisect_left(usable_starts, lo) - 1
                prev = []
                if k >= 0:
                    sj = bisect.bisect_right(sent_starts, usable[k].start) - 1
                    a0 = sent_n[sj][0]
                    prev = usable[bisect.bisect_left(usable_starts, a0):k + 1]
                for x in prev:
                    got = resolver.resolve(x)
                    if got:
                        speaker = got.official_id
                        break
            else:
                got = resolver.resolve(m)
                if got:
                    speaker = got.official_id
            if speaker:
                break
        seq = call_of_sentence.get(si)
        if seq is None and speaker:
            seq = call_of_speaker.get(speaker)
        res["statements"].append({"article_id": article_id, "call_seq": seq, "official_id": speaker, "verb": verb,
                                  "text": text[a:b], "char_start": a, "char_end": b})
