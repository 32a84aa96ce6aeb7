"""What the engine tests share: where things are, and running the real CLI in a subprocess."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
FIXTURES = HERE / "fixtures"
BROKEN = HERE / "broken"


def offramp(*args, timeout: float = 120) -> subprocess.CompletedProcess:
    """Run ``python -m game ARGS`` from the checkout, without any OFFRAMP_STORY of the caller."""
    env = {k: v for k, v in os.environ.items() if k != "OFFRAMP_STORY"}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH", "")]))
    return subprocess.run([sys.executable, "-m", "game", *map(str, args)], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=timeout)


def no_traceback(result: subprocess.CompletedProcess) -> None:
    assert "Traceback" not in result.stdout + result.stderr, result.stdout + result.stderr
