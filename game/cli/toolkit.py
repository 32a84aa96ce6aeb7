"""Instructors' and testers' commands: explore, graph, schema, editor, new, record."""
from __future__ import annotations

import json
import os
import time
from pathlib import Path

from ..engine import Session
from ..engine.spec import KINDS
from ..files import read_limited
from ..tools import explore as explorer
from ..tools import graph, jsonschema, odds, record, scaffold
from .common import (
    UserError,
    add_cast_option,
    add_jobs_option,
    add_quiet_option,
    add_story_option,
    example,
    jobs,
    load,
    scenario_or_fail,
)
from .progress import reporting
from .story import Step, play_steps


def register(sub) -> None:
    p = sub.add_parser("explore", help="search every choice and roll: unreachable parts, dead ends, loops",
                       description="Search the scenario's states (every choice and every outcome of every roll) "
                                   "and report endings with their score ranges, what is never reached, dead ends, "
                                   "loops that never progress, coverage, the best and worst paths, and how likely "
                                   "each ending is under uniform random play (exact, or an estimate that says why). "
                                   "Over --max-states or its share of --max-seconds it says so and samples instead. "
                                   "With --random N it runs N seeded "
                                   "playthroughs preferring the least-used choice. Exit 1 when something is "
                                   "unreachable, a dead end or loop exists, or a run fails.",
                       epilog=example("offramp explore tutorial   |   offramp explore tutorial --random 500 --seed 1"))
    p.add_argument("scenario")
    p.add_argument("--json", action="store_true", help="print the report as JSON")
    p.add_argument("--random", type=int, metavar="N", help="instead of searching, run N random playthroughs")
    p.add_argument("--seed", type=int, default=0, help="first seed for --random and for sampling (default 0)")
    add_cast_option(p)
    p.add_argument("--max-states", type=int, default=explorer.DEFAULT_MAX_STATES, metavar="N",
                   help=f"search budget in distinct states (default {explorer.DEFAULT_MAX_STATES})")
    p.add_argument("--samples", type=int, default=explorer.DEFAULT_SAMPLES, metavar="N",
                   help=f"sampled runs when the search is over budget (default {explorer.DEFAULT_SAMPLES})")
    p.add_argument("--max-seconds", type=float, default=None, metavar="S",
                   help="time for the whole command, start-up included (with --random: no limit by "
                        "default): the search and the sampled runs get about half, the ending probabilities the "
                        "rest (exact if they can be, else a Monte Carlo estimate from as many runs as fit). "
                        "Without it the search and sampled runs stop only at --max-states and --samples, so "
                        "the verdicts never depend on the machine's speed, and the probabilities get what is "
                        f"left of {odds.DEFAULT_MAX_SECONDS:g} s (at least {MIN_ODDS:g} s)")
    p.add_argument("--odds-runs", type=int, default=None, metavar="N",
                   help="Monte Carlo runs for the ending probabilities when they cannot be exact (default: as "
                        "many as fit in the time; give the count a report printed to reproduce its figures)")
    add_jobs_option(p)
    add_quiet_option(p)
    add_story_option(p)
    p.set_defaults(func=cmd_explore)

    p = sub.add_parser("graph", help="export the round graph as Mermaid or Graphviz DOT",
                       description="Rounds, choices (labelled with id and tactic tags), routes and endings "
                                   "(styled by outcome kind).",
                       epilog=example("offramp graph tutorial --format dot | dot -Tsvg > tutorial.svg"))
    p.add_argument("scenario")
    p.add_argument("--format", choices=graph.FORMATS, default="mermaid")
    p.add_argument("--out", metavar="FILE", help="write to FILE instead of printing")
    add_story_option(p)
    p.set_defaults(func=cmd_graph)

    p = sub.add_parser("schema", help="print or write the JSON Schemas of the story file kinds",
                       description="The JSON Schema of each file kind, generated from the loader's definitions. "
                                   "Point an editor's YAML language server at them, or run 'offramp editor' "
                                   "(see 'offramp docs authoring').",
                       epilog=example("offramp schema scenario > scenario.schema.json\n"
                                      "offramp schema --write schemas/"))
    p.add_argument("kind", nargs="?", choices=list(KINDS), help="the file kind to print")
    p.add_argument("--out", metavar="FILE", help="write that kind to FILE instead of printing")
    p.add_argument("--write", metavar="DIR", help="write every kind into DIR as KIND.json")
    p.set_defaults(func=cmd_schema)

    p = sub.add_parser("editor", help="set up VS Code's YAML language server for a story project",
                       description="Write every schema into DIR/.offramp/schemas and map them in "
                                   "DIR/.vscode/settings.json (other settings are kept) onto the story layout: "
                                   "scenarios/, personas/, policies/, playthroughs/, tactics.yaml, rules.yaml. "
                                   "Needs the YAML extension (redhat.vscode-yaml).",
                       epilog=example("offramp editor --dir my-project"))
    p.add_argument("--dir", default=".", metavar="DIR", help="the project folder (default: here)")
    p.set_defaults(func=cmd_editor)

    p = sub.add_parser("new", help="write a small valid scenario to start from",
                       description="Write SCENARIO_ID.yaml: a small scenario that loads, plays and explores "
                                   "cleanly, with comments that teach the format.",
                       epilog=example("offramp new first-meeting --dir my-story && offramp validate my-story"))
    p.add_argument("scenario_id", metavar="SCENARIO_ID")
    p.add_argument("--dir", default=".", metavar="DIR", help="folder to write into (default: here)")
    p.set_defaults(func=cmd_new)

    p = sub.add_parser("record", help="write a playthrough file (a pytest test) from given choices",
                       description="Play the choices (ids, or lines in your own words with --say) and write a "
                                   "playthrough YAML whose expectations (ending, outcome kind, score ranges) are "
                                   "what this session reached.",
                       epilog=example("offramp record tutorial --seed 3 --choose name-the-fear --choose "
                                      "mirror-promises --out tests/playthroughs/tutorial-start.yaml"))
    p.add_argument("scenario")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--choose", action=Step, dest="steps", default=[], metavar="ID", help="a choice id (repeatable)")
    p.add_argument("--say", action=Step, dest="steps", metavar="TEXT",
                   help="a line in your own words, written as a say: step (repeatable; mixes with --choose in "
                        "the order given)")
    p.add_argument("--out", metavar="FILE", help="write to FILE (folders are created; the schema its modeline "
                                                  "names goes in schemas/ beside it) instead of printing")
    p.add_argument("--name", help="a readable test name")
    p.add_argument("--slack", type=float, default=record.DEFAULT_SLACK,
                   help=f"score tolerance either side (default {record.DEFAULT_SLACK:g}; 0 pins exact values)")
    add_story_option(p)
    p.set_defaults(func=cmd_record)


