"""Calendar dimension: Gregorian days with their Jalali (Solar Hijri) form, via jdatetime."""

from __future__ import annotations

from datetime import date, timedelta

import jdatetime
import polars as pl

JALALI_MONTHS = ["فروردین", "اردیبهشت", "خرداد", "تیر", "مرداد", "شهریور", "مهر", "آبان", "آذر", "دی", "بهمن", "اسفند"]
# Python's weekday(): Monday = 0.
WEEKDAYS_FA = ["دوشنبه", "سه‌شنبه", "چهارشنبه", "پنجشنبه", "جمعه", "شنبه", "یکشنبه"]


def calendar_days(start: date, end: date) -> pl.DataFrame:
    """One row per day from ``start`` to ``end`` inclusive (dim_date's columns)."""
    rows = []
    day = start
    # jdatetime converts the first day; the others follow it a day at a time (a
    # conversion per day cost more than the rest of a small run's load).
    j = jdatetime.date.fromgregorian(date=start)
    year, month, mday = j.year, j.month, j.day
    while day <= end:
        rows.append(
            (day, f"{year:04d}-{month:02d}-{mday:02d}", year, month, mday, JALALI_MONTHS[month - 1], WEEKDAYS_FA[day.weekday()])
        )
        day += timedelta(days=1)
        mday += 1
        if mday > _jalali_month_days(year, month):
            mday, month = 1, month + 1
            if month > 12:
                month, year = 1, year + 1
    return pl.DataFrame(
        rows,
        schema={
            "date_day": pl.Date, "jalali_date": pl.String, "jalali_year": pl.Int32, "jalali_month": pl.Int32,
            "jalali_day": pl.Int32, "jalali_month_name": pl.String, "weekday_fa": pl.String,
        },
        orient="row",
    )


def _jalali_month_days(year: int, month: int) -> int:
    """Days in a Jalali month: 31 in the first six, 30 in the next five, and Esfand 29,
    or 30 in jdatetime's leap years."""
    if month <= 6:
        return 31
    if month <= 11:
        return 30
    return 30 if jdatetime.date(year, 1, 1).isleap() else 29
