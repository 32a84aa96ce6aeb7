"""How likely each ending is: the scenario as a Markov decision process.

Each (state, choice) is played once per combination of roll outcomes, and the results
are weighed by their probability and merged by ``StateKey`` (states that cannot lead
to different futures), so a chance node becomes one distribution over successor
states instead of a tree of rolls. Backward induction over that graph then gives, for
every ending, its exact probability under uniform random play, and the strategies
that make the best outcome most likely and the worst outcome most likely.

When the graph is larger than the budget (states or seconds), the answer says it is
not exact and gives Monte Carlo estimates from seeded uniform random playthroughs,
each with a 95% confidence interval.
"""
from __future__ import annotations

import math
import random
import time
from collections import Counter

from ..engine import EngineError, Session
from ..engine.state import BUILTIN_NAMES
from ..errors import OfframpError
from . import parallel
from .explore import STEP_CAP, Progress, _step, every_outcome

BEST_OUTCOME, WORST_OUTCOME = "durable_settlement", "escalation"
DEFAULT_MAX_SECONDS = 10.0
DEFAULT_MAX_STATES = 200_000
EXACT_SHARE = 0.3  # of the time for the odds that the exact answer may take before Monte Carlo takes over
MAX_RUNS = 1_000_000  # Monte Carlo runs when the time, not a count, decides how many
RUNS_PER_CHUNK = 25  # small, so the deadline is overrun by a fraction of a second at most
Z95 = 1.96


class OverBudget(OfframpError):
    """The graph has more states, or takes longer to build, than allowed."""


class EndingKey:
    """What makes two states the same for the endings they can lead to: the round, the values
    that some rule of play reads (conditions of choices, routes, triggers, reactions and persona
    moves, their chances and weights, and whatever feeds those through effects or derived values),
    the tag counts when such a rule calls ``count()``, how often each persona made each move
    (it damps the weights of moves already made, and a move made ``once`` is not made again) and
    the move each made last (never made two rounds running). Scores, narration and what
    intelligence revealed never change where a game goes, so states that differ only there are
    merged."""

    def __init__(self, scenario):
        rules = _rules_of_play(scenario)
        read = set().union(*(c.names for c in rules)) if rules else set()
        read |= {d for name in list(read) for d in _derived_closure(scenario, name)}
        effects = _effects(scenario)
        grew = True
        while grew:  # a value an effect computes from is needed when the value it sets is
            more = set().union(set(), *(e.names for e in effects if e.target in read)) - read
            more |= {d for name in more for d in _derived_closure(scenario, name)}
            read |= more
            grew = bool(more)
        counted = [c for c in rules if any(name == "count" for name, _ in c.calls)]
        counted += [scenario.derived[n] for n in read if n in scenario.derived and
                    any(name == "count" for name, _ in scenario.derived[n].calls)]
        self.counts = bool(counted)
        self.names = [n for n in (*scenario.vars, *BUILTIN_NAMES) if n in read]
        self.moves = {m.id for actor in scenario.actors for m in actor.moves}

    def __call__(self, session) -> tuple:
        values = session.state.values  # the variables and built-ins, a plain dict
        key: tuple = (session.round_id, session.ending, tuple([values[n] for n in self.names]))
        if self.moves:
            key += (frozenset((m, n) for m, n in session.move_counts.items() if m in self.moves and n),
                    frozenset(session.state.last_moves.items()))
        if self.counts:
            key += (frozenset(session.tag_counts.items()),)
        return key


def _rules_of_play(scenario) -> list:
    """The expressions that decide what happens next (not scores, not narration)."""
    found = [scenario.catastrophe_risk, *(c for c, _ in scenario.triggers)]
    found += [c for entries in scenario.routes.values() for c, _ in entries]
    found += [c.cond for r in scenario.rounds.values() for c in r.choices]
    for actor in scenario.actors:
        found.append(actor.move_chance)
        found += [x for r in actor.reactions for x in (r.cond, r.chance)]
        found += [x for m in actor.moves for x in (m.cond, m.weight)]
    return [c for c in found if c is not None]


