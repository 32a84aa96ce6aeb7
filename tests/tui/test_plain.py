"""Plain mode, as a screen reader or a script uses it: a real process reading piped input."""
from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from game.engine import Session, presentation
from game.paths import story_paths
from game.recognize import for_story
from game.saves import SaveStore
from game.tools.record import playthrough_yaml

ROOT = Path(__file__).resolve().parents[2]
SEED = 3


def play(args, stdin: str, saves: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "game", "play", *args, "--plain", "--saves-dir", str(saves)],
                          input=stdin, capture_output=True, text=True, cwd=ROOT, timeout=60)


def test_plain_mode_plays_the_tutorial_to_its_debrief_from_a_piped_file(library, saves):
    scenario = library.scenarios["tutorial"]
    expected = Session(scenario, SEED)
    answers = []
    while not expected.ended:  # an id, a bad answer, then numbers: all accepted forms
        options = expected.choices()
        pick = options[len(answers) % len(options)]
        answers.append(pick.id if len(answers) == 0 else str(options.index(pick) + 1))
        expected.choose(pick.id)
    answers.insert(1, "not-a-choice")
    done = play(["tutorial", "--seed", str(SEED)], "\n".join(answers) + "\n", saves)
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert "'not-a-choice' is not one of the options" in out
    assert f"Ending: {scenario.endings[expected.ending].title}" in out
    assert "Debrief: First Contact" in out
    assert re.search(rf"^  Total +{expected.scores()['total']:g}$", out, flags=re.M)
    assert "Traceback" not in out + done.stderr
    assert SaveStore(saves).load(library, "autosave-tutorial").session.history == expected.history


def test_end_of_input_stops_cleanly_and_keeps_the_autosave(library, saves):
    done = play(["tutorial", "--seed", str(SEED)], "1\n", saves)
    assert done.returncode == 0, done.stderr
    assert "Your progress is in the autosave" in done.stdout
    assert "Traceback" not in done.stderr
    assert len(SaveStore(saves).load(library, "autosave-tutorial").session.history) == 1


def test_plain_mode_without_a_scenario_offers_a_numbered_list(library, saves):
    titles = sorted(library.scenarios)
    number = titles.index("tutorial") + 1
    done = play([], f"{number}\nq\n", saves)
    assert done.returncode == 0, done.stderr
    assert "Scenarios:" in done.stdout and "First Contact (training mode" in done.stdout


def test_plain_mode_wraps_to_the_terminal_width(saves):
    env = {**__import__("os").environ, "COLUMNS": "50"}
    done = subprocess.run([sys.executable, "-m", "game", "play", "tutorial", "--seed", "1", "--plain",
                           "--saves-dir", str(saves)], input="q\n", capture_output=True, text=True, cwd=ROOT,
                          timeout=60, env=env)
    lines = done.stdout.splitlines()
    assert max(len(line) for line in lines) <= 49, max(lines, key=len)
    assert sum(1 for line in lines if len(line) > 40) > 5  # it fills the width, not a narrow column


