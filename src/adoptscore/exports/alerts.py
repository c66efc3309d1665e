"""Alerts for export: the insights layer's color drops (:func:`adoptscore.insights.alerts.alerts`),
each with a stable idempotency key, a one-line summary and the explanation of the drop.

The key is derived from what identifies an alert (rubric, rubric version, account, use case,
period), never from when it was exported: exporting or posting the same period again gives the
same keys, so a receiver that remembers keys raises each task once.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

import pyarrow as pa

from adoptscore.exports.comments import explain_measures
from adoptscore.insights.alerts import alerts
from adoptscore.insights.scorecard import Scorecard
from adoptscore.insights.values import plain

if TYPE_CHECKING:
    from adoptscore.team.store import TeamStore

WHY_LIMIT = 1000
FIELDS = ["idempotency_key", "rubric", "rubric_version", "period", "previous_period", "account_id", "name",
          "use_case", "use_case_title", "previous_color", "color", "previous_score", "score", "severity",
          "summary", "why", "override_color", "override_reason", "override_by", "override_until"]


def alert_key(rubric: str, version: str, account_id: str, use_case: str, period: str) -> str:
    """The idempotency key of an alert: a SHA-256 of what identifies it (hex)."""
    text = "\x1f".join(["adoptscore-alert", rubric, str(version), account_id, use_case, period])
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass
class AlertExport:
    """A period's alerts, ready to write or post."""

    rubric: str
    rubric_version: str
    period: str
    previous_period: str | None
    attributes: list[str]               # the account attribute columns each alert carries
    alerts: list[dict[str, Any]]

    def document(self) -> dict[str, Any]:
        """The JSON document of the export."""
        return {"rubric": self.rubric, "rubric_version": self.rubric_version, "period": self.period,
                "previous_period": self.previous_period, "count": len(self.alerts), "alerts": self.alerts}

    def table(self) -> pa.Table:
        """One row per alert, the attributes as columns (for CSV)."""
        columns = FIELDS + [c for c in self.attributes if c not in FIELDS]
        rows = [{**{k: a[k] for k in FIELDS}, **{c: a["attributes"].get(c) for c in self.attributes}}
                for a in self.alerts]
        if not rows:
            return pa.table({c: pa.array([], pa.string()) for c in columns})
        return pa.Table.from_pylist(rows).select(columns)


def alert_rows(card: Scorecard, period: str | None = None, *, use_case: str | None = None,
               why_limit: int = WHY_LIMIT, team: TeamStore | None = None, at: datetime | None = None) -> AlertExport:
    """Every color drop of ``period`` (default: the latest), most severe first (the insights
    layer's order), each with its key, summary and explanation; with ``team``, each says the
    override of its use case in force at ``at`` (default: now), if any: never left out for it."""
    from adoptscore.team.overrides import override_words
    from adoptscore.team.store import now

    at = at or now()
    found = alerts(card, period, use_case=use_case, team=team, at=at)
    period = card.resolve_period(period)
    previous = card.previous_period(period)
    accounts = sorted({a.account_id for a in found})
    held = team.active_overrides(accounts, at=at) if team is not None else {}
    cursor = card.cursor()
    try:
        why = {(a, m): text for a, m, text in explain_measures(cursor, card.rubric, period, previous, accounts,
                                                                limit=why_limit, overrides=held)}
    finally:
        cursor.close()
    rows = []
    for alert in found:
        item = plain(alert.to_dict())
        attributes = item.pop("attributes")
        override = held.get((alert.account_id, alert.use_case))
        rows.append({
            "idempotency_key": alert_key(card.rubric.name, card.version, alert.account_id, alert.use_case, period),
            "rubric": card.rubric.name, "rubric_version": card.version, **item,
            "summary": f"{alert.name}: {alert.use_case_title} dropped from {alert.previous_color.title()} to "
                       f"{alert.color.title()} in {period}" + (f"; {override_words(override)}" if override else ""),
            "why": why.get((alert.account_id, alert.use_case), ""),
            "attributes": attributes,
        })
    return AlertExport(card.rubric.name, card.version, period, previous,
                       [*card.segment_columns, *card.attribute_columns], rows)