def _effects(scenario) -> list:
    found = [*scenario.each_round]
    for round_ in scenario.rounds.values():
        found += [*round_.on_enter, *(e for c in round_.choices for e in c.effects)]
    for actor in scenario.actors:
        found += [e for item in (*actor.reactions, *actor.moves) for e in item.effects]
    return found


def _derived_closure(scenario, name: str) -> set[str]:
    """The names a derived value reads, through other derived values."""
    seen, todo = set(), [name]
    while todo:
        compiled = scenario.derived.get(todo.pop())
        for read in compiled.names if compiled is not None else ():
            if read not in seen:
                seen.add(read)
                todo.append(read)
    return seen


def _distribution(run, key, deadline: float = math.inf) -> tuple[dict, dict, int]:
    """Every roll outcome of ``run``, merged by state: {key: probability}, {key: one session}, and
    how many distinct states the rolls lead to. ``TimeUp`` past ``deadline``."""
    weights: dict = {}
    sessions: dict = {}
    for session, _, probability in every_outcome(run):
        if time.monotonic() > deadline:
            raise TimeUp
        k = key(session)
        weights[k] = weights.get(k, 0.0) + probability
        sessions.setdefault(k, session)
    return weights, sessions, len(weights)


class TimeUp(OfframpError):
    """The deadline passed in the middle of weighing a state."""


def build_graph(scenario, max_states: int, deadline: float, progress: Progress = None):
    """States and their chance nodes: (start distribution, {key: ending or {choice: {key: p}}}).

    Gives up (``OverBudget``) past ``max_states`` or ``deadline``, and as soon as the states
    already found but not yet weighed would, at the pace so far, take more than twice the time
    left: a graph that keeps growing faster than it is weighed is not worth the wait."""
    key = EndingKey(scenario)
    began = time.monotonic()
    graph: dict = {}
    frontier: dict = {}  # found, not ended, not yet weighed
    widest = weighed = 0

    def found(children: dict) -> None:
        for k, session in children.items():
            if k not in graph:
                if session.ended:
                    graph[k] = session.ending
                else:
                    frontier.setdefault(k, session)

    def over_budget(when: str) -> OverBudget:
        return OverBudget(f"{weighed:,} states weighed and {len(frontier):,} more found when {when}; one choice "
                          f"led to up to {widest:,} different states through its rolls")

    try:
        start, first, widest = _distribution(lambda dice: Session(scenario, 0, dice=dice, narrate=False), key,
                                             deadline)
        found(first)
        while frontier:
            now = time.monotonic()
            pace = (now - began) / weighed if weighed else 0.0
            if weighed >= max_states:
                raise over_budget("the budget ran out")
            if now - began > 0.5 and pace * len(frontier) > 2 * (deadline - now):
                raise over_budget(f"the search gave up: at its pace the states found so far would take about "
                                  f"{pace * len(frontier):,.0f} s to weigh, and more keep appearing")
            k, session = next(iter(frontier.items()))
            choices = {}
            for choice in session.open_choices():
                weights, children, spread = _distribution(_step(session, choice.id), key, deadline)
                widest = max(widest, spread)
                choices[choice.id] = weights
                found(children)
            if not choices:
                raise EngineError(f"dead end: no open choice in round {session.round_id!r}")
            del frontier[k]
            graph[k] = choices
            weighed += 1
            if progress and weighed % 100 == 0:
                progress("states weighed", weighed, max_states)
    except TimeUp:
        raise over_budget("the budget ran out") from None
    return start, graph


def _order(graph) -> list:
    """States children first (post-order), so one sweep settles a graph without loops."""
    order, seen = [], set()
    for root in graph:
        if root in seen:
            continue
        seen.add(root)
        stack = [(root, iter(_successors(graph[root])))]
        while stack:
            node, children = stack[-1]
            for child in children:
                if child not in seen:
                    seen.add(child)
                    stack.append((child, iter(_successors(graph[child]))))
                    break
            else:
                stack.pop()
                order.append(node)
    return order


