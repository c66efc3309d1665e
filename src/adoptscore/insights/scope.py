"""Which accounts a person may see: the read side of the team scorecard's roles.

A :class:`Scope` is a set of column conditions on an account's portfolio row (its segments and
attributes in the period looked at): ``{"segment": ["Enterprise"]}`` or ``{"owner": ["Ana Lopez"]}``.
An account is in scope when every column holds one of its values; the empty scope admits every
account. The insights functions take a scope and never return an account outside it, so every
front end (pages, JSON API, CSV downloads) is limited the same way.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Mapping


@dataclass(frozen=True)
class Scope:
    """Column -> allowed values; all columns must match. ``Scope()`` admits everything."""

    columns: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    @classmethod
    def of(cls, columns: Mapping[str, Any] | None) -> "Scope":
        """A scope from a plain mapping of column -> value or values (None or {}: everything)."""
        if not columns:
            return EVERYTHING
        return cls({str(c): tuple(str(v) for v in ([values] if isinstance(values, str) else values))
                    for c, values in columns.items()})

    @property
    def everything(self) -> bool:
        return not self.columns

    def admits(self, row: Mapping[str, Any]) -> bool:
        """Whether an account's portfolio row (segment and attribute values) is in scope."""
        for column, values in self.columns.items():
            value = row.get(column)
            if value is None or str(value) not in values:
                return False
        return True

    def equals(self) -> dict[str, list[str | None]]:
        """The scope as the portfolio frame's column filters."""
        return {column: list(values) for column, values in self.columns.items()}

    def describe(self) -> str:
        if self.everything:
            return "all accounts"
        return "; ".join(f"{column} {', '.join(values)}" for column, values in self.columns.items())


EVERYTHING = Scope()
