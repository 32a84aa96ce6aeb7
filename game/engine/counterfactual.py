"""Missed opportunities by counterfactual: what a different decision would really have changed.

For each decision the trainee made, the game is forked at that moment and played on twice over
several dice seeds by the same policy (a sound player, usually the doctrine's): once from the
choice the trainee took, once from each other open choice. Comparing the two sets of games
isolates that one decision: "walking out here ends in a well-timed walk-away in 9 of 10 games".
"""
from __future__ import annotations

import random
from collections import Counter
from typing import Any

from .model import Policy
from .session import Dice, Session

MIN_GAIN = 15.0  # points of mean total an alternative must add to be worth reporting
MAX_STEPS = 200  # a policy that never ends a looping scenario stops here


Game = tuple[str, float]  # (outcome kind, or "unfinished"; total)


def _play_on(session: Session, first_choice: str, policy: Policy, seed: int) -> Game:
    """Take ``first_choice`` in a silent fork with its own dice, then let ``policy`` finish the game."""
    twin = session.fork(dice=Dice(seed))
    twin.narrate = False
    rng = random.Random(f"what-if:{policy.id}:{seed}")
    twin.choose(first_choice)
    for _ in range(MAX_STEPS):
        if twin.ended:
            break
        twin.choose(policy.pick(twin.choices(), rng).id)
    return twin.outcome or "unfinished", float(twin.scores()["total"])


def _mean(games: list[Game]) -> float:
    return sum(t for _, t in games) / len(games)


def counterfactuals(session: Session, policy: Policy, seeds: int = 8, limit: int = 3,
                    scout: int = 2) -> list[dict[str, Any]]:
    """The decisions whose best alternative would have raised the mean total most, best first.
    Every alternative is scouted over ``scout`` seeds; the most promising one and the trainee's own
    choice are then played over ``seeds`` seeds each, which is what the report quotes."""
    scenario = session.scenario
    replay = Session(scenario, session.seed, narrate=False)
    found = []
    for step in session.steps:
        others = [c.id for c in replay.choices() if c.id != step["choice"]]
        if others:
            base = session.seed * 1009
            scouted = {c: _mean([_play_on(replay, c, policy, base + k) for k in range(scout)]) for c in others}
            best_id = max(others, key=scouted.__getitem__)
            games = [_play_on(replay, best_id, policy, base + k) for k in range(seeds)]
            taken = [_play_on(replay, step["choice"], policy, base + k) for k in range(seeds)]
            mean, taken_mean = _mean(games), _mean(taken)
            if mean - taken_mean >= MIN_GAIN:
                found.append(_report(replay, step, best_id, games, taken, mean, taken_mean))
        replay.choose(step["choice"])
        if replay.ended:
            break
    found.sort(key=lambda f: f["taken_mean_total"] - f["mean_total"])
    return sorted(found[:limit], key=lambda f: f["turn"])


def _report(replay: Session, step: dict[str, Any], best_id: str, games: list[Game], taken: list[Game],
            mean: float, taken_mean: float) -> dict[str, Any]:
    scenario = replay.scenario
    round_ = scenario.rounds[step["round"]]
    usual, count = Counter(o for o, _ in games).most_common(1)[0]
    ends = scenario.outcomes[usual].title.lower() if usual in scenario.outcomes else "no ending"
    best_text = replay.render(round_.by_id[best_id].text)
    return {
        "turn": step["turn"], "round": step["round"], "taken": step["choice"], "best": best_id,
        "taken_text": replay.render(round_.by_id[step["choice"]].text), "best_text": best_text,
        "outcome": usual, "count": count, "games": len(games),
        "mean_total": round(mean, 1), "taken_mean_total": round(taken_mean, 1),
        "taken_outcomes": dict(Counter(o for o, _ in taken)),
        "text": (f"Taking \u201c{_short(best_text)}\u201d here ends in {ends} "
                 f"in {count} of {len(games)} games, for a mean total of {mean:.0f} against {taken_mean:.0f} "
                 f"for what you chose, played on the same way."),
    }


def _short(text: str, words: int = 14) -> str:
    parts = text.split()
    return text if len(parts) <= words else " ".join(parts[:words]) + "\u2026"
