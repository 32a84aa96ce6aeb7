"""A whole session written out for an instructor, as Markdown or as one HTML file.

The session is first turned into a short list of neutral blocks (headings, speech,
the choice taken with its tactics, notes, tables); each format then only decides
how a block looks, so Markdown and HTML always say the same thing.
"""
from __future__ import annotations

import html
from dataclasses import dataclass, field

from ..engine.debrief import build as build_debrief
from ..engine.debrief import describe_condition

FORMATS = ("md", "html")
SCORE_ROWS = (("empathy", "Tactical empathy"), ("brinkmanship", "Brinkmanship"), ("offramps", "Off-ramps"),
              ("discipline", "Discipline penalty"), ("outcome", "Outcome"), ("total", "Total"))


@dataclass
class Block:
    kind: str  # title, meta, heading, para, speech, choice, notes, table
    text: str = ""
    who: str = ""
    style: str = ""  # a CSS class in HTML: narration, event, line, move, reaction, ending
    items: list = field(default_factory=list)
    rows: list = field(default_factory=list)


def render(session, fmt: str) -> str:
    """The transcript of ``session`` as Markdown (``md``) or self-contained HTML (``html``)."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown transcript format {fmt!r}; use one of {', '.join(FORMATS)}")
    blocks = _story_blocks(session) + _debrief_blocks(session)
    return _markdown(blocks) if fmt == "md" else _html(blocks, session.scenario.title)


# -- what the transcript says --

def _story_blocks(session) -> list[Block]:
    scenario = session.scenario
    if session.ended:
        status = f"ended: {scenario.endings[session.ending].title} ({scenario.outcomes[session.outcome].title})"
    else:
        status = f"not finished, at round {session.round_id!r} ({session.round.title})"
    blocks = [
        Block("title", f"Transcript: {scenario.title}"),
        Block("meta", items=[("Scenario", f"{scenario.id} (version {scenario.content_hash})"),
                             ("Seed", str(session.seed)), ("Choices made", str(len(session.history))),
                             ("Result", status)]),
    ]
    notes_due = None  # the turn whose reactions still need their explanations
    for beat in session.beats:
        if beat.kind in ("round", "ending") and notes_due is not None:
            blocks += _reaction_notes(session, notes_due)
            notes_due = None
        if beat.kind == "round":
            blocks.append(Block("heading", f"Round {beat.turn + 1}: {beat.text}"))
        elif beat.kind == "ending":
            blocks.append(Block("heading", f"Ending: {beat.text}", style="ending"))
        elif beat.kind == "you":
            blocks.append(_choice_block(session, beat))
            notes_due = beat.turn
        elif beat.kind == "reaction":
            blocks.append(Block("speech", beat.text, who=f"{beat.name} reacts", style="reaction"))
        elif beat.kind == "move":
            blocks.append(Block("speech", beat.text, who=f"{beat.name} (a move of their own)", style="move"))
        elif beat.kind == "line":
            blocks.append(Block("speech", beat.text, who=beat.name, style="line"))
        else:  # narration, events and anything newer read as narration
            blocks.append(Block("para", beat.text, style=beat.kind))
    if notes_due is not None:
        blocks += _reaction_notes(session, notes_due)
    return blocks


def _choice_block(session, beat) -> Block:
    scenario = session.scenario
    round_id, choice_id = session.history[beat.turn - 1]
    choice = scenario.rounds[round_id].by_id[choice_id]
    scored = {e["tag"]: e for e in session.ledger if e["turn"] == beat.turn and e["tag"]}
    tactics = []
    for tag in choice.tags:
        tactic = scenario.tactics.get(tag)
        entry = scored.get(tag)
        points = f"{entry['points']:+g} {entry['skill']}" if entry else "no points"
        why = entry["why"] if entry and entry["why"] else ""
        tactics.append(f"{tactic.name if tactic else tag} ({tag}): {points}" + (f". {why}" if why else ""))
    return Block("choice", beat.text, who=choice_id, items=tactics or ["no tactic tags"])


def _reaction_notes(session, turn: int) -> list[Block]:
    scenario = session.scenario
    roles = {actor.id: actor.role for actor in scenario.actors}
    notes = []
    for event in session.log:
        if event["turn"] == turn and event["type"] == "reaction" and event.get("why"):
            role = roles.get(event["actor"], "board")
            who = "The situation" if role == "board" else scenario.speakers.get(role, event["actor"])
            notes.append(f"{who} ({event['reaction']}): {event['why']}")
    return [Block("notes", "Why the room moved", items=notes)] if notes else []


def _debrief_blocks(session) -> list[Block]:
    report = build_debrief(session)
    blocks = [Block("heading", "Debrief" if session.ended else "Debrief so far (the session has not ended)")]
    ending = report["ending"]
    if ending:
        outcome = session.scenario.outcomes[ending["outcome"]].title
        blocks.append(Block("para", f"Outcome: {ending['title']} ({outcome}). "
                                    f"Concept: {_concept_ref(ending['concept'])}.", style="outcome"))
    scores = report["scores"]
    blocks.append(Block("table", "Scores", items=["Score", "Points"],
                        rows=[[label, f"{scores[key]:g}"] for key, label in SCORE_ROWS]))
    if report["structure"]:
        blocks.append(Block("notes", "Under the talks, at the end",
                            items=[describe_condition(item) for item in report["structure"]]))
    if report["closed"]:
        blocks.append(Block("notes", "Choices that were closed to the trainee", items=[
            f"Round {c['turn']} ({c['round']}): {c['choice']} ({c['text']}), needed: {c['needs']}"
            for c in report["closed"]]))
    blocks.append(Block("notes", "Turning points", items=[
        f"Round {p['turn']} ({p['round']}), choice {p['choice']}: {p['why']} [{_concept_ref(p['concept'])}]"
        for p in report["turning_points"]] or ["none: no single move swung the board sharply"]))
    blocks.append(Block("notes", "Missed opportunities", items=[
        f"Round {m['turn']} ({m['round']}): instead of {m['taken']}, {m['best']} ({m['best_text']}) "
        f"{m['why']} [{_concept_ref(m['concept'])}]" for m in report["missed"]] or ["none"]))
    curves = [[name, " > ".join(f"{v:g}" for v in values if v is not None)]
              for name, values in report["curves"].items() if any(v is not None for v in values)]
    if curves:
        blocks.append(Block("table", "How the board moved (start to end)", items=["Value", "After each choice"],
                            rows=curves))
    if report["lessons"]:
        blocks.append(Block("notes", "Concepts this session touched", items=[
            f"{_concept_ref(c)}: {c['summary']}" for c in report["lessons"]]))
    return blocks


def _concept_ref(concept: dict) -> str:
    source = concept.get("source") or {}
    cite = ", ".join(str(source[k]) for k in ("author", "title") if source.get(k))
    return f"{concept['title']} ({cite})" if cite else concept["title"]


# -- Markdown --

def _md_text(text: str) -> str:
    """Prose as Markdown: '<' is escaped so story text can never become live HTML."""
    return text.replace("&", "&amp;").replace("<", "&lt;")


def _md_cell(text: str) -> str:
    return _md_text(text).replace("|", "\\|").replace("\n", " ")


def _markdown(blocks: list[Block]) -> str:
    out: list[str] = []
    for block in blocks:
        if block.kind == "title":
            out.append(f"# {_md_text(block.text)}")
        elif block.kind == "meta":
            out.append("\n".join(f"- **{k}:** {_md_text(v)}" for k, v in block.items))
        elif block.kind == "heading":
            out.append(f"## {_md_text(block.text)}")
        elif block.kind == "para":
            text = _md_text(block.text)
            out.append(f"*{text.strip()}*" if block.style == "event" else text)
        elif block.kind == "speech":
            out.append(f"**{_md_text(block.who)}:** {_md_text(block.text)}")
        elif block.kind == "choice":
            tactics = "\n".join(f"  - {_md_text(t)}" for t in block.items)
            said = _md_text(block.text).replace("\n", "\n> ")
            out.append(f"> **You chose** `{block.who}`: {said}\n\n- Tactics:\n{tactics}")
        elif block.kind == "notes":
            out.append(f"**{_md_text(block.text)}**\n\n" + "\n".join(f"- {_md_text(i)}" for i in block.items))
        elif block.kind == "table":
            header = "| " + " | ".join(_md_cell(h) for h in block.items) + " |"
            rule = "|" + "---|" * len(block.items)
            rows = "\n".join("| " + " | ".join(_md_cell(c) for c in row) + " |" for row in block.rows)
            out.append(f"**{_md_text(block.text)}**\n\n{header}\n{rule}\n{rows}")
    return "\n\n".join(out) + "\n"


# -- HTML --

CSS = """
body { font: 16px/1.55 Georgia, "Times New Roman", serif; color: #1d232b; background: #fbfaf7;
       max-width: 46rem; margin: 2rem auto; padding: 0 1rem; }
