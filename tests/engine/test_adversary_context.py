"""The adversary answers what was said (issue 12, item 6): who was in the room, no line said twice,
no move announced round after round or when it is the premise of the round, and numbers in the
narration read from the state the side panel shows."""
from __future__ import annotations

import itertools
import re

import pytest

from game.engine import Session, load_library
from game.paths import story_paths

from .helpers import FIXTURES

ROOM = """\
format: 1
kind: scenario
id: test-rooms
title: Two rooms
summary: A table with him, and a call he is not on.
difficulty: introductory
minutes: 5
cast: {adversary: volkov, ally: marenko}
setup: {feint: 90, face_threat: 50, emotion: 70}
start: table
rounds:
  table:
    title: The table
    text: "Pressure {contagion}, feint {feint}, emotion {emotion}."
    choices:
      - {id: label, text: Name his fear., tags: [empathy.label], goto: table}
      - {id: wait, text: Wait., goto: table}
      - {id: call, text: Call the ally., goto: call}
      - {id: refocus, text: Read the news., goto: refocus}
      - {id: leave, text: Go home., goto: done}
  call:
    title: The call
    text: Marenko is on the line; Volkov is not.
    present: [ally]
    moves: false
    choices:
      - {id: label-her, text: Name her fear., tags: [empathy.label], goto: table}
      - {id: press-her, text: Press her to give way., tags: [discipline.pressure_ally], goto: table}
  refocus:
    title: The refocus
    text: His army announces a refocus.
    premise: [refocus-feint]
    choices:
      - {id: back, text: Back to the table., goto: table}
endings:
  done: {outcome: stalemate, title: Done, text: Done.}
"""


def compiled(tmp_path_factory, name: str, text: str):
    """The scenario in ``text``, loaded beside the bundled story and the test fixtures."""
    folder = tmp_path_factory.mktemp(name)
    (folder / f"{name}.yaml").write_text(text, encoding="utf-8")
    library = load_library(story_paths([FIXTURES, folder]))
    errors = [str(d) for d in library.diagnostics.errors]
    assert not errors, errors
    return library.scenarios[f"test-{name}"]


@pytest.fixture(scope="module")
def rooms(tmp_path_factory):
    return compiled(tmp_path_factory, "rooms", ROOM)


def volkov_reactions(session, turn) -> list[str]:
    return [e["reaction"] for e in session.log
            if e["type"] == "reaction" and e["actor"] == "volkov" and e["turn"] == turn]


def test_he_does_not_answer_a_call_he_was_not_on(rooms):
    session = Session.replay(rooms, 1, ["call", "label-her"])
    assert volkov_reactions(session, 2) == []
    before, after = session.steps[-1]["before"], session.steps[-1]["after"]
    assert after["emotion"] == before["emotion"] and after["rapport"] == before["rapport"]
    assert not [b for b in session.beats if b.turn == 2 and b.kind == "reaction" and b.role == "adversary"]


def test_word_of_pressing_the_ally_still_reaches_him_as_news_not_as_his_words(rooms):
    session = Session.replay(rooms, 1, ["call", "press-her"])
    assert "west-is-fickle" in volkov_reactions(session, 2)
    assert session.steps[-1]["after"]["time_on_side"] > session.steps[-1]["before"]["time_on_side"]
    beats = [b for b in session.beats if b.turn == 2]
    assert any(b.kind == "event" and "reaches him" in b.text for b in beats)
    assert not any(b.kind == "reaction" and b.role == "adversary" for b in beats)


def test_no_reaction_or_move_line_is_said_twice_in_a_game(rooms, lab):
    for scenario, choices in ((lab, ["label"] * 8), (rooms, ["label", "wait"] * 10)):
        for seed in range(20):
            session = Session.replay(scenario, seed, choices)
            said = [b.text for b in session.beats if b.kind in ("reaction", "move", "event")]
            assert len(said) == len(set(said)), said
    calmed = Session.replay(lab, 1, ["label"] * 3)
    assert [s["after"]["emotion"] < s["before"]["emotion"] for s in calmed.steps] == [True] * 3


