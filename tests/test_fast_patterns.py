"""Patterns written for re's speed, not for reading, find what their plain forms find.

re skips ahead to a possible match only when a pattern starts with a literal or a
character class; one that starts with a repeat, a look-around or an alternation of
classes is tried at every position of the text. The fast forms start with a class; the
plain forms are kept here as their specification, and both run over every Persian text
the tests hold, the seed articles, and edge cases of each pattern."""

from __future__ import annotations

import functools
import re

import pytest

from tests.persian_texts import persian_sentences, seed_texts
from transforms.cleaning import _SHIELD_HINT, _may_shield, clean_text
from transforms.extraction import text as extraction_text


@functools.lru_cache(maxsize=1)
def _held_texts() -> tuple[str, ...]:
    seeds = seed_texts()
    return tuple(persian_sentences() + seeds + [clean_text(t) for t in seeds])


def _texts(edge_cases: list[str]) -> list[str]:
    return list(_held_texts()) + edge_cases


def test_sentence_ends_are_the_plain_patterns():
    plain = re.compile(r"[.!?؟!]+(?=\s|$)|\n+")
    edge_cases = [
        "", "\n", "\n\n\n", ".", "...", "؟!", "!?.", "a.b", "a. b", "a.\tb", "a.\nb", "a..\n\nb",
        "وی گفت: «نه.» سپس رفت.", "پایان؟! آغاز", "۱.۲ درصد.", "جمله\n\n\nجمله. ", ". . .", "؟؟؟\n",
    ]
    texts = _texts(edge_cases)
    assert any("\n" in t for t in texts) and any("؟" in t for t in texts)
    for text in texts:
        assert [m.span() for m in extraction_text._SENT_END.finditer(text)] == \
            [m.span() for m in plain.finditer(text)], text


def test_shield_hint_by_polars_is_re_on_each_text():
    """The hint's \\d is Python's (every Unicode decimal digit), spelt out for polars."""
    edge_cases = [
        "۱۲/۵", "١٢٫٥", "12.5", "12 . 5", "۱۲ / ۵", "a.b", "a. b", "A.1", "x@y", "@", "http://t.co",
        "www.irna.ir", ":/", "𝟙.𝟚", "߁-߂", "٣٬٤", "۳,", "۱۴۰۲/۰۵/۱۰", "", "سلام",
    ]
    texts = _texts(edge_cases)
    want = [re.search(_SHIELD_HINT, text) is not None for text in texts]
    assert any(want) and not all(want)
    assert _may_shield(texts) == want


@functools.lru_cache(maxsize=1)
def _held_matching_forms() -> tuple[str, ...]:
    from transforms.extraction.text import normalize_with_map

    return tuple(normalize_with_map(clean_text(t)).s for t in _held_texts())


def _matching_forms(edge_cases: list[str]) -> list[str]:
    """Texts in the matching form extraction's patterns run over."""
    from transforms.extraction.text import normalize_with_map

    return list(_held_matching_forms()) + [normalize_with_map(t).s for t in edge_cases]


def _same_matches(fast: re.Pattern, plain: re.Pattern, texts: list[str]) -> int:
    """Both find the same matches (spans and groups) in each text, and match alike at every
    word start (callers match at a token's start). Returns how many matches were compared."""
    found = 0
    for s in texts:
        got = [(m.span(), m.groups()) for m in fast.finditer(s)]
        assert got == [(m.span(), m.groups()) for m in plain.finditer(s)], (fast.pattern, s)
        found += len(got)
        for k in range(len(s) + 1):
            if k == 0 or s[k - 1] == " ":
                a, b = fast.match(s, k), plain.match(s, k)
                assert (a and a.span()) == (b and b.span()), (fast.pattern, s, k)
                # a window that ends inside a word: the look-ahead sees its end as the text's
                a, b = fast.search(s, k, k + 7), plain.search(s, k, k + 7)
                assert (a and a.span()) == (b and b.span()), (fast.pattern, s, k)
    return found


