"""The grammar of a call report, rule family by rule family (transforms/extraction).

Every sentence here is written for its test, with officials of several years and
countries, so that a rule passes only when it follows the grammar, not one article's
wording. Needs only the project tree."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from tests.test_extraction import TEHRAN, n_calls, parts, run
from transforms.reference import load_reference

PUB_2019 = dt.datetime(2019, 5, 15, 11, 0, tzinfo=TEHRAN)   # a Wednesday
PUB_2026 = dt.datetime(2026, 6, 10, 14, 0, tzinfo=TEHRAN)   # a Wednesday


@pytest.fixture(scope="module")
def ref():
    return load_reference()


def calls(ex, aid="a"):
    """Each call as the set of its participants' countries."""
    return sorted(sorted(parts(ex, aid, k)) for k in range(n_calls(ex, aid)))


def caller(ex, aid="a", seq=0):
    got = [c for c, r in parts(ex, aid, seq).items() if r["is_initiator"]]
    return got[0] if got else None


def topics(ex, aid="a", seq=0):
    t = ex.topics
    return set(t.filter((t["article_id"] == aid) & (t["call_seq"] == seq))["topic_code"])


def day(ex, aid="a", seq=0):
    m = ex.mentions.filter((pl.col("article_id") == aid) & (pl.col("call_seq") == seq)).row(0, named=True)
    return m["call_date"], m["call_date_precision"]


# ------------------------------------------------------------------ predicates: a call said in many ways

@pytest.mark.parametrize("text", [
    # the noun with its channel adjective, singular, plural, glued and ZWNJ forms
    "ظریف در تماس تلفنی با لاوروف درباره سوریه رایزنی کرد.",
    "ظریف در تماس‌های تلفنی با لاوروف درباره سوریه رایزنی کرد.",
    "گفت‌و‌گو‌های تلفنی ظریف و لاوروف درباره سوریه",
    "ظریف و لاوروف در یک مکالمه تلفنی درباره سوریه رایزنی کردند.",
    # the adverb with the verb it modifies, the با-object between them
    "ظریف امروز به صورت تلفنی با لاوروف درباره سوریه گفتگو کرد.",
    "ظریف و لاوروف تلفنی درباره سوریه صحبت کردند.",
    # تماس alone, with its light verbs: no "تلفنی" needed
    "ظریف امروز با لاوروف تماس گرفت و درباره سوریه گفتگو کرد.",
    "ظریف امروز با لاوروف تماس برقرار کرد.",
    "ظریف و لاوروف امروز تماس داشتند و درباره سوریه صحبت کردند.",
    "ظریف طی تماسی با لاوروف درباره سوریه رایزنی کرد.",
    # a phone call as "یک تلفن"
    "یک تلفن ظریف به لاوروف بحران را حل کرد.",
])
def test_a_call_is_found_in_many_wordings(ref, text):
    ex = run(ref, {"a": text}, PUB_2019)
    assert calls(ex) == [["IR", "RU"]]


@pytest.mark.parametrize("text", [
    "ظریف و لاوروف در تماس ویدئویی درباره سوریه گفتگو کردند.",
    # the indefinite یی after the noun's final vowel, glued or spaced
    "ظریف و لاوروف در گفتگویی ویدئویی درباره سوریه رایزنی کردند.",
    "ظریف و لاوروف در گفت و گویی ویدیویی درباره سوریه رایزنی کردند.",
])
def test_a_video_call_has_video_mode(ref, text):
    ex = run(ref, {"a": text}, PUB_2019)
    assert calls(ex) == [["IR", "RU"]]
    assert ex.mentions["mode"].to_list() == ["video"]


def test_first_person_report_takes_the_speaker_as_subject(ref):
    ex = run(ref, {"a": "لاوروف: امروز با ظریف تماس گرفتم و درباره سوریه صحبت کردیم."}, PUB_2019)
    assert calls(ex) == [["IR", "RU"]]
    assert caller(ex) == "RU"


# ------------------------------------------------------------------ status: reported, or not a call

@pytest.mark.parametrize("text", [
    # planned: future, subjunctive, present
    "ظریف و لاوروف فردا تلفنی گفتگو خواهند کرد.",
    "قرار است ظریف با لاوروف تماس تلفنی داشته باشد.",
    "ظریف امشب با لاوروف تلفنی گفتگو می‌کند.",
    # requested, proposed, ready for
    "لاوروف خواستار گفتگوی تلفنی با ظریف شد.",
    "ظریف پیشنهاد گفتگوی تلفنی با لاوروف را پذیرفت.",
    "ظریف از آمادگی برای تماس تلفنی با لاوروف خبر داد.",
    # on the agenda
    "گفتگوی تلفنی ظریف و لاوروف در دستور کار است.",
    "به گفته یک مقام آگاه، تماس تلفنی ظریف و لاوروف قطعاً در دستور کار قرار دارد.",
    # conditional
    "اگر لاوروف با ظریف تماس تلفنی بگیرد، بحران حل می‌شود.",
    "لاوروف فردا به ظریف زنگ خواهد زد.",
    # denied, refused
    "سخنگوی وزارت خارجه تماس تلفنی ظریف با لاوروف را تکذیب کرد.",
    "ظریف گفت هیچ تماس تلفنی با لاوروف نداشته است.",
    "ظریف با لاوروف تماس نگرفت.",
    "ظریف از پاسخ دادن به تماس‌های تلفنی لاوروف خودداری کرد.",
    # habitual contact, not one call
    "تماس‌های تلفنی ظریف و لاوروف ادامه دارد.",
    "ظریف و لاوروف همواره در تماس تلفنی هستند.",
])
def test_a_call_not_reported_as_happened_is_none(ref, text):
    assert n_calls(run(ref, {"a": text}, PUB_2019)) == 0


@pytest.mark.parametrize("text", [
    # a planning word that governs something else in the clause
    "ظریف در تماس تلفنی با لاوروف خواستار توقف درگیری‌ها در سوریه شد.",
    "لاوروف در گفتگوی تلفنی با ظریف پیشنهاد برگزاری نشست مشترک را مطرح کرد.",
    # negation of the main verb does not deny the call in a prepositional phrase
    "لاوروف در گفتگوی تلفنی با ظریف به جزئیات طرح اشاره نکرد.",
    # refusing to give details of a call confirms it
    "لاوروف از بیان جزئیات تماس تلفنی خود با ظریف خودداری کرد.",
    # ongoing now
    "ظریف و لاوروف هم اکنون در حال گفتگوی تلفنی هستند.",
])
def test_a_reported_call_stays_a_call(ref, text):
    assert calls(run(ref, {"a": text}, PUB_2019)) == [["IR", "RU"]]


@pytest.mark.parametrize("text", [
    # interviews: the با-object is a medium
    "ظریف در گفتگوی تلفنی با شبکه سی‌ان‌ان درباره سوریه سخن گفت.",
    "لاوروف در گفتگوی تلفنی با خبرنگار ما گفت که بحران ادامه دارد.",
    # private: a relative on the line
    "ظریف در تماس تلفنی با خانواده یک دیپلمات درگذشته ابراز همدردی کرد.",
    # a meeting in person is not a call
    "ظریف در دیدار با لاوروف در مسکو درباره سوریه گفتگو کرد.",
    # one country on both sides is not diplomatic
    "ظریف در تماس تلفنی با رئیس مجلس ایران گفتگو کرد.",
    # a bell is not a call: زنگ rings a call only as the object of an active زد
    "زنگ آغاز نشست با حضور ظریف و لاوروف زده شد.",
    "ظریف گفت زنگ خطر برای لاوروف و اروپا به صدا درآمده است.",
    "ظریف و لاوروف زنگ آغاز سال تحصیلی را در مدرسه دوستی زدند.",
])
def test_interviews_private_meetings_and_domestic_calls_are_none(ref, text):
    assert n_calls(run(ref, {"a": text}, PUB_2019)) == 0


# ------------------------------------------------------------------ arguments and who placed the call

@pytest.mark.parametrize("text,who", [
    # the genitive of تماس names the caller
    ("تماس تلفنی لاوروف با ظریف", "RU"),
    ("در تماس تلفنی لاوروف با ظریف تحولات سوریه بررسی شد.", "RU"),
    # ... across an appositive title between commas
    ("در پی تماس تلفنی لاوروف، وزیر خارجه روسیه، با ظریف، دو طرف درباره سوریه گفتگو کردند.", "RU"),
    ("تماس تلفنی ظریف، وزیر امور خارجه ایران، با لاوروف", "IR"),
    ("گفتگوی تلفنی ظریف، وزیر امور خارجه ایران، با لاوروف", None),
    # the subject of در/طی/ضمن تماس ... با
    ("ظریف در تماس تلفنی با لاوروف درباره سوریه گفتگو کرد.", "IR"),
    ("ظریف طی یک تماس تلفنی با لاوروف درباره سوریه گفتگو کرد.", "IR"),
    ("ظریف عصر امروز ضمن تماس تلفنی با لاوروف درباره سوریه گفتگو کرد.", "IR"),
    # by making a call: the verbal noun of برقرار کردن in a phrase of means or course
    ("ظریف با برقراری تماس تلفنی با لاوروف از مواضع روسیه قدردانی کرد.", "IR"),
    ("ظریف ضمن برقراری تماسی تلفنی با لاوروف درباره سوریه گفتگو کرد.", "IR"),
    # a clause verb that takes no با-complement: the call is still made
    ("ظریف با برقراری تماس تلفنی با لاوروف به حمله اخیر در سوریه اعتراض کرد.", "IR"),
    ("ظریف با برقراری تماس تلفنی با لاوروف درباره مشکل تحریم‌ها گفتگو کرد.", "IR"),
    # fronted: "در تماس تلفنی با Y، X ..."
    ("در تماس تلفنی با لاوروف، ظریف بر ادامه همکاری تاکید کرد.", "IR"),
    # light verbs of placing a call
    ("ظریف با لاوروف تماس گرفت.", "IR"),
    ("ظریف امروز یک تماس تلفنی فوری با لاوروف برقرار کرد.", "IR"),
    # receiving a call names its caller
    ("لاوروف تماس تلفنی‌ای از ظریف دریافت کرد.", "IR"),
    ("لاوروف یک تماس تلفنی از سوی ظریف دریافت کرد.", "IR"),
    ("ظریف در پاسخ به تماس تلفنی لاوروف گفت که بحران سوریه راه حل سیاسی دارد.", "RU"),
    # at X's initiative or request, in other words than درخواست
    ("گفتگوی تلفنی ظریف و لاوروف به ابتکار طرف روس انجام شد.", "RU"),
    ("گفتگوی تلفنی ظریف و لاوروف بنا به تقاضای طرف ایرانی انجام شد.", "IR"),
    # a phone call (تلفن) from X to Y; X به Y تلفن/زنگ زد: X rang Y
    ("یک تلفن ظریف به لاوروف بحران را حل کرد.", "IR"),
    ("لاوروف دیشب به ظریف زنگ زد.", "RU"),
    ("ظریف امروز به لاوروف تلفن زد و درباره سوریه گفتگو کرد.", "IR"),
    ("لاوروف گفت: دیروز به ظریف زنگ زدم.", "RU"),
    # his own call with
    ("لاوروف درباره تماس تلفنی خود با ظریف توضیح داد.", "RU"),
    # a conversation names no caller
    ("ظریف در گفتگوی تلفنی با لاوروف درباره سوریه رایزنی کرد.", None),
    ("گفتگوی تلفنی ظریف با لاوروف", None),
    ("ظریف و لاوروف در تماس تلفنی درباره سوریه گفتگو کردند.", None),
    ("ظریف با لاوروف تماس تلفنی داشت.", None),
    ("ظریف به صورت تلفنی با لاوروف گفتگو کرد.", None),
    ("در تماس تلفنی میان ظریف و لاوروف تحولات سوریه بررسی شد.", None),
    ("ظریف پس از تماس تلفنی با لاوروف به مسکو رفت.", None),
    ("ظریف در تماس تلفنی به لاوروف گفت که آماده سفر است.", None),
])
def test_who_placed_the_call(ref, text, who):
    ex = run(ref, {"a": text}, PUB_2019)
    assert calls(ex) == [["IR", "RU"]]
    assert caller(ex) == who


def test_the_body_decides_who_called_not_the_headline(ref):
    ex = run(ref, {"a": "تماس تلفنی ظریف با لاوروف\nظریف و لاوروف امروز تلفنی درباره سوریه گفتگو کردند.",
                   "b": "گفتگوی تلفنی ظریف و لاوروف\nلاوروف امروز در تماس تلفنی با ظریف درباره سوریه رایزنی کرد."},
             PUB_2019)
    assert caller(ex, "a") is None
    assert caller(ex, "b") == "RU"


def test_a_pronoun_object_is_the_official_named_before(ref):
    ex = run(ref, {"a": "ظریف امروز به مسکو رفت. لاوروف در تماس تلفنی با وی درباره سوریه گفتگو کرد."}, PUB_2019)
    assert calls(ex) == [["IR", "RU"]]
    assert caller(ex) == "RU"


def test_a_subject_pronoun_opening_a_sentence_is_the_subject_before_it(ref):
    # "وی" opening its sentence goes on with the previous sentence's subject (ظریف), not
    # with the official named last in it (the Turkish minister)
    ex = run(ref, {"a": "ظریف امروز در دیدار با سفیر چین و وزیر خارجه ترکیه گفت که تحریم‌ها غیرقانونی است. "
                        "وی همچنین عصر امروز با لاوروف تلفنی گفتگو کرد."}, PUB_2019)
    assert calls(ex) == [["IR", "RU"]]
    ex = run(ref, {"a": "لاوروف بعدازظهر با ظریف دیدار کرد. در تماس تلفنی با وی، پمپئو خواستار توقف حملات شد."},
             PUB_2019)
    assert calls(ex) == [["IR", "US"]]


def test_subject_pronouns_opening_sentences_go_on_with_the_first_subject(ref):
    text = ("ظریف امروز در جمع خبرنگاران حاضر شد. او درباره سفر وزیر خارجه آمریکا به ریاض گفت این سفر نمایشی است."
            " وی همچنین تماس تلفنی چاووش‌اوغلو را دریافت کرد.")
    ex = run(ref, {"a": text}, PUB_2019)
    assert calls(ex) == [["IR", "TR"]] and caller(ex) == "TR"


@pytest.mark.parametrize("text,pair", [
    # "رئیس جمهوری X": the republic's head, not "رئیس" of a body named جمهوری ...
    ("رئیس جمهوری اسلامی ایران در تماس تلفنی با رئیس‌جمهور ترکیه گفتگو کرد.", {"hassan-rouhani", "recep-tayyip-erdogan"}),
    ("رئیس‌جمهوری آذربایجان با رئیس‌جمهور روسیه تلفنی گفتگو کرد.", {"ilham-aliyev", "vladimir-putin"}),
])
def test_the_president_of_a_republic_named_by_its_long_form(ref, text, pair):
    assert {p["official_id"] for p in parts(run(ref, {"a": text}, PUB_2019)).values()} == pair


def test_a_pronoun_after_the_other_partys_turn_is_the_main_subject(ref):
    # "Y نیز ... گفت" is the other party's reply; "وی همچنین" returns to the caller
    ex = run(ref, {"a": "روحانی امروز در تماس تلفنی با اردوغان درباره سوریه گفتگو کرد. اردوغان نیز بر همکاری "
                        "تاکید کرد. وی همچنین در تماس تلفنی با پوتین درباره آستانه گفتگو کرد."}, PUB_2019)
    assert calls(ex) == [["IR", "RU"], ["IR", "TR"]]
    assert {caller(ex, "a", k) for k in range(2)} == {"IR"}   # "وی در تماس تلفنی با": the caller


def test_a_call_with_someone_named_who_is_no_official_takes_no_other_side(ref):
    # the با-object names the other side (a company's head): no official to look for elsewhere
    ex = run(ref, {"a": "پمپئو امروز گفت تحریم‌ها ادامه دارد. زنگنه در تماس تلفنی با مدیرعامل شرکت ملی نفت "
                        "بر صادرات تاکید کرد."}, PUB_2019)
    assert calls(ex) == []


