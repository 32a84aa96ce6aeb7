"""Issue 12, knowing when not to sign: a choice that ends the game is judged on the talks as
they stood when it was made. Its own reactions (a phased step that lowers the feint, a
guarantee that the signature itself adds) cannot turn a feint into a settlement; what it
signs away (a concession in its own text) still counts."""
from __future__ import annotations

from game.engine import Session
from game.engine.debrief import build

RAPPORT = ("label", "mirror", "ask-how", "summarise")  # so that a phased step is heard, not a trick


def play(lab, *choices, seed: int = 1) -> Session:
    return Session.replay(lab, seed, [*RAPPORT, *choices])


def test_a_signature_whose_reactions_end_the_feint_is_still_a_signed_feint(lab):
    session = play(lab, "months-pass", "stall", "sign-phased")
    before, after = session.steps[-1]["before"], session.steps[-1]["after"]
    assert before["feint"] >= 55 > after["feint"]  # the signing move itself lowered the feint
    assert session.outcome == "fragile_ceasefire"
    conditions = {item["name"]: item["value"] for item in build(session)["structure"]}
    assert conditions["feinting"] is True


def test_a_guarantee_added_by_the_signature_does_not_make_it_enforced(lab):
    session = play(lab, "months-pass", "guarantee-nearly", "sign-phased")
    assert not session.decided_values()["enforced"] and session.values["enforced"]
    assert session.outcome == "fragile_ceasefire"
    assert play(lab, "months-pass", "sign-phased").outcome == "durable_settlement"


def test_what_the_signature_gives_away_counts(lab):
    assert play(lab, "months-pass", "sign-away").outcome == "capitulation"


def test_walking_out_of_a_feint_scores_above_signing_it_and_the_reverse_when_ripe(lab):
    feint = play(lab, "months-pass", "stall")
    signed, walked = feint.fork(), feint.fork()
    signed.choose("sign-phased")
    walked.choose("walk-out")
    assert walked.scores()["total"] > signed.scores()["total"]
    ripe = play(lab, "months-pass")
    signed, walked = ripe.fork(), ripe.fork()
    signed.choose("sign-phased")
    walked.choose("walk-out")
    assert signed.outcome == "durable_settlement"
    assert signed.scores()["total"] > walked.scores()["total"]


def test_a_restored_session_reads_the_same_decision(lab):
    session = play(lab, "months-pass", "stall", "sign-phased")
    restored = Session.restore(lab, session.snapshot())
    assert restored.decided_values()["feinting"] is True
    assert build(restored)["structure"] == build(session)["structure"]
