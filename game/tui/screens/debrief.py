"""The debrief: the ending and why, the scores, how the room moved, and what to learn."""
from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.widgets import Footer, Sparkline, Static

from ...engine.presentation import debrief
from .. import bindings, present
from ..widgets.score_bar import ScoreBar
from .base import GameScreen

BLOCK_IDS = {"verdict": "ending-title", "because": "ending-why"}  # ids the styles and tests know


class DebriefScreen(GameScreen):
    """Styles the debrief's neutral sections (``game.engine.presentation``) as Textual widgets."""

    CSS_PATH = "../styles/debrief.tcss"
    BINDINGS = bindings.DEBRIEF

    def __init__(self, session, mode: str):
        super().__init__()
        self.session, self.mode = session, mode
        self.sections: list = []

    def compose(self) -> ComposeResult:
        policy = self.app.read_story().policies.get(present.WHAT_IF_POLICY) if self.session.ended else None
        self.sections = debrief(self.session, policy=policy)
        yield Static(Content.from_markup("Debrief · $title", title=self.session.scenario.title), id="debrief-heading")
        with VerticalScroll(id="debrief-body"):
            for section in self.sections:
                yield Static(section.title, classes="section", id=f"section-{section.id}")
                for block in section.blocks:
                    yield from self._block(section, block)
        yield Footer()

    def _block(self, section, block):
        if block.kind == "para":
            yield Static(Content(block.text), classes=block.style, id=BLOCK_IDS.get(block.style))
        elif block.kind == "bars":
            numbers = []
            width = max(len(item.label) for item in block.items) + 1  # the bars start in one column
            for item in block.items:
                if item.maximum:
                    yield ScoreBar(item.label, item.value, item.maximum, penalty=item.penalty, label_width=width,
                                   id=f"score-{item.key}")
                else:
                    numbers.append(Content.from_markup("$label [b]$value[/b]", label=item.label,
                                                       value=f"{item.value:g}"))
            if numbers:
                yield Static(Content(" · ").join(numbers), id="score-total")
        elif block.kind == "series":
            for series in block.items:
                with Horizontal(classes="curve"):
                    yield Static(series.label, classes="curve-label")
                    yield Sparkline([float(v) for v in series.values], id=f"curve-{series.key}")
                    yield Static(f"{series.values[0]:g} → {series.values[-1]:g}", classes="curve-range")
        elif block.kind == "list":
            yield Static(Content("\n\n" if any(i.head or i.note for i in block.items) else "\n").join(
                _item(i) for i in block.items), classes="item", id=section.id)
        else:
            yield Static(Content(block.text), classes="item")

    # -- actions --
    def action_replay(self) -> None:
        self.app.start(self.session.scenario.id, cast=dict(self.session.scenario.cast))  # the same personas again

    def action_pick_another(self) -> None:
        self.app.action_new_game()

    def action_export(self) -> None:
        from ...tools.transcript import render
        from ...trainees import unique_path

        session = self.session
        written = []
        try:  # seed and a name taken exclusively: two exports never share a file
            first = unique_path(self.app.store.directory, f"{session.scenario.id}-seed{session.seed}", ".md")
            for fmt in ("md", "html"):
                path = first.with_suffix(f".{fmt}")
                with path.open("w" if fmt == "md" else "x", encoding="utf-8") as handle:
                    handle.write(render(session, fmt))
                written.append(path.name)
        except OSError as err:
            self.notify(f"Could not export the transcript: {err}", severity="error")
            return
        self.notify(f"Transcript written to {first.parent}: {', '.join(written)}")

    def action_leave(self) -> None:
        self.app.to_title()


def _item(item) -> Content:
    """An entry as bold head, text and a dim note; author text is never read as markup."""
    parts = []
    if item.head:
        parts.append(Content.from_markup("[b]$head[/b]", head=item.head))
    parts.append(Content(item.text))
    if item.note:
        parts.append(Content.from_markup("[dim]$note[/]", note=item.note))
    return Content("\n").join(parts)
