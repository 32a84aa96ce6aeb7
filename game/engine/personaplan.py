"""What the persona model can work out once per scenario instead of at every round's opening.

An actor's move chance, or a move's condition or weight, that reads only persona traits
(directly or through derived values) and calls no function has the same value in every
game of the scenario: it is evaluated once, when a session first needs the plan. Whatever
reads a variable or a built-in, or calls a function (``chance()`` rolls the dice), is still
evaluated every time, in the authored order, so every game draws the same dice as before.
"""
from __future__ import annotations

from dataclasses import dataclass
from math import isfinite
from typing import TYPE_CHECKING

from .expr import ExprRuntimeError
from .state import BUILTIN_NAMES
from .values import Env, Value

if TYPE_CHECKING:
    from .expr import Compiled
    from .model import Actor, Move, Scenario


@dataclass(frozen=True, slots=True)
class MoveStep:
    """A move as the session weighs it: what is left to evaluate, and what is known."""

    move: Move
    cond: Compiled | None  # still to evaluate; None: open whenever the rules of repetition allow
    weight: Compiled | None  # still to evaluate; None: ``fixed_weight`` is its weight
    fixed_weight: float


@dataclass(frozen=True, slots=True)
class Mover:
    """An actor that can open a round with a move."""

    actor: Actor
    chance: Compiled | None  # still to evaluate; None: ``fixed_chance`` is the move chance
    fixed_chance: Value
    moves: tuple[MoveStep, ...]  # in the authored order, without those that can never be made


def movers(scenario: Scenario) -> tuple[Mover, ...]:
    """The scenario's actors that have moves and a move chance, in order, with what is fixed worked out."""
    traits = Env()
    traits.derived, traits.fixed, traits.ctx = scenario.derived, scenario.constants, None
    plan = []
    for actor in scenario.actors:
        if not actor.moves or actor.move_chance is None:
            continue
        steps = []
        for move in actor.moves:
            cond = True if move.cond is None else _fixed(scenario, move.cond, traits)
            weight = 1.0 if move.weight is None else _fixed(scenario, move.weight, traits)
            if cond is not None and (not cond or (weight is not None and weight <= 0)):
                continue  # it can never be made (never open, or never picked), and nothing is rolled for it
            steps.append(MoveStep(move, move.cond if cond is None else None, move.weight if weight is None else None,
                                  1.0 if weight is None else float(weight)))
        p = _fixed(scenario, actor.move_chance, traits)
        plan.append(Mover(actor, actor.move_chance if p is None else None, 0.0 if p is None else p, tuple(steps)))
    return tuple(plan)


def _fixed(scenario: Scenario, compiled: Compiled, traits: Env) -> Value | None:
    """The value of an expression that reads only traits and calls nothing, else None (also when it
    fails or gives no finite number: then it fails in play, as an E400 that names it, as before)."""
    if not _on_traits(scenario, compiled):
        return None
    try:
        value: Value = compiled.raw(traits, None)
    except (ArithmeticError, KeyError, ExprRuntimeError):
        return None
    return None if value.__class__ is float and not isfinite(value) else value


def _on_traits(scenario: Scenario, compiled: Compiled) -> bool:
    """Whether ``compiled`` reads only traits, directly or through derived values, and calls nothing."""
    pending, seen = [compiled], set[str]()
    while pending:
        expr = pending.pop()
        if expr.calls:
            return False
        for name in expr.names - seen:  # looked up as an Env does: held values first, then traits, then derived
            seen.add(name)
            if name in scenario.vars or name in BUILTIN_NAMES:
                return False
            if name not in scenario.constants:
                pending.append(scenario.derived[name])
    return True
