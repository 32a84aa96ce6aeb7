"""The headless game: one trainee's session over a compiled scenario.

Like ink's split of Story and StoryState, a ``Session`` is the compiled, shared
``Scenario`` plus one ``SessionState`` (state.py) holding everything that changes:
the current round, the variables, the dice, the logs. Same scenario, seed and
choices give the same game.
"""
from __future__ import annotations

import re
from hashlib import blake2b
from math import isfinite
from typing import TYPE_CHECKING

from ..errors import OfframpError
from . import codes, freetext
from .effects import EffectFailed, run
from .expr import ExprRuntimeError, finite, runtime_error
from .freetext import Heard
from .machine import CATASTROPHE, INTERRUPT, RouteError, fire
from .personaplan import plan_of
from .rating import available
from .state import BUILTIN_NAMES, JSON, Beat, Dice, SessionState, SnapshotError
from .tags import any_match, count_matching
from .text import show
from .values import Env, Value

if TYPE_CHECKING:
    from collections import Counter
    from collections.abc import Callable, Iterable, Mapping

    from .expr import Compiled, Effect
    from .model import Choice, Move, Mover, Reaction, Round, Scenario, Variant
    from .text import Template

__all__ = ["Beat", "ChoiceError", "Dice", "EngineError", "Session", "SessionState", "SnapshotError"]

MODES = ("training", "assessment")  # training shows coach material; assessment keeps it for the debrief
Where = str | tuple[str, ...]  # where an expression sits, for E400 messages: "a trigger", ("move", "m1")


class ChoiceError(OfframpError, ValueError):
    """The trainee or a script asked for a choice that is not open now."""


class EngineError(OfframpError, RuntimeError):
    """An expression failed while playing (E400): a story bug, reported without a traceback."""

    code = codes.EXPRESSION_FAILED


