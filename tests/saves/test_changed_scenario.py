"""Loading a save after its scenario was edited: replay what still matches and say where it stopped."""
from __future__ import annotations

import json

import pytest

from game.cli import main
from game.engine import Session, load_library
from game.saves import SaveError, SaveStore

from .helpers import base_paths, copy_scenario, library_with, play, remove_round

STEPS = 4


@pytest.fixture
def drill(tmp_path):
    """A copy of the tutorial as scenario 'drill' in its own story folder, a save of 4 choices in it."""
    folder = tmp_path / "story"
    copy_scenario(folder, "drill")
    library = library_with(folder)
    session = play(library.scenarios["drill"], seed=9, steps=STEPS)
    store = SaveStore(tmp_path / "saves")
    store.save(session, "mine")
    return folder, store, session


def _edit(folder, edit):
    copy_scenario(folder, "drill", edit)
    return library_with(folder)


def test_a_removed_round_is_reported_and_play_resumes_from_the_last_matching_round(drill):
    folder, store, before = drill
    (r0, c0), (r1, c1), (r2, c2), (r3, c3) = before.history
    library = _edit(folder, lambda data: remove_round(data, r2, instead=r3))
    source = library.scenario_files["drill"].data["rounds"][r1]["choices"]
    assert next(c for c in source if c["id"] == c1)["goto"] == r3, "the edit must send round 2's choice onward"

    result = store.load(library, "mine")
    assert result.notice == (f"the scenario changed since this save: round {r2!r} no longer exists; "
                             f"resumed after 2 of {STEPS} choices, at round {r3!r}")
    session = result.session
    assert session.history == [(r0, c0), (r1, c1)]
    assert session.round_id == r3
    fresh = Session.replay(library.scenarios["drill"], 9, [c0, c1])
    assert session.variables() == fresh.variables() and session.beats == fresh.beats
    session.choose(c3)  # the trainee carries on from there
    assert session.turn == 3


def test_the_cli_prints_the_divergence_and_continues(drill, capsys):
    folder, store, before = drill
    r2, r3 = before.history[2][0], before.history[3][0]
    _edit(folder, lambda data: remove_round(data, r2, instead=r3))
    code = main(["run", "--load", "mine", "--story", str(folder), "--saves-dir", str(store.directory),
                 "--choose", before.history[3][1], "--save", "mine", "--json"])
    captured = capsys.readouterr()
    assert code == 0
    assert f"offramp: note: the scenario changed since this save: round {r2!r} no longer exists" in captured.err
    out = json.loads(captured.out)
    assert out["notice"].startswith("the scenario changed") and len(out["history"]) == 3
    assert main(["run", "--load", "mine", "--story", str(folder), "--saves-dir", str(store.directory)]) == 0
    assert "note:" not in capsys.readouterr().err  # saved again under the new version: nothing to report


def test_a_closed_choice_stops_the_replay_before_it(drill):
    folder, store, before = drill
    (r0, c0), (r1, c1) = before.history[:2]

    def close(data):
        next(c for c in data["rounds"][r1]["choices"] if c["id"] == c1)["if"] = "turn > 99"
    result = store.load(_edit(folder, close), "mine")
    assert result.notice == (f"the scenario changed since this save: choice {c1!r} in round {r1!r} is no longer "
                             f"open; resumed after 1 of {STEPS} choices, at round {r1!r}")
    assert result.session.history == [(r0, c0)]


def test_a_removed_choice_is_named(drill):
    folder, store, before = drill
    r2, c2 = before.history[2]

    def drop(data):
        data["rounds"][r2]["choices"] = [c for c in data["rounds"][r2]["choices"] if c["id"] != c2]
    result = store.load(_edit(folder, drop), "mine")
    assert f"choice {c2!r} no longer exists in round {r2!r}; resumed after 2 of {STEPS} choices" in result.notice


def test_a_game_that_now_ends_earlier_says_so(drill):
    folder, store, before = drill
    r0, c0 = before.history[0]

    def shortcut(data):
        ending = next(iter(data["endings"]))
        next(c for c in data["rounds"][r0]["choices"] if c["id"] == c0)["goto"] = ending
    library = _edit(folder, shortcut)
    result = store.load(library, "mine")
    ending = result.session.ending
    assert ending is not None
    assert result.notice == (f"the scenario changed since this save: the game now ends ({ending!r}) before round "
                             f"{before.history[1][0]!r}; resumed after 1 of {STEPS} choices, at the ending {ending!r}")


def test_an_edit_that_keeps_every_choice_is_still_mentioned(drill):
    folder, store, before = drill
    r0 = before.history[0][0]

    def retitle(data):
        data["rounds"][r0]["title"] = "A new title"
    result = store.load(_edit(folder, retitle), "mine")
    assert result.notice == (f"the scenario changed since this save; all {STEPS} choices still apply and were "
                             f"replayed; at round {before.round_id!r}")
    assert result.session.history == before.history


def test_an_edit_that_changes_the_numbers_names_what_moved(drill):
    folder, store, before = drill

    def start_warmer(data):
        data.setdefault("setup", {})["rostin_heat"] = 1
    library = _edit(folder, start_warmer)
    if "rostin_heat" not in library.scenarios["drill"].vars:
        pytest.skip("the spokesman persona no longer has rostin_heat")
    result = store.load(library, "mine")
    assert "all 4 choices still apply and were replayed, which changes rostin_heat" in result.notice


def test_a_scenario_that_now_has_errors_is_refused_with_a_pointer_to_validate(drill):
    folder, store, _ = drill
    copy_scenario(folder, "drill", lambda data: data.update(start="nowhere"))
    library = load_library(base_paths() + [folder])
    assert "drill" in library.scenario_files and "drill" not in library.scenarios
    with pytest.raises(SaveError, match="scenario 'drill', which has errors now; run 'offramp validate'"):
        store.load(library, "mine")


def test_a_save_from_another_offramp_version_that_replays_differently_is_resumed_with_a_notice(drill):
    folder, store, before = drill
    path = store.directory / "mine.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    data["offramp"] = "0.0.1"
    name = sorted(data["snapshot"]["values"])[0]
    data["snapshot"]["values"][name] = "what an older engine computed"
    path.write_text(json.dumps(data), encoding="utf-8")
    result = store.load(library_with(folder), "mine")
    assert result.notice.startswith("this save was made by offramp 0.0.1, which may play differently from ")
    assert f"all {STEPS} choices still apply and were replayed, which changes {name}" in result.notice
    assert result.session.history == before.history
