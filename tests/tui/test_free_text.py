"""Free text on the play screen: the trainee types a line, the game reads it and plays the move it makes.

Driven with Textual's Pilot against the engine: what the screen plays must be what ``Session.say``
plays for the same words, and a line the round cannot read must change nothing.
"""
from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Input

from game.engine import Session, presentation
from game.engine.diagnostics import Diagnostics
from game.engine.library import read_file
from game.paths import story_paths
from game.recognize import for_story
from game.tui.screens.debrief import DebriefScreen
from game.tui.screens.picker import PickerScreen
from game.tui.screens.play import PlayScreen
from game.tui.screens.title import TitleScreen
from game.tui.widgets.choices import ChoiceList
from game.tui.widgets.narrative import NarrativeLog
from game.tui.widgets.say_box import SayBox

from .conftest import SEED, text_of

LABEL = "It sounds like you feel cornered and that nobody in the West ever listened to you"
TWO_MOVES = "If you stop threatening the grid, we can pause the air defence deliveries."  # a fold, or a threat
FREE_TEXT_PLAYTHROUGH = Path(__file__).parents[1] / "playthroughs" / "tutorial--free-text.yaml"


@pytest.fixture(scope="module")
def reader(library):
    return for_story(story_paths(), library.tactics)


async def ready(pilot) -> PlayScreen:
    """The play screen once its reader is trained (a worker does it)."""
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, PlayScreen) and screen.free_text
    assert not screen.query_one("#say", Input).disabled
    return screen


async def say(pilot, text: str) -> None:
    """Put ``text`` on the line (as a paste would) and press Enter."""
    pilot.app.screen.query_one("#say", Input).value = text
    await pilot.press("enter")
    await pilot.pause()


def log_text(screen) -> str:
    return "\n".join(text_of(w) for w in screen.query_one(NarrativeLog).children)


def heard(session, reader, text):
    return session.hear(text, [(r.tag, r.confidence) for r in reader.read(text, session.last_words())])


async def test_the_picker_chooses_free_text_and_the_line_is_typed_with_keys(make_app, library):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("n")
        assert isinstance(app.screen, PickerScreen)
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert "pick an option" in text_of(app.screen.query_one("#mode-line"))
        await pilot.press("t")
        assert "type your own words" in text_of(app.screen.query_one("#mode-line"))
        menu = app.screen.query_one("#scenarios")
        while menu.highlighted_option.id != "tutorial":
            await pilot.press("down")
        await pilot.press("enter")
        screen = await ready(pilot)
        assert not screen.query_one(ChoiceList).display  # no menu of moves to copy from
        assert app.focused is screen.query_one("#say", Input)

        await pilot.press(*["space" if c == " " else c for c in "It seems you feel cornered"], "enter")
        line = screen.query_one("#say", Input)
        await pilot.pause()
        assert text_of(screen.query_one("#reading")).startswith("Read as: Label")
        assert screen.session.history == []  # training mode: read first, said on Enter
        await pilot.press("enter")
        await pilot.pause()
        session = screen.session
        assert session.state.said == {1: "It seems you feel cornered"}
        assert "empathy.label" in session.scenario.rounds[session.history[0][0]].by_id[session.history[0][1]].tags
        assert [b.text for b in session.beats if b.kind == "you"] == ["It seems you feel cornered"]
        assert line.value == "" and app.focused is line and not screen.query_one("#reading").display



