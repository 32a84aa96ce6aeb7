"""The bundled campaign is worth training on: size, coverage of the doctrine, and ending tests."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from game.engine import load_library
from game.paths import bundled_story

ROOT = Path(__file__).resolve().parents[2]
CAMPAIGN = ("tutorial", "ceasefire-table", "mediator", "leverage", "second-phase")
SKILL_FAMILIES = ("empathy.", "brink.", "offramp.")
WORD = re.compile(r"[A-Za-z0-9'’-]+")


@pytest.fixture(scope="module")
def library():
    return load_library([bundled_story()])


def _prose(scenario) -> list[str]:
    texts = []
    for round_ in scenario.rounds.values():
        texts.append(round_.text.source)
        texts += [line.text.source for line in round_.lines]
        for choice in round_.choices:
            texts.append(choice.text.source)
            texts += [t.source for t in (choice.say,) if t is not None]
            texts.append(choice.hint)
    for ending in scenario.endings.values():
        texts += [ending.title, ending.text.source]
    return texts


def test_the_bundled_story_validates_without_errors_or_warnings(library):
    assert [str(d) for d in library.diagnostics] == []


@pytest.mark.parametrize("scenario_id", CAMPAIGN)
def test_each_campaign_scenario_is_bundled_and_playable(library, scenario_id):
    assert scenario_id in library.scenarios


def test_flagship_size(library):
    flagship = library.scenarios["ceasefire-table"]
    assert len(flagship.rounds) >= 15
    assert flagship.choice_count >= 45
    assert len(flagship.endings) >= 5


@pytest.mark.parametrize("scenario_id", [s for s in CAMPAIGN if s != "ceasefire-table"])
def test_other_scenarios_size(library, scenario_id):
    scenario = library.scenarios[scenario_id]
    assert len(scenario.rounds) >= 8
    assert len(scenario.endings) >= 3


def test_campaign_has_at_least_15000_words_of_prose(library):
    words = 0
    for scenario_id in CAMPAIGN:
        words += sum(len(WORD.findall(text)) for text in _prose(library.scenarios[scenario_id]))
    for persona in library.personas.values():
        data = persona.data
        words += len(WORD.findall(str(data.get("description", ""))))
        for item in data.get("reactions", []) + data.get("moves", []):
            words += sum(len(WORD.findall(str(v["text"]))) for v in item.get("lines", []))
    assert words >= 15_000, words


@pytest.mark.parametrize("scenario_id", CAMPAIGN)
def test_endings_cover_at_least_four_outcome_kinds(library, scenario_id):
    outcomes = {e.outcome for e in library.scenarios[scenario_id].endings.values()}
    assert len(outcomes) >= 4, outcomes


@pytest.mark.parametrize("scenario_id", CAMPAIGN)
def test_scenario_trains_all_three_skills_and_sets_two_traps(library, scenario_id):
    tags = {t for r in library.scenarios[scenario_id].rounds.values() for c in r.choices for t in c.tags}
    for family in SKILL_FAMILIES:
        assert any(t.startswith(family) for t in tags), f"{scenario_id} has no {family}* choice"
    traps = {t for t in tags if t.startswith("discipline.")}
    assert len(traps) >= 2, traps


def test_every_tactic_in_the_catalogue_is_used_by_the_campaign(library):
    used = {t for sid in CAMPAIGN for r in library.scenarios[sid].rounds.values() for c in r.choices for t in c.tags}
    assert set(library.tactics) - used == set()


@pytest.mark.parametrize("scenario_id", CAMPAIGN)
def test_every_ending_has_a_playthrough_file(library, scenario_id):
    covered = set()
    for path in (ROOT / "tests" / "playthroughs").glob("*.yaml"):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        if data.get("scenario") == scenario_id:
            covered.add(data["expect"].get("ending"))
    assert set(library.scenarios[scenario_id].endings) - covered == set()
