"""Issue 16, item 5: a round whose every choice can be closed is caught by validate (E307, from the
explorer's states), reported by autoplay and run instead of an IndexError, and shown by the TUI as
a message instead of an empty choice box."""
from __future__ import annotations

import pytest

from game.engine import load_library
from game.paths import story_paths
from game.tui.app import OfframpApp
from game.tui.screens.error import ErrorScreen

from .helpers import key_for, no_traceback, offramp, scenario, write_story

ROUNDS = """\
opening:
  title: Opening
  text: Volkov waits.
  choices:
    - {id: push, text: Push., tags: [empathy.label], goto: corner}
    - {id: leave, text: Leave., tags: [empathy.label], goto: done}
corner:
  title: Corner
  text: Nothing is left to say.
  choices:
    - {id: early, if: "turn < 1", text: Too late for this., tags: [empathy.label], goto: done}
"""


@pytest.fixture
def story(tmp_path):
    folder = tmp_path / "story"
    write_story(folder, "stuck.yaml", scenario("stuck", ROUNDS))
    return folder


def test_validate_finds_the_round_that_closes(story):
    result = offramp("validate", story)
    no_traceback(result)
    assert result.returncode == 1
    assert f"{story / 'stuck.yaml'}:18:3: error E307: round 'corner' can be reached with no open choice" \
        in result.stdout


def test_autoplay_reports_the_stuck_round_per_seed(story):
    result = offramp("autoplay", "stuck", "--story", story, "--policy", "random", "--seeds", "1-20")
    no_traceback(result)
    assert result.returncode == 1
    assert "FAILED (seed" in result.stdout and "round 'corner' has no open choice" in result.stdout


def test_run_says_the_game_cannot_go_on(story):
    result = offramp("run", "stuck", "--story", story, "--choose", "push")
    no_traceback(result)
    assert result.returncode == 1 and "round 'corner' has no open choice" in result.stderr


async def test_the_tui_shows_a_message_not_an_empty_choice_box(story, tmp_path):
    library = load_library(story_paths([story]))
    app = OfframpApp(saves_dir=tmp_path / "saves", library=library, scenario="stuck", seed=1, theme="dark")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press(key_for(app, "push"))  # into the round whose only choice is closed
        await pilot.pause()
        assert isinstance(app.screen, ErrorScreen)
        message = app.screen.query_one("#error-message").render().plain
        assert "round 'corner' has no open choice" in message
