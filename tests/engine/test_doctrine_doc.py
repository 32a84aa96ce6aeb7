"""docs/doctrine.md documents every number of the model: this keeps it in step with the YAML.

When an instructor retunes story/rules.yaml, story/tactics.yaml or Volkov, the test
names the row of the document that now disagrees, so the explanation never drifts
from the data.
"""
from __future__ import annotations

import re

import pytest
import yaml

from game.engine import load_library
from game.paths import bundled_story

from .helpers import ROOT

DOC = (ROOT / "docs" / "doctrine.md").read_text(encoding="utf-8")
STORY = ROOT / "story"
RULES = yaml.safe_load((STORY / "rules.yaml").read_text(encoding="utf-8"))
TACTICS = yaml.safe_load((STORY / "tactics.yaml").read_text(encoding="utf-8"))
VOLKOV = load_library([bundled_story()], compile_scenarios=False).resolved["volkov"].data  # with the archetype
SIMPLE_EFFECT = re.compile(r"(\w+)\s*([+-])=\s*(\d+(?:\.\d+)?)\Z")


def section(title: str) -> str:
    """The text under a heading, up to the next heading of the same or a higher level."""
    match = re.search(rf"^(#+) {re.escape(title)}$", DOC, re.M)
    assert match, f"docs/doctrine.md has no section {title!r}"
    return re.split(rf"^#{{1,{len(match.group(1))}}} ", DOC[match.end():], flags=re.M)[0]


SECTIONS = {"rules": section("`story/rules.yaml`: the board"), "outcomes": section("Outcomes"),
            "tactics": section("`story/tactics.yaml`: scoring"),
            "volkov": section("`story/personas/aggressor.yaml` and `volkov.yaml`")}


def row(name: str, where: str) -> str:
    """The table row of a section whose first cell is `name`."""
    rows = [line for line in SECTIONS[where].splitlines() if line.startswith(f"| `{name}` |")]
    assert len(rows) == 1, f"docs/doctrine.md ({where}) needs exactly one table row for `{name}`"
    return rows[0]


def number(value) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


def signed_amounts(effects) -> list[str]:
    """'emotion -= 10' -> '-10': the form the document writes an effect in."""
    return [sign + amount for _, sign, amount in (SIMPLE_EFFECT.match(e).groups()
                                                 for e in effects if SIMPLE_EFFECT.match(e))]


STATE = [(n, s, "rules") for n, s in RULES["state"].items()] + [(n, s, "volkov") for n, s in VOLKOV["state"].items()]
REACTIONS = [(r, "rules") for r in RULES["reactions"]] + [(r, "volkov") for r in VOLKOV["reactions"]]


@pytest.mark.parametrize("name, spec, where", STATE, ids=[n for n, _, _ in STATE])
def test_every_variable_and_its_start(name, spec, where):
    assert f"| {number(spec['initial'])}" in row(name, where), f"start of {name} is now {spec['initial']}"


@pytest.mark.parametrize("name", VOLKOV["traits"])
def test_every_trait_and_its_value(name):
    assert f"| {number(VOLKOV['traits'][name])} |" in row(name, "volkov")


@pytest.mark.parametrize("name", RULES["derived"])
def test_every_derived_value_and_its_definition(name):
    assert f"`{RULES['derived'][name]}`" in row(name, "rules")


@pytest.mark.parametrize("reaction, where", REACTIONS, ids=[r["id"] for r, _ in REACTIONS])
def test_every_reaction_with_its_condition_chance_and_amounts(reaction, where):
    text = row(reaction["id"], where)
    for key in ("if", "chance"):
        if key in reaction:
            assert f"`{reaction[key]}`" in text, f"{reaction['id']}: {key} is now {reaction[key]!r}"
    for amount in signed_amounts(reaction.get("effects", [])):
        assert amount in text, f"{reaction['id']}: the document lacks the effect {amount}"


@pytest.mark.parametrize("move", VOLKOV["moves"], ids=[m["id"] for m in VOLKOV["moves"]])
def test_every_move_with_its_condition_weight_and_amounts(move):
    text = row(move["id"], "volkov")
    assert f"| {move['kind'].replace('_', ' ')} |" in text
    if "if" in move:
        assert f"`{move['if']}`" in text
    if "weight" in move:
        assert number(move["weight"]) in text
    for amount in signed_amounts(move.get("effects", [])):
        assert amount in text, f"{move['id']}: the document lacks the effect {amount}"


@pytest.mark.parametrize("tactic", TACTICS["tactics"])
def test_every_tactic_and_its_points(tactic):
    text = row(tactic, "tactics")
    for rule in TACTICS["tactics"][tactic].get("scoring", []):
        assert number(rule["points"]) in text, f"{tactic}: the document lacks {rule['points']} points"


@pytest.mark.parametrize("kind", RULES["outcomes"])
def test_every_outcome_and_its_points(kind):
    assert f"| {number(RULES['outcomes'][kind]['points'])} |" in row(kind, "outcomes")


def test_round_effects_catastrophe_and_move_chance():
    for effect in RULES["each_round"]:
        assert f"`{effect}`" in DOC
    assert "0.03" in RULES["catastrophe"] and "0.03" in DOC
    assert f"`move_chance: {VOLKOV['move_chance']}`" in DOC


@pytest.mark.parametrize("ident", list(TACTICS["sources"]) + list(TACTICS["concepts"]))
def test_every_source_and_concept_is_named(ident):
    assert f"`{ident}`" in DOC
