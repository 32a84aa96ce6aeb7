"""Policy-driven autoplay: play a scenario many times to compare strategies."""
from __future__ import annotations

import random
from collections import Counter

from ..engine.session import EngineError, Session
from ..engine.spec import MOVE_KINDS, OUTCOMES


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


def run(scenario, policy, seeds, progress=None) -> dict:
    """Play every seed; ``progress(what, done, total)``, if given, hears how far it got. A seed whose
    game fails (E400, a stuck round) is listed under ``failures``."""
    runs, failures = [], []
    kinds = {move.id: move.kind for actor in scenario.actors for move in actor.moves}
    for done, seed in enumerate(seeds):
        if progress and done % 100 == 0:
            progress("games", done, len(seeds))
        try:
            session = play(scenario, policy, seed)
        except EngineError as err:
            failures.append({"seed": seed, "error": str(err)})
            continue
        runs.append({"seed": seed, "ending": session.ending, "outcome": session.outcome,
                     "scores": session.scores(), "choices": [c for _, c in session.history],
                     "moves": _by_kind(session.move_counts, kinds)})
    count = len(runs) or 1
    keys = runs[0]["scores"] if runs else Session(scenario, 0, narrate=False).scores()  # the story's skills
    mean = {key: round(sum(r["scores"][key] for r in runs) / count, 2) for key in keys}
    outcomes = Counter(r["outcome"] for r in runs)
    moves: Counter = Counter()
    for r in runs:
        moves.update(r["moves"])
    return {"scenario": scenario.id, "policy": policy.id, "runs": runs, "mean": mean,
            "outcomes": {kind: outcomes.get(kind, 0) for kind in OUTCOMES},
            "moves": {kind: moves[kind] for kind in MOVE_KINDS if moves[kind]}, "failures": failures}


def _by_kind(move_counts: Counter, kinds: dict[str, str]) -> dict[str, int]:
    """The cast's moves in one game by kind (escalation, feint, ...): what a persona or a trait changes.
    A round's premise counts as the move it is about."""
    counts: Counter = Counter()
    for move, times in move_counts.items():
        counts[kinds.get(move, "other")] += times
    return dict(counts)


def parse_seeds(text: str) -> range:
    """'1-200' or '7' -> a range of seeds."""
    first, _, last = text.partition("-")
    start = int(first)
    end = int(last) if last else start
    if end < start:
        raise ValueError(f"seed range {text!r} runs backwards")
    return range(start, end + 1)
