"""The expression language: what it computes, what it refuses, and that it never crashes."""
from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from game.engine.codes import CODES
from game.engine.expr import (
    BOOL,
    BUILTINS,
    NUM,
    STR,
    Compiled,
    ExprError,
    ExprRuntimeError,
    Function,
    compile_effect,
    compile_expr,
)

NAMES = {"trust": NUM, "mood": NUM, "zero": NUM, "flag": BOOL, "off": BOOL, "tag": STR}
VALUES = {"trust": 50, "mood": 2.5, "zero": 0, "flag": True, "off": False, "tag": "calm"}
WRITABLE = {"trust", "mood", "flag", "tag"}


class Dice:
    """A ctx whose chance() answers from a script and records what it was asked."""

    def __init__(self, *answers):
        self.answers, self.asked = list(answers), []

    def chance(self, p):
        self.asked.append(p)
        return self.answers.pop(0) if self.answers else False


def ev(src, values=VALUES, ctx=None, **kw):
    return compile_expr(src, NAMES, **kw)(values, ctx)


def refused(src, code, compile=compile_expr, **kw):
    """Compile expecting a refusal; returns the error so tests can check its position."""
    with pytest.raises(ExprError) as info:
        if compile is compile_effect:
            compile_effect(src, NAMES, WRITABLE, **kw)
        else:
            compile_expr(src, NAMES, **kw)
    err = info.value
    assert err.code.code == code, f"{src!r}: {err.code} {err.message}"
    assert CODES[code] is err.code
    assert str(err) == err.message
    return err


# ---- evaluation -------------------------------------------------------------

@pytest.mark.parametrize("src, expected", [
    ("1 + 2", 3), ("trust - 8", 42), ("trust * 2", 100), ("trust / 4", 12.5),
    ("-trust", -50), ("+mood", 2.5), ("-(1 + 2) * 3", -9), ("1 + 2 * 3", 7), ("(1 + 2) * 3", 9),
    ("1.5 + 1", 2.5), ("'a' == 'a'", True), ('"calm" == tag', True), ("tag != 'calm'", False),
    ("trust == 50", True), ("trust != 50", False), ("mood < 3", True), ("mood <= 2.5", True),
    ("mood > 2.5", False), ("mood >= 2.5", True), ("flag == true", True), ("off == False", True),
    ("flag and off", False), ("flag or off", True), ("not off", True), ("not flag and off", False),
    ("true", True), ("false", False), ("True", True), ("1 == 1.0", True),
])
def test_operators(src, expected):
    result = ev(src)
    assert result == expected and type(result) is type(expected)


@pytest.mark.parametrize("src, expected", [
    ("0 < mood <= 5", True), ("0 < trust <= 5", False), ("0 <= zero < 1 < mood", True),
    ("1 < 2 > 3", False), ("trust == 50 == trust", True), ("1 < 2 < 3 < 2", False),
])
def test_chained_comparisons(src, expected):
    assert ev(src) is expected


def test_chained_comparison_evaluates_middle_operand_once():
    dice = Dice(True)
    counter = Function("tick", (), NUM, lambda ctx: len(ctx.asked) + (ctx.chance(0) and 1))
    assert compile_expr("0 < tick() < 5", {}, {"tick": counter})({}, dice) is True
    assert dice.asked == [0]


def test_and_or_short_circuit():
    dice = Dice(True, True)
    assert ev("off and chance(0.5)", ctx=dice) is False
    assert ev("flag or chance(0.5)", ctx=dice) is True
    assert dice.asked == []
    assert ev("flag and chance(0.25)", ctx=dice) is True
    assert ev("off or chance(0.75)", ctx=dice) is True
    assert dice.asked == [0.25, 0.75]
    # and/or of many operands still stop at the first decisive one
    assert ev("flag and flag and off and chance(0.1)", ctx=dice) is False
    assert dice.asked == [0.25, 0.75]


