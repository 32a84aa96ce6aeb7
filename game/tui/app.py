"""The offramp Textual app: owns the story library, the saves and the theme; screens do the rest.

The title screen needs neither the story nor the engine, so both load on first
use: the game is on screen about as fast as an empty Textual app. Nothing slow runs
on the UI thread: the story loads in a worker (the picker shows its progress), and
autosaves and best scores are written by a worker from a copy of the session.

Screens reach this class through ``getters.app(OfframpApp)``, so the app opens its
screens only inside methods (see the import-linter exception in pyproject.toml).
"""
from __future__ import annotations

import os
import random
import threading
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual import work
from textual.app import App
from textual.screen import Screen

from . import bindings
from .present import MODES
from .textual_fixes import guard_option_list_paging

if TYPE_CHECKING:
    from ..engine import Library, Session
    from ..recognize import Recognizer
    from ..saves import SaveStore, SlotInfo
    from .best_scores import BestScores

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


Progress = Callable[[str, int, int], None]  # progress(what, done, total), as the engine's loader reports it


class OfframpApp(App[None]):
    TITLE = "offramp"
    # The title's styles load with the app's: a screen with its own CSS_PATH, or a mode, makes
    # Textual parse every stylesheet twice more before the first frame (tests/tui/test_startup.py).
    CSS_PATH = ["styles/offramp.tcss", "styles/title.tcss"]
    BINDINGS = bindings.APP
    COMMANDS = App.COMMANDS | {_offramp_commands}

    def __init__(self, *, scenario: str | None = None, seed: int | None = None, mode: str = "training",
                 story: Iterable[str] = (), saves_dir: str | Path | None = None, theme: str | None = None,
                 library: Library | None = None, trainee: str | None = None, free_text: bool = False):
        super().__init__()
        if mode not in MODES:
            raise ValueError(f"mode must be one of {MODES}")
        self.first_scenario = scenario
        self.fixed_seed = seed
        self.mode = mode
        self.free_text = free_text  # new games are played by typing lines instead of picking options
        self.story_dirs = list(story)
        self.saves_dir = saves_dir
        self.theme_key = theme or default_theme()
        self._library = library
        self._story_lock = threading.Lock()
        self._store: SaveStore | None = None
        self._saves_lock = threading.Lock()
        self._pending_autosaves: dict[str, Session] = {}  # scenario id -> the newest copy not yet written
        self._pending_best: list[Session] = []
        self.first_frame_shown = False
        self.trainee = trainee or "trainee"
        self.game_started: str | None = None  # when the game on screen began (its result records it)
        self.adversary: str | None = None  # the picker's cast: a persona in the adversary's chair, or as written

    # -- the story: loaded once, off the UI thread --
    @property
    def story_loaded(self) -> bool:
        return self._library is not None

    def read_story(self, progress: Progress | None = None) -> Library:
        """The story library, read now if it was not yet. Slow the first time: call it from a worker."""
        with self._story_lock:
            if self._library is None:
                from ..engine import load_library
                from ..paths import story_paths

                self._library = load_library(story_paths(self.story_dirs), progress=progress)
            return self._library

    def free_text_reader(self, tactics: Iterable[str]) -> Recognizer:
        """The free-text reader for the story, trained on its corpus the first time (about a
        second: call it from a worker). OSError when no story folder holds a corpus, ValueError
        when a line of the corpus or of a casual.txt is broken (a casual.txt's names file and line)."""
        from ..paths import story_paths
        from ..recognize import for_story

        return for_story(story_paths(self.story_dirs), tactics)

    def with_story(self, then: Callable[[Library], object]) -> None:
        """Call ``then(library)`` on the UI thread: now if the story is loaded, else after a worker loads it."""
        if self._library is not None:
            then(self._library)
        else:
            self._load_story_then(then)

    @work(thread=True, group="story")
    def _load_story_then(self, then: Callable[[Library], object]) -> None:
        library = self.read_story()
        self.call_from_thread(then, library)

    # -- saves: read on demand, written by a worker --
    @property
    def store(self) -> SaveStore:
        if self._store is None:
            from ..saves import SaveStore

            self._store = SaveStore(self.saves_dir)
        return self._store

    @property
    def best_scores(self) -> BestScores:
        from .best_scores import BestScores

        return BestScores(self.store.directory)

    def latest_autosave(self) -> SlotInfo | None:
        """The newest autosave, after any still being written (reads files: call it from a worker)."""
        from ..saves import SaveError

        self.flush_saves()
        try:
            return self.store.latest_autosave()
        except SaveError:
            return None

    def next_seed(self) -> int:
        return self.fixed_seed if self.fixed_seed is not None else random.randrange(1, 1_000_000)

    def autosave(self, session: Session) -> None:
        """Autosave ``session`` (fsynced, atomic) in a worker; the UI thread only takes a copy."""
        self._pending_autosaves[session.scenario.id] = session.fork()
        self._write_saves()

    def record_best(self, session: Session) -> None:
        """Keep this ended session's total if it is a new best, written in a worker."""
        self._pending_best.append(session.fork())
        self._write_saves()

    @work(thread=True, group="saves")
    def _write_saves(self) -> None:
        for problem in self.flush_saves():
            self.call_from_thread(self.notify, problem, severity="warning")

    def flush_saves(self) -> list[str]:
        """Write what is pending, in the calling thread; the newest copy of each game wins.
        Returns the problems met (a failed autosave never stops the game)."""
        from ..saves import SaveError

        problems = []
        with self._saves_lock:
            while self._pending_autosaves:
                _, session = self._pending_autosaves.popitem()
                try:
                    self.store.autosave(session)
                except SaveError as err:
                    problems.append(f"Autosave failed: {err}")
            while self._pending_best:
                self.best_scores.record(self._pending_best.pop(0))
        return problems

    # -- screens --
    def get_default_screen(self) -> Screen[None]:
        """The title, the bottom of the stack (Escape from any screen leads back to it)."""
        from .screens.title import TitleScreen

        return TitleScreen()

    def on_mount(self) -> None:
        self.theme = THEMES[self.theme_key]
        if self.first_scenario:
            self.start(self.first_scenario)

    def on_ready(self) -> None:
        """The first frame is on screen; only now look for an autosave, which loads the engine."""
        from .screens.title import TitleScreen

        self.first_frame_shown = True
        title = self.screen_stack[0]
        if isinstance(title, TitleScreen):
            title.find_autosave()

    def on_unmount(self) -> None:
        self.flush_saves()  # a write still pending when the app closes is made before the process ends

    def start(self, scenario_id: str, confirmed: bool = False, cast: dict[str, str] | None = None) -> None:
        """Open a new game of this scenario (once the story is loaded); ``cast`` puts other personas
        in some roles (the picker's cast option, or a replay of a recast game)."""
        if cast is None:
            cast = {"adversary": self.adversary} if self.adversary else {}
        self.with_story(lambda library: self._start(library, scenario_id, confirmed, cast))

    def _start(self, library: Library, scenario_id: str, confirmed: bool, cast: dict[str, str]) -> None:
        from ..engine import CastError, Session, recast

        in_progress = None if confirmed else self.store.game_in_progress(scenario_id)
        if in_progress is not None:
            from .screens.classroom import ReplaceAutosaveScreen

            def answered(replace: bool | None) -> None:
                if replace:
                    self.start(scenario_id, confirmed=True, cast=cast)
                else:
                    self.load_slot(in_progress.slot)

            self.push_screen(ReplaceAutosaveScreen(in_progress), answered)
            return

        scenario = library.scenarios[scenario_id]
        try:
            if {**scenario.cast, **cast} != scenario.cast:
                scenario = recast(library, scenario_id, cast, keep=False)
        except CastError as err:
            played = ", ".join(cast.values())
            self.notify(f"{played} cannot be cast in this scenario: {err.diagnostics[0].message}",
                        severity="error", timeout=8)
            return
        try:
            session = Session(scenario, self.next_seed(), mode=self.mode)
        except Exception as err:  # noqa: BLE001 - whatever fails, the trainee sees the error screen
            self.show_error(err)
            return
        self.open_session(session)

    def game_finished(self, session: Session, mode: str) -> None:
        """Keep the best score and write the game's result record (what 'offramp results' reads)."""
        from ..tools import results

        self.record_best(session)
        try:
            results.record_game(self.store.directory, session, trainee=self.trainee, mode=mode,
                                started=self.game_started or results.now())
        except OSError as err:
            self.notify(f"Could not record the result: {err}", severity="warning")

    def open_session(self, session: Session, notice: str | None = None, started: str | None = None) -> None:
        from .screens.play import PlayScreen

        try:
            session.playable_choices()  # a broken condition or a stuck round shows here, not mid-compose
        except Exception as err:  # noqa: BLE001
            self.show_error(err, session)
            return
        from ..tools.results import now

        self.game_started = started or now()
        # a game keeps the mode it began in, and the way it was answered: typed lines are in its saves
        free_text = bool(session.state.said) if session.history else self.free_text
        self.show_over_title(PlayScreen(session, session.mode, free_text))
        if notice:
            self.notify(notice, title="Loaded with a notice", timeout=10)
        if session.mode != self.mode and session.history:
            self.notify(f"This game was begun in {session.mode} mode and continues in it.", timeout=6)
        if free_text != self.free_text and session.history:
            way = "in your own words" if free_text else "by picking options"
            self.notify(f"This game was played {way} and continues that way.", timeout=6)

    def show_over_title(self, screen: Screen[Any]) -> None:
        """Put ``screen`` right above the title, so Escape from it leads home."""
        self.to_title()
        self.push_screen(screen)

    def to_title(self) -> None:
        while len(self.screen_stack) > 1:
            self.pop_screen()

    def show_error(self, err: BaseException, session: Session | None = None) -> None:
        """Play stopped on ``err``: a story error, or a bug in offramp (its traceback goes to a report)."""
        from ..crash import write_report
        from .present import failure_text
        from .screens.error import ErrorScreen

        self.flush_saves()  # the autosave of the last good move may still be pending
        report = None if str(getattr(err, "code", "")) == "E400" else write_report(err, "playing in the TUI")
        kept = session is not None and self.store.has_autosave_of(session)
        self.show_over_title(ErrorScreen(*failure_text(err, kept, report)))

    # -- actions (keys and command palette) --
    def action_new_game(self) -> None:
        from .screens.picker import PickerScreen

        self.show_over_title(PickerScreen())

    def action_continue_game(self) -> None:
        self.load_slot(None, latest=True)

    @work(thread=True, exclusive=True, group="load")
    def action_load(self) -> None:
        """List the slots in a worker (it reads every save), then offer them."""
        from ..saves import SaveError
        from .screens.slots import LoadScreen

        self.flush_saves()
        try:
            slots = self.store.list()
        except SaveError as err:
            self.call_from_thread(self.notify, str(err), severity="error")
            return
        self.call_from_thread(self.push_screen, LoadScreen(slots), self.load_slot)

    @work(thread=True, exclusive=True, group="load")
    def load_slot(self, slot: str | None, latest: bool = False) -> None:
        """Load a slot (or, with ``latest``, the newest autosave) in a worker: reading the story
        and replaying the save are slow; the game opens on the UI thread when they are done."""
        from ..saves import SaveError

        if latest:
            info = self.latest_autosave()
            if info is None:
                self.call_from_thread(self.notify, "No autosave yet: start a new game.")
                return
            slot = info.slot
        if slot is None:
            return
        from ..tools.results import started_of

        try:
            result = self.store.load(self.read_story(), slot)
        except SaveError as err:
            self.call_from_thread(self.notify, str(err), title="Could not load", severity="error", timeout=10)
            return
        self.call_from_thread(self.open_session, result.session, result.notice,
                              started_of(self.store.path_for(slot)))

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
            self.push_screen(HelpScreen(scenario.tactics, scenario.concepts, scenario.sources, scenario.skills))
        else:
            self.with_story(lambda library: self.push_screen(
                HelpScreen(library.tactics, library.concepts, library.sources, library.skills)))

    def action_set_theme(self, key: str) -> None:
        self.theme_key = key
        self.theme = THEMES[key]

    def action_cycle_theme(self) -> None:
        keys = list(THEMES)
        self.action_set_theme(keys[(keys.index(self.theme_key) + 1) % len(keys)])
        self.notify(f"Theme: {self.theme_key}", timeout=2)
