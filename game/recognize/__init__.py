"""Which tactics a trainee's own words use: rules for the formulaic techniques, a small
naive Bayes model trained on the story's labelled corpus for the rest.

``Recognizer.read(text, context)`` returns ``Reading``s (tag, confidence, evidence), most
confident first. Pure Python, nothing downloaded: the corpus ships with the story.
"""
from __future__ import annotations

import hashlib
import json
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from . import rules
from .bayes import TagModel
from .text import CASUAL, Casual, CasualError, Spelling, casual_files, clean, load_casual

THRESHOLD = 0.97  # the model alone must be nearly sure; rules fire at RULE_CONFIDENCE
MODEL_MIN_WORDS = 5  # too few words for the model to go on alone (rules still read short lines)
RULE_CONFIDENCE = 0.9
MAX_CHARS = 1000  # a line at the table; longer input is cut with a notice by the caller
_CLOSED_QUESTION = re.compile(r"^(why|do|does|did|will|would|is|are|was|can|could|shall|should|have|has)\b")


@dataclass(frozen=True)
class Reading:
    tag: str
    confidence: float
    evidence: str


@dataclass(frozen=True)
class Example:
    text: str
    tags: frozenset[str]
    context: str  # what the other side just said

    @property
    def held_out(self) -> bool:
        """About a fifth of the corpus, chosen by the text itself, is kept out of training
        for measuring (benchmarks/bench_recognize.py)."""
        return int(hashlib.sha1(self.text.encode()).hexdigest(), 16) % 5 == 0


def load_corpus(path: Path) -> list[Example]:
    examples = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            row = json.loads(line)
            examples.append(Example(row["text"], frozenset(row["tags"]), row.get("context", {}).get("last", "")))
    return examples


class Recognizer:
    def __init__(self, examples: list[Example], tags: list[str], casual: Casual | None = None):
        self.tags = sorted(tags)
        tables = Spelling(casual)
        rows = [(tables.words(e.text), set(e.tags)) for e in examples]
        known = Counter(w for line_words, _ in rows for w in line_words if w != "?")
        known.update(dict.fromkeys(tables.casual.standard_words(), 0))  # words a casual form stands for
        self.spelling = Spelling(casual, known)  # and a slip is put right against the words trained on
        self.model = TagModel(rows, self.tags)

    def read(self, text: str, context: str = "") -> list[Reading]:
        words = self.spelling.words
        line_words = words(text[:MAX_CHARS])
        if not [w for w in line_words if w != "?"]:
            return []
        context_words = words(context)
        fired = rules.detect(line_words, context_words)
        probabilities = self.model.probabilities(line_words)
        readings = []
        for tag in self.tags:
            confidence = probabilities.get(tag, 0.0)
            evidence = fired.get(tag)
            if evidence:
                readings.append(Reading(tag, round(max(confidence, RULE_CONFIDENCE), 3), evidence))
            elif confidence >= THRESHOLD and len(line_words) >= MODEL_MIN_WORDS:
                readings.append(Reading(tag, round(confidence, 3), _strongest_words(self.model, tag, line_words)))
        readings = _settle(readings, line_words, fired)
        if fired.keys() & REFLECTIVE and {r.tag for r in readings} & REFLECTED:
            sentences = [words(sentence) for sentence in _SENTENCE_END.split(text[:MAX_CHARS])]
            readings = _own_moves(readings, sentences, context_words)
        return sorted(readings, key=lambda r: (-r.confidence, r.tag))


def _settle(readings: list[Reading], line_words: list[str], fired: dict[str, str]) -> list[Reading]:
    """Hard cases the model confuses: a why or yes/no question is not calibrated, a bluff is
    not a credible threat, an insult is never a label and neither is an echo."""
    tags = {r.tag for r in readings}
    drop = set()
    joined = " ".join(line_words)
    if _CLOSED_QUESTION.match(joined) and "empathy.calibrated_question" not in fired:
        drop.add("empathy.calibrated_question")
    if "brink.bluff" in tags:
        drop.add("brink.credible_threat")
    if "discipline.name_calling" in fired or ("empathy.mirror" in fired and "empathy.label" not in fired):
        drop.add("empathy.label")  # an echo of his words ("pushed into a corner?") names no feeling
    return [r for r in readings if r.tag not in drop]


REFLECTIVE = {"empathy.label", "empathy.summary", "empathy.accusation_audit"}
REFLECTED = {"brink.sanctions", "brink.military_aid", "brink.credible_threat", "brink.bluff",
             "brink.reckless_escalation", "offramp.phased_step"}
_SENTENCE_END = re.compile(r"[.;!?]|,\s*(?:so|but|now|meanwhile|and so)\b")


def _own_moves(readings: list[Reading], sentences: list[list[str]], context_words: list[str]) -> list[Reading]:
    """A label, summary or audit hands his own words back ("so your position is that the
    sanctions go first"): naming a topic there is not a move on it. Such tags stay only when
    another sentence of the line, one that reflects nothing, makes the move itself."""
    moved: set[str] = set()
    for sentence in sentences:
        fired = rules.detect(sentence, context_words) if sentence else {}
        if not fired.keys() & REFLECTIVE:
            moved |= fired.keys()
    return [r for r in readings if r.tag not in REFLECTED or r.tag in moved]


def _strongest_words(model: TagModel, tag: str, line_words: list[str]) -> str:
    scored = sorted(((model.weight(tag, f"w:{w}"), w) for w in line_words if w != "?"), reverse=True)
    return " ".join(w for weight, w in scored[:3] if weight > 0)


CORPUS = Path("corpus") / "tactics.jsonl"  # inside a story folder


@cache
def trained(corpus: Path, tags: tuple[str, ...], casual: tuple[Path, ...] = ()) -> Recognizer:
    """The recognizer trained on a whole corpus, built once per process."""
    return Recognizer(load_corpus(corpus), list(tags), load_casual(casual))


def for_story(folders: Iterable[Path | str], tactic_ids: Iterable[str]) -> Recognizer:
    """The recognizer for a story: the catalogue's tags, trained on the corpus of the last story
    folder that has one (an instructor's folder may bring its own), reading the casual forms of
    every folder's casual.txt (a later folder's adding to or replacing an earlier one's)."""
    folders = list(folders)
    corpora = [Path(f) / CORPUS for f in folders if (Path(f) / CORPUS).is_file()]
    if not corpora:
        raise FileNotFoundError(f"no story folder holds {CORPUS}")
    return trained(corpora[-1], tuple(sorted(tactic_ids)), tuple(casual_files(folders)))


__all__ = ["CASUAL", "CORPUS", "Casual", "CasualError", "Example", "Reading", "Recognizer", "casual_files", "clean",
           "for_story", "load_casual", "load_corpus", "trained"]
