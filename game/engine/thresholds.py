"""Which values of a variable a set of conditions can tell apart.

A condition such as ``hurt >= 21 + maximalism * 2 / 5`` only asks how a variable compares
with a fixed number (a threshold: literals and traits). Two values that compare alike with
every threshold a variable meets get the same answer from every such condition, so a memo
keyed on that class instead of the value hits far more often and is still exact. A variable
read any other way (in arithmetic, a function, against another variable, or a true/false
variable) is told apart by its value.
"""
from __future__ import annotations

import ast
import math
from bisect import bisect_left
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from .expr import BUILTINS, NUM, Call, Compiled, ExprError, ExprRuntimeError, compile_expr
from .values import Value

MAX_RANGE = 10_000  # an integer variable with more values than this is told apart by value


@dataclass
class Reading:
    """How some conditions read the variables: ``cuts`` for those compared only with thresholds,
    ``raw`` for the others; ``names`` and ``calls`` are every name they read and every function
    they call, derived values' included."""

    cuts: dict[str, set[Value]] = field(default_factory=dict)
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
        of its values -> its class (values in one class compare alike with every threshold); None
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
        # how many thresholds lie below the value, and whether the next one equals it, tell how it
        # compares with each (NaN compares alike with every value, so it is left out)
        found = sorted(t for t in self.cuts[name] if t == t)
        table: dict[Value, int] = {}
        for v in values:
            i = bisect_left(found, v)
            table[v] = 2 * i + (i < len(found) and found[i] == v)
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


def _visit(node: ast.AST, text: str, variables: Mapping[str, str], constants: Mapping[str, Value],
           found: Reading) -> None:
    if isinstance(node, ast.Compare):
        operands = [node.left, *node.comparators]
        for i, operand in enumerate(operands):
            if isinstance(operand, ast.Name) and operand.id in variables:
                sides = [operands[j] for j in (i - 1, i + 1) if 0 <= j < len(operands)]
                values = [_threshold(side, text, constants) for side in sides]
                if all(v is not None for v in values):
                    found.cuts.setdefault(operand.id, set()).update(v for v in values if v is not None)
                else:
                    found.raw.add(operand.id)
            else:
                _visit(operand, text, variables, constants, found)
        return
    if isinstance(node, ast.Name) and node.id in variables:
        found.raw.add(node.id)
        return
    for child in ast.iter_child_nodes(node):
        _visit(child, text, variables, constants, found)


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
