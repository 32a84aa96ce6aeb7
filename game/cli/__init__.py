"""The ``offramp`` command: one small module per group of subcommands."""
from __future__ import annotations

import argparse
import importlib
import os
import sys
from typing import Any

from .. import __version__
from ..text_safety import clean
from .common import UserError, eprint

INTERNAL_ERROR = 70  # EX_SOFTWARE: offramp itself failed, as opposed to a mistake in the input (1)

# Each module exposes register(subparsers); its subcommands set a ``func`` default. The map
# lets a command import only its own module, so 'offramp' opens the title screen quickly
# (a test checks it matches what the modules register).
COMMANDS = {
    "play": "play",
    "validate": "story", "list": "story", "run": "story", "autoplay": "story",
    "saves": "saves", "transcript": "saves",
    "explore": "toolkit", "graph": "toolkit", "schema": "toolkit", "editor": "toolkit", "new": "toolkit",
    "record": "toolkit",
    "serve": "serve",
    "docs": "docs", "completion": "completion", "recognize": "recognize",
    "results": "results",
    "persona": "persona",
}
COMMAND_MODULES = list(dict.fromkeys(COMMANDS.values()))


class HelpFormatter(argparse.HelpFormatter):
    """Wraps descriptions as usual, but prints a command's example line for line, ready to copy."""

    def _fill_text(self, text, width, indent):
        if text.startswith("example"):
            return "".join(indent + line for line in text.splitlines(keepends=True))
        return super()._fill_text(text, width, indent)


class _CommandParser(argparse.ArgumentParser):
    """The parser of each command: keeps its example's lines as written."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", HelpFormatter)
        super().__init__(*args, **kwargs)


def build_parser(modules=COMMAND_MODULES) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="offramp",
        description="Negotiation training: tactical empathy, brinkmanship and off-ramps.",
        epilog="Run 'offramp COMMAND --help' for a command's options and an example.",
    )
    parser.add_argument("--version", action="version", version=f"offramp {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_CommandParser)
    for name in modules:
        importlib.import_module(f"{__name__}.{name}").register(sub)
    return parser


def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    command = next((arg for arg in argv if arg in COMMANDS), None)
    if command is None and not {"-h", "--help", "--version"} & set(argv):
        command, argv = "play", ["play", *argv]  # no command: 'offramp [--story DIR ...]' opens the title screen
    parser = build_parser([COMMANDS[command]] if command else COMMAND_MODULES)
    args = parser.parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except UserError as err:
        eprint(clean(f"offramp: {err}"))
        return err.code
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # the reader went away (head, a pager): entry() ends quietly, no crash report
        raise
    except Exception as err:  # noqa: BLE001 - the one place a bug becomes a report, not a traceback
        message = _story_problem(err)
        if message is None:  # a bug in offramp: a report file keeps the traceback, the user gets one line
            from ..crash import summary, write_report

            message = summary(err, write_report(err, f"running 'offramp {' '.join(argv)}'"))
            eprint(message)
            return INTERNAL_ERROR
        eprint(clean(message))
        return 1


def _story_problem(err: Exception) -> str | None:
    """The message for an engine error a user can cause; the engine is imported only when one
    happens, so starting a command (and the TUI) does not pay for it."""
    from ..engine import ChoiceError, EngineError
    from ..recognize import CasualError

    if isinstance(err, ChoiceError | CasualError):
        return f"offramp: {err}"
    if isinstance(err, EngineError):
        return f"offramp: the story failed while playing: {err}"
    return None


def entry() -> None:
    try:
        code = main()
        sys.stdout.flush()
    except BrokenPipeError:  # output piped into head or a pager that quit early: not an error to show
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        code = 1
    sys.exit(code)
