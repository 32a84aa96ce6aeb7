"""Plain-text layout shared by ``offramp run`` and plain mode: how both wrap text and style the
neutral presentation model (``game.engine.blocks``), so both say the same thing the same way.

Lines read without colour or layout, for screen readers, pipes and dumb terminals.
Nothing here imports Textual or the engine: it only reads blocks.
"""
from __future__ import annotations

import textwrap

WIDTH = 88
LABEL = 18  # the least width of a score's label column (the longest label widens it)


def wrap(text: str, indent: str = "") -> str:
    """Fill each paragraph of ``text`` to WIDTH columns; blank lines stay blank."""
    return "\n".join(_lines(text, indent))


def _lines(text: str, indent: str = "", hang: str = "", width: int = WIDTH) -> list[str]:
    """Each paragraph of ``text`` filled to ``width``, later lines indented by ``hang`` more; blank lines kept."""
    return [textwrap.fill(part, width, initial_indent=indent, subsequent_indent=indent + hang) if part.strip() else ""
            for part in text.split("\n")]


def bar(fraction: float, width: int) -> str:
    """A text bar that reads without colour: full blocks, then light shade."""
    filled = round(max(0.0, min(1.0, fraction)) * width)
    return "█" * filled + "░" * (width - filled)


def block_lines(block, width: int = WIDTH) -> list[str]:
    """One block as lines of text."""
    kind = block.kind
    if kind == "heading":
        return ["", f"== {block.who}: {block.text} =="]
    if kind == "para":
        return _lines(block.text, width=width)
    if kind == "speech":
        return _lines(f"{block.who}: {block.text}", width=width)
    if kind == "choice":
        return _lines(f"You chose {block.who}: {block.text}", width=width) + [
            line for item in block.items for line in _lines(item, "  - ", "    ", width)]
    if kind == "list":
        head = [block.text] if block.text else []
        return head + [line for item in block.items for line in _lines(_item(item), "  ", "  ", width)]
    if kind == "bars":
        column = max([LABEL, *(len(b.label) for b in block.items)])
        return [_bar_line(b, column) for b in block.items]
    if kind == "series":
        return [f"  {s.label:<11} " + " > ".join(f"{v:g}" for v in s.values) for s in block.items]
    if kind == "meta":
        return [f"{label}: {value}" for label, value in block.items]
    return _lines(block.text, width=width)


def _item(item) -> str:
    text = f"{item.head}: {item.text}" if item.head else item.text
    return f"{text} [{item.note}]" if item.note else text


def _bar_line(b, column: int) -> str:
    if not b.maximum:
        return f"  {b.label:<{column}} {b.value:g}"
    shown = f"{b.value:g}" if b.penalty else f"{b.value:g}/{b.maximum:g}"
    return f"  {b.label:<{column}} {bar(abs(b.value) / b.maximum, 20)} {shown}"


def narrative_lines(blocks, width: int = WIDTH) -> list[str]:
    """Narrative blocks, each followed by a blank line."""
    out: list[str] = []
    for block in blocks:
        out += block_lines(block, width) + [""]
    return out


def sections_lines(title: str, sections, width: int = WIDTH) -> list[str]:
    """A titled page of sections: the title, then each section's title and its blocks."""
    out = [title]
    for section in sections:
        out += ["", f"-- {section.title} --"]
        for block in section.blocks:
            out += block_lines(block, width)
    return out
