"""The scrolling narrative log: one Static per beat, styled by kind and speaker in play.tcss."""
from __future__ import annotations

from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Static

from ...engine.blocks import Block
from ...engine.presentation import narrative


def block_content(block) -> Content:
    """A narrative block as Textual content; story text is never read as markup."""
    if block.kind == "heading":
        return Content.from_markup("$who · $title", who=block.who, title=block.text)
    if block.kind == "speech":
        return Content.from_markup("[b]$label[/b]\n$text", label=block.who, text=block.text)
    return Content(block.text)


def block_classes(block) -> str:
    """CSS classes: the beat's kind and its speaker's role (styles live in play.tcss)."""
    return f"beat -kind-{block.style} -role-{block.role or 'narrator'}"


class NarrativeLog(VerticalScroll, can_focus=True):
    """Everything said so far; new beats scroll into view from their first line."""

    def __init__(self, beats, mode: str, **kwargs):
        super().__init__(**kwargs)
        self.mode = mode
        self.initial = self._statics(beats)

    def _statics(self, beats) -> list[Static]:
        return [Static(block_content(b), classes=block_classes(b)) for b in narrative(beats, self.mode)]

    def compose(self):
        yield from self.initial

    def on_mount(self) -> None:
        rounds = [w for w in self.initial if w.has_class("-kind-round")]
        if rounds:  # a loaded game opens at the start of its latest round
            self.call_after_refresh(self.scroll_to_widget, rounds[-1], animate=False, top=True)

    def add_aside(self, who: str, text: str) -> None:
        """Words said in the story that are no move of the game (asking for a line again): on
        screen only, never in the session, so they change nothing."""
        line = Static(block_content(Block("speech", text, who=who)), classes="beat -kind-line -role-aside")
        self.mount(line)
        self.call_after_refresh(self.scroll_to_widget, line, animate=False, top=True)

    def add_beats(self, beats) -> None:
        widgets = self._statics(beats)
        if widgets:
            self.mount_all(widgets)
            self.call_after_refresh(self.scroll_to_widget, widgets[0], animate=False, top=True)
