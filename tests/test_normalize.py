"""transforms/normalize.py (issue 17): hazm's Normalizer applied batch-wide gives, text
by text, what hazm's own Normalizer gives (the options of transforms/hazm_core.py), on
texts written for each of its rules, on generated texts, and whatever the batch they
are in. (scripts/check_normalizer.py checks every text of the dev set and of the
ordinary-news corpus; those need ../shared, these tests do not.)"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from transforms import hazm_core
from transforms.normalize import _PYTHON_RULES, batch_normalizer, normalize_batch

ROOT = Path(__file__).resolve().parent.parent
ZWNJ = "\u200c"

# Written for hazm's rules, one or a few per text.
CASES = [
    # hazm's own doctests
    "اِعلاممممم کَرد : « زمین لرزه ای به بُزرگیِ 6 دهم ریشتر ...»",
    "جمعهها که کار نمی کنم مطالعه می کنم",
    "به طول ۹متر و عرض۶",
    "کاروان\u200c\u200cسرا",
    "\u200cسلام\u200c به \u200cهمه\u200c",
    "سلام دنیـــا",
    ' "سلام به همه"   ',
    "",
    # token spacing: pairs that are lexicon words or verb forms, chains of three,
    # a suffix after a word, a token that joins nothing, the month می
    "زمین لرزه ای در کتاب ها و اخلال گر",
    "او می رود و ماه می سال جدید آمد؛ آنها نمی خواهند بروند",
    "پیش بینی شده بود که خبرگزاری ها بگویند",
    "کتاب های تازه و دانشگاه های کشور؛ بزرگ تر و بزرگ ترین و کوچک تری",
    "رئیس جمهور و نخست وزیر ها و وزیر امور خارجه",
    # lines: empty lines, runs of them, spaces at a line's ends, tabs, carriage returns
    "پرداخت شده است\r\n\n\n\nهمکاری های دو کشور بیشتر شده",
    "  سطر اول  \n\n  \n\tسطر\tدوم با\tتب \n",
    "\n\nکتاب ها\n",
    "یک\n \nدو",
    # affixes: ی after ه, می/نمی at a text's start, تر/ها after two letters or a digit
    "خانه ی ما و نامه ی او",
    "می روم و نمی آیم",
    "بزرگ تر ها و ۲ ها و ab تر و (x) ها",
    "خانه ام و خانه ایم و خانه اش و خانه اند و خانه ای و خانه اید و خانه ات.",
    "خانه ام\nه ام و نامه اید: و نامه ات",
    "شنبهها و سه شنبهها",
    # punctuation: spaces before and after, after . : ! and ، ؛ ؟ », before brackets
    "سلام ، دنیا . و «  نقل  » و ( پرانتز ) و [ قلاب ] و { آکولاد }",
    "گفت:سلام.دنیا!و،سپس؛آنگاه؟و»پایان",
    "کتاب(ها) و متن«نقل» و a(b) و ((دو)) و [x]{y}",
    "عدد 1.5 و ۱.۵ و 1:30 و ۲:۳۰ ساعت و ...",
    '" ایران "  و  "تهران" و "  "',
    # digits glued to letters, Persian, Arabic-Indic and Latin
    "طول۹ و ۹متر و عرض۶۶ و x9 و ٣متر و 12کیلو",
    # ZWNJ at word edges, after and before spaces and punctuation, runs of them
    ZWNJ * 2 + "سلام" + ZWNJ * 3 + " به " + ZWNJ + "همه" + ZWNJ + ZWNJ + "\nو" + ZWNJ,
    "کتاب\u200c. و\u200c، و .\u200cها و 9\u200cها و a\u200cb",
    # Arabic letters and presentation forms, diacritics, specials, ligatures, quotes
    "رئيس جمهوري كشور علي و ﻣﺤﻤﺪ و ﻻ و ﷼ و ﷲ",
    "مُحَمَّد و عَلِیّ و کتابٌ و \u0670 و \u06d4 و \ufe7e",
    "“نقل قول” و \u00a0فاصله",
    # Latin, numbers with separators, URLs, e-mails
    "سایت https://www.irna.ir/news/85000001 و info@mfa.gov.ir و 1,730.86 دلار و 1403/08/12",
    "The quick brown fox. It said:hello!(yes)",
]


def _hazm(texts: list[str]) -> list[str]:
    normalizer = hazm_core.normalizer()
    return [normalizer.normalize(t) for t in texts]


@pytest.mark.parametrize("text", CASES)
def test_normalize_is_hazms(text: str) -> None:
    assert normalize_batch([text]) == _hazm([text])


def test_correct_spacing_is_hazms() -> None:
    normalizer = hazm_core.normalizer()
    assert batch_normalizer().correct_spacing(CASES) == [normalizer.correct_spacing(t) for t in CASES]


def test_a_batch_is_its_texts_one_by_one() -> None:
    """No rule reaches from one text of a batch into the next."""
    texts = CASES + [(ROOT / "seeds" / "articles" / name).read_text(encoding="utf-8")
                     for name in ("000_2f86701612290e3d.txt", "001_48a1204ac61837a3.txt")]
    together = normalize_batch(texts)
    assert together == [normalize_batch([t])[0] for t in texts] == _hazm(texts)
    assert normalize_batch(texts[::-1]) == together[::-1]
    assert normalize_batch([]) == []


def test_the_seeds_paragraph_by_paragraph() -> None:
    for name in ("000_2f86701612290e3d.txt", "001_48a1204ac61837a3.txt"):
        paragraphs = (ROOT / "seeds" / "articles" / name).read_text(encoding="utf-8").split("\n")
        assert normalize_batch(paragraphs) == _hazm(paragraphs)


def test_every_hazm_pattern_is_one_step_in_order() -> None:
    """Each of hazm's spacing patterns is applied once, in hazm's order, by Rust's
    engine unless it has a look-around (then by Python's re, hazm's pattern)."""
    b = batch_normalizer()
    n = hazm_core.normalizer()
    for name in ("extra_space_patterns", "affix_spacing_patterns", "punctuation_spacing_patterns"):
        assert [(p, t) for _, p, t in b.steps[name]] == list(getattr(n, name))
        for stage, pattern, _ in b.steps[name]:
            assert (stage == "python") == (pattern in _PYTHON_RULES)
    assert set(_PYTHON_RULES) <= {p for steps in b.steps.values() for _, p, _ in steps}


def test_the_word_class_given_to_rust_is_pythons_word_characters() -> None:
    """hazm's \\b rules run in Rust with Python's word characters spelt out: the class
    matches exactly what Python's re calls \\w, in every plane."""
    import re

    import polars as pl

    from transforms.normalize import _word_class

    chars = [chr(c) for c in range(0x30000) if not 0xD800 <= c <= 0xDFFF]
    chars += [chr(c) for c in range(0xE0000, 0x110000, 7)]
    rust = pl.Series(chars, dtype=pl.String).str.contains(f"^[{_word_class()}]$").to_list()
    python = [re.match(r"\w", ch) is not None for ch in chars]
    assert rust == python
    assert sum(python) > 100_000  # letters of every script, digits, "_"


