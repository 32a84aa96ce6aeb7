"""A session as neutral blocks: the narrative beats and the debrief, built once for every front end.

Front ends style what this module returns and add nothing to it, so the Textual
screens, plain mode, ``offramp run`` and the transcripts show the same sections in
the same order under the same titles. To add a debrief section, write a function
``(session, report) -> Section | None`` and put it in ``DEBRIEF_SECTIONS`` where it
belongs in the reading order; every front end shows it from then on.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable

from .blocks import Bar, Block, Item, Section, Series
from .debrief import Record, build, describe_condition, said_note
from .model import Policy, Scenario
from .session import Session
from .state import Beat

SCORE_LABELS = {"outcome": "Outcome", "total": "Total"}  # the score keys every game has (spec.SCORE_TOTALS)


# -- small shared phrases --

def concept_ref(concept: Record) -> str:
    """'Tactical empathy (Dekleva and Pack, The Cipher Brief)' from a debrief concept."""
    source = concept.get("source") or {}
    cite = ", ".join(str(source[k]) for k in ("author", "title") if source.get(k))
    return f"{concept['title']} ({cite})" if cite else str(concept["title"])


def round_ref(session: Session, round_id: str, turn: int) -> str:
    round_ = session.scenario.rounds.get(round_id)
    return f"Round {turn}: {round_.title if round_ else round_id}"


def skill_title(scenario: Scenario, skill_id: str) -> str:
    """The story's name for a skill ('outcome' and unknown ids read as they are)."""
    skill = scenario.skills.get(skill_id)
    return skill.title if skill else skill_id


def tactic_names(scenario: Scenario, tags: Iterable[str]) -> list[str]:
    """The catalogue names of a choice's tactic tags, e.g. ['Label', 'Bluff']."""
    return [scenario.tactics[t].name if t in scenario.tactics else t for t in tags]


# -- the narrative --

def beat_label(beat: Beat) -> str:
    """Who is speaking, as the heading of a beat ('' for narration and headings)."""
    return {"you": "You", "reaction": f"{beat.name} reacts", "move": f"{beat.name} makes a move",
            "event": "Event", "coach": "Coach", "line": beat.name}.get(beat.kind, "")


def beat_block(beat: Beat) -> Block:
    """One beat as the trainee reads it while playing."""
    if beat.kind == "round":
        return Block("heading", beat.text, who=f"Round {beat.turn + 1}", style="round")
    if beat.kind == "ending":
        return Block("heading", beat.text, who="Ending", style="ending")
    label = beat_label(beat)
    role = "you" if beat.kind == "you" else beat.role
    if label:
        return Block("speech", beat.text, who=label, style=beat.kind, role=role)
    return Block("para", beat.text, style=beat.kind, role=role)


def narrative(beats: Iterable[Beat], mode: str) -> list[Block]:
    """The beats a trainee sees: coach beats belong to training, assessment keeps them for the debrief."""
    return [beat_block(b) for b in beats if mode == "training" or b.kind != "coach"]


def annotated_narrative(session: Session) -> list[Block]:
    """The narrative for an instructor: each move with its tactics and points, and why the room moved."""
    blocks: list[Block] = []
    notes_due: int | None = None  # the turn whose reactions still need their explanations
    for beat in session.beats:
        if beat.kind in ("round", "ending") and notes_due is not None:
            blocks += _reaction_notes(session, notes_due)
            notes_due = None
        if beat.kind == "you":
            blocks.append(_choice_block(session, beat))
            notes_due = beat.turn
        else:
            blocks.append(beat_block(beat))
    if notes_due is not None:
        blocks += _reaction_notes(session, notes_due)
    return blocks


def _choice_block(session: Session, beat: Beat) -> Block:
    scenario = session.scenario
    round_id, choice_id = session.history[beat.turn - 1]
    choice = scenario.rounds[round_id].by_id[choice_id]
    scored = {e["tag"]: e for e in session.ledger if e["turn"] == beat.turn and e["tag"]}
    tactics = []
    for tag in choice.tags:
        entry = scored.get(tag)
        points = f"{entry['points']:+g} {skill_title(scenario, entry['skill'])}" if entry else "no points"
        why = entry["why"] if entry and entry["why"] else ""
        tactics.append(f"{tactic_names(scenario, [tag])[0]} ({tag}): {points}" + (f". {why}" if why else ""))
    return Block("choice", beat.text, who=choice_id, style="you", role="you",
                 items=tuple(tactics or ["no tactic tags"]))


def _reaction_notes(session: Session, turn: int) -> list[Block]:
    scenario = session.scenario
    roles = {actor.id: actor.role for actor in scenario.actors}
    notes = []
    for event in session.log:
        if event["turn"] == turn and event["type"] == "reaction" and event.get("why"):
            role = roles.get(event["actor"], "board")
            who = "The situation" if role == "board" else scenario.speakers.get(role, event["actor"])
            notes.append(Item(f"{who} ({event['reaction']})", event["why"]))
    return [Block("list", "Why the room moved", style="notes", items=tuple(notes))] if notes else []


# -- the debrief --