WORD_EDGES = ["واگر", "اگرچه", "۱اگر", "xاگر", "اگر۱", "اگر", "اگر.", "«اگر»", "وی", "اوی", "ویژه", "او‌ها",
              "گفتگو", "گفت و گو", "گفت:", "وی گفت.", "افزود،", "تاکید کرد", "تأکید کرد", "5گفت ", "پیشتر", "قبلا"]


def test_lexicon_word_patterns_are_the_plain_patterns():
    from transforms.extraction.lexicon import _LETTERS, load_lexicon

    lex = load_lexicon()
    texts = _matching_forms(WORD_EDGES)
    compared = 0
    for cls, words in lex.classes.items():
        for attribute in [None, *sorted(set(words.values()))]:
            chosen = [w for w, a in words.items() if attribute is None or a == attribute]
            alt = "|".join(map(re.escape, sorted(chosen, key=len, reverse=True))) or "(?!)"
            plain = re.compile(rf"(?<![{_LETTERS}])(?:{alt})(?![{_LETTERS}])")
            compared += _same_matches(lex.pattern(cls, attribute), plain, texts)
    assert compared > 100


def test_anchor_starts_are_the_plain_alternations():
    """Aho-Corasick in place of re: the same starts, overlaps resolved as finditer does."""
    from transforms.extraction.predicates import anchor_starts

    plain = re.compile(r"تماس|تلفن|زنگ|گفت|مکالم|رایزنی|صحبت|تبادل|ارتباط|وید|کنفرانس|به ?صورت|بصورت|از طریق|پشت"
                       r"|نشست|اجلاس|دیدار")
    texts = _matching_forms(WORD_EDGES + ["تماستماس", "گفتگفت", "بهصورت تلفنی", "به صورتتلفن", "ویدیو کنفرانس",
                                          "دیدارتماس", "نشستارتباط"])
    found = 0
    for s in texts:
        starts = anchor_starts(s)
        assert starts == [m.start() for m in plain.finditer(s)], s
        found += len(starts)
    assert found > 500


def test_edge_decoration_is_the_plain_pattern():
    from transforms.parsing import _without_edge_decoration

    plain = re.compile(r"^[^\w«\"'“(\[]+|[^\w»\"'”)\]?!؟.…:]+$")
    edge_cases = ["", "—", "🔴 فوری 🔴", "«نقل»", "«--", "--«x", "x»--", "(الف)", "[۱]", "؟!", "...", "…",
                  "عنوان:", "#تیتر_یک", "👈 خبر 👉\n", "abc\n", "abc--\n", "\n\n", "«»", "“نقل”", "'x'", '"x"']
    lines = [line for text in _texts(edge_cases) for line in [text, *text.splitlines()]]
    assert len(lines) > 1000
    for line in lines:
        assert _without_edge_decoration(line) == plain.sub("", line), line


def test_unknown_runs_by_polars_are_re_on_each_text():
    from transforms.repairs import resources, unknown_runs

    r = resources()
    edge_cases = ["", "سه", "چهار", "همکاریها", "میرود", "آمریکاییها و اروپاییها", "abcd", "xyzw همکاریها"]
    texts = [clean_text(t) for t in _held_texts()] + edge_cases
    want = [set(r.token_re.findall(t)).difference(r.lex) for t in texts]
    assert sum(map(len, want)) > 20
    assert unknown_runs(texts, r) == want


