"""One spelling for every way a trainee types: lower case, contractions opened, British
spellings and common shorthand mapped to one form, punctuation dropped except the question
mark, so rules and the model see 'youre', "you're" and 'you are' as the same words."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from ..text_safety import clean as safe_text

_CONTRACTIONS = {
    "you're": "you are",
    "youre": "you are",
    "ur": "your",
    "u": "you",
    "we're": "we are",
    "were'": "we are",
    "i'm": "i am",
    "im": "i am",
    "it's": "it is",
    "that's": "that is",
    "what's": "what is",
    "don't": "do not",
    "dont": "do not",
    "won't": "will not",
    "wont": "will not",
    "can't": "can not",
    "cant": "can not",
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
    "lets": "let us",
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


def clean(text: str) -> str:
    """The line as a person would read it: no control characters, one space between words."""
    return " ".join(safe_text(unicodedata.normalize("NFKC", text)).split())


def words(text: str) -> list[str]:
    """Normalised words, with '?' kept as a word of its own."""
    text = clean(text).lower().replace("\u2019", "'").replace("\u2018", "'")
    out: list[str] = []
    for token in _WORD.findall(text):
        token = token.strip("'")
        if not token:
            continue
        expanded = _CONTRACTIONS.get(token)
        if expanded:
            out.extend(expanded.split())
            continue
        out.append(_american(token))
    return out


@lru_cache(maxsize=65536)
def _american(token: str) -> str:
    for pattern, replacement in _BRITISH:
        token = pattern.sub(replacement, token)
    return token
