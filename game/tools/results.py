"""A class's finished games: one record per game, written once when it ends, read back as rows.

An autosave is replaced by the next game of the same scenario, so it cannot serve as
a class's history. When a game ends the TUI and plain mode write a result record into
the trainee's ``results/`` folder: who played, what, in which mode, when, the choices,
the scores the trainee was shown, what each move earned and the opportunities the
debrief named as missed. Records are never rewritten (each has its own uuid), so
``offramp results`` and the xAPI sender read them without the story or a replay.
"""
from __future__ import annotations

import json
import os
import statistics
import tempfile
import uuid
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from .. import __version__
from ..trainees import FOLDER as TRAINEES_FOLDER

KIND = "offramp-result"
VERSION = 1
FOLDER = "results"
SCORE_KEYS = ("empathy", "brinkmanship", "offramps", "discipline", "outcome", "total")
MAX_RECORD_BYTES = 4 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class Problem:
    """A record that could not be read: listed, never fatal."""

    path: Path
    message: str


# -- writing, when a game ends --

def now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def build(session, *, trainee: str, mode: str, started: str, finished: str | None = None) -> dict:
    """The record of an ended session (ValueError for one still in progress)."""
    from ..engine.debrief import missed_opportunities

    if not session.ended:
        raise ValueError("only a finished game has a result")
    scenario = session.scenario
    finished = finished or now()
    points: dict[int, dict[str, float]] = {}
    for entry in session.ledger:
        if entry["points"]:
            skills = points.setdefault(entry["turn"], {})
            skills[entry["skill"]] = round(skills.get(entry["skill"], 0) + entry["points"], 1)
    moves = []
    for turn, (round_id, choice_id) in enumerate(session.history, 1):
        choice = scenario.rounds[round_id].by_id[choice_id]
        moves.append({"turn": turn, "round": round_id, "choice": choice_id, "text": session.render(choice.text),
                      "tags": list(choice.tags), "points": points.get(turn, {})})
        if turn in session.state.said:  # played in free text: the trainee's own words
            moves[-1]["said"] = session.state.said[turn]
    ending = scenario.endings[session.ending]
    return {
        "kind": KIND, "version": VERSION, "id": str(uuid.uuid4()), "offramp": __version__,
        "trainee": trainee, "scenario": scenario.id, "title": scenario.title,
        "content_hash": scenario.content_hash, "cast": dict(scenario.cast), "mode": mode, "seed": session.seed,
        "started": started, "finished": finished, "minutes": _minutes(started, finished),
        "ending": ending.id, "ending_title": ending.title, "outcome": ending.outcome,
        "scores": session.scores(), "moves": moves,
        "missed": [{"turn": m["turn"], "round": m["round"], "taken": m["taken"], "best": m["best"],
                    "best_text": m["best_text"], "concept": m["concept"]["id"]}
                   for m in missed_opportunities(session)],
    }


