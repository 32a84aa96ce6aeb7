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
