"""Prove a scenario right: search every choice and every roll of the dice.

Where Twine misses unreachable passages and ink has no path tester, ``explore``
plays the scenario as a graph of states. An enumerating dice replays a forced
prefix of roll outcomes and branches on the rest, so every random outcome of a
step is visited; states are deduplicated so the search terminates. When the
space is larger than the budget, the search says so and seeded sampling fills
in, with the report stating what was not proven.
"""
from __future__ import annotations

import heapq
import random
import time
from collections import Counter, deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TypedDict

from ..engine import Dice, EngineError, Session, codes
from . import parallel

DEFAULT_MAX_STATES = 5_000
DEFAULT_SAMPLES = 1_000
STEP_CAP = 200
DETOUR = 0.15  # how often a policy-guided sample takes the least-used choice instead
PROGRESS_EVERY = 100  # states expanded or runs played between two progress reports
# progress(what, done, total): called now and then by long searches, e.g. to draw a progress bar;
# total None: as many as the time allows
Progress = Callable[[str, int, int | None], None] | None


class Extreme(TypedDict):
    """The best or the worst of the random runs, with what it takes to replay it."""

    total: float
    ending: str | None
    seed: int
    choices: list[str]


class EnumeratingDice:
    """A dice whose outcomes are forced for a prefix and the first alternative after it.

    ``trail`` records each draw as (outcome, alternatives, probability) so the caller
    can step to the next combination like an odometer. It draws exactly where the
    engine's seeded ``Dice`` draws: never for certain outcomes (p <= 0, p >= 1, one weight).
    """

    __slots__ = ("forced", "trail", "draws")

    def __init__(self, forced=()):
        self.forced = forced
        self.trail: list[tuple[int, int, float]] = []
        self.draws = 0

    def _next(self, alternatives: int) -> int:
        i = len(self.trail)
        self.draws += 1
        return self.forced[i] if i < len(self.forced) else 0

    def chance(self, p: float) -> bool:
        if p <= 0:
            return False
        if p >= 1:
            return True
        outcome = self._next(2)
        self.trail.append((outcome, 2, p if outcome == 0 else 1 - p))
        return outcome == 0

    def pick(self, weights: list[float]) -> int:
        if len(weights) == 1:
            return 0
        outcome = self._next(len(weights))
        self.trail.append((outcome, len(weights), weights[outcome] / sum(weights)))
        return outcome


def every_outcome(run):
    """Call ``run(dice)`` once per combination of roll outcomes; yield (result, rolls, probability)."""
    forced: list[int] = []
    while True:
        dice = EnumeratingDice(forced)
        result = run(dice)
        trail = dice.trail
        probability = 1.0
        for _, _, p in trail:
            probability *= p
        yield result, tuple(o for o, _, _ in trail), probability
        j = len(trail) - 1
        while j >= 0 and trail[j][0] + 1 >= trail[j][1]:
            j -= 1
        if j < 0:
            return
        forced = [o for o, _, _ in trail[:j]] + [trail[j][0] + 1]


def _expressions(scenario):
    """Every compiled expression of a scenario, to learn which names and functions it reads."""
    def conds(items):
        return [getattr(i, "cond", None) for i in items]

    found = list(scenario.derived.values()) + [scenario.catastrophe_risk]
    found += [c for c, _ in scenario.triggers] + [c for entries in scenario.routes.values() for c, _ in entries]
    effects = list(scenario.each_round)
    for round_ in scenario.rounds.values():
        found += conds(round_.choices) + conds(round_.lines)
        effects += list(round_.on_enter)
        for choice in round_.choices:
            effects += list(choice.effects)
    for actor in scenario.actors:
        found.append(actor.move_chance)
        for item in actor.reactions + actor.moves:
            found += [item.cond, getattr(item, "chance", None), getattr(item, "weight", None)]
            found += conds(item.lines)
            effects += list(item.effects)
    for rules in list(scenario.scoring.values()) + [e.score for e in scenario.endings.values()]:
        found += conds(rules)
    found += [e.value for e in effects]
    return [c for c in found if c is not None]


