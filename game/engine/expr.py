"""The safe expression language for conditions and effects written by instructors.

Story YAML must never reach eval/exec, so source text is parsed with ``ast.parse``
only as a parser, every node is checked against a small whitelist, and the tree is
compiled once, at load time, into nested closures ``f(values, ctx)``. Types are
checked statically so a story that loads cannot fail at play time except for
arithmetic problems such as division by zero (ExprRuntimeError, reported as E400).

Positions in errors are 0-based (line offset, column in characters) inside the
expression text; callers add them to the position of the YAML scalar.
"""
from __future__ import annotations

import ast
import math
import operator
import warnings
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol, overload

from ..errors import OfframpError
from . import codes
from .suggest import hint

NUM, BOOL, STR = "num", "bool", "str"
MAX_LENGTH = 400
MAX_DEPTH = 32
Values = Mapping[str, object]  # what an expression reads: name -> value
# A compiled expression or a part of one, called as fn(values, ctx): ``ctx`` is handed on to the
# functions called (the session). The result has the expression's own type (num, bool or str), which
# this module checks statically; Python's type of it stays open.
Closure = Callable[[Values, Any], Any]
Call = tuple[str, tuple[str | None, ...]]  # a function called: (name, (each argument if a literal str, else None))
Note = tuple[str, int, int]  # (message, line, col)


class ExprError(OfframpError):
    """An author's mistake in an expression, with a diagnostics code and a position."""

    def __init__(self, code: codes.Code, message: str, line: int = 0, col: int = 0, name: str = ""):
        super().__init__(message)
        self.code, self.message, self.line, self.col = code, message, line, col
        self.name = name  # the unknown name, for E202: the compiler groups the places that need it

    def __str__(self) -> str:
        return self.message


class ExprRuntimeError(OfframpError):
    """An expression failed while playing (the engine reports it as E400)."""


class NotFinite(ExprRuntimeError, ValueError):
    """A number became infinite or NaN: refused before it is stored, compared or saved."""


def finite(value: object, source: str) -> object:
    """``value`` unchanged when it is a finite number (or not a float at all); NotFinite otherwise."""
    if value.__class__ is float and not math.isfinite(value):
        raise NotFinite(f"'{source}' gives {value}, which is not a finite number")
    return value


@dataclass(frozen=True)
class Function:
    name: str
    params: tuple[str, ...]
    returns: str
    impl: Callable[..., Any]  # impl(ctx, *args)
    varargs: bool = False  # at least len(params) args, all of type params[0]
    pure: Callable[..., Any] | None = None  # the same without the context, when it needs none: pure(*args)


class _Dice(Protocol):
    """What chance() needs of the context: the session's seeded dice."""

    def chance(self, p: float) -> bool: ...


def _chance(ctx: _Dice | None, p: float) -> bool:
    if ctx is None:
        raise ExprRuntimeError("chance() needs the session's dice")
    return bool(ctx.chance(p))


def _larger(a: Any, b: Any) -> Any:
    """``max(a, b)``, the same object for the same two numbers (b only when it is greater, so
    ``max(0, nan)`` is 0 and ``max(nan, 0)`` NaN), without the builtin's keyword parsing, which
    costs several times more than the comparison in a step's formulas."""
    return b if b > a else a


def _smaller(a: Any, b: Any) -> Any:
    """``min(a, b)``, as ``_larger`` is ``max(a, b)``."""
    return b if b < a else a


BUILTINS: dict[str, Function] = {
    "min": Function("min", (NUM, NUM), NUM, lambda ctx, *a: min(a), varargs=True, pure=_smaller),
    "max": Function("max", (NUM, NUM), NUM, lambda ctx, *a: max(a), varargs=True, pure=_larger),
    "clamp": Function("clamp", (NUM, NUM, NUM), NUM, lambda ctx, x, lo, hi: _smaller(_larger(x, lo), hi)),
    "chance": Function("chance", (NUM,), BOOL, _chance),
}


