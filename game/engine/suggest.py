"""'Did you mean ...?' for every unknown name an author writes: one rule, used everywhere.

A suggestion must be a likely typo, not any name that shares two letters. A short name
(four letters or fewer) is matched only one edit away, a swap of two neighbours counting
as one (``mni`` -> ``min``, but ``abs`` is not ``has``); a longer one by similarity.
"""
from __future__ import annotations

import difflib
from collections.abc import Iterable

SHORT = 4


def _edits(a: str, b: str) -> int:
    """Optimal string alignment distance: insertions, deletions, substitutions, adjacent swaps."""
    row2: list[int] = []
    row1 = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        row = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            row[j] = min(row1[j] + 1, row[j - 1] + 1, row1[j - 1] + (a[i - 1] != b[j - 1]))
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                row[j] = min(row[j], row2[j - 2] + 1)
        row2, row1 = row1, row
    return row1[-1]


def close_match(name: str, known: Iterable[str]) -> str | None:
    """The known name the author most likely meant, or None."""
    name = str(name)
    candidates = [str(k) for k in known if not str(k).startswith("_")]
    if len(name) <= SHORT:
        near = sorted((_edits(name, k), k) for k in candidates if abs(len(k) - len(name)) <= 1)
        return near[0][1] if near and near[0][0] <= 1 else None
    found = difflib.get_close_matches(name, candidates, n=1, cutoff=0.7)
    return found[0] if found else None


def hint(name: str, known: Iterable[str]) -> str:
    """'; did you mean 'x'?' or nothing."""
    found = close_match(name, known)
    return f"; did you mean {found!r}?" if found else ""
