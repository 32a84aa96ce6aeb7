"""A story error while playing: say what broke and that the autosave is safe, never a traceback."""
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

    def __init__(self, message: str):
        super().__init__()
        self.message = message

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog error"):
            yield Static("The scenario hit a story error", classes="screen-title")
            yield Static(Content.from_markup(
                "$message\n\nThis is a bug in the scenario file, not something you did. The autosave from "
                "your last good move is kept: choose Continue on the title screen to return to it, and please "
                "tell the scenario's author what the message says.", message=self.message), id="error-message")
        yield Footer()

    def action_leave(self) -> None:
        self.app.to_title()
