"""A new session copies its starting values and its shown variables from the scenario
(``Scenario.initial`` and ``Scenario.visible``, worked out once): each game owns its copies."""
from __future__ import annotations

from game.engine import Session
from game.engine.state import BUILTIN_NAMES, SessionState


def test_a_game_starts_from_the_declared_values_and_shows_the_visible_ones(bundled):
    scenario = bundled.scenarios["ceasefire-table"]
    state = SessionState.new(scenario, 4)
    assert dict(state.values) == {**{n: v.initial for n, v in scenario.vars.items()}, **dict.fromkeys(BUILTIN_NAMES, 0)}
    assert list(state.values) == [*scenario.vars, *BUILTIN_NAMES]  # the order snapshots are written in
    assert state.revealed == {n for n, v in scenario.vars.items() if v.visible} != set()


def test_what_one_game_changes_reaches_neither_the_scenario_nor_the_next_game(bundled):
    scenario = bundled.scenarios["ceasefire-table"]
    hidden = next(n for n, v in scenario.vars.items() if not v.visible)
    first = Session(scenario, 4, narrate=False)
    name = next(iter(scenario.vars))
    first.values[name] = not scenario.vars[name].initial if isinstance(first.values[name], bool) else -1
    first.values["turn"] = 99
    first.revealed.add(hidden)
    second = Session(scenario, 4, narrate=False)
    assert scenario.initial[name] == scenario.vars[name].initial and hidden not in scenario.visible
    assert second.values[name] == Session.replay(scenario, 4, []).values[name] != first.values[name]
    assert second.values["turn"] == 0 and hidden not in second.revealed
