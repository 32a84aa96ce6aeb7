"""Policy-driven autoplay: play a scenario many times to compare strategies."""
from __future__ import annotations

import random
from collections import Counter

from ..engine.session import EngineError, Session
from ..engine.spec import OUTCOMES


def pick(policy, choices, rng: random.Random):
    """The open choice with the best weighted tags; ties (and the random policy) use ``rng``."""
    if policy.random:
        return rng.choice(choices)
    weights = [policy.weight(c.tags) for c in choices]
    best = max(weights)
    return rng.choice([c for c, w in zip(choices, weights, strict=True) if w == best])


def play(scenario, policy, seed: int, max_steps: int = 500, narrate: bool = False) -> Session:
    """One playthrough. The policy's tie-breaks use their own generator so they never
    disturb the session's dice: the same seed gives the same persona behaviour. Without
    narration (the default) the game is the same but keeps no beats or event log."""
    session = Session(scenario, seed, narrate=narrate)
    rng = random.Random(f"policy:{policy.id}:{seed}")
    for _ in range(max_steps):
        if session.ended:
            break
        session.choose(pick(policy, session.playable_choices(), rng).id)
    return session


def run(scenario, policy, seeds, progress=None) -> dict:
    """Play every seed; ``progress(what, done, total)``, if given, hears how far it got. A seed whose
    game fails (E400, a stuck round) is listed under ``failures``."""
    runs, failures = [], []
    for done, seed in enumerate(seeds):
        if progress and done % 100 == 0:
            progress("games", done, len(seeds))
        try:
            session = play(scenario, policy, seed)
        except EngineError as err:
            failures.append({"seed": seed, "error": str(err)})
            continue
        runs.append({"seed": seed, "ending": session.ending, "outcome": session.outcome,
                     "scores": session.scores(), "choices": [c for _, c in session.history]})
    count = len(runs) or 1
    keys = runs[0]["scores"] if runs else Session(scenario, 0, narrate=False).scores()  # the story's skills
    mean = {key: round(sum(r["scores"][key] for r in runs) / count, 2) for key in keys}
    outcomes = Counter(r["outcome"] for r in runs)
    return {"scenario": scenario.id, "policy": policy.id, "runs": runs, "mean": mean,
            "outcomes": {kind: outcomes.get(kind, 0) for kind in OUTCOMES}, "failures": failures}


def parse_seeds(text: str) -> range:
    """'1-200' or '7' -> a range of seeds."""
    first, _, last = text.partition("-")
    start = int(first)
    end = int(last) if last else start
    if end < start:
        raise ValueError(f"seed range {text!r} runs backwards")
    return range(start, end + 1)
