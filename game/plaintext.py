"""Plain-text layout shared by `offramp run` and plain mode, so both wrap text the same way."""
from __future__ import annotations

import shutil
import textwrap

WIDTH = 88  # when the output is not a terminal and COLUMNS is unset


def width() -> int:
    """The terminal's width (COLUMNS when set, WIDTH when the output is not a terminal), less a column
    so that a full line never wraps twice."""
    return max(20, shutil.get_terminal_size((WIDTH + 1, 24)).columns - 1)


def wrap(text: str, indent: str = "") -> str:
    """Fill each paragraph of ``text`` to the terminal's width; blank lines stay blank."""
    columns = width()
    return "\n".join(textwrap.fill(p, columns, initial_indent=indent, subsequent_indent=indent) if p.strip() else ""
                     for p in text.split("\n"))
