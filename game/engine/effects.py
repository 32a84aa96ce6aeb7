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
    from collections.abc import Callable, Iterable, Mapping

    from .expr import Closure, Effect
    from .model import Var

# Prepared: (target, constant amount or None, closure, adds, exact, convert, low, high, max_step), where
# ``adds`` is None when the closure gives the new value itself ("=", "*=", "/="), else whether the
# closure's value is added (True) or taken away (False), a constant amount always added; a value of
# class ``exact`` needs no converting, any other is converted by ``convert`` (see _TARGETS); ``low``
# and ``high`` are the bounds, already converted.
Prepared = tuple[str, Any, "Closure", bool | None, type | None, "Callable[[Any], Any]", Any, Any, float | None]
Changes = dict[str, tuple[Value, Value]]  # variable -> (old, new): what some effects changed


class EffectFailed(OfframpError):
    """An effect that failed while running: the effect, the failure as an E400 message, and where
    its list was running (``run``'s ``where``, for the session's message)."""

    def __init__(self, effect: Effect, error: ExprRuntimeError, where: Any):
        super().__init__(str(error))
        self.effect, self.error, self.where = effect, error, where


def _number(value: Any) -> float:
    """A number target's value as a float, refusing NaN and the infinities as ``round`` does."""
    if value.__class__ is float and not isfinite(value):
        raise ValueError(value)
    return float(value)


# What Var.fit does last, by target type: (the class a value needs to be left as it is, the
# conversion of any other value, the conversion of a bound). ``run`` converts before it applies the
# bounds, and applies them converted: a conversion that never decreases (round, float) gives the
# same value either way, round(min(v, high)) being min(round(v), round(high)); values compare
# faster once they are of the target's class. An int target's values are ints and floats (the
# expression types), and ``float.__round__`` is ``round`` without its lookup of ``__round__``.
# ``float.__round__`` and ``_number`` refuse what is not finite, as Var.fit does.
_TARGETS: dict[str, tuple[type | None, Callable[[Any], Any], Callable[[Any], Any]]] = {
    "int": (int, float.__round__, round), "number": (None, _number, float), "bool": (bool, bool, bool)}


def prepare(var: Var, effect: Effect, amount: float | None) -> Prepared:
    """``effect`` on ``var`` as a record for ``run``; ``amount`` is the effect's value when it is a
    constant. ``x -= k`` is kept as ``x + (-k)``, the same number bit for bit."""
    adds = {"+=": True, "-=": False}.get(effect.op)
    if adds is None or amount is None or not isfinite(amount):  # not finite: refused when played (E400)
        amount = None
    elif not adds:
        amount = -amount
    fn = effect.new if adds is None else effect.value.raw
    exact, convert, bound = _TARGETS[var.type]
    low = -inf if var.low is None else bound(var.low)
    high = inf if var.high is None else bound(var.high)
    limit = None if var.type == "bool" else var.max_step  # Var.fit keeps no bounds and no limit for a bool
    return (var.name, amount, fn, adds, exact, convert, low, high, limit)


def run(effects: Iterable[Effect], values: Any, ctx: Any, start: Mapping[str, Any], narrate: bool,
        where: Any) -> Changes | None:
    """Apply ``effects`` in order, each computed, fitted to its variable and stored (``start``: the
    values as the step began, for a step limit). Narrated, returns what changed as {name: (value
    before the first effect, value now)}, a name left out when it came back; silent, None.
    Raises EffectFailed naming the effect and ``where`` when one fails. The session calls this
    directly for every list: a call less per list than a method around it."""
    changes: Changes | None = {} if narrate else None
    effect = value = None
    try:
        for effect in effects:
            name, amount, fn, adds, exact, convert, low, high, limit = effect.prepared  # type: ignore[misc]
            old = values[name]
            if amount is not None:
                value = old + amount
            elif adds is None:
                value = fn(values, ctx)
            elif adds:
                value = old + fn(values, ctx)
            else:
                value = old - fn(values, ctx)
            if limit is not None:
                before = start.get(name)
                if before is not None:
                    if value.__class__ is float and not isfinite(value):  # NaN would pass the limit, inf be held by it
                        finite(value, effect.source)
                    if before - limit > value:
                        value = before - limit
                    if before + limit < value:
                        value = before + limit
            if value.__class__ is not exact:
                value = convert(value)
            if value < low:
                value = low
            elif value > high:
                value = high
            if value != old:
                values[name] = value
                if changes is not None:
                    if name not in changes:
                        changes[name] = (old, value)
                    elif changes[name][0] == value:
                        del changes[name]
                    else:
                        changes[name] = (changes[name][0], value)
    except (ArithmeticError, ValueError, KeyError, ExprRuntimeError) as err:  # ValueError, OverflowError: see _TARGETS
        assert effect is not None
        raise EffectFailed(effect, _failure(err, value, effect.source), where) from None
    return changes


def _failure(err: Exception, value: Any, source: str) -> ExprRuntimeError:
    """The E400 message for a failure while running ``source``; ``value``: its value if it was
    computed (a value refused as not finite), else the last one stored (finite)."""
    if value.__class__ is float and not isfinite(value):
        try:
            finite(value, source)
        except ExprRuntimeError as refused:
            return refused
    return err if isinstance(err, ExprRuntimeError) else runtime_error(err, source)
