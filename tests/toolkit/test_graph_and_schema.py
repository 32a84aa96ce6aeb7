"""Graph export and JSON Schemas: complete, styled, and one source of truth with the loader."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from game.engine.spec import KINDS
from game.tools import graph, jsonschema

from .helpers import ROOT, bundled, offramp

CHECK_JSONSCHEMA = Path(sys.executable).with_name("check-jsonschema")


@pytest.mark.parametrize("fmt", graph.FORMATS)
def test_graph_shows_every_round_choice_and_ending(fmt):
    scenario = bundled().scenarios["tutorial"]
    text = graph.render(scenario, fmt)
    for round_ in scenario.rounds.values():
        assert graph._node_id("round", round_.id) in text
        for choice in round_.choices:
            assert choice.id + (f" [{', '.join(choice.tags)}]" if choice.tags else "") in text
    for ending in scenario.endings.values():
        assert graph._node_id("end", ending.id) in text
    arrows = text.count(" -> ") if fmt == "dot" else text.count("-->") + text.count("-.->")
    assert arrows == len(graph.edges(scenario)) + 1  # plus the arrow from start


def test_endings_are_styled_by_outcome_kind():
    scenario = bundled().scenarios["tutorial"]
    mermaid, dot = graph.mermaid(scenario), graph.dot(scenario)
    for ending in scenario.endings.values():
        node = graph._node_id("end", ending.id)
        assert f":::{ending.outcome}" in next(line for line in mermaid.splitlines() if line.strip().startswith(node))
        colour = graph.OUTCOME_COLOURS[ending.outcome]
        assert colour in next(line for line in dot.splitlines() if line.strip().startswith(node + " ["))
        assert f"classDef {ending.outcome} fill:{colour}" in mermaid


def test_graph_cli_writes_a_file(tmp_path):
    out = tmp_path / "tutorial.dot"
    result = offramp("graph", "tutorial", "--format", "dot", "--out", out)
    assert result.returncode == 0, result.stderr
    assert out.read_text().startswith('digraph "tutorial" {')


@pytest.mark.parametrize("kind", list(KINDS))
def test_shipped_schema_is_what_the_generator_makes(kind):
    assert jsonschema.shipped_path(kind).read_text(encoding="utf-8") == jsonschema.text(kind), (
        "run: python -m game.tools.jsonschema")
    assert json.loads(offramp("schema", kind).stdout) == jsonschema.schema(kind)


def _validate(kind, paths) -> subprocess.CompletedProcess:
    return subprocess.run([str(CHECK_JSONSCHEMA), "--schemafile", str(jsonschema.shipped_path(kind)),
                           *map(str, paths)], capture_output=True, text=True, timeout=120)


def test_every_bundled_file_validates_with_a_third_party_validator():
    by_kind: dict[str, list[str]] = {}
    for source in bundled().files:
        by_kind.setdefault(source.kind, []).append(source.path)
    by_kind["playthrough"] = sorted(str(p) for p in (ROOT / "tests" / "playthroughs").glob("*.yaml"))
    assert {"scenario", "persona", "tactics", "rules", "policy"} <= set(by_kind)
    for kind, paths in by_kind.items():
        result = _validate(kind, paths)
        assert result.returncode == 0, f"{kind}: {result.stdout}{result.stderr}"


def test_the_validator_refuses_what_the_loader_refuses(tmp_path):
    source = (ROOT / "story" / "scenarios" / "tutorial.yaml").read_text(encoding="utf-8")
    bad = tmp_path / "bad.yaml"
    bad.write_text(source.replace("difficulty: introductory", "difficulty: impossible"), encoding="utf-8")
    result = _validate("scenario", [bad])
    assert result.returncode == 1 and "impossible" in result.stdout
