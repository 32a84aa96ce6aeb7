"""A monkey at the keyboard: 2,000 random keys and resizes across every screen raise nothing, picking
options or typing lines in free text."""
from __future__ import annotations

import random

import pytest
from textual import events
from textual.geometry import Size

PRESSES = 2000
BATCH = 8  # keys posted between two waits: fewer repaints, the same key handling
# Everything a trainee might hit except ctrl+q and the palette; Quit on the title menu can still
# end the app, and then the monkey starts a fresh one and goes on.
KEYS = ["1", "2", "3", "4", "5", "9", "up", "down", "left", "right", "enter", "escape", "tab", "shift+tab",
        "n", "c", "l", "q", "question_mark", "d", "r", "p", "x", "s", "w", "m", "a", "z", "space",
        "backspace", "pageup", "pagedown", "home", "end", "ctrl+t", "minus", "full_stop"]
ENDS_BATCH = {"q", "enter"}  # keys that can quit: nothing more is queued behind them
CHARS = {"space": " ", "question_mark": "?", "minus": "-", "full_stop": ".", "backspace": "\x08"}


@pytest.mark.slow  # about 15 s of CPU each
@pytest.mark.parametrize("free_text", [False, True], ids=["options", "free-text"])  # typed lines read, too
async def test_two_thousand_random_keys_and_resizes(make_app, free_text):
    rng = random.Random(20261121)
    done = 0
    seen: set[str] = set()  # the screens the monkey reached: it must have wandered, not knocked on one door
    while done < PRESSES:
        app = make_app(free_text=free_text)
        async with app.run_test(size=(80, 24)) as pilot:  # re-raises whatever the app raised
            while done < PRESSES and app.is_running:
                done += 1
                if rng.random() < 0.04:  # the terminal window is dragged to a new size
                    size = Size(rng.randint(1, 180), rng.randint(1, 60))
                    app.post_message(events.Resize(size, size))
                    continue
                key = rng.choice(KEYS)
                app.post_message(events.Key(key, CHARS.get(key, key if len(key) == 1 else None)))
                if done % BATCH == 0 or key in ENDS_BATCH:
                    await pilot.pause(0)
                    if app.is_running:
                        seen.add(type(app.screen).__name__)
            if app.is_running:  # let the last batch and the workers it started finish before closing
                await pilot.pause()
                await app.workers.wait_for_complete()
                await pilot.pause()
        assert app.return_code in (None, 0), f"the app ended with an error after {done} keys"
    assert {"TitleScreen", "PickerScreen", "PlayScreen", "HelpScreen", "LoadScreen"} <= seen, seen
