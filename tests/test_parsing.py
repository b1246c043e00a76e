"""Reading each input format into article records (transforms/parsing.py)."""

from __future__ import annotations

import json
from datetime import date, datetime, timezone

import polars as pl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from transforms.parsing import Rejected, arabic_script_share, article_key, decode_bytes, detect_language, parse_files

ARTICLE = (
    "گفت‌وگوی تلفنی وزیران خارجه ایران و ترکیه\n\n"
    "به گزارش خبرگزاری ایرنا، سید عباس عراقچی وزیر امور خارجه کشورمان روز دوشنبه در تماس تلفنی "
    "با هاکان فیدان وزیر امور خارجه ترکیه درباره آخرین تحولات منطقه گفت‌وگو کرد."
)


def _files(**named: bytes) -> pl.DataFrame:
    return pl.DataFrame(
        {"source_path": list(named), "data": list(named.values()), "read_error": [None] * len(named)},
        schema={"source_path": pl.String, "data": pl.Binary, "read_error": pl.String},
    )


def _parse(name: str, data: bytes):
    parsed = parse_files(_files(**{name: data}))
    assert parsed.outcomes.height == 1
    return parsed


def test_txt_and_md_title_is_first_non_empty_line():
    for name, body in (("/in/a.txt", "\n\n" + ARTICLE), ("/in/a.md", "## " + ARTICLE)):
        parsed = _parse(name, body.encode())
        row = parsed.articles.row(0, named=True)
        assert row["title"] == "گفت‌وگوی تلفنی وزیران خارجه ایران و ترکیه"
        assert row["raw_text"] == body  # raw text is kept exactly as read
        assert row["published_date"] is None


def test_json_record_fields_and_tehran_publication_date():
    record = {"text": ARTICLE, "title": "عنوان", "published_at": "2026-05-12T01:30:00+03:30", "url": "https://example.org/1", "outlet": "ایرنا"}
    row = _parse("/in/a.json", json.dumps(record, ensure_ascii=False).encode()).articles.row(0, named=True)
    assert (row["title"], row["url"], row["outlet"]) == ("عنوان", "https://example.org/1", "ایرنا")
    assert row["published_at"] == datetime(2026, 5, 11, 22, 0, tzinfo=timezone.utc)
    assert row["published_date"] == date(2026, 5, 12)  # Tehran date, not the UTC one


@pytest.mark.parametrize("field", ["body", "content"])
def test_json_text_may_be_called_body_or_content(field):
    parsed = _parse("/in/a.json", json.dumps({field: ARTICLE}, ensure_ascii=False).encode())
    assert parsed.articles.height == 1


def test_jsonl_keeps_good_lines_and_names_the_bad_one():
    lines = [
        json.dumps({"text": ARTICLE}, ensure_ascii=False),
        "{not json",
        json.dumps({"text": ARTICLE + " دوم"}, ensure_ascii=False),
    ]
    parsed = _parse("/in/feed.jsonl", "\n".join(lines).encode())
    assert parsed.articles["source_path"].to_list() == ["/in/feed.jsonl#L1", "/in/feed.jsonl#L3"]
    outcome = parsed.outcomes.row(0, named=True)
    assert not outcome["rejected"]
    assert "line 2" in outcome["reason"]
    assert len(outcome["article_ids"]) == 2


def test_html_main_text_is_extracted_without_markup():
    html = f"""<html><head><title>تماس تلفنی</title></head><body>
    <nav><a href="/">صفحه اصلی</a> | <a href="/sport">ورزشی</a></nav>
    <article><h1>گفت‌وگوی تلفنی</h1><p>{ARTICLE}</p><p>{ARTICLE}</p></article>
    <footer>تمامی حقوق محفوظ است</footer></body></html>"""
    row = _parse("/in/page.html", html.encode()).articles.row(0, named=True)
    assert "عراقچی" in row["raw_text"]
    assert "<p>" not in row["raw_text"]


@pytest.mark.parametrize(
    "name,data,reason",
    [
        ("/in/empty.txt", b"  \n", "empty_file"),
        ("/in/bin.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary_content"),
        ("/in/bad.json", b'{"text": ', "invalid_json"),
        ("/in/notext.json", json.dumps({"title": "x"}).encode(), "no_text_field"),
        ("/in/en.txt", b"The foreign ministers of two countries spoke by phone on Monday about the region.", "not_persian:en"),
        ("/in/photo.jpg", b"\xff\xd8\xff", "unsupported_extension"),
    ],
)
def test_rejected_files_carry_a_reason(name, data, reason):
    outcome = _parse(name, data).outcomes.row(0, named=True)
    assert outcome["rejected"]
    assert outcome["reason"].startswith(reason)


