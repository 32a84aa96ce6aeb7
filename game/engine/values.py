"""The values of a game by name: what it holds, and the traits and derived values read on demand.

A game holds its variables and built-ins in a plain dict (``SessionState.values``): that is what
compiled expressions read and effects write, since CPython's specialised dict reads and stores
do not apply to a dict subclass. Expressions need nothing else there: the compiler puts each
trait's value in place and calls a derived value's rule where it is read. ``Env`` is for what
looks a value up by name instead (texts, the debrief, tools, tests): a view of the held values
that also answers a trait or a derived value.
"""
from __future__ import annotations

from collections.abc import Iterator, Mapping, MutableMapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .expr import Compiled

Value = float | bool  # what a variable, trait or built-in holds


class Env(MutableMapping[str, Value]):
    """The values of one moment by name. ``held`` (variables and built-ins, a plain dict) is
    read and written through; a name it does not hold is a fixed value of the scenario
    (``fixed``: persona traits, and built-ins at zero) or a derived value, computed when asked
    for with ``ctx`` (the session). Iterating, ``len`` and ``in`` see only the held values."""

    __slots__ = ("held", "fixed", "derived", "ctx")

    def __init__(self, held: dict[str, Value], fixed: Mapping[str, Value], derived: Mapping[str, Compiled],
                 ctx: Any = None):
        self.held, self.fixed, self.derived, self.ctx = held, fixed, derived, ctx

    def __getitem__(self, key: str) -> Any:
        held = self.held
        if key in held:
            return held[key]
        if key in self.fixed:
            return self.fixed[key]
        rule = self.derived.get(key)
        if rule is None:
            raise KeyError(key)
        return rule(held, self.ctx)

    def __setitem__(self, key: str, value: Value) -> None:
        self.held[key] = value

    def __delitem__(self, key: str) -> None:
        del self.held[key]

    def __contains__(self, key: object) -> bool:
        return key in self.held

    def __iter__(self) -> Iterator[str]:
        return iter(self.held)

    def __len__(self) -> int:
        return len(self.held)

    def __repr__(self) -> str:
        return f"Env({self.held!r})"
