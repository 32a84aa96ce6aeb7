"""What the play screens and plain mode show around the narrative: round, coach line, gauges, glossary.

The narrative and the debrief themselves are neutral blocks built by
``game.engine.presentation``. Nothing here imports Textual (plain mode must start
without it) or the engine (the title screen starts without it).
"""
from __future__ import annotations

import re
import textwrap
from dataclasses import dataclass
from typing import Any

MODES = ("training", "assessment")
WHAT_IF_POLICY = "doctrine"  # the bundled policy the debrief replays a decision with, when the story has it


def round_number(session) -> int:
    """The round the trainee is on, counting from 1 (the last one played once it ended)."""
    return max(len(session.history), 1) if session.ended else len(session.history) + 1


def round_title(session) -> str:
    if session.ended:
        return session.scenario.endings[session.ending].title
    return session.round.title


# Who answers a typed line the round cannot read, and how, taking turns: a role of the story
# (the scenario names who plays it) and words that ask for the line again without hinting at it.
PUZZLED = (
    ("adversary", "What exactly are you saying?"),
    ("aide", "I am not sure that landed. Put it to him another way."),
    ("adversary", "Say that again, plainly. I did not follow you."),
)


def puzzled(session, attempt: int) -> tuple[str, str]:
    """(speaker's name, words) answering the ``attempt``-th unreadable line of a round (from 0).
    A scenario without an aide hears it from across the table."""
    role, words = PUZZLED[attempt % len(PUZZLED)]
    speakers = session.scenario.speakers
    return speakers.get(role) or speakers.get("adversary", "Across the table"), words


def typed_line(raw: str) -> tuple[str, bool]:
    """A typed line as the reader gets it: no control characters or escape sequences, line
    breaks of a paste as spaces, at most the reader's length; and whether it was cut."""
    from ..recognize import MAX_CHARS
    from ..text_safety import clean

    text = " ".join(clean(raw).split())
    return text[:MAX_CHARS], len(text) > MAX_CHARS


def coach_line(session) -> str:
    """After a move: the choice's hint and the ledger's reasons for that turn, in one line."""
    if not session.history:
        return ""
    round_id, choice_id = session.history[-1]
    choice = session.scenario.rounds[round_id].by_id[choice_id]
    turn = len(session.history)
    whys = [e["why"] for e in session.ledger if e["turn"] == turn and e["tag"] is not None and e["why"]]
    parts = [p.strip() for p in [choice.hint, *whys] if p and p.strip()]
    return " ".join(dict.fromkeys(parts))


def whole_sentences(text: str, width: int, lines: int, lead: str = "") -> tuple[str, bool]:
    """As many whole sentences of ``text`` as fit in ``lines`` lines of ``width`` columns after
    ``lead``, and whether some were left out: a note is shortened, never cut mid-sentence."""
    sentences = [s for s in re.split(r"(?<=[.!?])\s+", text.strip()) if s]
    kept: list[str] = []
    for sentence in sentences:
        candidate = " ".join([*kept, sentence])
        if kept and len(textwrap.wrap(f"{lead}{candidate}", max(width, 10))) > lines:
            break
        kept.append(sentence)
    return " ".join(kept), len(kept) < len(sentences)


@dataclass(frozen=True, slots=True)
class Gauge:
    """One value on the side panel."""

    name: str
    label: str
    value: float | bool
    low: float
    high: float
    revealed: bool  # hidden at the start, shown by an intelligence move

    @property
    def fraction(self) -> float:
        if isinstance(self.value, bool):
            return 1.0 if self.value else 0.0
        span = (self.high - self.low) or 1
        return min(max((float(self.value) - self.low) / span, 0.0), 1.0)

    @property
    def shown(self) -> str:
        if isinstance(self.value, bool):
            return "yes" if self.value else "no"
        if self.high - self.low <= 10:
            return f"{self.value:g}/{self.high:g}"
        return f"{self.value:g}"


def gauges(session) -> list[Gauge]:
    """What the trainee may see, visible values first, then what intelligence revealed."""
    out = []
    for name, value in session.visible_state().items():
        var = session.scenario.vars[name]
        low = 0 if var.low is None else var.low
        high = 100 if var.high is None else var.high
        out.append(Gauge(name, var.label or name, value, low, high, not var.visible))
    return sorted(out, key=lambda g: g.revealed)


def glossary(tactics: dict, skills: dict) -> list[tuple[Any, list]]:
    """The tactics catalogue grouped by skill, in the story's teaching order: (skill, tactics)."""
    groups: dict[str, list] = {}
    for tactic in tactics.values():
        groups.setdefault(tactic.skill, []).append(tactic)
    return [(skill, sorted(groups[skill.id], key=lambda t: t.id)) for skill in skills.values() if skill.id in groups]


def failure_text(err: BaseException, autosave_kept: bool, report=None) -> tuple[str, str]:
    """(title, body) for play stopped by an error: a story bug (E400, with file:line:col) or a bug
    in offramp (with the report that holds its details). The autosave is promised only if it exists."""
    from ..text_safety import clean

    if str(getattr(err, "code", "")) == "E400":
        title = "The scenario hit a story error"
        body = (f"{clean(str(err))}\n\nThis is a bug in the scenario file, not something you did; "
                "please tell the scenario's author what the message says.")
    else:
        from ..crash import summary

        title = "offramp hit an unexpected error"
        body = f"{summary(err, report)}\n\nThis is not something you did."
    if autosave_kept:
        body += (" The autosave from your last good move is kept: choose Continue on the title screen "
                 "to return to it.")
    else:
        body += " Nothing of this game was saved yet: start it again from the title screen."
    return title, body