class Session:
    """A compiled scenario plus one ``SessionState``; the read-only properties below are
    shortcuts to the state's fields, which is where anything new that changes in play goes."""

    def __init__(self, scenario: Scenario, seed: int = 0, dice: Dice | None = None, narrate: bool = True, *,
                 state: SessionState | None = None, mode: str = "training"):
        """``narrate=False`` keeps no beats and no event log: the same game, for autoplay and exploration.
        ``state`` resumes a game from a state instead of starting one (``restore`` and ``fork`` use it).
        ``mode`` is kept with the game (snapshots, saves) so an assessment stays an assessment."""
        if mode not in MODES:
            raise ValueError(f"mode must be one of {MODES}, not {mode!r}")
        self.scenario = scenario
        self.narrate = narrate
        self.current_tags: tuple[str, ...] = ()
        self._step_start: Mapping[str, Value] = _NOTHING  # the values as the step under way began (max_step)
        self._par: tuple[int, dict[str, float]] | None = None  # (steps counted, points available)
        self._said: set[str] | None = None  # what the cast said so far, once asked for: see _spoken
        self.state = state if state is not None else SessionState.new(scenario, seed, dice, mode=mode)
        self._values = Env(self.state.values, scenario.constants, scenario.derived, self)
        if state is None:
            try:
                self._enter(scenario.start)
            except EffectFailed as failed:
                raise _effect_failure(failed) from None

    @property
    def mode(self) -> str:
        return self.state.mode

    @mode.setter
    def mode(self, value: str) -> None:
        if value not in MODES:
            raise ValueError(f"mode must be one of {MODES}, not {value!r}")
        self.state.mode = value

    @property
    def display_order(self) -> tuple[str, ...]:
        """The current round's choice ids as shown; shuffled when first asked for (a silent step that
        nobody lists does not pay for it, and an older snapshot without one gets the same order)."""
        order = self.state.display_order
        if not order and self.state.ending is None:
            order = self.state.display_order = display_order(self.seed, self.turn, self.current_round)
        return order

    @property
    def ended_by(self) -> JSON | None:
        """What ended the game: trigger, route or roll, with the values that decided it."""
        return self.state.ended_by

    # -- the state's fields, read-only --
    @property
    def seed(self) -> int:
        return self.state.seed

    @property
    def dice(self) -> Dice:
        return self.state.dice

    @property
    def values(self) -> Env:
        """The game's values by name: the variables and built-ins it holds (read and written through),
        traits and derived values read on demand. Play itself reads the plain ``state.values``."""
        return self._values

    @property
    def ending(self) -> str | None:
        return self.state.ending

    @property
    def history(self) -> list[tuple[str, str]]:
        return self.state.history

    @property
    def revealed(self) -> set[str]:
        return self.state.revealed

    @property
    def tag_counts(self) -> Counter[str]:
        return self.state.tag_counts

    @property
    def move_counts(self) -> Counter[str]:
        return self.state.move_counts

    @property
    def log(self) -> list[JSON]:
        return self.state.log

    @property
    def beats(self) -> list[Beat]:
        return self.state.beats

    @property
    def ledger(self) -> list[JSON]:
        return self.state.ledger

    @property
    def steps(self) -> list[JSON]:
        return self.state.steps

    # -- expression context: what has(), count() and chance() see --
    def has(self, tag: str) -> bool:
        return any_match(tag, self.current_tags)

    def count(self, tag: str) -> int:
        return count_matching(tag, self.state.tag_counts)

    def chance(self, p: float) -> bool:
        return self.state.dice.chance(p)

    def said(self, word: str) -> bool:
        """Whether the trainee's last words (typed, or the choice's) have ``word`` at the start of a
        word, case aside: a line can answer what was said, not only which tactic it was."""
        for beat in reversed(self.state.beats):
            if beat.kind == "you":
                return re.search(r"\b" + re.escape(word), beat.text, re.IGNORECASE) is not None
        return False

    # -- reading the session --
    @property
    def round_id(self) -> str:
        return self.state.round

    @property
    def round(self) -> Round | None:
        """The round being played; None once the game has ended."""
        return self.scenario.rounds.get(self.state.round)

    @property
    def current_round(self) -> Round:
        """The round being played, for code that runs only while the game is on (KeyError after it)."""
        return self.scenario.rounds[self.state.round]

    @property
    def ended(self) -> bool:
        return self.state.ending is not None

    @property
    def turn(self) -> int:
        return len(self.state.history)

    def _open(self, choice: Choice) -> bool:
        if choice.cond is None:
            return True
        self.current_tags = choice.tags
        try:
            return bool(self._eval(choice.cond, ("the condition of choice", choice.id)))
        finally:
            self.current_tags = ()

    def choices(self) -> list[Choice]:
        """The choices open now, in this session's display order (empty once the session has ended)."""
        if self.state.ending is not None:
            return []
        round_ = self.current_round
        by_id = round_.by_id
        shown = [by_id[i] for i in self.display_order]
        return shown if round_.always_open is not None else [c for c in shown if c.cond is None or self._open(c)]

    def open_choices(self) -> list[Choice]:
        """The choices open now in the order the author wrote them, for tools whose findings must not
        depend on how a session happened to shuffle its menu (the explorer); empty once ended."""
        if self.state.ending is not None:
            return []
        round_ = self.current_round
        if round_.always_open is not None:
            return list(round_.choices)
        return [c for c in round_.choices if c.cond is None or self._open(c)]

    def playable_choices(self) -> list[Choice]:
        """The open choices, or EngineError (E400) when the game has not ended yet none is open:
        a round whose conditions all closed is a story bug, shown as one, never an empty menu."""
        options = self.choices()
        if not options and self.ending is None:
            conds = [(c.id, c.cond) for c in self.current_round.choices if c.cond is not None]
            origin = conds[0][1].origin if conds else "<story>"
            needs = "; ".join(f"{choice_id!r} needs {cond.source}" for choice_id, cond in conds)
            raise EngineError(f"{origin}: error {codes.EXPRESSION_FAILED}: round {self.round_id!r} has no open choice, "
                              f"so the game cannot go on ({needs})")
        return options

    def render(self, template: Template) -> str:
        if template.plain is not None:  # no name to look up: no lookup to build
            return template.plain

        values = self._values

        def lookup(name: str) -> str:
            if name in self.scenario.speakers:
                return self.scenario.speakers[name]
            return show(values[name])
        return template.render(lookup)

    def visible_state(self) -> dict[str, Value]:
        """What the trainee may see: visible variables plus those intelligence revealed."""
        return {n: self.state.values[n] for n in self.scenario.vars if n in self.state.revealed}

    def variables(self) -> dict[str, Value]:
        values = dict(self.state.values)  # a C-level copy, then without the built-ins: cheaper than by name
        for name in BUILTIN_NAMES:
            del values[name]
        return values

    def holds(self, condition: Compiled) -> bool | None:
        """Whether one of the scenario's compiled conditions is true now, or None when it fails
        to evaluate: for tools that watch the state, such as the explorer. Logs nothing."""
        try:
            return bool(condition(self.state.values, self))
        except ExprRuntimeError:
            return None

    def scores(self) -> dict[str, float]:
        """Scores keyed by the story's skill ids, then ``outcome`` and ``total``.

        A "share" skill is 0-100: the share of the points on offer at each step that the
        trainee took. A "penalty" skill is the (negative) sum of its points, down to -100;
        outcome is the ending's points. The total is the mean of the share skills plus the
        penalties and the outcome, so how it ended weighs as much as how it was played."""
        shared, penalties = self.scenario.scored_skills("share"), self.scenario.scored_skills("penalty")
        earned = dict.fromkeys((*shared, *penalties, "outcome"), 0.0)
        for entry in self.state.ledger:
            skill = entry["skill"]
            if skill in earned:
                earned[skill] += entry["points"]
        totals = dict(earned)
        par = self.points_available()
        for skill in shared:  # each clamp is min(max(x, low), high), written out: the same float, -0.0 too
            share = 100.0 * earned[skill] / par[skill] if par[skill] > 0 else 0.0
            share = 0.0 if 0.0 > share else share
            totals[skill] = 100.0 if 100.0 < share else share
        for skill in penalties:
            points = earned[skill]
            points = -100.0 if -100.0 > points else points
            totals[skill] = 0.0 if 0.0 < points else points
        mean = sum(map(totals.__getitem__, shared)) / len(shared) if shared else 0.0
        totals["total"] = mean + sum(map(totals.__getitem__, penalties)) + totals["outcome"]
        return {k: _tenths(v) for k, v in totals.items()}

    def points_available(self) -> dict[str, float]:
        """Per skill, the most points an open choice offered, summed over the steps so far."""
        steps = self.state.steps
        counted, par = self._par if self._par is not None and self._par[0] <= len(steps) else (0, None)
        if par is None or counted < len(steps):
            par = available(self.scenario, steps[counted:], par)
            self._par = (len(steps), par)
        return par

    def decided_values(self) -> Env:
        """The values the ending was judged on: as they stood before the last choice when that
        choice ended the game (a signature, a walk-out), else as they are now."""
        via = next((e["choice"] for e in reversed(self.ledger) if e["skill"] == "outcome"), None)
        if not self.ended or not self.steps or via != self.steps[-1]["choice"]:
            return self.values
        return Env(self._values_before(self.steps[-1]["before"]), self.scenario.constants, self.scenario.derived, self)

    def _values_before(self, before: Mapping[str, Value]) -> dict[str, Value]:
        values = dict(self.state.values)
        values.update(before)
        return values

    @property
    def outcome(self) -> str | None:
        return self.scenario.endings[self.state.ending].outcome if self.state.ending else None

    # -- playing --
    def choose(self, choice_id: str, said: str | None = None) -> list[Beat]:
        """Make a choice by id; returns the beats it produced. ``said`` is the trainee's own
        words when the move was typed (free text): the transcript and debrief quote them."""
        if self.state.ending is not None:
            raise ChoiceError("the session has ended; no choice is open")
        round_ = self.current_round
        open_ids = [c.id for c in self.open_choices()]
        if choice_id not in open_ids:
            listed = ", ".join(c.id for c in self.choices()) or "none"
            what = "is not open now" if choice_id in round_.by_id else f"does not exist in round {round_.id!r}"
            raise ChoiceError(f"choice {choice_id!r} {what}; open choices: {listed}")
        choice, state = round_.by_id[choice_id], self.state
        first_beat = len(state.beats)
        before = self.variables()
        counts = dict(state.tag_counts)
        self._step_start = before
        turn = len(state.history) + 1
        state.history.append((round_.id, choice.id))
        if said is not None:
            state.said[turn] = said
        if self.narrate:
            self._log("choice", {"round": round_.id, "choice": choice.id, "tags": list(choice.tags)})
            self._beat("you", "you", said if said is not None else choice.say or choice.text)

        self.current_tags = choice.tags
        try:
            self._score(choice, round_.id, turn)
            if choice.effects:
                self._effects(choice.effects, ("choice", choice.id))
            if choice.concedes or choice.splits:
                self._issues(choice)
            for name in choice.reveals:
                if name not in state.revealed:
                    state.revealed.add(name)
                    self._log("reveal", {"name": name, "value": state.values[name]})
            self._react(choice)
            if self.scenario.each_round:
                self._effects(self.scenario.each_round, "each_round")
            counts_now = state.tag_counts
            for tag in choice.tags:  # Counter.update's own loop, without its type checks
                counts_now[tag] = counts_now.get(tag, 0) + 1
            state.values["turn"] = turn
            self._advance(choice, before)  # routes, triggers and ending scores see the move being made too
        except EffectFailed as failed:
            raise _effect_failure(failed) from None
        finally:
            self.current_tags = ()
        state.steps.append({"turn": turn, "round": round_.id, "choice": choice.id,
                            "open": open_ids,
                            "before": before, "after": self.variables(), "counts": counts})
        self._step_start = _NOTHING
        return self.state.beats[first_beat:]

    def _score(self, choice: Choice, round_id: str, turn: int) -> None:
        """Each tag's first scoring rule that holds goes to the ledger."""
        scoring, tactics = self.scenario.scoring, self.scenario.tactics
        ledger, values = self.state.ledger, self.state.values
        for tag in choice.tags:
            for rule in scoring.get(tag, ()):
                try:  # a condition is a bool: always finite
                    holds = rule.cond is None or rule.cond.raw(values, self)
                except (ArithmeticError, KeyError, ExprRuntimeError) as err:
                    assert rule.cond is not None  # only an expression raises these
                    raise _expr_failure(rule.cond, err, ("a scoring rule of", tag)) from None
                if holds:
                    tactic = tactics[tag]
                    ledger.append({"turn": turn, "round": round_id, "choice": choice.id, "tag": tag,
                                   "skill": rule.skill or tactic.skill, "points": rule.points,
                                   "why": rule.why, "concept": tactic.concept})
                    break

    def _issues(self, choice: Choice) -> None:
        for field, builtin, verb in (("concedes", "conceded_indivisible", "conceded"),
                                     ("splits", "split_indivisible", "offered to split")):
            for name in getattr(choice, field):
                issue = self.scenario.issues[name]
                if not issue.divisible:
                    self.state.values[builtin] += 1
                self._log("issue", {"issue": name, "action": field, "indivisible": not issue.divisible})
                if not issue.divisible:
                    self._beat("event", "narrator", f"You {verb} {issue.label}, which cannot be divided.")

    def _react(self, choice: Choice) -> None:
        """Each actor answers each of the choice's tags with its first reaction that fires (see personaplan.py)."""
        spoken: set[str] = set()
        by_tag = plan_of(self.scenario, self.state.values).responders[self.state.round]
        values, narrate = self.state.values, self.narrate
        for tag in choice.tags:
            for responder in by_tag.get(tag, ()):
                for step in responder.steps:
                    expr = step.cond
                    try:
                        if expr is not None and not expr.raw(values, self):  # a condition is a bool: always finite
                            continue
                        p, expr = step.fixed_chance, step.chance
                        if expr is not None:
                            p = expr.raw(values, self)
                            if p.__class__ is float and not isfinite(p):
                                finite(p, expr.source)
                    except (ArithmeticError, KeyError, ExprRuntimeError) as err:
                        assert expr is not None  # only an expression raises these
                        raise _expr_failure(expr, err, step.where) from None
                    if p is not None:
                        hit = self.state.dice.chance(p)
                        if narrate:
                            self._log("roll", {"what": step.described, "p": _shown(p), "hit": hit})
                        if not hit:
                            continue
                    reaction, actor = step.reaction, responder.actor
                    changes = run(reaction.effects, values, self, self._step_start, narrate, step.where)
                    if reaction.backfire:
                        self._void(tag, reaction)
                    if not narrate:
                        break
                    self._log("reaction", {"actor": actor.id, "reaction": reaction.id, "tag": tag, "why": reaction.why,
                                          "concept": reaction.concept, "changes": changes})
                    if actor.role != "board" and actor.id not in spoken:
                        text = self._variant(reaction.lines, step.where)
                        if text:
                            spoken.add(actor.id)
                            kind, speaker = ("event", "narrator") if responder.absent else ("reaction", actor.role)
                            self._beat(kind, speaker, text)
                    break

    def _void(self, tag: str, reaction: Reaction) -> None:
        """A backfire takes back what the tag earned on this move: right move, wrong moment."""
        ledger = self.state.ledger
        for index in range(len(ledger) - 1, -1, -1):
            entry = ledger[index]
            if entry["turn"] != self.turn:
                break
            if entry["tag"] == tag and entry["points"] > 0:
                ledger[index] = {**entry, "points": 0, "why": f"Backfired: {reaction.why}",
                                 "backfired": reaction.id, "concept": reaction.concept or entry["concept"]}

    def _advance(self, choice: Choice, before: dict[str, Value]) -> None:
        """Roll the catastrophe, fire the triggers, then the choice's route; ``before`` is the values
        as the step began, which a choice that can end the game is judged on."""
        scenario, machine = self.scenario, self.scenario.machine
        if scenario.catastrophe and scenario.catastrophe_risk is not None:
            p = self._eval(scenario.catastrophe_risk, "the rules' catastrophe risk")
            if p > 0:
                hit = self.state.dice.chance(p)
                if self.narrate:
                    self._log("roll", {"what": "catastrophe", "p": _shown(p), "hit": hit})
                if hit and fire(machine, CATASTROPHE, self.state, self.state.values, self):
                    self.state.ended_by = {"kind": "roll", "p": _shown(p),
                                           "condition": scenario.catastrophe_risk.source,
                                           "values": self._inputs(scenario.catastrophe_risk, self.state.values)}
                    return self._arrive(via="catastrophe")
        if self._trigger_due() and self._fire(INTERRUPT):
            self._record_cause("trigger", self.scenario.triggers, self.state.values)
            return self._arrive(via="trigger")
        decided = self._values_before(before) if self._can_end(choice) else self.state.values
        if not self._fire(choice.id, decided):
            raise EngineError(f"{codes.EXPRESSION_FAILED}: no route out of choice {choice.id!r} matched")
        if self.state.round in self.scenario.endings:
            routes = self.scenario.routes.get(choice.goto)
            self._record_cause("route" if routes else "choice", routes or ((None, choice.goto),), decided,
                               choice=choice.id, route=choice.goto if routes else None)
        return self._arrive(via=choice.id, values=decided)

    def _can_end(self, choice: Choice) -> bool:
        """Whether this choice's goto (a route or a place) can end the game. Such a choice (sign, walk
        out) is judged on the talks as they stood when it was made, not on the reactions it provoked;
        only what it gave away itself (the built-in concession counts) and its tags count from after it."""
        return choice.goto in self.scenario.ending_gotos

    def _record_cause(self, kind: str, entries: Iterable[tuple[Compiled | None, str]], values: dict[str, Value],
                      **more: str | None) -> None:
        """Which trigger or route entry sent the game to the ending it reached, and the values it read."""
        passed: list[JSON] = []  # earlier entries that did not hold: why the game did not go there
        for cond, dest in entries:
            holds = cond is None or self._eval(cond, ("the cause of", dest), values)
            if dest == self.state.round and holds:
                self.state.ended_by = {"kind": kind, "condition": cond.source if cond else None,
                                       "values": self._inputs(cond, values) if cond else {}, "passed": passed,
                                       **more}
                return
            if cond is not None and not holds and dest != self.state.round:
                passed.append({"condition": cond.source, "values": self._inputs(cond, values), "goto": dest})

    def _inputs(self, compiled: Compiled, values: dict[str, Value]) -> dict[str, Value]:
        """The variables and derived values an expression reads, as they stood."""
        scenario = self.scenario
        named = Env(values, scenario.constants, scenario.derived, self)
        return {n: named[n] for n in sorted(compiled.names) if n in scenario.vars or n in scenario.derived}

    def _trigger_due(self) -> bool:
        """Whether some scenario trigger holds; checked first so the machine is only asked when one does."""
        values, cond = self.state.values, None
        try:  # one guard for them all, as in _candidates; a condition is a bool: always finite
            for cond, _ in self.scenario.triggers:
                if cond is None or cond.raw(values, self):
                    return True
        except (ArithmeticError, KeyError, ExprRuntimeError) as err:
            assert cond is not None  # only an expression raises these
            raise _expr_failure(cond, err, "a trigger") from None
        return False

    def _fire(self, trigger: str, values: dict[str, Value] | None = None) -> bool:
        try:
            return fire(self.scenario.machine, trigger, self.state, self.state.values if values is None else values,
                        self)
        except RouteError as err:
            raise _failure(err.origin, err, ("routing", trigger)) from None

    def _arrive(self, via: str, values: dict[str, Value] | None = None) -> None:
        target = self.state.round
        if target in self.scenario.endings:
            self._finish(target, via, values)
        else:
            self._enter(target)

    def _enter(self, round_id: str) -> None:
        round_ = self.scenario.rounds[round_id]
        if self.narrate:
            self._log("enter", {"round": round_id})
        if round_.on_enter:
            self._effects(round_.on_enter, ("on_enter of round", round_id))
        if round_.on_enter and self._trigger_due() and self._fire(INTERRUPT):
            self._record_cause("trigger", self.scenario.triggers, self.state.values, round=round_id)
            return self._finish(self.state.round, "trigger")  # the shock itself ended the talks
        self.state.display_order = ()  # shuffled when first listed (see display_order)
        if round_.premise:
            self.state.move_counts.update(round_.premise)  # what the round is about is not announced again
        if self.narrate:
            self._beat("round", "narrator", round_.title)
        first_move = len(self.state.beats)
        if round_.moves:
            self._persona_moves()
        if self.narrate:
            self._narrate_round(round_, first_move)

    def _narrate_round(self, round_: Round, first_move: int) -> None:
        """The round's text, put before the persona moves it opened with, then its lines."""
        self._beat("narration", "narrator", round_.text)  # after his moves: its numbers are the panel's
        self.state.beats.insert(first_move, self.state.beats.pop())
        for line in round_.lines:
            if line.cond is None or self._eval(line.cond, ("a line of round", round_.id)):
                self._beat("coach" if line.coach else "line", line.speaker, line.text)

    def _persona_moves(self) -> None:
        """Each persona may act once as a round opens: many stakeholders, each with an agenda."""
        premise, state, narrate = self.current_round.premise, self.state, self.narrate
        for mover in plan_of(self.scenario, self.state.values).movers:
            actor, p = mover.actor, mover.fixed_chance
            if mover.chance is not None:
                p = self._eval(mover.chance, ("the move chance of", actor.id))
            acts = state.dice.chance(p)
            if narrate:
                self._log("roll", {"what": f"{actor.id} acts", "p": _shown(p), "hit": acts})
            if not acts:
                continue
            candidates, weights = self._candidates(mover, premise)
            if not candidates:
                continue
            move = candidates[state.dice.pick(weights)]
            state.move_counts[move.id] += 1
            state.last_moves[actor.id] = move.id
            changes = run(move.effects, state.values, self, self._step_start, narrate, ("move", move.id))
            if narrate:
                self._log("move", {"actor": actor.id, "move": move.id, "kind": move.kind, "why": move.why,
                                  "changes": changes})
                text = self._variant(move.lines, ("move", move.id))
                if text:
                    self._beat("move", move.speaker, text)

    def _candidates(self, mover: Mover, premise: tuple[str, ...]) -> tuple[list[Move], list[float]]:
        """The moves an actor may make now and their weights, evaluating only what the plan left open,
        under one guard (no ``_eval`` per expression); a failure still names its expression and move (E400)."""
        values, counts = self.state.values, self.state.move_counts
        last = self.state.last_moves.get(mover.actor.id)
        candidates: list[Move] = []
        weights: list[float] = []
        move: Move | None = None
        expr: Compiled | None = None
        try:
            for step in mover.moves:
                move = step.move
                move_id = move.id
                made = counts.get(move_id, 0)
                if made and move.once or move_id == last or move_id in premise:
                    continue  # no announcement twice, no move two rounds running, none the round is about
                expr = step.cond
                if expr is not None and not expr.raw(values, self):  # a condition is a bool: always finite
                    continue
                expr = step.weight
                weight = step.fixed_weight
                if expr is not None:
                    value = expr.raw(values, self)
                    if value.__class__ is float and not isfinite(value):
                        finite(value, expr.source)
                    weight = float(value)
                weight /= 1 + made  # a persona varies its play
                if weight > 0:
                    candidates.append(move)
                    weights.append(weight)
        except (ArithmeticError, KeyError, ExprRuntimeError) as err:
            assert expr is not None and move is not None  # only an expression raises these
            raise _expr_failure(expr, err, ("move", move.id)) from None
        return candidates, weights

    def _finish(self, ending_id: str, via: str, values: dict[str, Value] | None = None) -> None:
        ending = self.scenario.endings[ending_id]
        outcome = self.scenario.outcomes[ending.outcome]
        self.state.ending = ending_id
        self.state.display_order = ()
        last_round = self.state.history[-1][0] if self.state.history else None
        self.state.ledger.append({"turn": self.turn, "round": last_round,
                                  "choice": via, "tag": None, "skill": "outcome", "points": outcome.points,
                                  "why": f"Outcome: {outcome.title}.", "concept": outcome.concept})
        for rule in ending.score:
            if rule.cond is None or self._eval(rule.cond, ("the score of ending", ending_id), values):
                if self.state.ended_by is not None and rule.cond is not None:
                    self.state.ended_by["score"] = {"condition": rule.cond.source, "points": rule.points,
                                                    "values": self._inputs(rule.cond, values or self.state.values)}
                self.state.ledger.append({"turn": self.turn, "round": last_round,
                                          "choice": via, "tag": None, "skill": "outcome", "points": rule.points,
                                          "why": rule.why, "concept": outcome.concept})
                break
        self._log("ending", {"ending": ending_id, "outcome": ending.outcome, "via": via})
        self._beat("ending", "narrator", ending.title)
        self._beat("narration", "narrator", ending.text)

    # -- helpers --
    def _eval(self, compiled: Compiled, where: Where, values: dict[str, Value] | None = None) -> Value:
        try:
            value: Value = compiled.raw(self.state.values if values is None else values, self)
            if value.__class__ is float and not isfinite(value):  # inf or NaN: never stored, rolled or saved
                finite(value, compiled.source)
            return value
        except (ArithmeticError, KeyError) as err:
            raise _failure(compiled.origin, runtime_error(err, compiled.source), where) from None
        except ExprRuntimeError as err:
            raise _failure(compiled.origin, err, where) from None

    def _variant(self, variants: Iterable[Variant], where: Where) -> str:
        """The first line whose condition holds and that has not been said already in this game:
        he does not repeat himself word for word (nothing is said when every fitting line was)."""
        said = self._spoken()
        for variant in variants:
            if variant.cond is None or self._eval(variant.cond, where):
                text = self.render(variant.text)
                if text not in said:
                    return text
        return ""

    def _spoken(self) -> set[str]:
        """The texts of the reactions, moves and events told so far: read from the beats once, the first
        time they are asked for in this session (a restored game's too), then kept up by ``_beat``."""
        said = self._said
        if said is None:
            said = self._said = {beat.text for beat in self.state.beats if beat.kind in _SAID}
        return said

    def _effects(self, effects: tuple[Effect, ...], where: Where) -> None:
        """Apply effects that are not a reaction or a move (effects.run, as those are), and log what
        they changed. A failing effect surfaces as EffectFailed, made E400 where the step began."""
        changes = run(effects, self.state.values, self, self._step_start, self.narrate, where)
        if changes:
            self._log("effects", {"source": _describe(where), "changes": changes})

    def _log(self, type_: str, fields: JSON) -> None:
        """Add ``fields`` to the event log as an entry of type ``type_`` for this turn. Fields come
        as a dict display, built at its size, not as keywords, whose dict grows key by key."""
        if not self.narrate:
            return
        fields["type"] = type_
        fields["turn"] = len(self.state.history)
        self.state.log.append(fields)

    def _beat(self, kind: str, speaker: str, text: str | Template) -> None:
        """Add a beat; ``text`` is plain text or a template rendered with the values of this moment."""
        if not self.narrate:
            return
        if not isinstance(text, str):  # a template: most have no name to look up (plain)
            text = text.plain if text.plain is not None else self.render(text)
        if kind in _SAID and self._said is not None:
            self._said.add(text)
        state, scenario = self.state, self.scenario
        state.beats.append(Beat(kind, speaker, scenario.speakers.get(speaker, speaker),
                                scenario.speaker_roles.get(speaker, "narrator"), text, state.round, len(state.history)))

    # -- snapshots --
    def snapshot(self) -> JSON:
        """Everything needed to restore this session exactly, as JSON-ready data: the state's
        ``to_dict`` plus which scenario (and which version of it) it belongs to."""
        self.display_order  # noqa: B018 -- shuffled now if nobody listed the choices yet
        return {**self.state.to_dict(), "scenario": self.scenario.id, "content_hash": self.scenario.content_hash}

    @classmethod
    def restore(cls, scenario: Scenario, data: JSON) -> Session:
        """Rebuild a session from a snapshot without replaying it."""
        if not isinstance(data, dict) or data.get("scenario") != scenario.id:
            what = data.get("scenario") if isinstance(data, dict) else type(data).__name__
            raise SnapshotError(f"the snapshot is for {what!r}, not for scenario {scenario.id!r}")
        return cls(scenario, state=SessionState.from_dict(data, scenario))

    def fork(self, dice: Dice | None = None) -> Session:
        """An independent copy sharing the compiled scenario (for exploration and what-ifs)."""
        twin = Session(self.scenario, narrate=self.narrate, state=self.state.copy(dice))
        twin._par = self._par  # the points on offer so far: never changed in place, so shared
        if self._said is not None:  # the lines said so far: the twin need not read every beat again
            twin._said = set(self._said)
        return twin

    def hear(self, text: str, readings: Iterable[tuple[str, float]]) -> Heard:
        """Which open choice a typed line would make, without making it: ``readings`` are
        ``(tag, confidence)`` pairs from the reader; ``Heard.choice`` is None when the line
        fits no open move (the trainee is asked to put it another way)."""
        return freetext.match(text, readings, self.choices(), self.render)

    def say(self, text: str, readings: Iterable[tuple[str, float]]) -> Heard:
        """Play a typed line: the choice it fits is made with the trainee's own words."""
        heard = self.hear(text, readings)
        if heard.choice is not None:
            self.choose(heard.choice.id, said=text)
        return heard

    def last_words(self) -> str:
        """What someone across the table (a cast persona) said last: the words a mirror repeats."""
        for beat in reversed(self.state.beats):
            if beat.kind in ("line", "reaction", "move") and beat.speaker in self.scenario.cast:
                return beat.text
        return ""

    @classmethod
    def replay(cls, scenario: Scenario, seed: int, choice_ids: Iterable[str],
               said: dict[int, str] | None = None) -> Session:
        """The game these choices make; ``said`` puts back the trainee's typed words by turn."""
        session = cls(scenario, seed)
        for turn, choice_id in enumerate(choice_ids, 1):
            session.choose(choice_id, said=(said or {}).get(turn))
        return session


