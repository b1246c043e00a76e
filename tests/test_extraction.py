"""Extraction rules on small inline Persian texts and on the two seed articles.

Every test text is written for the test (no dev-set text). Needs only the project tree."""

from __future__ import annotations

import bisect
import datetime as dt
import functools
import itertools
import random
from pathlib import Path

import polars as pl
import pytest

from transforms.cleaning import clean_text
from transforms.extraction import SCHEMAS, extract_calls
from transforms.extraction.text import bisect_left_in, buckets
from transforms.reference import load_reference

ROOT = Path(__file__).resolve().parents[1]
TEHRAN = dt.timezone(dt.timedelta(hours=3, minutes=30))


@pytest.fixture(scope="module")
def ref():
    return load_reference()


def run(ref, texts: dict[str, str], published: dt.datetime | None = dt.datetime(2026, 6, 10, 14, 0, tzinfo=TEHRAN)):
    rows = [{"article_id": k, "clean_text": clean_text(v), "title": None,
             "published_at": published.astimezone(dt.timezone.utc) if published else None} for k, v in texts.items()]
    df = pl.DataFrame(rows, schema={"article_id": pl.Utf8, "clean_text": pl.Utf8, "title": pl.Utf8,
                                    "published_at": pl.Datetime("us", "UTC")})
    ex = extract_calls(df, ref)
    _check_evidence(df, ex)
    return ex


def _check_evidence(df, ex):
    texts = dict(zip(df["article_id"], df["clean_text"]))
    for r in ex.mentions.iter_rows(named=True):
        assert texts[r["article_id"]][r["char_start"]:r["char_end"]] == r["evidence"]
    for r in ex.topics.iter_rows(named=True):
        assert texts[r["article_id"]][r["char_start"]:r["char_end"]] == r["evidence"]
    for r in ex.statements.iter_rows(named=True):
        assert texts[r["article_id"]][r["char_start"]:r["char_end"]] == r["text"]


def parts(ex, aid="a", seq=0):
    p = ex.participants.filter((pl.col("article_id") == aid) & (pl.col("call_seq") == seq))
    return {r["country_code"]: r for r in p.iter_rows(named=True)}


def n_calls(ex, aid="a"):
    return ex.mentions.filter(pl.col("article_id") == aid).height


# ------------------------------------------------------------------ contract


def _extraction_seconds(text: str, ref) -> float:
    """Process CPU time of one extraction of ``text``, with no GC pauses."""
    import time

    from core.collector import collector_paused
    from transforms.extraction import extract_one

    with collector_paused():
        started = time.process_time()
        extract_one("x", text, None, None, ref, max_chars=None)  # the whole text, however long
        return time.process_time() - started


def test_empty_frame_has_contract_columns(ref):
    ex = run(ref, {})
    for name, schema in SCHEMAS.items():
        frame = getattr(ex, name)
        assert frame.height == 0
        assert dict(frame.schema) == schema


# ------------------------------------------------------------------ call wordings

@pytest.mark.parametrize("text", [
    "عباس عراقچی در تماس تلفنی با هاکان فیدان وزیر امور خارجه ترکیه درباره تحولات منطقه رایزنی کرد.",
    "گفت‌وگوی تلفنی وزرای امور خارجه ایران و ترکیه",
    "عراقچی و فیدان امروز تلفنی گفت‌وگو کردند.",
    "وزرای خارجه ایران و ترکیه بصورت تلفنی درباره تحولات منطقه گفتگو کردند.",
    "مکالمه تلفنی عراقچی و فیدان درباره غزه",
])
def test_call_wordings(ref, text):
    ex = run(ref, {"a": text})
    assert n_calls(ex) == 1
    assert set(parts(ex)) == {"IR", "TR"}


def test_video_call_mode(ref):
    ex = run(ref, {"a": "پزشکیان در تماس ویدئویی با ولادیمیر پوتین رئیس‌جمهور روسیه گفت‌وگو کرد."})
    assert ex.mentions["mode"].to_list() == ["video"]


