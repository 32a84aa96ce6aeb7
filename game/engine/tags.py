"""Tactic tag patterns: an exact tag such as ``empathy.label`` or a family such as ``empathy.*``."""
from __future__ import annotations

from collections.abc import Iterable, Mapping


def matches(pattern: str, tag: str) -> bool:
    if pattern.endswith("*"):
        return tag.startswith(pattern[:-1])
    return tag == pattern


def any_match(pattern: str, tags: Iterable[str]) -> bool:
    if pattern.endswith("*"):
        prefix = pattern[:-1]
        return any(tag.startswith(prefix) for tag in tags)
    return pattern in tags  # an exact tag: one membership test (has() runs at every step)


def count_matching(pattern: str, counts: Mapping[str, int]) -> int:
    if pattern.endswith("*"):
        prefix = pattern[:-1]
        return sum(n for tag, n in counts.items() if tag.startswith(prefix))
    return counts.get(pattern, 0)


def known(pattern: str, catalogue: Iterable[str]) -> bool:
    """Whether a pattern names at least one tactic of the catalogue."""
    return any_match(pattern, catalogue)