@dataclass(frozen=True)
class Compiled:
    source: str
    type: str
    names: frozenset[str]
    calls: tuple[Call, ...]  # ((function_name, (literal_str_or_None, ...)), ...)
    fn: Closure  # fn(values, ctx); raises ExprRuntimeError on arithmetic failures
    raw: Closure  # the same without the guard, for hot loops that guard many calls at once
    origin: str = ""  # 'path:line:col' of the source, set by the compiler for runtime messages
    notes: tuple[Note, ...] = ()  # ((message, line, col), ...): problems seen statically that only bite at play

    def __call__(self, values: Values, ctx: Any = None) -> Any:
        return self.fn(values, ctx)


_AUG_OPS = {ast.Add: "+=", ast.Sub: "-=", ast.Mult: "*=", ast.Div: "/="}
_AUG_FNS = {"+=": operator.add, "-=": operator.sub, "*=": operator.mul, "/=": operator.truediv}


@dataclass(frozen=True)
class Effect:
    source: str
    target: str
    op: str  # "=", "+=", "-=", "*=", "/="
    value: Compiled
    names: frozenset[str]
    origin: str = ""  # 'path:line:col' of the source, set by the compiler for runtime messages
    new: Closure = field(kw_only=True)  # new(values, ctx): the target's new value in one closure, unguarded (see apply)
    # the effect as a record for effects.run, which computes, fits and stores it; set by the
    # compiler, which knows the target's bounds (see effects.prepare)
    prepared: tuple[Any, ...] | None = field(default=None, kw_only=True)

    def apply(self, values: Values, ctx: Any = None) -> Any:
        """Return the new value of the target; storing and clamping is the engine's job."""
        try:
            return self.new(values, ctx)
        except (ArithmeticError, KeyError) as e:
            raise runtime_error(e, self.source) from e


def runtime_error(e: Exception, source: str) -> ExprRuntimeError:
    """The runtime error (E400) for an arithmetic failure or a missing value in ``source``."""
    if isinstance(e, ZeroDivisionError):
        return ExprRuntimeError(f"division by zero in '{source}'")
    if isinstance(e, KeyError):
        return ExprRuntimeError(f"no value for {e} in '{source}'")
    return ExprRuntimeError(f"arithmetic failed in '{source}': {e}")


# Things Python parses but the language refuses, named the way an author would know them.
_REFUSED_OPS = {
    ast.Pow: "'**'", ast.FloorDiv: "'//'", ast.Mod: "'%'", ast.MatMult: "'@'",
    ast.LShift: "'<<'", ast.RShift: "'>>'", ast.BitOr: "'|'", ast.BitXor: "'^'",
    ast.BitAnd: "'&'", ast.Invert: "'~'", ast.In: "'in'", ast.NotIn: "'not in'",
    ast.Is: "'is'", ast.IsNot: "'is not'",
}
_REFUSED_NODES = {
    ast.Attribute: "attribute access ('.')", ast.Subscript: "indexing ('[...]')",
    ast.Lambda: "lambda", ast.IfExp: "'if ... else' (use and/or)",
    ast.ListComp: "comprehensions", ast.SetComp: "comprehensions",
    ast.DictComp: "comprehensions", ast.GeneratorExp: "comprehensions",
    ast.JoinedStr: "f-strings", ast.FormattedValue: "f-strings",
    ast.NamedExpr: "':='", ast.Starred: "'*' unpacking",
    ast.List: "lists", ast.Tuple: "tuples", ast.Set: "sets", ast.Dict: "dicts",
    ast.Await: "await", ast.Slice: "slices",
}
_ARITH = {ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul, ast.Div: operator.truediv}
_COMPARE = {ast.Eq: operator.eq, ast.NotEq: operator.ne, ast.Lt: operator.lt,
            ast.LtE: operator.le, ast.Gt: operator.gt, ast.GtE: operator.ge}
_LITERAL_NAMES = {"true": True, "false": False}