h1, h2, h3 { font-family: "Helvetica Neue", Arial, sans-serif; line-height: 1.25; }
h2 { border-bottom: 1px solid #d8d3c8; padding-bottom: .2rem; margin-top: 2.2rem; }
h2.ending { color: #7a2e12; }
dl.meta { display: grid; grid-template-columns: max-content 1fr; gap: .2rem 1rem; }
dl.meta dt { font-weight: bold; }
dl.meta dd { margin: 0; }
p.event { font-style: italic; color: #5a4a2a; }
.speech { margin: .6rem 0; }
.speech .who { font-weight: bold; }
.speech.reaction { border-left: 3px solid #a8552c; padding-left: .7rem; }
.speech.move { border-left: 3px solid #55657a; padding-left: .7rem; }
.choice { background: #eef3f8; border: 1px solid #c4d3e3; border-radius: 4px; padding: .6rem .9rem; margin: 1rem 0; }
.choice code { font-size: .9em; }
.notes h3, .table h3 { font-size: 1rem; margin-bottom: .3rem; }
.notes ul { margin-top: .2rem; }
table { border-collapse: collapse; }
th, td { border: 1px solid #d8d3c8; padding: .25rem .6rem; text-align: left; vertical-align: top; }
@media print { body { background: #fff; } }
"""


def _esc(text: str) -> str:
    return html.escape(text, quote=True)


def _paragraphs(text: str, css: str = "") -> str:
    attr = f' class="{_esc(css)}"' if css else ""
    parts = [p.strip() for p in text.split("\n\n") if p.strip()] or [""]
    return "\n".join(f"<p{attr}>{_esc(p)}</p>" for p in parts)


def _html(blocks: list[Block], title: str) -> str:
    body: list[str] = []
    for block in blocks:
        if block.kind == "title":
            body.append(f"<h1>{_esc(block.text)}</h1>")
        elif block.kind == "meta":
            body.append('<dl class="meta">' + "".join(f"<dt>{_esc(k)}</dt><dd>{_esc(v)}</dd>"
                                                       for k, v in block.items) + "</dl>")
        elif block.kind == "heading":
            css = f' class="{block.style}"' if block.style else ""
            body.append(f"<h2{css}>{_esc(block.text)}</h2>")
        elif block.kind == "para":
            body.append(_paragraphs(block.text, block.style))
        elif block.kind == "speech":
            body.append(f'<div class="speech {_esc(block.style)}"><span class="who">{_esc(block.who)}:</span> '
                        f"{_esc(block.text)}</div>")
        elif block.kind == "choice":
            tactics = "".join(f"<li>{_esc(t)}</li>" for t in block.items)
            body.append(f'<div class="choice"><p><strong>You chose</strong> <code>{_esc(block.who)}</code>: '
                        f"{_esc(block.text)}</p><ul class=\"tactics\">{tactics}</ul></div>")
        elif block.kind == "notes":
            items = "".join(f"<li>{_esc(i)}</li>" for i in block.items)
            body.append(f'<div class="notes"><h3>{_esc(block.text)}</h3><ul>{items}</ul></div>')
        elif block.kind == "table":
            head = "".join(f"<th>{_esc(h)}</th>" for h in block.items)
            rows = "".join("<tr>" + "".join(f"<td>{_esc(c)}</td>" for c in row) + "</tr>" for row in block.rows)
            body.append(f'<div class="table"><h3>{_esc(block.text)}</h3>'
                        f"<table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table></div>")
    return ("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
            f"<title>Transcript: {_esc(title)}</title>\n<style>{CSS}</style>\n</head>\n<body>\n"
            + "\n".join(body) + "\n</body>\n</html>\n")
