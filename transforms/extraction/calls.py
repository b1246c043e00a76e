"""The calls of one article, from its reports.

A report (reports.py) gives one or more calls with their participant slots. Here the
slots become participants (resolve.py), and the reports of one article that speak of
the same call become one call:
- same participants -> the same call, unless the two reports give different days
  (a call "last night" and another "on Sunday" are two calls);
- a participant named by title in one report and by name in another, of the same
  country -> the named one;
- a report that names one side only, or none ("در این تماس"), adds to the call it
  speaks of (for the content and the date), never makes a new one;
- a report that only says "conversation" (گفت‌وگو، رایزنی without تلفنی) counts for a
  call the article establishes otherwise: the same participants as a call, or the
  other side of a phone report that names only one.

Who placed the call: the body decides, not the headline (ANNOTATION.md): the callers
the body's two-sided reports mark, when they agree; with no two-sided report in the
body, the headline's.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from .officials import Mention
from .predicates import Predicate
from .reports import Heads, Item, Report, pronoun_antecedent
from .resolve import Participant, Resolver

CREATING = {"tamas", "phone", "conference"}


@dataclass
class Cand:
    parts: list[Participant]
    caller: str | None          # participant key
    report: Report
    headline: bool
    day: tuple | None           # (date, precision, basis) from the report's own date cue
    directional_form: bool = False

    @property
    def keys(self) -> frozenset:
        return frozenset(p.key for p in self.parts)

    @property
    def pred(self) -> Predicate:
        return self.report.pred


@dataclass
class Call:
    participants: dict                      # key -> Participant
    cands: list = field(default_factory=list)
    extra_sentences: set = field(default_factory=set)

    @property
    def keys(self) -> frozenset:
        return frozenset(self.participants)

    @property
    def mode(self) -> str:
        return next((c.pred.mode for c in self.cands if c.pred.explicit), "phone")

    def initiator(self) -> str | None:
        # an anaphor that names no caller ("این گفت‌وگو روز دوشنبه انجام شد") tells no direction
        body = [c for c in self.cands if not c.headline and len(c.keys & self.keys) >= 2
                and not (c.pred.anaphoric and c.caller is None)]
        evidence = body or [c for c in self.cands if len(c.keys & self.keys) >= 2]
        callers = {c.caller for c in evidence if c.caller}
        return callers.pop() if len(callers) == 1 else None


def resolve_items(items: list[Item], resolver: Resolver, H: Heads, taken_ids: set) -> list[tuple[Participant, Item]]:
    """Participants of a call's slots: named and complemented ones first, then bare
    titles and counterparts, which depend on the others."""
    out: list[tuple[Participant, Item]] = []
    late = []
    for given in items:
        it, m = given, given.mention
        if m.kind == "pronoun":
            ante = pronoun_antecedent(H, m, taken_ids)
            if ante is None:
                continue
            it, m = Item(ante, given.country), ante
        if (m.kind == "title" and (m.bare or m.counterpart)) or m.kind == "group" and m.role_code is None:
            late.append((it, given))
            continue
        p = resolver.resolve(m, it.country, [])
        if p is not None:
            out.append((p, given))     # the report's own item: the caller is found by it
    for it, given in late:
        p = resolver.resolve(it.mention, it.country, [q for q, _ in out])
        if p is not None:
            out.append((p, given))
    return out


def _unify(parts: list[tuple[Participant, Item]]) -> list[tuple[Participant, Item]]:
    """One participant per person: a title-only participant of the same country as a
    named one of the same report is that person."""
    out: list[tuple[Participant, Item]] = []
    for p, it in parts:
        if any(q.key == p.key for q, _ in out):
            continue
        out.append((p, it))
    return out


def build_calls(reports: list[Report], resolver: Resolver, H: Heads, headline_sent: int | None, day_of) -> list[Call]:
    cands: list[Cand] = []
    vetoes: list[Cand] = []
    one_sided: list[tuple[Report, list[Participant]]] = []
    for r in reports:
        for items, caller in r.calls:
            taken = {id(it.mention) for it in items if it.mention.kind != "pronoun"}
            resolved = _unify(resolve_items(items, resolver, H, taken))
            parts = [p for p, _ in resolved]
            countries = {p.country for p in parts}
            if len(parts) < 2 or (len(countries) == 1 and None not in countries):
                if parts:
                    one_sided.append((r, parts))
                    if r.pred.status != "reported":
                        # a planned or denied call whose other side is no known official
                        vetoes.append(Cand(parts, None, r, r.pred.sentence == headline_sent, None))
                continue
            caller_key = next((p.key for p, it in resolved if caller is not None and it is caller), None)
            if caller_key is None and r.caller_country:
                caller_key = next((p.key for p in parts if p.country == r.caller_country), None)
            if caller_key is None and r.requester is not None:
                # "به درخواست X، گفت‌وگوی تلفنی وی / X با Y": X named again, or by a pronoun
                asked = resolver.resolve(r.requester)
                caller_key = asked.key if asked is not None and asked.key in {p.key for p in parts} else None
            c = Cand(parts, caller_key, r, r.pred.sentence == headline_sent, day_of(r.pred), r.directional_form)
            if r.pred.status == "reported":
                cands.append(c)
            else:
                vetoes.append(c)
        if not r.calls and r.one_sided:
            parts = [p for p, _ in _unify(resolve_items(r.one_sided, resolver, H, set()))]
            if parts:
                one_sided.append((r, parts))

    calls = _Calls()
    # a call noun after a demonstrative refers back to a call already reported: it names
    # more of that call's content or people, never a call of its own
    creating = [c for c in cands if (c.pred.explicit or c.pred.family in CREATING) and not c.pred.anaphoric]
    supporting = [c for c in cands if not (c.pred.explicit or c.pred.family in CREATING) or c.pred.anaphoric]
    for c in sorted(creating, key=lambda c: c.headline):      # the body first: a headline joins its calls
        _merge(calls, c)
    explicit_without_pair = any(r.pred.explicit and r.pred.status == "reported" and not r.calls for r in reports)
    for c in supporting:
        if c.pred.in_person:
            continue              # "X و Y ... دیدار و گفت‌وگو کرده بودند": a meeting, not the call
        if any(call.keys == c.keys or _same_people(call, c) for call in calls.like(c)):
            _merge(calls, c, supporting=True)
        elif explicit_without_pair and not calls:
            _merge(calls, c)
    # "آن‌ها ... گفت‌وگو کرده بودند": both sides of the call reported before it
    latest = None
    for r in reports:
        if r.pair_anaphor and r.pred.status == "reported" and r.pred.explicit:
            if latest is None:
                latest = _Latest(calls, lambda c: c.pred.sentence, max(q.pred.sentence for q in reports) + 1)
            prev = latest.before(r.pred.sentence)
            if prev is not None:
                _merge(calls, Cand(list(prev.parts), None, r, r.pred.sentence == headline_sent, day_of(r.pred)))
    # a phone report naming one side: the other side from the headline or the next sentences
    if not calls:
        for r, parts in one_sided:
            if r.pred.status != "reported" or not r.pred.explicit or r.pred.plural or len(parts) != 1:
                continue          # plural calls with an unnamed side are contacts, not one call
            if r.other_named:
                continue          # its other side is named, and is no official: "با مدیرعامل شرکت ملی نفت"
            other = _other_side(r, parts[0], resolver, H, headline_sent)
            if other is not None:
                _merge(calls, Cand([parts[0], other], None, r, r.pred.sentence == headline_sent, day_of(r.pred)))
                break
    # "این گفت‌وگو به درخواست X انجام شد": the call just reported, placed by X;
    # "این گفت‌وگو (که) شامگاه چهارشنبه انجام شد": the call just reported, on that day
    latest = None
    for r in reports:
        if not (r.pred.anaphoric and r.pred.status == "reported" and not r.calls):
            continue
        day = day_of(r.pred)
        if day is None and r.requester is None and not r.caller_country:
            continue
        if latest is None:
            rank = {a: k for k, a in enumerate(sorted({q.pred.start for q in reports}))}
            latest = _Latest(calls, lambda c: rank[c.pred.start], len(rank))
        prev = latest.before(rank[r.pred.start])
        if prev is None:
            continue
        prev = _of_the_source(calls, H, r, prev)
        if r.requester is None and not r.caller_country:
            _merge(calls, Cand(list(prev.parts), None, r, False, day, True), supporting=True)
            continue
        if r.requester is not None:
            got = resolver.resolve(r.requester, None, list(prev.parts))
            countries = {got.country} if got is not None else H.countries_of(r.requester)
            keys = [p.key for p in prev.parts if got is not None and p.key == got.key] or \
                [p.key for p in prev.parts if p.country in countries]
        else:
            keys = [p.key for p in prev.parts if p.country == r.caller_country]
        if len(keys) == 1:
            _merge(calls, Cand(list(prev.parts), keys[0], r, False, day, True), supporting=True)
    # reports naming one side of a known call add to it
    by_person: dict[str, list[Call]] = {}
    for call in calls:
        for k in call.participants:
            by_person.setdefault(k, []).append(call)
    for r, parts in one_sided:
        if r.pred.status != "reported":
            continue
        of_person = next((by_person[p.key] for p in parts if p.key in by_person), [])
        # "X در این تماس‌ها ...": these calls are all of X's calls, not the first of them
        for call in of_person if r.pred.anaphoric and r.pred.plural else of_person[:1]:
            call.cands.append(Cand(parts, None, r, r.pred.sentence == headline_sent, day_of(r.pred)))
    # "گزارش ... مبنی بر گفت‌وگوی تلفنی X و Y ... گفت: چنین تماسی انجام نشده": a call
    # only claimed in the sentence that denies it (or in the headline) is none
    denied: dict[int, list[Report]] = {}
    for r in reports:
        if r.pred.anaphoric and r.pred.status == "denied":
            denied.setdefault(r.pred.sentence, []).append(r)

    def only_claimed(call: Call) -> bool:
        """A denial in the sentence of all the call's reports but the headline's, after
        one of them. Only the denials of the sentences of its reports can be that (all
        denials against all reports of all calls was quadratic in a long article)."""
        if not denied:
            return False
        body = {c.pred.sentence for c in call.cands if not c.headline}
        if len(body) > 1:
            return False
        first: dict[int, int] = {}                  # sentence -> start of its first report
        for c in call.cands:
            k = c.pred.sentence
            first[k] = min(first.get(k, c.pred.start), c.pred.start)
        return any(body <= {k} and any(a < r.pred.start for r in denied.get(k, ())) for k, a in first.items())

    # a headline whose call the body says was only planned or denied, naming the same
    # people or the same offices ("رایزنی تلفنی وزرای نفت ایران و قطر" over "وزیر نفت قرار است
    # ... با وزیر انرژی قطر ... رایزنی کند")
    def vetoed(call: Call) -> bool:
        return any(v.keys == call.keys or _same_people(call, v) or (len(v.parts) == 1 and _among(call, v.parts[0]))
                   for v in vetoes)

    # a call the article denies between the same people ("هیچ تماسی میان X و Y برقرار
    # نشده")، told elsewhere only as someone's claim ("رسانه‌ای مدعی شده بود X و Y ...")
    denials = [v for v in vetoes if v.pred.status == "denied"]

    def denied_claim(call: Call) -> bool:
        return bool(denials) and all(c.headline or c.pred.anaphoric or _claimed(H.s, c.pred) for c in call.cands) \
            and any(v.keys == call.keys or _same_people(call, v) for v in denials)

    # ("این گفت‌وگو" in the body only refers back to the headline's call)
    return [call for call in calls
            if not (all(c.headline or c.pred.anaphoric for c in call.cands) and vetoed(call))
            and not only_claimed(call) and not denied_claim(call)]


# a report that is someone's claim: "مدعی شده بود"، "ادعا کرد"، "نوشته بودند"، "گزارش داده بود"
_CLAIM = re.compile(r"(?:^|\s)(?:مدعی|ادعا کرد|ادعا کردند|ادعا کرده|شایعه|نوشته بود|نوشته بودند|گزارش داده بود|"
                    r"گزارش داده بودند|گزارش داده اند)(?=\s|$)")


def _claimed(s: str, pred) -> bool:
    """The report's clause frames it as someone's claim: a claim verb before the call
    ("رسانه‌ای مدعی شده بود X و Y ... گفت‌وگو کرده‌اند"), not a claim the call is about."""
    return _CLAIM.search(s, pred.clause[0], pred.start) is not None


def _same_people(call: Call, c: Cand) -> bool:
    """The same call named differently: every participant matches one of the call's by
    key, or by country where one of the two is named only by title."""
    return len(c.parts) == len(call.participants) and all(_among(call, p) for p in c.parts)


def _among(call: Call, p: Participant) -> bool:
    """The participant is one of the call's, by key, or by country where one of the two
    is named only by title."""
    if p.key in call.participants:
        return True
    twin = next((q for q in call.participants.values() if q.country == p.country and p.country), None)
    return twin is not None and (twin.title_only or p.title_only)


class _Calls(list):
    """An article's calls, indexed by their participants' countries: a report can only
    be a call of the same countries (a long article reports hundreds of calls); and
    within those, by participant, for a long article of calls between the same two
    countries."""

    def __init__(self):
        super().__init__()
        self.by_countries: dict[tuple, list[Call]] = {}
        self._days: dict[int, tuple[int, set]] = {}
        self._pos: dict[int, int] = {}                          # id(call) -> place among its countries' calls
        self._with_key: dict[tuple, list[Call]] = {}           # (countries, key) -> calls that had that participant
        self._title_first: dict[tuple, list[Call]] = {}        # (countries, country) -> calls whose first
                                                                # participant of that country is title-only
        self._sig: dict[int, tuple] = {}
        self.at: dict[int, int] = {}                            # id(call) -> its place among all calls
        self.touched: list[Call] = []                          # every call made or joined, in turn

    def join(self, call: Call, c: Cand) -> None:
        call.cands.append(c)
        self.touched.append(call)

    def days(self, call: Call) -> set:
        """The days the call's reports give it to the day. Kept up as reports join the
        call (its reports are only ever appended, their days set before they join), not
        gathered anew at each merge: a call reported in every sentence of a long article
        has thousands of reports."""
        seen, days = self._days.get(id(call), (0, set()))
        for x in call.cands[seen:]:
            if x.day and x.day[1] == "day":
                days.add(x.day[0])
        self._days[id(call)] = (len(call.cands), days)
        return days

    @staticmethod
    def signature(parts) -> tuple:
        return tuple(sorted(p.country or "" for p in parts))

    def like(self, c: Cand) -> list[Call]:
        """The calls that can be c's (``call.keys == c.keys or _same_people(call, c)``),
        in the order they were made. Among calls of the same countries, a participant of
        c that is not a title-only one of a country matches only a call it takes part in,
        or one whose first participant of its country is title-only (its twin); so the
        calls of one such participant, and those, are all there is to try."""
        sig = self.signature(c.parts)
        bucket = self.by_countries.get(sig, [])
        strict = [p for p in c.parts if not (p.country and p.title_only)]
        if not strict or len(bucket) < 2:
            return bucket
        fewest = None
        for p in strict:
            some = (self._with_key.get((sig, p.key), ()), self._title_first.get((sig, p.country), ()) if p.country else ())
            if fewest is None or len(some[0]) + len(some[1]) < len(fewest[0]) + len(fewest[1]):
                fewest = some
        picked = {id(call): call for part in fewest for call in part}
        pos = self._pos
        return sorted(picked.values(), key=lambda call: pos[id(call)])

    def add(self, call: Call) -> None:
        self.at[id(call)] = len(self)
        self.append(call)
        self.touched.append(call)
        sig = self.signature(call.participants.values())
        bucket = self.by_countries.setdefault(sig, [])
        self._pos[id(call)] = len(bucket)
        self._sig[id(call)] = sig
        bucket.append(call)
        self.changed(call)

    def changed(self, call: Call, keys=None) -> None:
        """Index the call's participants again after ``keys`` (default: all) joined it
        (a call stays listed under what it no longer has: those are tried for nothing)."""
        sig = self._sig[id(call)]
        for k in call.participants if keys is None else keys:
            self._with_key.setdefault((sig, k), []).append(call)
        first: dict[str, bool] = {}
        for q in call.participants.values():
            if q.country:
                first.setdefault(q.country, q.title_only)
        for country, title_only in first.items():
            if title_only:
                self._title_first.setdefault((sig, country), []).append(call)


class _Latest:
    """``max([c for call in calls for c in call.cands if coord(c) < bound], key=pred.start)``
    (the first of equals in that order), with the calls as they are at each question, in
    log time: a prefix-maximum tree over the coordinates (``size`` of them), kept up with
    the reports that join calls. A long article of calls each followed by an anaphor
    ("آن‌ها ...", "این گفت‌وگو به درخواست ...") gathered all earlier reports for each."""

    def __init__(self, calls: _Calls, coord, size: int):
        self.calls, self.coord, self.size = calls, coord, size
        self.tree: list = [None] * (size + 1)
        self.done: dict[int, int] = {}
        self.seen = 0

    def _catch_up(self) -> None:
        calls = self.calls
        for call in calls.touched[self.seen:]:
            pos = calls.at[id(call)]
            for k in range(self.done.get(id(call), 0), len(call.cands)):
                c = call.cands[k]
                item = ((c.pred.start, -pos, -k), c)
                i = self.coord(c) + 1
                while i <= self.size:
                    if self.tree[i] is None or item[0] > self.tree[i][0]:
                        self.tree[i] = item
                    i += i & -i
            self.done[id(call)] = len(call.cands)
        self.seen = len(calls.touched)

    def before(self, bound: int) -> Cand | None:
        self._catch_up()
        best = None
        i = bound
        while i > 0:
            if self.tree[i] is not None and (best is None or self.tree[i][0] > best[0]):
                best = self.tree[i]
            i -= i & -i
        return best[1] if best is not None else None


def _of_the_source(calls: _Calls, H: Heads, r: Report, prev: Cand) -> Cand:
    """"کرملین در گزارش خود از این تماس ...": an anaphor whose sentence names a country
    (or its seat) before it, as the source of what it says, refers to the latest call
    that country takes part in, not to the latest call."""
    lo = H.sent_n[r.pred.sentence][0] if r.pred.sentence < len(H.sent_n) else r.pred.clause[0]
    k = bisect.bisect_left(H.country_starts, lo)
    named = set()
    while k < len(H.countries) and H.countries[k][0] < r.pred.start:
        named.add(H.countries[k][2])
        k += 1
    if not named or named & {p.country for p in prev.parts}:
        return prev
    best = None
    for call in calls:
        for c in call.cands:
            if c.pred.start < r.pred.start and named & {p.country for p in c.parts} \
                    and (best is None or c.pred.start > best.pred.start):
                best = c
    return best or prev


def _merge(calls: _Calls, c: Cand, supporting: bool = False) -> None:
    # a headline naming some of a conference call's participants is that call
    if c.headline:
        countries = {p.country for p in c.parts}
        for call in calls:
            if len(call.participants) >= 3 and (c.keys < call.keys or countries <= {
                    p.country for p in call.participants.values()}):
                calls.join(call, c)
                return
        # a headline gathering what the body reports as separate calls ("سران A و B در
        # تماس با X" over "A و B در تماس‌های جداگانه با X"): the body's calls
        if len(c.parts) >= 3:
            covered = [(call, cs) for call in calls
                       if len(cs := {p.country for p in call.participants.values()}) >= 2 and cs <= countries]
            if len(covered) >= 2 and set().union(*(cs for _, cs in covered)) == countries:
                for call, _ in covered:
                    calls.join(call, c)
                return
    for call in calls.like(c):
        if call.keys == c.keys or _same_people(call, c):
            if not supporting and c.day and c.day[1] in ("day", "month"):
                days = calls.days(call)
                if c.day[1] == "day" and days and c.day[0] not in days:
                    continue          # the same people on another day: another call
                if c.day[1] == "month" and days and (c.day[0].year, c.day[0].month) not in {
                        (d.year, d.month) for d in days}:
                    continue          # ... or in another month ("آخرین بار در دسامبر ۲۰۲۲")
            if supporting and not c.pred.anaphoric:
                c.day = None      # a mention that only says "conversation" dates nothing; "این گفت‌وگو" does
            for p in c.parts:
                if p.key in call.participants:
                    continue
                twin = next((k for k, q in call.participants.items() if q.country == p.country), None)
                if twin is not None and call.participants[twin].title_only and not p.title_only:
                    p.title_fa = p.title_fa or call.participants[twin].title_fa
                    del call.participants[twin]
                    call.participants[p.key] = p
                    calls.changed(call, [p.key])
                    for x in call.cands:       # the call's earlier reports name the named one now
                        x.parts = [p if q.key == twin else q for q in x.parts]
                        if x.caller == twin:
                            x.caller = p.key
            # the report's participants as the call names them (a title-only one is its named twin)
            renamed = {}
            for p in c.parts:
                if p.key not in call.participants:
                    twin = next((k for k, q in call.participants.items() if q.country == p.country), None)
                    if twin is not None:
                        renamed[p.key] = twin
                        if p.title_only and not call.participants[twin].title_fa:
                            call.participants[twin].title_fa = p.title_fa
            if renamed:
                c.parts = [call.participants.get(renamed.get(p.key, p.key), p) for p in c.parts]
                c.caller = renamed.get(c.caller, c.caller)
            calls.join(call, c)
            return
    calls.add(Call({p.key: p for p in c.parts}, [c]))


def _other_side(r: Report, p0: Participant, resolver: Resolver, H: Heads, headline_sent) -> Participant | None:
    """A report that names one side: the official of another country the headline or the
    sentences around it name."""
    sents = []
    if headline_sent is not None:
        sents.append(headline_sent)
    sents += [r.pred.sentence - 1, r.pred.sentence + 1]
    bounds = getattr(resolver, "sent_n", None) or []
    for si in sents:
        if si < 0 or si >= len(bounds) or si == r.pred.sentence:
            continue
        a, b = bounds[si]
        for m in H.in_range(a, b):
            if m.kind in {"pronoun"} or m.source or m.private or m.institution or m.role_code == "official":
                continue          # an anonymous "official" elsewhere is no call's other side
            q = resolver.resolve(m, None, [p0])
            if q is not None and q.country != p0.country:
                return q
    return None


def names_participant(call: Call, m: Mention, resolver: Resolver) -> bool:
    """The noun phrase names a participant of the call: the same person, or an official
    of a participant's country (in a call between countries, "نخست‌وزیر بریتانیا" is its
    British side however the report names it)."""
    others = [] if m.kind == "title" and m.bare else list(call.participants.values())
    p = resolver.resolve(m, m.countries[0] if m.countries and len(m.countries) == 1 else None, others)
    return p is not None and (p.key in call.participants or p.country in {q.country for q in call.participants.values()})
