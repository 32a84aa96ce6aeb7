"""The after-action review: what each move earned or cost, and why.

Built from a session's ledger, log and step records, so every point and every
lesson points back to a choice id and a doctrine concept with its source.
"""
from __future__ import annotations

import io
import tokenize
from collections import Counter
from collections.abc import Mapping
from typing import Any

from .counterfactual import counterfactuals
from .model import Policy, Scenario
from .rating import rate
from .session import Session
from .text import show

Record = dict[str, Any]  # one part of the debrief, as data (offramp run --json prints them)

TURNING_POINT_MIN_SWING = 15  # weighted change (variables' ``swing``) that makes a step a turning point
MISSED_MIN_GAP = 6


def _concept(scenario: Scenario, concept_id: str) -> Record:
    concept = scenario.concepts.get(concept_id)
    if concept is None:
        return {"id": concept_id, "title": concept_id, "summary": "", "source": None}
    source = scenario.sources.get(concept["source"], {})
    return {"id": concept_id, "title": concept["title"], "summary": concept["summary"],
            "source": {"id": concept["source"], **source}}


def build(session: Session, policy: Policy | None = None) -> Record:
    """The debrief of a finished session. With ``policy`` (a sound player, such as the doctrine's),
    missed opportunities also come from counterfactuals: the game forked at each decision and
    played on both ways (see counterfactual.py)."""
    scenario = session.scenario
    ending = scenario.endings.get(session.ending) if session.ending else None
    by_skill: dict[str, list[Record]] = {}
    for entry in session.ledger:
        by_skill.setdefault(entry["skill"], []).append(entry)
    concepts_used = Counter(e["concept"] for e in session.ledger if e["points"])
    return {
        "scenario": scenario.id,
        "ending": None if ending is None else {
            "id": ending.id, "outcome": ending.outcome, "title": ending.title,
            "text": session.render(ending.text), "concept": _concept(scenario,
                                                                     scenario.outcomes[ending.outcome].concept),
        },
        "cause": cause(session),
        "scores": session.scores(),
        "max_total": max_total(scenario),
        "points": {skill: {"earned": round(sum(e["points"] for e in by_skill.get(skill, [])), 1),
                           "available": round(par, 1)}
                   for skill, par in session.points_available().items()},
        "by_skill": by_skill,
        "structure": structure(session),
        "closed": closed_choices(session),
        "turning_points": turning_points(session),
        "missed": missed_opportunities(session),
        "counterfactuals": counterfactuals(session, policy) if policy is not None and session.ended else [],
        "curves": curves(session),
        "lessons": [_concept(scenario, cid) for cid, _ in concepts_used.most_common()],
    }


def structure(session: Session) -> list[Record]:
    """The conditions under the talks when the ending was decided (ripeness, enforcement, the
    feint...): each derived value of the rules, its rule, and the values it read, so the trainee
    sees which condition held a deal up or let it fail. A signature or a walk-out is judged on the
    talks as they stood when it was chosen, so that is the moment shown."""
    scenario, values = session.scenario, session.decided_values()
    out = []
    for name, compiled in scenario.derived.items():
        inputs = {n: values[n] for n in sorted(compiled.names) if n in scenario.vars}
        out.append({"name": name, "rule": compiled.source, "value": values[name], "inputs": inputs,
                    "labels": {n: scenario.vars[n].label for n in inputs}})
    return out


_OPERATORS = {">=": "at least", "<=": "at most", ">": "above", "<": "below", "==": "equal to", "!=": "not"}


def plain_condition(scenario: Scenario, source: str, values: Mapping[str, Any]) -> str:
    """A rule in plain words, each name by its label and with the value it had:
    'emotion >= 95 and rapport <= 0' -> 'emotion (100) at least 95 and rapport (0) at most 0'."""
    words = []
    try:
        tokens = list(tokenize.generate_tokens(io.StringIO(source).readline))
    except (tokenize.TokenError, SyntaxError):
        return source
    for token in tokens:
        text = token.string
        if token.type == tokenize.NAME and text in scenario.vars:
            label = (scenario.vars[text].label or text).lower()
            words.append(f"{label} ({show(values[text])})" if text in values else label)
        elif token.type == tokenize.NAME and text in scenario.derived:
            words.append(f"{text.replace('_', ' ')} ({show(values[text])})" if text in values else text)
        elif token.type == tokenize.NAME and text in _BUILTIN_WORDS:
            words.append(_BUILTIN_WORDS[text])
        elif token.type == tokenize.STRING and text.strip("'\"") in scenario.tactics:
            words.append(f"'{scenario.tactics[text.strip(chr(39) + chr(34))].name}'")
        elif token.type == tokenize.OP and text in _OPERATORS:
            words.append(_OPERATORS[text])
        elif token.type == tokenize.OP and text in "(),":
            words.append(text)
        elif text.strip():
            words.append(text.replace("_", " "))
    return " ".join(words).replace("( ", "(").replace(" )", ")").replace(" ,", ",")


_BUILTIN_WORDS = {"conceded_indivisible": "indivisible issues given away",
                  "split_indivisible": "offers to split an indivisible issue", "count": "times you played",
                  "has": "this move is", "turn": "moves made"}


def max_total(scenario: Scenario) -> float:
    """The best total a game could reach: full marks in every skill, no penalty, the best ending."""
    best = max((scenario.outcomes[e.outcome].points + max([r.points for r in e.score] + [0])
                for e in scenario.endings.values()), default=0)
    return round(100 + best, 1)


