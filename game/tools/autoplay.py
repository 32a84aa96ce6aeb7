"""Policy-driven autoplay: play a scenario many times to compare strategies.

A policy is either a story policy (``kind: policy``: it weights tactic tags and picks choices)
or a ``Lines`` policy, which speaks lines of a text file in the trainee's own words and lets the
free-text reader decide which move each one makes, as it would for a trainee.
"""
from __future__ import annotations

import random
from collections import Counter
from pathlib import Path

from ..engine.session import EngineError, Session
from ..engine.spec import MOVE_KINDS, OUTCOMES
from ..errors import OfframpError
from . import parallel


class NoLineFits(OfframpError):
    """No line of a ``Lines`` policy makes a move open in the round: the game cannot go on."""


class Lines:
    """Speaks lines from a file. Each turn it says the next line that makes an open move, reading
    on from the line it said last and wrapping round to the top, so a script of one line a round
    plays straight through and a round that comes back finds its line again."""

    def __init__(self, path: Path | str, lines: list[str], reader):
        if not lines:
            raise ValueError("a lines policy needs at least one line")
        self.id = f"lines:{Path(path).name}"
        self.path, self.lines, self.reader = str(path), lines, reader
        self._readings: dict[tuple[str, str], list[tuple[str, float]]] = {}  # (line, last words) -> readings

    @classmethod
    def parse(cls, path: Path | str, text: str, reader) -> Lines:
        """One line to say per line of ``text``; blank lines and lines starting with ``#`` are skipped."""
        from ..text_safety import clean

        lines = [" ".join(clean(line).split()) for line in text.splitlines()]
        return cls(path, [line for line in lines if line and not line.startswith("#")], reader)

    def readings(self, line: str, context: str) -> list[tuple[str, float]]:
        key = (line, context)
        if key not in self._readings:  # games over many seeds meet the same words again and again
            self._readings[key] = [(r.tag, r.confidence) for r in self.reader.read(line, context)]
        return self._readings[key]

    def say_next(self, session: Session, position: int) -> int:
        """Say the first line from ``position`` on (wrapping) that makes an open move; returns
        the position after it. NoLineFits when none does."""
        count = len(self.lines)
        for step in range(count):
            index = (position + step) % count
            line = self.lines[index]
            if session.say(line, self.readings(line, session.last_words())).choice is not None:
                return index + 1
        raise NoLineFits(f"in round {session.round_id!r} none of the {count} line(s) of {self.path} "
                         "makes an open move")


def play(scenario, policy, seed: int, max_steps: int = 500, narrate: bool = False) -> Session:
    """One playthrough. The policy's tie-breaks use their own generator so they never
    disturb the session's dice: the same seed gives the same persona behaviour. Without
    narration (the default) the game is the same but keeps no beats or event log; a
    ``Lines`` policy always narrates, since a mirror is read against the last words said."""
    speaking = isinstance(policy, Lines)
    session = Session(scenario, seed, narrate=narrate or speaking)
    rng = random.Random(f"policy:{policy.id}:{seed}")
    position = 0
    for _ in range(max_steps):
        if session.ended:
            break
        if speaking:
            position = policy.say_next(session, position)
        else:
            session.choose(policy.pick(session.playable_choices(), rng).id)
    return session


def _games(scenario, policy, seeds) -> tuple[list, list]:
    """(runs, failures) of some seeds, in seed order."""
    runs, failures = [], []
    kinds = {move.id: move.kind for actor in scenario.actors for move in actor.moves}
    for seed in seeds:
        try:
            session = play(scenario, policy, seed)
        except (EngineError, NoLineFits) as err:
            failures.append({"seed": seed, "error": str(err)})
            continue
        runs.append({"seed": seed, "ending": session.ending, "outcome": session.outcome,
                     "scores": session.scores(), "choices": [c for _, c in session.history],
                     "moves": _by_kind(session.move_counts, kinds)})
        if session.state.said:
            runs[-1]["said"] = session.state.said
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
