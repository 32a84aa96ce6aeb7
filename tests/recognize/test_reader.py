"""The free-text reader: its corpus, its accuracy on lines it never trained on, the hard
cases the doctrine cares about, and input a trainee should never crash it with."""
from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter

import pytest

from game.engine import load_library
from game.paths import bundled_story, story_paths
from game.recognize import CORPUS, Recognizer, for_story, load_corpus
from game.recognize.scoring import held_out_scores, macro_f1

EXAMPLES = load_corpus(bundled_story() / CORPUS)
TAGS = sorted(load_library(story_paths(), compile_scenarios=False).tactics)


@pytest.fixture(scope="module")
def reader() -> Recognizer:
    return for_story(story_paths(), TAGS)


def tags_of(reader, text, context=""):
    return {r.tag for r in reader.read(text, context)}


def test_the_corpus_is_big_and_balanced_enough_to_learn_from():
    counts = Counter(tag for e in EXAMPLES for tag in e.tags)
    assert len(EXAMPLES) >= 600
    assert set(counts) == set(TAGS), set(TAGS) ^ set(counts)  # every catalogue tag, nothing else
    assert min(counts.values()) >= 15, counts.most_common()[-3:]
    assert sum(1 for e in EXAMPLES if not e.tags) >= 80
    assert sum(1 for e in EXAMPLES if len(e.tags) >= 2) >= 40
    assert all(e.context for e in EXAMPLES)
    assert len({e.text.lower() for e in EXAMPLES}) == len(EXAMPLES)


def test_lines_it_never_trained_on_are_read_well():
    scores = held_out_scores(EXAMPLES, TAGS)
    assert macro_f1(scores) >= 0.85, {t: round(s.f1, 2) for t, s in scores.items()}


@pytest.mark.parametrize("text, context, wanted, unwanted", [
    ("It sounds like you're a liar who enjoys this.", "", {"discipline.name_calling"}, {"empathy.label"}),
    ("It sounds like you feel cornered.", "", {"empathy.label"}, {"discipline.name_calling"}),
    ("So if I have it right: the promises were broken and you cannot go home with nothing.", "",
     {"empathy.summary"}, set()),  # typed in a tmux game and not read, once
    ("Let me sum up what I have heard: the bases, the broken promises, the cost at home.", "",
     {"empathy.summary"}, set()),
    ("Why won't you pull back?", "", set(), {"empathy.calibrated_question"}),
    ("Will you accept the monitors?", "", set(), {"empathy.calibrated_question"}),
    ("How would you know we kept our side?", "", {"empathy.calibrated_question"}, set()),
    ("If the port is shelled again, the air defence battery ships.", "", {"brink.credible_threat"},
     {"brink.bluff"}),
    ("If the port is shelled again, Alliance troops will land there.", "", {"brink.bluff"},
     {"brink.credible_threat"}),
    ("We can trade the detained sailors for the detained fishermen.", "", set(),
     {"discipline.concede_indivisible", "discipline.split_indivisible"}),
    ("We'll accept that Kalyna stays neutral forever under your eye.", "", {"discipline.concede_indivisible"},
     set()),
    ("Let's meet halfway: you get a say over half of Kalyna's alliances.", "", {"discipline.split_indivisible"},
     {"discipline.concede_indivisible"}),
    ("It sounds like you fear humiliation, so we'll accept that Kalyna stays neutral under your watch.", "",
     {"empathy.label", "discipline.concede_indivisible"}, set()),
    ("Guarantees worth something?", "We want guarantees worth something this time.", {"empathy.mirror"}, set()),
    ("Guarantees worth something?", "The weather is fine today.", set(), {"empathy.mirror"}),
    ("Get our people into the servers that run his fuel trains and stall them.", "", {"brink.cyber"},
     {"brink.military_aid", "brink.sanctions"}),
])
def test_hard_cases(reader, text, context, wanted, unwanted):
    got = tags_of(reader, text, context)
    assert wanted <= got and not unwanted & got, got


CORNERED = "Your sanctions have pushed us into a corner, and we will not be lectured."
LABEL, SUMMARY, AUDIT = "empathy.label", "empathy.summary", "empathy.accusation_audit"
MIRROR, CALIBRATED = "empathy.mirror", "empathy.calibrated_question"
TOPICS = {"brink.sanctions", "brink.military_aid", "brink.credible_threat", "brink.bluff",
          "brink.reckless_escalation", "offramp.phased_step"}


