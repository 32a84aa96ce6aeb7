"""Mutated save files and arbitrary slot names: every failure is a SaveError, never a crash."""
from __future__ import annotations

import copy
import json
import tempfile
from pathlib import Path

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from game.engine import Session, load_library
from game.saves import SaveError, SaveStore
from game.tools.transcript import render

from .budget import FUZZ
from .mutations import apply, mutation_lists, tree_nodes
from .story_inputs import PERSONAS, RULES, TACTICS, TUTORIAL

JSON_EDGES = [None, True, False, 0, -1, 1.5, 10 ** 30, float("nan"), float("inf"), "", "x", "\ud800",
              [], {}, "tutorial", "../../etc/passwd", {"kind": "offramp-save"}, [["a", "b"]],
              [["across-the-table", "name-the-fear"]] * 50, "2026-13-45T99:99:99Z"]


@pytest.fixture(scope="module")
def setting():
    """A library, a saves folder, and the bytes of a valid save of a few choices."""
    library = load_library([TACTICS, RULES, *PERSONAS, TUTORIAL])
    session = Session(library.scenarios["tutorial"], 2)
    for _ in range(3):
        session.choose(session.choices()[0].id)
    with tempfile.TemporaryDirectory() as folder:
        store = SaveStore(Path(folder))
        good = store.save(session, "good").read_bytes()
        yield library, store, good


def _replace(data: bytes, edits) -> bytes:
    tree = json.loads(data)
    for where, what in edits:
        nodes = tree_nodes(tree, [])
        container, key = nodes[where % len(nodes)]
        container[key] = copy.deepcopy(JSON_EDGES[what % len(JSON_EDGES)])  # shared lists would make cycles
    return json.dumps(tree, indent=1).encode("utf-8", "surrogatepass")


json_edits = st.lists(st.tuples(st.integers(0, 1 << 20), st.integers(0, 1 << 10)), min_size=1, max_size=4)


def _load_or_refuse(library, store) -> None:
    try:
        result = store.load(library, "bad")
    except SaveError as err:
        assert err.message.startswith("the save 'bad' ")
    else:
        render(result.session, "html")
    assert store.load(library, "good").notice is None  # the good slot beside it is untouched
    assert {i.slot for i in store.list()} >= {"good", "bad"}
    store.latest_autosave()


@FUZZ
@given(mutations=mutation_lists)
def test_byte_level_damage_to_a_save_is_refused_clearly(setting, mutations):
    library, store, good = setting
    (store.directory / "bad.json").write_bytes(apply(good, mutations))
    _load_or_refuse(library, store)


@FUZZ
@given(edits=json_edits)
def test_hand_edited_fields_are_refused_or_replayed_never_crash(setting, edits):
    library, store, good = setting
    (store.directory / "bad.json").write_bytes(_replace(good, edits))
    _load_or_refuse(library, store)


@FUZZ
@given(slot=st.text(max_size=80))
def test_any_slot_name_is_refused_or_stays_inside_the_saves_folder(setting, slot):
    library, store, _ = setting
    try:
        path = store.path_for(slot)
    except SaveError as err:
        assert err.message
        return
    assert path.parent == store.directory
    assert path.resolve().parent == store.directory.resolve()
    assert path.name.endswith(".json") and not path.name.startswith(".")
    assume(path.name not in ("good.json", "bad.json"))
    store.save(Session(library.scenarios["tutorial"], 0), slot)
    assert path.name[: -len(".json")] in {i.slot for i in store.list()}
    path.unlink()
