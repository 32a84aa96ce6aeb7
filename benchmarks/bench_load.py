"""Load+validate time of synthetic scenarios (100, 1,000, 5,000 rounds) against the raw C parse.

Each scenario casts volkov and is loaded together with copies of the bundled
tactics, rules and persona; the time of loading those alone is measured first
and subtracted, so "scenario" is the cost the scenario itself adds.
Targets (issue 2): at most 3x the raw C-loader parse of the same file, and linear
growth in the number of rounds. Prints figures; asserts nothing.

    python benchmarks/bench_load.py [--repeat N] [--sizes 100,1000,5000] [--no-gc]

With --no-gc the cyclic garbage collector is off for every measurement (parse and
load alike), which shows how much of the cost is collector passes over the many
small objects a large file creates.
"""
from __future__ import annotations

import argparse
import gc
import shutil
import sys
import tempfile
import time
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from game.engine import load_library, yamlsource  # noqa: E402
from game.engine.yamlsource import MAX_BYTES, MAX_NODES  # noqa: E402
from game.paths import bundled_story  # noqa: E402

SUPPORT = ("tactics.yaml", "rules.yaml", "personas/aggressor.yaml", "personas/volkov.yaml")  # volkov extends aggressor
TAGS = ("empathy.label", "empathy.mirror", "empathy.calibrated_question", "brink.credible_threat",
        "offramp.face_saving", "brink.sanctions", "offramp.mediator", "discipline.lecture")


def synthetic(rounds: int) -> str:
    """A chain of rounds with one choice each, carrying in turn a tactic tag, a condition
    or an effect, and narration that interpolates a value.

    Rounds are as lean as the format allows (about 17 values each, keys included),
    to stay as close as possible to the loader's cap on values per document.
    """
    out = [f"format: 1\nkind: scenario\nid: synthetic-{rounds}\ntitle: Synthetic {rounds}\n"
           "summary: A long chain of rounds for the load benchmark.\ndifficulty: advanced\nminutes: 600\n"
           "cast: {adversary: volkov}\nstart: r0\nroutes:\n  sign:\n"
           "    - {if: \"ripe and enforced\", goto: durable}\n    - {goto: fragile}\nrounds:\n"]
    for i in range(rounds):
        nxt = f"r{i + 1}" if i + 1 < rounds else "sign"
        extra = (f"tags: [{TAGS[i % len(TAGS)]}]", f"if: \"rapport >= {i % 40}\"", "effects: [\"hurt += 1\"]")[i % 3]
        out.append(f"  r{i}: {{title: Round {i}, text: \"Volkov weighs round {i}; emotion {{emotion}}.\", "
                   f"choices: [{{id: c{i}, text: Press on., {extra}, goto: {nxt}}}]}}\n")
    out.append("endings:\n"
               "  durable: {outcome: durable_settlement, title: Durable, text: It holds.}\n"
               "  fragile: {outcome: fragile_ceasefire, title: Fragile, text: It may not hold.}\n")
    return "".join(out)


def values(text: str) -> int:
    """How many values (keys included) the document holds: what the loader's cap counts."""
    starts = (yaml.ScalarEvent, yaml.MappingStartEvent, yaml.SequenceStartEvent)
    return sum(isinstance(e, starts) for e in yaml.parse(text, Loader=yaml.CSafeLoader))


def best_of(repeat: int, fn) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def main(argv=None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="take the best of N runs (default 5)")
    parser.add_argument("--sizes", default="100,1000,5000")
    parser.add_argument("--no-gc", action="store_true", help="disable the garbage collector throughout")
    args = parser.parse_args(argv)
    if args.no_gc:
        gc.disable()
    sizes = [int(s) for s in args.sizes.split(",")]

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        support = root / "support"
        for rel in SUPPORT:
            (support / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(bundled_story() / rel, support / rel)
        base = best_of(args.repeat, lambda: load_library([support]))
        print(f"yaml {yaml.__version__}, C loader: {hasattr(yaml, 'CSafeLoader')}; "
              f"caps: {MAX_BYTES:,} bytes, {MAX_NODES:,} values; gc {'off' if args.no_gc else 'on'}")
        print(f"support files alone (tactics, rules, aggressor, volkov): {base * 1000:.1f} ms\n")
        print(f"{'rounds':>7} {'KB':>7} {'values':>7} {'compose':>9} {'load':>9} {'offramp':>9} {'scenario':>9} "
              f"{'x compose':>9} {'x load':>7} {'us/round':>9}")
        rows, ratios = [], {}
        for n in sizes:
            path = root / f"synthetic-{n}.yaml"
            text = synthetic(n)
            path.write_text(text, encoding="utf-8")
            compose = best_of(args.repeat, lambda text=text: yaml.compose(text, Loader=yaml.CSafeLoader))
            load = best_of(args.repeat, lambda text=text: yaml.load(text, Loader=yaml.CSafeLoader))
            count = values(text)
            if count > MAX_NODES:
                print(f"{n:>7}: {count:,} values is over the loader's cap of {MAX_NODES:,} "
                      "(offramp validate refuses it with E008); the cap is raised for this measurement")
            yamlsource.MAX_NODES = max(MAX_NODES, count)  # measure scaling even past the safety cap
            try:
                lib = load_library([support, path])
                total = best_of(args.repeat, lambda path=path: load_library([support, path]))
            finally:
                yamlsource.MAX_NODES = MAX_NODES
            problems = [str(d) for d in lib.diagnostics if d.severity == "error"]
            if problems or f"synthetic-{n}" not in lib.scenarios:
                print(f"{n:>7}: the synthetic scenario did not load:\n  " + "\n  ".join(problems[:5]))
                continue
            own = total - base
            rows.append((n, own))
            ratios[n] = own / compose
            print(f"{n:>7} {len(text.encode()) / 1024:>7.0f} {count:>7,} {compose * 1000:>7.1f}ms "
                  f"{load * 1000:>7.1f}ms "
                  f"{total * 1000:>7.1f}ms {own * 1000:>7.1f}ms {own / compose:>8.2f}x {own / load:>6.2f}x "
                  f"{own / n * 1e6:>9.1f}")
        if len(rows) > 1:
            (n0, t0), (n1, t1) = rows[0], rows[-1]
            print(f"\ngrowth: {n1 / n0:.0f}x the rounds cost {t1 / t0:.1f}x the time "
                  f"(linear would be {n1 / n0:.0f}x); per round {t0 / n0 * 1e6:.1f} -> {t1 / n1 * 1e6:.1f} us")
        print("targets: scenario <= 3x compose; per-round cost flat (linear growth)")
    return {f"x_compose_{n}_rounds": round(x, 2) for n, x in ratios.items()}


if __name__ == "__main__":
    main()
