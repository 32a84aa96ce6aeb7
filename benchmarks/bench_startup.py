"""Cold start of ``offramp`` to its title screen, against a minimal Textual app showing one Static.

Targets (issue 4): start-up time at most 1.3x the minimal app's, peak memory at most 1.5x.
Each run is a fresh Python process (the OS file cache is warm, the interpreter is not).
offramp is measured twice: the app class itself (``OfframpApp``), and through the real
entry point ``game.cli.main`` (the command ``offramp`` with no arguments), which also builds
the whole command-line parser. ``App.run`` is switched to headless mode. Time, CPU time and peak RSS are
taken when Textual posts its Ready event (the first frame is on screen) and again when the
app has handled everything queued (idle). The two apps alternate, so load on the machine
hits both alike; ratios of medians are printed for wall-clock and CPU time (CPU is steadier
on a busy machine). Prints figures; asserts nothing.

    python benchmarks/bench_startup.py [--runs 10]
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

# Shared by both children: run any App headless; report when Textual posts Ready (the first
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

CHILDREN = {"minimal": MINIMAL, "app": APP, "command": COMMAND}


def one_run(code: str, saves: str) -> dict:
    """One fresh process; its standard input is a terminal, as a trainee's is (``offramp play``
    refuses piped input)."""
    controller, terminal = os.openpty()
    start = time.time()
    try:
        done = subprocess.run([sys.executable, "-c", code, saves], stdin=terminal, capture_output=True,
                              text=True, cwd=ROOT, timeout=120)
    finally:
        os.close(controller)
        os.close(terminal)
    if done.returncode != 0:
        raise SystemExit(f"a start-up run failed:\n{done.stderr}")
    report = json.loads(done.stdout.strip().splitlines()[-1])
    for point in ("ready", "idle"):
        report[point]["wall"] = report[point]["time"] - start
    return report


def main(argv=None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10, help="runs of each app (alternating)")
    args = parser.parse_args(argv)
    results = {name: [] for name in CHILDREN}
    with tempfile.TemporaryDirectory() as saves:
        for code in CHILDREN.values():  # warm the file cache and .pyc files
            one_run(code, saves)
        for _ in range(args.runs):
            for name, code in CHILDREN.items():
                results[name].append(one_run(code, saves))
    screens = {r["screen"] for name in ("app", "command") for r in results[name]}
    print(f"start-up of fresh processes, median of {args.runs} runs each "
          f"(offramp showed: {', '.join(sorted(screens))})")
    print("minimal = one Static; app = game.tui.app.OfframpApp; command = 'offramp' through game.cli.main")
    print("ready = Textual's Ready event (first frame on screen); idle = all queued work done "
          "(for offramp, also the autosave check that enables Continue)")
    print(f"{'child':<9} {'point':<6} {'wall s':>7} {'cpu s':>7} {'peak RSS MB':>12}")
    medians = {}
    for name, runs in results.items():
        for point in ("ready", "idle"):
            m = {key: statistics.median(r[point][key] for r in runs) for key in ("wall", "cpu", "rss_kb")}
            medians[name, point] = m
            print(f"{name:<9} {point:<6} {m['wall']:>7.3f} {m['cpu']:>7.3f} {m['rss_kb'] / 1024:>12.1f}")
    figures = {}
    for name in ("app", "command"):
        for point in ("ready", "idle"):
            off, mini = medians[name, point], medians["minimal", point]
            figures[f"{name}_{point}_wall_x"] = round(off["wall"] / mini["wall"], 2)
            figures[f"{name}_{point}_cpu_x"] = round(off["cpu"] / mini["cpu"], 2)
            figures[f"{name}_{point}_memory_x"] = round(off["rss_kb"] / mini["rss_kb"], 2)
            print(f"{name:<8} at {point:<5}  wall {off['wall'] / mini['wall']:.2f}x  "
                  f"cpu {off['cpu'] / mini['cpu']:.2f}x "
                  f"(target <= {TIME_TARGET}x)   peak memory {off['rss_kb'] / mini['rss_kb']:.2f}x "
                  f"(target <= {MEMORY_TARGET}x)")
    return figures


if __name__ == "__main__":
    main()
