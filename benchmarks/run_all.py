"""Run every benchmark (each ``bench_*.py`` here) and keep a dated record of its figures.

Each benchmark runs in its own Python process (one that crashes or hangs cannot spoil
the others) and returns its headline figures from ``main(argv)``; this script writes
them, with each script's printed output, the machine, the commit and the load average,
to ``benchmarks/records/<UTC time>-<commit>.json``. ``--readme`` rewrites the figures
section of ``benchmarks/README.md``, each benchmark from the newest record that ran it (so
``--only`` replaces only its benchmarks' figures), so the README always shows figures some
run actually produced, and which run. Nothing here judges the figures or exits non-zero
because of them; a benchmark that fails, or whose ``main`` returns no figures, is
recorded as failed.

    python benchmarks/run_all.py                 # full runs, record written
    python benchmarks/run_all.py --quick         # smaller runs (what .ci/run does)
    python benchmarks/run_all.py --readme-only   # regenerate README.md from the newest records
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
RECORDS = HERE / "records"
README = HERE / "README.md"
FIGURES_HEADING = "## Last figures"
MARK = "FIGURES "

# Arguments of the quick runs; a benchmark missing here runs with its defaults.
QUICK = {
    "bench_autoplay": ["--seeds", "300", "--repeat", "1"],
    "bench_explore": ["--budget", "2000", "--samples", "200", "--runs", "300", "--no-command"],
    "bench_invalid_files": ["--files", "2000"],
    "bench_load": ["--repeat", "1", "--sizes", "100,1000"],
    "bench_recognize": ["--repeat", "1"],
    "bench_serve": ["--sessions", "5"],
    "bench_startup": ["--runs", "3"],
    "bench_step": ["--games", "200", "--forks", "1"],
}
# The smallest runs that still print and return every figure: tests/test_benchmarks.py runs each
# benchmark with these, through run_one, to check its figures reach the record.
SMOKE = {
    "bench_autoplay": ["--seeds", "5", "--repeat", "1"],
    "bench_explore": ["--budget", "50", "--samples", "10", "--runs", "10", "--no-command"],
    "bench_invalid_files": ["--files", "20"],
    "bench_load": ["--repeat", "1", "--sizes", "1000"],
    "bench_recognize": ["--repeat", "1"],
    "bench_serve": ["--sessions", "1"],
    "bench_startup": ["--runs", "1"],
    "bench_step": ["--games", "5", "--forks", "1"],
}
# The figure of each benchmark that .ci/run prints on its summary line.
HEADLINES = {
    "bench_step": ["median_us"],
    "bench_autoplay": ["doctrine_plays_per_s", "random_plays_per_s"],
    "bench_explore": ["random_runs_per_s", "explore_s"],
    "bench_invalid_files": ["ratio_2n_n"],
    "bench_load": ["x_compose_1000_rounds"],
    "bench_recognize": ["macro_f1", "ms_per_line"],
    "bench_serve": ["all_titles_s", "playing_pss_mb_per_session"],
    "bench_startup": ["command_ready_wall_x", "command_ready_memory_x"],
}

# Runs one benchmark's main(argv) and prints what it returned, after its own output, as JSON.
CHILD = r'''
import importlib, json, sys
sys.path.insert(0, sys.argv[1])
figures = importlib.import_module(sys.argv[2]).main(sys.argv[3:])
print("\n''' + MARK + r'''" + json.dumps(figures))
'''


def benchmarks() -> list[str]:
    """Every benchmark script in this folder, by module name."""
    return sorted(p.stem for p in HERE.glob("bench_*.py"))


def run_one(name: str, args: list[str], timeout: float, folder: Path = HERE) -> dict:
    """One benchmark (``folder/name.py``) in a fresh process: its output, figures, wall time and status."""
    started = time.perf_counter()
    try:
        done = subprocess.run([sys.executable, "-c", CHILD, str(folder), name, *args], cwd=ROOT,
                              capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return {"args": args, "status": f"timed out after {timeout:g} s", "figures": {}, "output": "",
                "seconds": round(time.perf_counter() - started, 1)}
    output, found, returned = done.stdout.rpartition("\n" + MARK)
    figures = json.loads(returned) if found else None
    if done.returncode != 0 or not found:
        status = f"failed (exit {done.returncode})"
    elif not isinstance(figures, dict) or not figures:
        status = f"failed (main returned {figures!r}, not a dict of figures)"
    else:
        status = "ok"
    ok = status == "ok"
    return {"args": args, "status": status, "figures": figures if ok else {},
            # strip("\n") only: a first line indented to line up with the next keeps its spaces
            "output": (output.strip("\n").rstrip() if found and done.returncode == 0
                       else (done.stdout + done.stderr).strip()[-4000:]),
            "seconds": round(time.perf_counter() - started, 1)}


def machine() -> dict:
    """What the figures depend on besides the code."""
    try:
        import yaml
        yaml_version = f"{yaml.__version__}{' with libyaml' if hasattr(yaml, 'CSafeLoader') else ''}"
    except ImportError:
        yaml_version = "absent"
    return {"python": platform.python_version(), "implementation": platform.python_implementation(),
            "platform": platform.platform(), "processor": platform.machine(), "cores": os.cpu_count(),
            "pyyaml": yaml_version}


def commit() -> dict:
    def git(*args):
        done = subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True)
        return done.stdout.strip() if done.returncode == 0 else ""
    return {"hash": git("rev-parse", "--short", "HEAD") or "unknown", "subject": git("log", "-1", "--format=%s"),
            "dirty": bool(git("status", "--porcelain", "--untracked-files=no"))}


def load_average() -> list[float] | None:
    try:
        return [round(x, 2) for x in os.getloadavg()]
    except OSError:
        return None


def record(names: list[str], quick: bool, timeout: float, progress=print) -> dict:
    """Run the benchmarks and return the record (not yet written)."""
    rec = {"time": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"), "quick": quick,
           "machine": machine(), "commit": commit(), "load_before": load_average(), "benchmarks": {}}
    for name in names:
        progress(f"running {name} ...", file=sys.stderr, flush=True)
        rec["benchmarks"][name] = run_one(name, QUICK.get(name, []) if quick else [], timeout)
    rec["load_after"] = load_average()
    return rec


def write(rec: dict) -> Path:
    RECORDS.mkdir(exist_ok=True)
    path = RECORDS / f"{rec['time'].replace(':', '')}-{rec['commit']['hash']}.json"
    path.write_text(json.dumps(rec, indent=1) + "\n", encoding="utf-8")
    return path


def headline(rec: dict) -> str:
    """One line per benchmark with its chosen figures (or why it has none)."""
    lines = []
    for name, result in rec["benchmarks"].items():
        if result["status"] != "ok":
            lines.append(f"{name}: {result['status']}")
            continue
        keys = HEADLINES.get(name) or list(result["figures"])
        shown = ", ".join(f"{k} {result['figures'][k]}" for k in keys if k in result["figures"])
        lines.append(f"{name}: {shown}  ({result['seconds']:g} s)")
    return "\n".join(lines)


def newest_results(records: list[tuple[str, dict]]) -> dict[str, tuple[dict, dict, str]]:
    """Each benchmark's result in the newest of ``records`` (oldest first) that ran it, with that
    record and its file: a run of a few benchmarks (``--only``) replaces only their figures."""
    newest = {}
    for source, rec in records:
        for name, result in rec["benchmarks"].items():
            newest[name] = (result, rec, source)
    return dict(sorted(newest.items()))


def provenance(rec: dict) -> str:
    """What a record's figures depend on: its time, commit, machine and load."""
    m, c = rec["machine"], rec["commit"]
    load = rec.get("load_before")
    return (f"{rec['time']}, commit `{c['hash']}`{' (with uncommitted changes)' if c['dirty'] else ''} "
            f"(\"{c['subject']}\"), Python {m['python']}, PyYAML {m['pyyaml']}, {m['processor']}, {m['cores']} cores, "
            f"load average {load[0] if load else 'unknown'} before the run"
            f"{' (quick runs: smaller samples)' if rec['quick'] else ''}")