def test_builtin_functions():
    assert ev("min(trust, 3)") == 3
    assert ev("max(trust, 3, 99, mood)") == 99
    assert ev("min(4, 3, 2, 1, 5)") == 1
    assert ev("clamp(trust, 0, 10)") == 10
    assert ev("clamp(-5, 0, 10)") == 0
    assert ev("clamp(mood, 0, 10)") == 2.5
    dice = Dice(False)
    assert ev("chance(trust / 100)", ctx=dice) is False
    assert dice.asked == [0.5]


def test_chance_without_ctx_is_a_runtime_error():
    with pytest.raises(ExprRuntimeError):
        ev("chance(0.5)")


def test_custom_function_and_literal_calls_reported():
    has = Function("has", (STR,), BOOL, lambda ctx, t: t in ctx)
    c = compile_expr("has('empathy.listen') or has(tag) and max(1, 2) > 1", NAMES, {**BUILTINS, "has": has})
    assert c.type == BOOL
    assert c.calls == (("has", ("empathy.listen",)), ("has", (None,)), ("max", (None, None)))
    assert c(VALUES, {"empathy.listen"}) is True
    assert c(VALUES, {"calm"}) is True
    assert c(VALUES, set()) is False


def test_compiled_reports_type_names_and_source():
    c = compile_expr("trust + mood > 3 and flag", NAMES)
    assert isinstance(c, Compiled)
    assert (c.source, c.type, c.names) == ("trust + mood > 3 and flag", BOOL, frozenset({"trust", "mood", "flag"}))
    assert compile_expr("trust * 2", NAMES).type == NUM
    assert compile_expr("'x'", NAMES).type == STR
    assert compile_expr("true", NAMES).names == frozenset()
    assert compile_expr("trust", NAMES).fn(VALUES, None) == 50


def test_expect():
    assert compile_expr("flag", NAMES, expect=BOOL).type == BOOL
    err = refused("trust + 1", "E203", expect=BOOL)
    assert err.message == "expected a bool condition, got num"
    refused("flag", "E203", expect=NUM)


def test_booleans_are_not_numbers():
    refused("flag + 1", "E203")
    refused("flag < 1", "E203")
    refused("flag == 1", "E203")


def test_division_by_zero_is_a_runtime_error():
    c = compile_expr("trust / zero", NAMES)
    with pytest.raises(ExprRuntimeError, match=r"division by zero in 'trust / zero'"):
        c(VALUES)
    with pytest.raises(ExprRuntimeError):
        ev("clamp(1 / (mood - mood), 0, 1)")


def test_missing_value_is_a_runtime_error():
    with pytest.raises(ExprRuntimeError):
        ev("trust > 1", values={})


def test_leading_whitespace_and_newlines_keep_positions():
    assert ev("  trust") == 50
    assert ev("(trust >\n 3)") is True
    err = refused("  \n   trust + tsrut", "E202")
    assert (err.line, err.col) == (1, 11)
    err = refused("   x", "E202")
    assert (err.line, err.col) == (0, 3)


def test_positions_count_characters_not_bytes():
    err = refused("'é' == 'è' and trust.x", "E201")
    assert (err.line, err.col) == (0, 15)


# ---- effects ----------------------------------------------------------------

@pytest.mark.parametrize("src, expected", [
    ("trust = 7", 7), ("trust += mood", 52.5), ("trust -= 10", 40), ("trust *= 2", 100),
    ("trust /= 4", 12.5), ("trust = min(trust, 10) * 2", 20), ("flag = not flag", False),
    ("tag = 'angry'", "angry"), ("flag = trust > 10 and off", False),
])
def test_effects(src, expected):
    before = dict(VALUES)
    assert compile_effect(src, NAMES, WRITABLE).apply(VALUES) == expected
    assert VALUES == before  # apply returns the new value, never stores it


def test_effect_fields():
    e = compile_effect("trust += mood * 2", NAMES, WRITABLE)
    assert (e.source, e.target, e.op) == ("trust += mood * 2", "trust", "+=")
    assert e.names == frozenset({"trust", "mood"})
    assert e.value.type == NUM and e.value.names == frozenset({"mood"})
    assert compile_effect("trust = mood", NAMES, WRITABLE).names == frozenset({"mood"})


