"""Which choices a step finds open: evaluated at every step for a round with a conditional choice,
known once for a round without one (``Round.always_open``), and recorded per step as its own list."""
from __future__ import annotations

import pytest

from game.engine import ChoiceError, Session


def test_a_condition_is_read_as_the_values_stand_at_each_step(lab):
    """Nothing about the lab's table (which has ``locked``) is remembered from one call to the next:
    a value set between choices() and choose() opens or closes the door at once."""
    assert lab.rounds["table"].always_open is None
    session = Session(lab, 1, narrate=False)
    assert "locked" not in [c.id for c in session.choices()]
    with pytest.raises(ChoiceError, match="is not open now"):
        session.choose("locked")
    session.values["rapport"], session.values["emotion"] = 100, 0  # a tool or a test sets values
    assert "locked" in [c.id for c in session.choices()]
    session.choose("locked")
    assert "locked" in session.steps[-1]["open"]
    session.values["rapport"] = 0
    assert "locked" not in [c.id for c in session.choices()]
    with pytest.raises(ChoiceError, match="is not open now"):
        session.choose("locked")
    session.choose("read")
    assert "locked" not in session.steps[-1]["open"]
    assert "locked" not in [c.id for c in session.choices()]
    session.values["rapport"] = 100  # set after the choices were listed: choose() reads it
    session.choose("locked")
    assert "locked" in [c.id for c in session.choices()]
    session.values["rapport"] = 0
    with pytest.raises(ChoiceError, match="is not open now"):
        session.choose("locked")


def test_a_round_without_conditions_lists_every_choice_in_each_step_s_own_list(bundled):
    scenario = bundled.scenarios["ceasefire-table"]
    start = scenario.rounds[scenario.start]
    assert start.always_open == tuple(c.id for c in start.choices)
    session = Session(scenario, 3, narrate=False)
    assert sorted(c.id for c in session.choices()) == sorted(start.always_open)
    session.choose(start.choices[0].id)
    first = session.steps[-1]["open"]
    assert first == list(start.always_open)
    first.append("scribbled")  # a reader changing one record changes neither the round nor later steps
    assert start.always_open == tuple(c.id for c in start.choices)
    twin = Session(scenario, 3, narrate=False)
    twin.choose(start.choices[0].id)
    assert twin.steps[-1]["open"] == list(start.always_open)


def test_always_open_is_none_exactly_when_some_choice_has_a_condition(bundled, lab):
    for scenario in [*bundled.scenarios.values(), lab]:
        for round_ in scenario.rounds.values():
            conditional = any(c.cond is not None for c in round_.choices)
            assert (round_.always_open is None) == conditional, (scenario.id, round_.id)


def test_a_condition_that_rolls_is_rolled_by_each_call_that_reads_it(tmp_path):
    """chance() in a choice's condition draws the dice each time the choices are read and again when
    one is made (replays and saves depend on that count): nothing may answer it from a memo."""
    from .test_step_errors import SCENARIO, played

    scenario = SCENARIO.replace("- {id: cool, text: Cool the room.,",
                                '- {id: cool, text: Cool the room., if: "chance(0.5) or temper > 0",', 1)

    def draws(reads: int) -> int:
        folder = tmp_path / str(reads)
        folder.mkdir()
        session = played(folder, scenario=scenario)
        assert session.scenario.rounds["table"].always_open is None
        for _ in range(reads):
            session.choices()
        session.choose("cool")
        return session.dice.draws

    assert draws(2) == draws(1) + 1 == draws(0) + 2  # choose() rolled it again after choices() had