def test_the_full_screen_game_refuses_piped_input_and_names_plain_mode(saves):
    done = subprocess.run([sys.executable, "-m", "game", "play", "tutorial", "--saves-dir", str(saves)],
                          input="1\n", capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert done.returncode == 2
    assert "--plain" in done.stderr and "Traceback" not in done.stderr


def test_a_new_game_asks_before_replacing_one_in_progress(library, saves):
    play(["tutorial", "--seed", str(SEED)], "1\n", saves)
    kept = play(["tutorial", "--seed", str(SEED + 1)], "n\n", saves)
    assert "is in progress" in kept.stdout and "Kept" in kept.stdout
    assert SaveStore(saves).load(library, "autosave-tutorial").session.seed == SEED
    replaced = play(["tutorial", "--seed", str(SEED + 1)], "y\n1\n", saves)
    assert replaced.returncode == 0
    assert SaveStore(saves).load(library, "autosave-tutorial").session.seed == SEED + 1


def test_plain_free_text_answers_bad_lines_in_the_story_and_plays_a_readable_one(library, saves):
    label = "It sounds like you feel cornered and that nobody in the West ever listened to you"
    lines = ["", "x" * 5000, "Bonjour, je voudrais la paix.", "\x1b[2Jhello\x07", label]
    done = play(["tutorial", "--seed", str(SEED), "--free-text", "--mode", "assessment"], "\n".join(lines) + "\n",
                saves)
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert "Only the first 1000 characters were heard." in out
    assert out.count('President Volkov: "What exactly are you saying?"') == 2  # who asks again takes turns
    assert 'Ines Calder: "I am not sure that landed.' in out
    assert "Read as" not in out and "\x1b" not in out and "Traceback" not in done.stderr
    assert SaveStore(saves).load(library, "autosave-tutorial").session.state.said == {1: label}


def test_plain_free_text_in_training_shows_the_reading_before_saying_it(library, saves):
    label = "It sounds like you feel cornered and that nobody in the West ever listened to you"
    done = play(["tutorial", "--seed", str(SEED), "--free-text"], f"{label}\n\n", saves)
    assert done.returncode == 0, done.stderr
    assert "Read as: Label.\n  1. Label: " in done.stdout
    assert "Enter to say it as 1" in done.stdout
    assert SaveStore(saves).load(library, "autosave-tutorial").session.state.said == {1: label}


TWO_MOVES = "If you stop threatening the grid, we can pause the air defence deliveries."  # a fold, or a threat


def test_plain_free_text_corrects_a_wrong_reading_by_number_and_records_the_move_picked(library, saves):
    scenario = library.scenarios["tutorial"]
    reader = for_story(story_paths(), library.tactics)
    session = Session(scenario, SEED)
    heard = session.hear(TWO_MOVES, [(r.tag, r.confidence) for r in reader.read(TWO_MOVES, session.last_words())])
    assert heard.choice is heard.near[0] and len(heard.near) >= 2
    meant = heard.near[1]  # the trainee meant the second reading, not the first
    done = play(["tutorial", "--seed", str(SEED), "--free-text"], f"{TWO_MOVES}\n{len(heard.near) + 1}\n2\n", saves)
    assert done.returncode == 0, done.stderr
    out = done.stdout
    names = [" + ".join(presentation.tactic_names(scenario, c.tags)) for c in heard.near]
    assert f"Read as: {' + '.join(presentation.tactic_names(scenario, heard.tags))}." in out
    for number, (choice, name) in enumerate(zip(heard.near, names, strict=True), 1):
        assert f"  {number}. {name}: {session.render(choice.text)[:40]}" in out
    assert f"There is no reading {len(heard.near) + 1}" in out
    assert f"You: {TWO_MOVES}" in out
    kept = SaveStore(saves).load(library, "autosave-tutorial").session
    assert kept.history == [("across-the-table", meant.id)] and kept.state.said == {1: TWO_MOVES}
    twin = Session.replay(scenario, SEED, [meant.id], {1: TWO_MOVES})
    assert twin.snapshot() == kept.snapshot()  # the same seed and the same line give the same game
    steps = playthrough_yaml(kept, reader=reader).split("choices:\n", 1)[1]
    assert steps.startswith(f'  - {meant.id}  # said "{TWO_MOVES}"')  # a test file replays the move picked


def test_plain_free_text_reads_a_line_typed_instead_of_a_number(library, saves):
    label = "It sounds like you feel cornered and that nobody in the West ever listened to you"
    done = play(["tutorial", "--seed", str(SEED), "--free-text"], f"{TWO_MOVES}\n{label}\n\n", saves)
    assert done.returncode == 0, done.stderr
    assert done.stdout.count("Read as: ") == 2
    kept = SaveStore(saves).load(library, "autosave-tutorial").session
    assert kept.state.said == {1: label}
    assert "empathy.label" in scenario_choice(kept).tags


def scenario_choice(session):
    round_id, choice_id = session.history[-1]
    return session.scenario.rounds[round_id].by_id[choice_id]


def test_plain_free_text_in_assessment_shows_nothing_of_the_reading(library, saves):
    done = play(["tutorial", "--seed", str(SEED), "--free-text", "--mode", "assessment"], f"{TWO_MOVES}\n", saves)
    assert done.returncode == 0, done.stderr
    assert "Read as" not in done.stdout and "Enter to say it" not in done.stdout
    assert not re.search(r"^  1\. ", done.stdout, flags=re.M)  # no list of readings to pick from
    assert "Fold" not in done.stdout and "Credible" not in done.stdout
    assert SaveStore(saves).load(library, "autosave-tutorial").session.state.said == {1: TWO_MOVES}


def test_plain_free_text_lets_the_trainee_pick_a_move_for_a_line_it_could_not_place(library, saves):
    crowded = ("You butcher, if you keep firing, sanctions follow and the air defence ships, step by step, "
               "with the Republic as guarantor.")  # seven tactics: no open move fits it well enough
    scenario = library.scenarios["tutorial"]
    reader = for_story(story_paths(), library.tactics)
    session = Session(scenario, SEED)
    heard = session.hear(crowded, [(r.tag, r.confidence) for r in reader.read(crowded, session.last_words())])
    assert heard.choice is None and len(heard.near) >= 2
    done = play(["tutorial", "--seed", str(SEED), "--free-text"], f"{crowded}\n\n2\n", saves)
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert 'President Volkov: "What exactly are you saying?"' in out  # answered in the story first
    assert "Pick the move you meant, or put it another way." in out
    assert "Nothing was read as a move" in out  # Enter alone says nothing on a guess
    kept = SaveStore(saves).load(library, "autosave-tutorial").session
    assert kept.history == [("across-the-table", heard.near[1].id)] and kept.state.said == {1: crowded}
