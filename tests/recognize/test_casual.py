"""Casual spelling: text speak, apostrophes left out, held letters and slips of the keyboard are
read as the standard English they stand for, from the story's table (story/corpus/casual.txt)."""
from __future__ import annotations

import subprocess
import sys

import pytest

from game.engine import load_library
from game.paths import bundled_story, story_paths
from game.recognize import CASUAL, CORPUS, CasualError, casual_files, for_story, load_casual

TAGS = sorted(load_library(story_paths(), compile_scenarios=False).tactics)
LABEL, CALIBRATED, AUDIT, SUMMARY = ("empathy.label", "empathy.calibrated_question", "empathy.accusation_audit",
                                     "empathy.summary")


@pytest.fixture(scope="module")
def reader():
    return for_story(story_paths(), TAGS)


def tags_of(reader, text, context=""):
    return {r.tag for r in reader.read(text, context)}


# (typed casually, its standard-English twin, what the twin is read as)
TWINS = [
    ("u seem 2 feel cornered", "You seem to feel cornered.", {LABEL}),
    ("sounds like ur under a lot of presure", "It sounds like you are under a lot of pressure.", {LABEL}),
    ("seems like ur afriad of lookin weak at home", "It seems like you're afraid of looking weak at home.", {LABEL}),
    ("ur worried abt ur flank", "You're worried about your flank.", set()),
    ("i hear u", "I hear you.", set()),
    ("wat do u need", "What do you need?", {CALIBRATED}),
    ("pls tell me wat wud help", "Please tell me what would help.", {CALIBRATED}),
    ("thx, wat wud make a pause possible", "Thanks, what would make a pause possible?", {CALIBRATED}),
    ("wat r u most worried abt", "What are you most worried about?", {CALIBRATED}),
    ("how cud we make this work 4 u", "How could we make this work for you?", {CALIBRATED}),
    ("sooo wat wud it take 4 u 2 sign", "So what would it take for you to sign?", {CALIBRATED}),
    ("pleeease, hw can we help u sell this at home", "Please, how can we help you sell this at home?", {CALIBRATED}),
    ("r u ready 2 talk", "Are you ready to talk?", set()),
    ("y wont u pull back", "Why won't you pull back?", set()),
    ("dont u think ur side is tired", "Don't you think your side is tired?", set()),
    ("i knw u think we r stalling", "I know you think we are stalling.", {AUDIT}),
    ("u prolly think we r here 2 stall", "You probably think we are here to stall.", {AUDIT}),
    ("if i undrstand u rite, the monitors r the problem", "If I understand you right, the monitors are the problem.",
     {SUMMARY}),
    ("ur a war criminal", "You're a war criminal.", {"discipline.name_calling"}),
    ("u r a liar n a thug", "You are a liar and a thug.", {"discipline.name_calling"}),
    ("tbh the world has changed n ur ppl kno it", "To be honest, the world has changed and your people know it.",
     {"discipline.lecture"}),
    ("if u hit the port agn we ship the air defence batteries", "If you hit the port again, we ship the air defense "
     "batteries.", {"brink.credible_threat", "brink.military_aid"}),
    ("its clear ur sanctions hurt", "It's clear your sanctions hurt.", {"brink.sanctions"}),
    ("we r leaving, ths is pointless", "We are leaving, this is pointless.", {"walk_away"}),
    ("ur govt cud present it as ur own initiative", "Your government could present it as your own initiative.",
     {"offramp.face_saving"}),
    ("lets take it 1 step at a time, first the pause then the monitors",
     "Let's take it one step at a time: first the pause, then the monitors.",
     {"offramp.phased_step", "brink.calibrated_escalation"}),
    ("we cud ask shen 2 mediate", "We could ask Shen to mediate.", {"offramp.mediator"}),
    ("idk wat ur getting at, pls explain", "I don't know what you're getting at, please explain.", set()),
]


@pytest.mark.parametrize("casual, standard, wanted", TWINS, ids=[t[0] for t in TWINS])
def test_a_casual_line_is_read_as_its_standard_twin(reader, casual, standard, wanted):
    assert tags_of(reader, standard) == wanted  # what the twin says, so the comparison below means something
    assert tags_of(reader, casual) == wanted


@pytest.mark.parametrize("typed, words", [
    ("u seem 2 feel it", "you seem to feel it"),
    ("we list 2 more banks", "we list 2 more banks"),  # a number before a noun stays a number
    ("ur worried", "you are worried"),
    ("ur flank", "your flank"),
    ("your right abt that", "you are right about that"),
    ("your army", "your army"),
    ("its a trap", "it is a trap"),
    ("its army", "its army"),
    ("sooooo tired", "so tired"),
    ("youre dont cant wont", "you are do not can not will not"),
])
def test_forms_that_depend_on_the_next_word(reader, typed, words):
    assert " ".join(reader.spelling.words(typed)) == words


def test_slips_are_put_right_only_towards_words_the_reader_knows(reader):
    spell = reader.spelling.words
    assert spell("sacntions pressrue cornerred workin") == ["sanctions", "pressure", "cornered", "working"]
    assert spell("zqxjkwv") == ["zqxjkwv"]  # nothing near it: left as typed
    assert spell("feeling weapons stand") == ["feeling", "weapons", "stand"]  # real words stay what they are


def test_the_table_is_data_and_a_later_story_folder_adds_to_it_or_replaces_it(tmp_path):
    own = tmp_path / "instructor"
    (own / CASUAL).parent.mkdir(parents=True)
    (own / CASUAL).write_text("# an instructor's forms\nfwiw = for what it is worth\nthx = thank you very much\n",
                              encoding="utf-8")
    casual = load_casual(casual_files([bundled_story(), own]))
    assert casual.read("fwiw", "") == ("for", "what", "it", "is", "worth")
    assert casual.read("thx", "") == ("thank", "you", "very", "much")
    assert casual.read("ur", "worried") == ("you", "are") and casual.read("ur", "flank") == ("your",)
    reader = for_story([bundled_story(), own], TAGS)
    assert reader.spelling.words("fwiw") == ["for", "what", "it", "is", "worth"]
    assert for_story([bundled_story()], TAGS).spelling.words("fwiw") == ["fwiw"]


@pytest.mark.parametrize("bad", ["u you", "u before = you", "two words = x", "= you", "u ="])
def test_a_broken_line_of_the_table_names_its_file_and_line(tmp_path, bad):
    path = tmp_path / "casual.txt"
    path.write_text(f"# fine\nthx = thanks\n{bad}\n", encoding="utf-8")
    with pytest.raises(CasualError, match=r"casual.txt:3: expected"):
        load_casual([path])


def test_a_broken_table_is_a_clear_message_on_the_command_line(tmp_path):
    folder = tmp_path / "story"
    (folder / CORPUS).parent.mkdir(parents=True)
    (folder / CORPUS).write_text((bundled_story() / CORPUS).read_text(encoding="utf-8"), encoding="utf-8")
    (folder / CASUAL).write_text("thx thanks\n", encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "game", "recognize", "--story", str(folder)], input="hello\n",
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 1, done.stderr
    assert "casual.txt:1: expected" in done.stderr and "Traceback" not in done.stderr
