"""What the hostile-input tests share: small story files built on the bundled campaign, and the CLI
run in a subprocess (with a time and memory bound, since some of these inputs hung or exhausted it)."""
from __future__ import annotations

import os
import resource
import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
MEMORY_LIMIT = 1 << 30  # 1 GiB: reading a 1.5 GB sparse file or /dev/zero must fail fast, not swap


def scenario(ident: str, rounds: str, variables: str = "", ending_text: str = "The talks end.") -> str:
    """A small scenario over the bundled tactics, rules and personas; ``rounds`` is YAML at round level."""
    head = textwrap.dedent(f"""\
        format: 1
        kind: scenario
        id: {ident}
        title: {ident.title()}
        summary: A hostile test.
        difficulty: introductory
        minutes: 5
        cast:
          adversary: volkov
        """)
    body = "start: opening\nrounds:\n" + textwrap.indent(textwrap.dedent(rounds), "  ")
    tail = f"endings:\n  done:\n    outcome: stalemate\n    title: Done\n    text: {ending_text}\n"
    return head + textwrap.dedent(variables) + body + tail


def write_story(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def _bounded_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


def offramp(*args, timeout: float = 180, env: dict | None = None, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    """``python -m game ARGS`` from this checkout, bounded in time and memory, without the caller's
    OFFRAMP_STORY; TimeoutExpired means offramp hung (e.g. reading a FIFO)."""
    full = {k: v for k, v in os.environ.items() if k != "OFFRAMP_STORY"}
    full["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), full.get("PYTHONPATH", "")]))
    full.update(env or {})
    return subprocess.run([sys.executable, "-m", "game", *map(str, args)], cwd=cwd, env=full,
                          capture_output=True, text=True, timeout=timeout, preexec_fn=_bounded_memory,
                          check=False)


def no_traceback(result: subprocess.CompletedProcess) -> None:
    output = result.stdout + result.stderr
    assert "Traceback" not in output, output


def tutorial_library():
    """The catalogue, rules, personas and the tutorial: enough to play, and quick to load."""
    from game.engine import load_library
    from game.paths import bundled_story

    story = bundled_story()
    return load_library([story / "tactics.yaml", story / "rules.yaml", story / "personas",
                         story / "scenarios" / "tutorial.yaml"])


def first_choices(scenario, seed: int, steps: int):
    """A session that took the first open choice ``steps`` times."""
    from game.engine import Session

    session = Session(scenario, seed)
    while session.choices() and session.turn < steps:
        session.choose(session.choices()[0].id)
    return session


def key_for(app, choice_id: str) -> str:
    """The number key that makes ``choice_id`` on the play screen now: the menu is in the session's
    own shuffled order, so a test names the move it means, not a position."""
    return str([choice.id for choice in app.screen.session.choices()].index(choice_id) + 1)
