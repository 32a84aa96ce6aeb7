"""Named save slots: pick one to load, or name one to save into."""
from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from textual import getters
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Footer, Input, OptionList, Static
from textual.widgets.option_list import Option

from ...text_safety import clean_line
from .. import bindings
from ..app import OfframpApp
from ..widgets.menu import Menu

if TYPE_CHECKING:
    from ...engine import Session
    from ...saves import SlotInfo


def slot_prompt(info: SlotInfo) -> Content:
    if not info.readable:
        return Content.from_markup("[b]$slot[/b]  [$error]unreadable: $error[/]", slot=clean_line(info.slot),
                                   error=clean_line(info.error or ""))
    where = f"ended: {info.ending}" if info.ending else info.round
    return Content.from_markup("[b]$slot[/b]  $scenario ($where)  [dim]$when[/]",
                               slot=clean_line(info.slot), scenario=info.scenario, where=where, when=info.saved_at)


class LoadScreen(ModalScreen[str | None]):
    """Lists the save slots; dismisses with the chosen slot name."""

    CSS_PATH = "../styles/slots.tcss"
    BINDINGS = bindings.SLOTS

    def __init__(self, slots: Iterable[SlotInfo]):
        super().__init__()
        self.slots = list(slots)

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static("Load a saved game", classes="screen-title")
            if self.slots:
                yield Menu(*[Option(slot_prompt(s), id=s.slot, disabled=not s.readable) for s in self.slots],
                                 id="slots")
            else:
                yield Static("No saved games yet. Save with 's' while playing.", id="no-slots")
        yield Footer()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        if self.is_current:  # a quick Escape may have closed it already
            self.dismiss(event.option.id)


class SaveScreen(ModalScreen[str | None]):
    """Saves the session into the slot the trainee names; errors stay on screen."""

    CSS_PATH = "../styles/slots.tcss"
    BINDINGS = bindings.SLOTS
    AUTO_FOCUS = "#slot-name"

    app = getters.app(OfframpApp)
    slot_name = getters.query_one("#slot-name", Input)
    save_error = getters.query_one("#save-error", Static)

    def __init__(self, session: Session):
        super().__init__()
        self.session = session

    def compose(self) -> ComposeResult:
        slots = [s for s in self.app.store.list() if s.readable]
        with Vertical(classes="dialog"):
            yield Static("Save this game", classes="screen-title")
            yield Input(placeholder="slot name, e.g. before-the-signing", id="slot-name")
            yield Static(id="save-error")
            if slots:
                yield Static("Existing slots (pick one to overwrite it):")
                yield Menu(*[Option(slot_prompt(s), id=s.slot) for s in slots], id="slots")
        yield Footer()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        field = self.slot_name
        field.value = event.option.id or ""
        field.focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        from ...saves import SaveError

        if not self.is_current:
            return
        name = event.value.strip()
        if not name:
            self.save_error.update("Type a name for the slot.")
            return
        try:
            path = self.app.store.save(self.session, name)
        except SaveError as err:
            self.save_error.update(Content.from_markup("[$error]$err[/]", err=str(err)))
            return
        self.app.notify(f"Saved as '{clean_line(name)}' ({clean_line(str(path))})", markup=False)
        self.dismiss(name)