def _type_of_constant(value: object) -> str | None:
    if isinstance(value, bool):
        return BOOL
    if isinstance(value, (int, float)):
        return NUM
    if isinstance(value, str):
        return STR
    return None  # bytes, complex, None, Ellipsis


class _Compiler:
    """One compilation: knows the source (for positions), the names and the functions."""

    def __init__(self, source: str, names: Mapping[str, str], functions: Mapping[str, Function],
                 fixed: Mapping[str, Any] | None = None, derived: Mapping[str, Compiled] | None = None):
        self.names, self.functions = names, functions
        self.fixed: Mapping[str, Any] = fixed or {}  # names whose value is known now (traits): read as constants
        self.derived: Mapping[str, Compiled] = derived or {}  # names computed by their own rule (derived values)
        self.read: set[str] = set()
        self.values: dict[Closure, Any] = {}  # closures that return a constant -> that constant
        self.reads: dict[Closure, str] = {}  # closures that read one name -> that name
        self.calls: list[Call] = []
        self.notes: list[tuple[str, int, int]] = []
        # Leading whitespace makes Python report "unexpected indent", so it is
        # skipped before parsing and added back to every reported position.
        self.text = source.lstrip()
        skipped = _lines(source[: len(source) - len(self.text)])
        self.line_shift, self.col_shift = len(skipped) - 1, len(skipped[-1])
        self.lines = _lines(self.text)

    # -- positions and errors --
    def pos(self, line: int, col: int) -> tuple[int, int]:
        return line + self.line_shift, col + (self.col_shift if line == 0 else 0)

    def error(self, code: codes.Code, message: str, node: ast.AST | None = None, name: str = "") -> ExprError:
        line, col = 0, 0
        if node is not None and hasattr(node, "lineno") and hasattr(node, "col_offset"):
            line = node.lineno - 1
            text = self.lines[line] if line < len(self.lines) else ""
            # col_offset counts UTF-8 bytes; authors count characters.
            col = len(text.encode("utf-8")[: node.col_offset].decode("utf-8", "ignore"))
        return ExprError(code, message, *self.pos(line, col), name=name)

    def note_not_finite(self, node: ast.AST, value: object) -> None:
        """Remember (once per expression) a constant part that is infinite or NaN."""
        if value.__class__ is float and not math.isfinite(value) and not self.notes:
            err = self.error(codes.NOT_FINITE, "", node)
            text = ast.get_source_segment(self.text, node) or "a constant"
            self.notes.append((f"'{text}' is {value}, not a finite number: playing it fails with E400",
                               err.line, err.col))

    # -- parsing --
    @overload
    def parse(self, mode: Literal["eval"]) -> ast.Expression: ...
    @overload
    def parse(self, mode: Literal["exec"]) -> ast.Module: ...

    def parse(self, mode: str) -> ast.AST:
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # e.g. invalid escapes in strings
                # The newline makes Python point at the end of "x +" instead of column 0.
                tree = ast.parse(self.text + "\n", mode=mode)
        except SyntaxError as e:
            code = codes.TOO_COMPLEX if "too many nested" in (e.msg or "") else codes.EXPRESSION_SYNTAX
            line = max((e.lineno or 1) - 1, 0)
            if line >= len(self.lines):  # on the added newline: point at the end of the text
                line, col = len(self.lines) - 1, len(self.lines[-1])
            else:
                col = min(max((e.offset or 1) - 1, 0), len(self.lines[line]))
            raise ExprError(code, f"syntax error: {e.msg}", *self.pos(line, col)) from None
        except (RecursionError, MemoryError):
            raise ExprError(codes.TOO_COMPLEX, "expression too deeply nested", *self.pos(0, 0)) from None
        except ValueError as e:  # null bytes on some Python versions
            raise ExprError(codes.EXPRESSION_SYNTAX, f"syntax error: {e}", *self.pos(0, 0)) from None
        return tree

    def check_depth(self, root: ast.AST) -> None:
        """Iterative, so that the recursive compiler below never sees a deep tree."""
        stack = [(root, 1)]
        while stack:
            node, depth = stack.pop()
            if depth > MAX_DEPTH:
                raise self.error(codes.TOO_COMPLEX, f"expression nested more than {MAX_DEPTH} levels deep", node)
            for child in ast.iter_child_nodes(node):
                stack.append((child, depth + isinstance(child, ast.expr)))

    # -- compilation: each method returns (type, closure) --
    def compile(self, node: ast.AST) -> tuple[str, Closure]:
        method = self._RULES.get(type(node))
        if method is None:
            what = _REFUSED_NODES.get(type(node), type(node).__name__)
            raise self.error(codes.NOT_ALLOWED, f"{what} not allowed in an expression", node)
        return method(self, node)

    def expect(self, node: ast.AST, want: str, why: str) -> Closure:
        got, fn = self.compile(node)
        if got != want:
            raise self.error(codes.TYPE_MISMATCH, f"{why} needs {want}, got {got}", node)
        return fn

    def _Constant(self, node: ast.Constant) -> tuple[str, Closure]:
        t = _type_of_constant(node.value)
        if t is None:
            raise self.error(codes.NOT_ALLOWED, f"literal {node.value!r} not allowed in an expression", node)
        value = node.value
        self.note_not_finite(node, value)
        return t, self.constant(value)

    def _Name(self, node: ast.Name) -> tuple[str, Closure]:
        name = node.id
        if name in _LITERAL_NAMES:
            value = _LITERAL_NAMES[name]
            return BOOL, lambda v, c: value
        if name.startswith("_"):
            raise self.error(codes.NOT_ALLOWED, f"names starting with '_' are not allowed ('{name}')", node)
        if name not in self.names:
            raise self.error(codes.UNKNOWN_NAME, _unknown("name", name, self.names), node, name)
        self.read.add(name)
        if name in self.fixed:  # a trait: the scenario's constant, put in place (and folded with constants)
            return self.names[name], self.constant(self.fixed[name])
        rule = self.derived.get(name)
        if rule is not None:  # a derived value: its own compiled rule, guarded, so a failure names that rule
            return self.names[name], rule.fn
        fn = lambda v, c: v[name]  # noqa: E731
        self.reads[fn] = name
        return self.names[name], fn

    def _UnaryOp(self, node: ast.UnaryOp) -> tuple[str, Closure]:
        if isinstance(node.op, ast.Not):
            f = self.expect(node.operand, BOOL, "'not'")
            return BOOL, lambda v, c: not f(v, c)
        if isinstance(node.op, (ast.USub, ast.UAdd)):
            sign = "-" if isinstance(node.op, ast.USub) else "+"
            f = self.expect(node.operand, NUM, f"unary '{sign}'")
            if sign == "-" and f in self.values:
                return NUM, self.constant(-self.values[f])
            return NUM, (lambda v, c: -f(v, c)) if sign == "-" else f
        raise self.error(codes.NOT_ALLOWED, f"{_REFUSED_OPS.get(type(node.op), 'operator')} not allowed", node)

    def _BinOp(self, node: ast.BinOp) -> tuple[str, Closure]:
        op = _ARITH.get(type(node.op))
        if op is None:
            raise self.error(codes.NOT_ALLOWED, f"{_REFUSED_OPS.get(type(node.op), 'operator')} not allowed", node)
        a = self.expect(node.left, NUM, "arithmetic")
        b = self.expect(node.right, NUM, "arithmetic")
        self.note_not_finite(node, _constant_value(node))
        return NUM, self.binary(op, a, b)

    def _BoolOp(self, node: ast.BoolOp) -> tuple[str, Closure]:
        word = "'and'" if isinstance(node.op, ast.And) else "'or'"
        fns = tuple(self.expect(value, BOOL, word) for value in node.values)
        return BOOL, (_every if isinstance(node.op, ast.And) else _either)(fns)

    def _Compare(self, node: ast.Compare) -> tuple[str, Closure]:
        operands = [node.left, *node.comparators]
        compiled = [self.compile(n) for n in operands]
        ops = []
        for i, op_node in enumerate(node.ops):
            op = _COMPARE.get(type(op_node))
            if op is None:
                raise self.error(codes.NOT_ALLOWED, f"{_REFUSED_OPS.get(type(op_node), 'operator')} not allowed", node)
            (lt, _), (rt, _) = compiled[i], compiled[i + 1]
            if isinstance(op_node, (ast.Eq, ast.NotEq)):
                if lt != rt:
                    raise self.error(codes.TYPE_MISMATCH, f"cannot compare {lt} with {rt}", operands[i + 1])
            else:
                for t, n in ((lt, operands[i]), (rt, operands[i + 1])):
                    if t != NUM:
                        raise self.error(codes.TYPE_MISMATCH, f"ordering comparison needs num, got {t}", n)
            ops.append(op)
        fns = [f for _, f in compiled]
        if len(ops) == 1:
            return BOOL, self.binary(ops[0], fns[0], fns[1])
        first, steps = fns[0], tuple(zip(ops, fns[1:], strict=True))

        def chain(v: Values, c: Any) -> bool:  # each middle operand is evaluated once, like Python
            left = first(v, c)
            for op, f in steps:
                right = f(v, c)
                if not op(left, right):
                    return False
                left = right
            return True

        return BOOL, chain

    def _Call(self, node: ast.Call) -> tuple[str, Closure]:
        if not isinstance(node.func, ast.Name):
            raise self.error(codes.NOT_ALLOWED, "only named functions can be called", node.func)
        name = node.func.id
        if name.startswith("_"):
            raise self.error(codes.NOT_ALLOWED, f"names starting with '_' are not allowed ('{name}')", node.func)
        func = self.functions.get(name)
        if func is None:
            raise self.error(codes.NOT_ALLOWED, _unknown("function", name, self.functions), node.func)
        if node.keywords:
            raise self.error(codes.NOT_ALLOWED, "keyword arguments are not allowed", node.keywords[0])
        for arg in node.args:  # refuse '*x' before counting arguments
            if isinstance(arg, ast.Starred):
                raise self.error(codes.NOT_ALLOWED, "'*' unpacking not allowed in an expression", arg)
        n, want = len(node.args), len(func.params)
        if (n < want) if func.varargs else (n != want):
            need = f"at least {want}" if func.varargs else str(want)
            raise self.error(codes.ARGUMENT_COUNT, f"{name}() takes {need} argument(s), got {n}", node)
        args = []
        for i, arg in enumerate(node.args):
            ptype = func.params[0] if func.varargs else func.params[i]
            args.append(self.expect(arg, ptype, f"argument {i + 1} of {name}()"))
        literals = tuple(a.value if isinstance(a, ast.Constant) and isinstance(a.value, str) else None
                         for a in node.args)
        self.calls.append((name, literals))
        impl = func.impl
        if len(args) == 1:
            (a,) = args
            if a in self.values:  # has('empathy.label'): the literal passed in place
                k = self.values[a]
                return func.returns, lambda v, c: impl(c, k)
            return func.returns, lambda v, c: impl(c, a(v, c))
        if len(args) == 2 and func.pure is not None:  # max(0, x - 55): one call, the constant in place
            return func.returns, self.binary(func.pure, *args)
        if len(args) == 2:
            a, b = args
            return func.returns, lambda v, c: impl(c, a(v, c), b(v, c))
        return func.returns, lambda v, c: impl(c, *[f(v, c) for f in args])

    # -- specialised closures: a name or a constant operand is read in place, not through a call --
    def constant(self, value: Any) -> Closure:
        fn = lambda v, c: value  # noqa: E731
        self.values[fn] = value
        return fn

    def binary(self, op: Callable[[Any, Any], Any], a: Closure, b: Closure) -> Closure:
        """``op(a, b)`` as one closure: folded when both sides are constants, with the name or the
        constant built in when a side is one (``escalation >= 3`` is one call, not three)."""
        if a in self.values and b in self.values:
            try:
                value = op(self.values[a], self.values[b])
            except ArithmeticError:  # fails when played, with the expression named (E400)
                value = None
            if value is not None and not (value.__class__ is float and not math.isfinite(value)):
                return self.constant(value)
        reads, values = self.reads, self.values
        if a in reads:
            n = reads[a]
            if b in values:
                k = values[b]
                return lambda v, c: op(v[n], k)
            if b in reads:
                m = reads[b]
                return lambda v, c: op(v[n], v[m])
            return lambda v, c: op(v[n], b(v, c))  # x += <formula>: the left side read first, as in Python
        if b in values:
            k = values[b]
            return lambda v, c: op(a(v, c), k)
        if a in values:
            k = values[a]
            if b in reads:
                m = reads[b]
                return lambda v, c: op(k, v[m])
            return lambda v, c: op(k, b(v, c))
        if b in reads:
            m = reads[b]
            return lambda v, c: op(a(v, c), v[m])
        return lambda v, c: op(a(v, c), b(v, c))

    _RULES: dict[type[ast.AST], Callable[[_Compiler, Any], tuple[str, Closure]]]  # Any: each takes its own node class
    _RULES = {ast.Constant: _Constant, ast.Name: _Name, ast.UnaryOp: _UnaryOp, ast.BinOp: _BinOp,
              ast.BoolOp: _BoolOp, ast.Compare: _Compare, ast.Call: _Call}

    # -- results --
    def finish(self, source: str, node: ast.AST, expect: str | None) -> Compiled:
        self.check_depth(node)
        t, fn = self.compile(node)
        if expect is not None and t != expect:
            kind = "condition" if expect == BOOL else "value"
            raise self.error(codes.TYPE_MISMATCH, f"expected a {expect} {kind}, got {t}", node)

        def run(values: Values, ctx: Any, _fn: Closure = fn) -> Any:  # arithmetic failures become runtime errors (E400)
            try:
                return _fn(values, ctx)
            except (ArithmeticError, KeyError) as e:
                raise runtime_error(e, source) from e

        return Compiled(source, t, frozenset(self.read), tuple(self.calls), run, fn, notes=tuple(self.notes))


