"""The mapping expressions read: the state's variables and built-ins, with traits and derived values on demand."""
from __future__ import annotations


class Env(dict):
    """Values an expression can read. It holds what changes during a game; a name it does not
    hold is a fixed value of the scenario (``fixed``: persona traits) or a derived value,
    computed when asked for with ``ctx`` answering has(), count() and chance()."""

    __slots__ = ("derived", "fixed", "ctx")

    def __missing__(self, key):
        if key in self.fixed:
            return self.fixed[key]
        fn = self.derived.get(key)
        if fn is None:
            raise KeyError(key)
        return fn(self, self.ctx)
