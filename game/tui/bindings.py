"""Every key and every command palette entry, as data in one place.

Screens take their BINDINGS from here; the footer shows the ones with a
description, and the command palette lists COMMANDS whose action the current
screen (or the app) can run.
"""
from __future__ import annotations

from textual.binding import Binding, BindingType

APP: list[BindingType] = [
    Binding("f1", "app.help", "Help", show=False),
    Binding("ctrl+t", "app.cycle_theme", "Theme", show=False),
    Binding("ctrl+q", "app.quit", "Quit", show=False, priority=True),
]

TITLE: list[BindingType] = [
    Binding("n", "app.new_game", "New game"),
    Binding("c", "app.continue_game", "Continue"),
    Binding("l", "app.load", "Load"),
    Binding("g", "app.progress", "Progress", show=False),
    Binding("question_mark,h", "app.help", "Help", key_display="?"),
    Binding("q", "app.quit", "Quit"),
]

PICKER: list[BindingType] = [
    Binding("enter", "start", "Play", priority=True),  # before the list's own Enter, so the footer shows it
    Binding("m", "toggle_mode", "Mode"),
    Binding("c", "cycle_cast", "Cast"),
    Binding("t", "toggle_free_text", "Answers"),
    Binding("escape", "app.pop_screen", "Back"),
]

PLAY: list[BindingType] = [
    Binding("1", "pick(1)", "Pick", key_display="1-9"),
    *(Binding(str(n), f"pick({n})", show=False) for n in range(2, 10)),
    Binding("d", "debrief", "Debrief", show=False),
    Binding("s", "save", "Save"),
    Binding("w", "write_playthrough", "Playthrough"),
    Binding("question_mark", "app.help", "Help", key_display="?"),
    Binding("pageup", "scroll_log(-1)", "Scroll", show=False, priority=True),
    Binding("pagedown", "scroll_log(1)", "Scroll", show=False, priority=True),
    Binding("escape", "leave", "Title"),
]

DEBRIEF: list[BindingType] = [
    Binding("r", "replay", "Replay"),
    Binding("p", "pick_another", "Other scenario"),
    Binding("x", "export", "Export transcript"),
    Binding("escape", "leave", "Title"),
]

HELP: list[BindingType] = [Binding("escape,q", "app.pop_screen", "Close", key_display="esc")]

SLOTS: list[BindingType] = [Binding("escape", "app.pop_screen", "Back")]

ERROR: list[BindingType] = [Binding("escape,enter", "leave", "Title", key_display="esc")]

# (title, help text, action); the palette shows an entry when its action can run on the screen.
COMMANDS = [
    ("New game", "Pick a scenario and start negotiating", "app.new_game"),
    ("Continue", "Resume the latest autosave", "app.continue_game"),
    ("Load game", "Open a named save slot", "app.load"),
    ("Your progress", "Your totals game after game, per scenario", "app.progress"),
    ("Help: tactics glossary", "Every tactic, what it does and the doctrine behind it", "app.help"),
    ("Theme: dark", "Switch to the dark theme", "app.set_theme('dark')"),
    ("Theme: light", "Switch to the light theme", "app.set_theme('light')"),
    ("Theme: plain terminal (ANSI)", "Use the terminal's own colours", "app.set_theme('ansi')"),
    ("Save game", "Save this session in a named slot", "save"),
    ("Write playthrough file", "Record this session as a playthrough YAML in the saves folder", "write_playthrough"),
    ("Show debrief", "Open the after-action review of this session", "debrief"),
    ("Replay scenario", "Play this scenario again", "replay"),
    ("Export transcript", "Write the transcript as Markdown and HTML into the saves folder", "export"),
    ("Toggle mode", "Switch between training and assessment mode", "toggle_mode"),
    ("Toggle free text", "Switch between picking options and typing your own words", "toggle_free_text"),
    ("Quit", "Leave offramp", "app.quit"),
]
