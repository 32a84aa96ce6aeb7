"""SessionState: everything that changes in a game, written, read back and copied as one record."""
from __future__ import annotations

import json
import random
from dataclasses import fields

import pytest

from game.engine import Session, SessionState, SnapshotError
from game.engine.state import MIN_COMPATIBLE_VERSION, VERSION

from .helpers import FIXTURES
from .test_determinism import as_json, fingerprint

CHOICES = ["label", "bluff", "sanctions", "mediator"]  # what the stored format-1 snapshot played


def test_to_dict_and_from_dict_give_back_every_field(lab):
    session = Session.replay(lab, 5, CHOICES)
    data = as_json(session.state.to_dict())
    again = SessionState.from_dict(data, lab)
    for f in fields(SessionState):
        mine, theirs = getattr(again, f.name), getattr(session.state, f.name)
        if f.name == "dice":
            assert (mine.seed, mine.draws) == (theirs.seed, theirs.draws)
        elif f.name == "log":  # JSON turns the (old, new) pairs of a change into lists
            assert mine == as_json(theirs)
        else:
            assert mine == theirs and type(mine) is type(theirs), f.name
    assert as_json(again.to_dict()) == data


def test_a_format_1_snapshot_written_before_session_state_still_restores(lab):
    """The file was written by the engine that kept its state in Session attributes."""
    data = json.loads((FIXTURES / "lab-snapshot-format-1.json").read_text())
    assert data["format"] == 1
    restored = Session.restore(lab, data)
    assert fingerprint(restored) == fingerprint(Session.replay(lab, 5, CHOICES))
    replayed = Session.replay(lab, 5, CHOICES)
    for choice_id in ("aid", "sign"):
        restored.choose(choice_id)
        replayed.choose(choice_id)
    assert fingerprint(restored) == fingerprint(replayed)


@pytest.mark.parametrize("version", [MIN_COMPATIBLE_VERSION - 1, VERSION + 1, "1", None])
def test_formats_outside_the_compatible_range_are_refused_by_name(lab, version):
    data = as_json(Session(lab, 1).snapshot())
    data["format"] = version
    with pytest.raises(SnapshotError, match="format"):
        Session.restore(lab, data)


def test_fork_shares_nothing_that_changes(lab):
    session = Session.replay(lab, 3, ["label"])
    before = fingerprint(session)
    twin = session.fork()
    assert twin.state is not session.state and twin.scenario is session.scenario
    for choice_id in ("bluff", "insult", "give-territory"):
        twin.choose(choice_id)
    assert fingerprint(session) == before
    assert twin.values.ctx is twin and session.values.ctx is session
    session.choose("bluff")
    assert fingerprint(session) == fingerprint(Session.replay(lab, 3, ["label", "bluff"]))


def test_a_fork_says_what_the_game_says(bundled):
    """A fork starts from the lines said so far and what it says is its own: a step made on a fork
    gives the beats the game itself then gives (no line said before the fork is said again)."""
    scenario, rng = bundled.scenarios["tutorial"], random.Random(5)
    for seed in range(30):
        session = Session(scenario, seed)
        while not session.ended:
            choice_id = rng.choice(session.choices()).id
            twin = session.fork()
            assert twin.choose(choice_id) == session.choose(choice_id)


def test_snapshot_is_the_state_plus_which_scenario_it_belongs_to(lab):
    session = Session.replay(lab, 2, ["mirror"])
    snapshot = session.snapshot()
    state = session.state.to_dict()
    assert {k: v for k, v in snapshot.items() if k not in ("scenario", "content_hash")} == state
    assert (snapshot["scenario"], snapshot["content_hash"]) == (lab.id, lab.content_hash)


def test_traits_are_read_but_not_saved(lab):
    """Persona traits are part of the scenario: expressions read them, snapshots leave them out."""
    session = Session(lab, 1)
    trait = next(iter(n for n in lab.constants if n not in session.state.values))
    assert session.values[trait] == lab.constants[trait]
    dumped = session.state.to_dict()
    assert trait not in dumped["values"] and trait not in dumped["builtins"]


def test_a_field_missing_from_an_older_snapshot_starts_from_its_default(lab):
    """How a field added later loads saves written before it: from its default, not as an error."""
    data = as_json(Session.replay(lab, 4, ["label"]).snapshot())
    del data["beats"]
    assert Session.restore(lab, data).beats == []
    del data["values"]  # a field without a default is required
    with pytest.raises(SnapshotError):
        Session.restore(lab, data)
