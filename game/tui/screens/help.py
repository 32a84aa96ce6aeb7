"""Help: the keys, and the tactics glossary with the doctrine concepts behind it."""
from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, Static

from ...engine.presentation import concept_ref
from .. import bindings, present

KEYS = (
    ("1-9", "pick the open choice with that number (or arrows and Enter, or click)"),
    ("PgUp/PgDn", "scroll the narrative while choosing"),
    ("s / w", "save in a named slot / write a playthrough file"),
    ("Ctrl+P", "command palette: every action by name"),
    ("Ctrl+T", "switch theme: dark, light, plain terminal"),
    ("Esc", "back"),
)


class HelpScreen(Screen):
    CSS_PATH = "../styles/help.tcss"
    BINDINGS = bindings.HELP

    def __init__(self, tactics: dict, concepts: dict, sources: dict, skills: dict):
        super().__init__()
        self.tactics, self.concepts, self.sources, self.skills = tactics, concepts, sources, skills

    def compose(self) -> ComposeResult:
        yield Static("Help · tactics glossary", classes="screen-title")
        with VerticalScroll(id="help-body"):
            yield Static("Keys", classes="section")
            yield Static(Content("\n").join(Content.from_markup("[b]$key[/b]  $what", key=f"{k:<10}", what=w)
                                           for k, w in KEYS), classes="item")
            for skill, tactics in present.glossary(self.tactics, self.skills):
                title = skill.title + (" (penalised)" if skill.score == "penalty" else "")
                yield Static(title, classes="section")
                yield Static(Content("\n\n").join(self._tactic(t) for t in tactics), classes="item")
            yield Static("Doctrine concepts", classes="section")
            yield Static(Content("\n\n").join(self._concept(c) for c in self.concepts.values()),
                         classes="item", id="concepts")
        yield Footer()

    def _tactic(self, tactic) -> Content:
        concept = self.concepts.get(tactic.concept, {})
        return Content.from_markup(
            "[b]$name[/b] [dim]($id)[/]\n$description\n[i]$hint[/i]\n[dim]Concept: $concept[/]",
            name=tactic.name, id=tactic.id, description=tactic.description, hint=tactic.hint,
            concept=concept.get("title", tactic.concept))

    def _concept(self, concept) -> Content:
        source = self.sources.get(concept.get("source"), {})
        ref = concept_ref({"title": concept["title"], "source": source})
        return Content.from_markup("[b]$ref[/b]\n$summary", ref=ref, summary=concept["summary"])
