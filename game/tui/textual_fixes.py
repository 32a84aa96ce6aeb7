"""Guards around Textual bugs that can crash the game, each with the version it was seen in.

OptionList paging (Textual 8.2.8): ``OptionList._move_page`` reads ``_index_to_line`` and
``_lines``, which ``_update_lines`` fills only once the list has a content region. The command
palette's list in a terminal shrunk to 10x4 has none, so PageDown raised ``KeyError: 0`` and
ended the app. The guard lays the lines out first and skips the move while there are none;
where a later Textual has no ``_move_page`` (or fixed it) the guard is harmless or absent.
"""
from __future__ import annotations

from textual.widgets import OptionList


def guard_option_list_paging() -> None:
    original = getattr(OptionList, "_move_page", None)
    if original is None or getattr(original, "offramp_guard", False):
        return

    def _move_page(self, direction: int) -> None:
        try:
            self._update_lines()
            laid_out = bool(self._lines) and (self.highlighted or 0) in self._index_to_line
        except (AttributeError, LookupError):
            laid_out = False
        if laid_out:
            original(self, direction)

    _move_page.offramp_guard = True  # type: ignore[attr-defined]
    OptionList._move_page = _move_page  # type: ignore[method-assign]
