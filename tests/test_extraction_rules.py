"""Extraction rules added for the dev-set error analysis: initiator wordings, refusals that
confirm a call, topic cue precision and scope. Texts are written for the tests."""

from __future__ import annotations

import pytest

from tests.test_extraction import n_calls, parts, run
from transforms.reference import load_reference


@pytest.fixture(scope="module")
def ref():
    return load_reference()


def topics(ex, aid="a", seq=0):
    return set(ex.topics.filter((ex.topics["article_id"] == aid) & (ex.topics["call_seq"] == seq))["topic_code"])


# ------------------------------------------------------------------ initiator

@pytest.mark.parametrize("text,caller", [
    # time adverbs between the cue and 'با'
    ("عراقچی در تماس تلفنی صبح امروز با هاکان فیدان درباره غزه رایزنی کرد.", "IR"),
    ("عراقچی در تماس تلفنی جداگانه شامگاه دوشنبه با هاکان فیدان گفت‌وگو کرد.", "IR"),
    # 'در جریان تماس' is not the directional 'در تماس'
    ("عراقچی در جریان تماس تلفنی با هاکان فیدان درباره غزه رایزنی کرد.", None),
    ("به گفته منابع، نتانیاهو در جریان تماس تلفنی با ترامپ از موضع خود کوتاه آمد.", None),
])
def test_initiator_rules(ref, text, caller):
    p = parts(run(ref, {"a": text}))
    assert len(p) == 2
    assert [c for c, r in p.items() if r["is_initiator"]] == ([caller] if caller else [])


def test_separate_calls_with_time_adverb_keep_caller(ref):
    ex = run(ref, {"a": "عراقچی در تماس‌های تلفنی جداگانه صبح امروز با وزرای خارجه ترکیه و مصر گفت‌وگو کرد."})
    assert n_calls(ex) == 2
    for k in range(2):
        assert [c for c, r in parts(ex, "a", k).items() if r["is_initiator"]] == ["IR"]


# ------------------------------------------------------------------ refusals

def test_refusing_details_confirms_the_call(ref):
    ex = run(ref, {"a": "نتانیاهو از بیان جزئیات تماس تلفنی خود با ترامپ خودداری کرد."})
    assert n_calls(ex) == 1
    assert set(parts(ex)) == {"IL", "US"}


def test_refusing_the_call_is_a_denial(ref):
    ex = run(ref, {"a": "نتانیاهو از تماس تلفنی با ترامپ خودداری کرد."})
    assert n_calls(ex) == 0


# ------------------------------------------------------------------ topic cues

@pytest.mark.parametrize("text,present,absent", [
    # longest cue wins: maritime security is security, not transport
    ("عراقچی در تماس تلفنی با هاکان فیدان درباره امنیت دریانوردی در منطقه گفت‌وگو کرد.",
     {"security_defense"}, {"transport_transit"}),
    # a military air base is security, not aviation
    ("عراقچی در تماس تلفنی با هاکان فیدان استفاده از پایگاه هوایی اینجرلیک را بررسی کرد.",
     {"security_defense"}, {"transport_transit"}),
    # the verb 'agreed' is no agreement topic; a flight in progress is no transport topic
    ("ترامپ حین پرواز به آسیا در تماس تلفنی با نتانیاهو گفت‌وگو کرد و دو طرف توافق کردند که گفت‌وگوها ادامه یابد.",
     set(), {"agreements", "transport_transit"}),
    # implementing an agreement is the agreements topic
    ("عراقچی در تماس تلفنی با هاکان فیدان بر اجرای توافق‌های دو کشور تاکید کرد.", {"agreements"}, set()),
    # Iran as the subject of a third-party call, the Iran–US dispute, use of force
    ("ترامپ و نتانیاهو در تماس تلفنی درباره ایران گفت‌وگو کردند.", {"conflict_crisis"}, set()),
    ("وزیر خارجه چین در تماس تلفنی با اسحاق دار گفت در مذاکرات ایران و آمریکا نباید به توسل به زور بازگشت.",
     {"conflict_crisis"}, set()),
    # a country name glued to a Latin agency name is not a topic
    ("زلنسکی و ترامپ امروز تماس تلفنی داشتند و زلنسکی تولد ترامپ را تبریک گفت، طبق گزارش RBC-اوکراین",
     {"greetings_condolences"}, {"conflict_crisis"}),
    # the NPT is nuclear, not the agreements topic
    ("عراقچی در تماس تلفنی با دبیرکل سازمان ملل متحد درباره کنفرانس بازنگری معاهده عدم اشاعه گفت‌وگو کرد.",
     {"nuclear_sanctions"}, {"agreements"}),
])
def test_topic_cues(ref, text, present, absent):
    got = topics(run(ref, {"a": text}))
    assert present <= got
    assert not (absent & got)


