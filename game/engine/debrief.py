"""The after-action review: what each move earned or cost, and why.

Built from a session's ledger, log and step records, so every point and every
lesson points back to a choice id and a doctrine concept with its source.
"""
from __future__ import annotations

from collections import Counter

from .rating import rate

TURNING_POINT_MIN_SWING = 15  # weighted change (variables' ``swing``) that makes a step a turning point
MISSED_MIN_GAP = 6


def _concept(scenario, concept_id: str) -> dict:
    concept = scenario.concepts.get(concept_id)
    if concept is None:
        return {"id": concept_id, "title": concept_id, "summary": "", "source": None}
    source = scenario.sources.get(concept["source"], {})
    return {"id": concept_id, "title": concept["title"], "summary": concept["summary"],
            "source": {"id": concept["source"], **source}}


def build(session) -> dict:
    scenario = session.scenario
    ending = scenario.endings.get(session.ending) if session.ending else None
    by_skill: dict[str, list] = {}
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
        "scores": session.scores(),
        "points": {skill: {"earned": round(sum(e["points"] for e in by_skill.get(skill, [])), 1),
                           "available": round(par, 1)}
                   for skill, par in session.points_available().items()},
        "by_skill": by_skill,
        "structure": structure(session),
        "closed": closed_choices(session),
        "turning_points": turning_points(session),
        "missed": missed_opportunities(session),
        "curves": curves(session),
        "lessons": [_concept(scenario, cid) for cid, _ in concepts_used.most_common()],
    }


def structure(session) -> list[dict]:
    """The conditions under the talks as the session ended (ripeness, enforcement, the feint...):
    each derived value of the rules, its rule, and the values it read, so the trainee sees
    which condition held a deal up or let it fail."""
    scenario, values = session.scenario, session.values
    out = []
    for name, compiled in scenario.derived.items():
        inputs = {n: values[n] for n in sorted(compiled.names) if n in scenario.vars}
        out.append({"name": name, "rule": compiled.source, "value": values[name], "inputs": inputs,
                    "labels": {n: scenario.vars[n].label for n in inputs}})
    return out


def describe_condition(item: dict) -> str:
    """'ripe: no (hurt 51, perceived way out 62, ...); rule: hurt >= 55 and ...'"""
    value = item["value"]
    shown = ("yes" if value else "no") if isinstance(value, bool) else f"{value:g}"
    inputs = ", ".join(f"{item['labels'][n].lower()} {v:g}" for n, v in item["inputs"].items())
    return f"{item['name']}: {shown}" + (f" ({inputs})" if inputs else "") + f"; rule: {item['rule']}"


def closed_choices(session) -> list[dict]:
    """Choices that were on the table but closed when the trainee chose, with what would have
    opened them: often the lesson is a move that earlier play never made possible."""
    closed = []
    for step in session.steps:
        round_ = session.scenario.rounds[step["round"]]
        for choice in round_.choices:
            if choice.id not in step["open"]:
                closed.append({"turn": step["turn"], "round": step["round"], "choice": choice.id,
                               "text": session.render(choice.text), "needs": choice.cond.source})
    return closed


def curves(session) -> dict:
    steps = session.steps
    if steps:
        samples = [steps[0]["before"]] + [s["after"] for s in steps]
    else:
        samples = [session.variables()]
    charted = [name for name, var in session.scenario.vars.items() if var.chart]
    return {name: [s.get(name) for s in samples] for name in charted}


def turning_points(session, limit: int = 3) -> list[dict]:
    scenario = session.scenario
    reactions = {}
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


def missed_opportunities(session) -> list[dict]:
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
