"""The scenario picker: what each scenario is, how hard, how long, and the best score so far.

The first time it opens, the story may not be loaded yet: it shows a progress bar
while a worker reads the story files, then shows the scenarios.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from textual import getters, work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import Footer, OptionList, ProgressBar, Static
from textual.widgets.option_list import Option

from ...engine.spec import DIFFICULTIES
from .. import bindings
from ..present import MODES
from ..widgets.menu import Menu
from .base import GameScreen

if TYPE_CHECKING:
    from ...engine import Library
    from ...engine.library import ScenarioRow

MODE_HELP = {  # (mode, app.free_text) -> what that mode shows, true of the way moves are made
    ("training", False): "Training: each choice shows its tactics, and a coach explains every move.",
    ("training", True): "Training: each line shows how it was read (correct it before it is said), "
                        "and a coach explains every move.",
    ("assessment", False): "Assessment: no tags and no coaching until the debrief.",
    ("assessment", True): "Assessment: a line is said as typed; how it was read and the coaching "
                          "wait for the debrief.",
}

ANSWERS = {False: "pick an option", True: "type your own words"}  # app.free_text -> how moves are made


def _teaching_order(row: ScenarioRow) -> tuple[int, int, str]:
    """Introductory scenarios first, shorter before longer."""
    level = DIFFICULTIES.index(row["difficulty"]) if row["difficulty"] in DIFFICULTIES else len(DIFFICULTIES)
    return level, row["minutes"], row["id"]


class PickerScreen(GameScreen):
    CSS_PATH = "../styles/picker.tcss"
    BINDINGS = bindings.PICKER

    detail = getters.query_one("#detail", Static)
    menu = getters.query_one("#scenarios", Menu)
    mode_line = getters.query_one("#mode-line", Static)
    cast_line = getters.query_one("#cast-line", Static)

    def _read_library(self, library: Library) -> None:
        from ...engine.library import cast_choices, scenario_rows

        self.adversaries = dict(cast_choices(library, "adversary"))  # id -> name, for the cast option
        self.descriptions = {ident: " ".join(str(library.resolved[ident].data.get("description", "")).split())
                             for ident in self.adversaries}
        rows = sorted(scenario_rows(library), key=_teaching_order)
        self.rows = {row["id"]: row for row in rows}
        self.errors = {sid: [str(d) for d in library.diagnostics.sorted()
                             if d.severity == "error" and d.path == row["path"]]
                       for sid, row in self.rows.items() if not row["playable"]}
        self.best = self.app.best_scores.read()

    def compose(self) -> ComposeResult:
        if not self.app.story_loaded:
            yield Static("Choose a scenario", classes="screen-title")
            with Vertical(id="loading"):
                yield Static("Reading the story files...", id="loading-what")
                yield ProgressBar(id="loading-bar", show_eta=False)
            yield Footer()
            return
        self._read_library(self.app.read_story())
        yield Static("Choose a scenario", classes="screen-title")
        with Horizontal(id="picker-body"):
            yield Menu(*[Option(self._label(row), id=sid) for sid, row in self.rows.items()],
                             id="scenarios")
            with VerticalScroll(id="details"):
                first = next(iter(self.rows), None)
                yield Static(self.describe(first) if first else "No scenarios found. Add a folder with --story DIR.",
                             id="detail")
        yield Static(self._mode_line(), id="mode-line")
        yield Static(self._cast_line(), id="cast-line")
        yield Footer()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("start", "toggle_mode", "toggle_free_text", "cycle_cast") and not self.query("#scenarios"):
            return False  # the story is still loading
        return super().check_action(action, parameters)

    def on_mount(self) -> None:
        if not self.app.story_loaded:
            self._load_story()

    @work(thread=True, exclusive=True)
    def _load_story(self) -> None:
        self.app.read_story(progress=lambda what, done, total: self.app.call_from_thread(
            self._show_progress, what, done, total))
        self.app.call_from_thread(self._story_ready)

    def _show_progress(self, what: str, done: int, total: int) -> None:
        if self.query("#loading-bar"):
            self.query_one("#loading-what", Static).update(f"{what.capitalize()}...")
            self.query_one("#loading-bar", ProgressBar).update(total=total, progress=done)

    def _story_ready(self) -> None:
        self.call_later(self._show_scenarios)

    async def _show_scenarios(self) -> None:
        await self.recompose()
        self.menu.focus()

    def _label(self, row: ScenarioRow) -> Content:
        if row["playable"]:
            return Content(row["title"])
        return Content.from_markup("$title [$error](has errors)[/]", title=row["title"])

    def _mode_line(self) -> Content:
        return Content.from_markup("Mode: [b]$mode[/b] (m to switch). $help\nAnswers: [b]$answers[/b] (t to switch)",
                                   mode=self.app.mode, help=MODE_HELP[self.app.mode, self.app.free_text],
                                   answers=ANSWERS[self.app.free_text])

    def _cast_line(self) -> Content:
        chosen = self.app.adversary
        if chosen is None:
            return Content.from_markup("Adversary: [b]as each scenario casts him[/b] (c to change).")
        return Content.from_markup("Adversary: [b]$name[/b] ($id) in every scenario (c to change).",
                                   name=self.adversaries.get(chosen, chosen), id=chosen)

    def action_cycle_cast(self) -> None:
        """Cycle the adversary's chair: as written, then each persona that can sit in it."""
        order: list[str | None] = [None, *self.adversaries]
        at = order.index(self.app.adversary) if self.app.adversary in order else 0
        self.app.adversary = order[(at + 1) % len(order)]
        self.cast_line.update(self._cast_line())
        option = self.menu.highlighted_option
        if option is not None and option.id is not None:
            self.detail.update(self.describe(option.id))

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        if event.option.id is not None and self.query("#detail"):  # not while the screen is being removed
            self.detail.update(self.describe(event.option.id))

    def describe(self, sid: str) -> Content:
        row = self.rows[sid]
        best = self.best.get(sid)
        best_text = "not played yet" if best is None else f"{best['total']:g} ({best.get('ending', '')})"
        content = Content.from_markup(
            "[b]$title[/b]\n[dim]$difficulty · about $minutes min · $rounds rounds · $endings endings[/]\n"
            "Best score: [b]$best[/b]\n\n$summary",
            title=row["title"], difficulty=row["difficulty"], minutes=row["minutes"], rounds=row["rounds"],
            endings=row["endings"], best=best_text, summary=row["summary"])
        chosen = self.app.adversary
        if chosen is not None and chosen in self.descriptions:
            content += Content.from_markup("\n\n[b]Across the table:[/b] $name ($id). $about",
                                           name=self.adversaries[chosen], id=chosen, about=self.descriptions[chosen])
        if sid in self.errors:
            content += Content.from_markup("\n\n[$error]This scenario has errors:[/]\n$errors",
                                           errors="\n".join(self.errors[sid][:5]))
        return content

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        if event.option.id is not None:
            self.start(event.option.id)

    def action_start(self) -> None:
        option = self.menu.highlighted_option
        if option is not None and option.id is not None:
            self.start(option.id)

    def start(self, sid: str) -> None:
        if sid in self.errors:
            self.notify("This scenario has errors; run 'offramp validate' for the details.", severity="error")
            return
        self.app.start(sid)

    def action_toggle_mode(self) -> None:
        self.app.mode = MODES[(MODES.index(self.app.mode) + 1) % len(MODES)]
        self.mode_line.update(self._mode_line())

    def action_toggle_free_text(self) -> None:
        self.app.free_text = not self.app.free_text
        self.mode_line.update(self._mode_line())
