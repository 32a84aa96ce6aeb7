"""effects.run applies a prepared effect list in one loop: it must give the values ``Var.fit`` gives
for every kind of effect and target, note what changed as the log shows it, and name a failing effect."""
from __future__ import annotations

import dataclasses
from math import isfinite

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from game.engine.compiler import _constant
from game.engine.effects import EffectFailed, prepare, run
from game.engine.expr import BOOL, NUM, ExprRuntimeError, compile_effect, finite
from game.engine.model import Var

VARS = {v.name: v for v in (
    Var("a", "int", 50, 0, 100, None, True, "a", "", "t"),
    Var("x", "number", 0.0, -5, 5, None, True, "x", "", "t"),
    Var("s", "int", 50, 0, 100, 10, True, "s", "", "t"),  # moves at most 10 a step
    Var("flag", "bool", False, None, None, None, True, "flag", "", "t"),
    # the odd declarations the compiler accepts: bounds and a limit that are not whole on an int
    # (rounded after they apply), no bounds at all, a limit on a number and on a bool (ignored)
    Var("h", "int", 5, 0.5, 9.5, 2.5, True, "h", "", "t"),
    Var("u", "int", 0, None, None, None, True, "u", "", "t"),
    Var("f", "number", 0.0, None, None, 1.5, True, "f", "", "t"),
    Var("lit", "bool", False, None, None, 0, True, "lit", "", "t"),
)}
NAMES = {"a": NUM, "x": NUM, "s": NUM, "flag": BOOL, "h": NUM, "u": NUM, "f": NUM, "lit": BOOL}
SOURCES = ["a += 3", "a -= 2.5", "a += x / 3", "a -= x", "a = x * 20", "a *= 1.5", "a /= x", "a += 1e308 * 10",
           "x += 7", "x -= 0.25", "x = a / 7", "x *= -1", "s += 40", "s -= a / 3", "s = 0", "s += 0.4",
           "flag = a > 50", "flag = not flag", "a += 0", "s += x * 1e308",
           "h += 3", "h -= x", "h = a / 10", "h += 0.5", "u += 1e300 * 1e10", "u -= a * 1.5", "u = x",
           "f += a", "f -= 0.7", "f = x * 1e308 * 10", "lit = not lit", "lit = a > 20"]
EFFECTS = {src: compile_effect(src, NAMES, set(VARS)) for src in SOURCES}
EFFECTS = {src: dataclasses.replace(e, origin=f"t.yaml:{i}:1", prepared=prepare(VARS[e.target], e, _constant(e.value)))
           for i, (src, e) in enumerate(EFFECTS.items(), 1)}


TYPES = {"int": int, "number": float, "bool": bool}


def reference(sources, values, start):
    """Each effect computed by its own closure and fitted by Var.fit; changes as {name: (first, last)}."""
    changes = {}
    for src in sources:
        effect, var = EFFECTS[src], VARS[EFFECTS[src].target]
        try:
            new = effect.new(values, None)
        except ArithmeticError:
            return "failed", src
        if var.type != "bool" and not isfinite(new):
            return "failed", src
        old, value = values[effect.target], var.fit(new, start.get(effect.target))
        values[effect.target] = value
        if value != old:  # a name stays where it was first noted, unless it came back and changed again
            first = changes[effect.target][0] if effect.target in changes else old
            if first == value:
                del changes[effect.target]
            else:
                changes[effect.target] = (first, value)
    return values, changes


state = st.fixed_dictionaries({"a": st.integers(0, 100), "x": st.floats(-5, 5), "s": st.integers(0, 100),
                               "flag": st.booleans(), "h": st.integers(0, 10), "u": st.integers(-10**6, 10**6),
                               "f": st.floats(-1e6, 1e6), "lit": st.booleans()})


@settings(max_examples=1000, deadline=None)
@given(state, st.lists(st.sampled_from(SOURCES), max_size=8), st.booleans())
def test_run_gives_what_var_fit_gives(values, sources, step_under_way):
    start = dict(values) if step_under_way else {}  # no step under way: no limit on s
    expected = reference(sources, dict(values), start)
    try:
        changes = run([EFFECTS[src] for src in sources], values, None, start, True, "here")
    except EffectFailed as failed:
        assert expected == ("failed", failed.effect.source) and failed.where == "here"
        assert isinstance(failed.error, ExprRuntimeError) and failed.effect.source in str(failed.error)
        return
    assert (values, changes) == expected
    assert {n: type(v) for n, v in values.items()} == {n: TYPES[var.type] for n, var in VARS.items()}
    assert list(changes) == list(expected[1])  # the order the log shows them in


def test_a_silent_run_notes_nothing_and_a_limit_holds_against_the_step_start():
    values = {"a": 50, "x": 0.0, "s": 50, "flag": False}
    effects = [EFFECTS["s += 40"], EFFECTS["s += 40"], EFFECTS["a -= 2.5"]]
    assert run(effects, values, None, {"s": 50}, False, "") is None
    assert values == {"a": 48, "x": 0.0, "s": 60, "flag": False}  # 47.5 rounds to 48, as Var.fit does


def test_a_bool_target_keeps_a_bool_whatever_its_closure_gives():
    """Typed expressions give a bool target a bool; anything else is made one, as Var.fit does."""
    effect = EFFECTS["flag = a > 50"]
    effect = dataclasses.replace(effect, new=lambda v, c: v["a"] - 50, prepared=None)
    effect = dataclasses.replace(effect, prepared=prepare(VARS["flag"], effect, None))
    for a, flag in ((50, False), (70, True)):
        values = {"a": a, "x": 0.0, "s": 50, "flag": not flag}
        run([effect], values, None, {}, False, "")
        assert values["flag"] is VARS["flag"].fit(a - 50, None) is flag


def test_a_failing_effect_is_named():
    values = {"a": 50, "x": 0.0, "s": 50, "flag": False}
    with pytest.raises(EffectFailed) as caught:
        run([EFFECTS["a += 3"], EFFECTS["a /= x"]], values, None, {}, True, "")
    assert caught.value.effect is EFFECTS["a /= x"]
    assert str(caught.value.error) == "division by zero in 'a /= x'"
    with pytest.raises(EffectFailed) as caught:
        run([EFFECTS["a += 1e308 * 10"]], values, None, {}, False, "")
    with pytest.raises(ExprRuntimeError) as direct:
        finite(float("inf"), "a += 1e308 * 10")
    assert str(caught.value.error) == str(direct.value)