@pytest.mark.parametrize("text", [
    # planned / requested calls
    "قرار است عراقچی فردا با وزیر خارجه ترکیه تماس تلفنی داشته باشد.",
    "عراقچی و فیدان هفته آینده تلفنی گفت‌وگو خواهند کرد.",
    "وزیر خارجه ترکیه خواستار تماس تلفنی با عراقچی شد.",
    # denied
    "سخنگوی وزارت خارجه تماس تلفنی عراقچی با وزیر خارجه آمریکا را تکذیب کرد.",
    # a phone interview
    "دونالد ترامپ رئیس‌جمهور آمریکا در گفت‌وگوی تلفنی با شبکه فاکس‌نیوز درباره ایران سخن گفت.",
    # private people
    "گفت‌وگوی تلفنی رهبر انقلاب با همسر شهید رئیسی",
    "هکرها با تماس تلفنی با کارکنان شرکت‌ها اطلاعات آنها را سرقت کردند.",
])
def test_negatives(ref, text):
    assert n_calls(run(ref, {"a": text})) == 0


def test_relayed_report_and_headline_only(ref):
    ex = run(ref, {"a": "آکسیوس: ترامپ و نتانیاهو در تماس تلفنی درباره لبنان گفت‌وگو کردند",
                   "b": "تماس تلفنی پزشکیان و شهباز شریف"})
    assert set(parts(ex, "a")) == {"US", "IL"}
    assert set(parts(ex, "b")) == {"IR", "PK"}


def test_several_calls_in_one_sentence(ref):
    ex = run(ref, {"a": "عراقچی در تماس‌های تلفنی جداگانه با وزرای خارجه ترکیه، عراق و مصر گفت‌وگو کرد."})
    assert n_calls(ex) == 3
    countries = {frozenset(parts(ex, "a", k)) for k in range(3)}
    assert countries == {frozenset({"IR", "TR"}), frozenset({"IR", "IQ"}), frozenset({"IR", "EG"})}


# ------------------------------------------------------------------ officials


def test_title_only_counterpart_and_unknown_name(ref):
    ex = run(ref, {"a": "رئیس مجلس در تماس تلفنی با همتای لبنانی درباره آتش‌بس گفت‌وگو کرد.",
                   "b": "«جان اسمیت» وزیر امور خارجه نیوزیلند در تماس تلفنی با عراقچی گفت‌وگو کرد."})
    pa = parts(ex, "a")
    assert set(pa) == {"IR", "LB"}
    pb = parts(ex, "b")
    assert set(pb) == {"NZ", "IR"}
    nz = ex.officials.filter(pl.col("official_id") == pb["NZ"]["official_id"])
    assert nz["name_fa"].to_list() == ["جان اسمیت"] and nz["source"].to_list() == ["text"]
    assert pb["NZ"]["official_id"].startswith("x-")


def test_bare_title_is_iranian_office(ref):
    ex = run(ref, {"a": "وزیر امور خارجه در تماس تلفنی با دبیرکل سازمان ملل متحد درباره منطقه گفت‌وگو کرد."})
    p = parts(ex)
    assert set(p) == {"IR", "UN"}
    assert p["IR"]["official_id"] == "abbas-araghchi"


# ------------------------------------------------------------------ initiator

@pytest.mark.parametrize("text,caller", [
    ("عراقچی در تماس تلفنی با هاکان فیدان درباره غزه رایزنی کرد.", "IR"),
    ("در تماس تلفنی هاکان فیدان با عراقچی تحولات منطقه بررسی شد.", "TR"),
    ("تماس تلفنی فیدان با عراقچی", "TR"),
    ("عراقچی امروز در پاسخ به تماس تلفنی هاکان فیدان گفت: ما آماده گفت‌وگو هستیم.", "TR"),
    ("امیر قطر با ترامپ تماس تلفنی برقرار کرد.", "QA"),
    ("ولیعهد عربستان یک تماس تلفنی از سوی نخست‌وزیر پاکستان دریافت کرد.", "PK"),
    ("عراقچی در گفت‌وگوی تلفنی با هاکان فیدان درباره غزه رایزنی کرد.", None),
    ("گفت‌وگوی تلفنی عراقچی و فیدان", None),
    ("عراقچی و فیدان در تماس تلفنی درباره غزه گفت‌وگو کردند.", None),
])
def test_initiator(ref, text, caller):
    ex = run(ref, {"a": text})
    p = parts(ex)
    assert len(p) == 2
    got = [c for c, r in p.items() if r["is_initiator"]]
    assert got == ([caller] if caller else [])


