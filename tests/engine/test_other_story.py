"""The engine knows no campaign: a story with its own skills, tactics and variables plays, scores and debriefs.

other_story/ shares no name with the bundled campaign (skills listening, anchoring,
blunders, scouting; variables temper, trust, pressure), and is loaded on its own.
"""
from __future__ import annotations

import pytest

from game.engine import Session, load_library, presentation
from game.engine.debrief import build
from game.plaintext import sections_lines
from game.tools.transcript import render

from .helpers import HERE

OTHER = HERE / "other_story"


@pytest.fixture(scope="module")
def story():
    library = load_library([OTHER])
    assert [str(d) for d in library.diagnostics] == []
    return library


@pytest.fixture(scope="module")
def scenario(story):
    return story.scenarios["pay-talk"]


def test_skills_come_from_the_catalogue_in_its_order(story, scenario):
    assert list(story.skills) == ["listening", "anchoring", "blunders", "scouting"]
    assert scenario.scored_skills("share") == ["listening", "anchoring"]
    assert scenario.scored_skills("penalty") == ["blunders"]


def test_scores_are_keyed_by_the_story_s_skills(scenario):
    # reflect takes all 6 listening points on offer; at the number, anchoring offered 5 and listening 2
    session = Session.replay(scenario, 1, ["reflect", "reflect-again", "sign"])
    assert session.ending == "deal"
    assert session.scores() == {"listening": 100.0, "anchoring": 0.0, "blunders": 0.0, "outcome": 100.0,
                                "total": 150.0}
    rude = Session.replay(scenario, 1, ["insult", "anchor", "storm-out"])
    assert rude.ending == "walked"
    # -8 and -8 for the insults, -2 for an anchor without trust (scored under blunders by its rule)
    assert rude.scores() == {"listening": 0.0, "anchoring": 0.0, "blunders": -18.0, "outcome": -100.0,
                             "total": -118.0}


def test_the_debrief_charts_and_weighs_the_story_s_own_variables(scenario):
    session = Session.replay(scenario, 1, ["insult", "reflect-again", "sign"])
    sections = {s.id: s for s in presentation.debrief(session)}
    (series_block,) = sections["curves"].blocks
    assert [(s.key, s.label, s.values) for s in series_block.items] == [
        ("temper", "Temper", (60, 85, 73, 73)), ("trust", "Trust", (30, 15, 25, 25)),
        ("pressure", "Pressure", (1, 2, 2, 2))]
    bars = {b.key: b for b in sections["scores"].blocks[0].items}
    assert [b.label for b in bars.values()] == ["Active listening", "Anchoring", "Blunders", "Outcome", "Total",
                                                "Best possible"]
    assert bars["blunders"].penalty and not bars["listening"].penalty
    # swings weigh each variable by its ``swing``: the insult moved temper 25, trust 15 and pressure
    # one unit that weighs 8; the reflect moved temper 12 and trust 10
    assert [(p["choice"], p["swing"]) for p in build(session)["turning_points"]] == [
        ("insult", 48), ("reflect-again", 22)]
    turning = sections["turning-points"].blocks[0].items
    assert [i.head for i in turning] == ["Round 1: The opening, you chose \u201cCall her offer an insult.\u201d",
                                         "Round 2: The number, you chose \u201cReflect her worry back.\u201d"]
    moves = [i.head for i in sections["moves"].blocks[0].items]
    assert moves == ["-8 Blunders", "+6 Active listening"]


def test_every_front_end_styles_it(scenario):
    session = Session.replay(scenario, 1, ["reflect", "anchor", "sign"])
    text = "\n".join(sections_lines("Debrief", presentation.debrief(session)))
    assert "Active listening" in text and "-- How the room moved --" in text
    md = render(session, "md")
    assert "| Anchoring | 100 |" in md and "+5 Anchoring" in md
