"""Alerts: use cases whose color dropped in a period (Green to Yellow or Red, Yellow to Red).

The comparison is with the same account's row in the immediately preceding stored period; an
account with no row there raises no alert (there is nothing to drop from). An account owner's
override never silences an alert: the alert says it (its color, reason, author and end) beside
the computed drop.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from typing import TYPE_CHECKING, Any

from adoptscore.insights import alert_table
from adoptscore.insights.scope import EVERYTHING, Scope
from adoptscore.insights.scorecard import BadQuery, Scorecard
from adoptscore.insights.values import plain

if TYPE_CHECKING:
    from adoptscore.team.store import TeamStore


@dataclass
class Alert:
    account_id: str
    name: str
    period: str
    previous_period: str
    use_case: str
    use_case_title: str
    previous_color: str
    color: str
    previous_score: float
    score: float
    severity: str                   # high: from Green to Red; medium otherwise
    attributes: dict[str, Any]
    # the account owner's override of this use case in force (None: there is none)
    override_color: str | None = None
    override_reason: str | None = None
    override_by: str | None = None
    override_until: str | None = None   # the date it ends by itself

    def to_dict(self) -> dict[str, Any]:
        return plain(self)


def alerts(card: Scorecard, period: str | None = None, *, use_case: str | None = None,
           scope: Scope = EVERYTHING, team: TeamStore | None = None, at: datetime | None = None) -> list[Alert]:
    """Every color drop in ``period`` (default: the latest) of the accounts in ``scope``, most
    severe first, then by ARR when the accounts carry one, then by name; with ``team`` (a team
    database), each carries the override of its use case in force at ``at`` (default: now)."""
    found, _ = _read(card, period, use_case, scope, 0, None)
    return _with_overrides(found, team, at)


def alert_page(card: Scorecard, period: str | None = None, *, use_case: str | None = None,
               scope: Scope = EVERYTHING, page: int = 1, page_size: int = 100, team: TeamStore | None = None,
               at: datetime | None = None) -> tuple[list[Alert], int]:
    """Page ``page`` (from 1) of :func:`alerts`, ``page_size`` a page, and how many alerts there
    are in all: only the page's alerts are read (a period of a million accounts has hundreds of
    thousands) and only theirs carry overrides."""
    found, total = _read(card, period, use_case, scope, (page - 1) * page_size, page_size)
    return _with_overrides(found, team, at), total


def _with_overrides(found: list[Alert], team: TeamStore | None, at: datetime | None) -> list[Alert]:
    if team is None or not found:
        return found
    from adoptscore.team.overrides import until

    held = team.active_overrides({a.account_id for a in found}, at=at)
    return [replace(a, override_color=o.color, override_reason=o.reason, override_by=o.author,
                    override_until=until(o)) if (o := held.get((a.account_id, a.use_case))) else a
            for a in found]


def _read(card: Scorecard, period: str | None, use_case: str | None, scope: Scope, offset: int,
          limit: int | None) -> tuple[list[Alert], int]:
    period = card.resolve_period(period)
    titles = {u.id: u.title for u in card.rubric.use_cases}
    if use_case is not None and use_case not in titles:
        raise BadQuery(f"unknown use case {use_case!r}", hint="use cases: " + ", ".join(titles))
    columns = [*card.segment_columns, *card.attribute_columns]
    rows, total = alert_table.read(card, period, use_case, scope, offset, limit)
    return [Alert(r["account_id"], r["name"], r["period"], r["previous_period"], r["use_case"], titles[r["use_case"]],
                  r["previous_color"], r["color"], float(r["previous_score"]), float(r["score"]),
                  "high" if (r["previous_color"], r["color"]) == ("green", "red") else "medium",
                  {c: r[c] for c in columns}) for r in rows], total
