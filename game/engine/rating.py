"""How the scoring model rates a choice in a given state, taken or not.

The debrief uses it to find missed opportunities, and the skill scores use it to
know how many points each skill had on offer at the moments the trainee chose:
a score is the share of those points the trainee captured.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from operator import getitem, itemgetter
from typing import TYPE_CHECKING, Any

from . import thresholds
from .model import Choice, PointsRule, Reaction, Scenario
from .tags import any_match, count_matching
from .values import Env, Value

if TYPE_CHECKING:
    from .expr import Compiled


class RatingContext:
    """Answers has()/count() for a choice that was not (necessarily) taken; rolls count as misses."""

    __slots__ = ("tags", "counts")

    def __init__(self, tags: Iterable[str], counts: Mapping[str, int]):
        self.tags, self.counts = tags, counts

    def has(self, tag: str) -> bool:
        return any_match(tag, self.tags)

    def count(self, tag: str) -> int:
        return count_matching(tag, self.counts)

    def chance(self, p: float) -> bool:
        return False


class _Moment(Env):
    """The values of one past moment: nothing changes while rating, so derived values are kept."""

    __slots__ = ()

    def __missing__(self, key: str) -> Any:
        value = self[key] = super().__missing__(key)
        return value


def _moment(scenario: Scenario, values: Mapping[str, Value]) -> _Moment:
    """The variables as they were; traits and built-ins (at zero) come from the scenario's constants."""
    env = _Moment(values)
    env.derived, env.fixed, env.ctx = scenario.derived, scenario.constants, None
    return env


def _backfires(scenario: Scenario, tag: str, env: _Moment) -> Reaction | None:
    """The backfire reaction this tag would draw now, if the first reaction each actor has to it
    (rolls count as misses, as everywhere in rating) is one; else None."""
    for _actor, reactions in scenario.reactions_by_tag.get(tag, ()):
        for reaction in reactions:
            if reaction.chance is not None or (reaction.cond is not None and not reaction.cond.fn(env, env.ctx)):
                continue
            if reaction.backfire:
                return reaction
            break
    return None


def _earned(scenario: Scenario, tag: str, env: _Moment) -> tuple[PointsRule | None, Reaction | None]:
    """The first scoring rule of ``tag`` that holds at this moment (None if none does), and the backfire
    reaction that voids its positive points, as it would in play."""
    ctx = env.ctx
    for rule in scenario.scoring.get(tag, ()):
        if rule.cond is None or rule.cond.fn(env, ctx):
            return rule, _backfires(scenario, tag, env) if rule.points > 0 else None
    return None, None


def rate(scenario: Scenario, choice: Choice, values: Mapping[str, Value],
         counts: Mapping[str, int]) -> tuple[float, str, str]:
    """Total points, the main reason and its concept."""
    total, best_why, best_concept = 0.0, "", ""
    best_points: float | None = None
    env = _moment(scenario, values)
    env.ctx = RatingContext(choice.tags, counts)
    for tag in choice.tags:
        rule, backfire = _earned(scenario, tag, env)
        if rule is None:
            continue
        if backfire is not None:
            points, why, concept = 0.0, f"Backfired: {backfire.why}", backfire.concept
        else:
            points, why, concept = rule.points, rule.why, ""
        total += points
        if best_points is None or abs(points) > abs(best_points):
            best_points, best_why, best_concept = points, why, concept or scenario.tactics[tag].concept
    return total, best_why, best_concept


def available(scenario: Scenario, steps: Iterable[Mapping[str, Any]],
              par: dict[str, float] | None = None) -> dict[str, float]:
    """For each "share" skill, the most points any open choice offered, summed over the steps played;
    ``par`` is the sum over the steps before these (a new dict is returned), so a session adds only
    its new steps, in the same order of addition as a sum over the whole history.

    The best offer of a step is remembered per scenario (``Scenario.offers``, bounded), keyed on
    what the conditions that rate its open choices can tell apart: the round, the open choices,
    for each variable they read its class among the thresholds it is compared with (see
    thresholds.py), and the counts count() asks about. Whole moments rarely repeat in random
    play; these classes nearly always do."""
    skills = scenario.scored_skills("share")
    par = dict.fromkeys(skills, 0.0) if par is None else dict(par)
    memo, keys = scenario.offers, scenario.rating_keys
    for step in steps:
        where = (step["round"], tuple(step["open"]))
        key_of = keys.get(where, _key_function)
        if key_of is _key_function:  # not seen yet
            key_of = _key_function(scenario, *where)
        try:
            key = None if key_of is None else key_of(step["before"], step["counts"])
        except (KeyError, TypeError):  # a saved step lacking a variable, or with a value no class holds
            key = None
        best = None if key is None else memo.get(key)
        if best is None:
            best = _best_offer(scenario, step, skills)
            if key is not None:
                _keep(memo, key, best, MEMO_LIMIT)
        for skill in skills:
            par[skill] += best[skill]
    return par


MEMO_LIMIT = 20_000  # steps remembered per scenario (about 500 bytes each)
KEYS_LIMIT = 256  # (round, open choices) whose key function is kept (up to ~100 KB each); a story has a few dozen
_RATING_CALLS = frozenset({"has", "count", "chance", "min", "max", "clamp"})  # what RatingContext answers
StepKey = Callable[[Mapping[str, Value], Mapping[str, int]], "tuple[Any, ...] | None"]
_class_of: Callable[[dict[Value, int], Value], int] = getitem  # a value's class in its table (KeyError: none)


