"""The headless game: one trainee's session over a compiled scenario.

Like ink's split of Story and StoryState, the compiled ``Scenario`` is shared and
immutable while a ``Session`` holds only what changes: the current round, the
variables, the dice, the log. Same scenario, seed and choices give the same game.
"""
from __future__ import annotations

import copy
import random
from collections import Counter
from dataclasses import asdict, dataclass

from ..errors import OfframpError
from . import codes
from .expr import ExprRuntimeError, runtime_error
from .machine import CATASTROPHE, INTERRUPT, RouteError, fire
from .rating import SKILLS, available
from .tags import any_match, count_matching
from .text import show
from .values import Env

SNAPSHOT_FORMAT = 1
SCORED = ("empathy", "brinkmanship", "offramps")


class ChoiceError(OfframpError, ValueError):
    """The trainee or a script asked for a choice that is not open now."""


class EngineError(OfframpError, RuntimeError):
    """An expression failed while playing (E400): a story bug, reported without a traceback."""

    code = codes.EXPRESSION_FAILED


class SnapshotError(OfframpError, ValueError):
    """A snapshot that does not fit this scenario or is malformed."""


class Dice:
    """Seeded randomness. Certain outcomes (p <= 0 or p >= 1) draw nothing, so the
    explorer can swap in a dice that enumerates only real branches."""

    def __init__(self, seed: int = 0):
        self.seed = seed
        self._random = random.Random(seed)
        self.draws = 0

    def chance(self, p: float) -> bool:
        if p <= 0:
            return False
        if p >= 1:
            return True
        self.draws += 1
        return self._random.random() < p

    def pick(self, weights: list[float]) -> int:
        if len(weights) == 1:
            return 0
        self.draws += 1
        point = self._random.random() * sum(weights)
        for index, weight in enumerate(weights):
            point -= weight
            if point < 0:
                return index
        return len(weights) - 1

    def fast_forward(self, draws: int) -> None:
        for _ in range(draws):
            self._random.random()
        self.draws = draws


@dataclass(slots=True)
class Beat:
    """One piece of the narrative log: who speaks, what kind of beat, the text."""

    kind: str  # round, narration, line, you, reaction, move, coach, event, ending
    speaker: str
    name: str
    role: str
    text: str
    round: str
    turn: int


