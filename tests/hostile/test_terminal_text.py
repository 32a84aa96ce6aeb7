"""Issue 16, item 6: text bound for a terminal goes through one sanitiser. Author text, save fields and
file names never carry an escape sequence to the terminal, a newline in a file name cannot forge a
diagnostic line, and the "Saved as" toast shows a slot name as typed, not as Textual markup."""
from __future__ import annotations

import io
import json

import pytest

from game.engine import Session, load_library
from game.paths import story_paths
from game.saves import SaveStore
from game.tui.app import OfframpApp
from game.tui.plain import Plain
from game.tui.screens.play import PlayScreen
from game.tui.screens.slots import SaveScreen

from .helpers import first_choices, no_traceback, offramp, scenario, tutorial_library, write_story

OSC_TITLE = "\\e]0;pwned\\a"  # YAML escapes: ESC ] 0 ; pwned BEL, which retitles a terminal
ROUNDS = f"""\
opening:
  title: Opening
  text: "Volkov waits.{OSC_TITLE}\\e[2J"
  choices:
    - {{id: label, text: "Name his fear.\\e[31m", tags: [empathy.label], goto: done}}
"""


@pytest.fixture
def story(tmp_path):
    folder = tmp_path / "story"
    write_story(folder, "osc.yaml", scenario("osc", ROUNDS, ending_text='"The end.\\x9b31m"'))
    return folder


def test_author_escape_sequences_never_reach_run_output(story):
    result = offramp("run", "osc", "--story", story, "--choose", "label")
    no_traceback(result)
    assert result.returncode == 0, result.stderr
    assert "\x1b" not in result.stdout and "\x07" not in result.stdout and "\x9b" not in result.stdout
    assert "Volkov waits." in result.stdout and "pwned" not in result.stdout


def test_validate_says_it_removed_control_characters(story):
    result = offramp("validate", story)
    assert result.returncode == 0 and "warning W012" in result.stdout and "\x1b" not in result.stdout


def test_plain_mode_prints_no_escape_sequence(story, tmp_path):
    library = load_library(story_paths([story]))
    out = io.StringIO()
    Plain(SaveStore(tmp_path / "saves"), stdin=io.StringIO("1\n"), stdout=out).play(
        Session(library.scenarios["osc"], 1), "training")
    assert "\x1b" not in out.getvalue() and "Volkov waits." in out.getvalue()


def test_a_newline_in_a_file_name_cannot_forge_a_diagnostic_line(tmp_path):
    forged = tmp_path / "story" / "x.yaml\nforged.yaml:1:1: error E999: forged.yaml"
    forged.parent.mkdir()
    forged.write_text("kind: [unclosed\n", encoding="utf-8")
    result = offramp("validate", forged.parent)
    no_traceback(result)
    assert not [line for line in result.stdout.splitlines() if line.startswith("forged.yaml")]
    assert "x.yaml\\nforged.yaml:1:1: error E999: forged.yaml:" in result.stdout


def test_save_fields_edited_by_hand_are_listed_without_escapes(tmp_path):
    library = tutorial_library()
    store = SaveStore(tmp_path / "saves")
    path = store.save(first_choices(library.scenarios["tutorial"], 2, 1), "drill")
    data = json.loads(path.read_text(encoding="utf-8"))
    data["updated"] = "2026-11-30T10:00:00Z\x1b]0;pwned\x07"
    path.write_text(json.dumps(data), encoding="utf-8")
    (tmp_path / "saves" / "odd\x1b[2Jname.json").write_text("{}", encoding="utf-8")
    result = offramp("saves", "--saves-dir", tmp_path / "saves")
    no_traceback(result)
    assert "\x1b" not in result.stdout and "\x07" not in result.stdout and "drill" in result.stdout


async def test_the_saved_as_toast_shows_markup_in_the_slot_name_as_text(tmp_path):
    app = OfframpApp(saves_dir=tmp_path / "saves", library=load_library(story_paths()), scenario="tutorial",
                     seed=3, theme="dark")
    name = "[@click=app.quit]leave[b]now"
    async with app.run_test(size=(100, 30)) as pilot:
        assert isinstance(app.screen, PlayScreen)
        app.push_screen(SaveScreen(app.screen.session))
        await pilot.pause()
        await pilot.press(*name, "enter")
        await pilot.pause()
        notes = list(app._notifications)
        assert notes, "no toast was shown"
        assert name in notes[-1].message and notes[-1].markup is False
        assert app.is_running
