"""Issue 12: the debrief names what ended the game (trigger, route or roll) with the values that
decided it, in plain words, first; and shows the total against its maximum."""
from __future__ import annotations

from game.engine import Session
from game.engine.debrief import build
from game.tools.autoplay import play

RAPPORT = ("label", "mirror", "ask-how", "summarise")


def test_a_trigger_ending_names_the_trigger_with_its_values_in_plain_words(bundled):
    scenario = bundled.scenarios["tutorial"]
    ended = [play(scenario, bundled.policies["hawk"], seed, narrate=True) for seed in range(1, 6)]
    by_trigger = [s for s in ended if s.ended_by and s.ended_by["kind"] == "trigger"]
    assert by_trigger
    session = by_trigger[0]
    report = build(session)
    text = report["cause"]["text"]
    for name, value in session.ended_by["values"].items():
        assert scenario.vars[name].label.lower() in text and f"({value:g})" in text, text
    assert ">=" not in text and "<=" not in text and "_" not in text
    from game.tui.present import debrief_text
    shown = debrief_text(session, report)
    assert shown.index("What ended the talks") < shown.index("Ending:")
    restored = Session.restore(scenario, session.snapshot())
    assert build(restored)["cause"] == report["cause"]


def test_a_signature_that_fell_back_says_which_condition_did_not_hold(lab):
    session = Session.replay(lab, 1, [*RAPPORT, "months-pass", "guarantee-nearly", "sign-phased"])
    record = session.ended_by
    assert record["kind"] == "route" and record["choice"] == "sign-phased"
    text = build(session)["cause"]["text"]
    assert "enforced (no)" in text and "Sign the phased framework." in text


def test_the_total_is_shown_against_its_maximum(lab):
    report = build(Session.replay(lab, 1, [*RAPPORT, "months-pass", "sign-phased"]))
    assert report["scores"]["total"] <= report["max_total"]
    assert report["max_total"] == 100 + max(lab.outcomes[e.outcome].points for e in lab.endings.values())
