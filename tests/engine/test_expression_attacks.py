"""Hostile expressions in a scenario's ``if:`` are refused at validation, with their position.

The unit-level refusals and the hypothesis property test live in tests/test_expr.py;
here the attacks travel the whole way an instructor's file does: YAML, schema,
compiler, diagnostic, CLI.
"""
from __future__ import annotations

import re

import pytest

from game.engine import load_library
from game.paths import story_paths

from .helpers import no_traceback, offramp

TEMPLATE = """format: 1
kind: scenario
id: attack
title: Attack
summary: A condition written by an attacker.
difficulty: introductory
minutes: 5
cast:
  adversary: volkov
start: opening
rounds:
  opening:
    title: Opening
    text: Volkov waits.
    choices:
      - id: label
        text: Name his fear.
        tags: [empathy.label]
        if: '{attack}'
        goto: done
endings:
  done:
    outcome: stalemate
    title: Done
    text: The talks end.
"""
IF_LINE = 19
IF_VALUE_COL = 13  # the opening quote of the if: value; the expression starts one column later

# attack -> (code, offset of the refused node inside the expression)
ATTACKS = {
    "__import__('os').system('true')": ("E201", 0),
    "().__class__.__bases__": ("E201", 0),
    "open('x') == 'x'": ("E201", 0),
    "rapport > 9**9**9": ("E201", 10),
    "(" * 10_000 + "true" + ")" * 10_000: ("E204", 0),
    "not " * 10_000 + "true": ("E204", 0),
    "-" * 60 + "rapport > 0": ("E204", 31),  # the comparison is level 1, so the 32nd minus is level 33
    "(lambda: true)()": ("E201", 1),
    "lambda: true": ("E201", 0),
    "[x for x in 'ab'] == 'a'": ("E201", 0),
    "rapport.real > 0": ("E201", 0),
    "eval('1') == 1": ("E201", 0),
    "_secret > 1": ("E201", 0),
}


@pytest.fixture
def write_attack(tmp_path):
    def write(attack: str):
        path = tmp_path / "attack.yaml"
        path.write_text(TEMPLATE.replace("{attack}", attack.replace("'", "''")), encoding="utf-8")
        return path
    return write


@pytest.mark.parametrize("attack", ATTACKS, ids=lambda a: a[:30])
def test_attack_refused_with_position(attack, write_attack):
    code, offset = ATTACKS[attack]
    path = write_attack(attack)
    library = load_library([path, *story_paths()])
    found = [(d.code, d.line, d.col) for d in library.diagnostics if d.path == str(path)]
    assert found == [(code, IF_LINE, IF_VALUE_COL + 1 + offset)]
    assert "attack" not in library.scenarios


@pytest.mark.parametrize("attack", ["__import__('os').system('true')", "(" * 10_000 + "true" + ")" * 10_000,
                                    "(lambda: true)()"], ids=["import", "deep-nest", "lambda"])
def test_validate_cli_refuses_attack(attack, write_attack):
    code, offset = ATTACKS[attack]
    result = offramp("validate", write_attack(attack))
    no_traceback(result)
    assert result.returncode == 1
    assert re.search(rf"attack\.yaml:{IF_LINE}:{IF_VALUE_COL + 1 + offset}: error {code}:",
                     result.stdout), result.stdout
