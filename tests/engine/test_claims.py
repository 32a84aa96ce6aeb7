"""The essays' claims that issue 13 turned into mechanics, each pinned in the direction the essays make it.

Most run on the laboratory fixtures (owned by the tests, so writers can edit the
campaign freely); the flagship is used only where the claim is about it. The
assertions compare directions and orders, never exact numbers, so instructors can
retune story/ as long as the model still says what the essays say. docs/doctrine.md
lists every claim with the test that pins it.
"""
from __future__ import annotations

import dataclasses
import functools
import itertools
import tempfile
from pathlib import Path

import pytest

from game.engine import Session, load_library
from game.engine.compiler import recast
from game.paths import bundled_story, story_paths
from game.tools.autoplay import play as autoplay
from game.tools.autoplay import run

from .helpers import FIXTURES

pytestmark = pytest.mark.claims
SEEDS = range(1, 101)
STALEMATE_BUILDERS = ("brink.military_aid", "brink.sanctions", "brink.calibrated_escalation", "brink.cyber",
                      "brink.credible_threat")


def play(scenario, *choice_ids, seed=1) -> Session:
    return Session.replay(scenario, seed, choice_ids)


def step(session, index=-1) -> tuple[dict, dict]:
    entry = session.steps[index]
    return entry["before"], entry["after"]


def step_points(session, index=-1) -> float:
    turn = session.steps[index]["turn"]
    return sum(e["points"] for e in session.ledger if e["turn"] == turn and e["tag"])


@functools.cache
def variant_library(**traits) -> object:
    """The bundled story and the fixtures, plus a Volkov whose traits differ (cached per set of traits)."""
    folder = Path(tempfile.mkdtemp(prefix="offramp-variant-"))
    lines = "".join(f"  {name}: {value}\n" for name, value in traits.items())
    (folder / "variant.yaml").write_text(f"format: 1\nkind: persona\nid: test-variant\nextends: volkov\n"
                                         f"traits:\n{lines}", encoding="utf-8")
    library = load_library(story_paths([FIXTURES, folder]))
    assert not library.diagnostics.errors, [str(d) for d in library.diagnostics.errors]
    return library


def recast_with(scenario_id: str, **traits):
    library = variant_library(**traits)
    return recast(library, scenario_id, {"adversary": "test-variant"}), library


# -- a hurting stalemate is a precondition (Person; Zartman) --

def test_no_durable_settlement_on_the_flagship_without_a_hurting_stalemate(bundled):
    scenario, doctrine = bundled.scenarios["ceasefire-table"], bundled.policies["doctrine"]
    prefer = {**doctrine.prefer, **{tag: -9.0 for tag in STALEMATE_BUILDERS}}
    words_only = dataclasses.replace(doctrine, id="doctrine-without-pressure", prefer=prefer)
    without = run(scenario, words_only, SEEDS)
    with_pressure = run(scenario, doctrine, SEEDS)
    assert without["outcomes"]["durable_settlement"] == 0, without["outcomes"]
    assert with_pressure["outcomes"]["durable_settlement"] > 50, with_pressure["outcomes"]


def test_no_durable_settlement_while_he_still_gains_ground(lab):
    assert play(lab, "months-pass", "sign").outcome == "durable_settlement"
    session = play(lab, "months-pass", "front-breaks", "sign")
    assert not session.values["ripe"] and session.outcome != "durable_settlement"


# -- convergence of expectations (Person; Fearon, Slantchev) --

def test_a_deal_needs_your_own_misreading_to_close_as_well_as_his_optimism(lab):
    session = play(lab, "months-pass", "misjudge")
    assert session.values["belief_gap"] <= 45 and not session.values["ripe"]
    assert play(lab, "months-pass", "misjudge", "sign").outcome != "durable_settlement"
    assert play(lab, "months-pass", "misjudge", "read", "read", "read", "sign").outcome == "durable_settlement"


@pytest.mark.parametrize("informative", ["read", "phases", "mediator"])
def test_intelligence_and_informative_offers_narrow_your_misreading(lab, informative):
    before, after = step(play(lab, informative))
    quiet_before, quiet_after = step(play(lab, "guarantors-leave"))
    assert after["misreading"] - before["misreading"] < quiet_after["misreading"] - quiet_before["misreading"] <= 0


