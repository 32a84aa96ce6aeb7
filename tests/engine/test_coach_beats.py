"""Aide lines an author marks ``coach: true`` are coach material: shown in training mode only."""
from __future__ import annotations

from game.engine import Session
from game.tui import present


def test_a_line_marked_coach_becomes_a_coach_beat(lab):
    beats = Session(lab, seed=1).beats
    kinds = {b.text: b.kind for b in beats}
    assert kinds['"Well, envoy?"'] == "line"
    assert kinds["Name what he fears before you ask him for anything."] == "coach"


def test_assessment_mode_hides_coach_beats_and_training_shows_them(lab):
    beats = Session(lab, seed=1).beats
    training = [b.text for b in present.visible_beats(beats, "training")]
    assessment = [b.text for b in present.visible_beats(beats, "assessment")]
    assert "Name what he fears before you ask him for anything." in training
    assert "Name what he fears before you ask him for anything." not in assessment
    assert '"Well, envoy?"' in assessment