# ------------------------------------------------------------------ dates

PUB = dt.datetime(2026, 6, 10, 14, 0, tzinfo=TEHRAN)  # a Wednesday


@pytest.mark.parametrize("text,expected,basis", [
    ("عراقچی امروز در تماس تلفنی با فیدان گفت‌وگو کرد.", "2026-06-10", "inferred"),
    ("عراقچی دیروز در تماس تلفنی با فیدان گفت‌وگو کرد.", "2026-06-09", "inferred"),
    ("عراقچی شب گذشته در تماس تلفنی با فیدان گفت‌وگو کرد.", "2026-06-09", "inferred"),
    ("عراقچی روز دوشنبه در تماس تلفنی با فیدان گفت‌وگو کرد.", "2026-06-08", "inferred"),
    ("عراقچی روز ۱۵ خرداد ۱۴۰۵ در تماس تلفنی با فیدان گفت‌وگو کرد.", "2026-06-05", "stated"),
    ("عراقچی روز ۳ ژوئن در تماس تلفنی با فیدان گفت‌وگو کرد.", "2026-06-03", "stated"),
    ("عراقچی در روز ۱۰ ذی‌الحجه ۱۴۴۷ در تماس تلفنی با فیدان گفت‌وگو کرد.", None, "stated"),
    ("عراقچی در تماس تلفنی با فیدان گفت‌وگو کرد.", "2026-06-10", "published"),
])
def test_dates(ref, text, expected, basis):
    ex = run(ref, {"a": text}, PUB)
    row = ex.mentions.row(0, named=True)
    if expected is None:  # hijri via hijridate
        from hijridate import Hijri

        expected = str(dt.date(*Hijri(1447, 12, 10).to_gregorian().datetuple()))
    assert str(row["call_date"]) == expected
    assert row["date_basis"] == basis and row["call_date_precision"] == "day"


def test_published_after_midnight_gives_month_only(ref):
    ex = run(ref, {"a": "عراقچی در تماس تلفنی با فیدان گفت‌وگو کرد."}, dt.datetime(2026, 6, 10, 2, 0, tzinfo=TEHRAN))
    row = ex.mentions.row(0, named=True)
    assert row["call_date_precision"] == "month" and str(row["call_date"]).startswith("2026-06")


def test_occasion_national_day(ref):
    ex = run(ref, {"a": "پوتین و ترامپ تلفنی گفتگو کردند و پوتین روز استقلال آمریکا را تبریک گفت."},
             dt.datetime(2026, 7, 5, 1, 0, tzinfo=TEHRAN))
    assert str(ex.mentions["call_date"][0]) == "2026-07-04"


# ------------------------------------------------------------------ topics, statements, metadata


def test_topics_and_statements(ref):
    text = ("گفت‌وگوی تلفنی عراقچی و فیدان\n"
            "عراقچی در تماس تلفنی با هاکان فیدان درباره آتش‌بس در غزه و کمک‌های بشردوستانه گفت‌وگو کرد.\n"
            "وی افزود: توسعه مبادلات تجاری دو کشور ضروری است.\n"
            "قیمت طلا امروز کاهش یافت.")
    ex = run(ref, {"a": text})
    topics = set(ex.topics["topic_code"])
    assert {"conflict_crisis", "humanitarian_disaster", "trade_economy"} <= topics
    st = ex.statements.filter(pl.col("verb") == "افزود").row(0, named=True)
    assert st["official_id"] == "abbas-araghchi" and st["text"].startswith("توسعه مبادلات")


