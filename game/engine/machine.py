"""The round graph as a ``transitions`` state machine, one per scenario.

Trigger names are choice ids (shared across rounds, so a ``walk-away`` choice can
exist in many rounds), plus ``interrupt`` for scenario triggers and ``catastrophe``
for the runaway-escalation roll. Conditions are Python callables made from our
compiled expressions; nothing from YAML is ever given to transitions as a string.
Sessions pass their ``SessionState`` (its ``round`` field) to ``Event.trigger`` instead of registering it
as a model, so thousands of sessions share one machine without leaking.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from transitions import Machine

from .expr import ExprRuntimeError

if TYPE_CHECKING:
    from .expr import Compiled
    from .model import Scenario

INTERRUPT = "interrupt"
CATASTROPHE = "catastrophe"


class RouteError(ExprRuntimeError):
    """A route's condition failed while playing; remembers where that condition was written."""

    def __init__(self, origin: str, message: str):
        super().__init__(message)
        self.origin = origin


def _condition(compiled: Compiled) -> Callable[[Any, Any], bool]:
    def check(env: Any, ctx: Any) -> bool:
        try:
            return bool(compiled.fn(env, ctx))
        except ExprRuntimeError as err:
            raise RouteError(compiled.origin, str(err)) from None
    return check


def build_machine(scenario: Scenario) -> Machine:
    states = list(scenario.rounds) + list(scenario.endings)
    machine = Machine(model=None, states=states, initial=scenario.start, auto_transitions=False,
                      send_event=False, ignore_invalid_triggers=False, model_attribute="round")
    for round_ in scenario.rounds.values():
        for choice in round_.choices:
            entries = scenario.routes.get(choice.goto, ((None, choice.goto),))
            for cond, dest in entries:
                conditions: list[str | Callable[..., bool | None]] = [_condition(cond)] if cond is not None else []
                machine.add_transition(choice.id, round_.id, dest, conditions=conditions)
        for cond, dest in scenario.triggers:
            machine.add_transition(INTERRUPT, round_.id, dest,
                                   conditions=[_condition(cond)] if cond is not None else [])
        if scenario.catastrophe:
            machine.add_transition(CATASTROPHE, round_.id, scenario.catastrophe)
    return machine


def fire(machine: Machine, trigger: str, state: object, env: Any, ctx: Any) -> bool:
    """Fire ``trigger`` for a session's state object; True when a transition happened."""
    event = machine.events.get(trigger)
    if event is None:
        return False
    return event.trigger(state, env, ctx)
