"""The open choices: number keys, arrows and Enter, or a mouse click all pick one."""
from __future__ import annotations

from textual.content import Content
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from ...engine.presentation import tactic_names
from .menu import Menu


class ChoiceList(Menu):
    class Picked(Message):
        """The trainee picked the option at ``index`` (0-based, in display order)."""

        def __init__(self, index: int):
            super().__init__()
            self.index = index

    def __init__(self, session, mode: str, **kwargs):
        self.mode = mode
        super().__init__(*self._choice_options(session), **kwargs)

    def show(self, session) -> None:
        self.set_options(self._choice_options(session))
        self.highlighted = 0 if self.option_count else None
        self.scroll_home(animate=False)

    def _choice_options(self, session) -> list[Option]:
        if session.ended:
            return [Option(Content.from_markup("[b]See the debrief[/b]  (Enter or d)"), id="debrief")]
        return [Option(self._prompt(session, n, c), id=c.id) for n, c in enumerate(session.choices(), 1)]

    def _prompt(self, session, number: int, choice) -> Content:
        key = str(number) if number <= 9 else " "
        prompt = Content.from_markup("[b]$key[/b]  $text", key=key, text=session.render(choice.text))
        if self.mode == "training" and choice.tags:
            tags = "  ".join(f"[{n}]" for n in tactic_names(session.scenario, choice.tags))
            prompt += Content.from_markup("\n   [$accent]$tags[/]", tags=tags)
        return prompt

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.post_message(self.Picked(event.option_index))
