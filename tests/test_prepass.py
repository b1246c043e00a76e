"""The batch pre-pass (transforms/extraction/prepass.py): it must say "may report a call"
exactly when an article's own matching form holds a call word, "may hold a statement"
exactly when it holds a statement verb, and extraction must be identical with and
without it."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from tests.conftest import SEED_ARTICLES
from transforms.cleaning import clean_text
from transforms.extraction import extract_calls
from transforms.extraction.prepass import CALL_WORDS, STATEMENT_VERBS, may_report_call, verdicts
from transforms.extraction.statements import find_statements
from transforms.extraction.text import normalize_with_map, sentences
from transforms.reference import load_reference

TEXTS = [
    # call words as the matching form sees them through letter variants, ZWNJ, diacritics,
    # tatweel, hyphens and runs of spaces
    "عراقچی در تماس تلفنی با همتای عمانی گفتگو کرد.",
    "وزیر خارجه در گفت‌وگوی تلفنی با همتای قطری از نشست آینده خبر داد.",
    "دو وزیر در گفت  و   گو با یکدیگر بر ادامه رایزنی‌ها تاکید کردند.",
    "گفت-و-گوی دو رئیس‌جمهور دیروز انجام شد.",
    "نخست وزیر در تَماس با رئیس جمهور فرانسه خواستار آتش‌بس شد.",
    "رئیس مجلس در تمـاس با همتای لبنانی گفتگو کرد.",
    "وزیر امور خارجه در كنفرانس ويدئويي با همتایان خود شرکت کرد.",
    "مکالمة تلفنی دو رهبر نیم ساعت طول کشید.",
    "وزیر\u00a0خارجه\u200cایران با\u00a0همتای عراقی صحبت کرد.",
    "دو طرف درباره همکاری‌های اقتصادی تبادل  نظر کردند.",
    # calls whose only call word is a plural noun or زنگ
    "پوتین و شی جین‌پینگ دیروز در مکالمات ویدئویی درباره انرژی به توافق رسیدند.",
    "لاوروف دیشب به ظریف زنگ زد.",
    # ordinary news: no call word, even where a word only resembles one
    "تیم ملی فوتبال ایران امروز در ورزشگاه آزادی به مصاف عراق رفت و با دو گل پیروز شد.",
    "قیمت دلار در بازار آزاد تهران امروز کاهش یافت؛ کارشناسان گفت که روند ادامه دارد.",
    "گفتار رئیس‌جمهور در مجلس درباره بودجه سال آینده بود.",
    "وزیر نیرو از افتتاح نیروگاه تازه در جنوب کشور خبر داد.",
    "",
]


@pytest.mark.parametrize("cleaned", [True, False], ids=["clean text", "raw text"])
def test_the_pre_pass_agrees_with_each_articles_own_matching_form(cleaned):
    texts = [clean_text(t) if cleaned else t for t in TEXTS]
    expected = [bool(CALL_WORDS.search(normalize_with_map(t).s)) for t in texts]
    assert may_report_call(pl.Series(texts)).to_list() == expected
    # the fixtures hold both verdicts, and the variants above are really matched
    assert expected[:12] == [True] * 12 and expected[12:] == [False] * 5


STATED = [
    # statement verbs through letter variants and spacing, with and without a colon
    "سخنگوی وزارت خارجه گفت: ایران به مذاکرات ادامه می‌دهد.",
    "وی در ادامه افزود که همکاری دو کشور گسترش خواهد یافت.",
    "رئیس سازمان برنامه بر لزوم انضباط مالی تأکید کرد.",
    "وزیر نفت اظهار  داشت: صادرات افزایش یافته است.",
    "نماینده مجلس خاطرنشان کرد که بودجه باید اصلاح شود.",
    # a verb inside a word, which the look-arounds of statements.py refuse: the verdict
    # is a superset
    "این گفتگو دیروز انجام شد و رسانه‌ها درباره‌اش گفتند.",
    "گفتار رئیس‌جمهور در مجلس درباره بودجه سال آینده بود.",
    # no statement verb
    "وزیر نیرو از افتتاح نیروگاه تازه در جنوب کشور خبر داد.",
    "قیمت طلا در بازار امروز ثابت ماند.",
    "",
]


@pytest.mark.parametrize("cleaned", [True, False], ids=["clean text", "raw text"])
def test_the_statement_verdict_is_each_articles_own_and_misses_no_statement(cleaned):
    texts = [clean_text(t) if cleaned else t for t in STATED + TEXTS]
    forms = [normalize_with_map(t) for t in texts]
    expected = [bool(STATEMENT_VERBS.search(nt.s)) for nt in forms]
    found = verdicts(pl.Series(texts))
    assert found["may_state"].to_list() == expected
    assert found["may_call"].to_list() == [bool(CALL_WORDS.search(nt.s)) for nt in forms]
    said = []
    for text, nt, verdict in zip(texts, forms, expected):
        sents = sentences(text)
        said.append(find_statements(nt, text, sents, [(nt.to_norm(sp.start), nt.to_norm(sp.end)) for sp in sents]))
        assert verdict or not said[-1], text
    assert all(said[:5]) and not any(said[5:7])  # statements, then verbs inside words
    assert expected[:7] == [True] * 7 and expected[7:10] == [False] * 3


def test_a_null_text_cannot_report_a_call():
    assert may_report_call(pl.Series([None, "تماس"], dtype=pl.Utf8)).to_list() == [False, True]


@pytest.fixture(scope="module")
def batch():
    texts = [clean_text(t) for t in TEXTS + STATED] + [clean_text(p.read_text(encoding="utf-8"))
                                              for p in sorted(SEED_ARTICLES.glob("*.txt"))]
    published = dt.datetime(2024, 3, 20, 8, 0, tzinfo=dt.timezone.utc)
    return pl.DataFrame(
        {"article_id": [f"a{k}" for k in range(len(texts))], "clean_text": texts, "title": [None] * len(texts),
         "published_at": [published] * len(texts)},
        schema={"article_id": pl.Utf8, "clean_text": pl.Utf8, "title": pl.Utf8, "published_at": pl.Datetime("us", "UTC")},
    )


def test_extraction_is_identical_with_and_without_the_pre_pass(batch):
    ref = load_reference()
    with_prepass = extract_calls(batch, ref, prepass=True)
    without = extract_calls(batch, ref, prepass=False)
    for name in ("mentions", "participants", "officials", "topics", "statements", "article_meta"):
        a, b = getattr(with_prepass, name), getattr(without, name)
        assert a.sort(a.columns).equals(b.sort(b.columns)), name
    assert with_prepass.mentions.height >= 3    # the seeds' calls and the written ones are found
    assert with_prepass.statements.height >= 5  # and the written statements
    # every pair of verdicts is in the batch: each way through extract_article is compared
    found = verdicts(batch["clean_text"])
    assert found.unique().height == 4
