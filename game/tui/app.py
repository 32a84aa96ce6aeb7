"""The offramp Textual app: owns the story library, the saves and the theme; screens do the rest.

The title screen needs neither the story nor the engine, so both load on first
use: the game is on screen about as fast as an empty Textual app.
"""
from __future__ import annotations

import os
import random

from textual.app import App

from . import bindings
from .present import MODES
from .screens.title import TitleScreen
from .textual_fixes import guard_option_list_paging

guard_option_list_paging()  # the palette's PageDown in a tiny terminal crashed Textual 8.2.8

THEMES = {"dark": "textual-dark", "light": "textual-light", "ansi": "ansi-dark"}
PLAIN_TERMS = {"dumb", "linux", "vt100", "vt102", "vt220", "ansi", "cons25"}
THEME_ENV = "OFFRAMP_THEME"


def default_theme() -> str:
    """OFFRAMP_THEME if set, the ANSI theme on terminals without rich colour, else dark."""
    wanted = os.environ.get(THEME_ENV, "")
    if wanted in THEMES:
        return wanted
    return "ansi" if os.environ.get("TERM", "") in PLAIN_TERMS else "dark"


def _offramp_commands():
    """The palette's provider, imported when the palette first opens (it pulls in a lot of Textual)."""
    from .commands import OfframpCommands

    return OfframpCommands


