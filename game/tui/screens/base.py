"""What every offramp screen shares: typed access to the app, and keys that wait for the widgets."""
from __future__ import annotations

from textual import getters
from textual.screen import Screen

from ..app import OfframpApp


class GameScreen(Screen[None]):
    """Keys can reach a screen before it has composed (fast typing, pasted input): its own
    actions wait until its widgets exist, instead of failing to find them."""

    app = getters.app(OfframpApp)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return self.is_mounted
