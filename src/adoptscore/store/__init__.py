"""The score history: every scored period of every rubric version, in one DuckDB file.

History feeds trends, "why it changed", alerts, the web scorecard and the customer decks.
"""
from adoptscore.store.history import Store, StoreError, open_store
from adoptscore.store.versions import version_key

__all__ = ["Store", "StoreError", "open_store", "version_key"]
