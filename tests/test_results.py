"""A class's results: games played headless into a saves folder, read back by ``offramp results``."""
from __future__ import annotations

import csv
import io
import json
import random
import statistics
import subprocess
import sys
from pathlib import Path

import pytest

from game.cli import main
from game.engine import Session, load_library
from game.paths import story_paths
from game.tools import results
from game.tools.results_report import html_report
from game.trainees import TraineeError, normalise, saves_folder, unique_path

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def library():
    return load_library(story_paths())


def play(library, scenario: str, seed: int, rng: random.Random) -> Session:
    session = Session(library.scenarios[scenario], seed)
    while not session.ended:
        session.choose(rng.choice(session.choices()).id)
    return session


@pytest.fixture(scope="module")
def class_folder(library, tmp_path_factory):
    """Six finished games by three trainees over two scenarios, plus one game played in plain mode."""
    folder = tmp_path_factory.mktemp("class")
    rng = random.Random(5)
    games = []
    for index, (trainee, scenario) in enumerate([("alice", "tutorial"), ("bob", "tutorial"), ("alice", "tutorial"),
                                                 ("carol", "leverage"), ("bob", "leverage"), ("carol", "tutorial")]):
        session = play(library, scenario, 100 + index, rng)
        mode = "assessment" if index % 2 else "training"
        started, finished = f"2026-11-30T09:{index:02d}:00Z", f"2026-11-30T09:{index + 10:02d}:30Z"
        results.write(saves_folder(folder, trainee), results.build(session, trainee=trainee, mode=mode,
                                                                      started=started, finished=finished))
        games.append((trainee, mode, session))
    answers = "1\n" * 40  # the first option every round, until the game ends
    done = subprocess.run([sys.executable, "-m", "game", "play", "tutorial", "--plain", "--seed", "9",
                           "--trainee", "Dan Ortiz", "--saves-dir", str(folder)], input=answers, text=True,
                          capture_output=True, cwd=ROOT, timeout=120)
    assert done.returncode == 0, done.stderr
    dan = Session(library.scenarios["tutorial"], 9)
    while not dan.ended:
        dan.choose(dan.choices()[0].id)
    games.append(("dan-ortiz", "training", dan))
    return folder, games


def run(capsys, *argv) -> str:
    assert main(["results", *argv]) == 0
    return capsys.readouterr().out


def test_csv_has_one_row_per_finished_game_as_played(class_folder, capsys):
    folder, games = class_folder
    rows = list(csv.DictReader(io.StringIO(run(capsys, "--saves-dir", str(folder), "--format", "csv"))))
    assert len(rows) == len(games)
    expected = {(t, s.scenario.id, str(s.seed)): (m, s) for t, m, s in games}
    for row in rows:
        mode, session = expected.pop((row["trainee"], row["scenario"], row["seed"]))
        assert row["mode"] == mode
        assert row["ending"] == session.ending and row["outcome"] == session.outcome
        scores = session.scores()
        for key in ("empathy", "brinkmanship", "offramps", "discipline", "total"):
            assert float(row[key]) == scores[key]
        assert float(row["outcome_points"]) == scores["outcome"]
        assert row["choices"].split() == [f"{r}:{c}" for r, c in session.history]
    assert not expected
    alice = [r for r in rows if r["trainee"] == "alice"]
    assert [float(r["minutes"]) for r in alice] == [10.5, 10.5]