_SAID = frozenset(("reaction", "move", "event"))  # the beats a persona does not repeat word for word
_NOTHING: dict[str, Value] = {}  # no step under way: no value to limit a change against


def display_order(seed: int, turn: int, round_: Round) -> tuple[str, ...]:
    """The order a round's choices are shown in: shuffled per session and per visit, from the seed.

    The authored order is no answer key: it never reaches the screen. It is drawn from a hash
    of seed, turn and round, not from the session's dice, so replays and playthrough files
    (which name ids) play the same game. The hash's 256 bits, read as digits in base 2, 3 ...
    n, make a Fisher-Yates shuffle: as uniform as ``random.shuffle`` and a quarter of its cost,
    which every listed step pays.
    """
    ids = [c.id for c in round_.choices]
    key = int.from_bytes(blake2b(f"display:{seed}:{turn}:{round_.id}".encode(), digest_size=32).digest())
    for i in range(len(ids) - 1, 0, -1):
        key, j = divmod(key, i + 1)
        ids[i], ids[j] = ids[j], ids[i]
    return tuple(ids)


def _failure(origin: str, err: Exception, where: Where) -> EngineError:
    """E400 in the diagnostics' own shape: 'path:line:col: error E400: message (in where)'."""
    return EngineError(f"{origin}: error {codes.EXPRESSION_FAILED}: {err} (in {_describe(where)})")


