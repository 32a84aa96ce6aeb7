"""How each screen looks, at 80x24 (and the play screen at 120x40), with a fixed seed.

Scenario text is still being written: after a story edit, review the diffs and run
``pytest tests/tui --snapshot-update``.
"""
from __future__ import annotations


async def one_move(pilot) -> None:
    await pilot.press("1")
    await pilot.pause()


async def to_the_scores(pilot) -> None:
    while not pilot.app.screen.session.ended:
        await pilot.press("1")
    await pilot.press("d")
    pilot.app.screen.query_one("#score-empathy").scroll_visible(top=True, animate=False)
    await pilot.pause()


def test_title(snap_compare, make_app):
    assert snap_compare(make_app(), terminal_size=(80, 24))


def test_picker(snap_compare, make_app):
    assert snap_compare(make_app(), press=["n"], terminal_size=(80, 24))


def test_picker_free_text(snap_compare, make_app):
    assert snap_compare(make_app(), press=["n", "t"], terminal_size=(80, 24))


def test_play_training(snap_compare, make_app):
    assert snap_compare(make_app(scenario="tutorial", mode="training"), run_before=one_move,
                        terminal_size=(80, 24))


def test_play_assessment(snap_compare, make_app):
    assert snap_compare(make_app(scenario="tutorial", mode="assessment"), run_before=one_move,
                        terminal_size=(80, 24))


def test_play_large(snap_compare, make_app):
    assert snap_compare(make_app(scenario="tutorial"), run_before=one_move, terminal_size=(120, 40))


def test_debrief(snap_compare, make_app):
    assert snap_compare(make_app(scenario="tutorial"), run_before=to_the_scores, terminal_size=(80, 24))


def test_help(snap_compare, make_app):
    assert snap_compare(make_app(), press=["question_mark"], terminal_size=(80, 24))


async def read_a_typed_line(pilot) -> None:
    """Free text in training mode: a line typed and read, its moves offered (the reader trains in a worker)."""
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    pilot.app.screen.query_one("#say").value = "If you stop threatening the grid, we can pause the deliveries."
    await pilot.press("enter")
    await pilot.pause()


def test_play_free_text(snap_compare, make_app):
    assert snap_compare(make_app(scenario="tutorial", free_text=True), run_before=read_a_typed_line,
                        terminal_size=(80, 24))
