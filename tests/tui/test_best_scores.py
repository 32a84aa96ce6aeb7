"""The best-score file: keeps the highest total per scenario, and never breaks a game when damaged."""
from __future__ import annotations

from game.engine import Session
from game.tui.best_scores import BestScores


def finished(library, seed: int, pick: int) -> Session:
    session = Session(library.scenarios["tutorial"], seed)
    while not session.ended:
        options = session.choices()
        session.choose(options[min(pick, len(options) - 1)].id)
    return session


def test_only_a_higher_total_replaces_the_best(library, tmp_path):
    best = BestScores(tmp_path)
    first, second = finished(library, 1, 0), finished(library, 1, 1)
    low, high = sorted((first, second), key=lambda s: s.scores()["total"])
    assert low.scores()["total"] < high.scores()["total"]
    assert best.record(low)
    assert best.record(high)
    assert not best.record(low)
    assert best.best("tutorial")["total"] == high.scores()["total"]
    assert best.best("tutorial")["ending"] == high.ending


def test_a_damaged_file_reads_as_no_best_score_and_is_rewritten(library, tmp_path):
    (tmp_path / ".best-scores.json").write_text("{not json")
    best = BestScores(tmp_path)
    assert best.best("tutorial") is None
    session = finished(library, 2, 0)
    assert best.record(session)
    assert best.best("tutorial")["total"] == session.scores()["total"]


def test_an_unfinished_session_is_not_recorded(library, tmp_path):
    assert not BestScores(tmp_path).record(Session(library.scenarios["tutorial"], 1))
    assert not (tmp_path / ".best-scores.json").exists()
