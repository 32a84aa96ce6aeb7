"""Headless commands over the story: validate, list, run, autoplay."""
from __future__ import annotations

import argparse
import json
from pathlib import Path

from ..paths import story_paths
from ..plaintext import narrative_lines, sections_lines
from .common import (
    UserError,
    add_cast_option,
    add_jobs_option,
    add_quiet_option,
    add_story_option,
    apply_cast,
    example,
    jobs,
    load,
    scenario_or_fail,
)
from .progress import reporting
from .saves import add_saves_option, load_slot, open_store


def register(sub) -> None:
    p = sub.add_parser("validate", help="check story files and print file:line:col diagnostics",
                       description="Check scenarios, personas, tactics, rules, policies and playthroughs. "
                                   "Exit 0 when there is no error, 1 when there is, 2 on bad usage.",
                       epilog=example("offramp validate                # the bundled story\n"
                                      "  offramp validate my-scenarios/  # your own folder"))
    p.add_argument("paths", nargs="*", metavar="PATH",
                   help="files or folders to check (default: the bundled story and the --story folders)")
    p.add_argument("--json", action="store_true", help="print the diagnostics as JSON")
    add_story_option(p)
    p.set_defaults(func=cmd_validate)

    p = sub.add_parser("list", help="list the scenarios found", description="List bundled and added scenarios.",
                       epilog=example("offramp list --json"))
    p.add_argument("--json", action="store_true")
    add_story_option(p)
    p.set_defaults(func=cmd_list)

    p = sub.add_parser("run", help="play given choices headless and print the result",
                       description="Play a scenario from the outside, one choice id at a time. --save SLOT "
                                   "saves after the choices; 'offramp run --load SLOT --choose ID' continues "
                                   "a saved game.",
                       epilog=example("offramp run tutorial --seed 7 --choose name-the-fear --save drill"))
    p.add_argument("scenario", nargs="?", help="the scenario id (optional with --load)")
    p.add_argument("--seed", type=int, default=None, help="the dice seed (default 0; a save keeps its own)")
    p.add_argument("--choose", action=Step, dest="steps", default=[], metavar="ID", help="a choice id (repeatable)")
    p.add_argument("--say", action=Step, dest="steps", metavar="TEXT",
                   help="a line in your own words, read as the move it makes (repeatable; mixes with --choose "
                        "in the order given)")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.add_argument("--save", metavar="SLOT", help="save the session in this slot after the choices")
    p.add_argument("--load", metavar="SLOT", help="continue the game saved in this slot")
    add_saves_option(p)
    add_cast_option(p)
    add_story_option(p)
    p.set_defaults(func=cmd_run)

    p = sub.add_parser("autoplay", help="play many seeds with a policy and summarise",
                       description="Compare strategies: a policy weights tactic tags and picks choices. With "
                                   "--lines the games are played in free text: each turn the next line of FILE "
                                   "that makes an open move is said, as a trainee's own words.",
                       epilog=example("offramp autoplay ceasefire-table --policy doctrine --seeds 1-200 --json\n"
                                      "  offramp autoplay tutorial --lines my-lines.txt --seeds 1-50"))
    p.add_argument("scenario")
    how = p.add_mutually_exclusive_group(required=True)
    how.add_argument("--policy", help="a bundled policy id or a policy YAML file")
    how.add_argument("--lines", metavar="FILE", help="a text file of lines to say, one a line ('#' starts a "
                                                     "comment line)")
    p.add_argument("--seeds", default="1-100", help="a seed or a range A-B (default 1-100)")
    add_cast_option(p)
    p.add_argument("--json", action="store_true")
    add_jobs_option(p)
    add_quiet_option(p)
    add_story_option(p)
    p.set_defaults(func=cmd_autoplay)