def test_shield_is_the_plain_substitution():
    """_SHIELD tried only where a match can start: the same spans shielded, the cap kept."""
    from transforms import cleaning

    def plain(text: str) -> tuple[str, list[str]]:
        shielded: list[str] = []

        def shield(m: re.Match) -> str:
            if len(shielded) >= cleaning._MAX_SHIELDED:
                return m.group(0)
            shielded.append(m.group(0))
            return cleaning._MARK

        return cleaning._SHIELD.sub(shield, text), shielded

    edge_cases = [
        "https://www.irna.ir/news/85123456/عنوان، و", "www.farsnews.ir.", "info@irna.ir", "a.b.c", "U.S.", "U.S.A",
        "۱۴۰۲/۰۵/۱۰", "12,500", "1.5.", "۱۲-۱۳", "x1.ir/a)", "ab-c.com/x/y.", "سایت isna.ir و", "‌1.2", "a1.b2",
        "۳۰ تا ۴۰", "10:30", "IRNA.ir", "e.g.", "-1.2", "_a.b", "%1.2", "۱٫۲ و ۳٬۴۵۶", "𝟙.𝟚", "t.me/farsna",
    ]
    texts = _texts(edge_cases) + [" ".join(edge_cases)]
    shielded = 0
    for text in texts:
        got = cleaning._shield(text)
        assert got == plain(text), text
        shielded += len(got[1])
    assert shielded > 30
    many = "۱.۲ " * (cleaning._MAX_SHIELDED + 5)
    assert cleaning._shield(many) == plain(many)


def test_words_before_read_backwards_are_the_plain_search():
    from transforms.extraction import officials

    edge_cases = ["وزیر «خارجه» ایران", 'رئیس "جمهور" گفت', "الف، ب ج", "  دو  کلمه  ", "a1 b2 c3", "\nیک دو\n",
                  "یک\nدو سه", "«»", "x" * 45 + " رئیس جمهور", "۱۲ ۳۴"]
    texts = _matching_forms(edge_cases) + edge_cases + list(_held_texts())[:200]
    compared = 0
    for s in texts:
        for pos in range(len(s) + 2):
            got = officials._words_before(s, pos)
            assert got == officials._words_before_by_search(s, max(0, pos - 40), pos), (s, pos)
            compared += len(got)
    assert compared > 10000


def test_patterns_tried_where_their_words_start_are_their_finditer():
    """Statement verbs and pronouns: re tried only where one of their words starts."""
    from transforms.extraction import officials, statements
    from transforms.extraction.text import LiteralStarts

    texts = _matching_forms(WORD_EDGES + ["وی گفت: «نه» و افزود", "گفتگو گفت گفت‌وگو", "اوی او ایشانی"])
    found = 0
    for pattern, words in ((statements._VERB_RE, statements._VERB_STARTS), (officials._PRONOUN_RE, officials._PRONOUN_STARTS)):
        for s in texts:
            starts = words.starts(s)
            windows = [(0, len(s))] + [(a, min(len(s), a + 60)) for a in range(0, len(s), 37)]
            for lo, hi in windows:
                got = [(m.span(), m.groups()) for m in LiteralStarts.finditer(pattern, s, starts, lo, hi)]
                assert got == [(m.span(), m.groups()) for m in pattern.finditer(s, lo, hi)], (pattern.pattern, s, lo, hi)
                found += len(got)
    assert found > 200


def test_date_cues_tried_where_their_words_start_are_their_finditer():
    from transforms.extraction import dates
    from transforms.extraction.text import LiteralStarts

    texts = _matching_forms(["دیروز", "امروز صبح", "صبح دیروز", "روز شنبه", "شنبه شب گذشته", "سه شنبه هفته گذشته",
                             "پیشامروز", "امروزه", "بعد از ظهر روز دوشنبه", "نیمه شب دیشب", "دو روز پیش از", "جمعه۱"])
    found = 0
    for s in texts:
        for lo in range(0, len(s), 50):
            seg = s[lo:lo + 120]
            # the starts found in the whole text, those of words cut by the segment's end included
            starts = dates._CUE_STARTS.starts_between(s, lo, lo + 120)
            got = [(m.span(), m.groups()) for m in LiteralStarts.finditer(dates._CUE_RE, seg, starts)]
            assert got == [(m.span(), m.groups()) for m in dates._CUE_RE.finditer(seg)], seg
            found += len(got)
    assert found > 50


