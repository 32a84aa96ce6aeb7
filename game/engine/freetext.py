"""Free-text play: which open choice a line the trainee typed corresponds to.

The reader (game.recognize) says which tactic tags a line uses; this module picks the
authored choice those tags fit best, so the round plays exactly as if that choice had
been made, in the trainee's own words. Nothing advances on a guess: a line whose tags
fit no open choice, or fit two equally well with nothing in the wording to tell them
apart, asks the trainee to put it another way. A move that carries no tactic at all
(accepting something at face value, say) is matched by its wording.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from .model import Choice
from .text import Template

Render = Callable[[Template], str]  # a choice's text as the trainee would have read it

MIN_CONFIDENCE = 0.5
MIN_SHARED_WORDS = 2  # a move with no tactic is matched by wording alone, and only on this much overlap
_WORD = re.compile(r"[a-z]{4,}")


@dataclass(frozen=True)
class Heard:
    """What a typed line came to: the choice it plays (None: ask again) and why."""

    choice: Choice | None
    tags: tuple[str, ...]  # the tags read in the line, most confident first
    reason: str
    near: tuple[Choice, ...] = ()  # open choices sharing a tag with the line, best fit first: what to correct to


def _fit(line_tags: set[str], choice: Choice) -> float:
    """How well a choice's tags match the line's: shared tags, less what either has alone."""
    shared = line_tags & set(choice.tags)
    if not shared:
        return 0.0
    return len(shared) - 0.25 * len(line_tags ^ set(choice.tags))


def _closeness(text: str, choice_text: str) -> int:
    return len(set(_WORD.findall(text.lower())) & set(_WORD.findall(choice_text.lower())))


def match(text: str, readings: Iterable[tuple[str, float]], choices: Sequence[Choice], render: Render) -> Heard:
    """The open choice a line plays, from its readings ``(tag, confidence)`` pairs.

    ``render`` turns a choice's text template into what the trainee would have read, so
    ties between choices with the same tags go to the closest wording."""
    sure = [(tag, conf) for tag, conf in readings if conf >= MIN_CONFIDENCE]
    tags = tuple(tag for tag, _ in sure)
    if not tags:
        plain = [(_closeness(text, render(c.text)), c) for c in choices if not c.tags]
        plain = sorted((pair for pair in plain if pair[0] >= MIN_SHARED_WORDS), key=lambda pair: -pair[0])
        if plain and (len(plain) == 1 or plain[0][0] > plain[1][0]):
            return Heard(plain[0][1], tags, "no tactic in it: read by its wording as a plain move", (plain[0][1],))
        return Heard(None, tags, "no tactic recognized in the line")
    fits = sorted(((_fit(set(tags), c), c) for c in choices), key=lambda pair: -pair[0])
    near = tuple(c for _, c in fits if set(tags) & set(c.tags))
    if not fits or fits[0][0] <= 0:
        return Heard(None, tags, "what the line does is not one of the moves open now", near)
    best = [c for score, c in fits if score == fits[0][0]]
    if len(best) > 1:
        ranked = sorted(((_closeness(text, render(c.text)), c) for c in best), key=lambda pair: -pair[0])
        if ranked[0][0] == ranked[1][0]:
            return Heard(None, tags, "the line fits several moves equally; say more about which", near)
        best = [ranked[0][1]]
    return Heard(best[0], tags, "read as " + " + ".join(tags), (best[0], *(c for c in near if c is not best[0])))
