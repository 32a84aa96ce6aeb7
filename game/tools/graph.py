"""The round graph of a scenario as Mermaid or Graphviz DOT, for authors and reviewers.

Rounds are boxes, choices are edges labelled with their id and tactic tags, routes are
diamonds whose edges carry their conditions, and endings are styled by outcome kind so
a reviewer sees at a glance where good and bad play lead.
"""
from __future__ import annotations

import json
import re

FORMATS = ("mermaid", "dot")
# fill colour per outcome kind: greens for settlements, greys for stand-offs, reds for failures
OUTCOME_COLOURS = {
    "durable_settlement": "#b7e4c7",
    "fragile_ceasefire": "#fff3b0",
    "walk_away": "#cfe1f2",
    "stalemate": "#dddddd",
    "capitulation": "#f4b6b6",
    "escalation": "#e57373",
}


def _node_id(kind: str, ident: str) -> str:
    # Mermaid reads a lowercase "end" as a keyword, so ending nodes are capitalised
    # and ids may use both "-" and "_": "_" doubles so "a-b" and "a_b" stay apart
    safe = re.sub(r"[^a-zA-Z0-9_]", "_", ident.replace("_", "__"))
    return f"{kind.capitalize() if kind == 'end' else kind}_{safe}"


def edges(scenario):
    """(source, target, label, dashed) for every arrow: choices, route entries, triggers, catastrophe."""
    def target(name):
        if name in scenario.routes:
            return _node_id("route", name)
        return _node_id("end" if name in scenario.endings else "round", name)

    out = []
    for round_ in scenario.rounds.values():
        for choice in round_.choices:
            label = choice.id + (f" [{', '.join(choice.tags)}]" if choice.tags else "")
            if choice.cond is not None:
                label += f" if {choice.cond.source}"
            out.append((_node_id("round", round_.id), target(choice.goto), label, False))
    for name, entries in scenario.routes.items():
        for cond, dest in entries:
            out.append((_node_id("route", name), target(dest), f"if {cond.source}" if cond else "otherwise", False))
    for cond, dest in scenario.triggers:
        out.append(("any_round", target(dest), f"trigger: {cond.source}" if cond else "trigger", True))
    if scenario.catastrophe:
        out.append(("any_round", target(scenario.catastrophe), "catastrophe roll", True))
    return out


def nodes(scenario):
    """(node id, label, shape, outcome kind or None)."""
    out = [(_node_id("round", r.id), f"{r.title}\n({r.id})", "round", None) for r in scenario.rounds.values()]
    out += [(_node_id("route", name), name, "route", None) for name in scenario.routes]
    out += [(_node_id("end", e.id), f"{e.title}\n({e.id}: {e.outcome})", "ending", e.outcome)
            for e in scenario.endings.values()]
    if scenario.triggers or scenario.catastrophe:
        out.append(("any_round", "any round", "any", None))
    return out


def _mermaid_text(text: str) -> str:
    return '"' + text.replace('"', "#quot;").replace("\n", "<br/>") + '"'


def mermaid(scenario) -> str:
    lines = ["flowchart TD", f"  %% {scenario.title} ({scenario.id})"]
    shapes = {"round": ("[", "]"), "route": ("{", "}"), "ending": ("([", "])"), "any": ("[/", "/]")}
    for ident, label, shape, outcome in nodes(scenario):
        left, right = shapes[shape]
        lines.append(f"  {ident}{left}{_mermaid_text(label)}{right}" + (f":::{outcome}" if outcome else ""))
    start = _node_id("round", scenario.start)
    lines.append(f"  start((start)) --> {start}")
    for src, dst, label, dashed in edges(scenario):
        arrow = "-.->" if dashed else "-->"
        lines.append(f"  {src} {arrow}|{_mermaid_text(label)}| {dst}")
    for outcome, colour in OUTCOME_COLOURS.items():
        lines.append(f"  classDef {outcome} fill:{colour},stroke:#333")
    return "\n".join(lines) + "\n"


def _dot_text(text: str) -> str:
    return json.dumps(text).replace("\\n", "\\n")  # JSON string escapes are valid DOT escapes


def dot(scenario) -> str:
    lines = [f"digraph {_dot_text(scenario.id)} {{", "  rankdir=TB;", '  node [fontname="Helvetica"];',
             f"  label={_dot_text(scenario.title)};", '  start [shape=circle, label="start"];']
    shapes = {"round": "shape=box", "route": "shape=diamond", "any": "shape=parallelogram, style=dashed"}
    for ident, label, shape, outcome in nodes(scenario):
        style = (f'shape=ellipse, style=filled, fillcolor="{OUTCOME_COLOURS.get(outcome, "#ffffff")}"'
                 if shape == "ending" else shapes[shape])
        lines.append(f"  {ident} [{style}, label={_dot_text(label)}];")
    lines.append(f"  start -> {_node_id('round', scenario.start)};")
    for src, dst, label, dashed in edges(scenario):
        lines.append(f"  {src} -> {dst} [label={_dot_text(label)}{', style=dashed' if dashed else ''}];")
    lines.append("}")
    return "\n".join(lines) + "\n"


def render(scenario, fmt: str) -> str:
    return mermaid(scenario) if fmt == "mermaid" else dot(scenario)
