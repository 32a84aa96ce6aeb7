"""A game holds only its variables and built-ins, in a plain dict; the compiler puts traits in place
and calls derived values' rules where they are read. Every expression must read what a lookup by
name would give: held values first, then the scenario's traits, then derived values."""
from __future__ import annotations

import dataclasses
import random
from typing import Any

import pytest

from game.engine import Session, load_library
from game.engine.compiler import FUNCTIONS
from game.engine.expr import BOOL, NUM, Compiled, Effect, ExprRuntimeError, compile_effect, compile_expr
from game.engine.session import EngineError
from game.engine.values import Env
from game.paths import bundled_story

STORY = bundled_story()


class LookupEnv(dict):
    """Values looked up by name, as every expression read them before: held, then fixed, then derived."""

    def __init__(self, held: dict, fixed: dict, derived: dict, ctx: Any):
        super().__init__(held)
        self.fixed, self.derived, self.ctx = fixed, derived, ctx

    def __missing__(self, key: str) -> Any:
        if key in self.fixed:
            return self.fixed[key]
        if key not in self.derived:
            raise KeyError(key)
        return self.derived[key](self, self.ctx)


class Context:
    """has(), count() and said() as the session answers them; chance() without rolling."""

    def __init__(self, session: Session):
        self.has, self.count, self.said = session.has, session.count, session.said

    def chance(self, p: float) -> bool:
        return p >= 0.5


def expressions(scenario) -> list[Compiled | Effect]:
    """Every compiled expression and effect of a scenario, each once."""
    found: dict[int, Compiled | Effect] = {}

    def walk(item: Any) -> None:
        if isinstance(item, (Compiled, Effect)):
            found.setdefault(id(item), item)
        elif dataclasses.is_dataclass(item) and not isinstance(item, type):
            for f in dataclasses.fields(item):
                walk(getattr(item, f.name))
        elif isinstance(item, dict):
            for value in item.values():
                walk(value)
        elif isinstance(item, (tuple, list)):
            for value in item:
                walk(value)

    for part in (scenario.derived, scenario.rounds, scenario.endings, scenario.routes, scenario.triggers,
                 scenario.each_round, scenario.catastrophe_risk, scenario.actors, scenario.scoring):
        walk(part)
    return list(found.values())


def by_lookup(scenario):
    """Each expression compiled to read every name from its values, and the derived rules so compiled."""
    names = {n: BOOL if v.type == "bool" else NUM for n, v in scenario.vars.items()}
    names.update(dict.fromkeys(scenario.constants, NUM))
    names.update({n: d.type for n, d in scenario.derived.items()})
    derived = {n: compile_expr(d.source, names, FUNCTIONS, d.type) for n, d in scenario.derived.items()}

    def compile_one(item: Compiled | Effect) -> Compiled | Effect:
        if isinstance(item, Effect):
            return compile_effect(item.source, names, scenario.vars, FUNCTIONS)
        return compile_expr(item.source, names, FUNCTIONS, item.type)

    return derived, compile_one


def outcome(fn, *args) -> tuple[str, Any]:
    try:
        value = fn(*args)
    except ExprRuntimeError as err:
        return "failed", str(err)
    return type(value).__name__, value


@pytest.mark.parametrize("scenario_id", ["ceasefire-table", "tutorial", "leverage", "mediator", "second-phase"])
def test_every_bundled_expression_reads_what_a_lookup_by_name_gives(scenario_id):
    scenario = load_library([STORY]).scenarios[scenario_id]
    derived, compile_one = by_lookup(scenario)
    pairs = [(item, compile_one(item)) for item in expressions(scenario)]
    assert any(set(item.names) & set(scenario.derived) for item, _ in pairs)  # derived values are read
    assert any(set(item.names) & (set(scenario.constants) - set(scenario.vars)) for item, _ in pairs)  # traits too
    rng, compared = random.Random(scenario_id), 0
    for seed in range(12):
        session = Session(scenario, seed, narrate=False)
        while not session.ended:
            ctx = Context(session)
            for item, looked_up in pairs:
                held = dict(session.state.values)
                env = LookupEnv(held, scenario.constants, derived, ctx)
                if isinstance(item, Effect):
                    assert outcome(item.apply, held, ctx) == outcome(looked_up.apply, env, ctx), item.source
                else:
                    assert outcome(item.fn, held, ctx) == outcome(looked_up.fn, env, ctx), item.source
                compared += 1
            session.choose(rng.choice(session.choices()).id)
    assert compared > 1000


