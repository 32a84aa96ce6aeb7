"""``offramp record``: turn a played session into a playthrough file that pytest checks.

Expectations are filled from what the session actually did (its ending, outcome kind and
scores, or the round it stopped in), so a recorded file passes today and fails the day a
story change alters that path. Scores get a little slack so tuning a number by a point or
two does not break every test; pass ``slack=0`` to pin them exactly.
"""
from __future__ import annotations

import json

DEFAULT_SLACK = 5.0


def _q(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)  # a JSON string is a valid double-quoted YAML scalar


def _n(value: float) -> str:
    return f"{value:g}"


def _steps(session, reader) -> list[str]:
    """One step a move: the trainee's own words as ``say:`` where the reader still reads them as
    the move they made, else the choice id (a line corrected in training, or no reader at hand)."""
    from ..engine import Session

    said = session.state.said
    replay = Session(session.scenario, session.seed) if said and reader is not None else None
    steps = []
    for turn, (_, choice_id) in enumerate(session.history, 1):
        text = said.get(turn)
        if text is None:
            steps.append(f"  - {choice_id}")
        elif replay is not None and getattr(replay.hear(text, [(r.tag, r.confidence) for r in
                                                                reader.read(text, replay.last_words())]).choice,
                                            "id", None) == choice_id:
            steps.append(f"  - say: {_q(text)}")
        else:
            steps.append(f"  - {choice_id}  # said {_q(text)}")
        if replay is not None:
            replay.choose(choice_id, said=text)
    return steps


def playthrough_yaml(session, name: str | None = None, slack: float = DEFAULT_SLACK, reader=None) -> str:
    """The playthrough file (YAML text) that replays ``session`` and expects what it reached.
    With the free-text ``reader``, moves the trainee typed are written as ``say:`` steps."""
    scenario = session.scenario
    choices = [c for _, c in session.history]
    if name is None:
        where = f"ending {session.ending}" if session.ended else f"round {session.round_id}"
        name = f"{scenario.title}: seed {session.seed}, {len(choices)} choice(s) to {where}"
    lines = [
        "# Recorded by offramp record. Run it with plain pytest (tests/playthroughs/ is collected).",
        "format: 1",
        "kind: playthrough",
        f"name: {_q(name)}",
        f"scenario: {scenario.id}",
        f"seed: {session.seed}",
        "choices:" + ("" if choices else " []"),
        *_steps(session, reader),
        "expect:",
    ]
    if session.ended:
        lines += [f"  ending: {session.ending}", f"  outcome: {session.outcome}", "  scores:"]
        for key, value in session.scores().items():
            span = f"[{_n(value - slack)}, {_n(value + slack)}]" if slack else _n(value)
            lines.append(f"    {key}: {span}")
    else:
        lines.append(f"  round: {session.round_id}")
    return "\n".join(lines) + "\n"
