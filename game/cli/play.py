"""``offramp play``: the trainee's game, in the Textual TUI or line by line (--plain)."""
from __future__ import annotations

import os
import sys

from .common import UserError, add_cast_option, add_story_option, apply_cast, example, load, scenario_or_fail


def register(sub) -> None:
    p = sub.add_parser("play", help="play in the terminal (the default command)",
                       description="Open the title screen, or start SCENARIO directly. --plain plays line by "
                                   "line on stdin/stdout for screen readers, dumb terminals and piped input.",
                       epilog=example("offramp play tutorial --seed 7 --mode assessment"))
    p.add_argument("scenario", nargs="?", metavar="SCENARIO", help="a scenario id (see 'offramp list')")
    p.add_argument("--seed", type=int, help="dice seed; the same seed and choices give the same game")
    p.add_argument("--mode", choices=("training", "assessment"), default="training",
                   help="training shows tactic tags and coaching; assessment keeps both for the debrief")
    p.add_argument("--free-text", action="store_true",
                   help="type what you would say instead of picking an option (full screen or --plain)")
    p.add_argument("--plain", action="store_true",
                   help="no full-screen interface: numbered choices on stdin (automatic when TERM=dumb)")
    p.add_argument("--theme", choices=("dark", "light", "ansi"), help="colour theme (also OFFRAMP_THEME)")
    p.add_argument("--saves-dir", metavar="DIR", help="where saves, best scores and exports go "
                                                      "(also OFFRAMP_SAVES)")
    p.add_argument("--trainee", metavar="NAME", help="play as NAME: saves, best scores and results go to "
                                                     "SAVES/trainees/NAME (default: your user name, saves as before)")
    add_cast_option(p)
    add_story_option(p)
    p.set_defaults(func=cmd_play)


def trainee_options(args) -> tuple[str, str | None]:
    """(the trainee's name, the saves folder to use) from --trainee and --saves-dir."""
    from ..trainees import TraineeError, local_trainee, normalise, saves_folder

    if args.trainee is None:
        return local_trainee(), args.saves_dir
    try:
        return normalise(args.trainee), str(saves_folder(args.saves_dir, args.trainee))
    except TraineeError as err:
        raise UserError(f"--trainee {args.trainee!r}: {err}", code=2) from None


def cmd_play(args) -> int:
    trainee, args.saves_dir = trainee_options(args)
    if args.plain or os.environ.get("TERM") == "dumb":  # a dumb terminal cannot draw the screens
        return play_plain(args, trainee)
    if not sys.stdin.isatty() and "TEXTUAL_DRIVER" not in os.environ:  # textual-serve pipes on purpose
        raise UserError("the full-screen game reads keys from a terminal, but standard input is piped or "
                        "redirected; add --plain to play line by line from it (offramp play --plain)", code=2)
    library = None
    if args.scenario:
        library = load(args)
        scenario_or_fail(library, args.scenario, args.cast)
    elif args.cast:  # the picker offers every scenario the cast fits
        library = load(args)
        apply_cast(library, args.cast)
    from ..tui.app import OfframpApp

    app = OfframpApp(scenario=args.scenario, seed=args.seed, mode=args.mode, story=args.story,
                     saves_dir=args.saves_dir, theme=args.theme, library=library, trainee=trainee,
                     free_text=args.free_text)
    app.run()
    return app.return_code or 0


def play_plain(args, trainee: str) -> int:
    import random

    from ..engine import Session
    from ..saves import SaveStore
    from ..tui import present
    from ..tui.plain import Plain

    library = load(args)
    reader = None
    if args.free_text:
        from ..paths import story_paths
        from ..recognize import for_story

        reader = for_story(story_paths(args.story), library.tactics)
    plain = Plain(SaveStore(args.saves_dir), reader=reader, trainee=trainee)
    if args.scenario:
        scenario = scenario_or_fail(library, args.scenario, args.cast)
    else:
        apply_cast(library, args.cast)
        scenario = plain.pick_scenario(library)
        if scenario is None:
            return 0
    if not plain.may_replace_autosave(scenario.id):
        return 0
    seed = args.seed if args.seed is not None else random.randrange(1, 1_000_000)
    policy = library.policies.get(present.WHAT_IF_POLICY)
    return plain.play(Session(scenario, seed, mode=args.mode), args.mode, policy)