def test_a_derived_value_may_read_another_and_a_tuned_trait(tmp_path):
    """Setup tunes a trait before any rule is compiled; a derived value reads an earlier one."""
    rules = (STORY / "rules.yaml").read_text(encoding="utf-8").replace("id: standard\n", "id: test-rules\n", 1)
    rules = rules.replace('  feinting: "feint >= 55"\n',
                          '  feinting: "feint >= 55"\n  hollow: "feinting and risk_appetite < 10"\n', 1)
    tuned = (STORY / "scenarios" / "ceasefire-table.yaml").read_text(encoding="utf-8")
    tuned = tuned.replace("id: ceasefire-table\n", "id: test-tuned\n", 1).replace(
        "rules: standard\n", "rules: test-rules\n", 1).replace("\nsetup:\n", "\nsetup:\n  risk_appetite: 5\n", 1)
    (tmp_path / "rules.yaml").write_text(rules, encoding="utf-8")
    (tmp_path / "tuned.yaml").write_text(tuned, encoding="utf-8")
    library = load_library([STORY, tmp_path])
    assert not library.diagnostics.errors, [str(d) for d in library.diagnostics.errors]
    scenario = library.scenarios["test-tuned"]
    assert scenario.constants["risk_appetite"] == 5
    hollow = scenario.derived["hollow"]
    for feint in (40, 66):
        session = Session(scenario, 1)
        session.values["feint"] = feint
        assert hollow.fn(session.state.values, session) is (feint >= 55)
        assert session.values["hollow"] is (feint >= 55)  # by name too


def test_a_missing_value_is_still_e400_naming_the_rule_that_read_it():
    scenario = load_library([STORY]).scenarios["ceasefire-table"]
    ripe = scenario.derived["ripe"]
    session = Session(scenario, 3)
    session.choose(session.choices()[0].id)
    del session.state.values["hurt"]  # as a broken tool might leave a state
    with pytest.raises(ExprRuntimeError, match=r"^no value for 'hurt' in 'hurt >= 21 \+ maximalism"):
        ripe.fn(session.state.values, session)
    reading = next(c for c in expressions(scenario) if isinstance(c, Compiled) and "ripe" in c.names)
    with pytest.raises(ExprRuntimeError, match=r"^no value for 'hurt' in 'hurt >= 21"):
        reading.fn(session.state.values, session)  # the derived rule's own message, as before
    with pytest.raises(KeyError):
        session.values["hurt"]  # noqa: B018 -- looked up by name: not a trait, not derived
    with pytest.raises(EngineError, match=r"error E400: no value for 'hurt' in '"):
        while not session.ended:
            session.choose(session.choices()[0].id)


def test_env_is_a_view_of_the_held_values():
    scenario = load_library([STORY]).scenarios["ceasefire-table"]
    session = Session(scenario, 5)
    view = session.values
    assert isinstance(view, Env) and type(session.state.values) is dict
    view["hurt"] = 77
    assert session.state.values["hurt"] == 77 and view["hurt"] == 77
    assert view["maximalism"] == scenario.constants["maximalism"] and "maximalism" not in view
    assert isinstance(view["ripe"], bool) and "ripe" not in view
    assert list(view) == list(session.state.values) and len(view) == len(session.state.values)
