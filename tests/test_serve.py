"""``offramp serve`` on the command line: what it hands textual-serve, and mistakes that name their fix."""
from __future__ import annotations

import socket
import subprocess
import sys
from pathlib import Path

from game.cli import build_parser, main
from game.cli.serve import play_command

ROOT = Path(__file__).resolve().parent.parent


def test_each_browser_session_runs_this_python_s_game_with_the_served_options(tmp_path):
    story_a, story_b = tmp_path / "drills", tmp_path / "more drills"
    story_a.mkdir()
    story_b.mkdir()
    args = build_parser().parse_args(["serve", "--story", str(story_a), "--story", str(story_b),
                                      "--saves-dir", str(tmp_path / "class saves")])
    argv = play_command(args)
    assert argv[:5] == [sys.executable, "-P", "-m", "game", "play"]  # -P: a local game/ folder cannot shadow it
    played = build_parser().parse_args([*argv[4:], "--trainee", "ana"])  # the server adds the trainee
    assert played.story == [str(story_a), str(story_b)]
    assert played.saves_dir == str(tmp_path / "class saves")
    assert played.scenario is None  # each browser session opens on the title screen
    assert not played.free_text
    typed = build_parser().parse_args([*play_command(build_parser().parse_args(["serve", "--free-text"]))[4:]])
    assert typed.free_text and typed.plain is False  # the full-screen game, starting in free text


def test_listening_on_every_interface_needs_the_address_browsers_use(capsys):
    assert main(["serve", "--host", "0.0.0.0"]) == 2
    assert "--public-url http://" in capsys.readouterr().err


def test_a_port_out_of_range_names_a_valid_one(capsys):
    assert main(["serve", "--port", "70000"]) == 2
    assert "--port 8000" in capsys.readouterr().err


def test_a_busy_port_says_to_pick_another():
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        done = subprocess.run([sys.executable, "-m", "game", "serve", "--port", str(port)], cwd=ROOT,
                              capture_output=True, text=True, timeout=60)
    assert done.returncode == 1
    assert "--port N" in done.stderr and "Traceback" not in done.stderr
