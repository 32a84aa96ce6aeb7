"""Kill a writer with SIGKILL at random moments during 200 saves: every slot stays old or new, never broken.

The writer is a forked child process (no interpreter start-up per kill, so many kills
fit in a few seconds). Save number N is a game of seed N with N % 5 + 1 choices in
slot ``slotN%3``, so after each kill the test knows exactly which versions a slot
may hold: the last one the child reported finished, or the one it was writing.
"""
from __future__ import annotations

import itertools
import json
import os
import random
import signal
import statistics
import time
from pathlib import Path

import pytest

from game.saves import SaveStore

from .helpers import kill_self_at_rename, play

TOTAL = 200
SLOTS = 3
SAVES_PER_CHILD = 8  # a writer saves at most this many, then idles until killed: at least TOTAL / 8 kills
SELF_KILL_EVERY = 10  # every tenth writer dies at one of its renames: some kills land mid-write on any disk

pytestmark = pytest.mark.skipif(not hasattr(os, "fork") or not hasattr(signal, "SIGKILL"),
                                reason="needs fork and SIGKILL (POSIX)")


def slot_of(number: int) -> str:
    return f"slot{number % SLOTS}"


def _write_until_killed(store, scenario, first: int, report: int, die_at_rename: int) -> None:
    """The child: save up to SAVES_PER_CHILD versions from first, reporting each finished one, then idle."""
    try:
        if die_at_rename:
            kill_self_at_rename(die_at_rename)
        for number in range(first, min(first + SAVES_PER_CHILD, TOTAL)):
            store.save(play(scenario, seed=number, steps=number % 5 + 1), slot_of(number))
            os.write(report, f"{number}\n".encode())
        signal.pause()
    finally:
        os._exit(0)


def _run_and_kill(store, scenario, first: int, delay: float, die_at_rename: int = 0) -> list[int]:
    """Fork a writer, SIGKILL it after ``delay`` seconds (or at a rename); return the saves it reported finished."""
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(read_end)
        _write_until_killed(store, scenario, first, write_end, die_at_rename)
    os.close(write_end)
    time.sleep(delay)
    os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)
    chunks = []
    while chunk := os.read(read_end, 65536):
        chunks.append(chunk)
    os.close(read_end)
    return [int(line) for line in b"".join(chunks).split()]


def _check_slots(store, library, confirmed: dict, in_flight: int | None) -> None:
    """Each slot file parses, loads without notice, and holds its last finished or its in-flight version."""
    for slot in (slot_of(n) for n in range(SLOTS)):
        allowed = {confirmed[slot]} if slot in confirmed else set()
        if in_flight is not None and slot_of(in_flight) == slot:
            allowed.add(in_flight)
        path = store.directory / f"{slot}.json"
        if not path.exists():
            assert slot not in confirmed, f"{slot} vanished"
            continue
        try:
            seed = json.loads(path.read_text(encoding="utf-8"))["seed"]
        except (ValueError, KeyError) as err:
            pytest.fail(f"{slot} is broken after a kill: {err}")
        assert seed in allowed, f"{slot} holds version {seed}, expected one of {sorted(allowed)}"
        result = store.load(library, slot)
        assert result.notice is None and result.session.seed == seed
        backup = store.directory / f"{slot}.json.bak"
        if backup.exists():  # the previous good version: older, or the same one saved again
            assert json.loads(backup.read_text(encoding="utf-8"))["seed"] <= seed


def _seconds_per_save(directory: Path, scenario) -> float:
    """The median of a few warm saves: the first one pays for imports and caches."""
    store, times = SaveStore(directory), []
    for number in range(6):
        start = time.perf_counter()
        store.save(play(scenario, seed=number, steps=number % 5 + 1), "timing")
        times.append(time.perf_counter() - start)
    return statistics.median(times[1:])


def test_sigkill_during_200_saves_never_leaves_a_broken_slot(tmp_path, library, scenario):
    rng = random.Random(20261121)
    max_delay = SAVES_PER_CHILD * _seconds_per_save(tmp_path / "timing", scenario)
    store = SaveStore(tmp_path / "saves")
    confirmed: dict[str, int] = {}
    next_save, caught_mid_write, temps_seen = 0, 0, set()
    writers = itertools.count(1)
    while next_save < TOTAL:
        if next(writers) % SELF_KILL_EVERY == 0:  # time enough to reach its fatal rename
            delay, die_at_rename = 3 * max_delay, rng.randint(1, SAVES_PER_CHILD)
        else:
            delay, die_at_rename = rng.uniform(0.0, max_delay), 0
        finished = _run_and_kill(store, scenario, next_save, delay, die_at_rename)
        for number in finished:
            confirmed[slot_of(number)] = number
        next_save = finished[-1] + 1 if finished else next_save
        in_flight = next_save if next_save < TOTAL else None
        if store.directory.exists():  # a new temp file left behind: this kill interrupted a write
            temps = {p.name for p in store.directory.iterdir() if p.name.endswith(".tmp")}
            caught_mid_write += bool(temps - temps_seen)
            temps_seen |= temps
        _check_slots(store, library, confirmed, in_flight)
    assert caught_mid_write >= 1, "no kill landed inside a save: the test proved nothing"
    assert {confirmed[slot_of(n)] for n in range(TOTAL - SLOTS, TOTAL)} == set(range(TOTAL - SLOTS, TOTAL))
    SaveStore(store.directory)  # the next start removes what the killed writers left
    assert not [p.name for p in store.directory.iterdir() if p.name.endswith(".tmp")]
