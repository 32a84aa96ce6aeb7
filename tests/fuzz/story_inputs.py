"""Valid story files to mutate, and the rest of a library each one loads with."""
from __future__ import annotations

import json
from contextlib import redirect_stdout
from io import StringIO
from pathlib import Path
from unittest import mock

import yaml

from game.cli import main
from game.engine import EngineError, Session, load_library
from game.engine.codes import CODES
from game.engine.debrief import build as build_debrief
from game.paths import bundled_story
from game.tools.transcript import render

STORY = bundled_story()
TACTICS, RULES = STORY / "tactics.yaml", STORY / "rules.yaml"
PERSONAS = sorted((STORY / "personas").glob("*.yaml"))
TUTORIAL = STORY / "scenarios" / "tutorial.yaml"
VOLKOV = STORY / "personas" / "volkov.yaml"
MAX_STEPS = 40


def sample_playthrough() -> bytes:
    """A valid playthrough of the tutorial (first open choice each round), written as YAML."""
    library = load_library([TACTICS, RULES, *PERSONAS, TUTORIAL])
    session = Session(library.scenarios["tutorial"], 3)
    while session.choices():
        session.choose(session.choices()[0].id)
    data = {"format": 1, "kind": "playthrough", "name": "fuzz sample", "scenario": "tutorial", "seed": 3,
            "choices": [c for _, c in session.history], "expect": {"ending": session.ending}}
    return yaml.safe_dump(data, sort_keys=False).encode()


def targets() -> dict[str, tuple[bytes, list[Path]]]:
    """kind -> (the valid bytes to mutate, the other files of the library it is loaded with)."""
    others = [p for p in PERSONAS if p != VOLKOV]
    return {
        "scenario": (TUTORIAL.read_bytes(), [TACTICS, RULES, *PERSONAS]),
        "persona": (VOLKOV.read_bytes(), [TACTICS, RULES, *others, TUTORIAL]),
        "playthrough": (sample_playthrough(), [TACTICS, RULES, *PERSONAS, TUTORIAL]),
    }


def load_and_use(path: Path, others: list[Path]) -> None:
    """Everything offramp does with a story file must end in diagnostics or a game, never a crash."""
    library = validate(path, others)
    for diagnostic in library.diagnostics:
        assert diagnostic.code in CODES and diagnostic.line >= 1 and diagnostic.col >= 1
        assert str(diagnostic).startswith(f"{diagnostic.path}:{diagnostic.line}:{diagnostic.col}: ")
    for scenario in library.scenarios.values():
        play_through(scenario)


def play_through(scenario) -> None:
    """A scenario that compiled must play: E400 (a story bug met while playing) is the only way out."""
    session = Session(scenario, 1)
    try:
        while session.choices() and session.turn < MAX_STEPS:
            session.choose(session.choices()[0].id)
    except EngineError:
        return
    json.dumps(session.snapshot())
    build_debrief(session)
    render(session, "md")


def validate(path: Path, others: list[Path]):
    """Run ``offramp validate PATH --json`` over the small library; return the library it loaded."""
    loaded, out = [], StringIO()

    def load_and_keep(paths, **options):
        loaded.append(load_library(paths, **options))
        return loaded[-1]
    with mock.patch("game.cli.story.story_paths", lambda extra=(): list(others)), \
            mock.patch("game.engine.load_library", load_and_keep), redirect_stdout(out):
        code = main(["validate", str(path), "--json"])
    report = json.loads(out.getvalue())
    assert code == (1 if report["errors"] else 0)
    return loaded[0]