def _predicates(scenario, compiled) -> list:
    """The scenario's yes/no conditions that read only values: they steer the search.
    Anything that rolls dice, directly or through a derived value, is left out, since
    evaluating it would consume a roll."""
    def rolls(c):
        return any(n == "chance" for n, _ in c.calls)

    chancy = {name for name, c in scenario.derived.items() if rolls(c)}
    grew = True
    while grew:
        more = {name for name, c in scenario.derived.items() if c.names & chancy} - chancy
        chancy |= more
        grew = bool(more)
    return [c for c in compiled if c.type == "bool" and not rolls(c) and not c.names & chancy
            and not any(n in ("has", "said") for n, _ in c.calls)]


class Signature:
    """Which of the scenario's predicates hold in a state; None for one that fails (the step that
    needs it reports the story bug).

    The search asks this of thousands of states, so the predicates run as one batch: their
    unguarded closures read the state's plain values (traits and derived values are in the
    expressions). Should anything in the batch fail, the state is asked again predicate by
    predicate through ``Session.holds``, so the answer is always what ``holds`` says."""

    def __init__(self, scenario):
        self.predicates = _predicates(scenario, _expressions(scenario))

    def __call__(self, session) -> tuple:
        values = session.state.values
        try:
            return tuple([bool(p.raw(values, session)) for p in self.predicates])
        except Exception:  # noqa: BLE001 -- asked again one by one, where holds() decides what fails
            return tuple([session.holds(p) for p in self.predicates])


class StateKey:
    """What makes two sessions the same state: round, ending, values, revealed, the personas'
    move counts and last moves, and tag counts when ``count()`` is used. ``turn`` counts only
    when an expression reads it, since otherwise it would make every state unique and loops
    could never be seen."""

    def __init__(self, scenario):
        compiled = _expressions(scenario)
        read = set().union(*(c.names for c in compiled)) if compiled else set()
        self.counts = any(name == "count" for c in compiled for name, _ in c.calls)
        self.names = [n for n in scenario.vars] + [n for n in ("conceded_indivisible", "split_indivisible")]
        if "turn" in read:
            self.names.append("turn")
        self.moves = any(actor.moves for actor in scenario.actors)

    def __call__(self, session) -> tuple:
        values = session.state.values  # the variables and built-ins, a plain dict
        key: tuple = (session.round_id, session.ending, tuple([values[n] for n in self.names]),
                      frozenset(session.revealed))
        if self.counts:
            key += (frozenset(session.tag_counts.items()),)
        if self.moves:  # how often each persona made each move and its last: they change his next moves
            key += (frozenset((m, n) for m, n in session.move_counts.items() if n),
                    frozenset(session.state.last_moves.items()))
        return key


@dataclass
class _Node:
    parent: int
    choice: str | None
    rolls: tuple
    round: str
    ending: str | None
    total: float | None  # scored only where a report can show it: at endings and dead ends
    signature: tuple | None = None  # which predicates hold: worked out when the search first weighs the state
    expanded: bool = False
    children: set = field(default_factory=set)


def _step(session, choice_id):
    def run(dice):
        twin = session.fork(dice=dice if dice is not None else _dice_copy(session.state.dice))
        twin.choose(choice_id)
        return twin
    return run


def _dice_copy(dice: Dice) -> Dice:
    """The seeded dice as it stands, rebuilt from its seed and draws as a snapshot restores it:
    the same next rolls, for a fraction of what copying the generator's state costs."""
    twin = Dice(dice.seed)
    twin.fast_forward(dice.draws)
    return twin


