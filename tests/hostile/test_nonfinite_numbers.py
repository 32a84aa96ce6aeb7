"""Issue 16, items 1 and 2: an expression that yields NaN or infinity is a story bug (E400 with its
file:line:col at play, W208 at validate), never a traceback, and never a value that reaches a save."""
from __future__ import annotations

import json
import math

import pytest

from game.cli import main
from game.engine import EngineError, Session, load_library
from game.paths import story_paths
from game.saves import SaveError, SaveStore

from .helpers import no_traceback, offramp, scenario, write_story

ROUNDS = """\
opening:
  title: Opening
  text: Volkov waits.
  choices:
    - id: overflow
      text: Name his fear.
      tags: [empathy.label]
      effects: ["{target} = 1e999 - 1e999"]
      goto: done
    - id: calm
      text: Wait.
      tags: [empathy.label]
      goto: done
"""
NUMBER_VARIABLE = "variables:\n  fog:\n    type: number\n    initial: 1\n"


@pytest.fixture
def story(tmp_path):
    folder = tmp_path / "story"
    write_story(folder, "int-nan.yaml", scenario("int-nan", ROUNDS.format(target="credibility")))
    write_story(folder, "num-nan.yaml", scenario("num-nan", ROUNDS.format(target="fog"), NUMBER_VARIABLE))
    return folder


def test_run_reports_a_nan_effect_as_E400_at_its_position(story):
    result = offramp("run", "int-nan", "--story", story, "--choose", "overflow")
    no_traceback(result)
    assert result.returncode == 1
    assert f"{story / 'int-nan.yaml'}:19:20: error E400:" in result.stderr
    assert "not a finite number" in result.stderr


def test_autoplay_and_explore_report_the_nan_without_a_traceback(story):
    autoplay = offramp("autoplay", "int-nan", "--story", story, "--policy", "doctrine", "--seeds", "1-20")
    no_traceback(autoplay)
    assert autoplay.returncode == 1 and "E400" in autoplay.stdout + autoplay.stderr
    explore = offramp("explore", "int-nan", "--story", story)
    no_traceback(explore)
    assert explore.returncode == 1 and "E400" in explore.stdout


def test_validate_warns_about_a_constant_that_is_not_finite(story):
    result = offramp("validate", story / "int-nan.yaml")
    assert result.returncode == 0, result.stdout
    assert f"{story / 'int-nan.yaml'}:19:34: warning W208:" in result.stdout


def test_a_number_variable_never_holds_nan(story):
    library = load_library(story_paths([story]))
    session = Session(library.scenarios["num-nan"], 1)
    with pytest.raises(EngineError, match="E400"):
        session.choose("overflow")


def test_no_save_is_written_with_a_non_finite_value(story, tmp_path):
    library = load_library(story_paths([story]))
    session = Session(library.scenarios["num-nan"], 1)
    store = SaveStore(tmp_path / "saves")
    good = store.save(session, "slot").read_bytes()
    session.values["fog"] = math.nan  # as a bug elsewhere might leave it
    with pytest.raises(SaveError, match="not finite"):
        store.save(session, "slot")
    assert store.path_for("slot").read_bytes() == good
    assert "NaN" not in json.dumps(json.loads(good))


def test_an_unexpected_error_is_one_line_and_a_report(story, tmp_path, monkeypatch, capsys):
    def broken(self, choice_id):
        raise RuntimeError("a bug in offramp itself")

    monkeypatch.setenv("OFFRAMP_REPORTS", str(tmp_path / "reports"))
    monkeypatch.setattr(Session, "choose", broken)
    code = main(["run", "tutorial", "--choose", "anything"])
    err = capsys.readouterr().err
    assert code == 70 and "Traceback" not in err
    reports = list((tmp_path / "reports").iterdir())
    assert len(reports) == 1 and str(reports[0]) in err
    assert "a bug in offramp itself" in reports[0].read_text(encoding="utf-8")