def _successors(entry) -> list:
    return [] if isinstance(entry, str) else [c for weights in entry.values() for c in weights]


def solve(graph, value_of, pick) -> dict:
    """Value of every state: ``value_of(ending)`` at endings; elsewhere ``pick`` (mean, max or min)
    over the choices of their expected value. Loops are settled by repeated sweeps."""
    order = _order(graph)
    values = {k: (value_of(e) if isinstance(e, str) else 0.0) for k, e in graph.items()}
    for _ in range(10_000):
        change = 0.0
        for k in order:
            entry = graph[k]
            if isinstance(entry, str):
                continue
            new = pick([sum(p * values[c] for c, p in weights.items()) for weights in entry.values()])
            change = max(change, abs(new - values[k]))
            values[k] = new
        if change < 1e-13:
            break
    return values


def _mean(xs):
    return sum(xs) / len(xs)


def _strategy(graph, start, values) -> list[str]:
    """The choices of one line of play following ``values``: at each state the choice rated
    highest, then the most likely successor (a representative path, not the only one)."""
    path, k = [], max(start, key=start.get)
    for _ in range(STEP_CAP):
        entry = graph[k]
        if isinstance(entry, str):
            break
        choice, weights = max(entry.items(), key=lambda item: sum(p * values[c] for c, p in item[1].items()))
        path.append(choice)
        k = max(weights, key=weights.get)
    return path


def exact(scenario, start, graph) -> dict:
    endings = list(scenario.endings)
    at_start = {}
    for ending_id in endings:
        values = solve(graph, lambda e, ending_id=ending_id: 1.0 if e == ending_id else 0.0, _mean)
        at_start[ending_id] = sum(p * values[k] for k, p in start.items())
    out = {"exact": True, "states": len(graph), "uniform": at_start}
    for label, outcome in (("best", BEST_OUTCOME), ("worst", WORST_OUTCOME)):
        kinds = {e for e in endings if scenario.endings[e].outcome == outcome}
        if not kinds:
            continue
        values = solve(graph, lambda e, kinds=kinds: 1.0 if e in kinds else 0.0, max)
        out[label] = {"outcome": outcome, "probability": sum(p * values[k] for k, p in start.items()),
                      "choices": _strategy(graph, start, values)}
    return out


def uniform_play(scenario, seed: int) -> str:
    """One playthrough picking uniformly among open choices; returns the ending id."""
    session = Session(scenario, seed, narrate=False)
    rng = random.Random(f"uniform:{seed}")
    while not session.ended and session.turn < STEP_CAP:
        open_choices = session.open_choices()
        if not open_choices:
            raise EngineError(f"dead end: no open choice in round {session.round_id!r}")
        session.choose(rng.choice(open_choices).id)
    if session.ending is None:
        raise EngineError(f"no ending after {STEP_CAP} choices (stuck in a loop?)")
    return session.ending


def estimate(endings, counts: Counter, runs: int) -> dict:
    """Share of runs per ending with a 95% Wilson interval."""
    out = {}
    for ending_id in endings:
        p = counts.get(ending_id, 0) / runs
        centre = (p + Z95 ** 2 / (2 * runs)) / (1 + Z95 ** 2 / runs)
        half = Z95 * math.sqrt(p * (1 - p) / runs + Z95 ** 2 / (4 * runs ** 2)) / (1 + Z95 ** 2 / runs)
        out[ending_id] = {"p": p, "low": max(0.0, centre - half), "high": min(1.0, centre + half)}
    return out


def _uniform_chunk(scenario, seeds: range) -> tuple[Counter, int]:
    """Endings reached by uniform play from these seeds, and how many runs failed."""
    counts: Counter = Counter()
    failed = 0
    for run_seed in seeds:
        try:
            counts[uniform_play(scenario, run_seed)] += 1
        except EngineError:  # the explorer's report lists the failure with its replay command
            failed += 1
    return counts, failed