def test_effect_division_by_zero():
    with pytest.raises(ExprRuntimeError, match="division by zero"):
        compile_effect("trust /= zero", NAMES, WRITABLE).apply(VALUES)
    with pytest.raises(ExprRuntimeError, match="division by zero"):
        compile_effect("trust = 1 / zero", NAMES, WRITABLE).apply(VALUES)


def test_effect_chance_uses_ctx():
    assert compile_effect("flag = chance(0.3)", NAMES, WRITABLE).apply(VALUES, Dice(True)) is True


@pytest.mark.parametrize("src, code, col", [
    ("zero = 1", "E206", 0),               # known but read-only
    ("nope += 1", "E202", 0),
    ("_x = 1", "E201", 0),
    ("trust = flag", "E203", 8),
    ("flag += 1", "E203", 0),              # augmented ops need num
    ("tag += 'x'", "E203", 0),
    ("trust **= 2", "E201", 0),
    ("trust //= 2", "E201", 0),
    ("trust = mood = 1", "E201", 0),
    ("trust: int = 1", "E201", 0),
    ("trust.x = 1", "E201", 0),
    ("trust[0] += 1", "E201", 0),
    ("trust, mood = 1, 2", "E201", 0),
    ("trust == 1", "E201", 0),
    ("trust += 1; mood = 2", "E201", 12),
    ("import os", "E201", 0),
    ("trust = __import__('os')", "E201", 8),
    ("trust = ", "E200", 8),
    ("# nothing", "E200", 0),
    ("", "E200", 0),
])
def test_effect_refusals(src, code, col):
    err = refused(src, code, compile=compile_effect)
    assert (err.line, err.col) == (0, col)


# ---- refusals ---------------------------------------------------------------

ATTACKS = [
    # (source, code, col)
    ("__import__('os')", "E201", 0),
    ("().__class__", "E201", 0),
    ("trust.real", "E201", 0),
    ("1 + ''.join", "E201", 4),
    ("open('x')", "E201", 0),
    ("eval('1')", "E201", 0),
    ("lambda: 1", "E201", 0),
    ("9**9**9", "E201", 0),
    ("trust ** 2", "E201", 0),
    ("trust // 2", "E201", 0),
    ("trust % 2", "E201", 0),
    ("1 + (trust & 1)", "E201", 5),
    ("trust | 1", "E201", 0),
    ("trust ^ 1", "E201", 0),
    ("trust << 1", "E201", 0),
    ("~trust", "E201", 0),
    ("tag[0]", "E201", 0),
    ("tag[1:2]", "E201", 0),
    ("[x for x in tag]", "E201", 0),
    ("{x for x in tag}", "E201", 0),
    ("(x for x in tag)", "E201", 0),
    ("{x: 1 for x in tag}", "E201", 0),
    ("f'{trust}'", "E201", 0),
    ("(y := 1)", "E201", 1),
    ("max(*trust)", "E201", 4),
    ("max(trust, x=1)", "E201", 11),
    ("max(**trust)", "E201", 4),
    ("trust if flag else 1", "E201", 0),
    ("'c' in tag", "E201", 0),
    ("'c' not in tag", "E201", 0),
    ("flag is true", "E201", 0),
    ("flag is not off", "E201", 0),
    ("{'a': 1}", "E201", 0),
    ("[1, 2]", "E201", 0),
    ("{1}", "E201", 0),
    ("(1, 2)", "E201", 0),
    ("()", "E201", 0),
    ("b'x' == b'x'", "E201", 0),
    ("1j + 1", "E201", 0),
    ("None", "E201", 0),
    ("...", "E201", 0),
    ("_secret", "E201", 0),
    ("max(1, _x)", "E201", 7),
    ("max(1, 2)(3)", "E201", 0),
    ("tag(1)", "E201", 0),               # a value, not a function
    ("trust.__class__.__mro__", "E201", 0),
    ("await trust", "E201", 0),
    ("trust @ mood", "E201", 0),
]


