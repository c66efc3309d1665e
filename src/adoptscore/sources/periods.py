"""What a period is: the text that names one scoring period of an account.

A period is a year (``2026``), a quarter (``2026-Q3``), a month (``2026-10``), an ISO week
(``2026-W07``) or a day (``2026-10-31``). Anything else (``2026-13``, ``garbage``, a blank) would be
scored and stored as a period of its own, so it is refused where the data is read.
"""
from __future__ import annotations

import datetime as dt
import re

FORMS = "YYYY, YYYY-Qn, YYYY-MM, YYYY-Www or YYYY-MM-DD"
_PERIOD = re.compile(r"^\d{4}(-Q[1-4]|-(0[1-9]|1[0-2])|-W(0[1-9]|[1-4]\d|5[0-3])|-\d{2}-\d{2})?$")


def is_period(text: object) -> bool:
    """Whether ``text`` names a period in one of :data:`FORMS` (a day must exist in the calendar)."""
    if not isinstance(text, str) or not _PERIOD.match(text):
        return False
    if len(text) == 10:
        try:
            dt.date.fromisoformat(text)
        except ValueError:
            return False
    return True


def span(periods: "list[str] | tuple[str, ...]") -> str:
    """Periods already in order, for a one-line summary: ``2026-10``, ``2025-08 to 2026-10``."""
    if not periods:
        return "no period"
    return periods[0] if len(periods) == 1 else f"{periods[0]} to {periods[-1]}"


def shown_range(periods: list[str]) -> str:
    """``periods`` for a message: all of them when few, else the first and last."""
    ordered = sorted(periods)
    if len(ordered) <= 6:
        return ", ".join(ordered)
    return f"{ordered[0]} to {ordered[-1]} ({len(ordered)} periods)"
