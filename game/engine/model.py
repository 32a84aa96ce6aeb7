"""The compiled, immutable form of a story: what sessions read while they play.

Everything here is built once by the compiler from validated YAML; sessions only
hold a light mutable state (see session.py).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from math import isfinite
from random import Random
from typing import TYPE_CHECKING, Any

from .expr import Compiled, Effect, finite
from .tags import matches
from .text import Template

if TYPE_CHECKING:
    from transitions import Machine

    from .values import Value


@dataclass(slots=True)
class Var:
    name: str
    type: str  # "int", "number" or "bool"
    initial: float | bool
    low: float | None
    high: float | None
    max_step: float | None
    visible: bool
    label: str
    description: str
    owner: str  # file that declared it
    chart: bool = False  # the debrief charts it
    swing: float = 0.0  # weight of a one-unit change when the debrief looks for turning points

    def fit(self, value: Any, before: float | bool | None) -> float | bool:
        """Clamp a new value to the bounds and to the step limit, keeping the declared type."""
        if self.type == "bool":
            return bool(value)
        if value.__class__ is float and not isfinite(value):  # NaN would pass every bound below
            finite(value, self.name)  # and make a save that never loads
        step, low, high = self.max_step, self.low, self.high
        if step is not None and before is not None:  # min(max(...)) without the calls, same results
            if before - step > value:
                value = before - step
            if before + step < value:
                value = before + step
        if low is not None and value < low:
            value = low
        if high is not None and value > high:
            value = high
        if self.type == "int":
            return value if value.__class__ is int else int(round(value))
        return float(value)


@dataclass(slots=True)
class PointsRule:
    cond: Compiled | None
    points: float
    why: str
    skill: str | None


@dataclass(frozen=True, slots=True)
class Skill:
    """A skill the story scores (or names without scoring), in the catalogue's teaching order."""

    id: str
    title: str
    score: str  # "share", "penalty" or "none"
    description: str


@dataclass(slots=True)
class Tactic:
    id: str
    name: str
    skill: str
    concept: str
    description: str
    hint: str
    scoring: list[tuple[str, Any]]  # (path, raw rule): compiled per scenario because names differ


@dataclass(slots=True)
class Variant:
    cond: Compiled | None
    text: Template


@dataclass(slots=True)
class Reaction:
    id: str
    owner: str  # persona id, or "rules"
    patterns: tuple[str, ...]
    cond: Compiled | None
    chance: Compiled | None
    effects: tuple[Effect, ...]
    why: str
    concept: str
    lines: tuple[Variant, ...]
    backfire: bool = False  # the move misfired at this moment: its tag earns nothing this time
    overhears: bool = False  # reacts even to a round he is not present in (word reaches him)

    def matches(self, tag: str) -> bool:
        return any(matches(p, tag) for p in self.patterns)


@dataclass(slots=True)
class Move:
    id: str
    owner: str
    kind: str
    speaker: str
    cond: Compiled | None
    weight: Compiled | None
    effects: tuple[Effect, ...]
    why: str
    concept: str
    lines: tuple[Variant, ...]
    once: bool = False  # an announcement made at most once a game


@dataclass(slots=True)
class Actor:
    """Something that reacts to tactics: the rules (the board) or a cast persona."""

    id: str
    name: str
    role: str  # "board" for the rules
    reactions: tuple[Reaction, ...]
    moves: tuple[Move, ...]
    move_chance: Compiled | None


@dataclass(frozen=True, slots=True)
class MoveStep:
    """A move as the session weighs it: what is left to evaluate, and what is known."""

    move: Move
    cond: Compiled | None  # still to evaluate; None: open whenever the rules of repetition allow
    weight: Compiled | None  # still to evaluate; None: ``fixed_weight`` is its weight
    fixed_weight: float


@dataclass(frozen=True, slots=True)
class Mover:
    """An actor that can open a round with a move."""

    actor: Actor
    chance: Compiled | None  # still to evaluate; None: ``fixed_chance`` is the move chance
    fixed_chance: float | bool
    moves: tuple[MoveStep, ...]  # in the authored order, without those that can never be made


