"""Each essay claim the model encodes, pinned on the laboratory fixtures (cast: volkov).

The fixtures (fixtures/lab.yaml, fixtures/drift.yaml) are owned by the tests, so
writers can edit the campaign freely. The assertions are about directions (up,
down, which outcome), not exact numbers, so instructors can tune the weights in
story/ without breaking them; they break only if the model stops saying what the
essays say.
"""
from __future__ import annotations

from itertools import pairwise

import pytest

from game.engine import Session

pytestmark = pytest.mark.claims


def play(scenario, *choice_ids, seed=1) -> Session:
    session = Session(scenario, seed)
    for choice_id in choice_ids:
        session.choose(choice_id)
    return session


def last_step(session) -> tuple[dict, dict]:
    step = session.steps[-1]
    return step["before"], step["after"]


# -- tactical empathy and messaging discipline (Dekleva & Pack; the stairway) --

def test_name_calling_lowers_rapport_and_raises_emotion(lab):
    before, after = last_step(play(lab, "insult"))
    assert after["rapport"] < before["rapport"]
    assert after["emotion"] > before["emotion"]
    assert after["face_threat"] > before["face_threat"]


def test_name_calling_knocks_the_stairway_back(lab):
    session = play(lab, "label", "ask-how")
    assert session.variables()["stage"] >= 2
    session.choose("insult")
    assert session.variables()["stage"] <= 1


def test_a_label_lowers_emotion_while_he_is_heated(lab):
    before, after = last_step(play(lab, "label"))
    assert after["emotion"] < before["emotion"]
    assert after["rapport"] > before["rapport"]


@pytest.mark.parametrize("influence", ["offer-face", "bridge", "phases", "mediator", "threat"])
def test_influence_before_rapport_backfires(lab, influence):
    session = play(lab, influence)
    before, after = last_step(session)
    assert before["stage"] < 2
    assert after["emotion"] > before["emotion"]
    assert after["rapport"] <= before["rapport"]


def test_the_same_influence_after_rapport_lands(lab):
    early = last_step(play(lab, "offer-face"))
    session = play(lab, "label", "ask-how")
    assert session.variables()["stage"] >= 2
    session.choose("offer-face")
    before, after = last_step(session)
    assert after["emotion"] < before["emotion"]
    assert after["way_out"] > before["way_out"]
    assert after["way_out"] - before["way_out"] > early[1]["way_out"] - early[0]["way_out"]


def test_the_stairway_climbs_one_step_at_a_time(lab):
    before, after = last_step(play(lab, "leap"))
    assert before["stage"] == 0 and after["stage"] == 1
    session = play(lab, "label", "ask-how", "summarise", "offer-face", "bridge")
    stages = [session.steps[0]["before"]["stage"]] + [s["after"]["stage"] for s in session.steps]
    assert all(0 <= b - a <= 1 for a, b in pairwise(stages)), stages
    assert stages[-1] > stages[0] + 1


def test_a_summary_before_rapport_is_a_brush_off(lab):
    early = play(lab, "summarise")
    before, after = last_step(early)
    assert after["rapport"] < before["rapport"]
    assert after["stage"] == before["stage"]

    late = play(lab, "label", "ask-how", "audit", "mirror")
    assert late.variables()["stage"] >= 2
    late.choose("summarise")
    before, after = last_step(late)
    assert after["rapport"] > before["rapport"]
    assert after["stage"] > before["stage"]
    points = lambda s: [e["points"] for e in s.ledger if e["tag"] == "empathy.summary"]  # noqa: E731
    assert points(late)[-1] > points(early)[-1]


# -- the bargaining structure (Person; Fearon) --

def test_pressing_the_ally_convinces_him_time_is_on_his_side(lab):
    before, after = last_step(play(lab, "press-ally"))
    assert after["time_on_side"] > before["time_on_side"]
    assert after["belief_gap"] > before["belief_gap"]
    assert after["ally_cohesion"] < before["ally_cohesion"]


def test_a_stalemate_he_cannot_break_makes_time_less_his(lab):
    before, after = last_step(play(lab, "aid"))
    assert after["time_on_side"] < before["time_on_side"]
    assert after["belief_gap"] < before["belief_gap"]
    assert after["hurt"] > before["hurt"]


