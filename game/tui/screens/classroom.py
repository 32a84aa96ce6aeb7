"""Screens for a trainee among others: confirm before a new game replaces one in progress,
and the trainee's progress across finished games."""
from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Footer, Sparkline, Static
from textual.widgets.option_list import Option

from ..widgets.menu import Menu


class ReplaceAutosaveScreen(ModalScreen[bool]):
    """Starting a scenario writes its autosave: ask first when that autosave holds a game in progress."""

    CSS_PATH = ["../styles/slots.tcss", "../styles/classroom.tcss"]
    BINDINGS = [Binding("escape", "keep", "Keep it")]

    def __init__(self, info):
        super().__init__()
        self.info = info

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static("A game is in progress", classes="screen-title")
            yield Static(Content.from_markup(
                "Your game of [b]$scenario[/b] is at round [b]$round[/b] (saved $when). Starting a new one "
                "replaces its autosave.", scenario=self.info.scenario, round=self.info.round or "?",
                when=(self.info.saved_at or "?").replace("T", " ").replace("Z", " UTC")), id="replace-why")
            yield Menu(Option("Keep my game: continue it", id="keep"),
                       Option("Start a new game and replace the autosave", id="replace"), id="replace-menu")
        yield Footer()

    def on_option_list_option_selected(self, event) -> None:
        if self.is_current:
            self.dismiss(event.option.id == "replace")

    def action_keep(self) -> None:
        self.dismiss(False)


class ProgressScreen(ModalScreen):
    """The trainee's totals, game after game, per scenario: a sparkline and the last scores."""

    CSS_PATH = ["../styles/slots.tcss", "../styles/classroom.tcss"]
    BINDINGS = [Binding("escape,q", "app.pop_screen", "Close", key_display="esc")]

    def __init__(self, trainee: str, records: list[dict]):
        super().__init__()
        self.trainee, self.records = trainee, records

    def compose(self) -> ComposeResult:
        from ...tools.results import progress

        with Vertical(classes="dialog", id="progress"):
            yield Static(f"Progress: {self.trainee}", classes="screen-title")
            scenarios = sorted({r["scenario"] for r in self.records})
            if not scenarios:
                yield Static("No finished game yet: your progress shows here after your first debrief.",
                             id="no-progress")
            with VerticalScroll():
                for scenario_id in scenarios:
                    games = progress(self.records, self.trainee, scenario_id)
                    totals = [g["scores"]["total"] for g in games]
                    yield Static(Content.from_markup(
                        "[b]$title[/b] · $n games · last total $last, best $best", title=games[-1]["title"],
                        n=str(len(games)), last=f"{totals[-1]:g}", best=f"{max(totals):g}"), classes="item")
                    with Horizontal(classes="curve"):
                        yield Sparkline(totals, id=f"progress-{scenario_id}")
                        yield Static(" → ".join(f"{t:g}" for t in totals[-6:]), classes="curve-range")
        yield Footer()
