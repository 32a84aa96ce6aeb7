"""Issue 16, item 9: the command palette in a tiny terminal must not crash the TUI on PageDown.

Textual's OptionList lays out its lines only when it has a content region; in a 10x4 terminal
the palette's list has none, and paging looked up line 0 of an empty table (KeyError: 0).
"""
from __future__ import annotations

from game.engine import load_library
from game.paths import story_paths
from game.tui.app import OfframpApp


async def test_pagedown_in_the_palette_of_a_10x4_terminal_keeps_the_app_running(tmp_path):
    app = OfframpApp(saves_dir=tmp_path / "saves", library=load_library(story_paths()), seed=7, theme="dark")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.resize_terminal(10, 4)
        await pilot.pause()
        for key in ("pagedown", "pagedown", "pageup", "down", "pagedown"):
            await pilot.press(key)
            await pilot.pause()
        assert app.is_running and app.return_code is None
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert app.is_running
