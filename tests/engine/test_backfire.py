"""Issue 12, points depend on the moment: a move whose reaction backfired (a reaction marked
``backfire: true``, e.g. Volkov's "influence too early") earns nothing on that move; the same
move once the stairway is climbed earns its full points. Rating and the debrief agree."""
from __future__ import annotations

from game.engine import Session
from game.engine.debrief import build
from game.engine.rating import rate

RAPPORT = ("label", "mirror", "ask-how", "summarise")


def entries(session, tag):
    return [e for e in session.ledger if e["turn"] == session.turn and e["tag"] == tag]


def test_influence_before_rapport_earns_nothing_and_after_it_earns_full_points(lab):
    early = Session.replay(lab, 1, ["months-pass", "offer-face"])
    assert any(e["reaction"] == "influence-too-early" for e in early.log if e["type"] == "reaction")
    [voided] = entries(early, "offramp.face_saving")
    assert voided["points"] == 0 and voided["backfired"] == "influence-too-early"
    assert voided["why"].startswith("Backfired:")
    timely = Session.replay(lab, 1, [*RAPPORT, "months-pass", "offer-face"])
    [earned] = entries(timely, "offramp.face_saving")
    assert earned["points"] > 0 and "backfired" not in earned


def test_rating_predicts_the_backfire_so_par_and_missed_opportunities_agree(lab):
    early = Session.replay(lab, 1, ["months-pass"])
    offer = lab.rounds["table"].by_id["offer-face"]
    points, why, _ = rate(lab, offer, early.variables(), dict(early.tag_counts))
    assert points == 0 and why.startswith("Backfired:")
    timely = Session.replay(lab, 1, [*RAPPORT, "months-pass"])
    assert rate(lab, offer, timely.variables(), dict(timely.tag_counts))[0] > 0


def test_a_debrief_never_offers_a_move_that_would_have_backfired_as_the_missed_opportunity(lab):
    session = Session.replay(lab, 1, ["insult", "lecture", "bluff", "sign"])
    for miss in build(session)["missed"]:
        assert not miss["why"].startswith("Backfired"), miss
        assert miss["best_rating"] > miss["taken_rating"]
