"""Extraction of one article: calls, participants, initiator, date, topics, statements."""

from __future__ import annotations

import datetime as dt

from .calls import Call, Candidate, Cue, Participant, Resolver, _clause, find_cues, is_negated
from .dates import call_date, local_published, stated_date
from .initiator import ba_group, find_ba, initiator
from .lexicon import Lexicon
from .metadata import article_meta
from .officials import Gazetteer, find_mentions, office_span, roles_of
from .statements import find_statements
from .text import normalize_with_map, sentences, words_before
from .topics import find_topics, scope_sentences


def _sent_of(sent_n, pos):
    for i, (a, b) in enumerate(sent_n):
        if a <= pos < b:
            return i
    return None


def extract_article(article_id: str, text: str, title: str | None, published_at, g: Gazetteer, lex: Lexicon, occasions):
    text = text or ""
    res = {"mentions": [], "participants": [], "officials": [], "topics": [], "statements": [], "meta": None}
    outlet, cited = article_meta(text)
    res["meta"] = (article_id, outlet, cited)
    nt = normalize_with_map(text)
    s = nt.s
    sents = sentences(text)
    sent_n = [(nt.to_norm(sp.start), nt.to_norm(sp.end)) for sp in sents]
    pub_local = local_published(published_at)
    ref_date = pub_local.date() if pub_local else stated_date(s, None)
    mentions = find_mentions(g, nt, text)
    resolver = Resolver(g, nt, text, mentions, ref_date)

    cues = find_cues(nt, lex)
    cue_objs = []
    for a, b, c in cues:
        si = _sent_of(sent_n, a)
        if si is None:
            continue
        cue = Cue(a, b, c, sents[si], _clause(nt, sent_n[si], a, b))
        cue_objs.append((si, cue))
    strong = [(si, c) for si, c in cue_objs if c.cue.kind == "strong" and not is_negated(nt, c, lex)]
    if not strong:
        return _statements_only(res, article_id, nt, text, sents, sent_n, mentions, resolver, [])
    candidates: list[Candidate] = []
    for si, cue in cue_objs:
        if is_negated(nt, cue, lex):
            continue
        cand = _candidate(nt, cue, mentions, resolver)
        if cue.cue.kind == "weak" and len({p.key for p, _ in cand.parts}) < 2 and not cand.parts:
            continue
        cand.sentence_index = si
        prev = words_before(nt.s, cue.start, 1)
        cand.anaphoric = bool(prev and prev[0][2] in {"این", "همین", "آن"})
        candidates.append(cand)

    calls: list[Call] = []
    pending = []
    for cand in candidates:
        keys = []
        for p, _ in cand.parts:
            if p.key not in keys:
                keys.append(p.key)
        if len(keys) < 2 or (getattr(cand, "anaphoric", False) and calls):
            pending.append(cand)
            continue
        for sub, init in _split(nt, cand):
            _merge_call(calls, sub, cand, init)
    # one-participant strong mentions: complete from the headline / previous sentence
    if not calls:
        for cand in pending:
            if cand.cue.cue.kind != "strong" or len({p.key for p, _ in cand.parts}) != 1:
                continue
            p0 = cand.parts[0][0]
            si = cand.sentence_index
            extra = None
            for sj in [0, si - 1, si + 1]:
                if sj < 0 or sj >= len(sents) or sj == si:
                    continue
                a, b = sent_n[sj]
                for m in mentions:
                    if a <= m.start < b and m.kind in {"person", "title", "text", "group"}:
                        for q in resolver.resolve(m, [], {p0.country}):
                            if q.country != p0.country:
                                extra = q
                                break
                    if extra:
                        break
                if extra:
                    break
            if extra:
                _merge_call(calls, [(p0, cand.parts[0][1]), (extra, None)], cand, None)
    for cand in pending:
        ks = {p.key for p, _ in cand.parts}
        cs = {p.country for p, _ in cand.parts}
        for call in calls:
            if ks & set(call.participants) or (len(calls) == 1 and (not cs or cs & {p.country for p in call.participants.values()})):
                call.cues.append(cand)
                init, strength = _initiator_for(nt, cand, call)
                if init and strength > call.init_strength:
                    call.initiator, call.init_strength = init, strength
                break
    if not calls:
        return _statements_only(res, article_id, nt, text, sents, sent_n, mentions, resolver, [])

    # ---- output rows
    long_article = len(text) > 2500
    occ_frame = occasions
    for seq, call in enumerate(calls):
        first = min(call.cues, key=lambda c: (c.cue.cue.kind != "strong", c.cue.start))
        cue_sents = {c.sentence_index for c in call.cues}
        positions = set()
        for p in call.participants.values():
            positions.update(p.positions)
        for m in mentions:
            if m.kind in {"person", "title", "text", "group"} and not m.private:
                if any(q.key in call.participants for q in resolver.resolve(m, [], set())):
                    positions.add(m.start)
        scope = scope_sentences(nt, sents, sent_n, positions, cue_sents, long_article)
        scope_txt = " ".join(s[sent_n[i][0]:sent_n[i][1]] for i in sorted(cue_sents))
        window = _role_window(g, call)
        countries = {p.country for p in call.participants.values() if p.country}
        d, prec, basis = call_date(scope_txt, s, pub_local, occ_frame, countries, window)
        sp = first.cue.sentence
        res["mentions"].append({
            "article_id": article_id, "call_seq": seq, "mode": call.mode, "call_date": d,
            "call_date_precision": prec, "date_basis": basis, "sentence_index": sp.index,
            "char_start": sp.start, "char_end": sp.end, "evidence": text[sp.start:sp.end],
        })
        for p in call.participants.values():
            res["participants"].append({
                "article_id": article_id, "call_seq": seq, "official_id": p.official_id, "country_code": p.country,
                "title_fa": p.title_fa, "role_code": p.role_code, "is_initiator": call.initiator == p.key,
                "dq_flag": p.dq_flag,
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
        excluded = [(m.start, m.end) for m in mentions if m.kind in {"title", "text", "group", "person"}]
        for code, (a, b) in find_topics(nt, text, sents, sent_n, scope, lex, excluded, g, countries).items():
            res["topics"].append({"article_id": article_id, "call_seq": seq, "topic_code": code,
                                  "evidence": text[a:b], "char_start": a, "char_end": b})
    return _statements_only(res, article_id, nt, text, sents, sent_n, mentions, resolver, calls)


def _role_window(g, call):
    """The dates every gazetteer participant of the call held some office."""
    lo, hi = dt.date(1990, 1, 1), dt.date(2030, 12, 31)
    for p in call.participants.values():
        span = None if p.is_text else office_span(g, p.official_id)
        if span is None:
            continue
        first, last = span
        lo, hi = max(lo, first), min(hi, last or dt.date(2030, 12, 31))
    return lo, hi


def _candidate(nt, cue: Cue, mentions, resolver: Resolver) -> Candidate:
    lo, hi = cue.clause
    ms = [m for m in mentions if lo <= m.start < hi]
    parts: list[tuple[Participant, object]] = []
    countries_seen: set = set()
    for m in ms:
        if m.kind in {"pronoun"} or (m.kind == "title" and m.counterpart):
            continue
        for p in resolver.resolve(m, ms, countries_seen):
            p.positions.append(m.start)
            parts.append((p, m))
            countries_seen.add(p.country)
    named = [p for p, _ in parts]
    # plural titles with the other countries after 'با': "وزرای خارجه ایران با ترکیه و قطر"
    for m in ms:
        if m.kind == "group" and not (m.private or m.source):
            k = m.end
            while k < hi and nt.s[k] == " ":
                k += 1
            if not nt.s.startswith("با ", k):
                continue
            from .officials import _raw_hits

            cs, prev_end = [], k + 3
            for a, b, lst in sorted(_raw_hits(resolver.g, nt.s[:hi]), key=lambda x: x[0]):
                if a < k + 3:
                    continue
                gap = nt.s[prev_end:a].replace("،", " ").split()
                if any(t != "و" for t in gap):
                    break
                cp = [x for x in lst if x[0] == "C"]
                if not cp:
                    break
                if cp[0][1] not in cs:
                    cs.append(cp[0][1])
                prev_end = b
            for c in cs:
                title = f"{m.title_fa} {resolver.g.countries.get(c, {}).get('name_fa', c)}"
                for p in resolver._title(m.role_code, c, title, m.title_norm, False, m, set()) if m.role_code else []:
                    p.positions.append(k + 3)
                    parts.append((p, None))
    # counterparts: the other side's office
    for m in ms:
        if m.kind == "title" and m.counterpart:
            for p in resolver.counterpart(m, [p for p, _ in parts]):
                p.positions.append(m.start)
                parts.append((p, m))
    # pronouns: only when the clause lacks a second participant
    if len({p.key for p, _ in parts}) < 2:
        for m in ms:
            if m.kind != "pronoun" or m.private:
                continue
            prev = [x for x in mentions if x.kind in {"person", "title", "text"} and x.end <= m.start and not x.private and not x.source]
            for x in reversed(prev):
                got = resolver.resolve(x, [], set())
                got = [q for q in got if q.key not in {p.key for p, _ in parts}]
                if got:
                    got[0].positions.append(m.start)
                    parts.append((got[0], m))
                    break
    # merge title-only participants into a named participant of the same country
    out: list[tuple[Participant, object]] = []
    for p, m in parts:
        twin = next((q for q, _ in out if q.key == p.key), None)
        if twin is None and p.title_only:
            twin = next((q for q, _ in out if q.country == p.country and not q.title_only), None)
        if twin is None and not p.title_only:
            t = next(((q, mm) for q, mm in out if q.country == p.country and q.title_only), None)
            if t is not None:
                out.remove(t)
                p.positions.extend(t[0].positions)
                if not p.title_fa:
                    p.title_fa = t[0].title_fa
                out.append((p, t[1]))
                continue
        if twin is not None:
            twin.positions.extend(p.positions)
            continue
        out.append((p, m))
    return Candidate(cue, out)


def _split(nt, cand: Candidate):
    """Several calls in one clause: 'X با A و B' -> (X,A), (X,B); 'A و B ... با X' -> (A,X), (B,X)."""
    s = nt.s
    lo, hi = cand.cue.clause
    plist = [(p.key, min(p.positions), max(p.positions) + 1) for p, _ in cand.parts]
    by_key = {p.key: (p, m) for p, m in cand.parts}
    init, _st = initiator(s, cand.cue.start, cand.cue.end, cand.cue.cue.directional, (lo, hi), _spans(cand))
    keys = list(by_key)
    if len(keys) <= 2:
        return [([by_key[k] for k in keys], init if init != "*left" else None)]
    ba = None
    for p in sorted(plist, key=lambda x: x[1]):
        ba = find_ba(s, lo, hi, p[2])
        if ba:
            break
    if ba is None:
        ba = find_ba(s, lo, hi, lo)
    if ba is not None:
        right = {k for k, _, _ in ba_group(s, _spans(cand), ba)}
        left = [k for k in keys if k not in right]
        right = [k for k in keys if k in right]
        if len(left) == 1 and right:
            return [([by_key[left[0]], by_key[r]], init) for r in right]
        if len(right) == 1 and left:
            return [([by_key[l], by_key[right[0]]], l if init == "*left" or (init in left) else init) for l in left]
    return [([by_key[k] for k in keys], init if init != "*left" else None)]


def _spans(cand: Candidate):
    out = []
    for p, m in cand.parts:
        for pos in p.positions:
            end = pos + 1
            if m is not None and getattr(m, "start", None) == pos:
                end = m.end
            out.append((p.key, pos, end))
    return out


def _merge_call(calls: list[Call], parts, cand: Candidate, init):
    ps = {}
    for p, _ in parts:
        ps.setdefault(p.key, p)
    cs = sorted(p.country or "?" for p in ps.values())
    for call in calls:
        ccs = sorted(p.country or "?" for p in call.participants.values())
        if set(ps) == set(call.participants) or (cs == ccs and "?" not in cs):
            # prefer named over title-only participants
            for p in ps.values():
                if p.key in call.participants:
                    continue
                twin = next((k for k, q in call.participants.items() if q.country == p.country), None)
                if twin and call.participants[twin].title_only and not p.title_only:
                    if call.initiator == twin:
                        call.initiator = p.key
                    del call.participants[twin]
                    call.participants[p.key] = p
            call.cues.append(cand)
            if init and init in call.participants and call.init_strength < 2:
                call.initiator, call.init_strength = init, 2
            elif init and init not in call.participants:
                # initiator given as the title-only twin
                pass
            return
    call = Call(dict(ps), [cand], mode=cand.cue.cue.mode or "phone")
    if init and init in ps:
        call.initiator, call.init_strength = init, 2
    calls.append(call)


def _initiator_for(nt, cand: Candidate, call: Call):
    lo, hi = cand.cue.clause
    init, st = initiator(nt.s, cand.cue.start, cand.cue.end, cand.cue.cue.directional, (lo, hi), _spans(cand))
    if init and init != "*left":
        if init in call.participants:
            return init, st
        p = next((p for p, _ in cand.parts if p.key == init), None)
        if p is not None:
            twin = next((k for k, q in call.participants.items() if q.country == p.country), None)
            return twin, st
    return None, 0


def _statements_only(res, article_id, nt, text, sents, sent_n, mentions, resolver, calls):
    call_of_sentence = {}
    for seq, call in enumerate(calls):
        for c in call.cues:
            call_of_sentence.setdefault(c.sentence_index, seq)
    for si, verb, a, b, vpos in find_statements(nt, text, sents, sent_n):
        lo = sent_n[si][0]
        speaker = None
        cands = [m for m in mentions if lo <= m.start < vpos and m.kind in {"person", "title", "text", "pronoun"}]
        for m in cands:
            if m.kind == "pronoun":
                # وی / او: the subject (first official) of the nearest earlier sentence naming one
                prev = []
                for sj in range(si - 1, -1, -1):
                    a0, b0 = sent_n[sj]
                    prev = [x for x in mentions if x.kind in {"person", "title", "text"} and a0 <= x.start < b0
                            and not x.private and not x.source and not x.merged]
                    if prev:
                        prev = list(reversed(prev))
                        break
                for x in reversed(prev):
                    got = resolver.resolve(x, [], set())
                    if got:
                        speaker = got[0].official_id
                        break
            else:
                got = resolver.resolve(m, [], set())
                if got:
                    speaker = got[0].official_id
            if speaker:
                break
        seq = call_of_sentence.get(si)
        if seq is None and calls and speaker:
            for k, call in enumerate(calls):
                if speaker in call.participants:
                    seq = k
                    break
        res["statements"].append({"article_id": article_id, "call_seq": seq, "official_id": speaker, "verb": verb,
                                  "text": text[a:b], "char_start": a, "char_end": b})
    return res
