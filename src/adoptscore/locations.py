"""Telling a score store's location apart: a DuckDB file path, or a warehouse connection URL.

Kept free of heavy imports: every command that takes ``--store`` reads it before anything else.
"""
from __future__ import annotations

import os
from pathlib import Path

#: URL schemes of the warehouses a score store can live in (:mod:`adoptscore.store.warehouse`)
WAREHOUSE_SCHEMES = ("postgres", "postgresql")


def cache_home() -> Path:
    """Where adoptscore keeps what it can rebuild (warehouse store replicas, compiled rubrics):
    ``$ADOPTSCORE_CACHE``, else ``$XDG_CACHE_HOME/adoptscore``, else ``~/.cache/adoptscore``."""
    if os.environ.get("ADOPTSCORE_CACHE"):
        return Path(os.environ["ADOPTSCORE_CACHE"])
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return base / "adoptscore"


def state_home() -> Path:
    """Where adoptscore keeps what it cannot rebuild and that belongs to no file the user named (the
    team database of a warehouse store): ``$ADOPTSCORE_STATE``, else ``$XDG_STATE_HOME/adoptscore``,
    else ``~/.local/state/adoptscore`` (the XDG base directory for state)."""
    if os.environ.get("ADOPTSCORE_STATE"):
        return Path(os.environ["ADOPTSCORE_STATE"])
    base = Path(os.environ.get("XDG_STATE_HOME") or Path.home() / ".local" / "state")
    return base / "adoptscore"


def location_key(url: str) -> str:
    """A short name for a warehouse URL that stays the same when its password changes: the first 16
    hex digits of the SHA-256 of the URL without the password (user, host, database, schema kept)."""
    import hashlib
    from urllib.parse import urlsplit, urlunsplit

    parts = urlsplit(url)
    if parts.password is not None:
        host = parts.netloc.rsplit("@", 1)[1]
        parts = parts._replace(netloc=f"{parts.username}@{host}" if parts.username else host)
    return hashlib.sha256(urlunsplit(parts).encode()).hexdigest()[:16]


def is_warehouse(location: "str | os.PathLike") -> bool:
    """Whether a ``--store`` names a warehouse (a connection URL) rather than a DuckDB file."""
    return isinstance(location, str) and "://" in location and \
        location.split("://", 1)[0].lower() in WAREHOUSE_SCHEMES


def store_location(text: "str | Path") -> "Path | str":
    """A ``--store`` as given: a connection URL stays text, anything else is a file path."""
    return text if is_warehouse(text) else Path(text)


def shown(location: "str | os.PathLike") -> str:
    """A store's location as messages show it: a URL without its user's password."""
    text = str(location)
    if not is_warehouse(text):
        return text
    from urllib.parse import urlsplit, urlunsplit

    parts = urlsplit(text)
    if parts.password is None:
        return text
    netloc = parts.netloc.rsplit("@", 1)[1]
    user = parts.username or ""
    return urlunsplit(parts._replace(netloc=f"{user}:***@{netloc}" if user else netloc))