def test_no_move_two_rounds_running_and_none_the_round_is_about(rooms):
    premise_moves = 0
    for seed in range(60):
        session = Session.replay(rooms, seed, ["wait"] * 6 + ["refocus", "back"] + ["wait"] * 4)
        moves = [(e["turn"], e["move"]) for e in session.log if e["type"] == "move" and e["actor"] == "volkov"]
        for (turn_a, move_a), (turn_b, move_b) in itertools.pairwise(moves):
            assert not (turn_b == turn_a + 1 and move_b == move_a), moves
        refocus_turn = 7
        premise_moves += sum(1 for turn, move in moves if turn == refocus_turn and move == "refocus-feint")
    assert premise_moves == 0


def test_numbers_in_the_narration_are_the_ones_the_panel_shows(rooms):
    for seed in range(30):
        session = Session(rooms, seed)
        for _ in range(6):
            narration = [b.text for b in session.beats if b.kind == "narration"][-1]
            shown = dict(zip(("contagion", "feint", "emotion"), map(int, re.findall(r"\d+", narration)), strict=False))
            assert shown == {name: session.values[name] for name in shown}, (seed, narration)
            session.choose("wait")


WORDS = """\
format: 1
kind: scenario
id: test-words
title: Words
summary: The same tactic in different words.
difficulty: introductory
minutes: 5
cast: {adversary: volkov, spokesman: rostin}
setup: {face_threat: 70, emotion: 50, feint: 80}
start: table
rounds:
  table:
    title: The table
    text: He waits.
    moves: false
    choices:
      - {id: label-corner, text: '"You feel pushed into a corner."', tags: [empathy.label], goto: done}
      - {id: label-plain, text: '"It seems this matters a great deal to you."', tags: [empathy.label], goto: done}
      - {id: mirror, text: '"Who would guarantee it?" Say it back to him.', tags: [empathy.mirror], goto: done}
      - {id: sign-his-offer, text: Sign his ceasefire today., tags: [offramp.face_saving, brink.fold], goto: done}
      - {id: threaten, text: Tell him what happens if the strikes go on., tags: [brink.credible_threat], goto: done}
endings:
  done: {outcome: stalemate, title: Done, text: Done.}
"""


@pytest.fixture(scope="module")
def words(tmp_path_factory):
    return compiled(tmp_path_factory, "words", WORDS)


def his_answer(session) -> str:
    return next(b.text for b in session.beats if b.kind == "reaction" and b.role == "adversary")


def test_his_answer_picks_up_the_words_used_while_the_effects_stay_the_tactics(words):
    corner, plain, mirror = (Session.replay(words, 3, [choice]) for choice in ("label-corner", "label-plain", "mirror"))
    typed = Session(words, 3)
    typed.choose("label-plain", said="you must feel fenced in by the alliance")
    assert "Encircled" in his_answer(corner) and "Encircled" in his_answer(typed)
    assert "Encircled" not in his_answer(plain) and "Encircled" not in his_answer(mirror)
    assert "his own words" in his_answer(mirror)
    assert corner.values == plain.values == typed.values  # wording chooses the line, never the outcome
    assert [entry["points"] for entry in corner.ledger] == [entry["points"] for entry in plain.ledger]


def test_too_early_he_answers_what_kind_of_move_it_was(words):
    signed, threatened = Session.replay(words, 3, ["sign-his-offer"]), Session.replay(words, 3, ["threaten"])
    for session in (signed, threatened):
        assert "influence-too-early" in volkov_reactions(session, 1)
    assert "proposal" not in his_answer(signed) and "So quickly" in his_answer(signed)
    assert "Threats" in his_answer(threatened) and "proposal" not in his_answer(threatened)
    spokesman = [b.text for b in signed.beats if b.kind == "reaction" and b.role == "spokesman"]
    assert spokesman and not any("way out" in text for text in spokesman)  # no exit rehearsed at stage 0