def test_outlet_metadata(ref):
    ex = run(ref, {"a": "به گزارش ایرنا به نقل از پایگاه اطلاع‌رسانی دولت، عراقچی در تماس تلفنی با فیدان گفت‌وگو کرد."})
    m = ex.article_meta.row(0, named=True)
    assert m["outlet_in_text"] == "ایرنا" and m["cited_outlet"] == "پایگاه اطلاع‌رسانی دولت"


# ------------------------------------------------------------------ seeds


def test_seed_articles(ref):
    texts = {f.name: f.read_text(encoding="utf-8") for f in sorted((ROOT / "seeds" / "articles").glob("*.txt"))}
    ex = run(ref, texts, None)
    a0, a1 = sorted(texts)
    p0, p1 = parts(ex, a0), parts(ex, a1)
    assert {r["official_id"] for r in p0.values()} == {"mahmoud-vaezi", "shahin-mustafayev"}
    assert p0["AZ"]["is_initiator"] and not p0["IR"]["is_initiator"]
    assert {r["official_id"] for r in p1.values()} == {"hassan-rouhani", "ilham-aliyev"}
    assert p1["AZ"]["is_initiator"] and not p1["IR"]["is_initiator"]
    assert p1["IR"]["dq_flag"] == "name_contradicts_gazetteer"
    m1 = ex.mentions.filter(pl.col("article_id") == a1).row(0, named=True)
    assert str(m1["call_date"]) == "2020-07-31" and m1["call_date_precision"] == "day"
    m0 = ex.mentions.filter(pl.col("article_id") == a0).row(0, named=True)
    assert m0["call_date_precision"] == "month" and str(m0["call_date"]).startswith("2021-03")
    t0 = set(ex.topics.filter(pl.col("article_id") == a0)["topic_code"])
    assert {"covid19", "transport_transit", "greetings_condolences", "consular_prisoners"} <= t0
    aliases = ex.officials.filter(pl.col("source") == "alias")
    assert "شاهین مصطفی" in [a for lst in aliases["aliases"] for a in lst] or \
        aliases.filter(pl.col("official_id") == "shahin-mustafayev").height >= 0


@pytest.mark.parametrize("text", [
    "  رئیس\u200cجمهور  ایران\n\nبا  همتای\u064e ترکیه\u200e گفت‌وگو کرد ",
    "\u200e\u200f  آغاز ـ تماس -- ۱۴۰۰ ",
    "a\u064e\u064e  \u200e b",
    "",
    "   ",
])
def test_matching_form_maps_every_character_back(text):
    """The piecewise offset map agrees with a character-by-character walk."""
    from transforms.extraction.text import norm_char, normalize_with_map

    expected_chars, expected_idx, prev_space = [], [], True
    for k, ch in enumerate(text):
        c = norm_char(ch)
        if not c or (c == " " and prev_space):
            continue
        prev_space = c == " "
        expected_chars.append(c)
        expected_idx.append(k)
    nt = normalize_with_map(text)
    assert nt.s == "".join(expected_chars)
    assert [nt.offset(i) for i in range(len(nt.s))] == expected_idx
    assert nt.offset(len(nt.s)) == len(text)
    for i, k in enumerate(expected_idx):
        assert nt.to_norm(k) == i


def _assert_linear_time(article, small_kb: int, label: str = "") -> None:
    """Extraction of ``article(8 * small_kb)`` costs under 12 × ``article(small_kb)``:
    linear is about 8 ×, a scan of the whole text per name or per report 50 × or more."""
    ref = load_reference()
    seconds = functools.partial(_extraction_seconds, ref=ref)
    seconds(article(2))  # warm the gazetteer and lexicons
    short_text, long_text = article(small_kb), article(8 * small_kb)
    # Best of rounds that time both, in turn: a slow spell of a shared machine then
    # slows one round of both, not one side's every try.
    short = long = float("inf")
    for _ in range(4):
        short, long = min(short, seconds(short_text)), min(long, seconds(long_text))
    print(f"\n{label}{small_kb} KB {short:.3f} s, {8 * small_kb} KB {long:.3f} s: {long / short:.1f} ×")
    assert long < 12 * short