def write(directory, record: dict) -> Path:
    """Write ``record`` into ``directory/results/`` under a new name; it is never rewritten."""
    folder = Path(directory) / FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    stamp = record["finished"].replace(":", "").replace("-", "")
    path = folder / f"{stamp}-{record['scenario']}-{record['id'][:8]}.json"
    fd, temp = tempfile.mkstemp(dir=folder, prefix=".", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(record, handle, indent=1, ensure_ascii=False)
            handle.flush()
            os.fsync(handle.fileno())
        os.link(temp, path)  # fails rather than replace a record that is already there
    finally:
        os.unlink(temp)
    return path


def record_game(directory, session, *, trainee: str, mode: str, started: str) -> Path:
    return write(directory, build(session, trainee=trainee, mode=mode, started=started))


def started_of(save_path: Path) -> str | None:
    """When the game in a save file began (its ``created`` time), so a resumed game's minutes count
    from its first move, not from when it was loaded."""
    try:
        created = json.loads(save_path.read_text(encoding="utf-8")).get("created")
    except (OSError, ValueError, AttributeError):
        return None
    return created if isinstance(created, str) else None


# -- reading, for an instructor --

def find(directory) -> list[Path]:
    """Every record under a saves folder: its own results and each trainee's."""
    root = Path(directory)
    paths = list(root.glob(f"{FOLDER}/*.json")) + list(root.glob(f"{TRAINEES_FOLDER}/*/{FOLDER}/*.json"))
    return sorted(p for p in paths if not p.name.startswith("."))


def read(path: Path) -> dict:
    """One record, checked enough that rows and statements can rely on its fields (ValueError)."""
    if path.stat().st_size > MAX_RECORD_BYTES:
        raise ValueError("too large to be a result record")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as err:
        raise ValueError(f"not a result record ({err})") from None
    if not isinstance(data, dict) or data.get("kind") != KIND:
        raise ValueError(f"not a result record (no \"kind\": \"{KIND}\")")
    if data.get("version") != VERSION:
        raise ValueError(f"written by another version of offramp (record version {data.get('version')!r})")
    text_fields = ("id", "trainee", "scenario", "mode", "started", "finished", "ending", "outcome")
    missing = [name for name in text_fields if not isinstance(data.get(name), str)]
    scores = data.get("scores")
    if not isinstance(scores, dict) or not all(isinstance(scores.get(k), (int, float)) for k in SCORE_KEYS):
        missing.append("scores")
    if not isinstance(data.get("moves"), list) or not isinstance(data.get("missed"), list):
        missing.append("moves")
    if missing:
        raise ValueError(f"damaged result record: {', '.join(missing)} missing or of the wrong type")
    return data


def load(directory, scenario: str | None = None, trainee: str | None = None) -> tuple[list[dict], list[Problem]]:
    """The readable records, oldest first, and what could not be read."""
    records, problems = [], []
    for path in find(directory):
        try:
            record = read(path)
        except (OSError, ValueError) as err:
            problems.append(Problem(path, str(err)))
            continue
        if (scenario is None or record["scenario"] == scenario) and (trainee is None or record["trainee"] == trainee):
            records.append(record)
    records.sort(key=lambda r: (r["finished"], r["id"]))
    return records, problems


def row(record: dict) -> dict:
    """One game as a flat row (CSV, table)."""
    out = {name: record[name] for name in ("trainee", "scenario", "mode", "seed", "started", "finished",
                                          "minutes", "ending", "outcome")}
    out.update({_column(name): record["scores"][name] for name in SCORE_KEYS})
    out["choices"] = " ".join(f"{m['round']}:{m['choice']}" for m in record["moves"])
    return out


def _column(score: str) -> str:
    """A score's column: the outcome's points sit beside the outcome's kind, so they need their own name."""
    return "outcome_points" if score == "outcome" else score


COLUMNS = ("trainee", "scenario", "mode", "seed", "started", "finished", "minutes", "ending", "outcome",
           *(_column(k) for k in SCORE_KEYS), "choices")


def summary(records: list[dict], missed_limit: int = 3) -> dict[str, dict]:
    """Per scenario: games, mean and spread of each score, outcome counts, the most missed opportunities."""
    by_scenario: dict[str, list[dict]] = {}
    for record in records:
        by_scenario.setdefault(record["scenario"], []).append(record)
    out = {}
    for scenario_id, games in sorted(by_scenario.items()):
        scores = {}
        for key in SCORE_KEYS:
            values = [g["scores"][key] for g in games]
            scores[key] = {"mean": round(statistics.fmean(values), 1),
                           "sd": round(statistics.stdev(values), 1) if len(values) > 1 else 0.0,
                           "min": min(values), "max": max(values)}
        missed = Counter((m["round"], m["best"]) for g in games for m in g["missed"])
        texts = {(m["round"], m["best"]): m.get("best_text", "") for g in games for m in g["missed"]}
        out[scenario_id] = {
            "games": len(games), "trainees": len({g["trainee"] for g in games}), "scores": scores,
            "outcomes": dict(Counter(g["outcome"] for g in games).most_common()),
            "missed": [{"round": r, "choice": c, "text": texts[(r, c)], "games": n}
                       for (r, c), n in missed.most_common(missed_limit)],
        }
    return out


def progress(records: list[dict], trainee: str, scenario: str | None = None) -> list[dict]:
    """A trainee's finished games in order: what a progress chart plots."""
    return [r for r in records if r["trainee"] == trainee and (scenario is None or r["scenario"] == scenario)]


def _minutes(started: str, finished: str) -> float | None:
    try:
        start = datetime.strptime(started, "%Y-%m-%dT%H:%M:%SZ")
        end = datetime.strptime(finished, "%Y-%m-%dT%H:%M:%SZ")
    except ValueError:
        return None
    return round(max((end - start).total_seconds(), 0) / 60, 1)
