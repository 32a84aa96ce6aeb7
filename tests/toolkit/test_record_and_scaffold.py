"""offramp record and offramp new: files that load, replay and explain themselves."""
from __future__ import annotations

import pytest

from game.engine import Session, load_library
from game.engine.diagnostics import Diagnostics
from game.engine.library import read_file
from game.paths import story_paths
from game.tools import explore as ex
from game.tools import scaffold
from game.tools.pytest_plugin import check
from game.tools.record import playthrough_yaml

from .helpers import bundled, offramp

ROUTE = ["name-the-fear", "mirror-promises", "ask-how"]


def _load(path):
    diags = Diagnostics()
    source = read_file(path, diags)
    assert not diags, [str(d) for d in diags]
    return source


def test_a_recorded_session_is_a_passing_playthrough(tmp_path):
    scenario = bundled().scenarios["tutorial"]
    session = Session(scenario, 4)
    while not session.ended:
        session.choose(session.choices()[-1].id)
    path = tmp_path / "recorded.yaml"
    path.write_text(playthrough_yaml(session), encoding="utf-8")
    source = _load(path)
    assert source.kind == "playthrough"
    assert source.data["expect"]["ending"] == session.ending
    assert source.data["expect"]["scores"]["total"] == [session.scores()["total"] - 5, session.scores()["total"] + 5]
    assert check(scenario, source) == []


def test_a_recorded_unfinished_session_expects_its_round(tmp_path):
    scenario = bundled().scenarios["tutorial"]
    session = Session.replay(scenario, 2, ROUTE)
    path = tmp_path / "partial.yaml"
    path.write_text(playthrough_yaml(session, name="three steps", slack=0), encoding="utf-8")
    source = _load(path)
    assert source.data["expect"] == {"round": session.round_id}
    assert check(scenario, source) == []
    path.write_text(path.read_text().replace(f"round: {session.round_id}", "round: encircled"))
    assert "expected: still in round 'encircled'" in check(scenario, _load(path))[0]


def test_record_cli_writes_the_file(tmp_path):
    out = tmp_path / "t.yaml"
    args = ["record", "tutorial", "--seed", "9", "--out", out] + [a for c in ROUTE for a in ("--choose", c)]
    result = offramp(*args)
    assert result.returncode == 0, result.stderr
    assert _load(out).data["choices"] == ROUTE
    bad = offramp("record", "tutorial", "--choose", "no-such-choice")
    assert bad.returncode == 1 and "no-such-choice" in bad.stderr and "Traceback" not in bad.stderr


def test_new_scenario_is_valid_explorable_and_teaches(tmp_path):
    result = offramp("new", "first-meeting", "--dir", tmp_path)
    assert result.returncode == 0, result.stderr
    path = tmp_path / "first-meeting.yaml"
    text = path.read_text(encoding="utf-8")
    assert text.count("#") >= 15 and "yaml-language-server: $schema=" in text
    library = load_library(story_paths([tmp_path]))
    assert [str(d) for d in library.diagnostics] == []
    report = ex.explore(library.scenarios["first-meeting"])
    assert report["exhaustive"] and not ex.has_problems(report)
    again = offramp("new", "first-meeting", "--dir", tmp_path)
    assert again.returncode == 1 and "already exists" in again.stderr
    bad = offramp("new", "First Meeting", "--dir", tmp_path)
    assert bad.returncode == 1 and "not a valid scenario id" in bad.stderr


def test_scaffold_refuses_bad_ids():
    with pytest.raises(scaffold.ScaffoldError, match="not a valid scenario id"):
        scaffold.scenario_text("9lives")


LABEL = "It sounds like you feel cornered and that nobody in the West ever listened to you"


def test_a_session_played_in_free_text_records_say_steps_that_replay_it(tmp_path):
    from game.recognize import for_story

    scenario = bundled().scenarios["tutorial"]
    reader = for_story(story_paths(), bundled().tactics)
    session = Session(scenario, 7)
    assert session.say(LABEL, [(r.tag, r.confidence) for r in reader.read(LABEL, "")]).choice is not None
    read_as = session.hear(LABEL, [(r.tag, r.confidence) for r in reader.read(LABEL, session.last_words())])
    assert getattr(read_as.choice, "id", None) != "mirror-promises"
    session.choose("mirror-promises", said=LABEL)  # the trainee corrected the reading in training mode
    path = tmp_path / "said.yaml"
    path.write_text(playthrough_yaml(session, reader=reader), encoding="utf-8")
    assert _load(path).data["choices"] == [{"say": LABEL}, "mirror-promises"]
    assert f'- mirror-promises  # said "{LABEL}"' in path.read_text()
    assert check(scenario, _load(path)) == []
    path.write_text(playthrough_yaml(session), encoding="utf-8")  # no reader to check the words with: ids
    assert _load(path).data["choices"] == [c for _, c in session.history]


def test_record_cli_writes_say_steps(tmp_path):
    out = tmp_path / "said.yaml"
    result = offramp("record", "tutorial", "--seed", "7", "--say", LABEL, "--choose", "mirror-promises",
                     "--out", out)
    assert result.returncode == 0, result.stderr
    assert _load(out).data["choices"] == [{"say": LABEL}, "mirror-promises"]
    refused = offramp("record", "tutorial", "--say", "the weather is nice")
    assert refused.returncode == 1 and "Rephrase" in refused.stderr and "Traceback" not in refused.stderr
