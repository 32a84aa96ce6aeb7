"""Issue 12: the score measures judgement, not reading. On every bundled scenario, over
seeds 1-100, policies that see only an assessment-mode screen (the rendered choice
texts in display order) must fall far below the doctrine policy; walking out of a
feint must beat signing it; a greedy policy must not beat doctrine; and tag counts
alone must not explain most of the score. docs/testing.md explains the method.
"""
from __future__ import annotations

import functools

import pytest

from game.engine import load_library
from game.paths import story_paths
from game.tools.autoplay import play
from game.tools.validity import (
    HEURISTICS,
    good_ending,
    play_greedy,
    play_heuristic,
    r_squared,
    sign_or_walk_moments,
    summarise,
    tag_variance_share,
)

pytestmark = pytest.mark.validity

SEEDS = range(1, 101)
SCENARIO_IDS = sorted(load_library(story_paths(), compile_scenarios=False).scenario_files)


@pytest.fixture(scope="module")
def library():
    return load_library(story_paths())


@pytest.fixture(scope="module")
def games(library):
    """(scenario id, policy name) -> the 100 finished games, played once per module."""
    @functools.cache
    def played(scenario_id: str, policy: str) -> tuple:
        scenario = library.scenarios[scenario_id]
        if policy == "doctrine":
            return tuple(play(scenario, library.policies["doctrine"], seed) for seed in SEEDS)
        if policy == "greedy":
            return tuple(play_greedy(scenario, seed) for seed in SEEDS)
        return tuple(play_heuristic(scenario, policy, seed) for seed in SEEDS)
    return played


def test_every_bundled_scenario_is_checked(library):
    assert SCENARIO_IDS and set(SCENARIO_IDS) == set(library.scenarios)


@pytest.mark.parametrize("scenario_id, heuristic", [(s, h) for s in SCENARIO_IDS for h in HEURISTICS])
def test_reading_the_screen_scores_far_below_doctrine(games, scenario_id, heuristic):
    doctrine = summarise("doctrine", games(scenario_id, "doctrine"))
    other = summarise(heuristic, games(scenario_id, heuristic))
    assert other.mean_total <= doctrine.mean_total - 100, (doctrine, other)
    assert other.good <= doctrine.good / 4, (doctrine, other)


@pytest.mark.parametrize("scenario_id", SCENARIO_IDS)
def test_grabbing_immediate_points_does_not_beat_doctrine(games, scenario_id):
    doctrine = summarise("doctrine", games(scenario_id, "doctrine"))
    greedy = summarise("greedy", games(scenario_id, "greedy"))
    assert greedy.mean_total <= doctrine.mean_total, (doctrine, greedy)


@pytest.fixture(scope="module")
def moments(library, games):
    """Every moment where a doctrine or a random game could both sign and walk out, forked both ways."""
    @functools.cache
    def found(scenario_id: str) -> tuple:
        scenario = library.scenarios[scenario_id]
        out = []
        for policy in ("doctrine", "random"):
            paths = {s.seed: [c for _, c in s.history] for s in games(scenario_id, policy)}
            out += sign_or_walk_moments(scenario, paths.__getitem__, SEEDS)
        return tuple(out)
    return found


@pytest.mark.parametrize("scenario_id", SCENARIO_IDS)
def test_walking_out_of_a_feint_beats_signing_it(moments, scenario_id):
    feints = [m for m in moments(scenario_id) if m.values["feinting"]]
    assert feints, "no game reached a feint with both signing and walking out open"
    wrong = [m for m in feints if max(m.walk.values()) <= max(m.sign.values())]
    assert not wrong, f"{len(wrong)} of {len(feints)} feints scored signing at least as high: {wrong[:3]}"


@pytest.mark.parametrize("scenario_id", SCENARIO_IDS)
def test_signing_when_ripe_and_enforced_beats_walking_out(moments, scenario_id):
    ripe = [m for m in moments(scenario_id) if m.values["ripe"] and m.values["enforced"]
            and not m.values["feinting"]]
    wrong = [m for m in ripe if max(m.sign.values()) <= max(m.walk.values())]
    assert not wrong, f"{len(wrong)} of {len(ripe)} ripe moments scored walking out at least as high: {wrong[:3]}"


@pytest.mark.parametrize("scenario_id", SCENARIO_IDS)
def test_tag_counts_alone_explain_less_than_most_of_the_score(library, scenario_id):
    share = tag_variance_share(library.scenarios[scenario_id], range(1, 401))
    assert share < 0.6, share


def test_good_endings_count_only_settlements_and_timely_walk_aways(games):
    played = games("ceasefire-table", "doctrine") + games("ceasefire-table", "random")
    assert {s.outcome for s in played if good_ending(s)} == {"durable_settlement", "walk_away"}
    mistimed = [s for s in played if s.outcome == "walk_away" and not good_ending(s)]
    assert mistimed, "no random game walked out at the wrong moment"
    assert all(s.scores()["outcome"] < 40 for s in mistimed)


def test_r_squared_of_an_exact_fit_of_a_noisy_fit_and_of_repeated_columns():
    xs = [float(i % 7) for i in range(50)]
    exact = [[1.0, x, 2 * x] for x in xs]  # the third column repeats the second
    assert r_squared(exact, [3 * x + 1 for x in xs]) == pytest.approx(1.0)
    noise = [((i * 7919) % 13) - 6.0 for i in range(50)]
    assert r_squared([[1.0, x] for x in xs], noise) < 0.2
    half = [x + n for x, n in zip(xs, noise, strict=True)]
    assert 0.1 < r_squared([[1.0, x] for x in xs], half) < 0.9
