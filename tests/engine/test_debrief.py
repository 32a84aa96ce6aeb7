"""The after-action review points every lesson at a choice id and a doctrine concept with its source."""
from __future__ import annotations

import pytest

from game.engine import Session
from game.engine.debrief import build

# Insult Volkov while a label was open, press the ally, then sign into a feint.
SAMPLE = ["insult", "press-ally", "sign"]


@pytest.fixture(scope="module")
def sample(lab):
    session = Session.replay(lab, 5, SAMPLE)
    assert session.ended
    return session, build(session)


def assert_concept_with_source(concept: dict, scenario) -> None:
    assert concept["id"] in scenario.concepts
    assert concept["title"] and concept["summary"]
    source = concept["source"]
    assert source["id"] == scenario.concepts[concept["id"]]["source"]
    assert source["title"] and source["author"]


def test_names_a_turning_point_tied_to_a_choice_and_concept(sample, lab):
    session, debrief = sample
    points = debrief["turning_points"]
    assert points
    insult = next(p for p in points if p["choice"] == "insult")
    assert insult["turn"] == 1 and insult["round"] == "table"
    assert insult["changes"]["rapport"] < 0 < insult["changes"]["emotion"]
    assert insult["why"]
    assert_concept_with_source(insult["concept"], lab)
    for point in points:
        assert point["choice"] in SAMPLE


def test_names_a_missed_opportunity_tied_to_a_choice_and_concept(sample, lab):
    session, debrief = sample
    missed = debrief["missed"]
    assert missed
    first = missed[0]
    assert first["taken"] == "insult"
    assert first["best"] in session.steps[0]["open"] and first["best"] != "insult"
    assert first["best_rating"] > first["taken_rating"]
    assert first["why"]
    assert_concept_with_source(first["concept"], lab)


def test_every_point_is_attributed_to_a_choice(sample):
    session, debrief = sample
    chosen = {c for _, c in session.history}
    for entries in debrief["by_skill"].values():
        for entry in entries:
            assert entry["choice"] in chosen
            assert entry["why"]
    scored = {k: v for k, v in debrief["scores"].items() if k != "total"}
    assert debrief["scores"]["total"] == pytest.approx(sum(scored.values()))


def test_curves_follow_each_step(sample):
    session, debrief = sample
    for name in ("emotion", "rapport", "escalation", "hurt"):
        curve = debrief["curves"][name]
        assert len(curve) == len(session.history) + 1
        assert curve[0] == session.steps[0]["before"][name]
        assert curve[-1] == session.steps[-1]["after"][name]


def test_lessons_carry_their_sources(sample, lab):
    _, debrief = sample
    assert debrief["lessons"]
    for lesson in debrief["lessons"]:
        assert_concept_with_source(lesson, lab)


def test_a_clean_game_has_no_missed_opportunities(lab):
    session = Session.replay(lab, 5, ["label", "ask-how", "months-pass", "sign"])
    debrief = build(session)
    assert debrief["ending"]["outcome"] == "durable_settlement"
    assert not [m for m in debrief["missed"] if m["taken"] in ("label", "ask-how")]


def test_structure_shows_each_condition_under_the_deal_with_the_values_that_decided_it(sample, lab):
    session, debrief = sample
    structure = {item["name"]: item for item in debrief["structure"]}
    assert set(structure) == set(lab.derived)
    feinting = structure["feinting"]
    assert feinting["value"] == (session.values["feint"] >= 55)
    assert feinting["inputs"] == {"feint": session.values["feint"]}
    assert structure["ripe"]["inputs"].keys() == {"hurt", "way_out", "belief_gap", "misreading", "stalemate"}
    assert structure["ripe"]["labels"]["way_out"] == lab.vars["way_out"].label


def test_closed_choices_name_what_would_have_opened_them(bundled):
    from game.tools.autoplay import play

    scenario = bundled.scenarios["tutorial"]
    seen_closed = 0
    for seed in range(1, 30):
        session = play(scenario, bundled.policies["random"], seed)
        closed = build(session)["closed"]
        seen_closed += len(closed)
        for step in session.steps:
            round_ = scenario.rounds[step["round"]]
            here = {c["choice"]: c for c in closed if c["turn"] == step["turn"]}
            assert set(here) | set(step["open"]) == set(round_.by_id)
            for choice_id, item in here.items():
                assert item["needs"] == round_.by_id[choice_id].cond.source
    assert seen_closed > 0
