"""Coded, positioned diagnostics: the one way the engine reports an author's mistake.

Every problem found in a file becomes one line ``path:line:col: error CODE: message``
so editors, CI logs and instructors can jump straight to it. Codes are stable and
documented in docs/reference.md.
"""
from __future__ import annotations

from dataclasses import dataclass

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
    "E109": "persona inheritance goes round in a circle",
    "E110": "an archetype (abstract persona) cast in a role",
    # expressions
    "E200": "expression syntax error",
    "E201": "construct not allowed in an expression",
    "E202": "unknown name in an expression",
    "E203": "type mismatch in an expression",
    "E204": "expression too long or too deeply nested",
    "E205": "wrong number of arguments",
    "E206": "assignment to a read-only name",
    "E207": "text interpolation names an unknown value",
    # story structure
    "E300": "round unreachable from the start",
    "E301": "round has no way out",
    "W302": "ending never targeted",
    "W303": "variable declared but never used",
    "E304": "empty text",
    "E305": "invalid initial value or bounds",
    "E306": "scenario lacks a variable the model needs",
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

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.col}: {self.severity} {self.code}: {self.message}"

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
    """A list of Diagnostic that knows how to add entries and whether any is an error."""

    def add(self, path: str, pos: Pos | None, code: str, message: str) -> None:
        if code not in CODES:
            raise KeyError(f"undocumented diagnostic code {code}")
        pos = pos or Pos()
        severity = "warning" if code.startswith("W") else "error"
        self.append(Diagnostic(path, pos.line, pos.col, severity, code, message))

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self if d.severity == "error"]

    @property
    def has_errors(self) -> bool:
        return any(d.severity == "error" for d in self)

    def sorted(self) -> list[Diagnostic]:
        return sorted(self, key=lambda d: (d.path, d.line, d.col, d.code))


class StoryError(Exception):
    """Raised when a story cannot be used; carries the diagnostics that explain why."""

    def __init__(self, diagnostics: list[Diagnostic]):
        self.diagnostics = list(diagnostics)
        super().__init__("\n".join(str(d) for d in self.diagnostics) or "invalid story")
