"""The TUI never blocks: the story loads, and autosaves and best scores are written, in workers."""
from __future__ import annotations

import json
import threading

import game.engine
from game.saves import SaveStore
from game.tui.best_scores import BestScores
from game.tui.screens.picker import PickerScreen
from game.tui.screens.play import PlayScreen
from game.tui.widgets.menu import Menu

from .conftest import text_of


async def test_the_picker_shows_progress_while_a_worker_reads_the_story(make_app, monkeypatch):
    real = game.engine.load_library
    reported, release, threads = [], threading.Event(), []

    def held_load(paths, *, progress=None, **options):
        threads.append(threading.current_thread())
        library = real(paths, progress=progress, **options)
        reported.append("loaded")
        assert release.wait(30), "the test never let the loading finish"
        return library

    monkeypatch.setattr(game.engine, "load_library", held_load)
    app = make_app(library=None)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("n")
        assert isinstance(app.screen, PickerScreen)
        for _ in range(300):  # the worker reads every file, then holds before returning
            await pilot.pause(0.02)
            if reported:
                break
        await pilot.pause()
        bar = app.screen.query_one("#loading-bar")
        assert bar.total == 1 and bar.progress == 1  # the last step reported: compiling, done
        assert "Compiling scenarios" in text_of(app.screen.query_one("#loading-what"))
        assert not app.screen.query(Menu)
        release.set()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert not app.screen.query("#loading-bar")
        assert "tutorial" in [option.id for option in app.screen.query_one("#scenarios", Menu).options]
        assert threads and threads[0] is not threading.main_thread()


async def test_autosave_and_best_score_are_written_off_the_ui_thread(make_app, library, saves, monkeypatch):
    writers: dict[str, threading.Thread] = {}
    real_autosave, real_record = SaveStore.autosave, BestScores.record

    def autosave(self, session):
        writers["autosave"] = threading.current_thread()
        return real_autosave(self, session)

    def record(self, session):
        writers["best"] = threading.current_thread()
        return real_record(self, session)

    monkeypatch.setattr(SaveStore, "autosave", autosave)
    monkeypatch.setattr(BestScores, "record", record)
    app = make_app(scenario="tutorial")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, PlayScreen)
        session = app.screen.session
        while not session.ended:
            await pilot.press("1")
        await app.workers.wait_for_complete()
        assert writers["autosave"] is not threading.main_thread()
        assert writers["best"] is not threading.main_thread()
        saved = SaveStore(saves).load(library, "autosave-tutorial").session
        assert saved.history == session.history  # the newest state was written, not an older copy
        best = json.loads((saves / ".best-scores.json").read_text())
        assert best["tutorial"]["total"] == session.scores()["total"]