def _every(fns: tuple[Closure, ...]) -> Closure:
    """``a and b and ...`` as one closure, short-circuiting like Python (operands are booleans)."""
    if len(fns) == 2:
        a, b = fns
        return lambda v, c: a(v, c) and b(v, c)

    def every(v: Values, c: Any) -> bool:
        for f in fns:
            if not f(v, c):
                return False
        return True

    return every


def _either(fns: tuple[Closure, ...]) -> Closure:
    """``a or b or ...`` as one closure, short-circuiting like Python (operands are booleans)."""
    if len(fns) == 2:
        a, b = fns
        return lambda v, c: a(v, c) or b(v, c)

    def either(v: Values, c: Any) -> bool:
        for f in fns:
            if f(v, c):
                return True
        return False

    return either


def _constant_value(node: ast.AST) -> Any:
    """The value of arithmetic made only of number literals (e.g. '1e999 - 1e999'); None otherwise."""
    if isinstance(node, ast.Constant) and _type_of_constant(node.value) == NUM:
        return node.value
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
        inner = _constant_value(node.operand)
        return None if inner is None else (-inner if isinstance(node.op, ast.USub) else inner)
    if isinstance(node, ast.BinOp) and type(node.op) in _ARITH:
        left, right = _constant_value(node.left), _constant_value(node.right)
        if left is None or right is None:
            return None
        try:
            return _ARITH[type(node.op)](left, right)
        except ArithmeticError:
            return None
    return None