def cmd_validate(args) -> int:
    from ..engine import load_library
    from ..tools.explore import check_stuck_rounds

    targets = [Path(p) for p in args.paths]
    missing = [str(p) for p in targets if not p.exists()]
    if missing:
        raise UserError(f"no such file or folder: {', '.join(missing)}", code=2)
    folders = story_paths(args.story)
    library = load_library(folders + targets)  # the targets last: they replace what they redefine, as in run
    roots = [t.resolve() for t in targets or folders]

    def wanted(path: str) -> bool:
        resolved = Path(path).resolve()
        return any(resolved == r or r in resolved.parents for r in roots)

    check_stuck_rounds(library, wanted)
    diagnostics = [d for d in library.diagnostics.sorted() if wanted(d.path)]
    errors = sum(d.severity == "error" for d in diagnostics)
    if args.json:
        print(json.dumps({"diagnostics": [d.to_dict() for d in diagnostics], "errors": errors,
                          "warnings": len(diagnostics) - errors}, indent=2))
    else:
        for d in diagnostics:
            print(d)
        files = sum(1 for f in library.files if wanted(f.path))
        print(f"{errors} error(s), {len(diagnostics) - errors} warning(s) in {files} valid file(s) checked")
    return 1 if errors else 0


def cmd_list(args) -> int:
    from ..engine.library import scenario_rows

    library = load(args)
    rows = scenario_rows(library)
    if args.json:
        print(json.dumps({"scenarios": rows, "story_folders": [str(p) for p in story_paths(args.story)]},
                         indent=2))
        return 0
    for row in rows:
        status = "" if row["playable"] else "  [has errors: run offramp validate]"
        print(f"{row['id']:<18} {row['title']:<28} {row['difficulty']:<13} ~{row['minutes']:>3} min  "
              f"{row['rounds']:>2} rounds {row['choices']:>3} choices {row['endings']:>2} endings{status}")
    if not rows:
        print("no scenarios found")
    return 0


def session_json(session, *, with_debrief: bool = True) -> dict:
    """The JSON view of a session used by ``run --json`` and by tests and scripts."""
    from ..engine.debrief import build as build_debrief

    out = {
        "scenario": session.scenario.id,
        "seed": session.seed,
        "round": session.round_id if not session.ended else session.history[-1][0],
        "choices": [c.id for c in session.choices()],
        "ending": session.ending,
        "outcome": session.outcome,
        "scores": session.scores(),
        "state": session.variables(),
        "visible": sorted(session.revealed),
        "history": [c for _, c in session.history],
        "said": {str(turn): text for turn, text in sorted(session.state.said.items())},
        "log": session.log,
    }
    if with_debrief and session.ended:
        out["debrief"] = build_debrief(session)
    return out


def print_transcript(session, beats) -> None:
    """The beats as plain mode shows them in assessment mode, then the debrief or the open choices."""
    from ..engine import presentation

    print("\n".join(narrative_lines(presentation.narrative(beats, "assessment"))))
    if session.ended:
        print("\n".join(sections_lines(f"Debrief: {session.scenario.title}", presentation.debrief(session))))
    else:
        print("\nOpen choices:")
        for choice in session.choices():
            print(f"  {choice.id}: {session.render(choice.text)}")


def cmd_run(args) -> int:
    from ..engine import Session

    notice = None
    if args.load:
        if args.seed is not None:
            raise UserError("--seed cannot be used with --load: a save keeps the seed it was played with", code=2)
        library = load(args)
        apply_cast(library, args.cast)  # a game saved against another cast loads with the same --cast
        loaded = load_slot(args, library, args.load)
        session, notice = loaded.session, loaded.notice
        if args.scenario and args.scenario != session.scenario.id:
            raise UserError(f"the save {args.load!r} is a game of {session.scenario.id!r}, not {args.scenario!r}")
    elif not args.scenario:
        raise UserError("name a scenario to run (see 'offramp list'), or continue a save with --load SLOT", code=2)
    else:
        library = load(args)
        session = Session(scenario_or_fail(library, args.scenario, args.cast), args.seed or 0)
    shown_from = max((i for i, b in enumerate(session.beats) if b.kind == "round"), default=0)
    play_steps(session, args.steps, args.story)
    session.playable_choices()  # a round left with no open choice is reported, not shown as empty
    saved = None
    if args.save:
        from ..saves import SaveError

        try:
            saved = open_store(args).save(session, args.save)
        except SaveError as err:
            raise UserError(err.message) from None
    if args.json:
        out = session_json(session)
        if args.load:
            out["notice"] = notice
        if saved:
            out["saved"] = str(saved)
        print(json.dumps(out, indent=1))
    else:
        print_transcript(session, session.beats[shown_from:])
        if saved:
            print(f"\nSaved in {saved}")
    return 0


