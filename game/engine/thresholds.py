"""Which values of a variable a set of conditions can tell apart.

A condition such as ``hurt >= 21 + maximalism * 2 / 5`` only asks how a variable compares
with a fixed number (a threshold: literals and traits), and only on one side of it: ``<`` and
``>=`` ask whether the value is below the threshold, ``<=`` and ``>`` whether it is above it,
``==`` and ``!=`` both. Two values on the same side of every such cut get the same answer from
every such condition, so a memo keyed on that class instead of the value hits far more often
and is still exact. A variable read any other way (in arithmetic, a function, against another
variable, or a true/false variable) is told apart by its value.
"""
from __future__ import annotations

import ast
import math
from bisect import bisect_right
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from .expr import BUILTINS, NUM, Call, Compiled, ExprError, ExprRuntimeError, compile_expr
from .values import Value

MAX_RANGE = 10_000  # an integer variable with more values than this is told apart by value


Cut = tuple[Value, int]  # (threshold, side): side 0 parts the values below it from the rest, 1 those above it


@dataclass
class Reading:
    """How some conditions read the variables: ``cuts`` for those compared only with thresholds,
    ``raw`` for the others; ``names`` and ``calls`` are every name they read and every function
    they call, derived values' included."""

    cuts: dict[str, set[Cut]] = field(default_factory=dict)
    raw: set[str] = field(default_factory=set)
    names: set[str] = field(default_factory=set)
    calls: set[Call] = field(default_factory=set)  # the functions called, as in Compiled.calls

    def merge(self, other: Reading) -> None:
        for name, found in other.cuts.items():
            self.cuts.setdefault(name, set()).update(found)
        self.raw |= other.raw
        self.names |= other.names
        self.calls |= other.calls

    def classes(self, name: str, low: float | None, high: float | None,
                cache: dict[Any, Any] | None = None) -> dict[Value, int] | None:
        """For an integer variable between ``low`` and ``high`` compared only with thresholds: each
        of its values -> its class (values in one class fall on the same side of every cut); None
        when it is read otherwise or has too many values (it is then told apart by value).
        ``cache`` (one per scenario) keeps each table for the next set of conditions."""
        if name in self.raw or name not in self.cuts or low is None or high is None:
            return None
        values = range(math.floor(low), math.ceil(high) + 1)
        if len(values) > MAX_RANGE:
            return None
        key = (name, frozenset(self.cuts[name]))
        if cache is not None and key in cache:
            return cache[key]  # type: ignore[no-any-return]
        # how many cuts a value is past (NaN compares alike with every value, so it makes no cut):
        # (t, 0) when it is >= t, (t, 1) when it is > t, i.e. the cuts up to (v, 0.5) in their order
        found = sorted(cut for cut in self.cuts[name] if cut[0] == cut[0])
        table: dict[Value, int] = {v: bisect_right(found, (v, 0.5)) for v in values}
        if cache is not None:
            cache[key] = table
        return table


def reading(conditions: Iterable[Compiled], variables: Mapping[str, str], constants: Mapping[str, Value],
            derived: Mapping[str, Compiled], cache: dict[Any, Any] | None = None) -> Reading:
    """How ``conditions`` (and the derived values they read, transitively) read ``variables``
    (name -> "num" or "bool"); ``constants`` are the traits and built-ins a threshold may use.
    ``cache`` (one per scenario) keeps what each condition reads for the next set of conditions."""
    found = Reading()
    todo, seen = list(conditions), set()
    while todo:
        compiled = todo.pop()
        if id(compiled) in seen:
            continue
        seen.add(id(compiled))
        todo.extend(derived[name] for name in compiled.names if name in derived)
        one = None if cache is None else cache.get(id(compiled))
        if one is None:
            one = _reading_of(compiled, variables, constants)
            if cache is not None:
                cache[id(compiled)] = one
        found.merge(one)
    found.raw |= found.names & {n for n, t in variables.items() if t != NUM}
    return found


