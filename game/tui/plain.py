"""Plain mode: the same session, line by line on stdin/stdout, for screen readers and dumb terminals.

Reads one answer per line, so it also plays from a piped file. End of input
stops cleanly; the autosave written after each choice keeps the progress.
"""
from __future__ import annotations

import sys
import textwrap

from ..crash import write_report
from ..engine import EngineError, Session, presentation
from ..plaintext import narrative_lines, sections_lines, width, wrap
from ..recognize import MAX_CHARS
from ..saves import SaveError
from ..text_safety import clean
from . import present
from .best_scores import BestScores


class Plain:
    def __init__(self, store, stdin=None, stdout=None, reader=None, trainee: str = "trainee"):
        self.store = store
        self.reader = reader  # the free-text reader: when set, the trainee types lines instead of numbers
        self.trainee = trainee
        self.stdin = stdin or sys.stdin
        self.stdout = stdout or sys.stdout
        self.echo = not self.stdin.isatty()
        self.misses = 0  # lines of this round the game could not read: who asks again takes turns

    def say(self, text: str = "") -> None:
        """Print ``text``, folding any line wider than the terminal (indented lines keep their indent).
        Author text never drives the terminal (``clean``)."""
        columns = width()
        lines = [line if len(line) <= columns else
                 textwrap.fill(line.strip(), columns, initial_indent=line[: len(line) - len(line.lstrip())],
                               subsequent_indent=line[: len(line) - len(line.lstrip())] + "  ")
                 for line in clean(text).split("\n")]
        print("\n".join(lines), file=self.stdout, flush=True)

    def ask(self, prompt: str) -> str | None:
        """One line of input, or None at end of input."""
        self.stdout.write(prompt)
        self.stdout.flush()
        line = self.stdin.readline()
        if not line:
            self.say()
            return None
        if self.echo:
            self.say(line.rstrip("\n"))
        return line.strip()

    def pick_scenario(self, library):
        playable = [library.scenarios[k] for k in sorted(library.scenarios)]
        if not playable:
            self.say("No playable scenario found. Run 'offramp validate' to see why.")
            return None
        self.say("Scenarios:")
        for number, scenario in enumerate(playable, 1):
            self.say(f"  {number}. {scenario.title} ({scenario.difficulty}, about {scenario.minutes} min)")
        while True:
            answer = self.ask(f"Scenario (1-{len(playable)}, q to quit): ")
            if answer is None or answer.lower() in ("q", "quit"):
                return None
            if answer.isdigit() and 1 <= int(answer) <= len(playable):
                return playable[int(answer) - 1]
            matches = [s for s in playable if s.id == answer]
            if matches:
                return matches[0]
            self.say(f"Please type a number from 1 to {len(playable)}.")

    def beats(self, beats, mode: str) -> None:
        for line in narrative_lines(presentation.narrative(beats, mode), width()):
            self.say(line)

    def choices(self, session, mode: str) -> list:
        options = session.playable_choices()
        self.say("Your options:")
        for number, choice in enumerate(options, 1):
            self.say(textwrap.fill(f"{number}. {session.render(choice.text)}", width(),
                                   initial_indent="  ", subsequent_indent="     "))
            if mode == "training" and choice.tags:
                self.say(f"     tactics: {', '.join(presentation.tactic_names(session.scenario, choice.tags))}")
        return options

    def play(self, session: Session, mode: str, policy=None) -> int:
        """Play to the end; ``policy`` (the doctrine's) lets the debrief replay the trainee's decisions."""
        from ..tools import results

        self.started = results.now()
        self.say(f"{session.scenario.title} ({mode} mode, seed {session.seed})")
        self.beats(session.beats, mode)
        try:
            return self._play(session, mode, policy)
        except Exception as err:  # noqa: BLE001 - a story error or a bug: a message and a report, no traceback
            report = None if isinstance(err, EngineError) else write_report(err, "playing in plain mode")
            title, body = present.failure_text(err, self.store.has_autosave_of(session), report)
            self.say(f"\n{title}.")
            self.say(wrap(body))
            return 1

    def _play(self, session: Session, mode: str, policy=None) -> int:
        from ..tools import results

        while not session.ended:
            if self.reader is not None:
                picked = self.spoken(session, mode)
            else:
                picked = self.numbered(session, mode)
            if picked is None:
                self.say("Stopped. Your progress is in the autosave; 'offramp' then Continue picks it up.")
                return 0
            choice, said = picked
            if choice is None:
                continue
            new = session.choose(choice.id, said=said)
            self.beats(new, mode)
            if mode == "training":
                self.say(wrap(f"Coach: {present.coach_line(session)}"))
                self.say()
            self.autosave(session)
        BestScores(self.store.directory).record(session)
        try:
            results.record_game(self.store.directory, session, trainee=self.trainee, mode=mode,
                                started=self.started)
        except OSError as err:
            print(f"offramp: could not record the result: {err}", file=sys.stderr)
        for line in sections_lines(f"Debrief: {session.scenario.title}", presentation.debrief(session, policy=policy),
                                   width()):
            self.say(line)
        return 0

    def numbered(self, session, mode: str):
        """(choice, None) from a number or an id; (None, None) to ask again; None to stop."""
        options = self.choices(session, mode)
        answer = self.ask(f"Your choice (1-{len(options)}, q to quit): ")
        if answer is None or answer.lower() in ("q", "quit"):
            return None
        choice = _match(answer, options)
        if choice is None:
            self.say(f"'{answer}' is not one of the options; type a number from 1 to {len(options)}.")
        return choice, None

    def spoken(self, session, mode: str):
        """(choice, line) from a line in the trainee's own words; (None, None) to ask again; None to stop.

        Assessment mode says a readable line at once and shows nothing of the reading. Training
        mode shows how the line was read and the open moves that share a tactic with it, the
        one it was read as first: Enter says it as that one, a number as another, and a new
        line is read instead. What is said is the move picked, in the trainee's words."""
        answer = self.ask("Say it in your own words (q to quit): ")
        while True:
            if answer is None or answer.lower() in ("q", "quit"):
                return None
            answer, cut = present.typed_line(answer)
            if cut:
                self.say(f"(Only the first {MAX_CHARS} characters were heard.)")
            readings = self.reader.read(answer, session.last_words())
            heard = session.hear(answer, [(r.tag, r.confidence) for r in readings])
            names = " + ".join(presentation.tactic_names(session.scenario, heard.tags))
            if heard.choice is None:
                who, words = present.puzzled(session, self.misses)
                self.misses += 1
                self.say(wrap(f"{who}: \"{words}\""))
                if mode == "training":
                    self.say(wrap(f"Coach: {heard.reason}" + (f" (read as: {names})." if names else ".")
                                  + (" Pick the move you meant, or put it another way." if heard.near
                                     else " Put it another way.")))
                if mode != "training" or not heard.near:
                    return None, None
            elif mode != "training":
                self.misses = 0
                return heard.choice, answer
            else:
                self.say(f"Read as: {names or 'no tactic'}.")
            picked = self.pick_reading(session, heard)
            if picked is None or isinstance(picked, str):
                answer = picked  # stop, or read the line typed instead
                continue
            self.misses = 0
            return picked, answer

    def pick_reading(self, session, heard):
        """The move a line is said as, from the numbered moves it may be read as: a choice, the
        new line typed instead (a str), or None to stop."""
        near = list(heard.near)
        for number, choice in enumerate(near, 1):
            names = " + ".join(presentation.tactic_names(session.scenario, choice.tags)) or "a plain move"
            self.say(textwrap.fill(f"{number}. {names}: {session.render(choice.text)}", width(),
                                   initial_indent="  ", subsequent_indent="     "))
        others = f", {_span(2, len(near))} to say it as another" if len(near) > 1 else ""
        prompt = (f"Enter to say it as 1{others}, or type the line again (q to quit): " if heard.choice is not None
                  else f"Type {_span(1, len(near))} to say it as that move, or the line again (q to quit): ")
        while True:
            answer = self.ask(prompt)
            if answer is None or answer.lower() in ("q", "quit"):
                return None
            if answer == "" and heard.choice is not None:
                return heard.choice
            if answer.isdigit():
                if 1 <= int(answer) <= len(near):
                    return near[int(answer) - 1]
                self.say(f"There is no reading {answer}; type {_span(1, len(near))}, or the line again.")
                continue
            if answer:
                return answer
            self.say(f"Nothing was read as a move: type {_span(1, len(near))}, or the line again.")

    def may_replace_autosave(self, scenario_id: str) -> bool:
        """A new game replaces the scenario's autosave: ask first when it holds a game in progress."""
        info = self.store.game_in_progress(scenario_id)
        if info is None:
            return True
        when = (info.saved_at or "?").replace("T", " ").replace("Z", " UTC")
        self.say(f"Your game of {scenario_id} is in progress (round {info.round}, saved {when}).")
        answer = self.ask("Start a new game and replace its autosave? (y/N): ")
        if answer is not None and answer.lower() in ("y", "yes"):
            return True
        self.say("Kept. Continue it with 'offramp', then Continue.")
        return False

    def autosave(self, session) -> None:
        try:
            self.store.autosave(session)
        except SaveError as err:
            print(f"offramp: could not autosave: {err}", file=sys.stderr)


def _match(answer: str, options):
    if answer.isdigit() and 1 <= int(answer) <= len(options):
        return options[int(answer) - 1]
    return next((c for c in options if c.id == answer), None)


def _span(first: int, last: int) -> str:
    return str(first) if first == last else f"{first}-{last}"
