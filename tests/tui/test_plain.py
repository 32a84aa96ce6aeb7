"""Plain mode, as a screen reader or a script uses it: a real process reading piped input."""
from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from game.engine import Session
from game.saves import SaveStore

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


def test_a_new_game_asks_before_replacing_one_in_progress(library, saves):
    play(["tutorial", "--seed", str(SEED)], "1\n", saves)
    kept = play(["tutorial", "--seed", str(SEED + 1)], "n\n", saves)
    assert "is in progress" in kept.stdout and "Kept" in kept.stdout
    assert SaveStore(saves).load(library, "autosave-tutorial").session.seed == SEED
    replaced = play(["tutorial", "--seed", str(SEED + 1)], "y\n1\n", saves)
    assert replaced.returncode == 0
    assert SaveStore(saves).load(library, "autosave-tutorial").session.seed == SEED + 1