def sampled(scenario, runs: int, seed: int, deadline: float, progress: Progress = None, jobs: int = 1,
            open_ended: bool = False) -> dict:
    """Monte Carlo: up to ``runs`` seeded uniform playthroughs in ``jobs`` processes, fewer if the
    deadline comes first (whole chunks of seeds: the runs counted are always seeds seed..seed+runs-1).
    ``open_ended`` runs as many as the time allows, so the progress display shows no total."""
    counts: Counter = Counter()
    done = failed = 0
    work = parallel.chunks(seed, runs, RUNS_PER_CHUNK)
    for part in parallel.run_chunks(_uniform_chunk, (scenario,), work, jobs, deadline):
        counts.update(part[0])
        failed += part[1]
        done += sum(part[0].values()) + part[1]
        if progress:
            progress("uniform runs", done, None if open_ended else runs)
    return {"exact": False, "runs": done, "failed": failed, "seed": seed,
            "uniform": estimate(scenario.endings, counts, done)}


def chancy_variables(scenario) -> list[str]:
    """The variables that set a probability (reaction chances, persona move chances and weights,
    the catastrophe risk), directly or through derived values, and that some effect changes.
    Two states that differ in one of them face different odds from then on, so no merging that
    keeps the answer exact may join them."""
    found = [scenario.catastrophe_risk]
    for actor in scenario.actors:
        found += [actor.move_chance, *(r.chance for r in actor.reactions), *(m.weight for m in actor.moves)]
    read: set[str] = set()
    for compiled in found:
        for name in compiled.names if compiled is not None else ():
            read |= {name, *_derived_closure(scenario, name)}
    changed = {e.target for e in _effects(scenario)}
    return [n for n in scenario.vars if n in read and n in changed]


def _why_merging_cannot_help(scenario) -> str:
    """What keeps states apart whatever a sound merging does: what sets a probability."""
    chancy = chancy_variables(scenario)
    damped = bool(EndingKey(scenario).moves)
    if not chancy and not damped:
        return ""
    parts = [f"{len(chancy)} variables ({', '.join(chancy)})"] if chancy else []
    parts += ["how often each persona made each move (it divides that move's weight)"] if damped else []
    return (f". Merging cannot shrink it without changing the answer: {' and '.join(parts)} set probabilities, "
            "so states that differ there face different odds")


def ending_odds(scenario, max_seconds: float = DEFAULT_MAX_SECONDS, max_states: int = DEFAULT_MAX_STATES,
                samples: int | None = None, seed: int = 0, progress: Progress = None, jobs: int = 1,
                deadline: float | None = None) -> dict:
    """Exact ending probabilities if the merged graph can be weighed in ``EXACT_SHARE`` of the time,
    else a Monte Carlo estimate in the rest (in ``jobs`` processes): ``samples`` runs, or with
    None as many as fit (at most ``MAX_RUNS``). The time is ``max_seconds`` from now, or until
    ``deadline`` (``time.monotonic()``) when one is given."""
    started = time.monotonic()
    deadline = started + max_seconds if deadline is None else deadline
    budget = max(deadline - started, 0.0)
    runs = MAX_RUNS if samples is None else samples
    try:
        start, graph = build_graph(scenario, max_states, started + EXACT_SHARE * budget, progress)
        out = exact(scenario, start, graph)
    except OverBudget as why:
        out = sampled(scenario, runs, seed, deadline, progress, jobs, open_ended=samples is None)
        out["why_not_exact"] = f"{why} (budget {max_states:,} states or {EXACT_SHARE * budget:.1f} s)" + \
            _why_merging_cannot_help(scenario)
    except EngineError as err:
        out = sampled(scenario, runs, seed, deadline, progress, jobs, open_ended=samples is None)
        out["why_not_exact"] = f"a step failed: {err}"
    out["seconds"] = round(time.monotonic() - started, 2)
    return out
