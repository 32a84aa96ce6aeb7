"""What every command shares: story folders, loading the library, and user-facing errors."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..errors import OfframpError
from ..paths import story_paths


class UserError(OfframpError):
    """A mistake on the command line or in a file: printed as one clear message, exit 1."""

    def __init__(self, message: str, code: int = 1):
        super().__init__(message)
        self.code = code


def story_folder(text: str) -> str:
    """argparse type for --story: a folder that exists, so a typo is not silently ignored."""
    if not Path(text).is_dir():
        raise argparse.ArgumentTypeError(f"no folder {text!r}; give a folder that holds your story YAML files")
    return text


def add_story_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--story", action="append", default=[], metavar="DIR", type=story_folder,
                        help="an extra story folder (repeatable; also OFFRAMP_STORY)")


def add_quiet_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--quiet", action="store_true",
                        help="no progress bar and no closing 'done in' line on standard error")


def add_jobs_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--jobs", type=_jobs, default=None, metavar="N",
                        help="processes to play in (default: the number of cores); the results are the "
                             "same for any N")


def _jobs(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"--jobs takes a number of processes of at least 1, not {text!r}")
    return int(text)


def jobs(args) -> int:
    """--jobs, or the cores this process may use."""
    from ..tools.parallel import cores

    return args.jobs if args.jobs is not None else cores()


def add_cast_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--cast", action="append", default=[], metavar="ROLE=PERSONA",
                        help="play against another persona in a role, e.g. adversary=volkov-wary "
                             "(repeatable; see 'offramp persona show ID')")


def parse_cast(pairs) -> dict[str, str]:
    cast = {}
    for pair in pairs or ():
        role, sep, persona = pair.partition("=")
        if not sep or not role.strip() or not persona.strip():
            raise UserError(f"--cast takes ROLE=PERSONA, e.g. adversary=volkov-wary (got {pair!r})", code=2)
        cast[role.strip()] = persona.strip()
    return cast


def apply_cast(library, pairs, scenario_ids=None) -> None:
    """Recast the named scenarios (default: every playable one) in the library; a cast that does not
    fit a scenario the user named is an error, one that does not fit another scenario leaves it as it was."""
    cast = parse_cast(pairs)
    if not cast:
        return
    from ..engine import CastError, recast

    for scenario_id in scenario_ids or list(library.scenarios):
        try:
            recast(library, scenario_id, cast)
        except CastError as err:
            if scenario_ids:
                raise UserError(f"cannot cast {', '.join(pairs)} in {scenario_id!r}:\n"
                                + "\n".join(str(d) for d in err.diagnostics)) from None
            library.scenarios.pop(scenario_id, None)


def load(args, *, compile_scenarios: bool = True):
    from ..engine import load_library  # imported on use: commands start without the engine

    library = load_library(story_paths(getattr(args, "story", [])), compile_scenarios=compile_scenarios)
    for diagnostic in library.diagnostics:
        if diagnostic.code == "W109":  # an instructor's folder replaces a bundled id: say so, as validate does
            eprint(f"offramp: note: {diagnostic}")
    return library


def scenario_or_fail(library, scenario_id: str, cast=()):
    """The compiled scenario (recast when ``cast`` names ROLE=PERSONA pairs), or a UserError that
    shows why it cannot be played."""
    if scenario_id in library.scenarios:
        apply_cast(library, cast, [scenario_id])
        return library.scenarios[scenario_id]
    if scenario_id in library.scenario_files:
        path = library.scenario_files[scenario_id].path
        lines = [str(d) for d in library.diagnostics.sorted() if d.severity == "error"]
        raise UserError(f"scenario {scenario_id!r} ({path}) has errors:\n" + "\n".join(lines))
    known = ", ".join(sorted(library.scenarios)) or "none"
    raise UserError(f"no scenario called {scenario_id!r}. Known scenarios: {known}. "
                    "Try 'offramp list', or add a folder with --story DIR.")


def example(text: str) -> str:
    return "example:\n  " + text


def eprint(*parts) -> None:
    print(*parts, file=sys.stderr)
