"""The command map that lets each command import only its own module stays true."""
from __future__ import annotations

import argparse
import importlib
import subprocess
import sys

from game.cli import COMMAND_MODULES, COMMANDS


def test_command_map_matches_what_each_module_registers():
    for module in COMMAND_MODULES:
        parser = argparse.ArgumentParser()
        sub = parser.add_subparsers()
        importlib.import_module(f"game.cli.{module}").register(sub)
        registered = set(sub.choices)
        mapped = {command for command, owner in COMMANDS.items() if owner == module}
        assert registered == mapped, module


def test_opening_the_title_screen_does_not_import_the_engine():
    code = ("import sys; from game.cli import build_parser, COMMANDS; build_parser([COMMANDS['play']]); "
            "assert 'game.engine' not in sys.modules, sorted(m for m in sys.modules if m.startswith('game'))")
    subprocess.run([sys.executable, "-c", code], check=True)


def test_new_refuses_an_id_the_story_already_uses(tmp_path, capsys):
    from game.cli import main

    assert main(["new", "tutorial", "--dir", str(tmp_path)]) == 1
    assert "already used by" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []


def test_output_into_a_closed_pipe_ends_quietly(tmp_path):
    """`offramp list | head -1`: the reader may go away before offramp has written everything;
    that is no crash (no report file, no 'unexpected error'), only an exit status."""
    import os

    read, write = os.pipe()
    os.close(read)  # the reader is gone before the first line is written
    env = {**os.environ, "XDG_STATE_HOME": str(tmp_path)}  # where a crash report would land
    try:
        done = subprocess.run([sys.executable, "-m", "game", "list"], stdout=write, stderr=subprocess.PIPE,
                              text=True, env=env, timeout=120)
    finally:
        os.close(write)
    assert done.returncode == 1
    assert done.stderr == ""
    assert not list(tmp_path.rglob("crash-*"))
