"""How the scoring model rates a choice in a given state, taken or not.

The debrief uses it to find missed opportunities, and the skill scores use it to
know how many points each skill had on offer at the moments the trainee chose:
a score is the share of those points the trainee captured.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from functools import reduce
from itertools import repeat
from operator import add, getitem, itemgetter
from typing import TYPE_CHECKING, Any

from . import thresholds
from .model import Choice, PointsRule, Reaction, Scenario
from .state import BUILTIN_NAMES
from .tags import any_match, count_matching
from .values import Value

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


_AT_ZERO: dict[str, Value] = dict.fromkeys(BUILTIN_NAMES, 0)


def _moment(values: Mapping[str, Value]) -> dict[str, Value]:
    """The variables as they were (a step keeps only those), with the built-ins at zero
    unless it holds them; expressions read traits and derived values from the scenario."""
    env = dict(_AT_ZERO)
    env.update(values)
    return env


def _backfires(scenario: Scenario, tag: str, env: Mapping[str, Value], ctx: RatingContext) -> Reaction | None:
    """The backfire reaction this tag would draw now, if the first reaction each actor has to it
    (rolls count as misses, as everywhere in rating) is one; else None."""
    for _actor, reactions in scenario.reactions_by_tag.get(tag, ()):
        for reaction in reactions:
            if reaction.chance is not None or (reaction.cond is not None and not reaction.cond.fn(env, ctx)):
                continue
            if reaction.backfire:
                return reaction
            break
    return None


def _earned(scenario: Scenario, tag: str, env: Mapping[str, Value],
            ctx: RatingContext) -> tuple[PointsRule | None, Reaction | None]:
    """The first scoring rule of ``tag`` that holds at this moment (None if none does), and the backfire
    reaction that voids its positive points, as it would in play."""
    for rule in scenario.scoring.get(tag, ()):
        if rule.cond is None or rule.cond.fn(env, ctx):
            return rule, _backfires(scenario, tag, env, ctx) if rule.points > 0 else None
    return None, None


def _deciding(scenario: Scenario, tag: str) -> list[Compiled]:
    """The conditions whose answers decide what ``tag`` adds to a share skill in ``_best_offer``, as
    ``_earned`` and ``_backfires`` walk them: its rules up to the last share-skill one before the
    first that always holds, and where such a rule gains points, each actor's (rollless) reactions
    up to the last backfire before the first that always holds. Whatever the later ones answer,
    the tag adds nothing."""
    shared, skill = scenario.scored_skills("share"), scenario.tactics[tag].skill
    rules = _until_sure(scenario.scoring.get(tag, ()))
    last = max((i for i, rule in enumerate(rules) if (rule.skill or skill) in shared), default=-1)
    found = [rule.cond for rule in rules[:last + 1] if rule.cond is not None]
    if any(rule.points > 0 and (rule.skill or skill) in shared for rule in rules[:last + 1]):
        for _actor, reactions in scenario.reactions_by_tag.get(tag, ()):
            tried = _until_sure([r for r in reactions if r.chance is None])
            last = max((i for i, r in enumerate(tried) if r.backfire), default=-1)
            found += [r.cond for r in tried[:last + 1] if r.cond is not None]
    return found


def _until_sure(items: Iterable[Any]) -> list[Any]:
    """``items`` (rules or reactions) up to the first without a condition, which always holds."""
    found = []
    for item in items:
        found.append(item)
        if item.cond is None:
            break
    return found


def rate(scenario: Scenario, choice: Choice, values: Mapping[str, Value],
         counts: Mapping[str, int]) -> tuple[float, str, str]:
    """Total points, the main reason and its concept."""
    total, best_why, best_concept = 0.0, "", ""
    best_points: float | None = None
    env, ctx = _moment(values), RatingContext(choice.tags, counts)
    for tag in choice.tags:
        rule, backfire = _earned(scenario, tag, env, ctx)
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
    what the conditions that decide its open choices' offers can tell apart: the round, the open
    choices, for each variable they read its class among the cuts they make (see thresholds.py),
    and the counts count() asks about (see ``_memo_rater``). Whole moments rarely repeat in random
    play; these classes nearly always do."""
    skills, raters, offers = scenario.scored_skills("share"), scenario.rating_keys, []
    for step in steps:
        where = (step["round"], tuple(step["open"]))
        offers.append((raters.get(where) or _rater(scenario, *where))(step))
    sums = [0.0] * len(skills) if par is None else [par[skill] for skill in skills]
    if offers:  # skill by skill, step by step: the same additions in the same order as a running sum
        sums = list(map(reduce, repeat(add), zip(*offers, strict=True), sums))
    return dict(zip(skills, sums, strict=True))


MEMO_LIMIT = 20_000  # steps remembered per scenario (about 500 bytes each)
KEYS_LIMIT = 256  # (round, open choices) whose rater is kept (up to ~100 KB each); a story has a few dozen
_RATING_CALLS = frozenset({"has", "count", "chance", "min", "max", "clamp"})  # what RatingContext answers
Offer = tuple[float, ...]  # the best offer of a step per share skill, in the order of scored_skills("share")
StepRater = Callable[[Mapping[str, Any]], Offer]


def _keep(memo: dict[Any, Any], key: Any, value: Any, limit: int) -> None:
    """Remember ``value``; a full memo starts over, so memory stays bounded."""
    if len(memo) >= limit:
        memo.clear()
    memo[key] = value


