"""A labelled score bar for the debrief: reads without colour, and keeps its value for tests."""
from __future__ import annotations

from textual.content import Content
from textual.widgets import Static

from ...plaintext import bar

LABEL_WIDTH = 20  # the least room for a label; skill titles come from the story and may need more
VALUE_WIDTH = 10  # room for " 99.5/100"


class ScoreBar(Static):
    def __init__(self, label: str, value: float, maximum: float = 100, *, penalty: bool = False,
                 label_width: int = LABEL_WIDTH, **kwargs):
        self.label, self.value, self.maximum, self.penalty = label, value, maximum, penalty
        self.label_width = max(label_width, len(label) + 1)
        super().__init__(self._content(20), **kwargs)

    def _content(self, width: int) -> Content:
        fraction = abs(self.value) / self.maximum if self.maximum else 0
        shown = f"{self.value:g}" if self.penalty else f"{self.value:g}/{self.maximum:g}"
        colour = "$error" if self.penalty else "$success"
        return Content.from_markup(f"$label[{colour}]$bar[/] $shown", label=f"{self.label:<{self.label_width}}",
                                   bar=bar(fraction, width), shown=shown)

    def on_resize(self) -> None:
        self.update(self._content(max(self.size.width - self.label_width - VALUE_WIDTH, 4)))