@pytest.mark.parametrize("src, code, col", ATTACKS)
def test_attacks_refused_with_position(src, code, col):
    err = refused(src, code)
    assert (err.line, err.col) == (0, col)


def test_unknown_function_suggests():
    err = refused("mni(1, 2)", "E201")
    assert "did you mean 'min'" in err.message


@pytest.mark.parametrize("src, code, col", [
    ("trust +", "E200", 7),
    ("trust = 1", "E200", 0),
    ("(trust", "E200", 0),
    ("trust trust", "E200", 0),
    ("'unterminated", "E200", 0),
    ("a\x00b", "E200", 0),
    ("   ", "E200", 0),
    ("", "E200", 0),
])
def test_syntax_errors(src, code, col):
    err = refused(src, code)
    assert err.line == 0 and 0 <= err.col <= len(src)
    if col:
        assert err.col == col


def test_non_text_source_refused():
    with pytest.raises(ExprError) as info:
        compile_expr(True, NAMES)  # YAML "if: true" arrives as a bool
    assert info.value.code.code == "E200"


@pytest.mark.parametrize("src, col", [
    ("'a' + 'b'", 0), ("trust + 'b'", 8), ("-tag", 1), ("not trust", 4), ("flag and trust", 9),
    ("trust or flag", 0), ("tag < 'b'", 0), ("1 < tag", 4), ("trust == tag", 9), ("flag != 1", 8),
    ("min(1, flag)", 7), ("clamp(1, 2, 'x')", 12), ("chance(flag)", 7), ("0 < flag < 1", 4),
])
def test_type_errors(src, col):
    err = refused(src, "E203")
    assert (err.line, err.col) == (0, col)


def test_unknown_name_with_suggestion():
    err = refused("trsut > 3", "E202")
    assert err.message == "unknown name 'trsut'; did you mean 'trust'?"
    err = refused("flag and qqqqq", "E202")
    assert err.message == "unknown name 'qqqqq'" and err.col == 9


@pytest.mark.parametrize("src", ["min(1)", "min()", "clamp(1, 2)", "clamp(1, 2, 3, 4)", "chance()"])
def test_arity(src):
    refused(src, "E205")


def test_length_limit():
    ok = "1" + " + 1" * 99  # 397 characters, depth is not the point here
    assert len(ok) <= 400
    refused("trust" + " " * 396, "E204")
    assert len("x" * 400) == 400
    refused("x" * 400, "E202")  # 400 is still allowed, so the name check is reached


def test_depth_limit():
    assert ev("(" * 30 + "trust" + ")" * 30) == 50  # parentheses are not AST levels
    assert ev("-" * 31 + "trust") == -50  # 32 levels
    err = refused("-" * 32 + "trust", "E204")
    assert err.line == 0
    refused("not " * 40 + "flag", "E204")
    assert ev("(" * 199 + "1" + ")" * 199) == 1  # 397 characters, still one level
    refused("(" * 201 + "1", "E204")  # the parser's own nesting limit
    refused("1" + " + 1" * 40, "E204")


@pytest.mark.parametrize("src", ["(" * 10000 + ")" * 10000, "-" * 10000 + "1", "[" * 5000])
def test_huge_inputs_refused(src):
    err = refused(src, "E204")
    assert (err.line, err.col) == (0, 0)


def test_expression_and_effect_never_reach_eval(monkeypatch):
    import builtins

    def boom(*a, **k):
        raise AssertionError("eval/exec/compile used")

    for name in ("eval", "exec"):
        monkeypatch.setattr(builtins, name, boom)
    assert ev("min(trust, 3) + 1 > 2 and flag") is True
    assert compile_effect("trust += 1", NAMES, WRITABLE).apply(VALUES) == 51


# ---- never crash: property tests -------------------------------------------