class Explorer:
    """A best-first search over a scenario's states.

    With ``every_roll`` each choice is played once per combination of roll outcomes, so a
    finished search is a proof. Without it the session's seeded dice decides each roll:
    far fewer states, used to cover deep rounds when the full space is over budget.
    """

    def __init__(self, scenario, max_states: int = DEFAULT_MAX_STATES, every_roll: bool = True, seed: int = 0,
                 progress: Progress = None, deadline: float | None = None):
        self.scenario = scenario
        self.deadline = deadline  # time.monotonic() past which the search stops, unfinished
        self.progress = progress
        self.max_states = max_states
        self.every_roll = every_roll
        self.seed = seed
        self.key = StateKey(scenario)
        self.signature = Signature(scenario)
        self.index: dict[tuple, int] = {}
        self.nodes: list[_Node] = []
        self.sessions: dict[int, Session] = {}
        self.taken: Counter = Counter()  # (round, choice) -> transitions explored
        self.dead_ends: list[int] = []
        self.failures: list[dict] = []
        self.steps = 0
        self.exhaustive = False
        self.out_of_time = False  # stopped by the deadline rather than by max_states
        self.round_visits: Counter = Counter()
        self.expanded_signatures: set = set()
        self.queues: dict[str, list[tuple[int, int]]] = {}  # round -> (seen, ident): see _next

    def _outcomes(self, run):
        if self.every_roll:
            return every_outcome(run)
        return [(run(None), (), 1.0)]  # None: the step goes on with a copy of the seeded dice

    def _add(self, session, parent: int, choice: str | None, rolls: tuple) -> int:
        key = self.key(session)
        found = self.index.get(key)
        if found is not None:
            return found
        ident = len(self.nodes)
        self.index[key] = ident
        ended = session.ended
        round_id = session.history[-1][0] if ended else session.round_id
        node = _Node(parent, choice, rolls, round_id, session.ending, session.scores()["total"] if ended else None)
        self.nodes.append(node)
        if not ended:
            self.sessions[ident] = session
            self._push(ident)
        return ident

    def _seen(self, node) -> int:
        """1 when a state of this round with the same combination of the scenario's conditions was
        expanded already. A state whose combination is not worked out yet counts as novel, which is
        never more than it is: the queues hold lower bounds (see ``_next``)."""
        return int(node.signature is not None and (node.round, node.signature) in self.expanded_signatures)

    def _push(self, ident: int) -> None:
        node = self.nodes[ident]
        heapq.heappush(self.queues.setdefault(node.round, []), (self._seen(node), ident))

    def _next(self) -> tuple[int, int, int] | None:
        """The most promising state: novel combinations of the scenario's conditions first, then the
        least-visited round, then the first found (this reaches gated choices and endings long
        before the budget runs out), as (seen, visits, ident); None when no state is left.

        The visits are the round's, so each round keeps its own queue ordered by (seen, ident) and
        only the rounds' heads are compared. ``seen`` only ever grows (0 to 1), so a head whose
        flag has grown since it was queued is queued again further back; its combination of
        conditions is worked out here, the first time the state comes to the head of its queue."""
        best = None
        for round_id, queue in self.queues.items():
            while queue:
                seen, ident = queue[0]
                node = self.nodes[ident]
                if node.signature is None:
                    node.signature = self.signature(self.sessions[ident])
                now = self._seen(node)
                if now == seen:
                    break
                heapq.heapreplace(queue, (now, ident))
            if queue:
                head = (queue[0][0], self.round_visits[round_id], queue[0][1])
                best = head if best is None or head < best else best
        return best

    def run(self) -> Explorer:
        """Expand states, most promising first, until none is left or the budget is spent."""
        def start(dice):
            return Session(self.scenario, self.seed, dice=dice, narrate=False)

        for session, rolls, _ in self._outcomes(start):
            self._add(session, -1, None, rolls)
        expanded = 0
        while (best := self._next()) is not None:
            if len(self.nodes) >= self.max_states:
                break
            if self.deadline is not None and time.monotonic() > self.deadline:
                self.out_of_time = True
                break
            ident = best[2]
            node = self.nodes[ident]
            heapq.heappop(self.queues[node.round])
            self.round_visits[node.round] += 1
            self.expanded_signatures.add((node.round, node.signature))
            if not self._expand(ident):
                self.out_of_time = True
                break
            expanded += 1
            if expanded % PROGRESS_EVERY == 0:
                self._report()
        else:
            self.exhaustive = self.every_roll
        self._report()
        return self

    def _report(self) -> None:
        if self.progress:
            self.progress("states" if self.every_roll else "seeded states", min(len(self.nodes), self.max_states),
                          self.max_states)

    def _expand(self, ident) -> bool:
        """Play every open choice of a state; False when the deadline came first (the state is put
        back unexpanded, keeping the states its finished choices found)."""
        node, session = self.nodes[ident], self.sessions.pop(ident)
        node.expanded = True
        try:
            open_choices = session.open_choices()
        except EngineError as err:
            self.failures.append({"error": str(err), "choices": self.path(ident), "rolls": self.rolls(ident)})
            return True
        if not open_choices:
            self.dead_ends.append(ident)
            node.total = session.scores()["total"]
        for choice in open_choices:
            try:
                for child, rolls, _ in self._outcomes(_step(session, choice.id)):
                    if self.deadline is not None and time.monotonic() > self.deadline:
                        node.expanded = False
                        self.sessions[ident] = session
                        return False
                    self.steps += 1
                    self.taken[(node.round, choice.id)] += 1
                    node.children.add(self._add(child, ident, choice.id, rolls))
            except EngineError as err:
                self.failures.append({"error": str(err), "choices": self.path(ident) + [choice.id],
                                      "rolls": self.rolls(ident)})
        return True

    def path(self, ident: int) -> list[str]:
        return [choice for i in self._lineage(ident)[1:] if (choice := self.nodes[i].choice) is not None]

    def rolls(self, ident: int) -> list[list[int]]:
        """Roll outcomes by step (index of the alternative taken): with the choices, a full replay."""
        return [list(self.nodes[i].rolls) for i in self._lineage(ident)]

    def _lineage(self, ident: int) -> list[int]:
        out = []
        while ident >= 0:
            out.append(ident)
            ident = self.nodes[ident].parent
        return out[::-1]

    def describe(self, ident: int) -> dict:
        node = self.nodes[ident]
        out: dict[str, object] = {"round": node.round, "ending": node.ending, "total": node.total,
                                  "choices": self.path(ident)}
        out.update({"rolls": self.rolls(ident)} if self.every_roll else {"seed": self.seed})
        return out

    def findings(self) -> dict:
        """What ``explore`` reports of this search, as plain data (a forked process sends it back):
        the rounds it stood in and the choices it played, each ending's totals in the order found,
        the best and the worst ending, the first dead end found in each round, the failures."""
        nodes = self.nodes
        ends = {i: (n.ending, n.total) for i, n in enumerate(nodes) if n.ending is not None and n.total is not None}
        totals: dict[str, list[float]] = {}
        for ending, total in ends.values():
            totals.setdefault(ending, []).append(total)
        dead_ends: dict[str, dict] = {}
        for ident in self.dead_ends:
            if nodes[ident].round not in dead_ends:
                dead_ends[nodes[ident].round] = self.describe(ident)
        extremes = [self.describe(max(ends, key=lambda i: ends[i][1])),
                    self.describe(min(ends, key=lambda i: ends[i][1]))] if ends else []
        return {"states": len(nodes), "rounds": {n.round for n in nodes if n.ending is None},
                "choices": set(self.taken), "totals": totals, "extremes": extremes,
                "dead_ends": list(dead_ends.values()), "failures": self.failures}

    def trapped(self) -> set[int]:
        """Expanded states that can never reach an ending. Only a search over every roll knows
        all successors; states it left unexpanded might reach one, so they count as able."""
        if not self.every_roll:
            return set()
        parents: dict[int, list[int]] = {}
        for ident, node in enumerate(self.nodes):
            for child in node.children:
                parents.setdefault(child, []).append(ident)
        able = {i for i, n in enumerate(self.nodes) if n.ending is not None or not n.expanded}
        queue = deque(able)
        while queue:
            for parent in parents.get(queue.popleft(), ()):
                if parent not in able:
                    able.add(parent)
                    queue.append(parent)
        dead = set(self.dead_ends)
        return {i for i in range(len(self.nodes)) if i not in able and i not in dead}

    def looping(self) -> set[int]:
        """Trapped states that loop: peel away those that only lead into dead ends."""
        trapped = self.trapped()
        outgoing = {i: len(self.nodes[i].children & trapped) for i in trapped}
        parents: dict[int, list[int]] = {}
        for ident in trapped:
            for child in self.nodes[ident].children & trapped:
                parents.setdefault(child, []).append(ident)
        queue = deque(i for i, n in outgoing.items() if n == 0)
        while queue:
            ident = queue.popleft()
            trapped.discard(ident)
            for parent in parents.get(ident, ()):
                outgoing[parent] -= 1
                if outgoing[parent] == 0:
                    queue.append(parent)
        return trapped

    def cycles(self) -> list[dict]:
        """One entry per group of rounds that looping states never leave."""
        looping, out, covered = self.looping(), [], set()
        for ident in sorted(looping):
            if self.nodes[ident].round not in covered:
                loop = sorted({self.nodes[i].round for i in _closure(self.nodes, ident) if i in looping})
                covered |= set(loop)
                out.append({"rounds": loop, "entered_by": self.path(ident)})
        return out


