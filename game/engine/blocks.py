"""The neutral presentation model: what a trainee or an instructor reads, before any front end styles it.

The Textual screens, plain mode, ``offramp run`` and the Markdown and HTML
transcripts receive these blocks and sections and decide only how each kind
looks, so all of them say the same thing, in the same order, under the same titles.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class Item:
    """One entry of a list: where or what (``head``), the text, and the concept behind it (``note``)."""

    head: str
    text: str
    note: str = ""


@dataclass(frozen=True, slots=True)
class Bar:
    """A score: drawn as a bar out of ``maximum``, or shown as a plain number when ``maximum`` is 0."""

    key: str
    label: str
    value: float
    maximum: float = 0.0
    penalty: bool = False


@dataclass(frozen=True, slots=True)
class Series:
    """How one value moved: its value at the start and after each choice."""

    key: str
    label: str
    values: tuple[float, ...]


@dataclass(frozen=True, slots=True)
class Block:
    """One piece of a page. ``kind`` says which fields matter:

    - ``heading``: ``who`` (e.g. "Round 2") and ``text`` (the title)
    - ``para``: ``text``; ``style`` names its tone (narration, event, verdict, concept...)
    - ``speech``: ``who`` says ``text``; ``style`` is the beat kind, ``role`` the speaker's role
    - ``choice``: the trainee's move ``text``, choice id ``who``, ``items`` its tactics (strings)
    - ``list``: ``items`` are ``Item``; ``text`` an optional caption
    - ``bars``: ``items`` are ``Bar``
    - ``series``: ``items`` are ``Series``
    - ``meta``: ``items`` are (label, value) pairs
    """

    kind: str
    text: str = ""
    who: str = ""
    style: str = ""
    role: str = ""
    items: tuple[Any, ...] = ()  # what they are depends on kind (above)


@dataclass(frozen=True, slots=True)
class Section:
    """A titled part of a page; ``id`` is stable (widget ids and tests use it)."""

    id: str
    title: str
    blocks: tuple[Block, ...]