# ------------------------------------------------------------------ generated

PIECES = (
    "رئیس جمهور وزیر امور خارجه ایران تماس تلفنی گفت همکاری همکاریها رئیسجمهور نخست وزیر "
    "زمین لرزه ای کتاب ها های هایی تر ترین تری گر گری ام ات اش ی ای می نمی رود روم کنم "
    "خانه نامه شنبه ه ا پیش بینی شده است بود علي كشور مُحَمَّد ﻻ ﷼"
).split()
PUNCT = ["(", "((", "«", "»", ")", "[", "]", "{", "}", '"', ZWNJ, ZWNJ * 2, " " + ZWNJ, ZWNJ + " ", "۹", "12", "٣",
         "1.5", "x", ".", ":", "!", "؟", "؛", "، ", "...", "ـ", "\t", "\r", "\n", "\n\n\n", "  ", "\u00a0", "“", "”"]


@st.composite
def texts(draw) -> str:
    parts = []
    for _ in range(draw(st.integers(0, 30))):
        parts.append(draw(st.one_of(st.sampled_from(PIECES), st.sampled_from(PUNCT))))
        parts.append(draw(st.sampled_from(["", " ", " ", " ", ZWNJ, "\n"])))
    return "".join(parts)


PROPS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@PROPS
@given(st.lists(texts(), min_size=1, max_size=6))
def test_generated_batches_are_hazms(batch: list[str]) -> None:
    assert normalize_batch(batch) == _hazm(batch)
