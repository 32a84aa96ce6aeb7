"""Issue 16, item 9: writers killed mid-save and two writers racing on one slot leave every slot
loadable, and the next start (a new SaveStore) leaves no orphaned temp file or stray hard link."""
from __future__ import annotations

import os
import random
import signal
import time

import pytest

from game.saves import SaveStore

from .helpers import first_choices, tutorial_library

pytestmark = pytest.mark.skipif(not hasattr(os, "fork") or not hasattr(signal, "SIGKILL"),
                                reason="needs fork and SIGKILL (POSIX)")
SLOTS = ("alpha", "beta")


@pytest.fixture(scope="module")
def library():
    return tutorial_library()


def _saving_child(directory, scenario, first: int, rounds: int) -> int:
    pid = os.fork()
    if pid == 0:
        try:
            store = SaveStore(directory)
            for number in range(first, first + rounds):
                store.save(first_choices(scenario, number, number % 4 + 1), SLOTS[number % len(SLOTS)])
        finally:
            os._exit(0)
    return pid


def _temps(directory) -> list[str]:
    return sorted(p.name for p in directory.iterdir() if p.name.endswith(".tmp"))


def _all_slots_load(store, library) -> None:
    for slot in SLOTS:
        if store.path_for(slot).exists():
            assert store.load(library, slot).notice is None


def test_no_temp_file_survives_the_next_start_after_kill_9(tmp_path, library):
    scenario, directory = library.scenarios["tutorial"], tmp_path / "saves"
    SaveStore(directory).save(first_choices(scenario, 1, 1), SLOTS[0])
    rng, left_behind = random.Random(16), 0
    for kill in range(150):  # until a few kills have landed inside a save, whatever this machine's speed
        pid = _saving_child(directory, scenario, kill * 40, 40)
        time.sleep(rng.uniform(0.05, 1.0))
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        left_behind += bool(_temps(directory))
        if left_behind >= 5:
            break
    assert left_behind, "no kill landed inside a save: the test proved nothing"
    store = SaveStore(directory)  # the next start
    assert _temps(directory) == []
    _all_slots_load(store, library)


def test_two_writers_on_one_slot_leave_no_temp_file_or_extra_link(tmp_path, library):
    scenario, directory = library.scenarios["tutorial"], tmp_path / "saves"
    SaveStore(directory).save(first_choices(scenario, 1, 1), SLOTS[0])
    children = [_saving_child(directory, scenario, first, 60) for first in (0, 1000)]
    for pid in children:
        os.waitpid(pid, 0)
    assert _temps(directory) == [], "a finished writer left temp files or hard links"
    for slot in SLOTS:
        path = directory / f"{slot}.json"
        assert path.stat().st_nlink <= 2  # the slot and at most its backup share a file
    store = SaveStore(directory)
    assert _temps(directory) == []
    _all_slots_load(store, library)