def test_a_call_that_rejects_a_claim_and_a_manner_phrase_after_ba_stay_calls(ref):
    # "به گزارش X" is the agency, not a claim about the call; the call itself calls a claim false
    ex = run(ref, {"a": "به گزارش ایرنا، ظریف امروز در تماس تلفنی با لاوروف ادعاهای آمریکا را کذب خواند."}, PUB_2019)
    assert calls(ex) == [["IR", "RU"]]
    # "با اشاره به ..." names no other side: it is taken from the next sentence
    ex = run(ref, {"a": "ظریف امروز در تماس تلفنی با اشاره به تحولات سوریه خواستار توقف حملات شد. "
                        "لاوروف نیز بر ادامه همکاری تاکید کرد."}, PUB_2019)
    assert calls(ex) == [["IR", "RU"]]


def test_a_claimed_call_denied_in_its_own_sentence_is_none(ref):
    ex = run(ref, {"a": "سخنگو درباره گزارش رسانه‌ها مبنی بر گفتگوی تلفنی ظریف و پمپئو گفت: چنین تماسی انجام نشده است."},
             PUB_2019)
    assert calls(ex) == []
    # a call reported in its own right stays, whatever is said of "such calls" later
    ex = run(ref, {"a": "ظریف امروز با لاوروف تلفنی گفتگو کرد. سخنگو درباره تماس با پمپئو گفت: چنین تماسی "
                        "انجام نشده است."}, PUB_2019)
    assert calls(ex) == [["IR", "RU"]]


def test_in_this_regard_is_no_plan(ref):
    # "در این زمینه" (in this regard) before the call noun plans nothing
    assert calls(run(ref, {"a": "ظریف در این زمینه تماس تلفنی با لاوروف داشت."}, PUB_2019)) == [["IR", "RU"]]


def test_a_call_with_a_subjunctive_shavad_is_no_call(ref):
    # شود is the subjunctive of شدن (no glide: not *شوید)
    ex = run(ref, {"a": "وزارت خارجه امیدوار است تماس تلفنی ظریف با لاوروف هفته آینده برقرار شود."}, PUB_2019)
    assert calls(ex) == []


@pytest.mark.parametrize("text,who", [
    # thanked in the call: the other side, no direction
    ("ظریف در تماس تلفنی از همتای عمانی خود به دلیل میزبانی مذاکرات تشکر کرد.", None),
    # a call from X, closed by a comma
    ("اردوغان دیروز در پی تماس تلفنی از پوتین، گفت آماده سفر به مسکو است.", "RU"),
])
def test_the_az_object_of_a_call(ref, text, who):
    ex = run(ref, {"a": text}, PUB_2019)
    assert len(calls(ex)) == 1 and caller(ex) == who


def test_inviting_someone_in_the_call_is_not_receiving_his_call(ref):
    # "از X دعوت کرد": X is the one invited, not the one a call came from
    for second in ("پوتین در این تماس از اردوغان برای سفر به مسکو دعوت کرد.",
                   "پوتین در پایان این گفتگو از اردوغان برای سفر به مسکو دعوت کرد."):
        ex = run(ref, {"a": "پوتین دیروز با اردوغان تلفنی گفتگو کرد. " + second}, PUB_2019)
        assert calls(ex) == [["RU", "TR"]] and caller(ex) is None
    # a call from X, received
    ex = run(ref, {"a": "پوتین دیروز تماس تلفنی از اردوغان دریافت کرد."}, PUB_2019)
    assert caller(ex) == "TR"


def test_a_request_said_of_the_call_just_reported_names_its_caller(ref):
    ex = run(ref, {"a": "روحانی و مرکل عصر دیروز تلفنی گفتگو کردند. این گفتگو به درخواست صدراعظم آلمان انجام شد.",
                   "b": "ظریف و لاوروف امروز تلفنی گفتگو کردند. این تماس به درخواست طرف روس برقرار شد.",
                   "c": "ظریف و لاوروف امروز تلفنی گفتگو کردند. لاوروف به درخواست پوتین به پکن رفت."}, PUB_2019)
    assert calls(ex, "a") == [["DE", "IR"]] and caller(ex, "a") == "DE"
    assert caller(ex, "b") == "RU"
    assert caller(ex, "c") is None


def test_a_post_signed_by_its_author_is_his_first_person_report(ref):
    ex = run(ref, {"a": "امشب با همتای روس خود، سرگئی لاوروف، تلفنی صحبت کردم و درباره سوریه گفتگو کردیم.\n"
                        "محمدجواد ظریف | وزیر امور خارجه",
                   "b": "امروز با دوست عزیزم مولود چاووش‌اوغلو تماس گرفتم.\nمحمدجواد ظریف",
                   "c": "امروز با لاوروف تماس گرفتم.\nمحمدجواد ظریف در نشست خبری این را گفت."}, PUB_2019)
    assert calls(ex, "a") == [["IR", "RU"]]
    assert calls(ex, "b") == [["IR", "TR"]] and caller(ex, "b") == "IR"
    assert calls(ex, "c") == []      # the last line is a sentence, not a signature


def test_items_under_a_header_of_calls_are_its_subjects_calls(ref):
    # "رایزنی‌های تلفنی امروز X:" then numbered items "۱- گفتگو با Y؛ ...": X called Y, Z
    text = ("رایزنی‌های تلفنی امروز محمدجواد ظریف وزیر امور خارجه:\n"
            "۱- گفتگو با سرگئی لاوروف؛ دو طرف درباره سوریه رایزنی کردند.\n"
            "۲- گفتگو با مولود چاووش‌اوغلو؛ ظریف خواستار توقف حملات شد.")
    assert calls(run(ref, {"a": text}, PUB_2019)) == [["IR", "RU"], ["IR", "TR"]]
    # without the header's phone word, a list of meetings stays no call
    text = text.replace("رایزنی‌های تلفنی امروز", "دیدارهای امروز")
    assert calls(run(ref, {"a": text}, PUB_2019)) == []


def test_a_call_said_by_a_speaker_label(ref):
    ex = run(ref, {"a": "لاوروف در گفتگوی تلفنی با ظریف:\nبحران سوریه راه حل نظامی ندارد."}, PUB_2019)
    assert calls(ex) == [["IR", "RU"]]
    assert "conflict_crisis" in topics(ex)


@pytest.mark.parametrize("text", [
    # being in contact (در تماس بودن) is a state or a wish, not a call
    "روحانی و پوتین تلفنی در تماس هستند.",
    "مشاوران ظریف و بورل در هفته‌های گذشته از طریق تلفن در تماس بودند.",
    "دو وزیر توافق کردند تا درباره آتش‌بس از طریق تلفن در تماس باشند.",
    # a request or proposal for a call, with its genitive before برای
    "سخنگوی وزارت خارجه گفت درخواست دولت فرانسه برای تماس تلفنی روحانی و ماکرون بررسی می‌شود.",
    # making a call wished for or aimed at, agreed to or objected to: not made
    "لاوروف خواستار برقراری تماس تلفنی با ظریف شد.",
    "ترامپ با برقراری تماس تلفنی با روحانی موافقت کرد.",
    "کاخ سفید با برقراری تماس تلفنی میان ترامپ و روحانی مخالفت کرد.",
    "ترامپ گفت با برقراری تماس تلفنی با روحانی مشکلی ندارد.",
    "دفتر ظریف برای برقراری تماس تلفنی با لاوروف تلاش کرد.",
])
def test_contact_and_requests_for_a_call_are_no_call(ref, text):
    assert calls(run(ref, {"a": text}, PUB_2019)) == []


@pytest.mark.parametrize("text", [
    # a modal after the call noun phrase, its subject
    "گفت‌وگوی تلفنی اردوغان و پوتین ممکن است فردا انجام شود.",
    "مدودف گفت این تماس تلفنی با مرکل باید هرچه زودتر برقرار شود.",
    # a future or subjunctive verb after the call noun phrase, its subject
    "این نخستین تماس رئیس‌جمهور فرانسه با روحانی پس از برگزاری انتخابات ریاست جمهوری در ایران خواهد بود.",
    # preparations for a call, a request with a long genitive
    "کرملین گفت مقدمات گفتگوی تلفنی پوتین و بایدن فراهم می‌شود.",
    "وزارت خارجه اعلام کرد درخواست رئیس‌جمهور فرانسه امانوئل ماکرون برای گفتگوی تلفنی با روحانی بررسی شد.",
])
def test_a_call_governed_by_a_modal_or_a_request_is_no_call(ref, text):
    assert calls(run(ref, {"a": text}, PUB_2019)) == []


@pytest.mark.parametrize("text", [
    # قرار است across an apposition's commas
    "یک منبع آگاه گفت: قرار است ظریف، وزیر امور خارجه، فردا در تماسی تلفنی با لاوروف گفتگو کند.",
    # a subjunctive verb after a در-phrase
    "ظریف فردا در تماسی تلفنی با لاوروف درباره سوریه گفتگو کند تا آتش‌بس برقرار شود.",
])
def test_a_plan_across_an_apposition_or_in_a_subjunctive_is_no_call(ref, text):
    assert calls(run(ref, {"a": text}, PUB_2019)) == []


def test_a_nouns_suffix_is_no_subjunctive_verb(ref):
    # فعال‌سازی، سرمایه‌گذاری: -سازی and -گذاری spell second-person verbs, but are nouns here
    ex = run(ref, {"a": "ظریف شامگاه دوشنبه در گفتگوی تلفنی با لاوروف بر فعال‌سازی بازارچه‌ها و سرمایه‌گذاری "
                        "مشترک تاکید کرد."}, PUB_2019)
    assert calls(ex) == [["IR", "RU"]] and day(ex) == (dt.date(2019, 5, 13), "day")


def test_the_genitive_pair_is_the_call_not_the_clause_subject(ref):
    # "گفت‌وگوی تلفنی X و Y": X and Y spoke; the subject only welcomed it
    ex = run(ref, {"a": "پمپئو از گفتگوی تلفنی هفته گذشته لاوروف و چاووش‌اوغلو استقبال کرد."}, PUB_2019)
    assert calls(ex) == [["RU", "TR"]]
    # a date between the call noun and its genitive
    ex = run(ref, {"a": "پنتاگون متن گفتگوی تلفنی ۱۲ مارس ترامپ با اردوغان را منتشر کرد."}, PUB_2019)
    assert calls(ex) == [["TR", "US"]] and day(ex) == (dt.date(2019, 3, 12), "day")


def test_the_same_pair_in_another_month_is_another_call(ref):
    ex = run(ref, {"a": "ظریف امروز با لاوروف تلفنی گفتگو کرد. ظریف و لاوروف آخرین بار در نوامبر ۲۰۱۸ "
                        "با یکدیگر تلفنی گفتگو کرده بودند."}, PUB_2019)
    assert n_calls(ex, "a") == 2
    assert sorted(day(ex, "a", k) for k in range(2)) == [(dt.date(2018, 11, 1), "month"), (dt.date(2019, 5, 15), "day")]
    # a bare conversation word in another month (a meeting) makes no call of its own
    ex = run(ref, {"a": "ظریف امروز با لاوروف تلفنی گفتگو کرد. ظریف و لاوروف در نوامبر ۲۰۱۸ در مسکو گفتگو کرده بودند."},
             PUB_2019)
    assert n_calls(ex, "a") == 1


def test_an_adjective_that_spells_a_verb_does_not_end_the_date_phrase(ref):
    # شدید (severe) is no verb: "روز دوشنبه" still dates the call
    ex = run(ref, {"a": "پاشینیان روز دوشنبه پس از درگیری‌های شدید مرزی با پوتین تماس گرفت."}, PUB_2019)
    assert day(ex) == (dt.date(2019, 5, 13), "day")


def test_a_title_of_another_portfolio_is_not_the_single_minister_known(ref):
    # the gazetteer's one Russian "minister" (defence) is not the energy minister
    ex = run(ref, {"a": "زنگنه در تماس تلفنی با وزیر انرژی روسیه درباره بازار نفت گفتگو کرد."}, PUB_2019)
    assert calls(ex) == [["IR", "RU"]]
    assert parts(ex)["RU"]["official_id"] != "sergei-shoigu"


@pytest.mark.parametrize("text", [
    # a meeting in person, beside a claim about a call that is denied
    "ادعای برخی رسانه‌ها درباره گفتگوی تلفنی روحانی و ترامپ بی‌اساس است. "
    "ظریف روز سه‌شنبه در سفر به آنکارا با چاووش‌اوغلو دیدار و گفتگو کرد.",
    # a phone interview: the adverb after an interview noun
    "پمپئو در مصاحبه‌ای تلفنی با یک شبکه آمریکایی درباره ظریف و لاوروف سخن گفت.",
    # rust, not a ring: no به-object
    "به گفته ظریف، سیاست‌های پمپئو زنگ‌زده است و لاوروف هم این را می‌داند.",
    # news of the call, called false
    "سخنگوی دولت خبر تماس تلفنی روحانی با ترامپ را «دروغ محض» خواند.",
    "وزارت خارجه روسیه خبر گفتگوی تلفنی لاوروف و پمپئو را جعلی دانست.",
])
def test_meetings_interviews_and_denied_claims_are_no_call(ref, text):
    assert calls(run(ref, {"a": text}, PUB_2019)) == []


def test_a_call_told_beside_the_denial_of_another_stays(ref):
    text = ("سخنگو گفت هیچ تماسی میان ظریف و پمپئو برقرار نشده است. "
            "ظریف هفته گذشته در تماس تلفنی با پمپئو ادعای آمریکا را رد کرده بود.")
    assert calls(run(ref, {"a": text}, PUB_2019)) == [["IR", "US"]]


@pytest.mark.parametrize("text", [
    # a call the article denies, told elsewhere only as a claim
    "سخنگوی وزارت خارجه گفت هیچ تماسی میان ظریف و پمپئو برقرار نشده است. "
    "یک روزنامه آمریکایی مدعی شده بود ظریف و پمپئو هفته گذشته تلفنی گفتگو کرده‌اند.",
    # preparing the ground for a call
    "ماکرون تلاش کرد زمینه گفتگوی تلفنی روحانی و ترامپ را فراهم کند.",
])
def test_a_denied_claim_and_the_ground_for_a_call_are_no_call(ref, text):
    assert calls(run(ref, {"a": text}, PUB_2019)) == []


def test_a_headline_surname_is_the_person_the_body_names_in_full(ref):
    text = "گفتگوی تلفنی کری و ظریف\nجان کری امروز در کنگره گفت ایران به تعهداتش عمل کرده است."
    assert calls(run(ref, {"a": text}, dt.datetime(2016, 1, 13, 11, 0, tzinfo=TEHRAN))) == [["IR", "US"]]


def test_a_surname_after_a_courtesy_title_before_the_full_name_is_that_person(ref):
    # کری is also a word: "آقای کری" before "جان کری" is he
    ex = run(ref, {"a": "ظریف امروز با آقای کری تماس گرفت. جان کری پیش‌تر در کنگره سخنرانی کرده بود."},
             dt.datetime(2016, 1, 13, 11, 0, tzinfo=TEHRAN))
    assert calls(ex) == [["IR", "US"]]


def test_the_closed_word_sets_are_in_the_form_the_text_is_matched_in():
    # tokens come with آ as ا, ئ as ی and ZWNJ as a space: a word spelled otherwise never matches
    from transforms.extraction import officials, predicates, reports, topics
    from transforms.extraction.text import norm
    tokens = (predicates.DETERMINERS, predicates.DEMONSTRATIVES, predicates.ADJECTIVES, predicates.SEVERAL,
              predicates.AGREEING, reports.SKIP_AFTER, reports.TIME_NOUNS, reports.HONORIFIC_SKIP, officials.NAME_STOP,
              officials.INSTITUTION_HEADS, topics.SUBJECT_NOUNS)
    for words in tokens + (topics.CONTINUATION,):
        assert [w for w in words if norm(w) != w] == []
    # a set compared with single tokens holds no word of two
    assert [w for words in tokens for w in words if " " in w] == []


