"""Saving and loading slots: round trips, autosaves, backups, folders and slot names."""
from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest

from game import __version__, saves
from game.saves import SaveError, SaveStore

from .helpers import play


def test_a_save_loads_back_to_the_same_game(store, library, scenario):
    session = play(scenario, seed=11, steps=4)
    path = store.save(session, "before the deal")
    assert path == store.directory / "before the deal.json"
    result = store.load(library, "before the deal")
    assert result.notice is None
    loaded = result.session
    assert loaded.history == session.history
    assert loaded.variables() == session.variables()
    assert loaded.round_id == session.round_id
    assert loaded.beats == session.beats
    assert loaded.scores() == session.scores()
    assert [c.id for c in loaded.choices()] == [c.id for c in session.choices()]


def test_a_save_file_holds_what_the_format_promises(store, scenario):
    session = play(scenario, seed=3, steps=2)
    data = json.loads(store.save(session, "s").read_text(encoding="utf-8"))
    assert data["kind"] == saves.SAVE_KIND and data["version"] == saves.SAVE_VERSION
    assert data["scenario"] == scenario.id and data["content_hash"] == scenario.content_hash
    assert data["seed"] == 3 and data["offramp"] == __version__
    assert data["choices"] == [list(pair) for pair in session.history]
    assert data["snapshot"] == json.loads(json.dumps(session.snapshot()))
    assert data["created"].endswith("Z") and data["updated"] >= data["created"]


def test_a_finished_game_loads_finished(store, library, scenario):
    session = play(scenario, seed=5)
    assert session.ended
    store.save(session, "done")
    loaded = store.load(library, "done").session
    assert loaded.ending == session.ending and loaded.scores() == session.scores()
    info = store.list()[0]
    assert info.ending == session.ending


def test_autosave_uses_one_slot_per_scenario_and_keeps_the_start_time(store, scenario, monkeypatch):
    session = play(scenario, seed=1, steps=1)
    monkeypatch.setattr(saves, "_now", lambda: "2026-01-01T10:00:00Z")
    path = store.autosave(session)
    assert path.name == f"autosave-{scenario.id}.json"
    session.choose(session.choices()[0].id)
    monkeypatch.setattr(saves, "_now", lambda: "2026-01-01T10:05:00Z")
    store.autosave(session)
    data = json.loads(path.read_text(encoding="utf-8"))
    assert (data["created"], data["updated"]) == ("2026-01-01T10:00:00Z", "2026-01-01T10:05:00Z")
    new_game = play(scenario, seed=2, steps=1)
    monkeypatch.setattr(saves, "_now", lambda: "2026-01-01T11:00:00Z")
    store.autosave(new_game)
    assert json.loads(path.read_text(encoding="utf-8"))["created"] == "2026-01-01T11:00:00Z"


def test_latest_autosave_is_the_most_recent_readable_one(store, scenario, monkeypatch):
    assert store.latest_autosave() is None
    monkeypatch.setattr(saves, "_now", lambda: "2026-01-01T10:00:00Z")
    store.save(play(scenario, steps=1), "autosave-older")
    monkeypatch.setattr(saves, "_now", lambda: "2026-01-02T10:00:00Z")
    store.save(play(scenario, steps=2), "autosave-newer")
    store.save(play(scenario, steps=3), "not-an-autosave")
    (store.directory / "autosave-broken.json").write_text("{", encoding="utf-8")
    latest = store.latest_autosave()
    assert latest.slot == "autosave-newer" and latest.readable and latest.saved_at == "2026-01-02T10:00:00Z"


def test_each_save_keeps_the_previous_good_version(store, scenario):
    session = play(scenario, steps=1)
    path = store.save(session, "slot")
    backup = store.directory / "slot.json.bak"
    assert not backup.exists()
    first = path.read_bytes()
    session.choose(session.choices()[0].id)
    store.save(session, "slot")
    assert backup.read_bytes() == first
    path.write_text("garbage", encoding="utf-8")  # a broken file never becomes the fallback
    store.save(session, "slot")
    assert backup.read_bytes() == first
    assert not [p.name for p in store.directory.iterdir() if p.name.endswith(".tmp")]


def test_a_damaged_slot_falls_back_to_its_previous_version(store, library, scenario):
    session = play(scenario, steps=2)
    store.save(session, "slot")
    session.choose(session.choices()[0].id)
    path = store.save(session, "slot")
    path.write_bytes(path.read_bytes()[:200])
    result = store.load(library, "slot")
    assert len(result.session.history) == 2
    assert "'slot' is truncated" in result.notice and "previous version was loaded" in result.notice
    info = store.list()[0]
    assert info.readable and "previous version will be loaded" in info.error


