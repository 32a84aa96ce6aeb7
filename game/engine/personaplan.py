"""What the persona model can work out once per scenario instead of at every step.

An actor's move chance, a move's condition or weight, or a reaction's condition or chance
that reads only persona traits (directly or through derived values) and calls no function
has the same value in every game of the scenario: it is evaluated once, when a session first
needs the plan. Whatever reads a variable or a built-in, or calls a function (``chance()``
rolls the dice), is still evaluated every time, in the authored order, so every game draws
the same dice as before. Who can answer a tag in a round (present, or overhearing) is known
per round too.
"""
from __future__ import annotations

from collections.abc import Collection, Mapping
from math import isfinite
from typing import TYPE_CHECKING

from .expr import ExprRuntimeError
from .model import Actor, Mover, MoveStep, PersonaPlan, Reaction, ReactionStep, Responder, Scenario
from .values import Value

if TYPE_CHECKING:
    from .expr import Compiled

_NO_VALUES: Mapping[str, Value] = {}  # what reads only traits reads no value: traits are in the expressions


def plan_of(scenario: Scenario, held: Collection[str]) -> PersonaPlan:
    """The scenario's plan, worked out when a session first needs it and kept with the scenario;
    ``held`` names the values a game holds and changes (its variables and built-ins)."""
    plan = scenario.persona_plan
    if plan is None:
        plan = scenario.persona_plan = PersonaPlan(_movers(scenario, held), _responders(scenario, held))
    return plan


def _responders(scenario: Scenario, held: Collection[str]) -> dict[str, dict[str, tuple[Responder, ...]]]:
    """Per round and tag, the actors that may answer it and the reactions each would try, in order."""
    by_round = {}
    worked_out: dict[tuple[int, int], ReactionStep | None] = {}  # (actor, reaction) -> its step, in every round
    for round_id, round_ in scenario.rounds.items():
        by_tag = {}
        for tag, table in scenario.reactions_by_tag.items():
            answering = []
            for actor, reactions in table:
                absent = actor.role != "board" and round_.present is not None and actor.role not in round_.present
                tried = []
                for reaction in reactions:
                    if absent and not reaction.overhears:
                        continue  # he was not in the room: he cannot answer what was said there
                    key = (id(actor), id(reaction))
                    if key in worked_out:
                        step = worked_out[key]
                    else:
                        step = worked_out[key] = _reaction_step(scenario, actor, reaction, held)
                    if step is None:
                        continue  # its condition never holds
                    tried.append(step)
                    if step.cond is None and step.fixed_chance is None and step.chance is None:
                        break  # it always fires: the reactions after it are never tried
                if tried:
                    answering.append(Responder(actor, absent, tuple(tried)))
            if answering:
                by_tag[tag] = tuple(answering)
        by_round[round_id] = by_tag
    return by_round


def _reaction_step(scenario: Scenario, actor: Actor, reaction: Reaction, held: Collection[str]) -> ReactionStep | None:
    """The reaction with what is fixed worked out; None when its condition never holds."""
    cond = True if reaction.cond is None else _fixed(scenario, reaction.cond, held)
    if cond is not None and not cond:
        return None
    p = None if reaction.chance is None else _fixed(scenario, reaction.chance, held)
    where = ("reaction", reaction.id, "of", actor.id)
    return ReactionStep(reaction, reaction.cond if cond is None else None,
                        reaction.chance if p is None else None, p, where, " ".join(where))


def _movers(scenario: Scenario, held: Collection[str]) -> tuple[Mover, ...]:
    """The scenario's actors that have moves and a move chance, in order, with what is fixed worked out."""
    plan = []
    for actor in scenario.actors:
        if not actor.moves or actor.move_chance is None:
            continue
        steps = []
        for move in actor.moves:
            cond = True if move.cond is None else _fixed(scenario, move.cond, held)
            weight = 1.0 if move.weight is None else _fixed(scenario, move.weight, held)
            if cond is not None and (not cond or (weight is not None and weight <= 0)):
                continue  # it can never be made (never open, or never picked), and nothing is rolled for it
            steps.append(MoveStep(move, move.cond if cond is None else None, move.weight if weight is None else None,
                                  1.0 if weight is None else float(weight)))
        p = _fixed(scenario, actor.move_chance, held)
        plan.append(Mover(actor, actor.move_chance if p is None else None, 0.0 if p is None else p, tuple(steps)))
    return tuple(plan)


def _fixed(scenario: Scenario, compiled: Compiled, held: Collection[str]) -> Value | None:
    """The value of an expression that reads only traits and calls nothing, else None (also when it
    fails or gives no finite number: then it fails in play, as an E400 that names it, as before)."""
    if not _on_traits(scenario, compiled, held):
        return None
    try:
        value: Value = compiled.raw(_NO_VALUES, None)
    except (ArithmeticError, KeyError, ExprRuntimeError):
        return None
    return None if value.__class__ is float and not isfinite(value) else value


def _on_traits(scenario: Scenario, compiled: Compiled, held: Collection[str]) -> bool:
    """Whether ``compiled`` reads only traits, directly or through derived values, and calls nothing."""
    pending, seen = [compiled], set[str]()
    while pending:
        expr = pending.pop()
        if expr.calls:
            return False
        for name in expr.names - seen:  # a held value first (a built-in is also a constant), then traits, then derived
            seen.add(name)
            if name in held:
                return False
            if name not in scenario.constants:
                pending.append(scenario.derived[name])
    return True