class Step(argparse.Action):
    """--choose and --say share one list, kept in the order they were given."""

    def __call__(self, parser, namespace, value, option_string=None):
        getattr(namespace, self.dest).append((option_string.lstrip("-"), value))


def play_steps(session, steps, story):
    """Make each --choose or --say move; a line that reads as no open move stops with why.
    Returns the free-text reader if a line was said (None otherwise)."""
    reader = None
    for number, (kind, value) in enumerate(steps, 1):
        if kind == "choose":
            session.choose(value)
            continue
        if reader is None:
            from ..recognize import for_story

            reader = for_story(story_paths(story), session.scenario.tactics)
        readings = reader.read(value, session.last_words())
        heard = session.say(value, [(r.tag, r.confidence) for r in readings])
        if heard.choice is None:
            raise UserError(f"--say #{number} {value[:80]!r}: {heard.reason}"
                            + (f" (read as {' + '.join(heard.tags)})" if heard.tags else "")
                            + "; nothing was played. Rephrase it.")
    return reader


def load_policy(args, library):
    from ..engine import load_library

    path = Path(args.policy)
    if path.suffix in (".yaml", ".yml") or path.exists():
        if not path.exists():
            raise UserError(f"no policy file {args.policy!r}")
        lib = load_library(story_paths(args.story) + [path], compile_scenarios=False)
        problems = [str(d) for d in lib.diagnostics.sorted()
                    if d.severity == "error" and Path(d.path).resolve() == path.resolve()]
        if problems:
            raise UserError("the policy file has errors:\n" + "\n".join(problems))
        policy = next((p for p in lib.policies.values() if Path(p.path).resolve() == path.resolve()), None)
        if policy is None:
            raise UserError(f"{args.policy} is not a policy file (kind: policy)")
        return policy
    if args.policy not in library.policies:
        known = ", ".join(sorted(library.policies)) or "none"
        raise UserError(f"no policy called {args.policy!r}. Bundled policies: {known}; or give a YAML file.")
    return library.policies[args.policy]


LINES_LIMIT = 1024 * 1024  # a script of lines to say, read through the one guarded reader


def load_lines(args, library):
    """The ``Lines`` policy of --lines FILE, with the reader of the story it plays."""
    from ..files import read_limited
    from ..recognize import for_story
    from ..tools.autoplay import Lines

    try:
        text = read_limited(args.lines, LINES_LIMIT).decode("utf-8")
    except UnicodeDecodeError:
        raise UserError(f"--lines {args.lines}: not UTF-8 text") from None
    except OSError as err:
        raise UserError(f"--lines {args.lines}: {err}") from None
    try:
        return Lines.parse(args.lines, text, for_story(story_paths(args.story), library.tactics))
    except ValueError:
        raise UserError(f"--lines {args.lines}: no line to say in it (blank lines and '#' lines are "
                        "skipped)") from None


def cmd_autoplay(args) -> int:
    from ..tools import autoplay

    library = load(args)
    scenario = scenario_or_fail(library, args.scenario, args.cast)
    policy = load_lines(args, library) if args.lines else load_policy(args, library)
    try:
        seeds = autoplay.parse_seeds(args.seeds)
    except ValueError as err:
        raise UserError(f"--seeds takes a number or a range like 1-200 ({err})", code=2) from None
    with reporting(args.quiet) as progress:
        result = autoplay.run(scenario, policy, seeds, progress=progress, jobs=jobs(args))
    failed = 1 if result["failures"] else 0
    if args.json:
        print(json.dumps(result, indent=1))
        return failed
    print(f"{scenario.id} with policy {policy.id} over {len(seeds)} seed(s)")
    print("mean scores: " + ", ".join(f"{k} {v:g}" for k, v in result["mean"].items()))
    print("outcomes:    " + ", ".join(f"{k} {v}" for k, v in result["outcomes"].items() if v))
    print("cast moves:  " + (", ".join(f"{k} {v}" for k, v in result["moves"].items()) or "none"))
    for failure in result["failures"][:5]:
        print(f"FAILED (seed {failure['seed']}): {failure['error']}")
    if len(result["failures"]) > 5:
        print(f"... and {len(result['failures']) - 5} more failed seed(s)")
    return failed