def _pct(part: int, whole: int) -> float:
    return round(100.0 * part / whole, 1) if whole else 100.0


def _closure(nodes, start: int) -> set[int]:
    seen, queue = {start}, deque([start])
    while queue:
        for child in nodes[queue.popleft()].children:
            if child not in seen:
                seen.add(child)
                queue.append(child)
    return seen


def stuck_rounds(scenario, max_states: int = DEFAULT_MAX_STATES) -> list[dict]:
    """Rounds the search finds with no open choice though the game has not ended, one example
    path each. Only a round whose every choice has a condition can close completely, so a
    scenario without such a round is answered without searching."""
    if all(any(c.cond is None for c in r.choices) for r in scenario.rounds.values()):
        return []
    return Explorer(scenario, max_states).run().findings()["dead_ends"]


def check_stuck_rounds(library, wanted=lambda path: True) -> None:
    """E307 in the library's diagnostics for each round the search finds with every choice closed
    (autoplay and the TUI would have nothing to offer): the static check ``offramp validate`` runs."""
    for ident, scenario in library.scenarios.items():
        source = library.scenario_files[ident]
        if not wanted(source.path):
            continue
        keys = {str(k): k for k in source.data["rounds"]}
        for found in stuck_rounds(scenario):
            after = " > ".join(found["choices"]) or "the start"
            library.diagnostics.add(source.path, getattr(keys.get(found["round"]), "pos", None), codes.STUCK_ROUND,
                                    f"round {found['round']!r} can be reached with no open choice "
                                    f"(every condition false), e.g. after: {after}")


