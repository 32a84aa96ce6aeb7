"""One spelling for every way a trainee types, so rules and the model see 'ur', "you're" and
'you are' as the same words: lower case, contractions opened, British spellings mapped to
American, punctuation dropped except the question mark, and casual spelling read as standard
words. The casual forms (text speak, apostrophes left out, common slips of the keyboard) are
data, the story's ``corpus/casual.txt``; letters held down ('sooo') and a one-letter slip in a
longer word ('presure', 'afriad') are put right against the words the reader was trained on."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from ..errors import OfframpError
from ..text_safety import clean as safe_text

CASUAL = Path("corpus") / "casual.txt"  # inside a story folder
MAX_REMEMBERED = 65536  # words put right, remembered so each is worked out once
MIN_FIX_LENGTH = 5  # shorter words have too many neighbours one slip away to put a slip right

_CONTRACTIONS = {
    "you're": "you are",
    "we're": "we are",
    "i'm": "i am",
    "it's": "it is",
    "that's": "that is",
    "what's": "what is",
    "don't": "do not",
    "won't": "will not",
    "can't": "can not",
    "cannot": "can not",
    "isn't": "is not",
    "aren't": "are not",
    "didn't": "did not",
    "doesn't": "does not",
    "we'll": "we will",
    "i'll": "i will",
    "you'll": "you will",
    "they'll": "they will",
    "we've": "we have",
    "i've": "i have",
    "you've": "you have",
    "let's": "let us",
    "there's": "there is",
    "he's": "he is",
    "she's": "she is",
    "i'd": "i would",
    "we'd": "we would",
    "you'd": "you would",
    "wouldn't": "would not",
    "shouldn't": "should not",
    "couldn't": "could not",
    "haven't": "have not",
}
_BRITISH = [
    (re.compile(p), r)
    for p, r in [
        (r"defence", "defense"),
        (r"offence", "offense"),
        (r"programme", "program"),
        (r"centre", "center"),
        (r"learnt", "learned"),
        (r"travell", "travel"),
        (
            r"^(recogn|summar|apolog|real|organ|emphas|critic|minim|priorit|stabil|legitim|jeopard|sympath|normal"
            r"|author|civil|mobil|character|harmon|sanit|util|standard|maxim|special|memor)is",
            r"\1iz",
        ),
        (r"^(hon|lab|fav|behavi|neighb|arm|vig|hum|rum|col)our", r"\1or"),
    ]
]
_WORD = re.compile(r"[a-z0-9']+|\?")
_FORM = re.compile(r"[a-z0-9]+")
_HELD = re.compile(r"([a-z])\1{2,}")  # a letter three times or more: held down for emphasis or by a slip


class CasualError(OfframpError, ValueError):
    """A line of a casual.txt that says no form: the message names file and line."""


@dataclass(frozen=True)
class Casual:
    """Casual forms and the standard words each stands for: ``always``, or ``before`` only some
    next words ('ur worried' is 'you are worried', 'ur flank' is 'your flank')."""

    always: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    before: Mapping[str, tuple[tuple[frozenset[str], tuple[str, ...]], ...]] = field(default_factory=dict)

    def read(self, form: str, next_word: str) -> tuple[str, ...] | None:
        """The standard words ``form`` stands for when ``next_word`` follows it, if it is casual."""
        for followers, standard in self.before.get(form, ()):
            if next_word in followers:
                return standard
        return self.always.get(form)

    def standard_words(self) -> set[str]:
        return {w for words in self.always.values() for w in words} | {
            w for entries in self.before.values() for _, words in entries for w in words}


def load_casual(files: Iterable[Path]) -> Casual:
    """The casual forms of every file, a later file's line for a form replacing an earlier one's."""
    always: dict[str, tuple[str, ...]] = {}
    before: dict[str, tuple[tuple[frozenset[str], tuple[str, ...]], ...]] = {}
    for path in files:
        own_before: dict[str, tuple[tuple[frozenset[str], tuple[str, ...]], ...]] = {}
        for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            line = raw.split("#", 1)[0].strip().lower()
            if not line:
                continue
            head, equals, tail = line.partition("=")
            form, *condition = head.split() or [""]
            standard = tuple(tail.split())
            if not equals or not standard or not _FORM.fullmatch(form) or condition[:1] not in ([], ["before"]) \
                    or condition == ["before"]:
                raise CasualError(f"{path}:{number}: expected 'form = standard words' or "
                                  f"'form before word word ... = standard words' (one form, one word), got {raw!r}")
            if condition:
                own_before[form] = (*own_before.get(form, ()), (frozenset(condition[1:]), standard))
            else:
                always[form] = standard
        before.update(own_before)
    return Casual(always, before)


def casual_files(folders: Iterable[Path | str]) -> list[Path]:
    """The casual.txt of each story folder that has one, in folder order."""
    return [Path(f) / CASUAL for f in folders if (Path(f) / CASUAL).is_file()]


def clean(text: str) -> str:
    """The line as a person would read it: no control characters, one space between words."""
    return " ".join(safe_text(unicodedata.normalize("NFKC", text)).split())


class Spelling:
    """Normalised words of a line. ``known`` (word -> how often the corpus uses it) lets a held
    letter or a one-letter slip be put right; without it only the tables apply."""

    def __init__(self, casual: Casual | None = None, known: Mapping[str, int] | None = None):
        self.casual = casual or Casual()
        self.known = dict(known or {})
        self._fixed: dict[str, str] = {}

    def words(self, text: str) -> list[str]:
        """Normalised words, with '?' kept as a word of its own."""
        text = clean(text).lower().replace("\u2019", "'").replace("\u2018", "'")
        tokens = [self._unheld(t) for t in (t.strip("'") for t in _WORD.findall(text)) if t]
        out: list[str] = []
        for i, token in enumerate(tokens):
            contraction = _CONTRACTIONS.get(token)
            standard = contraction.split() if contraction else self.casual.read(
                token, self._next_word(tokens[i + 1:i + 2]))
            if standard:
                out.extend(standard)
            else:
                out.append(self._fix(_american(token)))
        return out

    def _next_word(self, following: list[str]) -> str:
        """The word after a form, as the standard word it may stand for: '2 c' is 'to see'."""
        if not following:
            return ""
        standard = self.casual.always.get(following[0])
        return standard[0] if standard else following[0]

    def _is_word(self, token: str) -> bool:
        return token in self.known or self.casual.read(token, "") is not None

    def _unheld(self, token: str) -> str:
        """'sooo' is 'so' and 'worrried' 'worried': a held letter comes down to two, or to one
        where only that makes a word the reader knows."""
        if not _HELD.search(token):
            return token
        double, single = _HELD.sub(r"\1\1", token), _HELD.sub(r"\1", token)
        return single if self._is_word(single) and not self._is_word(double) else double

    def _fix(self, token: str) -> str:
        """'lookin' is 'looking' when the reader knows that word; a word it never saw, one slip
        from a word it knows, is read as that word (the most used one if several are that close)."""
        if not self.known or len(token) < MIN_FIX_LENGTH or not token.isalpha():
            return token
        if token.endswith("in") and token + "g" in self.known:
            return token + "g"
        if token in self.known:
            return token
        if token not in self._fixed:
            if len(self._fixed) >= MAX_REMEMBERED:
                self._fixed.clear()  # a server reads for days: what it remembers stays bounded
            near = [w for w in _one_slip(token) if w in self.known]
            self._fixed[token] = min(near, key=lambda w: (-self.known[w], w)) if near else token
        return self._fixed[token]


def _one_slip(word: str) -> set[str]:
    """Every word one slip of the keyboard from ``word``: two neighbouring letters swapped
    ('afriad'), a letter doubled ('presure') or undoubled ('cornerred'). Dropped, added or
    changed letters are left alone: they turn too many real words into others ('feeling' and
    'feeding', 'weapons' and 'weapon') for a vocabulary the size of a corpus to tell apart."""
    cuts = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    return ({a + b[1] + b[0] + b[2:] for a, b in cuts if len(b) > 1 and b[0] != b[1]}
            | {a + b[0] + b for a, b in cuts if b}
            | {a + b[1:] for a, b in cuts if len(b) > 1 and b[0] == b[1]})


@lru_cache(maxsize=65536)
def _american(token: str) -> str:
    for pattern, replacement in _BRITISH:
        token = pattern.sub(replacement, token)
    return token
