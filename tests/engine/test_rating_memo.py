"""Issue 17: the points on offer at a step are remembered per scenario, keyed on what the
conditions that rate its open choices can tell apart (each variable's class among the
thresholds it is compared with). A key that leaves out something a condition reads would
hand one moment another moment's score: these tests compare the remembered answer with the
one rated afresh, on played games and on moments changed one value at a time."""
from __future__ import annotations

import random
from operator import eq, gt, le

import pytest

from game.engine import Session, load_library, rating
from game.engine.compiler import FUNCTIONS
from game.engine.expr import BOOL, NUM, compile_expr
from game.engine.model import PointsRule
from game.engine.thresholds import reading
from game.paths import story_paths


def afresh(scenario, step):
    skills = scenario.scored_skills("share")
    return dict(zip(skills, rating._best_offer(scenario, step, skills), strict=True))


def remembered(scenario, step):
    """What ``available`` adds for this one step (the memo answers it when it can)."""
    return rating.available(scenario, [step])


def played(scenario, games, seed=7):
    rng = random.Random(seed)
    steps = []
    for game in range(games):
        session = Session(scenario, game, narrate=False)
        while not session.ended:  # the author's order: the moments do not depend on the menus' shuffle
            session.choose(rng.choice(session.open_choices()).id)
        steps += session.steps
    return steps


@pytest.mark.parametrize("scenario_id", ["tutorial", "ceasefire-table", "mediator", "leverage", "second-phase"])
def test_every_remembered_offer_equals_the_offer_rated_afresh(bundled, scenario_id):
    scenario = bundled.scenarios[scenario_id]
    steps = played(scenario, 300)
    for step in steps:  # the first pass fills the memo, the second reads it
        remembered(scenario, step)
    wrong = [step for step in steps if remembered(scenario, step) != afresh(scenario, step)]
    assert not wrong
    assert scenario.offers, "the memo was used"
    session = Session(scenario, 3, narrate=False)
    while not session.ended:
        session.choose(session.choices()[0].id)
    whole = dict.fromkeys(scenario.scored_skills("share"), 0.0)
    for step in session.steps:
        for skill, points in afresh(scenario, step).items():
            whole[skill] += points
    assert session.points_available() == whole  # same sums, in the same order


def test_the_points_on_offer_are_the_same_added_at_once_or_a_step_at_a_time(bundled):
    """available sums many steps skill by skill and one step as a running sum: the same totals,
    with or without the sum over earlier steps (``par``), for every skill in its place."""
    scenario = bundled.scenarios["ceasefire-table"]
    steps = played(scenario, 20)
    running = dict.fromkeys(scenario.scored_skills("share"), 0.0)
    for step in steps:
        for skill, points in afresh(scenario, step).items():
            running[skill] += points
    assert len(set(running.values())) == len(running), "each skill a total of its own"
    assert rating.available(scenario, steps) == running
    par = None
    for step in steps:
        par = rating.available(scenario, [step], par)
    assert par == running
    assert rating.available(scenario, steps[7:], rating.available(scenario, steps[:7])) == running
    assert rating.available(scenario, [], running) == running


def test_changing_one_value_a_condition_reads_changes_the_key_when_it_changes_the_offer(bundled):
    """Every value of every variable, one at a time, at a moment where the face-saving offer is open."""
    scenario = bundled.scenarios["ceasefire-table"]
    steps = [s for s in played(scenario, 50) if any(
        "offramp.face_saving" in scenario.rounds[s["round"]].by_id[c].tags for c in s["open"])]
    most = 0
    for step in steps[:4]:  # a few such moments: in some the offers depend on the values more than in others
        offers = set()
        for name, var in scenario.vars.items():
            if var.type != "int":
                continue
            for value in range(int(var.low), int(var.high) + 1):
                moment = {**step, "before": {**step["before"], name: value}}
                remembered(scenario, moment)  # remembered once, then answered from the memo
                assert remembered(scenario, moment) == afresh(scenario, moment), (name, value)
                offers.add(tuple(afresh(scenario, moment).values()))
        most = max(most, len(offers))
    assert most > 2, "some moment tried must be one whose offers depend on the values"


def tutorial_scoring(condition: str):
    """A tutorial of its own whose first face-saving rule (9 points) holds when ``condition`` does."""
    scenario = load_library(story_paths()).scenarios["tutorial"]
    names = {n: BOOL if v.type == "bool" else NUM for n, v in scenario.vars.items()}
    names.update(dict.fromkeys(scenario.constants, NUM))
    rule = PointsRule(compile_expr(condition, names, FUNCTIONS, BOOL), 9.0, condition, None)
    scenario.scoring["offramp.face_saving"] = (rule, *scenario.scoring["offramp.face_saving"][1:])
    return scenario