def test_the_two_sides_called_again_on_another_day_are_another_call(ref):
    text = "جان کری عصر سه‌شنبه با ظریف تماس گرفت. صبح چهارشنبه دو وزیر بار دیگر تلفنی با هم صحبت کردند."
    ex = run(ref, {"a": text}, dt.datetime(2016, 1, 14, 10, 0, tzinfo=TEHRAN))
    assert calls(ex) == [["IR", "US"], ["IR", "US"]]
    assert sorted(day(ex, seq=k)[0] for k in range(2)) == [dt.date(2016, 1, 12), dt.date(2016, 1, 13)]


def test_a_surname_after_the_full_name_is_that_person(ref):
    # کری is also a word, so the gazetteer lists no such short form; after "جان کری" it is he
    ex = run(ref, {"a": "جان کری دیروز با ظریف تماس گرفت. ظریف امروز در تماس تلفنی دیگری با کری "
                        "درباره ملوانان گفتگو کرد."}, dt.datetime(2016, 1, 13, 11, 0, tzinfo=TEHRAN))
    assert n_calls(ex, "a") == 2
    assert sorted(caller(ex, "a", k) for k in range(2)) == ["IR", "US"]


def test_a_weekday_is_not_the_capital_it_spells_and_an_organisation_by_its_short_name(ref):
    # دوشنبه: Monday, not Dushanbe; "دبیرکل اکو": the ECO, by its short name
    ex = run(ref, {"a": "رئیس مجلس شورای اسلامی شامگاه دوشنبه تماس تلفنی رئیس دومای روسیه را دریافت کرد.",
                   "b": "دبیرکل اکو امروز در تماس تلفنی با ظریف درباره ترانزیت گفتگو کرد."}, PUB_2019)
    assert calls(ex, "a") == [["IR", "RU"]] and day(ex, "a") == (dt.date(2019, 5, 13), "day")
    assert calls(ex, "b") == [["ECO", "IR"]]


def test_the_content_goes_on_after_the_agencys_attribution(ref):
    # "به گزارش X، در این تماس ..." continues the call; "به گزارش X، <another item>" does not
    ex = run(ref, {"a": "تماس تلفنی ظریف و لاوروف\nظریف امروز با لاوروف تماس تلفنی داشت.\n"
                        "به گزارش ایرنا، در این تماس طرفین درباره تحریم‌ها و شورای امنیت سازمان ملل گفتگو کردند.",
                   "b": "ظریف امروز با لاوروف تماس تلفنی داشت.\n"
                        "به گزارش ایرنا، قیمت نفت در بازارهای جهانی افزایش یافت."}, PUB_2019)
    assert topics(ex, "a") == {"nuclear_sanctions", "multilateral"}
    assert topics(ex, "b") == set()


def test_background_in_the_pluperfect_is_no_topic_of_the_call(ref):
    ex = run(ref, {"a": "ظریف امروز در تماس تلفنی با لاوروف درباره سوریه گفتگو کرد. "
                        "لاوروف ماه گذشته برای دیدار با ظریف به تهران سفر کرده بود."}, PUB_2019)
    assert topics(ex) == {"conflict_crisis"}


@pytest.mark.parametrize("after", [
    # a meeting in person before, told in the pluperfect after a quote of the call
    "لاوروف و ظریف ماه گذشته در مسکو دیدار و درباره همکاری‌های اقتصادی گفتگو کرده بودند.",
    # what the call did not discuss
    "به گفته وی، موضوع همکاری‌های اقتصادی در این تماس مطرح نشد.",
])
def test_what_the_call_did_not_cover_is_no_topic(ref, after):
    ex = run(ref, {"a": "ظریف امروز در تماس تلفنی با لاوروف درباره سوریه گفتگو کرد و گفت: آتش‌بس باید حفظ شود. "
                        + after}, PUB_2019)
    assert topics(ex) == {"conflict_crisis"}


def test_a_meeting_named_after_the_call_goes_on_about_itself(ref):
    text = ("ظریف امروز در تماس تلفنی با لاوروف درباره سوریه و نشست آستانه گفتگو کرد. "
            "این نشست قرار است درباره همکاری‌های اقتصادی تصمیم بگیرد.")
    assert topics(run(ref, {"a": text}, PUB_2019)) == {"conflict_crisis"}


def test_what_was_not_discussed_takes_only_its_own_clause(ref):
    text = "ظریف امروز در تماس تلفنی با لاوروف درباره سوریه و همکاری‌های اقتصادی گفتگو کرد و گفت موضوع برجام مطرح نشد."
    assert topics(run(ref, {"a": text}, PUB_2019)) == {"conflict_crisis", "trade_economy"}


def test_a_plan_in_a_relative_clause_does_not_govern_the_call(ref):
    ex = run(ref, {"a": "ظریف و چاووش‌اوغلو امروز در تماس تلفنی درباره نشستی که قرار است هفته آینده در آنکارا "
                        "برگزار شود، گفتگو کردند."}, PUB_2019)
    assert calls(ex) == [["IR", "TR"]]


def test_a_headline_gathering_separate_calls_is_those_calls(ref):
    ex = run(ref, {"a": "تماس سران روسیه و ترکیه با روحانی\n"
                        "پوتین و اردوغان امروز در تماس‌های تلفنی جداگانه با روحانی درباره سوریه گفتگو کردند."},
             PUB_2019)
    assert calls(ex) == [["IR", "RU"], ["IR", "TR"]]


# ------------------------------------------------------------------ officials as noun phrases

@pytest.mark.parametrize("text,expected", [
    # plural titles with their countries: one call between them
    ("گفتگوی تلفنی وزیران خارجه پاکستان و چین درباره افغانستان", [["CN", "PK"]]),
    ("تماس تلفنی رؤسای مجالس ایران و عراق", [["IQ", "IR"]]),
    ("تماس تلفنی وزرای امور خارجه ایران و قطر", [["IR", "QA"]]),
    # the complement after a filler word: "وزیر خارجه سلطان‌نشین عمان"
    ("وزیر خارجه سلطان‌نشین عمان در تماس تلفنی با ظریف درباره یمن گفتگو کرد.", [["IR", "OM"]]),
    # "این کشور": the country named just before
    ("بحران در اوکراین ادامه دارد. رئیس‌جمهور این کشور در تماس تلفنی با ظریف گفتگو کرد.", [["IR", "UA"]]),
    # counterparts by demonym, also with a possessive suffix
    ("ظریف در تماس تلفنی با همتای ترکیه‌ای خود درباره سوریه گفتگو کرد.", [["IR", "TR"]]),
    ("ظریف: امروز با همتای روسم درباره سوریه تلفنی گفتگو کردم.", [["IR", "RU"]]),
    # a title that needs no complement: the country its words name, its holders', its seat's
    ("پادشاه اردن تلفنی با رئیس تشکیلات خودگردان فلسطین گفتگو کرد.", [["JO", "PS"]]),
    ("پاپ در تماس تلفنی با رئیس‌جمهور آرژانتین درباره فقر گفتگو کرد.", [["AR", "VA"]]),
    ("مشاور امنیت ملی کاخ سفید با همتای اسرائیلی خود تلفنی گفتگو کرد.", [["IL", "US"]]),
    ("سخنگوی کرملین تلفنی با وزیر خارجه ترکیه گفتگو کرد.", [["RU", "TR"]]),
])
def test_officials_as_noun_phrases(ref, text, expected):
    assert calls(run(ref, {"a": text}, PUB_2019)) == expected


def test_a_title_told_short_is_the_one_holder_of_the_full_title(ref):
    # two Lebanese party leaders in 2019: only one leads Hezbollah
    ex = run(ref, {"a": "فرمانده نیروی قدس در تماس تلفنی با دبیرکل حزب‌الله درباره سوریه گفتگو کرد."}, PUB_2019)
    assert {p["official_id"] for p in parts(ex).values()} == {"qasem-soleimani", "hassan-nasrallah"}


def test_a_list_after_ba_with_no_one_before_it_is_no_call_among_its_members(ref):
    headline = "رایزنی تلفنی با وزرای خارجه قطر و عمان درباره یمن"
    assert calls(run(ref, {"a": headline}, PUB_2019)) == []
    text = headline + "\nوزیر امور خارجه کشورمان امروز در تماس‌های تلفنی جداگانه با همتایان قطری و عمانی خود گفتگو کرد."
    assert calls(run(ref, {"a": text}, PUB_2019)) == [["IR", "OM"], ["IR", "QA"]]


def test_counterparts_listed_by_country_are_separate_calls(ref):
    ex = run(ref, {"a": "ظریف در تماس‌های تلفنی متعدد با همتایان خود در کشورهای قطر، عمان و کویت درباره یمن گفتگو کرد."},
             PUB_2019)
    assert calls(ex) == [["IR", "KW"], ["IR", "OM"], ["IR", "QA"]]
    ex = run(ref, {"a": "عراقچی امروز طی تماس‌های جداگانه با همتایان خود در بحرین و کویت درباره لبنان رایزنی کرد."},
             PUB_2026)
    assert calls(ex) == [["BH", "IR"], ["IR", "KW"]]


def test_a_bare_title_is_the_iranian_office_unless_the_other_side_is_iran(ref):
    ex = run(ref, {"a": "رئیس مجلس در تماس تلفنی با همتای لبنانی درباره آتش‌بس گفتگو کرد.",
                   "b": "وزیر امور خارجه در تماس تلفنی با دبیرکل سازمان ملل متحد درباره یمن گفتگو کرد."}, PUB_2019)
    assert calls(ex, "a") == [["IR", "LB"]]
    assert calls(ex, "b") == [["IR", "UN"]]
    assert parts(ex, "b")["IR"]["official_id"] == "mohammad-javad-zarif"


def test_a_bare_title_of_an_office_iran_lacks_takes_the_country_of_the_article(ref):
    text = "رسانه‌های اسرائیل گزارش دادند: در تماس تلفنی با رئیس‌جمهور آمریکا، نخست‌وزیر بر حق دفاع تاکید کرد."
    assert calls(run(ref, {"a": text}, PUB_2026)) == [["IL", "US"]]


def test_a_name_next_to_a_title_is_an_official_the_gazetteer_lacks(ref):
    ex = run(ref, {"a": "«پیتر اندرسون» وزیر امور خارجه نیوزیلند در تماس تلفنی با ظریف گفتگو کرد."}, PUB_2019)
    p = parts(ex)
    assert set(p) == {"NZ", "IR"}
    nz = ex.officials.filter(pl.col("official_id") == p["NZ"]["official_id"])
    assert nz["name_fa"].to_list() == ["پیتر اندرسون"]


def test_a_surname_inside_another_quoted_name_is_not_the_gazetteer_person(ref):
    ex = run(ref, {"a": "تماس تلفنی «جیمز کری» فرمانده ارتش آمریکا و «یوسی کوهن» رئیس ستاد ارتش اسرائیل"}, PUB_2026)
    p = parts(ex)
    assert set(p) == {"US", "IL"}
    assert p["US"]["official_id"] != "john-kerry"


def test_two_titles_of_one_person_are_one_participant(ref):
    ex = run(ref, {"a": "ظریف در تماس تلفنی با رابرت براون معاون نخست‌وزیر و وزیر امور خارجه استرالیا گفتگو کرد."},
             PUB_2019)
    assert calls(ex) == [["AU", "IR"]]


def test_a_counterpart_is_of_the_office_held_longest_not_an_added_post(ref):
    # Rubio, foreign minister from January 2025, national security adviser too from May;
    # Ishaq Dar, foreign minister from March 2024, deputy prime minister too from April.
    pub = dt.datetime(2025, 7, 9, 11, 0, tzinfo=dt.timezone.utc)
    ex = run(ref, {"a": "روبیو در تماس تلفنی با همتای سعودی خود درباره غزه گفت‌وگو کرد.",
                   "b": "اسحاق دار در تماس تلفنی با همتای ترکیه‌ای خود درباره افغانستان گفت‌وگو کرد."}, pub)
    assert parts(ex, "a")["SA"]["official_id"] == "faisal-bin-farhan"
    assert parts(ex, "b")["TR"]["official_id"] == "hakan-fidan"


def test_a_surname_of_someone_in_no_office_for_years_is_not_that_official(ref):
    # "هریس" in 2019 is a town in Azerbaijan province, not Kamala Harris (in office 2021-2025)
    text = ("روحانی در تماس تلفنی با وزیر کشور از وضعیت زلزله‌زدگان اهر و هریس آگاه شد. "
            "رئیس‌جمهور همچنین با استاندار آذربایجان شرقی تلفنی گفتگو کرد.")
    assert calls(run(ref, {"a": text}, PUB_2019)) == []
    assert calls(run(ref, {"a": "ظریف در تماس تلفنی با هریس درباره برجام گفتگو کرد."},
                     dt.datetime(2023, 5, 15, 11, 0, tzinfo=TEHRAN))) == [["IR", "US"]]


def test_a_bare_title_is_not_someone_who_had_left_that_office(ref):
    # Lahoud's term ended on 2007-11-23; "رئیس‌جمهور" three days later is Iran's, and a
    # call with Iran's speaker is domestic
    text = ("احمدی‌نژاد درباره لبنان پس از پایان دوره ریاست جمهوری امیل لحود سخن گفت. "
            "رئیس جمهور همچنین امروز در تماس تلفنی با غلامعلی حدادعادل رئیس مجلس درباره بودجه گفتگو کرد.")
    assert calls(run(ref, {"a": text}, dt.datetime(2007, 11, 26, 18, 0, tzinfo=TEHRAN))) == []


def test_an_office_is_not_its_holder(ref):
    ex = run(ref, {"a": "دفتر نخست‌وزیر پاکستان اعلام کرد که عمران خان تلفنی با ظریف گفتگو کرده است."}, PUB_2019)
    assert calls(ex) == [["IR", "PK"]]


def test_the_title_stored_is_the_one_the_article_gives(ref):
    ex = run(ref, {"a": "لاوروف، وزیر امور خارجه روسیه در تماس تلفنی با ظریف گفتگو کرد.",
                   "b": "لاوروف در تماس تلفنی با ظریف گفتگو کرد."}, PUB_2019)
    assert parts(ex, "a")["RU"]["title_fa"] == "وزیر امور خارجه روسیه"
    assert parts(ex, "b")["RU"]["title_fa"] is None


def test_a_title_given_in_another_sentence_is_the_participants(ref):
    ex = run(ref, {"a": "وزیر امور خارجه روسیه بر گسترش روابط تاکید کرد. "
                        "لاوروف در تماس تلفنی با ظریف درباره سوریه گفتگو کرد."}, PUB_2019)
    assert parts(ex, "a")["RU"]["title_fa"] == "وزیر امور خارجه روسیه"
    # a title of another office is not his
    ex = run(ref, {"a": "وزیر دفاع روسیه بر گسترش روابط تاکید کرد. "
                        "لاوروف در تماس تلفنی با ظریف درباره سوریه گفتگو کرد."}, PUB_2019)
    assert parts(ex, "a")["RU"]["title_fa"] is None


# ------------------------------------------------------------------ one call or several

@pytest.mark.parametrize("text,expected", [
    # counterparts listed one by one: separate bilateral calls
    ("ظریف در تماس تلفنی با وزیران خارجه قطر و عمان درباره یمن گفتگو کرد.", [["IR", "OM"], ["IR", "QA"]]),
    ("ظریف در تماس‌های تلفنی جداگانه با لاوروف و وانگ یی گفتگو کرد.", [["CN", "IR"], ["IR", "RU"]]),
    ("چاووش‌اوغلو و لاوروف در تماس‌های تلفنی جداگانه با ظریف درباره سوریه گفتگو کردند.", [["IR", "RU"], ["IR", "TR"]]),
    # a group counterpart or "one call": one call of all of them
    ("ترامپ با رهبران قطر، عربستان و امارات تلفنی صحبت کرد.", [["AE", "QA", "SA", "US"]]),
    ("ظریف در یک تماس تلفنی مشترک با لاوروف و وانگ یی گفتگو کرد.", [["CN", "IR", "RU"]]),
])
def test_one_call_or_several(ref, text, expected):
    assert calls(run(ref, {"a": text}, PUB_2019 if "ترامپ" not in text else PUB_2026)) == expected


