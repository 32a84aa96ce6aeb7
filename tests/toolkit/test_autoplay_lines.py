"""Autoplay in free text: a policy that says lines from a file, read as a trainee's words are."""
from __future__ import annotations

import json

from game.engine import Session
from game.engine.diagnostics import Diagnostics
from game.engine.library import read_file
from game.paths import story_paths
from game.recognize import for_story
from game.tools import autoplay
from game.tools.autoplay import Lines

from .helpers import ROOT, bundled, offramp

SCRIPT = ROOT / "tests" / "playthroughs" / "tutorial--free-text.yaml"  # ten lines that play the tutorial through


def script_lines() -> list[str]:
    return [str(step["say"]) for step in read_file(SCRIPT, Diagnostics()).data["choices"]]


def lines_policy(lines) -> Lines:
    return Lines.parse("script.txt", "# a comment line\n\n" + "\n".join(lines), for_story(story_paths(),
                                                                                          bundled().tactics))


def test_a_lines_policy_plays_what_saying_those_lines_plays():
    scenario = bundled().scenarios["tutorial"]
    policy = lines_policy(script_lines())
    assert policy.lines == script_lines()  # comments and blank lines skipped
    result = autoplay.run(scenario, policy, range(1, 6))
    assert not result["failures"] and len(result["runs"]) == 5
    for run in result["runs"]:
        assert set(run["said"].values()) <= set(script_lines())
        again = Session.replay(scenario, run["seed"], run["choices"], run["said"])
        assert again.scores() == run["scores"] and again.ending == run["ending"]
        assert [b.text for b in again.beats if b.kind == "you"] == list(run["said"].values())


def test_a_round_no_line_fits_is_a_failure_that_names_it():
    scenario = bundled().scenarios["tutorial"]
    result = autoplay.run(scenario, lines_policy(script_lines()[:1]), range(1, 3))
    assert result["runs"] == [] and len(result["failures"]) == 2
    assert "none of the 1 line(s) of script.txt makes an open move" in result["failures"][0]["error"]


def test_autoplay_lines_on_the_command_line(tmp_path):
    script = tmp_path / "lines.txt"
    script.write_text("\n".join(script_lines()) + "\n", encoding="utf-8")
    done = offramp("autoplay", "tutorial", "--lines", script, "--seeds", "1-3", "--json", "--quiet")
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    assert out["policy"] == "lines:lines.txt" and len(out["runs"]) == 3
    assert all(run["said"] for run in out["runs"])
    empty = tmp_path / "empty.txt"
    empty.write_text("# nothing to say\n\n", encoding="utf-8")
    for bad, words in ((empty, "no line to say"), (tmp_path / "missing.txt", "cannot open it"),
                       (tmp_path, "a folder")):
        refused = offramp("autoplay", "tutorial", "--lines", bad)
        assert refused.returncode == 1 and words in refused.stderr and "Traceback" not in refused.stderr
