"""How the scoring model rates a choice in a given state, taken or not.

The debrief uses it to find missed opportunities, and the skill scores use it to
know how many points each skill had on offer at the moments the trainee chose:
a score is the share of those points the trainee captured.
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from .model import Choice, Reaction, Scenario
from .tags import any_match, count_matching
from .values import Env, Value


class RatingContext:
    """Answers has()/count() for a choice that was not (necessarily) taken; rolls count as misses."""

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
    env = _Moment(scenario.constants)
    env.update(values)
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


def _scored(scenario: Scenario, choice: Choice, env: _Moment,
            counts: Mapping[str, int]) -> Iterator[tuple[str, str | None, float, str, str]]:
    """(tag, points, why) for each tag: its first scoring rule that holds, voided (no positive
    points) when the move would backfire at this moment, as it is in play."""
    env.ctx = ctx = RatingContext(choice.tags, counts)
    scoring = scenario.scoring
    for tag in choice.tags:
        for rule in scoring.get(tag, ()):
            if rule.cond is None or rule.cond.fn(env, ctx):
                backfire = _backfires(scenario, tag, env) if rule.points > 0 else None
                if backfire is not None:
                    yield tag, rule.skill, 0.0, f"Backfired: {backfire.why}", backfire.concept
                else:
                    yield tag, rule.skill, rule.points, rule.why, ""
                break


def rate(scenario: Scenario, choice: Choice, values: Mapping[str, Value],
         counts: Mapping[str, int]) -> tuple[float, str, str]:
    """Total points, the main reason and its concept."""
    total, best_why, best_concept = 0.0, "", ""
    best_points: float | None = None
    for tag, _skill, points, why, concept in _scored(scenario, choice, _moment(scenario, values), counts):
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
    tactics = scenario.tactics
    for step in steps:
        round_ = scenario.rounds[step["round"]]
        env, counts, by_id = _moment(scenario, step["before"]), step["counts"], round_.by_id
        best = dict.fromkeys(skills, 0.0)
        for choice_id in step["open"]:
            points = dict.fromkeys(skills, 0.0)
            for tag, rule_skill, earned, _why, _concept in _scored(scenario, by_id[choice_id], env, counts):
                skill = rule_skill or tactics[tag].skill
                if skill in points:
                    points[skill] += earned
            for skill in skills:
                if points[skill] > best[skill]:  # max() without the call: the same sums
                    best[skill] = points[skill]
        for skill in skills:
            par[skill] += best[skill]
    return par
