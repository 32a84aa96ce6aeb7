"""The scenario picker: what each scenario is, how hard, how long, and the best score so far."""
from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.widgets import Footer, OptionList, Static
from textual.widgets.option_list import Option

from ...engine.spec import DIFFICULTIES
from .. import bindings
from ..present import MODES
from ..widgets.menu import Menu
from .base import GameScreen

MODE_HELP = {
    "training": "Training: each choice shows its tactics, and a coach explains every move.",
    "assessment": "Assessment: no tags and no coaching until the debrief.",
}


def _teaching_order(row) -> tuple:
    """Introductory scenarios first, shorter before longer."""
    level = DIFFICULTIES.index(row["difficulty"]) if row["difficulty"] in DIFFICULTIES else len(DIFFICULTIES)
    return level, row["minutes"], row["id"]


class PickerScreen(GameScreen):
    CSS_PATH = "../styles/picker.tcss"
    BINDINGS = bindings.PICKER

    def _read_library(self) -> None:
        from ...engine.library import scenario_rows

        library = self.app.library
        rows = sorted(scenario_rows(library), key=_teaching_order)
        self.rows = {row["id"]: row for row in rows}
        self.errors = {sid: [str(d) for d in library.diagnostics.sorted()
                             if d.severity == "error" and d.path == row["path"]]
                       for sid, row in self.rows.items() if not row["playable"]}
        self.best = self.app.best_scores.read()

    def compose(self) -> ComposeResult:
        self._read_library()
        yield Static("Choose a scenario", classes="screen-title")
        with Horizontal(id="picker-body"):
            yield Menu(*[Option(self._label(row), id=sid) for sid, row in self.rows.items()],
                             id="scenarios")
            with VerticalScroll(id="details"):
                first = next(iter(self.rows), None)
                yield Static(self.describe(first) if first else "No scenarios found. Add a folder with --story DIR.",
                             id="detail")
        yield Static(self._mode_line(), id="mode-line")
        yield Footer()

    def _label(self, row) -> Content:
        if row["playable"]:
            return Content(row["title"])
        return Content.from_markup("$title [$error](has errors)[/]", title=row["title"])

    def _mode_line(self) -> Content:
        return Content.from_markup("Mode: [b]$mode[/b] (m to switch). $help",
                                   mode=self.app.mode, help=MODE_HELP[self.app.mode])

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        self.query_one("#detail", Static).update(self.describe(event.option.id))

    def describe(self, sid: str) -> Content:
        row = self.rows[sid]
        best = self.best.get(sid)
        best_text = "not played yet" if best is None else f"{best['total']:g} ({best.get('ending', '')})"
        content = Content.from_markup(
            "[b]$title[/b]\n[dim]$difficulty · about $minutes min · $rounds rounds · $endings endings[/]\n"
            "Best score: [b]$best[/b]\n\n$summary",
            title=row["title"], difficulty=row["difficulty"], minutes=row["minutes"], rounds=row["rounds"],
            endings=row["endings"], best=best_text, summary=row["summary"])
        if sid in self.errors:
            content += Content.from_markup("\n\n[$error]This scenario has errors:[/]\n$errors",
                                           errors="\n".join(self.errors[sid][:5]))
        return content

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.start(event.option.id)

    def action_start(self) -> None:
        option = self.query_one("#scenarios", Menu).highlighted_option
        if option is not None:
            self.start(option.id)

    def start(self, sid: str) -> None:
        if sid in self.errors:
            self.notify("This scenario has errors; run 'offramp validate' for the details.", severity="error")
            return
        self.app.start(sid)

    def action_toggle_mode(self) -> None:
        self.app.mode = MODES[(MODES.index(self.app.mode) + 1) % len(MODES)]
        self.query_one("#mode-line", Static).update(self._mode_line())
