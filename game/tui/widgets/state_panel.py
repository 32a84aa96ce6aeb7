"""The side panel: round, the values the trainee may see, and what intelligence revealed."""
from __future__ import annotations

from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Static

from ...plaintext import bar
from .. import present

BAR_WIDTH = 20


class StatePanel(VerticalScroll):
    def __init__(self, session, mode: str, **kwargs):
        super().__init__(**kwargs)
        self.session, self.mode = session, mode

    def compose(self):
        yield Static(self._round(self.session), id="state-round")
        yield Static(self._values(self.session), id="state-values")

    def show(self, session) -> None:
        self.query_one("#state-round", Static).update(self._round(session))
        self.query_one("#state-values", Static).update(self._values(session))

    def _round(self, session) -> Content:
        return Content.from_markup("[b]Round $n[/b]\n$title\n[dim]$mode · seed $seed[/]",
                                   n=present.round_number(session), title=present.round_title(session),
                                   mode=self.mode, seed=session.seed)

    @staticmethod
    def _values(session) -> Content:
        parts, revealed_heading = [], False
        for gauge in present.gauges(session):
            if gauge.revealed and not revealed_heading:
                parts.append(Content.from_markup("\n[b]Intelligence[/b]"))
                revealed_heading = True
            parts.append(Content.from_markup("$label [b]$value[/b]\n[$primary]$bar[/]",
                                             label=gauge.label, value=gauge.shown,
                                             bar=bar(gauge.fraction, BAR_WIDTH)))
        return Content("\n").join(parts)