def test_extraction_time_grows_linearly_with_an_articles_length():
    """A long article costs in proportion to its length, however many officials and calls
    it names (a per-name or per-predicate scan of the whole text would be quadratic:
    8 × the text, 64 × the time). The articles interleave the seed articles' paragraphs
    with call reports between many different officials."""
    import random

    ref = load_reference()
    names = ref.officials["name_fa"].to_list()
    paragraphs = [p for f in sorted((ROOT / "seeds" / "articles").glob("*.txt"))
                  for p in f.read_text(encoding="utf-8").split("\n") if len(p) > 80]

    def article(kb: int) -> str:
        rng, out, size = random.Random(5), [], 0
        while size < kb * 1024:
            a, b = rng.sample(names, 2)
            line = f"{a} امروز در تماس تلفنی با {b} درباره همکاری‌های اقتصادی گفت‌وگو کرد."
            para = rng.choice(paragraphs)
            out += [line, para]
            size += len(line.encode()) + len(para.encode())
        return clean_text("\n".join(out))

    _assert_linear_time(article, 50)


def test_extraction_time_stays_linear_when_an_article_names_many_persons():
    """An article naming hundreds of persons in full, each quoted and later called by the
    surname alone: finding the surnames with a search of the whole text per surname
    would cost persons × length (the 160 KB article names several times as many
    persons as the 20 KB one, so 8 × the text would be far more than 8 × the search)."""
    ref = load_reference()
    names = [n for n in ref.officials["name_fa"].to_list() if len(n.split()) >= 2]
    random.Random(5).shuffle(names)

    def article(kb: int) -> str:
        rng, out, size = random.Random(5), [], 0
        for i in itertools.count():
            if size >= kb * 1024:
                break
            earlier = names[rng.randrange(min(i, len(names)))].split()[-1] if i else "او"
            out.append(f"{names[i % len(names)]} گفت که {earlier} را پیش‌تر دیده است.")
            size += len(out[-1].encode()) + 1
        return clean_text("\n".join(out))

    _assert_linear_time(article, 20)


LONG_ARTICLE_SHAPES = ["one_pair_on_many_days", "two_countries", "anaphors", "denials", "one_long_sentence",
                       "bare_subjects"]


