"""Ending probabilities: the exact answer agrees with seeded uniform random play, and an
over-budget scenario is answered by Monte Carlo estimates that say they are estimates."""
from __future__ import annotations

import math
from collections import Counter

import pytest

from game.engine import Session, load_library
from game.paths import story_paths
from game.tools import odds, parallel

from .helpers import bundled

RUNS = 20_000


@pytest.fixture(scope="module")
def corridor(tmp_path_factory):
    """The worked example of docs/authoring.md: small enough to be solved exactly."""
    from .test_authoring_guide import _by_kind

    folder = tmp_path_factory.mktemp("guide")
    for kind in ("persona", "scenario"):
        (folder / f"{kind}.yaml").write_text(_by_kind(kind), encoding="utf-8")
    return load_library(story_paths([folder])).scenarios["grain-corridor"]


@pytest.mark.slow
def test_exact_probabilities_match_twenty_thousand_random_runs(corridor):
    answer = odds.ending_odds(corridor, max_seconds=600)
    assert answer["exact"]
    assert math.isclose(sum(answer["uniform"].values()), 1.0)
    played = odds.sampled(corridor, RUNS, 0, deadline=math.inf, jobs=parallel.cores())
    assert played["runs"] == RUNS and played["failed"] == 0
    counts = Counter({e: round(x["p"] * RUNS) for e, x in played["uniform"].items() if x["p"] > 0})
    assert set(counts) == {e for e, p in answer["uniform"].items() if p > 0}
    for ending_id, p in answer["uniform"].items():
        error = math.sqrt(p * (1 - p) / RUNS)
        assert abs(counts[ending_id] / RUNS - p) <= 4 * error + 1e-12, (ending_id, counts, answer["uniform"])


def test_best_strategy_beats_random_play_and_is_a_playable_line(corridor):
    answer = odds.ending_odds(corridor, max_seconds=600)
    best = answer["best"]
    by_chance = sum(p for e, p in answer["uniform"].items() if corridor.endings[e].outcome == odds.BEST_OUTCOME)
    assert best["outcome"] == odds.BEST_OUTCOME and by_chance < best["probability"] <= 1 + 1e-12
    session = Session(corridor, 0)
    for choice_id in best["choices"]:
        assert choice_id in [c.id for c in session.choices()]
        session.choose(choice_id)
    assert session.ended


def test_over_budget_the_answer_is_an_estimate_with_intervals(corridor):
    exact = odds.ending_odds(corridor, max_seconds=600)["uniform"]
    answer = odds.ending_odds(corridor, max_seconds=600, max_states=3, samples=3000, seed=5)
    assert not answer["exact"] and "budget" in answer["why_not_exact"] and answer["runs"] == 3000
    for ending_id, estimate in answer["uniform"].items():
        assert estimate["low"] <= estimate["p"] <= estimate["high"]
        half = 4 * math.sqrt(exact[ending_id] * (1 - exact[ending_id]) / 3000)
        assert abs(estimate["p"] - exact[ending_id]) <= half, (ending_id, estimate, exact[ending_id])


def test_seeded_runs_in_several_processes_are_the_runs_of_one():
    scenario = bundled().scenarios["tutorial"]
    played = odds.sampled(scenario, 60, 11, deadline=math.inf, jobs=2)
    one_by_one = Counter(odds.uniform_play(scenario, seed) for seed in range(11, 71))
    assert {e: round(x["p"] * 60) for e, x in played["uniform"].items() if x["p"]} == dict(one_by_one)


def test_the_flagship_is_not_exact_and_says_why():
    """Its graph grows faster than it can be weighed, so the search gives up early rather than
    spending its whole share of the time, and the answer names the variables that set a chance."""
    scenario = bundled().scenarios["ceasefire-table"]
    answer = odds.ending_odds(scenario, max_seconds=120, samples=50)
    assert not answer["exact"] and answer["runs"] == 50
    why = answer["why_not_exact"]
    assert "gave up" in why and "set probabilities" in why and "how often each persona made each move" in why
    for name in odds.chancy_variables(scenario):
        assert name in why


def test_chancy_variables_are_those_a_probability_reads():
    scenario = bundled().scenarios["ceasefire-table"]
    chancy = odds.chancy_variables(scenario)
    probabilities = [scenario.catastrophe_risk]
    for actor in scenario.actors:
        probabilities += [actor.move_chance, *(r.chance for r in actor.reactions), *(m.weight for m in actor.moves)]
    read = set().union(*(c.names for c in probabilities if c is not None))
    read |= {n for d in read & set(scenario.derived) for n in scenario.derived[d].names}
    assert chancy and set(chancy) <= read and "feint" in chancy  # a move's weight reads feint
    assert "stage" not in chancy and "stage" in odds.EndingKey(scenario).names  # read by conditions only


def test_with_no_count_the_estimate_plays_whole_chunks_until_the_deadline():
    scenario = bundled().scenarios["tutorial"]
    heard = []
    answer = odds.ending_odds(scenario, max_seconds=0.0, max_states=1, progress=lambda *r: heard.append(r))
    assert not answer["exact"] and "budget" in answer["why_not_exact"]
    assert answer["runs"] >= odds.RUNS_PER_CHUNK and answer["runs"] % odds.RUNS_PER_CHUNK == 0
    assert heard and all(total is None for what, _, total in heard if what == "uniform runs")


def test_states_with_a_different_last_move_are_not_merged():
    """A persona never makes the same move two rounds running, so the last move changes the odds."""
    scenario = bundled().scenarios["ceasefire-table"]
    key = odds.EndingKey(scenario)
    session = Session(scenario, 0, narrate=False)
    actor = next(a for a in scenario.actors if len(a.moves) > 1)
    first, second = session.fork(), session.fork()
    first.state.last_moves[actor.id] = actor.moves[0].id
    second.state.last_moves[actor.id] = actor.moves[1].id
    assert key(first) != key(second)