def figures_section(records: list[tuple[str, dict]]) -> str:
    """The README's generated figures section: each benchmark from the newest record that ran it."""
    newest = newest_results(records)
    used: dict[str, tuple[dict, list[str]]] = {}
    for name, (_, rec, source) in newest.items():
        used.setdefault(source, (rec, []))[1].append(name)
    out = [FIGURES_HEADING, "",
           "Generated by `python benchmarks/run_all.py --readme-only`, each benchmark from the newest "
           "record in `benchmarks/records/` that ran it; do not edit by hand.", ""]
    out += [f"- `{source}`: {provenance(rec)}: {', '.join(names)}." for source, (rec, names) in used.items()]
    out.append("")
    for name, (result, _, source) in newest.items():
        args = " ".join(result["args"])
        out += [f"### `{name}.py{(' ' + args) if args else ''}`", "", f"From `{source.rpartition('/')[2]}`.", ""]
        if result["status"] != "ok":
            out += [f"**{result['status']}**", ""]
        if result["figures"]:
            out += ["| figure | value |", "|---|---:|"]
            out += [f"| {k} | {v} |" for k, v in result["figures"].items()]
            out.append("")
        out += ["```text", result["output"], "```", ""]
    return "\n".join(out)


def saved_records() -> list[tuple[str, dict]]:
    """Every record in benchmarks/records, oldest first, with its path from the checkout."""
    return [(path.relative_to(ROOT).as_posix(), json.loads(path.read_text(encoding="utf-8")))
            for path in sorted(RECORDS.glob("*.json"))]


def update_readme(records: list[tuple[str, dict]]) -> None:
    text = README.read_text(encoding="utf-8")
    head, found, _ = text.partition(FIGURES_HEADING)
    if not found:
        head = text.rstrip("\n") + "\n\n"
    README.write_text(head + figures_section(records), encoding="utf-8")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="smaller runs of every benchmark")
    parser.add_argument("--only", help="comma-separated benchmark names (default: every bench_*.py)")
    parser.add_argument("--timeout", type=float, default=900, help="seconds allowed to one benchmark")
    parser.add_argument("--readme", action="store_true", help="also regenerate README.md (with the new record)")
    parser.add_argument("--readme-only", action="store_true", help="regenerate README.md from the newest records")
    args = parser.parse_args(argv)
    if args.readme_only:
        records = saved_records()
        if not records:
            print("no record yet: run benchmarks/run_all.py first", file=sys.stderr)
            return 1
        update_readme(records)
        print(f"README.md regenerated from {len({source for _, _, source in newest_results(records).values()})} "
              f"record(s), the newest {records[-1][0]}")
        return 0
    names = args.only.split(",") if args.only else benchmarks()
    unknown = sorted(set(names) - set(benchmarks()))
    if unknown:
        parser.error(f"no such benchmark: {', '.join(unknown)} (have: {', '.join(benchmarks())})")
    rec = record(names, args.quick, args.timeout)
    path = write(rec)
    print(headline(rec))
    print(f"record: {path.relative_to(ROOT).as_posix()}")
    if args.readme:
        update_readme(saved_records())
    return 0


if __name__ == "__main__":
    sys.exit(main())
