"""The mapping expressions read: the state's variables and built-ins, with traits and derived values on demand."""
from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

Value = float | bool  # what a variable, trait or built-in holds


class Env(dict[str, Value]):
    """Values an expression can read. It holds what changes during a game; a name it does not
    hold is a fixed value of the scenario (``fixed``: persona traits) or a derived value,
    computed when asked for with ``ctx`` answering has(), count() and chance()."""

    __slots__ = ("derived", "fixed", "ctx")
    derived: Mapping[str, Callable[[Env, Any], Any]]  # name -> compiled expression, called as fn(values, ctx)
    fixed: dict[str, Value]
    ctx: Any  # what has(), count() and chance() call: the session

    def __missing__(self, key: str) -> Any:
        if key in self.fixed:
            return self.fixed[key]
        fn = self.derived.get(key)
        if fn is None:
            raise KeyError(key)
        return fn(self, self.ctx)
