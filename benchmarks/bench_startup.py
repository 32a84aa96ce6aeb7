"""Cold start of ``offramp`` to its title screen, against a minimal Textual app showing one Static.

Targets (issue 17): the first frame of the title screen at most 1.3x the minimal app's time,
peak memory at most 1.5x. Each run is a fresh Python process (the OS file cache is warm, the
interpreter is not). offramp is measured twice: the app class itself (``OfframpApp``), and
through the real entry point ``game.cli.main`` (the command ``offramp`` with no arguments),
which also parses the command line. ``App.run`` is switched to headless mode. Time, CPU time
and peak RSS are taken when Textual posts its Ready event (the first frame is on screen) and
again when the app has handled everything queued (idle).

Every child runs with compiled bytecode, as an installed offramp has it (pip compiles a wheel
on install): the children share a temporary ``PYTHONPYCACHEPREFIX`` filled by a warm-up run.
Without it, an environment with ``PYTHONDONTWRITEBYTECODE`` set would recompile offramp's
sources at every start while Textual's stay compiled, which is not what a trainee's start costs
(``--inherit-bytecode-settings`` measures that case).

The machine may be shared, so runs go in rounds: each round starts every child once, in an
order that rotates from round to round, and each offramp run is divided by the minimal run of
its own round. The figures are the medians of those per-round ratios, printed with their
quartiles and range, so one disturbed round cannot move them and the spread shows how far to
trust them. Prints figures; asserts nothing.

    python benchmarks/bench_startup.py [--runs 15] [--baseline DIR]

``--baseline DIR`` also starts the command from another checkout (e.g. ``git archive main``
unpacked in DIR) in the same rounds, for a before/after measured under the same load.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TIME_TARGET, MEMORY_TARGET = 1.3, 1.5
POINTS = ("ready", "idle")
MEASURES = {"wall": "wall", "cpu": "cpu", "memory": "rss_kb"}  # figure name -> key of a run's report

# Shared by every child: run any App headless; report when Textual posts Ready (the first
# frame is on screen) and again once the app has handled everything queued (idle).
PROBE = r'''
import json, resource, sys, time
import textual.app
from textual import events

def _figures():
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return {"time": time.time(), "cpu": usage.ru_utime + usage.ru_stime, "rss_kb": usage.ru_maxrss}

_report = {}
_post = textual.app.App.post_message
def _probe_post(self, message):
    if isinstance(message, events.Ready) and "ready" not in _report:
        _report["ready"] = _figures()
        _report["screen"] = type(self.screen).__name__
    return _post(self, message)
textual.app.App.post_message = _probe_post

async def _until_idle(pilot):
    while "ready" not in _report:
        await pilot.pause(0.001)
    await pilot.pause()
    _report["idle"] = _figures()
    print(json.dumps(_report))
    pilot.app.exit()

_run = textual.app.App.run
def _probe_run(self, *args, **kwargs):
    kwargs.update(headless=True, auto_pilot=_until_idle)
    return _run(self, *args, **kwargs)
textual.app.App.run = _probe_run
'''

MINIMAL = PROBE + r'''
from textual.app import App
from textual.widgets import Static

class Minimal(App):
    def compose(self):
        yield Static("offramp")

Minimal().run()
'''

APP = PROBE + r'''
from game.tui.app import OfframpApp
OfframpApp(saves_dir=sys.argv[1]).run()
'''

COMMAND = PROBE + r'''
from game.cli import main
main(["play", "--saves-dir", sys.argv[1]])
'''


def child_env(pycache: str | None) -> dict[str, str]:
    """The children's environment: bytecode written to and read from ``pycache`` (None: as set here)."""
    env = dict(os.environ)
    if pycache is not None:
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = pycache
    return env


def one_run(code: str, checkout: Path, saves: str, env: dict[str, str]) -> dict:
    """One fresh process started in ``checkout`` (its ``game`` package is the one imported); its
    standard input is a terminal, as a trainee's is (``offramp play`` refuses piped input)."""
    controller, terminal = os.openpty()
    start = time.time()
    try:
        done = subprocess.run([sys.executable, "-c", code, saves], stdin=terminal, capture_output=True,
                              text=True, cwd=checkout, env=env, timeout=120)
    finally:
        os.close(controller)
        os.close(terminal)
    if done.returncode != 0:
        raise SystemExit(f"a start-up run failed:\n{done.stderr}")
    report = json.loads(done.stdout.strip().splitlines()[-1])
    for point in POINTS:
        report[point]["wall"] = report[point]["time"] - start
    return report


