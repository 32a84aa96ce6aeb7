"""Validating many invalid files: CPU time for N and 2N files, and the ratio (linear is about 2).

Issue 16 measured 10,000 bad files at 10.8 s and 20,000 at 57.6 s (ratio 5.3): each file
rebuilt the list of every error so far. Loads only the bad files (no bundled story), with
the time the process spent on the CPU, so other work on a busy machine does not count.
Prints figures and the ratio, and returns them for ``run_all.py``; asserts nothing.

    python benchmarks/bench_invalid_files.py [--files 10000]
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from game.engine import load_library  # noqa: E402

BAD = "kind: scenario\nformat: 1\nid: [oops\n"  # a YAML error: one E001 per file


def cpu_seconds_to_load(count: int) -> tuple[float, int]:
    with tempfile.TemporaryDirectory() as folder:
        for index in range(count):
            (Path(folder) / f"bad-{index:06}.yaml").write_text(BAD, encoding="utf-8")
        start = time.process_time()
        library = load_library([folder], compile_scenarios=False)
        return time.process_time() - start, len(library.diagnostics)


def main(argv=None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=10_000)
    args = parser.parse_args(argv)
    small, found_small = cpu_seconds_to_load(args.files)
    large, found_large = cpu_seconds_to_load(2 * args.files)
    print(f"{args.files:>7,} invalid files: {small:6.2f} s CPU, {found_small:,} diagnostics")
    print(f"{2 * args.files:>7,} invalid files: {large:6.2f} s CPU, {found_large:,} diagnostics")
    print(f"ratio 2N/N: {large / small:.2f} (linear: about 2)")
    return {"files": args.files, "cpu_s_n": round(small, 2), "cpu_s_2n": round(large, 2),
            "ratio_2n_n": round(large / small, 2), "diagnostics_per_file": round(found_large / (2 * args.files), 2)}


if __name__ == "__main__":
    main()