def test_reports_of_one_call_in_an_article_make_one_call(ref):
    text = ("تماس تلفنی وزرای خارجه ایران و روسیه\n"
            "محمدجواد ظریف امروز در تماس تلفنی با سرگئی لاوروف درباره سوریه گفتگو کرد.\n"
            "دو طرف در این تماس بر ادامه همکاری‌های اقتصادی تاکید کردند.")
    ex = run(ref, {"a": text}, PUB_2019)
    assert calls(ex) == [["IR", "RU"]]
    assert {"conflict_crisis", "trade_economy"} <= topics(ex)


def test_a_call_noun_after_a_demonstrative_refers_back(ref):
    # the second sentence lists the three callers "in these calls": no call among them
    text = ("لاوروف، چاووش‌اوغلو و وانگ یی امروز در تماس‌های تلفنی جداگانه با ظریف درباره یمن گفتگو کردند.\n"
            "سرگئی لاوروف، مولود چاووش‌اوغلو و وانگ یی در این تماس‌های تلفنی بر آتش‌بس تاکید کردند.")
    ex = run(ref, {"a": text}, PUB_2019)
    assert calls(ex) == [["CN", "IR"], ["IR", "RU"], ["IR", "TR"]]
    # the same words without the demonstrative report a call of their own
    text = "لاوروف، چاووش‌اوغلو و وانگ یی امروز در تماس تلفنی مشترک درباره یمن گفتگو کردند."
    assert calls(run(ref, {"a": text}, PUB_2019)) == [["CN", "RU", "TR"]]


def test_the_same_people_on_two_days_are_two_calls(ref):
    text = "ظریف و لاوروف دیشب تماس تلفنی داشتند. آن‌ها روز یکشنبه نیز تلفنی گفتگو کرده بودند."
    ex = run(ref, {"a": text}, PUB_2019)
    assert calls(ex) == [["IR", "RU"], ["IR", "RU"]]
    assert sorted(day(ex, "a", k)[0] for k in range(2)) == [dt.date(2019, 5, 12), dt.date(2019, 5, 14)]


def test_a_phone_report_naming_one_side_takes_the_other_from_the_headline(ref):
    ex = run(ref, {"a": "گفتگوی تلفنی ظریف و لاوروف\nوزیر خارجه روسیه در این تماس تلفنی بر ادامه همکاری تاکید کرد."},
             PUB_2019)
    assert calls(ex) == [["IR", "RU"]]


# ------------------------------------------------------------------ dates

@pytest.mark.parametrize("text,expected,precision", [
    ("ظریف امروز در تماس تلفنی با لاوروف گفتگو کرد.", dt.date(2019, 5, 15), "day"),
    ("ظریف دیشب در تماس تلفنی با لاوروف گفتگو کرد.", dt.date(2019, 5, 14), "day"),
    ("ظریف روز دوشنبه در تماس تلفنی با لاوروف گفتگو کرد.", dt.date(2019, 5, 13), "day"),
    ("ظریف چهارشنبه گذشته در تماس تلفنی با لاوروف گفتگو کرد.", dt.date(2019, 5, 8), "day"),
    ("ظریف روز ۲۰ اردیبهشت ۱۳۹۸ در تماس تلفنی با لاوروف گفتگو کرد.", dt.date(2019, 5, 10), "day"),
    # the call's own date, not the date of what it discussed
    ("ظریف روز دوشنبه در تماس تلفنی با لاوروف درباره توافق ۲۳ تیر ۱۳۹۴ گفتگو کرد.", dt.date(2019, 5, 13), "day"),
    ("ظریف در تماس تلفنی با لاوروف درباره حمله مورخ ۱۰ اردیبهشت گفتگو کرد.", dt.date(2019, 5, 15), "day"),
    # a date right after the call noun is the call's, not the day its text was released
    ("وزارت خارجه امروز جزئیات گفت‌وگوی تلفنی روز دوشنبه ظریف و لاوروف را منتشر کرد.", dt.date(2019, 5, 13), "day"),
    ("کرملین دیروز متن تماس تلفنی ۱۰ مه پوتین با ماکرون را منتشر کرد.", dt.date(2019, 5, 10), "day"),
    # fresh news with no cue: the publication day
    ("ظریف در تماس تلفنی با لاوروف گفتگو کرد.", dt.date(2019, 5, 15), "day"),
    # a count of days back; from the day the clause says the words were said
    ("ظریف گفت سه روز پیش با لاوروف تلفنی گفتگو کرده است.", dt.date(2019, 5, 12), "day"),
    ("ظریف در نشست خبری روز دوشنبه از گفت‌وگوی تلفنی دو روز پیش خود با لاوروف خبر داد.", dt.date(2019, 5, 11), "day"),
    ("ظریف روز دوشنبه گفت: دیروز با لاوروف تلفنی گفتگو کردم.", dt.date(2019, 5, 12), "day"),
    ("ظریف شامگاه گذشته در تماس تلفنی با لاوروف گفتگو کرد.", dt.date(2019, 5, 14), "day"),
    # a circumstance inserted between the date and the call has a verb of its own
    ("ظریف عصر دوشنبه در حالی که در راه فرودگاه بود با لاوروف تلفنی گفتگو کرد.", dt.date(2019, 5, 13), "day"),
    # a date in the clause that is not the day the words were said
    ("در پی حمله روز جمعه، ظریف دیروز با لاوروف تلفنی گفت‌وگو کرد.", dt.date(2019, 5, 14), "day"),
    ("ظریف که روز دوشنبه به مسکو رفته بود، دیروز با لاوروف تلفنی گفت‌وگو کرد.", dt.date(2019, 5, 14), "day"),
    ("ظریف دیروز گفت دو روز پیش با لاوروف تلفنی گفتگو کرده است.", dt.date(2019, 5, 12), "day"),
    # "اخیر" of another noun is no earlier call
    ("ظریف در گفتگوی تلفنی با لاوروف درباره تحولات اخیر سوریه گفتگو کرد.", dt.date(2019, 5, 15), "day"),
    # earlier news: the month only
    ("ظریف در تماس تلفنی اخیر خود با لاوروف از طرح روسیه حمایت کرده بود.", dt.date(2019, 5, 1), "month"),
])
def test_dates(ref, text, expected, precision):
    assert day(run(ref, {"a": text}, PUB_2019)) == (expected, precision)


@pytest.mark.parametrize("second,expected", [
    ("وزیر خارجه ترکیه نیز همان روز با لاوروف تلفنی گفت‌وگو کرد.", dt.date(2019, 5, 13)),
    ("روز بعد، وزیر خارجه ترکیه با لاوروف تلفنی گفت‌وگو کرد.", dt.date(2019, 5, 14)),
    ("در همین روز وزیر خارجه ترکیه هم با لاوروف تلفنی گفت‌وگو کرد.", dt.date(2019, 5, 13)),
    ("وزیر خارجه ترکیه ساعاتی بعد با لاوروف تلفنی گفت‌وگو کرد.", dt.date(2019, 5, 13)),
    ("فردای آن روز وزیر خارجه ترکیه با لاوروف تلفنی گفت‌وگو کرد.", dt.date(2019, 5, 14)),
    # hours after another event
    ("وزیر خارجه ترکیه ساعاتی بعد از انتشار گزارش آژانس با لاوروف تلفنی گفت‌وگو کرد.", dt.date(2019, 5, 15)),
    # "these days" is no day
    ("در همین روزها وزیر خارجه ترکیه با لاوروف تلفنی گفت‌وگو کرد.", dt.date(2019, 5, 15)),
    # no cue: the publication day, not the call before
    ("وزیر خارجه ترکیه با لاوروف تلفنی گفت‌وگو کرد.", dt.date(2019, 5, 15)),
])
def test_a_call_dated_by_the_call_before_it(ref, second, expected):
    ex = run(ref, {"a": "ظریف روز دوشنبه در تماس تلفنی با لاوروف درباره سوریه گفت‌وگو کرد. " + second}, PUB_2019)
    assert calls(ex) == [["IR", "RU"], ["RU", "TR"]]
    assert day(ex, seq=0) == (dt.date(2019, 5, 13), "day") and day(ex, seq=1) == (expected, "day")


def test_after_midnight_a_fresh_report_gives_the_month_only(ref):
    ex = run(ref, {"a": "ظریف دقایقی پیش در تماس تلفنی با لاوروف گفتگو کرد."},
             dt.datetime(2019, 5, 15, 1, 30, tzinfo=TEHRAN))
    assert day(ex) == (dt.date(2019, 5, 1), "month")


# ------------------------------------------------------------------ topics

@pytest.mark.parametrize("text,present,absent", [
    # word families: inflected, glued and ZWNJ forms
    ("ظریف در تماس تلفنی با لاوروف درباره همکاری‌های اقتصادی و تجاری گفتگو کرد.", {"trade_economy"}, set()),
    ("ظریف در تماس تلفنی با لاوروف درباره تحریم‌ها و برنامه هسته‌ای گفتگو کرد.", {"nuclear_sanctions"}, set()),
    ("ظریف در تماس تلفنی با لاوروف درباره امنیت کشتی‌رانی در خلیج فارس گفتگو کرد.", {"transport_transit"}, set()),
    ("ظریف در تماس تلفنی با لاوروف درباره نیرو‌های مسلح دو کشور گفتگو کرد.", {"security_defense"}, set()),
    ("ظریف در تماس تلفنی با لاوروف عید فطر را تبریک گفت.", {"greetings_condolences"}, set()),
    ("ظریف در تماس تلفنی با لاوروف از وی برای سفر به تهران دعوت کرد.", {"visits_invitations"}, set()),
    ("ظریف در تماس تلفنی با لاوروف درباره آتش‌بس در یمن گفتگو کرد.", {"conflict_crisis"}, set()),
    ("ظریف در تماس تلفنی با لاوروف درباره زلزله و کمک‌های بشردوستانه گفتگو کرد.", {"humanitarian_disaster"}, set()),
    # boilerplate names no topic
    ("ظریف در تماس تلفنی با لاوروف بر حفظ امنیت و ثبات منطقه تاکید کرد.", set(), {"security_defense"}),
    # the verb "agreed" is not the agreements topic; implementing agreements is
    ("ظریف و لاوروف در تماس تلفنی توافق کردند که رایزنی‌ها ادامه یابد.", set(), {"agreements"}),
    ("ظریف در تماس تلفنی با لاوروف بر اجرای توافقات دو کشور تاکید کرد.", {"agreements"}, set()),
    ("ظریف در تماس تلفنی با لاوروف از امضای موافقت‌نامه حمل و نقل هوایی استقبال کرد.", {"agreements"}, set()),
    ("ظریف در تماس تلفنی با لاوروف بر اجرای موافقتنامه‌های دو کشور تاکید کرد.", {"agreements"}, set()),
    # an agreement between two other countries is not the parties' agreement
    ("ظریف در تماس تلفنی با لاوروف از توافق میان ترکیه و آمریکا استقبال کرد.", set(), {"agreements"}),
    # a party to the call is not its topic; a title is not content
    ("ظریف در تماس تلفنی با دبیرکل سازمان ملل متحد درباره سفر به نیویورک گفتگو کرد.", set(), {"multilateral"}),
    ("وزیر دفاع روسیه در تماس تلفنی با ظریف درباره گردشگری گفتگو کرد.", {"culture_science"}, {"security_defense"}),
    # a country that takes no part in the call as its subject
    ("لاوروف و چاووش‌اوغلو در تماس تلفنی درباره تحولات سوریه گفتگو کردند.", {"conflict_crisis"}, set()),
    # a military word as the adjective of a war word names the war, not defence cooperation
    ("ظریف در تماس تلفنی با لاوروف درباره درگیری‌های نظامی در مرز دو کشور همسایه گفتگو کرد.",
     {"conflict_crisis"}, {"security_defense"}),
    ("ظریف در تماس تلفنی با لاوروف هر گونه حمله نظامی به تاسیسات غیرنظامی را محکوم کرد.",
     {"conflict_crisis"}, {"security_defense"}),
    ("ظریف در تماس تلفنی با لاوروف درباره همکاری‌های نظامی دو کشور گفتگو کرد.", {"security_defense"}, set()),
    # a month's name in the date is no topic word, however it splits ("آبان" = آب + ان)
    ("ظریف روز ۱۲ آبان در تماس تلفنی با لاوروف درباره زندانیان گفتگو کرد.", {"consular_prisoners"}, {"water_environment"}),
    ("ظریف در تماس تلفنی با لاوروف درباره حقابه و منابع آب گفتگو کرد.", {"water_environment"}, set()),
    # waters as a sea's: territorial or international waters are no water topic
    ("ظریف در تماس تلفنی با لاوروف درباره ورود ناوها به آب‌های سرزمینی ایران گفتگو کرد.", set(), {"water_environment"}),
    # civilians are no military topic
    ("ظریف در تماس تلفنی با لاوروف کشته شدن غیرنظامیان را محکوم کرد.", set(), {"security_defense"}),
])
def test_topic_word_families(ref, text, present, absent):
    got = topics(run(ref, {"a": text}, PUB_2019))
    assert present <= got
    assert not (absent & got)


def test_topics_come_from_sentences_that_continue_the_call(ref):
    text = ("ظریف امروز در تماس تلفنی با لاوروف درباره سوریه گفتگو کرد.\n"
            "طرفین همچنین بر گسترش همکاری‌های اقتصادی تاکید کردند.\n"
            "وی در ادامه از لاوروف برای سفر به تهران دعوت کرد.\n"
            "#خبر_دیگر قیمت نفت در بازارهای جهانی کاهش یافت.")
    got = topics(run(ref, {"a": text}, PUB_2019))
    assert {"conflict_crisis", "trade_economy", "visits_invitations"} <= got
    assert "energy" not in got


@pytest.mark.parametrize("text,expected", [
    # the speaker goes on in the first person, past tense: what was said in the call
    ("ظریف: امشب با لاوروف تلفنی صحبت کردم. درباره آتش‌بس در سوریه حرف زدیم.", {"conflict_crisis"}),
    ("لاوروف گفت: با ظریف تماس تلفنی داشتم. به او گفتم تحریم‌ها غیرقانونی است.", {"nuclear_sanctions"}),
    # what the speaker will do is not what was said
    ("ظریف: امشب با لاوروف تلفنی صحبت کردم. هفته آینده درباره تحریم‌ها مذاکره می‌کنم.", set()),
    # a sentence in the third person after a first-person report is not the speaker's
    ("ظریف: امشب با لاوروف تلفنی صحبت کردم. تحریم‌ها بر اقتصاد اروپا اثر گذاشته است.", set()),
    # the call as a phrase, the speaker in the sentence's own verb
    ("ظریف: در تماس تلفنی با لاوروف، بر ادامه گفتگوها توافق کردیم. آتش‌بس در سوریه را خواستار شدم.",
     {"conflict_crisis"}),
    ("ظریف: در تماس تلفنی با لاوروف، بر ادامه گفتگوها توافق کردیم. قیمت نفت امروز کاهش یافت.", set()),
])
def test_a_call_told_in_the_first_person_goes_on_in_the_first_person(ref, text, expected):
    assert topics(run(ref, {"a": text}, PUB_2019)) == expected


@pytest.mark.parametrize("anaphor", ["هر سه وزیر", "سه وزیر", "این وزیران"])
def test_the_parties_referred_to_by_their_number_continue_the_call(ref, anaphor):
    text = (f"ظریف امروز با وزیران خارجه ترکیه و قطر تلفنی گفتگو کرد. {anaphor} بر توقف حملات به غزه تاکید کردند."
            " قیمت نفت در بازارهای جهانی کاهش یافت.")
    got = topics(run(ref, {"a": text}, PUB_2019))
    assert "conflict_crisis" in got and "energy" not in got


