"""Plain-text layout shared by `offramp run` and plain mode, so both wrap text the same way."""
from __future__ import annotations

import textwrap

WIDTH = 88


def wrap(text: str, indent: str = "") -> str:
    """Fill each paragraph of ``text`` to WIDTH columns; blank lines stay blank."""
    return "\n".join(textwrap.fill(p, WIDTH, initial_indent=indent, subsequent_indent=indent) if p.strip() else ""
                     for p in text.split("\n"))
