"""``offramp new``: a small, valid scenario that teaches the format as it is read.

An instructor's first file should load, play and pass ``offramp explore`` before they
change a word, so every later error is one they just made. The comments say what each
part does and where to read more (offramp docs reference, offramp docs authoring).
"""
from __future__ import annotations

import re
from pathlib import Path

from ..engine.spec import ID
from ..errors import OfframpError
from . import jsonschema

TEMPLATE = '''\
{modeline}
# A new offramp scenario. Check it with:   offramp validate {filename}
# Play every path with:                    offramp explore {ident} --story {folder}
# The format: offramp docs reference. A walk-through: offramp docs authoring.
format: 1
kind: scenario
id: {ident}                   # ids are yours: saves and tests refer to them, so rename only on purpose
title: {title}
summary: >-
  One paragraph shown in the scenario list: who the trainee is, who sits
  across the table, and what this scenario teaches.
difficulty: introductory      # introductory | intermediate | advanced
minutes: 5
rules: standard               # the bundled board: credibility, escalation, outcomes and their points

cast:                         # role -> persona id; an adversary is required
  adversary: volkov           # the bundled President Volkov (story/personas/volkov.yaml)

variables:                    # your own values; the rules and personas declare the rest
  questions_asked:
    label: Questions asked
    initial: 0
    max: 5
    visible: true             # shown to the trainee from the start

issues:                       # what is on the table; indivisible issues cannot be split or traded
  sovereignty:
    label: Kalyna's sovereignty
    divisible: false

start: opening                # the first round

routes:                       # a named destination chosen by conditions, first match wins
  decide:                     # it can end the game, so it reads the talks as they stood BEFORE the
                              # choice that leads here: that choice's effects and the reactions it
                              # provokes come too late; only what it concedes counts at once
    - {{if: "conceded_indivisible > 0", goto: given-away}}
    - {{if: "rapport >= 15 and emotion < 60", goto: a-door-opens}}   # earned in the opening round
    - {{goto: no-deal}}         # the last entry has no condition: there is always a way on

rounds:
  opening:
    title: The first meeting
    text: >-
      Volkov arrives late and opens with a list of grievances.
    moves: false              # no persona move when this round opens
    lines:
      - speaker: adversary
        text: '"Why should I listen to anyone your capital sends?"'
      - speaker: narrator
        coach: true           # advice is coach material: training mode shows it, assessment hides it
        text: "A note from your aide: cool the room before you ask for anything."
    choices:
      - id: label-the-grievance
        text: '"It sounds like you feel nobody has taken your concerns seriously."'
        tags: [empathy.label]  # tactic tags drive scoring, persona reactions and the debrief
        hint: A label names the feeling without agreeing with the story.
        goto: the-ask
      - id: lecture-him
        text: Explain why his view of history is wrong.
        tags: [discipline.lecture]
        hint: A sermon persuades your own side, not the man across the table.
        goto: the-ask

  the-ask:
    title: The ask
    text: >-
      Volkov is listening now, or pretending to. Your credibility stands at {{credibility}}.
    lines:
      - speaker: adversary
        if: "emotion >= 60"                 # a line shown only while its condition holds
        text: '"Ask your question. I have a plane to catch."'
    choices:
      - id: ask-how
        text: '"How could a ceasefire look like something you chose?"'
        tags: [empathy.calibrated_question]
        effects: ["questions_asked += 1"]   # effects change values; bounds are applied after
        goto: decide                        # a goto can name a round, an ending or a route
      - id: offer-a-veto
        text: Offer him a say over Kalyna's alliances if he stops now.
        tags: [offramp.golden_bridge]
        concedes: [sovereignty]             # conceding an indivisible issue is scored as a lapse
        goto: decide
      - id: leave                           # no if: a choice that appears only in some states
        text: "Leave: the room is too hot for talks today."   # would tell the trainee the state
        tags: [walk_away]
        goto: no-deal

endings:
  a-door-opens:
    # outcome is one of: durable_settlement, fragile_ceasefire, capitulation, escalation, stalemate, walk_away
    outcome: durable_settlement
    title: A door opens
    text: >-
      He was heard before he was asked, and he answered. Nothing is signed, but
      the next meeting starts from a calmer place.
  no-deal:
    outcome: stalemate
    title: No deal today
    text: The talks end where they began; the war goes on for now.
  given-away:
    outcome: capitulation
    title: Given away
    text: >-
      A veto over a neighbour's choices is what he went to war for. It was not
      yours to give.
'''


class ScaffoldError(OfframpError, ValueError):
    """A bad scenario id or a file that already exists."""


def scenario_text(ident: str, modeline: str = "# yaml-language-server: $schema=schemas/scenario.json",
                  folder: str = ".") -> str:
    if not re.fullmatch(ID, ident):
        raise ScaffoldError(f"{ident!r} is not a valid scenario id: use lowercase letters, digits, '-' and '_', "
                            "starting with a letter (for example: first-meeting)")
    title = ident.replace("-", " ").replace("_", " ").capitalize()
    return TEMPLATE.format(ident=ident, title=title, filename=f"{folder}/{ident}.yaml", folder=folder,
                           modeline=modeline)


def write(ident: str, folder: Path) -> Path:
    """Write ``folder/ident.yaml`` and the schema its modeline names; never overwrites a scenario."""
    scenario_text(ident)  # refuses a bad id before anything is written
    path = folder / f"{ident}.yaml"
    if path.exists():
        raise ScaffoldError(f"{path} already exists; pick another id or remove the file")
    text = scenario_text(ident, jsonschema.modeline(path, "scenario"), str(folder))
    path.write_text(text, encoding="utf-8")
    return path
