"""Issue 3's proof that the model teaches the doctrine: on every bundled scenario, over
seeds 1-200, playing as the essays advise beats the hawk, the appeaser and chance.

Scenarios are discovered from the bundled story, so a scenario a writer adds is
checked without touching this file. Each (scenario, policy) pair is played once
per test session and shared by the tests below.
"""
from __future__ import annotations

import dataclasses
import functools

import pytest

from game.engine import load_library
from game.engine.model import Policy
from game.paths import story_paths
from game.tools.autoplay import run

SEEDS = range(1, 201)
RIVALS = ("hawk", "appeaser", "random")
SCENARIO_IDS = sorted(load_library(story_paths(), compile_scenarios=False).scenario_files)


@pytest.fixture(scope="module")
def results(bundled):
    @functools.cache
    def play(scenario_id: str, policy_id: str) -> dict:
        scenario = bundled.scenarios.get(scenario_id)
        if scenario is None:
            errors = "\n".join(str(d) for d in bundled.diagnostics.errors)
            pytest.fail(f"bundled scenario {scenario_id!r} does not compile:\n{errors}")
        return run(scenario, bundled.policies[policy_id], SEEDS)
    return play


def good_endings(result: dict, scenario) -> int:
    """Durable settlements, plus walk-aways whose ending did not mark them as mistimed."""
    walk_points = scenario.outcomes["walk_away"].points
    return sum(1 for r in result["runs"] if r["outcome"] == "durable_settlement"
               or (r["outcome"] == "walk_away" and r["scores"]["outcome"] >= walk_points))


def test_every_bundled_scenario_is_checked(bundled):
    assert SCENARIO_IDS and set(SCENARIO_IDS) == set(bundled.scenario_files)


@pytest.mark.parametrize("scenario_id", SCENARIO_IDS)
@pytest.mark.parametrize("rival", RIVALS)
def test_doctrine_scores_higher(results, scenario_id, rival):
    doctrine, other = results(scenario_id, "doctrine"), results(scenario_id, rival)
    assert doctrine["mean"]["total"] > other["mean"]["total"], (doctrine["mean"], other["mean"])


@pytest.mark.parametrize("scenario_id", SCENARIO_IDS)
@pytest.mark.parametrize("rival", RIVALS)
def test_doctrine_reaches_settlement_or_timely_walk_away_more_often(bundled, results, scenario_id, rival):
    scenario = bundled.scenarios[scenario_id]
    doctrine, other = results(scenario_id, "doctrine"), results(scenario_id, rival)
    assert good_endings(doctrine, scenario) > good_endings(other, scenario), (doctrine["outcomes"], other["outcomes"])


@pytest.mark.parametrize("scenario_id", SCENARIO_IDS)
def test_hawk_escalates_more_than_doctrine(results, scenario_id):
    hawk, doctrine = results(scenario_id, "hawk"), results(scenario_id, "doctrine")
    assert hawk["outcomes"]["escalation"] > doctrine["outcomes"]["escalation"], (hawk["outcomes"], doctrine["outcomes"])


@pytest.mark.parametrize("scenario_id", SCENARIO_IDS)
def test_appeaser_capitulates_more_than_doctrine(results, scenario_id):
    appeaser, doctrine = results(scenario_id, "appeaser"), results(scenario_id, "doctrine")
    assert appeaser["outcomes"]["capitulation"] > doctrine["outcomes"]["capitulation"], \
        (appeaser["outcomes"], doctrine["outcomes"])


def test_a_policy_weighs_each_choice_by_its_own_tags_when_it_has_weighed_others_before():
    """Weights are remembered per tuple of tags: each tuple keeps its own sum, tag by tag."""
    policy = Policy("p", "test", {"empathy.*": 2.0, "empathy.label": 1.0, "brink.*": -3.0}, False, "<test>")
    assert policy.weight(("empathy.label",)) == 3.0
    assert policy.weight(("brink.bluff",)) == -3.0
    assert policy.weight(("empathy.label", "brink.bluff")) == 0.0
    assert policy.weight(("empathy.mirror",)) == 2.0
    assert policy.weight(("empathy.label",)) == 3.0
    assert policy.weight(()) == 0.0


def test_a_copy_of_a_policy_with_other_preferences_weighs_with_its_own(bundled):
    """A copy (as test_claims makes one without pressure) must not share the weights worked out."""
    doctrine = bundled.policies["doctrine"]
    tags = ("brink.sanctions",)
    before = doctrine.weight(tags)
    copy = dataclasses.replace(doctrine, id="copy", prefer={**doctrine.prefer, "brink.sanctions": before - 7.0})
    assert copy.weight(tags) != before
    assert doctrine.weight(tags) == before
