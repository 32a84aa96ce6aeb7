"""What every offramp screen shares."""
from __future__ import annotations

from textual.screen import Screen


class GameScreen(Screen):
    """Keys can reach a screen before it has composed (fast typing, pasted input): its own
    actions wait until its widgets exist, instead of failing to find them."""

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return self.is_mounted
