"""Plain mode: the same session, line by line on stdin/stdout, for screen readers and dumb terminals.

Reads one answer per line, so it also plays from a piped file. End of input
stops cleanly; the autosave written after each choice keeps the progress.
"""
from __future__ import annotations

import sys
import textwrap

from ..crash import write_report
from ..engine import EngineError, Session, presentation
from ..plaintext import WIDTH, narrative_lines, sections_lines, wrap
from ..saves import SaveError
from ..text_safety import clean
from . import present
from .best_scores import BestScores


class Plain:
    def __init__(self, store, stdin=None, stdout=None):
        self.store = store
        self.stdin = stdin or sys.stdin
        self.stdout = stdout or sys.stdout
        self.echo = not self.stdin.isatty()

    def say(self, text: str = "") -> None:
        print(clean(text), file=self.stdout, flush=True)  # author text never drives the terminal

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
        for line in narrative_lines(presentation.narrative(beats, mode)):
            self.say(line)

    def choices(self, session, mode: str) -> list:
        options = session.playable_choices()
        self.say("Your options:")
        for number, choice in enumerate(options, 1):
            self.say(textwrap.fill(f"{number}. {session.render(choice.text)}", WIDTH,
                                   initial_indent="  ", subsequent_indent="     "))
            if mode == "training" and choice.tags:
                self.say(f"     tactics: {', '.join(presentation.tactic_names(session.scenario, choice.tags))}")
        return options

    def play(self, session: Session, mode: str) -> int:
        self.say(f"{session.scenario.title} ({mode} mode, seed {session.seed})")
        self.beats(session.beats, mode)
        try:
            return self._play(session, mode)
        except Exception as err:  # noqa: BLE001 - a story error or a bug: a message and a report, no traceback
            report = None if isinstance(err, EngineError) else write_report(err, "playing in plain mode")
            title, body = present.failure_text(err, self.store.has_autosave_of(session), report)
            self.say(f"\n{title}.")
            self.say(wrap(body))
            return 1

    def _play(self, session: Session, mode: str) -> int:
        while not session.ended:
            options = self.choices(session, mode)
            answer = self.ask(f"Your choice (1-{len(options)}, q to quit): ")
            if answer is None or answer.lower() in ("q", "quit"):
                self.say("Stopped. Your progress is in the autosave; 'offramp' then Continue picks it up.")
                return 0
            choice = _match(answer, options)
            if choice is None:
                self.say(f"'{answer}' is not one of the options; type a number from 1 to {len(options)}.")
                continue
            new = session.choose(choice.id)
            self.beats(new, mode)
            if mode == "training":
                self.say(wrap(f"Coach: {present.coach_line(session)}"))
                self.say()
            self.autosave(session)
        BestScores(self.store.directory).record(session)
        for line in sections_lines(f"Debrief: {session.scenario.title}", presentation.debrief(session)):
            self.say(line)
        return 0

    def autosave(self, session) -> None:
        try:
            self.store.autosave(session)
        except SaveError as err:
            print(f"offramp: could not autosave: {err}", file=sys.stderr)


def _match(answer: str, options):
    if answer.isdigit() and 1 <= int(answer) <= len(options):
        return options[int(answer) - 1]
    return next((c for c in options if c.id == answer), None)
