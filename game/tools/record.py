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


def playthrough_yaml(session, name: str | None = None, slack: float = DEFAULT_SLACK) -> str:
    """The playthrough file (YAML text) that replays ``session`` and expects what it reached."""
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
        *[f"  - {c}" for c in choices],
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