def _effect_failure(failed: EffectFailed) -> EngineError:
    """E400 for an effect that failed while a list was running (see effects.run)."""
    return _failure(failed.effect.origin, failed.error, failed.where)


def _expr_failure(compiled: Compiled, err: Exception, where: Where) -> EngineError:
    """E400 for an expression that failed while playing, arithmetic (or a missing value) or otherwise."""
    if not isinstance(err, ExprRuntimeError):
        err = runtime_error(err, compiled.source)
    return _failure(compiled.origin, err, where)


def _describe(where: Where) -> str:
    """Where an expression sits, for E400 messages and the log of effects."""
    return where if isinstance(where, str) else " ".join(map(str, where))


ROUNDED_RANGE = 2.0 ** 40  # scaled values below this are within 2**-13 of x * 10**digits: far from a tie


def _rounding(digits: int) -> Callable[[float], float]:
    """``round(x, digits)`` for a float, the same float: rounding to decimals goes through decimal
    text (thousands of instructions), and a narrated step logs several rolls' probabilities, a game
    ends with several scores. Scaled, a value more than 0.001 away from a tie has one nearest
    integer k, the digits round() finds; its result is the float nearest k / 10**digits, which is
    what the (correctly rounded) division gives. Ties, huge values and other types: round()."""
    scale = 10.0 ** digits

    def rounded(x: float) -> float:
        if x.__class__ is float:
            scaled = x * scale
            if -ROUNDED_RANGE < scaled < ROUNDED_RANGE:
                nearest = round(scaled)
                if -0.499 < scaled - nearest < 0.499:
                    return nearest / scale if nearest else x * 0.0  # a zero keeps the sign of x, as in round()
        return round(x, digits)

    return rounded


_shown = _rounding(3)  # a roll's probability, as logged
_tenths = _rounding(1)  # a score
