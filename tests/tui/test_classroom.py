"""The TUI among trainees: a new game asks before it replaces one in progress, results are recorded
when a game ends, progress shows as a sparkline, and exports never overwrite each other."""
from __future__ import annotations

from textual.widgets import Sparkline

from game.engine import Session
from game.tools import results
from game.tui.screens.classroom import ProgressScreen, ReplaceAutosaveScreen
from game.tui.screens.debrief import DebriefScreen
from game.tui.screens.play import PlayScreen

from .conftest import SEED


async def pick_tutorial(pilot, app) -> None:
    await pilot.press("n")
    menu = app.screen.query_one("#scenarios")
    while menu.highlighted_option.id != "tutorial":
        await pilot.press("down")
    await pilot.press("enter")


async def test_a_new_game_asks_before_replacing_one_in_progress(make_app):
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pick_tutorial(pilot, app)
        await pilot.press("1")
        played = list(app.screen.session.history)
        await pilot.press("escape")
        await pick_tutorial(pilot, app)
        assert isinstance(app.screen, ReplaceAutosaveScreen)
        await pilot.press("escape")  # keep it: the game in progress opens again
        assert isinstance(app.screen, PlayScreen) and app.screen.session.history == played

        await pilot.press("escape")
        await pick_tutorial(pilot, app)
        assert isinstance(app.screen, ReplaceAutosaveScreen)
        await pilot.press("down", "enter")  # replace: a fresh game
        assert isinstance(app.screen, PlayScreen) and app.screen.session.history == []


async def test_a_finished_game_is_recorded_and_shows_in_progress(make_app, library, saves):
    app = make_app(trainee="ana")
    async with app.run_test(size=(100, 30)) as pilot:
        await pick_tutorial(pilot, app)
        shadow = Session(library.scenarios["tutorial"], SEED)
        while not shadow.ended:
            await pilot.press("1")
            shadow.choose(shadow.choices()[0].id)
        (record,) = results.load(saves)[0]
        assert (record["trainee"], record["seed"], record["ending"]) == ("ana", SEED, shadow.ending)
        assert record["scores"] == shadow.scores()

        await pilot.press("enter")
        assert isinstance(app.screen, DebriefScreen)
        await pilot.press("x", "x")  # two exports in the same second
        exports = sorted(p.name for p in saves.iterdir() if p.suffix in (".md", ".html"))
        assert len(exports) == 4 and all(name.startswith(f"tutorial-seed{SEED}-") for name in exports)

        await pilot.press("escape", "g")
        assert isinstance(app.screen, ProgressScreen)
        assert list(app.screen.query_one("#progress-tutorial", Sparkline).data) == [shadow.scores()["total"]]
