"""The play screen: the narrative, the open choices, the state of the talks, and the coach."""
from __future__ import annotations

from textual import work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import Footer, Static

from .. import bindings, present
from ..widgets.choices import ChoiceList
from ..widgets.narrative import NarrativeLog
from ..widgets.say_box import SayBox
from ..widgets.state_panel import StatePanel
from .base import GameScreen


class PlayScreen(GameScreen):
    CSS_PATH = "../styles/play.tcss"
    BINDINGS = bindings.PLAY

    def __init__(self, session, mode: str, free_text: bool = False):
        super().__init__()
        self.session, self.mode, self.free_text = session, mode, free_text
        self.misses = 0  # typed lines of this round the game could not read

    AUTO_FOCUS = "#choices"  # in free text it cannot take focus until the game ends; the line takes it when ready

    def compose(self) -> ComposeResult:
        session, mode = self.session, self.mode
        yield Static(self._header(), id="play-header")
        with Horizontal(id="play-body"):
            with Vertical(id="play-main"):
                yield NarrativeLog(session.beats, mode, id="log")
                coach = VerticalScroll(id="coach")
                coach.display = bool(self._coach_line())
                with coach:
                    yield Static(self._coach(), id="coach-text")
                choices = ChoiceList(session, mode, id="choices")
                if self.free_text:  # no menu of moves to copy from: only the debrief entry, once it ends
                    choices.display = choices.can_focus = session.ended
                    say_box = SayBox(session, mode, id="say-box")
                    say_box.display = not session.ended
                    yield say_box
                yield choices
            yield StatePanel(session, mode, id="state")
        yield Footer()

    def on_mount(self) -> None:
        if self.free_text and not self.session.ended:
            self._train_reader()

    @work(thread=True, exclusive=True, group="reader")
    def _train_reader(self) -> None:
        """The reader is trained on the story's corpus the first time (about a second), off the UI thread."""
        try:
            reader = self.app.free_text_reader(self.session.scenario.tactics)
        except (OSError, ValueError) as err:  # no corpus, or a broken line in it or in casual.txt
            self.app.call_from_thread(self.notify, f"Free text is not available: {err}", severity="error")
            return
        self.app.call_from_thread(self._reader_ready, reader)

    def _reader_ready(self, reader) -> None:
        """Hand the trained reader to the say box, on the UI thread; none is left to take it if the
        trainee left this screen while the reader was being trained."""
        for say_box in self.query(SayBox):
            say_box.ready(reader)

    def _header(self) -> Content:
        session = self.session
        return Content.from_markup("[b]$scenario[/b] · Round $n: $title", scenario=session.scenario.title,
                                   n=present.round_number(session), title=present.round_title(session))

    def _coach_line(self) -> str:
        return present.coach_line(self.session) if self.mode == "training" else ""

    COACH_LINES = 4  # the coach note keeps to this many lines, in whole sentences

    def _coach(self) -> Content:
        main = self.query("#play-main")
        width = main.first().content_region.width - 2 if main and main.first().content_region.width else 60
        line, shortened = present.whole_sentences(self._coach_line(), width, self.COACH_LINES, "Coach ")
        more = " [dim](the rest is in the debrief)[/]" if shortened else ""
        return Content.from_markup("[b]Coach[/b] $line" + more, line=line)

    def on_resize(self) -> None:
        for coach in self.query("#coach-text").results(Static):  # a resize may come before compose is done
            coach.update(self._coach())

    def refresh_view(self) -> None:
        self.query_one("#play-header", Static).update(self._header())
        self.query_one(StatePanel).show(self.session)
        choices = self.query_one(ChoiceList)
        choices.show(self.session)
        self.query_one("#coach-text", Static).update(self._coach())
        self.query_one("#coach").display = bool(self._coach_line())
        if self.free_text:
            say_box = self.query_one(SayBox)
            say_box.display = not self.session.ended
            choices.display = choices.can_focus = self.session.ended
            if self.session.ended:
                choices.focus()
            else:
                say_box.reset()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "pick" and self.free_text and not self.session.ended:
            return False  # in free text the moves are said, not picked by number
        return super().check_action(action, parameters)

    # -- choosing --
    def on_choice_list_picked(self, message: ChoiceList.Picked) -> None:
        self.choose(message.index)

    def action_pick(self, number: int) -> None:
        self.choose(number - 1)

    def choose(self, index: int) -> None:
        session = self.session
        if session.ended:
            self.action_debrief()
            return
        options = session.choices()
        if not 0 <= index < len(options):
            self.app.bell()
            return
        self.play(options[index].id)

    def play(self, choice_id: str, said: str | None = None) -> None:
        """Make a move (``said``: in the trainee's own words), show what followed, autosave."""
        session = self.session
        try:
            beats = session.choose(choice_id, said=said)
            session.playable_choices()  # the next round's conditions run now (and a stuck round shows)
        except Exception as err:  # noqa: BLE001 - a story error or a bug: the error screen, never a traceback
            self.app.show_error(err, session)
            return
        self.misses = 0
        self.query_one(NarrativeLog).add_beats(beats)
        self.app.autosave(session)
        if session.ended:
            self.app.game_finished(session, self.mode)
        self.refresh_view()

    # -- free text --
    def on_say_box_said(self, message: SayBox.Said) -> None:
        self.play(message.choice.id, said=message.text)

    def on_say_box_unheard(self, message: SayBox.Unheard) -> None:
        """A line that makes no open move is answered in the story; nothing advances."""
        who, words = present.puzzled(self.session, self.misses)
        self.misses += 1
        self.query_one(NarrativeLog).add_aside(who, words)

    # -- other actions --
    def action_debrief(self) -> None:
        if not self.session.ended:
            self.notify("The debrief opens when the session reaches an ending.")
            return
        from .debrief import DebriefScreen

        try:
            screen = DebriefScreen(self.session, self.mode)
        except Exception as err:  # noqa: BLE001
            self.app.show_error(err, self.session)
            return
        self.app.push_screen(screen)

    def action_save(self) -> None:
        from .slots import SaveScreen

        self.app.push_screen(SaveScreen(self.session))

    def action_write_playthrough(self) -> None:
        from ...tools.record import playthrough_yaml
        from ...trainees import unique_path

        session = self.session
        try:  # a name taken exclusively: two recordings in one second never overwrite each other
            path = unique_path(self.app.store.directory, f"{session.scenario.id}-seed{session.seed}",
                               ".playthrough.yaml")
            reader = self.query_one(SayBox).reader if self.free_text else None  # typed moves as say: steps
            path.write_text(playthrough_yaml(session, reader=reader), encoding="utf-8")
        except OSError as err:
            self.notify(f"Could not write the playthrough: {err}", severity="error")
            return
        self.notify(f"Playthrough written to {path}")

    def action_scroll_log(self, direction: int) -> None:
        for log in self.query(NarrativeLog):  # none while the screen is still being built or torn down
            log.scroll_page_down(animate=False) if direction > 0 else log.scroll_page_up(animate=False)

    def action_leave(self) -> None:
        self.app.to_title()
