"""Safe text interpolation: ``{name}`` shows a value, ``{{``/``}}`` are literal braces.

No format specs, attributes or indexing: a template is split once into literal
parts and names, and rendering only looks names up.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Mapping

from ..errors import OfframpError

_TOKEN = re.compile(r"\{\{|\}\}|\{([^{}]*)\}")
_NAME = re.compile(r"[a-z][a-z0-9_]*\Z")


class TemplateError(OfframpError, ValueError):
    def __init__(self, message: str, offset: int):
        super().__init__(message)
        self.offset = offset


class Template:
    __slots__ = ("source", "parts", "names", "plain")

    def __init__(self, source: str):
        self.source = source
        parts: list[str | tuple[str]] = []
        names: list[tuple[str, int]] = []
        last = 0
        for match in _TOKEN.finditer(source):
            parts.append(source[last:match.start()])
            token = match.group(0)
            if token in ("{{", "}}"):
                parts.append(token[0])
            else:
                name = match.group(1).strip()
                if not _NAME.match(name):
                    raise TemplateError(f"'{{{match.group(1)}}}' is not a value name", match.start())
                parts.append((name,))
                names.append((name, match.start()))
            last = match.end()
        parts.append(source[last:])
        self.parts = tuple(p for p in parts if p != "")
        self.names = tuple(names)
        self.plain = _plain(self.parts)

    def bind(self, constants: Mapping[str, str]) -> Template:
        """This template with the names ``constants`` gives put in now: a text that names only the cast
        (whose names do not change during a game) becomes plain text, which a beat takes as it is.
        ``source`` and ``names`` stay as written, for what checks the names."""
        if not any(name in constants for name, _ in self.names):
            return self
        bound = Template.__new__(Template)
        bound.source, bound.names = self.source, self.names
        bound.parts = tuple(constants[p[0]] if isinstance(p, tuple) and p[0] in constants else p for p in self.parts)
        bound.plain = _plain(bound.parts)
        return bound

    def render(self, lookup: Callable[[str], str]) -> str:
        if self.plain is not None:
            return self.plain
        return "".join([p if p.__class__ is str else lookup(p[0]) for p in self.parts])  # a list joins faster


def _plain(parts: tuple[str | tuple[str], ...]) -> str | None:
    """No name to look up: the text itself, rendered once."""
    return None if any(isinstance(p, tuple) for p in parts) else "".join(p for p in parts if isinstance(p, str))


def show(value: object) -> str:
    """How a value reads in narration: whole numbers without decimals, booleans as yes/no."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else f"{value:.1f}"
    return str(value)