@pytest.mark.parametrize("text, context, wanted, unwanted", [
    # labels, whatever lead a diplomat types
    ("You seem to feel your nation was pushed into a corner.", CORNERED, {LABEL}, set()),
    ("you seem anxious that a pause would be called weakness", "", {LABEL}, set()),
    ("You sound bitter about the last round of talks.", "", {LABEL}, set()),
    ("I get the impression your ministers are split on this.", "", {LABEL}, set()),
    ("I have the sense that the timing matters more to you than the terms.", "", {LABEL}, set()),
    ("My impression is that your army needs the winter to rest.", "", {LABEL}, set()),
    ("It looks as if your side expects us to lose interest.", "", {LABEL}, set()),
    ("I sense some real distrust of anything we put on paper.", "", {LABEL}, set()),
    ("Unacceptable? It sounds like the losses weigh on you.", "", {LABEL}, set()),
    # summaries are not questions, and handing his topics back is no move on them
    ("What I am hearing is that the inspections worry you more than the line.", "", {SUMMARY}, {CALIBRATED}),
    ("what im hearing is that you need a win to show at home", "", {SUMMARY}, {CALIBRATED}),
    ("So your position is that the freeze on your bank assets ends first.", "", {SUMMARY}, TOPICS),
    ("If I have it right, the deliveries stop first and then we talk about the line.", "", {SUMMARY}, TOPICS),
    ("Let me sum up: the interceptors worry you and the price cap hurts.", "", {SUMMARY}, TOPICS),
    ("In other words, you cannot sign anything that looks like a defeat.", "", {SUMMARY}, set()),
    ("Correct me if I am wrong, but the corridor matters less to you than the prisoners.", "", {SUMMARY}, set()),
    ("So what you are telling me is that the winter works for you.", "", {SUMMARY}, set()),
    ("It seems the price cap stings. If the port is shelled, two more of your banks are listed.", "",
     {LABEL, "brink.sanctions"}, set()),  # a second sentence makes the move itself
    # accusation audits
    ("You're probably thinking we only came to stall for time.", "", {AUDIT}, set()),
    ("You may be thinking that our word is worth nothing.", "", {AUDIT}, {LABEL}),
    ("I bet you think we will walk out the moment it gets hard.", "", {AUDIT}, {LABEL, "walk_away"}),
    ("You might believe we want your government to fall.", "", {AUDIT}, TOPICS),
    # mirrors: his last words, not any common word
    ("Lectured?", CORNERED, {MIRROR}, {LABEL}),
    ("Pushed into a corner?", CORNERED, {MIRROR}, {LABEL}),
    ("Then we can go through the sanctions list item by item after lunch.", CORNERED, set(), {MIRROR}),
    # how/what questions that ask why, or state, are not calibrated
    ("How come your guns fired on the corridor again?", "", set(), {CALIBRATED}),
    ("How dare you speak of restraint.", "", set(), {CALIBRATED}),
    ("What were you thinking when you closed the port?", "", set(), {CALIBRATED}),
    ("What we need is the prisoner list by Monday.", "", set(), {CALIBRATED}),
    ("How would your generals explain a pause to their soldiers?", "", {CALIBRATED}, set()),
    # small talk is no technique
    ("Good afternoon, and thank you for having us.", "", set(), {"offramp.golden_bridge"}),
    ("You seem tired; shall we pause for ten minutes?", "", set(), {LABEL}),
    ("I can see the harbour from the window.", "", set(), {LABEL}),
])
def test_phrasings_a_diplomat_types(reader, text, context, wanted, unwanted):
    got = tags_of(reader, text, context)
    assert wanted <= got and not unwanted & got, got


@pytest.mark.parametrize("variant", [
    "It sounds like you're afraid of being humiliated in front of your generals.",
    "it sounds like youre afraid of being humiliated in front of your generals",
    "IT SOUNDS LIKE YOU'RE AFRAID OF BEING HUMILIATED IN FRONT OF YOUR GENERALS",
    "it sounds like your afriad of being humilated in front of ur generals",
])
def test_case_punctuation_and_typos_do_not_change_the_reading(reader, variant):
    assert "empathy.label" in tags_of(reader, variant)


def test_british_and_american_spelling_read_the_same(reader):
    british = tags_of(reader, "If you strike the grid, the air defence programme doubles.")
    american = tags_of(reader, "If you strike the grid, the air defense program doubles.")
    assert british == american and "brink.military_aid" in british


def test_every_reading_says_why(reader):
    readings = reader.read("It sounds like you feel cornered. What would make this less of a trap?")
    assert [r.tag for r in readings][:2] and all(r.evidence and 0.5 <= r.confidence <= 1 for r in readings)
    assert readings == sorted(readings, key=lambda r: (-r.confidence, r.tag))


@pytest.mark.parametrize("text", ["", "   ", "\x1b]0;owned\x07\x1b[31m", "x" * 5000, "Bonjour, monsieur le président.",
                                  "Доброе утро", "🙂🙂🙂", "?" * 50])
def test_odd_input_gives_no_reading_and_no_error(reader, text):
    readings = reader.read(text)
    assert readings == [] or all(r.tag in TAGS for r in readings)
    assert not [r for r in readings if "\x1b" in r.evidence]


def _recognize(*args, stdin: str):
    return subprocess.run([sys.executable, "-m", "game", "recognize", *args], input=stdin, capture_output=True,
                          text=True, timeout=120)


def test_the_command_reads_json_lines_and_plain_text():
    lines = [json.dumps({"text": "Time is on your side?", "context": "Time is on our side, Envoy."}),
             "You are a war criminal", ""]
    done = _recognize(stdin="\n".join(lines) + "\n")
    assert done.returncode == 0, done.stderr
    out = [json.loads(line) for line in done.stdout.splitlines()]
    assert [o["tags"] for o in out] == [["empathy.mirror"], ["discipline.name_calling"]]
    assert out[0]["evidence"]["empathy.mirror"] == "time is on"
    explained = _recognize("--explain", stdin="why did you attack\n")
    assert "no tactic recognized" in explained.stdout
    broken = _recognize(stdin='{"text": 3}\n')
    assert broken.returncode == 1 and "line 1" in broken.stderr and "Traceback" not in broken.stderr