def _emit(text: str, out: str | None) -> None:
    if not out:
        print(text, end="")
        return
    path = Path(out)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    except OSError as err:
        raise UserError(f"cannot write {out}: {err.strerror or err}") from None


RESERVE = 0.5  # seconds of --max-seconds kept for printing the report and closing the worker processes
SEARCH_SHARE = 0.5  # of the time left after loading, for the search and sampled runs; the odds get the rest
MIN_ODDS = 2.0  # seconds the odds always get by default, however long the search took


def cmd_explore(args) -> int:
    if args.max_seconds is not None and args.max_seconds <= 0:
        raise UserError("--max-seconds must be more than 0", code=2)
    if args.odds_runs is not None and args.odds_runs < 1:
        raise UserError("--odds-runs takes a number of runs of at least 1", code=2)
    if args.random is not None and args.random < 1:
        raise UserError("--random takes a number of runs of at least 1", code=2)
    if args.max_states < 1:
        raise UserError("--max-states must be at least 1", code=2)
    seconds = args.max_seconds if args.max_seconds is not None or args.random is not None else odds.DEFAULT_MAX_SECONDS
    deadline = None if seconds is None else time.monotonic() - _running_for() + seconds - RESERVE
    with reporting(args.quiet) as progress:
        if progress:
            progress("loading the story", 0, 1)
        library = load(args)
        scenario = scenario_or_fail(library, args.scenario, args.cast)
        if progress:
            progress("loading the story", 1, 1)
        if args.random is not None:
            report = explorer.random_runs(scenario, args.random, args.seed, progress=progress, jobs=jobs(args),
                                          deadline=deadline)
        else:
            assert deadline is not None
            # Only a --max-seconds the user asked for may cut the search and the sampled runs: by
            # default they stop at --max-states and --samples, so the verdicts (and the exit status)
            # are the same on a slow or busy machine, and only the odds' precision depends on time.
            chosen = args.max_seconds is not None
            report = explorer.explore(scenario, args.max_states, args.samples, args.seed,
                                      policies=[library.policies[k] for k in sorted(library.policies)],
                                      progress=progress, jobs=jobs(args),
                                      deadline=_share(deadline, SEARCH_SHARE) if chosen else None)
            odds_deadline = deadline if chosen else max(deadline, time.monotonic() + MIN_ODDS)
            report["odds"] = odds.ending_odds(scenario, samples=args.odds_runs, seed=args.seed, progress=progress,
                                              jobs=jobs(args), deadline=odds_deadline)
    if args.random is not None:
        print(json.dumps(report, indent=1) if args.json else random_text(report, args.random))
        return 1 if report["failures"] else 0
    print(json.dumps(report, indent=1) if args.json else explore_text(report))
    return 1 if explorer.has_problems(report) else 0


