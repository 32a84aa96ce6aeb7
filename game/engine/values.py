"""The mapping expressions read: variables, traits and built-ins, with derived values on demand."""
from __future__ import annotations


class Env(dict):
    """Values an expression can read; derived values are computed when first asked for."""

    __slots__ = ("derived", "ctx")

    def __missing__(self, key):
        fn = self.derived.get(key)
        if fn is None:
            raise KeyError(key)
        return fn(self, self.ctx)