def test_conceding_sovereignty_forces_capitulation(lab):
    session = play(lab, "give-sovereignty", "months-pass", "sign")
    assert session.outcome == "capitulation"
    assert any(e["type"] == "issue" and e["issue"] == "sovereignty" and e["indivisible"] for e in session.log)
    assert session.scores()["discipline"] < 0


def test_offering_to_split_sovereignty_is_named_as_such(lab):
    session = play(lab, "split-sovereignty")
    assert "discipline.split_indivisible" in {e["tag"] for e in session.ledger}
    assert session.scores()["discipline"] < 0


def test_conceding_a_divisible_issue_is_not_capitulation(lab):
    session = play(lab, "give-territory", "months-pass", "sign")
    assert session.outcome != "capitulation"


@pytest.mark.parametrize("path, outcome", [
    (["months-pass", "sign"], "durable_settlement"),
    (["months-pass", "guarantors-leave", "sign"], "fragile_ceasefire"),
    (["sign"], "fragile_ceasefire"),
    (["give-sovereignty", "months-pass", "sign"], "capitulation"),
], ids=["ripe-and-enforced", "no-enforcement", "unripe-feint", "sovereignty-conceded"])
def test_the_same_sign_choice_ends_as_the_state_decides(lab, path, outcome):
    assert play(lab, *path).outcome == outcome


def test_a_deal_without_enforcement_ends_fragile(lab):
    session = play(lab, "months-pass", "guarantors-leave", "sign")
    assert not session.values["enforced"]
    assert session.values["ripe"]
    assert session.outcome == "fragile_ceasefire"


# -- brinkmanship (Schelling) --

def bluff_roll(session) -> dict:
    return next(e for e in session.log if e["type"] == "roll" and "bluff" in e["what"])


def test_a_called_bluff_costs_credibility(lab):
    sessions = [play(lab, "bluff", seed=seed) for seed in range(40)]
    called = [s for s in sessions if bluff_roll(s)["hit"]]
    untested = [s for s in sessions if not bluff_roll(s)["hit"]]
    assert called and untested, "the bluff roll should sometimes hit and sometimes miss"
    loss = lambda s: last_step(s)[0]["credibility"] - last_step(s)[1]["credibility"]  # noqa: E731
    assert all(loss(s) > 0 for s in called)
    assert min(loss(s) for s in called) > max(loss(s) for s in untested)
    assert all(last_step(s)[1]["escalation"] > last_step(s)[0]["escalation"] for s in called)


def test_folding_rewards_the_threat(lab):
    before, after = last_step(play(lab, "fold"))
    assert after["credibility"] < before["credibility"]
    assert after["time_on_side"] > before["time_on_side"]


def test_reckless_escalation_climbs_faster_than_a_calibrated_rung(lab):
    calibrated = last_step(play(lab, "escalate"))
    reckless = last_step(play(lab, "reckless"))
    rise = lambda step: step[1]["escalation"] - step[0]["escalation"]  # noqa: E731
    assert rise(reckless) > rise(calibrated) > 0
    assert play(lab, "reckless").scores()["brinkmanship"] < play(lab, "escalate").scores()["brinkmanship"]


# -- talks as a feint (Dekleva & Pack) --

def test_walking_away_from_a_feint_scores_well(lab):
    from_feint = play(lab, "walk-out")
    assert from_feint.values["feinting"]
    assert from_feint.outcome == "walk_away"
    signed_into_feint = play(lab, "sign")
    walked_from_ripe = play(lab, "months-pass", "walk-out")
    assert not walked_from_ripe.values["feinting"]
    assert from_feint.scores()["total"] > 0
    assert from_feint.scores()["total"] > signed_into_feint.scores()["total"]
    assert from_feint.scores()["total"] > walked_from_ripe.scores()["total"]


# -- the persona's own moves: seeded randomness --

def moves(session) -> list[str]:
    return [e["move"] for e in session.log if e["type"] == "move"]


def test_same_seed_same_persona_moves(drift):
    for seed in range(10):
        assert moves(play(drift, *["wait"] * 12, seed=seed)) == moves(play(drift, *["wait"] * 12, seed=seed))


def test_different_seeds_different_persona_moves(drift):
    runs = {tuple(moves(play(drift, *["wait"] * 12, seed=seed))) for seed in range(10)}
    assert len(runs) > 1
    assert any(runs), "Volkov should act on his own at least once in twelve rounds"