def _share(deadline: float, part: float) -> float:
    now = time.monotonic()
    return now + part * max(deadline - now, 0.0)


def _running_for() -> float:
    """Seconds since this process started (Linux; 0 elsewhere), so --max-seconds counts the
    interpreter's start-up and the story's loading too, as a user's stopwatch does."""
    try:
        with open("/proc/self/stat", encoding="ascii") as stat:
            started = int(stat.read().rsplit(")", 1)[1].split()[19])  # field 22: start time in clock ticks
        with open("/proc/uptime", encoding="ascii") as uptime:
            return max(0.0, float(uptime.read().split()[0]) - started / os.sysconf("SC_CLK_TCK"))
    except (OSError, ValueError, IndexError, AttributeError):
        return 0.0


def _path(found: dict) -> str:
    if "seed" in found:
        how = f" (seed {found['seed']})"
    else:
        how = " (with particular roll outcomes: --json lists them)" if any(found.get("rolls", ())) else ""
    return " > ".join(found["choices"]) + how


def explore_text(report: dict) -> str:
    sampled = report["sampled"]
    lines = [f"{report['scenario']}: " + (
        f"searched all {report['states']} state(s), every choice and every roll ({report['steps']} steps)"
        if report["exhaustive"] else
        ("NOT EXHAUSTIVE: the time ran out (--max-seconds) for the search with every roll. "
         if report.get("out_of_time") else
         f"NOT EXHAUSTIVE: more than {report['max_states']} states with every roll. ") +
        f"Covered instead: {report['states']} states with every roll, {report['seeded_states']} with seeded rolls, "
        f"and {sampled['runs']} sampled runs" +
        (f" (of {sampled['asked']} asked: the time ran out)" if sampled["runs"] < sampled["asked"] else "") +
        f" (least-used choice, then policies {', '.join(sampled['policies']) or 'none'}).")]
    cov = report["coverage"]
    lines.append(f"coverage: rounds {cov['rounds']:g}%, choices {cov['choices']:g}%, endings {cov['endings']:g}%")
    lines.append("endings:")
    for ident, info in report["endings"].items():
        span = f"total {info['total']['min']:g} .. {info['total']['max']:g}" if info["total"] else "NEVER REACHED"
        lines.append(f"  {ident:<28} {info['outcome']:<20} {span}")
    if report["outcomes"]:
        lines.append("outcome kinds: " + "; ".join(f"{k} {v['min']:g} .. {v['max']:g}"
                                                   for k, v in report["outcomes"].items()))
    unreached = report["unreached"]
    for what in ("rounds", "choices", "endings"):
        if unreached[what]:
            lines.append(f"{what} never reached: {', '.join(unreached[what])}")
    for dead in report["dead_ends"]:
        lines.append(f"DEAD END: round {dead['round']!r} has no open choice after: {_path(dead) or '(start)'}")
    for cycle in report["cycles"]:
        lines.append(f"LOOP THAT NEVER PROGRESSES: rounds {', '.join(cycle['rounds'])} can never reach an ending "
                     f"once entered, e.g. after: {' > '.join(cycle['entered_by']) or '(start)'}")
    for failure in report["failures"]:
        lines.append(f"FAILED: {failure['error']}\n  reproduce: {_reproduce(report['scenario'], failure)}")
    for label in ("best", "worst"):
        found = report[label]
        if found:
            lines.append(f"{label} path ({found['total']:g}, {found['ending']}): {_path(found)}")
    if "odds" in report:  # the command adds them; explore() alone does not
        lines += odds_text(report["odds"], report["scenario"])
    if not report["exhaustive"]:
        lines.append(f"Not proven: {report['unexpanded']} state(s) found with every roll were never played on. "
                     "Anything listed as never reached may still be reachable, and dead ends or loops were only "
                     "looked for in the states visited. Raise --max-states or --max-seconds to search further.")
    elif not explorer.has_problems(report):
        lines.append("OK: every round, choice and ending is reachable; no dead end, no endless loop.")
    return "\n".join(lines)


def odds_text(found: dict, scenario_id: str) -> list[str]:
    if found["exact"]:
        lines = [f"ending probabilities under uniform random play (exact, {found['states']:,} merged states, "
                 f"{found['seconds']:g} s):"]
        lines += [f"  {ident:<28} {p:8.2%}" for ident, p in found["uniform"].items()]
        for label in ("best", "worst"):
            if label in found:
                strategy = found[label]
                lines.append(f"{label} strategy for {strategy['outcome']}: probability {strategy['probability']:.2%}, "
                             f"e.g. {' > '.join(strategy['choices'])}")
        return lines
    lines = [f"ending probabilities under uniform random play: NOT EXACT ({found['why_not_exact']}).",
             f"Monte Carlo estimate instead, from {found['runs']:,} seeded runs (seed {found['seed']}, "
             f"{found['failed']} failed; --odds-runs {found['runs']} repeats them), 95% intervals, "
             f"{found['seconds']:g} s:"]
    lines += [f"  {ident:<28} {e['p']:8.2%}  [{e['low']:.2%} .. {e['high']:.2%}]"
              for ident, e in found["uniform"].items()]
    lines.append("best and worst strategies: they need the exact answer; compare lines of play with "
                 f"offramp autoplay {scenario_id} --policy POLICY")
    return lines