@pytest.mark.parametrize("shape", LONG_ARTICLE_SHAPES)
def test_extraction_time_stays_linear_in_long_articles_of_one_shape(shape):
    """Articles that repeat one shape of report, where a scan of every earlier call or
    report for each new one grows with the square of the length: one pair's calls on
    many days (all in one call's sentences), calls between the same two countries,
    calls each followed by an anaphor (آن‌ها ...، این گفت‌وگو به درخواست ...), denied
    claims, one call before one long unpunctuated sentence of topic words, and reports
    whose sides are bare titles, counterparts in apposition or envoys' titles."""
    import random

    ref = load_reference()
    offs = ref.officials
    ir = offs.filter(pl.col("country_code") == "IR")["name_fa"].to_list()
    ru = offs.filter(pl.col("country_code") == "RU")["name_fa"].to_list()
    days = ["شنبه", "یکشنبه", "دوشنبه", "سه‌شنبه", "چهارشنبه", "پنجشنبه", "جمعه"]
    topics = ["همکاری‌های اقتصادی", "آتش‌بس", "برنامه هسته‌ای", "ترانزیت", "تحریم‌ها", "امنیت منطقه"]

    def article(kb: int) -> str:
        rng = random.Random(5)

        def pair() -> str:
            return f"{rng.choice(ir)} در تماس تلفنی با {rng.choice(ru)} درباره همکاری‌های اقتصادی گفت‌وگو کرد."

        line = {
            "one_pair_on_many_days": lambda: (
                f"عراقچی روز {rng.choice(days)} {rng.randint(1, 28)} {rng.choice(['مهر', 'آبان', 'آذر'])} "
                "در تماس تلفنی با لاوروف درباره همکاری‌های اقتصادی گفت‌وگو کرد."),
            "two_countries": pair,
            "anaphors": lambda: pair() + " " + rng.choice(
                ["آن‌ها پیش‌تر نیز تلفنی گفت‌وگو کرده بودند.", "این گفت‌وگو به درخواست طرف روس انجام شد."]),
            "denials": lambda: (f"گزارش‌ها مبنی بر گفت‌وگوی تلفنی {rng.choice(ir)} و {rng.choice(ru)} منتشر شد "
                                "اما سخنگو گفت: چنین تماسی انجام نشده است."),
            "one_long_sentence": lambda: " و ".join(rng.choice(topics) for _ in range(12)),
            # a bare title as subject, counterparts with a name in apposition, envoys' titles
            "bare_subjects": lambda: rng.choice([
                "دو وزیر امروز بار دیگر تلفنی گفت‌وگو کردند.",
                f"{rng.choice(ir)} با همتای عزیزم، آقای {rng.choice(ru)}، تماس گرفت.",
                f"{rng.choice(ir)} با مشاور ارشد {rng.choice(ru)} تلفنی گفت‌وگو کرد."]),
        }[shape]
        out, size = [], 0
        if shape == "one_long_sentence":
            out.append("عراقچی در تماس تلفنی با لاوروف گفت‌وگو کرد و درباره")
        while size < kb * 1024:
            out.append(line())
            size += len(out[-1].encode()) + 1
        return clean_text((" " if shape == "one_long_sentence" else "\n").join(out))

    _assert_linear_time(article, 20, f"{shape}: ")  # 17-51 × while quadratic


# ------------------------------------------------------------------ the extraction cap

_FILLER = ("بازار سهام تهران امروز با رشد شاخص کل همراه بود و ارزش معاملات به بیش از هزار میلیارد"
           " تومان رسید. کارشناسان این رشد را نتیجه کاهش نرخ بهره و ورود نقدینگی تازه می‌دانند.")


def _long_article(report_first: str, report_last: str, chars: int) -> str:
    lines = [report_first]
    while sum(map(len, lines)) < chars:
        lines.append(_FILLER)
    return "\n".join(lines + [report_last])


def test_an_article_over_the_cap_is_read_to_a_line_end_before_it(ref):
    """A text longer than MAX_EXTRACT_CHARS is read up to its last line end before the
    cap: a call reported at the top is found with the same evidence, one reported after
    the cap is not, and extracted_chars says how much was read. Below the cap the same
    two reports are both calls."""
    from transforms.extraction import MAX_EXTRACT_CHARS

    first = "وزیر امور خارجه ایران در تماس تلفنی با وزیر امور خارجه ترکیه درباره ترانزیت گفت‌وگو کرد."
    last = "رئیس‌جمهور روسیه امروز در تماس تلفنی با صدراعظم آلمان درباره آتش‌بس گفت‌وگو کرد."
    short = clean_text(_long_article(first, last, 5_000))
    long = clean_text(_long_article(first, last, MAX_EXTRACT_CHARS + 20_000))
    ex = run(ref, {"short": short, "long": long})
    countries = {aid: set() for aid in ("short", "long")}
    for row in ex.participants.iter_rows(named=True):
        countries[row["article_id"]].add(row["country_code"])
    assert countries["short"] == {"IR", "TR", "RU", "DE"}
    assert countries["long"] == {"IR", "TR"}
    evidence = {r["article_id"]: (r["char_start"], r["char_end"]) for r in ex.mentions.iter_rows(named=True)
                if r["char_start"] < len(first)}
    assert evidence["long"] == evidence["short"]
    meta = {r["article_id"]: r["extracted_chars"] for r in ex.article_meta.iter_rows(named=True)}
    assert meta["short"] is None
    read = meta["long"]
    assert MAX_EXTRACT_CHARS // 2 < read <= MAX_EXTRACT_CHARS and long[read] == "\n"


