"""Text that goes into SQL: quoted identifiers and string literals."""
from __future__ import annotations


def quote(name: str) -> str:
    """A SQL identifier, quoted."""
    return '"' + name.replace('"', '""') + '"'


def literal(value: str) -> str:
    """A SQL string literal (quotes doubled), for values a user typed or the data holds."""
    return "'" + str(value).replace("'", "''") + "'"