class OfframpApp(App):
    TITLE = "offramp"
    CSS_PATH = "styles/offramp.tcss"
    BINDINGS = bindings.APP
    COMMANDS = App.COMMANDS | {_offramp_commands}
    MODES = {"title": TitleScreen}  # the title is the bottom of the stack; a mode loads its CSS
    DEFAULT_MODE = "title"

    def __init__(self, *, scenario: str | None = None, seed: int | None = None, mode: str = "training",
                 story=(), saves_dir=None, theme: str | None = None, library=None, trainee: str | None = None):
        super().__init__()
        if mode not in MODES:
            raise ValueError(f"mode must be one of {MODES}")
        self.first_scenario = scenario
        self.fixed_seed = seed
        self.mode = mode
        self.story_dirs = list(story)
        self.saves_dir = saves_dir
        self.theme_key = theme or default_theme()
        self._library = library
        self._store = None
        self.first_frame_shown = False
        self.trainee = trainee or "trainee"
        self.game_started: str | None = None  # when the game on screen began (its result records it)

    # -- what the screens share --
    @property
    def library(self):
        if self._library is None:
            from ..engine import load_library
            from ..paths import story_paths

            self._library = load_library(story_paths(self.story_dirs))
        return self._library

    @property
    def store(self):
        if self._store is None:
            from ..saves import SaveStore

            self._store = SaveStore(self.saves_dir)
        return self._store

    @property
    def best_scores(self):
        from .best_scores import BestScores

        return BestScores(self.store.directory)

    def latest_autosave(self):
        from ..saves import SaveError

        try:
            return self.store.latest_autosave()
        except SaveError:
            return None

    def next_seed(self) -> int:
        return self.fixed_seed if self.fixed_seed is not None else random.randrange(1, 1_000_000)

    def autosave(self, session) -> None:
        from ..saves import SaveError

        try:
            self.store.autosave(session)
        except SaveError as err:
            self.notify(f"Autosave failed: {err}", severity="warning")

    # -- screens --
    def on_mount(self) -> None:
        self.theme = THEMES[self.theme_key]
        if self.first_scenario:
            self.start(self.first_scenario)

    def on_ready(self) -> None:
        """The first frame is on screen; only now look for an autosave, which loads the engine."""
        self.first_frame_shown = True
        self.screen_stack[0].find_autosave()

    def start(self, scenario_id: str, confirmed: bool = False) -> None:
        from ..engine import Session

        in_progress = None if confirmed else self.store.game_in_progress(scenario_id)
        if in_progress is not None:
            from .screens.classroom import ReplaceAutosaveScreen

            def answered(replace: bool | None) -> None:
                if replace:
                    self.start(scenario_id, confirmed=True)
                else:
                    self.load_slot(in_progress.slot)

            self.push_screen(ReplaceAutosaveScreen(in_progress), answered)
            return

        try:
            session = Session(self.library.scenarios[scenario_id], self.next_seed())
        except Exception as err:  # noqa: BLE001 - whatever fails, the trainee sees the error screen
            self.show_error(err)
            return
        self.open_session(session)

    def game_finished(self, session, mode: str) -> None:
        """Keep the best score and write the game's result record (what 'offramp results' reads)."""
        from ..tools import results

        self.best_scores.record(session)
        try:
            results.record_game(self.store.directory, session, trainee=self.trainee, mode=mode,
                                started=self.game_started or results.now())
        except OSError as err:
            self.notify(f"Could not record the result: {err}", severity="warning")

    def open_session(self, session, notice: str | None = None, started: str | None = None) -> None:
        from .screens.play import PlayScreen

        try:
            session.playable_choices()  # a broken condition or a stuck round shows here, not mid-compose
        except Exception as err:  # noqa: BLE001
            self.show_error(err, session)
            return
        from ..tools.results import now

        self.game_started = started or now()
        self.show_over_title(PlayScreen(session, self.mode))
        if notice:
            self.notify(notice, title="Loaded with a notice", timeout=10)

    def show_over_title(self, screen) -> None:
        """Put ``screen`` right above the title, so Escape from it leads home."""
        self._return_to_title()
        self.push_screen(screen)

    def to_title(self) -> None:
        self._return_to_title()

    def _return_to_title(self) -> None:
        while len(self.screen_stack) > 1:
            self.pop_screen()

    def show_error(self, err: BaseException, session=None) -> None:
        """Play stopped on ``err``: a story error, or a bug in offramp (its traceback goes to a report)."""
        from ..crash import write_report
        from .present import failure_text
        from .screens.error import ErrorScreen

        report = None if str(getattr(err, "code", "")) == "E400" else write_report(err, "playing in the TUI")
        kept = session is not None and self.store.has_autosave_of(session)
        self.show_over_title(ErrorScreen(*failure_text(err, kept, report)))

    # -- actions (keys and command palette) --
    def action_new_game(self) -> None:
        from .screens.picker import PickerScreen

        self.show_over_title(PickerScreen())

    def action_continue_game(self) -> None:
        latest = self.latest_autosave()
        if latest is None:
            self.notify("No autosave yet: start a new game.")
            return
        self.load_slot(latest.slot)

    def action_load(self) -> None:
        from ..saves import SaveError
        from .screens.slots import LoadScreen

        try:
            slots = self.store.list()
        except SaveError as err:
            self.notify(str(err), severity="error")
            return
        self.push_screen(LoadScreen(slots), self.load_slot)

    def load_slot(self, slot: str | None) -> None:
        if slot is None:
            return
        from ..saves import SaveError

        try:
            result = self.store.load(self.library, slot)
        except SaveError as err:
            self.notify(str(err), title="Could not load", severity="error", timeout=10)
            return
        from ..tools.results import started_of

        self.open_session(result.session, result.notice, started_of(self.store.path_for(slot)))

    def action_progress(self) -> None:
        from ..tools.results import load
        from .screens.classroom import ProgressScreen

        records, _ = load(self.store.directory, trainee=self.trainee)
        self.push_screen(ProgressScreen(self.trainee, records))

    def action_help(self) -> None:
        from .screens.help import HelpScreen

        if isinstance(self.screen, HelpScreen):
            return
        session = getattr(self.screen, "session", None)
        if session is not None:
            scenario = session.scenario
            screen = HelpScreen(scenario.tactics, scenario.concepts, scenario.sources)
        else:
            library = self.library
            screen = HelpScreen(library.tactics, library.concepts, library.sources)
        self.push_screen(screen)

    def action_set_theme(self, key: str) -> None:
        self.theme_key = key
        self.theme = THEMES[key]

    def action_cycle_theme(self) -> None:
        keys = list(THEMES)
        self.action_set_theme(keys[(keys.index(self.theme_key) + 1) % len(keys)])
        self.notify(f"Theme: {self.theme_key}", timeout=2)
