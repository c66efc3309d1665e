"""One error type for everything a user can get wrong, carrying where it went wrong."""
from __future__ import annotations

import re
from dataclasses import dataclass

_ONE_LINE = re.compile(r"\s*[\r\n]+\s*")


@dataclass
class AdoptscoreError(Exception):
    """A user-facing error: what is wrong, where (file, line, column) and how to fix it.

    Front ends print :meth:`format` as one line and exit with code 2; no traceback.
    """

    message: str
    file: str | None = None
    line: int | None = None
    column: int | None = None
    hint: str | None = None

    def __post_init__(self) -> None:
        super().__init__(self.format())

    def where(self) -> str:
        parts = [self.file or ""]
        if self.line is not None:
            parts.append(str(self.line))
            if self.column is not None:
                parts.append(str(self.column))
        return ":".join(p for p in parts if p)

    def format(self) -> str:
        """``file:line:column: message (fix: hint)``, always one line (a message quoting a library's
        error may hold line breaks)."""
        where = self.where()
        text = f"{where}: {self.message}" if where else self.message
        if self.hint:
            text += f" (fix: {self.hint})"
        return _ONE_LINE.sub(" ", text).strip()

    def located(self, file: str | None = None, line: int | None = None,
                column: int | None = None) -> "AdoptscoreError":
        """A copy with the location filled in where it was missing."""
        return AdoptscoreError(self.message, self.file or file,
                               self.line if self.line is not None else line,
                               self.column if self.column is not None else column, self.hint)


class RubricError(AdoptscoreError):
    """A rubric file that cannot be loaded or is inconsistent."""


class DataError(AdoptscoreError):
    """Usage data that does not fit the rubric."""


def first_line(exc: BaseException) -> str:
    """A library's error in one line: its first, or its type when it says nothing."""
    lines = str(exc).strip().splitlines()
    return lines[0] if lines else type(exc).__name__