def explore(scenario, max_states: int = DEFAULT_MAX_STATES, samples: int = DEFAULT_SAMPLES, seed: int = 0,
            policies=(), progress: Progress = None, jobs: int = 1, deadline: float | None = None) -> dict:
    """Search ``scenario`` and return the findings as JSON-ready data.

    First every choice and every roll. Over budget: ``samples`` seeded runs (guided in turn by
    ``policies``, in ``jobs`` processes), then the same search with seeded rolls, extend the
    coverage. With ``jobs`` > 1 the seeded search starts at once in a forked process, beside the
    full search (it does not depend on it; it is stopped if the full search proves everything),
    so the report is the same as with one process, sooner. With a ``deadline``
    (``time.monotonic()``) the three share the time left: the full search a quarter of it (small
    scenarios finish well within that), the runs (which reach deep rounds and the choices that
    need skilful play) up to nine tenths of the rest, the seeded search what remains (beside the
    others: all of it). The runs are whole chunks of seeds, so the runs counted are always seeds
    seed, seed+1, ...
    """
    def share(part: float) -> float | None:
        return None if deadline is None else time.monotonic() + part * (deadline - time.monotonic())

    beside = jobs > 1 and parallel.can_fork()
    seeded = parallel.Background(_seeded_findings, (scenario, max_states, seed, None if beside else progress,
                                                    deadline), fork=beside)
    try:
        search = Explorer(scenario, max_states, progress=progress, deadline=share(1 / 4)).run()
        found = [search.findings()]
        sampled = None
        if not search.exhaustive:
            sampled = random_runs(scenario, samples, seed, policies=policies, progress=progress, jobs=jobs,
                                  deadline=share(0.9))
            if beside and progress:  # it reports nothing from its own process: show that it is still working
                progress("seeded states", 0, None)
            found.append(seeded.result())
            if beside and progress:
                progress("seeded states", min(found[-1]["states"], max_states), max_states)
    finally:
        seeded.cancel()

    rounds_seen, choices_seen = set(), set()
    totals: dict[str | None, list[float]] = {}
    extremes: list[dict] = []
    dead_ends: list[dict] = []
    failures: list[dict] = []
    for part in found:
        rounds_seen |= part["rounds"]
        choices_seen |= part["choices"]
        for ending_id, values in part["totals"].items():
            totals.setdefault(ending_id, []).extend(values)
        extremes += part["extremes"]
        dead_ends += [d for d in part["dead_ends"] if d["round"] not in {e["round"] for e in dead_ends}]
        failures += part["failures"]
    endings_seen = set(totals)
    if sampled:
        rounds_seen |= set(sampled["rounds_hit"])
        choices_seen |= {(r, c) for r, cs in sampled["choices"].items() for c, hits in cs.items() if hits}
        endings_seen |= set(sampled["endings"])
        for ending_id, values in sampled["totals"].items():
            totals.setdefault(ending_id, []).extend(values)
        extremes += [r for r in (sampled["best"], sampled["worst"]) if r]
        failures += sampled["failures"]

    endings: dict[str, dict] = {}
    outcomes: dict[str, dict[str, float]] = {}
    for ending_id, ending in scenario.endings.items():
        values = totals.get(ending_id, [])
        span = {"min": min(values), "max": max(values)} if values else None
        endings[ending_id] = {"outcome": ending.outcome, "reached": ending_id in endings_seen, "total": span}
        if span:
            kind = outcomes.setdefault(ending.outcome, dict(span))
            kind["min"], kind["max"] = min(kind["min"], span["min"]), max(kind["max"], span["max"])
    all_choices = [(r.id, c.id) for r in scenario.rounds.values() for c in r.choices]
    return {
        "scenario": scenario.id,
        "exhaustive": search.exhaustive,
        "states": len(search.nodes),
        "unexpanded": len(search.sessions),  # found but never played on: the search's frontier
        "steps": search.steps,
        "max_states": max_states,
        "out_of_time": search.out_of_time,
        "seeded_states": found[1]["states"] if len(found) > 1 else 0,
        "sampled": None if sampled is None else {"runs": sampled["runs"], "asked": samples, "seed": seed,
                                                 "policies": [p.id for p in policies]},
        "endings": endings,
        "outcomes": outcomes,
        "unreached": {
            "rounds": [r for r in scenario.rounds if r not in rounds_seen],
            "choices": [f"{r}/{c}" for r, c in all_choices if (r, c) not in choices_seen],
            "endings": [e for e in scenario.endings if e not in endings_seen],
        },
        "dead_ends": dead_ends,
        "cycles": search.cycles(),
        "coverage": {
            "rounds": _pct(len(rounds_seen & set(scenario.rounds)), len(scenario.rounds)),
            "choices": _pct(sum(1 for rc in all_choices if rc in choices_seen), len(all_choices)),
            "endings": _pct(len(endings_seen & set(scenario.endings)), len(scenario.endings)),
        },
        "best": max(extremes, key=lambda r: r["total"], default=None),
        "worst": min(extremes, key=lambda r: r["total"], default=None),
        "failures": failures,
    }