@pytest.mark.parametrize("text,present,absent", [
    ("عراقچی در تماس تلفنی با هاکان فیدان درباره تشدید تنش نظامی در منطقه گفت‌وگو کرد.",
     {"conflict_crisis"}, {"security_defense"}),
    ("عراقچی در تماس تلفنی با هاکان فیدان کشته شدن غیرنظامیان را محکوم کرد.", set(), {"security_defense"}),
    ("عراقچی در تماس تلفنی با هاکان فیدان امنیت تانکرهای نفتی در خلیج فارس را بررسی کرد.",
     {"transport_transit"}, {"energy"}),
])
def test_topic_cues_military_and_tankers(ref, text, present, absent):
    got = topics(run(ref, {"a": text}))
    assert present <= got
    assert not (absent & got)


# ------------------------------------------------------------------ topic scope: quoted lines

def test_lines_after_speaker_label_are_quotes(ref):
    text = ("پزشکیان در گفت‌وگوی تلفنی با نخست‌وزیر ژاپن:\n"
            "ایران دیپلماسی را مؤثرترین راه می‌داند.\n"
            "تلاش خواهیم کرد عبور کشتی‌های ژاپنی با سهولت انجام شود.")
    assert "transport_transit" in topics(run(ref, {"a": text}))


def test_quote_ends_at_next_labelled_item(ref):
    text = ("پزشکیان در گفت‌وگوی تلفنی با نخست‌وزیر ژاپن: ایران دیپلماسی را مؤثرترین راه می‌داند.\n"
            "بورس تهران: شاخص کل امروز افزایش یافت.\n"
            "قیمت نفت در بازارهای جهانی کاهش یافت.")
    assert "energy" not in topics(run(ref, {"a": text}))


# ------------------------------------------------------------------ participants

def test_speaker_label_is_the_caller_side_and_short_form_names_the_leader(ref):
    ex = run(ref, {"a": "نخست‌وزیر پاکستان: در گفت‌وگوی تلفنی با بن سلمان درباره تجارت دو کشور گفت‌وگو کردیم"})
    p = parts(ex)
    assert set(p) == {"PK", "SA"}
    assert p["SA"]["official_id"] == "mohammed-bin-salman"


@pytest.mark.parametrize("text,present,absent", [
    # a plural cue matches with the suffix half-spaced (ZWNJ) as well as glued
    ("عراقچی در تماس تلفنی با هاکان فیدان درباره نیرو‌های مسلح گفت‌وگو کرد.", {"security_defense"}, set()),
    ("عراقچی در تماس تلفنی با هاکان فیدان درباره نیروهای مسلح گفت‌وگو کرد.", {"security_defense"}, set()),
    # an agreement between countries none of which is on the call is not the agreements topic
    ("شهباز شریف در تماس تلفنی با محمد بن سلمان از تلاش برای یادداشت تفاهم میان آمریکا و ایران تشکر کرد.",
     {"conflict_crisis"}, {"agreements"}),
    # ... but an agreement with a party on the call is
    ("عراقچی در تماس تلفنی با هاکان فیدان درباره یادداشت تفاهم میان ایران و ترکیه گفت‌وگو کرد.", {"agreements"}, set()),
])
def test_topic_plural_forms_and_third_party_agreements(ref, text, present, absent):
    got = topics(run(ref, {"a": text}))
    assert present <= got
    assert not (absent & got)


@pytest.mark.parametrize("text,present,absent", [
    # the IAEA's name holds 'انرژی' but is the nuclear file, not energy
    ("عراقچی در تماس تلفنی با هاکان فیدان درباره همکاری با آژانس بین‌المللی انرژی اتمی گفت‌وگو کرد.",
     {"nuclear_sanctions"}, {"energy"}),
    ("عراقچی در تماس تلفنی با هاکان فیدان اقدامات بی‌ثبات‌کننده در منطقه را محکوم کرد.", {"conflict_crisis"}, set()),
    # energy cooperation stays energy
    ("عراقچی در تماس تلفنی با هاکان فیدان درباره همکاری در حوزه انرژی و گاز گفت‌وگو کرد.", {"energy"}, set()),
])
def test_topic_cues_iaea_and_destabilising(ref, text, present, absent):
    got = topics(run(ref, {"a": text}))
    assert present <= got
    assert not (absent & got)
