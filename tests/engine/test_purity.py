"""The engine stays pure: importing it never drags in the UI toolkit."""
from __future__ import annotations

import subprocess
import sys

from .helpers import ROOT


def test_engine_import_does_not_load_textual():
    code = "import game.engine, sys; assert 'textual' not in sys.modules, 'textual was imported'"
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr


def test_engine_and_autoplay_do_not_load_textual_while_playing():
    code = ("import sys\n"
            "from game.engine import load_library\n"
            "from game.paths import story_paths\n"
            "from game.tools.autoplay import run\n"
            "lib = load_library(story_paths())\n"
            "run(lib.scenarios['tutorial'], lib.policies['random'], range(3))\n"
            "assert not [m for m in sys.modules if m.split('.')[0] == 'textual'], 'textual was imported'\n")
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