def test_when_both_versions_are_broken_the_main_files_problem_is_reported(store, library, scenario):
    session = play(scenario, steps=2)
    store.save(session, "slot")
    store.save(session, "slot")
    (store.directory / "slot.json").write_text("", encoding="utf-8")
    (store.directory / "slot.json.bak").write_text("{}", encoding="utf-8")
    with pytest.raises(SaveError, match="'slot' is empty"):
        store.load(library, "slot")
    assert not store.list()[0].readable


def test_a_missing_slot_names_the_folder_and_the_slots_there(store, library, scenario):
    store.save(play(scenario, steps=1), "mine")
    with pytest.raises(SaveError) as err:
        store.load(library, "yours")
    assert "no save called 'yours'" in err.value.message and "mine" in err.value.message
    assert str(store.directory) in err.value.message


def test_a_save_for_a_scenario_not_in_the_library_is_refused_clearly(store, scenario):
    from game.engine import load_library

    store.save(play(scenario, steps=1), "s")
    with pytest.raises(SaveError, match="scenario 'tutorial', which is not in the story library"):
        store.load(load_library([]), "s")


def test_a_write_failure_is_a_save_error(tmp_path, scenario):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder", encoding="utf-8")
    with pytest.raises(SaveError, match="could not write the save 's'"):
        SaveStore(blocker / "saves").save(play(scenario, steps=1), "s")


def test_temp_files_of_a_killed_writer_are_cleaned_once_stale(store, scenario):
    store.save(play(scenario, steps=1), "s")
    stale = store.directory / ".s.json.abc123.tmp"
    fresh = store.directory / ".s.json.def456.tmp"
    stale.write_text("half", encoding="utf-8")
    fresh.write_text("half", encoding="utf-8")
    old = time.time() - 3600
    os.utime(stale, (old, old))
    store.save(play(scenario, steps=2), "s")
    assert not stale.exists() and fresh.exists()
    assert [i.slot for i in store.list()] == ["s"]


@pytest.mark.parametrize("slot, problem", [
    ("../escape", "'/'"),
    ("a/b", "'/'"),
    ("a\\b", "'\\\\'"),
    ("..", "'..'"),
    ("x..y", "'..'"),
    (".hidden", "starts with a dot"),
    ("trailing ", "ends with a space"),
    ("bell\x07", "control character"),
    ("new\nline", "control character"),
    ("c:drive", "':'"),
    ("NUL", "reserved device name"),
    ("x" * 65, "longer than 64"),
    ("", "needs a name"),
    ("   ", "needs a name"),
    (".json", "needs a name"),
])
def test_unsafe_slot_names_are_refused_with_the_reason(store, scenario, slot, problem):
    with pytest.raises(SaveError, match=problem):
        store.save(play(scenario, steps=1), slot)
    assert not store.directory.exists() or not any(store.directory.iterdir())


@pytest.mark.parametrize("slot", ["entraînement 2", "before_the-deal.v2", "A" * 64])
def test_ordinary_slot_names_are_kept_as_written(store, scenario, slot):
    assert store.save(play(scenario, steps=1), slot).name == slot + ".json"
    assert [i.slot for i in store.list()] == [slot]


def test_a_slot_given_as_a_file_name_means_the_slot(store, library, scenario):
    store.save(play(scenario, steps=1), "drill")
    assert store.load(library, "drill.json").session.turn == 1


class TestDirectory:
    def test_an_explicit_folder_wins(self, tmp_path, monkeypatch):
        monkeypatch.setenv("OFFRAMP_SAVES", str(tmp_path / "env"))
        assert SaveStore(tmp_path / "explicit").directory == tmp_path / "explicit"

    def test_then_the_environment_variable(self, tmp_path, monkeypatch):
        monkeypatch.setenv("OFFRAMP_SAVES", str(tmp_path / "env"))
        monkeypatch.chdir(tmp_path)
        (tmp_path / "saves").mkdir()
        assert SaveStore().directory == tmp_path / "env"

    def test_then_a_saves_folder_in_the_working_folder(self, tmp_path, monkeypatch):
        monkeypatch.delenv("OFFRAMP_SAVES", raising=False)
        monkeypatch.chdir(tmp_path)
        (tmp_path / "saves").mkdir()
        assert SaveStore().directory == tmp_path / "saves"

    def test_else_the_users_data_folder(self, tmp_path, monkeypatch):
        import platformdirs

        monkeypatch.delenv("OFFRAMP_SAVES", raising=False)
        monkeypatch.chdir(tmp_path)
        monkeypatch.setattr(platformdirs, "user_data_dir", lambda app: str(tmp_path / "data" / app))
        assert SaveStore().directory == Path(tmp_path / "data" / "offramp" / "saves")
