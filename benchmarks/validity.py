"""Training validity: can a trainee score well by reading the screen instead of judging the moment?

For each bundled scenario (or those named), plays seeds 1-100 with the doctrine
policy, with six policies that see only what an assessment-mode screen shows
(first, last, longest, shortest, random, keywords) and with a greedy policy that
takes the most immediate points; prints each one's mean total and good endings
(durable settlements plus well-timed walk-aways). Then, at every moment where
signing and walking out were both open, compares the two when the talks were a
feint and when they were ripe and enforced; and the share of the total's
variance that tag counts alone explain (R^2 over random games). The thresholds
the test suite holds the game to are in tests/validity. Asserts nothing.

    python benchmarks/validity.py [--seeds 1-100] [scenario ...]
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from game.engine import load_library  # noqa: E402
from game.paths import story_paths  # noqa: E402
from game.tools.autoplay import parse_seeds, play  # noqa: E402
from game.tools.validity import sign_or_walk_moments, table, tag_variance_share  # noqa: E402


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("scenarios", nargs="*", help="scenario ids (default: every bundled scenario)")
    parser.add_argument("--seeds", default="1-100", help="seed range, e.g. 1-100")
    args = parser.parse_args(argv)
    library = load_library(story_paths())
    seeds = parse_seeds(args.seeds)
    doctrine, rnd = library.policies["doctrine"], library.policies["random"]
    for scenario_id in args.scenarios or sorted(library.scenarios):
        scenario = library.scenarios[scenario_id]
        rows = table(scenario, doctrine, seeds)
        base = rows[0]
        print(f"\n{scenario.id} (seeds {args.seeds})")
        print(f"  {'policy':<10} {'mean total':>10} {'vs doctrine':>12} {'good endings':>13}")
        for row in rows:
            gap = "" if row is base else f"{row.mean_total - base.mean_total:+.1f}"
            print(f"  {row.policy:<10} {row.mean_total:>10.1f} {gap:>12} {row.good:>9}/{row.games}")

        def path(policy, scenario=scenario):
            return lambda seed: [c for _, c in play(scenario, policy, seed).history]
        forks = sign_or_walk_moments(scenario, path(doctrine), seeds) + \
            sign_or_walk_moments(scenario, path(rnd), seeds)
        for label, test in (("feint", lambda v: v.get("feinting")),
                            ("ripe and enforced", lambda v: v.get("ripe") and v.get("enforced"))):
            moments = [f for f in forks if test(f.values)]
            right = sum(1 for f in moments
                        if (max(f.walk.values()) > max(f.sign.values())) == (label == "feint"))
            better = "walking out" if label == "feint" else "signing"
            print(f"  {label}: {len(moments)} sign-or-walk moments, {better} scored higher in {right}")
        print(f"  variance of the total explained by tag counts alone: "
              f"{tag_variance_share(scenario, range(1, 401)):.2f}")


if __name__ == "__main__":
    main()
