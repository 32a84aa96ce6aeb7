"""The persona plan (personaplan.py) works out once per scenario what is the same in every game.

These tests check that it never fixes what a game can change: a move follows the variable its
condition reads (through a derived value that also reads a trait), chance() in a move's condition
rolls at every opening, a failing expression is still reported where it was written (E400), and a
line said before a save is not said again after it is restored.
"""
from __future__ import annotations

import re

import pytest

from game.engine import EngineError, Session, load_library

from .helpers import HERE

TACTICS = (HERE / "other_story" / "tactics.yaml").read_text(encoding="utf-8")

RULES = """\
format: 1
kind: rules
id: room
state:
  temper: {label: Temper, initial: 60}
  trust: {label: Trust, initial: 30}
  pressure: {label: Pressure, initial: 1, min: 0, max: 50}
derived:
  heated: "temper >= 50 and calm > 10"
reactions:
  - id: anchored
    tags: [anchor.high]
    effects: ["pressure += 1"]
    why: A high anchor adds pressure.
outcomes:
  durable_settlement: {title: A fair deal, points: 100}
  stalemate: {title: No deal, points: 0}
  escalation: {title: Walk-out in anger, points: -100}
"""

BROKER = """\
format: 1
kind: persona
id: broker
name: Mr Vance
role: adversary
description: A broker whose moves follow the temper of the room.
traits:
  calm: 80
move_chance: "MOVE_CHANCE"
reactions:
  - id: noted
    tags: [listen.reflect]
    if: "NOTED_IF"
    effects: ["trust += 1"]
    why: He noted it.
    lines:
      - text: He nods once.
      - text: He nods again.
moves:
  - id: never
    kind: pressure
    if: "NEVER_IF"
    effects: ["pressure += 1"]
    why: A calm broker never does this.
    lines: [{text: He never says this.}]
  - id: push
    kind: pressure
    if: "heated"
    weight: "PUSH_WEIGHT"
    effects: ["pressure += 1"]
    why: In a hot room he pushes.
    lines: [{text: He pushes.}]
  - id: soothe
    kind: pressure
    if: "not heated"
    effects: ["trust += 1"]
    why: In a cool room he soothes.
    lines: [{text: He soothes.}]
"""

SCENARIO = """\
format: 1
kind: scenario
id: plan-talk
title: The broker's table
summary: A fixture for the persona plan.
difficulty: introductory
minutes: 5
rules: room
cast:
  adversary: broker
start: table
rounds:
  table:
    title: The table
    text: "The temper is {temper}."
    choices:
      - {id: reflect, text: Say back what he said., tags: [listen.reflect], goto: table}
      - {id: cool, text: Cool the room., effects: ["temper = 20"], goto: table}
      - {id: heat, text: Heat the room., effects: ["temper = 80"], goto: table}
      - {id: leave, text: Leave., goto: done}
endings:
  done: {outcome: stalemate, title: Done, text: Done.}
"""

PLAIN = {"MOVE_CHANCE": "1", "NOTED_IF": "True", "NEVER_IF": "calm < 50", "PUSH_WEIGHT": "calm / 40"}


def story(tmp_path, tactics: str = TACTICS, scenario: str = SCENARIO, **changes: str):
    """The broker's scenario with some expressions replaced (and maybe other tactics or another
    scenario file), and the broker file's path."""
    broker = BROKER
    for placeholder, source in {**PLAIN, **changes}.items():
        broker = broker.replace(placeholder, source)
    files = {"tactics.yaml": tactics, "room.yaml": RULES, "broker.yaml": broker, "plan-talk.yaml": scenario}
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    library = load_library([tmp_path])
    assert [str(d) for d in library.diagnostics.errors] == []
    return library.scenarios["plan-talk"], tmp_path / "broker.yaml"


def line_of(path, text: str) -> int:
    return next(n for n, line in enumerate(path.read_text().splitlines(), 1) if text in line)


def moves(session: Session) -> list[str]:
    return [entry["move"] for entry in session.log if entry["type"] == "move"]


def test_a_move_follows_the_variable_its_condition_reads_through_a_derived_value(tmp_path):
    scenario, _ = story(tmp_path)
    session = Session.replay(scenario, 1, ["cool", "heat", "cool", "heat"])
    assert moves(session) == ["push", "soothe", "push", "soothe", "push"]  # 'never' needs calm < 50: calm is 80
    again = Session.replay(scenario, 1, ["heat", "cool"])  # the same moment as before, met a second time
    assert moves(again) == ["push", "soothe"]  # at 80 he pushed last round, and does not push twice running


def test_a_move_waits_for_the_turn_its_condition_names(tmp_path):
    scenario, _ = story(tmp_path, NEVER_IF="turn >= 3 and calm > 10")  # a built-in changes, unlike a trait
    session = Session.replay(scenario, 1, ["cool", "heat"] * 3)
    assert "never" not in moves(session)[:3] and "never" in moves(session)[3:]


def test_chance_in_a_move_condition_rolls_at_every_opening(tmp_path):
    scenario, _ = story(tmp_path, NEVER_IF="chance(0.5) and calm < 50")
    session = Session(scenario, 3)
    for turn in range(1, 6):
        session.choose("cool" if turn % 2 else "heat")
        # each opening: a certain move chance (no roll), one roll for 'never', one open move (no pick)
        assert session.dice.draws == turn + 1


@pytest.mark.parametrize(("changes", "failing", "where", "play"), [
    ({"MOVE_CHANCE": "calm / (calm - calm)"}, "calm / (calm - calm)", "the move chance of broker", []),
    ({"PUSH_WEIGHT": "temper / (trust - trust)"}, "temper / (trust - trust)", "move push", []),
    ({"NOTED_IF": "trust / (temper - temper) > 1"}, "trust / (temper - temper) > 1", "reaction noted of broker",
     ["reflect"]),
])
def test_a_failing_persona_expression_is_reported_where_it_was_written(tmp_path, changes, failing, where, play):
    scenario, path = story(tmp_path, **changes)
    with pytest.raises(EngineError) as caught:
        Session.replay(scenario, 1, play)
    line = line_of(path, failing)
    assert re.fullmatch(rf"{re.escape(str(path))}:{line}:\d+: error E400: division by zero in "
                        rf"'{re.escape(failing)}' \(in {where}\)", str(caught.value)), str(caught.value)


def test_a_line_said_before_a_save_is_not_said_again_after_it(tmp_path):
    scenario, _ = story(tmp_path)
    first = Session.replay(scenario, 1, ["reflect"])
    resumed = Session.restore(scenario, first.snapshot())
    for _ in range(2):
        resumed.choose("reflect")
    nods = [beat.text for beat in resumed.beats if beat.text.startswith("He nods")]
    assert nods == ["He nods once.", "He nods again."]  # the third time he has nothing new to say
