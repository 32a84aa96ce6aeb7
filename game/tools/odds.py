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
Z95 = 1.96


class OverBudget(OfframpError):
    """The graph has more states, or takes longer to build, than allowed."""


class EndingKey:
    """What makes two states the same for the endings they can lead to: the round, the values
    that some rule of play reads (conditions of choices, routes, triggers, reactions and persona
    moves, their chances and weights, and whatever feeds those through effects or derived values),
    the tag counts when such a rule calls ``count()``, and how often each persona made each move
    (it damps the weights of moves already made). Scores, narration and what intelligence revealed
    never change where a game goes, so states that differ only there are merged."""

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
        self.moves = {m.id for actor in scenario.actors if len(actor.moves) > 1 for m in actor.moves}

    def __call__(self, session) -> tuple:
        values = session.values
        key: tuple = (session.round_id, session.ending, tuple([values[n] for n in self.names]))
        if self.moves:
            key += (frozenset((m, n) for m, n in session.move_counts.items() if m in self.moves and n),)
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


def _distribution(run, key) -> tuple[dict, dict, int]:
    """Every roll outcome of ``run``, merged by state: {key: probability}, {key: one session}, and
    how many distinct states the rolls lead to."""
    weights: dict = {}
    sessions: dict = {}
    for session, _, probability in every_outcome(run):
        k = key(session)
        weights[k] = weights.get(k, 0.0) + probability
        sessions.setdefault(k, session)
    return weights, sessions, len(weights)


def build_graph(scenario, max_states: int, deadline: float, progress: Progress = None):
    """States and their chance nodes: (start distribution, {key: ending or {choice: {key: p}}})."""
    key = EndingKey(scenario)
    start, frontier, widest = _distribution(lambda dice: Session(scenario, 0, dice=dice, narrate=False), key)
    graph: dict = {}
    while frontier:
        k, session = frontier.popitem()
        if k in graph:
            continue
        if session.ended:
            graph[k] = session.ending
            continue
        if len(graph) >= max_states or time.monotonic() > deadline:
            raise OverBudget(f"{len(graph):,} states weighed and {len(frontier):,} more found when the budget ran "
                             f"out; one choice led to up to {widest:,} different states through its rolls")
        choices = {}
        for choice in session.choices():
            weights, children, spread = _distribution(_step(session, choice.id), key)
            widest = max(widest, spread)
            choices[choice.id] = weights
            frontier.update((c, s) for c, s in children.items() if c not in graph)
        if not choices:
            raise EngineError(f"dead end: no open choice in round {session.round_id!r}")
        graph[k] = choices
        if progress and len(graph) % 100 == 0:
            progress("states weighed", len(graph), max_states)
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
        open_choices = session.choices()
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


def sampled(scenario, runs: int, seed: int, deadline: float, progress: Progress = None, jobs: int = 1) -> dict:
    """Monte Carlo: up to ``runs`` seeded uniform playthroughs in ``jobs`` processes, fewer if the
    deadline comes first (whole chunks of seeds: the runs counted are always seeds seed..seed+runs-1)."""
    counts: Counter = Counter()
    done = failed = 0
    for part in parallel.run_chunks(_uniform_chunk, (scenario,), parallel.chunks(seed, runs), jobs, deadline):
        counts.update(part[0])
        failed += part[1]
        done += sum(part[0].values()) + part[1]
        if progress:
            progress("uniform runs", done, runs)
    return {"exact": False, "runs": done, "failed": failed, "seed": seed,
            "uniform": estimate(scenario.endings, counts, done)}


def ending_odds(scenario, max_seconds: float = DEFAULT_MAX_SECONDS, max_states: int = DEFAULT_MAX_STATES,
                samples: int = 20_000, seed: int = 0, progress: Progress = None, jobs: int = 1) -> dict:
    """Exact ending probabilities within half of ``max_seconds``, else Monte Carlo in the rest
    (in ``jobs`` processes)."""
    started = time.monotonic()
    try:
        start, graph = build_graph(scenario, max_states, started + max_seconds / 2, progress)
        out = exact(scenario, start, graph)
    except OverBudget as why:
        out = sampled(scenario, samples, seed, started + max_seconds, progress, jobs)
        out["why_not_exact"] = f"{why} (budget {max_states:,} states or {max_seconds / 2:g} s)"
    except EngineError as err:
        out = sampled(scenario, samples, seed, started + max_seconds, progress, jobs)
        out["why_not_exact"] = f"a step failed: {err}"
    out["seconds"] = round(time.monotonic() - started, 2)
    return out
