"""How a session reads to a trainee, as plain data and text.

Shared by the Textual screens and by plain mode, so both say the same thing the
same way. Nothing here imports Textual: plain mode must start without it.
"""
from __future__ import annotations

from dataclasses import dataclass

MODES = ("training", "assessment")
SKILL_ROWS = (("empathy", "Tactical empathy"), ("brinkmanship", "Brinkmanship"), ("offramps", "Off-ramps"))
CURVE_LABELS = (("emotion", "Emotion"), ("rapport", "Rapport"), ("escalation", "Escalation"), ("hurt", "Hurt"))
SKILL_ORDER = ("empathy", "brinkmanship", "offramps", "discipline", "intel", "none")


def beat_classes(beat) -> str:
    """CSS classes for a beat: its kind and its speaker's role (styles live in play.tcss)."""
    role = "you" if beat.kind == "you" else beat.role
    return f"beat -kind-{beat.kind} -role-{role}"


def beat_label(beat) -> str:
    """Who is speaking, as the heading of a beat ('' for narration and headings)."""
    if beat.kind == "you":
        return "You"
    if beat.kind == "reaction":
        return f"{beat.name} reacts"
    if beat.kind == "move":
        return f"{beat.name} makes a move"
    if beat.kind == "event":
        return "Event"
    if beat.kind == "coach":
        return "Coach"
    if beat.kind == "line":
        return beat.name
    return ""


def visible_beats(beats, mode: str):
    """Coach beats belong to training; assessment keeps them for the debrief."""
    return [b for b in beats if mode == "training" or b.kind != "coach"]


def round_number(session) -> int:
    """The round the trainee is on, counting from 1 (the last one played once it ended)."""
    return max(len(session.history), 1) if session.ended else len(session.history) + 1


def round_title(session) -> str:
    if session.ended:
        return session.scenario.endings[session.ending].title
    return session.round.title


def tactic_names(scenario, tags) -> list[str]:
    """The catalogue names of a choice's tactic tags, e.g. ['Label', 'Bluff']."""
    return [scenario.tactics[t].name if t in scenario.tactics else t for t in tags]


def coach_line(session) -> str:
    """After a move: the choice's hint and the ledger's reasons for that turn, in one line."""
    if not session.history:
        return ""
    round_id, choice_id = session.history[-1]
    choice = session.scenario.rounds[round_id].by_id[choice_id]
    turn = len(session.history)
    whys = [e["why"] for e in session.ledger if e["turn"] == turn and e["tag"] is not None and e["why"]]
    parts = [p.strip() for p in [choice.hint, *whys] if p and p.strip()]
    return " ".join(dict.fromkeys(parts))


@dataclass(frozen=True, slots=True)
class Gauge:
    """One value on the side panel."""

    name: str
    label: str
    value: float | bool
    low: float
    high: float
    revealed: bool  # hidden at the start, shown by an intelligence move

    @property
    def fraction(self) -> float:
        if isinstance(self.value, bool):
            return 1.0 if self.value else 0.0
        span = (self.high - self.low) or 1
        return min(max((float(self.value) - self.low) / span, 0.0), 1.0)

    @property
    def shown(self) -> str:
        if isinstance(self.value, bool):
            return "yes" if self.value else "no"
        if self.high - self.low <= 10:
            return f"{self.value:g}/{self.high:g}"
        return f"{self.value:g}"


def gauges(session) -> list[Gauge]:
    """What the trainee may see, visible values first, then what intelligence revealed."""
    out = []
    for name, value in session.visible_state().items():
        var = session.scenario.vars[name]
        low = 0 if var.low is None else var.low
        high = 100 if var.high is None else var.high
        out.append(Gauge(name, var.label or name, value, low, high, not var.visible))
    return sorted(out, key=lambda g: g.revealed)


def bar(fraction: float, width: int) -> str:
    """A text bar that reads without colour: full blocks, then light shade."""
    filled = round(max(0.0, min(1.0, fraction)) * width)
    return "█" * filled + "░" * (width - filled)


def concept_ref(concept: dict) -> str:
    """'Tactical empathy (Dekleva and Pack, The Cipher Brief)' from a debrief concept."""
    source = concept.get("source") or {}
    cite = ", ".join(str(source[k]) for k in ("author", "title") if source.get(k))
    return f"{concept['title']} ({cite})" if cite else concept["title"]


def round_ref(session, round_id: str, turn: int) -> str:
    round_ = session.scenario.rounds.get(round_id)
    return f"Round {turn}: {round_.title if round_ else round_id}"


def glossary(tactics: dict) -> list[tuple[str, list]]:
    """The tactics catalogue grouped by skill, in teaching order."""
    groups: dict[str, list] = {}
    for tactic in tactics.values():
        groups.setdefault(tactic.skill, []).append(tactic)
    order = {s: i for i, s in enumerate(SKILL_ORDER)}
    return [(skill, sorted(items, key=lambda t: t.id))
            for skill, items in sorted(groups.items(), key=lambda kv: order.get(kv[0], 99))]


def closed_line(session, item: dict) -> str:
    return f"{round_ref(session, item['round'], item['turn'])}: {item['text']} (needed: {item['needs']})"


def debrief_text(session, report: dict) -> str:
    """The debrief as plain text: plain mode prints it, and it is what screen readers get."""
    from ..engine.debrief import describe_condition  # the title screen starts without the engine

    lines = []
    ending = report["ending"]
    lines.append(f"Debrief: {session.scenario.title}")
    if ending:
        outcome = session.scenario.outcomes[ending["outcome"]].title
        lines += ["", f"Ending: {ending['title']} ({outcome})", ending["text"],
                  f"Concept: {concept_ref(ending['concept'])}"]
    scores = report["scores"]
    lines += ["", "Scores"]
    for key, label in SKILL_ROWS:
        lines.append(f"  {label:<18} {bar(scores[key] / 100, 20)} {scores[key]:g}/100")
    lines.append(f"  {'Discipline penalty':<18} {bar(-scores['discipline'] / 100, 20)} {scores['discipline']:g}")
    lines.append(f"  {'Outcome':<18} {scores['outcome']:g}")
    lines.append(f"  {'Total':<18} {scores['total']:g}")
    lines += ["", "Curves (start to end)"]
    for key, label in CURVE_LABELS:
        values = [v for v in report["curves"].get(key, []) if v is not None]
        if values:
            lines.append(f"  {label:<11} " + " > ".join(f"{v:g}" for v in values))
    if report["structure"]:
        lines += ["", "Under the talks, at the end"]
        lines += [f"  {describe_condition(item)}" for item in report["structure"]]
    if report["closed"]:
        lines += ["", "Choices that were closed to you"]
        lines += [f"  {closed_line(session, item)}" for item in report["closed"]]
    if report["turning_points"]:
        lines += ["", "Turning points"]
        for point in report["turning_points"]:
            lines.append(f"  {round_ref(session, point['round'], point['turn'])}, choice {point['choice']}: "
                         f"{point['why']} [{concept_ref(point['concept'])}]")
    if report["missed"]:
        lines += ["", "Missed opportunities"]
        for miss in report["missed"]:
            lines.append(f"  {round_ref(session, miss['round'], miss['turn'])}: instead of {miss['taken']}, "
                         f"{miss['best_text']} {miss['why']} [{concept_ref(miss['concept'])}]")
    if report["lessons"]:
        lines += ["", "Concepts this session touched"]
        for concept in report["lessons"]:
            lines.append(f"  {concept_ref(concept)}: {concept['summary']}")
    return "\n".join(lines)