def _seeded_findings(scenario, max_states: int, seed: int, progress: Progress, deadline: float | None) -> dict:
    """The search with the seeded dice deciding each roll, for ``explore`` (maybe in its own process)."""
    return Explorer(scenario, max_states, every_roll=False, seed=seed, progress=progress, deadline=deadline).run() \
        .findings()


def has_problems(report: dict) -> bool:
    """What makes ``offramp explore`` exit 1."""
    unreached = report["unreached"]
    return bool(any(unreached.values()) or report["dead_ends"] or report["cycles"] or report["failures"])


def random_runs(scenario, runs: int, seed: int, step_cap: int = STEP_CAP, policies=(),
                progress: Progress = None, jobs: int = 1, deadline: float | None = None) -> dict:
    """ChoiceScript-style randomtest: seeded runs that prefer the least-used open choice.

    With ``policies`` (autoplay policies), runs take turns: least-used, then each policy
    with an occasional detour to the least-used choice, so endings that need skilful play,
    or skilful play spoiled at the last moment, are sampled too. The runs are played in fixed
    chunks of seeds (``parallel.CHUNK``), each counting its own choice uses with its own
    generator, and merged in order: ``jobs`` processes give the same report as one. Past
    ``deadline`` no new chunk starts, and ``runs`` in the report says how many were played.
    """
    hits = {r.id: {c.id: 0 for c in r.choices} for r in scenario.rounds.values()}
    endings: Counter = Counter()
    totals: dict[str | None, list[float]] = {}
    rounds_hit: set[str] = set()
    failures: list[dict] = []
    best = worst = None
    done = 0
    if progress:
        progress("runs", 0, runs)
    for part in parallel.run_chunks(_random_chunk, (scenario, seed, step_cap, tuple(policies)),
                                    parallel.chunks(seed, runs), jobs, deadline):
        for round_id, counts in part["hits"].items():
            for choice_id, n in counts.items():
                hits[round_id][choice_id] += n
        endings.update(part["endings"])
        for ending_id, values in part["totals"].items():
            totals.setdefault(ending_id, []).extend(values)
        rounds_hit |= part["rounds_hit"]
        failures += part["failures"]
        for run in part["extremes"]:  # chunks in seed order: the first of equal totals wins, as in one pass
            if best is None or run["total"] > best["total"]:
                best = run
            if worst is None or run["total"] < worst["total"]:
                worst = run
        done += part["runs"]
        if progress:
            progress("runs", done, runs)
    all_choices = [(r, c) for r, cs in hits.items() for c in cs]
    used = sum(1 for r, c in all_choices if hits[r][c])
    return {
        "scenario": scenario.id, "runs": done, "seed": seed,
        "endings": dict(endings), "totals": totals, "rounds_hit": sorted(rounds_hit),
        "choices": hits, "failures": failures, "best": best, "worst": worst,
        "coverage": {"rounds": _pct(len(rounds_hit), len(scenario.rounds)),
                     "choices": _pct(used, len(all_choices)),
                     "endings": _pct(len(endings), len(scenario.endings))},
    }


