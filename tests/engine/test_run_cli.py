"""`offramp run`: scripts walk a scenario one choice at a time from the outside."""
from __future__ import annotations

import json
import re

import pytest

from game.engine import Session

from .helpers import FIXTURES, no_traceback, offramp

KEYS = {"round", "choices", "ending", "scores", "state", "log"}
SCORE_KEYS = {"empathy", "brinkmanship", "offramps", "discipline", "outcome", "total"}


def run_json(*args):
    result = offramp("run", *args, "--json")
    no_traceback(result)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_opening_json_has_the_documented_keys(bundled):
    data = run_json("tutorial", "--seed", "1")
    assert KEYS <= set(data)
    scenario = bundled.scenarios["tutorial"]
    assert data["round"] == scenario.start
    assert data["ending"] is None and data["outcome"] is None
    assert data["choices"] == [c.id for c in Session(scenario, 1).choices()] != []
    assert set(data["scores"]) == SCORE_KEYS
    assert set(data["state"]) == set(scenario.vars)
    assert "debrief" not in data


def test_choices_advance_and_are_logged():
    opening = run_json("tutorial", "--seed", "3")
    first = opening["choices"][0]
    after = run_json("tutorial", "--seed", "3", "--choose", first)
    assert after["round"] != opening["round"]
    assert any(e["type"] == "choice" and e["choice"] == first for e in after["log"])


@pytest.mark.parametrize("bad, reason", [("nope", "does not exist"), ("locked", "is not open now")])
def test_unknown_or_closed_choice_is_a_clear_error_listing_open_ones(bad, reason):
    opening = run_json("lab", "--story", FIXTURES)
    assert "locked" not in opening["choices"]
    result = offramp("run", "lab", "--story", FIXTURES, "--choose", bad)
    no_traceback(result)
    assert result.returncode == 1
    assert reason in result.stderr
    listed = re.search(r"open choices: (.*)", result.stderr).group(1).split(", ")
    assert listed == opening["choices"]


def test_choosing_after_the_end_is_a_clear_error():
    result = offramp("run", "lab", "--story", FIXTURES, "--choose", "walk-out", "--choose", "label")
    no_traceback(result)
    assert result.returncode == 1
    assert "ended" in result.stderr


def test_ended_run_includes_the_debrief():
    data = run_json("lab", "--story", FIXTURES, "--seed", "2", "--choose", "insult", "--choose", "sign")
    assert data["ending"] == "fragile" and data["outcome"] == "fragile_ceasefire"
    assert data["choices"] == []
    debrief = data["debrief"]
    assert {"scores", "by_skill", "turning_points", "missed", "curves", "lessons"} <= set(debrief)
    assert debrief["scores"] == data["scores"]
    assert debrief["ending"]["id"] == "fragile"


def test_unknown_scenario_names_the_known_ones():
    result = offramp("run", "no-such-scenario")
    no_traceback(result)
    assert result.returncode == 1
    assert "tutorial" in result.stderr


FAULTY = """format: 1
kind: scenario
id: faulty
title: Faulty
summary: An effect that divides by zero while playing.
difficulty: introductory
minutes: 5
cast: {adversary: volkov}
start: opening
rounds:
  opening:
    title: Opening
    text: Volkov waits.
    choices:
      - {id: divide, text: Divide by nothing., effects: ["rapport = 10 / (hurt - hurt)"], goto: done}
endings:
  done: {outcome: stalemate, title: Done, text: The talks end.}
"""


def test_division_by_zero_while_playing_is_reported_not_a_crash(tmp_path):
    (tmp_path / "faulty.yaml").write_text(FAULTY, encoding="utf-8")
    assert offramp("validate", tmp_path).returncode == 0
    result = offramp("run", "faulty", "--story", tmp_path, "--choose", "divide")
    no_traceback(result)
    assert result.returncode == 1
    assert "E400" in result.stderr and "division by zero" in result.stderr
    line = next(n for n, text in enumerate(FAULTY.splitlines(), 1) if "id: divide" in text)
    col = FAULTY.splitlines()[line - 1].index("rapport = 10") + 1
    assert f"faulty.yaml:{line}:{col}: error E400" in result.stderr  # where the expression was written
