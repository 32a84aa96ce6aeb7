"""Issue 12: missed opportunities from counterfactuals. The game is forked at the trainee's
decision and played on by a policy over several seeds, both from the choice taken and from the
best alternative; the debrief reports what that decision changed, in plain words."""
from __future__ import annotations

from game.engine import Session
from game.engine.counterfactual import counterfactuals
from game.engine.debrief import build
from game.engine.model import Policy

RAPPORT = ("label", "mirror", "ask-how", "summarise")
LEAVER = Policy("leaver", "walks out at once", {"walk_away": 5.0}, False, "<test>")


def test_signing_into_a_feint_is_reported_with_an_alternative_that_would_have_paid(lab):
    session = Session.replay(lab, 1, [*RAPPORT, "months-pass", "stall", "sign-phased"])
    found = counterfactuals(session, LEAVER, seeds=4)
    last = [f for f in found if f["turn"] == session.turn]
    assert last, found
    what_if = last[0]
    assert what_if["outcome"] == "walk_away" and what_if["taken_outcomes"] == {"fragile_ceasefire": 4}
    assert what_if["count"] == what_if["games"] == 4
    assert what_if["mean_total"] > what_if["taken_mean_total"] == session.scores()["total"]
    best_text = lab.rounds["table"].by_id[what_if["best"]].text.source
    assert f"\u201c{best_text}\u201d" in what_if["text"]
    assert "walked away in 4 of 4 games" in what_if["text"]


def test_a_decision_that_changed_nothing_is_not_reported(lab):
    session = Session.replay(lab, 1, [*RAPPORT, "months-pass", "stall", "walk-out"])
    assert all(f["turn"] != session.turn for f in counterfactuals(session, LEAVER, seeds=3))


def test_the_debrief_carries_counterfactuals_only_when_given_a_policy(lab):
    session = Session.replay(lab, 1, [*RAPPORT, "months-pass", "stall", "sign-phased"])
    assert build(session)["counterfactuals"] == []
    assert build(session, LEAVER)["counterfactuals"]
