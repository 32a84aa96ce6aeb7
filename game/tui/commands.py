"""Command palette entries for offramp's main actions (listed in bindings.COMMANDS)."""
from __future__ import annotations

from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider

from .bindings import COMMANDS


class OfframpCommands(Provider):
    def _available(self):
        for title, help_text, action in COMMANDS:
            target, name = (self.app, action[4:]) if action.startswith("app.") else (self.screen, action)
            if hasattr(target, f"action_{name.split('(')[0]}"):
                yield title, help_text, partial(self.app.run_action, action, self.screen)

    async def discover(self) -> Hits:
        for title, help_text, run in self._available():
            yield DiscoveryHit(title, run, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for title, help_text, run in self._available():
            score = matcher.match(title)
            if score > 0:
                yield Hit(score, matcher.highlight(title), run, help=help_text)
