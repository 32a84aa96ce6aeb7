"""Playing in one's own words: a typed line plays the move it makes, in those words, and
survives snapshots, saves and replays; a line that makes no open move changes nothing."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest

from game.engine import Session, load_library
from game.engine.freetext import match
from game.paths import story_paths
from game.recognize import for_story
from game.saves import SaveStore

LABEL = "It sounds like you feel surrounded and that nobody in the West listens to you."


@pytest.fixture(scope="module")
def library():
    return load_library(story_paths())


@pytest.fixture(scope="module")
def reader(library):
    return for_story(story_paths(), library.tactics)


def say(session, reader, text):
    return session.say(text, [(r.tag, r.confidence) for r in reader.read(text, session.last_words())])


def test_a_typed_label_plays_the_labelling_move_in_the_trainees_words(library, reader):
    session = Session(library.scenarios["tutorial"], 3)
    heard = say(session, reader, LABEL)
    assert heard.choice is not None and "empathy.label" in heard.choice.tags
    assert session.history == [("across-the-table", heard.choice.id)]
    assert [b.text for b in session.beats if b.kind == "you"] == [LABEL]
    twin = Session.replay(library.scenarios["tutorial"], 3, [heard.choice.id])
    assert twin.variables() == session.variables() and twin.scores() == session.scores()  # the same game


@pytest.mark.parametrize("line", ["", "hello there", "Bonjour, monsieur.", "\x1b]0;title\x07", "x" * 5000])
def test_a_line_that_makes_no_open_move_changes_nothing(library, reader, line):
    session = Session(library.scenarios["tutorial"], 3)
    before = session.snapshot()
    heard = say(session, reader, line)
    assert heard.choice is None and heard.reason
    assert session.snapshot() == before


def test_typed_words_survive_snapshots_and_saves(library, reader, tmp_path):
    session = Session(library.scenarios["tutorial"], 5)
    say(session, reader, LABEL)
    restored = Session.restore(library.scenarios["tutorial"], json.loads(json.dumps(session.snapshot())))
    assert restored.state.said == {1: LABEL}
    store = SaveStore(tmp_path)
    store.save(session, "typed")
    loaded = store.load(library, "typed").session
    assert loaded.state.said == {1: LABEL}
    assert [b.text for b in loaded.beats if b.kind == "you"] == [LABEL]


def test_ties_between_moves_with_the_same_tags_go_to_the_closest_wording():
    class Choice:
        def __init__(self, ident, tags, text):
            self.id, self.tags, self.text = ident, tags, text

    sanctions = Choice("banks", ("brink.sanctions",), "Two more banks lose their access")
    ships = Choice("ships", ("brink.sanctions",), "The tanker insurers are listed next")
    readings = [("brink.sanctions", 0.9)]
    assert match("the banks lose access", readings, [sanctions, ships], str).choice is sanctions
    assert match("the insurers of the tankers", readings, [sanctions, ships], str).choice is ships
    assert match("sanctions, then", readings, [sanctions, ships], str).choice is None  # nothing tells them apart


def test_the_debrief_quotes_the_trainees_words(library, reader):
    from game.engine import presentation

    session = Session(library.scenarios["tutorial"], 3)
    say(session, reader, LABEL)
    while not session.ended:
        session.choose(session.choices()[0].id)
    moves = next(s for s in presentation.debrief(session) if s.id == "moves")
    quoted = [item.head + " " + item.text for block in moves.blocks for item in block.items]
    assert any(f'you said: "{LABEL}"' in line for line in quoted), quoted


def test_run_says_lines_and_explains_a_line_it_cannot_read():
    base = [sys.executable, "-m", "game", "run", "tutorial", "--seed", "3", "--json"]
    done = subprocess.run(base + ["--say", LABEL], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    assert out["said"] == {"1": LABEL} and len(out["history"]) == 1
    refused = subprocess.run(base + ["--say", LABEL, "--say", "the weather is nice"], capture_output=True,
                             text=True, timeout=120)
    assert refused.returncode == 1 and "--say #2" in refused.stderr and "Rephrase" in refused.stderr
    assert "Traceback" not in refused.stderr


def test_missed_opportunities_and_turning_points_quote_a_typed_move_too(library, reader):
    from game.engine import presentation

    insult = "You are a liar and a war criminal, and everyone at this table knows it."
    session = Session(library.scenarios["tutorial"], 3)
    assert say(session, reader, insult).choice is not None
    while not session.ended:
        session.choose(session.choices()[0].id)
    sections = {s.id: s for s in presentation.debrief(session)}
    heads = [item.head for ident in ("missed", "turning-points") if ident in sections
             for block in sections[ident].blocks for item in block.items if item.head.startswith("Round 1")]
    assert heads and all(f'(you said: "{insult}")' in head for head in heads), heads


def test_what_ended_the_talks_quotes_the_typed_words_beside_the_move(library):
    from game.engine import presentation

    scenario = library.scenarios["tutorial"]

    def third_listed(seed):
        played = Session(scenario, seed)
        while not played.ended:
            choices = played.choices()
            played.choose(choices[min(2, len(choices) - 1)].id)
        return played

    # a game that ends on the trainee's own move (a route), not on a shock
    played = next(game for game in map(third_listed, range(40)) if game.ended_by["kind"] == "route")
    ids = [choice for _, choice in played.history]
    words = "Then let us put our names to the framework, today."
    session = Session.replay(scenario, played.seed, ids, said={len(ids): words})
    round_id, choice_id = session.history[-1]
    text = next(s for s in presentation.debrief(session) if s.id == "cause").blocks[0].text
    assert f'\u201c{presentation.choice_text(session, round_id, choice_id)}\u201d (you said: "{words}")' in text, text
    unsaid = next(s for s in presentation.debrief(played) if s.id == "cause").blocks[0].text
    assert "you said" not in unsaid  # a move picked from the list is quoted as written
