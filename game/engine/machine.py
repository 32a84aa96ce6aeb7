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

from transitions import Machine, MachineError

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
    machine.offramp_table = _table(machine)  # type: ignore[attr-defined]
    return machine


Table = dict[tuple[str, str], tuple[tuple[tuple[Any, ...], Any], ...]]  # -> ((conditions, dest), ...)


def _table(machine: Machine) -> Table:
    """The machine's own transitions as (trigger, source) -> ((conditions, dest), ...), in its order.

    A game fires a trigger at every step; going through ``Event.trigger`` builds an ``EventData``,
    resolves empty callback lists and formats ``logging.debug`` calls each time. None of our machines
    has a callback, so firing is exactly: the first transition whose conditions all hold moves the
    state to its destination. The table is read from the machine once, so the graph stays the one
    ``transitions`` holds."""
    table: Table = {}
    for name, event in machine.events.items():
        for source, transitions in event.transitions.items():
            table[(name, source)] = tuple((tuple(c.func for c in t.conditions), t.dest) for t in transitions)
    return table


def fire(machine: Machine, trigger: str, state: Any, env: Any, ctx: Any) -> bool:
    """Fire ``trigger`` for a session's state object; True when a transition happened. As with
    ``Event.trigger``: an unknown trigger is no transition, a known one from a state it does
    not leave is a ``MachineError``."""
    entries = machine.offramp_table.get((trigger, state.round))
    if entries is None:
        if trigger in machine.events:
            raise MachineError(f"Can't trigger event {trigger} from state {state.round}!")
        return False
    for conditions, dest in entries:
        for condition in conditions:
            if not condition(env, ctx):
                break
        else:
            state.round = dest
            return True
    return False
