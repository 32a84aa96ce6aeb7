"""Coded, positioned diagnostics: the one way the engine reports an author's mistake.

Every problem found in a file becomes one line ``path:line:col: error CODE: message``
so editors, CI logs and instructors can jump straight to it. Codes are stable and
documented in docs/reference.md.
"""
from __future__ import annotations

from dataclasses import dataclass

from ..text_safety import clean_line

# Stable codes, one per kind of problem. Keep docs/reference.md in step with this table.
CODES: dict[str, str] = {
    # files and YAML
    "E001": "YAML syntax error",
    "E002": "duplicate key in a mapping",
    "E003": "wrong type of value",
    "E004": "required field missing",
    "E005": "unknown field",
    "E006": "file unreadable (missing, binary, not UTF-8, or too large)",
    "E007": "unsupported YAML tag (nothing is ever constructed from tags)",
    "E008": "document too large after expanding aliases",
    "E009": "value out of range or not allowed",
    "E010": "file is empty",
    "E011": "unknown file kind or format version",
    "W012": "terminal control characters removed from text",
    # references and ids
    "E100": "unknown round or ending",
    "E101": "unknown persona",
    "E102": "unknown character or speaker",
    "E103": "unknown variable",
    "E104": "unknown tactic",
    "E105": "duplicate id",
    "E106": "unknown issue",
    "E107": "unknown scenario",
    "E108": "unknown concept or source",
    "W109": "an id from a later story folder replaces an earlier folder's (on purpose)",
    # expressions
    "E200": "expression syntax error",
    "E201": "construct not allowed in an expression",
    "E202": "unknown name in an expression",
    "E203": "type mismatch in an expression",
    "E204": "expression too long or too deeply nested",
    "E205": "wrong number of arguments",
    "E206": "assignment to a read-only name",
    "E207": "text interpolation names an unknown value",
    "W208": "a constant in an expression is not a finite number (infinite or NaN)",
    # story structure
    "E300": "round unreachable from the start",
    "E301": "round has no way out",
    "W302": "ending never targeted",
    "W303": "variable declared but never used",
    "E304": "empty text",
    "E305": "invalid initial value or bounds",
    "E306": "scenario lacks a variable the model needs",
    "E307": "a round can be reached with every choice closed",
    # runtime (reported by the engine while playing)
    "E400": "expression failed while playing",
}


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
        return f"{clean_line(self.path)}:{self.line}:{self.col}: {self.severity} {self.code}: {clean_line(self.message)}"

    def to_dict(self) -> dict:
        return {
            "path": self.path,
            "line": self.line,
            "col": self.col,
            "severity": self.severity,
            "code": self.code,
            "message": self.message,
        }


class Diagnostics(list):
    """A list of Diagnostic that knows how to add entries and how many are errors.

    The error count is kept as entries arrive, so asking "did this file add an error?"
    costs nothing however many diagnostics came before (validating 20,000 bad files
    stays linear)."""

    error_count = 0

    def add(self, path: str, pos: Pos | None, code: str, message: str) -> None:
        if code not in CODES:
            raise KeyError(f"undocumented diagnostic code {code}")
        pos = pos or Pos()
        severity = "warning" if code.startswith("W") else "error"
        self.append(Diagnostic(path, pos.line, pos.col, severity, code, message))

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

    @property
    def has_errors(self) -> bool:
        return self.error_count > 0

    def sorted(self) -> list[Diagnostic]:
        return sorted(self, key=lambda d: (d.path, d.line, d.col, d.code))


class StoryError(Exception):
    """Raised when a story cannot be used; carries the diagnostics that explain why."""

    def __init__(self, diagnostics: list[Diagnostic]):
        self.diagnostics = list(diagnostics)
        super().__init__("\n".join(str(d) for d in self.diagnostics) or "invalid story")
