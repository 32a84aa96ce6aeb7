"""Ending probabilities: the exact answer agrees with seeded uniform random play, and an
over-budget scenario is answered by Monte Carlo estimates that say they are estimates."""
from __future__ import annotations

import math
from collections import Counter

import pytest

from game.engine import load_library
from game.paths import story_paths
from game.tools import odds

RUNS = 20_000


@pytest.fixture(scope="module")
def corridor(tmp_path_factory):
    """The worked example of docs/authoring.md: small enough to be solved exactly."""
    from .test_authoring_guide import _by_kind

    folder = tmp_path_factory.mktemp("guide")
    for kind in ("persona", "scenario"):
        (folder / f"{kind}.yaml").write_text(_by_kind(kind), encoding="utf-8")
    return load_library(story_paths([folder])).scenarios["grain-corridor"]


def test_exact_probabilities_match_twenty_thousand_random_runs(corridor):
    answer = odds.ending_odds(corridor, max_seconds=600)
    assert answer["exact"]
    assert math.isclose(sum(answer["uniform"].values()), 1.0)
    counts = Counter(odds.uniform_play(corridor, seed) for seed in range(RUNS))
    assert set(counts) == {e for e, p in answer["uniform"].items() if p > 0}
    for ending_id, p in answer["uniform"].items():
        error = math.sqrt(p * (1 - p) / RUNS)
        assert abs(counts[ending_id] / RUNS - p) <= 4 * error + 1e-12, (ending_id, counts, answer["uniform"])


def test_best_strategy_beats_random_play_and_is_a_playable_line(corridor):
    from game.engine import Session

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
