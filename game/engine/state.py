"""Everything that changes during one game, in one record that saves, restores and forks as a whole.

ink keeps the compiled ``Story`` apart from its ``StoryState``, which writes itself
to JSON and reads itself back, refusing a save older than the oldest version it
still understands. offramp does the same: a ``Session`` is a compiled ``Scenario``
plus one ``SessionState``. Each field declares how it is written, read and copied
(its ``Codec``), so adding a field is one line here: ``to_dict``, ``from_dict``,
``copy`` and therefore snapshots, restores and forks all walk the field list.
"""
from __future__ import annotations

import copy as _copy
import random
from collections import Counter
from collections.abc import Callable
from dataclasses import MISSING, Field, asdict, dataclass, field, fields
from typing import Any, TypeVar

from ..errors import OfframpError
from .model import Scenario
from .values import Value

VERSION = 1  # the snapshot format this engine writes
MIN_COMPATIBLE_VERSION = 1  # the oldest snapshot format it still reads
BUILTIN_NAMES = ("turn", "conceded_indivisible", "split_indivisible")  # engine-kept values every story may read
_BUILTINS_AT_ZERO = dict.fromkeys(BUILTIN_NAMES, 0)  # how every game starts them
# JSON as written to a snapshot and read back from one: a snapshot, a field's part of it, a log record
JSON = dict[str, Any]
Fields = dict[str, Any]  # field name -> value: the fields of a state read so far
T = TypeVar("T")


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


@dataclass(frozen=True, slots=True)
class Codec:
    """How one field of the state is written to JSON, read back and copied for a fork.

    ``dump(value)`` gives the JSON keys it writes; ``load(data, scenario, loaded)`` reads
    them back (``loaded`` holds the fields read before it); ``copy(value)`` gives an
    independent value. Entries of the logs are never changed once appended, so a
    shallow copy of a list is independent enough.
    """

    dump: Callable[[Any], JSON]
    load: Callable[[JSON, Scenario, Fields], Any]
    copy: Callable[[Any], Any]


CODEC = "codec"  # the key of a field's Codec in its dataclass metadata


def _same(value: T) -> T:
    return value


def _one(key: str) -> Callable[[Any], JSON]:
    return lambda value: {key: value}


def _plain(key: str, kind: type, copy: Callable[[Any], Any] = _same,
           read: Callable[[Any], Any] = _same, write: Callable[[Any], Any] = _same) -> Codec:
    """A field stored under one key: checked to be ``kind``, then converted by ``read``."""
    def load(data: JSON, scenario: Scenario, loaded: Fields) -> Any:
        raw = data[key]
        if not isinstance(raw, kind) or isinstance(raw, bool) and kind is int:
            raise SnapshotError(f"malformed snapshot: {key!r} is {type(raw).__name__}")
        return read(raw)
    return Codec(lambda v: {key: write(v)}, load, copy)


def _counts(key: str) -> Codec:
    return _plain(key, dict, Counter, read=lambda raw: Counter({str(k): int(v) for k, v in raw.items()}), write=dict)


def _load_round(data: JSON, scenario: Scenario, loaded: Fields) -> str:
    name: str = data["round"]
    if name not in scenario.rounds and name not in scenario.endings:
        raise SnapshotError(f"unknown round {name!r}")
    return name


def _load_ending(data: JSON, scenario: Scenario, loaded: Fields) -> str | None:
    name: str | None = data["ending"]
    if name is not None and name not in scenario.endings:
        raise SnapshotError(f"unknown ending {name!r}")
    return name


def _load_dice(data: JSON, scenario: Scenario, loaded: Fields) -> Dice:
    dice = Dice(loaded["seed"])
    dice.fast_forward(int(data["draws"]))
    return dice


def _dump_values(values: dict[str, Value]) -> JSON:
    return {"values": {n: v for n, v in values.items() if n not in BUILTIN_NAMES},
            "builtins": {n: values[n] for n in BUILTIN_NAMES}}


def _load_values(data: JSON, scenario: Scenario, loaded: Fields) -> dict[str, Value]:
    values = initial_values(scenario)
    for name, value in data["values"].items():
        if name not in scenario.vars:
            raise SnapshotError(f"unknown variable {name!r}")
        values[name] = scenario.vars[name].fit(value, None)
    for name, value in data["builtins"].items():
        if name in BUILTIN_NAMES:
            values[name] = int(value)
    return values


def _load_mode(data: JSON, scenario: Scenario, loaded: Fields) -> str:
    mode: str = data["mode"]
    if mode not in ("training", "assessment"):
        raise SnapshotError(f"unknown mode {mode!r}")
    return mode


def _load_order(data: JSON, scenario: Scenario, loaded: Fields) -> tuple[str, ...]:
    """The display order kept for the current round; it must list exactly that round's choices."""
    order = tuple(str(i) for i in data["display_order"] or ())
    round_ = scenario.rounds.get(loaded["round"])
    if round_ is None:  # the game has ended: no choices to order
        return ()
    if order and sorted(order) != sorted(round_.by_id):
        raise SnapshotError(f"display order {list(order)} does not match the choices of round {loaded['round']!r}")
    return order


def initial_values(scenario: Scenario) -> dict[str, Value]:
    """The variables at their starting values and the built-ins at zero, in a plain dict; traits
    and derived values are not state: expressions read them from the scenario (see values.py)."""
    values = dict(scenario.initial)
    values.update(_BUILTINS_AT_ZERO)
    return values


