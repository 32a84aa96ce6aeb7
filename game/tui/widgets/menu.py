"""The option list every offramp screen uses, hardened against two Textual 8.2.8 crashes."""
from __future__ import annotations

from textual.widgets import OptionList


class Menu(OptionList):
    """An OptionList that ignores PgUp/PgDn while it has no room on screen: Textual then looks up
    line positions it never computed (KeyError). Its CSS also keeps it at least 12 cells wide,
    because measuring options at zero width crashes in Content.wrap (see offramp.tcss)."""

    def action_page_down(self) -> None:
        if self.scrollable_content_region:
            super().action_page_down()

    def action_page_up(self) -> None:
        if self.scrollable_content_region:
            super().action_page_up()
