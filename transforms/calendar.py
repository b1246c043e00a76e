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
    while day <= end:
        j = jdatetime.date.fromgregorian(date=day)
        rows.append(
            (day, f"{j.year:04d}-{j.month:02d}-{j.day:02d}", j.year, j.month, j.day, JALALI_MONTHS[j.month - 1], WEEKDAYS_FA[day.weekday()])
        )
        day += timedelta(days=1)
    return pl.DataFrame(
        rows,
        schema={
            "date_day": pl.Date, "jalali_date": pl.String, "jalali_year": pl.Int32, "jalali_month": pl.Int32,
            "jalali_day": pl.Int32, "jalali_month_name": pl.String, "weekday_fa": pl.String,
        },
        orient="row",
    )
