"""Call dates: stated (Jalali month names / digits, Gregorian, Hijri lunar), relative to
published_at in Asia/Tehran (امروز، دیروز، دیشب، روز جمعه، ساعتی پیش), occasion-based
(Eid al-Adha on a Friday, the arrival of 1400) and the publication date as a last resort.
Calendars through jdatetime and hijridate.

Returns (call_date, precision 'day'|'month'|'year'|None, basis 'stated'|'inferred'|'published'|None).
A month-precision date is stored as the first day of that month.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import ahocorasick
import jdatetime
from hijridate import Gregorian, Hijri

from core.script import TOKEN_LETTERS

from .memo import per_object

TEHRAN = ZoneInfo("Asia/Tehran")

JALALI_MONTHS = {"فروردین": 1, "اردیبهشت": 2, "خرداد": 3, "تیر": 4, "مرداد": 5, "امرداد": 5, "شهریور": 6,
                 "مهر": 7, "آبان": 8, "ابان": 8, "آذر": 9, "اذر": 9, "دی": 10, "بهمن": 11, "اسفند": 12}
GREG_MONTHS = {"ژانویه": 1, "ژانویهٔ": 1, "فوریه": 2, "مارس": 3, "آوریل": 4, "اوریل": 4, "آپریل": 4, "اپریل": 4, "مه": 5, "مى": 5, "می": 5,
               "ژوئن": 6, "جون": 6, "ژوئیه": 7, "جولای": 7, "ژوییه": 7, "اوت": 8, "آگوست": 8, "اگوست": 8, "اوگوست": 8,
               "سپتامبر": 9, "اکتبر": 10, "نوامبر": 11, "دسامبر": 12}
HIJRI_MONTHS = {"محرم": 1, "صفر": 2, "ربیع الاول": 3, "ربیع الثانی": 4, "ربیع الآخر": 4, "جمادی الاول": 5,
                "جمادی الاولی": 5, "جمادی الثانی": 6, "جمادی الثانیه": 6, "جمادی الآخر": 6, "رجب": 7, "شعبان": 8,
                "رمضان": 9, "شوال": 10, "ذی القعده": 11, "ذیقعده": 11, "ذی الحجه": 12, "ذیحجه": 12, "ذی حجه": 12}
WEEKDAYS = {"شنبه": 5, "یکشنبه": 6, "یک شنبه": 6, "دوشنبه": 0, "دو شنبه": 0, "سه شنبه": 1, "سهشنبه": 1,
            "چهارشنبه": 2, "چهار شنبه": 2, "پنجشنبه": 3, "پنج شنبه": 3, "جمعه": 4}
from .text import LiteralStarts, norm as _n

JALALI_MONTHS = {_n(k): v for k, v in JALALI_MONTHS.items()}
GREG_MONTHS = {_n(k): v for k, v in GREG_MONTHS.items()}
HIJRI_MONTHS = {_n(k): v for k, v in HIJRI_MONTHS.items()}
WEEKDAYS = {_n(k): v for k, v in WEEKDAYS.items()}

TODAY = ["امروز", "امشب", "ساعتی پیش", "ساعاتی پیش", "دقایقی پیش", "لحظاتی پیش", "دقایقی قبل", "ساعتی قبل", "عصر امروز",
         "صبح امروز", "ظهر امروز", "بامداد امروز", "امروز صبح", "امروز عصر"]
YESTERDAY = ["دیروز", "روز گذشته", "دیشب", "شب گذشته", "نیمه شب دیشب", "نیمه شب گذشته", "عصر دیروز", "صبح دیروز"]
ERA_CUES = {"کرونا": dt.date(2020, 1, 1), "کووید": dt.date(2020, 1, 1)}


# Persian and Arabic letters, not the Arabic comma, semicolon or question mark that share
# their Unicode block: "روز دوشنبه،" ends at the comma
_LETTER = TOKEN_LETTERS

# Built once (they were built and looked up in re's cache on every call). A longer
# name first, so that e.g. "ربیع الاول" wins over a shorter name it contains.
def _longest_first(words) -> list[str]:
    return sorted(words, key=len, reverse=True)


_JALALI_DATE = re.compile(
    r"(?<!\d)(\d{1,2}) (" + "|".join(_longest_first(JALALI_MONTHS)) + r")(?: ?ماه)?(?: (?:سال )?(\d{4}))?" + rf"(?![{_LETTER}])"
)
_GREGORIAN_DATE = re.compile(r"(?<!\d)(\d{1,2}) (" + "|".join(_longest_first(GREG_MONTHS)) + r")(?: (\d{4}))?" + rf"(?![{_LETTER}])")
_HIJRI_DATE = re.compile(r"(?<!\d)(\d{1,2}) (" + "|".join(_longest_first(HIJRI_MONTHS)) + r")(?: (\d{4}))?" + rf"(?![{_LETTER}])")
# a Gregorian month with its year and no day: "در دسامبر ۲۰۲۲" (a Jalali month spans two
# Gregorian ones, so it gives no month here)
_GREGORIAN_MONTH = re.compile(r"(?<!\d )(?<![\d" + _LETTER + r"])(" + "|".join(_longest_first(GREG_MONTHS))
                              + r") (?:سال )?((?:19|20)\d\d)(?!\d)")
_NUMERIC_JALALI_DATE = re.compile(r"(?<!\d)(1[34]\d\d)/(\d{1,2})/(\d{1,2})(?!\d)")
_DIGIT = re.compile(r"\d")  # every stated-date pattern needs one
_WEEKDAYS_LONGEST_FIRST = _longest_first(WEEKDAYS)
_YESTERDAY_LONGEST_FIRST = _longest_first(YESTERDAY)
_TODAY_LONGEST_FIRST = _longest_first(TODAY)


def _norm_words(s: str) -> str:
    return f" {s} "


def local_published(published_at) -> dt.datetime | None:
    if published_at is None:
        return None
    if published_at.tzinfo is None:
        published_at = published_at.replace(tzinfo=dt.timezone.utc)
    return published_at.astimezone(TEHRAN)


@functools.lru_cache(maxsize=4096)
def _word_re(w: str) -> re.Pattern:
    return re.compile(rf"(?<![\w{_LETTER}])" + re.escape(w) + rf"(?![\w{_LETTER}])")


def _has(s: str, w: str) -> int:
    """Index of w as a whole word in s, or -1. Most words are absent: a substring test
    settles those without a regex."""
    if w not in s:
        return -1
    m = _word_re(w).search(s)
    return m.start() if m else -1


# a date with no year this soon after publication is of the coming weeks, not last year's
_COMING = dt.timedelta(days=60)


def _yearless(this_year: dt.date, last_year, pub: dt.date) -> dt.date | None:
    """A day and month with no year: this year's, unless it is after publication; then
    None in the coming weeks (an event to come, no call's day), else last year's
    (``last_year()``)."""
    if this_year <= pub + dt.timedelta(days=2):
        return this_year
    return None if this_year <= pub + _COMING else last_year()


def stated_date(s: str, pub: dt.date | None) -> dt.date | None:
    if not _DIGIT.search(s):
        return None
    # Jalali: 10 مرداد 1399
    for m in _JALALI_DATE.finditer(s):
        d, mo, y = int(m.group(1)), JALALI_MONTHS[m.group(2)], m.group(3)
        try:
            if y:
                return jdatetime.date(int(y), mo, d).togregorian()
            if pub:
                jy = jdatetime.date.fromgregorian(date=pub).year
                g = _yearless(jdatetime.date(jy, mo, d).togregorian(),
                              lambda: jdatetime.date(jy - 1, mo, d).togregorian(), pub)
                if g is not None:
                    return g
        except ValueError:
            continue
    for m in _GREGORIAN_DATE.finditer(s):
        d, mo, y = int(m.group(1)), GREG_MONTHS[m.group(2)], m.group(3)
        try:
            if y:
                return dt.date(int(y), mo, d)
            if pub:
                g = _yearless(dt.date(pub.year, mo, d), lambda: dt.date(pub.year - 1, mo, d), pub)
                if g is not None:
                    return g
        except ValueError:
            continue
    for m in _HIJRI_DATE.finditer(s):
        d, mo, y = int(m.group(1)), HIJRI_MONTHS[m.group(2)], m.group(3)
        try:
            if y:
                return Hijri(int(y), mo, d).to_gregorian().datetuple() and dt.date(*Hijri(int(y), mo, d).to_gregorian().datetuple())
            if pub:
                hy = Gregorian(pub.year, pub.month, pub.day).to_hijri().year
                g = _yearless(dt.date(*Hijri(hy, mo, d).to_gregorian().datetuple()),
                              lambda: dt.date(*Hijri(hy - 1, mo, d).to_gregorian().datetuple()), pub)
                if g is not None:
                    return g
        except (ValueError, OverflowError):
            continue
    # numeric Jalali 1399/05/10
    for m in _NUMERIC_JALALI_DATE.finditer(s):
        try:
            return jdatetime.date(int(m.group(1)), int(m.group(2)), int(m.group(3))).togregorian()
        except ValueError:
            continue
    return None


def stated_in_window(text: str, window: tuple[dt.date, dt.date], weekday: int | None) -> dt.date | None:
    """A day and month with no year ("روز سه‌شنبه ۱۳ آذرماه") in an article with no
    publication date: the one year of the window (the dates every participant held
    office) that gives that day, on the weekday the text names if it names one."""
    lo, hi = window
    for rx, to_date in ((_JALALI_DATE, lambda y, mo, d: jdatetime.date(y - 621, mo, d).togregorian()),
                        (_GREGORIAN_DATE, lambda y, mo, d: dt.date(y, mo, d))):
        for m in rx.finditer(text):
            if m.group(3):
                continue
            months = JALALI_MONTHS if rx is _JALALI_DATE else GREG_MONTHS
            d, mo = int(m.group(1)), months[m.group(2)]
            found = set()
            for y in range(lo.year, hi.year + 2):
                try:
                    x = to_date(y, mo, d)
                except ValueError:
                    continue
                if lo <= x <= hi and (weekday is None or x.weekday() == weekday):
                    found.add(x)
            if len(found) == 1:
                return found.pop()
    return None


def weekday_of(s: str) -> int | None:
    for w in _WEEKDAYS_LONGEST_FIRST:
        i = _has(s, w)
        if i >= 0:
            after = s[i + len(w): i + len(w) + 8]
            if "آینده" in after or "اینده" in after:
                continue
            return WEEKDAYS[w]
    return None


def relative_date(s: str, pub: dt.date) -> dt.date | None:
    for w in _YESTERDAY_LONGEST_FIRST:
        if _has(s, w) >= 0:
            return pub - dt.timedelta(days=1)
    if _has(s, "پریروز") >= 0:
        return pub - dt.timedelta(days=2)
    for w in _TODAY_LONGEST_FIRST:
        if _has(s, w) >= 0:
            return pub
    wd = weekday_of(s)
    if wd is not None:
        delta = (pub.weekday() - wd) % 7
        return pub - dt.timedelta(days=delta)
    return None


def occasion_dates(occ_row: dict, years: range) -> list[dt.date]:
    return list(_occasion_dates(occ_row["calendar"], int(occ_row["month"]), int(occ_row["day"]),
                                years.start, years.stop))


@functools.lru_cache(maxsize=4096)
def _occasion_dates(cal: str, mo: int, d: int, first: int, stop: int) -> tuple[dt.date, ...]:
    """Once per occasion and years, not once per call: every call of an article asks the
    same, and a Jalali or Hijri date costs a calendar conversion (jdatetime looks up the
    locale for each date it makes)."""
    out = []
    for y in range(first, stop):
        try:
            if cal == "gregorian":
                out.append(dt.date(y, mo, d))
            elif cal == "jalali":
                out.append(jdatetime.date(y - 621, mo, d).togregorian())
            else:
                hy0 = Gregorian(y, 1, 1).to_hijri().year
                for hy in (hy0, hy0 + 1):
                    g = dt.date(*Hijri(hy, mo, d).to_gregorian().datetuple())
                    if g.year == y:
                        out.append(g)
        except (ValueError, OverflowError):
            continue
    return tuple(sorted(set(out)))


@per_object
def _occasion_rows(occasions) -> tuple[list[tuple[dict, list[str]]], ahocorasick.Automaton | None]:
    """Each occasion row with its cues in matching form, built once per frame, and an
    automaton that finds any of the cues as a substring (None when there are none): one
    pass over an article, where a regex alternation of every cue tried each at every
    character."""
    from .text import norm

    rows = [(r, [c for c in map(norm, r.get("cues") or []) if len(c) >= 3]) for r in occasions.iter_rows(named=True)]
    cues = {c for _, row_cues in rows for c in row_cues}
    if not cues:
        return rows, None
    automaton = ahocorasick.Automaton()
    for cue in cues:
        automaton.add_word(cue, cue)
    automaton.make_automaton()
    return rows, automaton


def find_occasions(s_all: str, occasions, countries: set) -> list[dict]:
    """The occasions the text names (a national day only for a country of the call)."""
    return [r for r in _occasions_named(s_all, occasions) if not r.get("country_code") or r["country_code"] in countries]


_last_scan: list = [None, None, None]   # (text, occasions, rows): the calls of one article share a scan


def _occasions_named(s_all: str, occasions) -> list[dict]:
    if _last_scan[0] is s_all and _last_scan[1] is occasions:
        return _last_scan[2]
    rows, any_cue = _occasion_rows(occasions)
    found = []
    # Most articles hold none of the cues, not even as a substring: one scan settles that.
    if any_cue is not None and next(any_cue.iter(s_all), None) is not None:
        found = [r for r, cues in rows if any(_has(s_all, c) >= 0 for c in cues)]
    _last_scan[:] = [s_all, occasions, found]
    return found


def call_date(scope: str, article: str, pub_local: dt.datetime | None, occasions, countries: set,
              window: tuple[dt.date, dt.date] | None, occasions_only: bool = False):
    """scope: matching-form text of the call's sentences; article: whole matching-form text.
    occasions_only: the date an occasion gives (a national day, a feast), or none."""
    pub = pub_local.date() if pub_local else None
    if not occasions_only:
        sd = stated_date(scope, pub)
        if sd:
            return sd, "day", "stated"
        if pub:
            rd = relative_date(scope, pub)
            if rd:
                return rd, "day", "inferred"
    occ = find_occasions(article, occasions, countries)
    wd = weekday_of(scope)
    if occ:
        if pub:
            years = range(pub.year - 1, pub.year + 1)
            best = None
            for r in occ:
                for d in occasion_dates(r, years):
                    if pub - dt.timedelta(days=2) <= d <= pub and (best is None or d > best):
                        best = d
            if best and (pub_local.hour < 6 or best == pub):
                return best, "day", "inferred"
        else:
            ymin, ymax = (window or (dt.date(2000, 1, 1), dt.date(2026, 12, 31)))
            for cue, d0 in ERA_CUES.items():
                if _has(article, cue) >= 0:
                    ymin = max(ymin, d0)
            # explicit year: "سال 1400" (Jalali) / "1441" (Hijri)
            jy = re.search(r"سال (1[34]\d\d)(?!\d)", article)
            cands = []
            for r in occ:
                for d in occasion_dates(r, range(ymin.year, ymax.year + 1)):
                    if not (ymin <= d <= ymax):
                        continue
                    if jy and r["calendar"] == "jalali" and jdatetime.date.fromgregorian(date=d).year != int(jy.group(1)):
                        continue
                    cands.append((r, d))
            if wd is not None:
                hits = set()
                for r, d in cands:
                    for k in range(-3, 4):
                        x = d + dt.timedelta(days=k)
                        if x.weekday() == wd:
                            hits.add(x)
                if len(hits) == 1:
                    return hits.pop(), "day", "inferred"
                exact = {d for r, d in cands if d.weekday() == wd}
                if len(exact) == 1:
                    return exact.pop(), "day", "inferred"
            months = {(d.year, d.month) for r, d in cands}
            if len(months) == 1:
                y, m = months.pop()
                return dt.date(y, m, 1), "month", "inferred"
    if pub and not occasions_only:
        if pub_local.hour < 6:
            return dt.date(pub.year, pub.month, 1), "month", "published"
        return pub, "day", "published"
    return None, None, None


# --- the call's own date cue ------------------------------------------------------------

_L = TOKEN_LETTERS + "a-zA-Z0-9"
_PARTS_OF_DAY_WORDS = ("صبح", "عصر", "ظهر", "شب", "بامداد", "شامگاه", "نیمه شب", "بعد از ظهر", "بعدازظهر", "غروب")
_PARTS_OF_DAY = "(?:" + "|".join(_PARTS_OF_DAY_WORDS) + ")"
_WEEKDAY = "|".join(_WEEKDAYS_LONGEST_FIRST)
# relative day words -> days before publication (None: the publication day, unknown
# before 06:00 Tehran time, when "now" may still be the previous evening)
RELATIVE_DAYS = {
    "امروز": 0, "امشب": None, "ساعتی پیش": None, "ساعاتی پیش": None, "دقایقی پیش": None, "لحظاتی پیش": None,
    "دقایقی قبل": None, "ساعتی قبل": None, "ساعاتی قبل": None, "هم اکنون": None, "هم اینک": None,
    "در حال حاضر": None, "دیروز": 1, "دیشب": 1, "شب گذشته": 1, "روز گذشته": 1, "نیمه شب گذشته": 1,
    "نیمه شب دیشب": 1, "پریروز": 2, "شامگاه گذشته": 1,
    # a count of days back (not "دو روز گذشته", the last two days: a span)
    **{f"{n} روز {back}": k for k, n in enumerate(("دو", "سه", "چهار", "پنج"), start=2) for back in ("پیش", "قبل")},
}
_RELATIVE = "|".join(sorted(map(re.escape, RELATIVE_DAYS), key=len, reverse=True))
_CUE_RE = re.compile(
    rf"(?<![{_L}])(?:"
    rf"(?P<rel>(?:{_PARTS_OF_DAY} )?(?:{_RELATIVE})(?: (?:{_WEEKDAY}))?)"
    rf"|(?P<wd>(?:(?:روز|{_PARTS_OF_DAY}) )?(?P<wdname>{_WEEKDAY})(?: (?P<wdpart>شب|صبح|عصر))?(?P<past> (?:هفته )?(?:گذشته|قبل|پیش))?)"
    rf")(?![{_L}])"
)
# Every cue starts with one of these words: _CUE_RE is tried only where one does (re
# tried it at every position).
_CUE_STARTS = LiteralStarts([*_PARTS_OF_DAY_WORDS, *RELATIVE_DAYS, "روز", *_WEEKDAYS_LONGEST_FIRST])
_STATED_RES = (_JALALI_DATE, _GREGORIAN_DATE, _HIJRI_DATE, _NUMERIC_JALALI_DATE)
# a date that belongs to something else in the clause: "نقض آتش‌بس مورخ ۱۹ فروردین"
_OTHER_EVENT_BEFORE = ("مورخ", "از", "تا", "مصوب", "سال", "قطعنامه")


@dataclass(frozen=True)
class DateCue:
    start: int
    end: int
    kind: str      # stated | month | relative | weekday
    text: str


def date_cues(s: str, lo: int, hi: int) -> list[DateCue]:
    """Date phrases in s[lo:hi]: stated dates, relative days and weekdays."""
    out: list[DateCue] = []
    seg = s[lo:hi]
    if _DIGIT.search(seg):
        for rx in _STATED_RES:
            for m in rx.finditer(seg):
                prev = seg[:m.start()].split()[-1:] or [""]
                if prev[0] in _OTHER_EVENT_BEFORE:
                    continue
                out.append(DateCue(lo + m.start(), lo + m.end(), "stated", m.group()))
        for m in _GREGORIAN_MONTH.finditer(seg):
            if not any(c.start <= lo + m.start() < c.end for c in out):
                out.append(DateCue(lo + m.start(), lo + m.end(), "month", m.group()))
    for m in LiteralStarts.finditer(_CUE_RE, seg, _CUE_STARTS.starts_between(s, lo, hi)):
        if any(c.start <= lo + m.start() < c.end for c in out):
            continue
        if m.group().endswith(("پیش", "قبل")) and seg.startswith(" از ", m.end()):
            continue          # "دقایقی پیش از آنکه ..."، "دو روز قبل از سفر": before an event, not ago
        out.append(DateCue(lo + m.start(), lo + m.end(), "relative" if m.group("rel") else "weekday", m.group()))
    return sorted(out, key=lambda c: c.start)


def resolve_cue(cue: DateCue, pub_local: dt.datetime | None):
    """(date, precision, basis) a cue gives, or None when it gives no day."""
    pub = pub_local.date() if pub_local else None
    if cue.kind == "stated":
        d = stated_date(cue.text, pub)
        return (d, "day", "stated") if d else None
    if cue.kind == "month":
        m = _GREGORIAN_MONTH.search(cue.text)
        return dt.date(int(m.group(2)), GREG_MONTHS[m.group(1)], 1), "month", "stated"
    if pub is None:
        return None
    if cue.kind == "relative":
        for w in sorted(RELATIVE_DAYS, key=len, reverse=True):
            if _has(cue.text, w) >= 0:
                back = RELATIVE_DAYS[w]
                if back is None:
                    return None if pub_local.hour < 6 else (pub, "day", "inferred")
                return pub - dt.timedelta(days=back), "day", "inferred"
        return None
    m = _CUE_RE.fullmatch(cue.text)
    wd = WEEKDAYS[m.group("wdname")]
    delta = (pub.weekday() - wd) % 7
    if delta == 0 and m.group("past"):
        delta = 7
    return pub - dt.timedelta(days=delta), "day", "inferred"