@pytest.mark.parametrize("anaphor", ["در این ویدئوکنفرانس", "در این ویدیو کنفرانس"])
def test_a_video_conference_goes_on_under_its_own_name(ref, anaphor):
    text = (f"رئیس‌جمهور روسیه امروز در ویدئوکنفرانسی با رئیس‌جمهور ترکیه گفتگو کرد. {anaphor} بر توقف حملات به غزه"
            " تاکید شد. قیمت نفت در بازارهای جهانی کاهش یافت.")
    got = topics(run(ref, {"a": text}, PUB_2019))
    assert "conflict_crisis" in got and "energy" not in got


def test_a_labelled_item_ends_the_call_content(ref):
    text = ("ظریف در تماس تلفنی با لاوروف: همکاری دو کشور ادامه دارد.\n"
            "بورس تهران: شاخص کل امروز افزایش یافت.\n"
            "قیمت نفت در بازارهای جهانی کاهش یافت.")
    assert "energy" not in topics(run(ref, {"a": text}, PUB_2019))


def test_every_topic_keeps_its_evidence_sentence(ref):
    text = "ظریف امروز در تماس تلفنی با لاوروف درباره سوریه گفتگو کرد.\nدو طرف بر گسترش تجارت تاکید کردند."
    ex = run(ref, {"a": text}, PUB_2019)
    ev = {r["topic_code"]: r["evidence"] for r in ex.topics.iter_rows(named=True)}
    assert ev["trade_economy"] == "دو طرف بر گسترش تجارت تاکید کردند."


def test_an_agency_after_be_neveshte_is_a_source_not_a_name(ref):
    text = "به نوشته تاس، رئیس‌جمهور روسیه با رئیس‌جمهور ترکیه تماس گرفت."
    ex = run(ref, {"a": text}, PUB_2019)
    assert {p["official_id"] for p in parts(ex).values()} == {"vladimir-putin", "recep-tayyip-erdogan"}


def test_a_source_is_not_a_participant(ref):
    text = "به گفته یک مقام روسی، ظریف هفته گذشته در تماس تلفنی با لاوروف از طرح صلح حمایت کرد."
    ex = run(ref, {"a": text}, PUB_2019)
    assert calls(ex) == [["IR", "RU"]]
    assert caller(ex) == "IR"


@pytest.mark.parametrize("text,country", [
    # whose adviser or envoy: a leader's name or title after the envoy's title
    ("ظریف امروز با مشاور ارشد مرکل درباره برجام تلفنی گفتگو کرد.", "DE"),
    ("ظریف امروز با مشاور ارشد امور بین‌الملل نخست‌وزیر ژاپن تلفنی گفتگو کرد.", "JP"),
    ("فرستاده ویژه رئیس‌جمهور پوتین امروز با ظریف تلفنی گفتگو کرد.", "RU"),
])
def test_an_envoy_is_of_the_country_of_whose_envoy_he_is_not_that_leader(ref, text, country):
    ex = run(ref, {"a": text}, PUB_2019)
    p = parts(ex)
    assert set(p) == {"IR", country}
    assert p[country]["official_id"] not in {"angela-merkel", "shinzo-abe", "vladimir-putin"}


def test_an_envoys_title_before_his_own_name_is_his(ref):
    ex = run(ref, {"a": "ظریف با سخنگوی کرملین دیمیتری پسکوف تلفنی گفتگو کرد."}, PUB_2019)
    assert {p["official_id"] for p in parts(ex).values()} == {"mohammad-javad-zarif", "dmitry-peskov"}


@pytest.mark.parametrize("text", [
    # a bare counterpart, or one of regard, with the name in apposition after it
    "ظریف نوشت: «امروز با دوست و همتای عزیزم، سرگئی لاوروف، تماس گرفتم.»",
    "ظریف نوشت: امروز با همتای گرامی، آقای لاوروف، تلفنی گفتگو کردم.",
    "ظریف امروز با همتای خود، سرگئی لاوروف، تلفنی گفتگو کرد.",
])
def test_a_counterpart_is_the_person_named_in_apposition_after_it(ref, text):
    ex = run(ref, {"a": text}, PUB_2019)
    assert {p["official_id"] for p in parts(ex).values()} == {"mohammad-javad-zarif", "sergey-lavrov"}


def test_a_counterpart_in_apposition_is_the_person_before_it(ref):
    ex = run(ref, {"a": "ولادیمیر پوتین، رئیس‌جمهور روسیه و رجب طیب اردوغان، همتای ترکیه‌ای‌اش، تلفنی گفتگو کردند."},
             PUB_2019)
    assert calls(ex) == [["RU", "TR"]]


def test_several_calls_by_number_with_no_one_named_are_no_call(ref):
    # the number takes a singular noun; the minister met someone else before them
    text = ("ظریف دیروز در ژنو با لاوروف دیدار کرد. یک منبع آگاه گفت: وزیر امور خارجه در طول شب"
            " چند تماس تلفنی دیگر هم داشته است.")
    assert n_calls(run(ref, {"a": text}, PUB_2019)) == 0


@pytest.mark.parametrize("text", [
    "ظریف در گفتگوی تلفنی که عصر امروز با لاوروف داشت، از مواضع روسیه درباره برجام قدردانی کرد.",
    "ظریف گفت: در تماسی که دیروز با آقای لاوروف داشتم، درباره سوریه صحبت کردیم.",
    "ظریف در گفتگوی تلفنی که با لاوروف درباره تحولات سوریه انجام داد، بر آتش‌بس تاکید کرد.",
])
def test_the_other_side_in_a_relative_clause_that_has_the_call(ref, text):
    assert calls(run(ref, {"a": text}, PUB_2019)) == [["IR", "RU"]]


def test_repeated_calls_with_unnamed_allies_are_no_call(ref):
    text = ("پوتین از وضعیت سوریه ناامید است.\n"
            "این موضوع به تماس‌های تلفنی پرتنش با متحدانش منجر شده است.")
    assert n_calls(run(ref, {"a": text}, PUB_2019)) == 0


def test_a_time_phrase_between_the_call_and_its_object(ref):
    ex = run(ref, {"a": "ظریف طی دومین تماس تلفنی در ۲۴ ساعت گذشته با لاوروف درباره سوریه گفتگو کرد."}, PUB_2019)
    assert calls(ex) == [["IR", "RU"]]
    assert caller(ex) == "IR"


def test_a_title_only_report_and_a_named_one_agree_on_the_caller(ref):
    text = "گفتگوی تلفنی وزیران خارجه ایران و روسیه\nظریف طی تماسی با وزیر خارجه روسیه درباره سوریه رایزنی کرد."
    ex = run(ref, {"a": text}, PUB_2019)
    assert calls(ex) == [["IR", "RU"]]
    assert caller(ex) == "IR"


def test_the_object_of_the_clause_verb_is_the_other_side(ref):
    ex = run(ref, {"a": "لاوروف، ظریف را در تماس تلفنی از تصمیم مسکو مطلع کرد."}, PUB_2019)
    assert calls(ex) == [["IR", "RU"]]


def test_a_headline_whose_call_the_body_says_is_only_planned_is_no_call(ref):
    text = "تماس تلفنی ظریف با لاوروف\nظریف امروز با لاوروف تلفنی گفتگو خواهد کرد."
    assert n_calls(run(ref, {"a": text}, PUB_2019)) == 0


def test_officials_named_as_a_group_of_a_country(ref):
    ex = run(ref, {"a": "ظریف در تماس تلفنی با مقامات روسیه درباره سوریه گفتگو کرد."}, PUB_2019)
    assert calls(ex) == [["IR", "RU"]]


def test_at_the_request_of_a_country_or_its_office(ref):
    ex = run(ref, {"a": "روحانی به درخواست کاخ سفید با اوباما تلفنی گفتگو کرد.",
                   "b": "ظریف به درخواست طرف عمانی با یوسف بن علوی تلفنی گفتگو کرد."},
             dt.datetime(2015, 5, 20, 11, 0, tzinfo=TEHRAN))
    assert caller(ex, "a") == "US"
    assert caller(ex, "b") == "OM"


def test_repeated_talks_are_habitual(ref):
    assert n_calls(run(ref, {"a": "ظریف: من و لاوروف در ماه‌های گذشته بارها تلفنی صحبت کرده‌ایم."}, PUB_2019)) == 0


def test_a_possible_call_is_no_call(ref):
    text = "گمانه‌زنی‌ها درباره احتمال دیدار یا دست‌کم گفت‌وگوی تلفنی ظریف با لاوروف بالا گرفته است."
    assert n_calls(run(ref, {"a": text}, PUB_2019)) == 0


def test_a_conference_call_is_one_call_and_its_headline_too(ref):
    text = ("کنفرانس تلفنی ظریف با موگرینی و وزرای خارجه اروپایی\n"
            "ظریف امروز در یک کنفرانس تلفنی با موگرینی و وزرای امور خارجه فرانسه و آلمان درباره برجام گفتگو کرد.")
    ex = run(ref, {"a": text}, dt.datetime(2018, 6, 25, 11, 0, tzinfo=TEHRAN))
    assert calls(ex) == [["DE", "EU", "FR", "IR"]]


def test_two_principal_offices_of_one_country_are_two_people(ref):
    text = "امیر قطر، رئیس‌جمهور و نخست‌وزیر عراق در تماس‌های تلفنی جداگانه با حجت‌الاسلام والمسلمین سید ابراهیم رئیسی گفتگو کردند."
    ex = run(ref, {"a": text}, dt.datetime(2021, 6, 20, 12, 0, tzinfo=TEHRAN))
    assert calls(ex) == [["IQ", "IR"], ["IQ", "IR"], ["IR", "QA"]]


def test_a_dateline_is_not_a_name(ref):
    text = "تهران- ایرنا- وزیر امور خارجه انگلیس امروز با منوچهر متکی تماس تلفنی گرفت."
    ex = run(ref, {"a": text}, dt.datetime(2007, 3, 30, 11, 0, tzinfo=TEHRAN))
    p = parts(ex)
    assert set(p) == {"GB", "IR"} and caller(ex) == "GB"
    assert not p["GB"]["official_id"].startswith("x-")


def test_a_day_without_year_takes_the_year_of_the_participants_terms(ref):
    text = "سعید جلیلی روز سه‌شنبه ۱۳ آذرماه در گفت‌وگویی تلفنی با خاویر سولانا درباره مذاکرات رایزنی کرد."
    ex = run(ref, {"a": text}, None)
    assert day(ex) == (dt.date(2007, 12, 4), "day")


def test_a_date_before_an_arabic_comma(ref):
    ex = run(ref, {"a": "ظریف و لاوروف روز دوشنبه، پس از دیدار در مسکو، تلفنی گفتگو کردند.",
                   "b": "ظریف و لاوروف ۱۰ اردیبهشت، یک روز پیش از نشست، تلفنی گفتگو کرده بودند."}, PUB_2019)
    assert day(ex, "a") == (dt.date(2019, 5, 13), "day")
    assert day(ex, "b") == (dt.date(2019, 4, 30), "day")


def test_the_presidency_is_not_the_president(ref):
    text = "پوتین یک روز پس از مراسم تنفیذ حکم ریاست‌جمهوری در تماس تلفنی با روحانی گفتگو کرد."
    assert calls(run(ref, {"a": text}, PUB_2019)) == [["IR", "RU"]]


def test_a_first_person_clause_after_a_speaker_is_the_speaker_s(ref):
    text = "ظریف گفت: روز جمعه در تماس تلفنی با لاوروف خواستار همکاری مقامات روسیه شدم."
    ex = run(ref, {"a": text}, PUB_2019)
    assert calls(ex) == [["IR", "RU"]]


def test_separate_calls_received_from_a_coordinated_genitive_are_one_each(ref):
    """"Y تماس‌های تلفنی جداگانه X1 و X2 را دریافت کرد": X1 and X2 each called Y; without
    جداگانه the coordinated genitive is the call itself, which Y only speaks of."""
    ex = run(ref, {"a": "ظریف امروز تماس‌های تلفنی جداگانه لاوروف، وزیر خارجه روسیه، و چاووش‌اوغلو را دریافت کرد."}, PUB_2019)
    assert calls(ex) == [["IR", "RU"], ["IR", "TR"]]
    assert {caller(ex, seq=k) for k in range(2)} == {"RU", "TR"}
    ex = run(ref, {"a": "ظریف از نتایج تماس تلفنی لاوروف و چاووش‌اوغلو استقبال کرد."}, PUB_2019)
    assert calls(ex) == [["RU", "TR"]]


@pytest.mark.parametrize("text,pub,expected", [
    # a title with a glued plural ("نیروهای"), which cleaning writes "نیرو‌های"
    ("دیدار فرماندهان دو کشور پس از تماس تلفنی سرلشکر باقری رئیس ستاد کل نیروهای مسلح با همتای ترکیه‌ای خود قطعی شد.",
     PUB_2019, [["IR", "TR"]]),
    # names that cleaning splits ("سیسی" -> "سی‌سی", "سیبیها" -> "سیبی‌ها")
    ("سیسی امروز با اردوغان تلفنی گفت‌وگو کرد.", PUB_2019, [["EG", "TR"]]),
    ("آندری سیبیها امروز با لاوروف تلفنی گفت‌وگو کرد.", PUB_2026, [["RU", "UA"]]),
])
def test_names_and_titles_match_as_cleaning_writes_them(ref, text, pub, expected):
    assert calls(run(ref, {"a": text}, pub)) == expected


@pytest.mark.parametrize("year,expected", [(2011, [["EG", "IR"]]), (2012, [["IR", "LAS"]])])
def test_a_person_s_country_is_that_of_the_office_held_on_the_date(ref, year, expected):
    # Nabil Elaraby: Egypt's foreign minister in spring 2011, then the Arab League's head
    text = "علی‌اکبر صالحی شامگاه دیروز در تماس تلفنی با نبیل العربی درباره تحولات بحرین گفت‌وگو کرد."
    assert calls(run(ref, {"a": text}, dt.datetime(year, 3, 17, 10, 0, tzinfo=TEHRAN))) == expected


def test_a_name_in_apposition_to_a_bare_title_is_that_official(ref):
    text = "وزیر کشاورزی عراق در تماس تلفنی با بهرام نیک‌نام، معاون رئیس‌جمهور، درباره ریزگردها گفت‌وگو کرد."
    ex = run(ref, {"a": text}, PUB_2019)
    assert calls(ex) == [["IQ", "IR"]]
    assert "بهرام نیک‌نام" in set(ex.officials["name_fa"])


@pytest.mark.parametrize("text,official", [
    ("بهرام نیک‌نام، معاون رئیس‌جمهور، گفت چادرها توزیع شده است.", True),
    # "رئیس" alone heads anything (a relief society here): no official
    ("بهرام نیک‌نام، رئیس جمعیت هلال احمر، گفت چادرها توزیع شده است.", False),
])
def test_a_name_beside_a_bare_head_word_is_no_official(ref, text, official):
    from transforms.cleaning import clean_text
    from transforms.extraction.officials import find_mentions, gazetteer
    from transforms.extraction.text import normalize_with_map

    clean = clean_text(text)
    found = find_mentions(gazetteer(ref), normalize_with_map(clean), clean)
    assert any(m.kind == "text" and m.name_text == "بهرام نیک‌نام" for m in found.mentions) == official


