"""Issue 13: a game played against another persona (--cast, or the picker's cast option) is saved
with its cast, and loading replays it against the same persona, whatever the library holds now."""
from __future__ import annotations

import json

import pytest

from game.engine import Session, load_library, recast
from game.paths import story_paths
from game.saves import SaveError, SaveStore

SCENARIO, VARIANT = "ceasefire-table", "volkov-wary"


def fresh_library():
    return load_library(story_paths([]))


def wary_game(steps: int = 4) -> Session:
    session = Session(recast(fresh_library(), SCENARIO, {"adversary": VARIANT}), 5)
    for _ in range(steps):
        session.choose(session.choices()[-1].id)
    return session


def test_a_save_records_the_cast_and_loads_against_it_in_a_library_cast_as_written(tmp_path):
    store = SaveStore(tmp_path)
    game = wary_game()
    path = store.save(game, "wary")
    assert json.loads(path.read_text())["cast"]["adversary"] == VARIANT
    library = fresh_library()  # the scenario as written, with Volkov himself in the chair
    assert library.scenarios[SCENARIO].cast["adversary"] == "volkov"
    loaded = store.load(library, "wary")
    assert loaded.notice is None  # same story, same engine, same cast: an exact replay
    assert loaded.session.scenario.cast["adversary"] == VARIANT
    assert loaded.session.values == game.values and loaded.session.history == game.history
    assert library.scenarios[SCENARIO].cast["adversary"] == "volkov"  # loading does not recast the library


def test_a_save_of_the_written_cast_loads_in_a_recast_library(tmp_path):
    store = SaveStore(tmp_path)
    game = Session(fresh_library().scenarios[SCENARIO], 5)
    game.choose(game.choices()[0].id)
    store.save(game, "plain")
    library = fresh_library()
    recast(library, SCENARIO, {"adversary": VARIANT})
    loaded = store.load(library, "plain")
    assert loaded.notice is None and loaded.session.scenario.cast["adversary"] == "volkov"


def test_a_save_whose_persona_is_gone_says_so(tmp_path):
    store = SaveStore(tmp_path)
    path = store.save(wary_game(1), "gone")
    data = json.loads(path.read_text())
    data["cast"]["adversary"] = "volkov-retired"
    path.write_text(json.dumps(data))
    with pytest.raises(SaveError, match="played against .*volkov-retired"):
        store.load(fresh_library(), "gone")


@pytest.mark.parametrize("cast", [["volkov"], {"adversary": 3}, "volkov"])
def test_a_cast_edited_into_another_shape_is_reported_as_damage(tmp_path, cast):
    store = SaveStore(tmp_path)
    path = store.save(wary_game(1), "odd")
    data = json.loads(path.read_text())
    data["cast"] = cast
    path.write_text(json.dumps(data))
    with pytest.raises(SaveError, match="its cast should map roles to persona ids"):
        store.load(fresh_library(), "odd")
