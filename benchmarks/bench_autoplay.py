"""Policy autoplay throughput: playthroughs per second of the starter scenario on one core.

Target (issue 3): at least 2,000 playthroughs per second over 1,000 seeds.
Times ``game.tools.autoplay.run`` (the code behind ``offramp autoplay``), which plays
and summarises; the scenario is loaded once beforehand. Rates use the process's CPU
time (best of N), so other work on a busy machine does not count against the engine;
wall-clock time is shown beside it. Prints figures; asserts nothing.

    python benchmarks/bench_autoplay.py [--scenario tutorial] [--seeds 1000] [--repeat 3]
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from game.engine import load_library  # noqa: E402
from game.paths import story_paths  # noqa: E402
from game.tools.autoplay import run  # noqa: E402

TARGET = 2000


def main(argv=None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scenario", default="tutorial")
    parser.add_argument("--seeds", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=3, help="best of N runs")
    parser.add_argument("--policies", default="doctrine,hawk,appeaser,random")
    args = parser.parse_args(argv)
    library = load_library(story_paths())
    scenario = library.scenarios[args.scenario]
    seeds = range(1, args.seeds + 1)
    print(f"{scenario.id}: {args.seeds:,} seeds per policy, best of {args.repeat}")
    print(f"{'policy':<10} {'cpu s':>7} {'wall s':>7} {'plays/s':>9} {'steps/play':>10} {'us/step':>8} "
          f"{'x target':>9}")
    figures: dict = {"scenario": scenario.id}
    for policy_id in args.policies.split(","):
        policy = library.policies[policy_id]
        cpu = wall = float("inf")
        for _ in range(args.repeat):
            start_cpu, start_wall = time.process_time(), time.perf_counter()
            result = run(scenario, policy, seeds)
            cpu = min(cpu, time.process_time() - start_cpu)
            wall = min(wall, time.perf_counter() - start_wall)
        steps = sum(len(r["choices"]) for r in result["runs"])
        rate = args.seeds / cpu
        print(f"{policy_id:<10} {cpu:>7.3f} {wall:>7.3f} {rate:>9,.0f} {steps / args.seeds:>10.1f} "
              f"{cpu / steps * 1e6:>8.1f} {rate / TARGET:>8.2f}x")
        figures[f"{policy_id}_plays_per_s"] = round(rate)
        figures[f"{policy_id}_us_per_step"] = round(cpu / steps * 1e6, 1)
    print(f"target: >= {TARGET:,} playthroughs/s on one core")
    return figures


if __name__ == "__main__":
    main()