@pytest.mark.parametrize("text,expected", [
    # a claim of the call called baseless, the word quoted, after a weekday ending in "به"
    ("سخنگوی وزارت خارجه روز سه‌شنبه گزارش‌ها درباره گفت‌وگوی تلفنی ظریف و پمپئو را «کذب» خواند.", 0),
    # a headline whose call the body says is only planned, its sides named otherwise there
    ("رایزنی تلفنی وزرای خارجه ایران و ترکیه\nظریف قرار است امروز در گفت‌وگویی تلفنی با همتای ترکیه‌ای "
     "درباره سوریه رایزنی کند. این گفت‌وگو به درخواست طرف ترکیه‌ای تنظیم شده است.", 0),
    # ... with one side no official the gazetteer knows
    ("رایزنی تلفنی وزرای نفت ایران و قطر\nوزیر نفت قرار است امروز در گفت‌وگویی تلفنی با حمد الکواری "
     "وزیر انرژی قطر رایزنی کند. این گفت‌وگو به درخواست طرف قطری تنظیم شده است.", 0),
    # the same body, reported
    ("رایزنی تلفنی وزرای نفت ایران و قطر\nوزیر نفت امروز در گفت‌وگویی تلفنی با همتای قطری رایزنی کرد. "
     "این گفت‌وگو به درخواست طرف قطری انجام شد.", 1),
])
def test_a_call_the_body_denies_or_only_plans_is_none(ref, text, expected):
    assert n_calls(run(ref, {"a": text}, PUB_2019), "a") == expected


@pytest.mark.parametrize("text", [
    "ظریف دیروز در دو تماس تلفنی جداگانه با لاوروف و چاووش‌اوغلو درباره سوریه گفت‌وگو کرد.",
    "ظریف دیروز طی سه تماس تلفنی جداگانه با لاوروف و چاووش‌اوغلو درباره سوریه گفت‌وگو کرد.",
])
def test_a_number_between_the_preposition_and_the_call_keeps_its_caller(ref, text):
    ex = run(ref, {"a": text}, PUB_2019)
    assert calls(ex) == [["IR", "RU"], ["IR", "TR"]]
    assert caller(ex, seq=0) == "IR" and caller(ex, seq=1) == "IR"


@pytest.mark.parametrize("text", [
    "به درخواست لاوروف وزیر خارجه روسیه، گفت‌وگوی تلفنی وی با ظریف امروز انجام شد.",
    "به درخواست لاوروف، گفت‌وگوی تلفنی لاوروف با ظریف امروز انجام شد.",
])
def test_the_requester_named_again_or_by_a_pronoun_is_the_caller(ref, text):
    ex = run(ref, {"a": text}, PUB_2019)
    assert calls(ex) == [["IR", "RU"]] and caller(ex) == "RU"


def test_a_pronoun_in_the_genitive_with_its_ba_object_is_a_side(ref):
    ex = run(ref, {"a": "لاوروف امروز به تهران آمد. گفت‌وگوی تلفنی وی با ظریف هفته گذشته انجام شده بود."}, PUB_2019)
    assert calls(ex) == [["IR", "RU"]]


@pytest.mark.parametrize("text,pub,pair,who", [
    # a shorter form of a full name (first name + surname) introduces the surname too
    ("حیدر عبادی نخست‌وزیر عراق دیروز به نجف رفت. عبادی امروز با روحانی تماس تلفنی گرفت.",
     dt.datetime(2016, 5, 15, 11, 0, tzinfo=TEHRAN), {"haider-al-abadi", "hassan-rouhani"}, "IQ"),
    ("علی باقری صبح امروز به دوحه رفت.\nباقری عصر امروز در تماس تلفنی با وزیر خارجه عمان درباره غزه گفتگو کرد.",
     dt.datetime(2024, 7, 10, 20, 0, tzinfo=TEHRAN), {"ali-bagheri-kani", "badr-albusaidi"}, "IR"),
])
def test_a_surname_after_a_short_form_of_the_full_name_is_that_person(ref, text, pub, pair, who):
    ex = run(ref, {"a": text}, pub)
    assert {p["official_id"] for p in parts(ex).values()} == pair
    assert caller(ex) == who


@pytest.mark.parametrize("text,pair", [
    # "the head of the diplomatic apparatus": the foreign minister, of the country it names
    ("رئیس دستگاه دیپلماسی آمریکا شامگاه سه‌شنبه در تماس تلفنی با همتای چینی خود درباره تایوان گفتگو کرد.",
     {"mike-pompeo", "wang-yi"}),
    ("رئیس دستگاه دیپلماسی کشورمان امروز با وزیر خارجه ترکیه تلفنی گفتگو کرد.",
     {"mohammad-javad-zarif", "mevlut-cavusoglu"}),
])
def test_the_head_of_the_diplomatic_apparatus_is_the_foreign_minister(ref, text, pair):
    assert {p["official_id"] for p in parts(run(ref, {"a": text}, PUB_2019)).values()} == pair


def test_a_title_naming_no_country_describes_the_person_before_it(ref):
    # a title that names no country is Iran's only when it stands alone
    ex = run(ref, {"a": "پاپ بندیکت شانزدهم، رهبر کاتولیک‌های جهان، روز دوشنبه با ولادیمیر پوتین، "
                        "رئیس‌جمهوری روسیه، تلفنی گفتگو کرد."}, dt.datetime(2007, 5, 16, 11, 0, tzinfo=TEHRAN))
    assert {p["official_id"] for p in parts(ex).values()} == {"pope-benedict-xvi", "vladimir-putin"}


def test_a_name_the_gazetteer_lacks_before_its_title_in_a_list_of_counterparts(ref):
    # "با NAME، TITLE، PERSON، TITLE، و TITLE": the unknown spelling is the first title's holder
    ex = run(ref, {"a": "ظریف روز دوشنبه در تماس‌های تلفنی جداگانه با استیف بلوک، وزیر خارجه هلند، هایکو ماس، "
                        "وزیر خارجه آلمان، و وزیر خارجه ایتالیا گفت برجام باید حفظ شود."}, PUB_2019)
    assert calls(ex) == [["DE", "IR"], ["IR", "IT"], ["IR", "NL"]]


@pytest.mark.parametrize("text,who", [
    # the day an anaphor gives is the day of the call it refers back to
    ("جان کری در تماس تلفنی با سرگئی لاوروف درباره سوریه گفتگو کرد. این گفت‌وگو صبح دوشنبه انجام شد.", "US"),
    ("جان کری و لاوروف در تماس تلفنی درباره سوریه گفتگو کردند. این تماس که صبح دوشنبه انجام شد، "
     "به درخواست طرف آمریکایی صورت گرفت.", "US"),
    ("جان کری در گفت‌وگوی تلفنی با لاوروف درباره سوریه رایزنی کرد.\nبه گزارش تاس، این گفت‌وگو صبح دوشنبه "
     "برقرار شد.", None),
])
def test_an_anaphor_dates_the_call_it_refers_to(ref, text, who):
    ex = run(ref, {"a": text}, dt.datetime(2016, 1, 13, 11, 0, tzinfo=TEHRAN))    # a Wednesday
    assert calls(ex) == [["RU", "US"]]
    assert day(ex) == (dt.date(2016, 1, 11), "day")
    assert caller(ex) == who


@pytest.mark.parametrize("text,expected", [
    # a noun a nuclear adjective modifies is of the nuclear family only
    ("مرکل در تماس تلفنی با روحانی درباره سوخت هسته‌ای و نیروگاه اتمی بوشهر گفتگو کرد.", {"nuclear_sanctions"}),
    ("مرکل در تماس تلفنی با روحانی گفت ایران نباید به دنبال سلاح‌های هسته‌ای باشد.", {"nuclear_sanctions"}),
    # the noun alone keeps its own family
    ("مرکل در تماس تلفنی با روحانی درباره سوخت و برق گفتگو کرد.", {"energy"}),
    # "در حالی ... که C": the circumstance is not what was discussed
    ("مرکل در حالی با روحانی تلفنی گفتگو کرد که روحانی برای شرکت در اجلاس سازمان ملل در نیویورک بود. "
     "دو طرف درباره برجام گفتگو کردند.", {"nuclear_sanctions"}),
    ("در حالی که ارتش عراق در بندر بصره مستقر شده بود، مرکل در تماس تلفنی با روحانی درباره برجام رایزنی کرد.",
     {"nuclear_sanctions"}),
])
def test_topics_of_nuclear_nouns_and_circumstances(ref, text, expected):
    assert topics(run(ref, {"a": text}, dt.datetime(2017, 5, 16, 11, 0, tzinfo=TEHRAN))) == expected


@pytest.mark.parametrize("text", [
    # an outlet's name in an attribution or a label opening the sentence is no topic
    "به گزارش تجارت نیوز، پوتین روز جمعه در تماس تلفنی با ترامپ درباره بازار نفت گفتگو کرد.",
    "دنیای اقتصاد: پوتین روز جمعه در تماس تلفنی با ترامپ درباره بازار نفت گفتگو کرد.",
    "به نوشته اکو ایران، پوتین روز جمعه در تماس تلفنی با ترامپ درباره بازار نفت گفتگو کرد.",
    # ... also in a sentence after the first
    "پوتین روز جمعه در تماس تلفنی با ترامپ درباره بازار نفت گفتگو کرد. به گزارش تجارت نیوز، دو طرف بر "
    "ادامه گفتگوها تاکید کردند.",
])
def test_the_source_of_a_text_is_no_topic(ref, text):
    assert topics(run(ref, {"a": text}, dt.datetime(2020, 4, 11, 11, 0, tzinfo=TEHRAN))) == {"energy"}


@pytest.mark.parametrize("text,pairs", [
    # a verb of talk coordinated to a call's clause, with a با-object of its own: another call
    ("پوتین روز دوشنبه با اردوغان تلفنی گفتگو کرد و سپس با الهام علی‌اف نیز صحبت کرد.", [["AZ", "RU"], ["RU", "TR"]]),
    # ... not a meeting, nor talk with someone who is no official, nor the same side again
    ("پوتین روز دوشنبه با اردوغان تلفنی گفتگو کرد و سپس با الهام علی‌اف در باکو دیدار و گفتگو کرد.", [["RU", "TR"]]),
    ("پوتین روز دوشنبه با اردوغان تلفنی گفتگو کرد و سپس با خبرنگاران صحبت کرد.", [["RU", "TR"]]),
    ("پوتین روز دوشنبه با اردوغان تلفنی گفتگو کرد و با او درباره سوریه صحبت کرد.", [["RU", "TR"]]),
])
def test_a_coordinated_verb_of_talk_is_another_call_on_the_same_day(ref, text, pairs):
    ex = run(ref, {"a": text}, PUB_2019)
    assert calls(ex) == pairs
    assert {day(ex, seq=k) for k in range(len(pairs))} == {(dt.date(2019, 5, 13), "day")}


def test_an_anaphor_after_a_countrys_source_is_that_countrys_call(ref):
    # "کرملین در گزارش خود از این تماس": the call Russia took part in, not the latest one
    ex = run(ref, {"a": "آنگلا مرکل با پوتین تلفنی گفتگو کرد و پس از آن با ولودیمیر زلنسکی نیز صحبت کرد. کرملین در "
                        "گزارش خود از این تماس اعلام کرد این گفتگو به درخواست طرف آلمانی انجام شد."},
             dt.datetime(2020, 3, 4, 11, 0, tzinfo=TEHRAN))
    got = {tuple(sorted(parts(ex, "a", k))): caller(ex, "a", k) for k in range(n_calls(ex, "a"))}
    assert got == {("DE", "RU"): "DE", ("DE", "UA"): None}


@pytest.mark.parametrize("text,expected", [
    # a visit or meeting with someone, or to a country, that takes no part in the call is no visit topic
    ("مودی در تماس تلفنی با پوتین با اشاره به دیدار اخیر خود با شی جین‌پینگ گفت هند به گفتگو ادامه می‌دهد.", set()),
    ("مودی در تماس تلفنی با پوتین درباره سفر به پکن گفتگو کرد.", set()),
    # ... but one between the parties is
    ("مودی در تماس تلفنی با پوتین از او برای سفر به دهلی نو دعوت کرد.", {"visits_invitations"}),
    ("مودی در تماس تلفنی با پوتین درباره دیدار با رئیس‌جمهور روسیه در اجلاس آینده گفتگو کرد.", {"visits_invitations"}),
])
def test_a_visit_of_others_is_no_visit_between_the_parties(ref, text, expected):
    assert topics(run(ref, {"a": text}, dt.datetime(2021, 5, 16, 11, 0, tzinfo=TEHRAN))) == expected


@pytest.mark.parametrize("text,pair,other", [
    # "X بن Y" after a given name is that person's full name (an official the gazetteer
    # lacks, of the title's country), not the one called "بن Y"
    ("عراقچی در تماس تلفنی با منصور بن زاید معاون نخست‌وزیر امارات درباره همکاری‌های اقتصادی گفتگو کرد.",
     [["AE", "IR"]], "text"),
    ("پوتین در تماس تلفنی با بن سلمان درباره بازار نفت گفتگو کرد.", [["RU", "SA"]], "mohammed-bin-salman"),
    ("پوتین در تماس تلفنی با محمد بن سلمان درباره بازار نفت گفتگو کرد.", [["RU", "SA"]], "mohammed-bin-salman"),
])
def test_a_patronymic_inside_a_longer_name_is_not_the_short_names_person(ref, text, pair, other):
    ex = run(ref, {"a": text}, dt.datetime(2020, 4, 10, 11, 0, tzinfo=TEHRAN))
    assert calls(ex) == pair
    got = parts(ex)["AE" if other == "text" else "SA"]["official_id"]
    assert got.startswith("x-") if other == "text" else got == other


@pytest.mark.parametrize("text", [
    # "همتای روس او/وی": the pronoun after a counterpart says whose counterpart, like خود
    "وزیر انرژی عربستان و همتای روس او امروز در تماس تلفنی بر سر کاهش تولید به توافق رسیدند.",
    "وزیر انرژی عربستان و همتای روس وی امروز در تماس تلفنی درباره بازار نفت گفتگو کردند.",
])
def test_a_pronoun_after_a_counterpart_is_its_possessive(ref, text):
    assert calls(run(ref, {"a": text}, dt.datetime(2020, 4, 15, 11, 0, tzinfo=TEHRAN))) == [["RU", "SA"]]


@pytest.mark.parametrize("text,pub,pair", [
    # a surname that is also someone's first name (شریف اسماعیل) is the person named in full
    # before it, unless another name word follows (then it opens that other name)
    ("شهباز شریف، نخست‌وزیر پاکستان، دیروز به ریاض رفت. ولیعهد سعودی امروز با شریف تماس گرفت.",
     dt.datetime(2026, 7, 14, 11, 0, tzinfo=TEHRAN), {"shehbaz-sharif", "mohammed-bin-salman"}),
    ("نواز شریف دیروز به لندن رفت. شریف اسماعیل نخست وزیر مصر امروز در تماس تلفنی با روحانی گفتگو کرد.",
     dt.datetime(2016, 5, 15, 11, 0, tzinfo=TEHRAN), {"sherif-ismail", "hassan-rouhani"}),
])
def test_a_surname_that_is_also_a_first_name(ref, text, pub, pair):
    assert {p["official_id"] for p in parts(run(ref, {"a": text}, pub)).values()} == pair


@pytest.mark.parametrize("text", [
    # an adverb of repetition anywhere in the call's own clause makes it habitual contact
    "رئیس‌جمهور فرانسه در ماه‌های گذشته نیز بارها با همتای ایرانی خود تلفنی گفتگو کرده است.",
    # an adjective of a call still to come, right after its noun, plans it
    "وزیر امور خارجه کشورمان از گفت‌وگوی تلفنی قریب‌الوقوع خود با مسئول سیاست خارجی اتحادیه اروپا خبر داد.",
    "ظریف درباره تماس تلفنی آتی خود با موگرینی گفت پاسخ ایران آماده است.",
])
def test_repeated_and_coming_calls_are_no_call(ref, text):
    assert calls(run(ref, {"a": text}, PUB_2019)) == []


@pytest.mark.parametrize("text", [
    # ... but an adverb of another clause, or an adjective of another noun, is not the call's
    "ماکرون که بارها به تهران سفر کرده، امروز با روحانی تلفنی گفتگو کرد.",
    "ظریف در ادامه رایزنی‌های مستمر خود امروز طی تماس تلفنی با لاوروف درباره سوریه گفتگو کرد.",
])
def test_repetition_elsewhere_leaves_the_call(ref, text):
    assert len(calls(run(ref, {"a": text}, PUB_2019))) == 1