def test_battlefield_facts_narrow_both_sides_expectations(lab):
    held = play(lab, "aid", "aid", *["guarantors-leave"] * 4)
    loose = play(lab, *["guarantors-leave"] * 6)
    assert held.values["misreading"] < loose.values["misreading"]
    assert held.values["belief_gap"] < loose.values["belief_gap"]


# -- contagion feeds on itself (Dekleva & Pack) --

def test_contagion_accelerates_with_the_length_of_the_war(lab):
    session = play(lab, *["guarantors-leave"] * 24)
    rises = [s["after"]["contagion"] - s["before"]["contagion"] for s in session.steps]
    assert all(b >= a for a, b in itertools.pairwise(rises)), rises
    assert sum(rises[-4:]) > sum(rises[:4]), rises


def test_a_long_war_frays_the_alliance_and_convinces_him_time_is_his(lab):
    short, long = play(lab, *["guarantors-leave"] * 4), play(lab, *["guarantors-leave"] * 24)
    assert long.values["ally_cohesion"] < short.values["ally_cohesion"]
    assert long.values["time_on_side"] > short.values["time_on_side"]
    assert long.values["home_resolve"] < short.values["home_resolve"]


# -- the spokesman's nuclear ambiguity must be answered (Dekleva & Pack; Schelling) --

def test_a_steady_answer_to_nuclear_ambiguity_scores_above_folding_and_a_counter_threat(lab):
    answers = {answer: play(lab, "nuclear-hint", answer) for answer in ("threat", "fold", "reckless")}
    assert all(step(s)[0]["nuclear_alarm"] > 0 for s in answers.values())
    points = {answer: step_points(s) for answer, s in answers.items()}
    totals = {answer: s.scores()["total"] for answer, s in answers.items()}
    assert points["threat"] > points["fold"] and points["threat"] > points["reckless"], points
    assert totals["threat"] > totals["fold"] and totals["threat"] > totals["reckless"], totals
    assert step(answers["threat"])[1]["nuclear_alarm"] == 0 < step(answers["reckless"])[1]["nuclear_alarm"]
    assert step(answers["fold"])[1]["credibility"] < step(play(lab, "fold"))[1]["credibility"]


def test_the_nuclear_hint_is_his_move_and_raises_the_alarm(bundled):
    scenario = bundled.scenarios["ceasefire-table"]
    hints = [(session, entry["turn"]) for seed in range(1, 60)
             for session in [autoplay(scenario, bundled.policies["hawk"], seed, narrate=True)]
             for entry in session.log if entry["type"] == "move" and entry["move"] == "nuclear-ambiguity"]
    assert hints, "a risk taker under pressure should reach for a nuclear hint in some games"
    answered = [session.steps[turn]["before"]["nuclear_alarm"] for session, turn in hints if turn < len(session.steps)]
    assert answered and all(alarm > 0 for alarm in answered), answered


# -- cyber operations are a card with its own escalation risk (Dekleva & Pack) --

def test_cyber_operations_hurt_him_and_sometimes_climb_a_rung(lab):
    sessions = [play(lab, "cyber", seed=seed) for seed in range(60)]
    rises = [step(s)[1]["escalation"] - step(s)[0]["escalation"] for s in sessions]
    assert 0 < rises.count(1) < len(rises), rises
    assert all(step(s)[1]["hurt"] > step(s)[0]["hurt"] for s in sessions)


# -- uncertainty about your own side's resolve (Person) --

def test_your_own_resolve_is_hidden_until_you_sound_out_the_capitals(bundled):
    scenario = bundled.scenarios["ceasefire-table"]
    session = Session(scenario, 1)
    assert "home_resolve" in session.values and "home_resolve" not in session.visible_state()
    session = play(scenario, "label-the-encirclement", "ask-what-secure-means")
    assert session.round.id == "every-means" and "home_resolve" not in session.visible_state()
    session.choose("read-the-briefing")
    assert session.visible_state()["home_resolve"] == session.values["home_resolve"]


def test_your_own_resolve_decides_what_a_threat_is_worth(lab):
    worn = play(lab, *["guarantors-leave"] * 24, "threat")
    fresh = play(lab, "threat")
    gain = lambda s: step(s)[1]["credibility"] - step(s)[0]["credibility"]  # noqa: E731
    assert worn.values["home_resolve"] < fresh.values["home_resolve"]
    assert gain(worn) < gain(fresh)


# -- traits drive behaviour (Dekleva & Pack's portrait, in numbers) --