def cause(session: Session) -> Record | None:
    """What ended the game, in plain words first: the trigger, the route or the roll, and the values
    that decided it. The debrief shows it before anything else."""
    record = session.ended_by
    if not session.ended or record is None:
        return None
    scenario = session.scenario
    values = record.get("values", {})
    condition = plain_condition(scenario, record["condition"], values) if record.get("condition") else ""
    kind = record["kind"]
    if kind == "trigger":
        text = f"The talks broke off on their own: {condition}."
    elif kind == "roll":
        text = (f"The escalation dice came up: this round carried a {record['p']:.0%} risk of a runaway "
                f"({condition}).")
    else:
        round_id, choice_id = session.history[-1]
        taken = session.render(scenario.rounds[round_id].by_id[choice_id].text)
        text = f"Your last move ended it: \u201c{taken}\u201d{said_note(session, session.turn)}"
        if condition:
            text += f" It led here because {condition}, as the talks stood when you chose."
        elif record.get("passed"):
            missing = "; ".join(plain_condition(scenario, p["condition"], p["values"]) for p in record["passed"][-1:])
            text += f" It led here because, as the talks stood when you chose, this did not hold: {missing}."
    score = record.get("score")
    if score:
        verb = "added" if score["points"] >= 0 else "cost"
        text += (f" The ending {verb} {abs(score['points']):g} points because "
                 f"{plain_condition(scenario, score['condition'], score['values'])}.")
    return {**record, "text": text}


def said_note(session: Session, turn: int) -> str:
    """' (you said: "...")' for a move the trainee typed in free text, else ''."""
    said = session.state.said
    return f" (you said: \"{said[turn]}\")" if turn in said else ""


def describe_condition(item: Record) -> str:
    """'ripe: no (hurt 51, perceived way out 62, ...); rule: hurt >= 55 and ...'"""
    value = item["value"]
    shown = ("yes" if value else "no") if isinstance(value, bool) else f"{value:g}"
    inputs = ", ".join(f"{item['labels'][n].lower()} {v:g}" for n, v in item["inputs"].items())
    return f"{item['name']}: {shown}" + (f" ({inputs})" if inputs else "") + f"; rule: {item['rule']}"


def closed_choices(session: Session) -> list[Record]:
    """Choices that were on the table but closed when the trainee chose, with what would have
    opened them: often the lesson is a move that earlier play never made possible."""
    closed = []
    for step in session.steps:
        round_ = session.scenario.rounds[step["round"]]
        for choice in round_.choices:
            if choice.id not in step["open"] and choice.cond is not None:  # closed: it has a condition
                closed.append({"turn": step["turn"], "round": step["round"], "choice": choice.id,
                               "text": session.render(choice.text), "needs": choice.cond.source})
    return closed


def curves(session: Session) -> dict[str, list[Any]]:
    steps = session.steps
    if steps:
        samples = [steps[0]["before"]] + [s["after"] for s in steps]
    else:
        samples = [session.variables()]
    charted = [name for name, var in session.scenario.vars.items() if var.chart]
    return {name: [s.get(name) for s in samples] for name in charted}


def turning_points(session: Session, limit: int = 3) -> list[Record]:
    scenario = session.scenario
    reactions: dict[int, list[Record]] = {}
    for event in session.log:
        if event["type"] in ("reaction", "move") and event.get("changes"):
            reactions.setdefault(event["turn"], []).append(event)
    weights = {name: var.swing for name, var in scenario.vars.items() if var.swing}
    points = []
    for step in session.steps:
        changes = {}
        for name in weights:
            if name in step["before"] and step["after"].get(name) != step["before"][name]:
                changes[name] = step["after"][name] - step["before"][name]
        swing = sum(abs(v) * weights[k] for k, v in changes.items())
        if swing < TURNING_POINT_MIN_SWING:
            continue
        events = reactions.get(step["turn"], [])
        main = max(events, key=lambda e: sum(abs(b - a) for a, b in e["changes"].values()), default=None)
        choice = scenario.rounds[step["round"]].by_id[step["choice"]]
        concept = (main and main.get("concept")) or (choice.tags and scenario.tactics[choice.tags[0]].concept) or ""
        points.append({
            "turn": step["turn"], "round": step["round"], "choice": step["choice"], "swing": round(swing, 1),
            "changes": dict(sorted(changes.items(), key=lambda kv: -abs(kv[1]))),
            "why": main["why"] if main else "The board moved sharply after this choice.",
            "concept": _concept(scenario, concept),
        })
    points.sort(key=lambda p: -p["swing"])
    return sorted(points[:limit], key=lambda p: p["turn"])


def missed_opportunities(session: Session) -> list[Record]:
    scenario = session.scenario
    missed = []
    for step in session.steps:
        round_ = scenario.rounds[step["round"]]
        rated = []
        for choice_id in step["open"]:
            choice = round_.by_id[choice_id]
            rated.append((rate(scenario, choice, step["before"], step["counts"]), choice))
        taken = next(r for r in rated if r[1].id == step["choice"])
        best = max(rated, key=lambda r: r[0][0])
        if best[1].id != step["choice"] and best[0][0] - taken[0][0] >= MISSED_MIN_GAP:
            missed.append({
                "turn": step["turn"], "round": step["round"], "taken": step["choice"],
                "taken_rating": taken[0][0], "best": best[1].id, "best_rating": best[0][0],
                "best_text": session.render(best[1].text), "why": best[0][1],
                "concept": _concept(scenario, best[0][2]),
            })
    return missed
