"""Does the score measure judgement? Policies that play with only a trainee's eyes.

A trainee in assessment mode sees the rendered text of each open choice, in the
order the screen shows them, and nothing else: no ids, no tags, no coach. The
policies here see exactly that and pick by a surface cue (position, length, a
reassuring word). If any of them scores near the doctrine policy, the game has
an answer key that is not judgement. The module also measures the other leaks
issue 12 names: whether walking out of a feint beats signing it, whether a
greedy policy that grabs the most immediate points beats doctrine, and how much
of the score tag counts alone explain.
"""
from __future__ import annotations

import random
from dataclasses import dataclass, field

from ..engine.rating import rate
from ..engine.session import Session

# Words a layperson reads as sensible, calm or constructive, and words that sound
# rash or cruel. The heuristic takes the choice whose text scores best on them.
_CALM = ("ask", "how", "what", "understand", "sounds like", "seems", "feel", "listen", "monitor", "phased",
         "guarantee", "mediator", "verify", "check", "step", "condition", "if ", "approved", "together",
         "both", "help", "exit", "face", "quietly", "privately", "calm", "propose", "offer", "trust")
_RASH = ("liar", "criminal", "war criminal", "surrender", "tribunal", "strike", "tonight", "every",
         "never", "whatever", "tear", "insist", "demand", "no conditions", "lecture", "at once", "lift",
         "punish", "humiliat", "cameras", "press")


def keyword_score(text: str) -> int:
    lowered = text.lower()
    return sum(lowered.count(w) for w in _CALM) - 2 * sum(lowered.count(w) for w in _RASH)


def _first(texts, rng):
    return 0


def _last(texts, rng):
    return len(texts) - 1


def _longest(texts, rng):
    return max(range(len(texts)), key=lambda i: len(texts[i]))


def _shortest(texts, rng):
    return min(range(len(texts)), key=lambda i: len(texts[i]))


def _uniform(texts, rng):
    return rng.randrange(len(texts))


def _keywords(texts, rng):
    return max(range(len(texts)), key=lambda i: keyword_score(texts[i]))


# name -> (texts in display order, rng) -> index of the displayed choice to take
HEURISTICS = {"first": _first, "last": _last, "longest": _longest, "shortest": _shortest,
              "random": _uniform, "keywords": _keywords}


def trainee_view(session: Session) -> list[str]:
    """What an assessment-mode screen shows of the open choices: their text, in display order."""
    return [session.render(choice.text) for choice in session.choices()]


def play_heuristic(scenario, name: str, seed: int, max_steps: int = 500) -> Session:
    """One game where each choice is picked by a heuristic reading only the trainee's view."""
    heuristic = HEURISTICS[name]
    session = Session(scenario, seed, narrate=False)
    rng = random.Random(f"heuristic:{name}:{seed}")
    for _ in range(max_steps):
        if session.ended:
            break
        choices = session.choices()
        session.choose(choices[heuristic(trainee_view(session), rng)].id)
    return session


def play_greedy(scenario, seed: int, max_steps: int = 500) -> Session:
    """Takes the choice that the scoring rules reward most right now (ties: the first shown)."""
    session = Session(scenario, seed, narrate=False)
    for _ in range(max_steps):
        if session.ended:
            break
        values, counts = session.variables(), dict(session.tag_counts)
        choices = session.choices()
        best = max(choices, key=lambda c: rate(scenario, c, values, counts)[0])
        session.choose(best.id)
    return session


def good_ending(session: Session) -> bool:
    """A durable settlement, or a walk-away the ending did not mark as mistimed."""
    if session.outcome == "durable_settlement":
        return True
    if session.outcome != "walk_away":
        return False
    return session.scores()["outcome"] >= session.scenario.outcomes["walk_away"].points


@dataclass(frozen=True)
class Summary:
    policy: str
    mean_total: float
    good: int
    games: int


def summarise(policy: str, sessions) -> Summary:
    sessions = list(sessions)
    total = sum(s.scores()["total"] for s in sessions)
    return Summary(policy, round(total / max(len(sessions), 1), 1), sum(good_ending(s) for s in sessions),
                   len(sessions))