def _rater(scenario: Scenario, round_id: str, open_ids: tuple[str, ...]) -> StepRater:
    """How to rate a step of ``round_id`` with these choices open (kept in ``Scenario.rating_keys``):
    from the memo where its conditions let it be keyed; afresh when a condition calls a function
    rating cannot account for, or the ids are unknown (failing as it always did)."""
    rate_step = None
    round_ = scenario.rounds.get(round_id)
    if round_ is not None and all(i in round_.by_id for i in open_ids):
        conds: list[Compiled] = []
        deciding: list[Compiled] = []
        for choice in (round_.by_id[i] for i in open_ids):
            if not scenario.share_tags.isdisjoint(choice.tags):  # the choices _best_offer rates
                for tag in choice.tags:
                    tried = [rule.cond for rule in scenario.scoring.get(tag, ()) if rule.cond is not None]
                    tried += [r.cond for _actor, reactions in scenario.reactions_by_tag.get(tag, ())
                              for r in reactions if r.chance is None and r.cond is not None]  # rolls are misses
                    conds += tried
                    deciding += _deciding(scenario, tag) if tag in scenario.tactics else tried
        rate_step = _memo_rater(scenario, conds, deciding)
    if rate_step is None:
        skills = scenario.scored_skills("share")

        def rate_step(step: Mapping[str, Any]) -> Offer:
            return _best_offer(scenario, step, skills)

    if len(scenario.rating_keys) >= KEYS_LIMIT:
        scenario.rating_reads.clear()  # starts over with the raters, so it stays bounded too
    _keep(scenario.rating_keys, (round_id, open_ids), rate_step, KEYS_LIMIT)
    return rate_step


def _memo_rater(scenario: Scenario, conds: list[Compiled], deciding: list[Compiled]) -> StepRater | None:
    """A rater answering from the memo, keyed on what ``conds`` (the conditions rating a step
    evaluates) read: the class of each integer variable they compare only with thresholds, among
    the cuts of the ``deciding`` ones (the others' answers change no offer: a value they alone
    read is only checked to be one the variable can hold), the value of any other variable they
    read, and the counts count() asks about (the choices' tags are the same at every such step:
    has() needs nothing). None when they call a function rating cannot account for."""
    kinds = {name: "bool" if var.type == "bool" else "num" for name, var in scenario.vars.items()}
    read = thresholds.reading(conds, kinds, scenario.constants, scenario.derived, scenario.rating_reads)
    cuts = thresholds.reading(deciding, kinds, scenario.constants, scenario.derived, scenario.rating_reads).cuts
    read.cuts = {name: cuts.get(name, set()) for name in read.cuts}
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
    places = _places(table for _name, table in classed)
    cut, raw = _values(tuple(name for name, _table in classed)), _values(tuple(raw_names))
    shadowed = frozenset(read.names.intersection(BUILTIN_NAMES))  # at zero, unless a step holds them (see _moment)
    counted = None if patterns is None else tuple(sorted(patterns))
    memo, skills = scenario.offers, scenario.scored_skills("share")

    def rate_step(step: Mapping[str, Any]) -> Offer:
        before = step["before"]
        if shadowed and not before.keys().isdisjoint(shadowed):
            return _best_offer(scenario, step, skills)  # a saved step holding a built-in itself
        try:  # KeyError when a variable is missing or has a value no class holds (a saved step)
            key: tuple[Any, ...] = (rate_step, sum(map(_class_of, places, cut(before))))
            if raw_names:
                key += (raw(before),)
            if counted is None:
                key += (tuple(step["counts"].items()),)
            elif counted:
                key += tuple(count_matching(pattern, step["counts"]) for pattern in counted)
            best = memo.get(key)
        except (KeyError, TypeError):  # TypeError: a value that is no number
            return _best_offer(scenario, step, skills)
        if best is None:
            best = _best_offer(scenario, step, skills)
            _keep(memo, key, best, MEMO_LIMIT)
        return best

    return rate_step


_class_of: Callable[[dict[Value, int], Value], int] = getitem  # a value's place in its table (KeyError: none)


def _places(tables: Iterable[dict[Value, int]]) -> list[dict[Value, int]]:
    """Each class table scaled so that the sum of the values' places tells every combination of
    classes apart (mixed radix: a table's places are multiples of the product of the earlier
    tables' sizes), so the key holds one number instead of a tuple of classes."""
    places, radix = [], 1
    for table in tables:
        places.append(table if radix == 1 else {v: c * radix for v, c in table.items()})
        radix *= max(table.values(), default=0) + 1
    return places


def _values(names: tuple[str, ...]) -> Callable[[Mapping[str, Value]], tuple[Value, ...]]:
    """The values of ``names`` in a step's ``before``, as a tuple (KeyError if one is missing)."""
    if len(names) > 1:
        return itemgetter(*names)
    if names:
        name = names[0]
        return lambda before: (before[name],)
    return lambda before: ()


def _best_offer(scenario: Scenario, step: Mapping[str, Any], skills: list[str]) -> Offer:
    """The most points any open choice offered each share skill (``skills``) at one step, rated afresh."""
    env, counts, by_id = _moment(step["before"]), step["counts"], scenario.rounds[step["round"]].by_id
    best = dict.fromkeys(skills, 0.0)
    for choice_id in step["open"]:
        tags = by_id[choice_id].tags
        if scenario.share_tags.isdisjoint(tags):
            continue  # it offers no share skill anything: nothing to rate
        ctx = RatingContext(tags, counts)
        points: dict[str, float] = {}  # the share skills this choice touches; the others stay at 0
        for tag in tags:
            rule, backfire = _earned(scenario, tag, env, ctx)
            if rule is None or backfire is not None:
                continue  # a backfire earns nothing
            skill = rule.skill or scenario.tactics[tag].skill
            if skill in best:
                points[skill] = points.get(skill, 0.0) + rule.points
        for skill, offered in points.items():
            if offered > best[skill]:  # max() without the call: the same sums
                best[skill] = offered
    return tuple(best.values())
