"""Driving the TUI with key presses (and a click) and checking it against the engine."""
from __future__ import annotations

import json

from game.engine import Session, load_library
from game.paths import story_paths
from game.saves import SaveStore
from game.tui.screens.debrief import DebriefScreen
from game.tui.screens.error import ErrorScreen
from game.tui.screens.help import HelpScreen
from game.tui.screens.picker import PickerScreen
from game.tui.screens.play import PlayScreen
from game.tui.screens.title import TitleScreen
from game.tui.widgets.choices import ChoiceList
from game.tui.widgets.score_bar import ScoreBar

from .conftest import SEED, text_of

# Which option to take each round (taken modulo the number open), and every third move by arrows + Enter.
PATTERN = (0, 1, 0, 2, 0, 0, 1, 0, 0, 0, 2, 0)


async def play_by_keys(pilot, shadow) -> list[str]:
    """Press keys until the session ends, mirroring each pick on ``shadow``; returns the choice ids."""
    taken = []
    while not shadow.ended:
        options = shadow.choices()
        index = PATTERN[len(taken) % len(PATTERN)] % len(options)
        if len(taken) % 3 == 2:
            await pilot.press(*["down"] * index, "enter")
        else:
            await pilot.press(str(index + 1))
        shadow.choose(options[index].id)
        taken.append(options[index].id)
    return taken


async def test_title_to_debrief_with_keys_matches_the_engine(make_app, library, saves):
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        assert isinstance(app.screen, TitleScreen)
        await pilot.press("n")
        assert isinstance(app.screen, PickerScreen)
        menu = app.screen.query_one("#scenarios")
        while menu.highlighted_option.id != "tutorial":
            await pilot.press("down")
        await pilot.press("enter")
        assert isinstance(app.screen, PlayScreen)
        scenario = library.scenarios["tutorial"]
        taken = await play_by_keys(pilot, Session(scenario, SEED))
        assert [c for _, c in app.screen.session.history] == taken
        await pilot.press("enter")
        assert isinstance(app.screen, DebriefScreen)

        expected = Session.replay(scenario, SEED, taken)
        ending = scenario.endings[expected.ending]
        assert text_of(app.screen.query_one("#ending-title")).startswith(ending.title)
        scores = expected.scores()
        for key in ("empathy", "brinkmanship", "offramps", "discipline"):
            assert app.screen.query_one(f"#score-{key}", ScoreBar).value == scores[key]
        assert f"Total {scores['total']:g}" in text_of(app.screen.query_one("#score-total"))
        assert "Debrief" in text_of(app.screen.query_one("#debrief-heading"))

        await app.workers.wait_for_complete()  # the best score is written by a worker
        best = json.loads((saves / ".best-scores.json").read_text())
        assert best["tutorial"]["total"] == scores["total"]

        await pilot.press("escape")
        assert isinstance(app.screen, TitleScreen)
        await pilot.press("c")  # continue the autosave (found and replayed by a worker)
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, PlayScreen)
        assert app.screen.session.history == expected.history


async def test_training_mode_shows_tags_and_a_coach_line(make_app, library, saves):
    app = make_app(scenario="tutorial", mode="training")
    async with app.run_test(size=(80, 24)) as pilot:
        session = app.screen.session
        first = session.choices()[0]
        names = [library.tactics[t].name for t in first.tags]
        prompt = app.screen.query_one(ChoiceList).get_option_at_index(0).prompt.plain
        assert all(f"[{name}]" in prompt for name in names)
        assert not app.screen.query_one("#coach").display
        await pilot.press("1")
        coach = text_of(app.screen.query_one("#coach-text"))
        assert app.screen.query_one("#coach").display
        assert first.hint.split(".")[0] in coach
        await pilot.press("w")  # the session so far, as a playthrough file an instructor can keep
        written = list(saves.glob("tutorial-*.playthrough.yaml"))
        assert len(written) == 1
        checked = load_library(story_paths([written[0]]))
        assert [str(d) for d in checked.diagnostics if d.path == str(written[0])] == []
        assert len(checked.playthroughs) == 1 + len(library.playthroughs)


async def test_assessment_mode_hides_tags_and_coach_until_the_debrief(make_app, library, saves):
    app = make_app(scenario="tutorial", mode="assessment")
    async with app.run_test(size=(80, 24)) as pilot:
        session = app.screen.session
        first = session.choices()[0]
        prompt = app.screen.query_one(ChoiceList).get_option_at_index(0).prompt.plain
        assert not any(f"[{library.tactics[t].name}]" in prompt for t in first.tags)
        await pilot.press("1")
        assert not app.screen.query_one("#coach").display
        while not session.ended:
            await pilot.press("1")
        await pilot.press("d")
        assert isinstance(app.screen, DebriefScreen)
        assert app.screen.query("#moves")  # the move-by-move lessons appear in the debrief
        await pilot.press("x")
        exported = sorted(p.suffix for p in saves.glob("tutorial-*") if p.suffix in (".md", ".html"))
        assert exported == [".html", ".md"]


