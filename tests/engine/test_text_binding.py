"""Texts that name the cast are filled in when the scenario compiles, and read exactly as when rendered.

A cast member's display name cannot change during a game, so ``{aide}`` is put in once by the
compiler (``Template.bind``) and the beat takes the text as it is. What a trainee reads must not
change: every template of every bundled scenario, rendered through the session, reads as its
source rendered afresh with the speakers looked up first, then the values, as a session does.
"""
from __future__ import annotations

import dataclasses

import pytest

from game.engine import Session
from game.engine.text import Template, show


def templates(obj, seen=None):
    """Every Template reachable from a compiled scenario (rounds, lines, choices, reactions, moves, endings)."""
    seen = set() if seen is None else seen
    if id(obj) in seen:
        return
    seen.add(id(obj))
    if isinstance(obj, Template):
        yield obj
    elif dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        for field in dataclasses.fields(obj):
            yield from templates(getattr(obj, field.name), seen)
    elif isinstance(obj, dict):
        for value in obj.values():
            yield from templates(value, seen)
    elif isinstance(obj, (tuple, list)):
        for value in obj:
            yield from templates(value, seen)


def test_binding_fills_in_the_constants_and_keeps_the_rest():
    template = Template("{aide} says {{calm}}: trust is {trust}, {aide} adds.")
    bound = template.bind({"aide": "Lena"})
    assert bound.plain is None and bound.source == template.source and bound.names == template.names
    assert bound.render(lambda name: {"trust": "40"}[name]) == "Lena says {calm}: trust is 40, Lena adds."
    assert Template("{aide} nods.").bind({"aide": "Lena"}).plain == "Lena nods."
    unnamed = Template("{trust} and more")
    assert unnamed.bind({"aide": "Lena"}) is unnamed


@pytest.mark.parametrize("scenario_id", ["tutorial", "ceasefire-table"])
def test_every_text_reads_as_rendered_afresh(bundled, scenario_id):
    scenario = bundled.scenarios[scenario_id]
    session = Session(scenario, seed=3)

    def lookup(name):
        return scenario.speakers[name] if name in scenario.speakers else show(session.values[name])

    found = list(templates(scenario))
    named_by_cast = [t for t in found if t.names and all(name in scenario.speakers for name, _ in t.names)]
    assert named_by_cast, "the scenario is expected to have texts that name the cast"
    for template in found:
        assert session.render(template) == Template(template.source).render(lookup), template.source
    assert [t.source for t in named_by_cast if t.plain is None] == []  # no lookup left for them to build
