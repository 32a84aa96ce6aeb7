"""Long commands show progress on a terminal's standard error, stay quiet in pipes and with --quiet."""
from __future__ import annotations

import os
import pty
import subprocess
import sys

from game.tools import autoplay
from game.tools import explore as ex

from .helpers import bundled, offramp


def test_explore_and_autoplay_report_progress_to_a_callback():
    scenario = bundled().scenarios["tutorial"]
    heard: list[tuple[str, int, int]] = []
    ex.random_runs(scenario, 250, 0, progress=lambda *report: heard.append(report))
    assert heard == [("runs", 0, 250), ("runs", 100, 250), ("runs", 200, 250), ("runs", 250, 250)]
    heard.clear()
    ex.explore(scenario, max_states=300, samples=10, progress=lambda *report: heard.append(report))
    assert {what for what, _, _ in heard} >= {"states", "seeded states", "runs"}
    assert all(done <= total for _, done, total in heard)
    heard.clear()
    ex.explore(scenario, max_states=300, samples=10, jobs=2, progress=lambda *report: heard.append(report))
    assert heard[-2:] == [("seeded states", 0, None), ("seeded states", 300, 300)]  # searched in its own process
    heard.clear()
    autoplay.run(scenario, bundled().policies["random"], range(1, 151), progress=lambda *r: heard.append(r))
    assert heard == [("games", 0, 150), ("games", 100, 150), ("games", 150, 150)]


def test_a_pipe_gets_the_summary_line_only_and_quiet_gets_nothing():
    result = offramp("autoplay", "tutorial", "--policy", "random", "--seeds", "1-20")
    assert result.returncode == 0 and result.stderr.startswith("done in ") and "━" not in result.stderr
    quiet = offramp("autoplay", "tutorial", "--policy", "random", "--seeds", "1-20", "--quiet")
    assert quiet.returncode == 0 and quiet.stderr == "" and quiet.stdout == result.stdout


def _on_a_terminal(*args: str) -> str:
    """What a command draws on a terminal's standard error."""
    leader, follower = pty.openpty()
    proc = subprocess.Popen([sys.executable, "-m", "game", *args],
                            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=follower,
                            env={**os.environ, "COLUMNS": "100", "TERM": "xterm"})
    os.close(follower)
    screen = b""
    while True:
        try:
            chunk = os.read(leader, 4096)
        except OSError:  # the child closed the terminal
            break
        if not chunk:
            break
        screen += chunk
    proc.communicate(timeout=120)
    os.close(leader)
    return screen.decode("utf-8", "replace")


def test_a_terminal_sees_a_progress_bar():
    text = _on_a_terminal("explore", "tutorial", "--random", "400")
    assert "runs" in text and "/400" in text and "done in" in text


def test_a_full_explore_shows_each_phase_including_the_open_ended_estimate():
    text = _on_a_terminal("explore", "tutorial", "--max-seconds", "6")
    assert "loading the story" in text and "states" in text and "uniform runs" in text and "/?" in text
    assert "done in" in text