async def test_a_click_picks_a_choice(make_app):
    app = make_app(scenario="tutorial")
    async with app.run_test(size=(220, 40)) as pilot:  # wide enough that no option wraps
        session = app.screen.session
        second = session.choices()[1]
        choices = app.screen.query_one(ChoiceList)
        lines_of_first = choices.get_option_at_index(0).prompt.plain.count("\n") + 1
        assert await pilot.click(ChoiceList, offset=(6, 1 + lines_of_first))
        await pilot.pause()
        assert [c for _, c in session.history] == [second.id]


async def test_a_story_error_shows_an_error_screen_and_keeps_the_autosave(make_app, faulty_library, saves):
    app = make_app(scenario="faulty", library=faulty_library)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("1")
        await pilot.press("1")
        assert isinstance(app.screen, ErrorScreen)
        assert "E400" in text_of(app.screen.query_one("#error-message"))
        await pilot.press("escape")
        assert isinstance(app.screen, TitleScreen)
    loaded = SaveStore(saves).load(faulty_library, "autosave-faulty").session
    assert [c for _, c in loaded.history] == ["carry-on"]


async def test_save_in_a_named_slot_and_load_it(make_app, library, saves):
    app = make_app(scenario="tutorial")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("2", "1", "s")
        await pilot.press(*"before-the-threat", "enter")
        assert (saves / "before-the-threat.json").exists()
        history = list(app.screen.session.history)
        await pilot.press("escape")
        await pilot.press("l")
        await app.workers.wait_for_complete()  # the slots are listed, and later loaded, by workers
        await pilot.pause()
        options = app.screen.query_one("#slots")
        while options.highlighted_option.id != "before-the-threat":
            await pilot.press("down")
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, PlayScreen)
        assert app.screen.session.history == history


async def test_a_bad_slot_name_is_explained_on_screen(make_app):
    app = make_app(scenario="tutorial")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("s", *"../escape", "enter")
        assert "cannot be used" in text_of(app.screen.query_one("#save-error"))


