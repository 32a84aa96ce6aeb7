"""One finished game through every front end: the debrief has the same sections, in the same order, everywhere."""
from __future__ import annotations

import io
import re
from html.parser import HTMLParser

import pytest

from game.cli import main
from game.engine import Session, presentation
from game.saves import SaveStore
from game.tools.autoplay import play
from game.tools.transcript import render
from game.tui.plain import Plain
from game.tui.screens.debrief import DebriefScreen

from .conftest import text_of

SEED = 4


@pytest.fixture(scope="module")
def finished(library):
    """A game that earned and lost points and missed something, so every optional section has content."""
    session = play(library.scenarios["tutorial"], library.policies["random"], SEED, narrate=True)
    assert session.ended
    return session


@pytest.fixture(scope="module")
def titles(finished):
    found = [s.title for s in presentation.debrief(finished)]
    assert {"Outcome", "Scores", "Turning points", "Missed opportunities", "Move by move"} <= set(found)
    return found


def _plain_sections(text: str) -> list[str]:
    debrief = text[text.index("Debrief: "):]
    return re.findall(r"^-- (.+) --$", debrief, flags=re.M)


class _H3(HTMLParser):
    def __init__(self):
        super().__init__()
        self.inside, self.found = False, []

    def handle_starttag(self, tag, attrs):
        if tag == "h3":
            self.inside = True
            self.found.append("")

    def handle_endtag(self, tag):
        self.inside = self.inside and tag != "h3"

    def handle_data(self, data):
        if self.inside:
            self.found[-1] += data


def test_markdown_and_html_transcripts(finished, titles):
    md = render(finished, "md")
    assert re.findall(r"^### (.+)$", md[md.index("## Debrief"):], flags=re.M) == titles
    parser = _H3()
    parser.feed(render(finished, "html"))
    assert parser.found == titles


def test_plain_mode(finished, titles, saves):
    answers = io.StringIO("".join(f"{choice}\n" for _, choice in finished.history))
    out = io.StringIO()
    session = Session(finished.scenario, SEED)
    assert Plain(SaveStore(saves), stdin=answers, stdout=out).play(session, "assessment") == 0
    assert session.history == finished.history
    assert _plain_sections(out.getvalue()) == titles
    assert "-- Move by move --" in out.getvalue()


def test_offramp_run(finished, titles, capsys):
    choose = [arg for _, choice in finished.history for arg in ("--choose", choice)]
    assert main(["run", finished.scenario.id, "--seed", str(SEED), *choose]) == 0
    assert _plain_sections(capsys.readouterr().out) == titles


async def test_textual_debrief_screen(finished, titles, make_app):
    app = make_app()
    async with app.run_test(size=(100, 40)) as pilot:
        app.push_screen(DebriefScreen(finished, "assessment"))
        await pilot.pause()
        shown = [text_of(w) for w in app.screen.query(".section")]
        assert shown == titles
