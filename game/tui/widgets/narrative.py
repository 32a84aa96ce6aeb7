"""The scrolling narrative log: one Static per beat, styled by kind and speaker in play.tcss."""
from __future__ import annotations

from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Static

from .. import present


def beat_content(beat) -> Content:
    if beat.kind == "round":
        return Content.from_markup("Round $n · $title", n=beat.turn + 1, title=beat.text)
    if beat.kind == "ending":
        return Content.from_markup("Ending · $title", title=beat.text)
    label = present.beat_label(beat)
    if not label:
        return Content(beat.text)
    return Content.from_markup("[b]$label[/b]\n$text", label=label, text=beat.text)


class NarrativeLog(VerticalScroll, can_focus=True):
    """Everything said so far; new beats scroll into view from their first line."""

    def __init__(self, beats, mode: str, **kwargs):
        super().__init__(**kwargs)
        self.mode = mode
        self.initial = self._statics(beats)

    def _statics(self, beats) -> list[Static]:
        return [Static(beat_content(b), classes=present.beat_classes(b))
                for b in present.visible_beats(beats, self.mode)]

    def compose(self):
        yield from self.initial

    def on_mount(self) -> None:
        rounds = [w for w in self.initial if w.has_class("-kind-round")]
        if rounds:  # a loaded game opens at the start of its latest round
            self.call_after_refresh(self.scroll_to_widget, rounds[-1], animate=False, top=True)

    def add_beats(self, beats) -> None:
        widgets = self._statics(beats)
        if widgets:
            self.mount_all(widgets)
            self.call_after_refresh(self.scroll_to_widget, widgets[0], animate=False, top=True)
