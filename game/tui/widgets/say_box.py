"""Free text on the play screen: the line the trainee types and, in training mode, how it was read.

Enter sends the line to the free-text reader and asks the session which open move it makes
(``Session.hear``), without making it. In assessment mode a line that makes a move is said at
once and nothing of the reading is shown. In training mode the reading comes first ("Read as:
Label + Calibrated question") with the open moves that share a tactic with the line, the one it
was read as highlighted: Enter says it as that move, the arrows pick another, Escape goes back to
the line to rephrase it. A line that makes no move is answered in the story and changes nothing.
"""
from __future__ import annotations

from textual import getters
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from ...engine.presentation import tactic_names
from .. import present
from .menu import Menu

PROMPT = "Say it in your own words, then Enter"


class Readings(Menu):
    """The moves a line may be said as; Escape goes back to the line."""

    BINDINGS = [Binding("escape", "rephrase", "Rephrase")]

    class Rephrase(Message):
        """The trainee wants to change the line instead of saying it as read."""

    def action_rephrase(self) -> None:
        self.post_message(self.Rephrase())


class SayBox(Vertical):
    """The typed line and its reading. Posts ``Said`` when a line is to be played, ``Unheard``
    when it makes no open move (the screen answers it in the story)."""

    class Said(Message):
        def __init__(self, choice, text: str):
            super().__init__()
            self.choice, self.text = choice, text

    class Unheard(Message):
        def __init__(self, text: str):
            super().__init__()
            self.text = text

    line = getters.query_one("#say", Input)
    reading = getters.query_one("#reading", Static)
    readings = getters.query_one("#readings", Readings)

    def __init__(self, session, mode: str, **kwargs):
        super().__init__(**kwargs)
        self.session, self.mode = session, mode
        self.reader = None  # set by ``ready`` once the reader is trained (a worker does it)
        self.heard_text = ""  # the line the reading on show belongs to
        self.choices_near: list = []

    def compose(self):
        yield Static(id="reading")
        yield Readings(id="readings")
        yield Input(placeholder="Getting ready to listen...", id="say", disabled=True)

    def on_mount(self) -> None:
        self.reading.display = self.readings.display = False

    def ready(self, reader) -> None:
        """The reader is trained: the line can be typed."""
        self.reader = reader
        self.line.disabled = False
        self.line.placeholder = PROMPT
        self.line.focus()

    def reset(self) -> None:
        """After a move: an empty line, no reading."""
        self.line.clear()
        self._hide_reading()
        self.line.focus()

    def _hide_reading(self) -> None:
        self.reading.display = self.readings.display = False
        self.choices_near = []

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if self.reader is None:
            return
        text, cut = present.typed_line(event.value)
        if not text:
            self.notify("Type what you would say across the table, then press Enter.", timeout=4)
            return
        if text != event.value:  # the line as heard: no control characters, one line, not too long
            self.line.value = text
        if cut:
            self.notify(f"Only the first {len(text)} characters were heard.", timeout=6)
        session = self.session
        readings = self.reader.read(text, session.last_words())
        heard = session.hear(text, [(r.tag, r.confidence) for r in readings])
        if self.mode != "training":
            self.post_message(self.Said(heard.choice, text) if heard.choice is not None else self.Unheard(text))
            return
        self._show_reading(text, heard)
        if heard.choice is None:
            self.post_message(self.Unheard(text))

    def _show_reading(self, text: str, heard) -> None:
        """Training mode: what the line was read as, and the moves it may be said as."""
        session = self.session
        names = " + ".join(tactic_names(session.scenario, heard.tags)) or "no tactic"
        self.heard_text, self.choices_near = text, list(heard.near)
        if heard.choice is not None:
            how = "Enter says it as the highlighted move, ↑↓ another, Esc to rephrase."
        elif heard.near:
            how = f"{heard.reason.capitalize()}. Pick the move you meant (Enter), or Esc to rephrase."
        elif heard.tags:
            how = f"{heard.reason.capitalize()}. Put it another way."
        else:
            how = "Put it another way."
        self.reading.update(Content.from_markup("[b]Read as:[/b] $names. [dim]$how[/]", names=names, how=how))
        self.reading.display = True
        self.readings.set_options([self._option(c) for c in heard.near])
        self.readings.display = bool(heard.near)
        if heard.near:
            self.readings.highlighted = 0
            self.readings.focus()
        else:
            self.line.focus()

    def _option(self, choice) -> Option:
        names = " + ".join(tactic_names(self.session.scenario, choice.tags)) or "a plain move"
        return Option(Content.from_markup("[b]$names[/b]: $text", names=names,
                                          text=self.session.render(choice.text)), id=choice.id)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        choice = self.choices_near[event.option_index]
        self.post_message(self.Said(choice, self.heard_text))

    def on_readings_rephrase(self, event: Readings.Rephrase) -> None:
        event.stop()
        self._hide_reading()
        self.line.focus()

    def on_input_changed(self, event: Input.Changed) -> None:
        """A reading belongs to the words it was made from: editing the line takes it away."""
        if event.value != self.heard_text and self.reading.display:
            self._hide_reading()