def test_matching_form_skips_the_gap_search_only_without_gaps():
    """normalize_with_map looks for gaps (two spaces, a dropped character) only in a text
    that has one: the same forms and offsets as the character-by-character version."""
    from transforms.extraction.text import _normalize_with_map_slow, normalize_with_map

    edge_cases = ["یک  دو", "یکٔ دو", "  سر", "تـه", "a\u200f b", "بی\u200cتاب", "یک دو", "٫۱۲", "ء ّ", ""]
    for text in _texts(edge_cases):
        fast, slow = normalize_with_map(text), _normalize_with_map_slow(text)
        assert (fast.s, fast.n_starts, fast.o_starts) == (slow.s, slow.n_starts, slow.o_starts), text


CLAUSE_EDGES = [
    "قرار است", "قرار بود فردا", "قراراست", "بیقرار است", "«قرار است»", "\nقرار شد\n", "ناقرار بود", "قرار استان",
    "را تکذیب کرد", "آن را تکذیب", "راتکذیب", "صحت ندارد.", "صحت نداشت،", "اصحت ندارد", "تکذیبیه",
    "بی اساس است", "بیاساس", "«کذب» خواند", "کذب.", "کذب،", "اکذب", "نادرستی", "دروغ»", '"جعلی"', "ساختگی\n",
    "ادامه دارد", "ادامه دارند.", "ادامهدارد", "ادامه داردند", "مطرح نشد.", "مطرح نشده است", "بحث نشدند،",
    "به میان نیامد", "مطرح نشدنی", "در حالی که", "در حالی، که", "دردر حالی", "که", "بود که", "بودند که", "بودکه",
    "پیش از انکه وی", "پس از این که او", "قبل از ان که ما", "بعد از اینکه\nآنها", "هنگامی که", "بود کهنه",
    "هستند که ما", "وقتی  که", "همان روز،", "همان روزها", "همان روز ها",
    "در همین شب", "در همین شبهای", "پس از پایان", "بعد از پایانش", "به گزارش ایرنا، و", "بر اساس اعلام وزارت،",
    "بر اساس امار رسمی،", "تماس", "گفت و گو", "گفت وگو", "تلفنی", "رایزنیها",
]


def _with_suffixes(texts: list[str]) -> list[str]:
    """Each text and what is left of it from each word start: the clause around a call
    (before it, after it) that the patterns search."""
    out = []
    for s in texts:
        out.append(s)
        out += [s[k:] for k in range(1, len(s)) if s[k - 1] in " \n"][:40]
    return out


