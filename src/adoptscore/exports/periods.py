"""Calendar dates of period labels, for systems that key history rows by a snapshot date.

A period is whatever label the usage data carries; the ones with a calendar meaning are a month
(``2026-10``), a quarter (``2024-Q1``), an ISO week (``2026-W07``), a year (``2026``) and a day
(``2026-10-31``). Anything else has no date, and asking for one is an error.
"""
from __future__ import annotations

import calendar
import re
from datetime import date, timedelta

from adoptscore.exports.source import ExportError

_FORMS = (
    (re.compile(r"^(\d{4})-(\d{2})-(\d{2})$"), "day"),
    (re.compile(r"^(\d{4})-(\d{1,2})$"), "month"),
    (re.compile(r"^(\d{4})-?[Qq]([1-4])$"), "quarter"),
    (re.compile(r"^(\d{4})-?W(\d{2})$"), "week"),
    (re.compile(r"^(\d{4})$"), "year"),
)
SNAPSHOT_AT = ("end", "start")


def period_span(period: str) -> tuple[date, date]:
    """The first and last day of ``period``."""
    text = str(period).strip()
    for pattern, kind in _FORMS:
        match = pattern.match(text)
        if not match:
            continue
        parts = [int(g) for g in match.groups()]
        try:
            if kind == "day":
                day = date(*parts)
                return day, day
            if kind == "month":
                year, month = parts
                return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])
            if kind == "quarter":
                year, quarter = parts
                first = date(year, 3 * quarter - 2, 1)
                last_month = 3 * quarter
                return first, date(year, last_month, calendar.monthrange(year, last_month)[1])
            if kind == "week":
                year, week = parts
                monday = date.fromisocalendar(year, week, 1)
                return monday, monday + timedelta(days=6)
            return date(parts[0], 1, 1), date(parts[0], 12, 31)
        except ValueError:
            break
    raise ExportError(f"period {period!r} is not a calendar period, so it has no snapshot date",
                      hint="snapshot dates need periods like 2026-10, 2026-Q3, 2026-W07, 2026 or 2026-10-31")


def snapshot_date(period: str, at: str = "end") -> date:
    """The date a history row of ``period`` is filed under: its last day (``at="end"``, the
    default: the scores describe the whole period) or its first."""
    if at not in SNAPSHOT_AT:
        raise ExportError(f"unknown snapshot position {at!r}", hint="use end or start")
    first, last = period_span(period)
    return last if at == "end" else first