def test_windows_1256_and_utf16_decode_to_the_same_persian():
    # Windows-1256 has no Persian yeh/keheh or ZWNJ: old archives use the Arabic letters.
    arabic_letters = ARTICLE.replace("ی", "ي").replace("ک", "ك").replace("\u200c", " ")
    assert decode_bytes(arabic_letters.encode("cp1256")) == arabic_letters
    assert decode_bytes(ARTICLE.encode("utf-16")) == ARTICLE


def test_a_utf8_character_cut_at_the_end_is_dropped_and_noted():
    data = ARTICLE.encode()[:-2]  # drops the final "." and half of the last letter
    parsed = _parse("/in/cut.txt", data)
    assert parsed.articles["raw_text"][0] == ARTICLE[:-2]
    assert "truncated" in parsed.outcomes["reason"][0]


def test_invalid_utf8_inside_the_text_is_rejected_with_the_byte_offset():
    head = ARTICLE[:20].encode()
    data = head + b"\xff\xfe\xfd" + ARTICLE[20:].encode()
    with pytest.raises(Rejected) as raised:
        decode_bytes(data)
    assert raised.value.reason == f"undecodable:invalid UTF-8 at byte {len(head)}"


def test_article_key_ignores_spacing_but_not_words():
    assert article_key("سلام  دنیا\n") == article_key("سلام دنیا")
    assert article_key("سلام دنیا") != article_key("سلام دنیای")


def test_language_detection():
    assert detect_language(ARTICLE) == "fa"
    assert arabic_script_share(ARTICLE) > 0.99
    assert detect_language("اتصل وزير الخارجية هاتفيا بنظيره التركي لبحث العلاقات الثنائية") == "ar"


# Letters and non-letters of the Arabic blocks (signs, harakat, Arabic-Indic digits,
# punctuation, presentation-form ligatures), Latin with accents, digits, ZWNJ, spaces;
# beyond the BMP, emoji and letters (mathematical bold A, Ugaritic); U+FFFF; a lone
# surrogate, as a JSON escape can leave one.
_MIXED = "آابپتثجچژکگیيكةۀئؤأإءًٌٍَُِّْٰ،؛؟٪٠١٢۰۱۲ـﻻﷲﺍﺑﻼ\ufdfd\ufeffabcXYZéÜß123 \u200c\n.-«»🙂🇮🇷𝐀𐎀\uffff\ud800"


@given(st.text(alphabet=_MIXED, max_size=300))
def test_arabic_script_share_is_the_share_of_isalpha_letters_in_the_arabic_blocks(text):
    def arabic_block(ch: str) -> bool:
        return 0x600 <= ord(ch) <= 0x6FF or 0xFB50 <= ord(ch) <= 0xFEFF

    letters = [ch for ch in text if ch.isalpha()]
    expected = sum(map(arabic_block, letters)) / len(letters) if letters else 0.0
    assert arabic_script_share(text) == pytest.approx(expected, abs=0, rel=1e-12)


# Titles of channel posts (issue 15): the shapes news channels publish, written for these
# tests. The first line is decoration, a section tag or a one-word label; the handle ends it.
POSTS = [
    ("♦️\nگفت‌وگوی تلفنی وزرای خارجه ایران و عمان\n🔹\nسید عباس عراقچی امروز با بدر البوسعیدی تلفنی گفت‌وگو کرد.\n🇮🇷\n✊\n@AkhbareFori",
     "گفت‌وگوی تلفنی وزرای خارجه ایران و عمان"),
    ("👈\nتماس تلفنی رؤسای جمهور مصر و ایران\n✅\n@AloNews\nخبر فوری را اینجا بخوانید",
     "تماس تلفنی رؤسای جمهور مصر و ایران"),
    ("🎥\nعراقچی: گفت‌وگو با همتای ترکیه‌ای سازنده بود\n🔹\nوزیر خارجه در تماس تلفنی با هاکان فیدان...\n@Farsna\n-\nLink",
     "عراقچی: گفت‌وگو با همتای ترکیه‌ای سازنده بود"),
    ("♦️\n#چند_خبر_کوتاه\n🔹\nپوتین و ترامپ تلفنی درباره اوکراین گفت‌وگو کردند\n🔹\nقیمت نفت امروز بالا رفت",
     "پوتین و ترامپ تلفنی درباره اوکراین گفت‌وگو کردند"),
    ("👈\nآکسیوس\n:\nترامپ در تماس تلفنی با نتانیاهو خواستار توقف حملات شد\n🔴\n@AloNews",
     "آکسیوس: ترامپ در تماس تلفنی با نتانیاهو خواستار توقف حملات شد"),
    ("🔴فوری\n🔴 امیر قطر با رئیس‌جمهور آمریکا تلفنی گفت‌وگو کرد\n@AloNews",
     "امیر قطر با رئیس‌جمهور آمریکا تلفنی گفت‌وگو کرد"),
    ("🔴\nسخنگوی وزارت خارجه:\n🔴\nگفت‌وگوی تلفنی وزیر خارجه با همتای قطری درباره تنگه هرمز بود.\n@AloNews",
     "سخنگوی وزارت خارجه: گفت‌وگوی تلفنی وزیر خارجه با همتای قطری درباره تنگه هرمز بود."),
    ("به گزارش\n، وزیر امور خارجه کشورمان در تماس تلفنی با همتای عراقی درباره زائران اربعین گفت‌وگو کرد.",
     "وزیر امور خارجه کشورمان در تماس تلفنی با همتای عراقی درباره زائران اربعین گفت‌وگو کرد."),
    ("🚨\n🚨\n🚨\nترامپ و نتانیاهو دقایقی پیش به صورت تلفنی گفتگو کردند\n@News_Hut",
     "ترامپ و نتانیاهو دقایقی پیش به صورت تلفنی گفتگو کردند"),
]


