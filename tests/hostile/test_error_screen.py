"""Issue 16, item 9: the error screen promises the autosave only when this game has one. An E400 on
the very first move has nothing saved yet; after a good move the autosave of that move is kept."""
from __future__ import annotations

import pytest

from game.engine import load_library
from game.paths import story_paths
from game.tui.app import OfframpApp
from game.tui.screens.error import ErrorScreen

from .helpers import key_for, scenario, write_story

ROUNDS = """\
opening:
  title: Opening
  text: Volkov waits.
  choices:
    - {id: break, text: Push too far., tags: [empathy.label], goto: done,
       effects: ["credibility = credibility / (turn - turn)"]}
    - {id: calm, text: Wait., tags: [empathy.label], goto: later}
later:
  title: Later
  text: Volkov is still there.
  choices:
    - {id: break-late, text: Push too far., tags: [empathy.label], goto: done,
       effects: ["credibility = credibility / (turn - turn)"]}
    - {id: leave, text: Leave., tags: [empathy.label], goto: done}
"""


@pytest.fixture
def library(tmp_path):
    folder = tmp_path / "story"
    write_story(folder, "fragile.yaml", scenario("fragile", ROUNDS))
    return load_library(story_paths([folder]))


async def _error_after(moves, library, saves) -> str:
    app = OfframpApp(saves_dir=saves, library=library, scenario="fragile", seed=1, theme="dark")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        for move in moves:
            await pilot.press(key_for(app, move))
            await pilot.pause()
        assert isinstance(app.screen, ErrorScreen)
        return app.screen.query_one("#error-message").render().plain


async def test_an_E400_on_the_first_move_promises_no_autosave(library, tmp_path):
    message = await _error_after(["break"], library, tmp_path / "saves")
    assert "E400" in message and "division by zero" in message
    assert "autosave" not in message.lower() and "Nothing of this game was saved" in message


async def test_an_E400_after_a_good_move_names_the_kept_autosave(library, tmp_path):
    message = await _error_after(["calm", "break-late"], library, tmp_path / "saves")
    assert "E400" in message and "autosave from your last good move is kept" in message


async def test_an_unexpected_error_in_play_shows_the_error_screen_with_a_report(library, tmp_path, monkeypatch):
    from game.engine import Session

    original = Session.choose

    def failing_on_the_second_move(self, choice_id, said=None):
        if self.turn >= 1:
            raise RuntimeError("a bug in offramp itself")
        return original(self, choice_id, said)

    monkeypatch.setenv("OFFRAMP_REPORTS", str(tmp_path / "reports"))
    monkeypatch.setattr(Session, "choose", failing_on_the_second_move)
    message = await _error_after(["calm", "leave"], library, tmp_path / "saves")
    reports = list((tmp_path / "reports").iterdir())
    assert len(reports) == 1 and str(reports[0]) in message
    assert "a bug in offramp itself" in reports[0].read_text(encoding="utf-8")
    assert "autosave from your last good move is kept" in message