def test_a_rule_that_counts_tags_is_keyed_on_those_counts():
    scenario = tutorial_scoring("count('empathy.*') >= 2")
    differed = 0
    for step in played(scenario, 40):
        others = {tag: n for tag, n in step["counts"].items() if not tag.startswith("empathy.")}
        seen = []
        for labels in (0, 1, 2, 3, 0):
            moment = {**step, "counts": {**others, "empathy.label": labels}}
            remembered(scenario, moment)
            seen.append(remembered(scenario, moment))
            assert seen[-1] == afresh(scenario, moment)
        differed += seen[0] != seen[2]
    assert differed, "some moment's offer must depend on the count"


def test_a_rule_reading_a_built_in_reads_it_at_zero_or_as_a_saved_step_holds_it():
    """A step keeps the variables only: rating reads the built-ins at zero, unless a (saved) step
    holds one, which the memo's key does not tell apart: such a step is rated afresh."""
    scenario = tutorial_scoring("turn >= 3")
    differed = 0
    for step in played(scenario, 40):
        remembered(scenario, step)
        seen = [remembered(scenario, step)]
        assert seen[0] == afresh(scenario, step)  # turn at zero: the rule never holds
        for turn in (5, 0):
            moment = {**step, "before": {**step["before"], "turn": turn}}
            seen.append(remembered(scenario, moment))
            assert seen[-1] == afresh(scenario, moment)
        assert seen[0] == seen[2]
        differed += seen[0] != seen[1]
    assert differed, "some moment's offer must depend on the turn a saved step holds"


def test_a_saved_step_holding_a_derived_value_is_rated_from_its_variables(bundled):
    """A snapshot's step is plain data: a derived value it names is computed from the variables all
    the same, as play computes it, by the memo and afresh alike."""
    scenario = bundled.scenarios["ceasefire-table"]
    step = next(s for s in played(scenario, 50) if any(
        "offramp.face_saving" in scenario.rounds[s["round"]].by_id[c].tags for c in s["open"]))
    for ripe in (True, False):
        moment = {**step, "before": {**step["before"], "ripe": ripe, "feinting": False}}
        assert remembered(scenario, moment) == afresh(scenario, moment) == afresh(scenario, step)


def test_the_memo_stays_bounded_and_right(bundled, monkeypatch):
    scenario = bundled.scenarios["tutorial"]
    monkeypatch.setattr(scenario, "offers", {})  # a memo of its own, for this test only
    monkeypatch.setattr(rating, "MEMO_LIMIT", 5)
    for step in played(scenario, 30):
        assert remembered(scenario, step) == afresh(scenario, step)
        assert len(scenario.offers) <= 5


@pytest.mark.parametrize(("source", "cuts", "raw"), [
    ("hurt >= 21 + maximalism * 2 / 5 and stage >= 2", {"hurt": {(21 + 10 * 2 / 5, 0)}, "stage": {(2, 0)}}, set()),
    ("30 <= hurt < 60 or hurt == 75 or 9 < hurt", {"hurt": {(30, 0), (60, 0), (75, 0), (75, 1), (9, 1)}}, set()),
    ("hurt + stage > 3", {}, {"hurt", "stage"}),
    ("max(hurt, 10) > 3", {}, {"hurt"}),
    ("hurt > stage", {}, {"hurt", "stage"}),
    ("1 < hurt < stage", {}, {"hurt", "stage"}),
    ("flag and hurt > 3", {"hurt": {(3, 1)}}, {"flag"}),
])
def test_thresholds_are_found_only_where_a_variable_meets_a_fixed_number(source, cuts, raw):
    kinds = {"hurt": NUM, "stage": NUM, "flag": BOOL}
    compiled = compile_expr(source, {**kinds, "maximalism": NUM}, FUNCTIONS, BOOL)
    found = reading([compiled], kinds, {"maximalism": 10}, {})
    assert {n: found.cuts[n] for n in found.cuts if n not in found.raw} == cuts
    assert found.raw == raw


def test_values_in_one_class_compare_alike_with_every_threshold():
    kinds = {"x": NUM}
    found = reading([compile_expr("x > 2.5 or x == 7 or x <= -1", kinds, FUNCTIONS, BOOL)], kinds, {}, {})
    classes = found.classes("x", -3, 10)
    for a in range(-3, 11):
        for b in range(-3, 11):
            if classes[a] == classes[b]:
                assert all(op(a, t) == op(b, t) for op, t in ((gt, 2.5), (eq, 7), (le, -1))), (a, b)
    assert len(set(classes.values())) == 5  # up to -1, to 2.5, below 7, 7, above 7


@pytest.mark.parametrize("op", ["<", "<=", ">", ">=", "==", "!="])
@pytest.mark.parametrize("threshold_first", [False, True])
def test_a_comparison_parts_the_values_only_where_its_answer_changes(op, threshold_first):
    """``x < 4`` and ``4 > x`` ask one question (below 4 or not): two classes; == and != three."""
    kinds = {"x": NUM}
    source = f"4 {op} x" if threshold_first else f"x {op} 4"
    compiled = compile_expr(source, kinds, FUNCTIONS, BOOL)
    classes = reading([compiled], kinds, {}, {}).classes("x", 0, 8)
    for a in range(9):
        for b in range(9):
            if classes[a] == classes[b]:
                assert compiled({"x": a}, None) == compiled({"x": b}, None), (source, a, b)
    assert len(set(classes.values())) == (3 if op in ("==", "!=") else 2), source


