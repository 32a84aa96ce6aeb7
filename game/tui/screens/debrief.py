"""The debrief: the ending and why, the scores, how the room moved, and what to learn."""
from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.widgets import Footer, Sparkline, Static

from ...engine.debrief import build, describe_condition
from .. import bindings, present
from ..widgets.score_bar import ScoreBar
from .base import GameScreen


class DebriefScreen(GameScreen):
    CSS_PATH = "../styles/debrief.tcss"
    BINDINGS = bindings.DEBRIEF

    def __init__(self, session, mode: str):
        super().__init__()
        self.session, self.mode = session, mode
        self.report = build(session)

    def compose(self) -> ComposeResult:
        session, report = self.session, self.report
        yield Static(Content.from_markup("Debrief · $title", title=session.scenario.title), id="debrief-heading")
        with VerticalScroll(id="debrief-body"):
            yield from self._ending()
            yield Static("Scores", classes="section")
            scores = report["scores"]
            for key, label in present.SKILL_ROWS:
                yield ScoreBar(label, scores[key], id=f"score-{key}")
            yield ScoreBar("Discipline penalty", scores["discipline"], penalty=True, id="score-discipline")
            yield Static(Content.from_markup("Outcome points [b]$outcome[/b] · Total [b]$total[/b]",
                                             outcome=f"{scores['outcome']:g}", total=f"{scores['total']:g}"),
                         id="score-total")
            yield Static("How the room moved", classes="section")
            for key, label in present.CURVE_LABELS:
                values = [v for v in report["curves"].get(key, []) if v is not None]
                if values:
                    with Horizontal(classes="curve"):
                        yield Static(label, classes="curve-label")
                        yield Sparkline([float(v) for v in values], id=f"curve-{key}")
                        yield Static(f"{values[0]:g} → {values[-1]:g}", classes="curve-range")
            yield from self._points()
            yield from self._moves()
            if report["lessons"]:
                yield Static("Concepts this session touched", classes="section")
                yield Static(Content("\n\n").join(
                    Content.from_markup("[b]$ref[/b]\n$summary", ref=present.concept_ref(c), summary=c["summary"])
                    for c in report["lessons"]), classes="item", id="lessons")
        yield Footer()

    def _ending(self):
        ending = self.report["ending"]
        if ending is None:
            return
        outcome = self.session.scenario.outcomes[ending["outcome"]].title
        yield Static(Content.from_markup("[b]$title[/b] · $outcome", title=ending["title"], outcome=outcome),
                     id="ending-title")
        yield Static(Content(ending["text"]), id="ending-why")  # author text, never markup
        yield Static(Content.from_markup("Doctrine: $ref", ref=present.concept_ref(ending["concept"])),
                     classes="concept")

    def _points(self):
        session, report = self.session, self.report
        if report["structure"]:
            yield Static("Under the talks, at the end", classes="section")
            yield Static(Content("\n".join(describe_condition(item) for item in report["structure"])),
                         classes="item", id="structure")
        if report["closed"]:
            yield Static("Choices that were closed to you", classes="section")
            yield Static(Content("\n".join(present.closed_line(session, item) for item in report["closed"])),
                         classes="item", id="closed")  # plain Content: author text is never read as markup
        if report["turning_points"]:
            yield Static("Turning points", classes="section")
            yield Static(Content("\n\n").join(Content.from_markup(
                "[b]$where[/b] · you chose [i]$choice[/i]\n$why\n[dim]Concept: $ref[/]",
                where=present.round_ref(session, p["round"], p["turn"]), choice=p["choice"],
                why=p["why"], ref=present.concept_ref(p["concept"])) for p in report["turning_points"]),
                classes="item", id="turning-points")
        if report["missed"]:
            yield Static("Missed opportunities", classes="section")
            yield Static(Content("\n\n").join(Content.from_markup(
                "[b]$where[/b] · instead of [i]$taken[/i]:\n$best\n$why\n[dim]Concept: $ref[/]",
                where=present.round_ref(session, m["round"], m["turn"]), taken=m["taken"],
                best=m["best_text"], why=m["why"], ref=present.concept_ref(m["concept"])) for m in report["missed"]),
                classes="item", id="missed")

    def _moves(self):
        entries = [e for e in self.session.ledger if e["tag"] is not None and e["points"]]
        if not entries:
            return
        yield Static("Move by move", classes="section")
        scenario = self.session.scenario
        yield Static(Content("\n").join(Content.from_markup(
            "[b]$points[/b] $skill · round $turn, $name: $why", points=f"{e['points']:+g}", skill=e["skill"],
            turn=e["turn"], name=present.tactic_names(scenario, [e["tag"]])[0], why=e["why"]) for e in entries),
            classes="item", id="moves")

    # -- actions --
    def action_replay(self) -> None:
        self.app.start(self.session.scenario.id)

    def action_pick_another(self) -> None:
        self.app.action_new_game()

    def action_export(self) -> None:
        from ...tools.transcript import render
        from ...trainees import unique_path

        session = self.session
        written = []
        try:  # seed and a name taken exclusively: two exports never share a file
            first = unique_path(self.app.store.directory, f"{session.scenario.id}-seed{session.seed}", ".md")
            for fmt in ("md", "html"):
                path = first.with_suffix(f".{fmt}")
                with path.open("w" if fmt == "md" else "x", encoding="utf-8") as handle:
                    handle.write(render(session, fmt))
                written.append(path.name)
        except OSError as err:
            self.notify(f"Could not export the transcript: {err}", severity="error")
            return
        self.notify(f"Transcript written to {first.parent}: {', '.join(written)}")

    def action_leave(self) -> None:
        self.app.to_title()
