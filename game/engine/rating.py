"""How the scoring model rates a choice in a given state, taken or not.

The debrief uses it to find missed opportunities, and the skill scores use it to
know how many points each skill had on offer at the moments the trainee chose:
a score is the share of those points the trainee captured.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from .model import Choice, PointsRule, Reaction, Scenario
from .tags import any_match, count_matching
from .values import Env, Value


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
    its new steps, in the same order of addition as a sum over the whole history."""
    skills = scenario.scored_skills("share")
    par = dict.fromkeys(skills, 0.0) if par is None else dict(par)
    memo = scenario.offers
    for step in steps:
        before, counts = step["before"], step["counts"]
        key = (step["round"], tuple(step["open"]), tuple(before), tuple(before.values()), tuple(counts),
               tuple(counts.values()))
        best = memo.get(key)
        if best is None:
            if len(memo) >= MEMO_LIMIT:
                memo.clear()
            best = memo[key] = _best_offer(scenario, step, skills)
        for skill in skills:
            par[skill] += best[skill]
    return par


MEMO_LIMIT = 20_000  # moments remembered per scenario (about 1 KB each); games share many, from the first step on


def _best_offer(scenario: Scenario, step: Mapping[str, Any], skills: list[str]) -> dict[str, float]:
    """The most points any open choice offered each share skill at one step: a function of the
    moment alone (round, open choices, values before, tag counts), so ``available`` remembers it."""
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
