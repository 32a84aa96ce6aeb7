"""Issue 16, item 4: the next save makes the previous file the backup only if loading would accept
it, so a hand-edited, oversized or non-replaying slot never pushes out the last good backup."""
from __future__ import annotations

import json
import shutil

import pytest

from game.saves import MAX_SAVE_BYTES, SaveStore

from .helpers import first_choices, tutorial_library


@pytest.fixture(scope="module")
def library():
    return tutorial_library()


def _backup_loads(store, library) -> int:
    """Load the backup as a slot of its own; returns the number of choices it holds."""
    shutil.copyfile(store.directory / "drill.json.bak", store.directory / "backup-copy.json")
    result = store.load(library, "backup-copy")
    assert result.notice is None
    return result.session.turn


def _tamper_values(path) -> None:
    """Edit a value by hand: the file still parses, but it no longer replays as recorded."""
    data = json.loads(path.read_text(encoding="utf-8"))
    name = next(iter(data["snapshot"]["values"]))
    data["snapshot"]["values"][name] = 99
    path.write_text(json.dumps(data), encoding="utf-8")


def test_a_hand_edited_slot_is_not_promoted_over_the_good_backup(tmp_path, library):
    store, scenario = SaveStore(tmp_path / "saves"), library.scenarios["tutorial"]
    store.save(first_choices(scenario, 3, 1), "drill")
    store.save(first_choices(scenario, 3, 2), "drill")  # the backup is now the one-choice game
    _tamper_values(store.path_for("drill"))
    store.save(first_choices(scenario, 3, 3), "drill")
    assert _backup_loads(store, library) == 1


def test_an_oversized_slot_is_not_promoted_over_the_good_backup(tmp_path, library):
    store, scenario = SaveStore(tmp_path / "saves"), library.scenarios["tutorial"]
    store.save(first_choices(scenario, 3, 1), "drill")
    store.save(first_choices(scenario, 3, 2), "drill")
    path = store.path_for("drill")
    padded = path.read_bytes().rstrip() + b" " * (MAX_SAVE_BYTES + 1) + b"\n"  # valid JSON, too large to load
    path.write_bytes(padded)
    store.save(first_choices(scenario, 3, 3), "drill")
    assert _backup_loads(store, library) == 1


def test_a_good_previous_version_still_becomes_the_backup(tmp_path, library):
    store, scenario = SaveStore(tmp_path / "saves"), library.scenarios["tutorial"]
    for steps in (1, 2, 3):
        store.save(first_choices(scenario, 3, steps), "drill")
    assert _backup_loads(store, library) == 2
