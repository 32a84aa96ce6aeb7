"""Precision, recall and F1 of the reader on the corpus's held-out fifth: what the benchmark
prints and what the test suite holds to a floor."""
from __future__ import annotations

from dataclasses import dataclass

from . import Casual, Example, Recognizer


@dataclass
class TagScore:
    tag: str
    true_pos: int = 0
    false_pos: int = 0
    false_neg: int = 0

    @property
    def precision(self) -> float:
        found = self.true_pos + self.false_pos
        return self.true_pos / found if found else 0.0

    @property
    def recall(self) -> float:
        wanted = self.true_pos + self.false_neg
        return self.true_pos / wanted if wanted else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def held_out_scores(examples: list[Example], tags: list[str], casual: Casual | None = None) -> dict[str, TagScore]:
    """Train on four fifths of the corpus, score the fifth it never saw, tag by tag."""
    reader = Recognizer([e for e in examples if not e.held_out], tags, casual)
    scores = {tag: TagScore(tag) for tag in tags}
    for example in (e for e in examples if e.held_out):
        got = {r.tag for r in reader.read(example.text, example.context)}
        for tag in tags:
            if tag in got and tag in example.tags:
                scores[tag].true_pos += 1
            elif tag in got:
                scores[tag].false_pos += 1
            elif tag in example.tags:
                scores[tag].false_neg += 1
    return scores


def macro_f1(scores: dict[str, TagScore]) -> float:
    return sum(s.f1 for s in scores.values()) / len(scores)