def _random_chunk(scenario, seed: int, step_cap: int, policies: tuple, seeds: range) -> dict:
    """One chunk of ``random_runs``: its own least-used counts and generator, named by its first seed."""
    guides = [None, *policies]
    hits: dict[str, Counter] = {r.id: Counter() for r in scenario.rounds.values()}
    rng = random.Random(f"random-runs:{seed}:{seeds.start}")
    endings: Counter = Counter()
    totals: dict[str | None, list[float]] = {}
    rounds_hit: set[str] = set()
    failures = []
    best = worst = None
    for run_seed in seeds:
        session = Session(scenario, run_seed, narrate=False)
        guide = guides[run_seed % len(guides)]
        try:
            while not session.ended and session.turn < step_cap:
                round_id = session.round_id
                rounds_hit.add(round_id)
                open_choices = session.open_choices()
                if not open_choices:
                    raise EngineError(f"dead end: no open choice in round {round_id!r}")
                counts = hits[round_id]
                played = [counts.get(c.id, 0) for c in open_choices]  # get: a Counter's miss is a Python call
                fewest = min(played)
                if guide is None or not fewest or rng.random() < DETOUR:  # a choice never played goes first
                    pick = rng.choice([c for c, n in zip(open_choices, played, strict=True) if n == fewest])
                else:
                    pick = guide.pick(open_choices, rng)
                counts[pick.id] += 1
                session.choose(pick.id)
            if not session.ended:
                raise EngineError(f"no ending after {step_cap} choices (stuck in a loop?)")
        except EngineError as err:
            failures.append({"seed": run_seed, "error": str(err), "choices": [c for _, c in session.history]})
            continue
        endings[session.ending] += 1
        total = session.scores()["total"]
        totals.setdefault(session.ending, []).append(total)
        if best is None or total > best["total"] or worst is None or total < worst["total"]:
            run: Extreme = {"total": total, "ending": session.ending, "seed": run_seed,
                            "choices": [c for _, c in session.history]}
            if best is None or total > best["total"]:
                best = run
            if worst is None or total < worst["total"]:
                worst = run
    return {"runs": len(seeds), "hits": hits, "endings": endings, "totals": totals, "rounds_hit": rounds_hit,
            "failures": failures, "extremes": [r for r in (best, worst) if r is not None]}


def reproduce(scenario_id: str, failure: dict) -> str:
    """The command line that replays a failing run."""
    choices = " ".join(f"--choose {c}" for c in failure["choices"])
    seed = f" --seed {failure['seed']}" if "seed" in failure else ""
    return f"offramp run {scenario_id}{seed} {choices}".rstrip()
