"""Overrides where the score is read outside the server: which team database a deck or an export
run reads, and the words an override is said in beside the computed color.

The overrides themselves come from :meth:`adoptscore.team.store.TeamStore.active_overrides`, the
one reading of "in force for these accounts at this moment" that the web pages, the decks, the
Gainsight export and the alerts all call. A run that only reads scores must not create a team
database: it reads the one serve writes when that file exists, opened read-only, and otherwise
has no overrides to show.
"""
from __future__ import annotations

import os
import textwrap
from pathlib import Path

from adoptscore.team.store import Override, TeamStore

REASON_WORDS = 160   # a reason beyond this is cut in a deck line or an alert summary (the full one is in the team database)


def read_team_database(store: Path | str, explicit: str | os.PathLike | None = None) -> TeamStore | None:
    """The team database a read-only run shows overrides from, opened read-only: ``explicit``
    (``--team-db``; a missing file is an error, since the user named it), else the one serve
    uses by default beside ``store`` when it exists, else None (no overrides, and no file made)."""
    if explicit:
        return TeamStore(explicit, read_only=True)
    from adoptscore.team.config import default_database  # the team file's models: only when needed

    found = default_database(store)
    return TeamStore(found, read_only=True) if found.is_file() else None


def until(override: Override) -> str:
    """The last day an override holds, as a date (``2027-03-07``)."""
    return override.expires_at[:10]


def override_words(override: Override, *, reason_limit: int | None = REASON_WORDS) -> str:
    """``CSM override: Green (reason, until 2027-03-07)``: how a deck, a comment or an alert says
    an override beside the computed color (the reason on one line, cut at ``reason_limit``)."""
    reason = " ".join(override.reason.split())
    if reason_limit is not None:
        reason = textwrap.shorten(reason, reason_limit, placeholder="...")  # at a word
    return f"CSM override: {override.color.title()} ({reason}, until {until(override)})"