def debrief(session: Session, report: Record | None = None, policy: Policy | None = None) -> list[Section]:
    """The debrief's sections in reading order; sections with nothing to say are left out.
    ``policy`` (a sound player) lets missed opportunities come from counterfactuals."""
    built = build(session, policy) if report is None else report
    sections = (make(session, built) for make in DEBRIEF_SECTIONS)
    return [s for s in sections if s is not None]


def _cause(session: Session, report: Record) -> Section | None:
    cause = report.get("cause")
    if cause is None:
        return None
    return Section("cause", "What ended the talks", (Block("para", cause["text"], style="cause"),))


def choice_text(session: Session, round_id: str, choice_id: str) -> str:
    """What the trainee read for a choice: its text, never its id."""
    round_ = session.scenario.rounds.get(round_id)
    choice = round_.by_id.get(choice_id) if round_ else None
    return session.render(choice.text) if choice else choice_id


def _outcome(session: Session, report: Record) -> Section | None:
    ending = report["ending"]
    if ending is None:
        return None
    outcome = session.scenario.outcomes[ending["outcome"]].title
    return Section("outcome", "Outcome", (
        Block("para", f"{ending['title']} ({outcome})", style="verdict"),
        Block("para", ending["text"], style="because"),
        Block("para", f"Concept: {concept_ref(ending['concept'])}", style="concept"),
    ))


def _scores(session: Session, report: Record) -> Section:
    """The story's skills in its order: share skills as bars out of 100, penalties as bars below zero."""
    scores, skills = report["scores"], session.scenario.skills
    bars = []
    for key, value in scores.items():
        skill = skills.get(key)
        if skill is None:
            bars.append(Bar(key, SCORE_LABELS.get(key, key), value))
        else:
            bars.append(Bar(key, skill.title, value, 100, penalty=skill.score == "penalty"))
    bars.append(Bar("most", "Best possible", report["max_total"]))  # the total against its maximum
    return Section("scores", "Scores", (Block("bars", items=tuple(bars)),))


def _curves(session: Session, report: Record) -> Section | None:
    series = []
    for key, values in report["curves"].items():
        values = tuple(v for v in values if v is not None)
        if values:
            series.append(Series(key, session.scenario.vars[key].label, values))
    if not series:
        return None
    return Section("curves", "How the room moved", (Block("series", items=tuple(series)),))


def _listed(ident: str, title: str, items: Iterable[Item], empty: str = "") -> Section | None:
    listed = tuple(items)
    if not listed and not empty:
        return None
    return Section(ident, title, (Block("list", items=listed or (Item("", empty),)),))


def _structure(session: Session, report: Record) -> Section | None:
    return _listed("structure", "Conditions at the end",
                   (Item("", describe_condition(item)) for item in report["structure"]))


def _closed(session: Session, report: Record) -> Section | None:
    return _listed("closed", "Choices that were closed to you", (
        Item(round_ref(session, c["round"], c["turn"]), f"{c['text']} (needed: {c['needs']})")
        for c in report["closed"]))


def _turning_points(session: Session, report: Record) -> Section | None:
    return _listed("turning-points", "Turning points", (
        Item(f"{round_ref(session, p['round'], p['turn'])}, you chose "
             f"\u201c{choice_text(session, p['round'], p['choice'])}\u201d{said_note(session, p['turn'])}", p["why"],
             f"Concept: {concept_ref(p['concept'])}") for p in report["turning_points"]),
        empty="None: no single move swung the room sharply.")


def _missed(session: Session, report: Record) -> Section | None:
    if report.get("counterfactuals"):
        return _listed("missed", "Missed opportunities", (
            Item(f"{round_ref(session, w['round'], w['turn'])}, you chose \u201c{w['taken_text']}\u201d"
                 f"{said_note(session, w['turn'])}", w["text"])
            for w in report["counterfactuals"]))
    return _listed("missed", "Missed opportunities", (
        Item(f"{round_ref(session, m['round'], m['turn'])}, instead of "
             f"\u201c{choice_text(session, m['round'], m['taken'])}\u201d{said_note(session, m['turn'])}",
             f"{m['best_text']} {m['why']}", f"Concept: {concept_ref(m['concept'])}")
        for m in report["missed"]),
        empty="None: at every step your move was as good as any on offer.")


def _moves(session: Session, report: Record) -> Section | None:
    scenario = session.scenario

    def where(e: Record) -> str:  # a typed move is quoted next to what it earned
        return f"round {e['turn']}{said_note(session, e['turn'])}, {tactic_names(scenario, [e['tag']])[0]}"
    return _listed("moves", "Move by move", (
        Item(f"{e['points']:+g} {skill_title(scenario, e['skill'])}", f"{where(e)}: {e['why']}")
        for e in session.ledger if e["tag"] is not None and (e["points"] or e.get("backfired"))))


def _lessons(session: Session, report: Record) -> Section | None:
    return _listed("lessons", "Concepts this session touched",
                   (Item(concept_ref(c), c["summary"]) for c in report["lessons"]))


DEBRIEF_SECTIONS: tuple[Callable[[Session, Record], Section | None], ...] = (
    _cause, _outcome, _scores, _curves, _structure, _closed, _turning_points, _missed, _moves, _lessons)