@dataclass(frozen=True, slots=True)
class ReactionStep:
    """A reaction as the session tries it: what is left to evaluate, and what is known."""

    reaction: Reaction
    cond: Compiled | None  # still to evaluate; None: it holds
    chance: Compiled | None  # still to evaluate; None: ``fixed_chance``
    fixed_chance: float | bool | None  # the chance when known; None: no roll
    where: tuple[str, ...]  # where it sits, for E400 messages
    described: str  # ``where`` as text, for the log's rolls


@dataclass(frozen=True, slots=True)
class Responder:
    """An actor that may answer a tag in a round: its reactions to it, tried in order, the first that fires."""

    actor: Actor
    absent: bool  # a cast persona not in the room: only reactions that overhear, told as events
    steps: tuple[ReactionStep, ...]


@dataclass(frozen=True, slots=True)
class PersonaPlan:
    """What the persona model can work out once per scenario (built by personaplan.py)."""

    movers: tuple[Mover, ...]  # the actors that may open a round with a move, in order
    responders: dict[str, dict[str, tuple[Responder, ...]]]  # round id -> tag -> who may answer it, in order


@dataclass(slots=True)
class Line:
    speaker: str
    cond: Compiled | None
    text: Template
    coach: bool = False  # advice, not story: a coach beat that assessment mode hides


@dataclass(slots=True)
class Choice:
    id: str
    text: Template
    say: Template | None
    tags: tuple[str, ...]  # declared tags plus those implied by concessions and splits
    cond: Compiled | None
    hint: str
    effects: tuple[Effect, ...]
    reveals: tuple[str, ...]
    concedes: tuple[str, ...]
    splits: tuple[str, ...]
    goto: str


@dataclass(slots=True)
class Round:
    id: str
    title: str
    text: Template
    lines: tuple[Line, ...]
    on_enter: tuple[Effect, ...]
    moves: bool
    choices: tuple[Choice, ...]
    by_id: dict[str, Choice] = field(default_factory=dict)
    present: tuple[str, ...] | None = None  # cast roles in the room; None: everyone
    premise: tuple[str, ...] = ()  # persona moves this round is about, so they are not announced again
    # its choice ids when none has a condition: then every choice is open at every visit, with nothing to evaluate
    always_open: tuple[str, ...] | None = field(default=None, init=False)

    def __post_init__(self) -> None:
        if all(choice.cond is None for choice in self.choices):
            self.always_open = tuple(choice.id for choice in self.choices)


@dataclass(slots=True)
class Ending:
    id: str
    outcome: str
    title: str
    text: Template
    score: tuple[PointsRule, ...]


@dataclass(slots=True)
class Issue:
    name: str
    label: str
    divisible: bool
    description: str


@dataclass(slots=True)
class Outcome:
    kind: str
    title: str
    points: float
    concept: str