def _reading_of(compiled: Compiled, variables: Mapping[str, str], constants: Mapping[str, Value]) -> Reading:
    found = Reading(names=set(compiled.names), calls=set(compiled.calls))
    text = compiled.source.lstrip()
    try:
        tree = ast.parse(text + "\n", mode="eval").body
    except SyntaxError:  # not expected of a compiled condition; every variable it reads is raw
        found.raw |= compiled.names & variables.keys()
        return found
    _visit(tree, text, variables, constants, found)
    return found


# The cuts ``variable OP threshold`` makes in a variable's values: below the threshold or not
# (side 0: < and >=), above it or not (side 1: <= and >), both for == and !=.
_SIDES: dict[type[ast.cmpop], tuple[int, ...]] = {ast.Lt: (0,), ast.GtE: (0,), ast.LtE: (1,), ast.Gt: (1,),
                                                  ast.Eq: (0, 1), ast.NotEq: (0, 1)}
# ``threshold OP variable`` is ``variable OP' threshold``
_MIRRORED = {ast.Lt: ast.Gt, ast.LtE: ast.GtE, ast.Gt: ast.Lt, ast.GtE: ast.LtE, ast.Eq: ast.Eq, ast.NotEq: ast.NotEq}


def _visit(node: ast.AST, text: str, variables: Mapping[str, str], constants: Mapping[str, Value],
           found: Reading) -> None:
    if isinstance(node, ast.Compare):
        operands = [node.left, *node.comparators]
        for i, operand in enumerate(operands):
            if isinstance(operand, ast.Name) and operand.id in variables:
                cuts = _cuts_of(operands, node.ops, i, text, constants)
                if cuts is None:
                    found.raw.add(operand.id)
                else:
                    found.cuts.setdefault(operand.id, set()).update(cuts)
            else:
                _visit(operand, text, variables, constants, found)
        return
    if isinstance(node, ast.Name) and node.id in variables:
        found.raw.add(node.id)
        return
    for child in ast.iter_child_nodes(node):
        _visit(child, text, variables, constants, found)


def _cuts_of(operands: list[ast.expr], ops: list[ast.cmpop], i: int, text: str,
             constants: Mapping[str, Value]) -> list[Cut] | None:
    """The cuts the comparisons of ``operands[i]`` with its neighbours make; None when a neighbour
    is no threshold (or the operator is none of the six)."""
    cuts: list[Cut] = []
    for j, op in ((i - 1, ops[i - 1] if i else None), (i + 1, ops[i] if i < len(ops) else None)):
        if op is None:
            continue
        threshold = _threshold(operands[j], text, constants)
        kind = type(op) if j > i else _MIRRORED.get(type(op))
        if threshold is None or kind not in _SIDES:
            return None
        cuts += [(threshold, side) for side in _SIDES[kind]]
    return cuts


def _threshold(node: ast.AST, text: str, constants: Mapping[str, Value]) -> Value | None:
    """The number ``node`` always is (literals and traits only), computed as the engine computes it;
    None when it reads anything else. Most thresholds are a finite number as written: that is its value."""
    if isinstance(node, ast.Constant) and node.value.__class__ in (int, float) and math.isfinite(node.value):
        return node.value
    return _computed_threshold(node, text, constants)


def _computed_threshold(node: ast.AST, text: str, constants: Mapping[str, Value]) -> Value | None:
    """``_threshold`` by compiling the expression, as the engine does."""
    if not all(isinstance(n, ast.Constant | ast.Name | ast.UnaryOp | ast.BinOp | ast.operator | ast.unaryop
                          | ast.expr_context) for n in ast.walk(node)):
        return None
    if any(isinstance(n, ast.Name) and n.id not in constants for n in ast.walk(node)):
        return None
    segment = ast.get_source_segment(text, node)
    if segment is None:
        return None
    try:
        value = compile_expr(segment, dict.fromkeys(constants, NUM), BUILTINS, NUM)(constants, None)
    except (ExprError, ExprRuntimeError):
        return None
    return value if value.__class__ in (int, float) else None