TOKENS = [
    "trust", "mood", "zero", "flag", "off", "tag", "unknown", "_x", "__import__", "true", "false",
    "True", "False", "None", "min", "max", "clamp", "chance", "open", "0", "1", "2.5", "1e999",
    "1j", "'s'", '"t"', "b'x'", "f'{trust}'", "'", "(", ")", "[", "]", "{", "}", ",", ".", ":",
    "+", "-", "*", "/", "**", "//", "%", "&", "|", "^", "~", "<<", "==", "!=", "<", "<=", ">",
    ">=", "=", "+=", "-=", "*=", "/=", ":=", "and", "or", "not", "in", "is", "if", "else",
    "lambda", "for", "\n", ";", "#", "\\", "\x00", "é",
]
token_soup = st.lists(st.sampled_from(TOKENS), max_size=40).map(" ".join)
py_types = {NUM: (int, float), BOOL: (bool,), STR: (str,)}


def check_compile_never_crashes(src):
    """Compile as expression and effect; anything but ExprError fails the test.

    What compiles must evaluate to a value of its reported type (or fail with
    ExprRuntimeError), which is what static typing promises the engine.
    """
    for compile in (compile_expr, compile_effect):
        try:
            if compile is compile_expr:
                c = compile_expr(src, NAMES)
                kind = c.type
            else:
                c = compile_effect(src, NAMES, WRITABLE)
                kind = NAMES[c.target]
        except ExprError as e:
            assert CODES[e.code.code] is e.code and isinstance(e.line, int) and isinstance(e.col, int)
            assert e.line >= 0 and e.col >= 0
            continue
        try:
            value = c(VALUES, Dice(True)) if compile is compile_expr else c.apply(VALUES, Dice(True))
        except ExprRuntimeError:
            continue
        assert isinstance(value, py_types[kind]) and (kind == BOOL or not isinstance(value, bool)), (src, value)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=500))
def test_arbitrary_text_never_crashes(src):
    check_compile_never_crashes(src)


@settings(max_examples=300, deadline=None)
@given(token_soup)
def test_token_soup_never_crashes(src):
    check_compile_never_crashes(src)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["trust", "mood", "zero", "1", "2.5", "flag", "+", "-", "*", "/",
                                 "(", ")", "<", "==", "and", "or", "not", "min(", ","]),
                min_size=1, max_size=25).map(" ".join))
def test_near_valid_soup_never_crashes(src):
    check_compile_never_crashes(src)
    check_compile_never_crashes("trust = " + src)


def test_odd_string_escapes_compile_even_when_warnings_are_errors():
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert ev("'\\d' == tag") is False


@pytest.mark.parametrize("typo, meant", [("mni", "min"), ("clmap", "clamp"), ("chanse", "chance"), ("abs", None),
                                         ("len", None), ("sum", None)])
def test_only_a_likely_typo_gets_a_suggestion(typo, meant):
    err = refused(f"{typo}(1)", "E201")
    assert ("did you mean" in err.message) == (meant is not None), err.message
    if meant:
        assert f"did you mean '{meant}'" in err.message
    assert "(functions: chance, clamp, max, min)" in err.message  # what this context offers


numbers = st.one_of(st.integers(-3, 3), st.floats(allow_nan=True, allow_infinity=True), st.sampled_from([0.0, -0.0]))


@settings(max_examples=300, deadline=None)
@given(numbers, numbers, numbers)
def test_min_max_and_clamp_give_the_builtins_answers(a, b, c):
    """Two-argument min and max (and clamp) are compiled without the builtins' call: the same
    object for the same numbers, ties, NaN and signed zeros included."""
    values = {"trust": a, "mood": b, "zero": c}
    assert compile_expr("max(trust, mood)", NAMES)(values) is max(a, b)
    assert compile_expr("min(trust, mood)", NAMES)(values) is min(a, b)
    assert compile_expr("max(2, mood)", NAMES)(values) is max(2, b)
    assert compile_expr("clamp(trust, mood, zero)", NAMES)(values) is min(max(a, b), c)