@pytest.mark.parametrize("source", ["3", "0", "100", "2.5", "0.1", "1e999", "-1e999", "1e308", "7",
                                    "10000000000000000000000", "True", "False", "0x1F", "1_000", "1e-320",
                                    "-3", "2 * 3", "'word'"])
def test_a_threshold_written_as_a_number_is_the_number_compiling_it_gives(source):
    """thresholds._threshold takes a finite number as written without compiling it; compiled, it is the same."""
    from game.engine.thresholds import _computed_threshold, _threshold

    text = f"x >= {source}"
    node = __import__("ast").parse(text, mode="eval").body.comparators[0]
    fast, compiled = _threshold(node, text, {}), _computed_threshold(node, text, {})
    assert fast == compiled and type(fast) is type(compiled), (fast, compiled)


def test_the_bundled_story_s_thresholds_are_the_compiled_ones(bundled):
    import ast

    from game.engine.thresholds import _computed_threshold, _threshold

    seen = 0
    for scenario in bundled.scenarios.values():
        conds = [rule.cond for rules in scenario.scoring.values() for rule in rules if rule.cond is not None]
        conds += [r.cond for actor in scenario.actors for r in actor.reactions if r.cond is not None]
        for cond in conds:
            text = cond.source.lstrip()
            for node in ast.walk(ast.parse(text, mode="eval")):
                if isinstance(node, ast.Compare):
                    for side in [node.left, *node.comparators]:
                        fast, compiled = _threshold(side, text, scenario.constants), \
                            _computed_threshold(side, text, scenario.constants)
                        assert fast == compiled and type(fast) is type(compiled), (cond.source, fast, compiled)
                        seen += fast is not None
    assert seen > 50


def test_the_key_s_one_number_tells_every_combination_of_classes_apart():
    """rating._places: a step's classes are summed into one number, which must differ whenever
    any variable's class differs (else two moments would share a remembered offer)."""
    import itertools

    tables = [{0: 0, 1: 1, 2: 1, 3: 2}, {10: 0, 11: 1}, {0: 0, 1: 3, 2: 1, 3: 2}, {7: 0}]
    places = rating._places(tables)
    by_number: dict[int, tuple[int, ...]] = {}
    for values in itertools.product(*tables):
        classes = tuple(table[v] for table, v in zip(tables, values, strict=True))
        number = sum(place[v] for place, v in zip(places, values, strict=True))
        assert by_number.setdefault(number, classes) == classes, values
    assert len(by_number) == 3 * 2 * 4 * 1


def test_the_conditions_that_decide_an_offer_key_it_and_those_after_a_sure_rule_do_not():
    """A tag's share rule keys the memo; a rule after one that always holds is never reached (here
    a penalty rule, so the last rule that can give a share skill points is the first)."""
    scenario = load_library(story_paths()).scenarios["tutorial"]  # a copy of its own: the rules are replaced
    names = {n: BOOL if v.type == "bool" else NUM for n, v in scenario.vars.items()}
    x, y = [n for n, v in scenario.vars.items() if v.type == "int"][:2]
    low, high = int(scenario.vars[x].low), int(scenario.vars[x].high)
    middle = (low + high) // 2 + 3  # a threshold no other condition is likely to cut at
    tag = next(t for t in sorted(scenario.share_tags)  # one no reaction voids
               if not any(r.backfire for _actor, rs in scenario.reactions_by_tag.get(t, ()) for r in rs))
    decides = compile_expr(f"{x} >= {middle}", names, FUNCTIONS, BOOL)
    unreached = compile_expr(f"{y} == {int(scenario.vars[y].low) + 1}", names, FUNCTIONS, BOOL)
    scenario.scoring[tag] = (PointsRule(decides, 90.0, "decides", None),
                             PointsRule(None, -1.0, "always", scenario.scored_skills("penalty")[0]),
                             PointsRule(unreached, 500.0, "never reached", None))
    steps = [s for s in played(scenario, 40) if any(tag in scenario.rounds[s["round"]].by_id[c].tags
                                                    for c in s["open"])]
    differed = 0
    for step in steps[:10]:
        seen = []
        for value in (low, middle - 1, middle, high, low):
            moment = {**step, "before": {**step["before"], x: value}}
            remembered(scenario, moment)
            seen.append(remembered(scenario, moment))
            assert seen[-1] == afresh(scenario, moment), (x, value)
        differed += seen[1] != seen[2]
        for value in range(int(scenario.vars[y].low), int(scenario.vars[y].high) + 1):
            moment = {**step, "before": {**step["before"], y: value}}
            assert remembered(scenario, moment) == afresh(scenario, moment), (y, value)
    assert differed, "some moment's offer must depend on the deciding rule"