def doctrine_games(scenario, policy, seeds) -> list[Session]:
    from .autoplay import play
    return [play(scenario, policy, seed) for seed in seeds]


def table(scenario, doctrine_policy, seeds) -> list[Summary]:
    """Doctrine first, then each heuristic and the greedy policy, over the same seeds."""
    rows = [summarise("doctrine", doctrine_games(scenario, doctrine_policy, seeds))]
    for name in HEURISTICS:
        rows.append(summarise(name, (play_heuristic(scenario, name, seed) for seed in seeds)))
    rows.append(summarise("greedy", (play_greedy(scenario, seed) for seed in seeds)))
    return rows


# -- the last decision: sign or walk out --

SIGNED = ("durable_settlement", "fragile_ceasefire")


@dataclass(frozen=True)
class Fork:
    """A moment where signing and walking out were both open, and what each scored from there."""

    seed: int
    round: str
    turn: int
    values: dict = field(repr=False)
    sign: dict  # choice id -> total
    walk: dict  # choice id -> total


def sign_or_walk_moments(scenario, sessions_to_follow, seeds) -> list[Fork]:
    """Replays games and forks every moment at which some open choice signs and another walks out.

    ``sessions_to_follow`` maps a seed to the list of choice ids a game took; each prefix
    of it is forked once per open choice, and the ending the fork reaches classifies it.
    """
    forks = []
    for seed in seeds:
        session = Session(scenario, seed, narrate=False)
        for choice_id in sessions_to_follow(seed):
            sign, walk = {}, {}
            for choice in session.choices():
                twin = session.fork()
                twin.choose(choice.id)
                if twin.ended and twin.outcome in SIGNED:
                    sign[choice.id] = twin.scores()["total"]
                elif twin.ended and twin.outcome == "walk_away":
                    walk[choice.id] = twin.scores()["total"]
            if sign and walk:
                forks.append(Fork(seed, session.round_id, session.turn, dict(session.values.items())
                                  | {k: session.values[k] for k in scenario.derived}, sign, walk))
            session.choose(choice_id)
            if session.ended:
                break
    return forks


# -- how much do tag counts alone explain? --

def tag_variance_share(scenario, seeds) -> float:
    """R^2 of a least-squares fit of the total on the tag counts of uniformly random games."""
    rows, totals = [], []
    tags = sorted(scenario.tactics)
    for seed in seeds:
        session = play_heuristic(scenario, "random", seed)
        rows.append([1.0] + [float(session.tag_counts.get(t, 0)) for t in tags])
        totals.append(session.scores()["total"])
    return r_squared(rows, totals)


def r_squared(rows: list[list[float]], ys: list[float]) -> float:
    """Share of the variance of ``ys`` explained by a least-squares fit on ``rows``.

    Modified Gram-Schmidt: each column is made orthogonal to those before it, and a
    column that is (nearly) a combination of earlier ones is dropped, so repeated or
    constant tag columns need no special care. The fitted values are the projection
    of ``ys`` onto the span of the columns kept.
    """
    n = len(ys)
    mean = sum(ys) / n
    total = sum((y - mean) ** 2 for y in ys)
    if total == 0:
        return 0.0
    basis: list[list[float]] = []
    for j in range(len(rows[0])):
        column = [row[j] for row in rows]
        scale = max(abs(v) for v in column) or 1.0
        for q in basis:
            dot = sum(a * b for a, b in zip(q, column, strict=True))
            column = [a - dot * b for a, b in zip(column, q, strict=True)]
        norm = sum(v * v for v in column) ** 0.5
        if norm > 1e-9 * scale * n ** 0.5:
            basis.append([v / norm for v in column])
    fitted = [0.0] * n
    for q in basis:
        dot = sum(a * b for a, b in zip(q, ys, strict=True))
        fitted = [f + dot * b for f, b in zip(fitted, q, strict=True)]
    residual = sum((y - f) ** 2 for y, f in zip(ys, fitted, strict=True))
    return 1.0 - residual / total