def test_a_dateline_ending_a_line_is_no_name_of_the_title_after_it(ref):
    # "سرویس سیاسی-" on its own line: the line break folded into a space still ends it
    ex = run(ref, {"a": "روحانی در تماس با وزرای خارجه اروپایی: ایران به تعهداتش پایبند است\nسرویس سیاسی-\n"
                        "دبیر شورای عالی امنیت ملی دیروز در تماس تلفنی با وزیر امور خارجه انگلیس گفتگو کرد."},
             dt.datetime(2004, 11, 25, 11, 0, tzinfo=TEHRAN))
    assert {p["official_id"] for p in parts(ex).values()} == {"hassan-rouhani", "jack-straw"}


@pytest.mark.parametrize("text,pub,minister", [
    # the oil and energy ministers of OPEC+ producers, by the title's portfolio and date
    ("زنگنه امروز در تماس تلفنی با وزیر انرژی عربستان درباره بازار نفت گفتگو کرد.",
     dt.datetime(2020, 4, 8, 11, 0, tzinfo=TEHRAN), "abdulaziz-bin-salman"),
    ("زنگنه امروز در تماس تلفنی با وزیر انرژی روسیه درباره بازار نفت گفتگو کرد.",
     dt.datetime(2017, 4, 8, 11, 0, tzinfo=TEHRAN), "alexander-novak"),
    ("وزیر نفت امروز در تماس تلفنی با وزیر نفت عراق درباره صادرات گاز گفتگو کرد.",
     dt.datetime(2021, 12, 12, 11, 0, tzinfo=TEHRAN), "ihsan-abdul-jabbar"),
])
def test_the_energy_ministers_of_producers(ref, text, pub, minister):
    assert minister in {p["official_id"] for p in parts(run(ref, {"a": text}, pub)).values()}


def test_the_people_of_a_circumstance_are_not_the_subject(ref):
    # "X ... در حالی که Y در راه فرودگاه بود، با او تماس گرفت": X called, not Y
    ex = run(ref, {"a": "صدراعظم آلمان شامگاه جمعه در حالی که ولادیمیر پوتین در راه سوچی بود، با او تماس تلفنی گرفت."},
             dt.datetime(2019, 5, 18, 11, 0, tzinfo=TEHRAN))
    assert calls(ex) == [["DE", "RU"]] and caller(ex) == "DE"


def test_a_plural_title_after_a_list_of_names_lets_the_list_go_on(ref):
    # "با A، B و C وزیران خارجه X، Y و Z و D مسئول ...": one call with all five
    ex = run(ref, {"a": "ظریف روز پنجشنبه در یک کنفرانس ویدئویی مشترک با ژان ایو لودریان، جرمی هانت و هایکو ماس "
                        "وزیران خارجه فرانسه، انگلیس و آلمان و فدریکا موگرینی مسئول سیاست خارجی اتحادیه اروپا "
                        "درباره برجام گفتگو کرد."}, PUB_2019)
    assert calls(ex) == [["DE", "EU", "FR", "GB", "IR"]]


@pytest.mark.parametrize("after", [
    # another development after the call is not its content
    "در همین حال، وزیر نیرو از افزایش صادرات برق به عراق خبر داد.",
    "از سوی دیگر، قیمت نفت در بازارهای جهانی کاهش یافت.",
    "ظریف همچنین امروز با سفیر جدید ژاپن دیدار و درباره همکاری‌های دانشگاهی گفت‌وگو کرد.",
    # an event that only places the call in time
    "این گفت‌وگو در آستانه سفر رئیس‌جمهور به نیویورک برای شرکت در مجمع عمومی سازمان ملل انجام شد.",
    "این تماس دو روز پس از توقیف نفتکش ایرانی در آب‌های جبل‌الطارق صورت گرفت.",
    "این تماس دو روز پس از توقیف نفتکش ایرانی در آب‌های جبل‌الطارق انجام شد؛ اقدامی بی‌سابقه.",
    # a meeting told before, even one that names "the two countries"
    "ظریف روز یکشنبه نیز با سفیر چین دیدار و درباره همکاری‌های اقتصادی دو کشور گفت‌وگو کرده بود.",
])
def test_another_development_or_a_time_reference_after_the_call_is_no_topic(ref, after):
    ex = run(ref, {"a": "ظریف امروز در تماس تلفنی با فواد حسین درباره زائران اربعین گفت‌وگو کرد. " + after},
             dt.datetime(2021, 5, 16, 11, 0, tzinfo=TEHRAN))
    assert topics(ex) == {"consular_prisoners"}


def test_the_eve_of_an_event_is_no_topic_but_the_call_sentence_is(ref):
    ex = run(ref, {"a": "در آستانه سفر ترامپ به پکن، وزیران خارجه پاکستان و چین در گفت‌وگوی تلفنی درباره "
                        "همکاری‌های اقتصادی رایزنی کردند."}, dt.datetime(2025, 10, 16, 11, 0, tzinfo=TEHRAN))
    assert topics(ex) == {"trade_economy"}


def test_travel_of_pilgrims_is_no_visit_of_the_parties(ref):
    ex = run(ref, {"a": "قالیباف در گفت‌وگوی تلفنی با رئیس مجلس عراق بر لزوم تسهیل سفر زائران ایرانی تاکید کرد."},
             dt.datetime(2022, 9, 1, 11, 0, tzinfo=TEHRAN))
    assert "visits_invitations" not in topics(ex)


def test_a_call_as_the_purpose_of_something_else_is_no_call(ref):
    # "برای صحبت با X": in order to talk to X, not a talk that happened
    ex = run(ref, {"a": "ماکرون در نیویورک منتظر بود رئیس‌جمهور کشورمان برای صحبت تلفنی با ترامپ به آن اتاق برود."},
             dt.datetime(2019, 10, 2, 11, 0, tzinfo=TEHRAN))
    assert calls(ex) == []


def test_a_province_named_after_a_country_is_not_that_country(ref):
    # "استاندار آذربایجان غربی" is an Iranian governor: a call within Iran
    ex = run(ref, {"a": "رئیس‌جمهور در تماس تلفنی با وزیر کشور و استاندار آذربایجان غربی بر امدادرسانی فوری "
                        "به زلزله‌زدگان تاکید کرد."}, dt.datetime(2023, 1, 29, 11, 0, tzinfo=TEHRAN))
    assert calls(ex) == []


@pytest.mark.parametrize("text", [
    # a meeting held by video is a video call (ANNOTATION.md: a telephone or video conversation)
    "روحانی، پوتین و اردوغان امروز در یک نشست مجازی درباره سوریه گفتگو کردند.",
    "اجلاس سران ضامن روند آستانه امروز به صورت ویدئوکنفرانس برگزار شد. روحانی، پوتین و اردوغان در این "
    "نشست ویدئویی بر تمامیت ارضی سوریه تاکید کردند.",
])
def test_a_meeting_held_by_video_is_a_call(ref, text):
    ex = run(ref, {"a": text}, dt.datetime(2020, 7, 1, 20, 0, tzinfo=TEHRAN))
    assert calls(ex) == [["IR", "RU", "TR"]]


@pytest.mark.parametrize("text,pub,n", [
    ("لاریجانی رئیس مجلس روز سه‌شنبه در تماس‌های تلفنی جداگانه با رؤسای پارلمان‌های سوریه و عراق گفت‌وگو کرد. "
     "لاریجانی در این تماس‌ها بر گسترش همکاری‌های اقتصادی و انرژی تاکید کرد.",
     dt.datetime(2015, 3, 4, 11, 0, tzinfo=TEHRAN), 2),
    ("وانگ یی وزیر خارجه چین دیروز با همتایان خود در کشورهای عربستان، ایران و قطر تلفنی گفت‌وگو کرد. "
     "وانگ یی در این گفت‌وگوها بر گسترش همکاری‌های اقتصادی و انرژی تاکید کرد.",
     dt.datetime(2023, 3, 12, 11, 0, tzinfo=TEHRAN), 3),
])
def test_these_calls_are_every_call_of_the_person_they_name(ref, text, pub, n):
    # "X در این تماس‌ها ...": what follows is the content of each of X's separate calls
    ex = run(ref, {"a": text}, pub)
    assert n_calls(ex) == n
    assert all({"trade_economy", "energy"} <= topics(ex, seq=k) for k in range(n))


def test_this_call_is_the_latest_call_of_the_person_not_every_one(ref):
    ex = run(ref, {"a": "لاوروف روز دوشنبه با وانگ یی تلفنی گفت‌وگو کرد. لاوروف روز سه‌شنبه نیز با همتای هندی خود "
                        "تلفنی گفت‌وگو کرد. لاوروف در این تماس بر همکاری در حوزه انرژی تاکید کرد."},
             dt.datetime(2022, 4, 14, 11, 0, tzinfo=TEHRAN))
    assert n_calls(ex) == 2
    assert sum("energy" in topics(ex, seq=k) for k in range(2)) == 1


@pytest.mark.parametrize("text,expected", [
    # the Security Council, the General Assembly and the Charter are business of the UN,
    # not the Secretary-General's own organisation named as his office
    ("دبیرکل سازمان ملل در تماس تلفنی با وزیر خارجه پاکستان درباره قطعنامه شورای امنیت گفت‌وگو کرد.",
     {"multilateral"}),
    ("گوترش در تماس تلفنی با عراقچی درباره نشست مجمع عمومی سازمان ملل گفت‌وگو کرد.", {"multilateral"}),
    ("دبیرکل سازمان ملل در تماس تلفنی با وزیر خارجه پاکستان درباره کمک به آسیب‌دیدگان سیل گفت‌وگو کرد.",
     {"humanitarian_disaster"}),
])
def test_the_organs_of_the_un_are_a_topic_of_a_call_with_its_secretary_general(ref, text, expected):
    ex = run(ref, {"a": text}, dt.datetime(2022, 9, 1, 11, 0, tzinfo=TEHRAN))
    assert calls(ex) and topics(ex) == expected


def test_the_islamic_conference_is_the_oic_by_its_former_name(ref):
    ex = run(ref, {"a": "منوچهر متکی در تماس تلفنی با وزیر خارجه مالزی خواستار نشست فوق‌العاده سازمان کنفرانس اسلامی "
                        "شد."}, dt.datetime(2009, 1, 5, 11, 0, tzinfo=TEHRAN))
    assert calls(ex) == [["IR", "MY"]] and topics(ex) == {"multilateral"}


@pytest.mark.parametrize("text,expected", [
    # "آب‌های X": a sea area (a seizure at sea is no talk about water)
    ("محمدجواد ظریف در تماس تلفنی با وزیر خارجه عمان درباره توقیف نفتکش در آب‌های خلیج فارس گفت‌وگو کرد.", {"energy"}),
    ("محمدجواد ظریف در تماس تلفنی با وزیر خارجه عمان درباره ورود قایق‌ها به آب‌های سرزمینی ایران گفت‌وگو کرد.", set()),
    ("محمدجواد ظریف در تماس تلفنی با وزیر خارجه عمان درباره ورود قایق‌ها به آب‌های ایران گفت‌وگو کرد.", set()),
    ("محمدجواد ظریف در تماس تلفنی با وزیر خارجه افغانستان درباره آب‌های زیرزمینی مرز دو کشور گفت‌وگو کرد.",
     {"water_environment"}),
    # fuel in a call about a nuclear programme is nuclear fuel; a reactor is nuclear
    ("علی‌اکبر صالحی در تماس تلفنی با وزیر خارجه ترکیه درباره مبادله سوخت راکتور تهران گفت‌وگو کرد.", {"nuclear_sanctions"}),
    ("علی‌اکبر صالحی در تماس تلفنی با وزیر خارجه ترکیه درباره تحویل سوخت نیروگاه اتمی بوشهر گفت‌وگو کرد.",
     {"nuclear_sanctions"}),
    ("علی‌اکبر صالحی در تماس تلفنی با وزیر خارجه ترکیه درباره صادرات سوخت و همکاری‌های تجاری گفت‌وگو کرد.",
     {"energy", "trade_economy"}),
])
def test_sea_areas_and_nuclear_fuel(ref, text, expected):
    pub = dt.datetime(2019, 5, 4, 11, 0, tzinfo=TEHRAN) if "ظریف" in text else dt.datetime(2011, 5, 4, 11, 0, tzinfo=TEHRAN)
    ex = run(ref, {"a": text}, pub)
    assert calls(ex) and topics(ex) == expected


@pytest.mark.parametrize("text", [
    # a lead-in of any length whose verb of saying ends at the colon names the speaker
    "علی ربیعی امروز در صفحه شخصی خود در شبکه اجتماعی توییتر و پس از پایان جلسه هیئت دولت نوشت: «ساعتی پیش "
    "در تماس تلفنی با وزیر کار ترکیه درباره بیمه کارگران گفت‌وگو کردیم.»",
    # نزد is the preposition "at, with", not a verb of the clause that could be its person
    "عبدالناصر همتی در یادداشتی در صفحه اینستاگرام خود پس از بازگشت از بغداد نوشت: «امروز در تماس تلفنی با "
    "رئیس بانک مرکزی عراق درباره منابع ایران نزد بانک‌های عراقی گفت‌وگو کردیم.»",
])
def test_the_speaker_of_a_first_person_quote_places_the_call(ref, text):
    ex = run(ref, {"a": text}, dt.datetime(2020, 12, 14, 11, 0, tzinfo=TEHRAN))
    assert len(calls(ex)) == 1 and caller(ex) == "IR"


def test_a_headline_ending_in_a_title_is_not_the_title_of_the_next_lines_name(ref):
    ex = run(ref, {"a": "گفت‌وگوی تلفنی دبیرکل سازمان ملل با وزیر امور خارجه\n"
                        "محمدجواد ظریف وزیر امور خارجه کشورمان شامگاه گذشته تماس تلفنی آنتونیو گوترش را دریافت "
                        "کرد."}, dt.datetime(2020, 3, 3, 9, 0, tzinfo=TEHRAN))
    assert calls(ex) == [["IR", "UN"]] and caller(ex) == "UN"


def test_nazd_is_a_preposition_not_a_verb():
    from transforms.extraction.verbs import verb_at
    assert verb_at(["منابع", "ایران", "نزد", "بانک", "ها"], 2) is None
    assert verb_at(["او", "را", "زد"], 2) is not None


@pytest.mark.parametrize("name", ["بایراموف", "بایرام‌اف", "بایرام اف"])
def test_the_ending_ov_written_as_of_is_the_same_name(ref, name):
    ex = run(ref, {"a": f"عراقچی امروز در تماس تلفنی با {name} درباره کریدورهای ترانزیتی گفت‌وگو کرد."},
             dt.datetime(2025, 2, 5, 11, 0, tzinfo=TEHRAN))
    assert calls(ex) == [["AZ", "IR"]]


def test_a_call_told_in_the_pluperfect_after_a_phrase_is_earlier_news(ref):
    ex = run(ref, {"a": "محمدجواد ظریف پیش‌تر در تماس تلفنی با لاوروف درباره برجام رایزنی کرده بود."},
             dt.datetime(2019, 5, 15, 11, 0, tzinfo=TEHRAN))
    assert day(ex) == (dt.date(2019, 5, 1), "month")


@pytest.mark.parametrize("text,other", [
    # an adviser's title with no country of its own is the adviser of the office after it
    ("علی شمخانی روز یکشنبه در گفت‌وگوی تلفنی با حمدالله محب مشاور امنیت ملی رئیس‌جمهور افغانستان گفت‌وگو کرد.",
     "AF"),
    ("علی شمخانی روز یکشنبه در گفت‌وگوی تلفنی با مشاور امنیت ملی نخست‌وزیر عراق گفت‌وگو کرد.", "IQ"),
])
def test_the_adviser_of_an_office_is_of_its_country(ref, text, other):
    ex = run(ref, {"a": text}, dt.datetime(2021, 7, 12, 11, 0, tzinfo=TEHRAN))
    assert calls(ex) == [sorted(["IR", other])]


