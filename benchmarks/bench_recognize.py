"""The free-text reader on the corpus's held-out fifth: precision, recall and F1 per tag,
macro-F1 (target at least 0.85), the five weakest tags, and the time to read one line
(target under 5 ms). Prints figures; asserts nothing.

    python benchmarks/bench_recognize.py [--repeat 5]
"""
from __future__ import annotations

import argparse
import statistics
import sys
from pathlib import Path
from time import perf_counter

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from game.engine import load_library  # noqa: E402
from game.paths import bundled_story, story_paths  # noqa: E402
from game.recognize import CORPUS, Recognizer, casual_files, load_casual, load_corpus  # noqa: E402
from game.recognize.scoring import held_out_scores, macro_f1  # noqa: E402

TARGET_F1, TARGET_MS = 0.85, 5.0


def main(argv=None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="timing passes over the corpus (median reported)")
    args = parser.parse_args(argv)
    examples = load_corpus(bundled_story() / CORPUS)
    casual = load_casual(casual_files([bundled_story()]))
    tags = sorted(load_library(story_paths(), compile_scenarios=False).tactics)
    scores = held_out_scores(examples, tags, casual)
    held = [e for e in examples if e.held_out]
    print(f"corpus: {len(examples)} lines, {len(held)} held out, {len(tags)} tags")
    print(f"{'tag':34} {'P':>5} {'R':>5} {'F1':>5}  support")
    for s in sorted(scores.values(), key=lambda s: s.tag):
        print(f"{s.tag:34} {s.precision:5.2f} {s.recall:5.2f} {s.f1:5.2f}  {s.true_pos + s.false_neg}")
    macro = macro_f1(scores)
    print(f"macro-F1 {macro:.3f} (target >= {TARGET_F1}: {'met' if macro >= TARGET_F1 else 'missed'})")
    print("weakest five: " + ", ".join(f"{s.tag} {s.f1:.2f}" for s in sorted(scores.values(), key=lambda s: s.f1)[:5]))
    reader = Recognizer(examples, tags, casual)
    passes = []
    for _ in range(args.repeat):
        started = perf_counter()
        for example in examples:
            reader.read(example.text, example.context)
        passes.append((perf_counter() - started) / len(examples) * 1000)
    ms = statistics.median(passes)
    print(f"time per line: {ms:.2f} ms median of {args.repeat} passes "
          f"(target < {TARGET_MS} ms: {'met' if ms < TARGET_MS else 'missed'})")
    return {"macro_f1": round(macro, 3), "ms_per_line": round(ms, 2)}


if __name__ == "__main__":
    main()
