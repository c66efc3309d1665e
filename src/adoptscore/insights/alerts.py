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

from adoptscore.insights.scope import EVERYTHING, Scope
from adoptscore.insights.scorecard import BadQuery, Scorecard
from adoptscore.insights.values import plain
from adoptscore.sqltext import quote

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
    found = card.memo(("alerts", period or card.latest, use_case), lambda: _alerts(card, period, use_case))
    found = found if scope.everything else [a for a in found if scope.admits(a.attributes)]
    if team is None or not found:
        return found
    # overrides change between requests, the memo does not: copies carry them, never the memo's alerts
    from adoptscore.team.overrides import until

    held = team.active_overrides({a.account_id for a in found}, at=at)
    return [replace(a, override_color=o.color, override_reason=o.reason, override_by=o.author,
                    override_until=until(o)) if (o := held.get((a.account_id, a.use_case))) else a
            for a in found]


def _alerts(card: Scorecard, period: str | None, use_case: str | None) -> list[Alert]:
    period = card.resolve_period(period)
    titles = {u.id: u.title for u in card.rubric.use_cases}
    if use_case is not None and use_case not in titles:
        raise BadQuery(f"unknown use case {use_case!r}", hint="use cases: " + ", ".join(titles))
    columns = [*card.segment_columns, *card.attribute_columns]
    extra = "".join(f", p.{quote(c)}" for c in columns)
    order = "p.arr DESC NULLS LAST, " if "arr" in card.attribute_columns else ""
    condition = "" if use_case is None else "AND c.use_case = ?"
    rows = card.rows(f"""
        SELECT c.account_id, p.name, c.period, c.previous_period, c.use_case, c.previous_color, c.color,
               c.previous_score, c.score{extra}
        FROM use_case_changes c JOIN portfolio p ON p.account_id = c.account_id AND p.period = c.period
        WHERE c.period = ? AND c.dropped {condition}
        ORDER BY (c.previous_color = 'green' AND c.color = 'red') DESC, {order}p.name, c.use_case""",
                     [period] + ([use_case] if use_case else []))
    return [Alert(r["account_id"], r["name"], r["period"], r["previous_period"], r["use_case"], titles[r["use_case"]],
                  r["previous_color"], r["color"], float(r["previous_score"]), float(r["score"]),
                  "high" if (r["previous_color"], r["color"]) == ("green", "red") else "medium",
                  {c: r[c] for c in columns}) for r in rows]
