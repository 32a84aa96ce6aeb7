"""Play stopped by an error: say what broke and whether an autosave is kept, never a traceback."""
from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Footer, Static

from .. import bindings
from .base import GameScreen


class ErrorScreen(GameScreen):
    CSS_PATH = "../styles/slots.tcss"
    BINDINGS = bindings.ERROR

    def __init__(self, title: str, message: str):
        super().__init__()
        self.title_text, self.message = title, message

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog error"):
            yield Static(self.title_text, classes="screen-title", markup=False)
            yield Static(Content(self.message), id="error-message")
        yield Footer()

    def action_leave(self) -> None:
        self.app.to_title()
