"""Same scenario, seed and choices give the same game; snapshots restore it exactly."""
from __future__ import annotations

import json
import random
from dataclasses import asdict

import pytest

from game.engine import Session
from game.engine.session import SnapshotError
from game.tools.autoplay import play

SEEDS = random.Random(20261121).sample(range(1, 1_000_000), 12)


def as_json(value):
    """What a session looks like after a trip through JSON (tuples become lists)."""
    return json.loads(json.dumps(value))


def fingerprint(session) -> dict:
    return as_json({"log": session.log, "ledger": session.ledger, "beats": [asdict(b) for b in session.beats],
                    "values": session.variables(), "ending": session.ending, "scores": session.scores(),
                    "round": session.round_id, "revealed": sorted(session.revealed)})


@pytest.fixture(scope="module")
def random_policy(bundled):
    return bundled.policies["random"]


@pytest.mark.parametrize("seed", SEEDS)
def test_random_seed_played_twice_gives_the_same_log(bundled, random_policy, seed):
    for scenario in bundled.scenarios.values():
        first = play(scenario, random_policy, seed, narrate=True)
        second = play(scenario, random_policy, seed, narrate=True)
        assert first.history == second.history
        assert fingerprint(first) == fingerprint(second)
        replayed = Session.replay(scenario, seed, [c for _, c in first.history])
        assert fingerprint(replayed) == fingerprint(first)


def test_seeds_are_not_all_alike(bundled, random_policy):
    """The comparison above would be empty if every seed played the same game."""
    scenario = bundled.scenarios["tutorial"]
    logs = {json.dumps(play(scenario, random_policy, seed, narrate=True).log) for seed in SEEDS}
    assert len(logs) > 1


@pytest.mark.parametrize("seed", SEEDS[:6])
def test_snapshot_json_restore_continue_matches_uninterrupted(bundled, random_policy, seed):
    for scenario in bundled.scenarios.values():
        whole = play(scenario, random_policy, seed, narrate=True)
        choices = [c for _, c in whole.history]
        for cut in sorted({1, len(choices) // 2, len(choices) - 1}):
            if not 0 < cut < len(choices):
                continue
            head = Session.replay(scenario, seed, choices[:cut])
            saved = json.loads(json.dumps(head.snapshot()))
            resumed = Session.restore(scenario, saved)
            assert fingerprint(resumed) == fingerprint(head)
            for choice_id in choices[cut:]:
                resumed.choose(choice_id)
            assert fingerprint(resumed) == fingerprint(whole), f"{scenario.id} seed {seed} cut {cut}"


def test_restore_refuses_a_snapshot_of_another_scenario(bundled):
    tutorial, other = bundled.scenarios["tutorial"], next(s for s in bundled.scenarios.values() if s.id != "tutorial")
    with pytest.raises(SnapshotError):
        Session.restore(other, Session(tutorial, 1).snapshot())


@pytest.mark.parametrize("damage", ["drop-values", "bad-round", "not-a-dict"])
def test_restore_refuses_malformed_snapshots(bundled, damage):
    scenario = bundled.scenarios["tutorial"]
    data = as_json(Session(scenario, 1).snapshot())
    if damage == "drop-values":
        del data["values"]
    elif damage == "bad-round":
        data["round"] = "no-such-round"
    else:
        data = ["not", "a", "snapshot"]
    with pytest.raises(SnapshotError):
        Session.restore(scenario, data)