@pytest.mark.parametrize("text, cap, expected", [
    ("کوتاه", 10, "کوتاه"),
    ("سطر یک\nسطر دو و سه", 12, "سطر یک"),  # the last line end before the cap
    ("الف\nب ج د ه و ز ح ط", 15, "الف\nب ج د ه و ز"),  # no line end in the cap's second half: the last space
    ("ابجدهوزحطیکلمنسعفصقرشت", 8, "ابجدهوزح"),  # no space at all: the cap itself
    ("اب جد\nهوزحطیکلمن", 12, "اب جد"),  # a line end in the first half, after the last space
])
def test_the_text_extraction_reads(text, cap, expected):
    from transforms.extraction import extraction_text

    assert extraction_text(text, cap) == expected
    assert extraction_text(text, None) == text


def test_a_1_mb_article_costs_what_its_capped_start_costs():
    """The cap bounds one article's extraction whatever its length: a 1 MB text of call
    reports (over five times the cap) costs a fraction of reading it whole."""
    import time

    from core.collector import collector_paused
    from transforms.extraction import MAX_EXTRACT_CHARS, extract_one

    ref = load_reference()
    call = "وزیر امور خارجه ایران در تماس تلفنی با وزیر امور خارجه ترکیه درباره ترانزیت گفت‌وگو کرد."
    text = clean_text("\n".join([call, _FILLER] * (1024 * 1024 // len((call + _FILLER).encode()))))
    assert len(text) > 5 * MAX_EXTRACT_CHARS

    def seconds(**cap) -> float:
        with collector_paused():
            started = time.process_time()
            extract_one("x", text, None, None, ref, **cap)
            return time.process_time() - started

    capped, whole = seconds(), seconds(max_chars=None)
    print(f"\n1 MB article: capped {capped:.2f} s, whole {whole:.2f} s")
    assert capped < whole / 3


@pytest.mark.parametrize("n", [0, 1, 2, 7, 300, 5000])
def test_bucketed_search_finds_what_bisect_finds(n):
    """The bucketed search over sorted positions answers as bisect does: below the
    first, between, on, past the last position, and on repeated ones."""
    rng = random.Random(n)
    xs = sorted(rng.randrange(40 * n + 1) for _ in range(n))
    first = buckets(xs)
    probes = [-5, -1, 0, *xs, *(x + 1 for x in xs), *(x - 1 for x in xs),
              *(rng.randrange(-10, 40 * n + 600) for _ in range(500)), 10**7]
    for x in probes:
        assert bisect_left_in(xs, first, x) == bisect.bisect_left(xs, x)
        assert bisect_left_in(xs, first, x + 1) == bisect.bisect_right(xs, x)


def test_words_found_by_search_are_the_tokens_a_token_walk_finds():
    """officials._words_at finds whole tokens with str.find (few words) or one token walk
    (many): the same (start, word) pairs as walking every token of the text, at every kind of edge (ZWNJ, digits, Latin,
    quotes, a word inside a longer one, a word that is no token)."""
    from transforms.extraction.officials import _words_at
    from transforms.extraction.text import TOKEN_RE

    text = "کری و کریمی، «کری» گفت؛ کری‌ها و ۲کری و kerry-کری. کری"
    words = {"کری", "ها", "kerry", "و گفت"}
    walked = [(m.start(), m.group()) for m in TOKEN_RE.finditer(text) if m.group() in words]
    assert sorted(_words_at(text, words)) == walked
    assert _words_at(text, words, searched_words=len(words) - 1) == walked  # many words: one walk
    # not inside کریمی; before a ZWNJ, after a Persian digit or a hyphen it is a token
    assert [a for a, w in walked if w == "کری"] == [0, 14, 24, 34, 46, 51]