def his_escalations(session) -> int:
    """Rungs he climbed himself: escalation moves, and answers in kind to your escalation."""
    return sum(1 for e in session.log if (e["type"] == "move" and e["kind"] == "escalation")
               or (e["type"] == "reaction" and e["reaction"] == "answers-in-kind"))


def test_risk_appetite_changes_how_often_he_escalates_under_the_same_policy():
    counts = {}
    for appetite in (15, 95):
        scenario, library = recast_with("ceasefire-table", risk_appetite=appetite)
        counts[appetite] = sum(his_escalations(autoplay(scenario, library.policies["hawk"], seed, narrate=True))
                               for seed in SEEDS)
    assert counts[15] < counts[95], counts


def test_maximalism_decides_what_a_concession_teaches_him():
    lessons = {}
    for maximalism in (30, 95):
        scenario, _ = recast_with("lab", maximalism=maximalism)
        before, after = step(play(scenario, "fold"))
        lessons[maximalism] = after["time_on_side"] - before["time_on_side"]
    assert 0 < lessons[30] < lessons[95], lessons


def test_maximalism_raises_the_pain_a_deal_that_denies_his_aims_needs():
    ripe = {}
    for maximalism in (30, 95):
        scenario, _ = recast_with("lab", maximalism=maximalism)
        session = play(scenario, "months-pass")
        session.values["hurt"] = 50  # the same pain, everything else ripe
        ripe[maximalism] = bool(session.values["ripe"])
    assert ripe == {30: True, 95: False}


def test_distrust_raises_the_enforcement_bar():
    enforced = {}
    for distrust in (20, 95):
        scenario, _ = recast_with("lab", distrust=distrust)
        session = Session(scenario, 1)
        session.values["commitment"] = 50
        enforced[distrust] = bool(session.values["enforced"])
    assert enforced == {20: True, 95: False}


def test_a_cornered_leader_is_more_dangerous_and_power_fear_corners_him_sooner():
    def rungs_he_climbs(scenario):
        return sum(his_escalations(play(scenario, *["wait"] * 10, seed=seed)) for seed in range(40))
    assert rungs_he_climbs(cornered_copy()) > rungs_he_climbs(bundled_and_fixtures().scenarios["drift"])
    fearful, _ = recast_with("lab", power_fear=95)
    calm, _ = recast_with("lab", power_fear=20)
    for scenario, expected in ((fearful, True), (calm, False)):
        session = Session(scenario, 1)
        session.values["face_threat"], session.values["way_out"] = 75, 10
        assert bool(session.values["cornered"]) is expected


@functools.cache
def bundled_and_fixtures():
    return load_library(story_paths([FIXTURES]))


@functools.cache
def cornered_copy():
    """The drift room with Volkov's face at stake and no exit in sight."""
    folder = Path(tempfile.mkdtemp(prefix="offramp-cornered-"))
    text = (FIXTURES / "drift.yaml").read_text(encoding="utf-8")
    text = text.replace("id: drift\n", "id: drift-cornered\n", 1).replace(
        "start: waiting-room", "setup: {face_threat: 85, way_out: 5}\nstart: waiting-room", 1)
    (folder / "cornered.yaml").write_text(text, encoding="utf-8")
    library = load_library(story_paths([FIXTURES, folder]))
    assert not library.diagnostics.errors, [str(d) for d in library.diagnostics.errors]
    return library.scenarios["drift-cornered"]


def test_the_bundled_wary_variant_changes_the_hawks_escalations_and_the_doctrines_outcomes(bundled):
    """The issue's must-show: a variant of a few lines, cast with --cast, moves both figures."""
    variant = (bundled_story() / "personas" / "volkov-wary.yaml").read_text(encoding="utf-8")
    assert len(variant.splitlines()) <= 30
    written = bundled.scenarios["ceasefire-table"]
    wary = recast(bundled, "ceasefire-table", {"adversary": "volkov-wary"}, keep=False)
    hawk, doctrine = bundled.policies["hawk"], bundled.policies["doctrine"]
    assert run(wary, hawk, SEEDS)["moves"].get("escalation", 0) < run(written, hawk, SEEDS)["moves"]["escalation"]
    assert run(wary, doctrine, SEEDS)["outcomes"] != run(written, doctrine, SEEDS)["outcomes"]
    assert bundled.scenarios["ceasefire-table"] is written  # keep=False leaves the library as it was
