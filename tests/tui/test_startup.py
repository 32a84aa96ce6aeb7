"""What the first frame of the title screen costs, checked in a fresh process started as a
trainee starts ``offramp``: it loads no story, engine, saves or other screen, and parses each
stylesheet once (a screen with its own CSS_PATH, or a mode, would parse them all again).
benchmarks/bench_startup.py measures the time; this checks the work that time depends on."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

PROBE = r'''
import json, sys
import textual.app
from textual import events
from textual.css.stylesheet import Stylesheet

report = {"reparses": 0}
_reparse = Stylesheet.reparse
def counted_reparse(self):
    report["reparses"] += 1
    return _reparse(self)
Stylesheet.reparse = counted_reparse

_post = textual.app.App.post_message
def probe_post(self, message):
    if isinstance(message, events.Ready) and "screen" not in report:
        report["screen"] = type(self.screen).__name__
        report["modules"] = sorted(name for name in sys.modules if name.split(".")[0] == "game")
        report["reparses_at_ready"] = report["reparses"]
        self.call_later(self.exit)
    return _post(self, message)
textual.app.App.post_message = probe_post

_run = textual.app.App.run
def headless_run(self, *args, **kwargs):
    kwargs["headless"] = True
    return _run(self, *args, **kwargs)
textual.app.App.run = headless_run

from game.cli import main
code = main(["play", "--saves-dir", sys.argv[1]])
print(json.dumps(report))
sys.exit(code)
'''


def first_frame(saves: Path) -> dict:
    controller, terminal = os.openpty()  # a terminal on standard input, as a trainee has
    try:
        done = subprocess.run([sys.executable, "-c", PROBE, str(saves)], stdin=terminal, capture_output=True,
                              text=True, cwd=ROOT, timeout=120,
                              env={**os.environ, "OFFRAMP_THEME": "dark"})
    finally:
        os.close(controller)
        os.close(terminal)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_the_first_frame_of_the_title_loads_only_what_it_shows(tmp_path):
    report = first_frame(tmp_path / "saves")

    assert report["screen"] == "TitleScreen"
    loaded = set(report["modules"])
    assert "game.tui.screens.title" in loaded
    deferred = {"game.engine", "game.saves", "game.recognize", "game.tools", "game.tui.best_scores",
                "game.tui.commands", "game.tui.screens.play", "game.tui.screens.picker",
                "game.tui.screens.help", "game.tui.screens.debrief"}
    assert not {name for name in loaded if any(name == d or name.startswith(d + ".") for d in deferred)}
    assert report["reparses_at_ready"] == 0, "a stylesheet was parsed again before the first frame"
