"""Policy-driven autoplay: play a scenario many times to compare strategies."""
from __future__ import annotations

import random
from collections import Counter

from ..engine.session import EngineError, Session
from ..engine.spec import OUTCOMES
from . import parallel


def play(scenario, policy, seed: int, max_steps: int = 500, narrate: bool = False) -> Session:
    """One playthrough. The policy's tie-breaks use their own generator so they never
    disturb the session's dice: the same seed gives the same persona behaviour. Without
    narration (the default) the game is the same but keeps no beats or event log."""
    session = Session(scenario, seed, narrate=narrate)
    rng = random.Random(f"policy:{policy.id}:{seed}")
    for _ in range(max_steps):
        if session.ended:
            break
        session.choose(policy.pick(session.playable_choices(), rng).id)
    return session


def _games(scenario, policy, seeds) -> tuple[list, list]:
    """(runs, failures) of some seeds, in seed order."""
    runs, failures = [], []
    for seed in seeds:
        try:
            session = play(scenario, policy, seed)
        except EngineError as err:
            failures.append({"seed": seed, "error": str(err)})
            continue
        runs.append({"seed": seed, "ending": session.ending, "outcome": session.outcome,
                     "scores": session.scores(), "choices": [c for _, c in session.history]})
    return runs, failures


def run(scenario, policy, seeds, progress=None, jobs: int = 1) -> dict:
    """Play every seed; ``progress(what, done, total)``, if given, hears how far it got. A seed whose
    game fails (E400, a stuck round) is listed under ``failures``. ``jobs`` processes share the
    seeds; each game depends on its seed alone, so the result is the same for any number."""
    runs, failures = [], []
    seeds = list(seeds)
    work = [seeds[i:i + parallel.CHUNK] for i in range(0, len(seeds), parallel.CHUNK)]
    if progress:
        progress("games", 0, len(seeds))
    for chunk_runs, chunk_failures in parallel.run_chunks(_games, (scenario, policy), work, jobs):
        runs += chunk_runs
        failures += chunk_failures
        if progress:
            progress("games", len(runs) + len(failures), len(seeds))
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
