"""Median cost of one ``Session.choose`` step on the starter scenario (target: < 50 us, < 25 us silent).

Sessions are played by a seeded random walk; only the ``choose`` call is timed
(``time.perf_counter_ns``), never session creation or picking the choice. Each step
is also timed on a fork of the session so the same step is measured more than once.
The same walk is then timed on silent sessions (``narrate=False``, as autoplay and
the explorer play). Prints figures; asserts nothing.

    python benchmarks/bench_step.py [--scenario tutorial] [--games 2000] [--forks 3]
"""
from __future__ import annotations

import argparse
import gc
import random
import statistics
import sys
from collections import defaultdict
from pathlib import Path
from time import perf_counter_ns, thread_time_ns

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from game.engine import Session, load_library  # noqa: E402
from game.paths import story_paths  # noqa: E402

TARGET_US = 50
SILENT_TARGET_US = 25


def measure(scenario, games: int, forks: int, narrate: bool = True) -> tuple[dict[str, list[int]], list[int]]:
    """Wall-clock nanoseconds per choose by round id, and the thread's CPU nanoseconds per choose
    (which a busy shared machine inflates far less)."""
    by_round: dict[str, list[int]] = defaultdict(list)
    cpu: list[int] = []
    rng = random.Random(1)
    for seed in range(games):
        session = Session(scenario, seed, narrate=narrate)
        while not session.ended:
            choice_id = rng.choice(session.choices()).id
            for _ in range(forks):
                twin = session.fork()
                start, start_cpu = perf_counter_ns(), thread_time_ns()
                twin.choose(choice_id)
                cpu.append(thread_time_ns() - start_cpu)
                by_round[session.round_id].append(perf_counter_ns() - start)
            session.choose(choice_id)
    return by_round, cpu


def main(argv=None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scenario", default="tutorial")
    parser.add_argument("--games", type=int, default=2000)
    parser.add_argument("--forks", type=int, default=3, help="timed repeats of each step on forks")
    parser.add_argument("--no-gc", action="store_true", help="disable the garbage collector while timing")
    args = parser.parse_args(argv)
    scenario = load_library(story_paths()).scenarios[args.scenario]
    measure(scenario, 50, 1)  # warm up
    if args.no_gc:
        gc.disable()
    by_round, cpu = measure(scenario, args.games, args.forks)
    every = sorted(t for times in by_round.values() for t in times)
    median, median_cpu = statistics.median(every) / 1000, statistics.median(cpu) / 1000
    print(f"{args.scenario}: {len(every):,} timed steps over {args.games:,} games"
          f"{' (gc off)' if args.no_gc else ''}")
    print(f"median {median:.1f} us   p10 {every[len(every) // 10] / 1000:.1f} us   "
          f"p90 {every[len(every) * 9 // 10] / 1000:.1f} us   p99 {every[len(every) * 99 // 100] / 1000:.1f} us")
    print(f"target < {TARGET_US} us median: {'met' if median < TARGET_US else 'MISSED'} "
          f"(median / target = {median / TARGET_US:.2f}); median thread CPU time {median_cpu:.1f} us")
    silent_rounds, silent_cpu = measure(scenario, args.games, args.forks, False)
    silent = statistics.median(t for times in silent_rounds.values() for t in times) / 1000
    silent_cpu_us = statistics.median(silent_cpu) / 1000
    print(f"silent sessions: median {silent:.1f} us   target < {SILENT_TARGET_US} us: "
          f"{'met' if silent < SILENT_TARGET_US else 'MISSED'} (median / target = {silent / SILENT_TARGET_US:.2f}); "
          f"median thread CPU time {silent_cpu_us:.1f} us")
    print("\nper round (median us, steps):")
    for round_id in scenario.rounds:
        if by_round.get(round_id):
            times = by_round[round_id]
            print(f"  {round_id:<22} {statistics.median(times) / 1000:>7.1f}  {len(times):>6}")
    return {"scenario": args.scenario, "steps": len(every), "median_us": round(median, 1),
            "p90_us": round(every[len(every) * 9 // 10] / 1000, 1), "x_target": round(median / TARGET_US, 2),
            "cpu_median_us": round(median_cpu, 1), "silent_median_us": round(silent, 1),
            "silent_cpu_median_us": round(silent_cpu_us, 1), "silent_x_target": round(silent / SILENT_TARGET_US, 2)}


if __name__ == "__main__":
    main()
