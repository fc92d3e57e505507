"""Dates as people expect them: Buddhist era and Thai month names in Thai, Gregorian in English."""

from __future__ import annotations

from datetime import date, datetime

from django.utils import timezone, translation

THAI_MONTHS_SHORT = [
    "ม.ค.",
    "ก.พ.",
    "มี.ค.",
    "เม.ย.",
    "พ.ค.",
    "มิ.ย.",
    "ก.ค.",
    "ส.ค.",
    "ก.ย.",
    "ต.ค.",
    "พ.ย.",
    "ธ.ค.",
]
EN_MONTHS_SHORT = [
    "Jan",
    "Feb",
    "Mar",
    "Apr",
    "May",
    "Jun",
    "Jul",
    "Aug",
    "Sep",
    "Oct",
    "Nov",
    "Dec",
]
BUDDHIST_ERA_OFFSET = 543


def format_date(
    value: date | datetime | None, *, with_time: bool = False, lang: str | None = None
) -> str:
    if value is None:
        return ""
    lang = lang or translation.get_language() or "th"
    if isinstance(value, datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
    if lang.startswith("th"):
        text = (
            f"{value.day} {THAI_MONTHS_SHORT[value.month - 1]} {value.year + BUDDHIST_ERA_OFFSET}"
        )
        if with_time and isinstance(value, datetime):
            text += f" {value:%H:%M} น."
        return text
    text = f"{value.day} {EN_MONTHS_SHORT[value.month - 1]} {value.year}"
    if with_time and isinstance(value, datetime):
        text += f", {value:%H:%M}"
    return text


def format_day_short(value: date, *, with_year: bool, lang: str | None = None) -> str:
    """A chart's axis label: "5 ม.ค." / "5 Jan", or with the year (Buddhist era in Thai)."""
    if with_year:
        return format_date(value, lang=lang)
    lang = lang or translation.get_language() or "th"
    months = THAI_MONTHS_SHORT if lang.startswith("th") else EN_MONTHS_SHORT
    return f"{value.day} {months[value.month - 1]}"