def rounds(children: dict[str, tuple[str, Path]], count: int, env: dict[str, str]) -> dict[str, list[dict]]:
    """``count`` rounds of one run per child; round i starts with child i (mod the children)."""
    names = list(children)
    results: dict[str, list[dict]] = {name: [] for name in names}
    with tempfile.TemporaryDirectory() as saves:
        for code, checkout in children.values():  # fills the bytecode cache and the file cache
            one_run(code, checkout, saves, env)
        for index in range(count):
            shift = index % len(names)
            for name in names[shift:] + names[:shift]:
                code, checkout = children[name]
                results[name].append(one_run(code, checkout, saves, env))
    return results


def spread(values: list[float]) -> dict[str, float]:
    """Median, quartiles and range of ``values``."""
    ordered = sorted(values)
    quartiles = statistics.quantiles(ordered, n=4, method="inclusive") if len(ordered) > 1 else ordered * 3
    return {"median": statistics.median(ordered), "p25": quartiles[0], "p75": quartiles[2],
            "min": ordered[0], "max": ordered[-1]}


def paired_ratios(runs: list[dict], minimal: list[dict], point: str, key: str) -> list[float]:
    """Each run divided by the minimal app's run of the same round."""
    return [run[point][key] / base[point][key] for run, base in zip(runs, minimal, strict=True)]


def main(argv=None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15, help="rounds; each starts every child once")
    parser.add_argument("--baseline", type=Path, metavar="DIR",
                        help="also measure the command of the checkout in DIR, in the same rounds")
    parser.add_argument("--inherit-bytecode-settings", action="store_true",
                        help="children keep this environment's bytecode settings (PYTHONDONTWRITEBYTECODE "
                             "then makes every start compile offramp's sources)")
    args = parser.parse_args(argv)
    children = {"minimal": (MINIMAL, ROOT), "app": (APP, ROOT), "command": (COMMAND, ROOT)}
    if args.baseline:
        children["baseline"] = (COMMAND, args.baseline.resolve())
    load_before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory() as pycache:
        results = rounds(children, args.runs, child_env(None if args.inherit_bytecode_settings else pycache))
    load_after = os.getloadavg()[0]

    screens = {r["screen"] for name in children if name != "minimal" for r in results[name]}
    print(f"start-up of fresh processes: {args.runs} rounds, each child once per round in a rotating order "
          f"(offramp showed: {', '.join(sorted(screens))})")
    print("minimal = one Static; app = game.tui.app.OfframpApp; command = 'offramp' through game.cli.main"
          + (f"; baseline = the command from {args.baseline}" if args.baseline else ""))
    print("ready = Textual's Ready event (first frame on screen); idle = all queued work done "
          "(for offramp, also the autosave check that enables Continue)")
    print("bytecode: " + ("as this environment sets it" if args.inherit_bytecode_settings else
                          "compiled once for every child (as an installed offramp has it)"))
    print(f"load average (1 min): {load_before:.2f} before, {load_after:.2f} after")
    print()
    print(f"{'child':<9} {'point':<6} {'wall s':>7} {'cpu s':>7} {'peak RSS MB':>12}   (medians)")
    for name, runs in results.items():
        for point in POINTS:
            m = {key: statistics.median(r[point][key] for r in runs) for key in MEASURES.values()}
            print(f"{name:<9} {point:<6} {m['wall']:>7.3f} {m['cpu']:>7.3f} {m['rss_kb'] / 1024:>12.1f}")
    print()
    print(f"ratio to the minimal run of the same round: median [quartiles] (range), and best = fastest run "
          f"over the minimal app's fastest; targets: time <= {TIME_TARGET}x, memory <= {MEMORY_TARGET}x")
    figures: dict[str, float | int] = {"rounds": args.runs}
    for name in children:
        if name == "minimal":
            continue
        for point in POINTS:
            shown = []
            for measure, key in MEASURES.items():
                s = spread(paired_ratios(results[name], results["minimal"], point, key))
                best = min(r[point][key] for r in results[name]) / min(r[point][key] for r in results["minimal"])
                figures[f"{name}_{point}_{measure}_x"] = round(s["median"], 2)
                if point == "ready" and measure != "memory":
                    figures[f"{name}_{point}_{measure}_x_p25"] = round(s["p25"], 2)
                    figures[f"{name}_{point}_{measure}_x_p75"] = round(s["p75"], 2)
                    figures[f"{name}_{point}_{measure}_x_best"] = round(best, 2)
                shown.append(f"{measure} {s['median']:.2f}x [{s['p25']:.2f}-{s['p75']:.2f}] "
                             f"({s['min']:.2f}-{s['max']:.2f}) best {best:.2f}x")
            print(f"{name:<8} at {point:<5}  " + "   ".join(shown))
    return figures


if __name__ == "__main__":
    main()
