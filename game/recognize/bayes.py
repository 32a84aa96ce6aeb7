"""A small naive Bayes model per tag, trained on the labelled corpus when first needed.

Pure Python and deterministic: no model file to download or unpickle, and training on
the few hundred corpus lines takes milliseconds. Features are words, word pairs and the
four-letter pieces of each word, so a typo still shares most of its pieces with the
word it meant.
"""
from __future__ import annotations

import itertools
import math
from collections import Counter
from collections.abc import Iterable

SMOOTHING = 0.5
TEMPERATURE = 3.0  # word, pair and piece features overlap; undivided, their evidence would count thrice


def features(line_words: list[str]) -> Counter[str]:
    found: Counter[str] = Counter()
    plain = [w for w in line_words if w != "?"]
    found.update(f"w:{w}" for w in plain)
    found.update(f"b:{a} {b}" for a, b in itertools.pairwise(plain))
    if plain:
        found[f"first:{plain[0]}"] += 1
    if "?" in line_words:
        found["question"] += 1
    for word in plain:
        padded = f"<{word}>"
        found.update(f"c:{padded[i:i + 4]}" for i in range(max(1, len(padded) - 3)))
    return found


class TagModel:
    """One yes/no naive Bayes classifier per tag over shared features."""

    def __init__(self, examples: Iterable[tuple[list[str], set[str]]], tags: Iterable[str]):
        rows = [(features(w), labels) for w, labels in examples]
        vocabulary = {f for counts, _ in rows for f in counts}
        self.tags = sorted(tags)
        self.bias: list[float] = []
        per_tag: list[dict[str, float]] = []
        size = len(vocabulary) or 1
        for tag in self.tags:
            yes: Counter[str] = Counter()
            no: Counter[str] = Counter()
            n_yes = 0
            for counts, labels in rows:
                if tag in labels:
                    yes.update(counts)
                    n_yes += 1
                else:
                    no.update(counts)
            total_yes, total_no = sum(yes.values()), sum(no.values())
            self.bias.append(math.log((n_yes + SMOOTHING) / (len(rows) - n_yes + SMOOTHING)))
            per_tag.append({
                f: (math.log((yes[f] + SMOOTHING) / (total_yes + SMOOTHING * size))
                    - math.log((no[f] + SMOOTHING) / (total_no + SMOOTHING * size))) / TEMPERATURE
                for f in vocabulary})
        # feature -> its weight for every tag, so reading a line touches each of its features once
        self.table = {f: tuple(weights[f] for weights in per_tag) for f in vocabulary}

    def weight(self, tag: str, feature: str) -> float:
        vector = self.table.get(feature)
        return vector[self.tags.index(tag)] if vector else 0.0

    def probabilities(self, line_words: list[str]) -> dict[str, float]:
        scores = list(self.bias)
        for feature, n in features(line_words).items():
            vector = self.table.get(feature)
            if vector:
                scores = [s + n * w for s, w in zip(scores, vector, strict=True)]
        return {tag: 1 / (1 + math.exp(-max(-60.0, min(60.0, s)))) for tag, s in zip(self.tags, scores, strict=True)}
