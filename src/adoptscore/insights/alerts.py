"""Alerts: use cases whose color dropped in a period (Green to Yellow or Red, Yellow to Red).

The comparison is with the same account's row in the immediately preceding stored period; an
account with no row there raises no alert (there is nothing to drop from).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from adoptscore.insights.scope import EVERYTHING, Scope
from adoptscore.insights.scorecard import BadQuery, Scorecard
from adoptscore.insights.values import plain
from adoptscore.sqltext import quote


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

    def to_dict(self) -> dict[str, Any]:
        return plain(self)


def alerts(card: Scorecard, period: str | None = None, *, use_case: str | None = None,
           scope: Scope = EVERYTHING) -> list[Alert]:
    """Every color drop in ``period`` (default: the latest) of the accounts in ``scope``, most
    severe first, then by ARR when the accounts carry one, then by name."""
    found = card.memo(("alerts", period or card.latest, use_case), lambda: _alerts(card, period, use_case))
    return found if scope.everything else [a for a in found if scope.admits(a.attributes)]


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