@dataclass(slots=True)
class SessionState:
    """What changes while a game is played. Fields keep their snapshot key names of format 1."""

    round: str = field(metadata={CODEC: Codec(_one("round"), _load_round, _same)})
    seed: int = field(metadata={CODEC: _plain("seed", int)})
    dice: Dice = field(metadata={CODEC: Codec(lambda d: {"draws": d.draws}, _load_dice, _copy.deepcopy)})
    ending: str | None = field(metadata={CODEC: Codec(_one("ending"), _load_ending, _same)})
    history: list[tuple[str, str]] = field(metadata={CODEC: _plain(
        "choices", list, list, read=lambda raw: [(str(r), str(c)) for r, c in raw],
        write=lambda v: [list(pair) for pair in v])})
    values: dict[str, Value] = field(metadata={CODEC: Codec(_dump_values, _load_values, dict.copy)})
    revealed: set[str] = field(metadata={CODEC: _plain(
        "revealed", list, set, read=lambda raw: {str(n) for n in raw}, write=sorted)})
    tag_counts: Counter[str] = field(metadata={CODEC: _counts("tag_counts")})
    move_counts: Counter[str] = field(metadata={CODEC: _counts("move_counts")})
    log: list[JSON] = field(metadata={CODEC: _plain("log", list, list, read=list)}, default_factory=list)
    ledger: list[JSON] = field(metadata={CODEC: _plain("ledger", list, list, read=list)}, default_factory=list)
    steps: list[JSON] = field(metadata={CODEC: _plain("steps", list, list, read=list)}, default_factory=list)
    last_moves: dict[str, str] = field(metadata={CODEC: _plain(  # actor id -> the move it made last
        "last_moves", dict, dict, read=lambda raw: {str(k): str(v) for k, v in raw.items()})}, default_factory=dict)
    said: dict[int, str] = field(metadata={CODEC: _plain(  # turn -> the trainee's own words (free text)
        "said", dict, dict, read=lambda raw: {int(k): str(v) for k, v in raw.items()},
        write=lambda v: {str(k): t for k, t in v.items()})}, default_factory=dict)
    beats: list[Beat] = field(metadata={CODEC: _plain(
        "beats", list, list, read=lambda raw: [Beat(**b) for b in raw],
        write=lambda v: [asdict(b) for b in v])}, default_factory=list)
    # training or assessment: kept with the game so an assessment is never resumed with the coach on
    mode: str = field(metadata={CODEC: Codec(_one("mode"), _load_mode, _same)}, default="training")
    # the current round's choice ids in the order shown (shuffled from the seed: no answer key by position)
    display_order: tuple[str, ...] = field(metadata={CODEC: Codec(
        lambda v: {"display_order": list(v)}, _load_order, _same)}, default=())
    # what ended the game: trigger, route or roll, with the values that decided it
    ended_by: JSON | None = field(metadata={CODEC: Codec(
        _one("ended_by"), lambda data, scenario, loaded: data["ended_by"], _copy.deepcopy)}, default=None)

    @classmethod
    def new(cls, scenario: Scenario, seed: int = 0, dice: Dice | None = None, mode: str = "training") -> SessionState:
        """The state before the first round opens."""
        return cls(round=scenario.start, seed=seed, dice=dice if dice is not None else Dice(seed), ending=None,
                   history=[], values=initial_values(scenario),
                   revealed=set(scenario.visible),
                   tag_counts=Counter(), move_counts=Counter(), mode=mode)

    def to_dict(self) -> JSON:
        """JSON-ready data, tagged with the format version it was written in."""
        out: JSON = {"format": VERSION}
        for name, codec, _ in _FIELDS:
            out.update(codec.dump(getattr(self, name)))
        return out

    @classmethod
    def from_dict(cls, data: JSON, scenario: Scenario) -> SessionState:
        """Read a state written by ``to_dict`` (this format or an older compatible one) for ``scenario``."""
        try:
            version = data["format"]
            if not isinstance(version, int) or not MIN_COMPATIBLE_VERSION <= version <= VERSION:
                raise SnapshotError(f"snapshot format {version!r} cannot be read: this engine reads formats "
                                    f"{MIN_COMPATIBLE_VERSION} to {VERSION}")
            loaded: Fields = {}
            for name, codec, default in _FIELDS:
                try:
                    loaded[name] = codec.load(data, scenario, loaded)
                except KeyError:
                    if default is None:  # a field newer than the snapshot starts from its default
                        raise
                    loaded[name] = default()
            return cls(**loaded)
        except SnapshotError:
            raise
        except (KeyError, TypeError, ValueError, AttributeError) as err:
            raise SnapshotError(f"malformed snapshot: {err!r}") from None

    def copy(self, dice: Dice | None = None) -> SessionState:
        """An independent copy; ``dice`` replaces the copied dice (the explorer enumerates rolls)."""
        twin = {name: codec.copy(getattr(self, name)) for name, codec, _ in _FIELDS if name != "dice"}
        return SessionState(dice=dice if dice is not None else _copy.deepcopy(self.dice), **twin)


def _default(f: Field[Any]) -> Callable[[], Any] | None:
    if f.default_factory is not MISSING:
        return f.default_factory
    if f.default is not MISSING:
        return lambda: f.default
    return None


_FIELDS = tuple((f.name, f.metadata[CODEC], _default(f)) for f in fields(SessionState))