class Session:
    def __init__(self, scenario, seed: int = 0, dice=None, narrate: bool = True):
        """``narrate=False`` keeps no beats and no event log: the same game, for autoplay and exploration."""
        self.scenario = scenario
        self.seed = seed
        self.narrate = narrate
        self.dice = dice if dice is not None else Dice(seed)
        self.state = _Position(scenario.start)
        self.values = Env({name: var.initial for name, var in scenario.vars.items()})
        self.values.update(scenario.constants)
        self.values.derived = scenario.derived
        self.values.ctx = self
        self.revealed = {name for name, var in scenario.vars.items() if var.visible}
        self.history: list[tuple[str, str]] = []
        self.tag_counts: Counter = Counter()
        self.move_counts: Counter = Counter()
        self.last_moves: dict[str, str] = {}  # actor id -> the move it made last
        self.current_tags: tuple[str, ...] = ()
        self.log: list[dict] = []
        self.beats: list[Beat] = []
        self.ledger: list[dict] = []
        self.steps: list[dict] = []
        self.ending: str | None = None
        self._step_start: dict | None = None
        self._par = None
        self._enter(scenario.start)

    # -- expression context: what has(), count() and chance() see --
    def has(self, tag: str) -> bool:
        return any_match(tag, self.current_tags)

    def count(self, tag: str) -> int:
        return count_matching(tag, self.tag_counts)

    def chance(self, p: float) -> bool:
        return self.dice.chance(p)

    # -- reading the session --
    @property
    def round_id(self) -> str:
        return self.state.state

    @property
    def round(self):
        return self.scenario.rounds.get(self.state.state)

    @property
    def ended(self) -> bool:
        return self.ending is not None

    @property
    def turn(self) -> int:
        return len(self.history)

    def _open(self, choice) -> bool:
        if choice.cond is None:
            return True
        self.current_tags = choice.tags
        try:
            return bool(self._eval(choice.cond, ("the condition of choice", choice.id)))
        finally:
            self.current_tags = ()

    def choices(self) -> list:
        """The choices open now (empty once the session has ended)."""
        if self.ending is not None:
            return []
        return [c for c in self.round.choices if self._open(c)]

    def closed_choices(self) -> list[tuple[object, str]]:
        """Choices of this round that are closed now, with the condition that closes them."""
        if self.ending is not None:
            return []
        return [(c, f"needs {c.cond.source}") for c in self.round.choices if not self._open(c)]

    def render(self, template) -> str:
        def lookup(name):
            if name in self.scenario.speakers:
                return self.scenario.speakers[name]
            return show(self.values[name])
        return template.render(lookup)

    def visible_state(self) -> dict:
        """What the trainee may see: visible variables plus those intelligence revealed."""
        return {n: self.values[n] for n in self.scenario.vars if n in self.revealed}

    def hidden_state(self) -> dict:
        return {n: self.values[n] for n in self.scenario.vars if n not in self.revealed}

    def variables(self) -> dict:
        return {n: self.values[n] for n in self.scenario.vars}

    def holds(self, condition) -> bool | None:
        """Whether one of the scenario's compiled conditions is true now, or None when it fails
        to evaluate: for tools that watch the state, such as the explorer. Logs nothing."""
        try:
            return bool(condition(self.values, self))
        except ExprRuntimeError:
            return None

    def scores(self) -> dict:
        """Each skill 0-100: the share of the points on offer at each step that the trainee took.
        Discipline is the (negative) sum of penalties, outcome the ending's points. The total is
        the mean of the three skills plus both, so how it ended weighs as much as how it was played."""
        earned = {"empathy": 0.0, "brinkmanship": 0.0, "offramps": 0.0, "discipline": 0.0, "outcome": 0.0}
        for entry in self.ledger:
            if entry["skill"] in earned:
                earned[entry["skill"]] += entry["points"]
        totals = dict(earned)
        par = self.points_available()
        for skill in SKILLS:
            share = 100.0 * earned[skill] / par[skill] if par[skill] > 0 else 0.0
            totals[skill] = min(max(share, 0.0), 100.0)
        totals["discipline"] = min(max(earned["discipline"], -100.0), 0.0)
        mean = sum(totals[skill] for skill in SKILLS) / len(SKILLS)
        totals["total"] = mean + totals["discipline"] + totals["outcome"]
        return {k: round(v, 1) for k, v in totals.items()}

    def points_available(self) -> dict:
        """Per skill, the most points an open choice offered, summed over the steps so far."""
        if self._par is None or self._par[0] != len(self.steps):
            self._par = (len(self.steps), available(self.scenario, self.steps))
        return self._par[1]

    @property
    def outcome(self) -> str | None:
        return self.scenario.endings[self.ending].outcome if self.ending else None

    # -- playing --
    def choose(self, choice_id: str) -> list[Beat]:
        """Make a choice by id; returns the beats it produced."""
        if self.ending is not None:
            raise ChoiceError("the session has ended; no choice is open")
        round_ = self.round
        choice = round_.by_id.get(choice_id)
        if choice is None or not self._open(choice):
            open_ids = ", ".join(c.id for c in self.choices()) or "none"
            what = "is not open now" if choice is not None else f"does not exist in round {round_.id!r}"
            raise ChoiceError(f"choice {choice_id!r} {what}; open choices: {open_ids}")
        first_beat = len(self.beats)
        open_ids = [c.id for c in round_.choices if self._open(c)]
        before = self.variables()
        counts = dict(self.tag_counts)
        self._step_start = before
        turn = self.turn + 1
        self.history.append((round_.id, choice.id))
        self._log("choice", round=round_.id, choice=choice.id, tags=list(choice.tags))
        self._beat("you", "you", choice.say or choice.text)

        self.current_tags = choice.tags
        try:
            self._score(choice, round_.id)
            self._effects(choice.effects, ("choice", choice.id))
            self._issues(choice)
            for name in choice.reveals:
                if name not in self.revealed:
                    self.revealed.add(name)
                    self._log("reveal", name=name, value=self.values[name])
            self._react(choice)
            self._effects(self.scenario.each_round, "each_round")
        finally:
            self.current_tags = ()
        self.tag_counts.update(choice.tags)
        self.values["turn"] = turn
        self._advance(choice)
        self.steps.append({"turn": turn, "round": round_.id, "choice": choice.id,
                           "open": open_ids,
                           "before": before, "after": self.variables(), "counts": counts})
        self._step_start = None
        return self.beats[first_beat:]

    def _score(self, choice, round_id) -> None:
        for tag in choice.tags:
            tactic = self.scenario.tactics[tag]
            for rule in self.scenario.scoring.get(tag, ()):
                if rule.cond is None or self._eval(rule.cond, ("a scoring rule of", tag)):
                    self.ledger.append({"turn": self.turn, "round": round_id, "choice": choice.id, "tag": tag,
                                        "skill": rule.skill or tactic.skill, "points": rule.points,
                                        "why": rule.why, "concept": tactic.concept})
                    break

    def _issues(self, choice) -> None:
        for field, builtin, verb in (("concedes", "conceded_indivisible", "conceded"),
                                     ("splits", "split_indivisible", "offered to split")):
            for name in getattr(choice, field):
                issue = self.scenario.issues[name]
                if not issue.divisible:
                    self.values[builtin] += 1
                self._log("issue", issue=name, action=field, indivisible=not issue.divisible)
                if not issue.divisible:
                    self._beat("event", "narrator", f"You {verb} {issue.label}, which cannot be divided.")

    def _react(self, choice) -> None:
        spoken = set()
        present = self.round.present
        for tag in choice.tags:
            for actor, reactions in self.scenario.reactions_by_tag.get(tag, ()):
                absent = actor.role != "board" and present is not None and actor.role not in present
                for reaction in reactions:
                    if absent and not reaction.overhears:
                        continue  # he was not in the room: he cannot answer what was said there
                    where = ("reaction", reaction.id, "of", actor.id)
                    if reaction.cond is not None and not self._eval(reaction.cond, where):
                        continue
                    if reaction.chance is not None:
                        p = self._eval(reaction.chance, where)
                        hit = self.dice.chance(p)
                        if self.narrate:
                            self._log("roll", what=_describe(where), p=round(p, 3), hit=hit)
                        if not hit:
                            continue
                    changes = self._apply(reaction.effects, where)
                    self._log("reaction", actor=actor.id, reaction=reaction.id, tag=tag, why=reaction.why,
                              concept=reaction.concept, changes=changes)
                    if self.narrate and actor.role != "board" and actor.id not in spoken:
                        text = self._variant(reaction.lines, where)
                        if text:
                            spoken.add(actor.id)
                            self._beat(*(("event", "narrator") if absent else ("reaction", actor.role)), text)
                    break

    def _advance(self, choice) -> None:
        scenario, machine = self.scenario, self.scenario.machine
        if scenario.catastrophe and scenario.catastrophe_risk is not None:
            p = self._eval(scenario.catastrophe_risk, "the rules' catastrophe risk")
            if p > 0:
                hit = self.dice.chance(p)
                self._log("roll", what="catastrophe", p=round(p, 3), hit=hit)
                if hit and fire(machine, CATASTROPHE, self.state, self.values, self):
                    return self._arrive(via="catastrophe")
        if self._trigger_due() and self._fire(INTERRUPT):
            return self._arrive(via="trigger")
        if not self._fire(choice.id):
            raise EngineError(f"{codes.EXPRESSION_FAILED}: no route out of choice {choice.id!r} matched")
        return self._arrive(via=choice.id)

    def _trigger_due(self) -> bool:
        """Whether some scenario trigger holds; checked first so the machine is only asked when one does."""
        return any(cond is None or self._eval(cond, "a trigger") for cond, _ in self.scenario.triggers)

    def _fire(self, trigger) -> bool:
        try:
            return fire(self.scenario.machine, trigger, self.state, self.values, self)
        except RouteError as err:
            raise _failure(err.origin, err, ("routing", trigger)) from None

    def _arrive(self, via: str) -> None:
        target = self.state.state
        if target in self.scenario.endings:
            self._finish(target, via)
        else:
            self._enter(target)

    def _enter(self, round_id: str) -> None:
        round_ = self.scenario.rounds[round_id]
        self._log("enter", round=round_id)
        self._effects(round_.on_enter, ("on_enter of round", round_id))
        if round_.on_enter and self._trigger_due() and self._fire(INTERRUPT):
            return self._finish(self.state.state, "trigger")  # the shock itself ended the talks
        self._beat("round", "narrator", round_.title)
        first_move = len(self.beats)
        self.move_counts.update(round_.premise)  # what the round is about is not announced again
        if round_.moves:
            self._persona_moves()
        self._beat("narration", "narrator", round_.text)  # after his moves: its numbers are the panel's
        if self.narrate:
            self.beats.insert(first_move, self.beats.pop())
        for line in round_.lines if self.narrate else ():
            if line.cond is None or self._eval(line.cond, ("a line of round", round_id)):
                self._beat("line", line.speaker, line.text)

    def _persona_moves(self) -> None:
        """Each persona may act once as a round opens: many stakeholders, each with an agenda."""
        premise = self.round.premise
        for actor in self.scenario.actors:
            if not actor.moves or actor.move_chance is None:
                continue
            p = self._eval(actor.move_chance, ("the move chance of", actor.id))
            acts = self.dice.chance(p)
            if self.narrate:
                self._log("roll", what=f"{actor.id} acts", p=round(p, 3), hit=acts)
            if not acts:
                continue
            candidates, weights = [], []
            for move in actor.moves:
                if (move.once and self.move_counts[move.id]) or self.last_moves.get(actor.id) == move.id \
                        or move.id in premise:
                    continue  # no announcement twice, no move two rounds running, none the round is about
                if move.cond is None or self._eval(move.cond, ("move", move.id)):
                    weight = 1.0 if move.weight is None else float(self._eval(move.weight, ("move", move.id)))
                    weight /= 1 + self.move_counts[move.id]  # a persona varies its play
                    if weight > 0:
                        candidates.append(move)
                        weights.append(weight)
            if not candidates:
                continue
            move = candidates[self.dice.pick(weights)]
            self.move_counts[move.id] += 1
            self.last_moves[actor.id] = move.id
            changes = self._apply(move.effects, ("move", move.id))
            self._log("move", actor=actor.id, move=move.id, kind=move.kind, why=move.why, changes=changes)
            text = self._variant(move.lines, ("move", move.id)) if self.narrate else ""
            if text:
                self._beat("move", move.speaker, text)

    def _finish(self, ending_id: str, via: str) -> None:
        ending = self.scenario.endings[ending_id]
        outcome = self.scenario.outcomes[ending.outcome]
        self.ending = ending_id
        self.ledger.append({"turn": self.turn, "round": self.history[-1][0] if self.history else None,
                            "choice": via, "tag": None, "skill": "outcome", "points": outcome.points,
                            "why": f"Outcome: {outcome.title}.", "concept": outcome.concept})
        for rule in ending.score:
            if rule.cond is None or self._eval(rule.cond, ("the score of ending", ending_id)):
                self.ledger.append({"turn": self.turn, "round": self.history[-1][0] if self.history else None,
                                    "choice": via, "tag": None, "skill": "outcome", "points": rule.points,
                                    "why": rule.why, "concept": outcome.concept})
                break
        self._log("ending", ending=ending_id, outcome=ending.outcome, via=via)
        self._beat("ending", "narrator", ending.title)
        self._beat("narration", "narrator", ending.text)

    # -- helpers --
    def _eval(self, compiled, where):
        try:
            return compiled.raw(self.values, self)
        except (ArithmeticError, KeyError) as err:
            raise _failure(compiled.origin, runtime_error(err, compiled.source), where) from None
        except ExprRuntimeError as err:
            raise _failure(compiled.origin, err, where) from None

    def _variant(self, variants, where) -> str:
        """The first line whose condition holds and that has not been said already in this game:
        he does not repeat himself word for word (nothing is said when every fitting line was)."""
        said = {beat.text for beat in self.beats if beat.kind in ("reaction", "move", "event")}
        for variant in variants:
            if variant.cond is None or self._eval(variant.cond, where):
                text = self.render(variant.text)
                if text not in said:
                    return text
        return ""

    def _effects(self, effects, where) -> None:
        """Apply effects that are not a reaction or a move, and log what they changed."""
        if effects:
            changes = self._apply(effects, where)
            if changes and self.narrate:
                self._log("effects", source=_describe(where), changes=changes)

    def _apply(self, effects, where) -> dict:
        """Apply effects in order, clamping each; returns {name: (old, new)} for what changed."""
        changes = {}
        values, variables, start = self.values, self.scenario.vars, self._step_start
        for effect in effects:
            try:
                new = effect.apply(values, self)
            except ExprRuntimeError as err:
                raise _failure(effect.origin, err, where) from None
            name = effect.target
            old = values[name]
            value = variables[name].fit(new, start.get(name) if start else None)
            if value != old:
                values[name] = value
                first = changes[name][0] if name in changes else old
                if first == value:
                    del changes[name]
                else:
                    changes[name] = (first, value)
        return changes

    def _log(self, type_: str, **fields) -> None:
        if not self.narrate:
            return
        fields["type"] = type_
        fields["turn"] = len(self.history)
        self.log.append(fields)

    def _beat(self, kind: str, speaker: str, text) -> None:
        """Add a beat; ``text`` is plain text or a template rendered with the values of this moment."""
        if not self.narrate:
            return
        if not isinstance(text, str):
            text = self.render(text)
        self.beats.append(Beat(kind, speaker, self.scenario.speakers.get(speaker, speaker),
                               self.scenario.speaker_roles.get(speaker, "narrator"), text,
                               self.state.state, len(self.history)))

    # -- snapshots --
    def snapshot(self) -> dict:
        """Everything needed to restore this session exactly, as JSON-ready data."""
        return {
            "format": SNAPSHOT_FORMAT,
            "scenario": self.scenario.id,
            "content_hash": self.scenario.content_hash,
            "seed": self.seed,
            "round": self.state.state,
            "ending": self.ending,
            "choices": [list(pair) for pair in self.history],
            "values": self.variables(),
            "revealed": sorted(self.revealed),
            "tag_counts": dict(self.tag_counts),
            "move_counts": dict(self.move_counts),
            "last_moves": dict(self.last_moves),
            "builtins": {n: self.values[n] for n in ("turn", "conceded_indivisible", "split_indivisible")},
            "draws": self.dice.draws,
            "log": self.log,
            "ledger": self.ledger,
            "steps": self.steps,
            "beats": [asdict(b) for b in self.beats],
        }

    @classmethod
    def restore(cls, scenario, data: dict) -> Session:
        """Rebuild a session from a snapshot without replaying it."""
        try:
            if data["format"] != SNAPSHOT_FORMAT or data["scenario"] != scenario.id:
                raise SnapshotError(f"snapshot is for {data.get('scenario')!r} format {data.get('format')}")
            session = cls.__new__(cls)
            session.scenario, session.seed = scenario, int(data["seed"])
            session.narrate = True
            session.dice = Dice(session.seed)
            session.dice.fast_forward(int(data["draws"]))
            if data["round"] not in scenario.rounds and data["round"] not in scenario.endings:
                raise SnapshotError(f"unknown round {data['round']!r}")
            session.state = _Position(data["round"])
            session.values = Env({name: var.initial for name, var in scenario.vars.items()})
            session.values.update(scenario.constants)
            for name, value in data["values"].items():
                if name not in scenario.vars:
                    raise SnapshotError(f"unknown variable {name!r}")
                session.values[name] = scenario.vars[name].fit(value, None)
            for name, value in data["builtins"].items():
                if name in scenario.constants:
                    session.values[name] = int(value)
            session.values.derived, session.values.ctx = scenario.derived, session
            session.revealed = set(data["revealed"])
            session.history = [(str(r), str(c)) for r, c in data["choices"]]
            session.tag_counts = Counter({str(k): int(v) for k, v in data["tag_counts"].items()})
            session.move_counts = Counter({str(k): int(v) for k, v in data["move_counts"].items()})
            session.last_moves = {str(k): str(v) for k, v in data.get("last_moves", {}).items()}
            session.current_tags = ()
            session.log, session.ledger, session.steps = list(data["log"]), list(data["ledger"]), list(data["steps"])
            session.beats = [Beat(**b) for b in data["beats"]]
            ending = data["ending"]
            if ending is not None and ending not in scenario.endings:
                raise SnapshotError(f"unknown ending {ending!r}")
            session.ending = ending
            session._step_start = None
            session._par = None
            return session
        except SnapshotError:
            raise
        except (KeyError, TypeError, ValueError, AttributeError) as err:
            raise SnapshotError(f"malformed snapshot: {err!r}") from None

    def fork(self, dice=None) -> Session:
        """An independent copy sharing the compiled scenario (for exploration and what-ifs)."""
        twin = copy.copy(self)
        twin.dice = dice if dice is not None else copy.deepcopy(self.dice)
        twin.state = _Position(self.state.state)
        twin.values = Env(self.values)
        twin.values.derived, twin.values.ctx = self.scenario.derived, twin
        twin.revealed = set(self.revealed)
        twin.history = list(self.history)
        twin.tag_counts = Counter(self.tag_counts)
        twin.move_counts = Counter(self.move_counts)
        twin.last_moves = dict(self.last_moves)
        twin.log, twin.beats = list(self.log), list(self.beats)
        twin.ledger, twin.steps = list(self.ledger), list(self.steps)
        return twin

    @classmethod
    def replay(cls, scenario, seed: int, choice_ids) -> Session:
        session = cls(scenario, seed)
        for choice_id in choice_ids:
            session.choose(choice_id)
        return session


def _failure(origin: str, err, where) -> EngineError:
    """E400 in the diagnostics' own shape: 'path:line:col: error E400: message (in where)'."""
    return EngineError(f"{origin}: error {codes.EXPRESSION_FAILED}: {err} (in {_describe(where)})")


def _describe(where) -> str:
    """Where an expression sits, for E400 messages; built only when something fails."""
    return where if isinstance(where, str) else " ".join(str(part) for part in where)


class _Position:
    """The light object transitions moves between states: one per session."""

    __slots__ = ("state",)

    def __init__(self, state: str):
        self.state = state