def test_the_summary_gives_mean_spread_outcomes_and_missed_opportunities(class_folder, capsys):
    folder, games = class_folder
    data = json.loads(run(capsys, "--saves-dir", str(folder), "--format", "json"))
    tutorial = [s for _, _, s in games if s.scenario.id == "tutorial"]
    summary = data["summary"]["tutorial"]
    assert summary["games"] == len(tutorial) and summary["trainees"] == 4
    totals = [s.scores()["total"] for s in tutorial]
    assert summary["scores"]["total"]["mean"] == round(statistics.fmean(totals), 1)
    assert summary["scores"]["total"]["sd"] == round(statistics.stdev(totals), 1)
    outcomes: dict[str, int] = {}
    for session in tutorial:
        outcomes[session.outcome] = outcomes.get(session.outcome, 0) + 1
    assert summary["outcomes"] == outcomes
    from game.engine.debrief import missed_opportunities

    missed: dict[tuple, int] = {}
    for session in tutorial:
        for m in missed_opportunities(session):
            missed[(m["round"], m["best"])] = missed.get((m["round"], m["best"]), 0) + 1
    assert missed, "the random games missed nothing: the check below would be empty"
    top = max(missed.values())
    assert summary["missed"][0]["games"] == top
    assert missed[(summary["missed"][0]["round"], summary["missed"][0]["choice"])] == top

    dan = list(csv.DictReader(io.StringIO(run(capsys, "--saves-dir", str(folder), "--format", "csv",
                                              "--trainee", "Dan Ortiz"))))
    assert [r["trainee"] for r in dan] == ["dan-ortiz"]
    table = run(capsys, "--saves-dir", str(folder), "--scenario", "leverage")
    assert "leverage: 2 games by 2 trainees" in table and "tutorial" not in table
    summary_csv = list(csv.DictReader(io.StringIO(run(capsys, "--saves-dir", str(folder), "--format", "csv",
                                                      "--summary"))))
    assert [r["scenario"] for r in summary_csv] == ["leverage", "tutorial"]
    assert float(summary_csv[1]["total_mean"]) == summary["scores"]["total"]["mean"]


def test_the_html_report_charts_each_trainee_s_progress(class_folder):
    folder, _ = class_folder
    records, problems = results.load(folder)
    assert not problems
    report = html_report(records)
    assert report.count('<svg class="progress"') == 4  # alice, bob, carol, dan-ortiz
    alice = report.split("alice: total over 2 games", 1)[1].split("</svg>", 1)[0]
    assert alice.count("<circle") == 2


def test_a_damaged_record_is_named_and_skipped(class_folder, capsys, tmp_path):
    folder, games = class_folder
    broken = tmp_path / "class"
    for path in results.find(folder):
        target = broken / path.relative_to(folder)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(path.read_bytes())
    (broken / "results").mkdir()
    (broken / "results" / "torn.json").write_text('{"kind": "offramp-result", "version": 1, "trainee"')
    assert main(["results", "--saves-dir", str(broken), "--format", "csv"]) == 0
    out, err = capsys.readouterr()
    assert len(out.strip().splitlines()) == len(games) + 1
    assert "torn.json" in err and "Traceback" not in err


def test_trainee_names_are_normalised_or_refused(tmp_path):
    assert normalise("  Ana  Silva ") == "ana-silva" == normalise("ANA SILVA")
    assert normalise("José_2") == "josé_2"
    for bad in ("", "   ", "../etc", "a/b", "ana?", ".hidden", "x" * 41, "nul\x00", "CON", "lpt1.x"):
        with pytest.raises(TraineeError):
            normalise(bad)
    assert saves_folder(tmp_path, "Ana Silva") == tmp_path / "trainees" / "ana-silva"
    assert saves_folder(tmp_path, None) == tmp_path


def test_exports_in_the_same_second_get_different_names(tmp_path):
    first, second = unique_path(tmp_path, "tutorial-seed7", ".md"), unique_path(tmp_path, "tutorial-seed7", ".md")
    assert first != second and first.exists() and second.exists()


def test_a_move_played_in_free_text_keeps_the_trainees_words_in_the_record(library):
    session = Session(library.scenarios["tutorial"], 4)
    session.choose(session.choices()[0].id, said="words of my own")
    while not session.ended:
        session.choose(session.choices()[0].id)
    record = results.build(session, trainee="ana", mode="assessment", started="2026-11-30T09:00:00Z")
    assert record["moves"][0]["said"] == "words of my own"
    assert all("said" not in move for move in record["moves"][1:])  # picked from the options
