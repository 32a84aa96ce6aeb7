"""One missing declaration, one error: unknown names met while compiling, grouped by name.

A persona that lacks a variable its reactions read would otherwise give an error at every
expression that reads it, in every scenario that casts it. The compiler hands each such
place here instead, and ``report`` gives one error per name, at the first place it is
needed, with the other places listed after it. Where none of those places is in the
scenario's own story folder (the bundled catalogue reading a variable an instructor's
rules lack), validating that folder alone would show nothing, so the scenario gets one
error at its cast naming every name it misses.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .codes import Code
from .diagnostics import Diagnostics, Pos

LINES_LISTED = 6  # line numbers named per file in "also needed at"; the rest are counted
DECLARE = "declare it in the rules' or a persona's state, or in the scenario's variables"


@dataclass(frozen=True, slots=True)
class Site:
    """One place that needs a name nothing declares, with the message it would have had alone."""

    path: str
    pos: Pos
    code: Code
    message: str


@dataclass
class _Need:
    """What one scenario misses: per name, every place that needs it, first met first."""

    anchor: Pos  # where the scenario names its cast
    layer: int
    names: dict[str, dict[tuple[str, Pos], Site]] = field(default_factory=dict)


class MissingNames:
    """The unknown names of every scenario in a library, reported once each by ``report``."""

    def __init__(self, layers: dict[str, int]):
        self.layers = layers  # file path -> index of the story folder it came from
        self.needs: dict[str, _Need] = {}  # scenario path -> what it misses

    def add(self, scenario: str, anchor: Pos, name: str, site: Site) -> None:
        need = self.needs.get(scenario)
        if need is None:
            need = self.needs[scenario] = _Need(anchor, self.layers.get(scenario, 0))
        need.names.setdefault(name, {}).setdefault((site.path, site.pos), site)

    def same_folder(self, path: str, other: str) -> bool:
        """Whether two files come from the same story folder (what one validate run shows)."""
        return self.layers.get(path, 0) == self.layers.get(other, 0)

    def misses(self, scenario: str) -> bool:
        """Whether the scenario at this path reads a name nothing declares (so it cannot be played)."""
        return scenario in self.needs

    def report(self, diags: Diagnostics) -> None:
        layers = sorted({need.layer for need in self.needs.values()})
        for layer in layers:
            needs = [(path, need) for path, need in self.needs.items() if need.layer == layer]
            places: dict[str, dict[tuple[str, Pos], Site]] = {}
            for _, need in needs:
                for name, sites in need.names.items():
                    merged = places.setdefault(name, {})
                    for key, site in sites.items():
                        merged.setdefault(key, site)
            shown = set()
            for name, sites in places.items():
                own = [site for site in sites.values() if self.layers.get(site.path, layer) == layer]
                if own:
                    first = own[0]
                    others = [site for site in sites.values() if site is not first]
                    fix = f"; {DECLARE}" if others and "did you mean" not in first.message else ""
                    diags.add(first.path, first.pos, first.code, first.message + _also(others) + fix)
                    shown.add(name)
            for path, need in needs:
                elsewhere = {name: list(sites.values()) for name, sites in need.names.items() if name not in shown}
                if elsewhere:
                    first = next(iter(elsewhere.values()))[0]
                    diags.add(path, need.anchor, first.code, _needed_here(elsewhere))


def _needed_here(elsewhere: dict[str, list[Site]]) -> str:
    """The one error at a scenario's cast for names only other story folders read."""
    def where(sites: list[Site]) -> str:
        first, more = sites[0], len(sites) - 1
        extra = f" and {more} more place{'s' * (more > 1)}" if more else ""
        return f"at {first.path}:{first.pos.line}:{first.pos.col}{extra}"

    if len(elsewhere) == 1:
        ((name, sites),) = elsewhere.items()
        return f"{sites[0].message} ({where(sites)}, needed by this scenario); {DECLARE}"
    listed = ", ".join(f"{name!r} ({where(sites)})" for name, sites in elsewhere.items())
    return (f"{len(elsewhere)} unknown names needed by this scenario: {listed}; "
            f"{DECLARE.replace('it ', 'them ', 1)}")


def _also(others: list[Site]) -> str:
    """'; also needed at 3 more places: volkov.yaml lines 82, 90; tactics.yaml line 241'."""
    if not others:
        return ""
    by_file: dict[str, list[int]] = {}
    for site in others:
        lines = by_file.setdefault(site.path, [])
        if site.pos.line not in lines:
            lines.append(site.pos.line)
    names = [Path(path).name for path in by_file]
    parts = []
    for path, lines in by_file.items():
        label = Path(path).name if names.count(Path(path).name) == 1 else path
        lines.sort()
        shown = ", ".join(str(n) for n in lines[:LINES_LISTED])
        rest = f" (+{len(lines) - LINES_LISTED} more)" if len(lines) > LINES_LISTED else ""
        parts.append(f"{label} line{'s' * (len(lines) > 1)} {shown}{rest}")
    count = len(others)
    return f"; also needed at {count} more place{'s' * (count > 1)}: " + "; ".join(parts)
