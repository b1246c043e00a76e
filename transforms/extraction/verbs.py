"""Finite verb forms of the verbs a call report is built with, and their tense, mood,
polarity and person.

Whether a call happened is a property of the verb that governs it: "تماس گرفت" (past),
"تماس نگرفت" (negated), "تماس خواهد گرفت" (future), "تماس بگیرد" (subjunctive), "گفت‌وگو
می‌کند" (present: planned or habitual). hazm's POS models cannot be loaded here, and
hazm's Lemmatizer builds half a million forms at start-up; call reports need the
conjugations of a few light and reporting verbs, generated here from their two stems
by the regular rules of Persian conjugation, in the matching form (ZWNJ as a space).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

# (past stem, present stem): the light verbs of call nouns and the verbs that report a call
STEMS = [
    ("کرد", "کن"), ("داشت", "دار"), ("گرفت", "گیر"), ("زد", "زن"), ("داد", "ده"), ("شد", "شو"),
    ("نمود", "نما"), ("آورد", "آور"), ("خواست", "خواه"), ("گفت", "گو"), ("پرداخت", "پرداز"),
    ("افزود", "افزا"), ("یافت", "یاب"), ("ساخت", "ساز"), ("خواند", "خوان"), ("دانست", "دان"),
    ("کشید", "کش"), ("رساند", "رسان"), ("گذاشت", "گذار"), ("نوشت", "نویس"), ("شنید", "شنو"),
]
PERSONS = ("1s", "2s", "3s", "1p", "2p", "3p")
PAST_ENDINGS = ("م", "ی", "", "یم", "ید", "ند")
PRESENT_ENDINGS = ("م", "ی", "د", "یم", "ید", "ند")
PERFECT_AUX = ("ام", "ای", "است", "ایم", "اید", "اند")
COPULA = {
    "است": ("present", False, "3s"), "هست": ("present", False, "3s"), "هستند": ("present", False, "3p"),
    "هستیم": ("present", False, "1p"), "هستم": ("present", False, "1s"), "اند": ("present", False, "3p"),
    "نیست": ("present", True, "3s"), "نیستند": ("present", True, "3p"),
    "باشد": ("subjunctive", False, "3s"), "باشند": ("subjunctive", False, "3p"),
    "باشیم": ("subjunctive", False, "1p"), "باشم": ("subjunctive", False, "1s"),
}


# forms that news copy uses as other words: شدید "severe", کردی "Kurdish", نزد "at, with"
HOMOGRAPHS = {"شدید", "کردی", "نزد"}


@dataclass(frozen=True)
class VerbForm:
    tense: str        # past | perfect | pluperfect | present | subjunctive | future
    negative: bool
    person: str       # 1s 2s 3s 1p 2p 3p
    past_stem: str    # the verb, by its past stem (کرد, گرفت, داشت ...)


# stems whose final و is a short o, with no glide before an ending: شو -> شود, شنو -> شنود
NO_GLIDE = {"شو", "شنو"}


def _present(stem: str, ending: str) -> str:
    # a stem ending in a long vowel takes a glide: گو -> گوید, افزا -> افزاید
    if stem[-1] in "او" and ending and stem not in NO_GLIDE:
        return stem + "ی" + ending if not ending.startswith("ی") else stem + ending
    return stem + ending


@functools.lru_cache(maxsize=1)
def verb_forms() -> dict[str, VerbForm]:
    """Every form in the matching form (ZWNJ as a space) -> its analysis."""
    forms: dict[str, VerbForm] = {}

    def add(form: str, tense: str, negative: bool, person: str, stem: str) -> None:
        forms.setdefault(form, VerbForm(tense, negative, person, stem))

    for past, present in STEMS:
        for person, pe, ne in zip(PERSONS, PAST_ENDINGS, PRESENT_ENDINGS):
            for neg in (False, True):
                n = "ن" if neg else ""
                add(n + past + pe, "past", neg, person, past)
                add(("نمی " if neg else "می ") + past + pe, "past", neg, person, past)
                add(n + past + "ه بود" + pe, "pluperfect", neg, person, past)
                add(("نمی " if neg else "می ") + _present(present, ne), "present", neg, person, past)
                # داشتن has no می- present: دارد is indicative (ادامه دارد), داشته باشد its subjunctive.
                # A bare second person singular is a noun's suffix in news copy, not a verb
                # (تصمیم‌گیری، سرمایه‌گذاری، فعال‌سازی، اطلاع‌رسانی).
                if not (person == "2s" and not n):
                    add(n + _present(present, ne), "present" if present == "دار" else "subjunctive", neg, person, past)
                add(("نخواه" if neg else "خواه") + ne + " " + past, "future", neg, person, past)
            add("ب" + _present(present, ne), "subjunctive", False, person, past)
        for person, aux in zip(PERSONS, PERFECT_AUX):
            for neg in (False, True):
                n = "ن" if neg else ""
                add(n + past + "ه " + aux, "perfect", neg, person, past)
                add(n + past + "ه باش" + ("د" if person == "3s" else PRESENT_ENDINGS[PERSONS.index(person)]),
                    "subjunctive", neg, person, past)
        add(past + "ه", "perfect", False, "3s", past)
        add("ن" + past + "ه", "perfect", True, "3s", past)
    for form, (tense, neg, person) in COPULA.items():
        add(form, tense, neg, person, "بود")
    for word in HOMOGRAPHS:
        forms.pop(word, None)
    for person, pe in zip(PERSONS, PAST_ENDINGS):
        add("بود" + pe, "past", False, person, "بود")
        add("نبود" + pe, "past", True, person, "بود")
    return forms


@functools.lru_cache(maxsize=1)
def _starts() -> dict[str, int]:
    """First token of every form -> the most tokens a form starting with it has."""
    out: dict[str, int] = {}
    for f in verb_forms():
        words = f.split()
        out[words[0]] = max(out.get(words[0], 0), len(words))
    return out


# (_starts(), verb_forms()), bound on the first call: verb_at runs for most tokens near a
# call, and two cached-function calls each time cost more than its lookup
_TABLES: tuple[dict[str, int], dict[str, VerbForm]] | None = None


def verb_at(tokens: list[str], i: int) -> tuple[int, VerbForm] | None:
    """The longest verb form starting at tokens[i]: (number of tokens, analysis)."""
    global _TABLES
    if _TABLES is None:
        _TABLES = (_starts(), verb_forms())
    starts, forms = _TABLES
    longest = starts.get(tokens[i])
    if longest is None:
        return None
    if tokens[i] == "گفت" and i + 1 < len(tokens) and (tokens[i + 1] == "و" or tokens[i + 1].startswith(("وگو", "گو"))):
        return None       # گفت‌وگو (گفت‌وگویی، گفت‌وگوها), the noun
    for n in range(min(longest, len(tokens) - i), 1, -1):
        hit = forms.get(" ".join(tokens[i:i + n]))
        if hit is not None:
            return n, hit
    hit = forms.get(tokens[i])
    return None if hit is None else (1, hit)