async def test_the_command_palette_runs_main_actions(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+p", *"new game")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, PickerScreen)


async def test_help_lists_the_whole_catalogue(make_app, library):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        shown = "\n".join(text_of(w) for w in app.screen.query(".item"))
        for tactic in library.tactics.values():
            assert tactic.name in shown and tactic.id in shown
        for concept in library.concepts.values():
            assert str(concept["title"]) in shown


async def test_themes_cycle_through_dark_light_and_ansi(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        seen = set()
        for _ in range(3):
            seen.add(app.theme)
            await pilot.press("ctrl+t")
        assert seen == {"textual-dark", "textual-light", "ansi-dark"}
        assert app.get_theme("ansi-dark").ansi  # the terminal's own palette


async def test_the_picker_switches_mode_and_shows_the_best_score(make_app, saves):
    saves.mkdir(parents=True)
    (saves / ".best-scores.json").write_text(json.dumps({"tutorial": {"total": 42.5, "ending": "spiral"}}))
    app = make_app(mode="training")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("n")
        menu = app.screen.query_one("#scenarios")
        while menu.highlighted_option.id != "tutorial":
            await pilot.press("down")
        assert "42.5" in text_of(app.screen.query_one("#detail"))
        await pilot.press("m")
        assert app.mode == "assessment"
        await pilot.press("enter")
        assert isinstance(app.screen, PlayScreen) and app.screen.mode == "assessment"


async def test_resizing_very_small_and_back_keeps_playing(make_app):
    app = make_app(scenario="tutorial")
    async with app.run_test(size=(80, 24)) as pilot:
        for size in ((20, 5), (1, 1), (200, 60), (80, 24)):
            await pilot.resize_terminal(*size)
            await pilot.pause()
        await pilot.press("1")
        assert len(app.screen.session.history) == 1


async def test_no_color_turns_the_screens_monochrome_and_they_still_play(make_app, monkeypatch):
    from textual.filter import Monochrome, NoColor

    monkeypatch.setenv("NO_COLOR", "1")
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        assert app.no_color
        assert any(isinstance(f, (Monochrome, NoColor)) for f in app._filters)
        await pilot.press("n")
        assert isinstance(app.screen, PickerScreen)
        await pilot.press("enter")
        assert isinstance(app.screen, PlayScreen)
        await pilot.press("1")
        assert app.screen.session.turn == 1


async def test_picker_marks_a_broken_scenario_and_refuses_to_start_it(make_app, tmp_path):
    broken = tmp_path / "broken.yaml"
    broken.write_text(
        "format: 1\nkind: scenario\nid: aaa-broken\ntitle: A broken drill\nsummary: Has a bad goto.\n"
        "difficulty: introductory\nminutes: 1\ncast: {adversary: volkov}\nstart: one\n"
        "rounds:\n  one:\n    title: One\n    text: Volkov waits.\n"
        "    choices:\n      - {id: go, text: Go., tags: [empathy.label], goto: nowhere}\n"
        "endings:\n  done: {outcome: stalemate, title: Done, text: Over.}\n", encoding="utf-8")
    library = load_library(story_paths([tmp_path]))
    assert "aaa-broken" in library.scenario_files and "aaa-broken" not in library.scenarios
    app = make_app(library=library)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("n")
        picker = app.screen
        assert isinstance(picker, PickerScreen)
        menu = picker.query_one("#scenarios")
        while menu.highlighted_option.id != "aaa-broken":
            await pilot.press("down")
        assert "has errors" in str(menu.highlighted_option.prompt)
        assert "broken.yaml:15" in text_of(picker.query_one("#detail"))
        await pilot.press("enter")
        assert isinstance(app.screen, PickerScreen)  # not started


async def test_a_saved_assessment_game_continues_in_assessment_even_from_training(make_app, library, saves):
    scenario = library.scenarios["tutorial"]
    session = Session(scenario, 7, mode="assessment")
    session.choose(session.choices()[0].id)
    SaveStore(saves).autosave(session)
    app = make_app(mode="training")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.action_continue_game()
        await pilot.pause()
        assert isinstance(app.screen, PlayScreen) and app.screen.mode == "assessment"
        prompts = [o.prompt.plain for o in app.screen.query_one(ChoiceList).options]
        names = [t.name for t in library.tactics.values()]
        assert not any(f"[{n}]" in p for p in prompts for n in names)
        await pilot.press("1")
        assert not app.screen.query_one("#coach").display
    assert SaveStore(saves).load(library, "autosave-tutorial").session.mode == "assessment"


async def test_at_80x24_hidden_options_are_announced_and_the_coach_ends_on_a_whole_sentence(make_app):
    app = make_app(scenario="ceasefire-table", mode="training")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("1")
        await pilot.pause()
        choices = app.screen.query_one(ChoiceList)
        hidden = choices.max_scroll_y > 0
        assert (choices.border_subtitle == ChoiceList.MORE_BELOW) == hidden
        assert choices.region.bottom <= app.screen.region.bottom - 1  # its bottom border is on screen
        if hidden:
            choices.scroll_end(animate=False)
            await pilot.pause()
            assert choices.border_subtitle == ""
        coach = text_of(app.screen.query_one("#coach-text")).rstrip()
        assert coach.endswith((".", "!", "?", '"', "(the rest is in the debrief)")), coach


def test_whole_sentences_never_cuts_a_sentence():
    from game.tui.present import whole_sentences

    text = "One short sentence. " + "A much longer sentence that goes on and on for a while. " * 4
    kept, shortened = whole_sentences(text, 30, 3)
    assert shortened and kept.endswith(".") and text.startswith(kept)
    assert whole_sentences("Fits. Fine.", 80, 2) == ("Fits. Fine.", False)


async def test_the_picker_casts_another_adversary_by_keyboard_at_80x24(make_app, library, saves):
    app = make_app(mode="training")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("n")
        picker = app.screen
        menu = picker.query_one("#scenarios")
        while menu.highlighted_option.id != "ceasefire-table":
            await pilot.press("down")
        cast_line = picker.query_one("#cast-line")
        assert "as each scenario casts him" in text_of(cast_line)
        while app.adversary != "volkov-wary":
            await pilot.press("c")
        assert "(volkov-wary)" in text_of(cast_line) and "Across the table" in text_of(picker.query_one("#detail"))
        region = cast_line.region
        assert region.height >= 1 and region.bottom <= 24 and region.right <= 80  # on screen at 80x24
        await pilot.press("enter")
        assert isinstance(app.screen, PlayScreen)
        session = app.screen.session
        assert session.scenario.cast["adversary"] == "volkov-wary"
        assert session.scenario.constants["risk_appetite"] < library.scenarios["ceasefire-table"].constants[
            "risk_appetite"]
        assert library.scenarios["ceasefire-table"].cast["adversary"] == "volkov"  # the library is not recast
        await pilot.press("1")
        await app.workers.wait_for_complete()
        app.flush_saves()
        loaded = SaveStore(saves).load(load_library(story_paths()), "autosave-ceasefire-table")
        assert loaded.session.scenario.cast["adversary"] == "volkov-wary" and loaded.notice is None