@dataclass
class Scenario:
    id: str
    title: str
    summary: str
    difficulty: str
    minutes: int
    path: str
    content_hash: str
    vars: dict[str, Var]
    constants: dict[str, float]  # persona traits and other read-only numbers
    derived: dict[str, Compiled]
    rounds: dict[str, Round]
    endings: dict[str, Ending]
    routes: dict[str, tuple[tuple[Compiled | None, str], ...]]
    triggers: tuple[tuple[Compiled | None, str], ...]
    catastrophe: str | None
    catastrophe_risk: Compiled | None
    each_round: tuple[Effect, ...]
    actors: tuple[Actor, ...]
    speakers: dict[str, str]  # speaker id -> display name
    speaker_roles: dict[str, str]  # speaker id -> role for styling
    scoring: dict[str, tuple[PointsRule, ...]]  # tactic id -> compiled rules
    outcomes: dict[str, Outcome]
    issues: dict[str, Issue]
    start: str
    cast: dict[str, str]  # role -> persona id
    tactics: dict[str, Tactic] = field(default_factory=dict)  # tactic id -> Tactic (names, skills, concepts)
    skills: dict[str, Any] = field(default_factory=dict)  # skill id -> Skill, in teaching order
    concepts: dict[str, Any] = field(default_factory=dict)  # concept id -> {title, summary, source}
    sources: dict[str, Any] = field(default_factory=dict)  # source id -> {title, author, venue}
    machine: Machine = field(init=False)  # the round graph, set by the compiler once the scenario is built
    # tag -> ((actor, reactions matching it), ...)
    reactions_by_tag: dict[str, tuple[tuple[Actor, tuple[Reaction, ...]], ...]] = field(default_factory=dict)
    # tags with a scoring rule that can give a "share" skill points: rating skips choices without one
    share_tags: frozenset[str] = frozenset()
    # rating's memo: a step (round, open choices, the classes of the values their conditions read, see
    # rating.available) -> the best offer per share skill, in order; and per (round, open ids) its rater
    offers: dict[tuple[Any, ...], tuple[float, ...]] = field(default_factory=dict, init=False, repr=False,
                                                             compare=False)
    rating_keys: dict[tuple[str, tuple[str, ...]], Any] = field(default_factory=dict, init=False, repr=False,
                                                                 compare=False)
    # what each condition reads and each variable's class table (thresholds.py), for the next key
    rating_reads: dict[Any, Any] = field(default_factory=dict, init=False, repr=False, compare=False)
    # what the persona model can work out once (personaplan.py), when a session first needs it
    persona_plan: PersonaPlan | None = field(default=None, init=False, repr=False, compare=False)
    # score kind ("share", "penalty") -> its skill ids in order: asked for at every scores() call
    _scored: dict[str, tuple[str, ...]] = field(default_factory=dict, init=False, repr=False, compare=False)
    # the variables' starting values and those shown from the start: what every new session copies
    initial: dict[str, Value] = field(default_factory=dict, init=False, repr=False, compare=False)
    visible: frozenset[str] = field(default=frozenset(), init=False, repr=False, compare=False)
    # the gotos of choices (a route or a place) that can end the game: such a choice is judged on the values before it
    ending_gotos: frozenset[str] = field(default=frozenset(), init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        for skill in self.skills.values():
            self._scored[skill.score] = (*self._scored.get(skill.score, ()), skill.id)
        for tag in self.tactics:
            table = []
            for actor in self.actors:
                matching = tuple(r for r in actor.reactions if r.matches(tag))
                if matching:
                    table.append((actor, matching))
            self.reactions_by_tag[tag] = tuple(table)
        self.initial = {name: var.initial for name, var in self.vars.items()}
        self.visible = frozenset(name for name, var in self.vars.items() if var.visible)
        self.ending_gotos = frozenset(
            c.goto for r in self.rounds.values() for c in r.choices
            if any(dest in self.endings for _, dest in self.routes.get(c.goto, ((None, c.goto),))))
        shared = set(self.scored_skills("share"))
        self.share_tags = frozenset(tag for tag, rules in self.scoring.items() if any(
            rule.points > 0 and (rule.skill or self.tactics[tag].skill) in shared for rule in rules))

    def scored_skills(self, score: str) -> list[str]:
        """The ids of the skills scored as ``score`` ("share" or "penalty"), in order."""
        return list(self._scored.get(score, ()))

    @property
    def choice_count(self) -> int:
        return sum(len(r.choices) for r in self.rounds.values())


@dataclass(slots=True)
class Policy:
    id: str
    description: str
    prefer: dict[str, float]
    random: bool
    path: str
    # weights worked out on demand: per tag, and per tuple of a choice's tags. Not init fields, so a
    # copy with other preferences (dataclasses.replace) starts with its own
    _by_tag: dict[str, float] = field(default_factory=dict, init=False, repr=False)
    _by_tags: dict[tuple[str, ...], float] = field(default_factory=dict, init=False, repr=False)

    def pick(self, choices: list[Choice], rng: Random) -> Choice:
        """The open choice with the best weighted tags; ties (and a random policy) use ``rng``."""
        if self.random:
            return rng.choice(choices)
        weights = [self.weight(c.tags) for c in choices]
        best = max(weights)
        return rng.choice([c for c, w in zip(choices, weights, strict=True) if w == best])

    def weight(self, tags: tuple[str, ...]) -> float:
        """The sum of the tags' weights, tag by tag, remembered per tuple of tags (a choice's: a
        policy weighs the same few dozen at every step of every game)."""
        total = self._by_tags.get(tags)
        if total is None:
            total = 0.0
            for tag in tags:
                w = self._by_tag.get(tag)
                if w is None:
                    w = self._by_tag[tag] = sum(v for p, v in self.prefer.items() if matches(p, tag))
                total += w
            self._by_tags[tags] = total
        return total
