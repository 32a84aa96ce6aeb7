"""Coded, positioned diagnostics: the one way the engine reports an author's mistake.

Every problem found in a file becomes one line ``path:line:col: error CODE: message``
so editors, CI logs and instructors can jump straight to it. The codes are the
descriptors of ``codes.py``, from which docs/reference.md's table is generated.
"""
from __future__ import annotations

from dataclasses import dataclass

from ..text_safety import clean_line
from .codes import Code


@dataclass(frozen=True, slots=True)
class Pos:
    """A 1-based line and column in a source file."""

    line: int = 1
    col: int = 1


@dataclass(frozen=True, slots=True)
class Diagnostic:
    path: str
    line: int
    col: int
    severity: str  # "error" or "warning"
    code: str
    message: str

    def __str__(self) -> str:  # one line, whatever a file name or a quoted value holds
        where = f"{clean_line(self.path)}:{self.line}:{self.col}"
        return f"{where}: {self.severity} {self.code}: {clean_line(self.message)}"

    def to_dict(self) -> dict[str, str | int]:
        return {
            "path": self.path,
            "line": self.line,
            "col": self.col,
            "severity": self.severity,
            "code": self.code,
            "message": self.message,
        }


class Diagnostics(list[Diagnostic]):
    """A list of Diagnostic that knows how to add entries and how many are errors.

    The error count is kept as entries arrive, so asking "did this file add an error?"
    costs nothing however many diagnostics came before (validating 20,000 bad files
    stays linear)."""

    error_count = 0

    def add(self, path: str, pos: Pos | None, code: Code, message: str) -> None:
        pos = pos or Pos()
        self.append(Diagnostic(path, pos.line, pos.col, code.severity, code.code, message))

    def append(self, diagnostic: Diagnostic) -> None:
        super().append(diagnostic)
        if diagnostic.severity == "error":
            self.error_count += 1

    def dedupe(self) -> None:
        """Keep the first of identical entries (one mistake met once per scenario using it)."""
        self[:] = dict.fromkeys(self)
        self.error_count = sum(d.severity == "error" for d in self)

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self if d.severity == "error"]

    def sorted(self) -> list[Diagnostic]:
        return sorted(self, key=lambda d: (d.path, d.line, d.col, d.code))