def _reproduce(scenario_id: str, failure: dict) -> str:
    command = explorer.reproduce(scenario_id, failure)
    if "rolls" in failure:
        command += f"   (with roll outcomes by step: {failure['rolls']})"
    return command


def random_text(report: dict, asked: int) -> str:
    cov = report["coverage"]
    cut = f" (of {asked} asked: the time ran out)" if report["runs"] < asked else ""
    lines = [f"{report['scenario']}: {report['runs']} random run(s) from seed {report['seed']}{cut}",
             f"coverage: rounds {cov['rounds']:g}%, choices {cov['choices']:g}%, endings {cov['endings']:g}%",
             "endings: " + (", ".join(f"{k} {v}" for k, v in sorted(report["endings"].items())) or "none"),
             "choice hits:"]
    for round_id, hits in report["choices"].items():
        lines.append(f"  {round_id}: " + ", ".join(f"{c} {n}" for c, n in hits.items()))
    for failure in report["failures"]:
        lines.append(f"FAILED (seed {failure['seed']}): {failure['error']}\n"
                     f"  reproduce: {explorer.reproduce(report['scenario'], failure)}")
    return "\n".join(lines)


def cmd_graph(args) -> int:
    scenario = scenario_or_fail(load(args), args.scenario)
    _emit(graph.render(scenario, args.format), args.out)
    return 0


def cmd_schema(args) -> int:
    if args.write:
        if args.kind or args.out:
            raise UserError("--write DIR writes every kind; leave out KIND and --out", code=2)
        for path in _writing(args.write, jsonschema.write_all, Path(args.write)):
            print(f"wrote {path}")
        return 0
    if not args.kind:
        raise UserError("name a file kind (" + ", ".join(KINDS) + ") or give --write DIR", code=2)
    _emit(jsonschema.text(args.kind), args.out)
    return 0


def _writing(where: str, write, *args):
    try:
        return write(*args)
    except OSError as err:
        raise UserError(f"cannot write into {where}: {err.strerror or err}") from None


SETTINGS_LIMIT = 4 * 1024 * 1024  # an editor's settings file, read through the one guarded reader


def cmd_editor(args) -> int:
    project = Path(args.dir)
    settings_path = project / ".vscode" / "settings.json"
    settings = {}
    if settings_path.is_file():
        try:
            settings = json.loads(read_limited(settings_path, SETTINGS_LIMIT).decode("utf-8"))
        except (ValueError, OSError) as err:  # VS Code allows comments; we will not rewrite such a file
            raise UserError(f"{settings_path} is not plain JSON ({err}); add the mapping by hand: "
                            "see 'offramp docs authoring'") from None
        if not isinstance(settings, dict):
            raise UserError(f"{settings_path} does not hold a JSON object; fix it first")
    settings["yaml.schemas"] = {**settings.get("yaml.schemas", {}),
                                **_writing(args.dir, jsonschema.editor_settings, project)}
    _emit(json.dumps(settings, indent=2) + "\n", str(settings_path))
    print(f"wrote {project / '.offramp' / 'schemas'} and {settings_path}")
    return 0


def cmd_new(args) -> int:
    folder = Path(args.dir)
    taken = load(args, compile_scenarios=False).scenario_files.get(args.scenario_id)
    if taken is not None:  # two scenarios with one id would shadow each other
        raise UserError(f"the scenario id {args.scenario_id!r} is already used by {taken.path}; choose another id")
    try:
        path = scaffold.write(args.scenario_id, folder)
    except scaffold.ScaffoldError as err:
        raise UserError(str(err)) from None
    print(f"wrote {path}\nnext: offramp validate {folder}   then   offramp explore {args.scenario_id} --story {folder}")
    return 0


def cmd_record(args) -> int:
    scenario = scenario_or_fail(load(args), args.scenario)
    session = Session(scenario, args.seed)
    reader = play_steps(session, args.steps, args.story)
    text = record.playthrough_yaml(session, args.name, args.slack, reader)
    if args.out:
        text = _writing(args.out, jsonschema.modeline, Path(args.out), "playthrough") + "\n" + text
    _emit(text, args.out)
    if args.out:
        print(f"wrote {args.out}")
    return 0
