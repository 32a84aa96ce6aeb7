"""Paths and libraries shared by the toolkit tests."""
from __future__ import annotations

import os
import subprocess
import sys
from functools import cache
from importlib.metadata import entry_points
from pathlib import Path

from game.engine import load_library
from game.paths import story_paths

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
BROKEN = HERE / "broken"
HEALTHY = HERE / "healthy"


@cache
def bundled():
    return load_library(story_paths())


@cache
def lab():
    """The bundled story plus the broken and healthy test scenarios."""
    library = load_library(story_paths([BROKEN, HEALTHY]))
    errors = [str(d) for d in library.diagnostics.errors]
    assert not errors, errors
    return library


def child_env() -> dict:
    """The environment for a child process: this checkout first on the import path."""
    return {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}


def offramp(*args, cwd=None) -> subprocess.CompletedProcess:
    """Run the real command line in a child process, as an instructor would."""
    env = child_env()
    env.pop("OFFRAMP_STORY", None)
    return subprocess.run([sys.executable, "-m", "game", *map(str, args)], cwd=cwd or ROOT, env=env,
                          capture_output=True, text=True, timeout=300)


# until the package is installed with its pytest11 entry point, name the plugin explicitly
PLUGIN_INSTALLED = any(ep.name == "offramp" for ep in entry_points(group="pytest11"))
PLUGIN_ARGS = () if PLUGIN_INSTALLED else ("-p", "game.tools.pytest_plugin")