def test_clause_words_are_the_plain_patterns():
    """predicates, topics, reports and article: patterns that opened with (^|\\s) or
    (?<!\\S), now with the look-behind after each word's first letter. Where the callers
    use a match's span, the spans are the same; where they only ask whether there is one,
    the answers are."""
    from transforms.extraction import article, predicates, reports, topics

    texts = _matching_forms(CLAUSE_EDGES) + CLAUSE_EDGES
    spans = {
        topics._NOT_DISCUSSED: r"(?<!\S)(?:(?:مطرح|بحث|صحبتی|گفتگویی|اشاره ای|سخنی|حرفی) (?:نشد|نشده|نشدند|نبود)"
                               r"|به میان نیامد)(?=\s|$|\.|،)",
        topics._WHILE: r"(?<!\S)در حالی(?=\s|$|،)",
        topics._THAT: r"(?<!\S)که(?=\s|$)",
        topics._CALL_WORD: r"(?<!\S)(?:تماس|تلفن|گفتگو|گفت و گو|گفت وگو|مکالمه|رایزنی)",
        topics._ATTRIBUTION: r"(?<!\S)(?:به گزارش|به نقل از|به نوشته|به گفته"
                             r"|بر اساس (?:امار|ارقام|گزارش|اعلام|اطلاعات))\s[^،:.]{1,60}?(?=،)",
        reports._WHILE_THAT: r"(?<!\S)(?:در حالی که|(?:پیش|قبل|پس|بعد) از (?:ان ?که|این ?که)|هنگامی که|زمانی که|وقتی که)\s",
        reports._CLEFT: r"(?<!\S)(?:بود|است|بودند|هستند) که(?!\S)",
    }
    compared = 0
    for fast, plain in spans.items():
        found = _same_matches(fast, re.compile(plain), texts)
        assert found > 0, plain
        compared += found
    assert compared > 200

    found_anywhere = {
        predicates._DENIAL: r"(^|\s)(را )?(تکذیب|صحت ندارد|صحت نداشت)",
        predicates._BASELESS: r"(^|[\s«\"])(بی ?اساس|بی پایه|کذب|نادرست|دروغ|جعلی|ساختگی)([\s»\".،]|$)",
        predicates._CONTINUES: r"(^|\s)ادامه (دارد|دارند)(\s|$)",
        article._SAME_DAY_AS_TOLD: r"(?:^|\s)(?:" + article._THAT_DAY + r"|(?:پس|بعد) از پایان)(?=\s|$|،)",
    }
    pieces = _with_suffixes(texts)
    for fast, plain in found_anywhere.items():
        want = [re.search(plain, x) is not None for x in pieces]
        assert any(want) and not all(want), plain
        assert [fast.search(x) is not None for x in pieces] == want, plain
    # the end of "قرار است" is where the tokens it governs start
    plain_planned = re.compile(r"(^|\s)قرار (است|بود|شد)(\s|$)")
    ends = [(m := plain_planned.search(x)) and m.end() for x in pieces]
    assert any(ends)
    assert [(m := predicates._PLANNED.search(x)) and m.end() for x in pieces] == ends


def test_modal_pairs_are_the_plain_fullmatch():
    from transforms.extraction import predicates
    from transforms.extraction.text import tokenize

    texts = _matching_forms(CLAUSE_EDGES + ["ممکن است", "ممکن شد", "قرار باشد", "ممکنه است", "باید"])
    pairs = {" ".join(toks.texts[k:k + 2]) for s in texts for toks in [tokenize(s)] for k in range(len(toks.texts))}
    want = {two for two in pairs if re.fullmatch(r"(ممکن|قرار) (است|بود|شد)", two)}
    assert len(want) >= 3
    assert {two for two in pairs if two in predicates._MODALS} == want


def test_marker_lines_are_the_plain_test():
    """parsing._is_marker splits a line whole only when its first token is a marker."""
    from transforms import parsing

    def plain(line: str) -> bool:
        tokens = line.split()
        return not tokens or all(parsing._MARKER_TOKEN.match(t.strip("()[]،,.:")) for t in tokens) \
            or bool(parsing._BYLINE_STUB.match(line))

    edge_cases = ["", " ", "@farsna", "@farsna #خبر", "@farsna خبر", "#خبر_فوری @x https://t.me/x", "Link", "لینک",
                  "(@irna)", "— |", "به گزارش", "به گزارش:", "بهگزارش ایرنا", "منبع", "منبع: ایرنا", "www.irna.ir متن",
                  "t.me/x", "خبر @x", "  @x  \n", "[#x]", "http://x.y z"]
    lines = [line for text in _texts(edge_cases) for line in [text, *text.splitlines()]]
    want = [plain(line) for line in lines]
    assert sum(want) > 10 and not all(want)
    assert [parsing._is_marker(line) for line in lines] == want


def test_runs_of_letters_open_with_their_class():
    """[C]+ written [C][C]* (extraction's tokens) and [C]{4,} written [C][C]{3,} (repair's
    unknown words), for re to skip ahead to a letter: the same matches."""
    from transforms.extraction.text import TOKEN_CHAR_CLASS, TOKEN_RE
    from transforms.repairs import _L, resources

    texts = _matching_forms(WORD_EDGES) + _texts(["ab", "abcd", "a1b2c3d", "سه", "چهار", "x", "۱۲۳۴", "ـــ"])
    assert _same_matches(TOKEN_RE, re.compile(f"{TOKEN_CHAR_CLASS}+"), texts) > 1000
    assert _same_matches(resources().token_re, re.compile(f"{_L}{{4,}}"), texts) > 1000


