"""Issue 16, item 9: writers killed mid-save and two writers racing on one slot leave every slot
loadable, and the next start (a new SaveStore) leaves no orphaned temp file or stray hard link."""
from __future__ import annotations

import itertools
import os
import random
import signal
import time

import pytest

from game.saves import SaveStore
from tests.saves.helpers import kill_self_at_rename

from .helpers import first_choices, tutorial_library

pytestmark = pytest.mark.skipif(not hasattr(os, "fork") or not hasattr(signal, "SIGKILL"),
                                reason="needs fork and SIGKILL (POSIX)")
SLOTS = ("alpha", "beta")


@pytest.fixture(scope="module")
def library():
    return tutorial_library()


def _saving_child(directory, scenario, first: int, rounds: int | None = None, die_at_rename: int = 0) -> int:
    """A writer saving ``rounds`` games (None: until it is killed); with ``die_at_rename`` = n it
    kills itself at its n-th rename, when a temp file or backup link is written but not yet in place."""
    pid = os.fork()
    if pid == 0:
        try:
            if die_at_rename:
                kill_self_at_rename(die_at_rename)
            store = SaveStore(directory)
            numbers = itertools.count(first) if rounds is None else range(first, first + rounds)
            for number in numbers:
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


@pytest.mark.parametrize("rename", [1, 2], ids=["backup-link-written", "save-written-and-fsynced"])
def test_a_writer_killed_before_its_rename_leaves_a_temp_the_next_start_removes(tmp_path, library, rename):
    scenario, directory = library.scenarios["tutorial"], tmp_path / "saves"
    SaveStore(directory).save(first_choices(scenario, 1, 1), SLOTS[0])  # so the first save keeps a backup
    pid = _saving_child(directory, scenario, 0, 1, die_at_rename=rename)
    _, status = os.waitpid(pid, 0)
    assert os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL
    assert len(_temps(directory)) == 1, "the writer did not die inside its save"
    store = SaveStore(directory)  # the next start
    assert _temps(directory) == []
    _all_slots_load(store, library)


def test_no_temp_file_survives_the_next_start_after_kill_9(tmp_path, library):
    scenario, directory = library.scenarios["tutorial"], tmp_path / "saves"
    SaveStore(directory).save(first_choices(scenario, 1, 1), SLOTS[0])
    rng, left_behind = random.Random(16), 0
    for kill in range(400):  # until a few kills have landed inside a save, whatever this machine's speed
        pid = _saving_child(directory, scenario, kill * 1000)  # saves until killed
        time.sleep(rng.uniform(0.005, 0.1))
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        left_behind += bool(_temps(directory))
        if left_behind >= 3:
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
