"""The mapping expressions read: variables, traits and built-ins, with derived values on demand."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

Value = float | bool  # what a variable, trait or built-in holds


class Env(dict[str, Value]):
    """Values an expression can read; derived values are computed when first asked for."""

    __slots__ = ("derived", "ctx")
    derived: dict[str, Callable[[Env, Any], Any]]  # name -> compiled expression, called as fn(values, ctx)
    ctx: Any  # what has(), count() and chance() call: the session

    def __missing__(self, key: str) -> Any:
        fn = self.derived.get(key)
        if fn is None:
            raise KeyError(key)
        return fn(self, self.ctx)
