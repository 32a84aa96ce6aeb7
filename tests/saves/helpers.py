"""What the save and transcript tests share: a small story library, sample games, story copies."""
from __future__ import annotations

import itertools
import os
import signal
import subprocess
import sys
from pathlib import Path

import yaml

from game.engine import Session, load_library
from game.paths import bundled_story

ROOT = Path(__file__).resolve().parents[2]
STORY = bundled_story()
SCENARIO = "tutorial"


def base_paths() -> list[Path]:
    """The catalogue, rules, personas and the tutorial: enough to play, and quick to load."""
    return [STORY / "tactics.yaml", STORY / "rules.yaml", STORY / "personas", STORY / "scenarios" / "tutorial.yaml"]


def library_with(*folders):
    library = load_library(base_paths() + [Path(f) for f in folders])
    errors = [str(d) for d in library.diagnostics.errors]
    assert not errors, "the test story must load cleanly:\n" + "\n".join(errors)
    return library


def play(scenario, seed: int = 7, steps: int | None = None) -> Session:
    """Take the first open choice each round: deterministic whatever the writers change."""
    session = Session(scenario, seed)
    while session.choices() and (steps is None or session.turn < steps):
        session.choose(session.choices()[0].id)
    return session


def copy_scenario(folder: Path, new_id: str, edit=None) -> Path:
    """Copy the tutorial under another id into ``folder`` (edit(data) may change it first)."""
    data = yaml.safe_load((STORY / "scenarios" / "tutorial.yaml").read_text(encoding="utf-8"))
    data["id"] = new_id
    if edit is not None:
        edit(data)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{new_id}.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


def remove_round(data: dict, gone: str, instead: str) -> None:
    """Delete a round and send every choice that went there to ``instead``."""
    del data["rounds"][gone]
    for round_ in data["rounds"].values():
        for choice in round_["choices"]:
            if choice.get("goto") == gone:
                choice["goto"] = instead
    for entries in (data.get("routes") or {}).values():
        for entry in entries:
            if entry.get("goto") == gone:
                entry["goto"] = instead


def offramp(*args, cwd=ROOT, env_extra=None, timeout: float = 60) -> subprocess.CompletedProcess:
    """Run ``python -m game ARGS`` in a subprocess, as a trainee or instructor would."""
    env = {k: v for k, v in os.environ.items() if k not in ("OFFRAMP_STORY", "OFFRAMP_SAVES")}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH", "")]))
    env.update(env_extra or {})
    return subprocess.run([sys.executable, "-m", "game", *map(str, args)], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=timeout)


def kill_self_at_rename(n: int) -> None:
    """In a forked writer: SIGKILL itself at its n-th rename, when a temp file or backup link is
    written but not yet in place, the moment a random kill may or may not hit on a fast disk."""
    renames, replace = itertools.count(1), os.replace

    def dying_replace(source, target):
        if next(renames) == n:
            os.kill(os.getpid(), signal.SIGKILL)
        replace(source, target)

    os.replace = dying_replace
