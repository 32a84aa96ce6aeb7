"""A trigger or a scoring rule that fails while playing is a story bug reported where it was written
(E400, file:line:col, and which part of the story it is): the step evaluates them under one guard."""
from __future__ import annotations

import re

import pytest

from game.engine import EngineError, Session, load_library

from .test_persona_plan import SCENARIO, TACTICS, line_of, story


def played(tmp_path, tactics: str = TACTICS, scenario: str = SCENARIO) -> Session:
    return Session(story(tmp_path, tactics=tactics, scenario=scenario)[0], 1)


def message(path, failing: str, where: str) -> str:
    return rf"{re.escape(str(path))}:{line_of(path, failing)}:\d+: error E400: division by zero in " \
           rf"'{re.escape(failing)}' \(in {where}\)"


def test_a_failing_trigger_names_itself(tmp_path):
    failing = "trust / (temper - 80) > 1"
    scenario = SCENARIO.replace("rounds:\n", f'triggers:\n  - {{if: "{failing}", goto: done}}\nrounds:\n', 1)
    session = played(tmp_path, scenario=scenario)
    session.choose("cool")  # temper 20: the trigger holds no surprise
    with pytest.raises(EngineError) as caught:
        session.choose("heat")  # temper 80: the trigger divides by zero
    assert re.fullmatch(message(tmp_path / "plan-talk.yaml", failing, "a trigger"), str(caught.value))


def test_a_failing_scoring_rule_names_itself(tmp_path):
    failing = "trust / (temper - 80) > 1"
    tactics = TACTICS.replace('if: "temper >= 50"', f'if: "{failing}"', 1)
    assert tactics != TACTICS
    session = played(tmp_path, tactics=tactics)
    session.choose("reflect")  # temper 60: the rule is read without a failure
    session.choose("heat")
    with pytest.raises(EngineError) as caught:
        session.choose("reflect")  # temper 80
    assert re.fullmatch(message(tmp_path / "tactics.yaml", failing, "a scoring rule of listen.reflect"),
                        str(caught.value))



@pytest.mark.parametrize(("file", "replaced", "failing", "where", "play"), [
    ("plan-talk.yaml", "temper = 80", "temper = trust / (temper - 60)", "choice heat", ["heat"]),
    ("broker.yaml", "trust += 1", "trust += 1 / (temper - 60)", "reaction noted of broker", ["reflect"]),
    ("plan-talk.yaml", 'text: "The temper', 'on_enter: ["trust = temper / (trust - 30)"]\n    text: "The temper',
     "on_enter of round table", []),  # as the session begins
])
def test_a_failing_effect_names_itself_and_the_list_it_ran_in(tmp_path, file, replaced, failing, where, play):
    """An effect list runs without a guard of the session's own: its failure becomes E400 where the
    step (or the session) began, still naming the effect and the list it ran in."""
    story(tmp_path)
    path = tmp_path / file
    path.write_text(path.read_text().replace(replaced, failing, 1))
    scenario = load_library([tmp_path]).scenarios["plan-talk"]
    with pytest.raises(EngineError) as caught:
        Session.replay(scenario, 1, play)
    failing = failing.split('"')[1] if '"' in failing else failing
    assert re.fullmatch(message(path, failing, where), str(caught.value)), str(caught.value)
