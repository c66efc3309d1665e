"""Exports of the score history: Gainsight-ready scorecard files (measure scores with a comment
explaining each, and history rows for backfill), the stored tables as CSV or Parquet, and alerts
(color drops) as CSV or JSON, optionally POSTed to a webhook.

Everything here reads the score store (``adoptscore score DATA --store scores.duckdb``); nothing
scores. Every file is written through a temporary file and a rename: never half a file.
"""
from __future__ import annotations

from typing import Any

__all__ = [
    "ExportError",
    "GainsightScale",
    "StoredScores",
    "WebhookResult",
    "alert_rows",
    "export_tables",
    "history_rows",
    "measure_rows",
    "open_scores",
    "post_alerts",
    "snapshot_date",
]

_WHERE = {
    "ExportError": "source", "StoredScores": "source", "open_scores": "source",
    "GainsightScale": "scale",
    "measure_rows": "gainsight", "history_rows": "gainsight",
    "export_tables": "tables",
    "alert_rows": "alerts",
    "post_alerts": "webhook", "WebhookResult": "webhook",
    "snapshot_date": "periods",
}


def __getattr__(name: str) -> Any:  # lazy: the CLI imports this package on every command
    if name in _WHERE:
        from importlib import import_module

        return getattr(import_module(f"adoptscore.exports.{_WHERE[name]}"), name)
    raise AttributeError(name)
