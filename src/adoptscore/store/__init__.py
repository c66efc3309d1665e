"""The score history: every scored period of every rubric version, in one DuckDB file or a
PostgreSQL schema (:mod:`adoptscore.store.warehouse`).

History feeds trends, "why it changed", alerts, the web scorecard and the customer decks.
"""
from adoptscore.locations import is_warehouse, store_location
from adoptscore.store.history import Store, StoreError, open_store
from adoptscore.store.versions import version_key

__all__ = ["Store", "StoreError", "is_warehouse", "open_store", "store_location", "version_key"]