def _lines(text: str) -> list[str]:
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")


def _unknown(kind: str, name: str, known: Collection[str]) -> str:
    offered = ", ".join(sorted(k for k in known if not k.startswith("_")))
    listed = f" (functions: {offered})" if kind == "function" else ""
    return f"unknown {kind} '{name}'{hint(name, known)}{listed}"


def _checked_source(source: object) -> str:
    if not isinstance(source, str):
        raise ExprError(codes.EXPRESSION_SYNTAX, f"expected an expression as text, got {type(source).__name__}")
    if len(source) > MAX_LENGTH:
        raise ExprError(codes.TOO_COMPLEX, f"expression longer than {MAX_LENGTH} characters ({len(source)})")
    if not source.strip():
        raise ExprError(codes.EXPRESSION_SYNTAX, "empty expression")
    return source


def compile_expr(source: str, names: Mapping[str, str], functions: Mapping[str, Function] = BUILTINS,
                 expect: str | None = None, *, fixed: Mapping[str, Any] | None = None,
                 derived: Mapping[str, Compiled] | None = None) -> Compiled:
    """Compile a condition or value once; raise ExprError (with code and position) if refused.

    Every name in ``names`` is read from the values the result is called with, except those in
    ``fixed`` (their value is put in place) and in ``derived`` (their compiled rule is called with
    the same values): so the values need hold only what changes, in a plain dict."""
    comp = _Compiler(_checked_source(source), names, functions, fixed, derived)
    return comp.finish(source, comp.parse("eval").body, expect)


