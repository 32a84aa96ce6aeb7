"""Effects as prepared records, run by one call per effect list.

A step applies a dozen or more effects (a choice's, its reactions', the rules' each round), most
of them ``x += k`` or ``x -= formula`` on a bounded number. The compiler prepares each effect
once (``prepare``): its target, its operator, a constant amount when it has one, and the target's
bounds and step limit. ``run`` then computes, fits and stores a whole effect list in one loop,
the one place where an effect's new value is fitted to its variable: the same values as
``Var.fit``, which fits values that come from elsewhere (initial values, a save).
"""
from __future__ import annotations

from math import inf, isfinite
from typing import TYPE_CHECKING, Any

from ..errors import OfframpError
from .expr import ExprRuntimeError, finite, runtime_error
from .values import Value

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping

    from .expr import Closure, Effect
    from .model import Var

# Prepared: (target, constant amount or None, closure, adds, low, high, whole, max_step), where
# ``adds`` is None when the closure gives the new value itself ("=", "*=", "/="), else whether the
# closure's value is added (True) or taken away (False), a constant amount always added; ``whole``
# is True for an int, False for a number, None for a bool.
Prepared = tuple[str, Any, "Closure", bool | None, float, float, bool | None, float | None]
Changes = dict[str, tuple[Value, Value]]  # variable -> (old, new): what some effects changed


class EffectFailed(OfframpError):
    """An effect that failed while running: the effect, and the failure as an E400 message."""

    def __init__(self, effect: Effect, error: ExprRuntimeError):
        super().__init__(str(error))
        self.effect, self.error = effect, error


def prepare(var: Var, effect: Effect, amount: float | None) -> Prepared:
    """``effect`` on ``var`` as a record for ``run``; ``amount`` is the effect's value when it is a
    constant. ``x -= k`` is kept as ``x + (-k)``, the same number bit for bit."""
    adds = {"+=": True, "-=": False}.get(effect.op)
    if adds is None or amount is None or not isfinite(amount):  # not finite: refused when played (E400)
        amount = None
    elif not adds:
        amount = -amount
    fn = effect.new if adds is None else effect.value.raw
    low = -inf if var.low is None else var.low
    high = inf if var.high is None else var.high
    whole = None if var.type == "bool" else var.type == "int"
    return (var.name, amount, fn, adds, low, high, whole, var.max_step)


def run(effects: Iterable[Effect], values: Any, ctx: Any, start: Mapping[str, Any], changes: Changes | None) -> None:
    """Apply ``effects`` in order, each computed, fitted to its variable and stored (``start``: the
    values as the step began, for a step limit). With ``changes``, what changed is noted in it as
    {name: (value before the first effect, value now)}, a name left out when it came back.
    Raises EffectFailed naming the effect when one fails."""
    effect = None
    try:
        for effect in effects:
            name, amount, fn, adds, low, high, whole, limit = effect.prepared  # type: ignore[misc]
            old = values[name]
            if amount is not None:
                value = old + amount
            elif adds is None:
                value = fn(values, ctx)
            elif adds:
                value = old + fn(values, ctx)
            else:
                value = old - fn(values, ctx)
            if whole is None:
                value = bool(value)
            else:
                if value.__class__ is float and not isfinite(value):  # NaN would pass every bound below
                    finite(value, effect.source)
                if limit is not None:
                    before = start.get(name)
                    if before is not None:
                        if before - limit > value:
                            value = before - limit
                        if before + limit < value:
                            value = before + limit
                if value < low:
                    value = low
                elif value > high:
                    value = high
                if whole:
                    if value.__class__ is not int:
                        value = round(value)  # an int already: Var.fit's int(round(value)), one call fewer
                else:
                    value = float(value)
            if value != old:
                values[name] = value
                if changes is not None:
                    if name not in changes:
                        changes[name] = (old, value)
                    elif changes[name][0] == value:
                        del changes[name]
                    else:
                        changes[name] = (changes[name][0], value)
    except (ArithmeticError, KeyError) as err:
        assert effect is not None
        raise EffectFailed(effect, runtime_error(err, effect.source)) from None
    except ExprRuntimeError as err:
        assert effect is not None
        raise EffectFailed(effect, err) from None
