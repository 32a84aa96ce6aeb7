"""Issue 12: the mode is part of the game. Every save keeps it; Load and Continue resume an
assessment as an assessment, and a save edited to claim training is refused as tampered."""
from __future__ import annotations

import json

import pytest

from game.engine import Session
from game.saves import SaveError, SaveStore

from .helpers import SCENARIO, library_with


@pytest.fixture(scope="module")
def library():
    return library_with()


def assessment_game(library, steps: int = 2) -> Session:
    session = Session(library.scenarios[SCENARIO], 7, mode="assessment")
    for _ in range(steps):
        session.choose(session.choices()[0].id)
    return session


def test_every_save_keeps_the_mode_and_load_resumes_in_it(library, tmp_path):
    store = SaveStore(tmp_path)
    path = store.save(assessment_game(library), "exam")
    assert json.loads(path.read_text())["mode"] == "assessment"
    assert store.load(library, "exam").session.mode == "assessment"
    store.autosave(assessment_game(library, steps=3))
    latest = store.latest_autosave()
    assert store.load(library, latest.slot).session.mode == "assessment"


def test_a_save_edited_to_training_is_refused(library, tmp_path):
    store = SaveStore(tmp_path)
    path = store.save(assessment_game(library), "exam")
    data = json.loads(path.read_text())
    data["mode"] = "training"
    path.write_text(json.dumps(data))
    with pytest.raises(SaveError, match="mode"):
        store.load(library, "exam")


def test_a_snapshot_keeps_the_mode_and_an_unknown_mode_is_refused(library):
    session = assessment_game(library)
    assert Session.restore(session.scenario, session.snapshot()).mode == "assessment"
    with pytest.raises(ValueError):
        Session(session.scenario, 1, mode="exam")