def compile_effect(source: str, names: Mapping[str, str], writable: Collection[str],
                   functions: Mapping[str, Function] = BUILTINS, *, fixed: Mapping[str, Any] | None = None,
                   derived: Mapping[str, Compiled] | None = None) -> Effect:
    """Compile ``x = expr`` or ``x op= expr``; the target must be a writable, known name
    (``fixed`` and ``derived`` as for compile_expr)."""
    comp = _Compiler(_checked_source(source), names, functions, fixed, derived)
    body = comp.parse("exec").body
    if not body:
        raise ExprError(codes.EXPRESSION_SYNTAX, "empty effect")
    if len(body) > 1:
        raise comp.error(codes.NOT_ALLOWED, "an effect is a single assignment", body[1])
    stmt = body[0]
    if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1:
        op, target = "=", stmt.targets[0]
    elif isinstance(stmt, ast.AugAssign) and type(stmt.op) in _AUG_OPS:
        op, target = _AUG_OPS[type(stmt.op)], stmt.target
    else:
        raise comp.error(codes.NOT_ALLOWED, "an effect must be 'name = expr' or 'name += expr' (also -=, *=, /=)", stmt)
    if not isinstance(target, ast.Name):
        raise comp.error(codes.NOT_ALLOWED, "an effect can only assign to a plain name", target)
    name = target.id
    if name.startswith("_"):
        raise comp.error(codes.NOT_ALLOWED, f"names starting with '_' are not allowed ('{name}')", target)
    if name not in names:
        raise comp.error(codes.UNKNOWN_NAME, _unknown("name", name, names), target, name)
    if name not in writable:
        raise comp.error(codes.READ_ONLY, f"'{name}' is read-only", target)
    ttype = names[name]
    if op != "=" and ttype != NUM:
        raise comp.error(codes.TYPE_MISMATCH, f"'{op}' needs a num target, '{name}' is {ttype}", target)
    value_source = ast.get_source_segment(comp.text, stmt.value) or source
    value = comp.finish(value_source, stmt.value, ttype)
    read = value.names | ({name} if op != "=" else set())
    return Effect(source, name, op, value, frozenset(read), new=_assignment(comp, name, op, value.raw))


def _assignment(comp: _Compiler, target: str, op: str, fn: Closure) -> Closure:
    """The target's new value as one closure: ``x += 2`` reads x and adds 2 in place."""
    if op == "=":
        return fn
    target_fn = lambda v, c: v[target]  # noqa: E731
    comp.reads[target_fn] = target
    return comp.binary(_AUG_FNS[op], target_fn, fn)
