"""Exploration and random-playthrough throughput on the flagship scenario.

Targets (issue 6): exhaustive exploration of the flagship in under 10 s, and at least
4,000 random playthroughs per second (ChoiceScript's randomtest on its sample game).
Issue 17: the whole default command, ``offramp explore ceasefire-table``, in under 10 s of
wall time (its odds take whatever the deterministic part leaves of 10 s, at least 2 s).
Prints figures and ratios; asserts nothing.

    python benchmarks/bench_explore.py [--scenario ceasefire-table] [--budget 20000] [--runs 2000] [--profile]
                                       [--no-command]
"""
from __future__ import annotations

import argparse
import cProfile
import json
import os
import pstats
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from game.engine import Session, load_library  # noqa: E402
from game.paths import story_paths  # noqa: E402
from game.tools import explore as ex  # noqa: E402

FLAGSHIP = "ceasefire-table"
EXPLORE_TARGET_S = 10.0
RANDOM_TARGET = 4000


def _timed(fn):
    wall, cpu = time.perf_counter(), time.process_time()
    result = fn()
    return result, time.perf_counter() - wall, time.process_time() - cpu


def branching(scenario, samples: int = 200) -> float:
    """Mean number of roll-outcome combinations per (state, choice) along random games."""
    import random
    rng, total, count = random.Random(7), 0, 0
    for seed in range(samples // 10):
        session = Session(scenario, seed)
        while not session.ended:
            choice = rng.choice(session.choices()).id
            total += sum(1 for _ in ex.every_outcome(ex._step(session, choice)))
            count += 1
            session.choose(choice)
    return total / max(count, 1)


def guide_example() -> tuple[object, str]:
    """The worked example of docs/authoring.md: small enough for a complete search."""
    guide = (Path(__file__).resolve().parents[1] / "docs" / "authoring.md").read_text(encoding="utf-8")
    blocks = re.findall(r"^```yaml\n(.*?)^```", guide, flags=re.S | re.M)
    folder = Path(tempfile.mkdtemp())
    for kind in ("persona", "scenario"):
        (folder / f"{kind}.yaml").write_text(next(b for b in blocks if f"\nkind: {kind}\n" in b), encoding="utf-8")
    return load_library(story_paths([folder])).scenarios["grain-corridor"], str(folder)


def command(ident: str) -> dict:
    """The default ``offramp explore SCENARIO`` as a user runs it: wall and CPU (its worker
    processes included), start-up and loading counted, and what the report says."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    load, started = os.getloadavg()[0], time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "game", "explore", ident, "--json", "--quiet"],
                          capture_output=True, text=True, cwd=Path(__file__).resolve().parents[1])
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    report = json.loads(done.stdout)
    odds = report["odds"]
    print(f"offramp explore {ident} (defaults, load {load:.2f} before): {wall:.2f} s wall, {cpu:.2f} s CPU with "
          f"its workers, exit {done.returncode}; {report['states']:,} states with every roll, "
          f"{report['seeded_states']:,} seeded, {report['sampled']['runs']:,} sampled runs; odds "
          + ("exact" if odds["exact"] else f"from {odds['runs']:,} Monte Carlo runs") + f" in {odds['seconds']:g} s; "
          f"x target {EXPLORE_TARGET_S / wall:.2f} (target < {EXPLORE_TARGET_S:g} s)")
    return {"command_wall_s": round(wall, 2), "command_cpu_s": round(cpu, 2), "command_load": round(load, 2),
            "command_states": report["states"], "command_odds_runs": "exact" if odds["exact"] else odds["runs"]}


def main(argv=None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scenario", default=None, help=f"default: {FLAGSHIP}, else the largest bundled")
    parser.add_argument("--budget", type=int, default=ex.DEFAULT_MAX_STATES, help="--max-states for explore")
    parser.add_argument("--samples", type=int, default=ex.DEFAULT_SAMPLES)
    parser.add_argument("--runs", type=int, default=2000, help="random playthroughs to time")
    parser.add_argument("--profile", action="store_true", help="profile the random playthroughs")
    parser.add_argument("--no-command", dest="command", action="store_false",
                        help="skip timing the whole default command (about 10 s)")
    args = parser.parse_args(argv)
    library = load_library(story_paths())
    ident = args.scenario or (FLAGSHIP if FLAGSHIP in library.scenarios else
                              max(library.scenarios, key=lambda s: library.scenarios[s].choice_count))
    scenario = library.scenarios[ident]
    policies = [library.policies[k] for k in sorted(library.policies)]
    print(f"{ident}: {len(scenario.rounds)} rounds, {scenario.choice_count} choices, {len(scenario.endings)} endings")
    print(f"roll-outcome combinations per choice (mean along random games): {branching(scenario):.1f}")

    example, _ = guide_example()
    search, wall, cpu = _timed(lambda: ex.Explorer(example, 10 ** 6).run())
    print(f"exhaustive search of the guide's example ({len(example.rounds)} rounds, {example.choice_count} choices): "
          f"{len(search.nodes):,} states, {search.steps:,} steps in {wall:.2f} s wall, {cpu:.2f} s CPU; "
          f"exhaustive: {search.exhaustive}")
    search, wall, cpu = _timed(lambda: ex.Explorer(scenario, args.budget).run())
    print(f"search over every roll: {len(search.nodes):,} states, {search.steps:,} steps in {wall:.2f} s "
          f"({len(search.nodes) / wall:,.0f} states/s); exhaustive: {search.exhaustive}")
    report, wall, cpu = _timed(lambda: ex.explore(scenario, args.budget, args.samples, policies=policies))
    explore_wall = wall
    cov = report["coverage"]
    print(f"offramp explore (budget {args.budget:,}, {args.samples:,} samples): {wall:.2f} s wall, {cpu:.2f} s CPU; "
          f"exhaustive: {report['exhaustive']}; coverage rounds {cov['rounds']:g}% choices {cov['choices']:g}% "
          f"endings {cov['endings']:g}%")
    verdict = (f"x target {EXPLORE_TARGET_S / wall:.2f}" if report["exhaustive"] else
               "MISSED: the state space is beyond any budget, so no exhaustive time exists")
    print(f"target: exhaustive exploration under {EXPLORE_TARGET_S:g} s: {verdict}")

    runs = lambda: ex.random_runs(scenario, args.runs, seed=1)  # noqa: E731
    if args.profile:
        profile = cProfile.Profile()
        profile.enable()
    result, wall, cpu = _timed(runs)
    if args.profile:
        profile.disable()
    steps = sum(sum(hits.values()) for hits in result["choices"].values())
    rate = args.runs / cpu
    print(f"random playthroughs (--random {args.runs}): {rate:,.0f}/s CPU ({args.runs / wall:,.0f}/s wall), "
          f"{steps / args.runs:.1f} steps each, {cpu / steps * 1e6:.0f} µs/step; x target {rate / RANDOM_TARGET:.2f} "
          f"(target >= {RANDOM_TARGET:,}/s)")
    if args.profile:
        pstats.Stats(profile).sort_stats("tottime").print_stats(15)
    figures = {"scenario": ident, "explore_s": round(explore_wall, 2), "exhaustive": report["exhaustive"],
               "random_runs_per_s": round(rate), "random_us_per_step": round(cpu / steps * 1e6, 1)}
    return {**figures, **command(ident)} if args.command else figures


if __name__ == "__main__":
    main()
