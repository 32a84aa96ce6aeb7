"""The title screen: the name, and the way into everything else."""
from __future__ import annotations

from typing import TYPE_CHECKING

from textual import getters, work
from textual.app import ComposeResult
from textual.containers import Center, Vertical
from textual.screen import Screen
from textual.widgets import Footer, OptionList, Static
from textual.widgets.option_list import Option

from .. import bindings
from ..app import OfframpApp
from ..widgets.menu import Menu

if TYPE_CHECKING:
    from ...saves import SlotInfo

BANNER = "\n".join((
    "█▀█ █▀▀ █▀▀ █▀█ ▄▀█ █▀▄▀█ █▀█",
    "█▄█ █▀  █▀  █▀▄ █▀█ █ ▀ █ █▀▀",
))
TAGLINE = "negotiation training: tactical empathy, brinkmanship, off-ramps"


class TitleScreen(Screen[None]):
    """Styled by styles/title.tcss, which the app loads with its own (see OfframpApp.CSS_PATH)."""

    BINDINGS = bindings.TITLE

    app = getters.app(OfframpApp)
    menu = getters.query_one("#menu", Menu)

    def compose(self) -> ComposeResult:
        with Vertical(id="title-box"):
            yield Static(BANNER, id="banner")
            yield Static("offramp", id="name")
            yield Static(TAGLINE, id="tagline")
            with Center():
                yield Menu(
                    Option("New game", id="new_game"),
                    Option("Continue latest autosave", id="continue_game", disabled=True),
                    Option("Load a saved game", id="load"),
                    Option("Help: tactics glossary", id="help"),
                    Option("Quit", id="quit"),
                    id="menu",
                )
        yield Footer()

    def on_screen_resume(self) -> None:
        if self.app.first_frame_shown:  # the first check waits for it (OfframpApp.on_ready)
            self.find_autosave()

    @work(thread=True, exclusive=True)
    def find_autosave(self) -> None:
        """Look for the newest autosave in a worker (it reads the saves folder)."""
        latest = self.app.latest_autosave()
        self.app.call_from_thread(self.show_continue, latest)

    def show_continue(self, latest: SlotInfo | None) -> None:
        """Name the autosave that Continue would open, or grey Continue out."""
        menu = self.menu
        if latest is None:
            menu.replace_option_prompt("continue_game", "Continue latest autosave")
            menu.disable_option("continue_game")
        else:
            where = f"ended: {latest.ending}" if latest.ending else latest.round
            menu.replace_option_prompt("continue_game", f"Continue: {latest.scenario} ({where})")
            menu.enable_option("continue_game")

    async def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        await self.app.run_action(f"app.{event.option.id}")