@pytest.mark.parametrize("text, title", POSTS)
def test_post_title_is_the_first_line_with_words(text, title):
    record = {"text": text, "published_at": "2026-05-12T07:27:00+03:30", "url": "https://t.me/x/1", "outlet": "کانال"}
    row = _parse("/in/post.json", json.dumps(record, ensure_ascii=False).encode()).articles.row(0, named=True)
    assert row["title"] == title


def test_a_record_title_without_words_gives_way_to_the_text():
    record = {"text": POSTS[0][0], "title": "♦️"}
    row = _parse("/in/post.json", json.dumps(record, ensure_ascii=False).encode()).articles.row(0, named=True)
    assert row["title"] == POSTS[0][1]
    record["title"] = "عنوان خود خبر"
    row = _parse("/in/post.json", json.dumps(record, ensure_ascii=False).encode()).articles.row(0, named=True)
    assert row["title"] == "عنوان خود خبر"


def test_a_post_with_no_headline_is_titled_by_its_opening_words_cut_at_a_word():
    from transforms.parsing import TITLE_MAX_CHARS, title_from_text

    sentence = "وزیر امور خارجه کشورمان در تماس تلفنی با همتای عمانی خود درباره آخرین تحولات منطقه و تردد کشتی‌ها گفت‌وگو کرد و "
    title = title_from_text("🔹\n" + sentence * 4)
    assert title.endswith("…") and len(title) <= TITLE_MAX_CHARS + 1
    assert sentence.startswith(title[:60]) and " " + title.split()[-1].rstrip("…") + " " in " " + sentence
    assert title_from_text("🔹\n🇮🇷\n@Farsna\n") is None


def test_a_title_reads_the_opening_lines_not_the_whole_post():
    """A post's title is decided by its first lines with words; a long post must not
    cost what its every line costs (an untitled article pays this in the parse)."""
    import time

    from transforms.parsing import title_from_text

    head = "♦️\nفوری\n🔹\nوزیر خارجه با همتای عمانی تلفنی گفت‌وگو کرد\n"
    body = "\n".join(f"🔹 بند {i} از متن خبر درباره همکاری‌های دو کشور" for i in range(20_000))

    def best(text):
        times = []
        for _ in range(5):
            t0 = time.perf_counter()
            assert title_from_text(text) == "وزیر خارجه با همتای عمانی تلفنی گفت‌وگو کرد"
            times.append(time.perf_counter() - t0)
        return min(times)

    short, long = best(head + "پایان"), best(head + body)
    # splitting the text into lines is all that grows with it
    assert long < 0.02 + 20 * short, (short, long)


def test_the_json_guard_counts_structure_not_what_strings_hold():
    from transforms.formats.common import MAX_JSON_DEPTH, load_json

    assert load_json("[" * MAX_JSON_DEPTH + "]" * MAX_JSON_DEPTH) is not None
    with pytest.raises(Rejected, match="nesting too deep"):
        load_json("[" * (MAX_JSON_DEPTH + 1) + "]" * (MAX_JSON_DEPTH + 1))
    quoted = "[" * (MAX_JSON_DEPTH + 1) + "{,"  # in a string: text, not structure
    assert load_json(json.dumps({"text": quoted * 50}))["text"] == quoted * 50
    assert load_json("[" + ",".join(["1"] * 20) + "]", max_values=20) == [1] * 20  # 19 commas, 1 bracket
    with pytest.raises(Rejected, match="more than 20 values"):
        load_json("[" + ",".join(["1"] * 21) + "]", max_values=20)
    assert load_json(json.dumps({"text": "،".join(["خبر"] * 50) + "," * 30}), max_values=20)["text"].endswith(",")