def test_a_title_ending_a_line_takes_no_complement_from_the_next_line(ref):
    ex = run(ref, {"a": "گفتگوی تلفنی لاریجانی و مشاور امنیت ملی عراق\n"
                        "دبیر شورای عالی امنیت ملی در گفتگوی تلفنی با قاسم الاعرجی که به درخواست طرف عراقی انجام شد، "
                        "درباره امنیت مرزها گفت‌وگو کرد."}, dt.datetime(2025, 9, 10, 11, 0, tzinfo=TEHRAN))
    assert calls(ex) == [["IQ", "IR"]] and caller(ex) == "IQ"


@pytest.mark.parametrize("text,pub,org", [
    # the heads of international financial and relief organisations are officials
    ("فرهاد دژپسند وزیر امور اقتصادی امروز در گفت‌وگوی ویدئویی با رئیس گروه بانک توسعه اسلامی درباره "
     "تسهیلات مقابله با کرونا گفت‌وگو کرد.", dt.datetime(2020, 6, 15, 18, 0, tzinfo=TEHRAN), "IsDB"),
    ("عبدالناصر همتی در تماس تلفنی با کریستالینا گئورگیوا مدیرعامل صندوق بین‌المللی پول درباره وام کرونا "
     "گفت‌وگو کرد.", dt.datetime(2020, 4, 12, 11, 0, tzinfo=TEHRAN), "IMF"),
    ("عراقچی در تماس تلفنی با فیلیپو گراندی درباره بازگشت پناهجویان افغان گفت‌وگو کرد.",
     dt.datetime(2025, 4, 12, 11, 0, tzinfo=TEHRAN), "UNHCR"),
])
def test_heads_of_international_organisations(ref, text, pub, org):
    ex = run(ref, {"a": text}, pub)
    assert calls(ex) == [sorted(["IR", org])]


@pytest.mark.parametrize("text", [
    # a relative clause on the با-object stands between it and the call, and between the
    # date and the call: neither its verb nor its که ends the call's clause
    "آنگلا مرکل روز دوشنبه ۱۹ اسفند با ولادیمیر پوتین، که در حال سفر به سوچی بود، تماس تلفنی گرفت.",
    "آنگلا مرکل روز دوشنبه ۱۹ اسفند با ولادیمیر پوتین که در حال سفر به سوچی بود تماس تلفنی گرفت.",
])
def test_a_relative_clause_on_the_object_keeps_the_object_and_the_date(ref, text):
    ex = run(ref, {"a": text}, dt.datetime(2014, 3, 11, 11, 0, tzinfo=TEHRAN))
    assert calls(ex) == [["DE", "RU"]] and caller(ex) == "DE"
    assert day(ex)[0] == dt.date(2014, 3, 10)


def test_then_is_the_day_of_the_call_before(ref):
    ex = run(ref, {"a": "امانوئل ماکرون روز یکشنبه طی تماس تلفنی با ولادیمیر پوتین درباره دونباس گفت‌وگو کرد. "
                        "ماکرون سپس با رئیس‌جمهور اوکراین نیز تلفنی گفت‌وگو کرد."},
             dt.datetime(2022, 2, 21, 1, 30, tzinfo=TEHRAN))
    assert n_calls(ex) == 2
    assert [day(ex, seq=k)[0] for k in range(2)] == [dt.date(2022, 2, 20)] * 2


@pytest.mark.parametrize("text", [
    "آقای بایدن و خانم مرکل روز پنجشنبه تلفنی درباره اوکراین گفت‌وگو کردند.",
    "بایدن و آقای پوتین روز پنجشنبه در یک نشست ویدئویی درباره اوکراین گفت‌وگو کرده بودند.",
])
def test_an_honorific_inside_a_coordinated_subject(ref, text):
    ex = run(ref, {"a": text}, dt.datetime(2021, 12, 10, 11, 0, tzinfo=TEHRAN))
    assert len(calls(ex)) == 1 and len(calls(ex)[0]) == 2


def test_the_requester_of_a_call_with_no_other_side_is_the_other_side(ref):
    # "Y در تماسی که به درخواست X انجام شد": X asked for the call, and is on it
    ex = run(ref, {"a": "جیشانکار وزیر خارجه هند روز سه‌شنبه در تماسی تلفنی که به درخواست آنتونی بلینکن، وزیر خارجه "
                        "آمریکا، انجام شد، خواستار کاهش تنش در منطقه شد."}, dt.datetime(2024, 4, 17, 11, 0, tzinfo=TEHRAN))
    assert calls(ex) == [["IN", "US"]] and caller(ex) == "US"


@pytest.mark.parametrize("text,expected", [
    # medicine in a call about the epidemic is the epidemic's; "health" is other health matters
    ("روحانی در تماس تلفنی با نخست‌وزیر ژاپن درباره مقابله با کرونا گفت‌وگو کرد و از ارسال دارو و تجهیزات "
     "پزشکی قدردانی کرد.", {"covid19"}),
    ("روحانی در تماس تلفنی با نخست‌وزیر ژاپن از ارسال دارو و تجهیزات پزشکی برای بیماران سرطانی قدردانی کرد.",
     {"health"}),
])
def test_medicine_in_a_call_about_the_epidemic(ref, text, expected):
    ex = run(ref, {"a": text}, dt.datetime(2020, 10, 20, 11, 0, tzinfo=TEHRAN))
    assert calls(ex) == [["IR", "JP"]] and topics(ex) == expected


@pytest.mark.parametrize("text,expected", [
    # "در حاشیه X": the occasion where people met, not what the call was about
    ("ظریف در تماس تلفنی با لاوروف درباره دیدار در حاشیه مجمع عمومی سازمان ملل و برجام گفت‌وگو کرد.",
     {"visits_invitations", "nuclear_sanctions"}),
    ("ظریف در تماس تلفنی با لاوروف درباره نشست مجمع عمومی سازمان ملل گفت‌وگو کرد.", {"multilateral"}),
])
def test_the_occasion_of_a_meeting_on_the_sidelines_is_no_topic(ref, text, expected):
    ex = run(ref, {"a": text}, dt.datetime(2019, 9, 15, 11, 0, tzinfo=TEHRAN))
    assert topics(ex) == expected


@pytest.mark.parametrize("text,pub,who", [
    # "منتخب": not the holder on the day but the one who takes the office next
    ("ولادیمیر پوتین در تماس تلفنی با رئیس‌جمهور منتخب آمریکا به او تبریک گفت.",
     dt.datetime(2020, 11, 20, 11, 0, tzinfo=TEHRAN), "joe-biden"),
    ("رئیس‌جمهور منتخب تماس تلفنی رجب طیب اردوغان را دریافت کرد.",
     dt.datetime(2021, 6, 22, 11, 0, tzinfo=TEHRAN), "ebrahim-raisi"),
])
def test_the_president_elect_is_the_next_holder(ref, text, pub, who):
    ex = run(ref, {"a": text}, pub)
    assert who in set(ex.participants["official_id"])


def test_a_common_noun_before_a_surname_is_no_first_name(ref):
    # "پیروزی رئیسی" is Raisi's victory, not a person named پیروزی رئیسی
    ex = run(ref, {"a": "رجب طیب اردوغان با ابراهیم رئیسی تماس تلفنی گرفت. اردوغان در این تماس پیروزی رئیسی در "
                        "انتخابات را تبریک گفت."}, dt.datetime(2021, 6, 22, 11, 0, tzinfo=TEHRAN))
    assert calls(ex) == [["IR", "TR"]] and caller(ex) == "TR"


def test_a_peer_addressed_as_my_colleague(ref):
    ex = run(ref, {"a": "محمدجواد ظریف در توییتی نوشت: «امروز تماس تلفنی خوبی با همکارم دکتر جیشانکار داشتیم.»"},
             dt.datetime(2020, 12, 22, 11, 0, tzinfo=TEHRAN))
    assert calls(ex) == [["IN", "IR"]]


def test_a_time_clause_inserted_before_the_call_is_neither_subject_nor_the_dates_verb(ref):
    # "X روز جمعه و دقایقی پیش از آنکه Y نیویورک را ترک کند، با وی تماس گرفت": X called Y, on Friday
    ex = run(ref, {"a": "ولادیمیر پوتین روز جمعه و دقایقی پیش از آنکه رجب طیب اردوغان آنکارا را ترک کند، با وی "
                        "تماس تلفنی گرفت."}, dt.datetime(2019, 10, 12, 9, 0, tzinfo=TEHRAN))
    assert calls(ex) == [["RU", "TR"]] and caller(ex) == "RU"
    assert day(ex)[0] == dt.date(2019, 10, 11)


def test_a_day_of_the_coming_weeks_is_no_days_call(ref):
    # "پایان مهلت در ۳ آذر" read on 29 Aban is a coming deadline, not last year's call
    ex = run(ref, {"a": "وانگ یی طی تماس تلفنی با محمدجواد ظریف درباره مذاکرات وین گفت‌وگو کرد. وانگ یی در این "
                        "گفت‌وگو به پایان مهلت مذاکرات در ۳ آذر اشاره کرد."}, dt.datetime(2014, 11, 20, 16, 0, tzinfo=TEHRAN))
    assert day(ex)[0] == dt.date(2014, 11, 20)


def test_this_call_takes_no_genitive(ref):
    # "X در این تماس Y را ... دعوت کرد": Y is the verb's object, not who placed "this call"
    ex = run(ref, {"a": "سلطان هیثم بن طارق روز دوشنبه با مسعود پزشکیان تماس تلفنی برقرار کرد. سلطان عمان در این تماس "
                        "پزشکیان را به سفر به مسقط دعوت کرد."}, dt.datetime(2024, 7, 9, 11, 0, tzinfo=TEHRAN))
    assert calls(ex) == [["IR", "OM"]] and caller(ex) == "OM"


def test_this_first_call_is_the_call_just_reported_and_gives_no_date(ref):
    ex = run(ref, {"a": "ابراهیم رئیسی شامگاه گذشته در تماس تلفنی با محمد بن سلمان درباره غزه گفت‌وگو کرد. این نخستین "
                        "گفت‌وگوی تلفنی رئیس‌جمهور کشورمان با ولیعهد عربستان پس از امضای توافق ۱۹ اسفند ۱۴۰۱ در پکن "
                        "است."}, dt.datetime(2023, 10, 12, 9, 0, tzinfo=TEHRAN))
    assert n_calls(ex) == 1
    assert day(ex)[0] == dt.date(2023, 10, 11)


def test_the_requester_after_beh_darkhast_is_no_subject(ref):
    # "X امروز به درخواست Y با همتای خود تلفنی گفت‌وگو کرد": X talked, Y asked for it
    ex = run(ref, {"a": "امانوئل ماکرون رئیس‌جمهوری فرانسه امروز به درخواست ولادیمیر پوتین با همتای روس خود تلفنی "
                        "گفت‌وگو کرد."}, dt.datetime(2022, 3, 3, 19, 0, tzinfo=TEHRAN))
    assert calls(ex) == [["FR", "RU"]] and caller(ex) == "RU"


def test_numerous_calls_with_officials_of_countries_are_contact_not_a_call(ref):
    ex = run(ref, {"a": "مصطفی الکاظمی نخست‌وزیر عراق طی این مدت از طریق تماس‌های تلفنی متعدد با مقامات تهران و ریاض، "
                        "زمینه برگزاری این گفت‌وگوها را فراهم کرده است."}, dt.datetime(2021, 5, 10, 16, 0, tzinfo=TEHRAN))
    assert calls(ex) == []


def test_another_separate_call_after_a_dated_one_is_of_its_day(ref):
    ex = run(ref, {"a": "جو بایدن شامگاه چهارشنبه در تماس تلفنی با نوری مالکی درباره داعش گفت‌وگو کرد. بایدن همچنین در "
                        "تماس تلفنی جداگانه‌ای با اسامه النجیفی رئیس پارلمان عراق بر وحدت ملی تأکید کرد."},
             dt.datetime(2014, 6, 19, 10, 0, tzinfo=TEHRAN))
    assert n_calls(ex) == 2
    assert [day(ex, seq=k)[0] for k in range(2)] == [dt.date(2014, 6, 18)] * 2


@pytest.mark.parametrize("source", ["بر اساس آمار وزارت بهداشت غزه،", "به گفته وزارت بهداشت غزه،"])
def test_a_source_of_figures_is_no_topic(ref, source):
    ex = run(ref, {"a": "جو بایدن در تماس تلفنی با امیر قطر درباره آتش‌بس در غزه گفت‌وگو کرد. دو طرف در این تماس تاکید "
                        f"کردند که {source} شمار کشته‌ها از ۴۶ هزار نفر گذشته است."},
             dt.datetime(2025, 1, 15, 11, 0, tzinfo=TEHRAN))
    assert "health" not in topics(ex)


def test_a_pronoun_after_a_first_person_quote_is_whom_the_speaker_talked_to(ref):
    # "X نوشت: با Y صحبت کردم. او با Z ...": او is Y, not the speaker X
    ex = run(ref, {"a": "دونالد ترامپ در توییتی نوشت: همین الان با محمد بن سلمان ولیعهد عربستان تلفنی صحبت کردم. او با "
                        "پوتین رئیس‌جمهور روسیه تلفنی گفت‌وگو کرده است."}, dt.datetime(2020, 4, 2, 20, 0, tzinfo=TEHRAN))
    assert calls(ex) == [["RU", "SA"], ["SA", "US"]]


def test_the_same_day_as_the_day_told_before(ref):
    # "در همین روز، X ..." after a sentence about another event of a named day
    ex = run(ref, {"a": "دور دوم تحریم‌های آمریکا از روز دوشنبه به اجرا درآمد. در همین روز، محمدجواد ظریف در پاسخ به "
                        "تماس تلفنی فدریکا موگرینی درباره برجام گفت‌وگو کرد."}, dt.datetime(2018, 11, 6, 7, 45, tzinfo=TEHRAN))
    assert day(ex) == (dt.date(2018, 11, 5), "day")


@pytest.mark.parametrize("text,name", [
    # a name before a bare title, with no comma, when it opens with a known first name
    ("حمید سجادی وزیر ورزش و جوانان روز سه‌شنبه تماس تلفنی وزیر ورزش عربستان سعودی را دریافت کرد.", "حمید سجادی"),
])
def test_a_name_before_a_bare_title_opened_by_a_first_name(ref, text, name):
    ex = run(ref, {"a": text}, dt.datetime(2023, 6, 14, 11, 0, tzinfo=TEHRAN))
    assert len(calls(ex)) == 1
    assert name in set(ex.officials["name_fa"]) | set(ref.officials.filter(
        pl.col("official_id").is_in(list(ex.participants["official_id"])))["name_fa"])


def test_the_subject_of_a_cleft_is_the_copulas_subject(ref):
    # "X از نخستین رهبرانی بود که ... در تماس تلفنی با Y ...": X called Y
    ex = run(ref, {"a": "رجب طیب اردوغان از نخستین سران خارجی بود که روز دوشنبه در تماس تلفنی با مسعود پزشکیان "
                        "پیروزی وی را تبریک گفت."}, dt.datetime(2024, 7, 10, 11, 0, tzinfo=TEHRAN))
    assert calls(ex) == [["IR", "TR"]] and caller(ex) == "TR"


@pytest.mark.parametrize("word, ordinal", [("نخستین", True), ("دومین", True), ("یازدهمین", True), ("چندمین", True),
                                           ("آخرین", True), ("زمین", False), ("تضمین", False), ("کمین", False)])
def test_an_ordinal_is_a_numeral_with_min_not_any_word_ending_in_min(word, ordinal):
    from transforms.extraction.predicates import _ORDINAL
    from transforms.extraction.text import norm

    assert bool(_ORDINAL.fullmatch(norm(word))) is ordinal