async def test_the_pickers_mode_help_is_true_of_the_answer_mode(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("n")
        await app.workers.wait_for_complete()
        await pilot.pause()
        seen = {}
        for _ in range(2):
            for _ in range(2):
                line = text_of(app.screen.query_one("#mode-line"))
                seen[app.mode, app.free_text] = line
                await pilot.press("t")
            await pilot.press("m")
    assert "each choice shows its tactics" in seen["training", False]
    assert "each choice" not in seen["training", True] and "how it was read" in seen["training", True]
    assert "no tags" in seen["assessment", False]
    assert "no tags" not in seen["assessment", True] and "wait for the debrief" in seen["assessment", True]

async def test_training_plays_what_the_engine_hears_and_the_trainee_may_correct_it(make_app, library, reader):
    scenario = library.scenarios["tutorial"]
    app = make_app(scenario="tutorial", free_text=True)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await ready(pilot)
        expected = heard(Session(scenario, SEED), reader, TWO_MOVES)
        assert expected.choice is not None and len(expected.near) >= 2
        await say(pilot, TWO_MOVES)
        options = screen.query_one("#readings")
        assert app.focused is options and options.option_count == len(expected.near)
        assert options.highlighted == 0 and options.get_option_at_index(0).id == expected.choice.id
        await pilot.press("down", "enter")  # not the move it was read as: the next one
        await pilot.pause()
        assert screen.session.history == [("across-the-table", expected.near[1].id)]
        assert screen.session.state.said == {1: TWO_MOVES}
        twin = Session.replay(scenario, SEED, [expected.near[1].id], {1: TWO_MOVES})
        assert twin.snapshot() == screen.session.snapshot()


async def test_escape_goes_back_to_the_line_to_rephrase_it(make_app):
    app = make_app(scenario="tutorial", free_text=True)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await ready(pilot)
        await say(pilot, LABEL)
        await pilot.press("escape")
        await pilot.pause()
        line = screen.query_one("#say", Input)
        assert isinstance(app.screen, PlayScreen) and app.focused is line and line.value == LABEL
        assert not screen.query_one("#readings").display and screen.session.history == []


@pytest.mark.parametrize("line", ["hello there", "Bonjour, je voudrais la paix.", "\x1b]0;pwned\x07\x00\x08why",
                                  "x" * 5000, "   "])
@pytest.mark.parametrize("mode", ["training", "assessment"])
async def test_a_line_that_makes_no_move_is_answered_in_the_story_and_changes_nothing(make_app, line, mode):
    app = make_app(scenario="tutorial", free_text=True, mode=mode)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await ready(pilot)
        before = screen.session.snapshot()
        shown_before = log_text(screen)
        await say(pilot, line)
        assert screen.session.snapshot() == before
        assert isinstance(app.screen, PlayScreen)
        if line.strip():
            assert "What exactly are you saying?" in log_text(screen)[len(shown_before):]
            assert "\x1b" not in screen.query_one("#say", Input).value
            assert len(screen.query_one("#say", Input).value) <= 1000
        else:  # an empty line is not said at all
            assert log_text(screen) == shown_before
        assert screen.query_one("#reading").display is (mode == "training" and bool(line.strip()))


async def test_who_asks_again_takes_turns(make_app):
    app = make_app(scenario="tutorial", free_text=True, mode="assessment")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await ready(pilot)
        for _ in range(2):
            await say(pilot, "hello there")
        asides = [text_of(w) for w in screen.query(".-role-aside")]
        assert asides[0].startswith("President Volkov") and asides[1].startswith("Ines Calder")


async def test_assessment_says_a_readable_line_at_once_and_shows_nothing_of_the_reading(make_app, library, reader):
    app = make_app(scenario="tutorial", free_text=True, mode="assessment")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await ready(pilot)
        expected = heard(Session(library.scenarios["tutorial"], SEED, mode="assessment"), reader, LABEL)
        await say(pilot, LABEL)
        assert screen.session.history == [("across-the-table", expected.choice.id)]
        assert not screen.query_one("#reading").display and not screen.query_one("#readings").display
        shown = log_text(screen) + text_of(screen.query_one("#coach-text"))
        assert "Label" not in shown and "Read as" not in shown


async def test_nothing_is_picked_while_the_reader_gets_ready(make_app):
    app = make_app(scenario="tutorial", free_text=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter", "1", "down", "enter")  # before the worker has trained the reader
        screen = await ready(pilot)
        assert screen.session.history == [] and not isinstance(app.focused, ChoiceList)
        await pilot.press("enter")  # now on the line, which is empty: nothing is said
        assert screen.session.history == []


async def test_number_keys_pick_nothing_in_free_text(make_app):
    app = make_app(scenario="tutorial", free_text=True)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await ready(pilot)
        screen.query_one(NarrativeLog).focus()
        await pilot.press("1", "2", "enter")
        await pilot.pause()
        assert screen.session.history == []


async def test_the_line_stays_on_screen_at_80x24_with_a_reading_shown(make_app):
    app = make_app(scenario="tutorial", free_text=True)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await ready(pilot)
        await say(pilot, TWO_MOVES)
        line = screen.query_one("#say", Input)
        for widget in (line, screen.query_one("#readings"), screen.query_one("#reading")):
            assert widget.region.height and widget.region.bottom <= 23, widget  # above the footer


def playthrough_lines() -> tuple[int, list[str]]:
    source = read_file(FREE_TEXT_PLAYTHROUGH, Diagnostics())
    return int(source.data["seed"]), [str(step["say"]) for step in source.data["choices"]]


async def test_typed_to_the_debrief_which_quotes_the_lines_and_continue_keeps_free_text(make_app, library, saves):
    seed, lines = playthrough_lines()
    app = make_app(scenario="tutorial", free_text=True, mode="assessment", seed=seed)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await ready(pilot)
        await say(pilot, lines[0])
        kept = screen.session.snapshot()
        await app.workers.wait_for_complete()  # the autosave
        await pilot.press("escape")
        assert isinstance(app.screen, TitleScreen)
        app.free_text = False  # a game played in free text continues in free text whatever the setting
        await pilot.press("c")
        await app.workers.wait_for_complete()
        screen = await ready(pilot)
        assert screen.session.state.said == {1: lines[0]}
        assert screen.session.snapshot() == kept  # the save replays to the very same game, words and all
        for text in lines[1:]:
            await say(pilot, text)
        session = screen.session
        assert session.ended and session.state.said == dict(enumerate(lines, 1))
        assert screen.query_one(ChoiceList).display and not screen.query_one(SayBox).display
        screen.action_write_playthrough()  # w, or the palette: the lines become say: steps
        written = read_file(next(saves.glob("tutorial-seed*.playthrough.yaml")), Diagnostics())
        assert written.data["choices"] == [{"say": text} for text in lines]
        await pilot.press("enter")
        assert isinstance(app.screen, DebriefScreen)
        moves = text_of(app.screen.query_one("#moves"))
        expected = next(s for s in presentation.debrief(session) if s.id == "moves")
        earned = {item.text for block in expected.blocks for item in block.items}
        quoted = [text for text in lines if any(f'you said: "{text}"' in entry for entry in earned)]
        assert quoted and all(f'you said: "{text}"' in " ".join(moves.split()) for text in quoted)


async def test_tab_leaves_the_line_so_the_screen_keys_work_again(make_app):
    from game.tui.screens.slots import SaveScreen

    app = make_app(scenario="tutorial", free_text=True)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await ready(pilot)
        await pilot.press("s")  # typed on the line
        assert screen.query_one("#say", Input).value == "s" and not isinstance(app.screen, SaveScreen)
        await pilot.press("tab", "s")
        assert isinstance(app.screen, SaveScreen)