def test_zwnj_runs_open_with_a_space_or_a_zwnj():
    from transforms.noise import _ZWNJ_RUN

    z = "\u200c"
    edge_cases = [z, f" {z}", f"{z} ", f"  {z}{z}  x", f"a {z}b", f"a{z} b", f"a  b {z}", f"{z}{z}", f"x {z} {z} y",
                  f"۱{z}", f"می{z}رود", f"  ", f"a {z}\n{z} b"]
    assert _same_matches(_ZWNJ_RUN, re.compile(f"[ ]*{z}+[ ]*"), _texts(edge_cases)) > 100


def test_noise_handles_and_link_tails_are_the_plain_forms():
    """An @handle's look-behind after the "@"; a line's "Link" tail tried only on a line
    that ends with the word."""
    from transforms import noise

    handles = ["@farsna", "x@farsna", "a.@irna_ir", "@@x_y", "«@isna»", "@ab", "@abc", "@1abc", "ما @Tasnimnews و",
               "mail@x.com", "\n@x_1\n", "_@abc"]
    texts = _texts(handles)
    assert _same_matches(noise._HANDLE, re.compile(r"(?<![\w@.])@[A-Za-z][A-Za-z0-9_]{2,}"), texts) > 5
    tails = ["خبر | Link", "خبر - لینک  ", "خبر — Link", "Link", "خبر Link", "خبر |Link x", "| لینک", "خبر |Link ",
             "Linked", "خبر | Links", "خبر |  Link\t", "-Link"]
    lines = [line for t in texts + tails for line in t.split("\n")]
    want = [noise._LINK_TAIL.sub("", line) for line in lines]
    assert sum(w != line for w, line in zip(want, lines)) >= 5
    assert [noise._LINK_TAIL.sub("", line) if line.rstrip(" ").endswith(("Link", "لینک")) else line
            for line in lines] == want


def test_invisible_or_space_is_the_union_of_both_classes():
    """strip_noise runs its two substitutions only where this one class finds a character."""
    from transforms import noise

    for c in range(0x10000):
        ch = chr(c)
        both = bool(noise._INVISIBLE.match(ch) or noise._SPACE_CHARS.match(ch))
        assert bool(noise._INVISIBLE_OR_SPACE.match(ch)) == both, hex(c)


def test_one_pass_finds_every_word_sets_starts():
    """LiteralStarts: one automaton for every word set, and the last text's starts kept;
    each set's starts are where its words occur, overlaps and shared words included."""
    from transforms.extraction import dates, officials, predicates, statements
    from transforms.extraction.text import LiteralStarts

    def occurrences(words, s: str) -> list[int]:
        found = set()
        for w in words:
            at = s.find(w)
            while at >= 0:
                found.add(at)
                at = s.find(w, at + 1)
        return sorted(found)

    extra = LiteralStarts(["روز", "روزها", "زها", "گفت"])  # overlaps, and words other sets have
    sets = [dates._CUE_STARTS, officials._PRONOUN_STARTS, predicates._ANCHOR_STARTS, statements._VERB_STARTS, extra]
    texts = _matching_forms(WORD_EDGES + ["روزهای روزها", "گفتگفت و گو", "اوی او", ""])
    found = 0
    for s in texts:
        for word_set in sets:
            assert word_set.starts(s) == occurrences(word_set.words, s), s
            found += len(word_set.starts(s))
        for lo, hi in ((0, len(s)), (3, 40), (17, 18)):
            assert extra.starts_between(s, lo, hi) == [a - lo for a in occurrences(extra.words, s) if lo <= a < hi]
    assert found > 1000
    with pytest.raises(ValueError):
        LiteralStarts(["روز", ""])
