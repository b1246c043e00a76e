"""Tests of transforms.cleaning and its steps, transforms/noise.py and transforms/repairs.py
(issue 3): targeted repairs and noise kinds, hypothesis
properties (idempotence, numbers keep their value, no Persian letter lost outside the
noise), and the golden cleaned seeds."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from transforms.cleaning import (
    clean_articles,
    clean_text,
    clean_title,
    match_form,
    to_ascii_digits,
)

ROOT = Path(__file__).resolve().parent.parent
ZWNJ = "\u200c"
SEEDS = ["000_2f86701612290e3d", "001_48a1204ac61837a3"]


# ----------------------------------------------------------------------- golden

@pytest.mark.parametrize("name", SEEDS)
def test_golden_seeds(name: str) -> None:
    raw = (ROOT / "seeds" / "articles" / f"{name}.txt").read_text(encoding="utf-8")
    golden = (ROOT / "tests" / "golden" / f"{name}.clean.txt").read_text(encoding="utf-8")
    assert clean_text(raw) == golden.rstrip("\n")


def test_seed_acceptance_points() -> None:
    raw0 = (ROOT / "seeds" / "articles" / f"{SEEDS[0]}.txt").read_text(encoding="utf-8")
    raw1 = (ROOT / "seeds" / "articles" / f"{SEEDS[1]}.txt").read_text(encoding="utf-8")
    c0, c1 = clean_text(raw0), clean_text(raw1)
    assert "نیوزبه" in raw0 and "آران نیوز به نقل از" in c0
    assert "رئیسجمهور" in raw1 and "رئیسجمهور" not in c1 and f"رئیس{ZWNJ}جمهور" in c1
    assert "همکاریها" in raw1 and "همکاریها" not in c1 and f"همکاری{ZWNJ}ها" in c1
    assert "**حسین روحانی**" in raw1 and "حسین روحانی" in c1 and "**" not in c1
    assert "##" not in c1
    # paragraphs kept, no blank lines
    raw_paragraphs = [p for p in raw1.split("\n") if p.strip()]
    assert c1.count("\n") == len(raw_paragraphs) - 1 and "\n\n" not in c1


# ------------------------------------------------------------------- repairs

@pytest.mark.parametrize(
    "raw, expected",
    [
        # glued plural / comparative suffixes
        ("همکاریها ادامه دارد.", f"همکاری{ZWNJ}ها ادامه دارد."),
        ("در بخشهای مختلف", f"در بخش{ZWNJ}های مختلف"),
        ("در سالهای اخیر", f"در سال{ZWNJ}های اخیر"),
        ("این خطرناکترین موضوع است.", f"این خطرناک{ZWNJ}ترین موضوع است."),
        ("مهمترین موضوع", "مهمترین موضوع"),  # a lexicon word itself: kept
        ("این موضوع مهمتر است.", f"این موضوع مهم{ZWNJ}تر است."),
        # می / نمی
        ("آنها میتوانند بیایند.", f"آنها می{ZWNJ}توانند بیایند."),
        ("او نمیخواهد برود.", f"او نمی{ZWNJ}خواهد برود."),
        # compounds, glued or spaced
        ("رئیسجمهور گفت.", f"رئیس{ZWNJ}جمهور گفت."),
        ("رئیس جمهور گفت.", f"رئیس{ZWNJ}جمهور گفت."),
        ("نخست وزیر آمد.", f"نخست{ZWNJ}وزیر آمد."),
        ("نخستوزیر آمد.", f"نخست{ZWNJ}وزیر آمد."),
        ("روابط همهجانبه", f"روابط همه{ZWNJ}جانبه"),
        ("توافقات فی مابین", f"توافقات فی{ZWNJ}مابین"),
        ("در این گفت و گو", f"در این گفت{ZWNJ}وگو"),
        ("در این گفتگو", f"در این گفت{ZWNJ}وگو"),
        ("گفت و گوهای تلفنی", f"گفت{ZWNJ}وگو{ZWNJ}های تلفنی"),
        ("در گفتگویی ویدئویی", f"در گفت{ZWNJ}وگویی ویدئویی"),  # indefinite یی after the vowel
        ("در گفت و گویی کوتاه", f"در گفت{ZWNJ}وگویی کوتاه"),
        ("وزیر امورخارجه ایران", "وزیر امور خارجه ایران"),
        # رییس -> رئیس
        ("رییس مجلس", "رئیس مجلس"),
        ("رییس جمهوری", f"رئیس{ZWNJ}جمهوری"),
        # agency name + glued word
        ("به گزارش آران نیوزبه نقل از ایرنا", "به گزارش آران نیوز به نقل از ایرنا"),
        ("به گزارش ایرنابه نقل از", "به گزارش ایرنا به نقل از"),
        # function word glued to the next word
        ("آنها بایکدیگر دیدار کردند.", "آنها با یکدیگر دیدار کردند."),
    ],
)
def test_repairs(raw: str, expected: str) -> None:
    assert clean_text(raw) == expected


@pytest.mark.parametrize(
    "word",
    ["تماشا", "آنها", "دفتر", "بیشتر", "انتهای", "کارتر", "پیتر", "برجام", "میز", "میلاد", "مهربان"],
)
def test_lexicon_words_are_not_split(word: str) -> None:
    assert clean_text(f"این {word} است.") == f"این {word} است."


def test_spaced_compound_needs_word_boundary() -> None:
    # "گفت و گوش داد" is "said and listened", not گفت‌وگو
    assert clean_text("او گفت و گوش داد.") == "او گفت و گوش داد."


def test_ezafe_forms() -> None:
    assert clean_text("خاتمۀ جنگ") == "خاتمه جنگ"
    assert clean_text("خانهٔ ما") == "خانه ما"


def test_arabic_letters() -> None:
    assert clean_text("رئيس جمهور آمريكا") == f"رئیس{ZWNJ}جمهور آمریکا"


# --------------------------------------------------------------------- digits

def test_digits_kept_as_written() -> None:
    assert clean_text("سال ۱۴۰۰ و 2024") == "سال ۱۴۰۰ و 2024"
    assert clean_text("۷ شهروند و 10 درصد") == "۷ شهروند و 10 درصد"


@pytest.mark.parametrize(
    "number",
    ["1,730.86", "۱٫۷۳۰.۸۶", "1403/08/12", "۱۴۰۳/۰۸/۱۲", "10:37", "۱.۶", "0.22", "12-15"],
)
def test_number_not_split_or_converted(number: str) -> None:
    out = clean_text(f"قیمت به {number} دلار رسید.")
    assert number in out


def test_number_glued_to_word_gets_space() -> None:
    assert clean_text("از تاریخ 1403/08/12الی امروز") == "از تاریخ 1403/08/12 الی امروز"


def test_to_ascii_digits() -> None:
    assert to_ascii_digits("۱۴۰۳/۰۸/۱۲ و ٢٠٢٤ و 15") == "1403/08/12 و 2024 و 15"
    assert to_ascii_digits("متن") == "متن"


# ---------------------------------------------------------------------- noise

def test_markdown_removed() -> None:
    assert clean_text("## عنوان خبر\n\nمتن **مهم** خبر.") == "عنوان خبر\nمتن مهم خبر."


def test_telegram_post() -> None:
    raw = (
        "♦️\nتماس تلفنی وزیر امور خارجه با همتای عمانی\n🔹\n"
        "وزیر امور خارجه در تماس تلفنی با همتای عمانی گفت‌وگو کرد.\n"
        "🇮🇷\n✊\n@AkhbareFori\n|\nLink"
    )
    assert clean_text(raw) == (
        "تماس تلفنی وزیر امور خارجه با همتای عمانی\n"
        f"وزیر امور خارجه در تماس تلفنی با همتای عمانی گفت{ZWNJ}وگو کرد."
    )


def test_signature_footer_removed() -> None:
    raw = "👈\nعراقچی با همتای ترکیه گفت‌وگو کرد.\n✅\n@AloNews\nخبر جنگ"
    assert clean_text(raw) == f"عراقچی با همتای ترکیه گفت{ZWNJ}وگو کرد."


def test_inline_emoji_and_handle() -> None:
    assert clean_text("🔴 خبر فوری از تهران @Farsna") == "خبر فوری از تهران"
    assert clean_text("خبر از تهران | Link") == "خبر از تهران"


def test_email_is_not_a_handle() -> None:
    assert "info@example.com" in clean_text("نشانی info@example.com است.")


def test_paragraph_markers_and_nbsp() -> None:
    raw = "بند اول خبر است. [n] بند\u00a0دوم خبر است."
    assert clean_text(raw) == "بند اول خبر است.\nبند دوم خبر است."


def test_invisible_marks_removed() -> None:
    assert clean_text("سلام\u200f دنیا\u200b") == "سلام دنیا"


def test_broken_lines_joined_paragraphs_kept() -> None:
    raw = "وزیر خارجه گفت که این همکاری در\nزمینه اقتصادی ادامه دارد.\n\nبند دوم خبر است."
    assert clean_text(raw) == "وزیر خارجه گفت که این همکاری در زمینه اقتصادی ادامه دارد.\nبند دوم خبر است."
    # a title line (no connective at the break) stays its own paragraph
    raw = "گفت‌وگوی تلفنی وزرای خارجه ایران و عراق\nعراقچی با همتای عراقی گفت‌وگو کرد."
    assert clean_text(raw).count("\n") == 1


def test_html_to_text() -> None:
    assert clean_text("<p>بند اول.</p><p>بند &amp; دوم.</p>") == "بند اول.\nبند & دوم."


def test_quotes() -> None:
    assert clean_text('او گفت: "سلام"') == "او گفت: «سلام»"


# ------------------------------------------------------------ other functions

def test_clean_title_single_line() -> None:
    assert clean_title("## رئیسجمهور\nبا همتای ترکیه گفتگو کرد") == (
        f"رئیس{ZWNJ}جمهور با همتای ترکیه گفت{ZWNJ}وگو کرد"
    )
    assert clean_title("") == ""


def test_match_form() -> None:
    assert match_form("رییس‌جمهور") == match_form("رئيس جمهور") == "رییس جمهور"
    assert match_form("«خاتمۀ»") == match_form("خاتمهٔ") == "خاتمه"
    assert match_form("آمریكا") == match_form("امريكا") == "امریکا"
    assert match_form("  علی   اف. ") == "علی اف"
    assert match_form("مُحَمَّد") == "محمد"
    assert match_form("سیدعباس عراقچی") == match_form("سید عباس عراقچی")
    assert match_form("مؤسسه") == match_form("موسسه")
    assert match_form("") == ""


def test_clean_articles() -> None:
    df = pl.DataFrame(
        {"id": [1, 2, 3], "raw_text": ["همکاریها ادامه دارد.", "", None], "title": ["## رئیسجمهور", None, "x"]}
    )
    out = clean_articles(df)
    assert out.columns == ["id", "raw_text", "title", "clean_text"]
    assert out["clean_text"].to_list() == [f"همکاری{ZWNJ}ها ادامه دارد.", "", ""]
    assert out["title"].to_list() == [f"رئیس{ZWNJ}جمهور", None, "x"]
    assert out["raw_text"].to_list() == df["raw_text"].to_list()  # raw kept as read


# ------------------------------------------------------------------ properties

WORDS = (
    "رئیس جمهور وزیر امور خارجه ایران آذربایجان تماس تلفنی گفت همکاری همکاریها رئیسجمهور "
    "نخست وزیر همهجانبه فی مابین گفتگو روابط سال سالهای بخشهای میتوانند نمیتوان مهمترین "
    "رییس مسوولان کشور دو و در به از با که را این آن است شد کرد خبر آران نیوزبه نقل "
    "خانهٔ خاتمۀ تماشا آنها بیشتر دفتر علی اف الهام روحانی واعظی ترکیه عمان گفت‌وگو "
    "همکاری‌ها مي كشور رئيس"
).split()
NUMBERS = st.one_of(
    st.integers(0, 10**7).map(str),
    st.integers(0, 10**5).map(lambda n: to_persian(str(n))),
    st.tuples(st.integers(0, 9999), st.integers(0, 99)).map(lambda t: f"{t[0]}.{t[1]}"),
    st.tuples(st.integers(1, 999), st.integers(100, 999)).map(lambda t: f"{t[0]},{t[1]}"),
    st.tuples(st.integers(1300, 1500), st.integers(1, 12), st.integers(1, 30)).map(
        lambda t: to_persian(f"{t[0]}/{t[1]:02d}/{t[2]:02d}")
    ),
)
SEPARATORS = st.sampled_from([" ", " ", " ", "  ", "\n", "\n\n", "، ", ". ", ": ", ZWNJ, "\u00a0", " - "])
NOISE = st.sampled_from(["", "", "", "🔹\n", "**", "♦️ ", "[n] ", "## "])


def to_persian(s: str) -> str:
    return s.translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹"))


@st.composite
def persian_texts(draw) -> str:
    n = draw(st.integers(1, 30))
    parts = []
    for _ in range(n):
        parts.append(draw(NOISE))
        parts.append(draw(st.one_of(st.sampled_from(WORDS), st.sampled_from(WORDS), NUMBERS)))
        parts.append(draw(SEPARATORS))
    return "".join(parts)


NUMBER_RE = re.compile(r"\d+(?:[.,٫٬/:]\d+)*")
PERSIAN_LETTERS = re.compile("[\u0621-\u063a\u0641-\u064a\u067e\u0686\u0698\u06a9\u06af\u06cc\u06c0]")
FOLD = str.maketrans({"ي": "ی", "ى": "ی", "ئ": "ی", "ك": "ک", "ۀ": "ه", "ة": "ه", "أ": "ا", "إ": "ا", "ؤ": "و"})

PROPS = settings(max_examples=int(__import__("os").environ.get("CLEAN_EXAMPLES", "60")), deadline=None, suppress_health_check=[HealthCheck.too_slow])


@PROPS
@given(persian_texts())
def test_idempotent(text: str) -> None:
    once = clean_text(text)
    assert clean_text(once) == once


@PROPS
@given(persian_texts())
def test_numbers_keep_their_value(text: str) -> None:
    before = [m for m in NUMBER_RE.findall(to_ascii_digits(text))]
    after = [m for m in NUMBER_RE.findall(to_ascii_digits(clean_text(text)))]
    assert after == before


@PROPS
@given(persian_texts())
def test_no_persian_letter_lost(text: str) -> None:
    # noise in the generator has no Persian letters, so every letter must survive
    # (up to spelling unification: Arabic ي/ك, ئ in رییس->رئیس, ۀ->ه; compounds may add و)
    text = text.replace("رییس", "رئیس").replace("مسوول", "مسئول")
    before = Counter(PERSIAN_LETTERS.findall(text.translate(FOLD)))
    after = Counter(PERSIAN_LETTERS.findall(clean_text(text).translate(FOLD)))
    assert not (before - after), before - after


@pytest.mark.parametrize("text", ["*0", "-5 درصد رشد", "•(ایرنا) متن خبر", "◾«نقل قول»", "خبر\n-۳ کشته"])
def test_a_bullet_glued_to_a_number_or_mark_cleans_once_for_all(text: str) -> None:
    """hazm spaces "-5" into "- 5", which reads as a bullet the next time."""
    once = clean_text(text)
    assert clean_text(once) == once


@pytest.mark.parametrize("text", ["0#:", "5#؟", "۲#خبر_فوری", "0@abcd", "سال ۱۴۰۳#انتخابات"])
def test_noise_that_hazm_makes_is_removed_at_once(text: str) -> None:
    """hazm spaces a digit from what follows: "0#x" becomes "0 #x", a hashtag next time."""
    once = clean_text(text)
    assert clean_text(once) == once
    assert "#" not in once and "@" not in once


@pytest.mark.parametrize("text", ["سفر•\n،_ادامه", "خبر*\n، ادامه"])
def test_a_line_that_starts_with_a_comma_joins_the_last_without_a_space(text: str) -> None:
    once = clean_text(text)
    assert " ،" not in once and clean_text(once) == once


@settings(max_examples=40, deadline=None)
@given(st.text(max_size=80))
def test_any_unicode_is_idempotent(text: str) -> None:
    once = clean_text(text)
    assert clean_text(once) == once
    assert "\n\n" not in once


# --------------------------------------------------- hazm's parts (the rest: test_normalize.py)

def test_hazm_core_verb_forms_are_the_lemmatizers() -> None:
    from transforms import hazm_core

    h = hazm_core.hazm()
    assert hazm_core.verb_forms() == h.Lemmatizer(joined_verb_parts=False).verbs
    assert "می‌روم" in hazm_core.verb_forms() and "نمی‌روند" in hazm_core.verb_forms()


def test_hazm_core_words_are_the_word_tokenizers_with_entries_shared() -> None:
    from transforms import hazm_core

    h = hazm_core.hazm()
    words = hazm_core.words()
    assert words == {word: (count, tags) for word, count, tags in h.words_list(h.default_words)}
    # a tuple per distinct (count, tags), not per word: the table is held by every worker
    assert len({id(entry) for entry in words.values()}) == len(set(words.values())) < len(words) / 5


def test_hazm_core_loads_no_tagger_dependencies() -> None:
    import subprocess
    import sys

    code = (
        "import sys; from transforms import hazm_core; hazm_core.normalizer(); "
        "print(sorted(m for m in ('sklearn', 'scipy', 'gensim', 'fasttext', 'pycrfsuite') if sys.modules.get(m)))"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


# Text with what the rewritten hazm patterns look at (transforms/normalize.py, its
# faster equivalents): brackets and quotes after words, digits glued to letters, runs
# of ZWNJ at word edges, spaced suffixes.
SPACING_PIECES = st.sampled_from(
    ["(", "((", "«", "»", ")", "[", "{", '"', ZWNJ, ZWNJ * 2, " " + ZWNJ, ZWNJ + " ", "۹", "12", "x", ".", ":", "، ",
     " ها", " های", " تر", " ترین", " گر", "ه ی ", " ام", "می ", "\n"]
)


@st.composite
def spacing_texts(draw) -> str:
    parts = []
    for _ in range(draw(st.integers(1, 25))):
        parts.append(draw(st.one_of(st.sampled_from(WORDS), SPACING_PIECES)))
        parts.append(draw(st.sampled_from(["", " ", " ", ZWNJ])))
    return "".join(parts)


def test_clean_articles_is_clean_text_one_by_one() -> None:
    """A batch is cleaned as its texts are one by one (hazm's normaliser runs over the
    whole batch at once, transforms/normalize.py)."""
    texts = [(ROOT / "seeds" / "articles" / f"{name}.txt").read_text(encoding="utf-8") for name in SEEDS]
    texts += ["همکاریها ادامه دارد.", "", "## رئیسجمهور\nبا همتای ترکیه گفتگو کرد", "سایت www.irna.ir و ۹متر 1.5",
              "آران نیوزبه نقل از ایرنا", "«خبر» رئیس جمهوری ها", '"نقل" و 1403/08/12']
    out = clean_articles(pl.DataFrame({"raw_text": texts, "title": texts[::-1]}))
    assert out["clean_text"].to_list() == [clean_text(t) for t in texts]
    assert out["title"].to_list() == [clean_title(t) if t else t for t in texts[::-1]]


@PROPS
@given(spacing_texts())
def test_zwnj_fix_with_its_shortcut_is_the_full_substitution(text: str) -> None:
    from transforms.noise import _ZWNJ_RUN, _zwnj_repl, fix_edge_zwnj

    assert fix_edge_zwnj(text) == _ZWNJ_RUN.sub(_zwnj_repl, text)


def test_lexicon_regexes_match_the_flat_alternations() -> None:
    """The trie alternations (repairs._alternation) find what the plain
    longest-first alternations with a lookbehind find, on the seeds and on every
    compound and agency variant glued into text."""
    from core.script import LETTERS
    from transforms.repairs import _L, resources

    r = resources()

    def flat(words) -> str:
        return "|".join(sorted(map(re.escape, words), key=len, reverse=True))

    agency_tails = {
        name.split()[-1] for name in (ROOT / "seeds" / "lexicon" / "agencies.txt").read_text(encoding="utf-8").splitlines()
        if name.strip() and not name.startswith("#") and len(name.split()[-1]) >= 3
    }
    pairs = [
        (r.compound_re, re.compile(rf"(?<![{LETTERS}{ZWNJ}])({flat(r.compound_map)})((?:هایی|های|ها|یان|ان|ای|یی|ی)?)(?!{_L})")),
        (r.agency_re, re.compile(rf"(?<!{_L})({flat(agency_tails)})({_L}+)")),
        (r.spelling_re, re.compile(rf"(?<!{_L})({flat(r.spelling_map)})")),
    ]
    texts = [(ROOT / "seeds" / "articles" / f"{name}.txt").read_text(encoding="utf-8") for name in SEEDS]
    variants = list(r.compound_map) + sorted(agency_tails) + list(r.spelling_map)
    texts.append(" ".join(f"{v} و{v}ها {v}ی ب{v} {v}به" for v in variants))
    for ours, plain in pairs:
        for text in texts:
            assert [m.groups() for m in ours.finditer(text)] == [m.groups() for m in plain.finditer(text)]
            assert [m.span() for m in ours.finditer(text)] == [m.span() for m in plain.finditer(text)]


def test_replace_runs_is_the_token_substitution() -> None:
    from transforms.repairs import _replace_runs, resources

    r = resources()
    text = " ".join((ROOT / "seeds" / "articles" / f"{name}.txt").read_text(encoding="utf-8") for name in SEEDS)
    tokens = sorted(set(r.token_re.findall(text)))
    fixes = {w: w[::-1] + " x" for w in tokens[::7]}  # every 7th word, replaced by something else
    fixes["رئیس"] = "رئیس‌جمهور"  # a replacement containing another key is not replaced again
    assert _replace_runs(text, fixes) == r.token_re.sub(lambda m: fixes.get(m.group(0), m.group(0)), text)
    assert _replace_runs("آنها آنهاییx", {"آنها": "آن‌ها"}) == "آن‌ها آنهاییx"


def test_repair_gates_skip_only_texts_the_regexes_would_not_change() -> None:
    """repair with the batch's gates (a compound variant anywhere; an agency name with
    a letter after it) gives what it gives without them."""
    from transforms.repairs import repair, repair_gates, resources

    r = resources()
    texts = [(ROOT / "seeds" / "articles" / f"{name}.txt").read_text(encoding="utf-8") for name in SEEDS]
    texts += [f"{v} و{v}ها {v}ی ب{v} {v}به" for v in list(r.compound_map)[:40]]
    texts += ["آران نیوزبه نقل از ایرنا", "ایرنا، تسنیم و فارس", "به گزارش ایسنابه نقل", "سایت www.x.ir/رئیسجمهور",
              "هیچ کدام", ""]
    for text, compounds, agencies in zip(texts, *repair_gates(texts, r)):
        assert repair(text, r, compounds, agencies) == repair(text, r)