def _keep(memo: dict[Any, Any], key: Any, value: Any, limit: int) -> None:
    """Remember ``value``; a full memo starts over, so memory stays bounded."""
    if len(memo) >= limit:
        memo.clear()
    memo[key] = value


def _key_function(scenario: Scenario, round_id: str, open_ids: tuple[str, ...]) -> StepKey | None:
    """How to key a step of ``round_id`` with these choices open (kept in ``Scenario.rating_keys``);
    None when a condition calls a function rating cannot account for, or the ids are unknown
    (such steps are rated afresh, failing as they always did)."""
    key_of = None
    round_ = scenario.rounds.get(round_id)
    if round_ is not None and all(i in round_.by_id for i in open_ids):
        conds: list[Compiled] = []
        for choice in (round_.by_id[i] for i in open_ids):
            if not scenario.share_tags.isdisjoint(choice.tags):  # the choices _best_offer rates
                for tag in choice.tags:
                    conds += [rule.cond for rule in scenario.scoring.get(tag, ()) if rule.cond is not None]
                    conds += [r.cond for _actor, reactions in scenario.reactions_by_tag.get(tag, ())
                              for r in reactions if r.chance is None and r.cond is not None]  # rolls are misses
        key_of = _step_key(scenario, conds)
    if len(scenario.rating_keys) >= KEYS_LIMIT:
        scenario.rating_reads.clear()  # starts over with the keys, so it stays bounded too
    _keep(scenario.rating_keys, (round_id, open_ids), key_of, KEYS_LIMIT)
    return key_of


def _step_key(scenario: Scenario, conds: list[Compiled]) -> StepKey | None:
    """The key of a step whose rating evaluates ``conds``: the class of each integer variable they
    compare only with thresholds, the value of any other variable they read, and the counts
    count() asks about (the choices' tags are the same at every such step: has() needs nothing)."""
    kinds = {name: "bool" if var.type == "bool" else "num" for name, var in scenario.vars.items()}
    read = thresholds.reading(conds, kinds, scenario.constants, scenario.derived, scenario.rating_reads)
    patterns: set[str] | None = set()
    for function, args in read.calls:
        if function not in _RATING_CALLS:
            return None
        if function == "count" and patterns is not None:
            patterns = None if args[0] is None else patterns | {args[0]}
    classed: list[tuple[str, dict[Value, int]]] = []
    raw_names: list[str] = []
    for name in [name for name in scenario.vars if name in read.names]:  # their own strings: found by identity
        var = scenario.vars[name]
        table = read.classes(name, var.low, var.high, scenario.rating_reads) if var.type == "int" else None
        if table is None:
            raw_names.append(name)
        else:
            classed.append((name, table))
    tables = tuple(table for _name, table in classed)
    cut, raw = _values(tuple(name for name, _table in classed)), _values(tuple(raw_names))
    shadowed = frozenset(read.names - kinds.keys())  # traits, derived values, built-ins: the scenario's
    counted = None if patterns is None else tuple(sorted(patterns))

    def key(before: Mapping[str, Value], counts: Mapping[str, int]) -> tuple[Any, ...] | None:
        """KeyError when ``before`` lacks a variable or holds a value no class has (a saved step)."""
        if not before.keys().isdisjoint(shadowed):
            return None  # a saved step holding a trait or derived value itself: rated afresh
        found: tuple[Any, ...] = (key, tuple(map(_class_of, tables, cut(before))))
        if raw_names:
            found += (raw(before),)
        if counted is None:
            return (*found, tuple(counts.items()))
        return (*found, *(count_matching(pattern, counts) for pattern in counted)) if counted else found

    return key


def _values(names: tuple[str, ...]) -> Callable[[Mapping[str, Value]], tuple[Value, ...]]:
    """The values of ``names`` in a step's ``before``, as a tuple (KeyError if one is missing)."""
    if len(names) > 1:
        return itemgetter(*names)
    if names:
        name = names[0]
        return lambda before: (before[name],)
    return lambda before: ()


def _best_offer(scenario: Scenario, step: Mapping[str, Any], skills: list[str]) -> dict[str, float]:
    """The most points any open choice offered each share skill at one step, rated afresh."""
    env, counts, by_id = _moment(scenario, step["before"]), step["counts"], scenario.rounds[step["round"]].by_id
    best = dict.fromkeys(skills, 0.0)
    for choice_id in step["open"]:
        tags = by_id[choice_id].tags
        if scenario.share_tags.isdisjoint(tags):
            continue  # it offers no share skill anything: nothing to rate
        env.ctx = RatingContext(tags, counts)
        points: dict[str, float] = {}  # the share skills this choice touches; the others stay at 0
        for tag in tags:
            rule, backfire = _earned(scenario, tag, env)
            if rule is None or backfire is not None:
                continue  # a backfire earns nothing
            skill = rule.skill or scenario.tactics[tag].skill
            if skill in best:
                points[skill] = points.get(skill, 0.0) + rule.points
        for skill, offered in points.items():
            if offered > best[skill]:  # max() without the call: the same sums
                best[skill] = offered
    return best
