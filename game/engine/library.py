"""Find and check every story file in one pass, then compile each scenario.

A ``Library`` is what ``offramp validate``, ``list`` and the game start from: the
catalogue, rules, personas, scenarios, policies and playthroughs found in the
story folders, plus every diagnostic met on the way. This module reads and checks
files; ``loader.load_library`` reads them all and then hands them to the compiler.
"""
from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypedDict

from . import codes
from .diagnostics import Diagnostics
from .model import Policy, Scenario, Skill, Tactic
from .personas import Persona
from .schema import INVALID, Ctx, Rec
from .spec import FORMAT, KINDS
from .yamlsource import YMap, YScalar, parse_bytes, read_bytes

YAML_SUFFIXES = (".yaml", ".yml")


@dataclass
class SourceFile:
    path: str
    kind: str
    data: Rec
    digest: str
    layer: int = 0  # index of the story folder it came from: a later folder may replace an earlier one's ids


@dataclass
class Library:
    diagnostics: Diagnostics = field(default_factory=Diagnostics)
    files: list[SourceFile] = field(default_factory=list)
    tactics: dict[str, Tactic] = field(default_factory=dict)  # tactic id -> model.Tactic
    skills: dict[str, Skill] = field(default_factory=dict)  # skill id -> model.Skill, in the catalogue's order
    concepts: dict[str, Rec] = field(default_factory=dict)  # concept id -> Rec
    sources: dict[str, Rec] = field(default_factory=dict)  # source id -> Rec
    rules: dict[str, SourceFile] = field(default_factory=dict)  # id -> SourceFile
    personas: dict[str, SourceFile] = field(default_factory=dict)  # id -> SourceFile, as written
    resolved: dict[str, Persona] = field(default_factory=dict)  # id -> personas.Persona, with what it extends merged in
    scenario_files: dict[str, SourceFile] = field(default_factory=dict)  # id -> SourceFile
    scenarios: dict[str, Scenario] = field(default_factory=dict)  # id -> model.Scenario (compiled)
    policies: dict[str, Policy] = field(default_factory=dict)  # id -> model.Policy
    playthroughs: list[SourceFile] = field(default_factory=list)  # SourceFile


def story_files(paths: Iterable[str | Path]) -> list[tuple[Path, int]]:
    """Every YAML file under the given files or folders, in a stable order, with its layer (the
    index of the path it was found under). A file named twice keeps its first place, its last
    spelling (the one the user typed after the defaults) and its last layer."""
    found: dict[Path, tuple[Path, int]] = {}
    for layer, raw in enumerate(paths):
        path = Path(raw)
        if path.is_dir():
            files = sorted(p for p in path.rglob("*") if p.suffix in YAML_SUFFIXES and p.is_file())
        else:
            files = [path]
        for p in files:
            found[p.resolve()] = (p, layer)
    return list(found.values())


def drop_identical(files: list[SourceFile]) -> list[SourceFile]:
    """A later folder holding the very same file (a checkout beside its installed copy) replaces
    the earlier copy silently: same kind and same bytes is the same file, not a clash."""
    latest: dict[tuple[str, str], int] = {}
    for source in files:
        key = (source.kind, source.digest)
        latest[key] = max(latest.get(key, source.layer), source.layer)
    return [s for s in files if s.layer == latest[(s.kind, s.digest)]]


def read_file(path: Path, diags: Diagnostics) -> SourceFile | None:
    """Parse and schema-check one file; None when it cannot be used."""
    name = str(path)
    raw = read_bytes(path, diags, name)  # checked before a byte is read: no FIFO, device or huge file
    if raw is None:
        return None
    digest = hashlib.sha256(raw).hexdigest()
    before = diags.error_count
    tree = parse_bytes(raw, name, diags)
    if tree is None:
        return None
    if not isinstance(tree, YMap):
        diags.add(name, getattr(tree, "pos", None), codes.WRONG_TYPE, "the top level of a story file must be a mapping")
        return None
    kind_node = tree.get("kind")
    kind = kind_node.text if isinstance(kind_node, YScalar) else None
    if kind not in KINDS:
        where = tree.key_pos.get("kind", tree.pos)
        known = ", ".join(KINDS)
        diags.add(name, where, codes.UNKNOWN_KIND if kind_node is not None else codes.MISSING_FIELD,
                  f"unknown kind {kind!r}; expected one of {known}" if kind_node is not None
                  else f"every story file needs 'kind:' (one of {known})")
        return None
    fmt = tree.get("format")
    if isinstance(fmt, YScalar) and fmt.text.strip() != str(FORMAT):
        diags.add(name, fmt.pos, codes.UNKNOWN_KIND,
                  f"format {fmt.text!r} is not supported; this offramp reads format {FORMAT}")
        return None
    data = KINDS[kind].check(tree, Ctx(name, diags))
    if data is INVALID or diags.error_count > before:
        return None
    return SourceFile(name, kind, data, digest)


class ScenarioRow(TypedDict):
    """The summary of one scenario file, playable or not."""

    id: str
    title: str
    summary: str
    difficulty: str
    minutes: int
    rounds: int
    choices: int
    endings: int
    path: str
    playable: bool


def scenario_rows(library: Library) -> list[ScenarioRow]:
    """One summary per scenario file, playable or not: what `offramp list` and the picker show."""
    rows: list[ScenarioRow] = []
    for ident, source in sorted(library.scenario_files.items()):
        data = source.data
        rows.append({
            "id": ident, "title": str(data["title"]), "summary": str(data["summary"]),
            "difficulty": str(data["difficulty"]), "minutes": int(data["minutes"]),
            "rounds": len(data["rounds"]), "choices": sum(len(r["choices"]) for r in data["rounds"].values()),
            "endings": len(data["endings"]), "path": source.path, "playable": ident in library.scenarios,
        })
    return rows


def cast_choices(library: Library, role: str) -> list[tuple[str, str]]:
    """(id, name) of every persona that can be cast in ``role`` (archetypes cannot), by name:
    what the picker offers for ``--cast``."""
    return sorted(((ident, str(p.data["name"])) for ident, p in library.resolved.items()
                   if not p.abstract and p.data.get("role") == role), key=lambda pair: (pair[1], pair[0]))
